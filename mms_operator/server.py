"""The operator's HTTP server: waitress, set up to hold under load and under attack.

- Every answer is JSON, also the ones waitress gives before the application sees
  a request (a body over its limit, a malformed request line, headers too large):
  its plain-text error pages are replaced by the protocol's error shape.
- Idle or stalled connections are closed after ``CHANNEL_TIMEOUT`` seconds, and
  up to ``CONNECTION_LIMIT`` may be open at once (poll(), not select(), so the
  number is not capped at 1024 descriptors): a hundred half-sent requests do
  not lock other organisations out. A slowloris that keeps thousands of sockets
  alive is the reverse proxy's to stop (see the README of mms_operator).
- waitress's "Task queue depth is N" warning, one per queued request under a
  burst, is logged at most once per ``QUEUE_WARNING_INTERVAL`` seconds, with the
  number of warnings folded into it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from mms_desktop.i18n import tr
from mms_operator.app import MIB, Limits, error_body

CONNECTION_LIMIT = 500
CHANNEL_TIMEOUT = 20  # seconds a connection may sit without sending or receiving
CLEANUP_INTERVAL = 5  # how often waitress looks for such connections
MAX_HEADER_BYTES = 64 * 1024
QUEUE_WARNING_INTERVAL = 60.0

# waitress's own refusals, in the protocol's words (the catalog's operator.http.*).
_CORE_ERRORS = {
    400: ("bad_request", "operator.http.bad_http_request"),
    413: ("payload_too_large", "operator.http.payload_too_large"),
    431: ("headers_too_large", "operator.http.headers_too_large"),
    500: ("internal_error", "operator.http.internal_error"),
}


class JsonErrorTask(ErrorTask):  # type: ignore[misc]  # waitress has no type hints
    """waitress's error answer with a JSON body in the protocol's shape."""

    def execute(self) -> None:
        error = self.request.error
        status = int(getattr(error, "code", 500))
        code, key = _CORE_ERRORS.get(status, ("http_error", ""))
        message = tr(key) if key else str(error.reason)
        extra: dict[str, Any] = {}
        if status == 413:
            limit = self.channel.server.adj.max_request_body_size
            message = tr("operator.http.too_large", megabytes=f"{limit / MIB:g}")
            extra["limit_bytes"] = limit
        body = json.dumps(error_body(code, message, **extra), ensure_ascii=False).encode()
        self.status = f"{status} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):  # type: ignore[misc]
    error_task_class = JsonErrorTask


class QueueWarningLimiter(logging.Filter):
    """Lets one "Task queue depth" warning through per interval, counting the rest."""

    def __init__(self, interval: float = QUEUE_WARNING_INTERVAL) -> None:
        super().__init__()
        self.interval = interval
        self._lock = threading.Lock()
        self._last = -interval
        self._held = 0
        self.suppressed = 0  # in all, since the start

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                self._held += 1
                self.suppressed += 1
                return False
            self._last = now
            held, self._held = self._held, 0
        if held:
            record.msg = f"{record.msg} ({held} podobnych ostrzeżeń pominięto)"
        return True


_QUEUE_LOGGER = logging.getLogger("waitress.queue")


def limit_queue_warnings(interval: float = QUEUE_WARNING_INTERVAL) -> None:
    """Install the limiter on waitress's queue logger once per process."""
    if not any(isinstance(item, QueueWarningLimiter) for item in _QUEUE_LOGGER.filters):
        _QUEUE_LOGGER.addFilter(QueueWarningLimiter(interval))


def create_server(
    app: Any, *, host: str, port: int, threads: int = 4, limits: Limits | None = None
) -> Any:
    """A waitress server for ``app``, not yet running (``.run()``, ``.close()``)."""
    limits = limits or Limits()
    limit_queue_warnings()
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        # Above our own limits the app answers 413 itself; far above them waitress
        # refuses the body before the app sees it (also in JSON, see above).
        max_request_body_size=max(limits.submission_bytes, limits.blob_bytes) + MIB,
        max_request_header_size=MAX_HEADER_BYTES,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT,
        cleanup_interval=CLEANUP_INTERVAL,
        asyncore_use_poll=True,
        ident="mms-operator",
    )
    server.channel_class = JsonErrorChannel
    return server
