"""The codecs of one application: its canonical document both ways, and its load from the store.

Baselines, measured in the same run on the same data: ``json.dumps`` of the
finished document (what encoding costs at the least), ``json.loads`` of its
bytes (decoding), and a bare ``SELECT *`` of the application's rows from the
same SQLite file (loading). The ratios show what the codecs add on top.

    .venv/bin/python benchmarks/codecs.py [--lines 200] [--runs 300]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mms_desktop.domain import canonical
from mms_desktop.domain.application import copy_with_new_ids
from mms_desktop.domain.ids import new_id
from mms_desktop.services.workspace import Workspace


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200, help="cost lines in the application")
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Workspace.open(Path(folder)) as workspace:
        ids = workspace.create_demo()
        app = workspace.store.load_application(ids.application_id)
        lines = tuple(app.budget[index % len(app.budget)] for index in range(args.lines))
        app = copy_with_new_ids(replace(app, budget=lines), new_id)
        workspace.store.add_application(app)
        org = workspace.store.load_organization(app.organization_id)
        document = canonical.application_document(app, org, app.call_id, 1)
        data = canonical.encode(document)

        conn = sqlite3.connect(workspace.store.path)  # open, as the store's own is
        conn.row_factory = sqlite3.Row

        def bare_rows() -> object:
            rows = [conn.execute("SELECT * FROM applications WHERE id = ?", (app.id,)).fetchall()]
            for table in ("actions", "results", "budget_lines"):
                rows.append(
                    conn.execute(
                        f"SELECT * FROM {table} WHERE application_id = ? ORDER BY position",
                        (app.id,),
                    ).fetchall()
                )
            return rows

        def load() -> object:
            return workspace.store.load_application(app.id)

        pairs = {
            "encode (document + bytes)": (
                lambda: canonical.encode(canonical.application_document(app, org, app.call_id, 1)),
                lambda: json.dumps(document, ensure_ascii=False, sort_keys=True).encode(),
            ),
            "decode (bytes → application)": (
                lambda: canonical.application_from_document(json.loads(data)),
                lambda: json.loads(data),
            ),
            "store load of the application": (load, bare_rows),
        }
        print(f"one application with {args.lines} cost lines, median of {args.runs} runs")
        for name, (work, baseline) in pairs.items():
            measured, base = median_ms(work, args.runs), median_ms(baseline, args.runs)
            print(
                f"{name:32} {measured:8.3f} ms   baseline {base:8.3f} ms   {measured / base:5.2f}×"
            )
        conn.close()


if __name__ == "__main__":
    main()
