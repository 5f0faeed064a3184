"""Backups from the window: one after the first paint, one every few hours, the
"Kopie zapasowe…" dialog, and putting a backup in place of the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from mms_desktop import i18n
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.shell import Shell

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from mms_desktop.services.backups import BackupInfo
    from mms_desktop.ui.backup_tasks import BackgroundTask
    from mms_desktop.ui.backups_dialog import BackupsDialog


class BackupActions(QObject):
    start_delay_ms = 1_000  # after the first paint
    finished = Signal(object)  # a backup made (its Path), or None when none was due

    def __init__(
        self,
        shell: Shell,
        close_data: Callable[[], None],
        reopen_data: Callable[[str | None, str | None], None],
    ) -> None:
        super().__init__(shell)
        self.shell = shell
        self._close_data = close_data
        self._reopen_data = reopen_data
        self._started = False
        self.dialog: BackupsDialog | None = None
        self.restore_task: BackgroundTask | None = None
        self._busy: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._auto)

    def window_shown(self) -> None:
        """The first backup a moment after the first paint (the writer opens the store
        for it), then one every few hours."""
        if not self._started:
            self._started = True
            QTimer.singleShot(self.start_delay_ms, self, self._start)

    def stop(self) -> None:
        self._timer.stop()

    def _start(self) -> None:
        from mms_desktop.services.backups import AUTO_INTERVAL_HOURS  # first use
        from mms_desktop.ui.backup_tasks import start_backup

        self._timer.start(AUTO_INTERVAL_HOURS * 3600 * 1000)
        self._submit(start_backup)

    def _auto(self) -> None:
        from mms_desktop.ui.backup_tasks import auto_backup

        self._submit(auto_backup)

    def _submit(self, job: Callable[[Workspace], object]) -> None:
        """On the writer: never the GUI thread; edits queued after it wait a moment."""
        if self.shell.data_open and self.restore_task is None:
            self.shell.writer.submit(job, on_done=self.finished.emit, on_error=self._failed)

    def _failed(self, message: str) -> None:
        """A full disk or a read-only folder: told in words; editing goes on."""
        self.shell.say(i18n.tr("ui.backups.auto_failed", message=message))

    def show(self) -> None:
        """ "Kopie zapasowe…": the list, "make one now", restore."""
        from mms_desktop.ui.backups_dialog import BackupsDialog  # first use

        if self.dialog is not None:
            self.dialog.done(0)
        dialog = BackupsDialog(self.shell.workspace.data_dir, self.shell.writer, self.shell)
        dialog.restore_requested.connect(self.restore)
        self.dialog = dialog
        dialog.open()

    def restore(self, chosen: BackupInfo) -> None:
        """Put ``chosen`` in place of the store: every connection is closed first, the
        restore runs on a worker, then the window reads the restored store afresh."""
        from mms_desktop.services import backups
        from mms_desktop.services.workspace import now
        from mms_desktop.ui.backup_tasks import in_background

        shell = self.shell
        if not shell.data_open or self.restore_task is not None:
            return
        self._close_data()
        placeholder = QLabel(i18n.tr("ui.backups.restoring"))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        shell.setCentralWidget(placeholder)  # the pages on the closed store go
        from PySide6.QtWidgets import QProgressDialog  # first use: not loaded by the start

        busy = QProgressDialog(i18n.tr("ui.backups.restoring"), "", 0, 0, shell)
        busy.setCancelButton(None)
        busy.setWindowModality(Qt.WindowModality.ApplicationModal)  # no menu, no shortcut
        busy.setMinimumDuration(0)
        busy.show()
        self._busy = busy
        data_dir = shell.workspace.data_dir
        self.restore_task = in_background(
            lambda _task: backups.restore(data_dir, chosen.backup, now()),
            data_dir.root,
            self._restored,
            lambda message: self._ended(None, message),
        )

    def _restored(self, report: object) -> None:
        from mms_desktop.services.backups import RestoreReport
        from mms_desktop.ui.backup_tasks import restored_words

        assert isinstance(report, RestoreReport)
        self._ended(restored_words(report, self.shell.workspace.data_dir.root), None)

    def _ended(self, notice: str | None, problem: str | None) -> None:
        self.restore_task = None
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None
        self._reopen_data(notice, problem)
