"""Runs under Wine (scripts/test-windows): skips that name a limit of Wine, not of the program."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

# scripts/windows/python sets MMS_UNDER_WINE; a real Windows runs everything.
UNDER_WINE = sys.platform == "win32" and os.environ.get("MMS_UNDER_WINE") == "1"

# Wine starts a Linux program (poppler, zbar, mount) without giving back a
# process handle or its output: the call fails with "invalid handle".
NO_LINUX_PROGRAMS = "Wine cannot run a Linux program ({}) with its output on a pipe"


def skip_under_wine(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(UNDER_WINE, reason=f"under Wine: {reason}")


def stop_under_wine(linux_program: str) -> None:
    """Skip from here on (what ran before, e.g. making a PDF, has been tested)."""
    if UNDER_WINE:
        pytest.skip(f"under Wine: {NO_LINUX_PROGRAMS.format(linux_program)}")


# Wine's CreateProcess now and then fails with ERROR_INTERNAL_ERROR (1359) when
# several Windows programs start in the same instant on a loaded machine; the
# program never ran, so starting it again tests the same thing.
WINE_INTERNAL_ERROR = 1359


def start_process(args: list[str], **popen_args: object) -> subprocess.Popen[bytes]:
    """subprocess.Popen, started again (up to 5 times) where Wine failed to start it."""
    for attempt in range(5):
        try:
            return subprocess.Popen(args, **popen_args)  # type: ignore[call-overload,no-any-return]
        except OSError as error:
            if not (UNDER_WINE and getattr(error, "winerror", None) == WINE_INTERNAL_ERROR):
                raise
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")
