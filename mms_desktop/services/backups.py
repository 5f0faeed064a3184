"""Backups of the store: made on start and every few hours, thinned, listed, restored.

Backups live in the data folder's ``backups/`` as plain SQLite files named by
their time and reason (``kopia-20270520-081500-start.sqlite3``), so a person
can also find and copy them by hand. Attachments are content-addressed and
never changed or deleted, so a backup of the store is a backup of the work.
A restore first keeps the current state as a backup ("before-restore"); a
damaged store is moved aside, never deleted.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mms_desktop import i18n
from mms_desktop.domain.retention import to_keep
from mms_desktop.paths import DataDir
from mms_desktop.services.errors import DataFolderError, UserError
from mms_desktop.storage import backup as snapshots
from mms_desktop.storage.errors import StoreDiskFullError, StoreError

if TYPE_CHECKING:
    from mms_desktop.services.workspace import Workspace

AUTO_INTERVAL_HOURS = 3  # while the window is open
REASONS = ("start", "auto", "manual", "before-restore", "before-import")
_NAME = re.compile(r"^kopia-(\d{8})-(\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class Backup:
    path: Path
    created_at: datetime  # UTC
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class BackupInfo:
    backup: Backup
    size: int
    ok: bool
    counts: dict[str, int]
    newest_edit: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.backup.path),
            "name": self.backup.name,
            "created_at": self.backup.created_at.isoformat(timespec="seconds"),
            "reason": self.backup.reason,
            "size": self.size,
            "ok": self.ok,
            "counts": self.counts,
            "newest_edit": self.newest_edit,
        }


@dataclass(frozen=True)
class RestoreReport:
    restored: BackupInfo
    kept_current_as: Path | None  # the state before the restore, as a backup
    damaged_kept_at: Path | None  # a damaged store, moved aside


def _name(at: datetime, reason: str, attempt: int) -> str:
    stamp = at.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    extra = f"-{attempt}" if attempt else ""
    return f"kopia-{stamp}{extra}-{reason}.sqlite3"


def _parse(path: Path) -> Backup | None:
    found = _NAME.match(path.name)
    if found is None:
        return None
    day, clock, _, reason = found.groups()
    created = datetime.strptime(day + clock, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return Backup(path, created, reason)


def _free_name(folder: Path, at: datetime, reason: str) -> Path:
    attempt = 0
    while (folder / _name(at, reason, attempt)).exists():
        attempt += 1
    return folder / _name(at, reason, attempt)


def create(
    store: Any, data_dir: DataDir, reason: str, at: datetime, out: Path | None = None
) -> Path:
    """Copy the open store consistently; into ``backups/`` (then thinned) unless ``out``.

    ``store`` is the open :class:`~mms_desktop.storage.store.Store`.
    """
    if reason not in REASONS:
        raise ValueError(reason)
    target = Path(out) if out is not None else _free_name(data_dir.backups, at, reason)
    if target.exists() and out is not None:
        raise UserError("backup.exists", path=str(target))
    try:
        store.backup_to(target)
    except StoreDiskFullError:
        raise UserError("backup.disk_full", path=str(target.parent)) from None
    except OSError as error:
        raise UserError(
            "backup.cannot_write", path=str(target), detail=i18n.os_error(error)
        ) from None
    if out is None:
        thin(data_dir, at)
    return target


def create_for(workspace: Workspace, reason: str, at: datetime) -> Path:
    """A backup of the workspace's open store, into ``backups/``."""
    return create(workspace.store, workspace.data_dir, reason, at)


def listing(data_dir: DataDir) -> list[Backup]:
    """The backups in ``backups/``, newest first."""
    if not data_dir.backups.is_dir():
        return []
    found = [_parse(path) for path in data_dir.backups.iterdir() if path.is_file()]
    return sorted((item for item in found if item), key=lambda item: item.created_at, reverse=True)


