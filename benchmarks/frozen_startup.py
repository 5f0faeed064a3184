"""Start-up of the frozen program (dist/mms-desktop/) against the installed package.

Both are started the same way in the same run, as fresh processes on the same
demo data folder; the baseline is the installed package (``.venv/bin/mms-desktop``):

- ``--version``: spawn to exit;
- ``list --json``: spawn to exit, on the demo folder;
- the window: spawn to the line ``ready`` that the program prints once its main
  window is shown and painted with the demo data (``MMS_DESKTOP_SELF_CHECK``,
  see installer/mms_desktop_main.py; the installed package runs the same entry
  script with .venv's Python), offscreen.

    scripts/build-frozen && .venv/bin/python benchmarks/frozen_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FROZEN = ROOT / "dist" / "mms-desktop" / "mms-desktop"
INSTALLED = ROOT / ".venv" / "bin" / "mms-desktop"
ENTRY = ROOT / "installer" / "mms_desktop_main.py"


def timed(command: list[str], env: dict[str, str], until_ready: bool = False) -> float:
    """Seconds from spawn to exit, or to the ``ready`` line. stdout and stderr are
    pipes (under Wine a Windows program cannot start with them on a file)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None
    if until_ready:
        line = process.stdout.readline()
        elapsed = time.perf_counter() - start
        rest, errors = process.communicate(timeout=180)
        if process.returncode != 0 or not line.startswith(b"ready"):
            raise SystemExit(
                f"{command[-1]} did not show its window: {line!r} {rest!r} {errors[-2000:]!r}"
            )
        return elapsed
    _, errors = process.communicate(timeout=180)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}: {errors[-2000:]!r}")
    return elapsed


Run = tuple[list[str], dict[str, str]]  # a command and its environment


def medians_ms(base: Run, ours: Run, until_ready: bool, runs: int) -> tuple[float, float]:
    """Median milliseconds of both, started alternately after one warm-up each."""
    timed(*base, until_ready)  # warm the file cache for both
    timed(*ours, until_ready)
    base_s, ours_s = [], []
    for _ in range(runs):
        base_s.append(timed(*base, until_ready))
        ours_s.append(timed(*ours, until_ready))
    return statistics.median(base_s) * 1000, statistics.median(ours_s) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--frozen", type=Path, default=FROZEN)
    args = parser.parse_args()
    if not args.frozen.exists():
        raise SystemExit(f"no frozen program at {args.frozen}: run scripts/build-frozen first")
    from mms_desktop.services.workspace import Workspace

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        with Workspace.open(data_dir) as workspace:
            workspace.create_demo()
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        env.pop("MMS_DATA_DIR", None)
        window_env = dict(env, MMS_DESKTOP_SELF_CHECK=str(data_dir))
        cases = {
            "--version": (
                [str(INSTALLED), "--version"],
                [str(args.frozen), "--version"],
                env,
                False,
            ),
            "list --json": (
                [str(INSTALLED), "--data-dir", str(data_dir), "list", "--json"],
                [str(args.frozen), "--data-dir", str(data_dir), "list", "--json"],
                env,
                False,
            ),
            "window to first paint": (
                [str(ROOT / ".venv" / "bin" / "python"), str(ENTRY)],
                [str(args.frozen)],
                window_env,
                True,
            ),
        }
        print(f"{args.runs} runs each, medians; baseline: the installed package (.venv)")
        for name, (installed, frozen, case_env, until_ready) in cases.items():
            base_ms, ours_ms = medians_ms(
                (installed, case_env), (frozen, case_env), until_ready, args.runs
            )
            print(
                f"{name:>22}: installed {base_ms:6.0f} ms, frozen {ours_ms:6.0f} ms, "
                f"ratio {ours_ms / base_ms:.2f}x"
            )


if __name__ == "__main__":
    main()
