"""Sending to the operator, end to end: a real operator on loopback, real SQLite files.

The desktop side is driven through its real command line (in-process, and once
as a new process); the operator side is the real Flask app served by waitress
on a free 127.0.0.1 port, with its real SQLite store and its own command line.
The helpers at the top are shared with ``test_sync_faults.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import waitress
from demo_support import complete_demo_report, the_draft
from operator_support import EVIDENCE_SCHEMA, stop_serving
from operator_support import run_operator_cli as operator_cli
from pdf_readback import pdf_text

from mms_desktop.domain.application import ApplicationStatus
from mms_desktop.domain.canonical import encode, sha256_hex
from mms_desktop.resources import resource_path
from mms_desktop.services import sending
from mms_desktop.services.attachments import store_attachment
from mms_desktop.services.workspace import ENV_CLOCK, Workspace
from mms_desktop.services.workspace import now as clock_now
from mms_desktop.storage.store import OutboxState
from mms_desktop.sync import credentials
from mms_desktop.sync.client import OperatorClient
from mms_operator.app import MIB, Limits, create_app
from mms_operator.postgres_store import PostgresOperatorStore
from mms_operator.sqlite_store import SqliteOperatorStore
from mms_operator.store import utc_now
from mms_operator.validation import SchemaCatalog

REPO = Path(__file__).resolve().parents[1]
LIMITS = Limits()
ORGANIZATION = "Stowarzyszenie Przyjaciół Ziemi Łękawickiej"


WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
# A fault sees each request first: it answers it itself, or returns None to pass it on.
Fault = Callable[[dict[str, Any], Any, WsgiApp], Iterable[bytes] | None]


# --- the operator, served ------------------------------------------------------------


class Switchboard:
    """WSGI middleware: records every request; ``fault`` may answer one in its place."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.fault: Fault | None = None
        self.seen: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        with self._lock:
            self.seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        if self.fault is not None:
            answered = self.fault(environ, start_response, self.app)
            if answered is not None:
                return answered
        return self.app(environ, start_response)

    def count(self, method: str, prefix: str) -> int:
        return sum(1 for m, path in self.seen if m == method and path.startswith(prefix))


class Served:
    """A WSGI app served by waitress on 127.0.0.1 (``port`` 0: a free one) in a thread."""

    def __init__(self, app: WsgiApp, port: int = 0) -> None:
        self.server = waitress.create_server(
            app,
            host="127.0.0.1",
            port=port,
            threads=4,
            max_request_body_size=LIMITS.blob_bytes + MIB,
        )
        self.port: int = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self._thread.start()

    def close(self) -> None:
        stop_serving(self.server, self._thread)


def free_port() -> int:
    """A port nobody listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Operator:
    """One operator's data folder and app; ``serve`` puts it on the network (again)."""

    root: Path
    data_dir: Path
    store: SqliteOperatorStore | PostgresOperatorStore
    board: Switchboard
    servers: list[Served] = field(default_factory=list)

    @classmethod
    def create(
        cls, root: Path, clock: Callable[[], str] = utc_now, database: str | None = None
    ) -> Operator:
        """An operator on SQLite, or on the PostgreSQL ``database`` (a URL) when given."""
        schemas_dir = root / "schemas"
        shutil.copytree(resource_path("schemas"), schemas_dir)
        (schemas_dir / "evidence.schema.json").write_text(json.dumps(EVIDENCE_SCHEMA))
        data_dir = root / "dane-operatora"
        store: SqliteOperatorStore | PostgresOperatorStore = (
            SqliteOperatorStore(data_dir)
            if database is None
            else PostgresOperatorStore(database, data_dir)
        )
        app = create_app(store, limits=LIMITS, schemas=SchemaCatalog(schemas_dir), clock=clock)
        return cls(root, data_dir, store, Switchboard(app))

    def serve(self, port: int = 0) -> Served:
        served = Served(self.board, port)
        self.servers.append(served)
        return served

    def stop(self) -> None:
        while self.servers:
            self.servers.pop().close()
        self.store.close()

    def cli(self, *args: object) -> tuple[int, str, str]:
        if isinstance(self.store, PostgresOperatorStore):
            return operator_cli("--data-dir", self.data_dir, "--database", self.store.url, *args)
        return operator_cli("--data-dir", self.data_dir, *args)

    def add_organization(self, name: str = ORGANIZATION, *, nip: str | None = None) -> str:
        code, out, err = self.cli("add-organization", name, *(["--nip", nip] if nip else []))
        assert code == 0, err
        return out.strip().splitlines()[-1]

    def submissions(self) -> list[dict[str, Any]]:
        """What the operator's staff see: ``mms-operator submissions --json``."""
        code, out, err = self.cli("submissions", "--json")
        assert code == 0, err
        found: list[dict[str, Any]] = json.loads(out)
        return found

    def blob_files(self) -> list[Path]:
        return [path for path in (self.data_dir / "blobs").rglob("*") if path.is_file()]


