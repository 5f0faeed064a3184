"""Nothing typed is lost, with the timing of a real person.

Every kind of field (line, paragraph, date, amount, table cell, combo) in the
application, the organisation's profile and the report is typed into, then the
person pauses and clicks elsewhere; types and leaves at once; types while a
save is still running; pauses and closes the window. After each, the store is
opened afresh (a new connection to the file, as the next start of the program)
and must hold what was typed, and the status bar must not say "saved" before
it does.

The matrix shortens the typing pause (``unsaved.TYPING_PAUSE_MS``) to keep the
suite quick, always waiting in real time longer than it; the tests below it
keep the program's own pause and wait two seconds, as a person does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from autosave_support import (
    SAVED,
    SAVING,
    click_elsewhere,
    fresh,
    open_application,
    open_profile,
    open_report,
    open_window,
    pause,
    wait_saved,
    writer_busy,
)
from keyboard import click, click_cell, focused, key, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from mms_desktop import i18n
from mms_desktop.domain.report import ActionOutcome
from mms_desktop.services import reports
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.ui import unsaved
from mms_desktop.ui.budget_editor import COLUMN_OF_FIELD
from mms_desktop.ui.fields import DateField
from mms_desktop.ui.main_window import MainWindow

SHORT_PAUSE_MS = 100  # the typing pause in the matrix
PERSON_PAUSE_MS = 300  # a person's pause there: longer than the typing pause
CTRL = Qt.KeyboardModifier.ControlModifier


# --- the demo folder, made once and copied for each test --------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoIds]:
    from conftest import PINNED_NOW

    from mms_desktop.services.workspace import ENV_CLOCK

    folder = tmp_path_factory.mktemp("demo") / "dane"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_CLOCK, PINNED_NOW)
        with Workspace.open(folder) as workspace:
            ids = workspace.create_demo()
    return folder, ids


@pytest.fixture
def demo(demo_template: tuple[Path, DemoIds], tmp_path: Path, clock: str) -> tuple[Path, DemoIds]:
    template, ids = demo_template
    folder = tmp_path / "dane"
    shutil.copytree(template, folder)
    return folder, ids


@pytest.fixture
def short_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unsaved, "TYPING_PAUSE_MS", SHORT_PAUSE_MS)


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        if window.isVisible():
            window.close()


# --- the fields, each with how a person reaches it and what the store then holds ---------


@dataclass(frozen=True)
class Field:
    id: str
    open: Callable[[QtBot, MainWindow, DemoIds], QWidget]  # the editor, on the right page
    start: Callable[[QWidget], None]  # the cursor in the field (a cell: its editor open)
    type_step: Callable[[int], Any]  # types into the focused widget; what must be stored
    stored: Callable[[Workspace, DemoIds], Any]
    waits: bool = True  # typing waits for a pause (False: a pick saved at once)
    stays_open: bool = True  # the field keeps the cursor after typing


def select_all() -> None:
    key(focused(), Qt.Key.Key_A, CTRL)


def replace_with(text: str, value: Any = None) -> Any:
    select_all()
    type_text(text)
    return text if value is None else value


def form_field(name: str) -> Callable[[QWidget], None]:
    def start(editor: QWidget) -> None:
        widget = editor.findChild(QWidget, name)
        assert widget is not None, name
        if isinstance(widget, QPlainTextEdit):
            click(widget.viewport())
        elif isinstance(widget, DateField):
            click(widget.edit)
        else:
            click(widget)

    return start


def profile_field(path: str) -> Callable[[QWidget], None]:
    def start(editor: QWidget) -> None:
        control = editor.control(path)  # type: ignore[attr-defined]
        assert control is not None, path
        if isinstance(control, QComboBox):
            line = control.lineEdit()
            assert line is not None
            click(line)
        else:
            click(control)

    return start


def cell(table: Callable[[QWidget], Any], row: int, column: int) -> Callable[[QWidget], None]:
    """Click the cell, F2: its editor opens with the cursor in it."""

    def start(editor: QWidget) -> None:
        view = table(editor)
        click_cell(view, row, column)
        key(view, Qt.Key.Key_F2)
        assert QApplication.focusWidget() is not view, "the cell's editor did not open"

    return start


def next_choice(_step: int) -> Any:
    """A choice moved with the arrow keys in the focused combo."""
    combo = focused()
    assert isinstance(combo, QComboBox)
    down = combo.currentIndex() < combo.count() - 1
    key(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)
    return combo.itemData(combo.currentIndex())


def text_steps(prefix: str) -> Callable[[int], Any]:
    return lambda step: replace_with(f"{prefix} – krok {step}, żółć")


def amount_steps(step: int) -> Any:
    return replace_with(f"1{step}34,5{step}", Decimal(f"1{step}34.5{step}"))


def date_steps(step: int) -> Any:
    return replace_with(f"0{step}.08.2027", date(2027, 8, step))


VOIVODESHIPS = ("pomorskie", "opolskie", "lubuskie", "śląskie", "podlaskie", "łódzkie")


def application(ws: Workspace, ids: DemoIds) -> Any:
    return ws.application(ids.application_id)


def organization(ws: Workspace, ids: DemoIds) -> Any:
    return ws.organization(ids.organization_id)


def report(ws: Workspace, ids: DemoIds) -> Any:
    return reports.load(ws, ids.report_id)


def app_page(section: str) -> Callable[[QtBot, MainWindow, DemoIds], QWidget]:
    return lambda qtbot, window, ids: open_application(qtbot, window, ids, section)


def report_page(section: str) -> Callable[[QtBot, MainWindow, DemoIds], QWidget]:
    return lambda qtbot, window, ids: open_report(qtbot, window, ids, section)


def profile_page(qtbot: QtBot, window: MainWindow, _ids: DemoIds) -> QWidget:
    return open_profile(qtbot, window)


def first_attachment_description(editor: QWidget) -> None:
    description = next(
        edit
        for edit in editor.findChildren(QLineEdit)  # type: ignore[attr-defined]
        if edit.objectName().startswith("description_")
    )
    click(description)


FIELDS = [
    # the application
    Field(
        "application-line",
        app_page("basic"),
        form_field("title"),
        text_steps("Tytuł"),
        lambda ws, ids: application(ws, ids).title,
    ),
    Field(
        "application-paragraph",
        app_page("task"),
        form_field("summary"),
        text_steps("Opis"),
        lambda ws, ids: application(ws, ids).summary,
    ),
    Field(
        "application-date",
        app_page("task"),
        form_field("start_date"),
        date_steps,
        lambda ws, ids: application(ws, ids).start_date,
    ),
    Field(
        "application-table-cell",
        app_page("actions"),
        cell(lambda editor: editor.actions_editor.table, 0, 1),
        text_steps("Działanie"),
        lambda ws, ids: application(ws, ids).actions[0].name,
    ),
    Field(
        "application-amount",
        app_page("budget"),
        cell(lambda editor: editor.budget_editor.table, 0, COLUMN_OF_FIELD["unit_cost"]),
        amount_steps,
        lambda ws, ids: application(ws, ids).budget[0].unit_cost,
    ),
    Field(
        "application-combo",
        app_page("budget"),
        cell(lambda editor: editor.budget_editor.table, 0, COLUMN_OF_FIELD["category_id"]),
        next_choice,
        lambda ws, ids: application(ws, ids).budget[0].category_id,
    ),
    # the organisation's profile (it has no paragraph and no date)
    Field(
        "profile-line",
        profile_page,
        profile_field("organization.gmina"),
        text_steps("Gmina"),
        lambda ws, ids: organization(ws, ids).gmina,
    ),
    Field(
        "profile-amount",
        profile_page,
        cell(lambda editor: editor.control("organization.revenues"), 0, 1),
        amount_steps,
        lambda ws, ids: organization(ws, ids).revenues[0].amount,
    ),
    Field(
        "profile-table-cell",
        profile_page,
        cell(lambda editor: editor.control("organization.representatives"), 0, 0),
        text_steps("Osoba"),
        lambda ws, ids: organization(ws, ids).representatives[0].name,
    ),
    Field(
        "profile-combo",
        profile_page,
        profile_field("organization.voivodeship"),
        lambda step: replace_with(VOIVODESHIPS[step]),
        lambda ws, ids: organization(ws, ids).voivodeship,
    ),
    # the report
    Field(
        "report-line",
        report_page("attachments"),
        first_attachment_description,
        text_steps("Zdjęcie"),
        lambda ws, ids: report(ws, ids).attachments[0].description,
    ),
    Field(
        "report-paragraph",
        report_page("basic"),
        form_field("report.summary"),
        text_steps("Sprawozdanie"),
        lambda ws, ids: report(ws, ids).summary,
    ),
    Field(
        "report-date",
        report_page("basic"),
        form_field("report.period_start"),
        date_steps,
        lambda ws, ids: report(ws, ids).period_start,
    ),
    Field(
        "report-table-cell",
        report_page("documents"),
        cell(lambda editor: editor.row_editors["documents"].table, 0, 1),
        text_steps("FV"),
        lambda ws, ids: report(ws, ids).documents[0].number,
    ),
    Field(
        "report-amount",
        report_page("documents"),
        cell(lambda editor: editor.row_editors["documents"].table, 0, 5),
        amount_steps,
        lambda ws, ids: report(ws, ids).documents[0].amount,
    ),
    Field(
        "report-combo",
        report_page("actions"),
        cell(lambda editor: editor.row_editors["actions"].table, 0, 4),
        next_choice,
        lambda ws, ids: report(ws, ids).actions[0].outcome,
        waits=False,  # a pick in this combo is final: saved and closed at once
        stays_open=False,
    ),
]


def stored(field: Field, folder: Path, ids: DemoIds) -> Any:
    with fresh(folder) as workspace:
        return field.stored(workspace, ids)


@pytest.mark.parametrize("field", FIELDS, ids=[field.id for field in FIELDS])
def test_what_is_typed_is_stored_however_the_person_goes_on(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow], short_pause: None, field
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = field.open(qtbot, window, ids)

    def enter(step: int, again: bool = False) -> Any:
        if not (again and field.stays_open):
            field.start(editor)
        return field.type_step(step)

    # Type, pause, click elsewhere: saved during the pause, before the person moves on.
    expected = enter(1)
    if field.waits:
        assert window.save_status.text() == SAVING  # not "saved" while it waits
    pause(qtbot, PERSON_PAUSE_MS)
    wait_saved(qtbot, window)
    assert stored(field, folder, ids) == expected
    click_elsewhere(window)
    wait_saved(qtbot, window)
    assert stored(field, folder, ids) == expected

    # Type and leave at once.
    expected = enter(2)
    click_elsewhere(window)
    wait_saved(qtbot, window)
    assert stored(field, folder, ids) == expected

    # Type while a long save runs: the pause queues the save behind it, the
    # person types on, leaves; all of it lands, the latest text last.
    with writer_busy(window) as finish:
        enter(3)
        pause(qtbot, PERSON_PAUSE_MS)
        expected = enter(4, again=True)
        pause(qtbot, PERSON_PAUSE_MS)
        click_elsewhere(window)
        assert window.save_status.text() == SAVING
        finish()
    wait_saved(qtbot, window)
    assert stored(field, folder, ids) == expected

    # Type, pause, close the window.
    expected = enter(5)
    pause(qtbot, PERSON_PAUSE_MS)
    window.close()
    assert stored(field, folder, ids) == expected
    assert unsaved.waiting(window) == []


# --- with the program's own pause, and a person's two seconds ---------------------------

TWO_SECONDS = 2000


def test_a_title_is_saved_during_a_two_second_pause_and_after_clicking_elsewhere(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_application(qtbot, window, ids, "basic")
    title = editor.findChild(QLineEdit, "title")
    assert title is not None
    click(title)
    key(title, Qt.Key.Key_End)
    type_text(" – i warsztaty")
    assert window.save_status.text() == SAVING
    pause(qtbot, TWO_SECONDS)
    assert window.save_status.text() == SAVED
    with fresh(folder) as workspace:
        assert workspace.application(ids.application_id).title.endswith(" – i warsztaty")
    click_elsewhere(window)
    wait_saved(qtbot, window)
    with fresh(folder) as workspace:
        assert workspace.application(ids.application_id).title == title.text()


def test_a_gmina_typed_then_a_two_second_pause_then_closing_is_kept(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    profile = open_profile(qtbot, window)
    profile_field("organization.gmina")(profile)
    replace_with("Stryszawa")
    pause(qtbot, TWO_SECONDS)
    window.close()
    with fresh(folder) as workspace:
        assert workspace.organization(ids.organization_id).gmina == "Stryszawa"


def test_a_date_typed_then_a_two_second_pause_is_saved_and_tidied_only_on_leaving(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_application(qtbot, window, ids, "task")
    field = editor.findChild(DateField, "start_date")
    assert field is not None
    click(field.edit)
    replace_with("3.8.2027")
    pause(qtbot, TWO_SECONDS)
    assert window.save_status.text() == SAVED
    assert field.edit.text() == "3.8.2027"  # not rewritten under the cursor
    with fresh(folder) as workspace:
        assert workspace.application(ids.application_id).start_date == date(2027, 8, 3)
    window.close()
    assert field.edit.text() == "03.08.2027"  # tidied once the person left
    with fresh(folder) as workspace:
        assert workspace.application(ids.application_id).start_date == date(2027, 8, 3)


def test_a_table_cell_is_saved_during_a_pause_with_its_editor_still_open(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_application(qtbot, window, ids, "actions")
    table = editor.actions_editor.table
    cell(lambda _editor: table, 1, 1)(editor)
    cell_editor = focused()
    assert isinstance(cell_editor, QLineEdit)
    key(cell_editor, Qt.Key.Key_Home)
    type_text("Próby: ")
    pause(qtbot, TWO_SECONDS)
    assert window.save_status.text() == SAVED
    assert focused() is cell_editor and cell_editor.cursorPosition() == len("Próby: ")
    with fresh(folder) as workspace:
        assert workspace.application(ids.application_id).actions[1].name.startswith("Próby: ")
    type_text("wieczorne ")  # the cursor stayed where the person left it
    window.close()
    with fresh(folder) as workspace:
        name = workspace.application(ids.application_id).actions[1].name
    assert name.startswith("Próby: wieczorne ")


def test_typing_during_a_long_save_with_two_second_pauses_loses_nothing(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_report(qtbot, window, ids, "basic")
    summary = editor.findChild(QPlainTextEdit, "report.summary")
    assert summary is not None
    with writer_busy(window) as finish:
        click(summary.viewport())
        key(summary, Qt.Key.Key_End, CTRL)
        type_text(" Przyszło 140 osób.")
        pause(qtbot, TWO_SECONDS)  # its save waits behind the long one
        assert window.save_status.text() == SAVING
        type_text(" Goście z Żywca.")
        pause(qtbot, TWO_SECONDS)
        assert window.save_status.text() == SAVING
        finish()
    wait_saved(qtbot, window)
    with fresh(folder) as workspace:
        assert reports.load(workspace, ids.report_id).summary == summary.toPlainText()
    assert summary.toPlainText().endswith(" Przyszło 140 osób. Goście z Żywca.")


# --- undo, refusals, picks ------------------------------------------------------------


def test_typing_with_a_pause_in_the_middle_is_one_undo_step_from_the_field(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_application(qtbot, window, ids, "task")
    place = editor.findChild(QLineEdit, "place")
    assert place is not None
    before = place.text()
    click(place)
    key(place, Qt.Key.Key_End)
    type_text(", sala")
    pause(qtbot, 700)  # longer than the program's pause: saved in between
    type_text(" na piętrze")
    key(place, Qt.Key.Key_Z, CTRL)  # with the cursor still in the field
    assert place.text() == before
    wait_saved(qtbot, window)
    with fresh(folder) as workspace:
        assert workspace.application(ids.application_id).place == before
    key(place, Qt.Key.Key_Y, CTRL)
    assert place.text() == before + ", sala na piętrze"


def test_a_date_that_is_not_one_is_never_shown_as_saved(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow], short_pause: None
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_application(qtbot, window, ids, "task")
    field = editor.findChild(DateField, "end_date")
    assert field is not None
    with fresh(folder) as workspace:
        before = workspace.application(ids.application_id).end_date
    click(field.edit)
    replace_with("31.02.2027")
    pause(qtbot, PERSON_PAUSE_MS)
    assert window.save_status.text() == i18n.tr("ui.status.unsaved_input")
    assert field.edit.toolTip() == i18n.tr("ui.date.invalid")
    click_elsewhere(window)
    assert window.save_status.text() == i18n.tr("ui.status.unsaved_input")
    click(field.edit)
    replace_with("28.02.2028")
    pause(qtbot, PERSON_PAUSE_MS)
    wait_saved(qtbot, window)
    with fresh(folder) as workspace:
        after = workspace.application(ids.application_id).end_date
    assert before != after == date(2028, 2, 28)


def test_a_voivodeship_picked_with_the_arrow_keys_is_saved(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    profile = open_profile(qtbot, window)
    combo = profile.control("organization.voivodeship")
    assert isinstance(combo, QComboBox)
    profile_field("organization.voivodeship")(profile)
    key(focused(), Qt.Key.Key_Down)  # a pick from the list, not typing
    picked = combo.currentText()
    assert picked and picked != "małopolskie"
    wait_saved(qtbot, window)
    with fresh(folder) as workspace:
        assert workspace.organization(ids.organization_id).voivodeship == picked


def test_an_outcome_picked_in_a_report_cell_is_an_enum_in_the_store(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    """The report's combo matrix case compares choices: make sure they are real ones."""
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_report(qtbot, window, ids, "actions")
    cell(lambda e: e.row_editors["actions"].table, 0, 4)(editor)
    picked = next_choice(1)
    wait_saved(qtbot, window)
    with fresh(folder) as workspace:
        outcome = reports.load(workspace, ids.report_id).actions[0].outcome
    assert outcome == picked and (outcome is None or isinstance(outcome, ActionOutcome))
