"""Ustawienia wysyłki: the operator's address and the organisation's token.

"Zapisz" first proves both (the operator answers with its marker, and accepts
the token) on a worker thread, with a busy indicator; only then is the address
saved (through the one writer) and the token kept — in the system keyring, or,
where there is none, for this session only, which the dialog says plainly. The
token is never written to a file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.services import sending
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.style import PROBLEM_COLOUR
from mms_desktop.ui.writer import StoreWriter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginOutcome:
    problem: str | None = None  # in words, when the address or the token did not work
    in_keyring: bool = False


class _Signals(QObject):
    done = Signal(object)  # LoginOutcome, or a bool for the keyring probe


class _Login(QRunnable):
    """Proves the address and the token, then keeps the token (keyring or session)."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__()
        self.signals = _Signals()
        self._url = url
        self._token = token

    def run(self) -> None:
        try:
            outcome = self._check_and_keep()
        except Exception:
            log.exception("checking the operator login failed")
            outcome = LoginOutcome(problem=i18n.tr("ui.sending.bug"))
        self.signals.done.emit(outcome)

    def _check_and_keep(self) -> LoginOutcome:
        from mms_desktop.sync.client import OperatorClient
        from mms_desktop.sync.credentials import set_token
        from mms_desktop.sync.problems import OperatorProblem

        client = OperatorClient(self._url, self._token)
        try:
            client.health()
            client.statuses()  # proves the token, changes nothing
        except OperatorProblem as problem:
            return LoginOutcome(problem=sending.problem_text(problem))
        finally:
            client.close()
        return LoginOutcome(in_keyring=set_token(self._url, self._token))


class _KeyringProbe(QRunnable):
    """Whether a keyring backend exists (loading keyring may take a moment)."""

    def __init__(self) -> None:
        super().__init__()
        self.signals = _Signals()

    def run(self) -> None:
        from mms_desktop.sync.credentials import keyring_available

        self.signals.done.emit(keyring_available())


def normalized_url(text: str) -> str | None:
    url = text.strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url) <= len("https://"):
        return None
    return url


class SendingSettingsDialog(QDialog):
    saved = Signal(str)  # the operator's address, once saved

    def __init__(
        self, workspace: Workspace, writer: StoreWriter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.tr("ui.sending.settings_title"))
        self.setMinimumWidth(520)
        self._writer = writer
        self._job: _Login | None = None
        self._probe: _KeyringProbe | None = None
        self._url = ""

        intro = QLabel(i18n.tr("ui.sending.settings_intro"))
        intro.setWordWrap(True)
        self.url = QLineEdit(workspace.store.setting(sending.SERVER_SETTING) or "")
        self.url.setObjectName("operator_url")
        self.url.setPlaceholderText("https://")
        self.url.setAccessibleName(i18n.tr("ui.sending.url").replace("&", ""))
        self.token = QLineEdit()
        self.token.setObjectName("operator_token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setAccessibleName(i18n.tr("ui.sending.token").replace("&", ""))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        url_label = QLabel(i18n.tr("ui.sending.url"))
        url_label.setBuddy(self.url)
        token_label = QLabel(i18n.tr("ui.sending.token"))
        token_label.setBuddy(self.token)
        form.addRow(url_label, self.url)
        form.addRow(token_label, self.token)

        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("keyring_note")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.hide()
        self.busy = QProgressBar()
        self.busy.setObjectName("login_busy")
        self.busy.setRange(0, 0)  # busy: no percentage to show
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.outcome = QLabel()
        self.outcome.setObjectName("login_result")
        self.outcome.setWordWrap(True)
        self.outcome.hide()

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(i18n.tr("ui.sending.save"))
        self.save_button.setObjectName("settings_save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save)
        self.cancel_button = QPushButton(i18n.tr("ui.cancel"))
        self.cancel_button.setObjectName("settings_cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.close_button = QPushButton(i18n.tr("ui.close"))
        self.close_button.setObjectName("settings_close")
        self.close_button.clicked.connect(self.accept)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.hide()  # after addButton, which shows what it adds

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.busy)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        (self.token if self.url.text() else self.url).setFocus()

        probe = _KeyringProbe()
        probe.signals.done.connect(self._keyring_known)
        self._probe = probe
        QThreadPool.globalInstance().start(probe)

    # --- the keyring ----------------------------------------------------------------

    def _keyring_known(self, available: object) -> None:
        self._probe = None
        if not available:
            self.keyring_note.setText(i18n.tr("ui.sending.no_keyring"))
            self.keyring_note.show()

    # --- saving ---------------------------------------------------------------------

    def _say(self, text: str, problem: bool) -> None:
        self.outcome.setStyleSheet(f"color: {PROBLEM_COLOUR};" if problem else "")
        self.outcome.setText(text)
        self.outcome.show()

    def _working(self, on: bool) -> None:
        self.busy.setVisible(on)
        for widget in (self.url, self.token, self.save_button):
            widget.setEnabled(not on)

    def _save(self) -> None:
        url = normalized_url(self.url.text())
        if url is None:
            self._say(i18n.tr("ui.sending.bad_url"), problem=True)
            self.url.setFocus()
            return
        token = self.token.text().strip()
        if not token:
            self._say(i18n.tr("ui.sending.no_token"), problem=True)
            self.token.setFocus()
            return
        self._url = url
        self._say(i18n.tr("ui.sending.checking", url=url), problem=False)
        self._working(True)
        job = _Login(url, token)
        job.signals.done.connect(self._checked)
        self._job = job
        QThreadPool.globalInstance().start(job)

    def _checked(self, outcome: LoginOutcome) -> None:
        self._job = None
        if outcome.problem is not None:
            self._working(False)
            self._say(i18n.tr("ui.sending.login_failed", detail=outcome.problem), problem=True)
            return
        url = self._url
        self._writer.submit(
            lambda workspace: workspace.store.set_setting(sending.SERVER_SETTING, url),
            on_done=lambda _result: self._stored(outcome),
            on_error=self._not_stored,
        )

    def _not_stored(self, message: str) -> None:
        self._working(False)
        self._say(message, problem=True)

    def _stored(self, outcome: LoginOutcome) -> None:
        self._working(False)
        self.token.clear()
        self.saved.emit(self._url)
        if outcome.in_keyring:
            self._say(i18n.tr("ui.sending.saved_keyring", url=self._url), problem=False)
            self.accept()
            return
        self._say(i18n.tr("ui.sending.saved_session", url=self._url), problem=False)
        self.save_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()
