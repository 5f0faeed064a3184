"""The main window keeps each record's edits to itself."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.main_window import MainWindow


def test_undo_after_opening_another_application_leaves_the_first_alone(
    qtbot: QtBot, data_dir: Path, clock: str
) -> None:
    with Workspace.open(data_dir) as workspace:
        first = workspace.create_demo().application_id
        second = workspace.clone_application(first).id
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    window.applications.open(first)
    assert window.applications.session is not None
    window.applications.session.set_field("title", "Tytuł poprawiony w pierwszym wniosku")
    window.applications.open(second)
    assert not window.undo.canUndo()  # the first wniosek's steps went with it
    window.undo.undo()  # Ctrl+Z in the second one changes nothing elsewhere
    window.writer.flush()
    with Workspace.open(data_dir) as workspace:
        assert workspace.application(first).title == "Tytuł poprawiony w pierwszym wniosku"
    window.close()
