"""What goes wrong on the way to the operator, with real servers on loopback.

Each fault is real: a closed port, a server answering 500 or 503, one too slow
for the client's timeout, a captive portal's login page, a connection cut after
the operator stored the submission. Whatever happens, no submission is lost,
none is stored twice at the operator, and the user is told what happened in words.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_sync import (
    Operator,
    Served,
    WsgiApp,
    demo_and_submit,
    free_port,
    headless_token,
    outbox,
    running_operator,
)

from mms_desktop.services import sending
from mms_desktop.services.workspace import Workspace
from mms_desktop.services.workspace import now as clock_now
from mms_desktop.storage.store import OutboxState
from mms_desktop.sync import client as client_module
from mms_desktop.sync.client import OperatorClient

SUBMISSIONS = "/api/v1/submissions/"


@pytest.fixture(name="operator")
def operator_fixture(tmp_path: Path) -> Iterator[Operator]:
    yield from running_operator(tmp_path / "operator")


@pytest.fixture(name="token")
def token_fixture(operator: Operator, monkeypatch: pytest.MonkeyPatch) -> str:
    return headless_token(operator, monkeypatch)


def is_put_submission(environ: dict[str, Any]) -> bool:
    return bool(environ["REQUEST_METHOD"] == "PUT" and environ["PATH_INFO"].startswith(SUBMISSIONS))


def canned(
    start_response: Any, status: str, body: bytes, content_type: str, **headers: str
) -> list[bytes]:
    start_response(
        status,
        [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        + [(name.replace("_", "-"), value) for name, value in headers.items()],
    )
    return [body]


def one_item(data_dir: Path) -> Any:
    with Workspace.open(data_dir) as workspace:
        [item] = workspace.store.outbox()
    return item


def sync_now(data_dir: Path, url: str, manual: bool = True) -> sending.SyncReport:
    with Workspace.open(data_dir) as workspace:
        return sending.sync(workspace, clock_now(), manual=manual, server=url)


def assert_held_once(operator: Operator, submission_id: str) -> dict[str, Any]:
    held = operator.submissions()
    assert [item["id"] for item in held] == [submission_id]
    return held[0]


# --- (a) no server --------------------------------------------------------------------


def test_a_closed_port_keeps_the_submission_queued_and_says_so(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app_id, _ = demo_and_submit(run_cli)
    code, out, err = run_cli("sync", "--server", url)
    assert code == 1
    assert "Brak połączenia z operatorem" in err and "czeka: 1" in out
    [waiting] = outbox(run_cli)
    assert (waiting["state"], waiting["attempts"]) == ("queued", 1)
    assert "Brak połączenia" in waiting["last_error"]
    with Workspace.open(data_dir) as workspace:
        [version] = workspace.store.versions(app_id)
    assert waiting["submission_id"] == version.id

    operator.serve(port)
    code, _out, err = run_cli("sync", "--server", url)
    assert code == 0, err
    [sent] = outbox(run_cli)
    assert sent["state"] == "sent" and sent["receipt"]["content_sha256"] == version.sha256
    assert_held_once(operator, version.id)


# --- (b) 500 once, then backoff ----------------------------------------------------------


def test_a_server_error_is_retried_later_and_the_submission_stored_once(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    served = operator.serve()
    failures = [1]

    def fail_once(environ: dict[str, Any], start_response: Any, app: WsgiApp) -> Any:
        if is_put_submission(environ) and failures:
            failures.pop()
            body = b'{"error": {"code": "internal_error", "message": "awaria"}}'
            return canned(start_response, "500 Internal Server Error", body, "application/json")
        return None

    operator.board.fault = fail_once
    demo_and_submit(run_cli)
    before = clock_now()
    report = sync_now(data_dir, served.url)
    assert (report.sent, report.waiting) == (0, 1)
    item = one_item(data_dir)
    assert item.state is OutboxState.QUEUED and item.attempts == 1
    assert "kłopot (kod 500)" in (item.last_error or "")
    assert item.next_try_at is not None
    assert datetime.fromisoformat(item.next_try_at) >= before + timedelta(seconds=14)
    assert operator.submissions() == []

    report = sync_now(data_dir, served.url)  # manual: tried at once despite the backoff
    assert report.sent == 1
    item = one_item(data_dir)
    assert item.state is OutboxState.SENT and item.last_error is None
    assert_held_once(operator, item.submission_id)
    assert operator.board.count("PUT", SUBMISSIONS) == 2


def two_queued_applications(run_cli: Any, tmp_path: Path) -> None:
    """The demo's draft and a copy of it (exported and imported), both submitted."""
    app_id, _ = demo_and_submit(run_cli)
    copy = tmp_path / "kopia.json"
    assert run_cli("export-json", app_id, "--out", copy)[0] == 0
    code, _out, err = run_cli("import-json", copy)
    assert code == 0, err
    listing = json.loads(run_cli("list", "--json")[1])
    [draft] = [a for a in listing["applications"] if a["status"] == "draft"]
    assert run_cli("submit", draft["id"])[0] == 0
    assert len(outbox(run_cli)) == 2


