"""Typing not yet saved: one "dirty since the last save" flag per field, and who has one.

Each place a person types into (a form field, a date, a table cell being
edited, a combo in a cell) owns a ``PendingEdit``. A keystroke marks it dirty
and starts a short pause; the end of the pause, leaving the field, Enter,
Ctrl+Z and closing the window *commit* it, and only a commit clears the flag.
Whether typing waits to be saved is this flag, never a timer's state: a
single-shot timer is already inactive while its own timeout runs, so a save
keyed to "the timer is running" skipped exactly the pause it was meant for.

The window asks ``waiting(window)`` before it says "all saved", and commits
everything (``commit_all_typing``) before it closes, checks, prints or sends.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from functools import cache

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

TYPING_PAUSE_MS = 400  # read at each keystroke, so a test may shorten it

_edits: weakref.WeakSet[PendingEdit] = weakref.WeakSet()


class _Notifier(QObject):
    changed = Signal()  # some field became dirty, or clean


@cache
def notifier() -> _Notifier:
    """Tells the window when typing starts or stops waiting to be saved."""
    return _Notifier()


class PendingEdit:
    """What one field has typed since its last save, and the pause that saves it.

    ``save`` stores the widget's current text and says whether it was taken
    (False: it is not a date, not an amount — the field says why and the text
    stays waiting, so nothing is shown as saved that was not).
    """

    def __init__(self, widget: QWidget, save: Callable[[], bool]) -> None:
        self.widget = widget
        self._save = save
        self.dirty = False
        self.refused = False
        self.saving = False
        self._timer = QTimer(widget)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.commit)
        _edits.add(self)

    def alive(self) -> bool:
        return shiboken6.isValid(self.widget)

    def typed(self) -> None:
        """A keystroke (or a paste, a pick with the arrows): save after the next pause."""
        self._timer.start(TYPING_PAUSE_MS)
        if not self.dirty or self.refused:
            self.dirty = True
            self.refused = False
            _notify()

    def commit(self) -> None:
        """Save what is typed now, if anything waits (a pause, leaving, Enter, closing)."""
        if self.alive():
            self._timer.stop()
        if not self.dirty or self.saving or not self.alive():
            return
        # Cleared before the save: a keystroke that lands while it runs marks it again.
        self.dirty = False
        self.saving = True
        try:
            taken = self._save()
        finally:
            self.saving = False
        if not taken:
            self.dirty = self.refused = True
        _notify()

    def saved_elsewhere(self, taken: bool) -> None:
        """Qt saved the widget itself (a table cell left with Tab or the mouse)."""
        if self.alive():
            self._timer.stop()
        if self.dirty != (not taken) or self.refused != (not taken):
            self.dirty = self.refused = not taken
            _notify()

    def forget(self) -> None:
        """The field shows a value from elsewhere now (undo, a reload): nothing waits."""
        if self.alive():
            self._timer.stop()
        if self.dirty:
            self.dirty = self.refused = False
            _notify()


def _notify() -> None:
    notifier().changed.emit()


def _inside(window: QWidget, edit: PendingEdit) -> bool:
    # Fields of editors closed earlier may outlive their widgets.
    return edit.alive() and (edit.widget is window or window.isAncestorOf(edit.widget))


def waiting(window: QWidget) -> list[PendingEdit]:
    """The fields in ``window`` whose typing is not in the store yet."""
    return [edit for edit in list(_edits) if edit.dirty and _inside(window, edit)]


def commit_all_typing(window: QWidget) -> None:
    """Save whatever is still being typed in ``window`` (before it closes, prints, sends)."""
    for edit in list(_edits):
        if edit.dirty and _inside(window, edit):
            edit.commit()


def check_nothing_waits(window: QWidget) -> None:
    """After ``commit_all_typing``: only text the store cannot take may still wait."""
    for edit in waiting(window):
        name = edit.widget.accessibleName() or edit.widget.objectName()
        if edit.refused:
            log.warning("closing with input that is not a valid value in %r", name)
        else:
            log.error("typing in %r was not saved before closing", name)
