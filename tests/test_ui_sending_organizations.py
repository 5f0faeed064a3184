"""The window: one login per organisation, and a call that has not opened yet.

Real widgets (offscreen), a real operator on loopback, real SQLite files. The
data folder holds the demo's KGW and an OSP; the volunteer chooses the
organisation in "Ustawienia wysyłki", types its own address and token, and the
Wysyłka page says which organisation has a login and why the other's
application waits. Before the call opens, no surface says "gotowy", the
editor's button queues (saying when it will go), and nothing reaches the
operator.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyboard import answer_dialog, click, click_cell, key, type_text
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from test_ui_sending import (
    LOGIN_CHECK_PATIENCE_S,
    Operator,
    go_to,
    label_text,
    outbox_row,
    serve_operator,
)
from test_ui_volunteer import child, windows_on

from mms_desktop.domain.ids import new_id
from mms_desktop.services.workspace import ENV_CLOCK, Workspace
from mms_desktop.sync import credentials
from mms_desktop.ui.main_window import MainWindow

KGW = "Koło Gospodyń Wiejskich w Łękawce Górnej"
OSP = "Ochotnicza Straż Pożarna w Łękawce"
OSP_IDENTITY = {"nip": "5261040828", "regon": "000331501", "register_number": "0000123456"}
BEFORE_OPENING = "2027-05-10T10:00:00+02:00"  # the demo's call opens on 17.05.2027


@pytest.fixture(name="operator")
def operator_fixture(tmp_path: Path) -> Iterator[Operator]:
    yield from serve_operator(tmp_path)


@pytest.fixture(name="no_keyring")
def no_keyring_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a bare Linux box: tokens live in this process only."""
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
    monkeypatch.setattr(credentials, "keyring_available", lambda: False)
    monkeypatch.setattr(credentials, "_session_tokens", {})


def prepare(data_dir: Path, with_osp: bool) -> dict[str, str]:
    """The demo (and an OSP with a copy of its draft): {organisation name: draft id}."""
    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
        drafts = {KGW: ids.application_id}
        if with_osp:
            document = workspace.document(ids.application_id)
            osp_id = new_id()
            document["organization"] |= {"id": osp_id, "name": OSP, "short_name": "OSP"}
            document["organization"] |= OSP_IDENTITY
            document["application"]["organization_id"] = osp_id
            copy = data_dir.parent / "osp.json"
            copy.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            drafts[OSP] = workspace.import_json(copy).id
    return drafts


@pytest.fixture
def open_window(
    qtbot: QtBot, tmp_path: Path, clock: str, no_keyring: None
) -> Iterator[Callable[[], MainWindow]]:
    yield from windows_on(qtbot, tmp_path / "data")


def settings_dialog(window: MainWindow, act: Callable[[QWidget], None]) -> None:
    """Open the dialog by its button and act in it; a failing step closes it (no hang)."""

    def guarded(dialog: QWidget) -> None:
        try:
            act(dialog)
        except BaseException:
            dialog.reject()  # type: ignore[attr-defined]
            raise

    answer_dialog(guarded)
    click(child(window.sending.view, QPushButton, "sending_settings_button"))


def wait_for_check(dialog: QWidget, then: Callable[[], None]) -> None:
    save = child(dialog, QPushButton, "settings_save")
    close = child(dialog, QPushButton, "settings_close")

    give_up_at = time.monotonic() + LOGIN_CHECK_PATIENCE_S

    def attempt() -> None:
        if not (close.isVisible() or save.isEnabled()):
            if time.monotonic() > give_up_at:  # fail the test, never hang the suite
                assert isinstance(dialog, QDialog)
                dialog.reject()
                return
            QTimer.singleShot(20, attempt)
            return
        then()

    QTimer.singleShot(20, attempt)


