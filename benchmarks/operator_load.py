"""The operator under load and under attack, against a trivial endpoint on the same server.

Concurrent desktops (threads, one organisation and one HTTP session each) PUT
realistic submissions: the demo application (about 10 kB of canonical JSON,
each with its own organisation and a fresh submission id) over real HTTP to
the real operator (app, waitress set up by ``mms_operator.server``, SQLite
store in a temporary folder, 4 worker threads as ``serve`` starts it).

Baseline, in the same run with the same client threads: a trivial Flask
application on a waitress server set up the same way, whose one route reads
the same body and answers a small JSON object. The ratios say what the
operator's own work costs (auth, parse, schema check, quotas, the fsynced
write); the machines are shared and noisy, so read the ratios.

Then four hostile requests run at once, in a loop (each a few kilobytes of
gzip that unpack to an application with a 2-million-item array), while one
honest desktop sends: its slowest submission is reported (before the fix, a
normal submission waited about 60 s).

    .venv/bin/python benchmarks/operator_load.py [--requests 40] [--desktops 20 50]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
from flask import Flask, jsonify, request

from mms_desktop.domain.canonical import application_document, encode, sha256_hex
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization
from mms_operator.app import create_app
from mms_operator.cli import main as operator_main
from mms_operator.server import create_server
from mms_operator.sqlite_store import SqliteOperatorStore

DEADLINE_S = 600.0  # the whole run stops here, finished or not
HOSTILE_S = 8.0
THREADS = 4  # as `mms-operator serve` starts it


class Running:
    def __init__(self, app: Any) -> None:
        self.server = create_server(app, host="127.0.0.1", port=0, threads=THREADS)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.close()
        self.server.task_dispatcher.shutdown()
        self.thread.join(timeout=10)


def trivial_app() -> Flask:
    app = Flask("trivial")

    @app.route("/api/v1/submissions/<submission_id>", methods=["PUT"])
    def put(submission_id: str) -> Any:
        body = request.get_data()
        return jsonify({"submission_id": submission_id, "size": len(body)}), 201

    return app


def add_organization(data_dir: Path, name: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = operator_main(["--data-dir", str(data_dir), "add-organization", name])
    if code != 0:
        raise SystemExit("could not add an organisation")
    return out.getvalue().strip().splitlines()[-1]


def desktop_document() -> bytes:
    """The demo application of a desktop's own organisation."""
    call = next(k for k in bundled_calls() if k.definition.id == DEMO_CALL_ID).definition
    organization = demo_organization()
    application = demo_application(organization.id, call)
    return encode(application_document(application, organization, call.id, call.version))


def send(session: requests.Session, url: str, token: str, data: bytes) -> float:
    started = time.perf_counter()
    response = session.put(
        f"{url}/api/v1/submissions/{uuid.uuid4()}",
        data=data,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "X-Content-SHA256": sha256_hex(data),
        },
        timeout=60,
    )
    if response.status_code != 201:
        raise SystemExit(f"submission refused: {response.status_code} {response.text[:300]}")
    return time.perf_counter() - started


def load(url: str, tokens: list[str], documents: list[bytes], count: int) -> dict[str, float]:
    """Every desktop sends ``count`` submissions as fast as answers come."""
    latencies: list[float] = []
    lock = threading.Lock()

    def desktop(number: int) -> None:
        with requests.Session() as session:
            send(session, url, tokens[number], documents[number])  # connect, warm up
            mine = [send(session, url, tokens[number], documents[number]) for _ in range(count)]
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        list(pool.map(desktop, range(len(tokens))))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "throughput": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


def under_attack(url: str, attacker: str, honest: str, document: bytes) -> dict[str, float]:
    """Four hostile requests at once, in a loop; one honest desktop sends meanwhile."""
    hostile = json.loads(document)
    hostile["attachments"] = [0] * 2_000_000
    raw = json.dumps(hostile).encode()
    payload = gzip.compress(raw)
    stop = time.monotonic() + HOSTILE_S
    refusals: list[float] = []

    def attack() -> None:
        with requests.Session() as session:
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = session.put(
                    f"{url}/api/v1/submissions/{uuid.uuid4()}",
                    data=payload,
                    headers={
                        "Authorization": f"Bearer {attacker}",
                        "Content-Type": "application/json",
                        "Content-Encoding": "gzip",
                        "X-Content-SHA256": sha256_hex(raw),
                    },
                    timeout=120,
                )
                if response.status_code < 400:
                    raise SystemExit("a hostile document was accepted")
                refusals.append(time.perf_counter() - started)

    honest_times: list[float] = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        attacks = [pool.submit(attack) for _ in range(4)]
        time.sleep(1.0)
        with requests.Session() as session:
            while time.monotonic() < stop - 0.5:
                honest_times.append(send(session, url, honest, document))
                time.sleep(0.2)
        for done in attacks:
            done.result()
    return {
        "payload_kb": len(payload) / 1024,
        "hostile_max": max(refusals),
        "hostile_count": len(refusals),
        "honest_max": max(honest_times),
        "honest_p50": statistics.median(honest_times),
        "honest_count": len(honest_times),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="per desktop and round")
    parser.add_argument("--desktops", type=int, nargs="+", default=[20, 50])
    args = parser.parse_args()
    began = time.perf_counter()
    most = max(args.desktops)
    documents = [desktop_document() for _ in range(most)]
    results: list[tuple[int, dict[str, float], dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="mms-bench-operator-") as folder:
        data_dir = Path(folder) / "operator"
        store = SqliteOperatorStore(data_dir)
        tokens = [add_organization(data_dir, f"Organizacja {n}") for n in range(most + 2)]
        operator = Running(create_app(store))
        trivial = Running(trivial_app())
        try:
            for desktops in args.desktops:
                if time.perf_counter() - began > DEADLINE_S:
                    print("deadline passed")
                    return 1
                # Alternate, so a slow moment of a shared machine hits both alike.
                base = load(trivial.url, tokens[:desktops], documents, args.requests)
                real = load(operator.url, tokens[:desktops], documents, args.requests)
                results.append((desktops, real, base))
            attack = under_attack(operator.url, tokens[-1], tokens[-2], documents[0])
        finally:
            operator.close()
            trivial.close()
    size = len(documents[0]) / 1024
    print(f"submission: the demo application, {size:.1f} kB; {THREADS} server threads")
    print(
        f"{'desktops':>8}  {'operator req/s':>14}  {'trivial req/s':>13}  {'slower ×':>8}"
        f"  {'operator p99':>12}  {'trivial p99':>11}  {'p99 ×':>6}"
    )
    for desktops, real, base in results:
        print(
            f"{desktops:>8}  {real['throughput']:>14.0f}  {base['throughput']:>13.0f}"
            f"  {base['throughput'] / real['throughput']:>8.2f}"
            f"  {real['p99'] * 1000:>9.1f} ms  {base['p99'] * 1000:>8.1f} ms"
            f"  {real['p99'] / base['p99']:>6.2f}"
        )
    print(
        f"under attack: 4 hostile requests at once ({attack['payload_kb']:.1f} kB of gzip, "
        f"2 000 000 items), {attack['hostile_count']:.0f} refused, slowest refusal "
        f"{attack['hostile_max'] * 1000:.0f} ms"
    )
    print(
        f"              a normal submission meanwhile: slowest "
        f"{attack['honest_max'] * 1000:.0f} ms, median {attack['honest_p50'] * 1000:.0f} ms "
        f"({attack['honest_count']:.0f} sent)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
