"""Python's cycle collector held back while the program starts.

Nearly everything a start creates (modules, classes, functions, Qt's enums)
lives as long as the program, yet the collector walks it again and again as it
is made: 10-14 ms of a start with the window. The entry points hold the
collector back before they import anything; the window lets it go once it is
shown, first freezing what the start made, so no later collection walks it
again (shorter pauses while typing). The start leaves little garbage to keep
(about 1,400 objects with 1,000 applications). A command lets it go before it
works.
"""

from __future__ import annotations

import gc


class _Held:
    """Whether ``hold_back`` turned the collector off (and so ``let_go`` may turn it on)."""

    by_us = False


def hold_back() -> None:
    if gc.isenabled():
        gc.disable()
        _Held.by_us = True


def let_go() -> None:
    """The collector back on, if ``hold_back`` turned it off (a test's is left alone)."""
    if _Held.by_us:
        gc.freeze()
        gc.enable()
        _Held.by_us = False
