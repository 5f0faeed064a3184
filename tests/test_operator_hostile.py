"""The operator under attack, and its rules for who may send what and when.

Each test runs the real server (waitress set up by ``mms_operator.server``, the
real app, a real data folder) on 127.0.0.1 and speaks HTTP to it, or runs the
real ``mms-operator`` command line on the same store; every test that serves
runs twice, on SQLite and on a real PostgreSQL server. Every answer is
checked against the OpenAPI document.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import os
import re
import signal
import socket
import sqlite3
import stat
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
from operator_support import run_operator_cli, serve_in_a_process
from test_operator import (
    BLOB,
    OPENAPI,
    ORGANIZATION,
    SUBMISSION,
    SUBMISSIONS,
    Live,
    application_bytes,
    assert_documented,
    assert_error,
    auth,
    evidence_bytes,
    put_document,
)

from mms_desktop.domain.canonical import application_document, encode, sha256_hex
from mms_desktop.resources import resource_path
from mms_desktop.services import reports
from mms_desktop.services.attachments import read_attachment
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_operator.app import MIB, Limits
from mms_operator.server import CONNECTION_LIMIT, QueueWarningLimiter
from mms_operator.sqlite_store import _SCHEMA_V1, DB_FILE, SqliteOperatorStore, _split
from mms_operator.validation import MAX_VALUES

DEMO_CALL = next(k for k in bundled_calls() if k.definition.id == DEMO_CALL_ID).definition
NIP = "7821700239"  # the demo organisation's


def application_of(organization: Any, call_id: str = DEMO_CALL.id, title: str = "") -> bytes:
    document = application_document(
        demo_application(organization.id, DEMO_CALL), organization, call_id, DEMO_CALL.version
    )
    if title:
        document["application"]["title"] = title
    return encode(document)


def hostile_document(items: int = 2_000_000) -> bytes:
    """The review's attack: a valid application whose attachments hold millions of zeros."""
    document = json.loads(application_bytes())
    document["attachments"] = [0] * items
    return json.dumps(document).encode()


def put_gzipped(live: Live, token: str, data: bytes, timeout: float = 60) -> requests.Response:
    return requests.put(
        live.api(f"/submissions/{uuid.uuid4()}"),
        data=gzip.compress(data),
        headers={
            **auth(token),
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "X-Content-SHA256": sha256_hex(data),
        },
        timeout=timeout,
    )


