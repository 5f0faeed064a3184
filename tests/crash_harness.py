"""Kill a process that saves edits, again and again, and check what survived.

Run as a script (``python crash_harness.py DATA_DIR ROUNDS SEED``) so the
forks happen in a plain process, not in pytest with Qt loaded. Each round
forks a child that opens the store and saves edits in a loop — a title, a
report summary (a whole JSON list column), and every third edit a cost line
plus the title in one transaction — writing the edit's number to a pipe
after each save returns. The parent kills the child with SIGKILL after a
random moment, then opens the store as the program would and checks: it
opens, ``integrity_check`` is ok, and every edit reported saved is there
(at most the one in flight beyond it). Prints a JSON summary.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from decimal import Decimal
from pathlib import Path

import sqlite_utils  # noqa: F401  (loaded once here, not in each child before its first save)

from mms_desktop.domain.application import BudgetLine
from mms_desktop.paths import DataDir
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.store import BUDGET, Store


def edit(store: Store, application_id: str, report_id: str, number: int) -> None:
    if number % 3 == 0:
        with store.transaction():  # both or neither
            store.add_row(
                BUDGET,
                application_id,
                BudgetLine(f"line-{number}", name=f"koszt {number}", unit_cost=Decimal("1.00")),
            )
            store.update_application(application_id, title=f"edycja {number}")
    elif number % 3 == 1:
        store.update_application(application_id, title=f"edycja {number}")
    else:
        store.update_application(application_id, title=f"edycja {number}")
        store.update_report(report_id, summary=f"opis {number} " + "ż" * (number % 500))


def child(root: Path, application_id: str, report_id: str, start: int, out: int) -> None:
    store = Store.open(DataDir(root).store)
    number = start
    while True:
        number += 1
        edit(store, application_id, report_id, number)
        os.write(out, f"{number}\n".encode())  # only after the save returned


def last_reported(data: bytes) -> int | None:
    lines = [line for line in data.decode().split("\n") if line]
    return int(lines[-1]) if lines else None


def check(root: Path, application_id: str) -> tuple[int, set[str], str]:
    """Open as the program would; the latest edit number, the cost lines, integrity."""
    with Store.open(DataDir(root).store) as store:  # runs quick_check: refuses damage
        integrity = str(store._conn.execute("PRAGMA integrity_check").fetchone()[0])
        application = store.load_application(application_id)
    title = application.title
    number = int(title.split()[-1]) if title.startswith("edycja") else 0
    lines = {line.id for line in application.budget if line.id.startswith("line-")}
    return number, lines, integrity


def main() -> int:
    root, rounds, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    chance = random.Random(seed)
    with Workspace.open(root) as workspace:
        ids = workspace.create_demo()
    application_id, report_id = ids.application_id, ids.report_id
    summary: dict[str, object] = {"rounds": 0, "killed_mid_save": 0, "failures": []}
    failures: list[str] = summary["failures"]  # type: ignore[assignment]
    edits_seen = 0
    current, _, _ = check(root, application_id)
    for round_number in range(rounds):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: save until killed
            os.close(read_end)
            try:
                child(root, application_id, report_id, current, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        time.sleep(chance.uniform(0.002, 0.04))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        chunks = []
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
        os.close(read_end)
        reported = last_reported(b"".join(chunks))
        number, lines, integrity = check(root, application_id)
        floor = current if reported is None else reported
        if integrity != "ok":
            failures.append(f"round {round_number}: integrity_check {integrity}")
        if not floor <= number <= floor + 1:
            failures.append(f"round {round_number}: reported {floor}, store holds {number}")
        expected_lines = {f"line-{n}" for n in range(3, number + 1, 3)}
        if lines != expected_lines:
            failures.append(f"round {round_number}: cost lines {sorted(lines ^ expected_lines)}")
        if number == floor + 1:
            summary["killed_mid_save"] = int(summary["killed_mid_save"]) + 1  # type: ignore[call-overload]
        edits_seen += number - current
        current = number
        summary["rounds"] = round_number + 1
    summary["edits"] = edits_seen
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
