"""One report (sprawozdanie) open in the editor, kept in memory and saved as typed.

As for an application: every edit changes the in-memory copy at once, is
queued on the one writer, and lands on the undo stack. A report's lists
(actions, results, documents, volunteer work, in-kind) are saved whole: one
edit of a cell stores its list in one transaction.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack

from mms_desktop.domain.application import ApplicationStatus
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.findings import Finding
from mms_desktop.domain.report import (
    Report,
    ReportAttachment,
    ReportRow,
    report_rows,
    with_report_row_added,
    with_report_row_changed,
    with_report_row_removed,
)
from mms_desktop.paths import DataDir
from mms_desktop.services import editing, reports
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.session import EditingSession
from mms_desktop.ui.writer import StoreWriter


class ReportSession(EditingSession):
    problem = Signal(str)  # a file that could not be attached, in words

    def __init__(
        self, workspace: Workspace, writer: StoreWriter, undo: QUndoStack, report_id: str
    ) -> None:
        super().__init__(workspace, writer, undo)
        self.report: Report = reports.load(workspace, report_id)
        self.organization = workspace.organization(self.report.organization_id)
        self.call: CallDefinition = reports.call_of(workspace, self.report)
        self.status = reports.status(workspace, report_id)
        self.editable = self.status is ApplicationStatus.DRAFT

    # --- reading --------------------------------------------------------------

    def _validate(self) -> list[Finding]:
        from mms_desktop.domain.report_validation import validate_report  # first use

        return validate_report(self.report, self.call)

    def rows(self, name: str) -> tuple[ReportRow, ...]:
        return report_rows(self.report, name)

    def _value(self, name: str) -> Any:
        return getattr(self.report, name)

    @property
    def data_dir(self) -> DataDir:
        return self._workspace.data_dir

    # --- files ------------------------------------------------------------------

    def attach(self, path: Path, description: str = "") -> None:
        """Store the file's bytes (on the writer thread), then add it as one undoable edit.

        The reference joins the in-memory list only when the bytes are kept, so
        descriptions typed or files removed meanwhile are never overwritten.
        """
        self._writer.submit(
            lambda workspace: reports.keep_file(workspace, path, description),
            on_done=self._file_kept,
            on_error=self.problem.emit,
        )

    def _file_kept(self, reference: object) -> None:
        assert isinstance(reference, ReportAttachment)
        kept = tuple(item for item in self.report.attachments if item.sha256 != reference.sha256)
        self.set_field("attachments", (*kept, reference), merge=False)

    def detach(self, sha256: str) -> None:
        """Take a file off the report (undoable: the bytes stay in the data folder)."""
        kept = tuple(item for item in self.report.attachments if item.sha256 != sha256)
        self.set_field("attachments", kept, merge=False)

    # --- applying (redo and undo both come here) -------------------------------

    def _set(self, name: str, value: Any) -> None:
        self.report = self._replace(name, value)
        self._store(name, value)
        self._changed(name)

    def _replace(self, name: str, value: Any) -> Report:
        return replace(self.report, **{name: value})

    def _store(self, name: str, value: Any) -> None:
        report_id = self.report.id
        self._save(lambda ws: editing.set_report_fields(ws, report_id, **{name: value}))

    def _set_list(self, rows: str, report: Report) -> None:
        self.report = report
        self._store(rows, report_rows(report, rows))
        self._changed(rows)

    def _set_row(self, rows: str, row_id: str, changes: dict[str, Any]) -> None:
        self._set_list(rows, with_report_row_changed(self.report, rows, row_id, **changes))

    def _add(self, rows: str, row: Any, index: int | None) -> None:
        self._set_list(rows, with_report_row_added(self.report, rows, row, index))

    def _remove(self, rows: str, row_id: str) -> None:
        self._set_list(rows, with_report_row_removed(self.report, rows, row_id))

    def _move(self, rows: str, row_id: str, index: int) -> None:
        row = self._row(rows, row_id)
        removed = with_report_row_removed(self.report, rows, row_id)
        self._set_list(rows, with_report_row_added(removed, rows, row, index))

    def reload(self) -> None:
        """Show what the store holds (after a failed save, or a file attached)."""
        self._writer.flush()
        self.report = reports.load(self._workspace, self.report.id)
        self.status = reports.status(self._workspace, self.report.id)
        self.editable = self.status is ApplicationStatus.DRAFT
        self._changed("")