def describe(item: Backup) -> BackupInfo:
    """What a backup holds (read-only); a damaged one says so instead of raising."""
    size = item.path.stat().st_size
    health = snapshots.check_health(item.path)
    if not health.ok:
        return BackupInfo(item, size, False, {}, None)
    try:
        held = snapshots.contents(item.path)
    except StoreError:
        return BackupInfo(item, size, False, {}, None)
    return BackupInfo(item, size, True, held.counts, held.newest_edit)


def thin(data_dir: DataDir, now: datetime) -> list[Path]:
    """Drop the backups :func:`to_keep` does not keep; returns what was removed."""
    backups = listing(data_dir)
    keep = to_keep((item.created_at for item in backups), now)
    removed = []
    for item in backups:
        if item.created_at not in keep:
            item.path.unlink(missing_ok=True)
            removed.append(item.path)
    return removed


def find(data_dir: DataDir, name_or_path: str) -> Backup:
    """A backup named as the user typed it: a path, or a name in ``backups/``."""
    candidate = Path(name_or_path).expanduser()
    if not candidate.is_file():
        candidate = data_dir.backups / name_or_path
    if not candidate.is_file():
        raise UserError("backup.unknown", name=name_or_path)
    parsed = _parse(candidate)
    if parsed is not None:
        return parsed
    modified = datetime.fromtimestamp(candidate.stat().st_mtime, UTC)
    return Backup(candidate, modified, "manual")


def newest_good(data_dir: DataDir) -> BackupInfo | None:
    for item in listing(data_dir):
        info = describe(item)
        if info.ok:
            return info
    return None


def _move_aside(data_dir: DataDir, at: datetime) -> Path:
    """Keep a damaged store (and its log files) in ``damaged/``, never delete it."""
    folder = data_dir.root / "damaged"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = at.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    kept = folder / f"{data_dir.store.stem}-{stamp}{data_dir.store.suffix}"
    attempt = 1
    while kept.exists():
        kept = folder / f"{data_dir.store.stem}-{stamp}-{attempt}{data_dir.store.suffix}"
        attempt += 1
    os.replace(data_dir.store, kept)
    for companion in snapshots.companion_files(data_dir.store):
        if companion.exists():
            os.replace(companion, kept.with_name(kept.name + companion.name[-4:]))
    return kept


def restore(data_dir: DataDir, chosen: Backup, at: datetime) -> RestoreReport:
    """Put a backup in place of the store. The store must be closed by every program.

    The current state is kept first: as a "before-restore" backup when it is
    healthy, or moved to ``damaged/`` when it is not. The backup itself stays.
    """
    if not snapshots.check_health(chosen.path).ok:
        raise UserError("backup.damaged", name=chosen.name)
    try:
        held = snapshots.contents(chosen.path)  # a newer program's backup is refused in words
    except StoreError as error:
        raise UserError(error.key, **({"path": str(chosen.path)} | error.params)) from None
    info = BackupInfo(chosen, chosen.path.stat().st_size, True, held.counts, held.newest_edit)
    kept_current: Path | None = None
    damaged: Path | None = None
    try:
        if data_dir.store.exists():
            if snapshots.check_health(data_dir.store).ok:
                kept_current = _free_name(data_dir.backups, at, "before-restore")
                snapshots.copy_live_file(data_dir.store, kept_current)
            else:
                damaged = _move_aside(data_dir, at)
        # The old write-ahead log must not be replayed onto the restored file;
        # its contents are in the backup just made.
        for companion in snapshots.companion_files(data_dir.store):
            companion.unlink(missing_ok=True)
        snapshots.copy_file_consistently(chosen.path, data_dir.store)
    except OSError as error:
        raise DataFolderError(
            "backup.cannot_restore", path=str(data_dir.root), detail=i18n.os_error(error)
        ) from None
    return RestoreReport(info, kept_current, damaged)


def start_fresh(data_dir: DataDir, at: datetime) -> Path:
    """No good backup: keep the damaged store aside so the program can start empty."""
    try:
        return _move_aside(data_dir, at)
    except OSError as error:
        raise DataFolderError(
            "backup.cannot_restore", path=str(data_dir.root), detail=i18n.os_error(error)
        ) from None
