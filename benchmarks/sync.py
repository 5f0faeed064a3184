"""Sending the outbox to a real operator over loopback.

200 frozen documents (of a test kind with attachments), each listing one 1 MB
attachment; half of the attachments are on the operator before the run. The
outbox is sent by the real ``send_outbox`` with a real ``OperatorClient`` to the
real operator app served by waitress, with its real SQLite store and blob folder.

Reported: total time, submissions per second, and the bytes the client sent as
a ratio to the payload (the documents plus the attachments NOT yet on the
server; a ratio near 1 means nothing was sent twice and nothing needlessly).

Baseline, in the same run against the same server: a bare ``requests.Session``
loop PUTting the same number of bytes, in the same sizes, to the blob endpoint
(fresh random content, so the server hashes and stores each one, as it does
for the real run). The machines are shared and noisy, so read the ratios.

    .venv/bin/python benchmarks/sync.py [--count 200] [--size-kb 1024]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
import waitress

from mms_desktop.domain.application import ApplicationStatus
from mms_desktop.domain.canonical import encode, sha256_hex
from mms_desktop.resources import resource_path
from mms_desktop.services import sending
from mms_desktop.services.attachments import store_attachment
from mms_desktop.services.workspace import Workspace
from mms_desktop.sync.client import OperatorClient
from mms_operator.app import MIB, Limits, create_app
from mms_operator.cli import main as operator_main
from mms_operator.sqlite_store import SqliteOperatorStore
from mms_operator.validation import SchemaCatalog

DEADLINE_S = 600.0  # the whole run stops here, finished or not
EVIDENCE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema", "schema_version", "evidence", "attachments"],
    "properties": {
        "schema": {"const": "mms-evidence"},
        "schema_version": {"const": 1},
        "evidence": {"type": "object", "required": ["title"]},
        "attachments": {"type": "array"},
    },
}


class Server:
    def __init__(self, root: Path) -> None:
        schemas = root / "schemas"
        shutil.copytree(resource_path("schemas"), schemas)
        (schemas / "evidence.schema.json").write_text(json.dumps(EVIDENCE_SCHEMA))
        self.data_dir = root / "operator"
        limits = Limits()
        app = create_app(
            SqliteOperatorStore(self.data_dir), limits=limits, schemas=SchemaCatalog(schemas)
        )
        self.server = waitress.create_server(
            app,
            host="127.0.0.1",
            port=0,
            threads=4,
            max_request_body_size=limits.blob_bytes + MIB,
        )
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def token(self) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = operator_main(["--data-dir", str(self.data_dir), "add-organization", "Bench"])
        if code != 0:
            raise SystemExit("could not add an organisation")
        return out.getvalue().strip().splitlines()[-1]

    def close(self) -> None:
        self.server.close()
        self.server.task_dispatcher.shutdown()
        self.thread.join(timeout=10)


def prepare(
    workspace: Workspace, server: Server, token: str, count: int, size: int
) -> tuple[int, list[int]]:
    """Freeze and queue ``count`` documents; upload every other attachment beforehand.

    Returns (payload bytes still to send, sizes of every body the real run must send).
    """
    application_id = workspace.create_demo().application_id
    payload = 0
    bodies: list[int] = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        for number in range(count):
            blob = os.urandom(size)
            sha = store_attachment(workspace.data_dir, blob)
            if number % 2 == 0:
                response = session.put(f"{server.url}/api/v1/blobs/{sha}", data=blob, timeout=60)
                response.raise_for_status()
            else:
                payload += len(blob)
                bodies.append(len(blob))
            data = encode(
                {
                    "schema": "mms-evidence",
                    "schema_version": 1,
                    "evidence": {"title": f"Sprawozdanie nr {number}"},
                    "attachments": [{"sha256": sha, "name": f"skan-{number}.pdf", "size": size}],
                }
            )
            with workspace.store.transaction():
                version = workspace.store.freeze_version(
                    application_id, data.decode(), sha256_hex(data), ApplicationStatus.QUEUED
                )
                workspace.store.enqueue(version.id, application_id)
            payload += len(data)
            bodies.append(len(data))
    return payload, bodies


def baseline(server: Server, token: str, sizes: list[int]) -> tuple[float, int]:
    """The same bodies' sizes, fresh content, PUT to the blob endpoint by a bare loop."""
    bodies = [os.urandom(size) for size in sizes]
    sent = 0
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        for body in bodies:
            sha = hashlib.sha256(body).hexdigest()
            response = session.put(f"{server.url}/api/v1/blobs/{sha}", data=body, timeout=60)
            response.raise_for_status()
            sent += len(body)
        elapsed = time.perf_counter() - started
    return elapsed, sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=1024)
    args = parser.parse_args()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mms-bench-sync-") as folder:
        root = Path(folder)
        server = Server(root)
        try:
            token = server.token()
            with Workspace.open(root / "dane") as workspace:
                payload, sizes = prepare(workspace, server, token, args.count, args.size_kb * 1024)
                client = OperatorClient(server.url, token)
                report = sending.SyncReport()
                started = time.perf_counter()
                client.health()
                sending.send_outbox(workspace, client, datetime.now(UTC), True, report)
                elapsed = time.perf_counter() - started
                client.close()
                if report.sent != args.count:
                    print(f"only {report.sent} of {args.count} sent: {report.messages[:3]}")
                    return 1
            if time.perf_counter() - began > DEADLINE_S:
                print("deadline passed before the baseline")
                return 1
            base_elapsed, base_sent = baseline(server, token, sizes)
        finally:
            server.close()
    mb = payload / 1e6
    print(f"submissions:            {args.count} (each with one {args.size_kb} KB attachment,")
    print(f"                        half already on the server); payload {mb:.1f} MB")
    print(f"send_outbox:            {elapsed:.2f} s, {args.count / elapsed:.1f} submissions/s,")
    print(f"                        {mb / elapsed:.1f} MB/s of payload")
    print(f"bytes sent / payload:   {client.bytes_sent / payload:.4f}")
    print(f"baseline (bare PUTs):   {base_elapsed:.2f} s for {base_sent / 1e6:.1f} MB")
    print(f"time ratio app/bare:    {elapsed / base_elapsed:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
