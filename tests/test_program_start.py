"""The program's start as a volunteer's click makes it: the command line, the
folder's lock, the store opened on a thread while Qt loads, the window."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from mms_desktop.paths import DataDir
from mms_desktop.services.demo import demo_application
from mms_desktop.services.workspace import Workspace, WorkspaceOpening
from mms_desktop.ui.app import SHOW_ONCE

EXTRA_APPLICATIONS = 40


def filled(data_dir: Path) -> int:
    """A demo folder with more applications; how many the window must list."""
    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
        call = workspace.calls.get(workspace.application(ids.application_id).call_id)
        for number in range(EXTRA_APPLICATIONS):
            application = demo_application(ids.organization_id, call)
            workspace.store.add_application(replace(application, title=f"Zadanie nr {number}"))
        return len(workspace.applications())


def start_program(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env[SHOW_ONCE] = "1"
    return subprocess.run(
        [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=180,
    )


def test_the_window_started_as_a_volunteer_starts_it_lists_every_application(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "Koło Gospodyń w Łękawce"
    count = filled(data_dir)

    started = start_program(data_dir)

    assert started.returncode == 0, started.stderr
    ready = started.stdout.splitlines()[0]
    assert ready.startswith(f"ready rows={count} cpu_ms=")
    # Held back for the start, the cycle collector is on again once the window is up.
    assert ready.endswith(" collector=on")
    assert "Traceback" not in started.stderr
    # The window let go of the folder and the store: a command works on it at once.
    listing = subprocess.run(
        [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir), "list"],
        check=False,
        capture_output=True,
        timeout=180,
    )
    assert listing.returncode == 0, listing.stderr


# Loaded on first use, never by a start of the window: each costs the start
# milliseconds (see README, "How it is built"; benchmarks/startup.py).
LEFT_FOR_LATER = (
    "mms_desktop.domain.report",
    "mms_desktop.domain.report_records",
    "mms_desktop.domain.findings",
    "mms_desktop.domain.canonical",
    "mms_desktop.domain.submission",
    "mms_desktop.domain.call",  # the list reads only each call's heading
    "hashlib",
    "uuid",
    "sqlite_utils",
    "reportlab",
    "requests",
    "jsonschema",
    "keyring",
    # Qt's classes cost a millisecond or two each to load: what only a dialog needs.
    "PySide6.QtWidgets.QMessageBox",
    "PySide6.QtWidgets.QFileDialog",
    "PySide6.QtWidgets.QProgressDialog",
)

# The window's start as __main__ makes it, with the list of loaded modules
# printed once the window is painted.
PROBE = """
import sys
from mms_desktop import collector
collector.hold_back()
from mms_desktop.ui import app
shown_once = app._shown_once
def loaded(name):
    if name.startswith("PySide6.QtWidgets."):  # a class PySide made on first use
        return name.rsplit(".", 1)[1] in vars(sys.modules["PySide6.QtWidgets"])
    return name in sys.modules
def probe(application, window):
    print("loaded:", " ".join(name for name in sys.argv[2:] if loaded(name)))
    return shown_once(application, window)
app._shown_once = probe
from mms_desktop.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def test_the_start_leaves_for_later_what_the_first_view_does_not_need(tmp_path: Path) -> None:
    data_dir = tmp_path / "dane"
    filled(data_dir)
    with Workspace.open(data_dir) as workspace:  # a report, as a settled grant has
        assert workspace.store.list_reports()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env[SHOW_ONCE] = "1"
    started = subprocess.run(
        [sys.executable, "-c", PROBE, str(data_dir), *LEFT_FOR_LATER],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert started.returncode == 0, started.stderr
    lines = started.stdout.splitlines()
    assert lines[0] == "loaded: "
    assert lines[1].startswith("ready rows=")


def test_a_store_opened_on_the_start_thread_is_read_and_written_on_the_window_thread(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "dane"
    opening = WorkspaceOpening(data_dir)
    with opening.result() as workspace:
        ids = workspace.create_demo()  # writes, on this thread, through that connection
        listed = {summary.id for summary in workspace.applications()}
    assert ids.application_id in listed
    with Workspace.open(data_dir) as again:
        assert {summary.id for summary in again.applications()} == listed


def test_a_folder_the_start_cannot_open_is_told_as_opening_it_would_tell(tmp_path: Path) -> None:
    occupied = tmp_path / "plik, nie folder"
    occupied.write_text("to nie jest folder danych", encoding="utf-8")
    opening = WorkspaceOpening(occupied)
    try:
        opening.result()
    except Exception as from_thread:
        caught = from_thread
    else:
        raise AssertionError("a file was opened as a data folder")
    try:
        Workspace.open(occupied)
    except Exception as direct:
        assert type(caught) is type(direct)
        assert str(caught) == str(direct)
    else:
        raise AssertionError("a file was opened as a data folder")
    assert DataDir(occupied).root.read_text(encoding="utf-8") == "to nie jest folder danych"
