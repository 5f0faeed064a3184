"""The SQL behind data bundles (``.mms``): snapshots, checks and merges of whole stores.

Three jobs, each on real SQLite files, never on a live file's bytes:

- ``snapshot``: a consistent copy of a (live) store into a new file, made by
  the migrations and filled row by row inside one read transaction — the whole
  store, or one organisation and what hangs off it. Settings travel only when
  ``keep_setting`` says so (secrets and machine state never do). The new file
  holds no free pages with other data: nothing deleted can be read back.
- ``inspect``: is a file from a bundle a SQLite database of a schema this
  program knows? Opened read-only and immutable, ``quick_check``, version,
  and every table's columns compared with what the migrations make.
- ``merge``: add an incoming store's organisations, applications and reports
  to a target store in ONE transaction. New ids are added as they are;
  identical ones skipped; one that differs is never overwritten: the incoming
  one is added beside it as a copy with new ids, and the pair reported.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from mms_desktop.domain.ids import new_id
from mms_desktop.storage.errors import StoreError, classify
from mms_desktop.storage.migrations import LATEST_VERSION, MIGRATIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
_SHA256 = re.compile(r"[0-9a-f]{64}")
# What the counts in a bundle's manifest (and its summaries) are of.
COUNTED = ("organizations", "applications", "reports")
# Tables of records, in the order their foreign keys need.
_RECORD_TABLES = (
    "organizations",
    "applications",
    "actions",
    "results",
    "budget_lines",
    "submitted_versions",
    "reports",
    "report_versions",
    "outbox",
    "operator_status",
)
# Compared to tell "the same record" from "an edited one": saving stamps these.
_TIMESTAMPS = frozenset({"created_at", "updated_at"})


class BundleMergeError(StoreError):
    """The incoming rows cannot be added (an id used for something else)."""

    key = "bundle.merge_failed"


# --- snapshots -----------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    schema_version: int
    counts: dict[str, int]
    attachments: frozenset[str]  # SHA-256 of every file a row or frozen document names


def _uri(path: Path, **query: str) -> str:
    uri = Path(path).resolve().as_uri()
    if query:
        uri += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return uri


def _columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _tables(conn: sqlite3.Connection, schema: str = "main") -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def _organization_filters(keep_settings: str) -> dict[str, str]:
    """WHERE clauses (on ``src``) selecting one organisation (``:org``) and what hangs off it."""
    apps = "SELECT id FROM src.applications WHERE organization_id = :org"
    reports = f"SELECT id FROM src.reports WHERE application_id IN ({apps})"
    versions = (
        f"SELECT id FROM src.submitted_versions WHERE application_id IN ({apps}) "
        f"UNION SELECT id FROM src.report_versions WHERE report_id IN ({reports})"
    )
    return {
        "organizations": "id = :org",
        "calls": "1",
        "applications": "organization_id = :org",
        "actions": f"application_id IN ({apps})",
        "results": f"application_id IN ({apps})",
        "budget_lines": f"application_id IN ({apps})",
        "submitted_versions": f"application_id IN ({apps})",
        "reports": f"application_id IN ({apps})",
        "report_versions": f"report_id IN ({reports})",
        "outbox": f"application_id IN ({apps}) OR report_id IN ({reports})",
        "operator_status": f"submission_id IN ({versions})",
        # The organisation's operator address travels with it (its token never does).
        "operator_logins": "organization_id = :org",
        "settings": keep_settings,
    }


def _create_schema(conn: sqlite3.Connection, version: int) -> None:
    for number in range(1, version + 1):
        conn.executescript(MIGRATIONS[number - 1])
    conn.execute(f"PRAGMA user_version = {int(version)}")


def snapshot(
    source: Path,
    target: Path,
    organization_id: str | None,
    keep_setting: Callable[[str], bool],
) -> Snapshot:
    """Copy ``source`` (a live store) into the new file ``target``, consistently.

    Every row is read in one transaction, so a save made meanwhile is either
    wholly in the copy or not at all. With ``organization_id``: only that
    organisation, its applications with their rows, frozen versions, outbox
    items and operator answers, its reports and their versions, and every
    call definition; tables this code does not know stay empty. Settings:
    only the keys ``keep_setting`` accepts.
    """
    if Path(target).exists():
        raise FileExistsError(str(target))
    try:
        with closing(sqlite3.connect(target, isolation_level=None, uri=False)) as conn:
            conn.create_function("keep_setting", 1, lambda key: bool(keep_setting(str(key))))
            conn.execute("ATTACH DATABASE ? AS src", (str(source),))
            version = int(conn.execute("PRAGMA src.user_version").fetchone()[0])
            if version > LATEST_VERSION or version < 1:
                raise StoreError(f"cannot snapshot schema {version}")
            _create_schema(conn, version)  # executescript commits: before the read begins
            conn.execute("BEGIN")
            filters = _organization_filters("keep_setting(key)")
            source_tables = set(_tables(conn, "src"))
            for table in _tables(conn):
                if table not in source_tables:
                    continue
                if organization_id is None:
                    where = filters["settings"] if table == "settings" else "1"
                else:
                    where = filters.get(table, "0")  # an unknown table: nothing of it
                wanted = set(_columns(conn, table, "src"))
                columns = ", ".join(f'"{name}"' for name in _columns(conn, table) if name in wanted)
                conn.execute(
                    f'INSERT INTO main."{table}" ({columns}) '
                    f'SELECT {columns} FROM src."{table}" WHERE {where}',
                    {"org": organization_id},
                )
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE src")
            counts = _counts(conn)
            attachments = frozenset(_referenced_attachments(conn))
    except sqlite3.Error as error:
        Path(target).unlink(missing_ok=True)
        raise classify(error) or error from error
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise
    return Snapshot(version, counts, attachments)


def _counts(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    present = set(_tables(conn, schema))
    return {
        table: int(conn.execute(f"SELECT COUNT(*) FROM {schema}.{table}").fetchone()[0])
        if table in present
        else 0
        for table in COUNTED
    }


def _hashes(items: Any) -> Iterator[str]:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("sha256"), str):
                yield item["sha256"]


def _parsed(text: str | None, default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


def _referenced_attachments(conn: sqlite3.Connection) -> set[str]:
    """Files named by applications, reports and the top-level list of frozen documents."""
    present = set(_tables(conn))
    found: set[str] = set()
    for table in ("applications", "reports"):
        if table in present and "attachments" in _columns(conn, table):
            for (text,) in conn.execute(f"SELECT attachments FROM {table}"):
                found.update(_hashes(_parsed(text, [])))
    for table in ("submitted_versions", "report_versions"):
        if table in present:
            for (text,) in conn.execute(f"SELECT document FROM {table}"):
                document = _parsed(text, {})
                if isinstance(document, dict):
                    found.update(_hashes(document.get("attachments")))
    return {sha for sha in found if _SHA256.fullmatch(sha)}


# --- checking a store that came in a bundle ------------------------------------


@dataclass(frozen=True)
class StoreCheck:
    """What ``inspect`` found; ``problem`` is None for a store this program can take."""

    problem: str | None  # "not_sqlite" | "damaged" | "too_new" | "unknown_schema"
    version: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _shape(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every schema object by kind and name, and every table's columns."""
    objects = sorted(
        (row[0], row[1])
        for row in conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
    )
    columns = {
        table: [tuple(row) for row in conn.execute(f'PRAGMA table_xinfo("{table}")')]
        for table in _tables(conn)
    }
    return {"objects": objects, "columns": columns}


