"""Form fields bound to a session: they show its value and save as you type.

A text field saves after a short pause in typing and when it loses focus, so
nothing typed is lost when the window closes; consecutive saves of one field
merge into one undo step. A field refreshes itself when the value changes
elsewhere (undo, another view), without moving the cursor while you type.
"""

from __future__ import annotations

import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from mms_desktop import i18n
from mms_desktop.domain.money import format_number, parse_amount

TYPING_PAUSE_MS = 400
_typing: weakref.WeakSet[TextBinding] = weakref.WeakSet()


_date_fields: weakref.WeakSet[DateField] = weakref.WeakSet()


def commit_all_typing(window: QWidget) -> None:
    """Save whatever is still being typed in ``window`` (before it closes)."""
    fields: list[TextBinding | DateField] = [*_typing, *_date_fields]
    for field in fields:
        widget = field.widget if isinstance(field, TextBinding) else field
        # Bindings of editors closed earlier may outlive their widgets.
        if shiboken6.isValid(widget) and window.isAncestorOf(widget):
            field.commit()


class DateField(QWidget):
    """A date typed as dd.mm.rrrr (or picked from a calendar); may be empty.

    A line edit, not a QDateEdit: typing a whole date from an empty field just
    works, and an empty date is really empty. Text that is not a date is shown
    in words and never saved.
    """

    date_changed = Signal(object)  # date | None, when a finished edit changes it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(i18n.tr("ui.date.placeholder"))
        self.edit.setMaxLength(10)
        self.button = QToolButton()
        self.button.setText("…")
        self.button.setToolTip(i18n.tr("ui.date.calendar"))
        self.button.setAccessibleName(i18n.tr("ui.date.calendar"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self._pick)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self._value: date | None = None
        self.edit.editingFinished.connect(self.commit)
        self.edit.textEdited.connect(self._typed)
        _date_fields.add(self)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def value(self) -> date | None:
        return self._value

    def set_value(self, value: date | None) -> None:
        self._value = value
        self.edit.setText("" if value is None else value.strftime("%d.%m.%Y"))
        self._show_problem(False)

    def text_is_valid(self) -> bool:
        return parse_date(self.edit.text()) is not _INVALID

    def _typed(self, _text: str) -> None:
        if self.text_is_valid():
            self._show_problem(False)

    def commit(self) -> None:
        """Take the typed text as the date (Enter, focus out, closing the window)."""
        parsed = parse_date(self.edit.text())
        if parsed is _INVALID:
            self._show_problem(True)
            return
        self._show_problem(False)
        value = parsed if isinstance(parsed, date) else None
        if value is not None:
            self.edit.setText(value.strftime("%d.%m.%Y"))
        if value != self._value:
            self._value = value
            self.date_changed.emit(value)

    def _show_problem(self, problem: bool) -> None:
        message = i18n.tr("ui.date.invalid") if problem else ""
        self.edit.setStyleSheet("border: 1px solid #a4262c;" if problem else "")
        self.edit.setToolTip(message)
        self.edit.setAccessibleDescription(message)

    def _pick(self) -> None:
        menu = QMenu(self)
        calendar = QCalendarWidget()
        if self._value is not None:
            calendar.setSelectedDate(QDate(self._value.year, self._value.month, self._value.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def chosen(picked: QDate) -> None:
            menu.close()
            self.edit.setText(picked.toString("dd.MM.yyyy"))
            self.commit()

        calendar.clicked.connect(chosen)
        calendar.activated.connect(chosen)
        menu.popup(self.button.mapToGlobal(self.button.rect().bottomLeft()))


_INVALID = object()


def parse_date(text: str) -> date | object | None:
    """``05.07.2027``, ``5.7.2027`` or ``2027-07-05`` → a date; empty → None."""
    text = text.strip()
    if not text:
        return None
    try:
        if "-" in text:
            return date.fromisoformat(text)
        day, month, year = (int(part) for part in text.split("."))
        return date(year, month, day)
    except ValueError:
        return _INVALID


def format_amount(value: Decimal | None) -> str:
    return "" if value is None else format_number(value, 2)


def format_quantity(value: Decimal | None) -> str:
    """Quantities without needless zeros: ``24``, ``2,5``."""
    if value is None:
        return ""
    text = format_number(value, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def parse_decimal(text: str) -> Decimal | None:
    """Polish or plain input; empty → None; raises AmountFormatError on nonsense."""
    if not text.strip():
        return None
    return parse_amount(text)


class Binding(ABC):
    """Keeps one widget and one value of a session in step."""

    def __init__(self, widget: QWidget, read: Callable[[], Any], write: Callable[[Any], None]):
        self.widget = widget
        self._read = read
        self._write = write

    @abstractmethod
    def refresh(self) -> None:
        """Show the session's current value."""

    def _save(self, value: Any) -> None:
        if value != self._read():
            self._write(value)


class TextBinding(Binding):
    def __init__(
        self,
        widget: QLineEdit | QPlainTextEdit,
        read: Callable[[], str],
        write: Callable[[str], None],
    ) -> None:
        super().__init__(widget, read, write)
        self._timer = QTimer(widget)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.commit)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text: self._timer.start())
            widget.editingFinished.connect(self.commit)
        else:
            widget.textChanged.connect(self._typed)
            widget.installEventFilter(_FocusOutCommit(widget, self.commit))
        widget.installEventFilter(_UndoKeysToWindow(widget, self.commit))
        self._refreshing = False
        _typing.add(self)
        self.refresh()

    def _typed(self) -> None:
        if not self._refreshing:
            self._timer.start()

    def text(self) -> str:
        widget = self.widget
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()  # type: ignore[attr-defined]

    def commit(self) -> None:
        if not self._timer.isActive():
            return
        self._timer.stop()
        self._save(self.text())

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def refresh(self) -> None:
        value = self._read() or ""
        if value == self.text() or self.pending:
            return
        self._refreshing = True
        widget = self.widget
        if isinstance(widget, QLineEdit):
            widget.setText(value)
        else:
            widget.setPlainText(value)  # type: ignore[attr-defined]
        self._refreshing = False


class DateBinding(Binding):
    def __init__(
        self,
        widget: DateField,
        read: Callable[[], date | None],
        write: Callable[[date | None], None],
    ) -> None:
        super().__init__(widget, read, write)
        widget.date_changed.connect(self._save)
        self.refresh()

    def refresh(self) -> None:
        widget = self.widget
        assert isinstance(widget, DateField)
        if widget.value() != self._read() and not widget.edit.hasFocus():
            widget.set_value(self._read())


class CheckBinding(Binding):
    def __init__(
        self, widget: QCheckBox, read: Callable[[], bool], write: Callable[[bool], None]
    ) -> None:
        super().__init__(widget, read, write)
        widget.toggled.connect(self._save)
        self.refresh()

    def refresh(self) -> None:
        widget = self.widget
        assert isinstance(widget, QCheckBox)
        widget.blockSignals(True)
        widget.setChecked(bool(self._read()))
        widget.blockSignals(False)


class ComboBinding(Binding):
    """A choice from fixed items; each item's data is the value saved."""

    def __init__(
        self, widget: QComboBox, read: Callable[[], Any], write: Callable[[Any], None]
    ) -> None:
        super().__init__(widget, read, write)
        widget.currentIndexChanged.connect(lambda index: self._save(widget.itemData(index)))
        self.refresh()

    def refresh(self) -> None:
        widget = self.widget
        assert isinstance(widget, QComboBox)
        index = widget.findData(self._read())
        if index != widget.currentIndex():
            widget.blockSignals(True)
            widget.setCurrentIndex(index)
            widget.blockSignals(False)


class _FocusOutCommit(QObject):
    """Commits a multi-line field when focus leaves it."""

    def __init__(self, parent: QWidget, commit: Callable[[], None]) -> None:
        super().__init__(parent)
        self._commit = commit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._commit()
        return False


class _UndoKeysToWindow(QObject):
    """Lets Ctrl+Z / Ctrl+Y in a text field reach the window's undo, not the field's own.

    Qt's text fields claim the undo keys for a private history, so the window's
    Undo would never fire while the cursor is in a field. Typing not yet saved
    is saved first, so Ctrl+Z takes back exactly the last burst of typing.
    """

    def __init__(self, parent: QWidget, commit: Callable[[], None]) -> None:
        super().__init__(parent)
        self._commit = commit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            self._commit()
            event.ignore()  # not the field's: the shortcut goes to the window
            return True
        return False
