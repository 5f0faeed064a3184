"""Editing sessions: what the window shows, kept in memory and saved as typed.

Each edit goes through a session: the in-memory copy changes at once, the
save is queued on the one writer, the edit lands on the undo stack (Ctrl+Z /
Ctrl+Y), and ``changed`` tells every view to refresh. If a save fails, the
session reloads what the store holds, so the window never shows an edit that
was not saved.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from mms_desktop.domain.application import (
    Row,
    rows_of,
    with_row_added,
    with_row_changed,
    with_row_moved,
    with_row_removed,
)
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.findings import Finding
from mms_desktop.domain.organization import Organization
from mms_desktop.services import editing
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.ui.writer import StoreWriter


class _Edit(QUndoCommand):
    """One undoable edit: a pair of functions that apply and revert it.

    Edits of the same field one after another (a burst of typing) merge into
    one step, so Ctrl+Z takes back a word, not a letter.
    """

    MERGEABLE = 1

    def __init__(
        self, text: str, do: Callable[[], None], undo: Callable[[], None], merge_key: object = None
    ) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._merge_key = merge_key

    def id(self) -> int:
        return self.MERGEABLE if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Edit) or other._merge_key != self._merge_key:
            return False
        self._do = other._do
        return True

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()


class OrganizationSession(QObject):
    changed = Signal(str)  # the field name

    def __init__(
        self, workspace: Workspace, writer: StoreWriter, undo: QUndoStack, organization_id: str
    ) -> None:
        super().__init__()
        self._workspace = workspace
        self._writer = writer
        self._undo = undo
        self.organization = workspace.organization(organization_id)
        writer.failed.connect(self.reload)

    def findings(self) -> list[Finding]:
        from mms_desktop.domain.validation import check_organization  # first use

        return check_organization(self.organization)

    def set_field(self, name: str, value: Any) -> None:
        old = getattr(self.organization, name)
        if old == value:
            return
        self._undo.push(
            _Edit(
                name,
                lambda: self._apply(name, value),
                lambda: self._apply(name, old),
                merge_key=(id(self), name),
            )
        )

    def _apply(self, name: str, value: Any) -> None:
        self.organization = replace(self.organization, **{name: value})
        organization_id = self.organization.id
        self._writer.submit(
            lambda ws: editing.set_organization_fields(ws, organization_id, **{name: value})
        )
        self.changed.emit(name)

    def reload(self) -> None:
        self._writer.flush()
        self.organization = self._workspace.organization(self.organization.id)
        self.changed.emit("")


class _AbstractQObject(type(QObject), ABCMeta):  # type: ignore[misc]
    """Qt's metaclass with abstract methods: a session that forgets one fails at creation."""


class EditingSession(QObject, metaclass=_AbstractQObject):
    """What the application and the report sessions share: undo, saving, findings.

    A subclass says how to read and change its record (``_value``, ``_set``,
    ``rows``, ``_set_row``, ``_add``, ``_remove``, ``_move``), how to check it
    (``_validate``) and how to read it again (``reload``); every edit made here
    lands on the undo stack and is saved on the one writer.
    """

    changed = Signal(str)  # a field name, or a list's name; "" for everything

    def __init__(self, workspace: Workspace, writer: StoreWriter, undo: QUndoStack) -> None:
        super().__init__()
        self._workspace = workspace
        self._writer = writer
        self._undo = undo
        self.editable = False
        self._findings: list[Finding] | None = None
        writer.failed.connect(self.reload)

    # --- reading --------------------------------------------------------------

    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = self._validate()
        return self._findings

    @abstractmethod
    def _validate(self) -> list[Finding]:
        """See the class docstring."""

    @abstractmethod
    def rows(self, name: str) -> tuple[Any, ...]:
        """See the class docstring."""

    @abstractmethod
    def _value(self, name: str) -> Any:
        """See the class docstring."""

    # --- editing --------------------------------------------------------------

    def set_field(self, name: str, value: Any, merge: bool = True) -> None:
        """Change one field; a burst of changes to it is one undo step (unless ``merge`` is off)."""
        old = self._value(name)
        if old == value:
            return
        self._undo.push(
            _Edit(
                name,
                lambda: self._set(name, value),
                lambda: self._set(name, old),
                merge_key=(id(self), name) if merge else None,
            )
        )

    def set_row_field(self, rows: str, row_id: str, name: str, value: Any) -> None:
        self.set_row_fields(rows, row_id, {name: value})

    def set_row_fields(self, rows: str, row_id: str, changes: dict[str, Any]) -> None:
        row = self._row(rows, row_id)
        old = {name: getattr(row, name) for name in changes}
        if old == changes:
            return
        self._undo.push(
            _Edit(
                next(iter(changes)),
                lambda: self._set_row(rows, row_id, changes),
                lambda: self._set_row(rows, row_id, old),
                # A cell saved after each pause in typing is still one undo step.
                merge_key=(id(self), rows, row_id, tuple(sorted(changes))),
            )
        )

    def add_row(self, rows: str, row: Any, index: int | None = None) -> None:
        self._undo.push(
            _Edit("add", lambda: self._add(rows, row, index), lambda: self._remove(rows, row.id))
        )

    @contextmanager
    def one_undo_step(self, text: str) -> Iterator[None]:
        """Every edit made inside is taken back by one Ctrl+Z."""
        self._undo.beginMacro(text)
        try:
            yield
        finally:
            self._undo.endMacro()

    def add_rows(self, rows: str, new_rows: list[Any], index: int | None = None) -> None:
        """Several rows as one undoable edit (a paste from a spreadsheet)."""
        with self.one_undo_step("paste"):
            for offset, row in enumerate(new_rows):
                self.add_row(rows, row, None if index is None else index + offset)

    def remove_row(self, rows: str, row_id: str) -> None:
        row = self._row(rows, row_id)
        index = self._index(rows, row_id)
        self._undo.push(
            _Edit("remove", lambda: self._remove(rows, row_id), lambda: self._add(rows, row, index))
        )

    def move_row(self, rows: str, row_id: str, index: int) -> None:
        old_index = self._index(rows, row_id)
        if old_index == index:
            return
        self._undo.push(
            _Edit(
                "move",
                lambda: self._move(rows, row_id, index),
                lambda: self._move(rows, row_id, old_index),
            )
        )

    # --- applying (redo and undo both come here) -------------------------------

    def _row(self, rows: str, row_id: str) -> Any:
        return next(row for row in self.rows(rows) if row.id == row_id)

    def _index(self, rows: str, row_id: str) -> int:
        return next(i for i, item in enumerate(self.rows(rows)) if item.id == row_id)

    def _save(self, job: Callable[[Workspace], object]) -> None:
        self._writer.submit(job)

    def _changed(self, what: str) -> None:
        self._findings = None
        self.changed.emit(what)

    @abstractmethod
    def _set(self, name: str, value: Any) -> None:
        """See the class docstring."""

    @abstractmethod
    def _set_row(self, rows: str, row_id: str, changes: dict[str, Any]) -> None:
        """See the class docstring."""

    @abstractmethod
    def _add(self, rows: str, row: Any, index: int | None) -> None:
        """See the class docstring."""

    @abstractmethod
    def _remove(self, rows: str, row_id: str) -> None:
        """See the class docstring."""

    @abstractmethod
    def _move(self, rows: str, row_id: str, index: int) -> None:
        """See the class docstring."""

    @abstractmethod
    def reload(self) -> None:
        """See the class docstring."""