def timed(call: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


# --- bounded validation ---------------------------------------------------------------


def test_a_hostile_document_is_refused_within_a_second(serve: Any) -> None:
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    before = live.digest()
    huge = hostile_document()
    assert len(gzip.compress(huge)) < 20_000  # a few kilobytes on the wire
    response, seconds = timed(lambda: put_gzipped(live, token, huge))
    assert_error(response, 413, "payload_too_large", SUBMISSION, "PUT")
    assert seconds < 1.0
    # Under the count of values, but every item wrong: the check stops at the first.
    many = hostile_document(MAX_VALUES - 10_000)
    response, seconds = timed(lambda: put_gzipped(live, token, many))
    error = assert_error(response, 422, "schema_invalid", SUBMISSION, "PUT")
    assert error["field"] == "attachments"
    assert seconds < 1.0
    assert live.digest() == before


HOSTILE_SHAPES = {
    "deep nesting": b"[" * 200_000 + b"]" * 200_000,
    "a 9 MB title": application_bytes().replace(b'"title":"', b'"title":"' + b"x" * 9_000_000, 1),
    "millions of escapes": b'{"schema": "mms-application", "x": "' + b"\\n" * 4_000_000 + b'"}',
    "millions of empty strings": b"[" + b'"",' * 3_000_000 + b'""]',
    "millions of empty arrays": b"[" + b"[]," * 3_000_000 + b"[]]",
    "millions of fractions": b"[" + b"1.5," * 2_000_000 + b"1.5]",
}


@pytest.mark.parametrize("shape", sorted(HOSTILE_SHAPES))
def test_every_shape_of_hostile_document_is_refused_within_a_second(serve: Any, shape: str) -> None:
    live = serve()
    token = live.add_organization("Napastnik")
    data = HOSTILE_SHAPES[shape]
    assert len(data) < 10 * MIB  # under the size limit: the other checks must hold
    before = live.digest()
    response, seconds = timed(lambda: put_gzipped(live, token, data))
    assert 400 <= response.status_code < 500, response.text
    assert_documented(response, SUBMISSION, "PUT")
    assert seconds < 1.0, seconds
    assert live.digest() == before


def test_a_normal_submission_is_prompt_while_four_hostile_requests_run(serve: Any) -> None:
    live = serve()
    attacker = live.add_organization("Napastnik")
    honest = live.add_organization("KGW w Łękawce")
    payloads = [gzip.compress(hostile_document()), gzip.compress(hostile_document(MAX_VALUES - 1))]
    stop = time.monotonic() + 6
    answers: list[int] = []

    def attack(payload: bytes) -> None:
        while time.monotonic() < stop:
            response = requests.put(
                live.api(f"/submissions/{uuid.uuid4()}"),
                data=payload,
                headers={
                    **auth(attacker),
                    "Content-Type": "application/json",
                    "Content-Encoding": "gzip",
                    "X-Content-SHA256": "0" * 64,
                },
                timeout=60,
            )
            answers.append(response.status_code)

    with ThreadPoolExecutor(max_workers=4) as pool:
        attacks = [pool.submit(attack, payloads[n % 2]) for n in range(4)]
        time.sleep(1.0)  # the four attacks are running
        times = []
        for _ in range(3):
            response, seconds = timed(lambda: put_document(live, honest, application_bytes()))
            assert response.status_code == 201, response.text
            times.append(seconds)
            time.sleep(0.5)
        for attack_done in attacks:
            attack_done.result()
    assert max(times) < 1.0, times
    assert answers and all(status in (400, 413) for status in answers)


def test_the_value_limit_is_far_above_the_largest_valid_document() -> None:
    """Every list at its schema's maxItems still fits: nothing valid on the desktop is refused."""

    def most_values(schema: Any, root: dict[str, Any]) -> float:
        if isinstance(schema, bool):
            return 1
        if "$ref" in schema:
            return most_values(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root)
        for combined in ("oneOf", "anyOf"):
            if combined in schema:
                return max(most_values(item, root) for item in schema[combined])
        if "properties" in schema:
            if schema.get("additionalProperties", True) is not False:
                return math.inf
            return 1 + sum(most_values(item, root) for item in schema["properties"].values())
        if "items" in schema:
            return 1 + schema.get("maxItems", math.inf) * most_values(schema["items"], root)
        return 1

    for kind in ("application", "report"):
        schema = json.loads(resource_path("schemas", f"{kind}.schema.json").read_text())
        assert most_values(schema, schema) * 1.5 < MAX_VALUES, kind


def test_a_text_full_of_commas_is_counted_exactly_and_taken(serve: Any) -> None:
    """Commas and brackets typed in a text are not values: a long legal text passes."""
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    document = json.loads(application_of(ORGANIZATION))
    text = ",[{" * 6666  # 19 998 characters, as long as a long text may be
    body = document["application"]
    for field in ("target_group", "summary", "need", "results_products", "experience"):
        body[field] = text
    body["actions"] += [
        body["actions"][0] | {"id": f"dodatkowe-{n}"} for n in range(10 - len(body["actions"]))
    ]
    for action in body["actions"]:
        action["description"] = text
    data = encode(document)
    assert data.count(b",") + data.count(b"[") + data.count(b"{") > MAX_VALUES
    response = put_document(live, token, data)
    assert response.status_code == 201, response.text


# --- connections ----------------------------------------------------------------------


def test_120_half_open_connections_do_not_lock_others_out(serve: Any) -> None:
    live = serve()
    port = int(live.url.rsplit(":", 1)[1])
    stalled: list[socket.socket] = []
    try:
        for _ in range(120):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(
                b"PUT /api/v1/submissions/0f8fad5b-d9cb-469f-a165-70867728950e HTTP/1.1\r\n"
                b"Host: 127.0.0.1\r\nContent-Length: 100000\r\nX-Half: "
            )
            stalled.append(sock)
        time.sleep(0.5)
        for _ in range(3):
            response, seconds = timed(lambda: requests.get(live.api("/health"), timeout=10))
            assert response.json()["protocol"] == "mms-operator"
            assert seconds < 1.0
    finally:
        for sock in stalled:
            sock.close()
    assert CONNECTION_LIMIT >= 4 * 120


# --- the terminal -----------------------------------------------------------------------


def test_a_title_with_terminal_codes_cannot_forge_a_line(serve: Any) -> None:
    live = serve()
    token = live.add_organization("KGW \x1b[31mCzerwona\x1b[0m")
    title = (
        "Remont świetlicy\x1b[2K\r"
        "W-000999  2027-01-01 00:00:00 UTC  accepted  \x9b1m\u202egnałsyW\u202c\u2028koniec"
    )
    response = put_document(live, token, application_of(ORGANIZATION, title=title))
    assert response.status_code == 201, response.text
    code, out, err = live.cli("submissions")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1  # one submission, one line
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2028\u2029]", out.replace("\n", ""))
    assert "\\u001b[2K\\u000dW-000999" in lines[0]
    assert "\\u202egnałsyW\\u202c" in lines[0]
    assert "KGW \\u001b[31mCzerwona\\u001b[0m" in lines[0]
    code, out, err = live.cli("submissions", "--json")
    assert code == 0, err
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2028\u2029]", out.replace("\n", ""))
    [listed] = json.loads(out)
    assert listed["title"] == title  # the JSON still holds the exact text
    code, out, err = live.cli("show", listed["id"])
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out)["application"]["title"] == title


