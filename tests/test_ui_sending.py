"""Sending through the real window to a real operator service on loopback.

The volunteer sets the operator's address and token in "Ustawienia wysyłki"
(this machine has no keyring: the dialog says the token is kept for the
session only), sends the demo application from its editor, and sees it
"wysłane"; the operator asks for corrections; "Wyślij teraz" brings the
comment home; "Popraw wniosek" makes a new editable draft; with the server
gone, sending says "Brak połączenia" in words and loses nothing.
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from keyboard import click, click_cell, key, type_text
from operator_support import Serving
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from test_ui_volunteer import answer_dialog, child

from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.store import OutboxState
from mms_desktop.sync import credentials
from mms_desktop.ui.main_window import MainWindow
from mms_operator.cli import main as operator_main
from mms_operator.sqlite_store import SqliteOperatorStore

# How long a person takes to see a button appear and click it.
HUMAN_REACTION_MS = 300

COMMENT = "Proszę poprawić harmonogram: warsztaty zaczynają się przed datą rozpoczęcia."


@dataclass
class Operator:
    url: str
    data_dir: Path
    store: SqliteOperatorStore
    stop: Callable[[], None]

    def cli(self, *args: object) -> str:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = operator_main(["--data-dir", str(self.data_dir), *map(str, args)])
        assert code == 0, err.getvalue()
        return out.getvalue()


@pytest.fixture
def operator(tmp_path: Path) -> Iterator[Operator]:
    yield from serve_operator(tmp_path)


def serve_operator(tmp_path: Path) -> Iterator[Operator]:
    """The real operator service, started as an operator starts it, on a free loopback
    port (shared with other window tests).

    In its own process, as in real life; in the test's process, under Wine its
    waitress lost its wake-up socket (WinError 10038) and the window waited on it.
    """
    data_dir = tmp_path / "operator"
    serving = Serving(data_dir)
    store = SqliteOperatorStore(data_dir)
    try:
        yield Operator(serving.url, data_dir, store, serving.stop)
    finally:
        serving.stop()
        store.close()


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a bare Linux box: the token lives in this process only, and is gone after."""
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
    monkeypatch.setattr(credentials, "keyring_available", lambda: False)
    monkeypatch.setattr(credentials, "_session_tokens", {})


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, clock: str, no_keyring: None) -> Iterator[MainWindow]:
    opened = MainWindow(tmp_path / "data", ask_on_first_run=False)
    qtbot.addWidget(opened)
    opened.resize(1366, 768)
    opened.show()
    qtbot.waitExposed(opened)
    opened.activateWindow()
    yield opened
    if opened.isVisible():
        opened.close()


def label_text(parent: QWidget, name: str) -> str:
    label = child(parent, QLabel, name)
    assert isinstance(label, QLabel), name
    return label.text()


