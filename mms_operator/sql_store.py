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
    SORTS,
    AuditEntry,
    CallFigures,
    CallVersionExistsError,
    DocumentSummary,
    MissingBlobsError,
    NewSubmission,
    Organization,
    OrganizationListing,
    OrganizationMismatchError,
    PublishedCall,
    Role,
    StaffMember,
    StaffSession,
    Status,
    Submission,
    SubmissionFilter,
    SubmissionPage,
    UnknownSubmissionError,
    Usage,
)
from mms_operator.summary import document_summary, search_text

# A blob the organisation uploaded and none of its submissions lists.
PENDING = """
    NOT EXISTS (
        SELECT 1 FROM submission_attachments AS a
        JOIN submissions AS s ON s.submission_id = a.submission_id
        WHERE a.sha256 = b.sha256 AND s.organization_id = b.organization_id
    )
"""


def schema_v3(identity: str, time: str) -> list[str]:
    """Version 3, the same in both stores but for the identity column and the time type:
    what the panel filters on (read from each document once), staff accounts, their
    sessions, failed logins (for throttling) and the audit log; revoked tokens; the money
    a call has to give."""
    return [
        "ALTER TABLE organizations ADD COLUMN revoked_at TEXT",
        *(
            f"ALTER TABLE submissions ADD COLUMN {column}"
            for column in (
                "call_id TEXT",
                "record_id TEXT",
                "nip TEXT",
                "gmina TEXT",
                "powiat TEXT",
                "grant_grosze BIGINT",
                "own_grosze BIGINT",
                "search_text TEXT",
                # 0 once a newer version of the same record arrived: the panel's lists
                # and figures count each application once without a subquery per row.
                "latest INTEGER NOT NULL DEFAULT 1",
            )
        ),
        # The panel's lists, counts and figures read only this index: in SQLite the
        # columns added here sit after each row's 10 kB document, so reaching them in
        # the table means reading its overflow pages (20,000 rows: 130 ms against 5).
        """CREATE INDEX submissions_by_call ON submissions (
            call_id, latest, received_at, seq, kind, status, organization_id, gmina,
            powiat, grant_grosze, search_text
        )""",
        "CREATE INDEX submissions_by_record ON submissions (record_id, organization_id, seq)",
        f"""CREATE TABLE staff (
            id {identity},
            email TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('reviewer', 'admin')),
            password_hash TEXT NOT NULL,
            must_change_password INTEGER NOT NULL,
            created_at {time}
        )""",
        f"""CREATE TABLE staff_sessions (
            token_sha256 TEXT PRIMARY KEY,
            staff_id BIGINT NOT NULL REFERENCES staff (id),
            csrf_token TEXT NOT NULL,
            created_at {time},
            last_seen {time},
            language TEXT NOT NULL
        )""",
        f"""CREATE TABLE login_failures (
            id {identity},
            email TEXT NOT NULL,
            address TEXT NOT NULL,
            at {time}
        )""",
        "CREATE INDEX login_failures_by_time ON login_failures (at)",
        f"""CREATE TABLE audit_log (
            id {identity},
            at {time},
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT,
            detail TEXT,
            address TEXT
        )""",
        "CREATE INDEX audit_log_by_subject ON audit_log (subject, id)",
        f"""CREATE TABLE call_funds (
            call_id TEXT PRIMARY KEY,
            available_grosze BIGINT NOT NULL CHECK (available_grosze >= 0),
            set_at {time},
            set_by TEXT NOT NULL
        )""",
    ]


