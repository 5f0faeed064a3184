"""A full disk and a read-only folder: the data folder on a small tmpfs that really fills up.

Every save that returned is still there afterwards, the store stays whole,
the failure is told in words, and once space is freed saving works again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mms_desktop import i18n
from mms_desktop.services import backups
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.storage.errors import StoreDiskFullError
from tests.wine import stop_under_wine

SIZE = 3 * 1024 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs mounted for this test (the tests run as root, here and in CI)."""
    stop_under_wine("mount, for a small tmpfs that really fills up")
    mount_point = tmp_path / "maly-dysk"
    mount_point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount_point)],
        check=True,
        capture_output=True,
    )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False, capture_output=True)


def fill(folder: Path, leave: int) -> Path:
    """A filler file taking all the free space but ``leave`` bytes."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "wypelniacz.bin"
    with filler.open("wb") as handle:
        chunk = b"\0" * 65536
        remaining = max(0, free - leave)
        while remaining > 0:
            try:
                remaining -= handle.write(chunk[: min(len(chunk), remaining)])
            except OSError as error:  # tmpfs rounds to pages: close enough
                assert error.errno == errno.ENOSPC
                break
    return filler


def test_a_full_disk_loses_no_saved_edit_and_says_so(small_disk: Path, clock: str) -> None:
    data = small_disk / "dane"
    saved: dict[str, str] = {}
    with Workspace.open(data) as workspace:
        ids = workspace.create_demo()
        filler = fill(small_disk, leave=256 * 1024)
        failure: StoreDiskFullError | None = None
        for number in range(1, 1000):
            text = f"Opis {number}: " + "Zażółć gęślą jaźń. " * 1000  # ~20 kB each
            try:
                application = workspace.new_application(ids.organization_id, "mms-2027-p1-przyklad")
                workspace.store.update_application(application.id, summary=text)
            except StoreDiskFullError as error:
                failure = error
                break
            saved[application.id] = text
        assert failure is not None, "the disk never filled up"
        assert len(saved) >= 3
        said = i18n.tr(failure.key, **failure.params)
        assert said.startswith("Dysk jest pełny: ostatniej zmiany nie zapisano.")

        # A file the user attaches now is refused in words, and nothing half-written stays.
        big = small_disk.parent / "skan.pdf"
        big.write_bytes(os.urandom(600 * 1024))
        with pytest.raises(UserError) as refused:
            workspace.attach(ids.application_id, big)
        assert "na dysku zabrakło miejsca" in i18n.tr(refused.value.key, **refused.value.params)
        assert not [p for p in (data / "attachments").rglob("*") if p.name.startswith(".")]

        # So is a backup.
        with pytest.raises(UserError) as no_backup:
            backups.create(workspace.store, workspace.data_dir, "manual", now())
        assert i18n.tr(no_backup.value.key, **no_backup.value.params).startswith(
            "Na dysku nie ma miejsca na kopię zapasową"
        )
        assert list((data / "backups").iterdir()) == []  # no half-written copy

    # Everything saved before the disk filled is there, and the store is whole.
    with Workspace.open(data) as reopened:
        assert reopened.store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for application_id, text in saved.items():
            assert reopened.application(application_id).summary == text
        # Room again: saving works again.
        filler.unlink()
        reopened.store.update_application(ids.application_id, title="Po zwolnieniu miejsca")
        assert reopened.application(ids.application_id).title == "Po zwolnieniu miejsca"
    connection = sqlite3.connect(data / "mms-desktop.sqlite3")
    with contextlib.closing(connection):
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_read_only_data_folder_is_told_in_words_and_can_still_be_checked(
    small_disk: Path, run_cli, clock: str
) -> None:
    data = small_disk / "dane"
    with Workspace.open(data) as workspace:
        workspace.create_demo()
    assert run_cli("--data-dir", str(data), "backup")[0] == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    before = {path: path.read_bytes() for path in data.rglob("*") if path.is_file()}

    code, _, err = run_cli("--data-dir", str(data), "list")
    assert code == 3
    assert f"Folder danych {data} jest tylko do odczytu: zmian nie można zapisać." in err
    # Reading what is there still works: the check and the list of backups.
    code, out, _ = run_cli("--data-dir", str(data), "check")
    assert code == 0 and "jest cały" in out
    code, out, _ = run_cli("--data-dir", str(data), "backups")
    assert code == 0 and "organizacje: 1, wnioski: 2, sprawozdania: 1" in out
    assert {path: path.read_bytes() for path in data.rglob("*") if path.is_file()} == before
