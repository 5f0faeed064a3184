"""Ustawienia wysyłki: one organisation's operator address and token.

Each organisation has its own login: the dialog first asks which organisation,
then shows that organisation's address (and whether plain http is allowed for
it, with a warning); a token is never shared between organisations. An
``http://`` address of another computer is refused unless the box allowing it
is ticked. "Zapisz" first proves both (the operator answers with its marker, and accepts
the token) on a worker thread, with a busy indicator; only then is the address
saved (through the one writer) and the token kept — in the system keyring, or,
where there is none, for this session only, which the dialog says plainly. The
token is never written to a file.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from mms_desktop.ui.style import WARNING_COLOUR, KeepOnScreen
from mms_desktop.ui.writer import StoreWriter

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)  # sending.LoginOutcome, or a bool for the keyring probe


class _Login(QRunnable):
    """Proves the address and the token, then keeps the token (keyring or session)."""

    def __init__(self, url: str, organization_id: str, token: str, allow_insecure: bool) -> None:
        super().__init__()
        self.signals = _Signals()
        self._url = url
        self._organization_id = organization_id
        self._token = token
        self._allow_insecure = allow_insecure

    def run(self) -> None:
        try:
            outcome = sending.check_login(
                self._url, self._organization_id, self._token, self._allow_insecure
            )
        except Exception:
            log.exception("checking the operator login failed")
            outcome = sending.LoginOutcome(problem=i18n.tr("ui.sending.bug"))
        self.signals.done.emit(outcome)


class _KeyringProbe(QRunnable):
    """Whether a keyring backend exists (loading keyring may take a moment)."""

    def __init__(self) -> None:
        super().__init__()
        self.signals = _Signals()

    def run(self) -> None:
        self.signals.done.emit(sending.keyring_available())


class SendingSettingsDialog(QDialog):
    saved = Signal(str)  # the operator's address, once saved

    def __init__(
        self,
        workspace: Workspace,
        writer: StoreWriter,
        parent: QWidget | None = None,
        organization_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.tr("ui.sending.settings_title"))
        self.setMinimumWidth(520)
        self._workspace = workspace
        self._writer = writer
        self._job: _Login | None = None
        self._probe: _KeyringProbe | None = None
        self._url = ""
        self._organization_id = ""
        self._organization_name = ""

        intro = QLabel(i18n.tr("ui.sending.settings_intro"))
        intro.setWordWrap(True)
        self.organization = QComboBox()
        self.organization.setObjectName("operator_organization")
        self.organization.setAccessibleName(i18n.tr("ui.sending.organization").replace("&", ""))
        for summary in workspace.organizations():
            self.organization.addItem(summary.name or summary.id, summary.id)
        if organization_id is not None:
            self.organization.setCurrentIndex(max(0, self.organization.findData(organization_id)))
        self.url = QLineEdit()
        self.url.setObjectName("operator_url")
        self.url.setPlaceholderText("https://")
        self.url.setAccessibleName(i18n.tr("ui.sending.url").replace("&", ""))
        self.token = QLineEdit()
        self.token.setObjectName("operator_token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setAccessibleName(i18n.tr("ui.sending.token").replace("&", ""))
        self.allow_insecure = QCheckBox(i18n.tr("ui.sending.allow_insecure"))
        self.allow_insecure.setObjectName("allow_insecure_http")
        self.insecure_warning = QLabel(i18n.tr("ui.sending.insecure_warning"))
        self.insecure_warning.setObjectName("insecure_warning")
        self.insecure_warning.setWordWrap(True)
        self.insecure_warning.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.allow_insecure.toggled.connect(self._insecure_shown)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        url_label = QLabel(i18n.tr("ui.sending.url"))
        url_label.setBuddy(self.url)
        token_label = QLabel(i18n.tr("ui.sending.token"))
        token_label.setBuddy(self.token)
        organization_label = QLabel(i18n.tr("ui.sending.organization"))
        organization_label.setBuddy(self.organization)
        form.addRow(organization_label, self.organization)
        form.addRow(url_label, self.url)
        form.addRow(token_label, self.token)
        form.addRow(self.allow_insecure)
        form.addRow(self.insecure_warning)

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
        self.organization.currentIndexChanged.connect(self._organization_chosen)
        self._organization_chosen()
        if self.organization.count() > 1 and organization_id is None:
            self.organization.setFocus()
        else:
            (self.token if self.url.text() else self.url).setFocus()

        KeepOnScreen(self, 560)
        probe = _KeyringProbe()
        probe.signals.done.connect(self._keyring_known)
        self._probe = probe
        QThreadPool.globalInstance().start(probe)

    # --- the organisation -----------------------------------------------------------

    def chosen_organization(self) -> str:
        return str(self.organization.currentData() or "")

    def _organization_chosen(self) -> None:
        """The chosen organisation's own address and http permission (never another's token)."""
        login = sending.login_of(self._workspace, self.chosen_organization())
        suggested = sending.suggested_server(self._workspace)
        self.url.setText(login.server_url if login else suggested)
        self.allow_insecure.setChecked(bool(login and login.allow_insecure_http))
        self.token.clear()
        self.outcome.hide()
        self._insecure_shown()

    def _insecure_shown(self) -> None:
        self.insecure_warning.setVisible(self.allow_insecure.isChecked())

    # --- the keyring ----------------------------------------------------------------

    def _keyring_known(self, available: object) -> None:
        self._probe = None
        if not available:
            self.keyring_note.setText(i18n.tr("ui.sending.no_keyring"))
            self.keyring_note.show()

    # --- saving ---------------------------------------------------------------------

    def _say(self, text: str, problem: bool) -> None:
        self.outcome.setStyleSheet(f"color: {WARNING_COLOUR};" if problem else "")
        self.outcome.setText(text)
        self.outcome.show()

    def _working(self, on: bool) -> None:
        self.busy.setVisible(on)
        for widget in (
            self.organization,
            self.url,
            self.token,
            self.allow_insecure,
            self.save_button,
        ):
            widget.setEnabled(not on)

    def _save(self) -> None:
        organization_id = self.chosen_organization()
        if not organization_id:
            self._say(i18n.tr("ui.sending.no_organization"), problem=True)
            return
        url = sending.login_address(self.url.text())
        if url is None:
            self._say(i18n.tr("ui.sending.bad_url"), problem=True)
            self.url.setFocus()
            return
        allow_insecure = self.allow_insecure.isChecked()
        if sending.plain_http(url) and not allow_insecure:
            # Refused before the token goes anywhere.
            self._say(i18n.tr("sync.insecure_http", url=url), problem=True)
            self.url.setFocus()
            return
        token = self.token.text().strip()
        if not token:
            self._say(i18n.tr("ui.sending.no_token"), problem=True)
            self.token.setFocus()
            return
        self._url = url
        self._organization_id = organization_id
        self._organization_name = self.organization.currentText()
        self._say(i18n.tr("ui.sending.checking", url=url), problem=False)
        self._working(True)
        job = _Login(url, organization_id, token, allow_insecure)
        job.signals.done.connect(self._checked)
        self._job = job
        QThreadPool.globalInstance().start(job)

    def _checked(self, outcome: sending.LoginOutcome) -> None:
        self._job = None
        if outcome.problem is not None:
            self._working(False)
            self._say(i18n.tr("ui.sending.login_failed", detail=outcome.problem), problem=True)
            return
        url, organization_id = self._url, self._organization_id
        allow_insecure = self.allow_insecure.isChecked()

        self._writer.submit(
            lambda workspace: sending.keep_login(workspace, organization_id, url, allow_insecure),
            on_done=lambda _result: self._stored(outcome),
            on_error=self._not_stored,
        )

    def _not_stored(self, message: str) -> None:
        self._working(False)
        self._say(message, problem=True)

    def _stored(self, outcome: sending.LoginOutcome) -> None:
        self._working(False)
        self.token.clear()
        self.saved.emit(self._url)
        words = {"url": self._url, "organization": self._organization_name}
        if outcome.in_keyring:
            self._say(i18n.tr("ui.sending.saved_keyring_for", **words), problem=False)
            self.accept()
            return
        self._say(i18n.tr("ui.sending.saved_session_for", **words), problem=False)
        self.save_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()
