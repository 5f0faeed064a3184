"""Save PNG screenshots of the main views with the demo data under docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Uses a temporary data folder and a pinned clock, so the pictures are the same
every time (and no real user data is touched). Then the whole screen of a
1024×600 netbook at 100 % text and a 1366×768 laptop at 150 % (the home view, the
budget, the report's statement), from the runs of tests/test_real_screen.py on
Xvfb with a window manager (``--no-real-screen`` leaves them out).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MMS_CLOCK", "2027-05-20T10:00:00+02:00")

from PySide6.QtCore import QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (1366, 768)  # the laptop screen the program is designed for


REAL_SCREENS = ((1024, 600, "1.0"), (1366, 768, "1.5"))


def real_screens(out: Path) -> None:
    """The screen as the volunteer sees it: the window placed by a window manager."""
    import subprocess

    from tests.x_screen import x_screen

    for width, height, scale in REAL_SCREENS:
        tag = f"{width}x{height}-{int(float(scale) * 100)}"
        with x_screen(width, height) as display:
            env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
            probe = [sys.executable, str(ROOT / "tests" / "screen_probe.py")]
            subprocess.run(
                [*probe, "--text-scale", scale, "--shots", str(out), "--tag", tag],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        for name in ("home", "application-budget", "report-statement"):
            print((out / f"{name}-{tag}.png").relative_to(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--no-real-screen", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.no_real_screen:
        real_screens(args.out)
    app = QApplication(sys.argv[:1])
    from mms_desktop.services.workspace import Workspace
    from mms_desktop.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        with Workspace.open(data_dir) as workspace:
            ids = workspace.create_demo()
        window = MainWindow(data_dir, ask_on_first_run=False)
        window.resize(*SIZE)
        window.show()

        def settle() -> None:
            for _ in range(3):
                app.processEvents()
                QThreadPool.globalInstance().waitForDone()
            app.processEvents()

        def shot(name: str) -> None:
            settle()
            path = args.out / f"{name}.png"
            window.grab().save(str(path))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

        shot("home")
        window.navigation.setCurrentRow(window.ORGANIZATION)
        shot("organization")
        window.applications.open(ids.application_id)
        assert window.applications.editor is not None
        for section in ("task", "actions", "budget", "sources", "declarations", "attachments"):
            window.applications.editor.show_section(section)
            shot(f"application-{section}")
        # A budget that breaks the admin cap, as a volunteer would see it.
        session = window.applications.session
        assert session is not None
        admin = next(
            line for line in session.application.budget if line.category_id == "administracja"
        )
        session.set_row_fields(
            "budget", admin.id, {"unit_cost": admin.unit_cost * 4, "grant": admin.grant * 4}
        )
        window.applications.editor.show_section("budget")
        window.applications.editor.run_check()
        shot("application-findings")
        window.navigation.setCurrentRow(window.SENDING)
        shot("sending")
        window.show_reports()
        shot("reports")
        window.reports.open(ids.report_id)
        assert window.reports.editor is not None
        for section in ("results", "documents", "statement", "attachments"):
            window.reports.editor.show_section(section)
            shot(f"report-{section}")
        window.close()


if __name__ == "__main__":
    main()
