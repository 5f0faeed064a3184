"""Start-up to a shown, usable main window, against a bare PySide6 window.

Both are started the same way in the same run, as fresh Python processes.
mms-desktop starts as a volunteer's does (``python -m mms_desktop --data-dir
DIR``: the command line, the log, the folder's lock, the store opened while
Qt loads, the window) on a store holding 1,000 applications;
``MMS_DESKTOP_SHOW_ONCE`` makes it print ``ready rows=N cpu_ms=T collector=on``
once the window is shown and painted, then close. The bare window prints ``ready
cpu_ms=T`` at the same point. The parent times from spawning the process to
reading that line; T is the child's processor time so far (all its threads).
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
from typing import NamedTuple

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
import time
print(f"ready cpu_ms={time.process_time() * 1000:.1f}", flush=True)
"""


class Start(NamedTuple):
    seconds: float  # from spawn to the ready line
    megabytes: float  # the child's peak resident set
    cpu_seconds: float  # the child's processor time (all its threads) to the ready line
    line: str


def timed(command: list[str], env: dict[str, str]) -> Start:
    """One start: the wall time to ``ready`` (what a person waits), and the
    processor time (steadier than the wall time on a shared, loaded machine)."""
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
    cpu_ms = float(line.split("cpu_ms=")[1].split()[0])
    return Start(elapsed, usage.ru_maxrss / 1024, cpu_ms / 1000, line)


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
        line = timed(app_run, app_env).line
        if int(line.split("rows=")[1].split()[0]) < args.applications:
            raise SystemExit(f"the window did not list the applications: {line!r}")
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(timed(bare_run, env))
            app.append(timed(app_run, app_env))

    def median(starts: list[Start], field: str) -> float:
        return statistics.median(getattr(start, field) for start in starts)

    print(
        f"bare PySide6 window (baseline): median {median(bare, 'seconds') * 1000:.0f} ms, "
        f"{median(bare, 'megabytes'):.0f} MB, processor {median(bare, 'cpu_seconds') * 1000:.0f} ms"
    )
    label = f"mms-desktop, {args.applications} applications"
    app_memory = median(app, "megabytes")
    print(
        f"{label}: median {median(app, 'seconds') * 1000:.0f} ms, {app_memory:.0f} MB, "
        f"processor {median(app, 'cpu_seconds') * 1000:.0f} ms"
    )
    ratio = median(app, "seconds") / median(bare, "seconds")
    print(
        f"ratio: {ratio:.2f}x the bare window (target <= 2x: {'met' if ratio <= 2 else 'NOT met'})"
    )
    cpu_ratio = median(app, "cpu_seconds") / median(bare, "cpu_seconds")
    print(f"processor time ratio: {cpu_ratio:.2f}x (the work done; the load moves it less)")
    print(
        f"memory {app_memory:.0f} MB (target < 150 MB: {'met' if app_memory < 150 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
