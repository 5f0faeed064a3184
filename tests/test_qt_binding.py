"""The Qt binding itself must not corrupt the interpreter during a long session."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_calls_returning_nothing_do_not_leak_references_to_none():
    # PySide6 6.12.0 dropped a reference to None on each such call; on Python
    # 3.11 the process then aborts ("deallocating None") mid-session.
    holder = QObject()
    before = sys.getrefcount(None)
    for _ in range(2000):
        holder.setObjectName("x")
    assert sys.getrefcount(None) - before > -100
