"""Start-up to a shown, usable main window, against a bare PySide6 window.

Both are started the same way in the same run, as fresh Python processes.
mms-desktop starts as a volunteer's does (``python -m mms_desktop --data-dir
DIR``: the command line, the log, the folder's lock, the store opened while
Qt loads, the window) on a store holding 1,000 applications;
``MMS_DESKTOP_SHOW_ONCE`` makes it print ``ready rows=N`` once the window is
shown and painted, then close. The bare window prints ``ready`` at the same
point. The parent times from spawning the process to reading that line.
Memory is the child's peak resident set size (from wait4).

Both read the same bytecode state: run it as installed programs run, with the
package byte-compiled (``python -m compileall mms_desktop``); without bytecode
every start also compiles the package.

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
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("okno"))
window.resize(1280, 740)
window.show()
app.processEvents()
print("ready", flush=True)
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds to the ``ready`` line, the child's peak memory in MB, and the line."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if not line.startswith("ready") or process.returncode != 0:
        raise SystemExit(f"the child did not start: {line!r}, exit {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024, line


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
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("MMS_DATA_DIR", None)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        fill(data_dir, args.applications)
        bare_run = [sys.executable, "-c", BARE]
        app_run = [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir)]
        app_env = dict(env, MMS_DESKTOP_SHOW_ONCE="1")
        timed(bare_run, env)  # warm the file cache for both
        _, _, line = timed(app_run, app_env)
        if int(line.split("rows=")[1]) < args.applications:
            raise SystemExit(f"the window did not list the applications: {line!r}")
        bare, app, bare_mb, app_mb = [], [], [], []
        for _ in range(args.runs):
            seconds, megabytes, _ = timed(bare_run, env)
            bare.append(seconds)
            bare_mb.append(megabytes)
            seconds, megabytes, _ = timed(app_run, app_env)
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