def test_each_organisation_has_its_own_login_in_the_sending_settings(
    qtbot: QtBot,
    tmp_path: Path,
    open_window: Callable[[], MainWindow],
    operator: Operator,
) -> None:
    osp_token = operator.cli("add-organization", OSP).strip().splitlines()[-1]
    drafts = prepare(tmp_path / "data", with_osp=True)
    with Workspace.open(tmp_path / "data") as workspace:
        for draft in drafts.values():
            workspace.submit(draft)
        organisations = {o.name: o.id for o in workspace.store.list_organizations()}
    window = open_window()
    go_to(qtbot, window, Qt.Key.Key_3)
    view = window.sending.view
    server = label_text(view, "sending_server")
    assert f"{KGW}: brak loginu" in server and f"{OSP}: brak loginu" in server

    said: dict[str, str] = {}
    far = "http://operator.gmina.test:8080"

    def fill(dialog: QWidget) -> None:
        organisation = child(dialog, QComboBox, "operator_organization")
        assert isinstance(organisation, QComboBox)
        assert [organisation.itemText(i) for i in range(organisation.count())] == [KGW, OSP]
        organisation.setFocus()
        key(organisation, Qt.Key.Key_Down)  # the next organisation, as by the arrow key
        said["chosen"] = organisation.currentText()
        address = child(dialog, QLineEdit, "operator_url")
        assert isinstance(address, QLineEdit)
        click(address)
        key(address, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(far, address)
        secret = child(dialog, QLineEdit, "operator_token")
        click(secret)
        type_text(osp_token, secret)
        # Plain http to another computer: refused before the token goes anywhere.
        click(child(dialog, QPushButton, "settings_save"))
        said["http"] = label_text(dialog, "login_result")
        allow = child(dialog, QCheckBox, "allow_insecure_http")
        warning = child(dialog, QLabel, "insecure_warning")
        said["warning_hidden"] = str(warning.isHidden())
        allow.setFocus()
        key(allow, Qt.Key.Key_Space)  # ticked: the warning shows
        said["warning"] = label_text(dialog, "insecure_warning") if warning.isVisible() else ""
        key(allow, Qt.Key.Key_Space)  # not wanted after all: back to the operator's real address
        click(address)
        key(address, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(operator.url, address)
        click(child(dialog, QPushButton, "settings_save"))

        def saved() -> None:
            said["outcome"] = label_text(dialog, "login_result")
            close = child(dialog, QPushButton, "settings_close")
            # By the keyboard: a second click on the same spot could count as a double click.
            leave = close if close.isVisible() else child(dialog, QPushButton, "settings_cancel")
            leave.setFocus()
            key(leave, Qt.Key.Key_Space)

        wait_for_check(dialog, saved)

    settings_dialog(window, fill)
    qtbot.waitUntil(lambda: "outcome" in said, timeout=10_000)
    assert said["chosen"] == OSP
    assert said["http"].startswith(f"Adres {far} jest niezaszyfrowany (http://)")
    assert said["warning_hidden"] == "True"
    assert "otwartym tekstem" in said["warning"]
    assert said["outcome"].startswith(f"Organizacja „{OSP}” połączona z {operator.url}")
    # The OSP's token is the OSP's; the KGW still has none.
    assert credentials.get_token(operator.url, organisations[OSP]) == osp_token
    assert credentials.get_token(operator.url, organisations[KGW]) is None
    window.writer.flush()
    logins = window.workspace.store.operator_logins()
    assert list(logins) == [organisations[OSP]]
    assert not logins[organisations[OSP]].allow_insecure_http

    # The save starts a round: the OSP's goes, the KGW's waits — said in words.
    def settled() -> bool:
        states = {outbox_row(window, n)["title"]: outbox_row(window, n) for n in range(2)}
        return all(row["state"] != "wysyłanie" for row in states.values()) and any(
            row["state"] == "wysłane" for row in states.values()
        )

    qtbot.waitUntil(lambda: view.table.rowCount() == 2 and settled(), timeout=20_000)
    rows = [outbox_row(window, n) for n in range(2)]
    sent = [row for row in rows if row["state"] == "wysłane"]
    waiting = [row for row in rows if row["state"] == "czeka na wysłanie"]
    assert len(sent) == len(waiting) == 1
    assert waiting[0]["error"].startswith(
        f"Organizacja „{KGW}” nie ma jeszcze loginu do operatora – "
        "wpisz adres i token w ustawieniach wysyłki"
    )
    server = label_text(view, "sending_server")
    assert f"{OSP}: {operator.url}" in server and f"{KGW}: brak loginu" in server
    [received] = operator.store.submissions()
    assert received.organization_name == OSP


def test_before_the_call_opens_nothing_says_ready_and_sending_only_queues(
    qtbot: QtBot,
    tmp_path: Path,
    open_window: Callable[[], MainWindow],
    operator: Operator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = operator.cli("add-organization", KGW).strip().splitlines()[-1]
    [draft] = prepare(tmp_path / "data", with_osp=False).values()
    with Workspace.open(tmp_path / "data") as workspace:
        [organisation] = workspace.store.list_organizations()
        workspace.store.set_operator_login(organisation.id, operator.url)
    credentials.set_token(operator.url, organisation.id, token)
    monkeypatch.setenv(ENV_CLOCK, BEFORE_OPENING)
    window = open_window()

    # The home view: complete, but it goes from the opening day — not "gotowy".
    home = window.applications.home
    qtbot.waitUntil(lambda: any(row.blocking is not None for row in home.model.rows))
    [row] = [row for row in home.model.rows if row.id == draft]
    qtbot.waitUntil(lambda: home.model.rows[home.model.rows.index(row)].blocking == 0)
    row = home.model.rows[home.model.rows.index(row)]
    number = home.model.rows.index(row)
    blocks = home.model.index(number, 5).data()
    status = home.model.index(number, 3).data()
    assert blocks == "nic – wysyłka od 17.05.2027"
    assert "gotowy" not in status and "17.05.2027" in status

    # The editor: its check line and its button say when it will go.
    click_cell(home.table, number, 0)
    key(home.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.applications.editor is not None)
    editor = window.applications.editor
    assert editor is not None
    editor.run_check()
    check = editor.check_result.text()
    assert "gotowy" not in check
    assert check.startswith("✓ Wniosek jest kompletny; wysłać można od 17.05.2027")
    assert editor.send_button.text().replace("&", "").startswith("Zakolejkuj – pójdzie 17.05.2027")

    # "Zakolejkuj": asked in words, frozen and queued, and nothing reaches the operator.
    asked: dict[str, str] = {}

    def confirm(dialog: QWidget) -> None:
        asked["text"] = dialog.text()  # type: ignore[attr-defined]
        click(child(dialog, QPushButton, "confirm_send"))

    answer_dialog(confirm)
    click(editor.send_button)
    qtbot.waitUntil(lambda: window.applications.editor is not editor, timeout=10_000)
    assert "Nabór otwiera się dopiero 17.05.2027" in asked["text"]
    go_to(qtbot, window, Qt.Key.Key_3)
    view = window.sending.view
    qtbot.waitUntil(
        lambda: (
            view.table.rowCount() == 1
            and "wyślemy po otwarciu naboru 17.05.2027" in outbox_row(window, 0)["error"]
            and view.send_button.isEnabled()
        ),
        timeout=20_000,
    )
    assert outbox_row(window, 0)["state"] == "czeka na wysłanie"
    assert outbox_row(window, 0)["attempts"] == "0"
    click(view.send_button)  # "Wyślij teraz" does not send it early either
    qtbot.waitUntil(view.send_button.isEnabled, timeout=20_000)
    assert operator.store.submissions() == []


def test_the_wysylka_page_warns_days_before_the_deadline_while_the_outbox_holds_it(
    qtbot: QtBot,
    tmp_path: Path,
    open_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [draft] = prepare(tmp_path / "data", with_osp=False).values()
    with Workspace.open(tmp_path / "data") as workspace:
        workspace.submit(draft)  # no login: it waits
    monkeypatch.setenv(ENV_CLOCK, "2027-06-05T10:00:00+02:00")  # deadline 09.06.2027 16:00
    window = open_window()
    go_to(qtbot, window, Qt.Key.Key_3)
    view = window.sending.view
    qtbot.waitUntil(lambda: view.table.rowCount() == 1)
    warning = child(view, QLabel, "sending_warnings")
    assert warning.isVisible()
    assert label_text(view, "sending_warnings").startswith(
        "Termin naboru mija 09.06.2027 o 16:00, a wniosek „Smaki Łękawki"
    )
    assert "wyślij z miejsca z internetem albo złóż na papierze" in label_text(
        view, "sending_warnings"
    )