def running_operator(
    root: Path, clock: Callable[[], str] = utc_now, database: str | None = None
) -> Iterator[Operator]:
    made = Operator.create(root, clock, database)
    try:
        yield made
    finally:
        made.stop()


def headless_token(operator: Operator, monkeypatch: pytest.MonkeyPatch) -> str:
    """The organisation's token, supplied as a headless run gets it: MMS_OPERATOR_TOKEN."""
    issued = operator.add_organization()
    monkeypatch.setattr(credentials, "_session_tokens", {})
    monkeypatch.setenv(credentials.ENV_TOKEN, issued)
    return issued


@pytest.fixture(params=["sqlite", "postgresql"])
def operator(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Operator]:
    """The desktop syncs with an operator on SQLite, and with one on PostgreSQL."""
    database = None
    if request.param == "postgresql":
        database = request.getfixturevalue("postgres_server").new_database()
    yield from running_operator(tmp_path / "operator", database=database)


@pytest.fixture
def token(operator: Operator, monkeypatch: pytest.MonkeyPatch) -> str:
    return headless_token(operator, monkeypatch)


# --- the desktop side -----------------------------------------------------------------


def outbox(run_cli: Any) -> list[dict[str, Any]]:
    code, out, err = run_cli("outbox", "--json")
    assert code == 0, err
    items: list[dict[str, Any]] = json.loads(out)
    return items


def demo_and_submit(run_cli: Any) -> tuple[str, str]:
    """``demo`` then ``submit``: (application id, printed control sum)."""
    code, out, err = run_cli("demo")
    assert code == 0, err
    code, out, err = run_cli("list", "--json")
    assert code == 0, err
    app_id = str(the_draft(json.loads(out))["id"])
    code, out, err = run_cli("submit", app_id)
    assert code == 0, err
    return app_id, out.strip()


def keep_login(data_dir: Path, url: str) -> None:
    """The only organisation's operator address, as a login leaves it (its token: the env's)."""
    with Workspace.open(data_dir) as workspace:
        [organization] = workspace.store.list_organizations()
        workspace.store.set_operator_login(organization.id, url)


def evidence_document(title: str, blobs: list[tuple[str, int]]) -> bytes:
    return encode(
        {
            "schema": "mms-evidence",
            "schema_version": 1,
            "evidence": {"title": title},
            "attachments": [
                {"sha256": sha, "name": f"zdjęcie-{n}.jpg", "size": size}
                for n, (sha, size) in enumerate(blobs, start=1)
            ],
        }
    )


def freeze_evidence(workspace: Workspace, application_id: str, *blobs: bytes) -> str:
    """A frozen document listing attachments kept in the data folder, queued; its id."""
    listed = [(store_attachment(workspace.data_dir, blob), len(blob)) for blob in blobs]
    data = evidence_document("Zdjęcia z warsztatów", listed)
    with workspace.store.transaction():
        version = workspace.store.freeze_version(
            application_id, data.decode("utf-8"), sha256_hex(data), ApplicationStatus.QUEUED
        )
        workspace.store.enqueue(version.id, application_id)
    return version.id


def files_holding(folder: Path, secret: str) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and secret.encode() in path.read_bytes()
    ]


# --- the whole round through the command line ------------------------------------------


