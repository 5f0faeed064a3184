"""The operator service as a client meets it: a real server on loopback, on each store.

The module runs twice: on a real SQLite file, and on a real PostgreSQL server
(started by the tests, see postgres_support). One waitress server runs in a
thread for each, on a fresh data folder (and a fresh database);
organisations and their tokens are made with the real command line. Every
answer is checked against the OpenAPI document, which a test also keeps in
step with the routes the app registers, and schemathesis fuzzes the protocol.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from operator_support import EVIDENCE_SCHEMA, serve_in_a_process, stop_serving
from operator_support import run_operator_cli as run_cli
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mms_desktop.domain.canonical import application_document, control_sum, encode, sha256_hex
from mms_desktop.resources import resource_path
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization
from mms_operator.app import MIB, PREFIX, Limits, create_app
from mms_operator.postgres_store import PostgresOperatorStore
from mms_operator.server import create_server
from mms_operator.sqlite_store import DB_FILE, SqliteOperatorStore
from mms_operator.store import StoreTooNewError
from mms_operator.validation import SchemaCatalog
from tests.wine import stop_under_wine

OPENAPI_PATH = resource_path("openapi", "mms-operator-v1.json")
OPENAPI: dict[str, Any] = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
OPENAPI_URI = "urn:mms-operator:openapi:v1"
LIMITS = Limits()  # the defaults a real operator runs with


# --- helpers ----------------------------------------------------------------------------


STORES = ["sqlite", "postgresql"]


def open_store(
    kind: str, data_dir: Path, request: pytest.FixtureRequest
) -> SqliteOperatorStore | PostgresOperatorStore:
    """A fresh store of ``kind``: an SQLite file, or a new database on the session's server."""
    if kind == "sqlite":
        return SqliteOperatorStore(data_dir)
    server = request.getfixturevalue("postgres_server")
    return PostgresOperatorStore(server.new_database(), data_dir)


