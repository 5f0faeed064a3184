"""Shared by the operator and sync tests: the operator's CLI run in-process, and a
document kind with attachments for the blob path of the protocol (served from a
copy of the real schema folder: the attachment rules do not depend on which kind
of document lists them)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from mms_operator.cli import main as operator_main


def run_operator_cli(*args: object) -> tuple[int, str, str]:
    """``mms-operator ARGS`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = operator_main([str(arg) for arg in args])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def serve_in_a_process(data_dir: Path) -> subprocess.Popen[str]:
    """``mms-operator serve`` on a free port, as an operator starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "mms_operator", "--data-dir", str(data_dir), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


# Servers that shut their own wake-up pipe before the test stopped them (see
# stop_serving): listed at the end of the run (conftest's terminal summary).
SELF_CLOSED_WAKEUPS: list[str] = []


def stop_serving(server: Any, thread: threading.Thread) -> None:
    """Stop a waitress server running in ``thread``: the requests being answered
    finish, then every socket is closed by the server's own loop, which then ends.

    Closing the sockets from this thread while the loop waited on them failed
    tests at random ("Bad file descriptor" in the loop, a socket left open).
    """
    from waitress import wasyncore

    server.task_dispatcher.shutdown(timeout=10)
    try:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    except OSError as error:
        _stop_without_the_wakeup_pipe(server, thread, error)
    thread.join(timeout=10)
    assert not thread.is_alive(), "the test server did not stop"


def _stop_without_the_wakeup_pipe(server: Any, thread: threading.Thread, error: OSError) -> None:
    """The loop's wake-up pipe is gone (once in CI, at the end of a passing test).

    If waitress closed it itself (its trigger, or the whole server, took an error),
    the loop still wakes once a second and ends when its map is empty, so the map
    is emptied and what was in it is closed once the loop is gone; the run's
    summary names the test. If something else in this process closed the pipe's
    descriptors, their numbers may be another object's by now: nothing more is
    closed, and the test fails with what was seen.
    """
    trigger = server.trigger
    seen = (
        f"{os.environ.get('PYTEST_CURRENT_TEST', '?')}: {error}; trigger closed by "
        f"waitress: {trigger._closed}; server still listening: {server.accepting}; "
        f"in the loop's map: {sorted(type(each).__name__ for each in server._map.values())}; "
        f"threads: {sorted(each.name for each in threading.enumerate())}"
    )
    if not trigger._closed:
        raise AssertionError(f"the wake-up pipe was closed under the test server: {seen}")
    SELF_CLOSED_WAKEUPS.append(seen)
    left = list(server._map.values())
    server._map.clear()
    thread.join(timeout=10)
    for dispatcher in left:
        with contextlib.suppress(OSError):
            dispatcher.close()


class Serving:
    """``mms-operator serve`` in its own process, its address read from what it prints
    first; then its output is drained so it never blocks on a full pipe."""

    def __init__(self, data_dir: Path) -> None:
        self.process = serve_in_a_process(data_dir)
        assert self.process.stdout is not None and self.process.stderr is not None
        line = self.process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/api/v1/health", line)
        if match is None:
            self.process.kill()
            _, err = self.process.communicate()
            raise AssertionError(f"serve did not start: {line!r} {err!r}")
        self.url = match.group(1)
        self._drains = [
            threading.Thread(target=stream.read, daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for drain in self._drains:
            drain.start()

    def stop(self) -> None:
        """The operator's server goes away (a stopped service, a dead machine)."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=15)
        for drain in self._drains:
            drain.join(timeout=15)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


EVIDENCE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema", "schema_version", "evidence", "attachments"],
    "properties": {
        "schema": {"const": "mms-evidence"},
        "schema_version": {"const": 1},
        "evidence": {
            "type": "object",
            "required": ["title"],
            "properties": {"title": {"type": "string", "minLength": 1}},
        },
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["sha256", "name", "size"],
                "properties": {
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "name": {"type": "string"},
                    "size": {"type": "integer", "minimum": 0},
                },
            },
        },
    },
}