def test_submit_login_sync_answer_correct_resend_and_new_call(
    operator: Operator,
    data_dir: Path,
    clock: str,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    served = operator.serve()
    issued = operator.add_organization()
    monkeypatch.setattr(credentials, "_session_tokens", {})
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)

    app_id, shown_sum = demo_and_submit(run_cli)
    assert len(shown_sum) == 19 and shown_sum.count("-") == 3  # 1A2B-3C4D-5E6F-7A8B
    [queued] = outbox(run_cli)
    assert (queued["application_id"], queued["state"], queued["attempts"]) == (app_id, "queued", 0)
    assert queued["receipt"] is None

    # login: the token on stdin; no keyring (as on a Linux without a Secret
    # Service; Windows always has its Credential Manager), so it is kept for
    # this run only.
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    monkeypatch.setattr(keyring.core, "_keyring_backend", NoKeyring())
    monkeypatch.setattr(sys, "stdin", io.StringIO(issued + "\n"))
    code, out, err = run_cli("login", "--server", served.url + "/")
    assert code == 0, err
    assert "tokenu nie zapisano" in out and "MMS_OPERATOR_TOKEN" in out
    assert files_holding(data_dir, issued) == []
    credentials._session_tokens.clear()  # the next runs are new processes
    monkeypatch.setenv(credentials.ENV_TOKEN, issued)

    code, out, err = run_cli("sync")
    assert code == 0, err
    [sent] = outbox(run_cli)
    with Workspace.open(data_dir) as workspace:
        [version] = workspace.store.versions(app_id)
    assert sent["state"] == "sent" and sent["last_error"] is None
    assert sent["submission_id"] == version.id
    assert sent["receipt"]["content_sha256"] == version.sha256
    assert shown_sum.replace("-", "").lower() == version.sha256[:16]
    [held] = operator.submissions()
    assert (held["id"], held["content_sha256"]) == (version.id, version.sha256)
    assert operator.store.submission_document(version.id) == version.document.encode("utf-8")
    # The application's attachments (the demo's statute and revenue declaration)
    # reached the operator as blobs, byte for byte.
    attached = json.loads(version.document)["attachments"]
    assert {item["requirement_id"] for item in attached} == {"statut", "oswiadczenie_przychody"}
    held_blobs = {path.name: path.read_bytes() for path in operator.blob_files()}
    for item in attached:
        assert hashlib.sha256(held_blobs[item["sha256"]]).hexdigest() == item["sha256"]

    # Nothing is sent twice.
    puts = operator.board.count("PUT", "/api/v1/submissions/")
    code, out, err = run_cli("sync")
    assert code == 0, err
    assert operator.board.count("PUT", "/api/v1/submissions/") == puts
    assert len(operator.submissions()) == 1

    # The operator asks for corrections; the answer comes back with the next sync.
    comment = "Proszę poprawić harmonogram: zadanie 2 kończy się po terminie naboru."
    code, out, err = operator.cli(
        "set-status", version.id, "needs_corrections", "--comment", comment
    )
    assert code == 0, err
    code, out, err = run_cli("sync")
    assert code == 0, err
    code, out, err = run_cli("list", "--json")
    [listed] = [item for item in json.loads(out)["applications"] if item["id"] == app_id]
    assert listed["status"] == "needs_corrections"
    with Workspace.open(data_dir) as workspace:
        answer = workspace.store.operator_answers()[app_id]
        assert (answer.submission_id, answer.status, answer.comment) == (
            version.id,
            "needs_corrections",
            comment,
        )
        workspace.store.reopen_for_corrections(app_id)
        assert workspace.store.application_status(app_id) is ApplicationStatus.DRAFT
        workspace.store.update_application(app_id, title="Warsztaty rękodzieła – poprawione")

    code, out, err = run_cli("submit", app_id)
    assert code == 0, err
    code, out, err = run_cli("sync")
    assert code == 0, err
    with Workspace.open(data_dir) as workspace:
        first, second = workspace.store.versions(app_id)
    assert (second.number, second.replaces_id) == (2, first.id)
    assert second.sha256 != first.sha256
    held_now = {item["id"]: item["content_sha256"] for item in operator.submissions()}
    assert held_now == {first.id: first.sha256, second.id: second.sha256}
    assert [item["state"] for item in outbox(run_cli)] == ["sent", "sent"]

    # A new version of a call, published by the operator, reaches the desktop.
    shipped = json.loads((resource_path("calls") / "mms-2027-p1-przyklad.json").read_text())
    newer = shipped | {"version": shipped["version"] + 1, "name": shipped["name"] + " (zmiana)"}
    call_file = tmp_path / "nabor-v2.json"
    call_file.write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    code, out, err = operator.cli("publish-call", call_file)
    assert code == 0, err
    code, out, err = run_cli("sync")
    assert code == 0, err
    code, out, err = run_cli("calls", "--json")
    [listed_call] = [item for item in json.loads(out) if item["id"] == shipped["id"]]
    assert (listed_call["version"], listed_call["source"]) == (newer["version"], "operator")
    assert listed_call["name"] == newer["name"]
    assert files_holding(data_dir, issued) == []