def _like(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# The newest version of an application or report (kept up to date as versions arrive).
LATEST = "s.latest = 1"

_SORT_COLUMNS = {
    "received_at": "s.received_at",
    "title": "s.title",
    "organization": "o.name",
    "status": "s.status",
    "grant": "COALESCE(s.grant_grosze, -1)",
    "server_id": "s.seq",
    "powiat": "COALESCE(s.powiat, '')",
}
assert set(_SORT_COLUMNS) == set(SORTS)


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

    def _fill_summaries(self, conn: Any) -> None:
        """Version 3: what the panel filters on, read from every document received before."""
        rows = self._all(
            conn,
            "SELECT s.seq, s.kind, s.title, s.server_id, s.document, o.name "
            "FROM submissions AS s JOIN organizations AS o ON o.id = s.organization_id",
        )
        for row in rows:
            try:
                document = json.loads(bytes(row["document"]))
            except ValueError:
                document = None
            summary = document_summary(row["kind"], document)
            self._run(
                conn,
                "UPDATE submissions SET call_id = ?, record_id = ?, nip = ?, gmina = ?, "
                "powiat = ?, grant_grosze = ?, own_grosze = ?, search_text = ? WHERE seq = ?",
                (
                    *summary.column_values(),
                    search_text(row["title"], row["name"], summary, row["server_id"]),
                    row["seq"],
                ),
            )
        self._run(
            conn,
            """UPDATE submissions SET latest = 0 WHERE EXISTS (
                SELECT 1 FROM submissions AS later
                WHERE later.record_id = submissions.record_id
                  AND later.organization_id = submissions.organization_id
                  AND later.seq > submissions.seq)""",
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
            "WHERE token_sha256 = ? AND revoked_at IS NULL",
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
               s.updated_at, s.call_id, s.record_id, s.nip, s.gmina, s.powiat,
               s.grant_grosze, s.own_grosze
        FROM submissions AS s JOIN organizations AS o ON o.id = s.organization_id
    """

    @staticmethod
    def _submission(row: Any) -> Submission:
        return Submission(
            summary=DocumentSummary(
                call_id=row["call_id"],
                record_id=row["record_id"],
                nip=row["nip"],
                gmina=row["gmina"],
                powiat=row["powiat"],
                grant_grosze=row["grant_grosze"],
                own_grosze=row["own_grosze"],
            ),
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
                "SELECT name, nip, document_organization_id FROM organizations WHERE id = ?"
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
            summary = new.summary
            inserted = self._one(
                conn,
                """INSERT INTO submissions (seq, submission_id, server_id, organization_id,
                       kind, title, document, content_sha256, received_at, status, comment,
                       updated_at, document_organization_id, frozen_at, call_id, record_id,
                       nip, gmina, powiat, grant_grosze, own_grosze, search_text)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                    *summary.column_values(),
                    search_text(
                        new.title,
                        organization["name"] if organization else "",
                        summary,
                        f"W-{seq:06d}",
                    ),
                ),
            )
            if inserted is None:
                # Another organisation's request with this id committed first.
                raced = self._find(conn, new.submission_id)
                assert raced is not None
                return raced, False
            if summary.record_id is not None:
                # Under the organisation's lock: its versions arrive one after another.
                self._run(
                    conn,
                    "UPDATE submissions SET latest = 0 WHERE record_id = ? "
                    "AND organization_id = ? AND seq < ? AND latest = 1",
                    (summary.record_id, new.organization_id, seq),
                )
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

    # --- organisations' tokens, for staff ---------------------------------------------

    def organizations(self) -> list[OrganizationListing]:
        rows = self._read(
            """SELECT o.id, o.name, o.created_at, o.nip, o.document_organization_id,
                      o.revoked_at,
                      (SELECT count(*) FROM submissions AS s
                       WHERE s.organization_id = o.id) AS submissions
               FROM organizations AS o ORDER BY o.name, o.id"""
        )
        return [
            OrganizationListing(
                Organization(
                    row["id"],
                    row["name"],
                    row["created_at"],
                    row["nip"],
                    row["document_organization_id"],
                ),
                row["revoked_at"],
                int(row["submissions"]),
            )
            for row in rows
        ]

    def set_token(self, organization_id: int, token_sha256: str | None, at: str) -> bool:
        """A new token's hash (rotate), or none at all (revoke: the old one stops working
        at once); False when there is no such organisation."""
        with self._write() as conn:
            if token_sha256 is None:
                # The column is unique and required: a value no token hashes to.
                changed = self._run(
                    conn,
                    "UPDATE organizations SET revoked_at = ?, token_sha256 = ? WHERE id = ?",
                    (at, f"revoked:{organization_id}:{at}", organization_id),
                )
            else:
                changed = self._run(
                    conn,
                    "UPDATE organizations SET revoked_at = NULL, token_sha256 = ? WHERE id = ?",
                    (token_sha256, organization_id),
                )
            return bool(changed.rowcount == 1)

    # --- staff, their sessions and failed logins --------------------------------------

    @staticmethod
    def _staff(row: Any) -> StaffMember:
        return StaffMember(
            id=int(row["id"]),
            email=row["email"],
            role=Role(row["role"]),
            password_hash=row["password_hash"],
            must_change_password=bool(row["must_change_password"]),
            created_at=row["created_at"],
        )

    def add_staff(self, email: str, role: Role, password_hash: str, at: str) -> StaffMember | None:
        """None when the address has an account already."""
        with self._write() as conn:
            row = self._one(
                conn,
                "INSERT INTO staff (email, role, password_hash, must_change_password, created_at) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT (email) DO NOTHING RETURNING id",
                (email, role.value, password_hash, at),
            )
        if row is None:
            return None
        return StaffMember(int(row["id"]), email, role, password_hash, True, at)

    def staff_by_email(self, email: str) -> StaffMember | None:
        row = self._read_one("SELECT * FROM staff WHERE email = ?", (email,))
        return None if row is None else self._staff(row)

    def set_staff_password(self, staff_id: int, password_hash: str, *, temporary: bool) -> None:
        with self._write() as conn:
            self._run(
                conn,
                "UPDATE staff SET password_hash = ?, must_change_password = ? WHERE id = ?",
                (password_hash, int(temporary), staff_id),
            )
            if temporary:  # a reset signs out every browser of that account
                self._run(conn, "DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))

    def add_session(
        self, token_sha256: str, staff_id: int, csrf_token: str, at: str, language: str
    ) -> None:
        with self._write() as conn:
            self._run(
                conn,
                "INSERT INTO staff_sessions VALUES (?, ?, ?, ?, ?, ?)",
                (token_sha256, staff_id, csrf_token, at, at, language),
            )

    def session(
        self, token_sha256: str, idle_since: str, created_since: str
    ) -> StaffSession | None:
        """The session, unless idle since before ``idle_since`` or older than
        ``created_since`` (then it is deleted); its last use is now ``idle_since``'s clock."""
        row = self._read_one(
            """SELECT t.*, x.csrf_token, x.created_at AS session_created, x.last_seen,
                      x.language
               FROM staff_sessions AS x JOIN staff AS t ON t.id = x.staff_id
               WHERE x.token_sha256 = ?""",
            (token_sha256,),
        )
        if row is None:
            return None
        if row["last_seen"] < idle_since or row["session_created"] < created_since:
            self.end_session(token_sha256)
            return None
        return StaffSession(
            self._staff(row),
            row["csrf_token"],
            row["session_created"],
            row["last_seen"],
            row["language"],
        )

    def touch_session(self, token_sha256: str, at: str, language: str | None = None) -> None:
        with self._write() as conn:
            if language is None:
                self._run(
                    conn,
                    "UPDATE staff_sessions SET last_seen = ? WHERE token_sha256 = ?",
                    (at, token_sha256),
                )
            else:
                self._run(
                    conn,
                    "UPDATE staff_sessions SET last_seen = ?, language = ? WHERE token_sha256 = ?",
                    (at, language, token_sha256),
                )

    def end_session(self, token_sha256: str) -> None:
        with self._write() as conn:
            self._run(conn, "DELETE FROM staff_sessions WHERE token_sha256 = ?", (token_sha256,))

    def add_login_failure(self, email: str, address: str, at: str) -> None:
        with self._write() as conn:
            self._run(
                conn,
                "INSERT INTO login_failures (email, address, at) VALUES (?, ?, ?)",
                (email, address, at),
            )

    def login_failures(self, email: str, address: str, since: str) -> tuple[int, int]:
        """Failed logins since ``since``: (for this address at all, for this account)."""
        row = self._read_one(
            """SELECT
                (SELECT count(*) FROM login_failures WHERE address = ? AND at >= ?) AS by_address,
                (SELECT count(*) FROM login_failures WHERE email = ? AND at >= ?) AS by_email""",
            (address, since, email, since),
        )
        return int(row["by_address"]), int(row["by_email"])

    # --- the audit log ----------------------------------------------------------------

    def audit(
        self,
        at: str,
        actor: str,
        action: str,
        subject: str | None = None,
        detail: str | None = None,
        address: str | None = None,
    ) -> None:
        with self._write() as conn:
            self._run(
                conn,
                "INSERT INTO audit_log (at, actor, action, subject, detail, address) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (at, actor, action, subject, detail, address),
            )

    def audit_log(
        self, *, subject: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[AuditEntry]:
        where = "" if subject is None else " WHERE subject = ?"
        params: list[Any] = [] if subject is None else [subject]
        rows = self._read(
            "SELECT at, actor, action, subject, detail, address FROM audit_log"
            + where
            + " ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [
            AuditEntry(
                row["at"],
                row["actor"],
                row["action"],
                row["subject"],
                row["detail"],
                row["address"],
            )
            for row in rows
        ]

    # --- the panel's lists and figures ------------------------------------------------

    @staticmethod
    def _filter(found: SubmissionFilter) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("s.call_id", found.call_id),
            ("s.status", found.status),
            ("s.gmina", found.gmina),
            ("s.powiat", found.powiat),
            ("s.kind", found.kind),
        ):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if found.organization:
            where.append("s.organization_id = ?")
            params.append(int(found.organization) if found.organization.isdigit() else -1)
        if found.received_from:
            where.append("s.received_at >= ?")
            params.append(found.received_from)
        if found.received_to:
            where.append("s.received_at < ?")
            params.append(found.received_to + "~")  # after every time of that day
        if found.search and found.search.strip():
            where.append("s.search_text LIKE ? ESCAPE '\\'")
            params.append(_like(found.search.strip().casefold()))
        if found.latest_only:
            where.append(LATEST)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def submission_page(
        self,
        found: SubmissionFilter,
        *,
        sort: str = "received_at",
        descending: bool = True,
        limit: int = 50,
        offset: int = 0,
    ) -> SubmissionPage:
        where, params = self._filter(found)
        order = _SORT_COLUMNS.get(sort, "s.received_at")
        direction = "DESC" if descending else "ASC"
        with self._connection() as conn:
            total = self._one(
                conn,
                "SELECT count(*) AS n FROM submissions AS s" + where,
                params,
            )
            rows = self._all(
                conn,
                self.SELECT
                + where
                + f" ORDER BY {order} {direction}, s.seq {direction} LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        return SubmissionPage([self._submission(row) for row in rows], int(total["n"]))

    def filter_choices(self, call_id: str) -> dict[str, list[str]]:
        """The gminas, powiats and organisations a call's submissions name, for the filters
        (one pass over the call's index, then the few organisations' names)."""
        with self._connection() as conn:
            rows = self._all(
                conn,
                "SELECT DISTINCT s.gmina, s.powiat, s.organization_id FROM submissions AS s "
                "WHERE s.call_id = ? AND s.latest = 1",
                (call_id,),
            )
            numbers = sorted({int(row["organization_id"]) for row in rows})
            names = (
                {
                    int(row["id"]): row["name"]
                    for row in self._all(
                        conn,
                        "SELECT id, name FROM organizations WHERE id IN "
                        f"({', '.join('?' * len(numbers))})",
                        numbers,
                    )
                }
                if numbers
                else {}
            )
        return {
            "gmina": sorted({row["gmina"] for row in rows if row["gmina"] is not None}),
            "powiat": sorted({row["powiat"] for row in rows if row["powiat"] is not None}),
            "organization": [
                f"{number}\t{name}"
                for number, name in sorted(names.items(), key=lambda item: (item[1], item[0]))
            ],
        }

    def versions(self, submission: Submission) -> list[Submission]:
        """Every version of the submission's application or report, oldest first."""
        if submission.summary.record_id is None:
            return [submission]
        rows = self._read(
            self.SELECT + " WHERE s.record_id = ? AND s.organization_id = ? ORDER BY s.seq",
            (submission.summary.record_id, submission.organization_id),
        )
        return [self._submission(row) for row in rows]

    def call_figures(self, call_id: str) -> CallFigures:
        with self._connection() as conn:
            statuses = self._all(
                conn,
                "SELECT s.status, count(*) AS n, COALESCE(sum(s.grant_grosze), 0) AS grant "
                "FROM submissions AS s WHERE s.call_id = ? AND s.kind = 'application' AND "
                + LATEST
                + " GROUP BY s.status",
                (call_id,),
            )
            powiats = self._all(
                conn,
                "SELECT COALESCE(s.powiat, '') AS powiat, count(*) AS n, "
                "COALESCE(sum(s.grant_grosze), 0) AS grant "
                "FROM submissions AS s WHERE s.call_id = ? AND s.kind = 'application' AND "
                + LATEST
                + " GROUP BY COALESCE(s.powiat, '') ORDER BY COALESCE(s.powiat, '')",
                (call_id,),
            )
        by_status = {row["status"]: int(row["n"]) for row in statuses}
        grants = {row["status"]: int(row["grant"]) for row in statuses}
        return CallFigures(
            by_status=by_status,
            grant_by_status=grants,
            by_powiat=[(row["powiat"], int(row["n"]), int(row["grant"])) for row in powiats],
            applications=sum(by_status.values()),
            grant_grosze=sum(grants.values()),
        )

    def call_funds(self, call_id: str) -> int | None:
        """The grosze the operator has for the call's grants, when staff have said."""
        row = self._read_one(
            "SELECT available_grosze FROM call_funds WHERE call_id = ?", (call_id,)
        )
        return None if row is None else int(row["available_grosze"])

    def set_call_funds(self, call_id: str, available_grosze: int, at: str, by: str) -> None:
        with self._write() as conn:
            self._run(
                conn,
                "INSERT INTO call_funds VALUES (?, ?, ?, ?) ON CONFLICT (call_id) DO UPDATE "
                "SET available_grosze = excluded.available_grosze, set_at = excluded.set_at, "
                "set_by = excluded.set_by",
                (call_id, available_grosze, at, by),
            )
