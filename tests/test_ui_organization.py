"""The organisation profile editor, driven as a volunteer would: by keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mms_desktop.domain.ids import new_id
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Person,
    RegisterType,
    YearRevenue,
)
from mms_desktop.domain.validation import check_organization
from mms_desktop.services.demo import demo_organization
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.organization_editor import OrganizationEditor
from mms_desktop.ui.session import OrganizationSession
from mms_desktop.ui.writer import StoreWriter

BANK_ACCOUNT = "61109010140000071219812874"


@dataclass
class Opened:
    editor: OrganizationEditor
    session: OrganizationSession
    undo: QUndoStack
    writer: StoreWriter
    folder: Path
    organization_id: str

    def saved(self) -> Organization:
        """What a fresh start of the program would load from the folder."""
        assert self.writer.flush()
        with Workspace.open(self.folder) as fresh:
            return fresh.organization(self.organization_id)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "dane"


@pytest.fixture
def open_editor(qtbot: QtBot, folder: Path) -> Iterator[Callable[[Organization], Opened]]:
    opened: list[tuple[Workspace, StoreWriter]] = []

    def open_(organization: Organization) -> Opened:
        workspace = Workspace.open(folder)
        workspace.add_organization(organization)
        writer = StoreWriter(folder)
        opened.append((workspace, writer))
        undo = QUndoStack()
        session = OrganizationSession(workspace, writer, undo, organization.id)
        editor = OrganizationEditor(session)
        qtbot.addWidget(editor)
        editor.resize(1100, 700)
        editor.show()
        qtbot.waitExposed(editor)
        return Opened(editor, session, undo, writer, folder, organization.id)

    yield open_
    for workspace, writer in opened:
        writer.close()
        workspace.close()


@pytest.fixture
def new_profile(open_editor: Callable[[Organization], Opened]) -> Opened:
    return open_editor(Organization(id=new_id()))


@pytest.fixture
def demo_profile(open_editor: Callable[[Organization], Opened]) -> Opened:
    return open_editor(demo_organization())


# --- helpers: real input events ------------------------------------------------------


def control(editor: OrganizationEditor, path: str) -> QWidget:
    found = editor.findChild(QWidget, path)
    assert found is not None, path
    return found


def line(editor: OrganizationEditor, path: str) -> QLineEdit:
    found = control(editor, path)
    assert isinstance(found, QLineEdit), path
    return found


def check_label(editor: OrganizationEditor, path: str) -> QLabel | None:
    """The visible warning line under a field, if any."""
    field = line(editor, path)
    holder = field.parentWidget()
    assert holder is not None
    labels = [label for label in holder.findChildren(QLabel) if label.isVisible()]
    return labels[0] if labels else None


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def click_into(qtbot: QtBot, field: QWidget) -> None:
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    assert field.hasFocus()


def type_text(qtbot: QtBot, text: str, widget: QWidget | None = None) -> None:
    """Type as a keyboard would, one key at a time, into ``widget`` or the focus.

    QTest's own ``keyClicks`` only knows Latin-1, so letters like "ł" and "ź"
    are sent as the key events a Polish keyboard produces (text, no key code).
    """
    for char in text:
        target = widget or focused()
        if ord(char) < 128:
            QTest.keyClicks(target, char)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                target,
                Qt.Key.Key_unknown,
                char,
                Qt.KeyboardModifier.NoModifier,
            )


def press_mnemonic(qtbot: QtBot, editor: QWidget, letter: str) -> QWidget:
    """Alt+letter, as underlined in a label: the focus goes to the labelled field."""
    QTest.keyClick(
        QApplication.focusWidget() or editor,
        getattr(Qt.Key, f"Key_{letter.upper()}"),
        Qt.KeyboardModifier.AltModifier,
    )
    return focused()


def press_enter() -> None:
    """Enter in a table cell: Qt's delegate saves the cell on the next turn of the event loop."""
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    QApplication.processEvents()


def replace_text(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """Click into the field, select everything, type over it, leave with Tab."""
    click_into(qtbot, field)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, text)
    QTest.keyClick(field, Qt.Key.Key_Tab)


def tab(qtbot: QtBot, expected: str | None = None) -> QWidget:
    """Press Tab; the focus must land on the control named ``expected``."""
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    widget = focused()
    if expected is not None:
        owner = widget if widget.objectName() == expected else widget.parentWidget()
        assert owner is not None and owner.objectName() == expected, (
            f"Tab went to {widget.objectName() or widget.accessibleName()!r}, not {expected!r}"
        )
    return widget


