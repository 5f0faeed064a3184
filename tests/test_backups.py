"""Backups: consistent copies, thinned, listed with their contents, restored exactly.

A damaged store is never opened for writing; the newest good backup takes its
place, the damaged file is set aside, and the words say what happened.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import table_contents

from mms_desktop import i18n
from mms_desktop.domain.retention import KEEP_RECENT, to_keep
from mms_desktop.paths import PORTABLE_DATA_DIR, PORTABLE_MARKER, DataDir, resolve_data_dir
from mms_desktop.services import backups
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.storage.errors import StoreCorruptError
from mms_desktop.storage.migrations import LATEST_VERSION

AT = datetime(2027, 5, 20, 8, 0, tzinfo=UTC)


def damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6)):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))


# --- which backups are kept ---------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 400 * 24 * 60), min_size=1, max_size=300))
def test_thinning_keeps_the_newest_and_a_bounded_number(minutes_ago: list[int]) -> None:
    times = [AT - timedelta(minutes=m) for m in minutes_ago]
    kept = to_keep(times, AT)
    assert max(times) in kept
    assert kept <= set(times)
    assert len(kept) <= KEEP_RECENT + 7 + 5 + 12
    # Every one of the last seven days that had a backup still has one.
    for day in {moment.date() for moment in times if AT - moment < timedelta(days=7)}:
        if day >= (AT - timedelta(days=6)).date():
            assert any(moment.date() == day for moment in kept)


def test_thinning_removes_files_and_keeps_one_a_day(workspace: Workspace) -> None:
    data_dir = workspace.data_dir
    for hours in range(24 * 20, -1, -3):  # every three hours for twenty days, up to now
        backups.create(workspace.store, data_dir, "auto", AT - timedelta(hours=hours), None)
    kept = backups.listing(data_dir)
    days = {item.created_at.date() for item in kept}
    assert len(kept) < 30
    assert all((AT - timedelta(days=n)).date() in days for n in range(7))
    assert kept[0].created_at == AT  # newest first, and kept


# --- making, listing, restoring -----------------------------------------------------


def test_a_backup_lists_its_contents_and_restores_the_store_exactly(
    workspace: Workspace, demo_ids: DemoIds
) -> None:
    data_dir = workspace.data_dir
    made = backups.create(workspace.store, data_dir, "manual", AT)
    expected = table_contents(made)
    [listed] = backups.listing(data_dir)
    info = backups.describe(listed)
    assert info.ok and info.counts == {"organizations": 1, "applications": 2, "reports": 1}
    assert (listed.reason, listed.created_at) == ("manual", AT)

    # Work goes on after the backup…
    workspace.store.update_application(demo_ids.application_id, title="Zmienione po kopii")
    workspace.new_application(demo_ids.organization_id, "mms-2027-p1-przyklad")
    after_edits = table_contents(data_dir.store)
    workspace.close()

    report = backups.restore(data_dir, listed, AT + timedelta(hours=1))
    assert table_contents(data_dir.store) == expected
    # …and the state before the restore was kept, edits and all.
    assert report.kept_current_as is not None and report.damaged_kept_at is None
    assert table_contents(report.kept_current_as) == after_edits
    with Workspace.open(data_dir.root) as reopened:
        assert reopened.application(demo_ids.application_id).title.startswith("Smaki Łękawki")


def test_a_backup_made_while_another_connection_writes_is_consistent(
    workspace: Workspace, demo_ids: DemoIds, tmp_path: Path
) -> None:
    stop = threading.Event()

    def keep_writing() -> None:
        with Workspace.open(workspace.data_dir.root) as other:
            n = 0
            while not stop.is_set():
                n += 1
                other.store.update_application(demo_ids.application_id, title=f"wersja {n}")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        copies = [
            backups.create(workspace.store, workspace.data_dir, "manual", AT, tmp_path / f"{n}.db")
            for n in range(15)
        ]
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        connection = sqlite3.connect(copy)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            (title,) = connection.execute(
                "SELECT title FROM applications WHERE id = ?", (demo_ids.application_id,)
            ).fetchone()
            assert title.startswith(("wersja", "Smaki"))
        finally:
            connection.close()


def test_backup_out_never_overwrites_a_file(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "pendrive.sqlite3"
    target.write_bytes(b"cudzy plik")
    with pytest.raises(UserError) as refused:
        backups.create(workspace.store, workspace.data_dir, "manual", AT, target)
    assert "już istnieje" in i18n.tr(refused.value.key, **refused.value.params)
    assert target.read_bytes() == b"cudzy plik"


# --- damage -------------------------------------------------------------------------


def test_a_damaged_store_is_refused_then_the_newest_good_backup_takes_its_place(
    run_cli, data_dir: Path, clock: str
) -> None:
    assert run_cli("demo")[0] == 0
    code, out, err = run_cli("backup")
    assert (code, err) == (0, "")
    backup_path = Path(out.strip())
    assert backup_path.parent == data_dir / "backups"
    expected = table_contents(backup_path)
    store = DataDir(data_dir).store
    damaged_bytes_before = None
    damage(store)
    damaged_bytes_before = hashlib.sha256(store.read_bytes()).hexdigest()

    code, _, err = run_cli("list")
    assert code == 3
    assert "jest uszkodzony" in err and "nie otwieram go do zapisu" in err
    # Refused before anything was written to it.
    assert hashlib.sha256(store.read_bytes()).hexdigest() == damaged_bytes_before

    code, out, _ = run_cli("check")
    assert code == 3  # the data folder cannot be used until restored
    assert "jest USZKODZONY" in out
    assert f"mms-desktop restore {backup_path.name}" in out
    assert "organizacje: 1, wnioski: 2, sprawozdania: 1" in out

    code, out, err = run_cli("restore", backup_path.name)
    assert (code, err) == (0, "")
    assert "Uszkodzony plik danych odłożono (nie usunięto)" in out
    [kept] = (data_dir / "damaged").glob("*.sqlite3")
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == damaged_bytes_before
    assert table_contents(store) == expected
    assert run_cli("check")[0] == 0
    assert len(json.loads(run_cli("list", "--json")[1])["applications"]) == 2


def test_a_damaged_backup_is_listed_as_such_and_never_restored(
    workspace: Workspace, demo_ids: DemoIds
) -> None:
    made = backups.create(workspace.store, workspace.data_dir, "manual", AT)
    damage(made)
    [listed] = backups.listing(workspace.data_dir)
    assert not backups.describe(listed).ok
    assert backups.newest_good(workspace.data_dir) is None
    before = table_contents(workspace.data_dir.store)
    workspace.close()
    with pytest.raises(UserError) as refused:
        backups.restore(workspace.data_dir, listed, AT)
    assert refused.value.key == "backup.damaged"
    assert table_contents(workspace.data_dir.store) == before


def test_a_backup_from_a_newer_program_is_refused_in_words(
    workspace: Workspace, tmp_path: Path
) -> None:
    newer = tmp_path / "kopia-20270520-080000-manual.sqlite3"
    connection = sqlite3.connect(newer)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.close()
    workspace.close()
    with pytest.raises(UserError) as refused:
        backups.restore(workspace.data_dir, backups.find(workspace.data_dir, str(newer)), AT)
    assert "nowsza wersja programu" in i18n.tr(refused.value.key, **refused.value.params)


def test_opening_a_damaged_store_raises_and_leaves_it_alone(
    workspace: Workspace, demo_ids: DemoIds
) -> None:
    path = workspace.data_dir.store
    workspace.close()
    damage(path)
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError):
        Workspace.open(path.parent)
    assert path.read_bytes() == before


# --- portable mode ------------------------------------------------------------------


def test_a_marker_beside_the_program_keeps_the_data_beside_it(tmp_path: Path, monkeypatch):
    program = tmp_path / "pendrive" / "mms-desktop"
    program.mkdir(parents=True)
    monkeypatch.delenv("MMS_DATA_DIR", raising=False)
    assert resolve_data_dir(None, program) != program / PORTABLE_DATA_DIR
    (program / PORTABLE_MARKER).write_text("dane obok programu\n", encoding="utf-8")
    assert resolve_data_dir(None, program) == program / PORTABLE_DATA_DIR
    # An explicit folder still wins.
    assert resolve_data_dir(tmp_path / "inne", program) == (tmp_path / "inne").resolve()
