"""Qt's own words (message boxes, file dialogs, text fields' menus, the calendar) in the
window's language, from the translation Qt ships."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QCalendarWidget, QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from mms_desktop import i18n
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.main_window import MainWindow


def _qt_words(qtbot: QtBot) -> tuple[str, list[str], str, str]:
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?")
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    cancel = box.button(QMessageBox.StandardButton.Cancel).text()
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    entries = [action.text().split("\t")[0] for action in menu.actions() if action.text()]
    menu.deleteLater()
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    file_cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel).text()
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    month = calendar.locale().standaloneMonthName(5, QLocale.FormatType.LongFormat)
    return cancel, entries, file_cancel, month


def test_qt_dialogs_menus_and_the_calendar_speak_polish_in_a_polish_window(
    qtbot: QtBot, data_dir: Path, clock: str
) -> None:
    with Workspace.open(data_dir) as workspace:
        workspace.create_demo()
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    cancel, entries, file_cancel, month = _qt_words(qtbot)
    assert cancel == "Anuluj"
    assert "&Cofnij" in entries and "&Wklej" in entries  # Undo, Paste
    assert file_cancel == "Anuluj"
    assert month == "maj"
    window.close()


def test_an_english_window_gets_qt_s_english_words_back(
    qtbot: QtBot, data_dir: Path, clock: str
) -> None:
    try:
        window = MainWindow(data_dir, ask_on_first_run=False, language="en")
        qtbot.addWidget(window)
        cancel, entries, file_cancel, month = _qt_words(qtbot)
        assert (cancel, file_cancel, month) == ("Cancel", "Cancel", "May")
        assert "&Undo" in entries
        window.close()
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
        MainWindow(data_dir, ask_on_first_run=False).close()  # Polish Qt for the next tests
