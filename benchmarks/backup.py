"""A backup of a store holding 1,000 applications, and the start-up check it pays for.

Baselines, measured in the same run and folder:
- a plain file copy of the same (checkpointed) store file, with an fsync — what
  a naive backup would cost (and it can catch a live database half-way through
  a commit, which the backup API never does);
- opening the store without the ``quick_check`` that every start now runs.

Attachments are not part of a backup: they are content-addressed and never
changed in place, so the store is the whole of what can change (the bundle
benchmark, benchmarks/bundle.py, carries them).

    .venv/bin/python benchmarks/backup.py [--applications 1000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from field_save import fill  # the same 1,000-application store

from mms_desktop.services import backups
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.storage.store import Store


def timed(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        workspace = Workspace.open(folder / "dane")
        fill(workspace, args.applications)
        store_path = workspace.data_dir.store
        size = store_path.stat().st_size
        made: list[Path] = []

        def backup() -> None:
            made.append(
                backups.create(
                    workspace.store, workspace.data_dir, "manual", now(), folder / f"{len(made)}.db"
                )
            )

        def plain_copy() -> None:
            target = folder / "kopia-pliku.db"
            shutil.copyfile(store_path, target)
            with target.open("rb") as handle:
                os.fsync(handle.fileno())

        backup_time = timed(backup, args.runs)
        copy_time = timed(plain_copy, args.runs)
        workspace.close()

        def open_checked() -> None:
            Store.open(store_path).close()

        def open_bare() -> None:
            connection = sqlite3.connect(store_path)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("SELECT COUNT(*) FROM applications").fetchone()
            connection.close()

        checked = timed(open_checked, args.runs)
        bare = timed(open_bare, args.runs)
        print(f"store: {args.applications} applications, {size / 2**20:.1f} MB")
        print(
            f"backup (backup API, fsync, rename): {backup_time * 1000:.1f} ms; "
            f"plain file copy + fsync: {copy_time * 1000:.1f} ms; "
            f"ratio {backup_time / copy_time:.2f}x"
        )
        print(
            f"open with quick_check + migrations check: {checked * 1000:.1f} ms; "
            f"bare sqlite3 open + one query: {bare * 1000:.1f} ms; ratio {checked / bare:.2f}x"
        )


if __name__ == "__main__":
    main()
