"""Runs under Wine (scripts/test-windows): skips that name a limit of Wine, not of the program."""

from __future__ import annotations

import os
import sys

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