def test_a_portal_met_mid_round_stops_it_and_one_items_server_error_does_not(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any, tmp_path: Path
) -> None:
    """A login page instead of the operator: every other item of the organisation
    would meet it too, so the round stops at the first. A server error on one item:
    the next is still tried."""
    two_queued_applications(run_cli, tmp_path)
    served = operator.serve()
    answer = {"put": "portal"}

    def put_fails(environ: dict[str, Any], start_response: Any, app: WsgiApp) -> Any:
        if not is_put_submission(environ):
            return None
        if answer["put"] == "portal":
            page = "<html><body>Zaloguj się do sieci hotelowej</body></html>".encode()
            return canned(start_response, "200 OK", page, "text/html; charset=utf-8")
        body = b'{"error": {"code": "internal_error", "message": "awaria"}}'
        return canned(start_response, "500 Internal Server Error", body, "application/json")

    operator.board.fault = put_fails
    sync_now(data_dir, served.url, manual=False)
    assert operator.board.count("PUT", SUBMISSIONS) == 1
    assert sorted(item["attempts"] for item in outbox(run_cli)) == [0, 1]

    answer["put"] = "server error"
    sync_now(data_dir, served.url)
    assert operator.board.count("PUT", SUBMISSIONS) == 3
    assert sorted(item["attempts"] for item in outbox(run_cli)) == [1, 2]
    assert operator.submissions() == []


# --- (c) too slow, but stored -----------------------------------------------------------


