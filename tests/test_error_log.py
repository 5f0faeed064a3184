"""Errors reach someone: a log file in the data folder, a dialog in words, a crash file.

The window has no console on Windows. An exception in a slot (a bug) is
written to ``logs/mms-desktop.log`` and told in a dialog whose "Kopiuj
szczegóły" puts the traceback on the clipboard; the window goes on and what
was typed is kept. A crash of the interpreter itself leaves its stacks in
``logs/crash.log``. Tokens and personal data never reach any file in
``logs/``, whatever was done: a login, sending to a real operator, a failing
send, a profile with a phone, e-mail and PESEL typed in, a bug whose message
carries them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyboard import click, key, replace_text, type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from test_sync import Operator
from wine import UNDER_WINE

from mms_desktop import i18n, logs
from mms_desktop.paths import DataDir
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.crash_dialog import CrashDialog, CrashReporter
from mms_desktop.ui.main_window import MainWindow

PINNED_NOW = "2027-05-20T10:00:00+02:00"
PESEL = "44051401359"
PHONE = "600 123 457"
EMAIL = "agnieszka.los@zrodelko.example.pl"
NAME = "Agnieszka Łoś-Wąsik"
STREET = "ul. Łąkowa 15"


@pytest.fixture
def window_logging(tmp_path: Path) -> Iterator[tuple[Path, CrashReporter]]:
    """The data folder with the window's log and error dialog on, as ``mms-desktop`` starts.

    Only for tests marked ``qt_no_exception_capture``: pytest-qt's own excepthook
    would otherwise be the one put back afterwards, stale, for every later test.
    """
    data_dir = tmp_path / "dane"
    with logs.logging_to(DataDir(data_dir).logs, logs.WINDOW_LOG, console=False) as log_file:
        assert log_file is not None
        reporter = CrashReporter(log_file)
        reporter.install()
        try:
            yield data_dir, reporter
        finally:
            reporter.uninstall()
            if reporter.dialog is not None:
                reporter.dialog.close()


def open_on(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def line(window: QWidget, name: str) -> QLineEdit:
    found = window.findChild(QWidget, name)
    assert found is not None, name
    edit = found if isinstance(found, QLineEdit) else found.findChild(QLineEdit)
    assert isinstance(edit, QLineEdit), name
    return edit


def menu_action(window: MainWindow, key: str) -> QAction:
    text = i18n.tr(key)
    for action in window.findChildren(QAction):
        if action.text() == text:
            return action
    raise AssertionError(key)


def shown_dialog(qtbot: QtBot) -> CrashDialog:
    found: list[CrashDialog] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
        return any(w.isVisible() for w in found)

    qtbot.waitUntil(visible, timeout=5000)
    return next(w for w in found if w.isVisible())


def settle(qtbot: QtBot, window: MainWindow) -> None:
    window.writer.flush()
    qtbot.wait(50)


def log_text(data_dir: Path) -> str:
    return "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted((data_dir / "logs").iterdir())
    )


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_window_slot_is_logged_and_told_with_details_to_copy_and_typing_goes_on(
    qtbot: QtBot,
    window_logging: tuple[Path, CrashReporter],
    monkeypatch: pytest.MonkeyPatch,
    clock: str,
) -> None:
    data_dir, _ = window_logging
    with Workspace.open(data_dir) as workspace:
        organization_id = workspace.create_demo().organization_id

    def broken_about(self: MainWindow) -> None:
        raise RuntimeError("okno O programie się zepsuło")

    # A bug in a slot: connected when the window builds its menus, run from Qt's event loop.
    monkeypatch.setattr(MainWindow, "_about", broken_about)
    window = open_on(qtbot, data_dir)
    window.navigation.setCurrentRow(window.ORGANIZATION)
    role = line(window, "organization.contact.role")
    click(role)
    key(role, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("Koordy", role)  # half typed over the old role when the error comes

    menu_action(window, "ui.menu.about").trigger()
    dialog = shown_dialog(qtbot)

    assert dialog.windowTitle() == "Wystąpił nieoczekiwany błąd"
    message = dialog.findChild(QLabel, "crash_message")
    assert message is not None and "możesz dalej pracować" in message.text()
    where = dialog.findChild(QLabel, "crash_log_path")
    log_file = data_dir / "logs" / logs.WINDOW_LOG
    assert where is not None and str(log_file) in where.text()
    copy = dialog.findChild(QPushButton, "crash_copy")
    assert copy is not None and copy.text() == "Kopiuj szczegóły"
    QGuiApplication.clipboard().clear()
    click(copy)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Traceback (most recent call last):")
    assert "broken_about" in copied
    assert copied.rstrip().endswith("RuntimeError: okno O programie się zepsuło")

    # The same traceback is in the log file, with when and where.
    written = log_file.read_text(encoding="utf-8")
    assert "CRITICAL mms_desktop.uncaught: uncaught exception" in written
    assert "RuntimeError: okno O programie się zepsuło" in written
    assert "broken_about" in written

    # Back to work: the dialog closes, the half-typed field is finished, nothing lost.
    close = dialog.findChild(QPushButton, "crash_close")
    assert close is not None
    click(close)
    assert not dialog.isVisible()
    assert window.isVisible()
    click(role)
    key(role, Qt.Key.Key_End)
    type_text("natorka", role)
    click(line(window, "organization.contact.phone"))
    settle(qtbot, window)
    window.close()
    with Workspace.open(data_dir) as workspace:
        saved = workspace.store.load_organization(organization_id)
    assert saved.contact.role == "Koordynatorka"


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_worker_thread_reaches_the_window_too(
    qtbot: QtBot, window_logging: tuple[Path, CrashReporter]
) -> None:
    data_dir, _ = window_logging

    def job() -> None:
        raise ValueError("wątek roboczy się wyłożył")

    worker = threading.Thread(target=job, name="drukarka")
    worker.start()
    worker.join()
    dialog = shown_dialog(qtbot)
    assert "ValueError: wątek roboczy się wyłożył" in dialog.details
    written = (data_dir / "logs" / logs.WINDOW_LOG).read_text(encoding="utf-8")
    assert "uncaught exception in thread drukarka" in written
    assert "ValueError: wątek roboczy się wyłożył" in written


# A child started as `mms-desktop` starts (cli.main with the process's own command
# line), whose window dies in Qt's event loop the way a crash in C++ code does.
CRASHING_WINDOW = """
import faulthandler, sys
from PySide6.QtCore import QTimer
import mms_desktop.ui.app as app
opened = app.open_window
def open_and_crash(*args, **kwargs):
    window = opened(*args, **kwargs)
    QTimer.singleShot(300, faulthandler._sigsegv)
    return window
