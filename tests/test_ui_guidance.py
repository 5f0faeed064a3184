"""A new application guides, section by section, instead of greeting her with every
error at once; F7 shows the whole list, errors first, under one sentence that agrees."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mms_desktop import i18n
from mms_desktop.domain.findings import Severity
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.application_editor import SECTIONS, section_for
from mms_desktop.ui.main_window import MainWindow
from tests.keyboard import key


def listed(editor: object) -> list[tuple[str, str]]:
    """(field, code) of each finding in the list, in its order."""
    items = editor.findings.list  # type: ignore[attr-defined]
    return [
        (
            items.item(row).data(Qt.ItemDataRole.UserRole),
            items.item(row).data(Qt.ItemDataRole.UserRole + 1),
        )
        for row in range(items.count())
    ]


def test_a_new_application_shows_what_to_fill_next_and_f7_shows_all(
    qtbot: QtBot, data_dir: Path, clock: str
) -> None:
    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
        call_id = workspace.application(ids.application_id).call_id
        fresh = workspace.new_application(ids.organization_id, call_id).id
    window = MainWindow(data_dir, ask_on_first_run=False)
    qtbot.addWidget(window)
    window.show()
    window.applications.open(fresh)
    editor = window.applications.editor
    assert editor is not None
    everything = editor.session.findings()
    blocking = [finding for finding in everything if finding.blocks_submission]
    assert len(blocking) > 5  # an empty form has much to fill
    # At first: only what the first part lacks; the other parts wait, marked "…".
    shown = listed(editor)
    assert len(shown) < len(everything)
    assert {section_for(field, code) for field, code in shown} <= {"basic"}
    task = SECTIONS.index("task")
    assert editor.sections.item(task).text().endswith("…")
    assert "⚠" not in editor.sections.item(task).text()
    # Opening the task part shows its findings, and marks it with their count.
    editor.show_section("task")
    QApplication.processEvents()
    task_findings = {
        (f.field, f.code) for f in everything if section_for(f.field, f.code) == "task"
    }
    assert task_findings and task_findings <= set(listed(editor))
    assert "⚠" in editor.sections.item(task).text()
    # F7: the whole list, what blocks sending before the remarks, one sentence on top.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    key(editor.sections, Qt.Key.Key_F7)
    texts = [editor.findings.list.item(row).text() for row in range(editor.findings.list.count())]
    assert len(texts) == len(everything)
    error = i18n.tr(f"Severity.{Severity.BLOCKING.value}")
    kinds = [text.startswith(error) for text in texts]
    assert True in kinds and False in kinds
    assert kinds == sorted(kinds, reverse=True)  # every error before the first warning
    top = editor.check_result.text()
    assert top.startswith("Wniosku nie można jeszcze wysłać")
    # A fix changes the list, and the sentence above it with it.
    editor.session.set_field("title", "Warsztaty pieczenia chleba dla trzech pokoleń")
    qtbot.waitUntil(lambda: editor.check_result.text() != top, timeout=3000)
    count = sum(1 for f in editor.session.findings() if f.blocks_submission)
    assert f"do poprawienia {count}." in editor.check_result.text()
    window.close()