def go_to(qtbot: QtBot, window: MainWindow, page: Qt.Key) -> None:
    """Ctrl+1 / Ctrl+3 as a person presses them: the window is active (after a dialog too)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    key(window, page, Qt.KeyboardModifier.ControlModifier)


def outbox_row(window: MainWindow, number: int) -> dict[str, str]:
    view = window.sending.view
    texts = view.row_texts(number)
    names = ("title", "version", "state", "attempts", "next_try", "error", "operator", "comment")
    return dict(zip(names, texts, strict=True))


def send_from_editor(qtbot: QtBot, window: MainWindow) -> None:
    """ "Wyślij" in the editor, and "Wyślij" again in the question that follows."""
    editor = window.applications.editor
    assert editor is not None
    answer_dialog(lambda dialog: click(child(dialog, QPushButton, "confirm_send")))
    click(editor.send_button)


# How long a login check against the local operator may take before the test fails
# (rather than waiting for ever inside the modal dialog).
LOGIN_CHECK_PATIENCE_S = 60


def set_up_sending(qtbot: QtBot, window: MainWindow, url: str, token: str) -> dict[str, str]:
    """The settings dialog by real input; returns what it said."""
    said: dict[str, str] = {}

    def fill(dialog: QWidget) -> None:
        address = child(dialog, QLineEdit, "operator_url")
        assert isinstance(address, QLineEdit)
        click(address)
        key(address, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(url, address)
        secret = child(dialog, QLineEdit, "operator_token")
        assert isinstance(secret, QLineEdit)
        assert secret.echoMode() is QLineEdit.EchoMode.Password
        click(secret)
        type_text(token, secret)
        click(child(dialog, QPushButton, "settings_save"))
        close = child(dialog, QPushButton, "settings_close")

        give_up_at = time.monotonic() + LOGIN_CHECK_PATIENCE_S

        def when_saved() -> None:
            if not close.isVisible():
                if time.monotonic() > give_up_at:  # fail the test, never hang the suite
                    said["stuck"] = label_text(dialog, "login_result")
                    dialog.reject()
                    return
                QTimer.singleShot(20, when_saved)
                return
            said["note"] = label_text(dialog, "keyring_note")
            said["outcome"] = label_text(dialog, "login_result")
            # A person clicks "Zamknij" a moment after it appears, not in the same
            # instant: before its layout settles a click may land beside it
            # (under Wine 1 run in 8 left the dialog open for ever).
            QTimer.singleShot(HUMAN_REACTION_MS, lambda: click(close))

        when_saved()

    answer_dialog(fill)
    click(child(window.sending.view, QPushButton, "sending_settings_button"))
    assert "stuck" not in said, f"the login check never answered: {said['stuck']!r}"
    return said


def test_a_volunteer_sends_gets_corrections_and_sends_again_offline(
    qtbot: QtBot,
    window: MainWindow,
    operator: Operator,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = operator.cli("add-organization", "KGW w Żabnie").strip().splitlines()[-1]
    window.load_demo()
    qtbot.waitUntil(
        lambda: len(window.applications.home.model.rows) == 2
    )  # a draft and an accepted one
    [draft] = [row for row in window.applications.home.model.rows if row.status == "draft"]
    application_id = draft.id

    # --- Ustawienia wysyłki: address and token, kept for this session only --------------
    go_to(qtbot, window, Qt.Key.Key_3)
    assert window.pages.currentIndex() == window.SENDING and window.sending.view.isVisible()
    assert window.sending.view.empty.isVisible()
    said = set_up_sending(qtbot, window, operator.url, token)
    assert "tylko do zamknięcia programu" in said["note"]
    assert "nie jest zapisywany w żadnym pliku" in said["note"]
    [organization] = window.workspace.store.list_organizations()
    assert said["outcome"].startswith(
        f"Organizacja „{organization.name}” połączona z {operator.url}"
    )
    assert credentials.get_token(operator.url, organization.id) == token
    window.writer.flush()
    with Workspace.open(tmp_path / "data") as workspace:
        login = workspace.store.operator_login(organization.id)
        assert login is not None and login.server_url == operator.url
    for path in (tmp_path / "data").rglob("*"):  # never written to a file
        assert path.is_dir() or token.encode() not in path.read_bytes(), path

    # --- "Wyślij" in the editor: frozen, queued, sent -------------------------------------
    go_to(qtbot, window, Qt.Key.Key_1)
    click_cell(window.applications.home.table, window.applications.home.model.rows.index(draft), 0)
    key(window.applications.home.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.applications.editor is not None)
    assert (
        window.applications.editor is not None
        and window.applications.editor.send_button.isEnabled()
    )
    first_editor = window.applications.editor
    send_from_editor(qtbot, window)
    # After the freeze the editor is opened again, read-only.
    qtbot.waitUntil(lambda: window.applications.editor is not first_editor, timeout=10_000)
    assert window.applications.editor is not None
    assert not window.applications.editor.session.editable
    assert not window.applications.editor.send_button.isEnabled()
    title = window.applications.editor.findChild(QLineEdit, "title")
    assert isinstance(title, QLineEdit) and title.isReadOnly()

    go_to(qtbot, window, Qt.Key.Key_3)
    qtbot.waitUntil(
        lambda: (
            window.sending.view.table.rowCount() == 1
            and outbox_row(window, 0)["state"] == "wysłane"
            and window.outbox_status.text() == "Wszystko wysłane"
        ),
        timeout=20_000,
    )
    row = outbox_row(window, 0)
    assert row["version"] == "1"
    assert row["error"] == ""
    (received,) = operator.store.submissions()
    with Workspace.open(tmp_path / "data") as workspace:
        (version,) = workspace.store.versions(application_id)
    assert received.submission_id == version.id
    assert received.content_sha256 == version.sha256

    # --- the operator asks for corrections; "Wyślij teraz" brings the comment home -------
    operator.cli("set-status", version.id, "needs_corrections", "--comment", COMMENT)
    # The round that sent it may still be asking for statuses ("Wyślij teraz" is
    # greyed out meanwhile): a person waits for the button, then clicks.
    qtbot.waitUntil(window.sending.view.send_button.isEnabled, timeout=20_000)
    click(window.sending.view.send_button)
    qtbot.waitUntil(lambda: outbox_row(window, 0)["operator"] == "do poprawy", timeout=20_000)
    assert outbox_row(window, 0)["comment"] == COMMENT
    go_to(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.applications.stack.currentWidget() is window.applications.home)
    [corrected] = [row for row in window.applications.home.model.rows if row.id == application_id]
    assert window.applications.home.model.status_text(corrected) == "do poprawy"
    click_cell(window.applications.home.table, 0, 0)
    key(window.applications.home.table, Qt.Key.Key_Return)
    editor = window.applications.editor
    assert editor is not None
    assert editor.answer_box.isVisible()
    assert COMMENT in editor.answer_label.text()
    assert editor.reopen_button.isVisible()

    # --- "Popraw wniosek (nowa wersja)": a draft again, editable --------------------------
    click(editor.reopen_button)
    qtbot.waitUntil(
        lambda: window.applications.editor is not editor and window.applications.editor is not None
    )
    assert window.applications.editor is not None
    assert window.applications.editor.session.editable
    assert not window.applications.editor.answer_box.isVisible()
    title = window.applications.editor.findChild(QLineEdit, "title")
    assert isinstance(title, QLineEdit) and not title.isReadOnly()

    # --- the server is gone: version 2 waits, and the view says why in words -------------
    operator.stop()
    second_editor = window.applications.editor
    send_from_editor(qtbot, window)
    qtbot.waitUntil(lambda: window.applications.editor is not second_editor, timeout=10_000)
    go_to(qtbot, window, Qt.Key.Key_3)
    qtbot.waitUntil(
        lambda: (
            window.sending.view.table.rowCount() == 2
            and "Brak połączenia" in outbox_row(window, 1)["error"]
        ),
        timeout=20_000,
    )
    second = outbox_row(window, 1)
    assert second["version"] == "2"
    assert second["state"] == "czeka na wysłanie"
    assert second["next_try"]  # dd.mm.rrrr gg:mm
    assert "Brak połączenia" in window.sending.view.round_label.text()
    assert window.outbox_status.text() == "Do wysłania: 1"
    assert outbox_row(window, 0)["state"] == "wysłane"

    # "Wyślij teraz" again, still offline: said again, nothing lost.
    qtbot.waitUntil(window.sending.view.send_button.isEnabled, timeout=20_000)
    click(window.sending.view.send_button)
    assert not window.sending.view.send_button.isEnabled()  # the round is under way
    qtbot.waitUntil(window.sending.view.send_button.isEnabled, timeout=20_000)
    assert "Brak połączenia" in window.sending.view.round_label.text()
    assert "Brak połączenia" in window.statusBar().currentMessage()
    window.close()
    with Workspace.open(tmp_path / "data") as workspace:
        versions = workspace.store.versions(application_id)
        states = [item.state for item in workspace.store.outbox()]
    assert [v.number for v in versions] == [1, 2]
    assert states == [OutboxState.SENT, OutboxState.QUEUED]
    assert len(operator.store.submissions()) == 1
    # No message fell back to its key, no round hit a bug.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_sending_settings_refuse_a_wrong_token_in_words(
    qtbot: QtBot, window: MainWindow, operator: Operator
) -> None:
    said: dict[str, str] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        address = child(dialog, QLineEdit, "operator_url")
        click(address)
        type_text(operator.url, address)
        secret = child(dialog, QLineEdit, "operator_token")
        click(secret)
        type_text("zly-token", secret)
        click(child(dialog, QPushButton, "settings_save"))
        save = child(dialog, QPushButton, "settings_save")

        def when_checked() -> None:
            if not save.isEnabled():
                QTimer.singleShot(20, when_checked)
                return
            said["outcome"] = label_text(dialog, "login_result")
            cancel = child(dialog, QPushButton, "settings_cancel")
            QTimer.singleShot(HUMAN_REACTION_MS, lambda: click(cancel))

        QTimer.singleShot(20, when_checked)

    window.load_demo()
    qtbot.waitUntil(lambda: len(window.applications.home.model.rows) == 2)
    answer_dialog(fill)
    window.sending.settings()
    assert said["outcome"].startswith("Nie udało się połączyć: Operator nie przyjął tokenu")
    assert window.workspace.store.setting("operator_url") is None
    assert window.workspace.store.operator_logins() == {}
    assert QApplication.activeModalWidget() is None


def test_send_now_is_off_with_its_reason_until_there_is_an_operator_address(
    qtbot: QtBot, data_dir: Path, clock: str
) -> None:
    from mms_desktop.ui.main_window import MainWindow

    with Workspace.open(data_dir) as workspace:
        workspace.create_demo()  # an organisation with no operator's address yet
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    window.show_sending()
    view = window.sending.view
    qtbot.waitUntil(view.send_reason.isVisible)  # the page is built on first view
    assert not view.send_button.isEnabled()
    assert "Ustawienia wysyłki" in view.send_reason.text()
    # The menu's "Wyślij teraz" says the same instead of starting a round.
    window.sending.send_now_asked()
    assert "adresu operatora" in window.statusBar().currentMessage()
    window.close()
