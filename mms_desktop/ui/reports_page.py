"""The Reports page: the list of reports and one report open in its editor.

Only the navigation entry exists at start-up; the list and the report modules
load when the page is first shown.
"""

from __future__ import annotations

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
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui import style
from mms_desktop.ui.shell import FrozenVersion, Shell

if TYPE_CHECKING:
    from mms_desktop.ui.report_editor import ReportEditor
    from mms_desktop.ui.report_session import ReportSession
    from mms_desktop.ui.reports_view import ReportsView


class ReportsPage(QObject):
    bin_wanted = Signal()
    preview_wanted = Signal()
    print_wanted = Signal()
    save_pdf_wanted = Signal()
    submitted = Signal()  # frozen and queued: the outbox changed, send now

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.stack = QStackedWidget()
        self._list_page = QWidget()
        self._list_layout = QVBoxLayout(self._list_page)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(self._list_page)
        self.editor_page = QWidget()
        editor_layout = QVBoxLayout(self.editor_page)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton(i18n.tr("ui.report.back"))
        back.setObjectName("report_back_button")
        back.setAccessibleName(i18n.tr("ui.report.back").replace("&", ""))
        back.clicked.connect(self.show_list)
        back_row = QHBoxLayout()
        back_row.addWidget(back)
        back_row.addStretch(1)
        editor_layout.addLayout(back_row)
        self.editor_holder = QVBoxLayout()
        editor_layout.addLayout(self.editor_holder, 1)
        self.stack.addWidget(self.editor_page)
        style.sized_by_current_page(self.stack)
        self.built_view: ReportsView | None = None  # None until the page is first shown
        self.session: ReportSession | None = None
        self.editor: ReportEditor | None = None

    @property
    def view(self) -> ReportsView:
        if self.built_view is None:
            from mms_desktop.ui.reports_view import ReportsView  # first use

            view = ReportsView(self.shell.workspace)
            view.open_report.connect(self.open)
            view.new_report.connect(self.new)
            view.trash_report.connect(self.trash)
            view.show_bin.connect(self.bin_wanted)
            self._list_layout.addWidget(view)
            self.built_view = view
        return self.built_view

    def reload_if_built(self) -> None:
        """New reports or statuses came in: a list already on screen shows them."""
        if self.built_view is not None:
            self.built_view.reload()

    def forget_session(self) -> None:
        """The store is being replaced (a restore): the session on it goes."""
        self.shell.retire_session(self.session)
        self.session = None
        self.editor = None

    def flush(self) -> None:
        if self.editor is not None:
            self.editor.flush()

    def shown(self) -> None:
        if self.stack.currentWidget() is self._list_page:
            self.view.reload()

    # --- the list ------------------------------------------------------------------

    def show_list(self) -> None:
        self.flush()
        self.shell.go_to(Shell.REPORTS)
        self.stack.setCurrentWidget(self._list_page)
        self.view.reload()
        self.view.table.setFocus()

    def current_editor(self) -> ReportEditor | None:
        """The report editor when it is on screen."""
        if self.shell.current_page() == Shell.REPORTS and self.stack.currentWidget() is (
            self.editor_page
        ):
            return self.editor
        return None

    def current_id(self) -> str | None:
        """The report on screen, else the one chosen in the list."""
        if self.current_editor() is not None and self.session is not None:
            return self.session.report.id
        return self.view.selected_id()

    def check(self) -> bool:
        """F7 on the report on screen; False when none is."""
        editor = self.current_editor()
        if editor is None:
            return False
        editor.run_check()
        return True

    def new(self, application_id: str | None = None) -> None:
        """ "Nowe sprawozdanie…": for a submitted application, final or partial."""
        from mms_desktop.ui.reports_view import NewReportDialog, reportable  # first use

        shell = self.shell
        applications = reportable(shell.workspace)
        if not applications:
            from PySide6.QtWidgets import QMessageBox  # first use: not loaded by the start

            QMessageBox.information(
                shell, i18n.tr("ui.reports.new_title"), i18n.tr("ui.reports.none_reportable")
            )
            return
        dialog = NewReportDialog(applications, application_id, shell)
        if not dialog.exec():
            return
        chosen, kind = dialog.application_id(), dialog.kind()
        if chosen is None:
            return
        from mms_desktop.services import reports

        shell.writer.submit(
            lambda workspace: reports.new_report(workspace, chosen, kind).id,
            on_done=lambda report_id: self.open(str(report_id)),
            on_error=shell.show_problem,
        )

    def trash(self, report_id: str) -> None:
        """Move a report to the bin (Plik → Kosz brings it back); its editor closes."""
        if self.session is not None and self.session.report.id == report_id:
            self.show_list()
        from mms_desktop.services import reports

        self.shell.writer.submit(
            lambda workspace: reports.trash(workspace, report_id),
            on_done=lambda _result: self._trashed(),
            on_error=self.shell.show_problem,
        )

    def _trashed(self) -> None:
        self.view.reload()
        self.shell.say(i18n.tr("ui.reports.trashed"), 6000)

    # --- one report in the editor ---------------------------------------------------

    def open(self, report_id: str) -> None:
        shell = self.shell
        if self.editor is not None:
            self.editor.flush()
            self.editor.setParent(None)
            self.editor.deleteLater()
            self.editor = None
        shell.writer.flush()
        shell.retire_session(self.session)
        from mms_desktop.ui.report_editor import ReportEditor  # first use
        from mms_desktop.ui.report_session import ReportSession

        self.session = ReportSession(shell.workspace, shell.writer, shell.undo, report_id)
        self.session.problem.connect(shell.show_problem)
        self.editor = ReportEditor(self.session)
        self.editor.preview_requested.connect(self.preview_wanted)
        self.editor.print_requested.connect(self.print_wanted)
        self.editor.save_pdf_requested.connect(self.save_pdf_wanted)
        self.editor.send_requested.connect(self.submit)
        self.editor.reopen_requested.connect(self.reopen)
        self.show_status()
        self.editor_holder.addWidget(self.editor)
        shell.fit_text_scale()
        shell.go_to(Shell.REPORTS)
        self.stack.setCurrentWidget(self.editor_page)
        self.editor.sections.setFocus()

    def show_status(self) -> None:
        session, editor = self.session, self.editor
        if session is None or editor is None:
            return
        from mms_desktop.domain.canonical import control_sum
        from mms_desktop.services import reports, sending

        workspace = self.shell.workspace
        report_id = session.report.id
        versions = reports.versions(workspace, report_id)
        answer = sending.report_answers(workspace).get(report_id)
        editor.show_status(
            reports.status(workspace, report_id).value,
            control_sum(versions[-1].sha256) if versions else None,
            answer.comment if answer is not None else None,
        )

    def reopen(self) -> None:
        """The operator asked for corrections: the report becomes a draft (a new version)."""
        session = self.session
        if session is None:
            return
        report_id = session.report.id

        def reopen(workspace: Workspace) -> None:
            from mms_desktop.services import reports

            reports.reopen_for_corrections(workspace, report_id)

        self.shell.writer.submit(
            reopen,
            on_done=lambda _result: self._reopened(report_id),
            on_error=self.shell.show_problem,
        )

    def _reopened(self, report_id: str) -> None:
        self.view.reload()
        self.open(report_id)  # a draft again: editable
        self.shell.say(i18n.tr("ui.report.reopened"), 10000)

    def submit(self) -> None:
        """The report editor's "Wyślij", confirmed: freeze and queue (one writer job)."""
        session = self.session
        if session is None:
            return
        report_id = session.report.id
        self.flush()
        from mms_desktop.services import reports

        self.shell.writer.submit(
            lambda workspace: reports.submit(workspace, report_id),
            on_done=lambda version: self._submitted(report_id, version),
            on_error=self.shell.show_problem,
        )

    def _submitted(self, report_id: str, version: FrozenVersion) -> None:
        self.shell.say_frozen("ui.report.submitted", version)
        if self.session is not None and self.session.report.id == report_id:
            self.open(report_id)  # read-only now: the version is frozen
        self.submitted.emit()