def test_a_timeout_after_the_operator_stored_it_ends_with_the_original_receipt(
    operator: Operator,
    token: str,
    data_dir: Path,
    clock: str,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served = operator.serve()
    slow = [1]

    def store_then_dawdle(environ: dict[str, Any], start_response: Any, app: WsgiApp) -> Any:
        if not (is_put_submission(environ) and slow):
            return None
        slow.pop()
        answered: list[Any] = []
        body = b"".join(app(environ, lambda *args: answered.append(args)))  # stored now
        time.sleep(2.0)  # longer than the client waits
        start_response(*answered[0])
        return [body]

    operator.board.fault = store_then_dawdle
    monkeypatch.setattr(client_module, "READ_TIMEOUT_S", 1.0)
    monkeypatch.setattr(
        OperatorClient.__init__,
        "__defaults__",
        (None, (client_module.CONNECT_TIMEOUT_S, 1.0), False),
    )
    demo_and_submit(run_cli)
    report = sync_now(data_dir, served.url)
    assert report.sent == 0
    item = one_item(data_dir)
    assert item.state is OutboxState.QUEUED and item.attempts == 1
    assert "nie odpowiedział w czasie" in (item.last_error or "")
    held = assert_held_once(operator, item.submission_id)  # it did arrive

    report = sync_now(data_dir, served.url)
    assert report.sent == 1
    item = one_item(data_dir)
    assert item.state is OutboxState.SENT
    original = operator.store.submission(item.submission_id)
    assert original is not None
    assert item.receipt == original.receipt()
    assert item.receipt["content_sha256"] == held["content_sha256"]
    assert_held_once(operator, item.submission_id)


# --- (d) a captive portal ---------------------------------------------------------------

PORTAL_PAGE = (
    b"<!DOCTYPE html><html><body><h1>Gminny hotspot</h1>"
    b"<form action='/login'>Zaloguj si\xc4\x99</form></body></html>"
)


class PortalHandler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PORTAL_PAGE)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(PORTAL_PAGE)

    do_GET = do_PUT = do_POST = do_HEAD = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def portal() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PortalHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_captive_portal_is_never_taken_for_the_operator(
    portal: str, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    demo_and_submit(run_cli)
    code, _out, err = run_cli("sync", "--server", portal)
    assert code == 1
    assert "coś innego niż serwer operatora" in err
    item = one_item(data_dir)
    assert item.state is OutboxState.QUEUED and item.receipt is None
    assert "coś innego niż serwer operatora" in (item.last_error or "")

    # Even asked directly, past the health check, its 200 is no receipt.
    with Workspace.open(data_dir) as workspace:
        report = sending.SyncReport()
        client = OperatorClient(portal, token)
        sending.send_outbox(workspace, client, clock_now(), True, report)
        client.close()
    assert report.sent == 0
    item = one_item(data_dir)
    assert item.state is OutboxState.QUEUED and item.receipt is None
    assert "coś innego niż serwer operatora" in (item.last_error or "")


# --- (e) the connection cut before the receipt came back ----------------------------------


class CuttingProxy:
    """A TCP proxy, one request per connection: it forwards the request to the real
    server and reads its whole answer, but for the first ``cuts`` submission PUTs it
    closes the client's socket instead of passing the answer on."""

    def __init__(self, upstream_port: int, cuts: int) -> None:
        self.upstream_port = upstream_port
        self.cuts = cuts
        self.cut_done = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            length = 0
            kept = [lines[0]]
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
                if name.strip().lower() != b"connection":
                    kept.append(line)
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                body += chunk
            request = b"\r\n".join([*kept, b"Connection: close"]) + b"\r\n\r\n" + body
            with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
                upstream.sendall(request)
                answer = b""
                while chunk := upstream.recv(65536):
                    answer += chunk
            if lines[0].startswith(b"PUT " + SUBMISSIONS.encode()) and self.cut_done < self.cuts:
                self.cut_done += 1
                return  # stored upstream; the client never hears of it
            conn.sendall(answer)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() above
        self.listener.close()
        self._thread.join(timeout=10)


def test_a_connection_cut_before_the_receipt_ends_with_the_original_receipt(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    served: Served = operator.serve()
    proxy = CuttingProxy(served.port, cuts=1)
    try:
        demo_and_submit(run_cli)
        report = sync_now(data_dir, proxy.url)
        assert proxy.cut_done == 1 and report.sent == 0
        item = one_item(data_dir)
        assert item.state is OutboxState.QUEUED and item.receipt is None
        assert "Brak połączenia" in (item.last_error or "")
        assert_held_once(operator, item.submission_id)  # the operator did store it

        report = sync_now(data_dir, proxy.url)
        assert report.sent == 1
        item = one_item(data_dir)
        original = operator.store.submission(item.submission_id)
        assert original is not None
        assert item.state is OutboxState.SENT and item.receipt == original.receipt()
        assert_held_once(operator, item.submission_id)
        assert operator.board.count("PUT", SUBMISSIONS) == 2
    finally:
        proxy.close()


# --- (f) Retry-After, (g) backoff paces only the automatic worker --------------------------


def test_retry_after_is_honoured(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    served = operator.serve()

    def busy(environ: dict[str, Any], start_response: Any, app: WsgiApp) -> Iterable[bytes] | None:
        if is_put_submission(environ):
            body = b'{"error": {"code": "unavailable", "message": "przerwa techniczna"}}'
            return canned(
                start_response,
                "503 Service Unavailable",
                body,
                "application/json",
                Retry_After="120",
            )
        return None

    operator.board.fault = busy
    demo_and_submit(run_cli)
    before = clock_now()
    report = sync_now(data_dir, served.url)
    assert report.sent == 0
    item = one_item(data_dir)
    assert item.state is OutboxState.QUEUED
    assert "kod 503" in (item.last_error or "")
    assert item.next_try_at is not None
    assert datetime.fromisoformat(item.next_try_at) >= before + timedelta(seconds=119)
    assert operator.submissions() == []


def test_backoff_paces_the_automatic_worker_but_not_a_manual_send(
    operator: Operator, token: str, data_dir: Path, clock: str, run_cli: Any
) -> None:
    served = operator.serve()
    demo_and_submit(run_cli)
    later = (clock_now() + timedelta(minutes=10)).isoformat(timespec="seconds")
    with Workspace.open(data_dir) as workspace:
        [item] = workspace.store.outbox()
        workspace.store.mark_retry(item.submission_id, "wcześniejszy błąd", later)

    report = sync_now(data_dir, served.url, manual=False)
    assert (report.sent, report.waiting) == (0, 1)
    assert one_item(data_dir).state is OutboxState.QUEUED
    assert operator.board.count("PUT", SUBMISSIONS) == 0
    assert operator.submissions() == []

    report = sync_now(data_dir, served.url, manual=True)
    assert report.sent == 1
    assert one_item(data_dir).state is OutboxState.SENT
    assert_held_once(operator, item.submission_id)
