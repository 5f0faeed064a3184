"""Backups without the GUI thread touching the disk: the writer's backup jobs, and file
work (listing backups, restoring one) on a worker thread that reports back by signals.

Words shared by the backups dialog, the recovery dialog and the window live here
too: how a backup's time, reason, contents and size are told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from mms_desktop import i18n
from mms_desktop.paths import DataDir
from mms_desktop.services import backups
from mms_desktop.services.backups import Backup, BackupInfo
from mms_desktop.services.errors import UserError
from mms_desktop.services.records import StoreDiskFullError, StoreReadOnlyError
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.ui.writer import error_message

log = logging.getLogger(__name__)

# Several restarts in a row (a laptop that keeps dying) should not fill the folder.
START_SKIP = timedelta(minutes=10)


# --- jobs for the one writer (they run with the writer's own workspace) -----------


def _made(workspace: Workspace, reason: str, at: datetime) -> Path:
    try:
        return backups.create_for(workspace, reason, at)
    except (StoreDiskFullError, StoreReadOnlyError) as error:
        # The store's own words speak of an edit not saved; here no edit was lost.
        key = (
            "ui.backups.disk_full"
            if isinstance(error, StoreDiskFullError)
            else "ui.backups.read_only"
        )
        raise UserError(key, path=str(workspace.data_dir.backups)) from error


def start_backup(workspace: Workspace) -> Path | None:
    """The backup made as the window opens; none when one was made minutes ago."""
    at = now()
    made = backups.listing(workspace.data_dir)
    if made and timedelta(0) <= at - made[0].created_at < START_SKIP:
        return None
    return _made(workspace, "start", at)


def auto_backup(workspace: Workspace) -> Path:
    return _made(workspace, "auto", now())


def manual_backup(workspace: Workspace) -> Path:
    return _made(workspace, "manual", now())


# --- file work on a worker thread ---------------------------------------------------


class _TaskSignals(QObject):
    step = Signal(object)  # a partial result, as it comes
    done = Signal(object)
    failed = Signal(str)  # in words


class BackgroundTask(QRunnable):
    """One piece of file work off the GUI thread; results come back as signals.

    The caller keeps the task until ``done`` or ``failed`` arrives (the signals
    object lives as long as the task). ``cancelled`` is read by the work itself.
    """

    def __init__(self, work: Callable[[BackgroundTask], object], folder: Path) -> None:
        super().__init__()
        self.signals = _TaskSignals()
        self.cancelled = False
        self._work = work
        self._folder = folder

    def report(self, value: object) -> None:
        if not self.cancelled:
            self.signals.step.emit(value)

    def run(self) -> None:
        try:
            result = self._work(self)
        except Exception as error:  # told in words; a bug is logged by error_message
            self.signals.failed.emit(error_message(error, self._folder))
            return
        self.signals.done.emit(result)


def in_background(
    work: Callable[[BackgroundTask], object],
    folder: Path,
    on_done: Callable[[object], None],
    on_failed: Callable[[str], None],
    on_step: Callable[[object], None] | None = None,
) -> BackgroundTask:
    task = BackgroundTask(work, folder)
    task.signals.done.connect(on_done)
    task.signals.failed.connect(on_failed)
    if on_step is not None:
        task.signals.step.connect(on_step)
    QThreadPool.globalInstance().start(task)
    return task


def describe_all(data_dir: DataDir) -> Callable[[BackgroundTask], object]:
    """Work that reports the list of backups, then what each one holds (newest first)."""

    def work(task: BackgroundTask) -> None:
        found = backups.listing(data_dir)
        task.report(found)
        for item in found:
            if task.cancelled:
                return
            try:
                task.report(backups.describe(item))
            except OSError:  # thinned away meanwhile
                log.info("backup %s is gone", item.path)
                task.report(item)

    return work


# --- words ----------------------------------------------------------------------


def moment(at: datetime) -> str:
    """A time as the user's clock shows it: ``20.05.2027 10:15``."""
    return i18n.format_datetime(at.astimezone())


def reason_words(item: Backup) -> str:
    # A reason this version does not know (a newer one's backup) is shown as named.
    if item.reason not in backups.REASONS:
        return item.reason
    return i18n.tr(f"ui.backups.reason.{item.reason}")


def contents_words(info: BackupInfo) -> str:
    if not info.ok:
        return i18n.tr("ui.backups.damaged")
    counts = {
        name: info.counts.get(name, 0) for name in ("organizations", "applications", "reports")
    }
    return i18n.tr("ui.backups.counts", **counts)


def size_words(size: int) -> str:
    if size < 1024 * 1024:
        return i18n.tr("ui.backups.size_kb", size=Decimal(max(1, round(size / 1024))))
    megabytes = (Decimal(size) / (1024 * 1024)).quantize(Decimal("0.1"))
    return i18n.tr("ui.backups.size_mb", size=megabytes)


def in_folder(path: Path, root: Path) -> str:
    """A path inside the data folder as ``backups/kopia-….sqlite3``; elsewhere whole."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def restored_words(report: backups.RestoreReport, root: Path) -> str:
    """What a restore did, in one message."""
    parts = [i18n.tr("ui.backups.restored", when=moment(report.restored.backup.created_at))]
    if report.kept_current_as is not None:
        parts.append(
            i18n.tr("ui.backups.restored_kept", path=in_folder(report.kept_current_as, root))
        )
    if report.damaged_kept_at is not None:
        parts.append(
            i18n.tr("ui.backups.restored_damaged", path=in_folder(report.damaged_kept_at, root))
        )
    return " ".join(parts)
