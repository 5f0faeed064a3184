"""What only the PostgreSQL store has: a URL (and a password in it), its own schema
versions, and many server processes on one database. A real server, see postgres_support."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from operator_support import run_operator_cli
from postgres_support import PASSWORD, PostgresServer
from test_operator import application_bytes, auth, evidence_bytes
from wine import NO_LINUX_PROGRAMS, skip_under_wine

from mms_desktop.domain.canonical import sha256_hex
from mms_operator.postgres_store import _SCHEMA_V1, PostgresOperatorStore, safe_url
from mms_operator.store import StoreTooNewError

pytestmark = skip_under_wine(NO_LINUX_PROGRAMS.format("initdb, pg_ctl"))


def test_a_database_of_the_previous_version_keeps_its_tokens_and_blobs(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """Version 1 kept no uploaders: a blob belongs to the organisations whose documents list it."""
    url = postgres_server.new_database()
    token = "stary-token-organizacji"
    blob = os.urandom(2000)
    sha = sha256_hex(blob)
    (tmp_path / "blobs" / sha[:2]).mkdir(parents=True)
    (tmp_path / "blobs" / sha[:2] / sha).write_bytes(blob)
    with psycopg.connect(url) as conn:
        conn.execute(_SCHEMA_V1)
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        conn.execute(
            "INSERT INTO organizations VALUES (1, 'KGW w Łękawce', %s, "
            "'2027-01-01T00:00:00.000000Z')",
            (hashlib.sha256(token.encode()).hexdigest(),),
        )
        conn.execute(
            "INSERT INTO submissions VALUES (1, %s, 'W-000001', 1, 'evidence', 'Zdjęcia', %s,"
            " %s, '2027-05-20T08:00:00.000000Z', 'received', NULL, '2027-05-20T08:00:00.000000Z')",
            (str(uuid.uuid4()), evidence_bytes(blob), "0" * 64),
        )
        conn.execute(
            "INSERT INTO submission_attachments "
            "VALUES ((SELECT submission_id FROM submissions), %s)",
            (sha,),
        )

    store = PostgresOperatorStore(url, tmp_path)
    try:
        assert store.schema_version() == 3
        organization = store.organization_by_token(hashlib.sha256(token.encode()).hexdigest())
        assert organization is not None and organization.name == "KGW w Łękawce"
        assert store.owned_blob_size(sha, organization.id) == len(blob)
        assert store.usage(organization.id).pending_blobs == 0
        assert store.cleanup_blobs("9999-01-01T00:00:00.000000Z") == (0, 0)
        assert (tmp_path / "blobs" / sha[:2] / sha).exists()
    finally:
        store.close()


def test_servers_starting_at_once_migrate_the_database_once(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.new_database()
    opened: list[PostgresOperatorStore] = []
    failed: list[BaseException] = []

    def start() -> None:
        try:
            opened.append(PostgresOperatorStore(url, tmp_path))
        except BaseException as error:
            failed.append(error)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failed, failed
    assert [store.schema_version() for store in opened] == [3] * 6
    for store in opened:
        store.close()


def test_a_database_from_a_newer_version_is_refused(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.new_database()
    PostgresOperatorStore(url, tmp_path).close()
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreTooNewError):
        PostgresOperatorStore(url, tmp_path)
    code, _, err = run_operator_cli("--data-dir", tmp_path, "--database", url, "submissions")
    assert code == 3
    assert "nowsza wersja" in err
    assert PASSWORD not in err


def _without_password(url: str, password: str) -> bool:
    from urllib.parse import quote

    return password not in url and quote(password, safe="") not in url


def test_a_wrong_database_is_told_in_polish_without_the_password(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    good = postgres_server.new_database()
    port = postgres_server.port
    wrong_password = good.replace("127.0.0.1", "localhost").split("@", 1)[1]
    cases = {
        "zły-sekret": (f"postgresql://mms_test:z%C5%82y-sekret@{wrong_password}", "hasła"),
        "sekret-bazy": (good.rsplit("/", 1)[0] + "/nie_ma_takiej", "nie ma takiej bazy"),
        "sekret-portu": (
            f"postgresql://mms_test:sekret-portu@127.0.0.1:{port + 1 if port < 65535 else 1}/x",
            "nie przyjmuje połączeń",
        ),
        "sekret-hosta": ("postgresql://mms_test:sekret-hosta@nie-ma.invalid/x", "nie ma komputera"),
        "sekret-mysql": ("mysql://root:sekret-mysql@localhost/x", "postgresql://"),
    }
    for secret, (url, words) in cases.items():
        code, out, err = run_operator_cli("--data-dir", tmp_path, "--database", url, "submissions")
        assert code == 3, (url, out, err)
        assert words in err, err
        assert "Traceback" not in err and "psycopg" not in err
        assert secret not in out + err and "z%C5%82y" not in err
    # The password's characters do not leak through the address shown either.
    assert _without_password(safe_url(good), PASSWORD)
    assert safe_url(good).endswith(f"@127.0.0.1:{port}/{good.rsplit('/', 1)[1]}")


def test_serve_on_postgresql_named_by_the_environment(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.new_database()
    env = {**os.environ, "MMS_OPERATOR_DATABASE": url}
    data_dir = tmp_path / "załączniki"
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "mms_operator",
            "--data-dir",
            str(data_dir),
            "add-organization",
            "KGW w Łękawce",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    token = added.stdout.strip().splitlines()[-1]
    process = subprocess.Popen(
        [sys.executable, "-m", "mms_operator", "--data-dir", str(data_dir), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/api/v1/health", line)
        assert match, line
        line += process.stdout.readline()  # where the data is
        data = application_bytes(title="Wysłany do PostgreSQL")
        submission_id = str(uuid.uuid4())
        response = requests.put(
            match.group(0).replace("/health", f"/submissions/{submission_id}"),
            data=data,
            headers={
                **auth(token),
                "Content-Type": "application/json",
                "X-Content-SHA256": sha256_hex(data),
            },
            timeout=30,
        )
        assert response.status_code == 201, response.text
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    shown = line + out + err
    assert "baza postgresql://mms_test@127.0.0.1" in shown
    assert _without_password(shown, PASSWORD)
    # The row is in PostgreSQL, not in an SQLite file beside the blobs.
    assert not list(data_dir.glob("*.sqlite3"))
    with psycopg.connect(url) as conn:
        row: Any = conn.execute(
            "SELECT document FROM submissions WHERE submission_id = %s", (submission_id,)
        ).fetchone()
    assert bytes(row[0]) == data
