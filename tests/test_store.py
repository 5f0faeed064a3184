"""The SQLite store on real files: durability, schema versions, autosave, rows, frozen versions."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mms_desktop.domain.application import (
    Action,
    Application,
    ApplicationStatus,
    BudgetLine,
    Result,
)
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.organization import Organization
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization
from mms_desktop.storage import errors
from mms_desktop.storage.errors import (
    ApplicationLockedError,
    StoreCorruptError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreTooNewError,
    classify,
)
from mms_desktop.storage.migrations import LATEST_VERSION
from mms_desktop.storage.store import ACTIONS, BUDGET, RESULTS, ChildKind, Store


@pytest.fixture(scope="module")
def call() -> CallDefinition:
    return next(k.definition for k in bundled_calls() if k.definition.id == DEMO_CALL_ID)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "mms-desktop.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(db_path)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def organization(store: Store) -> Organization:
    org = demo_organization()
    store.add_organization(org)
    return org


@pytest.fixture
def application(store: Store, organization: Organization, call: CallDefinition) -> Application:
    app = demo_application(organization.id, call)
    store.add_application(app)
    return app


def positions(store: Store, kind: ChildKind, application_id: str) -> list[int]:
    rows = store._conn.execute(
        f"SELECT position FROM {kind.table} WHERE application_id = ? ORDER BY position",
        (application_id,),
    )
    return [row[0] for row in rows]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- opening ----------------------------------------------------------------


def test_durability_pragmas(store: Store) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_wal_mode_is_kept_in_the_file(store: Store, db_path: Path) -> None:
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_new_store_is_at_the_latest_schema(store: Store, db_path: Path) -> None:
    assert store.schema_version() == LATEST_VERSION
    store.close()
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        rows = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in rows}
    finally:
        raw.close()
    assert {
        "organizations",
        "applications",
        "actions",
        "results",
        "budget_lines",
        "submitted_versions",
        "calls",
        "settings",
    } <= tables


def test_reopening_keeps_data_and_does_not_migrate_again(db_path: Path) -> None:
    with Store.open(db_path) as first:
        first.set_setting("language", "pl")
    with Store.open(db_path) as second:
        assert second.schema_version() == LATEST_VERSION
        assert second.setting("language") == "pl"


def test_store_from_a_newer_version_is_refused_and_left_untouched(
    db_path: Path, organization: Organization, store: Store
) -> None:
    store.close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    before = sha256_of(db_path)
    with pytest.raises(StoreTooNewError) as refused:
        Store.open(db_path)
    assert refused.value.params == {"found": 99, "supported": LATEST_VERSION}
    assert sha256_of(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 99
        assert raw.execute("SELECT name FROM organizations").fetchone()[0] == organization.name
    finally:
        raw.close()


def test_a_file_that_is_not_a_database_is_called_damaged(db_path: Path) -> None:
    junk = random.Random(20270520).randbytes(16384)
    db_path.write_bytes(junk)
    with pytest.raises(StoreCorruptError):
        Store.open(db_path)
    assert db_path.read_bytes() == junk


# --- autosave ---------------------------------------------------------------


def test_field_saves_survive_closing_and_reopening(
    db_path: Path, store: Store, application: Application, organization: Organization
) -> None:
    line = application.budget[2]
    store.update_application(application.id, title="Nowy tytuł: żółć", end_date=date(2027, 11, 1))
    store.update_organization(organization.id, nip="5261040828", locality_population=2100)
    store.update_row(BUDGET, line.id, unit_cost=Decimal("61.50"), name="Sala – wynajem")
    # Committed as soon as the save returns: another connection sees it already.
    other = sqlite3.connect(db_path)
    try:
        assert (
            other.execute(
                "SELECT title FROM applications WHERE id = ?", (application.id,)
            ).fetchone()[0]
            == "Nowy tytuł: żółć"
        )
    finally:
        other.close()
    store.close()

    with Store.open(db_path) as reopened:
        app = reopened.load_application(application.id)
        org = reopened.load_organization(organization.id)
    assert app.title == "Nowy tytuł: żółć"
    assert app.end_date == date(2027, 11, 1)
    assert app.start_date == application.start_date
    assert org.nip == "5261040828"
    assert org.locality_population == 2100
    assert org.name == organization.name
    saved = app.budget[2]
    assert saved.id == line.id
    assert saved.unit_cost == Decimal("61.50")
    assert saved.name == "Sala – wynajem"
    assert saved.quantity == line.quantity
    assert app.budget[3] == application.budget[3]


def test_whole_application_round_trips(store: Store, application: Application) -> None:
    assert store.load_application(application.id) == application


def test_unknown_field_is_refused_and_nothing_is_written(
    store: Store, application: Application, organization: Organization
) -> None:
    before = store._conn.execute(
        "SELECT * FROM applications WHERE id = ?", (application.id,)
    ).fetchone()
    with pytest.raises(KeyError):
        store.update_application(application.id, title="Zmieniony", status="sent")
    with pytest.raises(KeyError):
        store.update_application(application.id, no_such_field="x")
    after = store._conn.execute(
        "SELECT * FROM applications WHERE id = ?", (application.id,)
    ).fetchone()
    assert tuple(after) == tuple(before)
    assert store.load_application(application.id).title == application.title
    with pytest.raises(KeyError):
        store.update_organization(organization.id, name="Inna", id="x")
    assert store.load_organization(organization.id).name == organization.name


# --- numbered rows ----------------------------------------------------------


def test_add_row_in_the_middle_renumbers(store: Store, application: Application) -> None:
    extra = Result(new_id(), "Wolontariusze zaangażowani", Decimal("12"), "osób", "Lista")
    store.add_row(RESULTS, application.id, extra, index=1)
    results = store.load_application(application.id).results
    assert [r.id for r in results] == [
        application.results[0].id,
        extra.id,
        *(r.id for r in application.results[1:]),
    ]
    assert results[1] == extra
    assert positions(store, RESULTS, application.id) == list(range(len(application.results) + 1))


def test_add_row_at_the_end_and_out_of_range(store: Store, application: Application) -> None:
    first = Action(new_id(), "Na początek", start_date=date(2027, 7, 2), end_date=date(2027, 7, 3))
    last = Action(new_id(), "Na koniec")
    store.add_row(ACTIONS, application.id, last)
    store.add_row(ACTIONS, application.id, first, index=-5)
    actions = store.load_application(application.id).actions
    assert actions[0] == first
    assert actions[-1] == last
    assert len(actions) == len(application.actions) + 2
    assert positions(store, ACTIONS, application.id) == list(range(len(actions)))


def test_move_row_renumbers(store: Store, application: Application) -> None:
    ids = [line.id for line in application.budget]
    store.move_row(BUDGET, ids[0], 3)
    expected = [ids[1], ids[2], ids[3], ids[0], *ids[4:]]
    assert [line.id for line in store.load_application(application.id).budget] == expected
    store.move_row(BUDGET, ids[-1], 0)
    expected = [ids[-1], *expected[:-1]]
    assert [line.id for line in store.load_application(application.id).budget] == expected
    assert positions(store, BUDGET, application.id) == list(range(len(ids)))


def test_remove_row_renumbers(store: Store, application: Application) -> None:
    ids = [line.id for line in application.budget]
    store.remove_row(BUDGET, ids[1])
    store.remove_row(BUDGET, ids[5])
    remaining = [i for i in ids if i not in (ids[1], ids[5])]
    assert [line.id for line in store.load_application(application.id).budget] == remaining
    assert positions(store, BUDGET, application.id) == list(range(len(ids) - 2))


def test_removing_an_action_unlinks_its_cost_lines(store: Store, application: Application) -> None:
    removed = application.actions[0]
    linked = {line.id for line in application.budget if line.action_id == removed.id}
    assert linked  # the demo has costs on the first action
    store.remove_row(ACTIONS, removed.id)
    app = store.load_application(application.id)
    assert removed.id not in {action.id for action in app.actions}
    assert len(app.budget) == len(application.budget)  # the costs are kept
    for before, after in zip(application.budget, app.budget, strict=True):
        if before.id in linked:
            assert after.action_id is None
            assert replace(after, action_id=before.action_id) == before
        else:
            assert after == before


def test_foreign_keys_refuse_a_line_on_an_unknown_action(
    store: Store, application: Application
) -> None:
    line = BudgetLine(
        new_id(),
        "materialy",
        "no-such-action",
        "Farby",
        "szt.",
        Decimal("5"),
        Decimal("2"),
        grant=Decimal("10.00"),
    )
    with pytest.raises(sqlite3.IntegrityError):
        store.add_row(BUDGET, application.id, line)
    assert len(store.load_application(application.id).budget) == len(application.budget)


# --- frozen versions --------------------------------------------------------


def test_frozen_version_cannot_be_changed_or_deleted(
    store: Store, application: Application
) -> None:
    document = json.dumps({"title": application.title}, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(document.encode()).hexdigest()
    version = store.freeze_version(application.id, document, digest, ApplicationStatus.QUEUED)
    assert version.number == 1
    assert version.replaces_id is None

    for sql in (
        "UPDATE submitted_versions SET document = 'zmieniony'",
        "UPDATE submitted_versions SET sha256 = '00'",
        "DELETE FROM submitted_versions",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="frozen"):
            store._conn.execute(sql)
        store._conn.rollback()
    with pytest.raises(sqlite3.DatabaseError, match="frozen"):
        store.db.execute("DELETE FROM submitted_versions WHERE id = ?", [version.id])
    store._conn.rollback()

    [kept] = store.versions(application.id)
    assert kept == version
    assert kept.document == document
    assert kept.sha256 == digest


def test_second_freeze_replaces_the_first(store: Store, application: Application) -> None:
    first = store.freeze_version(application.id, '{"v":1}', "a" * 64, ApplicationStatus.QUEUED)
    second = store.freeze_version(application.id, '{"v":2}', "b" * 64, ApplicationStatus.QUEUED)
    assert second.number == 2
    assert second.replaces_id == first.id
    assert [v.id for v in store.versions(application.id)] == [first.id, second.id]
    [summary] = store.list_applications()
    assert summary.control_sum_sha256 == "b" * 64


def test_a_frozen_application_cannot_be_edited(store: Store, application: Application) -> None:
    store.freeze_version(application.id, "{}", "c" * 64, ApplicationStatus.QUEUED)
    assert store.application_status(application.id) is not ApplicationStatus.DRAFT
    with pytest.raises(ApplicationLockedError):
        store.update_application(application.id, title="Po wysłaniu")
    with pytest.raises(ApplicationLockedError):
        store.update_row(BUDGET, application.budget[0].id, unit_cost=Decimal("1.00"))
    with pytest.raises(ApplicationLockedError):
        store.add_row(RESULTS, application.id, Result(new_id(), "Nowy"))
    with pytest.raises(ApplicationLockedError):
        store.remove_row(ACTIONS, application.actions[0].id)
    assert store.load_application(application.id) == application


# --- the bin ----------------------------------------------------------------


def test_trash_hides_and_restore_brings_back(store: Store, application: Application) -> None:
    assert [s.id for s in store.list_applications()] == [application.id]
    store.trash_application(application.id)
    assert store.list_applications() == []
    [hidden] = store.list_applications(include_deleted=True)
    assert hidden.id == application.id
    assert hidden.deleted_at is not None
    assert store.load_application(application.id) == application  # nothing erased
    store.restore_application(application.id)
    [back] = store.list_applications()
    assert back.id == application.id
    assert back.deleted_at is None


# --- errors told in words ---------------------------------------------------


def test_a_write_to_a_read_only_database_is_classified(store: Store, db_path: Path) -> None:
    store.close()
    readonly = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.Error) as raised:
            readonly.execute("INSERT INTO settings(key, value) VALUES ('a', 'b')")
    finally:
        readonly.close()
    assert isinstance(classify(raised.value), StoreReadOnlyError)
    assert StoreReadOnlyError.key == "store.read_only"


def test_a_database_held_by_another_program_is_classified(store: Store, db_path: Path) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(db_path, timeout=0)
    try:
        with pytest.raises(sqlite3.Error) as raised:
            waiter.execute("INSERT INTO settings(key, value) VALUES ('a', 'b')")
    finally:
        waiter.close()
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(classify(raised.value), StoreLockedError)


def test_a_save_while_another_program_holds_the_store_is_told_in_words(
    store: Store, db_path: Path
) -> None:
    store._conn.execute("PRAGMA busy_timeout = 0")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLockedError):
            store.set_setting("language", "en")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.setting("language") is None
    store.set_setting("language", "en")
    assert store.setting("language") == "en"


def test_bugs_are_not_disguised_as_user_errors(store: Store) -> None:
    with pytest.raises(sqlite3.Error) as raised:
        store._conn.execute("SELECT no_such_column FROM settings")
    assert classify(raised.value) is None
    assert issubclass(StoreLockedError, errors.StoreError)


def test_a_save_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    """The sync worker writes on its own connection; a row added meanwhile must wait, not fail."""
    import threading
    import time

    from mms_desktop.domain.application import Action
    from mms_desktop.domain.ids import new_id
    from mms_desktop.services.workspace import Workspace
    from mms_desktop.storage.store import ACTIONS

    with Workspace.open(tmp_path / "data") as workspace:
        ids = workspace.create_demo()
        path = workspace.store.path
        other = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock…
        releaser = threading.Timer(0.4, lambda: other.execute("COMMIT"))
        releaser.start()
        started = time.monotonic()
        # …a read-then-write (count the rows, then insert) waits for it.
        workspace.store.add_row(ACTIONS, ids.application_id, Action(new_id(), "Nowe działanie"))
        waited = time.monotonic() - started
        releaser.join()
        other.close()
        assert waited >= 0.3
        names = [
            action.name for action in workspace.store.load_application(ids.application_id).actions
        ]
        assert names[-1] == "Nowe działanie"
