"""The panel's list of a call with 20,000 submissions against a bare ``SELECT … LIMIT 50``.

A store (SQLite in a temporary folder; ``--postgresql`` also a cluster started
for the run from Debian's binaries) is filled with ``--submissions``
applications of one call through ``add_submission`` (each its own transaction,
as the server stores them): the demo application, 10 kB of canonical JSON,
from 40 organisations in 3 powiats, every tenth one a corrected second version.

Then, each timed ``--runs`` times, median in milliseconds:

- ``page``: the first page of the list (50 rows, newest first) as a signed-in
  reviewer's browser gets it: GET over HTTP from the real server (waitress),
  session checked, count and page queried, HTML rendered;
- ``page, filtered``: the same with a powiat, a status and a search;
- ``store query``: only the store's part of ``page`` (count and page);
- ``bare SELECT``: the first page's rows, ``SELECT`` of the list's columns of the
  call's newest versions ``… ORDER BY received_at DESC LIMIT 50`` on the same
  database through the same index, by a connection of its own (the baseline: no
  count, no organisation names, no session, no HTTP, no HTML);
- ``health``: GET /api/v1/health on the same server (what HTTP alone costs).

The ratios are to the bare SELECT of the same run; the machines are shared and
noisy, so read the ratios.

    .venv/bin/python benchmarks/panel_list.py [--submissions 20000] [--postgresql]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # postgres_support

import requests

from mms_desktop.domain.canonical import application_document, encode, sha256_hex
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization
from mms_operator.app import create_app
from mms_operator.server import create_server
from mms_operator.sqlite_store import SqliteOperatorStore
from mms_operator.staff import hash_password
from mms_operator.store import NewSubmission, Role, SubmissionFilter, utc_now
from mms_operator.summary import document_summary
from mms_operator.tokens import token_hash

PASSWORD = "hasło do pomiarów 2027"
POWIATS = ("suski", "wadowicki", "myślenicki")


def timed(action: Callable[[], object], runs: int) -> float:
    action()  # warm: connections opened, templates compiled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill(store: Any, count: int) -> None:
    call = next(k for k in bundled_calls() if k.definition.id == DEMO_CALL_ID).definition
    organization = demo_organization()
    template = application_document(
        demo_application(organization.id, call), organization, call.id, call.version
    )
    organizations = [
        store.add_organization(f"KGW nr {n}", token_hash(f"token-{n}"), utc_now())
        for n in range(40)
    ]
    record_ids: list[str] = []
    started = time.perf_counter()
    for n in range(count):
        document = json.loads(json.dumps(template))
        corrected = n % 10 == 9 and record_ids
        record = record_ids[-1] if corrected else str(uuid.uuid4())
        record_ids.append(record)
        document["application"]["id"] = record
        document["application"]["title"] = f"Projekt nr {n} – warsztaty i piknik"
        document["organization"]["powiat"] = POWIATS[n % 3]
        data = encode(document)
        owner = organizations[(n - 1 if corrected else n) % 40]
        store.add_submission(
            NewSubmission(
                submission_id=str(uuid.uuid4()),
                organization_id=owner.id,
                kind="application",
                title=document["application"]["title"],
                document=data,
                content_sha256=sha256_hex(data),
                attachments=(),
                received_at=utc_now(),
                summary=document_summary("application", document),
            )
        )
    print(f"  filled {count} submissions in {time.perf_counter() - started:.0f} s", flush=True)


def measure(name: str, store: Any, bare: Callable[[], object], count: int, runs: int) -> None:
    fill(store, count)
    member = store.add_staff(
        "pomiar@operator.example.pl", Role.REVIEWER, hash_password(PASSWORD), utc_now()
    )
    # Past the first sign-in's password change: the list, not the password form.
    store.set_staff_password(member.id, hash_password(PASSWORD), temporary=False)
    app = create_app(store)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    browser = requests.Session()
    form = browser.get(f"{url}/panel/login", timeout=30).text
    token = re.findall(r'name="csrf_token" value="([^"]+)"', form)[0]
    browser.post(
        f"{url}/panel/login",
        data={"csrf_token": token, "email": "pomiar@operator.example.pl", "password": PASSWORD},
        timeout=30,
    )
    list_url = f"{url}/panel/calls/{DEMO_CALL_ID}/submissions"

    def page() -> None:
        answer = browser.get(list_url, timeout=30)
        assert answer.status_code == 200 and "W-0" in answer.text, answer.status_code

    def filtered() -> None:
        answer = browser.get(
            list_url,
            params={"powiat": "suski", "status": "received", "q": "piknik"},
            timeout=30,
        )
        assert answer.status_code == 200 and "W-0" in answer.text

    def query() -> None:
        store.submission_page(SubmissionFilter(call_id=DEMO_CALL_ID), limit=50)

    figures = {
        "bare SELECT": timed(bare, runs),
        "store query": timed(query, runs),
        "page": timed(page, runs),
        "page, filtered": timed(filtered, runs),
        "health": timed(lambda: browser.get(f"{url}/api/v1/health", timeout=30), runs),
    }
    server.close()
    base, http = figures["bare SELECT"], figures["health"]
    print(f"{name}: {count} submissions, median of {runs} runs")
    for label, value in figures.items():
        print(
            f"  {label:>15}  {value:8.2f} ms  {value / base:8.1f}× the bare SELECT"
            f"  {value / http:6.1f}× health"
        )


# The first page's rows without the panel: the same rows, columns and order, read
# through the same index; no count, no organisation names, no HTTP, no HTML.
BARE = (
    "SELECT submission_id, server_id, title, status, received_at, powiat, grant_grosze "
    f"FROM submissions WHERE call_id = '{DEMO_CALL_ID}' AND latest = 1 "
    "ORDER BY received_at DESC LIMIT 50"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        import sqlite3

        store = SqliteOperatorStore(Path(folder) / "sqlite")
        connection = sqlite3.connect(store.db_path)
        try:
            measure(
                "SQLite",
                store,
                lambda: connection.execute(BARE).fetchall(),
                args.submissions,
                args.runs,
            )
        finally:
            connection.close()
            store.close()
        if args.postgresql:
            import psycopg
            from postgres_support import start_postgres

            from mms_operator.postgres_store import PostgresOperatorStore

            server = start_postgres()
            try:
                url = server.new_database()
                pg_store = PostgresOperatorStore(url, Path(folder) / "pg")
                with psycopg.connect(url, autocommit=True) as pg:
                    measure(
                        "PostgreSQL",
                        pg_store,
                        lambda: pg.execute(BARE).fetchall(),
                        args.submissions,
                        args.runs,
                    )
                pg_store.close()
            finally:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
