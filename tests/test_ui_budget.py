"""The budget editor, driven as a volunteer would: mouse, keyboard, clipboard, files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid as is_valid

from mms_desktop.domain.application import Application, ApplicationStatus, BudgetLine
from mms_desktop.services import budget_csv
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.budget_editor import COLUMN_OF_FIELD, NAME_COLUMN, TOTAL_COLUMN, BudgetEditor
from mms_desktop.ui.session import ApplicationSession
from mms_desktop.ui.writer import StoreWriter

# The offscreen platform (headless test runs) says this when a top-level window with
# size constraints is shown; a real desktop does not. Every other Qt warning still fails.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

UNIT_COST = COLUMN_OF_FIELD["unit_cost"]
QUANTITY = COLUMN_OF_FIELD["quantity"]
GRANT = COLUMN_OF_FIELD["grant"]
ACTION = COLUMN_OF_FIELD["action_id"]
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass
class Opened:
    editor: BudgetEditor
    session: ApplicationSession
    undo: QUndoStack
    writer: StoreWriter
    folder: Path
    application_id: str

    @property
    def table(self) -> QWidget:
        return self.editor.table

    @property
    def budget(self) -> tuple[BudgetLine, ...]:
        return self.session.application.budget

    def saved(self) -> Application:
        """What a fresh start of the program would load from the folder."""
        assert self.writer.flush()
        with Workspace.open(self.folder) as fresh:
            return fresh.application(self.application_id)

    def cell(self, row: int, column: int) -> str:
        return str(self.editor.model.index(row, column).data())

    def summary(self) -> str:
        return "\n".join(self.editor.summary.texts())


def open_editor(
    qtbot: QtBot,
    folder: Path,
    workspace: Workspace,
    application_id: str,
) -> tuple[BudgetEditor, ApplicationSession, QUndoStack, StoreWriter]:
    writer = StoreWriter(folder)
    undo = QUndoStack()
    session = ApplicationSession(workspace, writer, undo, application_id)
    editor = BudgetEditor(session)
    qtbot.addWidget(editor)
    # Ctrl+Z as the main window wires it: the undo stack's own action.
    undo_action: QAction = undo.createUndoAction(editor)
    undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    editor.addAction(undo_action)
    editor.resize(1200, 700)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.table.setFocus()
    qtbot.waitUntil(editor.table.hasFocus)
    return editor, session, undo, writer


@pytest.fixture
def opened(tmp_path: Path, qtbot: QtBot, clock: str) -> Iterator[Opened]:
    folder = tmp_path / "dane"
    workspace = Workspace.open(folder)
    ids = workspace.create_demo()
    editor, session, undo, writer = open_editor(qtbot, folder, workspace, ids.application_id)
    try:
        yield Opened(editor, session, undo, writer, folder, ids.application_id)
    finally:
        writer.close()
        workspace.close()


# --- driving the table ---------------------------------------------------------------


def click(opened: Opened, row: int, column: int) -> None:
    table = opened.editor.table
    rect = table.visualRect(opened.editor.model.index(row, column))
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )


def double_click(opened: Opened, row: int, column: int) -> None:
    table = opened.editor.table
    center: QPoint = table.visualRect(opened.editor.model.index(row, column)).center()
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, center
    )
    QTest.mouseDClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, center
    )


def open_editor_widget(qtbot: QtBot, opened: Opened, kind: type[QWidget]) -> QWidget:
    """The delegate's editor that is open in the table (a line edit or a combo)."""
    viewport = opened.editor.table.viewport()
    found: list[QWidget] = []

    def is_open() -> bool:
        found[:] = [w for w in viewport.findChildren(kind) if w.isVisible()]
        return len(found) == 1

    qtbot.waitUntil(is_open)
    return found[0]


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character, Polish letters too.

    (QTest.keyClicks maps characters to keys through ASCII and aborts on ą or ł.)
    """
    for char in text:
        code = Qt.Key(ord(char.upper())) if char.isascii() else Qt.Key.Key_unknown
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, code, char, Qt.KeyboardModifier.NoModifier
        )


def type_into(qtbot: QtBot, opened: Opened, row: int, column: int, text: str) -> None:
    """Double-click a cell, type over what is there, press Enter."""
    double_click(opened, row, column)
    editor = open_editor_widget(qtbot, opened, QLineEdit)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not is_valid(editor) or not editor.isVisible())


def key(
    qtbot: QtBot,
    opened: Opened,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    QTest.keyClick(opened.editor.table, key, modifier)


def summary_shows(opened: Opened, text: str) -> bool:
    return text in opened.summary()


# --- editing cells ---------------------------------------------------------------------


def test_typing_a_unit_cost_updates_the_total_and_the_summary(qtbot: QtBot, opened: Opened) -> None:
    assert opened.cell(0, TOTAL_COLUMN) == "2 880,00"  # 120,00 × 24
    assert summary_shows(opened, "Koszty ogółem: 36 315,00 zł")

    type_into(qtbot, opened, 0, UNIT_COST, "1 234,50")

    assert opened.budget[0].unit_cost == Decimal("1234.50")
    assert opened.cell(0, UNIT_COST) == "1 234,50"
    assert opened.cell(0, TOTAL_COLUMN) == "29 628,00"
    # The line was paid from the grant alone, and still is.
    assert opened.cell(0, GRANT) == "29 628,00"
    qtbot.waitUntil(lambda: summary_shows(opened, "Koszty ogółem: 63 063,00 zł"))
    assert summary_shows(opened, "Dotacja 56 368,00 zł – 89,4 %")
    assert summary_shows(opened, "Dotacja: 56 368,00 zł – więcej niż maksimum naboru")
    assert "GRANT_ABOVE_MAX" in {finding.code for finding in opened.session.findings()}
    # The current cell stays where the volunteer was.
    assert opened.editor.table.currentIndex().row() == 0


def test_f2_and_typing_start_editing_a_cell(qtbot: QtBot, opened: Opened) -> None:
    click(opened, 1, QUANTITY)
    key(qtbot, opened, Qt.Key.Key_F2)
    editor = open_editor_widget(qtbot, opened, QLineEdit)
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "6"
    editor.selectAll()
    QTest.keyClicks(editor, "7")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened.budget[1].quantity == Decimal(7))
    assert opened.cell(1, TOTAL_COLUMN) == "2 450,00"

    # Typing on a selected cell replaces what is in it.
    click(opened, 1, NAME_COLUMN)
    type_text(opened.editor.table, "Ż")
    editor = open_editor_widget(qtbot, opened, QLineEdit)
    assert isinstance(editor, QLineEdit)
    type_text(editor, "urek")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened.budget[1].name == "Żurek")


def test_a_value_that_is_not_an_amount_is_refused_in_words(qtbot: QtBot, opened: Opened) -> None:
    before = opened.budget
    steps = opened.undo.count()
    type_into(qtbot, opened, 2, UNIT_COST, "sześćdziesiąt")
    message = opened.editor.status.text()
    assert "Koszt 3" in message
    assert "Koszt jednostkowy" in message
    assert "sześćdziesiąt" in message
    assert opened.budget is before
    assert opened.cell(2, UNIT_COST) == "60,00"
    assert opened.undo.count() == steps

    type_into(qtbot, opened, 2, GRANT, "10,555")
    assert "dwie cyfry po przecinku" in opened.editor.status.text()
    assert opened.budget is before


def test_choosing_an_action_from_the_combo(qtbot: QtBot, opened: Opened) -> None:
    double_click(opened, 0, ACTION)
    combo = open_editor_widget(qtbot, opened, QComboBox)
    assert isinstance(combo, QComboBox)
    assert combo.itemText(1).startswith("2. Konkurs wypieków")
    assert combo.itemText(combo.count() - 1) == "— (bez działania)"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Return)
    second_action = opened.session.application.actions[1].id
    qtbot.waitUntil(lambda: opened.budget[0].action_id == second_action)
    assert opened.cell(0, ACTION).startswith("2. ")


def test_an_admin_cost_over_the_cap_is_shown_and_undone_with_ctrl_z(
    qtbot: QtBot, opened: Opened
) -> None:
    row = 14  # Obsługa księgowa projektu: 250,00 × 5, administrative
    assert opened.budget[row].category_id == "administracja"
    assert summary_shows(
        opened, "Koszty administracyjne: 3,6 % z dopuszczalnych 10 % – zostało 2 306,50 zł"
    )
    assert opened.editor.summary.warnings() == []

    type_into(qtbot, opened, row, UNIT_COST, "1000")

    def warned() -> bool:
        return any("limit przekroczony" in text for text in opened.editor.summary.warnings())

    qtbot.waitUntil(warned)
    assert summary_shows(
        opened,
        "Koszty administracyjne: 12,7 % z dopuszczalnych 10 % – limit przekroczony o 1 068,50 zł",
    )
    assert "ADMIN_CAP_EXCEEDED" in {finding.code for finding in opened.session.findings()}

    key(qtbot, opened, Qt.Key.Key_Z, CTRL)

    qtbot.waitUntil(lambda: opened.budget[row].unit_cost == Decimal("250.00"))
    assert opened.cell(row, TOTAL_COLUMN) == "1 250,00"
    qtbot.waitUntil(lambda: not warned())
    assert "ADMIN_CAP_EXCEEDED" not in {finding.code for finding in opened.session.findings()}
    assert opened.saved().budget[row].unit_cost == Decimal("250.00")


# --- lines: add, remove, move, paste ---------------------------------------------------


def test_insert_and_ctrl_n_add_a_line_after_the_current_one(qtbot: QtBot, opened: Opened) -> None:
    click(opened, 2, NAME_COLUMN)
    template = opened.budget[2]
    key(qtbot, opened, Qt.Key.Key_Insert)

    assert len(opened.budget) == 17
    added = opened.budget[3]
    # The same action; the category is left for her to choose, never copied unasked.
    assert (added.action_id, added.category_id) == (template.action_id, "")
    assert template.category_id != ""
    assert added.name == ""
    current = opened.editor.table.currentIndex()
    assert (current.row(), current.column()) == (3, NAME_COLUMN)
    assert opened.cell(3, 0) == "4"
    assert opened.cell(4, 0) == "5"
    assert "Dodano koszt 4" in opened.editor.status.text()

    key(qtbot, opened, Qt.Key.Key_F2)
    editor = open_editor_widget(qtbot, opened, QLineEdit)
    type_text(editor, "Fartuchy")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened.budget[3].name == "Fartuchy")

    key(qtbot, opened, Qt.Key.Key_N, CTRL)
    assert len(opened.budget) == 18
    assert opened.editor.table.currentIndex().row() == 4
    assert opened.saved().budget == opened.budget


def test_delete_on_a_selected_row_removes_that_line(qtbot: QtBot, opened: Opened) -> None:
    removed = opened.budget[4]
    click(opened, 4, 0)  # the line's number selects the whole line
    assert [index.row() for index in opened.editor.table.selectionModel().selectedRows()] == [4]

    key(qtbot, opened, Qt.Key.Key_Delete)

    assert len(opened.budget) == 15
    assert removed.id not in {line.id for line in opened.budget}
    assert opened.editor.model.rowCount() == 15
    message = opened.editor.status.text()
    assert "Usunięto koszt 5" in message
    assert removed.name in message
    qtbot.waitUntil(lambda: summary_shows(opened, "Koszty ogółem: 34 815,00 zł"))

    key(qtbot, opened, Qt.Key.Key_Z, CTRL)
    assert opened.budget[4] == removed
    assert opened.cell(4, NAME_COLUMN) == removed.name


def test_delete_on_a_cell_clears_it_and_ctrl_delete_removes_the_line(
    qtbot: QtBot, opened: Opened
) -> None:
    click(opened, 0, opened.editor.model.columnCount() - 1)  # Świadczenia odbiorców
    click(opened, 11, COLUMN_OF_FIELD["participants"])
    key(qtbot, opened, Qt.Key.Key_Delete)
    assert len(opened.budget) == 16
    assert opened.budget[11].participants == 0

    click(opened, 11, NAME_COLUMN)
    key(qtbot, opened, Qt.Key.Key_Delete, CTRL)
    assert len(opened.budget) == 15
    assert "Usunięto koszt 12" in opened.editor.status.text()


def test_ctrl_down_and_ctrl_up_move_the_current_line(qtbot: QtBot, opened: Opened) -> None:
    first, second = opened.budget[0], opened.budget[1]
    click(opened, 0, UNIT_COST)

    key(qtbot, opened, Qt.Key.Key_Down, CTRL)

    assert [line.id for line in opened.budget[:2]] == [second.id, first.id]
    current = opened.editor.table.currentIndex()
    assert (current.row(), current.column()) == (1, UNIT_COST)
    assert opened.cell(1, NAME_COLUMN) == first.name
    assert opened.cell(1, 0) == "2"
    key(qtbot, opened, Qt.Key.Key_Down, CTRL)
    assert opened.budget[2].id == first.id
    assert [line.id for line in opened.saved().budget[:3]] == [
        second.id,
        opened.budget[1].id,
        first.id,
    ]

    key(qtbot, opened, Qt.Key.Key_Up, CTRL)
    key(qtbot, opened, Qt.Key.Key_Up, CTRL)
    assert opened.budget[0].id == first.id
    key(qtbot, opened, Qt.Key.Key_Up, CTRL)  # already first: nothing happens
    assert opened.budget[0].id == first.id


PASTED = (
    "\t1\tMateriały i artykuły\tMąka i jaja\tkomplet\t45,50\t6\t273,00\t273,00\t\t\t\t\n"
    "\t2\twynajem\tNamiot na konkurs\tdzień\t400\t1\t\t300,00\t100,00\t\t\t\n"
    "\t\tKoszty administracyjne: księgowość, koordynacja, opłaty bankowe\tZnaczki pocztowe"
    "\tkomplet\t\t\t1 234,50 zł\t\t\t\t\t\n"
)


def test_ctrl_v_pastes_three_spreadsheet_lines_as_one_undo_step(
    qtbot: QtBot, opened: Opened
) -> None:
    QApplication.clipboard().setText(PASTED)
    click(opened, 0, NAME_COLUMN)
    steps = opened.undo.count()

    key(qtbot, opened, Qt.Key.Key_V, CTRL)

    assert len(opened.budget) == 19
    assert opened.undo.count() == steps + 1
    flour, tent, stamps = opened.budget[1:4]
    actions = opened.session.application.actions
    assert (flour.name, flour.action_id, flour.category_id) == (
        "Mąka i jaja",
        actions[0].id,
        "materialy",
    )
    assert (flour.unit_cost, flour.quantity, flour.grant) == (
        Decimal("45.50"),
        Decimal(6),
        Decimal("273.00"),
    )
    assert (tent.grant, tent.own_financial, tent.category_id) == (
        Decimal(300),
        Decimal(100),
        "wynajem",
    )
    # Only a total and no split: one unit, all of it from the grant.
    assert (stamps.unit_cost, stamps.quantity, stamps.grant) == (
        Decimal("1234.50"),
        Decimal(1),
        Decimal("1234.50"),
    )
    assert stamps.action_id is None
    assert opened.cell(3, TOTAL_COLUMN) == "1 234,50"
    assert "Wklejono koszty 2–4" in opened.editor.status.text()

    key(qtbot, opened, Qt.Key.Key_Z, CTRL)
    assert len(opened.budget) == 16
    assert opened.editor.model.rowCount() == 16


def test_a_paste_with_a_bad_cell_adds_nothing(qtbot: QtBot, opened: Opened) -> None:
    QApplication.clipboard().setText(PASTED.replace("\t400\t", "\tczterysta\t"))
    before = opened.budget
    click(opened, 0, NAME_COLUMN)
    key(qtbot, opened, Qt.Key.Key_V, CTRL)
    assert opened.budget is before
    message = opened.editor.status.text()
    assert "Wiersz 2" in message
    assert "Koszt jednostkowy" in message


def test_ctrl_c_then_ctrl_v_copies_lines(qtbot: QtBot, opened: Opened) -> None:
    click(opened, 9, 0)  # Stroje ludowe, split between grant and own funds
    key(qtbot, opened, Qt.Key.Key_C, CTRL)
    key(qtbot, opened, Qt.Key.Key_V, CTRL)
    copy = opened.budget[10]
    original = opened.budget[9]
    assert copy.id != original.id
    assert same_lines([copy], [original])


# --- files ---------------------------------------------------------------------------------


def same_lines(
    first: list[BudgetLine] | tuple[BudgetLine, ...],
    second: list[BudgetLine] | tuple[BudgetLine, ...],
) -> bool:
    """Equal in every field but the id (amounts compared to the grosz)."""
    names = [field.name for field in fields(BudgetLine) if field.name != "id"]
    return [[getattr(line, name) for name in names] for line in first] == [
        [getattr(line, name) for name in names] for line in second
    ]


def test_csv_export_then_import_gives_the_same_budget(
    qtbot: QtBot, opened: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kosztorys.csv"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *args, **kwargs: (str(target), "")
    )
    QTest.mouseClick(opened.editor.buttons["export"], Qt.MouseButton.LeftButton)

    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Lp.;Działanie;Kategoria;Rodzaj kosztu;")
    assert (
        "10;4;Zakup sprzętu i wyposażenia;Stroje ludowe dla członkiń koła;szt.;650,00;12;"
        "7800,00;7000,00;800,00;0,00;0,00;0,00" in text
    )
    assert str(target) in opened.editor.status.text()

    imported = budget_csv.import_csv(target, opened.session.application, opened.session.call)
    assert same_lines(imported, opened.budget)

    # And through the editor: replacing the budget with the file is one Ctrl+Z.
    original = opened.budget
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(target), "")
    )
    monkeypatch.setattr(opened.editor, "_ask_import_mode", lambda count: "replace")
    QTest.mouseClick(opened.editor.buttons["import"], Qt.MouseButton.LeftButton)
    assert same_lines(opened.budget, original)
    assert not {line.id for line in opened.budget} & {line.id for line in original}
    assert opened.saved().budget == opened.budget

    key(qtbot, opened, Qt.Key.Key_Z, CTRL)
    assert opened.budget == original


def test_a_bad_csv_row_is_refused_naming_row_and_column(
    qtbot: QtBot, opened: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "zly.csv"
    path.write_text(
        "Lp.;Działanie;Kategoria;Rodzaj kosztu;Jednostka;Koszt jednostkowy;Liczba jednostek\n"
        "1;1;materialy;Mąka;kg;3,50;20\n"
        "2;1;materialy;Cukier;kg;4,20;10\n"
        "3;2;materialy;Masło;kg;dwanaście;5\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as refused:
        budget_csv.import_csv(path, opened.session.application, opened.session.call)
    assert refused.value.params["row"] == 4
    assert refused.value.params["column"] == "Koszt jednostkowy"

    before, steps = opened.budget, opened.undo.count()
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(path), "")
    )
    QTest.mouseClick(opened.editor.buttons["import"], Qt.MouseButton.LeftButton)
    message = opened.editor.status.text()
    assert "Wiersz 4" in message
    assert "„Koszt jednostkowy”" in message
    assert "Nic nie zaimportowano" in message
    assert opened.budget is before
    assert opened.undo.count() == steps
    assert opened.saved().budget == before


def test_csv_import_reads_other_spreadsheet_habits(opened: Opened, tmp_path: Path) -> None:
    application, call = opened.session.application, opened.session.call
    # Comma-separated, plain amounts, no header, saved by Excel in Windows-1250.
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "1,3,Promocja i druk,Plakaty „Dyktando”,szt.,2.50,40,100.00,,,,,\r\n"
        "2,,administracja,Opłaty bankowe,mies.,15,5,,,75.00,,,\r\n".encode("cp1250")
    )
    posters, fees = budget_csv.import_csv(path, application, call)
    assert (posters.name, posters.action_id, posters.category_id) == (
        "Plakaty „Dyktando”",
        application.actions[2].id,
        "promocja",
    )
    assert (posters.unit_cost, posters.quantity, posters.grant) == (
        Decimal("2.50"),
        Decimal(40),
        Decimal("100.00"),
    )
    assert (fees.grant, fees.own_financial, fees.action_id) == (Decimal(0), Decimal("75.00"), None)

    for text, row, column in (
        ("Lp.;Działanie;Kategoria\n1;7;materialy\n", 2, "Działanie"),
        ("1;1;Paliwo;Benzyna;l;6,50;10\n", 1, "Kategoria"),
        ("1;1;materialy;Mąka;kg;3,50;-2\n", 1, "Liczba jednostek"),
    ):
        with pytest.raises(UserError) as refused:
            budget_csv.parse_rows(text, application, call)
        assert (refused.value.params["row"], refused.value.params["column"]) == (row, column)


# --- going to a finding, read-only, autosave --------------------------------------------------


def test_focus_field_selects_the_cell_a_finding_names(qtbot: QtBot, opened: Opened) -> None:
    opened.editor.buttons["add"].setFocus()
    assert opened.editor.focus_field("application.budget[3].unit_cost")
    current = opened.editor.table.currentIndex()
    assert (current.row(), current.column()) == (2, UNIT_COST)
    qtbot.waitUntil(opened.editor.table.hasFocus)

    assert opened.editor.focus_field("application.budget[16].grant")
    assert opened.editor.table.currentIndex().row() == 15
    assert opened.editor.focus_field("application.budget")
    assert not opened.editor.focus_field("application.title")
    assert not opened.editor.focus_field("application.actions[1].name")
    assert not opened.editor.focus_field("application.budget[40].name")


def test_a_sent_application_is_read_only(qtbot: QtBot, tmp_path: Path, clock: str) -> None:
    folder = tmp_path / "dane"
    workspace = Workspace.open(folder)
    ids = workspace.create_demo()
    workspace.store.set_status(ids.application_id, ApplicationStatus.SENT)
    editor, session, undo, writer = open_editor(qtbot, folder, workspace, ids.application_id)
    try:
        before = session.application.budget
        assert not editor.buttons["add"].isEnabled()
        assert editor.buttons["export"].isEnabled()
        assert "tylko przeglądać" in editor.status.text()
        table = editor.table
        center = table.visualRect(editor.model.index(0, UNIT_COST)).center()
        QTest.mouseDClick(
            table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, center
        )
        assert not [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
        QTest.keyClick(table, Qt.Key.Key_Insert)
        QTest.keyClick(table, Qt.Key.Key_Delete, CTRL)
        assert session.application.budget is before
        assert undo.count() == 0
    finally:
        writer.close()
        workspace.close()


def test_autosave_wrote_what_the_editor_shows(qtbot: QtBot, opened: Opened) -> None:
    type_into(qtbot, opened, 3, QUANTITY, "50")
    type_into(qtbot, opened, 5, NAME_COLUMN, "Honorarium jurorki – Żaneta Ślązak")
    click(opened, 5, NAME_COLUMN)
    key(qtbot, opened, Qt.Key.Key_Insert)
    key(qtbot, opened, Qt.Key.Key_Down, CTRL)
    QApplication.clipboard().setText(PASTED)
    key(qtbot, opened, Qt.Key.Key_V, CTRL)
    click(opened, 0, 0)
    key(qtbot, opened, Qt.Key.Key_Delete)

    saved = opened.saved()
    assert saved.budget == opened.budget
    assert len(saved.budget) == 19
    assert saved.budget[4].name == "Honorarium jurorki – Żaneta Ślązak"
