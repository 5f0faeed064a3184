"""The operator's storage in one folder: an SQLite file and content-addressed blobs.

``DATA_DIR/mms-operator.sqlite3`` (WAL, foreign keys, ``synchronous=FULL``: a
receipt the server has sent is on disk), ``DATA_DIR/blobs/<sha[:2]>/<sha>``
(written to a temporary file, fsynced, renamed: a blob is whole or absent).

Each thread has its own connection, opened on its first call and kept (opening
one costs more than the query it serves), so the server's worker threads and
an operator's command line can use one folder at once; writes are transactions
that take the write lock up front (``BEGIN IMMEDIATE``), so a check and the
write that depends on it cannot be split by another writer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from mms_desktop.i18n import tr
from mms_operator.blobs import BlobFolder
from mms_operator.sql_store import SqlOperatorStore, schema_v3
from mms_operator.store import (
    Status,
    StoreError,
    StoreTooNewError,
    StoreUnavailableError,
)

log = logging.getLogger(__name__)

DB_FILE = "mms-operator.sqlite3"
SCHEMA_VERSION = 3

_SCHEMA_V1 = f"""
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE submissions (
    seq INTEGER PRIMARY KEY,
    submission_id TEXT NOT NULL UNIQUE,
    server_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    document BLOB NOT NULL,
    content_sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s.value}'" for s in Status)})),
    comment TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX submissions_by_organization ON submissions (organization_id, updated_at);
-- A submitted version is frozen: only its status and comment ever change.
CREATE TRIGGER submissions_frozen
BEFORE UPDATE OF seq, submission_id, server_id, organization_id, kind, title, document,
    content_sha256, received_at ON submissions
BEGIN
    SELECT RAISE(ABORT, 'a submitted document is frozen');
END;
CREATE TRIGGER submissions_kept BEFORE DELETE ON submissions
BEGIN
    SELECT RAISE(ABORT, 'submitted documents are kept');
END;
CREATE TABLE submission_attachments (
    submission_id TEXT NOT NULL REFERENCES submissions (submission_id),
    sha256 TEXT NOT NULL,
    PRIMARY KEY (submission_id, sha256)
);
CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (submission_id),
    status TEXT NOT NULL,
    comment TEXT,
    changed_at TEXT NOT NULL
);
CREATE TABLE calls (
    call_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (call_id, version)
);
"""

# Version 2: one login per organisation (its NIP, or the desktop's organisation id
# bound by its first document), when the desktop froze a submission, and who
# uploaded each blob (a blob is attachable only by an organisation that sent it).
_SCHEMA_V2 = """
ALTER TABLE organizations ADD COLUMN nip TEXT;
ALTER TABLE organizations ADD COLUMN document_organization_id TEXT;
ALTER TABLE submissions ADD COLUMN document_organization_id TEXT;
ALTER TABLE submissions ADD COLUMN frozen_at TEXT;
DROP TRIGGER submissions_frozen;
CREATE TRIGGER submissions_frozen
BEFORE UPDATE OF seq, submission_id, server_id, organization_id, kind, title, document,
    content_sha256, received_at, document_organization_id, frozen_at ON submissions
BEGIN
    SELECT RAISE(ABORT, 'a submitted document is frozen');
END;
CREATE TABLE blob_owners (
    sha256 TEXT NOT NULL,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    size INTEGER NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (sha256, organization_id)
);
CREATE INDEX blob_owners_by_organization ON blob_owners (organization_id, uploaded_at);
CREATE INDEX submission_attachments_by_blob ON submission_attachments (sha256);
"""

# Primary SQLite result codes a person can act on.
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_FULL = 13  # SQLITE_FULL
_READONLY = 8
_CANTOPEN = 14
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def _known(error: sqlite3.Error) -> StoreError | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in _BUSY:
        return StoreUnavailableError(tr("operator.store.busy"))
    if primary == _FULL:
        return StoreUnavailableError(tr("operator.store.disk_full"))
    if primary == _READONLY:
        return StoreError(tr("operator.store.read_only_folder"))
    if primary == _CANTOPEN:
        return StoreError(tr("operator.store.cannot_open"))
    if primary in _DAMAGED:
        return StoreError(tr("operator.store.damaged"))
    return None


@contextlib.contextmanager
def _sorted_errors() -> Iterator[None]:
    """Known SQLite and disk failures become StoreErrors; anything else is a bug."""
    try:
        yield
    except sqlite3.Error as error:
        known = _known(error)
        if known is None:
            raise
        raise known from error


class SqliteOperatorStore(SqlOperatorStore):
    """``OperatorStore`` on SQLite and a folder of blobs."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_FILE
        self.blobs = BlobFolder(self.data_dir)  # creates the private data folder too
        self.blobs_dir = self.blobs.root
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        # This process's writers queue here rather than in SQLite's busy handler,
        # which sleeps in steps of milliseconds between tries.
        self._write_lock = threading.Lock()
        try:
            # Tokens' hashes and every organisation's documents: only the
            # operator's account may read them (0700 folders, 0600 files).
            if not self.db_path.exists():
                # SQLite gives its -wal and -shm files the database file's mode.
                os.close(os.open(self.db_path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as error:
            raise StoreError(
                tr(
                    "operator.store.cannot_create_folder",
                    folder=self.data_dir,
                    detail=error.strerror,
                )
            ) from error
        with _sorted_errors():
            self._migrate()

    # --- connections --------------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with _sorted_errors():
            conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
            if conn is None:
                conn = sqlite3.connect(
                    self.db_path, timeout=10, isolation_level=None, check_same_thread=False
                )
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA synchronous = FULL")
                self._local.conn = conn
                with self._opened_lock:
                    self._opened.append(conn)
            yield conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _migrate(self) -> None:
        with self._connection() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreTooNewError(
                        tr(
                            "operator.store.too_new",
                            folder=self.data_dir,
                            found=version,
                            supported=SCHEMA_VERSION,
                        )
                    )
                if version < 1:
                    for statement in _split(_SCHEMA_V1):
                        conn.execute(statement)
                if version < 2:
                    for statement in _split(_SCHEMA_V2):
                        conn.execute(statement)
                    self._own_listed_blobs(conn)
                if version < 3:
                    for statement in schema_v3("INTEGER PRIMARY KEY", "TEXT NOT NULL"):
                        conn.execute(statement)
                    self._fill_summaries(conn)
                if version < SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def remove_interrupted_uploads(self) -> int:
        return self.blobs.remove_interrupted_uploads()

    def close(self) -> None:
        """Close every thread's connection (call when no thread uses the store any more)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()

    # --- dialect ---------------------------------------------------------------------

    def _next_seq(self, conn: sqlite3.Connection) -> int:
        # Under the write lock: no other writer can take the same number.
        return int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM submissions").fetchone()[0])


def _split(script: str) -> list[str]:
    """The statements of a schema script (triggers keep their inner semicolons)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [statement for statement in statements if statement]
