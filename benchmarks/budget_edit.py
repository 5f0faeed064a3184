"""One cell edit in the budget editor of an application with 300 cost lines.

Per edit, as a volunteer's Enter in a cell does it:

- model update: ``setData`` through the model as the delegate calls it (parse,
  the session's edit and undo step, the model telling the view which row changed),
- of which the autosave enqueue (the session handing the save to the writer),
- repaint and summary: the event loop running once (the view repaints the row,
  the summary panel recomputes its totals and caps),
- full validation: ``session.findings()`` after the change (every rule, all lines).

Baseline, measured in the same run: a bare ``QStandardItemModel.setData`` on a
300×13 model shown in a QTableView of the same size, plus the same one run of
the event loop (its repaint). The machines are shared and noisy, so read the ratio.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/budget_edit.py [--lines 300] [--edits 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import PySide6
from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import QApplication, QTableView

from mms_desktop.domain.ids import new_id
from mms_desktop.services.demo import demo_application
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.budget_editor import COLUMN_OF_FIELD, COLUMNS, BudgetEditor
from mms_desktop.ui.session import ApplicationSession
from mms_desktop.ui.writer import StoreWriter

TARGET_MS = 16.0  # one frame at 60 Hz: an edit that takes longer is felt
SIZE = (1200, 700)


def keep_none_alive() -> None:
    """Work around PySide6 6.12.0 on CPython 3.11 dropping a reference to None.

    There every call of a Qt method that returns nothing (``setText``,
    ``setVisible``, …) takes one reference from ``None``; None is not immortal
    before Python 3.12, so after a few thousand calls the process aborts with
    "none_dealloc: deallocating None". PySide6 6.11.3 does not do this. The
    benchmark measures speed, not that bug: it tops up None's count and says so.
    """
    import ctypes
    import gc

    from PySide6.QtCore import QObject

    probe = QObject()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    gc.collect()
    lost = before - sys.getrefcount(None)
    if lost < 50:
        return
    print(
        f"WARNING: this PySide6 ({PySide6.__version__}) on Python "
        f"{sys.version.split()[0]} loses a reference to None on each void Qt call "
        f"({lost} in 100); a long session aborts. Topping up None for this run.",
        file=sys.stderr,
    )
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    none = ctypes.py_object(None)
    for _ in range(2_000_000):
        incref(none)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def big_application(folder: Path, lines: int) -> str:
    """A data folder with the demo organisation and an application of ``lines`` cost lines."""
    with Workspace.open(folder) as workspace:
        ids = workspace.create_demo()
        call = workspace.calls.get(workspace.application(ids.application_id).call_id)
        template = demo_application(ids.organization_id, call)
        budget = tuple(
            replace(template.budget[number % len(template.budget)], id=new_id())
            for number in range(lines)
        )
        application = replace(template, budget=budget)
        workspace.store.add_application(application)
        return application.id


# The cells edited, in turn, with the text typed into each.
EDITS: list[tuple[str, Callable[[int], str]]] = [
    ("unit_cost", lambda n: f"{100 + n % 50},50"),
    ("quantity", lambda n: str(2 + n % 9)),
    ("name", lambda n: f"Koszt zmieniony po raz {n}"),
    ("own_financial", lambda n: f"{n % 7},00"),
]


def measure_editor(
    app: QApplication, folder: Path, application_id: str, edits: int
) -> dict[str, list[float]]:
    workspace = Workspace.open(folder)
    writer = StoreWriter(folder)
    enqueue: list[float] = []
    submit = writer.submit

    def timed_submit(*args: Any, **kwargs: Any) -> None:
        start = time.perf_counter()
        submit(*args, **kwargs)
        enqueue.append(time.perf_counter() - start)

    writer.submit = timed_submit  # type: ignore[method-assign]
    session = ApplicationSession(workspace, writer, QUndoStack(), application_id)
    editor = BudgetEditor(session)
    editor.resize(*SIZE)
    editor.show()
    app.processEvents()
    model = editor.model
    rows = model.rowCount()
    times: dict[str, list[float]] = {
        "model": [],
        "enqueue": enqueue,
        "paint": [],
        "validate": [],
        "total": [],
    }
    session.findings()
    for number in range(edits):
        field, text = EDITS[number % len(EDITS)]
        # Spread over the table, also rows outside the visible part.
        row = (number * 37) % rows
        index = model.index(row, COLUMN_OF_FIELD[field])
        editor.table.setCurrentIndex(index)
        app.processEvents()
        start = time.perf_counter()
        if not model.setData(index, text(number)):
            raise SystemExit(f"edit {number} refused: {editor.status.text()}")
        updated = time.perf_counter()
        app.processEvents()
        painted = time.perf_counter()
        session.findings()
        validated = time.perf_counter()
        times["model"].append(updated - start)
        times["paint"].append(painted - updated)
        times["validate"].append(validated - painted)
        times["total"].append(validated - start)
    writer.close()
    editor.close()
    workspace.close()
    return times


def measure_baseline(app: QApplication, rows: int, edits: int) -> list[float]:
    model = QStandardItemModel(rows, len(COLUMNS))
    for row in range(rows):
        for column in range(len(COLUMNS)):
            model.setItem(row, column, QStandardItem(f"{row},{column}"))
    view = QTableView()
    view.setModel(model)
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    times = []
    for number in range(edits):
        index = model.index((number * 37) % rows, 5)
        view.setCurrentIndex(index)
        app.processEvents()
        start = time.perf_counter()
        model.setData(index, f"{100 + number % 50},50")
        app.processEvents()
        times.append(time.perf_counter() - start)
    view.close()
    return times


def ms(value: float) -> str:
    return f"{value * 1000:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()

    keep_none_alive()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="mms-bench-") as temp:
        folder = Path(temp)
        application_id = big_application(folder, args.lines)
        times = measure_editor(app, folder, application_id, args.edits)
    baseline = measure_baseline(app, args.lines, args.edits)

    print(
        f"Budget editor, {args.lines} cost lines, {args.edits} edits "
        f"(platform {app.platformName()})"
    )
    print(f"{'per edit':38} {'median':>10} {'p99':>10}")
    for key, label in (
        ("model", "model update (setData via the session)"),
        ("enqueue", "  of which autosave enqueue"),
        ("paint", "repaint + summary (one event loop run)"),
        ("validate", "full validation (session.findings)"),
        ("total", "whole edit"),
    ):
        values = times[key]
        print(f"{label:38} {ms(statistics.median(values)):>10} {ms(percentile(values, 0.99)):>10}")
    print(
        f"{'baseline: QStandardItemModel.setData':38} {ms(statistics.median(baseline)):>10} "
        f"{ms(percentile(baseline, 0.99)):>10}"
    )
    ratio = statistics.median(times["total"]) / statistics.median(baseline)
    print(f"ratio whole edit / baseline (median): {ratio:.1f}×")
    p99 = percentile(times["total"], 0.99) * 1000
    print(
        f"target per-edit < {TARGET_MS:g} ms (p99 {p99:.2f} ms): "
        f"{'met' if p99 < TARGET_MS else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