def type_and_tab(qtbot: QtBot, text: str, next_path: str | None = None) -> None:
    type_text(qtbot, text)
    tab(qtbot, next_path)


def button(editor: OrganizationEditor, table_path: str, text: str) -> QAbstractButton:
    table = control(editor, table_path)
    holder = table.parentWidget()
    assert holder is not None
    return next(b for b in holder.findChildren(QAbstractButton) if b.text() == text)


def table_texts(editor: OrganizationEditor, path: str) -> list[list[str]]:
    table = control(editor, path)
    assert isinstance(table, QTableView)
    model = table.model()
    return [
        [str(model.index(row, column).data() or "") for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


# --- identifiers checked as typed ----------------------------------------------------


def test_wrong_nip_check_digit_is_explained_beside_the_field(
    new_profile: Opened, qtbot: QtBot
) -> None:
    editor = new_profile.editor
    nip = line(editor, "organization.nip")
    click_into(qtbot, nip)
    type_text(qtbot, "7821700238")  # last digit wrong

    label = check_label(editor, "organization.nip")
    assert label is not None
    expected = "NIP: cyfra kontrolna się nie zgadza – sprawdź, czy nie ma literówki"
    assert expected in label.text()
    assert nip.accessibleDescription() == expected

    QTest.keyClick(nip, Qt.Key.Key_Backspace)
    type_text(qtbot, "9")
    assert check_label(editor, "organization.nip") is None
    assert nip.accessibleDescription() == ""


def test_empty_identifier_shows_nothing(new_profile: Opened, qtbot: QtBot) -> None:
    editor = new_profile.editor
    nip = line(editor, "organization.nip")
    click_into(qtbot, nip)
    type_text(qtbot, "12")
    assert check_label(editor, "organization.nip") is not None
    QTest.keyClick(nip, Qt.Key.Key_Backspace)
    QTest.keyClick(nip, Qt.Key.Key_Backspace)
    assert check_label(editor, "organization.nip") is None
    for path in (
        "organization.regon",
        "organization.bank_account",
        "organization.postcode",
        "organization.email",
        "organization.register_number",
    ):
        assert check_label(editor, path) is None, path


def test_bank_account_of_wrong_length_says_so_then_shows_grouped(
    new_profile: Opened, qtbot: QtBot
) -> None:
    editor = new_profile.editor
    account = line(editor, "organization.bank_account")
    click_into(qtbot, account)
    type_text(qtbot, BANK_ACCOUNT[:-1])

    label = check_label(editor, "organization.bank_account")
    assert label is not None
    assert "zła liczba cyfr" in label.text()
    assert "wpisano 25" in label.text() and "26" in label.text()

    type_text(qtbot, BANK_ACCOUNT[-1])
    assert check_label(editor, "organization.bank_account") is None
    QTest.keyClick(account, Qt.Key.Key_Tab)
    assert account.text() == "61 1090 1014 0000 0712 1981 2874"
    assert new_profile.saved().bank_account == BANK_ACCOUNT


def test_regon_krs_postcode_and_email_are_checked_as_typed(
    new_profile: Opened, qtbot: QtBot
) -> None:
    editor = new_profile.editor
    regon = line(editor, "organization.regon")
    click_into(qtbot, regon)
    type_text(qtbot, "1234567")
    label = check_label(editor, "organization.regon")
    assert label is not None and "9 albo 14" in label.text()
    type_text(qtbot, "85")
    assert check_label(editor, "organization.regon") is None

    # The register type is KRS for a new profile: more than 10 digits is wrong.
    number = line(editor, "organization.register_number")
    click_into(qtbot, number)
    type_text(qtbot, "12345678901")
    label = check_label(editor, "organization.register_number")
    assert label is not None and label.text().startswith("⚠ Numer KRS")
    # Another register has other numbers: the KRS rule no longer applies.
    combo = press_mnemonic(qtbot, editor, "r")
    assert combo.objectName() == "organization.register_type"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert new_profile.session.organization.register_type is RegisterType.STAROSTA
    assert check_label(editor, "organization.register_number") is None

    postcode = line(editor, "organization.postcode")
    click_into(qtbot, postcode)
    type_text(qtbot, "34-21")
    label = check_label(editor, "organization.postcode")
    assert label is not None and "00-000" in label.text()
    QTest.keyClick(postcode, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "34212")  # digits only are fine: the dash is put in
    assert check_label(editor, "organization.postcode") is None
    QTest.keyClick(postcode, Qt.Key.Key_Tab)
    assert postcode.text() == "34-212"

    email = line(editor, "organization.email")
    click_into(qtbot, email)
    type_text(qtbot, "kgw@lekawka")
    label = check_label(editor, "organization.email")
    assert label is not None and "E-mail" in label.text()
    type_text(qtbot, ".pl")
    assert check_label(editor, "organization.email") is None


# --- a whole new profile, by keyboard -------------------------------------------------


def test_new_kgw_profile_typed_by_keyboard_is_saved_exactly(
    new_profile: Opened, qtbot: QtBot
) -> None:
    editor = new_profile.editor
    click_into(qtbot, line(editor, "organization.name"))
    type_and_tab(qtbot, "Koło Gospodyń Wiejskich „Źródełko” w Żółkwi", "organization.short_name")
    type_and_tab(qtbot, "KGW Źródełko", "organization.legal_form")
    type_text(qtbot, "koło")  # keyboard search in the closed combo
    tab(qtbot, "organization.register_type")
    QTest.keyClick(focused(), Qt.Key.Key_Down)
    QTest.keyClick(focused(), Qt.Key.Key_Down)  # KRS → starosta → ARiMR
    tab(qtbot, "organization.register_number")
    type_and_tab(qtbot, "0012345", "organization.nip")
    type_and_tab(qtbot, "526-104-08-28", "organization.regon")
    type_and_tab(qtbot, "012100784", "organization.street")
    type_and_tab(qtbot, "ul. Łąkowa 5", "organization.postcode")
    type_and_tab(qtbot, "34212", "organization.locality")
    type_and_tab(qtbot, "Żółkiew Śląska", "organization.gmina")
    type_and_tab(qtbot, "Ślemień", "organization.powiat")
    type_and_tab(qtbot, "żywiecki", "organization.voivodeship")
    type_and_tab(qtbot, "śląskie", "organization.locality_population")
    type_and_tab(qtbot, "1 240", "organization.correspondence_address")
    type_and_tab(qtbot, "skr. poczt. 12, 34-200 Sucha Beskidzka", "organization.website")
    type_and_tab(qtbot, "https://zrodelko.example.pl", "organization.email")
    type_and_tab(qtbot, "kgw@zrodelko.example.pl", "organization.phone")
    type_and_tab(qtbot, "+48 33 111 22 33", "organization.bank_account")
    type_and_tab(qtbot, "PL61 1090 1014 0000 0712 1981 2874", "organization.revenues")

    # Revenues: "Dodaj rok" puts the cursor in the new row's amount.
    add_year = tab(qtbot)
    assert add_year.text() == "Dodaj rok"  # type: ignore[attr-defined]
    QTest.keyClick(add_year, Qt.Key.Key_Space)
    type_text(qtbot, "18 450,5")
    press_enter()
    tab(qtbot)  # back on "Dodaj rok"
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    type_text(qtbot, "22310")
    press_enter()
    assert [row[1] for row in table_texts(editor, "organization.revenues")] == [
        "18 450,50",
        "22 310,00",
    ]

    # Representatives: name, Tab to the role, Enter.
    tab(qtbot)  # "Dodaj rok"
    tab(qtbot)  # "Usuń rok"
    tab(qtbot, "organization.representatives")
    add_person = tab(qtbot)
    assert add_person.text() == "Dodaj osobę"  # type: ignore[attr-defined]
    for name, role in (("Grażyna Żółkiewska", "Przewodnicząca"), ("Jadwiga Ćwik", "Skarbniczka")):
        QTest.keyClick(focused(), Qt.Key.Key_Space)
        type_text(qtbot, name)
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, role)
        press_enter()
        tab(qtbot)  # from the table back to "Dodaj osobę"
    for _button in ("Usuń osobę", "W górę", "W dół"):
        tab(qtbot)
    tab(qtbot, "organization.contact.name")
    type_and_tab(qtbot, "Agnieszka Łoś", "organization.contact.role")
    type_and_tab(qtbot, "Koordynatorka", "organization.contact.phone")
    type_and_tab(qtbot, "600 123 456", "organization.contact.email")
    type_text(qtbot, "agnieszka@zrodelko.example.pl")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)

    # Nothing was ever "saved" by hand; a fresh start loads exactly what was typed.
    saved = new_profile.saved()
    assert saved.name == "Koło Gospodyń Wiejskich „Źródełko” w Żółkwi"
    assert saved.short_name == "KGW Źródełko"
    assert saved.legal_form is LegalForm.KGW
    assert saved.register_type is RegisterType.ARIMR_KGW
    assert saved.register_number == "0012345"
    assert saved.nip == "526-104-08-28"
    assert saved.regon == "012100784"
    assert (saved.street, saved.postcode, saved.locality) == (
        "ul. Łąkowa 5",
        "34-212",
        "Żółkiew Śląska",
    )
    assert (saved.gmina, saved.powiat, saved.voivodeship) == ("Ślemień", "żywiecki", "śląskie")
    assert saved.locality_population == 1240
    assert saved.correspondence_address == "skr. poczt. 12, 34-200 Sucha Beskidzka"
    assert saved.website == "https://zrodelko.example.pl"
    assert saved.email == "kgw@zrodelko.example.pl"
    assert saved.phone == "+48 33 111 22 33"
    assert saved.bank_account == BANK_ACCOUNT
    assert saved.revenues == (
        YearRevenue(saved.revenues[0].year, Decimal("18450.5")),
        YearRevenue(saved.revenues[0].year - 1, Decimal("22310")),
    )
    assert saved.representatives == (
        Person("Grażyna Żółkiewska", "Przewodnicząca"),
        Person("Jadwiga Ćwik", "Skarbniczka"),
    )
    assert saved.contact == Person(
        "Agnieszka Łoś", "Koordynatorka", "600 123 456", "agnieszka@zrodelko.example.pl"
    )
    assert saved == new_profile.session.organization
    assert check_organization(saved) == []
    # What the screen shows after leaving the fields: the tidy forms.
    assert line(editor, "organization.bank_account").text() == "61 1090 1014 0000 0712 1981 2874"
    assert line(editor, "organization.locality_population").text() == "1 240"


