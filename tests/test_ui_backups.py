"""Backups in the window: made on start without waiting, listed in words, restored.

A damaged store is never opened: the recovery dialog names the newest good
backup and what may be missing; the damaged file is set aside, never deleted.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from mms_desktop.paths import DataDir
from mms_desktop.services import backups
from mms_desktop.services.workspace import ENV_CLOCK, DemoIds, Workspace, WorkspaceOpening, now
from mms_desktop.storage.migrations import LATEST_VERSION
from mms_desktop.storage.store import Store
from mms_desktop.ui.app import open_window
from mms_desktop.ui.backup_tasks import moment
from mms_desktop.ui.backups_dialog import BackupsDialog
from mms_desktop.ui.home_view import COLUMNS
from mms_desktop.ui.main_window import MainWindow
from mms_desktop.ui.recovery_dialog import RecoveryDialog
from tests.keyboard import click
from tests.test_backups import damage

DEMO_COUNTS = "organizacje: 1, wnioski: 2, sprawozdania: 1"


@pytest.fixture
def demo(data_dir: Path, clock: str) -> DemoIds:
    with Workspace.open(data_dir) as workspace:
        return workspace.create_demo()


@pytest.fixture
def set_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Move the pinned clock to another time of 20.05.2027 (``"10:30"``)."""
    return lambda hour: monkeypatch.setenv(ENV_CLOCK, f"2027-05-20T{hour}:00+02:00")


@pytest.fixture
def windows(qtbot: QtBot, data_dir: Path) -> Iterator[Callable[[], MainWindow]]:
    """Open the main window on the test folder; the start backup is awaited."""

    def open_() -> MainWindow:
        window = MainWindow(data_dir, ask_on_first_run=False)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        with qtbot.waitSignal(window.backups.finished, timeout=15_000):
            window.show()
        return window

    yield open_


def backup_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "backups").glob("*.sqlite3"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shown_titles(window: MainWindow) -> list[str]:
    model = window.applications.home.model
    column = COLUMNS.index("title")
    return [str(model.data(model.index(row, column))) for row in range(model.rowCount())]


def title_in(path: Path, application_id: str) -> str:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT title FROM applications WHERE id = ?", (application_id,)
        ).fetchone()
    finally:
        connection.close()
    return str(row[0])


