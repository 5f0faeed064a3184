"""Shared fixtures: a fresh data folder, a pinned clock, an open workspace, the CLI in-process."""

from __future__ import annotations

import os

# GUI tests need a platform that draws nowhere; it must be set before Qt loads.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mms_desktop import i18n
from mms_desktop.services.workspace import ENV_CLOCK, DemoIds, Workspace

# The shipped example calls have deadlines in June 2027; this "now" is inside them.
PINNED_NOW = "2027-05-20T10:00:00+02:00"

RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder that does not exist yet (the program creates it)."""
    return tmp_path / "dane"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> str:
    """Pin "now" for deadline checks (MMS_CLOCK)."""
    monkeypatch.setenv(ENV_CLOCK, PINNED_NOW)
    return PINNED_NOW


@pytest.fixture
def workspace(data_dir: Path) -> Iterator[Workspace]:
    opened = Workspace.open(data_dir)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def demo_ids(workspace: Workspace) -> DemoIds:
    return workspace.create_demo()


@pytest.fixture
def run_cli(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[RunCli]:
    """``run_cli("list", "--json")`` → (exit code, stdout, stderr), in-process.

    ``--data-dir`` is the test's data folder unless ``data_dir=`` names another
    (or ``data_dir=None`` leaves it out). The message language is put back to
    Polish after each run: it is process-wide state and ``--language`` sets it.
    """
    from mms_desktop.cli import main

    default = object()

    def run(*args: str, data_dir: object = default) -> tuple[int, str, str]:
        folder = run.data_dir if data_dir is default else data_dir  # type: ignore[attr-defined]
        argv = [str(arg) for arg in args]
        if folder is not None:
            argv = ["--data-dir", str(folder), *argv]
        capsys.readouterr()  # drop whatever was printed before
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse: --version, --help, bad usage
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
        finally:
            i18n.set_language(i18n.SOURCE_LANGUAGE)
        out, err = capsys.readouterr()
        return code, out, err

    run.data_dir = data_dir  # type: ignore[attr-defined]
    yield run
    i18n.set_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """One real PostgreSQL server for the session (see postgres_support); started on
    first use, so runs that test no operator store do not pay for it."""
    from postgres_support import start_postgres
    from wine import stop_under_wine

    stop_under_wine("initdb, pg_ctl")
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def serve(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Start real operator servers on fresh stores: ``serve(limits=…, threads=…)``.

    Each test using it runs twice: on an SQLite data folder, and on a fresh
    database of the session's PostgreSQL server (its blobs in a data folder).
    """
    import json
    import shutil
    import threading

    from operator_support import EVIDENCE_SCHEMA, stop_serving
    from test_operator import Live, open_store

    from mms_desktop.resources import resource_path
    from mms_operator.app import Limits, create_app
    from mms_operator.server import create_server
    from mms_operator.validation import SchemaCatalog

    running: list[tuple[Any, threading.Thread, Any]] = []

    def start(limits: Limits | None = None, threads: int = 4) -> Live:
        root = tmp_path / f"operator-{len(running)}"
        schemas_dir = root / "schemas"
        shutil.copytree(resource_path("schemas"), schemas_dir)
        (schemas_dir / "evidence.schema.json").write_text(json.dumps(EVIDENCE_SCHEMA))
        store = open_store(request.param, root / "dane-operatora", request)
        app = create_app(store, limits=limits, schemas=SchemaCatalog(schemas_dir))
        server = create_server(app, host="127.0.0.1", port=0, threads=threads, limits=limits)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread, store))
        return Live(f"http://127.0.0.1:{server.effective_port}", store.data_dir, store)

    yield start
    # Every server is stopped and every store closed even if one of them fails
    # (the next test starts clean); each server stops before its store closes.
    with contextlib.ExitStack() as stopping:
        for server, thread, store in running:
            stopping.callback(store.close)
            stopping.callback(stop_serving, server, thread)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Test servers whose wake-up pipe waitress closed itself before the test ended:
    the tests passed, but the run says so (operator_support.stop_serving)."""
    from operator_support import SELF_CLOSED_WAKEUPS

    for seen in SELF_CLOSED_WAKEUPS:
        terminalreporter.write_line(f"test server stopped without its wake-up pipe: {seen}")
