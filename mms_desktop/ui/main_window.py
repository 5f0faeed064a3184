"""The main window: navigation, menus, the save indicator, and the pages.

The window reads through its own connection and writes only through the one
writer thread; it never touches SQL or files itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import __version__, i18n
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.organization import LegalForm, Organization, RegisterType
from mms_desktop.services.backups import AUTO_INTERVAL_HOURS
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.ui.home_view import HomeView
from mms_desktop.ui.session import ApplicationSession, OrganizationSession
from mms_desktop.ui.style import HEADING_SCALE, WARNING_BANNER_STYLE
from mms_desktop.ui.unsaved import check_nothing_waits, commit_all_typing, notifier, waiting

if TYPE_CHECKING:
    from mms_desktop.services.backups import BackupInfo
    from mms_desktop.services.sending import SyncReport
    from mms_desktop.ui.application_editor import ApplicationEditor
    from mms_desktop.ui.backup_tasks import BackgroundTask
    from mms_desktop.ui.backups_dialog import BackupsDialog
    from mms_desktop.ui.bundle_actions import BundleActions
    from mms_desktop.ui.organization_editor import OrganizationEditor
    from mms_desktop.ui.report_editor import ReportEditor
    from mms_desktop.ui.report_session import ReportSession
    from mms_desktop.ui.reports_view import ReportsView
    from mms_desktop.ui.sending_view import SendingView
    from mms_desktop.ui.sync_worker import SyncWorker
from mms_desktop.ui.writer import StoreWriter

log = logging.getLogger(__name__)


class FrozenVersion(Protocol):
    """What the window says of a version just frozen (an application's or a report's)."""

    @property
    def number(self) -> int: ...

    @property
    def sha256(self) -> str: ...


TEXT_SCALES = (1.0, 1.25, 1.5)
_REGISTER_FOR = {
    LegalForm.KGW: RegisterType.ARIMR_KGW,
    LegalForm.ORDINARY_ASSOCIATION: RegisterType.STAROSTA,
    LegalForm.SPORTS_CLUB: RegisterType.STAROSTA,
    LegalForm.INFORMAL_GROUP: RegisterType.NONE,
}


BACKGROUND_THREADS = 6


class MainWindow(QMainWindow):
    APPLICATIONS, ORGANIZATION = range(2)
    SENDING = 2
    REPORTS = 3
    start_backup_delay_ms = 1_000  # after the first paint
    backup_finished = Signal(object)  # a backup made (its Path), or None when none was due

    def __init__(
        self, data_dir: Path, ask_on_first_run: bool = True, language: str | None = None
    ) -> None:
        super().__init__()
        self.workspace = Workspace.open(data_dir)
        # The language chosen in the menu last time, unless --language says otherwise.
        chosen = language or self.workspace.store.setting("language")
        if chosen in i18n.LANGUAGES:
            i18n.set_language(chosen)
        self.writer = self._start_writer()
        self.undo = QUndoStack(self)
        self._no_sessions()
        self._base_font_size = QApplication.font().pointSizeF()
        self._text_scale = 1.0
        self.last_pdf: bytes | None = None
        self._data_open = True
        self._backups_started = False
        self.backups_dialog: BackupsDialog | None = None
        self._restore_task: BackgroundTask | None = None
        self._busy: QProgressDialog | None = None

        # The background jobs (backups, checks, PDFs, the login check, thumbnails) wait
        # on the disk or the network, not the processor: on a 2-core laptop Qt's
        # default of one thread per core would queue a login check behind a backup.
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), BACKGROUND_THREADS))

        self.setWindowTitle(i18n.tr("ui.window_title"))
        self.resize(1280, 740)
        self._build_data_pages()
        self._build_menus()
        self._build_status()
        self._build_backups()
        saved_scale = float(self.workspace.store.setting("text_scale", "1.0") or 1.0)
        if saved_scale != 1.0:  # the default size needs no pass over every widget
            self._apply_text_scale(saved_scale)
        else:
            self.text_scale_actions[1.0].setChecked(True)
        self._show_data()
        self._first_run_pending = ask_on_first_run and not self.workspace.store.list_organizations()

    def _start_writer(self) -> StoreWriter:
        writer = StoreWriter(self.workspace.data_dir.root)
        writer.queued.connect(self._show_save_state)
        writer.saved.connect(self._saved)
        writer.failed.connect(self._failed)
        return writer

    def _no_sessions(self) -> None:
        self.application_session: ApplicationSession | None = None
        self.organization_session: OrganizationSession | None = None
        self.editor: ApplicationEditor | None = None
        self.organization_editor: OrganizationEditor | None = None
        self._organization_stale = False

    def _build_data_pages(self) -> None:
        """Everything on screen that shows the store: built again after a restore."""
        self._build_pages()
        self._build_sending()
        self._build_reports()

    def _show_data(self) -> None:
        self.home.reload()
        self._select_first_organization()
        self._refresh_outbox_status()

    # --- building ---------------------------------------------------------------

    def _build_pages(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(i18n.tr("ui.nav.name"))
        self.navigation.setMaximumWidth(140)
        for key in ("ui.nav.applications", "ui.nav.organization"):
            self.navigation.addItem(i18n.tr(key))
        self.pages = QStackedWidget()
        self.navigation.currentRowChanged.connect(self._navigate)

        self.home = HomeView(self.workspace)
        self.home.open_application.connect(self.open_application)
        self.home.new_application.connect(self.new_application)
        self.home.clone_application.connect(self.clone_application)
        self.home.trash_application.connect(self.trash_application)
        self.home.export_application.connect(self.export_application)
        self.home.import_application.connect(self.import_application)
        self.home.show_bin.connect(self.show_bin)
        self.applications_stack = QStackedWidget()
        self.applications_stack.addWidget(self.home)
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
        self.applications_stack.addWidget(self.editor_page)
        self.pages.addWidget(self.applications_stack)

        self.organization_page = QWidget()
        organization_layout = QVBoxLayout(self.organization_page)
        chooser = QHBoxLayout()
        chooser_label = QLabel(i18n.tr("ui.org_page.choose"))
        self.organization_choice = QComboBox()
        self.organization_choice.setObjectName("organization_choice")
        self.organization_choice.setAccessibleName(i18n.tr("ui.org_page.choose").replace("&", ""))
        chooser_label.setBuddy(self.organization_choice)
        self.organization_choice.currentIndexChanged.connect(self._organization_chosen)
        add_organization = QPushButton(i18n.tr("ui.org_page.new"))
        add_organization.setObjectName("new_organization")
        add_organization.clicked.connect(
            lambda: self.create_organization(i18n.tr("ui.org_page.new_name"), LegalForm.ASSOCIATION)
        )
        chooser.addWidget(chooser_label)
        chooser.addWidget(self.organization_choice, 1)
        chooser.addWidget(add_organization)
        organization_layout.addLayout(chooser)
        self.organization_holder = QVBoxLayout()
        organization_layout.addLayout(self.organization_holder, 1)
        self.pages.addWidget(self.organization_page)

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(WARNING_BANNER_STYLE)
        self.banner.hide()
        central = QWidget()
        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addWidget(self.pages, 1)
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self.navigation.setCurrentRow(self.APPLICATIONS)

    def _build_sending(self) -> None:
        # The Sending page and the worker are built on first use (the worker a
        # moment after the first paint): the window comes first.
        self.navigation.addItem(i18n.tr("ui.sending.nav"))
        self._sending_page = QWidget()
        self._sending_layout = QVBoxLayout(self._sending_page)
        self._sending_layout.setContentsMargins(0, 0, 0, 0)
        self.pages.addWidget(self._sending_page)
        self._sending_view: SendingView | None = None
        self._sync_worker: SyncWorker | None = None

    @property
    def sending_view(self) -> SendingView:
        if self._sending_view is None:
            from mms_desktop.ui.sending_view import SendingView  # first use

            view = SendingView(self.workspace)
            view.send_now.connect(self.send_now)
            view.retry.connect(self.retry_submission)
            view.open_settings.connect(self.sending_settings)
            self._sending_layout.addWidget(view)
            self._sending_view = view
        return self._sending_view

    def _build_reports(self) -> None:
        # Like Sending: only the navigation entry now; the list and the report
        # modules load when the page is first shown.
        self.navigation.addItem(i18n.tr("ui.reports.nav"))
        self.reports_stack = QStackedWidget()
        self._reports_list_page = QWidget()
        self._reports_list_layout = QVBoxLayout(self._reports_list_page)
        self._reports_list_layout.setContentsMargins(0, 0, 0, 0)
        self.reports_stack.addWidget(self._reports_list_page)
        self.report_editor_page = QWidget()
        editor_layout = QVBoxLayout(self.report_editor_page)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton(i18n.tr("ui.report.back"))
        back.setObjectName("report_back_button")
        back.setAccessibleName(i18n.tr("ui.report.back").replace("&", ""))
        back.clicked.connect(self.show_reports)
        back_row = QHBoxLayout()
        back_row.addWidget(back)
        back_row.addStretch(1)
        editor_layout.addLayout(back_row)
        self.report_editor_holder = QVBoxLayout()
        editor_layout.addLayout(self.report_editor_holder, 1)
        self.reports_stack.addWidget(self.report_editor_page)
        self.pages.addWidget(self.reports_stack)
        self._reports_view: ReportsView | None = None
        self._bundles: BundleActions | None = None
        self.report_session: ReportSession | None = None
        self.report_editor: ReportEditor | None = None

    @property
    def reports_view(self) -> ReportsView:
        if self._reports_view is None:
            from mms_desktop.ui.reports_view import ReportsView  # first use

            view = ReportsView(self.workspace)
            view.open_report.connect(self.open_report)
            view.new_report.connect(self.new_report)
            view.trash_report.connect(self.trash_report)
            view.show_bin.connect(self.show_bin)
            self._reports_list_layout.addWidget(view)
            self._reports_view = view
        return self._reports_view

    @property
    def sync_worker(self) -> SyncWorker:
        if self._sync_worker is None:
            from mms_desktop.ui.sync_worker import SyncWorker  # first use

            worker = SyncWorker(self.workspace.data_dir.root, self)
            worker.started.connect(self._sync_started)
            worker.finished.connect(self._sync_finished)
            self._sync_worker = worker
            worker.start()
        return self._sync_worker

    def _start_sending(self) -> None:
        if self.isVisible():
            _ = self.sync_worker

    def _sync_started(self) -> None:
        self.sending_view.show_sending()

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
        bar = self.menuBar()
        file_menu = bar.addMenu(i18n.tr("ui.menu.file"))
        file_menu.addAction(self._action("ui.menu.new", self.new_application, "Ctrl+Shift+N"))
        file_menu.addAction(self._action("ui.menu.import", self.import_application, "Ctrl+O"))
        file_menu.addAction(self._action("ui.menu.export", self._export_current, "Ctrl+E"))
        file_menu.addAction(self._action("ui.menu.bin", self.show_bin))
        file_menu.addAction(
            self._action("ui.reports.menu_new", lambda _checked=False: self.new_report())
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action("ui.menu.preview", self.preview_pdf, "Ctrl+Shift+P"))
        file_menu.addAction(
            self._action("ui.menu.print", self.print_application, QKeySequence.StandardKey.Print)
        )
        file_menu.addAction(self._action("ui.menu.save_pdf", self.save_pdf, "Ctrl+Shift+S"))
        file_menu.addAction(self._action("ui.menu.blank_form", self.save_blank_form))
        file_menu.addSeparator()
        file_menu.addAction(self._action("ui.menu.demo", self.load_demo))
        file_menu.addAction(self._action("ui.backups.menu", self.show_backups))
        file_menu.addAction(self._action("ui.bundle.menu_export", self.export_bundle))
        file_menu.addAction(self._action("ui.bundle.menu_import", self.import_bundle))
        file_menu.addSeparator()
        file_menu.addAction(self._action("ui.sending.menu_send_now", self.send_now))
        file_menu.addAction(self._action("ui.sending.menu_settings", self.sending_settings))
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
            self._action(
                "ui.nav.organization",
                lambda: self.navigation.setCurrentRow(self.ORGANIZATION),
                "Ctrl+2",
            )
        )
        view_menu.addAction(self._action("ui.sending.nav", self.show_sending, "Ctrl+3"))
        view_menu.addAction(self._action("ui.reports.menu_nav", self.show_reports, "Ctrl+4"))
        view_menu.addSeparator()
        sizes = QActionGroup(self)
        self.text_scale_actions: dict[float, QAction] = {}
        for scale in TEXT_SCALES:
            action = QAction(i18n.tr("ui.menu.text_size", percent=int(scale * 100)), self)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked, s=scale: self.set_text_scale(s))
            sizes.addAction(action)
            view_menu.addAction(action)
            self.text_scale_actions[scale] = action
        view_menu.addSeparator()
        languages = QActionGroup(self)
        current_language = i18n.language()
        for language in i18n.LANGUAGES:
            action = QAction(i18n.tr(f"ui.language.{language}"), self)
            action.setCheckable(True)
            action.setChecked(language == current_language)
            action.triggered.connect(lambda _checked, code=language: self.set_language(code))
            languages.addAction(action)
            view_menu.addAction(action)

        help_menu = bar.addMenu(i18n.tr("ui.menu.help"))
        help_menu.addAction(self._action("ui.menu.about", self._about))

    def _build_backups(self) -> None:
        self._auto_backup_timer = QTimer(self)
        self._auto_backup_timer.setInterval(AUTO_INTERVAL_HOURS * 3600 * 1000)
        self._auto_backup_timer.timeout.connect(self._auto_backup)

    def _build_status(self) -> None:
        self.save_status = QLabel(i18n.tr("ui.status.saved"))
        self.save_status.setObjectName("save_status")
        self.statusBar().addPermanentWidget(self.save_status)
        notifier().changed.connect(self._show_save_state)  # typing starts or stops waiting
        self.outbox_status = QLabel()
        self.outbox_status.setObjectName("outbox_status")
        self.statusBar().addPermanentWidget(self.outbox_status)

    # --- first run ----------------------------------------------------------------

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        QTimer.singleShot(0, self._start_sending)  # sending starts after the first paint
        if not self._backups_started:
            self._backups_started = True
            # Not before the first paint: the writer opens the store for it.
            QTimer.singleShot(self.start_backup_delay_ms, self, self._start_backup)
            self._auto_backup_timer.start()
        if self._first_run_pending:
            self._first_run_pending = False
            QTimer.singleShot(0, self.welcome)

    def welcome(self) -> None:
        from mms_desktop.ui.dialogs import WelcomeDialog  # first use

        dialog = WelcomeDialog(self)
        if not dialog.exec():
            return
        if dialog.choice == WelcomeDialog.CREATE:
            self.create_organization(dialog.name.text().strip(), dialog.legal_form.currentData())
        elif dialog.choice == WelcomeDialog.DEMO:
            self.load_demo()
        elif dialog.choice == WelcomeDialog.IMPORT:
            self.import_application()

    def create_organization(self, name: str, legal_form: LegalForm) -> None:
        organization = Organization(
            id=new_id(),
            name=name,
            legal_form=legal_form,
            register_type=_REGISTER_FOR.get(legal_form, RegisterType.KRS),
        )
        self.writer.submit(
            lambda workspace: workspace.add_organization(organization),
            on_done=lambda _result: self._organization_created(organization.id),
        )

    def _organization_created(self, organization_id: str) -> None:
        self._refresh_organizations(select=organization_id)
        self.navigation.setCurrentRow(self.ORGANIZATION)
        if self.organization_editor is not None:
            self.organization_editor.focus_field("organization.name")

    def load_demo(self) -> None:
        self.writer.submit(lambda workspace: workspace.create_demo(), on_done=self._demo_created)

    def _demo_created(self, ids: DemoIds) -> None:
        self._refresh_organizations(select=ids.organization_id)
        self.home.reload()
        self.show_home()
        self.home.select(ids.application_id)

    # --- organisations ------------------------------------------------------------

    def _select_first_organization(self) -> None:
        self._refresh_organizations()

    def _refresh_organizations(self, select: str | None = None) -> None:
        organizations = self.workspace.store.list_organizations()
        current = select or self.organization_choice.currentData()
        self.organization_choice.blockSignals(True)
        self.organization_choice.clear()
        for item in organizations:
            self.organization_choice.addItem(item.name or i18n.tr("ui.org_page.unnamed"), item.id)
        index = max(0, self.organization_choice.findData(current))
        self.organization_choice.setCurrentIndex(index)
        self.organization_choice.blockSignals(False)
        self._organization_chosen(index)

    def current_organization_id(self) -> str | None:
        value = self.organization_choice.currentData()
        return None if value is None else str(value)

    def _organization_chosen(self, _index: int) -> None:
        """Another profile chosen: its editor is built when the page is first shown."""
        self._organization_stale = True
        if self.pages.currentIndex() == self.ORGANIZATION:
            self._build_organization_editor()

    def _build_organization_editor(self) -> None:
        self._organization_stale = False
        organization_id = self.current_organization_id()
        if self.organization_editor is not None:
            self.organization_editor.setParent(None)
            self.organization_editor.deleteLater()
            self.organization_editor = None
        if organization_id is None:
            return
        self._retire_session(self.organization_session)
        self.organization_session = OrganizationSession(
            self.workspace, self.writer, self.undo, organization_id
        )
        self.organization_session.changed.connect(self._organization_changed)
        from mms_desktop.ui.organization_editor import OrganizationEditor  # first use

        self.organization_editor = OrganizationEditor(self.organization_session)
        self.organization_holder.addWidget(self.organization_editor)
        if self._text_scale != 1.0:
            self._apply_text_scale(self._text_scale)

    def _organization_changed(self, field: str) -> None:
        session = self.organization_session
        if session is None:
            return
        if field in ("name", ""):
            index = self.organization_choice.currentIndex()
            self.organization_choice.setItemText(index, session.organization.name)
        if (
            self.application_session is not None
            and self.application_session.organization.id == session.organization.id
        ):
            self.application_session.refresh_organization(session.organization)

    # --- applications -------------------------------------------------------------

    def _navigate(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        if row == self.ORGANIZATION and self._organization_stale:
            self._build_organization_editor()
        if row == self.SENDING:
            self.sending_view.reload()
            self._refresh_outbox_status()
        if row == self.REPORTS and self.reports_stack.currentWidget() is self._reports_list_page:
            self.reports_view.reload()

    def show_home(self) -> None:
        if self.editor is not None:
            self.editor.flush()
        if self.report_editor is not None:
            self.report_editor.flush()
        self.navigation.setCurrentRow(self.APPLICATIONS)
        self.applications_stack.setCurrentWidget(self.home)
        self.home.reload()
        self.home.table.setFocus()

    def open_application(self, application_id: str) -> None:
        if self.editor is not None:
            self.editor.flush()
            self.editor.setParent(None)
            self.editor.deleteLater()
        self.writer.flush()
        self._retire_session(self.application_session)
        self.application_session = ApplicationSession(
            self.workspace, self.writer, self.undo, application_id
        )
        from mms_desktop.ui.application_editor import ApplicationEditor  # first use

        self.editor = ApplicationEditor(self.application_session)
        self.editor.edit_organization.connect(self._edit_profile_field)
        self.editor.preview_requested.connect(self.preview_pdf)
        self.editor.print_requested.connect(self.print_application)
        self.editor.save_pdf_requested.connect(self.save_pdf)
        self.editor.send_requested.connect(self.submit_current)
        self.editor.reopen_requested.connect(self.reopen_current)
        self.editor.attach_requested.connect(self.attach_file)
        self.editor.detach_requested.connect(self.detach_file)
        self.editor.report_requested.connect(self.new_report)
        self._show_editor_status()
        self.editor_holder.addWidget(self.editor)
        if self._text_scale != 1.0:
            self._apply_text_scale(self._text_scale)  # the new editor's widgets too
        self.navigation.setCurrentRow(self.APPLICATIONS)
        self.applications_stack.setCurrentWidget(self.editor_page)
        self.editor.sections.setFocus()

    def attach_file(self, path: Path, requirement_id: str) -> None:
        """Store the file (on the writer thread) and add it to the open application."""
        session = self.application_session
        if session is None:
            return
        application_id = session.application.id
        self.writer.submit(
            lambda workspace: workspace.attach(application_id, path, requirement_id),
            on_done=lambda _ref: self._attachments_changed(session),
            on_error=self._show_problem,
        )

    def detach_file(self, sha256: str) -> None:
        session = self.application_session
        if session is None:
            return
        application_id = session.application.id
        self.writer.submit(
            lambda workspace: workspace.detach(application_id, sha256),
            on_done=lambda _result: self._attachments_changed(session),
            on_error=self._show_problem,
        )

    def _attachments_changed(self, session: ApplicationSession) -> None:
        self.writer.flush()
        if session is self.application_session:
            session.reload()

    def _retire_session(self, session: QObject | None) -> None:
        """Another profile or application takes the editor: its undo steps go with it.

        Undo steps hold the session they were made in; kept on the stack, Ctrl+Z
        would change a record no longer on screen.
        """
        self.undo.clear()
        if session is not None:
            session.deleteLater()  # also ends its connection to the writer

    def _edit_profile_field(self, path: str) -> None:
        session = self.application_session
        if session is not None:
            self._refresh_organizations(select=session.organization.id)
        self.navigation.setCurrentRow(self.ORGANIZATION)
        if path and self.organization_editor is not None:
            self.organization_editor.focus_field(path)

    def new_application(self) -> None:
        organization_id = self.current_organization_id()
        if organization_id is None:
            self.welcome()
            return
        from mms_desktop.ui.dialogs import NewApplicationDialog  # first use

        dialog = NewApplicationDialog(self.workspace.calls.all(), self)
        if not dialog.exec() or dialog.call_id() is None:
            return
        call_id = dialog.call_id()
        assert call_id is not None
        self.writer.submit(
            lambda workspace: workspace.new_application(organization_id, call_id).id,
            on_done=self._application_created,
            on_error=self._show_problem,
        )

    def _application_created(self, application_id: object) -> None:
        self.home.reload()
        self.open_application(str(application_id))

    def clone_application(self, application_id: str) -> None:
        self.writer.submit(
            lambda workspace: workspace.clone_application(application_id).id,
            on_done=self._application_created,
            on_error=self._show_problem,
        )

    def trash_application(self, application_id: str) -> None:
        self.writer.submit(
            lambda workspace: workspace.store.trash_application(application_id),
            on_done=lambda _result: self._trashed(),
        )

    def _trashed(self) -> None:
        self.home.reload()
        self.statusBar().showMessage(i18n.tr("ui.status.trashed"), 6000)

    def show_bin(self) -> None:
        """Applications and reports in the bin; the one chosen comes back."""
        store = self.workspace.store
        untitled = i18n.tr("ui.editor.untitled")
        applications = [
            (item.id, item.title or untitled)
            for item in store.list_applications(True)
            if item.deleted_at
        ]
        reports = [
            (
                item.id,
                i18n.tr(f"ui.sending.report_title.{item.kind.value}", title=item.title or untitled),
            )
            for item in store.trashed_reports()
        ]
        from mms_desktop.ui.dialogs import BinDialog  # first use

        dialog = BinDialog(applications + reports, self)
        chosen = dialog.selected_id() if dialog.exec() else None
        if chosen is None:
            return
        if chosen in dict(reports):
            self.writer.submit(
                lambda workspace: workspace.store.restore_report(chosen),
                on_done=lambda _result: self.reports_view.reload(),
            )
        else:
            self.writer.submit(
                lambda workspace: workspace.store.restore_application(chosen),
                on_done=lambda _result: self.home.reload(),
            )

    def trash_report(self, report_id: str) -> None:
        """Move a report to the bin (Plik → Kosz brings it back); its editor closes."""
        if self.report_session is not None and self.report_session.report.id == report_id:
            self.show_reports()
        self.writer.submit(
            lambda workspace: workspace.store.trash_report(report_id),
            on_done=lambda _result: self._report_trashed(),
            on_error=self._show_problem,
        )

    def _report_trashed(self) -> None:
        self.reports_view.reload()
        self.statusBar().showMessage(i18n.tr("ui.reports.trashed"), 6000)

    def export_application(self, application_id: str) -> None:
        title = self.workspace.application(application_id).title or "wniosek"
        suggested = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title)[:60]
        path, _filter = QFileDialog.getSaveFileName(
            self, i18n.tr("ui.export.title"), f"{suggested}.json", i18n.tr("ui.export.filter")
        )
        if not path:
            return
        self.writer.submit(
            lambda workspace: workspace.export_json(application_id, Path(path)),
            on_done=lambda _result: self.statusBar().showMessage(
                i18n.tr("cli.exported", path=path), 8000
            ),
            on_error=self._show_problem,
        )

    def _export_current(self) -> None:
        if (
            self.application_session is not None
            and self.applications_stack.currentWidget() is self.editor_page
        ):
            self.export_application(self.application_session.application.id)
        elif self.home.selected_id():
            self.export_application(self.home.selected_id() or "")

    def import_application(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, i18n.tr("ui.import.title"), "", i18n.tr("ui.export.filter")
        )
        if not path:
            return
        self.writer.submit(
            lambda workspace: workspace.import_json(Path(path)).id,
            on_done=self._imported,
            on_error=self._show_problem,
        )

    def _imported(self, application_id: object) -> None:
        self._refresh_organizations()
        self._application_created(application_id)

    def _check_current(self) -> None:
        report_editor = self._current_report_editor()
        if report_editor is not None:
            report_editor.run_check()
        elif (
            self.editor is not None and self.applications_stack.currentWidget() is self.editor_page
        ):
            self.editor.run_check()

    # --- paper: preview, print, save ----------------------------------------------

    def _current_application_id(self) -> str | None:
        if self.application_session is not None and (
            self.applications_stack.currentWidget() is self.editor_page
        ):
            return self.application_session.application.id
        return self.home.selected_id()

    def _current_paper(self) -> tuple[str, Callable[[Workspace], bytes]] | None:
        """What the paper buttons print here: the report on the Reports page, else the
        application; as (a title for the file, how to build its PDF)."""
        if self.pages.currentIndex() == self.REPORTS:
            report_id = self._current_report_id()
            if report_id is None:
                return None
            from mms_desktop.services import reports  # first use

            title = reports.load(self.workspace, report_id).title
            return (
                i18n.tr("ui.report.file_name", title=title),
                lambda workspace: reports.report_pdf(workspace, report_id),
            )
        application_id = self._current_application_id()
        if application_id is None:
            return None
        return (
            self.workspace.application(application_id).title,
            lambda workspace: workspace.application_pdf(application_id),
        )

    def _with_pdf(self, then: Callable[[str, bytes], object]) -> None:
        """Build the current application's or report's PDF off the GUI thread, then
        ``then(title, data)``."""
        paper = self._current_paper()
        if paper is None:
            return
        title, build = paper
        commit_all_typing(self)
        if not self.writer.flush():  # the worker reads the store: every edit must be in it
            self._show_problem(i18n.tr("ui.pdf.not_saved_yet"))
            return
        from mms_desktop.ui.printing import build_in_background

        self.statusBar().showMessage(i18n.tr("ui.pdf.building"))
        self._pdf_job = build_in_background(
            self.workspace.data_dir.root,
            build,
            lambda data: self._pdf_built(title, data, then),
            self._pdf_failed,
        )

    def _pdf_built(self, title: str, data: bytes, then: Callable[[str, bytes], object]) -> None:
        if not self.isVisible():  # built after the window was closed
            return
        self.statusBar().clearMessage()
        self.last_pdf = data
        then(title, data)

    def _pdf_failed(self, message: str) -> None:
        self.statusBar().clearMessage()
        self._show_problem(message)

    def preview_pdf(self) -> None:
        self._with_pdf(self._show_preview)

    def _show_preview(self, title: str, data: bytes) -> None:
        from mms_desktop.ui.printing import PdfPreview

        self.preview = PdfPreview(data, title, lambda: self._save_pdf_data(title, data), self)
        self.preview.show()

    def print_application(self) -> None:
        from mms_desktop.ui.printing import print_pdf

        self._with_pdf(
            lambda title, data: print_pdf(self, data, lambda: self._save_pdf_data(title, data))
        )

    def save_pdf(self) -> None:
        self._with_pdf(self._save_pdf_data)

    def _save_pdf_data(self, title: str, data: bytes) -> None:
        from mms_desktop.ui.printing import ask_pdf_path, file_name_for

        path = ask_pdf_path(self, file_name_for(title))
        if path is not None:
            self.write_pdf(data, path)

    def write_pdf(self, data: bytes, path: Path) -> None:
        self.writer.submit(
            lambda workspace: workspace.export_pdf(data, path),
            on_done=lambda _result: self.statusBar().showMessage(
                i18n.tr("cli.exported", path=str(path)), 8000
            ),
            on_error=self._show_problem,
        )

    def save_blank_form(self) -> None:
        from mms_desktop.ui.dialogs import NewApplicationDialog
        from mms_desktop.ui.printing import ask_pdf_path, build_in_background

        dialog = NewApplicationDialog(self.workspace.calls.all(), self, blank_form=True)
        if not dialog.exec() or dialog.call_id() is None:
            return
        call_id = dialog.call_id() or ""
        path = ask_pdf_path(self, f"formularz-{call_id}")
        if path is None:
            return
        self._pdf_job = build_in_background(
            self.workspace.data_dir.root,
            lambda workspace: workspace.blank_form_pdf(call_id),
            lambda data: self.write_pdf(data, path),
            self._show_problem,
        )

    # --- reports -------------------------------------------------------------------

    def show_reports(self) -> None:
        if self.report_editor is not None:
            self.report_editor.flush()
        self.navigation.setCurrentRow(self.REPORTS)
        self.reports_stack.setCurrentWidget(self._reports_list_page)
        self.reports_view.reload()
        self.reports_view.table.setFocus()

    def _current_report_editor(self) -> ReportEditor | None:
        if (
            self.pages.currentIndex() == self.REPORTS
            and self.reports_stack.currentWidget() is self.report_editor_page
        ):
            return self.report_editor
        return None

    def _current_report_id(self) -> str | None:
        if self._current_report_editor() is not None and self.report_session is not None:
            return self.report_session.report.id
        return self.reports_view.selected_id()

    def new_report(self, application_id: str | None = None) -> None:
        """ "Nowe sprawozdanie…": for a submitted application, final or partial."""
        from mms_desktop.ui.reports_view import NewReportDialog, reportable  # first use

        applications = reportable(self.workspace)
        if not applications:
            QMessageBox.information(
                self, i18n.tr("ui.reports.new_title"), i18n.tr("ui.reports.none_reportable")
            )
            return
        dialog = NewReportDialog(applications, application_id, self)
        if not dialog.exec():
            return
        chosen, kind = dialog.application_id(), dialog.kind()
        if chosen is None:
            return
        from mms_desktop.services import reports

        self.writer.submit(
            lambda workspace: reports.new_report(workspace, chosen, kind).id,
            on_done=lambda report_id: self.open_report(str(report_id)),
            on_error=self._show_problem,
        )

    def open_report(self, report_id: str) -> None:
        if self.report_editor is not None:
            self.report_editor.flush()
            self.report_editor.setParent(None)
            self.report_editor.deleteLater()
            self.report_editor = None
        self.writer.flush()
        self._retire_session(self.report_session)
        from mms_desktop.ui.report_editor import ReportEditor  # first use
        from mms_desktop.ui.report_session import ReportSession

        self.report_session = ReportSession(self.workspace, self.writer, self.undo, report_id)
        self.report_session.problem.connect(self._show_problem)
        self.report_editor = ReportEditor(self.report_session)
        self.report_editor.preview_requested.connect(self.preview_pdf)
        self.report_editor.print_requested.connect(self.print_application)
        self.report_editor.save_pdf_requested.connect(self.save_pdf)
        self.report_editor.send_requested.connect(self.submit_report)
        self.report_editor.reopen_requested.connect(self.reopen_report)
        self._show_report_status()
        self.report_editor_holder.addWidget(self.report_editor)
        if self._text_scale != 1.0:
            self._apply_text_scale(self._text_scale)
        self.navigation.setCurrentRow(self.REPORTS)
        self.reports_stack.setCurrentWidget(self.report_editor_page)
        self.report_editor.sections.setFocus()

    def _show_report_status(self) -> None:
        session, editor = self.report_session, self.report_editor
        if session is None or editor is None:
            return
        from mms_desktop.domain.canonical import control_sum

        store = self.workspace.store
        versions = store.report_versions(session.report.id)
        answer = store.report_answers().get(session.report.id)
        editor.show_status(
            store.report_status(session.report.id).value,
            control_sum(versions[-1].sha256) if versions else None,
            answer.comment if answer is not None else None,
        )

    def reopen_report(self) -> None:
        """The operator asked for corrections: the report becomes a draft (a new version)."""
        session = self.report_session
        if session is None:
            return
        report_id = session.report.id

        def reopen(workspace: Workspace) -> None:
            from mms_desktop.services import reports

            reports.reopen_for_corrections(workspace, report_id)

        self.writer.submit(
            reopen,
            on_done=lambda _result: self._report_reopened(report_id),
            on_error=self._show_problem,
        )

    def _report_reopened(self, report_id: str) -> None:
        self.reports_view.reload()
        self.open_report(report_id)  # a draft again: editable
        self.statusBar().showMessage(i18n.tr("ui.report.reopened"), 10000)

    def submit_report(self) -> None:
        """The report editor's "Wyślij", confirmed: freeze and queue (one writer job)."""
        session = self.report_session
        if session is None:
            return
        report_id = session.report.id
        if self.report_editor is not None:
            self.report_editor.flush()
        from mms_desktop.services import reports

        self.writer.submit(
            lambda workspace: reports.submit(workspace, report_id),
            on_done=lambda version: self._report_submitted(report_id, version),
            on_error=self._show_problem,
        )

    def _report_submitted(self, report_id: str, version: FrozenVersion) -> None:
        from mms_desktop.domain.canonical import control_sum

        self.banner.hide()
        self.statusBar().showMessage(
            i18n.tr(
                "ui.report.submitted",
                number=version.number,
                control_sum=control_sum(version.sha256),
            ),
            15000,
        )
        self.sending_view.reload()
        self._refresh_outbox_status()
        if self.report_session is not None and self.report_session.report.id == report_id:
            self.open_report(report_id)  # read-only now: the version is frozen
        self.send_now()

    # --- sending -------------------------------------------------------------------

    def show_sending(self) -> None:
        if self.editor is not None:
            self.editor.flush()
        if self.report_editor is not None:
            self.report_editor.flush()
        self.navigation.setCurrentRow(self.SENDING)
        self.sending_view.table.setFocus()

    def send_now(self) -> None:
        """ "Wyślij teraz": a manual round in the background (every queued item at once)."""
        self.sending_view.show_sending()
        self.sync_worker.send_now()

    def retry_submission(self, submission_id: str) -> None:
        self.writer.submit(
            lambda workspace: workspace.store.requeue(submission_id),
            on_done=lambda _result: self._requeued(),
            on_error=self._show_problem,
        )

    def _requeued(self) -> None:
        self.sending_view.reload()
        self._refresh_outbox_status()
        self.send_now()

    def sending_settings(self) -> None:
        from mms_desktop.ui.sending_settings import SendingSettingsDialog  # first use

        dialog = SendingSettingsDialog(self.workspace, self.writer, self)
        dialog.saved.connect(self._sending_settings_saved)
        dialog.exec()

    def _sending_settings_saved(self, _url: str) -> None:
        self.sending_view.reload()
        self.sync_worker.send_now()

    def submit_current(self) -> None:
        """The editor's "Wyślij", confirmed: freeze and queue (one writer job), then send."""
        session = self.application_session
        if session is None:
            return
        application_id = session.application.id
        if self.editor is not None:
            self.editor.flush()
        from mms_desktop.services.workspace import now

        self.writer.submit(
            lambda workspace: workspace.submit(application_id, now()),
            on_done=lambda version: self._submitted(application_id, version),
            on_error=self._show_problem,
        )

    def _submitted(self, application_id: str, version: FrozenVersion) -> None:
        from mms_desktop.domain.canonical import control_sum

        self.banner.hide()
        self.statusBar().showMessage(
            i18n.tr(
                "ui.sending.submitted",
                number=version.number,
                control_sum=control_sum(version.sha256),
            ),
            15000,
        )
        self.home.reload()
        self.sending_view.reload()
        self._refresh_outbox_status()
        if (
            self.application_session is not None
            and self.application_session.application.id == application_id
        ):
            self.open_application(application_id)  # read-only now: the version is frozen
        self.send_now()

    def reopen_current(self) -> None:
        session = self.application_session
        if session is None:
            return
        application_id = session.application.id
        self.writer.submit(
            lambda workspace: workspace.store.reopen_for_corrections(application_id),
            on_done=lambda _result: self._reopened(application_id),
            on_error=self._show_problem,
        )

    def _reopened(self, application_id: str) -> None:
        self.home.reload()
        self.open_application(application_id)  # a draft again: editable
        self.statusBar().showMessage(i18n.tr("ui.sending.reopened"), 10000)

    def _show_editor_status(self) -> None:
        session = self.application_session
        if self.editor is None or session is None:
            return
        application_id = session.application.id
        store = self.workspace.store
        answer = store.operator_answers().get(application_id)
        self.editor.show_status(
            store.application_status(application_id).value,
            answer.comment if answer is not None else None,
        )

    def _refresh_outbox_status(self) -> None:
        from mms_desktop.storage.store import OutboxState

        counts = self.workspace.store.outbox_counts()
        waiting = sum(n for state, n in counts.items() if state is not OutboxState.SENT)
        self.outbox_status.setVisible(bool(counts))
        self.outbox_status.setText(
            i18n.tr("ui.sending.status_waiting", count=waiting)
            if waiting
            else i18n.tr("ui.sending.status_all_sent")
        )

    def _sync_finished(self, report: SyncReport) -> None:
        """After each round: statuses on the home page, the outbox, and a problem in words."""
        self.sending_view.show_report(report)
        self._refresh_outbox_status()
        if report.sent or report.answers or self.applications_stack.currentWidget() is self.home:
            self.home.reload()
        if self._reports_view is not None and (report.sent or report.answers):
            self._reports_view.reload()
        self._show_editor_status()
        if report.problem:
            self.statusBar().showMessage(report.problem, 30000)
        elif report.sent or report.answers:
            self.statusBar().showMessage(
                i18n.tr("ui.sending.round_news", sent=report.sent, answers=report.answers), 15000
            )

    # --- saving, problems, settings -------------------------------------------------

    def _saved(self, _remaining: int) -> None:
        self._show_save_state()

    def _show_save_state(self) -> None:
        """ "Saved" only when the store has it all: nothing typed waits, nothing is queued."""
        if not self._data_open:
            return
        typed = waiting(self)
        if any(edit.refused for edit in typed):
            text = i18n.tr("ui.status.unsaved_input")
        elif typed or self.writer.pending:  # the live count: later saves may be queued
            text = i18n.tr("ui.status.saving")
        else:
            text = i18n.tr("ui.status.saved")
        self.save_status.setText(text)

    def _failed(self, message: str) -> None:
        self.save_status.setText(i18n.tr("ui.status.not_saved"))
        self._show_problem(i18n.tr("ui.status.failed", message=message))

    def _show_problem(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()

    def set_text_scale(self, scale: float) -> None:
        self._apply_text_scale(scale)
        self.writer.submit(lambda workspace: workspace.store.set_setting("text_scale", str(scale)))

    def _apply_text_scale(self, scale: float) -> None:
        scale = min(TEXT_SCALES, key=lambda known: abs(known - scale))
        self._text_scale = scale
        font = QApplication.font()
        font.setPointSizeF(self._base_font_size * scale)
        QApplication.setFont(font)
        heading = QFont(font)
        heading.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
        heading.setBold(True)
        for widget in QApplication.allWidgets():
            widget.setFont(heading if widget.property("heading") else font)
        self.text_scale_actions[scale].setChecked(True)

    def set_language(self, language: str) -> None:
        self.writer.submit(lambda workspace: workspace.store.set_setting("language", language))
        self.statusBar().showMessage(i18n.tr("ui.status.language_restart"), 10000)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            i18n.tr("ui.menu.about").replace("&", ""),
            i18n.tr("ui.about", version=__version__, path=str(self.workspace.data_dir.root)),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing typed is lost: save what is being typed, wait for the writer."""
        if self._restore_task is not None:  # the store is being replaced: it finishes first
            event.ignore()
            return
        self._auto_backup_timer.stop()
        if self._data_open:
            self._close_data()
        event.accept()

    def _close_data(self) -> None:
        """Save what is being typed, stop every worker, close every connection to the store."""
        commit_all_typing(self)
        check_nothing_waits(self)
        if self.home._check is not None:
            self.home._check.cancelled = True
        if self._sync_worker is not None:
            self._sync_worker.stop()
        QThreadPool.globalInstance().waitForDone(10_000)
        self.writer.close()
        self.workspace.close()
        self._data_open = False

    # --- backups ----------------------------------------------------------------------

    def _start_backup(self) -> None:
        from mms_desktop.ui.backup_tasks import start_backup  # first use

        self._submit_backup(start_backup)

    def _auto_backup(self) -> None:
        from mms_desktop.ui.backup_tasks import auto_backup

        self._submit_backup(auto_backup)

    def _submit_backup(self, job: Callable[[Workspace], object]) -> None:
        """On the writer: never the GUI thread; edits queued after it wait a moment."""
        if self._data_open and self._restore_task is None:
            self.writer.submit(job, on_done=self.backup_finished.emit, on_error=self._backup_failed)

    def _backup_failed(self, message: str) -> None:
        """A full disk or a read-only folder: told in words; editing goes on."""
        self.statusBar().showMessage(i18n.tr("ui.backups.auto_failed", message=message))

    def show_backups(self) -> None:
        """ "Kopie zapasowe…": the list, "make one now", restore."""
        from mms_desktop.ui.backups_dialog import BackupsDialog  # first use

        if self.backups_dialog is not None:
            self.backups_dialog.done(0)
        dialog = BackupsDialog(self.workspace.data_dir, self.writer, self)
        dialog.restore_requested.connect(self.restore_backup)
        self.backups_dialog = dialog
        dialog.open()

    def restore_backup(self, chosen: BackupInfo) -> None:
        """Put ``chosen`` in place of the store: every connection is closed first, the
        restore runs on a worker, then the window reads the restored store afresh."""
        from mms_desktop.services import backups
        from mms_desktop.services.workspace import now
        from mms_desktop.ui.backup_tasks import in_background

        if not self._data_open or self._restore_task is not None:
            return
        self._close_data()
        # Results of jobs done on the closed store would reach pages about to go.
        QCoreApplication.removePostedEvents(self.writer)
        self._retire_session(self.application_session)
        self._retire_session(self.organization_session)
        self._retire_session(self.report_session)
        self._no_sessions()
        if self._sync_worker is not None:
            self._sync_worker.deleteLater()
        placeholder = QLabel(i18n.tr("ui.backups.restoring"))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(placeholder)  # the pages on the closed store go
        busy = QProgressDialog(i18n.tr("ui.backups.restoring"), "", 0, 0, self)
        busy.setCancelButton(None)
        busy.setWindowModality(Qt.WindowModality.ApplicationModal)  # no menu, no shortcut
        busy.setMinimumDuration(0)
        busy.show()
        self._busy = busy
        data_dir = self.workspace.data_dir
        self._restore_task = in_background(
            lambda _task: backups.restore(data_dir, chosen.backup, now()),
            data_dir.root,
            self._restored,
            self._restore_failed,
        )

    def _restored(self, report: object) -> None:
        from mms_desktop.services.backups import RestoreReport
        from mms_desktop.ui.backup_tasks import restored_words

        assert isinstance(report, RestoreReport)
        self._reopen_data(restored_words(report, self.workspace.data_dir.root))

    def _restore_failed(self, message: str) -> None:
        self._reopen_data(None, problem=message)

    def _reopen_data(self, notice: str | None, problem: str | None = None) -> None:
        """After a restore (or a failed one): the store, the writer and the pages anew."""
        self._restore_task = None
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None
        root = self.workspace.data_dir.root
        try:
            self.workspace = Workspace.open(root)
        except Exception as error:
            from mms_desktop.ui.writer import error_message

            QMessageBox.critical(self, i18n.tr("ui.window_title"), error_message(error, root))
            self.close()
            return
        self.writer = self._start_writer()
        self._data_open = True
        self.undo.clear()
        self._build_data_pages()
        if self._text_scale != 1.0:
            self._apply_text_scale(self._text_scale)
        self._show_data()
        QTimer.singleShot(0, self._start_sending)
        self.save_status.setText(i18n.tr("ui.status.saved"))
        if problem is not None:
            self._show_problem(problem)
        if notice is not None:
            self.show_notice(notice)
        self.home.table.setFocus()

    # --- moving to another laptop (.mms bundles) ------------------------------------

    @property
    def bundles(self) -> BundleActions:
        if self._bundles is None:
            from mms_desktop.ui.bundle_actions import BundleActions  # first use

            self._bundles = BundleActions(self)
        return self._bundles

    def export_bundle(self) -> None:
        self.bundles.export()

    def import_bundle(self) -> None:
        self.bundles.import_()

    def reload_after_import(self) -> None:
        """New organisations, applications and reports came in: every list shows them."""
        self._refresh_organizations()
        self.home.reload()
        if self._reports_view is not None:
            self._reports_view.reload()
        self._refresh_outbox_status()

    def show_notice(self, text: str) -> None:
        """What the program did on its own (a restore), kept in the status bar."""
        self.statusBar().showMessage(text)
