"""The main window keeps each record's edits to itself."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.main_window import MainWindow


def test_undo_after_opening_another_application_leaves_the_first_alone(
    qtbot: QtBot, data_dir: Path, clock: str
) -> None:
    with Workspace.open(data_dir) as workspace:
        first = workspace.create_demo().application_id
        second = workspace.clone_application(first).id
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    window.applications.open(first)
    assert window.applications.session is not None
    window.applications.session.set_field("title", "Tytuł poprawiony w pierwszym wniosku")
    window.applications.open(second)
    assert not window.undo.canUndo()  # the first wniosek's steps went with it
    window.undo.undo()  # Ctrl+Z in the second one changes nothing elsewhere
    window.writer.flush()
    with Workspace.open(data_dir) as workspace:
        assert workspace.application(first).title == "Tytuł poprawiony w pierwszym wniosku"
    window.close()


def test_ctrl_plus_and_minus_change_the_text_size_and_the_next_start_keeps_it(
    qtbot: QtBot, data_dir: Path, clock: str
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    with Workspace.open(data_dir) as workspace:
        workspace.create_demo()
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    window.applications.home.table.setFocus()
    base = QApplication.font().pointSizeF()
    control = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.applications.home.table, Qt.Key.Key_Plus, control)
    assert window.text_scale == 1.25
    qtbot.keyClick(window.applications.home.table, Qt.Key.Key_Equal, control)  # Ctrl+= too
    assert window.text_scale == 1.5
    assert QApplication.font().pointSizeF() == base * 1.5
    assert window.applications.home.table.font().pointSizeF() == base * 1.5
    qtbot.keyClick(window.applications.home.table, Qt.Key.Key_Plus, control)  # no larger size
    assert window.text_scale == 1.5
    qtbot.keyClick(window.applications.home.table, Qt.Key.Key_Minus, control)
    assert window.text_scale == 1.25
    window.close()
    again = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(again)
    assert again.text_scale == 1.25  # remembered
    again.show()
    again.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again)
    qtbot.keyClick(again.applications.home.table, Qt.Key.Key_0, control)
    assert again.text_scale == 1.0
    assert QApplication.font().pointSizeF() == base
    again.close()