# --- informal groups -------------------------------------------------------------------


def test_informal_group_shows_members_and_patron(new_profile: Opened, qtbot: QtBot) -> None:
    editor = new_profile.editor
    members = control(editor, "organization.members")
    patron_name = line(editor, "organization.patron.name")
    assert not members.isVisible() and not patron_name.isVisible()
    assert not editor.focus_field("organization.patron.nip")

    combo = press_mnemonic(qtbot, editor, "f")
    assert combo.objectName() == "organization.legal_form"
    type_text(qtbot, "grupa")
    assert new_profile.session.organization.legal_form is LegalForm.INFORMAL_GROUP
    assert members.isVisible() and patron_name.isVisible()
    hint = next(label for label in editor.findChildren(QLabel) if "co najmniej 3" in label.text())
    assert hint.isVisible() and "Wpisano: 0" in hint.text()

    add = button(editor, "organization.members", "Dodaj osobę")
    for name in ("Anna Żak", "Ewa Łęcka", "Zofia Ślęzak"):
        QTest.mouseClick(add, Qt.MouseButton.LeftButton)
        type_text(qtbot, name)
        press_enter()
    assert "Wpisano: 3" in hint.text()

    assert editor.focus_field("organization.patron.nip")
    nip = line(editor, "organization.patron.nip")
    assert nip.hasFocus()
    type_text(qtbot, "5261040827")
    label = check_label(editor, "organization.patron.nip")
    assert label is not None and "cyfra kontrolna" in label.text()
    QTest.keyClick(nip, Qt.Key.Key_Backspace)
    type_text(qtbot, "8")
    assert check_label(editor, "organization.patron.nip") is None

    replace_text(qtbot, patron_name, "Stowarzyszenie „Razem dla Żółkwi”")
    saved = new_profile.saved()
    assert [person.name for person in saved.members] == ["Anna Żak", "Ewa Łęcka", "Zofia Ślęzak"]
    assert saved.patron is not None
    assert saved.patron.name == "Stowarzyszenie „Razem dla Żółkwi”"
    assert saved.patron.nip == "5261040828"
    assert not any(f.field.startswith("organization.members") for f in check_organization(saved))


