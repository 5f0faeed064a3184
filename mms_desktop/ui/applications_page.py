"""The Applications page: the home list and one application open in its editor.

Everything it changes goes to the one writer; what it cannot do itself (the
welcome, the profile, the paper, the sending) it asks for with a signal the
window wires.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.organization import Organization
from mms_desktop.ui import style
from mms_desktop.ui.home_view import HomeView
from mms_desktop.ui.shell import FrozenVersion, Shell

if TYPE_CHECKING:
    from mms_desktop.ui.application_editor import ApplicationEditor
    from mms_desktop.ui.session import ApplicationSession


class ApplicationsPage(QObject):
    welcome_wanted = Signal()  # "new application" with no profile yet
    profile_field_wanted = Signal(object, str)  # organisation id (or None), field path
    preview_wanted = Signal()
    print_wanted = Signal()
    save_pdf_wanted = Signal()
    report_wanted = Signal(str)  # the application a new report settles
    submitted = Signal()  # frozen and queued: the outbox changed, send now
    imported = Signal()  # a file read in: its organisation may be new

    def __init__(self, shell: Shell, current_organization: Callable[[], str | None]) -> None:
        super().__init__(shell)
        self.shell = shell
        self._current_organization = current_organization
        self.session: ApplicationSession | None = None
        self.editor: ApplicationEditor | None = None

        self.home = HomeView(shell.workspace)
        self.home.open_application.connect(self.open)
        self.home.new_application.connect(self.new)
        self.home.clone_application.connect(self.clone)
        self.home.trash_application.connect(self.trash)
        self.home.export_application.connect(self.export)
        self.home.import_application.connect(self.import_file)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        self.editor_page = QWidget()
        editor_layout = QVBoxLayout(self.editor_page)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton(i18n.tr("ui.editor.back"))
        back.setObjectName("back_button")
        back.clicked.connect(self.show_home)
        back_row = QHBoxLayout()
        back_row.addWidget(back)
        back_row.addStretch(1)
        editor_layout.addLayout(back_row)
        self.editor_holder = QVBoxLayout()
        editor_layout.addLayout(self.editor_holder, 1)
        self.stack.addWidget(self.editor_page)
        style.sized_by_current_page(self.stack)

    def forget_session(self) -> None:
        """The store is being replaced (a restore): the session on it goes."""
        self.shell.retire_session(self.session)
        self.session = None
        self.editor = None

    def flush(self) -> None:
        if self.editor is not None:
            self.editor.flush()

    def editing(self) -> bool:
        """An application is open and on screen (not the list)."""
        return self.session is not None and self.stack.currentWidget() is self.editor_page

    def current_id(self) -> str | None:
        """The application on screen, else the one chosen in the list."""
        if self.session is not None and self.editing():
            return self.session.application.id
        return self.home.selected_id()

    # --- the list ------------------------------------------------------------------

    def show_home(self) -> None:
        self.flush()
        self.shell.go_to(Shell.APPLICATIONS)
        self.stack.setCurrentWidget(self.home)
        self.home.reload()
        self.home.table.setFocus()

    def new(self) -> None:
        organization_id = self._current_organization()
        if organization_id is None:
            self.welcome_wanted.emit()
            return
        from mms_desktop.ui.dialogs import NewApplicationDialog  # first use

        dialog = NewApplicationDialog(self.shell.workspace.calls.all(), self.shell)
        call_id = dialog.call_id() if dialog.exec() else None
        if call_id is None:
            return
        self.shell.writer.submit(
            lambda workspace: workspace.new_application(organization_id, call_id).id,
            on_done=self._created,
            on_error=self.shell.show_problem,
        )

    def _created(self, application_id: object) -> None:
        self.home.reload()
        self.open(str(application_id))

    def clone(self, application_id: str) -> None:
        self.shell.writer.submit(
            lambda workspace: workspace.clone_application(application_id).id,
            on_done=self._created,
            on_error=self.shell.show_problem,
        )

    def trash(self, application_id: str) -> None:
        self.shell.writer.submit(
            lambda workspace: workspace.trash_application(application_id),
            on_done=lambda _result: self._trashed(),
        )

    def _trashed(self) -> None:
        self.home.reload()
        self.shell.say(i18n.tr("ui.status.trashed"), 6000)

    def export(self, application_id: str) -> None:
        shell = self.shell
        title = shell.workspace.application(application_id).title or "wniosek"
        suggested = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title)[:60]
        from PySide6.QtWidgets import QFileDialog  # first use: not loaded by the start

        path, _filter = QFileDialog.getSaveFileName(
            shell, i18n.tr("ui.export.title"), f"{suggested}.json", i18n.tr("ui.export.filter")
        )
        if not path:
            return
        shell.writer.submit(
            lambda workspace: workspace.export_json(application_id, Path(path)),
            on_done=lambda _result: shell.say(i18n.tr("cli.exported", path=path), 8000),
            on_error=shell.show_problem,
        )

    def export_current(self) -> None:
        if self.session is not None and self.editing():
            self.export(self.session.application.id)
        elif self.home.selected_id():
            self.export(self.home.selected_id() or "")

    def import_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # first use: not loaded by the start

        path, _filter = QFileDialog.getOpenFileName(
            self.shell, i18n.tr("ui.import.title"), "", i18n.tr("ui.export.filter")
        )
        if not path:
            return
        self.shell.writer.submit(
            lambda workspace: workspace.import_file(Path(path)),
            on_done=self._imported,
            on_error=self.shell.show_problem,
        )

    def _imported(self, imported: object) -> None:
        from PySide6.QtWidgets import QMessageBox  # first use: not loaded by the start

        from mms_desktop.services.workspace import ImportedFile

        assert isinstance(imported, ImportedFile)
        self.imported.emit()
        self._created(imported.application.id)
        told = imported.messages()
        if told:
            # Two profiles now share a name: the person must know, and see which is which.
            self.shell.say(told[0], 15000)
            QMessageBox.information(self.shell, i18n.tr("ui.import.title"), "\n\n".join(told))

    # --- one application in the editor ---------------------------------------------

    def open(self, application_id: str) -> None:
        shell = self.shell
        if self.editor is not None:
            self.editor.flush()
            self.editor.setParent(None)
            self.editor.deleteLater()
        shell.writer.flush()
        shell.retire_session(self.session)
        from mms_desktop.ui.session import ApplicationSession  # first use

        self.session = ApplicationSession(shell.workspace, shell.writer, shell.undo, application_id)
        from mms_desktop.ui.application_editor import ApplicationEditor  # first use

        self.editor = ApplicationEditor(self.session)
        self.editor.edit_organization.connect(self._edit_profile_field)
        self.editor.preview_requested.connect(self.preview_wanted)
        self.editor.print_requested.connect(self.print_wanted)
        self.editor.save_pdf_requested.connect(self.save_pdf_wanted)
        self.editor.send_requested.connect(self.submit_current)
        self.editor.reopen_requested.connect(self.reopen_current)
        self.editor.attach_requested.connect(self.attach_file)
        self.editor.detach_requested.connect(self.detach_file)
        self.editor.report_requested.connect(self.report_wanted)
        self.show_status()
        self.editor_holder.addWidget(self.editor)
        shell.fit_text_scale()  # the new editor's widgets too
        shell.go_to(Shell.APPLICATIONS)
        self.stack.setCurrentWidget(self.editor_page)
        self.editor.sections.setFocus()

    def _edit_profile_field(self, path: str) -> None:
        organization_id = None if self.session is None else self.session.organization.id
        self.profile_field_wanted.emit(organization_id, path)

    def organization_edited(self, organization: Organization) -> None:
        """The profile changed on its page: the open application shows it at once."""
        if self.session is not None and self.session.organization.id == organization.id:
            self.session.refresh_organization(organization)

    def attach_file(self, path: Path, requirement_id: str) -> None:
        """Store the file (on the writer thread) and add it to the open application."""
        session = self.session
        if session is None:
            return
        application_id = session.application.id
        self.shell.writer.submit(
            lambda workspace: workspace.attach(application_id, path, requirement_id),
            on_done=lambda _ref: self._attachments_changed(session),
            on_error=self.shell.show_problem,
        )

    def detach_file(self, sha256: str) -> None:
        session = self.session
        if session is None:
            return
        application_id = session.application.id
        self.shell.writer.submit(
            lambda workspace: workspace.detach(application_id, sha256),
            on_done=lambda _result: self._attachments_changed(session),
            on_error=self.shell.show_problem,
        )

    def _attachments_changed(self, session: ApplicationSession) -> None:
        self.shell.writer.flush()
        if session is self.session:
            session.reload()

    def check(self) -> None:
        """F7 on the application on screen."""
        if self.editor is not None and self.editing():
            self.editor.run_check()

    def show_status(self) -> None:
        """The application's status and the operator's last word, above the editor."""
        session = self.session
        if self.editor is None or session is None:
            return
        from mms_desktop.services import sending

        application_id = session.application.id
        workspace = self.shell.workspace
        answer = sending.application_answers(workspace).get(application_id)
        self.editor.show_status(
            workspace.application_status(application_id).value,
            answer.comment if answer is not None else None,
        )

    # --- sending and corrections ----------------------------------------------------

    def submit_current(self) -> None:
        """The editor's "Wyślij", confirmed: freeze and queue (one writer job), then send."""
        session = self.session
        if session is None:
            return
        application_id = session.application.id
        self.flush()
        from mms_desktop.services.workspace import now

        self.shell.writer.submit(
            lambda workspace: workspace.submit(application_id, now()),
            on_done=lambda version: self._submitted(application_id, version),
            on_error=self.shell.show_problem,
        )

    def _submitted(self, application_id: str, version: FrozenVersion) -> None:
        self.shell.say_frozen("ui.sending.submitted", version)
        self.home.reload()
        if self.session is not None and self.session.application.id == application_id:
            self.open(application_id)  # read-only now: the version is frozen
        self.submitted.emit()

    def reopen_current(self) -> None:
        session = self.session
        if session is None:
            return
        application_id = session.application.id
        self.shell.writer.submit(
            lambda workspace: workspace.reopen_for_corrections(application_id),
            on_done=lambda _result: self._reopened(application_id),
            on_error=self.shell.show_problem,
        )

    def _reopened(self, application_id: str) -> None:
        self.home.reload()
        self.open(application_id)  # a draft again: editable
        self.shell.say(i18n.tr("ui.sending.reopened"), 10000)