# --- blobs belong to who uploaded them ----------------------------------------------------


def test_a_blob_is_attachable_only_by_an_organisation_that_uploaded_it(serve: Any) -> None:
    live = serve()
    first = live.add_organization("KGW w Łękawce")
    second = live.add_organization("OSP w Ślemieniu")
    blob = os.urandom(50_000)
    sha = sha256_hex(blob)
    url = live.api(f"/blobs/{sha}")
    assert requests.put(url, data=blob, headers=auth(first), timeout=10).status_code == 201
    assert requests.head(url, headers=auth(first), timeout=10).status_code == 200

    # The other organisation neither learns that the file is there nor may list it.
    hidden = requests.head(url, headers=auth(second), timeout=10)
    assert hidden.status_code == 404
    assert_documented(hidden, BLOB, "HEAD")
    before = live.digest()
    response = put_document(live, second, evidence_bytes(blob))
    assert assert_error(response, 409, "missing_blobs", SUBMISSION, "PUT")["missing"] == [sha]
    assert live.digest() == before

    # Sending the bytes makes it the second organisation's too; nothing is written twice.
    damaged = requests.put(
        url, data=blob[:-1] + bytes([blob[-1] ^ 1]), headers=auth(second), timeout=10
    )
    assert_error(damaged, 400, "hash_mismatch", BLOB, "PUT")
    assert requests.head(url, headers=auth(second), timeout=10).status_code == 404
    again = requests.put(url, data=blob, headers=auth(second), timeout=10)
    assert again.status_code == 201
    assert_documented(again, BLOB, "PUT")
    assert requests.head(url, headers=auth(second), timeout=10).status_code == 200
    assert put_document(live, second, evidence_bytes(blob)).status_code == 201
    assert put_document(live, first, evidence_bytes(blob)).status_code == 201


# --- inputs that used to answer 500 -----------------------------------------------------


def test_since_out_of_range_and_a_lone_surrogate_answer_400(serve: Any) -> None:
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    for since in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        response = requests.get(
            live.api("/submissions"), params={"since": since}, headers=auth(token), timeout=10
        )
        assert_error(response, 400, "invalid_parameter", SUBMISSIONS, "GET")
    before = live.digest()
    data = application_of(ORGANIZATION, title="Warsztaty SURROGATE").replace(
        b"SURROGATE", b"\\ud800"
    )
    error = assert_error(put_document(live, token, data), 400, "invalid_json", SUBMISSION, "PUT")
    assert "niesparowany" in error["message"]
    assert live.digest() == before
    # An emoji escaped as a surrogate pair is text like any other.
    pair = application_of(ORGANIZATION, title="Warsztaty PAIR").replace(b"PAIR", b"\\ud83c\\udf3e")
    assert put_document(live, token, pair).status_code == 201


