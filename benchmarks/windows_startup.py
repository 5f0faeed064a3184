"""Start-up of the installed Windows program under Wine against the Linux frozen build.

Run by scripts/build-windows after it installed the setup, in the same run and
under the same load as the baseline, the Linux frozen build (dist/mms-desktop/,
from scripts/build-frozen). Both are started as fresh processes, alternately,
as benchmarks/frozen_startup.py starts them:

- ``--version``: spawn to exit (mms-desktop-cli.exe under Wine);
- the window: spawn to the line ``ready`` that the program prints once its main
  window is shown and painted with the demo data (``MMS_DESKTOP_SELF_CHECK``,
  see installer/mms_desktop_main.py), on the same X display: Qt's Windows
  platform in Wine's X11 driver against Qt's xcb platform. mms-desktop-cli.exe
  runs it: the windowed mms-desktop.exe is the same program and bundle, but has
  no stdout to print ``ready`` on.

Wine's overhead (its loader, its wineserver, its Windows API over X11) is part
of every Windows figure: a real Windows laptop runs the same program without it.

    .venv/bin/python benchmarks/windows_startup.py --linux dist/mms-desktop/mms-desktop \\
        --linux-data DIR --windows-cli PATH/mms-desktop-cli.exe --windows-data 'C:\\…' [--runs 5]

The Wine prefix and display come from the environment (WINEPREFIX, DISPLAY, …).
"""

from __future__ import annotations

import argparse
import os

# The same timing as the frozen build's benchmark (this folder is on sys.path).
from frozen_startup import medians_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--linux", required=True, help="the Linux frozen mms-desktop")
    parser.add_argument("--linux-data", required=True, help="a demo data folder for it")
    parser.add_argument("--windows-cli", required=True, help="the installed mms-desktop-cli.exe")
    parser.add_argument("--windows-data", required=True, help="a demo data folder (Windows path)")
    args = parser.parse_args()

    env = dict(os.environ)
    env.pop("MMS_DATA_DIR", None)
    env.pop("QT_QPA_PLATFORM", None)
    linux_env = dict(env, QT_QPA_PLATFORM="xcb")
    cases = {
        "--version": (
            [args.linux, "--version"],
            linux_env,
            ["wine", args.windows_cli, "--version"],
            env,
            False,
        ),
        "window to first paint": (
            [args.linux],
            dict(linux_env, MMS_DESKTOP_SELF_CHECK=args.linux_data),
            ["wine", args.windows_cli],
            dict(env, MMS_DESKTOP_SELF_CHECK=args.windows_data),
            True,
        ),
    }
    print(
        f"{args.runs} runs each, medians; baseline: the Linux frozen build in the same run. "
        "The Windows figures include Wine's overhead."
    )
    for name, (linux, linux_case_env, windows, windows_case_env, until_ready) in cases.items():
        base_ms, ours_ms = medians_ms(
            (linux, linux_case_env), (windows, windows_case_env), until_ready, args.runs
        )
        print(
            f"{name:>22}: Linux frozen {base_ms:6.0f} ms, installed Windows under Wine "
            f"{ours_ms:6.0f} ms, ratio {ours_ms / base_ms:.2f}x"
        )


if __name__ == "__main__":
    main()
