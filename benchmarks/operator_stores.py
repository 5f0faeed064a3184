"""200 desktops syncing at once: the operator on PostgreSQL against the operator on SQLite.

Each desktop (a thread with its own organisation, token and HTTP session)
sends ``--requests`` new submissions (the demo application, about 10 kB of
canonical JSON, each under a fresh id) and then sends its last one again, as a
desktop does after a dropped connection, all released at the same moment.
The server is the real one (app, waitress set up by ``mms_operator.server``,
``--threads`` worker threads) on each store in turn:

- SQLite in a temporary folder (``synchronous=FULL``, WAL), the default;
- PostgreSQL: a cluster started for the run from Debian's binaries
  (tests/postgres_support.py) with its default durability (fsync on, commits
  flushed), on 127.0.0.1.

Counted afterwards in each store: lost (a receipt the desktop holds whose
submission is missing or has another hash), duplicated (rows beyond one per
id; a repeat that got a new receipt). The machines are shared and noisy: read
the ratios, which are of one run.

    .venv/bin/python benchmarks/operator_stores.py [--desktops 200] [--requests 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # postgres_support

import requests
from postgres_support import start_postgres

from mms_desktop.domain.canonical import application_document, encode, sha256_hex
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization
from mms_operator.app import create_app
from mms_operator.postgres_store import PostgresOperatorStore
from mms_operator.server import create_server
from mms_operator.sqlite_store import SqliteOperatorStore
from mms_operator.store import utc_now
from mms_operator.tokens import new_token, token_hash


def desktop_document(title: str) -> bytes:
    call = next(k for k in bundled_calls() if k.definition.id == DEMO_CALL_ID).definition
    organization = demo_organization()
    document = application_document(
        demo_application(organization.id, call), organization, call.id, call.version
    )
    document["application"]["title"] = title
    return encode(document)


def run(store: Any, desktops: int, count: int, threads: int) -> dict[str, float]:
    tokens = []
    for n in range(desktops):
        token = new_token()
        store.add_organization(f"Organizacja {n}", token_hash(token), utc_now())
        tokens.append(token)
    documents = [desktop_document(f"Wniosek {n}") for n in range(desktops)]
    server = create_server(create_app(store), host="127.0.0.1", port=0, threads=threads)
    url = f"http://127.0.0.1:{server.effective_port}/api/v1/submissions"
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    latencies: list[float] = []
    receipts: list[tuple[str, str]] = []  # (id, hash) of every receipt a desktop keeps
    repeats_new = 0
    lock = threading.Lock()
    barrier = threading.Barrier(desktops + 1)

    def desktop(number: int) -> None:
        nonlocal repeats_new
        data = documents[number]
        headers = {
            "Authorization": f"Bearer {tokens[number]}",
            "Content-Type": "application/json",
            "X-Content-SHA256": sha256_hex(data),
        }
        mine: list[float] = []
        kept: list[tuple[str, str]] = []
        with requests.Session() as session:
            barrier.wait()
            ids = [str(uuid.uuid4()) for _ in range(count)] + [""]
            ids[-1] = ids[-2]  # the last one again, as after a dropped connection
            for position, submission_id in enumerate(ids):
                started = time.perf_counter()
                response = session.put(
                    f"{url}/{submission_id}", data=data, headers=headers, timeout=300
                )
                mine.append(time.perf_counter() - started)
                if response.status_code not in (200, 201):
                    raise SystemExit(f"refused: {response.status_code} {response.text[:300]}")
                receipt = response.json()
                kept.append((receipt["submission_id"], receipt["content_sha256"]))
                if position == count and response.status_code != 200:
                    with lock:
                        repeats_new += 1
        with lock:
            latencies.extend(mine)
            receipts.extend(kept)

    workers = [threading.Thread(target=desktop, args=(n,)) for n in range(desktops)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    server.close()
    server.task_dispatcher.shutdown()
    serving.join(timeout=10)

    stored = store.submissions()
    by_id = {item.submission_id: item.content_sha256 for item in stored}
    lost = sum(1 for submission_id, sha in set(receipts) if by_id.get(submission_id) != sha)
    duplicated = len(stored) - len(by_id) + repeats_new + (len(by_id) - len(set(receipts)))
    latencies.sort()
    return {
        "submissions": len(latencies),
        "throughput": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
        "lost": lost,
        "duplicated": duplicated,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktops", type=int, default=200)
    parser.add_argument("--requests", type=int, default=5, help="new submissions per desktop")
    parser.add_argument("--threads", type=int, default=4, help="server worker threads")
    args = parser.parse_args()
    postgres = start_postgres(durable=True)
    results: dict[str, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="mms-bench-stores-") as folder:
            sqlite_store = SqliteOperatorStore(Path(folder) / "sqlite")
            try:
                results["sqlite"] = run(sqlite_store, args.desktops, args.requests, args.threads)
            finally:
                sqlite_store.close()
            pg_store = PostgresOperatorStore(postgres.new_database(), Path(folder) / "postgresql")
            try:
                results["postgresql"] = run(pg_store, args.desktops, args.requests, args.threads)
            finally:
                pg_store.close()
    finally:
        postgres.stop()
    print(
        f"{args.desktops} desktops at once, {args.requests} new submissions and 1 repeat each, "
        f"{args.threads} server threads"
    )
    print(f"{'store':>10}  {'subm./s':>8}  {'p50':>9}  {'p99':>9}  {'lost':>4}  {'dup.':>4}")
    for name, found in results.items():
        print(
            f"{name:>10}  {found['throughput']:>8.0f}  {found['p50'] * 1000:>6.0f} ms"
            f"  {found['p99'] * 1000:>6.0f} ms  {found['lost']:>4.0f}  {found['duplicated']:>4.0f}"
        )
    pg, lite = results["postgresql"], results["sqlite"]
    print(
        f"PostgreSQL / SQLite: throughput ×{pg['throughput'] / lite['throughput']:.2f}, "
        f"p99 ×{pg['p99'] / lite['p99']:.2f}"
    )
    return 0 if all(r["lost"] == 0 and r["duplicated"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