def test_what_the_http_server_refuses_itself_is_json_too(serve: Any) -> None:
    live = serve(limits=Limits(submission_bytes=MIB, blob_bytes=2 * MIB))
    token = live.add_organization("KGW w Łękawce")
    port = int(live.url.rsplit(":", 1)[1])
    error_schema = jsonschema.Draft202012Validator(
        {**OPENAPI["components"]["schemas"]["Error"], "$defs": {}},
    )

    def raw(request: bytes) -> tuple[int, dict[str, str], bytes]:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in header_lines)
        }
        return int(status_line.split()[1]), headers, body

    # Declared far over every limit: waitress refuses it before the app runs.
    status, headers, body = raw(
        f"PUT /api/v1/submissions/{uuid.uuid4()} HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {100 * MIB}\r\n\r\n".encode()
    )
    assert status == 413
    assert headers["content-type"].startswith("application/json")
    error = json.loads(body)
    error_schema.validate(error)
    assert error["error"]["code"] == "payload_too_large"
    assert error["error"]["limit_bytes"] == 3 * MIB

    too_big_headers = requests.put(
        live.api(f"/submissions/{uuid.uuid4()}"),
        data=b"{}",
        headers={**auth(token), "X-Padding": "x" * 70_000},
        timeout=10,
    )
    assert_error(too_big_headers, 431, "headers_too_large", SUBMISSION, "PUT")

    status, headers, body = raw(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n")
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    error_schema.validate(json.loads(body))


# --- quotas -------------------------------------------------------------------------------


def test_quotas_stop_one_organisation_and_not_the_others(serve: Any) -> None:
    limits = Limits(
        organization_submissions=2, organization_pending_blobs=2, organization_bytes=200_000
    )
    live = serve(limits=limits)
    greedy = live.add_organization("Zachłanna")
    other = live.add_organization("KGW w Łękawce")

    # Blobs nobody lists yet: two at most.
    blobs = [os.urandom(1000) for _ in range(3)]
    for blob in blobs[:2]:
        put = requests.put(live.api(f"/blobs/{sha256_hex(blob)}"), data=blob, headers=auth(greedy))
        assert put.status_code == 201
    before = live.digest()
    third = requests.put(
        live.api(f"/blobs/{sha256_hex(blobs[2])}"), data=blobs[2], headers=auth(greedy), timeout=10
    )
    error = assert_error(third, 413, "quota_exceeded", BLOB, "PUT")
    assert (error["quota"], error["limit"]) == ("pending_blobs", 2)
    assert live.digest() == before
    # Listing them in a submission frees the count.
    assert put_document(live, greedy, evidence_bytes(*blobs[:2])).status_code == 201
    put = requests.put(
        live.api(f"/blobs/{sha256_hex(blobs[2])}"), data=blobs[2], headers=auth(greedy), timeout=10
    )
    assert put.status_code == 201

    # Submissions: two at most.
    assert put_document(live, greedy, evidence_bytes(blobs[2])).status_code == 201
    before = live.digest()
    error = assert_error(
        put_document(live, greedy, evidence_bytes()), 413, "quota_exceeded", SUBMISSION, "PUT"
    )
    assert error["quota"] == "submissions"
    assert live.digest() == before

    # Bytes: documents and uploads together.
    large = os.urandom(150_000)
    ok = requests.put(live.api(f"/blobs/{sha256_hex(large)}"), data=large, headers=auth(other))
    assert ok.status_code == 201
    larger = os.urandom(60_000)
    over = requests.put(
        live.api(f"/blobs/{sha256_hex(larger)}"), data=larger, headers=auth(other), timeout=10
    )
    assert assert_error(over, 413, "quota_exceeded", BLOB, "PUT")["quota"] == "bytes"
    # The other organisation was never held back by the greedy one.
    assert put_document(live, other, evidence_bytes(large)).status_code == 201


def test_blobs_no_document_lists_are_cleaned_up(serve: Any) -> None:
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    listed, forgotten = os.urandom(3000), os.urandom(4000)
    for blob in (listed, forgotten):
        put = requests.put(live.api(f"/blobs/{sha256_hex(blob)}"), data=blob, headers=auth(token))
        assert put.status_code == 201
    assert put_document(live, token, evidence_bytes(listed)).status_code == 201

    code, out, err = live.cli("cleanup-blobs", "--days", "30")
    assert code == 0, err
    assert "bez dokumentu od 30 dni: 0" in out  # both are fresh
    time.sleep(0.05)
    code, out, err = live.cli("cleanup-blobs", "--days", "0")
    assert code == 0, err
    assert "bez dokumentu od 0 dni: 1," in out
    blob_files = {path.name for path in (live.data_dir / "blobs").rglob("*") if path.is_file()}
    assert blob_files == {sha256_hex(listed)}
    gone = requests.head(live.api(f"/blobs/{sha256_hex(forgotten)}"), headers=auth(token))
    assert gone.status_code == 404
    kept = requests.head(live.api(f"/blobs/{sha256_hex(listed)}"), headers=auth(token))
    assert kept.status_code == 200
    # A document listing the removed blob asks for it again, as for any missing one.
    response = put_document(live, token, evidence_bytes(forgotten))
    assert_error(response, 409, "missing_blobs", SUBMISSION, "PUT")


# --- the data folder --------------------------------------------------------------------------


def test_a_data_folder_of_the_previous_version_keeps_its_tokens_and_blobs(tmp_path: Path) -> None:
    """Version 1 kept no uploaders: a blob belongs to the organisations whose documents list it."""
    data_dir = tmp_path / "stary"
    (data_dir / "blobs").mkdir(parents=True)
    conn = sqlite3.connect(data_dir / DB_FILE)
    for statement in _split(_SCHEMA_V1):
        conn.execute(statement)
    token = "stary-token-organizacji"
    blob = os.urandom(2000)
    sha = sha256_hex(blob)
    (data_dir / "blobs" / sha[:2]).mkdir()
    (data_dir / "blobs" / sha[:2] / sha).write_bytes(blob)
    conn.execute(
        "INSERT INTO organizations VALUES (1, 'KGW w Łękawce', ?, '2027-01-01T00:00:00.000000Z')",
        (hashlib.sha256(token.encode()).hexdigest(),),
    )
    conn.execute(
        "INSERT INTO submissions VALUES (1, ?, 'W-000001', 1, 'evidence', 'Zdjęcia', ?, ?,"
        " '2027-05-20T08:00:00.000000Z', 'received', NULL, '2027-05-20T08:00:00.000000Z')",
        (str(uuid.uuid4()), evidence_bytes(blob), "0" * 64),
    )
    conn.execute(
        "INSERT INTO submission_attachments VALUES ((SELECT submission_id FROM submissions), ?)",
        (sha,),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    store = SqliteOperatorStore(data_dir)
    organization = store.organization_by_token(hashlib.sha256(token.encode()).hexdigest())
    assert organization is not None and organization.name == "KGW w Łękawce"
    assert store.owned_blob_size(sha, organization.id) == len(blob)
    assert store.usage(organization.id).pending_blobs == 0
    # Cleaning up keeps it: a document lists it.
    assert store.cleanup_blobs("9999-01-01T00:00:00.000000Z") == (0, 0)
    assert (data_dir / "blobs" / sha[:2] / sha).exists()
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_data_folder_and_database_are_private(tmp_path: Path, serve: Any) -> None:
    data_dir = tmp_path / "nowy" / "operator"
    previous = os.umask(0o022)  # the usual umask, which leaves files world-readable
    try:
        code, _, err = run_operator_cli("--data-dir", data_dir, "add-organization", "KGW")
    finally:
        os.umask(previous)
    assert code == 0, err
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "blobs").stat().st_mode) == 0o700
    for path in data_dir.glob(f"{DB_FILE}*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    live = serve()
    token = live.add_organization("OSP")
    blob = os.urandom(100)
    requests.put(live.api(f"/blobs/{sha256_hex(blob)}"), data=blob, headers=auth(token))
    [stored] = [path for path in (live.data_dir / "blobs").rglob("*") if path.is_file()]
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700


def test_serve_removes_interrupted_uploads_and_old_unlisted_blobs(tmp_path: Path) -> None:
    data_dir = tmp_path / "serwer"
    store = SqliteOperatorStore(data_dir)
    folder = data_dir / "blobs" / "ab"
    folder.mkdir()
    interrupted = folder / (".ab" + "0" * 62 + ".k3j2h1")  # replace_file's temporary name
    interrupted.write_bytes(b"half of a file")
    orphan = os.urandom(100)
    orphan_path = data_dir / "blobs" / sha256_hex(orphan)[:2] / sha256_hex(orphan)
    orphan_path.parent.mkdir(exist_ok=True)
    orphan_path.write_bytes(orphan)
    old = time.time() - 40 * 86400
    os.utime(orphan_path, (old, old))
    store.close()
    process = serve_in_a_process(data_dir)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "/api/v1/health" in line, line
        assert not interrupted.exists()
        assert not orphan_path.exists()
        if sys.platform == "win32":
            # Ctrl+C is a console event there (see the Ctrl+C test); what is tested
            # here, the clean-up at start, is done.
            process.terminate()
            process.communicate(timeout=15)
            return
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0


def test_queue_warnings_are_rate_limited(serve: Any) -> None:
    live = serve(threads=1)
    token = live.add_organization("KGW w Łękawce")
    queue_logger = logging.getLogger("waitress.queue")
    [limiter] = [item for item in queue_logger.filters if isinstance(item, QueueWarningLimiter)]
    fresh = QueueWarningLimiter(interval=60)
    queue_logger.removeFilter(limiter)
    queue_logger.addFilter(fresh)
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append  # type: ignore[method-assign]
    queue_logger.addHandler(handler)
    try:
        data = application_bytes()
        with ThreadPoolExecutor(max_workers=30) as pool:
            answers = list(pool.map(lambda _: put_document(live, token, data), range(60)))
        assert all(answer.status_code == 201 for answer in answers)
        assert fresh.suppressed > 0  # the burst did queue requests
        assert len(seen) == 1  # and one line said so
        assert "Task queue depth" in seen[0].getMessage()
    finally:
        queue_logger.removeHandler(handler)
        queue_logger.removeFilter(fresh)
        queue_logger.addFilter(limiter)


# --- one login per organisation -----------------------------------------------------------------


def test_add_organization_checks_and_keeps_the_nip(serve: Any) -> None:
    live = serve()
    code, out, err = live.cli("add-organization", "KGW w Łękawce", "--nip", "782-170-02-39")
    assert code == 0, err
    assert "NIP 7821700239" in out
    code, _, err = live.cli("add-organization", "Pomyłka", "--nip", "782-170-02-38")
    assert code == 2
    assert "nie jest poprawnym NIP-em" in err


def test_a_document_of_another_nip_is_refused_and_nothing_is_stored(serve: Any) -> None:
    live = serve()
    _, out, _ = live.cli("add-organization", "OSP w Ślemieniu", "--nip", "5260250274")
    token = out.strip().splitlines()[-1]
    before = live.digest()
    response = put_document(live, token, application_of(ORGANIZATION))
    error = assert_error(response, 403, "organization_mismatch", SUBMISSION, "PUT")
    assert error["document_organization"] == ORGANIZATION.name
    assert error["token_organization"] == "OSP w Ślemieniu"
    assert f"„{ORGANIZATION.name}”" in error["message"]
    assert "„OSP w Ślemieniu”" in error["message"]
    assert "własnym tokenem" in error["message"]
    assert live.digest() == before
    # Its own NIP, typed with dashes on the desktop, is the same NIP.
    own = replace(demo_organization(), nip="526-025-02-74")
    assert put_document(live, token, application_of(own)).status_code == 201


def test_a_login_without_a_nip_is_bound_by_its_first_document(serve: Any) -> None:
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    first_id = str(uuid.uuid4())
    first = application_of(ORGANIZATION)
    assert put_document(live, token, first, submission_id=first_id).status_code == 201
    assert put_document(live, token, application_of(ORGANIZATION, title="Druga")).status_code == 201
    stranger = demo_organization()  # the same demo data, another organisation's id
    before = live.digest()
    response = put_document(live, token, application_of(stranger))
    error = assert_error(response, 403, "organization_mismatch", SUBMISSION, "PUT")
    assert error["token_organization"] == "KGW w Łękawce"
    assert live.digest() == before
    # A repeat of what was accepted still gets its receipt.
    assert put_document(live, token, first, submission_id=first_id).status_code == 200


def test_a_report_is_checked_against_the_login_too(
    serve: Any, workspace: Workspace, demo_ids: DemoIds
) -> None:
    live = serve()
    _, out, _ = live.cli("add-organization", "OSP w Ślemieniu", "--nip", "5260250274")
    token = out.strip().splitlines()[-1]
    document = encode(reports.document(workspace, demo_ids.report_id))
    response = put_document(live, token, document)
    assert_error(response, 403, "organization_mismatch", SUBMISSION, "PUT")


# --- the call's window ----------------------------------------------------------------------


def publish(live: Live, tmp_path: Path, call_id: str, opens: date, deadline: datetime) -> None:
    shipped = json.loads(resource_path("calls", f"{DEMO_CALL_ID}.json").read_text())
    definition = shipped | {
        "id": call_id,
        "opens_at": opens.isoformat(),
        "deadline": deadline.replace(microsecond=0).isoformat(),
    }
    path = tmp_path / f"{call_id}.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    code, _, err = live.cli("publish-call", path)
    assert code == 0, err


def test_an_application_before_the_call_opens_is_refused(serve: Any, tmp_path: Path) -> None:
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    opens = datetime.now(UTC).date() + timedelta(days=10)
    publish(live, tmp_path, "nabor-jutrzejszy", opens, datetime.now(UTC) + timedelta(days=40))
    before = live.digest()
    response = put_document(live, token, application_of(ORGANIZATION, "nabor-jutrzejszy"))
    error = assert_error(response, 403, "call_not_open", SUBMISSION, "PUT")
    assert error["opens_at"] == opens.isoformat()
    assert f"{opens:%d.%m.%Y}" in error["message"]
    assert live.digest() == before
    # A call this operator never published has no window here.
    unknown = application_of(ORGANIZATION, "nabor-innego-operatora")
    assert put_document(live, token, unknown).status_code == 201


def test_an_application_after_the_deadline_is_refused_unless_frozen_counts(
    serve: Any, tmp_path: Path
) -> None:
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    now = datetime.now(UTC).replace(microsecond=0)
    deadline = (now - timedelta(hours=2)).astimezone(datetime.now().astimezone().tzinfo)
    publish(live, tmp_path, "nabor-zamkniety", now.date() - timedelta(days=30), deadline)
    late = application_of(ORGANIZATION, "nabor-zamkniety")
    before = live.digest()
    response = put_document(live, token, late)
    error = assert_error(response, 403, "call_closed", SUBMISSION, "PUT")
    assert datetime.fromisoformat(error["deadline"]) == deadline
    # Frozen in time does not help where the call counts what was received.
    frozen_in_time = (deadline - timedelta(minutes=5)).isoformat()
    response = put_frozen(live, token, late, frozen_in_time)
    assert_error(response, 403, "call_closed", SUBMISSION, "PUT")
    assert live.digest() == before

    # A call that counts frozen versions (published straight into the store while
    # call.schema.json does not yet know "deadline_counts").
    shipped = json.loads(resource_path("calls", f"{DEMO_CALL_ID}.json").read_text())
    frozen_call = shipped | {
        "id": "nabor-liczy-zamrozenie",
        "opens_at": (now.date() - timedelta(days=30)).isoformat(),
        "deadline": deadline.isoformat(),
        "deadline_counts": "frozen",
    }
    live.store.publish_call("nabor-liczy-zamrozenie", 1, frozen_call, "2027-01-01T00:00:00Z")
    counted = application_of(ORGANIZATION, "nabor-liczy-zamrozenie")
    for refused in (None, "wczoraj", (deadline + timedelta(seconds=1)).isoformat()):
        response = put_frozen(live, token, counted, refused)
        assert_error(response, 403, "call_closed", SUBMISSION, "PUT")
    submission_id = str(uuid.uuid4())
    response = put_frozen(live, token, counted, frozen_in_time, submission_id)
    assert response.status_code == 201, response.text
    assert live.store.frozen_at(submission_id) == frozen_in_time


def put_frozen(
    live: Live, token: str, data: bytes, frozen_at: str | None, submission_id: str | None = None
) -> requests.Response:
    headers = {
        **auth(token),
        "Content-Type": "application/json",
        "X-Content-SHA256": sha256_hex(data),
    }
    if frozen_at is not None:
        headers["X-Frozen-At"] = frozen_at
    return requests.put(
        live.api(f"/submissions/{submission_id or uuid.uuid4()}"),
        data=data,
        headers=headers,
        timeout=30,
    )


def test_a_report_after_the_call_closed_is_taken(
    serve: Any, tmp_path: Path, workspace: Workspace, demo_ids: DemoIds
) -> None:
    """A report comes after the project, long after the call's deadline for applications."""
    live = serve()
    token = live.add_organization("KGW w Łękawce")
    document = reports.document(workspace, demo_ids.report_id)
    now = datetime.now(UTC)
    opened, closed = now.date() - timedelta(days=300), now - timedelta(days=200)
    publish(live, tmp_path, document["call"]["id"], opened, closed)
    for item in document["attachments"]:
        blob = read_attachment(workspace.data_dir, item["sha256"])
        put = requests.put(live.api(f"/blobs/{item['sha256']}"), data=blob, headers=auth(token))
        assert put.status_code == 201
    document = encode(document)
    assert put_document(live, token, document).status_code == 201
