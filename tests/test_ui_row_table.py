"""Every table of rows is the one row table: the same keys do the same things in each.

A volunteer who learnt Insert, Delete and Enter in the budget finds them in the
plan of actions and in the profile's list of people; a value a table cannot
take is said in words and stays on screen to be corrected, nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from keyboard import click_cell, focused, key, type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from mms_desktop.services.demo import demo_organization
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.application_editor import ApplicationEditor
from mms_desktop.ui.organization_editor import OrganizationEditor
from mms_desktop.ui.row_table import RowTableModel, RowTableView
from mms_desktop.ui.session import ApplicationSession, OrganizationSession
from mms_desktop.ui.writer import StoreWriter

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "dane"


@pytest.fixture
def application(
    qtbot: QtBot, folder: Path, clock: str
) -> Iterator[tuple[ApplicationEditor, ApplicationSession, QUndoStack, StoreWriter, str]]:
    workspace = Workspace.open(folder)
    writer = StoreWriter(folder)
    ids = workspace.create_demo()
    undo = QUndoStack()
    session = ApplicationSession(workspace, writer, undo, ids.application_id)
    editor = ApplicationEditor(session)
    qtbot.addWidget(editor)
    editor.resize(1300, 800)
    editor.show()
    qtbot.waitExposed(editor)
    try:
        yield editor, session, undo, writer, ids.application_id
    finally:
        writer.close()
        workspace.close()


@pytest.fixture
def profile(
    qtbot: QtBot, folder: Path
) -> Iterator[tuple[OrganizationEditor, OrganizationSession, StoreWriter, str]]:
    workspace = Workspace.open(folder)
    organization = demo_organization()
    workspace.add_organization(organization)
    writer = StoreWriter(folder)
    session = OrganizationSession(workspace, writer, QUndoStack(), organization.id)
    editor = OrganizationEditor(session)
    qtbot.addWidget(editor)
    editor.resize(1100, 700)
    editor.show()
    qtbot.waitExposed(editor)
    try:
        yield editor, session, writer, organization.id
    finally:
        writer.close()
        workspace.close()


def stored_actions(folder: Path, writer: StoreWriter, application_id: str) -> list[str]:
    assert writer.flush()
    with Workspace.open(folder) as fresh:
        return [action.name for action in fresh.application(application_id).actions]


def test_every_table_is_the_one_row_table(
    application: tuple[ApplicationEditor, ApplicationSession, QUndoStack, StoreWriter, str],
) -> None:
    editor = application[0]
    for table in (
        editor.actions_editor.table,
        editor.results_editor.table,
        editor.budget_editor.table,
    ):
        assert isinstance(table, RowTableView)
        assert isinstance(table.model(), RowTableModel)


def test_insert_enter_and_delete_in_the_plan_of_actions(
    application: tuple[ApplicationEditor, ApplicationSession, QUndoStack, StoreWriter, str],
    folder: Path,
) -> None:
    editor, _session, undo, writer, application_id = application
    editor.show_section("actions")
    table = editor.actions_editor.table
    before = stored_actions(folder, writer, application_id)

    click_cell(table, 0, 1)
    key(table, Qt.Key.Key_Insert)  # a new action below the first, the cursor on its name
    assert table.model().rowCount() == len(before) + 1
    assert table.currentIndex().row() == 1 and table.currentIndex().column() == 1
    key(table, Qt.Key.Key_Return)  # Enter opens the cell, as in the budget
    cell = focused()
    assert isinstance(cell, QLineEdit)
    type_text("Wycieczka do skansenu", cell)
    key(cell, Qt.Key.Key_Return)
    assert stored_actions(folder, writer, application_id)[1] == "Wycieczka do skansenu"

    key(table, Qt.Key.Key_Delete)
    assert stored_actions(folder, writer, application_id) == before
    undo.undo()  # the window's Undo (Ctrl+Z)
    assert stored_actions(folder, writer, application_id)[1] == "Wycieczka do skansenu"
    assert str(table.model().index(1, 1).data()) == "Wycieczka do skansenu"


def test_the_profiles_people_take_the_same_keys(
    profile: tuple[OrganizationEditor, OrganizationSession, StoreWriter, str], folder: Path
) -> None:
    editor, session, writer, organization_id = profile
    table = editor.control("organization.representatives")
    assert isinstance(table, QTableView)
    people = len(session.organization.representatives)
    click_cell(table, people - 1, 0)
    key(table, Qt.Key.Key_Insert)  # a new person at the end, the name cell open
    cell = focused()
    assert isinstance(cell, QLineEdit)
    type_text("Halina Wróbel", cell)
    key(cell, Qt.Key.Key_Return)
    assert writer.flush()
    with Workspace.open(folder) as fresh:
        saved = fresh.organization(organization_id).representatives
    assert [person.name for person in saved][-1] == "Halina Wróbel"

    click_cell(table, people, 0)
    key(table, Qt.Key.Key_Delete)
    assert writer.flush()
    with Workspace.open(folder) as fresh:
        assert len(fresh.organization(organization_id).representatives) == people


def test_a_revenue_that_is_not_an_amount_stays_on_screen_to_be_corrected(
    profile: tuple[OrganizationEditor, OrganizationSession, StoreWriter, str], folder: Path
) -> None:
    editor, session, writer, organization_id = profile
    table = editor.control("organization.revenues")
    assert isinstance(table, QTableView)
    before = session.organization.revenues
    click_cell(table, 0, 1)
    type_text("dużo")  # any key starts editing
    key(focused(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert table.model().index(0, 1).data() == "dużo"  # what was typed, still there
    assert session.organization.revenues == before
    click_cell(table, 0, 1)
    type_text("12 500")
    key(focused(), Qt.Key.Key_Return)
    assert table.model().index(0, 1).data() == "12 500,00"  # read, saved, shown tidy
    assert writer.flush()
    with Workspace.open(folder) as fresh:
        assert str(fresh.organization(organization_id).revenues[0].amount) == "12500"
