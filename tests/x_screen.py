"""A real X screen of a given size with a window manager: Xvfb and openbox.

The window is placed, framed and maximised by a real window manager, as on a
volunteer's laptop; the offscreen platform has neither frames nor a work area.
scripts/ensure-test-tools installs both (Debian's xvfb and openbox).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _wait_for_manager(display: str, manager: subprocess.Popen[bytes]) -> None:
    """Until openbox owns the screen (it sets _NET_SUPPORTING_WM_CHECK), at most 10 s."""
    deadline = time.monotonic() + 10
    env = dict(os.environ, DISPLAY=display)
    while time.monotonic() < deadline:
        if manager.poll() is not None:
            said = manager.stderr.read().decode(errors="replace") if manager.stderr else ""
            raise RuntimeError(f"openbox ended at once (exit {manager.returncode}): {said}")
        probe = subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if "window id" in probe.stdout:
            return
        time.sleep(0.05)
    raise RuntimeError("openbox did not take the screen within 10 s")


def _start_server(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a free display of its own, away from the low numbers (":1") that other
    programs on the machine pick by hand: a window manager meant for another screen
    would otherwise take ours."""
    first = 200 + os.getpid() % 500
    for number in range(first, first + 50):
        if os.path.exists(f"/tmp/.X{number}-lock"):
            continue
        read, write = os.pipe()
        # -displayfd: the server writes the number here once it accepts clients.
        server = subprocess.Popen(
            [
                "Xvfb", f":{number}", "-displayfd", str(write),
                "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp",
            ],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(write)
        with os.fdopen(read) as numbers:
            ready = numbers.readline().strip()
        if ready == str(number):
            return server, f":{number}"
        server.wait()  # another server took the number first: the next one
    raise RuntimeError("Xvfb found no free display")


@contextmanager
def x_screen(width: int, height: int) -> Iterator[str]:
    """An X display (":N") of width×height with openbox running on it."""
    for program in ("Xvfb", "openbox", "xprop"):
        if shutil.which(program) is None:
            raise RuntimeError(f"{program} is missing: run scripts/ensure-test-tools")
    server, display = _start_server(width, height)
    manager: subprocess.Popen[bytes] | None = None
    try:
        manager = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=dict(os.environ, DISPLAY=display),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait_for_manager(display, manager)
        yield display
    finally:
        for process in (manager, server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if manager is not None and manager.stderr is not None:
            manager.stderr.close()