def _reference_shape(version: int) -> dict[str, Any]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        _create_schema(conn, version)
        return _shape(conn)


def inspect(path: Path) -> StoreCheck:
    """Check a store file from a bundle without writing a byte (read-only, immutable)."""
    try:
        with Path(path).open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return StoreCheck("not_sqlite")
    except OSError:
        return StoreCheck("not_sqlite")
    try:
        with closing(
            sqlite3.connect(_uri(path, mode="ro", immutable="1"), uri=True, isolation_level=None)
        ) as conn:
            conn.execute("PRAGMA trusted_schema = OFF")
            verdict = conn.execute("PRAGMA quick_check").fetchall()
            if [tuple(row) for row in verdict] != [("ok",)]:
                return StoreCheck("damaged")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > LATEST_VERSION:
                return StoreCheck("too_new", version)
            if version < 1 or _shape(conn) != _reference_shape(version):
                return StoreCheck("unknown_schema", version)
            return StoreCheck(None, version, _counts(conn))
    except sqlite3.DatabaseError as error:
        name = getattr(error, "sqlite_errorname", "")
        return StoreCheck("not_sqlite" if name == "SQLITE_NOTADB" else "damaged")


def migrate_copy(path: Path) -> None:
    """Bring a checked store copy (in a temporary folder) to the latest schema."""
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            for number in range(version + 1, LATEST_VERSION + 1):
                conn.executescript(
                    f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
    except sqlite3.Error as error:
        raise classify(error) or error from error


# --- merging ---------------------------------------------------------------------


@dataclass(frozen=True)
class MergeConflict:
    kind: str  # "organization" | "application" | "report"
    local_id: str
    copy_id: str
    name: str  # the local name or title


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    conflicts: list[MergeConflict] = field(default_factory=list)


Rows = list[dict[str, Any]]


class _Merger:
    def __init__(self, conn: sqlite3.Connection, marker: str) -> None:
        self.conn = conn
        self.marker = marker
        self.report = MergeReport()
        self.columns = {table: _columns(conn, table) for table in _tables(conn)}

    def incoming(self, table: str, where: str = "1", params: Iterable[Any] = ()) -> Rows:
        cursor = self.conn.execute(f'SELECT * FROM inc."{table}" WHERE {where}', tuple(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def local(self, table: str, key: str, value: Any) -> dict[str, Any] | None:
        cursor = self.conn.execute(f'SELECT * FROM main."{table}" WHERE "{key}" = ?', (value,))
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([column[0] for column in cursor.description], row, strict=True))

    def local_ids(self, table: str, key: str, where: str, params: Iterable[Any]) -> set[Any]:
        return {
            row[0]
            for row in self.conn.execute(
                f'SELECT "{key}" FROM main."{table}" WHERE {where}', tuple(params)
            )
        }

    def insert(self, table: str, row: dict[str, Any]) -> None:
        self.insert_all(table, [row])

    def insert_all(self, table: str, rows: Rows) -> None:
        """Rows into this store's table, keeping only the columns it has (a bundle
        from an older version may carry fewer, never unknown ones we would keep)."""
        columns = self.columns[table]
        sqlite_utils.Database(self.conn).table(table).insert_all(
            {name: value for name, value in row.items() if name in columns} for row in rows
        )

    def marked(self, text: str) -> str:
        return f"{text} {self.marker}".strip()

    # -- an empty target: everything is new, copied table by table ---------------

    def target_is_empty(self) -> bool:
        return not any(
            self.conn.execute(f'SELECT 1 FROM main."{table}" LIMIT 1').fetchone()
            for table in _RECORD_TABLES
            if table in self.columns
        )

    def copy_all(self) -> None:
        """Every record of the incoming store, verbatim (FK order; one statement a table)."""
        incoming = set(_tables(self.conn, "inc"))
        for table in _RECORD_TABLES:
            if table not in self.columns or table not in incoming:
                continue
            wanted = set(_columns(self.conn, table, "inc"))
            names = ", ".join(f'"{name}"' for name in self.columns[table] if name in wanted)
            cursor = self.conn.execute(
                f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM inc."{table}"'
            )
            if table in COUNTED and cursor.rowcount:
                self.report.added[table] += cursor.rowcount

    # -- the kinds ---------------------------------------------------------------

    def calls(self) -> None:
        for row in self.incoming("calls"):
            exists = self.conn.execute(
                "SELECT 1 FROM main.calls WHERE id = ? AND version = ?", (row["id"], row["version"])
            ).fetchone()
            if exists is None:
                self.insert("calls", row)
                self.report.added["calls"] += 1
            else:
                self.report.skipped["calls"] += 1  # a call definition by id+version is fixed

    def settings(self, keep_setting: Callable[[str], bool]) -> None:
        for row in self.incoming("settings"):
            if keep_setting(str(row["key"])) and self.local("settings", "key", row["key"]) is None:
                self.insert("settings", row)

    def organizations(self) -> None:
        for row in self.incoming("organizations"):
            local = self.local("organizations", "id", row["id"])
            if local is None:
                self.insert("organizations", row)
                self.report.added["organizations"] += 1
            elif _same(local, row):
                self.report.skipped["organizations"] += 1
            else:
                copy = row | {"id": new_id(), "name": self.marked(row["name"])}
                self.insert("organizations", copy)
                self.report.conflicts.append(
                    MergeConflict("organization", row["id"], copy["id"], local["name"])
                )

    def _answers(self, submission_ids: Iterable[str]) -> Rows:
        return [
            answer
            for submission_id in submission_ids
            for answer in self.incoming("operator_status", "submission_id = ?", (submission_id,))
            if self.local("operator_status", "submission_id", submission_id) is None
        ]

    def _new_outbox(self, rows: Rows) -> Rows:
        return [
            row
            for row in rows
            if self.local("outbox", "submission_id", row["submission_id"]) is None
        ]

    def applications(self) -> None:
        for row in self.incoming("applications"):
            app_id = row["id"]
            children = {
                table: self.incoming(table, "application_id = ? ORDER BY position", (app_id,))
                for table in ("actions", "results", "budget_lines")
            }
            versions = self.incoming(
                "submitted_versions", "application_id = ? ORDER BY number", (app_id,)
            )
            outbox = self.incoming(
                "outbox", "application_id = ? AND kind = 'application'", (app_id,)
            )
            local = self.local("applications", "id", app_id)
            if local is None:
                self.insert("applications", row)
                for table, rows in children.items():
                    self.insert_all(table, rows)
                self.insert_all("submitted_versions", versions)
                self.insert_all("outbox", self._new_outbox(outbox))
                self.insert_all("operator_status", self._answers(v["id"] for v in versions))
                self.report.added["applications"] += 1
                continue
            known_versions = self.local_ids(
                "submitted_versions", "id", "application_id = ?", (app_id,)
            )
            new_versions = [v for v in versions if v["id"] not in known_versions]
            same_children = all(
                _same_rows(rows, self.local_rows(table, app_id)) for table, rows in children.items()
            )
            if _same(local, row) and same_children and not new_versions:
                self.report.skipped["applications"] += 1
                continue
            self._copy_application(row, children, new_versions, outbox, local)

    def local_rows(self, table: str, application_id: str) -> Rows:
        cursor = self.conn.execute(
            f'SELECT * FROM main."{table}" WHERE application_id = ?', (application_id,)
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def _copy_application(
        self,
        row: dict[str, Any],
        children: dict[str, Rows],
        new_versions: Rows,
        outbox: Rows,
        local: dict[str, Any],
    ) -> None:
        """The incoming one beside the local one: new ids, the title marked."""
        copy_id = new_id()
        self.insert("applications", row | {"id": copy_id, "title": self.marked(row["title"])})
        action_ids = {action["id"]: new_id() for action in children["actions"]}
        for table, rows in children.items():
            for child in rows:
                renamed = child | {"application_id": copy_id}
                renamed["id"] = action_ids.get(child["id"]) or new_id()
                if table == "budget_lines" and child.get("action_id") is not None:
                    renamed["action_id"] = action_ids.get(child["action_id"])
                self.insert(table, renamed)
        # Frozen versions keep their ids: each is a submission the operator may
        # know by that id. Only those not already here come, with the copy.
        self.insert_all(
            "submitted_versions", [v | {"application_id": copy_id} for v in new_versions]
        )
        moved = {v["id"] for v in new_versions}
        self.insert_all(
            "outbox",
            [
                item | {"application_id": copy_id}
                for item in self._new_outbox(outbox)
                if item["submission_id"] in moved
            ],
        )
        self.insert_all("operator_status", self._answers(moved))
        self.report.conflicts.append(
            MergeConflict("application", row["id"], copy_id, local["title"])
        )

    def reports(self) -> None:
        if "reports" not in self.columns:
            return
        for row in self.incoming("reports"):
            report_id = row["id"]
            versions = self.incoming(
                "report_versions", "report_id = ? ORDER BY number", (report_id,)
            )
            outbox = self.incoming("outbox", "report_id = ? AND kind = 'report'", (report_id,))
            local = self.local("reports", "id", report_id)
            if local is None:
                self.insert("reports", row)
                self.insert_all("report_versions", versions)
                self.insert_all("outbox", self._new_outbox(outbox))
                self.insert_all("operator_status", self._answers(v["id"] for v in versions))
                self.report.added["reports"] += 1
                continue
            known = self.local_ids("report_versions", "id", "report_id = ?", (report_id,))
            new_versions = [v for v in versions if v["id"] not in known]
            if _same(local, row) and not new_versions:
                self.report.skipped["reports"] += 1
                continue
            copy_id = new_id()
            self.insert("reports", row | {"id": copy_id, "title": self.marked(row["title"])})
            self.insert_all("report_versions", [v | {"report_id": copy_id} for v in new_versions])
            moved = {v["id"] for v in new_versions}
            self.insert_all(
                "outbox",
                [
                    item | {"report_id": copy_id}
                    for item in self._new_outbox(outbox)
                    if item["submission_id"] in moved
                ],
            )
            self.insert_all("operator_status", self._answers(moved))
            self.report.conflicts.append(
                MergeConflict("report", report_id, copy_id, local["title"])
            )


def _same(local: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """The same content, whenever it was saved."""
    keys = (local.keys() | incoming.keys()) - _TIMESTAMPS
    return all(local.get(key) == incoming.get(key) for key in keys)


def _same_rows(incoming: Rows, local: Rows) -> bool:
    def key(row: dict[str, Any]) -> str:
        return str(row["id"])

    return sorted(incoming, key=key) == sorted(local, key=key)


@contextmanager
def _target(path: Path) -> Iterator[sqlite3.Connection]:
    """A writing connection to a store, set up as the Store sets up its own."""
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # The incoming file came from elsewhere: its schema runs no functions here.
        conn.execute("PRAGMA trusted_schema = OFF")
        yield conn
    finally:
        conn.close()


def merge(
    target: Path,
    incoming: Path,
    marker: str,
    keep_setting: Callable[[str], bool] | None = None,
) -> MergeReport:
    """Add what ``incoming`` holds to the store ``target``: all of it, or nothing.

    Both must be at the latest schema. ``marker`` ends the name or title of a
    copy kept beside a local record with the same id and other content.
    ``keep_setting``: settings the target lacks are taken when it accepts them
    (only for a target with no data of its own); None takes no settings.
    """
    try:
        with _target(target) as conn:
            conn.execute("ATTACH DATABASE ? AS inc", (str(incoming),))
            try:
                versions = {
                    schema: int(conn.execute(f"PRAGMA {schema}.user_version").fetchone()[0])
                    for schema in ("main", "inc")
                }
                if set(versions.values()) != {LATEST_VERSION}:
                    raise StoreError(f"merge needs schema {LATEST_VERSION}: {versions}")
                merger = _Merger(conn, marker)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    merger.calls()
                    if keep_setting is not None:
                        merger.settings(keep_setting)
                    if merger.target_is_empty():
                        merger.copy_all()
                    else:
                        merger.organizations()
                        merger.applications()
                        merger.reports()
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.execute("DETACH DATABASE inc")
    except sqlite3.IntegrityError as error:
        raise BundleMergeError(str(error)) from error
    except sqlite3.Error as error:
        raise classify(error) or error from error
    merger.report.added = dict(merger.report.added)
    merger.report.skipped = dict(merger.report.skipped)
    return merger.report
