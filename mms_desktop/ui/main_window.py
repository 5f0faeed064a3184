"""The main window: the shell that wires the pages, the menus and the first run.

Each page or group of menu entries is a controller in its own module
(applications, organisations, reports, sending, paper, backups, bundles,
settings); this module builds them, connects what one asks of another, and
opens and closes the data. The window reads through its own connection and
writes only through the one writer thread; it never touches SQL or files itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence

from mms_desktop import __version__, i18n
from mms_desktop.services.workspace import DemoIds, Workspace, WorkspaceOpening
from mms_desktop.ui.applications_page import ApplicationsPage
from mms_desktop.ui.backup_actions import BackupActions
from mms_desktop.ui.organizations_page import OrganizationsPage
from mms_desktop.ui.paper_actions import Paper, PaperActions
from mms_desktop.ui.reports_page import ReportsPage
from mms_desktop.ui.sending_page import SendingPage
from mms_desktop.ui.settings_actions import SettingsActions
from mms_desktop.ui.shell import Shell
from mms_desktop.ui.style import sized_by_current_page
from mms_desktop.ui.unsaved import check_nothing_waits, commit_all_typing

if TYPE_CHECKING:
    from mms_desktop.services.sending import SyncReport
    from mms_desktop.ui.bundle_actions import BundleActions

log = logging.getLogger(__name__)

BACKGROUND_THREADS = 6
# The sending worker (and the modules it loads) waits until the window is on screen
# and answering; its first round is seconds later anyway.
START_SENDING_MS = 300


class MainWindow(Shell):
    def __init__(
        self,
        data_dir: Path,
        ask_on_first_run: bool = True,
        language: str | None = None,
        opening: WorkspaceOpening | None = None,
    ) -> None:
        super().__init__(data_dir, language, opening)
        # The background jobs (backups, checks, PDFs, the login check, thumbnails) wait
        # on the disk or the network, not the processor: on a 2-core laptop Qt's
        # default of one thread per core would queue a login check behind a backup.
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), BACKGROUND_THREADS))

        self.paper = PaperActions(self, self._paper)
        self.backups = BackupActions(self, self._close_for_restore, self._reopen_data)
        self.settings = SettingsActions(self)
        self._bundles: BundleActions | None = None
        self.build_status()
        self._build_pages()
        self._build_menus()
        self.settings.apply_saved()
        self._show_data()
        self._first_run_pending = ask_on_first_run and not self.workspace.organizations()

    # --- building -------------------------------------------------------------------

    def _build_pages(self) -> None:
        """Everything on screen that shows the store: built again after a restore."""
        self.build_frame()
        self.applications = applications = ApplicationsPage(self, self._current_organization)
        self.organizations = organizations = OrganizationsPage(self)
        self.sending = sending = SendingPage(self)
        self.reports = reports = ReportsPage(self)
        self.add_page("ui.nav.applications", applications.stack)
        self.add_page("ui.nav.organization", organizations.page)
        self.add_page("ui.sending.nav", sending.page)
        self.add_page("ui.reports.nav", reports.stack)
        sized_by_current_page(self.pages)
        self.navigation.currentRowChanged.connect(self._navigate)
        self.go_to(self.APPLICATIONS)

        applications.welcome_wanted.connect(self.welcome)
        applications.profile_field_wanted.connect(organizations.edit_field)
        applications.imported.connect(organizations.refresh)
        applications.report_wanted.connect(reports.new)
        applications.submitted.connect(sending.queued)
        applications.home.show_bin.connect(self.show_bin)
        organizations.changed.connect(applications.organization_edited)
        reports.bin_wanted.connect(self.show_bin)
        reports.submitted.connect(sending.queued)
        sending.round_done.connect(self._round_done)
        for page in (applications, reports):
            page.preview_wanted.connect(self.paper.preview_pdf)
            page.print_wanted.connect(self.paper.print_pdf)
            page.save_pdf_wanted.connect(self.paper.save_pdf)

    def _show_data(self) -> None:
        self.applications.home.reload()
        self.organizations.refresh()
        self.sending.refresh_status()

    def _action(
        self,
        key: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(i18n.tr(key), self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        # Lambdas, not bound methods: the menus outlive the pages (a restore builds
        # them again), so each entry finds the page when chosen.
        bar = self.menuBar()
        file_menu = bar.addMenu(i18n.tr("ui.menu.file"))
        for key, slot, shortcut in (
            ("ui.menu.new", lambda: self.applications.new(), "Ctrl+Shift+N"),  # noqa: PLW0108
            ("ui.menu.import", lambda: self.applications.import_file(), "Ctrl+O"),  # noqa: PLW0108
            ("ui.menu.export", lambda: self.applications.export_current(), "Ctrl+E"),  # noqa: PLW0108
            ("ui.menu.bin", self.show_bin, None),
            ("ui.reports.menu_new", lambda: self.reports.new(), None),  # noqa: PLW0108
        ):
            file_menu.addAction(self._action(key, slot, shortcut))
        file_menu.addSeparator()
        file_menu.addAction(self._action("ui.menu.preview", self.paper.preview_pdf, "Ctrl+Shift+P"))
        file_menu.addAction(
            self._action("ui.menu.print", self.paper.print_pdf, QKeySequence.StandardKey.Print)
        )
        file_menu.addAction(self._action("ui.menu.save_pdf", self.paper.save_pdf, "Ctrl+Shift+S"))
        file_menu.addAction(self._action("ui.menu.blank_form", self.paper.save_blank_form))
        file_menu.addSeparator()
        file_menu.addAction(self._action("ui.menu.demo", self.load_demo))
        file_menu.addAction(self._action("ui.backups.menu", self.backups.show))
        file_menu.addAction(self._action("ui.bundle.menu_export", lambda: self.bundles.export()))  # noqa: PLW0108
        file_menu.addAction(self._action("ui.bundle.menu_import", lambda: self.bundles.import_()))  # noqa: PLW0108
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("ui.sending.menu_send_now", lambda: self.sending.send_now_asked())  # noqa: PLW0108
        )
        file_menu.addAction(
            self._action("ui.sending.menu_settings", lambda: self.sending.settings())  # noqa: PLW0108
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action("ui.menu.quit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu(i18n.tr("ui.menu.edit"))
        self.undo_action = self.undo.createUndoAction(self, i18n.tr("ui.menu.undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo.createRedoAction(self, i18n.tr("ui.menu.redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("ui.menu.check", self._check_current, "F7"))

        view_menu = bar.addMenu(i18n.tr("ui.menu.view"))
        view_menu.addAction(self._action("ui.nav.applications", self.show_home, "Ctrl+1"))
        view_menu.addAction(
            self._action("ui.nav.organization", lambda: self.go_to(self.ORGANIZATION), "Ctrl+2")
        )
        view_menu.addAction(self._action("ui.sending.nav", self.show_sending, "Ctrl+3"))
        view_menu.addAction(self._action("ui.reports.menu_nav", self.show_reports, "Ctrl+4"))
        view_menu.addSeparator()
        self.settings.add_to(view_menu)

        help_menu = bar.addMenu(i18n.tr("ui.menu.help"))
        help_menu.addAction(self._action("ui.menu.about", self._about))

    @property
    def bundles(self) -> BundleActions:
        if self._bundles is None:
            from mms_desktop.ui.bundle_actions import BundleActions  # first use

            self._bundles = BundleActions(self, self._current_organization)
            self._bundles.imported.connect(self.reload_after_import)
        return self._bundles

    # --- first run ------------------------------------------------------------------

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        QTimer.singleShot(START_SENDING_MS, self.sending.start)
        self.backups.window_shown()
        if self._first_run_pending:
            self._first_run_pending = False
            QTimer.singleShot(0, self.welcome)

    def welcome(self) -> None:
        from mms_desktop.ui.dialogs import WelcomeDialog  # first use

        dialog = WelcomeDialog(self)
        if not dialog.exec():
            return
        if dialog.choice == WelcomeDialog.CREATE:
            self.organizations.create(dialog.name.text().strip(), dialog.legal_form.currentData())
        elif dialog.choice == WelcomeDialog.DEMO:
            self.load_demo()
        elif dialog.choice == WelcomeDialog.IMPORT:
            self.applications.import_file()

    def load_demo(self) -> None:
        self.writer.submit(lambda workspace: workspace.create_demo(), on_done=self._demo_created)

    def _demo_created(self, ids: DemoIds) -> None:
        self.organizations.refresh(select=ids.organization_id)
        self.applications.home.reload()
        self.show_home()
        self.applications.home.select(ids.application_id)

    # --- moving between pages ----------------------------------------------------------

    def _current_organization(self) -> str | None:
        return self.organizations.current_id()

    def _navigate(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        if row == self.ORGANIZATION:
            self.organizations.shown()
        if row == self.SENDING:
            self.sending.shown()
        if row == self.REPORTS:
            self.reports.shown()

    def _flush_editors(self) -> None:
        self.applications.flush()
        self.reports.flush()

    def show_home(self) -> None:
        self.reports.flush()
        self.applications.show_home()

    def show_sending(self) -> None:
        self._flush_editors()
        self.sending.show()

    def show_reports(self) -> None:
        self.reports.show_list()

    def _check_current(self) -> None:
        if not self.reports.check():
            self.applications.check()

    def _paper(self) -> Paper:
        """What the paper buttons print here: the report on the Reports page, else the
        application."""
        if self.current_page() == self.REPORTS:
            report_id = self.reports.current_id()
            if report_id is None:
                return None
            from mms_desktop.services import reports  # first use

            title = reports.load(self.workspace, report_id).title
            return (
                i18n.tr("ui.report.file_name", title=title),
                lambda workspace: reports.report_pdf(workspace, report_id),
            )
        application_id = self.applications.current_id()
        if application_id is None:
            return None
        return (
            self.workspace.application(application_id).title,
            lambda workspace: workspace.application_pdf(application_id),
        )

    def show_bin(self) -> None:
        """Applications and reports in the bin; the one chosen comes back."""
        from mms_desktop.services import reports as report_service  # first use
        from mms_desktop.ui.dialogs import BinDialog

        untitled = i18n.tr("ui.editor.untitled")
        applications = [
            (item.id, item.title or untitled)
            for item in self.workspace.applications(include_deleted=True)
            if item.deleted_at
        ]
        reports = [
            (
                item.id,
                i18n.tr(f"ui.sending.report_title.{item.kind.value}", title=item.title or untitled),
            )
            for item in report_service.trashed(self.workspace)
        ]
        dialog = BinDialog(applications + reports, self)
        chosen = dialog.selected_id() if dialog.exec() else None
        if chosen is None:
            return
        if chosen in dict(reports):
            self.writer.submit(
                lambda workspace: report_service.restore(workspace, chosen),
                on_done=lambda _result: self.reports.view.reload(),
            )
        else:
            self.writer.submit(
                lambda workspace: workspace.restore_application(chosen),
                on_done=lambda _result: self.applications.home.reload(),
            )

    def _round_done(self, report: SyncReport) -> None:
        """A sending round ended: statuses on the home page, the reports and the editor."""
        if (
            report.sent
            or report.answers
            or self.applications.stack.currentWidget() is (self.applications.home)
        ):
            self.applications.home.reload()
        if report.sent or report.answers:
            self.reports.reload_if_built()
        self.applications.show_status()

    def reload_after_import(self) -> None:
        """New organisations, applications and reports came in: every list shows them."""
        self.organizations.refresh()
        self.applications.home.reload()
        self.reports.reload_if_built()
        self.sending.refresh_status()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # first use: not loaded by the start

        QMessageBox.about(
            self,
            i18n.tr("ui.menu.about").replace("&", ""),
            i18n.tr("ui.about", version=__version__, path=str(self.workspace.data_dir.root)),
        )

    # --- closing, and opening the data again after a restore ----------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing typed is lost: save what is being typed, wait for the writer."""
        if self.backups.restore_task is not None:  # the store is being replaced: it finishes
            event.ignore()
            return
        self.backups.stop()
        if self.data_open:
            self.remember_place()
            self._close_data()
        event.accept()

    def _close_data(self) -> None:
        """Save what is being typed, stop every worker, close every connection to the store."""
        commit_all_typing(self)
        check_nothing_waits(self)
        self.applications.home.cancel_check()
        self.sending.stop()
        QThreadPool.globalInstance().waitForDone(10_000)
        self.writer.close()
        self.workspace.close()
        self.data_open = False

    def _close_for_restore(self) -> None:
        self._close_data()
        # Results of jobs done on the closed store would reach pages about to go.
        QCoreApplication.removePostedEvents(self.writer)
        for page in (self.applications, self.organizations, self.reports):
            page.forget_session()
        self.sending.forget_worker()

    def _reopen_data(self, notice: str | None, problem: str | None = None) -> None:
        """After a restore (or a failed one): the store, the writer and the pages anew."""
        root = self.workspace.data_dir.root
        try:
            self.workspace = Workspace.open(root)
        except Exception as error:
            from PySide6.QtWidgets import QMessageBox

            from mms_desktop.ui.writer import error_message

            QMessageBox.critical(self, i18n.tr("ui.window_title"), error_message(error, root))
            self.close()
            return
        self.writer = self.start_writer()
        self.data_open = True
        self.undo.clear()
        self._build_pages()
        self.fit_text_scale()
        self._show_data()
        QTimer.singleShot(START_SENDING_MS, self.sending.start)
        self.save_status.setText(i18n.tr("ui.status.saved"))
        if problem is not None:
            self.show_problem(problem)
        if notice is not None:
            self.show_notice(notice)
        self.applications.home.table.setFocus()
