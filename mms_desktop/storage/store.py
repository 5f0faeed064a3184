"""The store: one SQLite file holding organisations, applications and versions.

Every edit is saved as it is made (autosave) in its own transaction, with
``synchronous=FULL`` in WAL mode: once a save returns, the edit survives a
power cut. Submitted versions are frozen in a table whose triggers refuse any
change.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mms_desktop.domain.application import (
    Action,
    Application,
    ApplicationStatus,
    BudgetLine,
    Result,
    Row,
)
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.organization import Organization
from mms_desktop.storage import codecs
from mms_desktop.storage.errors import (
    ApplicationLockedError,
    NotFoundError,
    ReportLockedError,
    StoreCorruptError,
    StoreError,
    StoreReadOnlyError,
    StoreTooNewError,
    classify,
)
from mms_desktop.storage.migrations import LATEST_VERSION, MIGRATIONS

if TYPE_CHECKING:
    import sqlite_utils

    from mms_desktop.domain.report import Report, ReportKind

log = logging.getLogger(__name__)

EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT})
# Operator statuses the application itself takes on ("received" is just "sent").
_FOLLOWED = frozenset({"in_review", "needs_corrections", "accepted", "rejected"})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# What the store lists and is configured with are named tuples, not dataclasses:
# rows of a query, made by the thousand, and declared 8× faster at every start.


class ChildKind(NamedTuple):
    """A table of numbered rows belonging to an application."""

    table: str
    rows: str  # the application's field holding them
    columns: codecs.Columns[Any]


ACTIONS = ChildKind("actions", "actions", codecs.ACTION)
RESULTS = ChildKind("results", "results", codecs.RESULT)
BUDGET = ChildKind("budget_lines", "budget", codecs.BUDGET_LINE)
CHILD_KINDS = (ACTIONS, RESULTS, BUDGET)


class OrganizationSummary(NamedTuple):
    id: str
    name: str


class ApplicationSummary(NamedTuple):
    id: str
    organization_id: str
    call_id: str
    title: str
    status: ApplicationStatus
    updated_at: str
    deleted_at: str | None
    control_sum_sha256: str | None


class SubmittedVersion(NamedTuple):
    id: str
    application_id: str
    number: int
    replaces_id: str | None
    document: str
    sha256: str
    created_at: str


class ReportSummary(NamedTuple):
    id: str
    application_id: str
    organization_id: str
    kind: ReportKind
    title: str
    status: ApplicationStatus
    updated_at: str
    control_sum_sha256: str | None
    deleted_at: str | None = None


class ReportVersion(NamedTuple):
    id: str
    report_id: str
    number: int
    replaces_id: str | None
    document: str
    sha256: str
    created_at: str


class _FrozenKind(NamedTuple):
    """Where the frozen versions of one kind of record live (fields in this order)."""

    table: str
    owner_column: str
    owner_table: str
    record: type[SubmittedVersion] | type[ReportVersion]


_APPLICATION_VERSIONS = _FrozenKind(
    "submitted_versions", "application_id", "applications", SubmittedVersion
)
_REPORT_VERSIONS = _FrozenKind("report_versions", "report_id", "reports", ReportVersion)


class OutboxState(StrEnum):
    QUEUED = "queued"  # waiting for a connection (or its next try)
    SENDING = "sending"  # in flight; reset to queued if the program stopped meanwhile
    SENT = "sent"  # the operator's receipt names the same hash
    FAILED = "failed"  # refused for good (the user must act): never retried on its own


class OutboxItem(NamedTuple):
    submission_id: str
    application_id: str  # for a report: the application it settles
    state: OutboxState
    attempts: int
    next_try_at: str | None
    last_error: str | None
    receipt: dict[str, Any] | None
    document: str
    sha256: str
    kind: str = "application"  # or "report"
    report_id: str | None = None
    organization_id: str = ""
    call_id: str = ""
    frozen_at: str = ""  # when the version was frozen (ISO, UTC)
    hold_until: str | None = None  # not sent before this, not even by a manual send
    error_code: str | None = None  # the operator's code when it refused for good


class OperatorLogin(NamedTuple):
    """Where an organisation's submissions go (its token is in the keyring, never here)."""

    organization_id: str
    server_url: str
    allow_insecure_http: bool = False
    legacy_token: bool = False  # the token is still under the address alone (schema 4)
    last_pull: str | None = None


class OperatorAnswer(NamedTuple):
    submission_id: str
    status: str
    comment: str | None
    updated_at: str


class StoredCall(NamedTuple):
    id: str
    version: int
    definition: dict[str, Any]
    source: str


