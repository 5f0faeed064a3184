"""One field save (an autosave) on a store holding 1,000 applications.

Baseline, measured in the same run: a bare ``sqlite3`` INSERT of one row in its
own transaction, with the same durability settings (WAL, synchronous=FULL) in
the same folder. Both pay an fsync per commit; the ratio shows what the store
adds on top of that. The machines are shared and noisy, so read the ratios.

    .venv/bin/python benchmarks/field_save.py [--applications 1000] [--saves 500]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mms_desktop.services.demo import demo_application
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.store import BUDGET


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fill(workspace: Workspace, count: int) -> list[str]:
    ids = workspace.create_demo()
    organization_id = ids.organization_id
    call = workspace.calls.get(workspace.application(ids.application_id).call_id)
    template = demo_application(organization_id, call)
    application_ids = [ids.application_id]
    with workspace.store.transaction():
        for number in range(count - 1):
            copy = replace(
                demo_application(organization_id, call), title=f"{template.title} #{number}"
            )
            workspace.store.add_application(copy)
            application_ids.append(copy.id)
    return application_ids


def bare_inserts(folder: Path, count: int) -> list[float]:
    connection = sqlite3.connect(folder / "bare.sqlite3")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE edits (id INTEGER PRIMARY KEY, value TEXT)")
    connection.commit()
    times = []
    for number in range(count):
        start = time.perf_counter()
        with connection:
            connection.execute("INSERT INTO edits (value) VALUES (?)", (f"edit {number}",))
        times.append(time.perf_counter() - start)
    connection.close()
    return times


def field_saves(workspace: Workspace, application_ids: list[str], count: int) -> list[float]:
    store = workspace.store
    line_ids = [line.id for line in store.load_application(application_ids[500]).budget]
    times = []
    for number in range(count):
        application_id = application_ids[(number * 37) % len(application_ids)]
        start = time.perf_counter()
        if number % 2:
            store.update_application(application_id, title=f"Tytuł po edycji {number}")
        else:
            store.update_row(BUDGET, line_ids[number % len(line_ids)], quantity=number % 50 + 1)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as folder:
        root = Path(folder)
        with Workspace.open(root / "data") as workspace:
            started = time.perf_counter()
            ids = fill(workspace, args.applications)
            seconds = time.perf_counter() - started
            size_mb = workspace.store.path.stat().st_size / 2**20
            print(
                f"store filled with {len(ids)} applications in {seconds:.1f} s ({size_mb:.1f} MB)"
            )
            # Interleave the two so both see the same disk and load.
            bare: list[float] = []
            saves: list[float] = []
            for round_number in range(5):
                folder_for_bare = root / f"bare{round_number}"
                folder_for_bare.mkdir()
                bare += bare_inserts(folder_for_bare, args.saves // 5)
                saves += field_saves(workspace, ids, args.saves // 5)
    for name, values in (("bare sqlite3 insert (baseline)", bare), ("field save", saves)):
        print(
            f"{name:32s} median {statistics.median(values) * 1000:6.2f} ms   "
            f"p99 {percentile(values, 0.99) * 1000:6.2f} ms"
        )
    median_ratio = statistics.median(saves) / statistics.median(bare)
    p99_ratio = percentile(saves, 0.99) / percentile(bare, 0.99)
    print(f"ratio field save / baseline: median {median_ratio:.2f}x, p99 {p99_ratio:.2f}x")
    print(f"target p99 < 5 ms: {'met' if percentile(saves, 0.99) < 0.005 else 'NOT met'}")


if __name__ == "__main__":
    main()
