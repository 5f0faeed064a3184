"""What the autosave tests share: a window on the demo, human pauses, the store read afresh."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from keyboard import click, click_cell
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.ui.main_window import MainWindow

SAVED = "✓ Wszystkie zmiany zapisane"
SAVING = "Zapisywanie…"


def fresh(data_dir: Path) -> Workspace:
    """The store as the next start of the program reads it: a new connection to the file."""
    return Workspace.open(data_dir)


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """A new page may take the activation on the offscreen platform: give it back."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def open_window(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    return window


def open_application(qtbot: QtBot, window: MainWindow, ids: DemoIds, section: str) -> QWidget:
    window.applications.open(ids.application_id)
    editor = window.applications.editor
    assert editor is not None
    activate(qtbot, window)
    go_to_section(editor, section)
    return editor


def open_report(qtbot: QtBot, window: MainWindow, ids: DemoIds, section: str) -> QWidget:
    window.reports.open(ids.report_id)
    editor = window.reports.editor
    assert editor is not None
    activate(qtbot, window)
    go_to_section(editor, section)
    return editor


def open_profile(qtbot: QtBot, window: MainWindow) -> QWidget:
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.organizations.editor is not None and window.organizations.editor.isVisible()
    )
    editor = window.organizations.editor
    assert editor is not None
    activate(qtbot, window)
    return editor


def go_to_section(editor: QWidget, key_name: str) -> None:
    """Click the section in the list on the left, as a person does."""
    sections = editor.sections  # type: ignore[attr-defined]
    click_cell(sections, _section_keys(editor).index(key_name), 0)
    QApplication.processEvents()


def _section_keys(editor: QWidget) -> tuple[str, ...]:
    from mms_desktop.ui import application_editor, report_editor

    if isinstance(editor, report_editor.ReportEditor):
        return report_editor.SECTIONS
    return application_editor.SECTIONS


def click_elsewhere(window: MainWindow) -> None:
    """The mouse on something else that takes the keyboard: the list of sections
    (on its current row, so the page stays), or another field of the profile."""
    if window.pages.currentIndex() == window.ORGANIZATION:
        profile = window.organizations.editor
        assert profile is not None
        other = profile.control("organization.website")
        assert other is not None
        click(other)
        return
    in_report = window.pages.currentIndex() == window.REPORTS
    editor = window.reports.editor if in_report else window.applications.editor
    assert editor is not None
    click_cell(editor.sections, editor.sections.currentRow(), 0)
    QApplication.processEvents()


def pause(qtbot: QtBot, ms: int) -> None:
    """A person stops typing: real time passes with the event loop running."""
    qtbot.wait(ms)


def wait_saved(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.save_status.text() == SAVED, timeout=10_000)


@contextmanager
def writer_busy(window: MainWindow) -> Iterator[Callable[[], None]]:
    """A long save on the writer (a slow disk, a backup): later saves queue behind it."""
    started, release = threading.Event(), threading.Event()

    def slow(_workspace: Workspace) -> None:
        started.set()
        release.wait(30)

    window.writer.submit(slow)
    assert started.wait(10)
    try:
        yield release.set
    finally:
        release.set()
