"""The window as the accessibility walk sees it: one view after another, on request.

Started by tests/atspi_walk.py (under a D-Bus session and an X screen). Prints
``ready VIEW`` once a view is on screen, then waits for a line on standard input
before the next one; ``done`` at the end.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MMS_CLOCK", "2027-05-20T10:00:00+02:00")

from PySide6.QtCore import QEventLoop, QSocketNotifier, QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from mms_desktop.ui.application_editor import SECTIONS as APPLICATION_SECTIONS  # noqa: E402
from mms_desktop.ui.report_editor import SECTIONS as REPORT_SECTIONS  # noqa: E402

# The editor and the report section by section: each section's controls on show.
VIEWS = (
    "home",
    "profile",
    *(f"editor/{section}" for section in APPLICATION_SECTIONS),
    *(f"report/{section}" for section in REPORT_SECTIONS),
)


def main() -> None:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("mms-desktop")
    from mms_desktop.services.workspace import Workspace
    from mms_desktop.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "dane"
        with Workspace.open(data_dir) as workspace:
            ids = workspace.create_demo()
        window = MainWindow(data_dir, ask_on_first_run=False)
        window.show()

        def show(view: str) -> None:
            if view == "profile":
                window.navigation.setCurrentRow(window.ORGANIZATION)
            elif view.startswith("editor/"):
                if window.applications.editor is None:
                    window.show_home()
                    window.applications.open(ids.application_id)
                assert window.applications.editor is not None
                window.applications.editor.show_section(view.split("/")[1])
            elif view.startswith("report/"):
                if window.reports.editor is None:
                    window.show_reports()
                    window.reports.open(ids.report_id)
                assert window.reports.editor is not None
                window.reports.editor.show_section(view.split("/")[1])
            for _ in range(5):
                app.processEvents()
                QThreadPool.globalInstance().waitForDone()
            app.processEvents()

        for view in (*VIEWS, "check"):
            if view == "check":  # "Sprawdź" (F7) in the report's last section
                assert window.reports.editor is not None
                window.reports.editor.run_check()
            else:
                show(view)
            print("ready", view, flush=True)
            # The walker reads the tree now: the event loop answers it at once
            # until the walker's "next" arrives on standard input.
            loop = QEventLoop()
            notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
            notifier.activated.connect(loop.quit)
            loop.exec()
            notifier.setEnabled(False)
            sys.stdin.readline()
        window.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
