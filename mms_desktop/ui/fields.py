"""Form fields bound to a session: they show its value and save as you type.

A text field saves after a short pause in typing, whether or not the person
leaves it, and at once when it loses focus, on Enter, on Ctrl+Z and when the
window closes; what waits to be saved is its "dirty" flag (``unsaved``), never
a timer's state. Consecutive saves of one field merge into one undo step. A
field refreshes itself when the value changes elsewhere (undo, another view),
without moving the cursor while you type. Table cells save the same way
(``TypingDelegate``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from mms_desktop import i18n
from mms_desktop.ui import style
from mms_desktop.ui.unsaved import PendingEdit

Index = QModelIndex | QPersistentModelIndex


class DateField(QWidget):
    """A date typed as dd.mm.rrrr (or picked from a calendar); may be empty.

    A line edit, not a QDateEdit: typing a whole date from an empty field just
    works, and an empty date is really empty. Text that is not a date is shown
    in words and never saved (it keeps waiting, and the window says so). A date
    is taken after a pause in typing like any field, but tidied to dd.mm.rrrr
    only when the person leaves the field: never under the cursor.
    """

    date_changed = Signal(object)  # date | None, when a finished edit changes it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(i18n.tr("ui.date.placeholder"))
        self.edit.setMaxLength(10)
        self.button = QToolButton()
        self.button.setText("…")
        self.button.setToolTip(i18n.tr("ui.date.calendar_keys"))
        self.button.setAccessibleName(i18n.tr("ui.date.calendar"))
        # Reached by Tab after the date (and by Alt+↓ in it), like a combo box's list.
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self._pick)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self._value: date | None = None
        self.typing = PendingEdit(self.edit, self._take)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._finished)
        self.edit.installEventFilter(_FocusOutCommit(self.edit, self._finished))
        self.edit.installEventFilter(_UndoKeysToWindow(self.edit, self.commit))
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self._pick()
            return True
        return False

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def value(self) -> date | None:
        return self._value

    @property
    def pending(self) -> bool:
        """Typed text not taken yet (still being typed, or not a date)."""
        return self.typing.dirty

    def set_value(self, value: date | None) -> None:
        self._value = value
        self.edit.setText("" if value is None else i18n.format_date(value))
        self._show_problem(False)
        self.typing.forget()

    def text_is_valid(self) -> bool:
        return parse_date(self.edit.text()) is not _INVALID

    def _typed(self, _text: str) -> None:
        self.typing.typed()
        if self.text_is_valid():
            self._show_problem(False)

    def commit(self) -> None:
        """Take the typed text as the date (a pause, Enter, focus out, closing the window)."""
        self.typing.commit()

    def _finished(self) -> None:
        self.commit()
        if not self.pending and self._value is not None:
            tidy = i18n.format_date(self._value)
            if self.edit.text() != tidy:
                self.edit.setText(tidy)

    def _take(self) -> bool:
        parsed = parse_date(self.edit.text())
        if parsed is _INVALID:
            self._show_problem(True)
            return False
        self._show_problem(False)
        value = parsed if isinstance(parsed, date) else None
        if value != self._value:
            self._value = value
            self.date_changed.emit(value)
        return True

    def _show_problem(self, problem: bool) -> None:
        message = i18n.tr("ui.date.invalid") if problem else ""
        self.edit.setStyleSheet(style.WARNING_BORDER if problem else "")
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
            self.edit.setText(i18n.format_date(date(picked.year(), picked.month(), picked.day())))
            self.typing.typed()
            self._finished()

        calendar.clicked.connect(chosen)
        calendar.activated.connect(chosen)
        menu.popup(self.button.mapToGlobal(self.button.rect().bottomLeft()))
        menu.setActiveAction(action)  # the keys go to the calendar: arrows, Enter, Esc
        calendar.setFocus()


_INVALID = object()


def parse_date(text: str) -> date | object | None:
    """``05.07.2027``, ``5.7.2027``, ``05/07/2027`` or ``2027-07-05`` → a date; empty → None.

    Day first with dots (Polish) or slashes (British English), in either language.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if "-" in text:
            return date.fromisoformat(text)
        day, month, year = (int(part) for part in text.replace("/", ".").split("."))
        return date(year, month, day)
    except ValueError:
        return _INVALID


