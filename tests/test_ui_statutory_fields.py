"""The form's new fields in the window, typed as a person types them.

Each text is typed with a person's pauses (one in the middle of a word, longer
than the program's own pause), then the person waits two seconds and closes
the window; the store, opened afresh as the next start would, holds every
character. The choices start on "— wybierz —" and are never made for the
person. The per-year split appears only for a task over two calendar years. An
application file whose organisation is here with other data says so in the
window, in the same words as on the command line.
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
    click_elsewhere,
    fresh,
    open_application,
    open_profile,
    open_report,
    open_window,
    pause,
    wait_saved,
)
from keyboard import click, click_cell, focused, key, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mms_desktop.domain.application import Arrears, YearValue
from mms_desktop.domain.public_task_spheres import SPHERES
from mms_desktop.i18n import format_number
from mms_desktop.services import reports
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.ui import unsaved
from mms_desktop.ui.fields import DateField
from mms_desktop.ui.main_window import MainWindow

PERSON_PAUSE_MS = 700  # a person stops mid-word: longer than the program's pause
TWO_SECONDS = 2000
CTRL = Qt.KeyboardModifier.ControlModifier


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
def windows(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        if window.isVisible():
            window.close()


def typed_like_a_person(qtbot: QtBot, first: str, second: str) -> str:
    """Select what is there, type the first part, stop to think, type the rest."""
    key(focused(), Qt.Key.Key_A, CTRL)
    type_text(first)
    pause(qtbot, PERSON_PAUSE_MS)
    type_text(second)
    return first + second


# --- each new text: typed with pauses, two seconds, the window closed -------------------


@dataclass(frozen=True)
class Text:
    id: str
    open: Callable[[QtBot, MainWindow, DemoIds], QWidget]
    start: Callable[[QWidget], None]
    stored: Callable[[Workspace, DemoIds], Any]


def in_form(name: str) -> Callable[[QWidget], None]:
    def start(editor: QWidget) -> None:
        widget = editor.findChild(QWidget, name)
        assert widget is not None, name
        click(widget.viewport() if hasattr(widget, "viewport") else widget)

    return start


def in_profile(path: str) -> Callable[[QWidget], None]:
    def start(editor: QWidget) -> None:
        control = editor.control(path)  # type: ignore[attr-defined]
        assert control is not None, path
        click(control)

    return start


def in_cell(column: int) -> Callable[[QWidget], None]:
    def start(editor: QWidget) -> None:
        table = editor.actions_editor.table  # type: ignore[attr-defined]
        click_cell(table, 0, column)
        key(table, Qt.Key.Key_F2)
        assert QApplication.focusWidget() is not table

    return start


def app_page(section: str) -> Callable[[QtBot, MainWindow, DemoIds], QWidget]:
    return lambda qtbot, window, ids: open_application(qtbot, window, ids, section)


def report_page(section: str) -> Callable[[QtBot, MainWindow, DemoIds], QWidget]:
    return lambda qtbot, window, ids: open_report(qtbot, window, ids, section)


TEXTS = [
    Text(
        "application-results-change",
        app_page("results"),
        in_form("results_change"),
        lambda ws, ids: ws.application(ids.application_id).results_change,
    ),
    Text(
        "application-results-durability",
        app_page("results"),
        in_form("results_durability"),
        lambda ws, ids: ws.application(ids.application_id).results_durability,
    ),
    Text(
        "application-joint-offer-roles",
        app_page("other"),
        in_form("joint_offer_roles"),
        lambda ws, ids: ws.application(ids.application_id).joint_offer_roles,
    ),
    Text(
        "application-third-party-scope",
        app_page("actions"),
        in_cell(6),
        lambda ws, ids: ws.application(ids.application_id).actions[0].third_party_scope,
    ),
    Text(
        "profile-correspondence-address",
        lambda qtbot, window, ids: open_profile(qtbot, window),
        in_profile("organization.correspondence_address"),
        lambda ws, ids: ws.organization(ids.organization_id).correspondence_address,
    ),
    Text(
        "report-contract-number",
        report_page("basic"),
        in_form("report.contract_number"),
        lambda ws, ids: reports.load(ws, ids.report_id).contract_number,
    ),
    Text(
        "report-other-revenues",
        report_page("other"),
        in_form("report.other_revenues"),
        lambda ws, ids: reports.load(ws, ids.report_id).other_revenues,
    ),
    Text(
        "report-recipient-payments",
        report_page("other"),
        in_form("report.recipient_payments"),
        lambda ws, ids: reports.load(ws, ids.report_id).recipient_payments,
    ),
]


@pytest.mark.parametrize("field", TEXTS, ids=[field.id for field in TEXTS])
def test_a_new_text_typed_with_pauses_survives_closing_the_window(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow], field: Text
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = field.open(qtbot, window, ids)
    field.start(editor)
    expected = typed_like_a_person(qtbot, "Skrytka poczt", "owa 12 – żółć, „cudzysłów”")
    pause(qtbot, TWO_SECONDS)
    window.close()
    with fresh(folder) as workspace:
        assert field.stored(workspace, ids) == expected
    assert unsaved.waiting(window) == []


def test_the_contract_date_typed_with_a_pause_is_kept_when_the_window_closes(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_report(qtbot, window, ids, "basic")
    field = editor.findChild(DateField, "report.contract_date")
    assert isinstance(field, DateField)
    click(field.edit)
    typed_like_a_person(qtbot, "03.06", ".2027")
    pause(qtbot, TWO_SECONDS)
    window.close()
    with fresh(folder) as workspace:
        assert reports.load(workspace, ids.report_id).contract_date == date(2027, 6, 3)


# --- the choices: nothing chosen for the person -------------------------------------------


def test_choices_start_empty_and_keep_what_the_person_picked(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    with Workspace.open(folder) as workspace:
        workspace.store.update_application(
            ids.application_id,
            task_sphere="",
            tax_arrears=Arrears.UNSET,
            social_insurance_arrears=Arrears.UNSET,
        )
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_application(qtbot, window, ids, "basic")
    sphere = editor.findChild(QComboBox, "task_sphere")
    assert isinstance(sphere, QComboBox)
    assert sphere.currentText() == "— wybierz —"
    assert sphere.count() == 1 + len(SPHERES)  # the empty choice, the points of art. 4(1)
    assert sphere.itemText(1).startswith("1) pomocy społecznej")
    editor.refresh_findings()
    assert "TASK_SPHERE_MISSING" in editor.findings.codes()

    sphere.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(sphere.findData("13")):
        key(sphere, Qt.Key.Key_Down)
    assert sphere.currentText() == (
        "13) działalności wspomagającej rozwój wspólnot i społeczności lokalnych"
    )
    click_elsewhere(window)
    wait_saved(qtbot, window)

    from autosave_support import go_to_section

    go_to_section(editor, "declarations")
    tax = editor.findChild(QComboBox, "tax_arrears")
    social = editor.findChild(QComboBox, "social_insurance_arrears")
    assert isinstance(tax, QComboBox) and isinstance(social, QComboBox)
    assert (tax.currentText(), social.currentText()) == ("— wybierz —", "— wybierz —")
    tax.setFocus(Qt.FocusReason.TabFocusReason)
    key(tax, Qt.Key.Key_Down)  # nie zalega
    key(tax, Qt.Key.Key_Down)  # zalega: a person may have to say so
    editor.refresh_findings()
    codes = editor.findings.codes()
    assert "TAX_ARREARS_NOT_DECLARED" not in codes
    assert "SOCIAL_INSURANCE_ARREARS_NOT_DECLARED" in codes
    pause(qtbot, TWO_SECONDS)
    window.close()
    with fresh(folder) as workspace:
        stored = workspace.application(ids.application_id)
    assert stored.task_sphere == "13"
    assert stored.tax_arrears is Arrears.SOME
    assert stored.social_insurance_arrears is Arrears.UNSET

    again = open_window(qtbot, folder)
    windows.append(again)
    editor = open_application(qtbot, again, ids, "declarations")
    tax = editor.findChild(QComboBox, "tax_arrears")
    assert isinstance(tax, QComboBox)
    assert tax.currentText() == (
        "oferent zalega z opłacaniem należności z tytułu zobowiązań podatkowych"
    )


# --- per-year values for a task over two calendar years ------------------------------


def test_a_task_into_the_next_year_asks_for_each_lines_yearly_values(
    qtbot: QtBot, demo: tuple[Path, DemoIds], windows: list[MainWindow]
) -> None:
    folder, ids = demo
    window = open_window(qtbot, folder)
    windows.append(window)
    editor = open_application(qtbot, window, ids, "budget")
    panel = editor.year_values
    assert not panel.isVisible()  # a task within one year: the form has no such columns

    from autosave_support import go_to_section

    go_to_section(editor, "task")
    end = editor.findChild(DateField, "end_date")
    assert isinstance(end, DateField)
    click(end.edit)
    key(end.edit, Qt.Key.Key_A, CTRL)
    type_text("28.02.2028")
    key(end.edit, Qt.Key.Key_Tab)
    wait_saved(qtbot, window)
    go_to_section(editor, "budget")
    qtbot.waitUntil(panel.isVisible)
    model = panel.model
    assert [model.headerData(c, Qt.Orientation.Horizontal, 0) for c in (3, 4, 5)] == [
        "2027",
        "2028",
        "Do podziału",
    ]
    line = editor.session.application.budget[0]
    assert model.index(0, 5).data() == format_number(line.total)  # all of it still to split
    editor.refresh_findings()
    assert "YEAR_VALUES_MISSING" in editor.findings.codes()

    first = (line.total * Decimal("0.75")).quantize(Decimal("0.01"))
    rest = line.total - first
    for column, amount in ((3, first), (4, rest)):
        click_cell(panel.table, 0, column)
        key(panel.table, Qt.Key.Key_F2)
        edit = focused()
        assert isinstance(edit, QLineEdit)
        text = str(amount).replace(".", ",")
        type_text(text[:2])
        pause(qtbot, PERSON_PAUSE_MS)  # saved during the pause, the editor still open
        type_text(text[2:])
        pause(qtbot, TWO_SECONDS)
        key(edit, Qt.Key.Key_Return)
    assert model.index(0, 5).data() == "0,00"
    window.close()
    with fresh(folder) as workspace:
        stored = workspace.application(ids.application_id).budget[0]
    assert stored.year_values == (YearValue(2027, first), YearValue(2028, rest))


# --- the window's import says what the command line says ------------------------------


def test_the_windows_import_tells_of_a_second_profile_kept(
    qtbot: QtBot,
    demo: tuple[Path, DemoIds],
    windows: list[MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_cli: Any,
) -> None:
    folder, ids = demo
    other = tmp_path / "laptop-skarbniczki"
    shutil.copytree(folder, other)
    with Workspace.open(other) as workspace:
        workspace.store.update_organization(ids.organization_id, phone="+48 33 555 55 55")
    sent = tmp_path / "wniosek od skarbniczki.json"
    assert run_cli("export-json", ids.application_id, "--out", sent, data_dir=other)[0] == 0
    # The command line, on a copy of this laptop's folder: the words to expect.
    copy = tmp_path / "kopia"
    shutil.copytree(folder, copy)
    code, _out, said_by_cli = run_cli("import-json", sent, data_dir=copy)
    assert code == 0 and "ale plik ma inne jej dane" in said_by_cli

    window = open_window(qtbot, folder)
    windows.append(window)
    shown: list[str] = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(sent), "")
    )
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text, *args: shown.append(text)
    )
    window.applications.import_file()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == [said_by_cli.strip()]
    assert "(z pliku wniosek od skarbniczki.json, 20.05.2027)" in shown[0]
    with fresh(folder) as workspace:
        phones = {
            workspace.organization(item.id).phone for item in workspace.store.list_organizations()
        }
    assert "+48 33 555 55 55" in phones and len(phones) == 2
