"""What both stores must hold: hundreds of desktops syncing at once, and a backup
taken while submissions arrive. Each test runs on SQLite and on a real PostgreSQL
server (the ``serve`` fixture), against the real operator over HTTP."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from operator_support import run_operator_cli
from test_operator import Live, application_bytes, auth, evidence_bytes, put_document

from mms_desktop.domain.canonical import sha256_hex

DESKTOPS = 200


def test_200_desktops_at_once_lose_and_duplicate_nothing(serve: Any) -> None:
    live: Live = serve(threads=8)
    tokens = [live.add_organization(f"KGW nr {n}") for n in range(10)]
    repeated_id, contested_id = str(uuid.uuid4()), str(uuid.uuid4())
    repeated = application_bytes(title="Wysłany ponownie po zerwanym połączeniu")
    # 150 new submissions, 30 repeats of one (a desktop retrying), and 20 different
    # documents under one id (which only one of them may have).
    tasks: list[tuple[str, str, str, bytes]] = []
    for n in range(DESKTOPS):
        if n < 150:
            tasks.append(("new", tokens[n % 10], str(uuid.uuid4()), application_bytes(f"Nr {n}")))
        elif n < 180:
            tasks.append(("repeat", tokens[0], repeated_id, repeated))
        else:
            tasks.append(("contest", tokens[n % 10], contested_id, application_bytes(f"W {n}")))
    barrier = threading.Barrier(DESKTOPS)
    answers: list[requests.Response | None] = [None] * DESKTOPS

    def desktop(n: int) -> None:
        _, token, submission_id, data = tasks[n]
        barrier.wait(timeout=60)
        answers[n] = put_document(live, token, data, submission_id=submission_id)

    threads = [threading.Thread(target=desktop, args=(n,)) for n in range(DESKTOPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    statuses: dict[str, Counter[int]] = {
        "new": Counter(),
        "repeat": Counter(),
        "contest": Counter(),
    }
    for (kind, _, submission_id, data), answer in zip(tasks, answers, strict=True):
        assert answer is not None
        statuses[kind][answer.status_code] += 1
        if answer.status_code in (200, 201):
            receipt = answer.json()
            assert receipt["submission_id"] == submission_id
            assert receipt["content_sha256"] == sha256_hex(data)
            stored = live.store.submission_document(submission_id)
            assert stored is not None and sha256_hex(stored) == receipt["content_sha256"]
    assert statuses["new"] == Counter({201: 150})
    assert statuses["repeat"] == Counter({201: 1, 200: 29})
    assert statuses["contest"] == Counter({201: 1, 409: 19})
    receipts = {json.dumps(answers[n].json()) for n in range(150, 180)}  # type: ignore[union-attr]
    assert len(receipts) == 1  # every repeat got the original receipt
    # Nothing lost, nothing stored twice: one row per id, one server number each.
    stored_all = live.store.submissions()
    assert len(stored_all) == 152
    assert len({item.server_id for item in stored_all}) == 152
    tables = Counter(table for table, _ in live.rows())
    assert tables["submissions"] == 152
    assert tables["status_changes"] == 152


def test_a_backup_taken_while_submissions_arrive_restores_every_receipt_given_before_it(
    serve: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    live: Live = serve(threads=4)
    token = live.add_organization("KGW w Łękawce")
    photo = os.urandom(300_000)
    url = live.api(f"/blobs/{sha256_hex(photo)}")
    assert requests.put(url, data=photo, headers=auth(token), timeout=30).status_code == 201
    evidence_id = str(uuid.uuid4())
    put = put_document(live, token, evidence_bytes(photo), submission_id=evidence_id)
    assert put.status_code == 201
    receipts: list[tuple[float, str, str]] = [
        (time.monotonic(), evidence_id, sha256_hex(evidence_bytes(photo)))
    ]
    stop = threading.Event()

    def desktops() -> None:
        while not stop.is_set():
            submission_id = str(uuid.uuid4())
            data = application_bytes(title=f"Wniosek {len(receipts)}")
            response = put_document(live, token, data, submission_id=submission_id)
            assert response.status_code == 201, response.text
            receipts.append((time.monotonic(), submission_id, response.json()["content_sha256"]))

    sender = threading.Thread(target=desktops)
    sender.start()
    try:
        time.sleep(0.5)
        began = time.monotonic()
        archive = tmp_path / "kopia.tar"
        code, out, err = live.cli("backup", "--out", archive)
        time.sleep(0.3)  # and submissions still arrive after it
    finally:
        stop.set()
        sender.join(timeout=60)
    assert code == 0, err
    assert "Zapisano kopię zapasową" in out
    if os.name == "posix":  # Windows has no such mode bits; its folders are private anyway
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    before = [(submission_id, sha) for at, submission_id, sha in receipts if at < began]
    assert len(before) >= 5 and len(receipts) > len(before)  # it ran amid the traffic

    # Restored into an empty folder (and an empty database), by the command line.
    target = tmp_path / "odtworzone"
    where: list[object] = ["--data-dir", target]
    if live.kind == "postgresql":
        password_url = request.getfixturevalue("postgres_server").new_database()
        where += ["--database", password_url]
    code, out, err = run_operator_cli(*where, "restore", archive)
    assert code == 0, err
    assert "Odtworzono kopię" in out
    code, out, err = run_operator_cli(*where, "submissions", "--json")
    assert code == 0, err
    restored = {item["id"]: item["content_sha256"] for item in json.loads(out)}
    for submission_id, sha in before:
        assert restored.get(submission_id) == sha
    restored_photo = target / "blobs" / sha256_hex(photo)[:2] / sha256_hex(photo)
    assert restored_photo.read_bytes() == photo
    if os.name == "posix":
        assert stat.S_IMODE(restored_photo.stat().st_mode) == 0o600
    code, out, err = run_operator_cli(*where, "show", evidence_id)
    assert code == 0, err
    assert json.loads(out) == json.loads(evidence_bytes(photo))

    # Restoring over data is refused; so is a damaged archive, before anything is written.
    code, _, err = run_operator_cli(*where, "restore", archive)
    assert code == 3 and "już" in err
    damaged = tmp_path / "uszkodzona.tar"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    empty = tmp_path / "puste"
    code, _, err = run_operator_cli("--data-dir", empty, "restore", damaged)
    assert code == 3
    assert "uszkodzona" in err or "nie jest kopią" in err
    assert not (empty / "blobs").exists() or not any((empty / "blobs").iterdir())
