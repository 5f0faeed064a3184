"""The writes an editing session makes: one field, one row, one list at a time.

The window's sessions keep the record in memory and the undo stack; each
change they make (typing, undo or redo alike) is saved by one of these, run on
the writer with the writer's own workspace. Rows are named as the domain names
them ("actions", "results", "budget"); which table holds them is the store's
business.
"""

from __future__ import annotations

from typing import Any

from mms_desktop.domain.application import Row
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.store import ACTIONS, BUDGET, RESULTS, ChildKind

_KINDS: dict[str, ChildKind] = {"actions": ACTIONS, "results": RESULTS, "budget": BUDGET}


def set_organization_fields(workspace: Workspace, organization_id: str, **changes: Any) -> None:
    workspace.store.update_organization(organization_id, **changes)


def set_application_fields(workspace: Workspace, application_id: str, **changes: Any) -> None:
    workspace.store.update_application(application_id, **changes)


def set_row_fields(workspace: Workspace, rows: str, row_id: str, **changes: Any) -> None:
    workspace.store.update_row(_KINDS[rows], row_id, **changes)


def add_row(
    workspace: Workspace, application_id: str, rows: str, row: Row, index: int | None
) -> None:
    workspace.store.add_row(_KINDS[rows], application_id, row, index)


def remove_row(workspace: Workspace, rows: str, row_id: str) -> None:
    workspace.store.remove_row(_KINDS[rows], row_id)


def move_row(workspace: Workspace, rows: str, row_id: str, index: int) -> None:
    workspace.store.move_row(_KINDS[rows], row_id, index)


def set_report_fields(workspace: Workspace, report_id: str, **changes: Any) -> None:
    """A report's fields, or one of its lists saved whole."""
    workspace.store.update_report(report_id, **changes)
