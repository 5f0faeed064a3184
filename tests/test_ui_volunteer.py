"""A volunteer's whole evening, through the real main window, by keyboard and mouse.

Create the organisation at the welcome, fill its profile, start an application
for a shipped call, fill every section, write a budget whose administrative
cost breaks the cap, see the finding, fix it, see the application become
ready; close the window and open it again: everything is there, as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from keyboard import (
    answer_dialog,
    click,
    click_cell,
    focused,
    key,
    replace_text,
    type_in_cell,
    type_text,
)
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mms_desktop.domain.application import Arrears, PaidExecution
from mms_desktop.domain.organization import LegalForm
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui import attachments_editor
from mms_desktop.ui.budget_editor import COLUMN_OF_FIELD
from mms_desktop.ui.main_window import MainWindow

TITLE = "Źródła smaku – warsztaty kulinarne dla trzech pokoleń"


def child(parent: QWidget, kind: type, name: str) -> QWidget:
    found = parent.findChild(kind, name)
    assert found is not None, name
    return found


def type_into(parent: QWidget, name: str, text: str) -> None:
    widget = child(parent, QWidget, name)
    if isinstance(widget, QPlainTextEdit):
        click(widget.viewport())
        type_text(text, widget)
        key(widget, Qt.Key.Key_Tab)
    else:
        edit = widget if isinstance(widget, QLineEdit) else widget.findChild(QLineEdit)
        assert isinstance(edit, QLineEdit), name
        replace_text(edit, text)


def pick(parent: QWidget, name: str, text_start: str) -> None:
    """A choice made with the arrow keys in a closed list; it starts on "— wybierz —"."""
    combo = child(parent, QComboBox, name)
    assert isinstance(combo, QComboBox)
    assert combo.currentText() == "— wybierz —"  # nothing chosen for the volunteer
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    target = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text_start))
    while combo.currentIndex() != target:
        key(combo, Qt.Key.Key_Down)


def settle(qtbot: QtBot, window: MainWindow) -> None:
    window.writer.flush()
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path, clock: str) -> Iterator[Callable[[], MainWindow]]:
    yield from windows_on(qtbot, tmp_path / "data")


def windows_on(qtbot: QtBot, data_dir: Path) -> Iterator[Callable[[], MainWindow]]:
    """Opens windows on ``data_dir`` as a person starts the program; closes them after."""
    windows: list[MainWindow] = []

    def open_() -> MainWindow:
        window = MainWindow(data_dir, ask_on_first_run=False)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        return window

    yield open_
    for window in windows:
        if window.isVisible():
            window.close()


def test_a_volunteer_writes_a_whole_application(
    qtbot: QtBot, open_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    window = open_window()

    # --- first run: the welcome creates the organisation -------------------------------
    def welcome(dialog: QWidget) -> None:
        name = child(dialog, QLineEdit, "welcome_name")
        click(name)
        type_text("Koło Gospodyń Wiejskich w Żabnie Górnym", name)
        click(child(dialog, QPushButton, "welcome_create"))
        # No legal form is assumed for her: the dialog asks for one.
        assert dialog.isVisible()
        assert "Wybierz formę prawną" in child(dialog, QLabel, "welcome_problem").text()
        legal_form = child(dialog, QComboBox, "welcome_legal_form")
        assert legal_form.hasFocus() and legal_form.currentIndex() == -1
        for _ in range(len(LegalForm)):
            if legal_form.currentData() == LegalForm.KGW:
                break
            key(legal_form, Qt.Key.Key_Down)
        assert legal_form.currentData() == LegalForm.KGW
        click(child(dialog, QPushButton, "welcome_create"))

    answer_dialog(welcome)
    window.welcome()
    qtbot.waitUntil(
        lambda: (
            window.organizations.editor is not None
            and window.pages.currentIndex() == window.ORGANIZATION
        )
    )
    profile = window.organizations.editor
    assert profile is not None
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for name, text in (
        ("organization.register_number", "0004567"),
        ("organization.nip", "7821700239"),
        ("organization.regon", "356304916"),
        ("organization.street", "ul. Źródlana 12"),
        ("organization.postcode", "34-212"),
        ("organization.locality", "Żabno Górne"),
        ("organization.locality_population", "820"),
        ("organization.bank_account", "94124015081111222233334444"),
        ("organization.contact.name", "Agnieszka Łoś"),
        ("organization.contact.phone", "600 123 456"),
    ):
        type_into(profile, name, text)
    revenues = child(profile, QTableView, "organization.revenues")
    add_year = next(
        b for b in revenues.parentWidget().findChildren(QPushButton) if b.text() == "Dodaj rok"
    )
    click(add_year)  # the cursor lands in the new year's amount
    type_text("18 450,50")
    key(focused(), Qt.Key.Key_Return)
    people = child(profile, QTableView, "organization.representatives")
    add_person = next(
        b for b in people.parentWidget().findChildren(QPushButton) if b.text() == "Dodaj osobę"
    )
    click(add_person)
    type_text("Grażyna Żółkiewska")
    key(focused(), Qt.Key.Key_Tab)
    type_text("Przewodnicząca")
    key(focused(), Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.organizations.session is not None
    assert window.organizations.session.findings() == []

    # --- a new application for the first shipped call ------------------------------------
    key(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    answer_dialog(lambda dialog: key(child(dialog, QListWidget, "calls_list"), Qt.Key.Key_Return))
    click(child(window.applications.home, QPushButton, "new_button"))
    qtbot.waitUntil(lambda: window.applications.editor is not None)
    editor = window.applications.editor
    assert editor is not None
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert editor.session.call.id == "mms-2027-p1-przyklad"
    sections = editor.sections

    def section(number: int) -> None:
        click_cell(sections, number, 0)
        assert editor.pages.currentIndex() == number

    section(0)
    type_into(editor, "title", TITLE)
    pick(editor, "task_sphere", "16) kultury, sztuki")
    section(2)
    type_into(editor, "start_date", "01.07.2027")
    type_into(editor, "end_date", "30.11.2027")
    type_into(editor, "place", "Świetlica wiejska w Żabnie Górnym")
    type_into(editor, "target_group", "Seniorki, rodziny z dziećmi i młodzież – 60 osób")
    type_into(
        editor,
        "summary",
        "Sześć warsztatów kulinarnych, na których najstarsze gospodynie uczą młodszych.",
    )
    type_into(editor, "need", "Brakuje spotkań pokoleń; przepisy babć giną.")

    # Plan and schedule: two actions typed into the table.
    section(3)
    actions = editor.actions_editor
    for row, (name, start, end) in enumerate(
        (
            ("Warsztaty kulinarne „Smaki dzieciństwa”", "10.07.2027", "25.09.2027"),
            ("Konkurs wypieków i poczęstunek", "04.10.2027", "04.10.2027"),
        )
    ):
        click(actions.add_button)
        type_in_cell(actions.table, row, 1, name)
        type_in_cell(actions.table, row, 4, start)
        type_in_cell(actions.table, row, 5, end)

    section(4)
    type_into(editor, "results_products", "60 osób nauczy się dawnych przepisów.")
    type_into(editor, "results_change", "Seniorki i młodzież zaczną spotykać się co miesiąc.")
    type_into(editor, "results_durability", "Przepisy trafią do zeszytu w świetlicy.")
    results = editor.results_editor
    click(results.add_button)
    for column, text in (
        (1, "Uczestnicy warsztatów"),
        (2, "60"),
        (3, "osób"),
        (4, "Listy obecności"),
    ):
        type_in_cell(results.table, 0, column, text)

    section(5)
    type_into(editor, "experience", "Od 2019 r. organizujemy dożynki i kiermasze.")
    type_into(editor, "resources", "Świetlica, 30 członkiń, kuchnia.")
    type_into(editor, "partners", "Gmina Żabno – udostępnia świetlicę.")

    # Budget: a workshop cost on action 1 and an administrative cost over the 10 % cap.
    section(6)
    budget = editor.budget_editor
    table = budget.table
    column = COLUMN_OF_FIELD

    def choose(row: int, field: str, label_start: str) -> None:
        click_cell(table, row, column[field])
        key(table, Qt.Key.Key_F2)
        combo = focused()
        assert isinstance(combo, QComboBox)
        target = next(i for i in range(combo.count()) if combo.itemText(i).startswith(label_start))
        while combo.currentIndex() != target:
            key(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
        key(combo, Qt.Key.Key_Return)

    def cost_line(row: int, action: str, category: str, cells: dict[str, str]) -> None:
        click(budget.findChild(QPushButton, "budget_add") or add_line_button(budget))
        choose(row, "action_id", action)
        choose(row, "category_id", category)
        for field, text in cells.items():
            type_in_cell(table, row, column[field], text)

    cost_line(
        0,
        "1.",
        "Wynagrodzenia",
        {
            "name": "Honorarium prowadzącej warsztaty",
            "unit": "godz.",
            "unit_cost": "120,00",
            "quantity": "50",
            "grant": "6 000,00",
        },
    )
    cost_line(
        1,
        "—",
        "Koszty administracyjne",
        {
            "name": "Obsługa księgowa",
            "unit": "mies.",
            "unit_cost": "300",
            "quantity": "5",
            "grant": "1 500,00",
        },
    )
    editor.refresh_findings()
    assert "ADMIN_CAP_EXCEEDED" in editor.findings.codes()
    message = next(
        editor.findings.list.item(i).text()
        for i in range(editor.findings.list.count())
        if "administracyjne" in editor.findings.list.item(i).text()
    )
    assert "z dopuszczalnych 10 %" in message

    # Fix it: a smaller monthly fee (the grant follows a line paid from one source).
    type_in_cell(table, 1, column["unit_cost"], "100")
    editor.refresh_findings()
    assert "ADMIN_CAP_EXCEEDED" not in editor.findings.codes()

    section(8)
    pick(editor, "paid_execution", "nieodpłatne")
    type_into(editor, "other_information", "Zażółć gęślą jaźń – hasło dyktanda.")
    section(9)
    pick(editor, "tax_arrears", "oferent nie zalega")
    pick(editor, "social_insurance_arrears", "oferent nie zalega")
    for box in editor.declaration_boxes.values():
        click(box)

    # Attachments: the two files the call requires of a KGW, each through its button
    # (the system's file dialog answers with a scan in the test's folder).
    section(10)
    scans = {
        "statut": tmp_path / "skany" / "statut KGW Żabno.pdf",
        "oswiadczenie_przychody": tmp_path / "skany" / "oświadczenie o przychodach.pdf",
    }
    scans["statut"].parent.mkdir()
    for requirement_id, scan in scans.items():
        scan.write_bytes(f"%PDF-1.4\n% {requirement_id}\n".encode() + bytes(range(256)) * 8)
    assert editor.attachments_editor.missing() == list(scans)

    def attached(count: int) -> Callable[[], bool]:
        return lambda: len(editor.session.application.attachments) == count

    for count, (requirement_id, scan) in enumerate(scans.items(), start=1):
        monkeypatch.setattr(attachments_editor, "ask_file", lambda _parent, path=scan: path)
        click(child(editor, QPushButton, f"attach_{requirement_id}"))
        qtbot.waitUntil(attached(count))
        state = child(editor, QLabel, f"attachment_state_{requirement_id}")
        assert isinstance(state, QLabel) and state.text().startswith(f"✓ {scan.name}")
    assert editor.attachments_editor.missing() == []

    # Sprawdź (F7): nothing blocks any more.
    key(window, Qt.Key.Key_F7)
    assert editor.check_result.text() == "✓ Wniosek jest gotowy do wysłania."
    assert editor.findings.codes() == []
    application_id = editor.session.application.id
    typed = editor.session.application

    # --- close, open again: every value as typed -----------------------------------------
    window.close()
    with Workspace.open(tmp_path / "data") as workspace:
        stored = workspace.application(application_id)
        assert workspace.validate(application_id, None) == []
    assert stored == typed
    assert stored.title == TITLE
    assert (stored.start_date, stored.end_date) == (date(2027, 7, 1), date(2027, 11, 30))
    assert [a.name for a in stored.actions] == [
        "Warsztaty kulinarne „Smaki dzieciństwa”",
        "Konkurs wypieków i poczęstunek",
    ]
    assert stored.actions[1].start_date == date(2027, 10, 4)
    assert stored.results[0].planned_value == Decimal("60")
    assert [line.total for line in stored.budget] == [Decimal("6000.00"), Decimal("500.00")]
    assert stored.budget[1].grant == Decimal("500.00")
    assert stored.other_information == "Zażółć gęślą jaźń – hasło dyktanda."
    assert stored.task_sphere == "16"
    assert stored.results_change == "Seniorki i młodzież zaczną spotykać się co miesiąc."
    assert stored.results_durability == "Przepisy trafią do zeszytu w świetlicy."
    assert stored.paid_execution is PaidExecution.UNPAID
    assert (stored.tax_arrears, stored.social_insurance_arrears) == (Arrears.NONE, Arrears.NONE)
    assert [(ref.requirement_id, ref.name) for ref in stored.attachments] == [
        (requirement_id, scan.name) for requirement_id, scan in scans.items()
    ]
    for ref in stored.attachments:
        assert (tmp_path / "data" / "attachments" / ref.sha256[:2] / ref.sha256).is_file()

    again = open_window()
    # What blocks each draft is worked out in the background, after the list shows.
    qtbot.waitUntil(lambda: again.applications.home.model.rows[0].blocking is not None)
    assert again.applications.home.model.rows[0].title == TITLE
    assert (
        again.applications.home.model.status_text(again.applications.home.model.rows[0]) == "gotowy"
    )
    click_cell(again.applications.home.table, 0, 0)
    key(again.applications.home.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: again.applications.editor is not None)
    assert again.applications.editor is not None
    title_field = again.applications.editor.findChild(QLineEdit, "title")
    assert isinstance(title_field, QLineEdit) and title_field.text() == TITLE


def add_line_button(budget: QWidget) -> QPushButton:
    return next(
        b for b in budget.findChildren(QPushButton) if b.text().replace("&", "").startswith("Dodaj")
    )