class ApplicationSession(EditingSession):
    """One application open in the editor."""

    def __init__(
        self, workspace: Workspace, writer: StoreWriter, undo: QUndoStack, application_id: str
    ) -> None:
        super().__init__(workspace, writer, undo)
        self.application = workspace.application(application_id)
        self.organization = workspace.organization(self.application.organization_id)
        self.call: CallDefinition = workspace.calls.get(self.application.call_id)
        self.editable = workspace.application_status(application_id).value == "draft"

    # --- reading --------------------------------------------------------------

    def _validate(self) -> list[Finding]:
        from mms_desktop.domain.validation import validate  # first use

        return validate(self.application, self.organization, self.call, now())

    def rows(self, name: str) -> tuple[Row, ...]:
        return rows_of(self.application, name)

    def _value(self, name: str) -> Any:
        return getattr(self.application, name)

    def refresh_organization(self, organization: Organization) -> None:
        self.organization = organization
        self._changed("organization")

    # --- editing --------------------------------------------------------------

    def remove_row(self, rows: str, row_id: str) -> None:
        row = self._row(rows, row_id)
        index = self._index(rows, row_id)
        # Removing an action unlinks its cost lines; undo links them again.
        linked = [line.id for line in self.application.budget if line.action_id == row_id]

        def undo() -> None:
            self._add(rows, row, index)
            for line_id in linked:
                self._set_row("budget", line_id, {"action_id": row_id})

        self._undo.push(_Edit("remove", lambda: self._remove(rows, row_id), undo))

    # --- applying (redo and undo both come here) -------------------------------

    def _set(self, name: str, value: Any) -> None:
        self.application = replace(self.application, **{name: value})
        application_id = self.application.id
        self._save(lambda ws: editing.set_application_fields(ws, application_id, **{name: value}))
        self._changed(name)

    def _set_row(self, rows: str, row_id: str, changes: dict[str, Any]) -> None:
        self.application = with_row_changed(self.application, rows, row_id, **changes)
        self._save(lambda ws: editing.set_row_fields(ws, rows, row_id, **changes))
        self._changed(rows)

    def _add(self, rows: str, row: Row, index: int | None) -> None:
        self.application = with_row_added(self.application, rows, row, index)
        application_id = self.application.id
        self._save(lambda ws: editing.add_row(ws, application_id, rows, row, index))
        self._changed(rows)

    def _remove(self, rows: str, row_id: str) -> None:
        self.application = with_row_removed(self.application, rows, row_id)
        self._save(lambda ws: editing.remove_row(ws, rows, row_id))
        self._changed(rows)
        if rows == "actions":
            self._changed("budget")

    def _move(self, rows: str, row_id: str, index: int) -> None:
        self.application = with_row_moved(self.application, rows, row_id, index)
        self._save(lambda ws: editing.move_row(ws, rows, row_id, index))
        self._changed(rows)

    def reload(self) -> None:
        """Show what the store holds (after a failed save)."""
        self._writer.flush()
        self.application = self._workspace.application(self.application.id)
        self._changed("")