def format_amount(value: Decimal | None) -> str:
    return "" if value is None else i18n.format_number(value, 2)


def format_quantity(value: Decimal | None) -> str:
    """Quantities without needless zeros: ``24``, ``2,5`` (``2.5`` in English)."""
    return "" if value is None else i18n.format_decimal(value)


def parse_decimal(text: str) -> Decimal | None:
    """The language's, Polish or plain input; empty → None; AmountFormatError on nonsense."""
    if not text.strip():
        return None
    return i18n.parse_amount(text)


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
        self._text_widget = widget
        self.typing = PendingEdit(widget, self._store_text)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text: self.typing.typed())
            widget.editingFinished.connect(self.commit)
        else:
            widget.textChanged.connect(self._typed)
        # Also for a line edit: a popup (a menu, Ctrl+Z from the Edit menu) takes
        # the focus without "editing finished".
        widget.installEventFilter(_FocusOutCommit(widget, self.commit))
        widget.installEventFilter(_UndoKeysToWindow(widget, self.commit))
        self._refreshing = False
        self.refresh()

    def _typed(self) -> None:
        if not self._refreshing:
            self.typing.typed()

    def text(self) -> str:
        widget = self._text_widget
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    def _store_text(self) -> bool:
        self._save(self.text())
        return True

    def commit(self) -> None:
        """Save what is typed, if anything waits (a pause, leaving, Enter, Ctrl+Z, closing)."""
        self.typing.commit()

    def commit_shown(self) -> None:
        """Save the text now shown though not typed (a pick from an editable combo's list)."""
        self.typing.typed()
        self.typing.commit()

    @property
    def pending(self) -> bool:
        return self.typing.dirty

    def refresh(self) -> None:
        value = self._read() or ""
        if value == self.text() or self.pending:
            return
        self._refreshing = True
        widget = self._text_widget
        if isinstance(widget, QLineEdit):
            widget.setText(value)
        else:
            widget.setPlainText(value)
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
        # Not while a date is being typed: the typed text is the newer one.
        if widget.value() != self._read() and not widget.pending:
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


class TypingDelegate(QStyledItemDelegate):
    """Cell editors that save as you type, like the form's fields.

    What is typed into a cell is saved after a pause in typing without closing
    the editor (the model takes it as if the cell were left), when the cell is
    left, and when the window closes with the editor still open; a choice moved
    with the arrows in a cell's combo likewise. The model's echo of a cell's
    own save never overwrites the editor, so the cursor stays where it was.
    Subclasses fill their editors in ``fill_editor``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._edits: list[PendingEdit] = []
        self._taken: bool | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        return self.watch(super().createEditor(parent, option, index))

    def watch(self, editor: QWidget) -> QWidget:
        """Give an editor made here its "typed since the last save" flag."""
        edit = PendingEdit(editor, lambda: self._commit(editor))
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text: edit.typed())
        elif isinstance(editor, QComboBox):
            editor.activated.connect(lambda _index: edit.typed())
        else:
            return editor
        self._edits.append(edit)
        editor.destroyed.connect(lambda _object=None: self._forget(edit))
        return editor

    def _forget(self, edit: PendingEdit) -> None:
        if edit in self._edits:
            self._edits.remove(edit)
        edit.forget()  # tells the window: this cell no longer waits

    def _edit_of(self, editor: QWidget) -> PendingEdit | None:
        return next((edit for edit in self._edits if edit.widget is editor), None)

    def _commit(self, editor: QWidget) -> bool:
        """Save the open editor's text through the view, keeping the editor open."""
        self._taken = None
        self.commitData.emit(editor)
        taken, self._taken = self._taken, None
        return taken is not False  # None: the view no longer edits with it (closing)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        edit = self._edit_of(editor)
        if edit is not None and (edit.saving or edit.dirty):
            return  # what is being typed is newer than the model's echo of it
        self.fill_editor(editor, index)

    def fill_editor(self, editor: QWidget, index: Index) -> None:
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            taken = model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            taken = model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
            return
        self._taken = taken
        edit = self._edit_of(editor)
        if edit is not None and not edit.saving:  # Qt's own commit: the cell was left
            edit.saved_elsewhere(taken)
