"""The Sending page, the background rounds and the outbox line in the status bar.

The page and the worker are built on first use (the worker a moment after the
first paint): the window comes first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from mms_desktop import i18n
from mms_desktop.ui.shell import Shell

if TYPE_CHECKING:
    from mms_desktop.services.sending import SyncReport
    from mms_desktop.ui.sending_view import SendingView
    from mms_desktop.ui.sync_worker import SyncWorker


class SendingPage(QObject):
    round_done = Signal(object)  # the SyncReport, after the page and the outbox line show it

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.page = QWidget()
        self._layout = QVBoxLayout(self.page)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._view: SendingView | None = None
        self.worker: SyncWorker | None = None  # None until the first round

    @property
    def view(self) -> SendingView:
        if self._view is None:
            from mms_desktop.ui.sending_view import SendingView  # first use

            view = SendingView(self.shell.workspace)
            view.send_now.connect(self.send_now)
            view.retry.connect(self.retry)
            view.open_settings.connect(self.settings)
            self._layout.addWidget(view)
            self._view = view
        return self._view

    @property
    def sync_worker(self) -> SyncWorker:
        if self.worker is None:
            from mms_desktop.ui.sync_worker import SyncWorker  # first use

            worker = SyncWorker(self.shell.workspace.data_dir.root, self.shell)
            worker.started.connect(self._round_started)
            worker.finished.connect(self._round_finished)
            self.worker = worker
            worker.start()
        return self.worker

    def _round_started(self) -> None:
        self.view.show_sending()

    def start(self) -> None:
        """Rounds begin once the window is on screen."""
        if self.shell.isVisible():
            _ = self.sync_worker

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()

    def forget_worker(self) -> None:
        """The store is being replaced (a restore): the next round starts a new worker."""
        if self.worker is not None:
            self.worker.deleteLater()
        self.worker = None

    def shown(self) -> None:
        self.view.reload()
        self.refresh_status()

    def show(self) -> None:
        self.shell.go_to(Shell.SENDING)
        self.view.table.setFocus()

    def send_now(self) -> None:
        """ "Wyślij teraz": a manual round in the background (every queued item at once)."""
        self.view.show_sending()
        self.sync_worker.send_now()

    def send_now_asked(self) -> None:
        """The menu's "Wyślij teraz": with no operator's address, why not, in words."""
        self.view.reload()
        if not self.view.can_send:
            self.shell.go_to(self.shell.SENDING)
            self.shell.say(i18n.tr("ui.sending.send_now_no_address"), 15000)
            return
        self.send_now()

    def queued(self) -> None:
        """Something new in the outbox: shown, and sent now."""
        self.view.reload()
        self.refresh_status()
        self.send_now()

    def retry(self, submission_id: str) -> None:
        from mms_desktop.services import sending

        self.shell.writer.submit(
            lambda workspace: sending.requeue(workspace, submission_id),
            on_done=lambda _result: self.queued(),
            on_error=self.shell.show_problem,
        )

    def settings(self) -> None:
        from mms_desktop.ui.sending_settings import SendingSettingsDialog  # first use

        dialog = SendingSettingsDialog(self.shell.workspace, self.shell.writer, self.shell)
        dialog.saved.connect(self._settings_saved)
        dialog.exec()

    def _settings_saved(self, _url: str) -> None:
        self.view.reload()
        self.sync_worker.send_now()

    def refresh_status(self) -> None:
        waiting = self.shell.workspace.outbox_waiting()
        self.shell.outbox_status.setVisible(waiting is not None)
        self.shell.outbox_status.setText(
            i18n.tr("ui.sending.status_waiting", count=waiting)
            if waiting
            else i18n.tr("ui.sending.status_all_sent")
        )

    def _round_finished(self, report: SyncReport) -> None:
        """After each round: the outbox, a problem in words; then the other pages."""
        self.view.show_report(report)
        self.refresh_status()
        if report.problem:
            self.shell.say(report.problem, 30000)
        elif report.sent or report.answers:
            self.shell.say(
                i18n.tr("ui.sending.round_news", sent=report.sent, answers=report.answers), 15000
            )
        self.round_done.emit(report)