def test_a_submission_made_offline_is_sent_by_a_new_process_once_the_server_is_up(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    demo_and_submit(run_cli)
    code, _out, err = run_cli("sync", "--server", url)
    assert code == 1
    assert "Brak połączenia" in err
    [waiting] = outbox(run_cli)
    assert (waiting["state"], waiting["attempts"]) == ("queued", 1)
    assert "Brak połączenia" in waiting["last_error"]
    assert operator.submissions() == []

    operator.serve(port)
    keep_login(data_dir, url)
    env = os.environ | {credentials.ENV_TOKEN: token, ENV_CLOCK: clock}
    done = subprocess.run(
        [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir), "sync"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [sent] = outbox(run_cli)
    assert sent["state"] == "sent" and sent["last_error"] is None
    [held] = operator.submissions()
    assert held["id"] == sent["submission_id"]
    assert held["content_sha256"] == sent["receipt"]["content_sha256"]
    assert files_holding(data_dir, token) == []


def test_an_item_left_sending_by_a_crash_is_sent_by_the_next_sync(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    served = operator.serve()
    demo_and_submit(run_cli)
    with Workspace.open(data_dir) as workspace:
        [item] = workspace.store.outbox()
        workspace.store.mark_sending(item.submission_id)
    keep_login(data_dir, served.url)
    assert [entry["state"] for entry in outbox(run_cli)] == ["sending"]
    code, _out, err = run_cli("sync")
    assert code == 0, err
    [sent] = outbox(run_cli)
    assert (sent["submission_id"], sent["state"]) == (item.submission_id, "sent")
    assert [held["id"] for held in operator.submissions()] == [item.submission_id]


def test_a_sync_without_a_token_keeps_the_item_queued_for_later(
    operator: Operator,
    data_dir: Path,
    clock: str,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served = operator.serve()
    issued = operator.add_organization()
    monkeypatch.setattr(credentials, "_session_tokens", {})
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
    demo_and_submit(run_cli)
    code, out, err = run_cli("sync", "--server", served.url)
    assert code == 1
    organization = "Koło Gospodyń Wiejskich w Łękawce Górnej"
    assert f"Organizacja „{organization}” nie ma jeszcze loginu do operatora" in err
    assert "czeka: 1" in out
    [waiting] = outbox(run_cli)
    assert waiting["state"] == "queued" and waiting["attempts"] == 0
    assert "wpisz adres i token w ustawieniach wysyłki" in waiting["last_error"]
    assert "wpisz adres i token w ustawieniach wysyłki" in waiting["waiting"]
    assert operator.board.count("PUT", "/api/v1/submissions/") == 0
    monkeypatch.setenv(credentials.ENV_TOKEN, issued)
    code, _out, err = run_cli("sync", "--server", served.url)
    assert code == 0, err
    assert [entry["state"] for entry in outbox(run_cli)] == ["sent"]
    assert len(operator.submissions()) == 1


# --- reports ----------------------------------------------------------------------------


def test_a_report_goes_through_the_operator_with_its_photos_and_is_listed_beside_applications(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any, tmp_path: Path
) -> None:
    served = operator.serve()
    app_id, _ = demo_and_submit(run_cli)
    [report] = json.loads(run_cli("list", "--json")[1])["reports"]
    keep_login(data_dir, served.url)
    with Workspace.open(data_dir) as workspace:
        complete_demo_report(workspace, report["id"])
    code, out, err = run_cli("report-submit", report["id"])
    assert code == 0, err
    shown_sum = out.strip()

    queued = [item for item in outbox(run_cli) if item["kind"] == "report"]
    assert [(item["report_id"], item["state"]) for item in queued] == [(report["id"], "queued")]
    code, out, err = run_cli("sync")
    assert code == 0, err
    with Workspace.open(data_dir) as workspace:
        [version] = workspace.store.report_versions(report["id"])
    assert shown_sum.replace("-", "").lower() == version.sha256[:16]
    states = {item["submission_id"]: (item["kind"], item["state"]) for item in outbox(run_cli)}
    assert states[version.id] == ("report", "sent")

    # The operator's staff see the report next to the application, by kind.
    listed = {item["id"]: item for item in operator.submissions()}
    assert listed[version.id]["kind"] == "report"
    assert listed[version.id]["title"] == report["title"]
    assert listed[version.id]["content_sha256"] == version.sha256
    assert {item["kind"] for item in listed.values()} == {"application", "report"}
    code, out, err = operator.cli("submissions", "--kind", "report", "--json")
    assert code == 0, err
    assert [item["id"] for item in json.loads(out)] == [version.id]
    assert operator.store.submission_document(version.id) == version.document.encode("utf-8")
    # The operator prints what the organisation printed: the same control sum.
    printout = tmp_path / "sprawozdanie-u-operatora.pdf"
    code, out, err = operator.cli("show", version.id, "--pdf", printout)
    assert code == 0, err
    assert shown_sum in pdf_text(printout) and "Śpiewaj z nami" in pdf_text(printout)
    # Its photo and attendance-list scan reached the operator byte for byte.
    attached = json.loads(version.document)["attachments"]
    assert {item["name"] for item in attached} == {
        "lista-obecnosci-warsztaty.pdf",
        "koncert-zdjecie.png",
    }
    held_blobs = {path.name: path.read_bytes() for path in operator.blob_files()}
    for item in attached:
        assert hashlib.sha256(held_blobs[item["sha256"]]).hexdigest() == item["sha256"]

    # The operator accepts the report; the desktop learns it at the next sync.
    code, out, err = operator.cli("set-status", version.id, "accepted", "--comment", "Rozliczono.")
    assert code == 0, err
    code, out, err = run_cli("sync")
    assert code == 0, err
    [listed_report] = json.loads(run_cli("list", "--json")[1])["reports"]
    assert listed_report["status"] == "accepted"
    assert listed_report["control_sum"] == shown_sum
    with Workspace.open(data_dir) as workspace:
        answer = workspace.store.report_answers()[report["id"]]
        assert (answer.status, answer.comment) == ("accepted", "Rozliczono.")
        # The application it settles keeps its own status, as does the one sent alongside.
        settled = workspace.store.application_status(report["application_id"])
        assert settled is ApplicationStatus.ACCEPTED
        assert workspace.store.application_status(app_id) is ApplicationStatus.SENT


# --- attachments ------------------------------------------------------------------------


def test_attachments_go_first_and_a_blob_the_operator_has_is_never_sent_again(
    operator: Operator, token: str, data_dir: Path, clock: str
) -> None:
    served = operator.serve()
    photo = os.urandom(300_000)
    board = operator.board
    with Workspace.open(data_dir) as workspace:
        app_id = workspace.create_demo().application_id
        first = freeze_evidence(workspace, app_id, photo)
        client = OperatorClient(served.url, token)
        report = sending.SyncReport()
        sending.send_outbox(workspace, client, clock_now(), True, report)
        assert report.sent == 1
        ours = [entry for entry in board.seen if entry[1].startswith("/api/v1/blobs/")]
        sha = sha256_hex(photo)
        assert ours == [("HEAD", f"/api/v1/blobs/{sha}"), ("PUT", f"/api/v1/blobs/{sha}")]
        assert board.seen[-1] == ("PUT", f"/api/v1/submissions/{first}")
        assert client.bytes_sent > len(photo)
        assert [path.name for path in operator.blob_files()] == [sha]

        second = freeze_evidence(workspace, app_id, photo)
        before, seen_before = client.bytes_sent, len(board.seen)
        report = sending.SyncReport()
        sending.send_outbox(workspace, client, clock_now(), True, report)
        client.close()
        assert report.sent == 1
        assert board.seen[seen_before:] == [
            ("HEAD", f"/api/v1/blobs/{sha}"),
            ("PUT", f"/api/v1/submissions/{second}"),
        ]
        assert client.bytes_sent - before < 2_000  # the document only
        states = {item.submission_id: item.state for item in workspace.store.outbox()}
        assert states == {first: OutboxState.SENT, second: OutboxState.SENT}
    held = {item["id"] for item in operator.submissions()}
    assert held == {first, second}
    assert board.count("PUT", "/api/v1/blobs/") == 1
    assert len(operator.blob_files()) == 1