@cache
def _report_columns() -> codecs.Columns[Report]:
    """The report's columns, made on first use: a start of the window reads no report."""
    from mms_desktop.domain.report_records import REPORT

    return codecs.Columns(REPORT)


def _login(row: sqlite3.Row) -> OperatorLogin:
    return OperatorLogin(
        organization_id=row["organization_id"],
        server_url=row["server_url"],
        allow_insecure_http=bool(row["allow_insecure_http"]),
        legacy_token=bool(row["legacy_token"]),
        last_pull=row["last_pull"],
    )


def _quote(column: str) -> str:
    return f'"{column}"'


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script, one by one (triggers whole)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        yield pending


LOCKED_WAIT_SECONDS = 5.0  # as long as the busy timeout


class Store:
    """The one SQLite file of a data folder. Not thread-safe: one owner at a time."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._conn = connection
        self.path = path

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on the same connection, imported on the first write.

        Reading needs only sqlite3; the window shows before this import is paid.
        """
        import sqlite_utils

        return sqlite_utils.Database(self._conn)

    # --- opening ------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating or migrating) the store; a newer one is refused."""
        folder = Path(path).parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            # SQLite would only say "unable to open database file".
            raise StoreReadOnlyError(str(folder), path=str(folder))
        try:
            # Not bound to the opening thread: the window opens its store on a
            # thread while Qt loads, then reads through it on its own thread
            # (one user at a time; the writer thread has its own connection).
            connection = sqlite3.connect(path, timeout=5.0, check_same_thread=False)
        except sqlite3.Error as error:
            raise classify(error) or error from error
        try:
            store = cls(connection, path)
            # Refuse a newer store before any pragma could rewrite its header.
            store._refuse_newer()
            store._refuse_damaged()
            store._configure()
            store._migrate()
        except sqlite3.Error as error:
            connection.close()
            known = classify(error)
            if known is None:
                raise
            raise known from error
        except StoreError:
            connection.close()
            raise
        return store

    def _configure(self) -> None:
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA busy_timeout = 5000")
        self._switch_to_wal()
        # FULL: with WAL, NORMAL could lose the last commits on a power cut.
        self._conn.execute("PRAGMA synchronous = FULL")
        self._conn.execute("PRAGMA foreign_keys = ON")

    def _switch_to_wal(self) -> None:
        """WAL, waiting for another copy of the program switching the same new store.

        Two connections switching a new store at once both hold a read lock and
        want the write lock; SQLite then answers one of them "locked" at once,
        without the busy timeout (waiting could never end). The other finishes in
        milliseconds, and the switch is asked again.
        """
        deadline = time.monotonic() + LOCKED_WAIT_SECONDS
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                busy = getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self) -> None:
        version = self.schema_version()
        if version > LATEST_VERSION:
            raise StoreTooNewError(
                f"schema {version} > {LATEST_VERSION}", found=version, supported=LATEST_VERSION
            )

    def _refuse_damaged(self) -> None:
        """A damaged store is never opened for writing: ``PRAGMA quick_check`` first.

        quick_check reads every page (a few milliseconds for a village
        association's data) without the slower index cross-checks.
        """
        problems = [
            str(row[0]) for row in self._conn.execute("PRAGMA quick_check") if row[0] != "ok"
        ]
        if problems:
            log.error("the store %s is damaged: %s", self.path, "; ".join(problems[:5]))
            raise StoreCorruptError("; ".join(problems[:5]), path=str(self.path))

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the store into ``target`` (whole or absent)."""
        from mms_desktop.storage.backup import copy_consistently

        try:
            copy_consistently(self._conn, target)
        except sqlite3.Error as error:
            raise classify(error) or error from error

    def _migrate(self) -> None:
        while self.schema_version() < LATEST_VERSION:
            # The write lock first, then the version again: a second copy of
            # the program opening the same new folder at the same moment waits
            # here and then finds the migration done (reading the version
            # before the lock, both ran it, and one failed: "already exists").
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                number = self.schema_version() + 1
                if number <= LATEST_VERSION:
                    log.info("migrating the store to schema %d", number)
                    for statement in _statements(MIGRATIONS[number - 1]):
                        self._conn.execute(statement)
                    # In the same transaction: a migration and its number land together.
                    self._conn.execute(f"PRAGMA user_version = {number}")
                self._conn.commit()
            except BaseException:
                self._conn.rollback()
                raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def transaction(self) -> Any:
        """Group several saves into one transaction (nested saves become savepoints)."""
        return self._write()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed whole, or rolled back and told in words.

        An outermost write starts with BEGIN IMMEDIATE: it takes the write lock
        first, so when another connection (the sync worker, a command-line run)
        is writing it waits for the busy timeout instead of failing at once on
        a read-then-write. Nested writes become savepoints (sqlite-utils'
        atomic), and its own inserts nest the same way.
        """
        try:
            if self._conn.in_transaction:
                with self.db.atomic():
                    yield self._conn
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                with self.db.atomic():
                    yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as error:
            known = classify(error)
            if known is None:
                log.exception("unexpected database error")
                raise
            raise known from error

    def _one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
        return row

    # --- organisations ------------------------------------------------------

    def add_organization(self, organization: Organization) -> None:
        row = {"id": organization.id} | codecs.ORGANIZATION.encode_all(organization)
        now = _now()
        row |= {"created_at": now, "updated_at": now}
        with self._write():
            self.db.table("organizations").insert(row)

    def update_organization(self, organization_id: str, **changes: Any) -> None:
        """Save edited fields of a profile (one autosave)."""
        values = codecs.ORGANIZATION.encode(changes)
        self._update("organizations", organization_id, values)

    def _update(self, table: str, row_id: str, values: dict[str, Any]) -> None:
        values = dict(values)
        if table in ("organizations", "applications"):
            values["updated_at"] = _now()
        assignments = ", ".join(f"{_quote(column)} = ?" for column in values)
        with self._write() as conn:
            cursor = conn.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), row_id)
            )
            if cursor.rowcount != 1:
                raise NotFoundError(row_id, id=row_id)

    def load_organization(self, organization_id: str) -> Organization:
        row = self._one("SELECT * FROM organizations WHERE id = ?", (organization_id,))
        if row is None:
            raise NotFoundError(organization_id, id=organization_id)
        return codecs.ORGANIZATION.from_row(row)

    def has_organization(self, organization_id: str) -> bool:
        return self._one("SELECT 1 FROM organizations WHERE id = ?", (organization_id,)) is not None

    def list_organizations(self) -> list[OrganizationSummary]:
        rows = self._conn.execute("SELECT id, name FROM organizations ORDER BY name, id")
        return [OrganizationSummary(row["id"], row["name"]) for row in rows]

    # --- call definitions ---------------------------------------------------

    def save_call(self, definition: dict[str, Any], source: str) -> None:
        """Keep a call definition (validated by the caller); same id+version replaces."""
        with self._write():
            self.db.table("calls").insert(
                {
                    "id": definition["id"],
                    "version": definition["version"],
                    "definition": json.dumps(definition, ensure_ascii=False, sort_keys=True),
                    "source": source,
                    "imported_at": _now(),
                },
                replace=True,
            )

    def stored_calls(self) -> list[StoredCall]:
        rows = self._conn.execute("SELECT * FROM calls ORDER BY id, version")
        return [
            StoredCall(row["id"], row["version"], json.loads(row["definition"]), row["source"])
            for row in rows
        ]

    # --- applications -------------------------------------------------------

    def add_application(self, application: Application, cloned_from: str | None = None) -> None:
        """Insert a whole application (new, cloned or imported) in one transaction."""
        now = _now()
        row = {
            "id": application.id,
            "organization_id": application.organization_id,
            "call_id": application.call_id,
            "status": ApplicationStatus.DRAFT.value,
            "cloned_from": cloned_from,
            "created_at": now,
            "updated_at": now,
        } | codecs.APPLICATION.encode_all(application)
        with self._write():
            self.db.table("applications").insert(row)
            groups: tuple[tuple[ChildKind, tuple[Row, ...]], ...] = (
                (ACTIONS, application.actions),
                (RESULTS, application.results),
                (BUDGET, application.budget),
            )
            for kind, records in groups:
                rows: list[dict[str, Any]] = [
                    {"id": record.id, "application_id": application.id, "position": position}
                    | kind.columns.encode_all(record)
                    for position, record in enumerate(records)
                ]
                if rows:
                    self.db.table(kind.table).insert_all(rows)

    def load_application(self, application_id: str) -> Application:
        row = self._one("SELECT * FROM applications WHERE id = ?", (application_id,))
        if row is None:
            raise NotFoundError(application_id, id=application_id)
        children = {
            kind.rows: tuple(
                kind.columns.from_row(child)
                for child in self._conn.execute(
                    f"SELECT * FROM {kind.table} WHERE application_id = ? ORDER BY position",
                    (application_id,),
                )
            )
            for kind in CHILD_KINDS
        }
        return codecs.APPLICATION.from_row(row, **children)

    def list_applications(self, include_deleted: bool = False) -> list[ApplicationSummary]:
        where = "" if include_deleted else "WHERE a.deleted_at IS NULL"
        statuses = {status.value: status for status in ApplicationStatus}
        rows = self._conn.execute(
            f"""
            SELECT a.id, a.organization_id, a.call_id, a.title, a.status, a.updated_at,
                   a.deleted_at,
                   (SELECT v.sha256 FROM submitted_versions v WHERE v.application_id = a.id
                    ORDER BY v.number DESC LIMIT 1) AS sha256
            FROM applications a {where}
            ORDER BY a.updated_at DESC, a.id
            """
        )
        # By position: the window's start lists every application (1,000 rows
        # by name cost twice as much).
        return [
            ApplicationSummary(
                key, organization_id, call_id, title, statuses[status], updated, deleted, sha256
            )
            for key, organization_id, call_id, title, status, updated, deleted, sha256 in rows
        ]

    def application_status(self, application_id: str) -> ApplicationStatus:
        row = self._one("SELECT status FROM applications WHERE id = ?", (application_id,))
        if row is None:
            raise NotFoundError(application_id, id=application_id)
        return ApplicationStatus(row["status"])

    def _check_editable(self, application_id: str) -> None:
        status = self.application_status(application_id)
        if status not in EDITABLE_STATUSES:
            raise ApplicationLockedError(application_id, status=status)

    def update_application(self, application_id: str, **changes: Any) -> None:
        """Save edited fields of an application (one autosave)."""
        values = codecs.APPLICATION.encode(changes)
        self._check_editable(application_id)
        self._update("applications", application_id, values)

    def set_status(self, application_id: str, status: ApplicationStatus) -> None:
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE applications SET status = ?, updated_at = ? WHERE id = ?",
                (status.value, _now(), application_id),
            )
            if cursor.rowcount != 1:
                raise NotFoundError(application_id, id=application_id)

    def trash_application(self, application_id: str) -> None:
        """Move to the bin: hidden from the lists, restorable, nothing erased."""
        self._set_deleted(application_id, _now())

    def restore_application(self, application_id: str) -> None:
        self._set_deleted(application_id, None)

    def _set_deleted(self, record_id: str, when: str | None, table: str = "applications") -> None:
        with self._write() as conn:
            cursor = conn.execute(
                f"UPDATE {table} SET deleted_at = ? WHERE id = ?", (when, record_id)
            )
            if cursor.rowcount != 1:
                raise NotFoundError(record_id, id=record_id)

    def trash_report(self, report_id: str) -> None:
        """Move a report to the bin: hidden from the lists, restorable, nothing erased."""
        self._set_deleted(report_id, _now(), "reports")

    def restore_report(self, report_id: str) -> None:
        self._set_deleted(report_id, None, "reports")

    def trashed_reports(self) -> list[ReportSummary]:
        return [item for item in self.list_reports(include_deleted=True) if item.deleted_at]

    # --- numbered rows: actions, results, budget lines ----------------------

    def _owner(self, kind: ChildKind, row_id: str) -> str:
        row = self._one(f"SELECT application_id FROM {kind.table} WHERE id = ?", (row_id,))
        if row is None:
            raise NotFoundError(row_id, id=row_id)
        return str(row["application_id"])

    def _touch(self, conn: sqlite3.Connection, application_id: str) -> None:
        conn.execute(
            "UPDATE applications SET updated_at = ? WHERE id = ?", (_now(), application_id)
        )

    def add_row(
        self,
        kind: ChildKind,
        application_id: str,
        record: Action | Result | BudgetLine,
        index: int | None = None,
    ) -> None:
        """Insert a row at ``index`` (0-based; at the end when None)."""
        self._check_editable(application_id)
        values = kind.columns.encode_all(record)
        with self._write() as conn:
            count = conn.execute(
                f"SELECT COUNT(*) FROM {kind.table} WHERE application_id = ?", (application_id,)
            ).fetchone()[0]
            position = count if index is None else max(0, min(index, count))
            conn.execute(
                f"UPDATE {kind.table} SET position = position + 1 "
                "WHERE application_id = ? AND position >= ?",
                (application_id, position),
            )
            self.db.table(kind.table).insert(
                {"id": record.id, "application_id": application_id, "position": position} | values
            )
            self._touch(conn, application_id)

    def update_row(self, kind: ChildKind, row_id: str, **changes: Any) -> None:
        """Save edited cells of one row (one autosave)."""
        values = kind.columns.encode(changes)
        application_id = self._owner(kind, row_id)
        self._check_editable(application_id)
        assignments = ", ".join(f"{_quote(column)} = ?" for column in values)
        with self._write() as conn:
            conn.execute(
                f"UPDATE {kind.table} SET {assignments} WHERE id = ?", (*values.values(), row_id)
            )
            self._touch(conn, application_id)

    def remove_row(self, kind: ChildKind, row_id: str) -> None:
        application_id = self._owner(kind, row_id)
        self._check_editable(application_id)
        with self._write() as conn:
            conn.execute(f"DELETE FROM {kind.table} WHERE id = ?", (row_id,))
            self._renumber(conn, kind, application_id, None, None)
            self._touch(conn, application_id)

    def move_row(self, kind: ChildKind, row_id: str, index: int) -> None:
        """Move a row to ``index`` (0-based) among its application's rows."""
        application_id = self._owner(kind, row_id)
        self._check_editable(application_id)
        with self._write() as conn:
            self._renumber(conn, kind, application_id, row_id, index)
            self._touch(conn, application_id)

    def _renumber(
        self,
        conn: sqlite3.Connection,
        kind: ChildKind,
        application_id: str,
        moved_id: str | None,
        index: int | None,
    ) -> None:
        ids = [
            row[0]
            for row in conn.execute(
                f"SELECT id FROM {kind.table} WHERE application_id = ? ORDER BY position",
                (application_id,),
            )
        ]
        if moved_id is not None and index is not None:
            ids.remove(moved_id)
            ids.insert(max(0, min(index, len(ids))), moved_id)
        conn.executemany(
            f"UPDATE {kind.table} SET position = ? WHERE id = ?",
            [(position, row_id) for position, row_id in enumerate(ids)],
        )

    # --- frozen versions ----------------------------------------------------

    def freeze_version(
        self, application_id: str, document: str, sha256: str, status: ApplicationStatus
    ) -> SubmittedVersion:
        """Store a submitted version immutably and move the application to ``status``."""
        frozen: SubmittedVersion = self._freeze(
            _APPLICATION_VERSIONS, application_id, document, sha256, status
        )
        return frozen

    def versions(self, application_id: str) -> list[SubmittedVersion]:
        return self._versions(_APPLICATION_VERSIONS, application_id)

    def _freeze(
        self,
        kind: _FrozenKind,
        owner_id: str,
        document: str,
        sha256: str,
        status: ApplicationStatus,
    ) -> Any:
        with self._write() as conn:
            previous = conn.execute(
                f"SELECT id, number FROM {kind.table} WHERE {kind.owner_column} = ? "
                "ORDER BY number DESC LIMIT 1",
                (owner_id,),
            ).fetchone()
            row: dict[str, Any] = {
                "id": new_id(),
                kind.owner_column: owner_id,
                "number": 1 if previous is None else previous["number"] + 1,
                "replaces_id": None if previous is None else previous["id"],
                "document": document,
                "sha256": sha256,
                "created_at": _now(),
            }
            self.db.table(kind.table).insert(row)
            cursor = conn.execute(
                f"UPDATE {kind.owner_table} SET status = ?, updated_at = ? WHERE id = ?",
                (status.value, row["created_at"], owner_id),
            )
            if cursor.rowcount != 1:
                raise NotFoundError(owner_id, id=owner_id)
        return kind.record(*row.values())

    def _versions(self, kind: _FrozenKind, owner_id: str) -> list[Any]:
        rows = self._conn.execute(
            f"SELECT id, {kind.owner_column}, number, replaces_id, document, sha256, created_at"
            f" FROM {kind.table} WHERE {kind.owner_column} = ? ORDER BY number",
            (owner_id,),
        )
        return [kind.record(*row) for row in rows]

    # --- the outbox -----------------------------------------------------------

    def enqueue(self, submission_id: str, application_id: str) -> None:
        now = _now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO outbox (submission_id, application_id, state, created_at, updated_at)"
                " VALUES (?, ?, 'queued', ?, ?)",
                (submission_id, application_id, now, now),
            )

    def outbox(self, states: tuple[OutboxState, ...] | None = None) -> list[OutboxItem]:
        where = ""
        params: tuple[str, ...] = ()
        if states:
            where = f"WHERE o.state IN ({', '.join('?' for _ in states)})"
            params = tuple(state.value for state in states)
        rows = self._conn.execute(
            f"""
            SELECT o.*, v.document, v.sha256, v.created_at AS frozen_at,
                   COALESCE(r.organization_id, a.organization_id) AS organization_id,
                   COALESCE(r.call_id, a.call_id) AS call_id
            FROM outbox o
            JOIN frozen_versions v ON v.id = o.submission_id
            JOIN applications a ON a.id = o.application_id
            LEFT JOIN reports r ON r.id = o.report_id
            {where} ORDER BY o.created_at, o.submission_id
            """,
            params,
        )
        return [
            OutboxItem(
                submission_id=row["submission_id"],
                application_id=row["application_id"],
                state=OutboxState(row["state"]),
                attempts=row["attempts"],
                next_try_at=row["next_try_at"],
                last_error=row["last_error"],
                receipt=None if row["receipt"] is None else json.loads(row["receipt"]),
                document=row["document"],
                sha256=row["sha256"],
                kind=row["kind"],
                report_id=row["report_id"],
                organization_id=row["organization_id"],
                call_id=row["call_id"],
                frozen_at=row["frozen_at"],
                hold_until=row["hold_until"],
                error_code=row["error_code"],
            )
            for row in rows
        ]

    def outbox_counts(self) -> dict[OutboxState, int]:
        """How many items are in each state (cheap: for the status bar)."""
        rows = self._conn.execute("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
        return {OutboxState(row["state"]): int(row["n"]) for row in rows}

    def _outbox_update(self, submission_id: str, **values: Any) -> None:
        values["updated_at"] = _now()
        assignments = ", ".join(f"{column} = ?" for column in values)
        with self._write() as conn:
            cursor = conn.execute(
                f"UPDATE outbox SET {assignments} WHERE submission_id = ?",
                (*values.values(), submission_id),
            )
            if cursor.rowcount != 1:
                raise NotFoundError(submission_id, id=submission_id)

    def mark_sending(self, submission_id: str) -> None:
        self._outbox_update(submission_id, state=OutboxState.SENDING.value)

    def mark_retry(self, submission_id: str, error: str, next_try_at: str) -> None:
        """Not delivered this time; tried again from ``next_try_at`` (ISO, UTC)."""
        with self._write() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'queued', attempts = attempts + 1, last_error = ?,"
                " next_try_at = ?, hold_until = NULL, updated_at = ? WHERE submission_id = ?",
                (error, next_try_at, _now(), submission_id),
            )

    def mark_failed(self, submission_id: str, error: str, code: str | None = None) -> None:
        """Refused for good; ``code`` (the operator's) says whether a new login may cure it."""
        with self._write() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?,"
                " next_try_at = NULL, hold_until = NULL, error_code = ?, updated_at = ?"
                " WHERE submission_id = ?",
                (error, code, _now(), submission_id),
            )

    def mark_waiting(self, submission_id: str, reason: str, hold_until: str | None = None) -> None:
        """Not tried: it waits for something (a login, the call's opening), said in words.

        Not an attempt; with ``hold_until`` (ISO) not even a manual send tries it before then.
        """
        with self._write() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'queued', last_error = ?, hold_until = ?,"
                " next_try_at = ?, updated_at = ? WHERE submission_id = ?",
                (reason, hold_until, hold_until, _now(), submission_id),
            )

    def requeue_refused(self, organization_id: str, code: str) -> int:
        """Items of one organisation refused with ``code`` go back to the queue (a new login)."""
        with self._write() as conn:
            cursor = conn.execute(
                """
                UPDATE outbox SET state = 'queued', next_try_at = NULL, error_code = NULL,
                       updated_at = ?
                WHERE state = 'failed' AND error_code = ? AND submission_id IN (
                    SELECT o.submission_id FROM outbox o
                    JOIN applications a ON a.id = o.application_id
                    LEFT JOIN reports r ON r.id = o.report_id
                    WHERE COALESCE(r.organization_id, a.organization_id) = ?)
                """,
                (_now(), code, organization_id),
            )
            return int(cursor.rowcount)

    def mark_sent(self, submission_id: str, receipt: dict[str, Any]) -> None:
        """Delivered: keep the receipt, and the application is sent."""
        now = _now()
        with self._write() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL,"
                " next_try_at = NULL, hold_until = NULL, error_code = NULL, receipt = ?,"
                " updated_at = ? WHERE submission_id = ?",
                (json.dumps(receipt, sort_keys=True), now, submission_id),
            )
            item = conn.execute(
                "SELECT kind, application_id, report_id FROM outbox WHERE submission_id = ?",
                (submission_id,),
            ).fetchone()
            if item is None:
                raise NotFoundError(submission_id, id=submission_id)
            table, owner = (
                ("reports", item["report_id"])
                if item["kind"] == "report"
                else ("applications", item["application_id"])
            )
            conn.execute(
                f"UPDATE {table} SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                (ApplicationStatus.SENT.value, now, owner, ApplicationStatus.QUEUED.value),
            )

    def requeue(self, submission_id: str) -> None:
        """Try a failed (or waiting) item again at the next send."""
        self._outbox_update(
            submission_id, state=OutboxState.QUEUED.value, next_try_at=None, error_code=None
        )

    def reset_interrupted(self) -> int:
        """Items left "sending" by a program that stopped: queued again (sending is idempotent)."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE outbox SET state = 'queued', updated_at = ? WHERE state = 'sending'",
                (_now(),),
            )
            return int(cursor.rowcount)

    # --- the operator's answers ----------------------------------------------

    def record_operator_status(self, answer: OperatorAnswer) -> bool:
        """Keep the operator's status and comment; the application follows it.

        Returns whether anything changed (an answer seen before changes nothing).
        """
        status = ApplicationStatus(answer.status) if answer.status in _FOLLOWED else None
        with self._write() as conn:
            row = conn.execute(
                "SELECT status, comment, updated_at FROM operator_status WHERE submission_id = ?",
                (answer.submission_id,),
            ).fetchone()
            if row is not None and (row["status"], row["comment"], row["updated_at"]) == (
                answer.status,
                answer.comment,
                answer.updated_at,
            ):
                return False
            conn.execute(
                "INSERT INTO operator_status (submission_id, status, comment, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(submission_id) DO UPDATE SET"
                " status = excluded.status, comment = excluded.comment,"
                " updated_at = excluded.updated_at",
                (answer.submission_id, answer.status, answer.comment, answer.updated_at),
            )
            if status is not None:
                # Only the newest version speaks for the application.
                conn.execute(
                    """
                    UPDATE applications SET status = ?, updated_at = ?
                    WHERE id = (SELECT application_id FROM submitted_versions WHERE id = ?)
                      AND status != 'draft'
                      AND ? = (SELECT v.id FROM submitted_versions v
                               WHERE v.application_id = applications.id
                               ORDER BY v.number DESC LIMIT 1)
                    """,
                    (status.value, _now(), answer.submission_id, answer.submission_id),
                )
                conn.execute(
                    """
                    UPDATE reports SET status = ?, updated_at = ?
                    WHERE id = (SELECT report_id FROM report_versions WHERE id = ?)
                      AND status != 'draft'
                      AND ? = (SELECT v.id FROM report_versions v
                               WHERE v.report_id = reports.id
                               ORDER BY v.number DESC LIMIT 1)
                    """,
                    (status.value, _now(), answer.submission_id, answer.submission_id),
                )
        return True

    def operator_answers(self) -> dict[str, OperatorAnswer]:
        """The latest answer per application (of its newest answered version)."""
        return self._answers(_APPLICATION_VERSIONS)

    def _answers(self, kind: _FrozenKind) -> dict[str, OperatorAnswer]:
        rows = self._conn.execute(
            f"""
            SELECT v.{kind.owner_column} AS owner_id, s.* FROM operator_status s
            JOIN {kind.table} v ON v.id = s.submission_id
            ORDER BY v.number
            """
        )
        return {
            row["owner_id"]: OperatorAnswer(
                row["submission_id"], row["status"], row["comment"], row["updated_at"]
            )
            for row in rows
        }

    def reopen_for_corrections(self, application_id: str) -> None:
        """Start the corrected version: a draft again; the frozen versions stay."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE applications SET status = 'draft', updated_at = ? WHERE id = ?"
                " AND status = 'needs_corrections'",
                (_now(), application_id),
            )
            if cursor.rowcount != 1:
                raise ApplicationLockedError(
                    application_id, status=self.application_status(application_id)
                )

    def report_answers(self) -> dict[str, OperatorAnswer]:
        """The latest answer per report (of its newest answered version)."""
        return self._answers(_REPORT_VERSIONS)

    def frozen_version_ids(self) -> set[str]:
        """Ids of every frozen version of either kind (what the operator may answer about)."""
        return set(self.frozen_version_numbers())

    def frozen_version_numbers(self) -> dict[str, int]:
        """Each frozen version's number among its record's versions (1, 2, …), either kind."""
        rows = self._conn.execute("SELECT id, number FROM frozen_versions")
        return {row[0]: int(row[1]) for row in rows}

    # --- reports ------------------------------------------------------------

    def add_report(self, report: Report) -> None:
        now = _now()
        row = {
            "id": report.id,
            "application_id": report.application_id,
            "organization_id": report.organization_id,
            "call_id": report.call_id,
            "kind": report.kind.value,
            "status": ApplicationStatus.DRAFT.value,
            "created_at": now,
            "updated_at": now,
        } | _report_columns().encode_all(report)
        with self._write():
            self.db.table("reports").insert(row)

    def load_report(self, report_id: str) -> Report:
        row = self._one("SELECT * FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise NotFoundError(report_id, id=report_id)
        return _report_columns().from_row(row)

    def list_reports(
        self, application_id: str | None = None, include_deleted: bool = False
    ) -> list[ReportSummary]:
        where, params = "WHERE 1", tuple[str, ...]()
        if not include_deleted:
            where += " AND r.deleted_at IS NULL"
        if application_id is not None:
            where, params = where + " AND r.application_id = ?", (application_id,)
        rows = self._conn.execute(
            f"""
            SELECT r.id, r.application_id, r.organization_id, r.kind, r.title, r.status,
                   r.updated_at, r.deleted_at,
                   (SELECT v.sha256 FROM report_versions v WHERE v.report_id = r.id
                    ORDER BY v.number DESC LIMIT 1) AS sha256
            FROM reports r {where}
            ORDER BY r.updated_at DESC, r.id
            """,
            params,
        )
        from mms_desktop.domain.report import ReportKind  # see _report_columns

        return [
            ReportSummary(
                id=row["id"],
                application_id=row["application_id"],
                organization_id=row["organization_id"],
                kind=ReportKind(row["kind"]),
                title=row["title"],
                status=ApplicationStatus(row["status"]),
                updated_at=row["updated_at"],
                control_sum_sha256=row["sha256"],
                deleted_at=row["deleted_at"],
            )
            for row in rows
        ]

    def report_status(self, report_id: str) -> ApplicationStatus:
        row = self._one("SELECT status FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise NotFoundError(report_id, id=report_id)
        return ApplicationStatus(row["status"])

    def update_report(self, report_id: str, **changes: Any) -> None:
        """Save edited fields (or whole lists) of a draft report (one autosave)."""
        values = _report_columns().encode(changes)
        status = self.report_status(report_id)
        if status not in EDITABLE_STATUSES:
            raise ReportLockedError(report_id, status=status)
        values["updated_at"] = _now()
        assignments = ", ".join(f"{_quote(column)} = ?" for column in values)
        with self._write() as conn:
            cursor = conn.execute(
                f"UPDATE reports SET {assignments} WHERE id = ? AND status = 'draft'",
                (*values.values(), report_id),
            )
            if cursor.rowcount != 1:
                raise ReportLockedError(report_id, status=self.report_status(report_id))

    def freeze_report_version(
        self, report_id: str, document: str, sha256: str, status: ApplicationStatus
    ) -> ReportVersion:
        """Store a submitted report immutably and move the report to ``status``."""
        frozen: ReportVersion = self._freeze(_REPORT_VERSIONS, report_id, document, sha256, status)
        return frozen

    def report_versions(self, report_id: str) -> list[ReportVersion]:
        return self._versions(_REPORT_VERSIONS, report_id)

    def enqueue_report(self, submission_id: str, report_id: str) -> None:
        now = _now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO outbox (submission_id, kind, application_id, report_id, state,"
                " created_at, updated_at)"
                " SELECT ?, 'report', application_id, id, 'queued', ?, ? FROM reports WHERE id = ?",
                (submission_id, now, now, report_id),
            )

    def reopen_report_for_corrections(self, report_id: str) -> None:
        """Start the corrected report: a draft again; the frozen versions stay."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE reports SET status = 'draft', updated_at = ? WHERE id = ?"
                " AND status = 'needs_corrections'",
                (_now(), report_id),
            )
            if cursor.rowcount != 1:
                raise ReportLockedError(report_id, status=self.report_status(report_id))

    # --- operator logins (one per organisation) ----------------------------------

    def operator_logins(self) -> dict[str, OperatorLogin]:
        rows = self._conn.execute("SELECT * FROM operator_logins")
        return {row["organization_id"]: _login(row) for row in rows}

    def operator_login(self, organization_id: str) -> OperatorLogin | None:
        row = self._one(
            "SELECT * FROM operator_logins WHERE organization_id = ?", (organization_id,)
        )
        return None if row is None else _login(row)

    def set_operator_login(
        self, organization_id: str, server_url: str, allow_insecure_http: bool = False
    ) -> None:
        """The organisation's operator address (its token went to the keyring meanwhile)."""
        with self._write() as conn:
            conn.execute(
                """
                INSERT INTO operator_logins (organization_id, server_url, allow_insecure_http,
                                             legacy_token, updated_at)
                VALUES (?, ?, ?, 0, ?)
                ON CONFLICT(organization_id) DO UPDATE SET
                    last_pull = CASE WHEN server_url = excluded.server_url
                                     THEN last_pull END,
                    server_url = excluded.server_url,
                    allow_insecure_http = excluded.allow_insecure_http,
                    legacy_token = 0, updated_at = excluded.updated_at
                """,
                (organization_id, server_url, int(allow_insecure_http), _now()),
            )

    def set_last_pull(self, organization_id: str, stamp: str) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE operator_logins SET last_pull = ? WHERE organization_id = ?",
                (stamp, organization_id),
            )

    # --- settings -----------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return default if row is None else str(row["value"])

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def counts(self) -> dict[str, int]:
        return {
            table: int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in (
                "organizations",
                "applications",
                "submitted_versions",
                "reports",
                "report_versions",
            )
        }