# --- undo ------------------------------------------------------------------------------


def test_undo_restores_the_previous_value_in_the_field(demo_profile: Opened, qtbot: QtBot) -> None:
    editor = demo_profile.editor
    name = line(editor, "organization.name")
    before = name.text()
    replace_text(qtbot, name, "KGW po zmianie")
    assert demo_profile.session.organization.name == "KGW po zmianie"

    demo_profile.undo.undo()
    assert name.text() == before
    assert demo_profile.saved().name == before

    demo_profile.undo.redo()
    assert name.text() == "KGW po zmianie"


def test_ctrl_z_in_a_field_undoes_through_the_window_undo_action(
    demo_profile: Opened, qtbot: QtBot
) -> None:
    """The window's Undo (Ctrl+Z) works with the cursor still in the field just typed in."""
    editor = demo_profile.editor
    undo_action = demo_profile.undo.createUndoAction(editor)
    undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    editor.addAction(undo_action)
    postcode = line(editor, "organization.postcode")
    click_into(qtbot, postcode)
    QTest.keyClick(postcode, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "00-950")  # no pause, no Tab: not saved yet
    QTest.keyClick(postcode, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert postcode.text() == "34-212"
    assert postcode.hasFocus()
    assert demo_profile.saved().postcode == "34-212"
    assert demo_profile.undo.canRedo()


def test_undo_of_a_table_edit_shows_the_old_rows(demo_profile: Opened, qtbot: QtBot) -> None:
    editor = demo_profile.editor
    before = table_texts(editor, "organization.representatives")
    table = press_mnemonic(qtbot, editor, "z")  # "Osoby repre_zentujące"
    assert table.objectName() == "organization.representatives"
    QTest.keyClick(table, Qt.Key.Key_Down)  # second person
    QTest.mouseClick(
        button(editor, "organization.representatives", "W górę"), Qt.MouseButton.LeftButton
    )
    assert [row[0] for row in table_texts(editor, "organization.representatives")] == [
        "Małgorzata Ćwiek",
        "Grażyna Żółkiewska",
    ]
    assert demo_profile.saved().representatives[0].name == "Małgorzata Ćwiek"

    demo_profile.undo.undo()
    assert table_texts(editor, "organization.representatives") == before

    revenues = press_mnemonic(qtbot, editor, "h")
    QTest.keyClick(revenues, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # last year
    QTest.mouseClick(button(editor, "organization.revenues", "Usuń rok"), Qt.MouseButton.LeftButton)
    assert [row[0] for row in table_texts(editor, "organization.revenues")] == ["2024", "2025"]
    assert [item.year for item in demo_profile.saved().revenues] == [2024, 2025]
    demo_profile.undo.undo()
    assert [row[0] for row in table_texts(editor, "organization.revenues")] == [
        "2024",
        "2025",
        "2026",
    ]


def test_revenue_that_is_not_an_amount_is_explained_and_not_saved(
    demo_profile: Opened, qtbot: QtBot
) -> None:
    editor = demo_profile.editor
    table = press_mnemonic(qtbot, editor, "h")  # "Przyc_hody w kolejnych latach"
    assert table.objectName() == "organization.revenues"
    QTest.keyClick(table, Qt.Key.Key_Home)
    QTest.keyClick(table, Qt.Key.Key_Right)  # the first year's amount
    type_text(qtbot, "dużo")  # any key starts editing
    press_enter()
    holder = table.parentWidget()
    assert holder is not None
    problem = next(label for label in holder.findChildren(QLabel) if label.isVisible())
    assert "Wiersz 1" in problem.text() and "„dużo”" in problem.text()
    assert demo_profile.saved().revenues == demo_organization().revenues


# --- finding → field, and accessibility -----------------------------------------------


def test_focus_field_scrolls_to_the_field_named_by_a_finding(demo_profile: Opened) -> None:
    editor = demo_profile.editor
    assert editor.focus_field("organization.contact.name")
    assert line(editor, "organization.contact.name").hasFocus()
    assert editor.focus_field("organization.nip")
    assert line(editor, "organization.nip").hasFocus()
    assert editor.focus_field("organization.representatives")
    assert control(editor, "organization.representatives").hasFocus()
    assert editor.focus_field("organization.voivodeship")
    assert not editor.focus_field("organization.members")  # not an informal group
    assert not editor.focus_field("organization.no_such_field")


def test_every_control_has_an_accessible_name_and_labels_a_mnemonic(demo_profile: Opened) -> None:
    editor = demo_profile.editor
    controls = [
        *editor.findChildren(QLineEdit),
        *editor.findChildren(QComboBox),
        *editor.findChildren(QTableView),
        *editor.findChildren(QAbstractButton),
    ]
    for widget in controls:
        if (
            isinstance(widget, QAbstractButton)
            and widget.parentWidget() is not None
            and (not widget.text())
        ):
            continue  # Qt's own corner button of a table
        assert widget.accessibleName(), widget.objectName() or repr(widget)
    buddies = [label for label in editor.findChildren(QLabel) if label.buddy() is not None]
    assert len(buddies) >= 30
    # Alt+letter for most fields; never two fields on one letter (Alt would only
    # cycle between them), so a few of the 30 go without one.
    shown = [label for label in buddies if label.isVisibleTo(editor) and "&" in label.text()]
    letters = [label.text().split("&", 1)[1][0].lower() for label in shown]
    assert len(letters) >= 17
    assert len(set(letters)) == len(letters), sorted(label.text() for label in shown)
    assert line(editor, "organization.regon").toolTip()
    assert line(editor, "organization.bank_account").toolTip()