def answer_modal(kind: type, ready: Callable[[QWidget], bool], answer: Callable[[QWidget], None]):
    """Act on the modal dialog the next step opens, once it shows what a person reads."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not ready(dialog):
            QTimer.singleShot(20, attempt)
            return
        answer(dialog)

    QTimer.singleShot(0, attempt)


def button_named(box: QMessageBox, text: str) -> QPushButton:
    for button in box.buttons():
        if button.text().replace("&", "") == text:
            assert isinstance(button, QPushButton)
            return button
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def open_backups(qtbot: QtBot, window: MainWindow, count: int) -> BackupsDialog:
    """File → Kopie zapasowe…, then wait until every row says what it holds."""
    [action] = [
        action for action in window.findChildren(QAction) if action.text() == "Kopie z&apasowe…"
    ]
    action.trigger()
    dialog = window.backups.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(
        lambda: len(dialog.rows()) == count and all(row[2] != "sprawdzam…" for row in dialog.rows())
    )
    return dialog


# --- (a) the start backup ------------------------------------------------------------


def test_a_start_backup_is_made_after_the_window_shows_and_not_again_minutes_later(
    qtbot: QtBot, data_dir: Path, demo: DemoIds, set_clock: Callable[[str], None]
) -> None:
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.backups.finished, timeout=15_000) as made:
        window.show()
        # Usable at once: the list is there, and nothing waited for a backup.
        assert len(shown_titles(window)) == 2
        assert backup_files(data_dir) == []
        window.applications.open(demo.application_id)
        assert window.applications.session is not None
        window.applications.session.set_field("title", "Zmiana zaraz po starcie")
    [path] = backup_files(data_dir)
    assert made.args == [path]
    assert path.name.endswith("-start.sqlite3")
    assert backups.describe(backups.find(DataDir(data_dir), path.name)).ok
    window.close()

    set_clock("10:05")  # the laptop restarted five minutes later
    again = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.backups.finished, timeout=15_000) as skipped:
        again.show()
    assert skipped.args == [None]
    assert backup_files(data_dir) == [path]
    again.close()

    set_clock("10:20")  # and a quarter of an hour after that: a new one
    later = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(later)
    with qtbot.waitSignal(later.backups.finished, timeout=15_000) as made_later:
        later.show()
    assert made_later.args[0] is not None and len(backup_files(data_dir)) == 2
    later.close()


def test_a_full_disk_is_told_in_words_and_editing_goes_on(
    qtbot: QtBot, data_dir: Path, demo: DemoIds, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(self: Store, target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Store, "backup_to", disk_full)
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "Kopii zapasowej nie zrobiono" in window.statusBar().currentMessage())
    said = window.statusBar().currentMessage()
    assert "na dysku zabrakło miejsca" in said and "Dane w programie są nietknięte" in said
    window.applications.open(demo.application_id)
    assert window.applications.session is not None
    window.applications.session.set_field("title", "Zapisane mimo braku kopii")
    window.writer.flush()
    # "Saving…" while the save is queued, then saved, once the window hears it was.
    qtbot.waitUntil(lambda: window.save_status.text() == "✓ Wszystkie zmiany zapisane")
    assert not window.banner.isVisible()
    window.close()
    with Workspace.open(data_dir) as workspace:
        assert workspace.application(demo.application_id).title == "Zapisane mimo braku kopii"


# --- (b) the list -----------------------------------------------------------------


def test_the_backups_dialog_lists_what_each_backup_holds_and_makes_one_now(
    qtbot: QtBot,
    data_dir: Path,
    demo: DemoIds,
    windows: Callable[[], MainWindow],
    set_clock: Callable[[str], None],
) -> None:
    window = windows()
    [start] = backup_files(data_dir)
    dialog = open_backups(qtbot, window, count=1)
    when = moment(backups.find(DataDir(data_dir), start.name).created_at)
    assert when.startswith("20.05.2027 ")
    [[shown_when, reason, contents, size]] = dialog.rows()
    assert (shown_when, reason, contents) == (when, "przy uruchomieniu", DEMO_COUNTS)
    assert size.endswith(" kB")
    assert dialog.restore_button.isEnabled()

    set_clock("10:30")
    click(dialog.backup_button)
    qtbot.waitUntil(lambda: "Zrobiono kopię zapasową" in dialog.status.text())
    qtbot.waitUntil(
        lambda: len(dialog.rows()) == 2 and dialog.rows()[0][2] != "sprawdzam…", timeout=10_000
    )
    newest = dialog.rows()[0]
    assert newest[:3] == ["20.05.2027 " + newest[0][-5:], "ręczna", DEMO_COUNTS]
    assert len(backup_files(data_dir)) == 2
    dialog.reject()


def test_a_damaged_backup_is_marked_and_cannot_be_restored(
    qtbot: QtBot,
    data_dir: Path,
    demo: DemoIds,
    windows: Callable[[], MainWindow],
) -> None:
    window = windows()
    [start] = backup_files(data_dir)
    broken = start.with_name("kopia-20270519-080000-auto.sqlite3")
    shutil.copyfile(start, broken)
    damage(broken)
    dialog = open_backups(qtbot, window, count=2)
    older = dialog.rows()[1]
    assert older[1:3] == ["automatyczna", "USZKODZONA – nie da się jej przywrócić"]
    dialog.select(broken)
    assert not dialog.restore_button.isEnabled()
    dialog.select(start)
    assert dialog.restore_button.isEnabled()
    dialog.reject()


# --- (c) restoring from the window ------------------------------------------------------


def test_restoring_a_backup_shows_its_data_keeps_the_current_state_and_saves_again(
    qtbot: QtBot,
    data_dir: Path,
    demo: DemoIds,
    windows: Callable[[], MainWindow],
    set_clock: Callable[[str], None],
) -> None:
    window = windows()
    before = shown_titles(window)
    application_id = demo.application_id
    window.applications.open(application_id)
    assert window.applications.session is not None
    window.applications.session.set_field("title", "Tytuł zmieniony po kopii")
    window.writer.flush()

    set_clock("10:30")
    dialog = open_backups(qtbot, window, count=1)
    asked: list[str] = []

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        click(button_named(box, "Przywróć tę kopię"))

    answer_modal(QMessageBox, lambda _box: True, confirm)
    click(dialog.restore_button)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Przywrócono kopię z"),
        timeout=15_000,
    )
    [start] = [path for path in backup_files(data_dir) if path.name.endswith("-start.sqlite3")]
    when = moment(backups.find(DataDir(data_dir), start.name).created_at)
    assert f"Przywrócić kopię zapasową z {when} (przy uruchomieniu)?" in asked[0]
    assert DEMO_COUNTS in asked[0]
    assert "zostanie najpierw zachowany jako kopia zapasowa" in asked[0]
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Przywrócono kopię z {when}.")
    assert "Stan sprzed przywrócenia zachowano jako kopię backups/kopia-" in said

    # The window shows the restored data; the editor on the old data is gone.
    assert window.applications.stack.currentWidget() is window.applications.home
    assert window.applications.session is None
    assert shown_titles(window) == before
    assert "Tytuł zmieniony po kopii" not in shown_titles(window)
    # The state before the restore is a backup holding the edit.
    [kept] = [p for p in backup_files(data_dir) if p.name.endswith("-before-restore.sqlite3")]
    assert kept.name in said
    assert title_in(kept, application_id) == "Tytuł zmieniony po kopii"

    # The writer works on the restored store: an edit is saved.
    window.applications.open(application_id)
    assert window.applications.session is not None
    window.applications.session.set_field("title", "Tytuł po przywróceniu")
    window.writer.flush()
    qtbot.waitUntil(lambda: window.save_status.text() == "✓ Wszystkie zmiany zapisane")
    window.show_home()
    assert "Tytuł po przywróceniu" in shown_titles(window)
    window.close()
    with Workspace.open(data_dir) as workspace:
        assert workspace.application(application_id).title == "Tytuł po przywróceniu"


def test_cancelling_the_confirmation_restores_nothing(
    qtbot: QtBot, data_dir: Path, demo: DemoIds, windows: Callable[[], MainWindow]
) -> None:
    window = windows()
    store = DataDir(data_dir).store
    dialog = open_backups(qtbot, window, count=1)
    answer_modal(QMessageBox, lambda _box: True, lambda box: click(button_named(box, "Anuluj")))  # type: ignore[arg-type]
    click(dialog.restore_button)
    assert dialog.isVisible() and window.workspace.store.list_organizations()
    assert len(backup_files(data_dir)) == 1
    assert store.exists()
    dialog.reject()


# --- (d, e) a damaged store at start -------------------------------------------------------


@pytest.fixture
def damaged_with_backup(data_dir: Path, demo: DemoIds) -> tuple[Path, Path, str]:
    """A demo store backed up at 10:00 and then damaged: (store, backup, its hash)."""
    with Workspace.open(data_dir) as workspace:
        made = backups.create(workspace.store, workspace.data_dir, "manual", now())
    store = DataDir(data_dir).store
    damage(store)
    return store, made, digest(store)


def test_a_damaged_store_is_replaced_by_the_newest_good_backup_when_the_user_accepts(
    qtbot: QtBot,
    data_dir: Path,
    damaged_with_backup: tuple[Path, Path, str],
    set_clock: Callable[[str], None],
) -> None:
    store, made, damaged_hash = damaged_with_backup
    set_clock("10:45")
    seen: dict[str, str] = {}

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        seen["explanation"] = dialog.explanation.text()
        seen["offer"] = dialog.offer.text()
        click(dialog.restore_button)

    answer_modal(RecoveryDialog, lambda d: d.restore_button.isEnabled(), accept)  # type: ignore[attr-defined]
    window = open_window(data_dir)
    assert window is not None
    qtbot.addWidget(window)

    when = moment(backups.find(DataDir(data_dir), made.name).created_at)
    assert "jest uszkodzony" in seen["explanation"]
    assert "nie otworzył go do zapisu" in seen["explanation"]
    assert f"Najnowsza dobra kopia zapasowa jest z {when} (ręczna)" in seen["offer"]
    assert DEMO_COUNTS in seen["offer"]
    assert f"Może brakować tego, co zmieniono po {when}" in seen["offer"]
    assert "nie zostanie usunięty" in seen["offer"]

    assert len(shown_titles(window)) == 2
    [kept] = (data_dir / "damaged").glob("*.sqlite3")
    assert digest(kept) == damaged_hash  # set aside byte for byte, never deleted
    said = window.statusBar().currentMessage()
    assert f"Przywrócono kopię z {when}." in said
    assert f"Uszkodzony plik danych odłożono (nie usunięto): damaged/{kept.name}" in said
    assert store.exists()
    window.close()


def test_a_damaged_store_found_while_qt_loads_is_offered_the_same_recovery(
    qtbot: QtBot, data_dir: Path, damaged_with_backup: tuple[Path, Path, str]
) -> None:
    """The program's start opens the store on a thread while Qt loads: the damage
    it finds there reaches the window as the same offer, and a restore opens the
    good copy on the window's own thread."""
    _store, _made, damaged_hash = damaged_with_backup
    opening = WorkspaceOpening(data_dir)

    def restore(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        click(dialog.restore_button)

    answer_modal(RecoveryDialog, lambda d: d.restore_button.isEnabled(), restore)  # type: ignore[attr-defined]
    window = open_window(data_dir, opening=opening)
    assert window is not None
    qtbot.addWidget(window)
    assert len(shown_titles(window)) == 2
    [kept] = (data_dir / "damaged").glob("*.sqlite3")
    assert digest(kept) == damaged_hash
    window.close()


def test_declining_the_recovery_touches_nothing(
    qtbot: QtBot, data_dir: Path, damaged_with_backup: tuple[Path, Path, str]
) -> None:
    store, made, damaged_hash = damaged_with_backup
    seen: list[str] = []

    def decline(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        seen.append(dialog.offer.text())
        click(dialog.close_button)

    answer_modal(RecoveryDialog, lambda d: d.restore_button.isEnabled(), decline)  # type: ignore[attr-defined]
    assert open_window(data_dir) is None
    assert "Najnowsza dobra kopia zapasowa" in seen[0]
    assert digest(store) == damaged_hash
    assert not (data_dir / "damaged").exists()
    assert backup_files(data_dir) == [made]


def test_without_a_good_backup_an_empty_start_keeps_the_damaged_file_aside(
    qtbot: QtBot, data_dir: Path, demo: DemoIds
) -> None:
    store = DataDir(data_dir).store
    damage(store)
    damaged_hash = digest(store)
    seen: list[str] = []

    def fresh(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        seen.append(dialog.offer.text())
        click(dialog.fresh_button)

    answer_modal(RecoveryDialog, lambda d: d.fresh_button.isVisible(), fresh)  # type: ignore[attr-defined]
    window = open_window(data_dir)
    assert window is not None
    qtbot.addWidget(window)
    assert seen[0].startswith("Nie ma dobrej kopii zapasowej.")
    assert "odłożony (nie usunięty)" in seen[0]
    assert shown_titles(window) == []
    [kept] = (data_dir / "damaged").glob("*.sqlite3")
    assert digest(kept) == damaged_hash
    said = window.statusBar().currentMessage()
    assert f"odłożono (nie usunięto): damaged/{kept.name}" in said
    assert "zaczyna od pustego pliku danych" in said
    window.close()


def test_a_store_from_a_newer_program_is_refused_in_words_and_left_alone(
    qtbot: QtBot, data_dir: Path, demo: DemoIds
) -> None:
    store = DataDir(data_dir).store
    connection = sqlite3.connect(store)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.close()
    before = digest(store)
    said: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    answer_modal(QMessageBox, lambda _box: True, read)
    assert open_window(data_dir) is None
    assert "nowsza wersja programu" in said[0]
    assert digest(store) == before
    assert not (data_dir / "damaged").exists()


def test_the_recovery_dialog_keeps_the_technical_details_out_of_the_way(qtbot: QtBot) -> None:
    # A sanity check of the words without a store: no backup folder at all.
    dialog = RecoveryDialog(Path("/nonexistent/dane"), "x" * 1000)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.fresh_button.isVisibleTo(dialog))
    details = dialog.findChild(QWidget, "recovery_details")
    assert details is not None
    assert len(details.text()) < 400  # type: ignore[attr-defined]
    assert dialog.restore_button.isHidden()
    assert dialog.close_button.text().replace("&", "") == "Zamknij program"
