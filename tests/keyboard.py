"""Real input for widget tests: keys a Polish keyboard sends, clicks on table cells.

QTest.keyClicks maps characters to keys through Latin-1 and aborts on "ł" or
"ź"; ``type_text`` sends each character as the key event a keyboard produces.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QLineEdit, QWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_text(text: str, widget: QWidget | None = None) -> None:
    """Each character as its key press, then let the event loop run, as between keystrokes."""
    for char in text:
        target = widget or focused()
        code = (
            Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else Qt.Key.Key_unknown
        )
        if char == " ":
            code = Qt.Key.Key_Space
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, target, code, char, Qt.KeyboardModifier.NoModifier
        )
    QApplication.processEvents()


def key(
    widget: QWidget, which: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, which, modifier)
    # Qt finishes some keys on the next turn of the event loop (a cell editor
    # commits after Return that way); a person's next key always comes later.
    QApplication.processEvents()


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def replace_text(field: QLineEdit, text: str) -> None:
    """Click into the field, select all, type over it, leave with Tab."""
    click(field)
    key(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(text, field)
    key(field, Qt.Key.Key_Tab)


def click_cell(view: QAbstractItemView, row: int, column: int, double: bool = False) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    center = view.visualRect(index).center()
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, center
    )
    if double:
        QTest.mouseDClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, center
        )


def type_in_cell(view: QAbstractItemView, row: int, column: int, text: str) -> None:
    """Select a cell by mouse, F2 to edit, type over the value, Enter."""
    click_cell(view, row, column)
    key(view, Qt.Key.Key_F2)
    editor = focused()
    if isinstance(editor, QLineEdit):
        editor.selectAll()
    type_text(text, editor)
    key(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def answer_dialog(answer: Callable[[QWidget], None]) -> None:
    """Act on the modal dialog the next step opens, as a person would."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, attempt)
            return
        try:
            answer(dialog)
        except BaseException:
            # The test fails with this error, rather than waiting for ever in the dialog.
            if isinstance(dialog, QDialog):
                dialog.reject()
            raise

    QTimer.singleShot(0, attempt)