app.open_window = open_and_crash
sys.argv = ["mms-desktop", "--data-dir", sys.argv[1]]
from mms_desktop.cli import main
sys.exit(main())
"""


def test_a_crash_of_the_running_window_leaves_its_stacks_in_logs(tmp_path: Path) -> None:
    data_dir = tmp_path / "Łucja Żak" / "dane"
    with Workspace.open(data_dir) as workspace:  # no welcome question on the first start
        workspace.create_demo()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MMS_CLOCK=PINNED_NOW)
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WINDOW, str(data_dir)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Waited for, not read to the end: under Wine the debugger Wine starts for a
    # crashed program inherits the pipes and may hold the crashed process a while.
    crash_path = data_dir / "logs" / logs.CRASH_LOG
    written_at: float | None = None
    deadline = time.monotonic() + 300
    try:
        while child.poll() is None and time.monotonic() < deadline:
            main_stack = crash_path.exists() and re.search(
                r'cli\.py", line \d+ in main', crash_path.read_text("utf-8")
            )
            if written_at is None and main_stack:
                written_at = time.monotonic()
            if UNDER_WINE and written_at is not None and time.monotonic() - written_at > 30:
                break  # its stacks are written; Wine's debugger still holds it
            time.sleep(0.2)
        if not UNDER_WINE:
            assert child.poll() is not None, "the crashed program did not end"
            assert child.returncode != 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
        for pipe in (child.stdout, child.stderr):
            if pipe is not None:
                pipe.close()
    assert crash_path.exists(), "no crash.log"
    crash = (data_dir / "logs" / logs.CRASH_LOG).read_text(encoding="utf-8")
    # "Segmentation fault" on Linux, "access violation" on Windows.
    assert "Fatal Python error" in crash or "Windows fatal exception" in crash, crash
    # The main thread's stack says where it was: in the window's event loop,
    # started by the command line's main; the other threads' stacks are there too.
    assert re.search(r'app\.py", line \d+ in run', crash), crash
    assert re.search(r'cli\.py", line \d+ in main', crash), crash
    assert "writer.py" in crash, crash  # the store's writer thread


@pytest.mark.qt_no_exception_capture  # the excepthook under test is the program's own
def test_no_token_and_no_personal_data_reach_the_logs(
    qtbot: QtBot,
    tmp_path: Path,
    window_logging: tuple[Path, CrashReporter],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir, _ = window_logging
    env = dict(os.environ, MMS_CLOCK=PINNED_NOW, PYTHONUTF8="1", MMS_DATA_DIR=str(data_dir))
    env.pop("MMS_OPERATOR_TOKEN", None)

    def program(*args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mms_desktop", *args],
            env=env | extra,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
            check=False,
        )

    done = program("demo")
    assert done.returncode == 0, done.stderr
    listing = json.loads(program("list", "--json").stdout)
    organization_id = listing["organizations"][0]["id"]
    draft = next(item for item in listing["applications"] if item["status"] == "draft")

    # A profile typed in the window: a contact person with her phone, e-mail and a
    # PESEL (typed where it does not belong, as happens), an address.
    monkeypatch.setenv("MMS_CLOCK", PINNED_NOW)
    window = open_on(qtbot, data_dir)
    window.navigation.setCurrentRow(window.ORGANIZATION)
    replace_text(line(window, "organization.street"), STREET)
    replace_text(line(window, "organization.contact.name"), NAME)
    replace_text(line(window, "organization.contact.role"), f"PESEL {PESEL}")
    replace_text(line(window, "organization.contact.phone"), PHONE)
    replace_text(line(window, "organization.contact.email"), EMAIL)
    settle(qtbot, window)
    window.close()

    operator = Operator.create(tmp_path / "operator")
    try:
        served = operator.serve()
        token = operator.add_organization()
        # A login with the token (proved against the operator), a submission, a send.
        done = program(
            "login", "--server", served.url, "--organization", organization_id, stdin=token + "\n"
        )
        assert done.returncode == 0, done.stderr
        done = program("submit", draft["id"])
        assert done.returncode == 0, done.stderr
        done = program("sync", "--server", served.url, MMS_OPERATOR_TOKEN=token)
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(operator.submissions()) == 1
        # A send refused: a token the operator does not know (Authorization goes out).
        wrong = token[::-1]
        done = program("demo")
        assert done.returncode == 0, done.stderr
        second = next(
            item
            for item in json.loads(program("list", "--json").stdout)["applications"]
            if item["status"] == "draft" and item["id"] != draft["id"]
        )
        assert program("submit", second["id"]).returncode == 0
        done = program("sync", "--server", served.url, MMS_OPERATOR_TOKEN=wrong)
        assert done.returncode == 1, done.stdout + done.stderr
    finally:
        operator.stop()

    # A bug whose message carries all of it (a request's headers, the profile's fields),
    # in the window, the way a careless error message would.
    headers = {"Authorization": f"Bearer {token}"}
    logs.keep_secret(token)  # as the client does with every token it sends

    def careless() -> None:
        raise RuntimeError(f"wysyłka {headers} dla {PESEL} {PHONE} {EMAIL} i {wrong}")

    worker = threading.Thread(target=careless, name="wysyłka")
    worker.start()
    worker.join()
    assert "[ukryte]" in shown_dialog(qtbot).details

    written = log_text(data_dir)
    assert "migrating the store to schema" in written  # the command line logs here too
    assert "uncaught exception in thread wysyłka" in written
    files = sorted(path.name for path in (data_dir / "logs").iterdir())
    assert logs.CLI_LOG in files and logs.WINDOW_LOG in files
    for secret in (token, wrong, PESEL, PHONE, EMAIL, NAME, STREET):
        holding = [
            path.name
            for path in (data_dir / "logs").iterdir()
            if secret.encode("utf-8") in path.read_bytes()
        ]
        assert holding == [], (secret, holding)
    assert "Bearer" not in written.replace("Bearer [ukryte]", "")


def test_the_log_stays_bounded_and_readable(tmp_path: Path) -> None:
    """Years of use fill no disk: the file rotates, a few old ones kept; ids stay readable."""
    folder = tmp_path / "logs"
    record = logging.getLogger("mms_desktop.test")
    submission = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    blob = hashlib.sha256(b"zdjecie").hexdigest()
    with logs.logging_to(folder, logs.WINDOW_LOG, console=False):
        for number in range(6000):
            record.info(
                "wysyłka %s (%s) nr %d: 1234,56 zł, tel. %s, %s",
                submission,
                blob,
                number,
                PHONE,
                "Zażółć gęślą jaźń " * 40,
            )
    files = sorted(path.name for path in folder.iterdir())
    assert files == [logs.WINDOW_LOG] + [f"{logs.WINDOW_LOG}.{n}" for n in (1, 2, 3)]
    assert all(path.stat().st_size <= logs.MAX_BYTES + 1000 for path in folder.iterdir())
    newest = (folder / logs.WINDOW_LOG).read_text(encoding="utf-8").splitlines()[-1]
    assert newest.endswith(
        f"INFO mms_desktop.test: wysyłka {submission} ({blob}) nr 5999: 1234,56 zł, tel. "
        "[ukryte], " + "Zażółć gęślą jaźń " * 40
    )


FAILING_START = """
import sys
import mms_desktop.ui.app as app
def broken(*args, **kwargs):
    raise LookupError("okno nie wstało")
app.open_window = broken
sys.argv = ["mms-desktop", "--data-dir", sys.argv[1]]
from mms_desktop.cli import main
sys.exit(main())
"""


def test_an_error_that_keeps_the_window_from_opening_is_in_the_log(tmp_path: Path) -> None:
    """The windowed program has no stderr on Windows: the log is the only trace of it."""
    data_dir = tmp_path / "dane"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MMS_CLOCK=PINNED_NOW)
    child = subprocess.run(
        [sys.executable, "-c", FAILING_START, str(data_dir)],
        env=env,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert child.returncode == 1
    written = (data_dir / "logs" / logs.WINDOW_LOG).read_text(encoding="utf-8")
    assert "CRITICAL mms_desktop.uncaught: uncaught exception" in written
    assert "LookupError: okno nie wstało" in written
    assert written.count("LookupError: okno nie wstało") == 1  # logged once, not per hook
