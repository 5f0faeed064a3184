"""Random evenings at the keyboard: whatever the timing, the store holds what the window shows.

Hypothesis draws schedules of keystrokes into a line, a paragraph, a date and
a table cell of the application editor, pauses shorter and longer than the
typing pause, clicks from field to field (and from page to page), and closing
the window (then opening it again). The checks, after every schedule and
every close: the store, read afresh, holds exactly what the widgets show;
nothing typed still waits once the window is closed; the status bar never
says "saved" while the store lacks something the window shows.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from autosave_support import SAVED, activate, click_elsewhere, fresh, go_to_section, open_window
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyboard import click, click_cell, focused, key, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.ui import unsaved
from mms_desktop.ui.application_editor import ApplicationEditor
from mms_desktop.ui.fields import DateField, parse_date
from mms_desktop.ui.main_window import MainWindow

TYPING_PAUSE_MS = 80
SHORT, LONG = 30, 200  # a person's pauses: shorter and longer than the typing pause
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass(frozen=True)
class Spot:
    name: str
    section: str
    kind: str  # line | paragraph | date | cell


SPOTS = (
    Spot("place", "task", "line"),
    Spot("summary", "task", "paragraph"),
    Spot("start_date", "task", "date"),
    Spot("action", "actions", "cell"),  # the first action's name
)

words = st.text(alphabet="aąbcćeęlłnńoóśzźż XY", min_size=1, max_size=5)
dates = st.dates(min_value=date(2027, 1, 1), max_value=date(2028, 12, 31))
steps = st.lists(
    st.one_of(
        st.tuples(st.just("type"), st.sampled_from(SPOTS), words, dates),
        st.tuples(st.just("pause"), st.sampled_from((SHORT, LONG))),
        st.tuples(st.just("focus"), st.sampled_from(SPOTS)),
        st.tuples(st.just("elsewhere")),
        st.tuples(st.just("close")),
    ),
    min_size=1,
    max_size=9,
)


class Evening:
    """One window on one data folder, driven by mouse and keyboard."""

    def __init__(self, qtbot: QtBot, folder: Path, ids: DemoIds) -> None:
        self.qtbot = qtbot
        self.folder = folder
        self.ids = ids
        self.windows: list[MainWindow] = []
        self.open()

    def open(self) -> None:
        self.window = open_window(self.qtbot, self.folder)
        self.windows.append(self.window)
        self.window.applications.open(self.ids.application_id)
        editor = self.window.applications.editor
        assert editor is not None
        self.editor: ApplicationEditor = editor
        activate(self.qtbot, self.window)
        self.page = ""

    # --- where things are ---------------------------------------------------------

    def widget(self, spot: Spot) -> Any:
        if spot.kind == "cell":
            return self.editor.actions_editor.table
        found = self.editor.findChild(
            {"line": QLineEdit, "paragraph": QPlainTextEdit, "date": DateField}[spot.kind],
            spot.name,
        )
        assert found is not None
        return found

    def cell_editor(self) -> QLineEdit | None:
        table = self.editor.actions_editor.table
        editor = table.indexWidget(table.model().index(0, 1))
        return editor if isinstance(editor, QLineEdit) else None

    def shown(self) -> dict[str, Any]:
        """What the window shows in each spot (an open cell: its editor)."""
        open_cell = self.cell_editor()
        table = self.editor.actions_editor.table
        return {
            "place": self.widget(SPOTS[0]).text(),
            "summary": self.widget(SPOTS[1]).toPlainText(),
            "start_date": parse_date(self.widget(SPOTS[2]).edit.text()),
            "action": open_cell.text()
            if open_cell is not None
            else table.model().index(0, 1).data(Qt.ItemDataRole.DisplayRole),
        }

    def stored(self) -> dict[str, Any]:
        with fresh(self.folder) as workspace:
            application = workspace.application(self.ids.application_id)
        return {
            "place": application.place,
            "summary": application.summary,
            "start_date": application.start_date,
            "action": application.actions[0].name,
        }

    # --- what a person does -------------------------------------------------------------

    def focus(self, spot: Spot) -> None:
        if self.page != spot.section:
            go_to_section(self.editor, spot.section)
            self.page = spot.section
        widget = self.widget(spot)
        if spot.kind == "cell":
            if self.cell_editor() is not None and focused() is self.cell_editor():
                return
            click_cell(widget, 0, 1)
            key(widget, Qt.Key.Key_F2)
        elif spot.kind == "paragraph":
            click(widget.viewport())
        elif spot.kind == "date":
            click(widget.edit)
        else:
            click(widget)

    def type(self, spot: Spot, text: str, day: date) -> None:
        self.focus(spot)
        target = focused()
        if spot.kind == "date":
            key(target, Qt.Key.Key_A, CTRL)
            type_text(day.strftime("%d.%m.%Y"))
            return
        key(
            target,
            Qt.Key.Key_End,
            CTRL if spot.kind == "paragraph" else Qt.KeyboardModifier.NoModifier,
        )
        type_text(text)

    def close_and_check(self) -> None:
        shown = self.shown()
        self.window.close()
        assert unsaved.waiting(self.window) == []
        assert self.stored() == shown

    def status_is_honest(self) -> None:
        if self.window.save_status.text() == SAVED:
            assert self.stored() == self.shown()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoIds]:
    from conftest import PINNED_NOW

    from mms_desktop.services.workspace import ENV_CLOCK

    folder = tmp_path_factory.mktemp("demo") / "dane"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_CLOCK, PINNED_NOW)
        with Workspace.open(folder) as workspace:
            ids = workspace.create_demo()
    return folder, ids


@pytest.fixture
def evenings(
    qtbot: QtBot,
    demo_template: tuple[Path, DemoIds],
    tmp_path: Path,
    clock: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Any]:
    monkeypatch.setattr(unsaved, "TYPING_PAUSE_MS", TYPING_PAUSE_MS)
    template, ids = demo_template
    numbers = itertools.count()
    started: list[Evening] = []

    def start() -> Evening:
        folder = tmp_path / f"dane-{next(numbers)}"
        shutil.copytree(template, folder)
        evening = Evening(qtbot, folder, ids)
        started.append(evening)
        return evening

    yield start
    for evening in started:
        for window in evening.windows:
            if window.isVisible():
                window.close()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schedule=steps)
def test_the_store_holds_what_the_window_shows_whatever_the_timing(evenings, schedule) -> None:
    evening = evenings()
    for step in schedule:
        action = step[0]
        if action == "type":
            evening.type(step[1], step[2], step[3])
        elif action == "pause":
            evening.qtbot.wait(step[1])
            evening.status_is_honest()
        elif action == "focus":
            evening.focus(step[1])
        elif action == "elsewhere":
            click_elsewhere(evening.window)
        else:
            evening.close_and_check()
            evening.open()  # the next start of the program shows what was stored
            assert QApplication.activeWindow() is evening.window
            stored = evening.stored()
            shown = evening.shown()
            assert shown == stored
    evening.close_and_check()
