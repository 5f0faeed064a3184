"""One program per data folder: a second copy is told so in words and writes nothing.

Real processes: the window started as a volunteer starts it (``python -m
mms_desktop --data-dir …``, offscreen), then the command line beside it, or a
second window. Commands that only read run alongside the window; those that
write, a restore and a bundle import above all, are refused with exit 4 and
leave the data as it was. A window killed without closing leaves no lock
behind: the next start opens.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from mms_desktop.cli import EXIT_IN_USE, main
from mms_desktop.paths import STORE_FILE
from mms_desktop.storage.folder_lock import COMMAND, LOCK_FILE, WINDOW, FolderLock, holder

PINNED_NOW = "2027-05-20T10:00:00+02:00"
IN_USE = "Program jest już otwarty na tym folderze danych"


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONIOENCODING", "MMS_DATA_DIR"}}
    env.update(MMS_CLOCK=PINNED_NOW, PYTHONUTF8="1", QT_QPA_PLATFORM="offscreen")
    return env


def program(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir), *args],
        env=environment(data_dir),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def files_digest(data_dir: Path) -> dict[str, str]:
    """Every file of the data folder but the logs and the lock, with its SHA-256."""
    return {
        str(path.relative_to(data_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir.rglob("*"))
        if path.is_file() and "logs" not in path.parts and path.name != LOCK_FILE
    }


Start = Callable[[], subprocess.Popen[bytes]]


def settled(data_dir: Path) -> None:
    """The window's start-up writes are done: its start backup (one second after the
    first paint, none when a backup is minutes old) is there, and nothing changes."""
    deadline = time.monotonic() + 120
    quiet_since = time.monotonic()
    last = files_digest(data_dir)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = files_digest(data_dir)
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= 4.0:
            return
    raise AssertionError("the window's start did not settle")


@pytest.fixture
def start_window(data_dir: Path) -> Iterator[Start]:
    """Starts the window in its own process; returns once it holds the data folder."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        window = subprocess.Popen(
            [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir)],
            env=environment(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started.append(window)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            found = holder(data_dir)
            if found is not None and (found.pid, found.role) == (window.pid, WINDOW):
                settled(data_dir)
                return window
            assert window.poll() is None, window.communicate()
            time.sleep(0.1)
        raise AssertionError("the window did not start")

    yield start
    for window in started:
        if window.poll() is None:
            window.kill()
        window.communicate(timeout=60)


@pytest.fixture
def demo_folder(data_dir: Path) -> Path:
    done = program(data_dir, "demo")
    assert done.returncode == 0, done.stderr
    return data_dir


def test_commands_that_read_run_beside_the_window_and_those_that_write_are_refused(
    demo_folder: Path, start_window: Start, tmp_path: Path
) -> None:
    data_dir = demo_folder
    drafts = [
        item["id"]
        for item in json.loads(program(data_dir, "list", "--json").stdout)["applications"]
        if item["status"] == "draft"
    ]
    window = start_window()
    before = files_digest(data_dir)

    listed = program(data_dir, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["organizations"]) == 1
    checked = program(data_dir, "validate", drafts[0])
    assert checked.returncode in (0, 1), checked.stderr
    pdf = tmp_path / "wniosek.pdf"
    printed = program(data_dir, "export-pdf", drafts[0], "--out", str(pdf))
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert program(data_dir, "check").returncode == 0

    for command in (["demo"], ["submit", drafts[0]], ["sync"], ["backup"]):
        refused = program(data_dir, *command)
        assert refused.returncode == EXIT_IN_USE, (command, refused.stderr)
        assert refused.stdout == ""
        assert IN_USE in refused.stderr and str(data_dir) in refused.stderr
        assert "zamknij okno programu i spróbuj ponownie" in refused.stderr
        assert "Traceback" not in refused.stderr

    assert files_digest(data_dir) == before
    assert window.poll() is None  # the window goes on
    # In English too, with the same code.
    refused = program(data_dir, "--language", "en", "demo")
    assert refused.returncode == EXIT_IN_USE
    assert "The program is already open on this data folder" in refused.stderr


def test_a_restore_or_a_bundle_import_never_runs_under_an_open_window(
    demo_folder: Path, start_window: Start, tmp_path: Path
) -> None:
    data_dir = demo_folder
    made = program(data_dir, "backup")
    assert made.returncode == 0, made.stderr
    backup_name = Path(made.stdout.strip()).name
    bundle = tmp_path / "przeniesienie.mms"
    exported = program(data_dir, "export-bundle", "--out", str(bundle))
    assert exported.returncode == 0, exported.stderr
    start_window()
    before = files_digest(data_dir)
    store_before = (data_dir / STORE_FILE).read_bytes()

    for command in (
        ["restore", backup_name],
        ["import-bundle", str(bundle)],
        ["import-bundle", str(bundle), "--merge"],
    ):
        refused = program(data_dir, *command)
        assert refused.returncode == EXIT_IN_USE, (command, refused.stdout, refused.stderr)
        assert IN_USE in refused.stderr

    assert (data_dir / STORE_FILE).read_bytes() == store_before
    assert files_digest(data_dir) == before
    # The backups the window lists are the same ones: nothing was added before refusing.
    listed = program(data_dir, "backups", "--json")
    assert listed.returncode == 0
    assert backup_name in listed.stdout


def test_a_second_window_on_the_same_folder_is_told_in_words_and_opens_nothing(
    qtbot: QtBot, demo_folder: Path, start_window: Start
) -> None:
    data_dir = demo_folder
    first = start_window()
    before = files_digest(data_dir)
    told: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "second_copy":
            QTimer.singleShot(50, answer)
            return
        told.append(box.text())
        box.accept()

    QTimer.singleShot(50, answer)
    # A second click on the icon: the program's start, in this process.
    code = main(["--data-dir", str(data_dir)])

    assert code == EXIT_IN_USE
    assert len(told) == 1
    assert told[0].startswith(f"{IN_USE} ({data_dir})")
    assert "Przejdź do otwartego okna" in told[0]
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert files_digest(data_dir) == before
    found = holder(data_dir)
    assert found is not None and found.pid == first.pid  # still the first window's


def test_a_window_killed_without_closing_does_not_block_the_next_start(
    demo_folder: Path, start_window: Start
) -> None:
    data_dir = demo_folder
    first = start_window()
    first.kill()  # kill -9 / TerminateProcess: no chance to let go of anything
    first.wait(timeout=60)
    assert (data_dir / LOCK_FILE).exists()  # the file stays; the lock died with its process

    started = time.monotonic()
    done = program(data_dir, "demo")
    assert done.returncode == 0, done.stderr
    second = start_window()  # and the next window opens
    assert holder(data_dir) is not None and holder(data_dir).pid == second.pid  # type: ignore[union-attr]
    assert time.monotonic() - started < 120


def test_a_command_that_writes_waits_for_another_command_then_runs(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    # Another command holds the folder for two seconds (a script's previous step).
    with FolderLock.acquire(data_dir, COMMAND):
        waiting = subprocess.Popen(
            [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir), "demo"],
            env=environment(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(2.0)
        assert waiting.poll() is None  # still waiting, not refused
        assert not (data_dir / STORE_FILE).exists()
    _, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err.decode("utf-8")
    assert (data_dir / STORE_FILE).exists()


def test_the_window_waits_for_a_command_that_is_finishing_then_opens(demo_folder: Path) -> None:
    """A script's last step still running when the volunteer clicks the icon: no refusal."""
    data_dir = demo_folder
    holding = FolderLock.acquire(data_dir, COMMAND)
    try:
        waiting = subprocess.Popen(
            [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir)],
            env=environment(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(3.0)
        assert waiting.poll() is None
        found = holder(data_dir)
        assert found is not None and found.role == COMMAND  # not taken from under it
    finally:
        holding.release()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = holder(data_dir)
            if found is not None and found.pid == waiting.pid:
                break
            time.sleep(0.1)
        assert found is not None and (found.pid, found.role) == (waiting.pid, WINDOW)
    finally:
        waiting.kill()
        waiting.communicate(timeout=60)
