"""Consistent copies of the store, and checks of a store file's health.

A copy is made with SQLite's online backup API from an open connection,
after a WAL checkpoint: it reads through the write-ahead log, so the copy is
one consistent state even while the program writes. A file copy of a live
database is never made (it can catch the file half-way through a commit).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mms_desktop.fsync import sync_folder
from mms_desktop.storage.errors import StoreCorruptError, StoreTooNewError, classify
from mms_desktop.storage.migrations import LATEST_VERSION

# What a person recognises in a backup: these tables, counted.
COUNTED = ("organizations", "applications", "reports")


@dataclass(frozen=True)
class StoreHealth:
    ok: bool
    problems: tuple[str, ...]  # SQLite's own words, for the log and the details box
    schema_version: int | None


@dataclass(frozen=True)
class StoreContents:
    schema_version: int
    counts: dict[str, int]
    newest_edit: str | None  # the latest updated_at of any organisation, application, report


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that can never write to ``path`` (nor create it)."""
    if not path.is_file():
        raise StoreCorruptError(str(path), path=str(path))
    # On read-only media SQLite cannot make the WAL index it needs to read a
    # WAL-mode file; "immutable" tells it nothing will change there anyway.
    flags = "mode=ro" if os.access(path.parent, os.W_OK) else "mode=ro&immutable=1"
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=5.0)
    try:
        yield connection
    finally:
        connection.close()


def check_health(path: Path, thorough: bool = False) -> StoreHealth:
    """``PRAGMA quick_check`` (or ``integrity_check``) of a store file, read-only."""
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        with _read_only(path) as connection:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except StoreCorruptError:
        return StoreHealth(False, ("no such file",), None)
    except sqlite3.Error as error:
        return StoreHealth(False, (f"{getattr(error, 'sqlite_errorname', '')}: {error}",), None)
    problems = tuple(str(row[0]) for row in rows if row[0] != "ok")
    return StoreHealth(not problems, problems, version)


def contents(path: Path) -> StoreContents:
    """What a store (or a backup of one) holds, read-only; a damaged file raises StoreError."""
    try:
        with _read_only(path) as connection:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if version > LATEST_VERSION:
                raise StoreTooNewError(
                    str(path), path=str(path), found=version, supported=LATEST_VERSION
                )
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            counts = {
                table: int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                if table in tables
                else 0
                for table in COUNTED
            }
            stamps = [
                connection.execute(f"SELECT MAX(updated_at) FROM {table}").fetchone()[0]
                for table in COUNTED
                if table in tables
            ]
    except sqlite3.Error as error:
        raise classify(error) or StoreCorruptError(str(error), path=str(path)) from error
    known = [stamp for stamp in stamps if stamp]
    return StoreContents(version, counts, max(known) if known else None)


def copy_consistently(connection: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of an open store into ``target`` (whole or absent).

    Checkpoint first, so the copy does not depend on the write-ahead log; the
    backup API then copies one consistent state page by page; the copy is
    written under a temporary name, synced and renamed into place.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        with contextlib.suppress(sqlite3.OperationalError):
            # A checkpoint waits for no one: busy readers only make it partial.
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        copy = sqlite3.connect(temp_name)
        try:
            connection.backup(copy)
            # The copy is a plain single file: no WAL beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        # Opened for writing: Windows flushes only a handle that may write
        # (a read-only one fails with "Permission denied").
        with open(temp_name, "r+b") as written:
            os.fsync(written.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    sync_folder(target.parent)  # a rename survives a power cut only after this


def copy_file_consistently(source: Path, target: Path) -> None:
    """A consistent copy of a backup file, opened read-only (it is never changed)."""
    connection = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    try:
        copy_consistently(connection, target)
    except sqlite3.Error as error:
        raise classify(error) or error from error
    finally:
        connection.close()


def copy_live_file(source: Path, target: Path) -> None:
    """A consistent copy of a store no program has open, with what its log still holds.

    Opened read-write: after a crash, SQLite first replays the write-ahead log
    left beside the file, so the copy has every commit.
    """
    connection = sqlite3.connect(source, timeout=5.0)
    try:
        copy_consistently(connection, target)
    except sqlite3.Error as error:
        raise classify(error) or error from error
    finally:
        connection.close()


def companion_files(store_path: Path) -> list[Path]:
    """The write-ahead log and shared-memory files SQLite keeps beside a store."""
    return [store_path.with_name(store_path.name + suffix) for suffix in ("-wal", "-shm")]
