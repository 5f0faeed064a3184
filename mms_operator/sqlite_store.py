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
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from mms_desktop.i18n import tr
from mms_operator.blobs import BlobFolder
from mms_operator.store import (
    CallVersionExistsError,
    MissingBlobsError,
    NewSubmission,
    Organization,
    OrganizationMismatchError,
    PublishedCall,
    Status,
    StoreError,
    StoreTooNewError,
    StoreUnavailableError,
    Submission,
    UnknownSubmissionError,
    Usage,
)

log = logging.getLogger(__name__)

DB_FILE = "mms-operator.sqlite3"
SCHEMA_VERSION = 2

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

# A blob the organisation uploaded and none of its submissions lists.
_PENDING = """
    NOT EXISTS (
        SELECT 1 FROM submission_attachments AS a
        JOIN submissions AS s ON s.submission_id = a.submission_id
        WHERE a.sha256 = b.sha256 AND s.organization_id = b.organization_id
    )
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


class SqliteOperatorStore:
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
                if version < SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _own_listed_blobs(self, conn: sqlite3.Connection) -> None:
        """Blobs received before owners were kept belong to whoever listed them."""
        rows = conn.execute(
            """SELECT DISTINCT a.sha256, s.organization_id, s.received_at
               FROM submission_attachments AS a
               JOIN submissions AS s ON s.submission_id = a.submission_id"""
        ).fetchall()
        for row in rows:
            size = self.blob_size(row["sha256"])
            if size is not None:
                conn.execute(
                    "INSERT OR IGNORE INTO blob_owners VALUES (?, ?, ?, ?)",
                    (row["sha256"], row["organization_id"], size, row["received_at"]),
                )

    def remove_interrupted_uploads(self) -> int:
        return self.blobs.remove_interrupted_uploads()

    def close(self) -> None:
        """Close every thread's connection (call when no thread uses the store any more)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()

    # --- organisations --------------------------------------------------------------

    def add_organization(
        self, name: str, token_sha256: str, created_at: str, nip: str | None = None
    ) -> Organization:
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO organizations (name, token_sha256, created_at, nip) "
                "VALUES (?, ?, ?, ?)",
                (name, token_sha256, created_at, nip),
            )
            assert cursor.lastrowid is not None
            return Organization(cursor.lastrowid, name, created_at, nip)

    def organization_by_token(self, token_sha256: str) -> Organization | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT id, name, created_at, nip, document_organization_id FROM organizations "
                "WHERE token_sha256 = ?",
                (token_sha256,),
            ).fetchone()
        if row is None:
            return None
        return Organization(
            row["id"], row["name"], row["created_at"], row["nip"], row["document_organization_id"]
        )

    # --- submissions ------------------------------------------------------------------

    _SELECT = """
        SELECT s.submission_id, s.server_id, s.organization_id, o.name AS organization_name,
               s.kind, s.title, s.content_sha256, s.received_at, s.status, s.comment,
               s.updated_at
        FROM submissions AS s JOIN organizations AS o ON o.id = s.organization_id
    """

    @staticmethod
    def _submission(row: sqlite3.Row) -> Submission:
        return Submission(
            submission_id=row["submission_id"],
            server_id=row["server_id"],
            organization_id=row["organization_id"],
            organization_name=row["organization_name"],
            kind=row["kind"],
            title=row["title"],
            content_sha256=row["content_sha256"],
            received_at=row["received_at"],
            status=Status(row["status"]),
            comment=row["comment"],
            updated_at=row["updated_at"],
        )

    def _find(self, conn: sqlite3.Connection, submission_id: str) -> Submission | None:
        row = conn.execute(self._SELECT + " WHERE s.submission_id = ?", (submission_id,)).fetchone()
        return None if row is None else self._submission(row)

    def submission(self, submission_id: str) -> Submission | None:
        with self._connection() as conn:
            return self._find(conn, submission_id)

    def submission_document(self, submission_id: str) -> bytes | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT document FROM submissions WHERE submission_id = ?", (submission_id,)
            ).fetchone()
        return None if row is None else bytes(row["document"])

    def add_submission(self, new: NewSubmission) -> tuple[Submission, bool]:
        with self._write() as conn:
            existing = self._find(conn, new.submission_id)
            if existing is not None:
                return existing, False
            self._bind_organization(conn, new)
            missing = [
                sha
                for sha in new.attachments
                if conn.execute(
                    "SELECT 1 FROM blob_owners WHERE sha256 = ? AND organization_id = ?",
                    (sha, new.organization_id),
                ).fetchone()
                is None
                or self.blob_size(sha) is None
            ]
            if missing:
                raise MissingBlobsError(missing)
            seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM submissions").fetchone()[0]
            conn.execute(
                """INSERT INTO submissions (seq, submission_id, server_id, organization_id,
                       kind, title, document, content_sha256, received_at, status, comment,
                       updated_at, document_organization_id, frozen_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)""",
                (
                    seq,
                    new.submission_id,
                    f"W-{seq:06d}",
                    new.organization_id,
                    new.kind,
                    new.title,
                    new.document,
                    new.content_sha256,
                    new.received_at,
                    Status.RECEIVED.value,
                    new.received_at,
                    new.document_organization_id,
                    new.frozen_at,
                ),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO submission_attachments (submission_id, sha256) "
                "VALUES (?, ?)",
                [(new.submission_id, sha) for sha in new.attachments],
            )
            conn.execute(
                "INSERT INTO status_changes (submission_id, status, comment, changed_at) "
                "VALUES (?, ?, NULL, ?)",
                (new.submission_id, Status.RECEIVED.value, new.received_at),
            )
            stored = self._find(conn, new.submission_id)
            assert stored is not None
            return stored, True

    @staticmethod
    def _bind_organization(conn: sqlite3.Connection, new: NewSubmission) -> None:
        """A login without a NIP belongs to the organisation of its first document."""
        row = conn.execute(
            "SELECT nip, document_organization_id FROM organizations WHERE id = ?",
            (new.organization_id,),
        ).fetchone()
        if row is None or row["nip"] is not None or new.document_organization_id is None:
            return  # the NIP, checked before, is the identity; or nothing to bind
        bound = row["document_organization_id"]
        if bound is None:
            conn.execute(
                "UPDATE organizations SET document_organization_id = ? WHERE id = ?",
                (new.document_organization_id, new.organization_id),
            )
        elif bound != new.document_organization_id:
            raise OrganizationMismatchError(bound)

    def frozen_at(self, submission_id: str) -> str | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT frozen_at FROM submissions WHERE submission_id = ?", (submission_id,)
            ).fetchone()
        return None if row is None else row["frozen_at"]

    def submissions(
        self, *, organization_id: int | None = None, updated_since: str | None = None
    ) -> list[Submission]:
        where: list[str] = []
        params: list[int | str] = []
        if organization_id is not None:
            where.append("s.organization_id = ?")
            params.append(organization_id)
        if updated_since is not None:
            where.append("s.updated_at >= ?")
            params.append(updated_since)
        query = self._SELECT
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY s.updated_at, s.seq"
        with self._connection() as conn:
            return [self._submission(row) for row in conn.execute(query, params)]

    def set_status(
        self, submission_id: str, status: Status, comment: str | None, at: str
    ) -> Submission:
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE submissions SET status = ?, comment = ?, updated_at = ? "
                "WHERE submission_id = ?",
                (status.value, comment, at, submission_id),
            )
            if cursor.rowcount == 0:
                raise UnknownSubmissionError(
                    tr("operator.no_submission", submission_id=submission_id)
                )
            conn.execute(
                "INSERT INTO status_changes (submission_id, status, comment, changed_at) "
                "VALUES (?, ?, ?, ?)",
                (submission_id, status.value, comment, at),
            )
            stored = self._find(conn, submission_id)
            assert stored is not None
            return stored

    # --- blobs ----------------------------------------------------------------------

    def blob_size(self, sha256: str) -> int | None:
        return self.blobs.size(sha256)

    def owned_blob_size(self, sha256: str, organization_id: int) -> int | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT 1 FROM blob_owners WHERE sha256 = ? AND organization_id = ?",
                (sha256, organization_id),
            ).fetchone()
        return None if row is None else self.blob_size(sha256)

    def put_blob(self, sha256: str, data: bytes, organization_id: int, at: str) -> bool:
        self.blobs.check(sha256, data)
        if self.blobs.size(sha256) is None:
            self.blobs.write(sha256, data)  # outside the lock: it may be 50 MB
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO blob_owners VALUES (?, ?, ?, ?)",
                (sha256, organization_id, len(data), at),
            )
            # A cleanup (which deletes under the write lock) may have run in between.
            if self.blobs.size(sha256) is None:
                self.blobs.write(sha256, data)
            return cursor.rowcount == 1

    def usage(self, organization_id: int) -> Usage:
        with self._connection() as conn:
            row = conn.execute(
                f"""SELECT
                    (SELECT COUNT(*) FROM submissions WHERE organization_id = :org),
                    (SELECT COALESCE(SUM(length(document)), 0) FROM submissions
                        WHERE organization_id = :org)
                    + (SELECT COALESCE(SUM(size), 0) FROM blob_owners WHERE organization_id = :org),
                    (SELECT COUNT(*) FROM blob_owners AS b
                        WHERE b.organization_id = :org AND {_PENDING})""",
                {"org": organization_id},
            ).fetchone()
        return Usage(bytes=row[1], submissions=row[0], pending_blobs=row[2])

    def cleanup_blobs(self, uploaded_before: str) -> tuple[int, int]:
        with self._write() as conn:  # held while deleting: no upload can claim a file meanwhile
            conn.execute(
                "DELETE FROM blob_owners AS b WHERE b.uploaded_at < ? AND " + _PENDING,
                (uploaded_before,),
            )
            kept = {
                row[0]
                for row in conn.execute(
                    "SELECT sha256 FROM blob_owners UNION SELECT sha256 FROM submission_attachments"
                )
            }
            return self.blobs.remove_unkept(kept, datetime.fromisoformat(uploaded_before))

    # --- calls ----------------------------------------------------------------------

    def publish_call(self, call_id: str, version: int, definition: dict[str, Any], at: str) -> bool:
        text = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        with self._write() as conn:
            row = conn.execute(
                "SELECT definition FROM calls WHERE call_id = ? AND version = ?",
                (call_id, version),
            ).fetchone()
            if row is not None:
                if row["definition"] == text:
                    return False
                raise CallVersionExistsError(
                    tr("operator.store.call_exists", call_id=call_id, version=version)
                )
            conn.execute(
                "INSERT INTO calls (call_id, version, definition, published_at) "
                "VALUES (?, ?, ?, ?)",
                (call_id, version, text, at),
            )
            return True

    @staticmethod
    def _call(row: sqlite3.Row) -> PublishedCall:
        return PublishedCall(
            row["call_id"], row["version"], json.loads(row["definition"]), row["published_at"]
        )

    def calls(self) -> list[PublishedCall]:
        with self._connection() as conn:
            rows = conn.execute(
                """SELECT c.* FROM calls AS c
                   WHERE c.version = (SELECT MAX(version) FROM calls WHERE call_id = c.call_id)
                   ORDER BY c.call_id"""
            ).fetchall()
        return [self._call(row) for row in rows]

    def call_for(self, call_id: str, version: object) -> PublishedCall | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT * FROM calls WHERE call_id = ? ORDER BY version = ? DESC, version DESC "
                "LIMIT 1",
                (call_id, version if isinstance(version, int) else None),
            ).fetchone()
        return None if row is None else self._call(row)

    def call_version(self, call_id: str, version: int) -> PublishedCall | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT * FROM calls WHERE call_id = ? AND version = ?", (call_id, version)
            ).fetchone()
        return None if row is None else self._call(row)


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
