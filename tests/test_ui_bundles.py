"""Moving the data to another laptop from the window: save a bundle, read it in elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.main_window import MainWindow


class Told:
    """What the window said in its message boxes (Qt's modal boxes, answered here)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton):
        self.messages: list[str] = []
        self.questions: list[str] = []

        def tell(_parent: object, _title: str, text: str, *args: object) -> object:
            self.messages.append(text)
            return QMessageBox.StandardButton.Ok

        def ask(_parent: object, _title: str, text: str, *args: object) -> object:
            self.questions.append(text)
            return answer

        monkeypatch.setattr(QMessageBox, "information", tell)
        monkeypatch.setattr(QMessageBox, "warning", tell)
        monkeypatch.setattr(QMessageBox, "question", ask)


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        window.close()


def open_on(qtbot: QtBot, folder: Path, opened: list[MainWindow]) -> MainWindow:
    window = MainWindow(folder, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    opened.append(window)
    return window


def test_a_bundle_saved_on_one_laptop_is_merged_on_another_keeping_both_versions(
    qtbot: QtBot, tmp_path: Path, clock: str, windows: list[MainWindow], monkeypatch
) -> None:
    home, away = tmp_path / "laptop-skarbniczki", tmp_path / "laptop-w-swietlicy"
    with Workspace.open(home) as workspace:
        ids = workspace.create_demo()
    # The other laptop has the same data from an earlier bundle, edited there since.
    bundle = tmp_path / "dane.mms"
    from mms_desktop.services import bundles

    with Workspace.open(home) as workspace:
        bundles.export_bundle(workspace, tmp_path / "wczesniej.mms")
    bundles.import_bundle(away, tmp_path / "wczesniej.mms")
    with Workspace.open(away) as workspace:
        workspace.store.update_application(ids.application_id, title="Tytuł zmieniony w świetlicy")

    told = Told(monkeypatch, QMessageBox.StandardButton.Yes)
    window = open_on(qtbot, home, windows)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(bundle), ""))
    window.bundles.export()
    qtbot.waitUntil(lambda: bool(told.messages), timeout=10_000)
    assert told.messages[-1].startswith(f"Zapisano pakiet {bundle}")
    assert bundle.is_file()
    window.close()

    other = open_on(qtbot, away, windows)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bundle), ""))
    other.bundles.import_()
    assert "Nic nie zostanie nadpisane" in told.questions[-1]
    qtbot.waitUntil(lambda: len(told.messages) == 2, timeout=10_000)
    said = told.messages[-1]
    assert said.startswith("Dołączono pakiet")
    assert "Obie wersje zostały zachowane" in said
    # The window lists both versions of the application now.
    titles = [row.title for row in other.applications.home.model.rows]
    assert "Tytuł zmieniony w świetlicy" in titles
    assert any(title.startswith("Smaki Łękawki") and "z pakietu" in title for title in titles)
    # A backup was made before reading the bundle in.
    assert [p.name.endswith("-before-import.sqlite3") for p in (away / "backups").iterdir()].count(
        True
    ) == 1


def test_a_damaged_bundle_is_refused_in_words_and_nothing_changes(
    qtbot: QtBot, tmp_path: Path, clock: str, windows: list[MainWindow], monkeypatch
) -> None:
    folder = tmp_path / "dane"
    with Workspace.open(folder) as workspace:
        workspace.create_demo()
    broken = tmp_path / "urwany.mms"
    broken.write_bytes(b"PK\x03\x04 to nie jest pakiet")
    told = Told(monkeypatch, QMessageBox.StandardButton.Yes)
    window = open_on(qtbot, folder, windows)
    rows_before = len(window.applications.home.model.rows)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(broken), ""))
    window.bundles.import_()
    qtbot.waitUntil(lambda: bool(told.messages), timeout=10_000)
    assert "urwany.mms" in told.messages[-1]
    window.applications.home.reload()
    assert len(window.applications.home.model.rows) == rows_before
