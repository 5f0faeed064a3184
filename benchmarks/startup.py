"""Start-up to a shown, usable main window, against a bare PySide6 window.

Both are started the same way in the same run: a fresh Python process that
prints a line once its window is shown and has painted (for mms-desktop: the
home view lists the applications of a store holding 1,000 of them). The parent
times from spawning the process to reading that line. Memory is the child's
peak resident set size at that moment.

    .venv/bin/python benchmarks/startup.py [--applications 1000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE = """
import resource, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("okno"))
window.resize(1280, 740)
window.show()
app.processEvents()
print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""

APP = """
import resource, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from mms_desktop.ui.main_window import MainWindow
window = MainWindow(Path(sys.argv[1]), ask_on_first_run=False)
window.show()
app.processEvents()
rows = window.applications.home.model.rowCount()
assert rows >= int(sys.argv[2]), rows
print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
window.close()
"""


def timed(code: str, *args: str) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait(timeout=60)
    if not line.startswith("ready"):
        raise SystemExit(f"the child did not start: {line!r}")
    return elapsed, int(line.split()[1]) / 1024


def fill(data_dir: Path, count: int) -> None:
    from mms_desktop.services.demo import demo_application
    from mms_desktop.services.workspace import Workspace

    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
        call = workspace.calls.get(workspace.application(ids.application_id).call_id)
        with workspace.store.transaction():
            for number in range(count - 1):
                application = demo_application(ids.organization_id, call)
                workspace.store.add_application(
                    replace(application, title=f"{application.title} #{number}")
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        fill(data_dir, args.applications)
        timed(BARE)  # warm the file cache for both
        timed(APP, str(data_dir), str(args.applications))
        bare, app, bare_mb, app_mb = [], [], [], []
        for _ in range(args.runs):
            seconds, megabytes = timed(BARE)
            bare.append(seconds)
            bare_mb.append(megabytes)
            seconds, megabytes = timed(APP, str(data_dir), str(args.applications))
            app.append(seconds)
            app_mb.append(megabytes)
    print(
        f"bare PySide6 window (baseline): median {statistics.median(bare) * 1000:.0f} ms, "
        f"{statistics.median(bare_mb):.0f} MB"
    )
    app_ms, app_memory = statistics.median(app) * 1000, statistics.median(app_mb)
    label = f"mms-desktop, {args.applications} applications"
    print(f"{label}: median {app_ms:.0f} ms, {app_memory:.0f} MB")
    ratio = statistics.median(app) / statistics.median(bare)
    print(
        f"ratio: {ratio:.2f}x the bare window (target <= 2x: {'met' if ratio <= 2 else 'NOT met'})"
    )
    print(
        f"memory {app_memory:.0f} MB (target < 150 MB: {'met' if app_memory < 150 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
