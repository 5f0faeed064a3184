"""The SQL both operator stores share, written once.

``SqliteOperatorStore`` and ``PostgresOperatorStore`` differ only in how they
connect, how they migrate their schema, and a few dialect details named here as
hooks: the parameter style (every query is written with ``?`` and turned into
``%s`` for psycopg), how a submission gets its next number, and the locks
PostgreSQL needs where SQLite's single writer already serialises (the
organisation's row lock, the blob clean-up's advisory lock). Everything else —
each query of the store interface — is in this class.

Both drivers hand rows that are read by column name (``sqlite3.Row``,
psycopg's ``dict_row``); queries name every column they read.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from datetime import datetime
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
    Submission,
    UnknownSubmissionError,
    Usage,
)

# A blob the organisation uploaded and none of its submissions lists.
PENDING = """
    NOT EXISTS (
        SELECT 1 FROM submission_attachments AS a
        JOIN submissions AS s ON s.submission_id = a.submission_id
        WHERE a.sha256 = b.sha256 AND s.organization_id = b.organization_id
    )
"""


def an_integer(value: object) -> bool:
    """A version both databases' INTEGER holds (a document may claim any number)."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31


class SqlOperatorStore:
    """``OperatorStore``'s queries; a subclass supplies connections and the dialect hooks."""

    blobs: BlobFolder
    # psycopg's "%s" style needs every literal "%" doubled; SQLite takes "?" as written.
    PYFORMAT = False
    # Appended to the organisation read that starts a submission's transaction.
    LOCK_ROW = ""

    # --- what a subclass provides ---------------------------------------------------

    def _connection(self) -> contextlib.AbstractContextManager[Any]:
        raise NotImplementedError

    def _write(self) -> contextlib.AbstractContextManager[Any]:
        """A connection inside one write transaction, committed when the block ends."""
        raise NotImplementedError

    def _next_seq(self, conn: Any) -> int:
        raise NotImplementedError

    def _lock_blobs(self, conn: Any, *, shared: bool) -> None:
        """Uploads and submissions (shared) against a clean-up (exclusive)."""

    # --- running queries ------------------------------------------------------------

    def _sql(self, query: str) -> str:
        if self.PYFORMAT:
            return query.replace("%", "%%").replace("?", "%s")
        return query

    def _run(self, conn: Any, query: str, params: Sequence[Any] = ()) -> Any:
        return conn.execute(self._sql(query), tuple(params))

    def _one(self, conn: Any, query: str, params: Sequence[Any] = ()) -> Any:
        return self._run(conn, query, params).fetchone()

    def _all(self, conn: Any, query: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._run(conn, query, params).fetchall())

    def _many(self, conn: Any, query: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with contextlib.closing(conn.cursor()) as cursor:
                cursor.executemany(self._sql(query), [tuple(row) for row in rows])

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._connection() as conn:
            return self._all(conn, query, params)

    def _read_one(self, query: str, params: Sequence[Any] = ()) -> Any:
        with self._connection() as conn:
            return self._one(conn, query, params)

    # --- migrations both share ------------------------------------------------------

    def _own_listed_blobs(self, conn: Any) -> None:
        """Blobs received before owners were kept belong to whoever listed them."""
        rows = self._all(
            conn,
            """SELECT DISTINCT a.sha256, s.organization_id, s.received_at
               FROM submission_attachments AS a
               JOIN submissions AS s ON s.submission_id = a.submission_id""",
        )
        for row in rows:
            size = self.blobs.size(row["sha256"])
            if size is not None:
                self._run(
                    conn,
                    "INSERT INTO blob_owners VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (row["sha256"], row["organization_id"], size, row["received_at"]),
                )

    # --- organisations --------------------------------------------------------------

    def add_organization(
        self, name: str, token_sha256: str, created_at: str, nip: str | None = None
    ) -> Organization:
        with self._write() as conn:
            row = self._one(
                conn,
                "INSERT INTO organizations (name, token_sha256, created_at, nip) "
                "VALUES (?, ?, ?, ?) RETURNING id",
                (name, token_sha256, created_at, nip),
            )
        return Organization(int(row["id"]), name, created_at, nip)

    def organization_by_token(self, token_sha256: str) -> Organization | None:
        row = self._read_one(
            "SELECT id, name, created_at, nip, document_organization_id FROM organizations "
            "WHERE token_sha256 = ?",
            (token_sha256,),
        )
        if row is None:
            return None
        return Organization(
            row["id"], row["name"], row["created_at"], row["nip"], row["document_organization_id"]
        )

    # --- submissions ------------------------------------------------------------------

    SELECT = """
        SELECT s.submission_id, s.server_id, s.organization_id, o.name AS organization_name,
               s.kind, s.title, s.content_sha256, s.received_at, s.status, s.comment,
               s.updated_at
        FROM submissions AS s JOIN organizations AS o ON o.id = s.organization_id
    """

    @staticmethod
    def _submission(row: Any) -> Submission:
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

    def _find(self, conn: Any, submission_id: str) -> Submission | None:
        row = self._one(conn, self.SELECT + " WHERE s.submission_id = ?", (submission_id,))
        return None if row is None else self._submission(row)

    def submission(self, submission_id: str) -> Submission | None:
        with self._connection() as conn:
            return self._find(conn, submission_id)

    def submission_document(self, submission_id: str) -> bytes | None:
        row = self._read_one(
            "SELECT document FROM submissions WHERE submission_id = ?", (submission_id,)
        )
        return None if row is None else bytes(row["document"])

    def add_submission(self, new: NewSubmission) -> tuple[Submission, bool]:
        with self._write() as conn:
            if new.attachments:  # no clean-up may delete a listed blob until this commits
                self._lock_blobs(conn, shared=True)
            # The organisation's row (locked where the database has row locks): its
            # submissions, and the binding of a login without a NIP to its first
            # document, happen one after another.
            organization = self._one(
                conn,
                "SELECT nip, document_organization_id FROM organizations WHERE id = ?"
                + self.LOCK_ROW,
                (new.organization_id,),
            )
            existing = self._find(conn, new.submission_id)
            if existing is not None:
                return existing, False
            self._bind_organization(conn, organization, new)
            missing = [
                sha
                for sha in new.attachments
                if self._one(
                    conn,
                    "SELECT 1 AS owned FROM blob_owners WHERE sha256 = ? AND organization_id = ?",
                    (sha, new.organization_id),
                )
                is None
                or self.blobs.size(sha) is None
            ]
            if missing:
                raise MissingBlobsError(missing)
            seq = self._next_seq(conn)
            inserted = self._one(
                conn,
                """INSERT INTO submissions (seq, submission_id, server_id, organization_id,
                       kind, title, document, content_sha256, received_at, status, comment,
                       updated_at, document_organization_id, frozen_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
                   ON CONFLICT (submission_id) DO NOTHING
                   RETURNING seq""",
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
            if inserted is None:
                # Another organisation's request with this id committed first.
                raced = self._find(conn, new.submission_id)
                assert raced is not None
                return raced, False
            self._many(
                conn,
                "INSERT INTO submission_attachments (submission_id, sha256) "
                "VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(new.submission_id, sha) for sha in dict.fromkeys(new.attachments)],
            )
            self._run(
                conn,
                "INSERT INTO status_changes (submission_id, status, comment, changed_at) "
                "VALUES (?, ?, NULL, ?)",
                (new.submission_id, Status.RECEIVED.value, new.received_at),
            )
            stored = self._find(conn, new.submission_id)
            assert stored is not None
            return stored, True

    def _bind_organization(self, conn: Any, organization: Any, new: NewSubmission) -> None:
        """A login without a NIP belongs to the organisation of its first document."""
        if (
            organization is None
            or organization["nip"] is not None
            or new.document_organization_id is None
        ):
            return  # the NIP, checked before, is the identity; or nothing to bind
        bound = organization["document_organization_id"]
        if bound is None:
            self._run(
                conn,
                "UPDATE organizations SET document_organization_id = ? WHERE id = ?",
                (new.document_organization_id, new.organization_id),
            )
        elif bound != new.document_organization_id:
            raise OrganizationMismatchError(bound)

    def frozen_at(self, submission_id: str) -> str | None:
        row = self._read_one(
            "SELECT frozen_at FROM submissions WHERE submission_id = ?", (submission_id,)
        )
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
        query = self.SELECT
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY s.updated_at, s.seq"
        return [self._submission(row) for row in self._read(query, params)]

    def set_status(
        self, submission_id: str, status: Status, comment: str | None, at: str
    ) -> Submission:
        with self._write() as conn:
            changed = self._run(
                conn,
                "UPDATE submissions SET status = ?, comment = ?, updated_at = ? "
                "WHERE submission_id = ?",
                (status.value, comment, at, submission_id),
            )
            if changed.rowcount == 0:
                raise UnknownSubmissionError(
                    tr("operator.no_submission", submission_id=submission_id)
                )
            self._run(
                conn,
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
        row = self._read_one(
            "SELECT 1 AS owned FROM blob_owners WHERE sha256 = ? AND organization_id = ?",
            (sha256, organization_id),
        )
        return None if row is None else self.blobs.size(sha256)

    def put_blob(self, sha256: str, data: bytes, organization_id: int, at: str) -> bool:
        self.blobs.check(sha256, data)
        if self.blobs.size(sha256) is None:
            self.blobs.write(sha256, data)  # outside any transaction: it may be 50 MB
        with self._write() as conn:
            self._lock_blobs(conn, shared=True)
            created = self._run(
                conn,
                "INSERT INTO blob_owners VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (sha256, organization_id, len(data), at),
            ).rowcount
            # A clean-up (which deletes under the exclusive lock) may have run in between.
            if self.blobs.size(sha256) is None:
                self.blobs.write(sha256, data)
            return bool(created == 1)

    def usage(self, organization_id: int) -> Usage:
        row = self._read_one(
            f"""SELECT
                (SELECT count(*) FROM submissions WHERE organization_id = ?) AS n,
                (SELECT COALESCE(sum(length(document)), 0) FROM submissions
                    WHERE organization_id = ?)
                + (SELECT COALESCE(sum(size), 0) FROM blob_owners
                    WHERE organization_id = ?) AS bytes,
                (SELECT count(*) FROM blob_owners AS b
                    WHERE b.organization_id = ? AND {PENDING}) AS pending""",
            (organization_id,) * 4,
        )
        return Usage(
            bytes=int(row["bytes"]), submissions=int(row["n"]), pending_blobs=int(row["pending"])
        )

    def cleanup_blobs(self, uploaded_before: str) -> tuple[int, int]:
        # Held while deleting files: no upload or submission can claim one meanwhile.
        with self._write() as conn:
            self._lock_blobs(conn, shared=False)
            self._run(
                conn,
                "DELETE FROM blob_owners AS b WHERE b.uploaded_at < ? AND " + PENDING,
                (uploaded_before,),
            )
            kept = {
                row["sha256"]
                for row in self._all(
                    conn,
                    "SELECT sha256 FROM blob_owners "
                    "UNION SELECT sha256 FROM submission_attachments",
                )
            }
            return self.blobs.remove_unkept(kept, datetime.fromisoformat(uploaded_before))

    # --- calls ----------------------------------------------------------------------

    def publish_call(self, call_id: str, version: int, definition: dict[str, Any], at: str) -> bool:
        text = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        with self._write() as conn:
            inserted = self._run(
                conn,
                "INSERT INTO calls (call_id, version, definition, published_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (call_id, version, text, at),
            ).rowcount
            if inserted == 1:
                return True
            row = self._one(
                conn,
                "SELECT definition FROM calls WHERE call_id = ? AND version = ?",
                (call_id, version),
            )
        if row is not None and row["definition"] == text:
            return False
        raise CallVersionExistsError(
            tr("operator.store.call_exists", call_id=call_id, version=version)
        )

    @staticmethod
    def _call(row: Any) -> PublishedCall:
        return PublishedCall(
            row["call_id"], row["version"], json.loads(row["definition"]), row["published_at"]
        )

    _CALL = "SELECT call_id, version, definition, published_at FROM calls"

    def calls(self) -> list[PublishedCall]:
        rows = self._read(
            self._CALL + " AS c WHERE c.version = "
            "(SELECT max(version) FROM calls WHERE call_id = c.call_id) ORDER BY c.call_id"
        )
        return [self._call(row) for row in rows]

    def call_for(self, call_id: str, version: object) -> PublishedCall | None:
        row = self._read_one(
            self._CALL + " WHERE call_id = ? "
            "ORDER BY (version = CAST(? AS INTEGER)) IS TRUE DESC, version DESC LIMIT 1",
            (call_id, version if an_integer(version) else None),
        )
        return None if row is None else self._call(row)

    def call_version(self, call_id: str, version: int) -> PublishedCall | None:
        if not an_integer(version):
            return None
        row = self._read_one(self._CALL + " WHERE call_id = ? AND version = ?", (call_id, version))
        return None if row is None else self._call(row)
