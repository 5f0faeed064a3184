"""Telling a screen reader what just happened, as a web page's live region would.

The outcome of "Sprawdź" (F7) appears in a label far from the focus; a reader
would say nothing. An announcement event makes it say the sentence at once.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader, if one listens, say ``text`` (about ``widget``) now."""
    if not text or not QAccessible.isActive():
        return  # no reader: no accessibility objects to build
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
