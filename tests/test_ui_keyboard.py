"""The whole window by keyboard: out of every table, one meaning for each Alt+letter,
the calendar reached, and F6 between the list of parts and their fields."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QGroupBox,
    QLabel,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.ui.application_editor import SECTIONS, ApplicationEditor
from mms_desktop.ui.columns import CORNER_BUTTON
from mms_desktop.ui.fields import DateField
from mms_desktop.ui.main_window import MainWindow
from mms_desktop.ui.report_editor import SECTIONS as REPORT_SECTIONS
from tests.keyboard import focused, key

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def demo(data_dir: Path, clock: str) -> DemoIds:
    with Workspace.open(data_dir) as workspace:
        return workspace.create_demo()


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, demo: DemoIds) -> MainWindow:
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # keys need it
    return window


def editor(window: MainWindow, demo: DemoIds, section: str) -> ApplicationEditor:
    window.applications.open(demo.application_id)
    opened = window.applications.editor
    assert opened is not None
    opened.show_section(section)
    QApplication.processEvents()
    return opened


def test_tab_leaves_the_budget_after_its_last_cell_and_ctrl_tab_at_once(
    window: MainWindow, demo: DemoIds
) -> None:
    table = editor(window, demo, "budget").budget_editor.table
    model = table.model()
    last_column = max(c for c in range(model.columnCount()) if not table.isColumnHidden(c))
    table.setFocus()
    table.setCurrentIndex(model.index(model.rowCount() - 1, last_column - 1))
    key(table, Qt.Key.Key_Tab)
    assert focused() is table  # the next cell first
    assert table.currentIndex().column() == last_column
    key(table, Qt.Key.Key_Tab)
    assert focused() is not table and not table.isAncestorOf(focused())  # out, not round
    assert table.currentIndex().row() == model.rowCount() - 1  # the cell stayed
    # From the middle of the table: Ctrl+Tab forwards, Shift+Ctrl+Tab back.
    table.setFocus()
    table.setCurrentIndex(model.index(1, 2))
    key(table, Qt.Key.Key_Tab, CTRL)
    forward = focused()
    assert forward is not table and not table.isAncestorOf(forward)
    table.setFocus()
    key(table, Qt.Key.Key_Backtab, CTRL | SHIFT)
    backward = focused()
    assert backward is not table and backward is not forward
    assert table.currentIndex().row() == 1  # leaving moved no cell
    assert "Ctrl+Tab" in table.accessibleDescription()  # and the table's help says so


def test_tab_leaves_the_list_of_applications(window: MainWindow) -> None:
    table = window.applications.home.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    key(table, Qt.Key.Key_Tab)
    assert focused() is not table
    assert "focus" in table.styleSheet()  # a frame shows where the keyboard is


def _mnemonic(text: str) -> str | None:
    position = 0
    while (position := text.find("&", position)) != -1 and position + 1 < len(text):
        if text[position + 1] != "&":
            return text[position + 1].lower()
        position += 2
    return None


def _mnemonics(window: MainWindow) -> dict[str, list[str]]:
    for _ in range(3):
        QApplication.processEvents()
        QThreadPool.globalInstance().waitForDone()
    owners: dict[str, list[str]] = defaultdict(list)
    for action in window.menuBar().actions():
        if (letter := _mnemonic(action.text())) is not None:
            owners[letter].append(f"menu {action.text()}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        text = ""
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        if text and (letter := _mnemonic(text)) is not None:
            owners[letter].append(text)
    return {letter: texts for letter, texts in owners.items() if len(texts) > 1}


T = TypeVar("T")


def _every_view(window: MainWindow, demo: DemoIds, look: Callable[[MainWindow], T]) -> dict[str, T]:
    """``look`` at each page and each section of the application and the report, on show."""
    seen = {"home": look(window)}
    for page, name in ((window.ORGANIZATION, "profile"), (window.SENDING, "sending")):
        window.navigation.setCurrentRow(page)
        seen[name] = look(window)
    window.show_home()
    opened = editor(window, demo, "basic")
    for section in SECTIONS:
        opened.show_section(section)
        seen[f"application/{section}"] = look(window)
    window.show_reports()
    seen["reports"] = look(window)
    window.reports.open(demo.report_id)
    assert window.reports.editor is not None
    for section in REPORT_SECTIONS:
        window.reports.editor.show_section(section)
        seen[f"report/{section}"] = look(window)
    return seen


def test_each_alt_letter_means_one_thing_on_every_page(window: MainWindow, demo: DemoIds) -> None:
    clashes = _every_view(window, demo, _mnemonics)
    assert {view: found for view, found in clashes.items() if found} == {}


# The headless platform cannot raise a popup or grab the keyboard for it; a desktop can.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_calendar_is_reached_by_keyboard_and_picks_a_day(
    window: MainWindow, demo: DemoIds, qtbot: QtBot
) -> None:
    opened = editor(window, demo, "task")
    start = opened.field_widgets["application.start_date"]
    assert isinstance(start, DateField)
    start.edit.setFocus()
    key(start.edit, Qt.Key.Key_Tab)
    assert focused() is start.button  # Tab stops at the calendar button
    key(start.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    calendar = QApplication.activePopupWidget().findChild(QCalendarWidget)
    assert calendar is not None and calendar.hasFocus()
    before = calendar.selectedDate()
    key(focused(), Qt.Key.Key_Right)  # the next day
    key(focused(), Qt.Key.Key_Return)
    picked = before.addDays(1)
    assert start.value() is not None
    assert (start.value().year, start.value().month, start.value().day) == (
        picked.year(),
        picked.month(),
        picked.day(),
    )


def test_f6_goes_from_the_list_of_parts_to_the_fields_and_back(
    window: MainWindow, demo: DemoIds
) -> None:
    opened = editor(window, demo, "task")
    opened.sections.setFocus()
    key(opened.sections, Qt.Key.Key_F6)
    field = focused()
    assert opened.pages.currentWidget().isAncestorOf(field)
    key(field, Qt.Key.Key_F6)
    assert focused() is opened.sections
    window.show_reports()
    window.reports.open(demo.report_id)
    report = window.reports.editor
    assert report is not None
    report.sections.setFocus()
    key(report.sections, Qt.Key.Key_F6)
    assert report.pages.currentWidget().isAncestorOf(focused())


def _unnamed_corners(window: MainWindow) -> list[str]:
    """Tables on show whose corner button (select all) a screen reader would call nothing."""
    QApplication.processEvents()
    unnamed = []
    for table in window.findChildren(QTableView):
        if not table.isVisible():
            continue
        corner = table.findChild(QAbstractButton, CORNER_BUTTON)
        assert corner is not None, "Qt renamed its corner button: the check must follow it"
        if not corner.accessibleName():
            unnamed.append(table.objectName() or type(table).__name__)
    return unnamed


def test_every_table_s_corner_button_has_a_name(window: MainWindow, demo: DemoIds) -> None:
    found = _every_view(window, demo, _unnamed_corners)
    assert {view: tables for view, tables in found.items() if tables} == {}