@dataclass
class Live:
    url: str
    data_dir: Path
    store: SqliteOperatorStore | PostgresOperatorStore

    def api(self, path: str) -> str:
        return f"{self.url}{PREFIX}{path}"

    @property
    def kind(self) -> str:
        return "postgresql" if isinstance(self.store, PostgresOperatorStore) else "sqlite"

    def where(self) -> list[object]:
        """The command line's options naming this store."""
        if isinstance(self.store, PostgresOperatorStore):
            return ["--data-dir", self.data_dir, "--database", self.store.url]
        return ["--data-dir", self.data_dir]

    def cli(self, *args: object) -> tuple[int, str, str]:
        return run_cli(*self.where(), *args)

    def add_organization(self, name: str) -> str:
        code, out, err = self.cli("add-organization", name)
        assert code == 0, err
        return out.strip().splitlines()[-1]

    def rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        """Every row of every table, read by a connection of its own."""
        found: list[tuple[str, tuple[Any, ...]]] = []
        if isinstance(self.store, PostgresOperatorStore):
            import psycopg

            with psycopg.connect(self.store.url) as pg:
                tables = [
                    row[0]
                    for row in pg.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ]
                for table in sorted(tables):
                    rows = pg.execute(f'SELECT * FROM "{table}"').fetchall()
                    found += sorted(((table, tuple(row)) for row in rows), key=repr)
            return found
        conn = sqlite3.connect(f"file:{self.data_dir / DB_FILE}?mode=ro", uri=True)
        try:
            tables = [
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in sorted(tables):
                for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                    found.append((table, tuple(row)))
        finally:
            conn.close()
        return found

    def digest(self) -> str:
        """Every row of every table, and every blob file name: what "nothing stored" means."""
        digest = hashlib.sha256()
        for row in self.rows():
            digest.update(repr(row).encode())
        for path in sorted((self.data_dir / "blobs").rglob("*")):
            digest.update(str(path.relative_to(self.data_dir)).encode())
        return digest.hexdigest()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# One organisation, as on a real desktop: its id is what a login without a NIP binds to.
ORGANIZATION = demo_organization()


def application_bytes(title: str | None = None) -> bytes:
    """A real canonical application document, as the desktop app sends it."""
    call = next(k for k in bundled_calls() if k.definition.id == DEMO_CALL_ID).definition
    organization = ORGANIZATION
    application = demo_application(organization.id, call)
    document = application_document(application, organization, call.id, call.version)
    if title is not None:
        document["application"]["title"] = title
    return encode(document)


def evidence_bytes(*blobs: bytes) -> bytes:
    return encode(
        {
            "schema": "mms-evidence",
            "schema_version": 1,
            "evidence": {"title": "Zdjęcia z warsztatów"},
            "attachments": [
                {"sha256": sha256_hex(blob), "name": f"zdjęcie-{n}.jpg", "size": len(blob)}
                for n, blob in enumerate(blobs, start=1)
            ],
        }
    )


def put_document(
    live: Live,
    token: str,
    data: bytes,
    *,
    submission_id: str | None = None,
    sha256: str | None = None,
    gzipped: bool = False,
) -> requests.Response:
    headers = {
        **auth(token),
        "Content-Type": "application/json",
        "X-Content-SHA256": sha256 or sha256_hex(data),
    }
    body = data
    if gzipped:
        body = gzip.compress(data)
        headers["Content-Encoding"] = "gzip"
    return requests.put(
        live.api(f"/submissions/{submission_id or uuid.uuid4()}"),
        data=body,
        headers=headers,
        timeout=30,
    )


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


_REGISTRY = Registry().with_resource(
    OPENAPI_URI, Resource.from_contents(OPENAPI, default_specification=DRAFT202012)
)


def assert_documented(response: requests.Response, path: str, method: str) -> None:
    """The status is documented for the operation, and the JSON fits its schema."""
    operation = OPENAPI["paths"][path][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path}: {status} is not documented"
    documented = operation["responses"][status]
    pointer = _pointer("paths", path, method.lower(), "responses", status)
    if "$ref" in documented:
        name = documented["$ref"].rsplit("/", 1)[-1]
        documented = OPENAPI["components"]["responses"][name]
        pointer = _pointer("components", "responses", name)
    if "content" not in documented:
        return
    assert response.headers["Content-Type"].startswith("application/json")
    schema = {"$ref": f"{OPENAPI_URI}#/{pointer}/content/application~1json/schema"}
    jsonschema.Draft202012Validator(
        schema, registry=_REGISTRY, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(response.json())


def assert_error(
    response: requests.Response, status: int, code: str, path: str, method: str
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert_documented(response, path, method)
    return dict(error)


SUBMISSION = "/api/v1/submissions/{submission_id}"
SUBMISSIONS = "/api/v1/submissions"
BLOB = "/api/v1/blobs/{sha256}"
CALLS = "/api/v1/calls"
HEALTH = "/api/v1/health"


# --- the server -------------------------------------------------------------------------


@pytest.fixture(scope="module", params=STORES)
def live(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("operator")
    schemas_dir = root / "schemas"
    shutil.copytree(resource_path("schemas"), schemas_dir)
    (schemas_dir / "evidence.schema.json").write_text(json.dumps(EVIDENCE_SCHEMA))
    data_dir = root / "dane-operatora"
    store = open_store(request.param, data_dir, request)
    app = create_app(store, limits=LIMITS, schemas=SchemaCatalog(schemas_dir))
    server = create_server(app, host="127.0.0.1", port=0, threads=4, limits=LIMITS)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{port}", data_dir, store)
    finally:
        try:
            stop_serving(server, thread)
        finally:
            store.close()


@pytest.fixture(scope="module")
def token(live: Live) -> str:
    return live.add_organization("Koło Gospodyń Wiejskich w Łękawce Górnej")


# --- health and tokens ------------------------------------------------------------------


def test_health_answers_with_the_protocol_marker_without_a_token(live: Live) -> None:
    response = requests.get(live.api("/health"), timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["protocol"] == "mms-operator"
    assert body["protocol_version"] == 1
    server_time = datetime.fromisoformat(body["server_time"])
    assert server_time.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - server_time) < timedelta(minutes=1)
    assert_documented(response, HEALTH, "GET")


def test_a_token_from_add_organization_works_and_is_kept_only_as_a_hash(
    live: Live, token: str
) -> None:
    assert len(token) >= 40
    ok = requests.get(live.api("/calls"), headers=auth(token), timeout=10)
    assert ok.status_code == 200
    for headers in ({}, auth(token + "x"), {"Authorization": f"Basic {token}"}, auth("")):
        refused = requests.get(live.api("/calls"), headers=headers, timeout=10)
        assert_error(refused, 401, "unauthorized", CALLS, "GET")
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    database = repr(live.rows())
    if live.kind == "sqlite":
        # The server keeps its connections open, so recent rows may still be in the WAL.
        database += repr(b"".join(path.read_bytes() for path in live.data_dir.glob(f"{DB_FILE}*")))
    assert token not in database
    assert hashlib.sha256(token.encode()).hexdigest() in database


def test_every_call_but_health_needs_a_token(live: Live) -> None:
    sha = "0" * 64
    some_id = str(uuid.uuid4())
    checks = [
        ("GET", SUBMISSIONS, live.api("/submissions")),
        ("GET", CALLS, live.api("/calls")),
        ("PUT", SUBMISSION, live.api(f"/submissions/{some_id}")),
        ("PUT", BLOB, live.api(f"/blobs/{sha}")),
        ("HEAD", BLOB, live.api(f"/blobs/{sha}")),
    ]
    for method, path, url in checks:
        response = requests.request(method, url, data=b"{}", timeout=10)
        assert response.status_code == 401, (method, url)
        assert_documented(response, path, method)


# --- submissions ----------------------------------------------------------------------


def test_a_new_submission_gets_a_receipt_and_a_repeat_gets_the_same_one(
    live: Live, token: str
) -> None:
    data = application_bytes()
    submission_id = str(uuid.uuid4())
    first = put_document(live, token, data, submission_id=submission_id)
    assert first.status_code == 201, first.text
    assert_documented(first, SUBMISSION, "PUT")
    receipt = first.json()
    assert receipt["submission_id"] == submission_id
    assert receipt["content_sha256"] == sha256_hex(data)
    assert receipt["status"] == "received"
    assert receipt["server_id"]
    stored = live.store.submission(submission_id)
    assert stored is not None
    assert stored.kind == "application"
    assert stored.title == json.loads(data)["application"]["title"]
    assert live.store.submission_document(submission_id) == data

    time.sleep(0.01)  # a repeat a moment later must not get a new time
    again = put_document(live, token, data, submission_id=submission_id)
    assert again.status_code == 200
    assert again.json() == receipt
    assert_documented(again, SUBMISSION, "PUT")

    # Upper-case letters name the same submission.
    shouted = put_document(live, token, data, submission_id=submission_id.upper())
    assert shouted.status_code == 200
    assert shouted.json() == receipt


def test_other_bytes_under_a_used_id_are_a_conflict_and_change_nothing(
    live: Live, token: str
) -> None:
    submission_id = str(uuid.uuid4())
    original = application_bytes()
    assert put_document(live, token, original, submission_id=submission_id).status_code == 201
    changed = application_bytes(title="Inny tytuł")
    response = put_document(live, token, changed, submission_id=submission_id)
    assert_error(response, 409, "conflict", SUBMISSION, "PUT")
    # Another organisation sending the very same bytes under the id gets no receipt.
    other = live.add_organization("Stowarzyszenie Przyjaciół Ślemienia")
    before = live.digest()
    stolen = put_document(live, other, original, submission_id=submission_id)
    assert_error(stolen, 409, "conflict", SUBMISSION, "PUT")
    assert live.digest() == before
    assert live.store.submission_document(submission_id) == original


def test_a_body_that_does_not_match_its_hash_is_refused_and_nothing_is_stored(
    live: Live, token: str
) -> None:
    data = application_bytes()
    submission_id = str(uuid.uuid4())
    before = live.digest()
    wrong = put_document(live, token, data, submission_id=submission_id, sha256="ab" * 32)
    error = assert_error(wrong, 400, "hash_mismatch", SUBMISSION, "PUT")
    assert error["content_sha256"] == sha256_hex(data)
    missing = requests.put(
        live.api(f"/submissions/{submission_id}"),
        data=data,
        headers={**auth(token), "Content-Type": "application/json"},
        timeout=10,
    )
    assert_error(missing, 400, "hash_mismatch", SUBMISSION, "PUT")
    assert "X-Content-SHA256" in missing.json()["error"]["message"]
    assert live.digest() == before
    assert live.store.submission(submission_id) is None


def test_a_document_that_breaks_the_schema_is_refused_naming_the_field(
    live: Live, token: str
) -> None:
    document = json.loads(application_bytes())
    before = live.digest()

    wrong_type = copy.deepcopy(document)
    wrong_type["application"]["title"] = 42
    response = put_document(live, token, encode(wrong_type))
    error = assert_error(response, 422, "schema_invalid", SUBMISSION, "PUT")
    assert error["field"] == "application.title"
    assert "application.title" in error["message"]

    no_unit = copy.deepcopy(document)
    del no_unit["application"]["budget"][2]["unit_cost"]
    response = put_document(live, token, encode(no_unit))
    error = assert_error(response, 422, "schema_invalid", SUBMISSION, "PUT")
    assert error["field"] == "application.budget[3].unit_cost"
    assert "application.budget[3].unit_cost" in error["message"]

    impossible_date = copy.deepcopy(document)
    impossible_date["application"]["start_date"] = "2027-02-30"
    response = put_document(live, token, encode(impossible_date))
    error = assert_error(response, 422, "schema_invalid", SUBMISSION, "PUT")
    assert error["field"] == "application.start_date"
    assert "taka data nie istnieje" in error["message"]

    # Written the Polish way: the operator names the form the file wants, as the desktop does.
    polish_date = copy.deepcopy(document)
    polish_date["application"]["start_date"] = "01.07.2027"
    response = put_document(live, token, encode(polish_date))
    error = assert_error(response, 422, "schema_invalid", SUBMISSION, "PUT")
    assert error["field"] == "application.start_date"
    assert "np. 2027-07-01" in error["message"] and "(w pliku: „01.07.2027”)" in error["message"]
    polish_amount = copy.deepcopy(document)
    polish_amount["application"]["budget"][0]["unit_cost"] = "1 234,56"
    response = put_document(live, token, encode(polish_amount))
    error = assert_error(response, 422, "schema_invalid", SUBMISSION, "PUT")
    assert error["field"] == "application.budget[1].unit_cost"
    assert '"1234.56"' in error["message"] and "„1 234,56”" in error["message"]
    assert live.digest() == before


def test_kinds_the_server_does_not_take_and_bad_json_are_refused(live: Live, token: str) -> None:
    before = live.digest()
    call_file = resource_path("calls", f"{DEMO_CALL_ID}.json").read_bytes()
    response = put_document(live, token, call_file)
    assert assert_error(response, 422, "unknown_kind", SUBMISSION, "PUT")["field"] == "schema"
    for marker in ("mms-nonsense", "application", "mms-../application", 7):
        response = put_document(live, token, encode({"schema": marker}))
        assert_error(response, 422, "unknown_kind", SUBMISSION, "PUT")
    for bad in (b"", b"{", b'{"schema": NaN}', b'{"a": 1, "a": 2}', b"\xff\xfe"):
        assert_error(put_document(live, token, bad), 400, "invalid_json", SUBMISSION, "PUT")
    not_an_object = put_document(live, token, b"[]")
    assert_error(not_an_object, 422, "schema_invalid", SUBMISSION, "PUT")
    assert live.digest() == before


def test_bad_ids_types_and_encodings_are_refused(live: Live, token: str) -> None:
    data = application_bytes()
    headers = {**auth(token), "Content-Type": "application/json", "X-Content-SHA256": "0" * 64}
    not_uuid = requests.put(live.api("/submissions/wniosek-1"), data=data, headers=headers)
    assert_error(not_uuid, 400, "invalid_id", SUBMISSION, "PUT")
    as_text = put_document(live, token, data)
    assert as_text.status_code == 201  # the control: the same bytes as JSON are fine
    before = live.digest()
    plain = requests.put(
        live.api(f"/submissions/{uuid.uuid4()}"),
        data=data,
        headers={**headers, "Content-Type": "text/plain", "X-Content-SHA256": sha256_hex(data)},
        timeout=10,
    )
    assert_error(plain, 415, "unsupported_media_type", SUBMISSION, "PUT")
    brotli = requests.put(
        live.api(f"/submissions/{uuid.uuid4()}"),
        data=data,
        headers={**headers, "Content-Encoding": "br", "X-Content-SHA256": sha256_hex(data)},
        timeout=10,
    )
    assert_error(brotli, 415, "unsupported_encoding", SUBMISSION, "PUT")
    fake_gzip = requests.put(
        live.api(f"/submissions/{uuid.uuid4()}"),
        data=data,
        headers={**headers, "Content-Encoding": "gzip", "X-Content-SHA256": sha256_hex(data)},
        timeout=10,
    )
    assert_error(fake_gzip, 400, "invalid_encoding", SUBMISSION, "PUT")
    cut = requests.put(
        live.api(f"/submissions/{uuid.uuid4()}"),
        data=gzip.compress(data)[:-20],
        headers={**headers, "Content-Encoding": "gzip", "X-Content-SHA256": sha256_hex(data)},
        timeout=10,
    )
    assert_error(cut, 400, "invalid_encoding", SUBMISSION, "PUT")
    assert live.digest() == before


def test_a_gzip_body_is_taken_and_its_hash_is_of_the_uncompressed_bytes(
    live: Live, token: str
) -> None:
    data = application_bytes(title="Wniosek wysłany skompresowany")
    submission_id = str(uuid.uuid4())
    response = put_document(live, token, data, submission_id=submission_id, gzipped=True)
    assert response.status_code == 201, response.text
    assert response.json()["content_sha256"] == sha256_hex(data)
    assert live.store.submission_document(submission_id) == data
    # The same document again, now uncompressed: the same submission.
    again = put_document(live, token, data, submission_id=submission_id)
    assert again.status_code == 200
    assert again.json() == response.json()


def test_oversized_bodies_are_refused_before_and_after_decompression(
    live: Live, token: str
) -> None:
    before = live.digest()
    limit = LIMITS.submission_bytes
    huge = b'{"schema": "mms-application", "x": "' + b"a" * limit + b'"}'
    response = put_document(live, token, huge)
    error = assert_error(response, 413, "payload_too_large", SUBMISSION, "PUT")
    assert error["limit_bytes"] == limit

    # A few kilobytes that would unpack past the limit ("gzip bomb").
    bomb = b" " * (limit + 1)
    packed = put_document(live, token, bomb, gzipped=True)
    assert len(gzip.compress(bomb)) < 100_000
    assert_error(packed, 413, "payload_too_large", SUBMISSION, "PUT")

    # Chunked transfer (no Content-Length) is counted as it arrives.
    def chunks() -> Iterator[bytes]:
        for _ in range(11):
            yield b" " * MIB

    streamed = requests.put(
        live.api(f"/submissions/{uuid.uuid4()}"),
        data=chunks(),
        headers={**auth(token), "Content-Type": "application/json", "X-Content-SHA256": "0" * 64},
        timeout=30,
    )
    assert_error(streamed, 413, "payload_too_large", SUBMISSION, "PUT")
    assert live.digest() == before


def test_racing_requests_with_one_id_store_it_once(live: Live, token: str) -> None:
    data = application_bytes(title="Wysłany z dwóch okien naraz")
    submission_id = str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(
            pool.map(
                lambda _: put_document(live, token, data, submission_id=submission_id), range(6)
            )
        )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 200, 200, 200, 200, 201]
    assert len({json.dumps(response.json(), sort_keys=True) for response in responses}) == 1


# --- blobs ------------------------------------------------------------------------------


def test_blobs_are_asked_about_sent_once_and_verified(live: Live, token: str) -> None:
    blob = os.urandom(200_000)
    sha = sha256_hex(blob)
    url = live.api(f"/blobs/{sha}")
    octets = {**auth(token), "Content-Type": "application/octet-stream"}
    absent = requests.head(url, headers=auth(token), timeout=10)
    assert absent.status_code == 404
    assert_documented(absent, BLOB, "HEAD")

    before = live.digest()
    damaged = requests.put(url, data=blob[:-1] + b"\0", headers=octets, timeout=10)
    assert_error(damaged, 400, "hash_mismatch", BLOB, "PUT")
    assert live.digest() == before
    assert requests.head(url, headers=auth(token), timeout=10).status_code == 404

    created = requests.put(url, data=blob, headers=octets, timeout=10)
    assert created.status_code == 201
    assert created.json() == {"sha256": sha, "size": len(blob)}
    assert_documented(created, BLOB, "PUT")
    again = requests.put(url, data=blob, headers=octets, timeout=10)
    assert again.status_code == 200
    assert again.json() == {"sha256": sha, "size": len(blob)}
    present = requests.head(url, headers=auth(token), timeout=10)
    assert present.status_code == 200
    assert_documented(present, BLOB, "HEAD")
    assert (live.data_dir / "blobs" / sha[:2] / sha).read_bytes() == blob
    assert not list((live.data_dir / "blobs").rglob(".part-*"))

    packed = os.urandom(1000) + b"\0" * 100_000
    packed_sha = sha256_hex(packed)
    gz = requests.put(
        live.api(f"/blobs/{packed_sha.upper()}"),
        data=gzip.compress(packed),
        headers={**octets, "Content-Encoding": "gzip"},
        timeout=10,
    )
    assert gz.status_code == 201
    assert gz.json() == {"sha256": packed_sha, "size": len(packed)}
    assert (live.data_dir / "blobs" / packed_sha[:2] / packed_sha).read_bytes() == packed

    bad = requests.head(live.api("/blobs/not-a-hash"), headers=auth(token), timeout=10)
    assert bad.status_code == 400
    assert_documented(bad, BLOB, "HEAD")
    bad_put = requests.put(live.api("/blobs/1234"), data=b"x", headers=octets, timeout=10)
    assert_error(bad_put, 400, "invalid_id", BLOB, "PUT")


def test_a_blob_over_the_limit_is_refused(live: Live, token: str) -> None:
    blob = b"\0" * (LIMITS.blob_bytes + 1)
    sha = sha256_hex(blob)
    before = live.digest()
    response = requests.put(
        live.api(f"/blobs/{sha}"),
        data=gzip.compress(blob),
        headers={**auth(token), "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert_error(response, 413, "payload_too_large", BLOB, "PUT")
    assert live.digest() == before


def test_a_document_listing_blobs_the_server_lacks_is_refused_with_their_hashes(
    live: Live, token: str
) -> None:
    present, absent = os.urandom(5000), os.urandom(7000)
    octets = {**auth(token), "Content-Type": "application/octet-stream"}
    stored = requests.put(
        live.api(f"/blobs/{sha256_hex(present)}"), data=present, headers=octets, timeout=10
    )
    assert stored.status_code == 201
    data = evidence_bytes(present, absent)
    submission_id = str(uuid.uuid4())
    before = live.digest()
    response = put_document(live, token, data, submission_id=submission_id)
    error = assert_error(response, 409, "missing_blobs", SUBMISSION, "PUT")
    assert error["missing"] == [sha256_hex(absent)]
    assert live.digest() == before

    sent = requests.put(
        live.api(f"/blobs/{sha256_hex(absent)}"), data=absent, headers=octets, timeout=10
    )
    assert sent.status_code == 201
    accepted = put_document(live, token, data, submission_id=submission_id)
    assert accepted.status_code == 201, accepted.text
    record = live.store.submission(submission_id)
    assert record is not None
    assert (record.kind, record.title) == ("evidence", "Zdjęcia z warsztatów")

    broken = json.loads(data)
    broken["attachments"][0]["sha256"] = "nie-skrót"
    response = put_document(live, token, encode(broken))
    error = assert_error(response, 422, "schema_invalid", SUBMISSION, "PUT")
    assert error["field"] == "attachments[1].sha256"


# --- statuses, calls --------------------------------------------------------------------


def test_each_organisation_sees_only_its_own_submissions(live: Live) -> None:
    first = live.add_organization("KGW Pierwsze")
    second = live.add_organization("KGW Drugie")
    ids = {}
    for name, token in (("first", first), ("second", second)):
        ids[name] = str(uuid.uuid4())
        response = put_document(live, token, application_bytes(), submission_id=ids[name])
        assert response.status_code == 201
    for name, token in (("first", first), ("second", second)):
        response = requests.get(live.api("/submissions"), headers=auth(token), timeout=10)
        assert response.status_code == 200
        assert_documented(response, SUBMISSIONS, "GET")
        listed = response.json()["submissions"]
        assert [item["submission_id"] for item in listed] == [ids[name]]
        assert listed[0]["status"] == "received"
        assert listed[0]["comment"] is None


def test_a_status_set_by_staff_reaches_the_organisation_with_its_comment(live: Live) -> None:
    token = live.add_organization("Stowarzyszenie „Razem dla Żarnowca”")
    submission_id = str(uuid.uuid4())
    receipt = put_document(live, token, application_bytes(), submission_id=submission_id).json()
    comment = "Proszę poprawić harmonogram działania 3 – złe daty."
    code, out, err = live.cli(
        "set-status", submission_id, "needs_corrections", "--comment", comment
    )
    assert code == 0, err
    assert "needs_corrections" in out

    response = requests.get(live.api("/submissions"), headers=auth(token), timeout=10)
    (entry,) = response.json()["submissions"]
    assert entry == {
        "submission_id": submission_id,
        "server_id": receipt["server_id"],
        "status": "needs_corrections",
        "comment": comment,
        "updated_at": entry["updated_at"],
    }
    assert entry["updated_at"] > receipt["received_at"]
    assert_documented(response, SUBMISSIONS, "GET")

    since = requests.get(
        live.api("/submissions"),
        params={"since": entry["updated_at"]},
        headers=auth(token),
        timeout=10,
    )
    assert [item["submission_id"] for item in since.json()["submissions"]] == [submission_id]
    later = (datetime.fromisoformat(entry["updated_at"]) + timedelta(seconds=1)).isoformat()
    after = requests.get(
        live.api("/submissions"), params={"since": later}, headers=auth(token), timeout=10
    )
    assert after.json() == {"submissions": []}
    # A "+" that was not URL-encoded arrives as a space; the server still understands it.
    unencoded = requests.get(
        live.api("/submissions") + "?since=2000-01-01T00:00:00+00:00",
        headers=auth(token),
        timeout=10,
    )
    assert len(unencoded.json()["submissions"]) == 1
    bad = requests.get(
        live.api("/submissions"), params={"since": "wczoraj"}, headers=auth(token), timeout=10
    )
    assert_error(bad, 400, "invalid_parameter", SUBMISSIONS, "GET")

    # The receipt stays the original one whatever the status is now.
    again = put_document(live, token, application_bytes(), submission_id=submission_id)
    assert again.status_code == 409  # other bytes (new ids inside): a conflict
    code, _, err = live.cli("set-status", str(uuid.uuid4()), "accepted")
    assert code == 1
    assert "Nie ma zgłoszenia" in err
    code, _, err = live.cli("set-status", submission_id, "zatwierdzony")
    assert code == 2


def test_a_published_call_is_served_exactly_and_large_answers_are_compressed(
    live: Live, token: str, tmp_path: Path
) -> None:
    path = resource_path("calls", "mms-2027-regranting-przyklad.json")
    code, out, err = live.cli("publish-call", path)
    assert code == 0, err
    assert "mms-2027-regranting-przyklad" in out
    code, out, err = live.cli("publish-call", path)
    assert code == 0, err
    assert "bez zmian" in out

    response = requests.get(
        live.api("/calls"), headers={**auth(token), "Accept-Encoding": "gzip"}, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert_documented(response, CALLS, "GET")
    published = json.loads(path.read_text(encoding="utf-8"))
    assert published in response.json()["calls"]
    plain = requests.get(
        live.api("/calls"), headers={**auth(token), "Accept-Encoding": "identity"}, timeout=10
    )
    assert "Content-Encoding" not in plain.headers
    assert plain.json() == response.json()
    small = requests.get(live.api("/health"), headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert "Content-Encoding" not in small.headers

    # A corrected call must say so with a higher version; a broken one is refused whole.
    changed = dict(published, name="Zmieniona nazwa bez nowej wersji")
    (tmp_path / "zmieniony.json").write_text(json.dumps(changed), encoding="utf-8")
    code, _, err = live.cli("publish-call", tmp_path / "zmieniony.json")
    assert code == 2
    assert "wyższy numer wersji" in err
    broken = dict(published, version=published["version"] + 1)
    del broken["rules"]
    (tmp_path / "zepsuty.json").write_text(json.dumps(broken), encoding="utf-8")
    before = live.digest()
    code, _, err = live.cli("publish-call", tmp_path / "zepsuty.json")
    assert code == 2
    assert "rules" in err
    assert live.digest() == before
    newer = dict(published, version=published["version"] + 1, name="Nabór – wersja poprawiona")
    (tmp_path / "nowszy.json").write_text(json.dumps(newer), encoding="utf-8")
    assert live.cli("publish-call", tmp_path / "nowszy.json")[0] == 0
    calls = requests.get(live.api("/calls"), headers=auth(token), timeout=10).json()["calls"]
    assert [c["version"] for c in calls if c["id"] == published["id"]] == [newer["version"]]


# --- answers that are never HTML ----------------------------------------------------------


def test_unknown_paths_and_methods_answer_json_not_html(live: Live, token: str) -> None:
    checks = [
        ("GET", "/", 404, "not_found"),
        ("GET", "/api/v1/nie-ma", 404, "not_found"),
        ("GET", "/api/v2/health", 404, "not_found"),
        ("POST", "/api/v1/health", 405, "method_not_allowed"),
        ("DELETE", "/api/v1/calls", 405, "method_not_allowed"),
        ("OPTIONS", "/api/v1/submissions", 405, "method_not_allowed"),
        ("GET", f"/api/v1/submissions/{uuid.uuid4()}", 405, "method_not_allowed"),
        ("GET", f"/api/v1/blobs/{'0' * 64}", 405, "method_not_allowed"),
    ]
    for method, path, status, code in checks:
        response = requests.request(method, live.url + path, headers=auth(token), timeout=10)
        assert response.status_code == status, (method, path)
        assert response.headers["Content-Type"].startswith("application/json"), (method, path)
        assert "<html" not in response.text.lower()
        assert response.json()["error"]["code"] == code
        if status == 405:
            assert response.headers["Allow"]


# --- the command line ---------------------------------------------------------------------


def test_the_submissions_listing_for_staff(live: Live) -> None:
    token = live.add_organization("Fundacja Listy")
    submission_id = str(uuid.uuid4())
    data = application_bytes(title="Wniosek do listy")
    receipt = put_document(live, token, data, submission_id=submission_id).json()
    code, out, err = live.cli("submissions", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert all(
        set(item)
        == {"id", "kind", "organization", "title", "content_sha256", "status", "received_at"}
        for item in listed
    )
    (mine,) = [item for item in listed if item["id"] == submission_id]
    assert mine == {
        "id": submission_id,
        "kind": "application",
        "organization": "Fundacja Listy",
        "title": "Wniosek do listy",
        "content_sha256": sha256_hex(data),
        "status": "received",
        "received_at": receipt["received_at"],
    }
    code, out, _ = live.cli("submissions")
    assert code == 0
    assert receipt["server_id"] in out
    assert "Wniosek do listy" in out


def test_show_prints_the_document_and_its_printout(live: Live, tmp_path: Path) -> None:
    token = live.add_organization("Fundacja Wydruku")
    submission_id = str(uuid.uuid4())
    data = application_bytes(title="Wniosek do wydruku")
    assert put_document(live, token, data, submission_id=submission_id).status_code == 201
    code, out, err = live.cli("show", submission_id)
    assert code == 0, err
    assert json.loads(out) == json.loads(data)
    raw = subprocess.run(
        [
            sys.executable,
            "-m",
            "mms_operator",
            *live.where(),
            "show",
            "--raw",
            submission_id,
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert sha256_hex(raw.stdout) == sha256_hex(data)
    code, _, err = live.cli("show", str(uuid.uuid4()))
    assert code == 1
    assert "Nie ma zgłoszenia" in err

    pdf = tmp_path / "wydruk.pdf"
    code, out, err = live.cli("show", submission_id, "--pdf", pdf)
    assert code == 0, err
    # The operator's printout carries the control sum of the bytes it received.
    stop_under_wine("poppler's pdftotext")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert control_sum(sha256_hex(data)) in text


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Ctrl+C on Windows is a console event, not a signal a test can send to a process",
)
def test_serve_runs_the_server_until_ctrl_c(tmp_path: Path) -> None:
    data_dir = tmp_path / "serwer"
    process = serve_in_a_process(data_dir)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/api/v1/health", line)
        assert match, line
        response = requests.get(match.group(0), timeout=10)
        assert response.json()["protocol"] == "mms-operator"
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Serwer zatrzymany" in out
    assert (data_dir / DB_FILE).exists()


def test_a_data_folder_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    SqliteOperatorStore(tmp_path)
    conn = sqlite3.connect(tmp_path / DB_FILE)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreTooNewError):
        SqliteOperatorStore(tmp_path)
    code, _, err = run_cli("--data-dir", tmp_path, "submissions")
    assert code == 3
    assert "nowsza wersja" in err


def test_the_data_folder_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MMS_OPERATOR_DATA_DIR", str(tmp_path / "z-env"))
    code, _, _ = run_cli("add-organization", "KGW Środowiskowe")
    assert code == 0
    assert (tmp_path / "z-env" / DB_FILE).exists()
    monkeypatch.delenv("MMS_OPERATOR_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    assert run_cli("submissions")[0] == 0
    assert (tmp_path / "mms-operator-data" / DB_FILE).exists()


# --- the OpenAPI document -------------------------------------------------------------------


def test_the_openapi_document_names_exactly_the_routes_the_app_serves(live: Live) -> None:
    app = create_app(live.store)
    served: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/panel/"):
            continue  # the staff's pages (test_operator_panel.py), not the protocol
        assert rule.rule.startswith(PREFIX), rule.rule  # nothing else outside the API
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        methods = set(rule.methods or ()) - {"OPTIONS"}
        if "GET" in methods:
            methods.discard("HEAD")  # answered for every GET by the framework
        served.setdefault(path, set()).update(methods)
    documented = {
        path: {method.upper() for method in item if method != "parameters"}
        for path, item in OPENAPI["paths"].items()
    }
    assert served == documented
    assert OPENAPI["openapi"].startswith("3.1")
    assert OPENAPI["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


# --- fuzzing the protocol against its document ------------------------------------------------

FUZZED = schemathesis.openapi.from_path(OPENAPI_PATH)
FRAMING_HEADERS = {"content-length", "transfer-encoding", "host", "connection", "expect", "te"}
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@FUZZED.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_protocol_holds_under_fuzzing(case: Any, live: Live, token: str) -> None:
    # Generated values of these headers break the HTTP message itself; waitress
    # refuses such a request (its own plain-text 400) before the protocol is reached.
    for name in list(case.headers or {}):
        if name.lower() in FRAMING_HEADERS:
            del case.headers[name]
    case.call_and_validate(base_url=live.url, headers=auth(token), checks=CONFORMANCE, timeout=30)
