"""Editable tables of numbered rows: the plan of actions, results, a report's lists.

Add (Insert / Ctrl+N), remove (Delete), reorder (Ctrl+↑ / Ctrl+↓) with the
keyboard; every cell saves through the session, so it autosaves and undoes.
Money is typed Polish-style ("1 234,50"); a choice (a cost line, an outcome)
is picked from a combo in the cell; a cell with a finding is coloured and says
why in its tooltip. The table itself is the one row table (``row_table``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.application import Action, Result
from mms_desktop.domain.ids import new_id
from mms_desktop.ui.flow_layout import ButtonRow
from mms_desktop.ui.row_table import (
    Choices,
    Column,
    RowTableModel,
    RowTableView,
    SessionRows,
    row_keys,
    size_columns,
)
from mms_desktop.ui.session import EditingSession

NUMBER = Column("", "ui.rows.number", "number", 4)
ACTION_COLUMNS = (
    Column("name", "ui.actions.name", width=31),
    Column("description", "ui.actions.description"),
    Column("target_group", "ui.actions.target_group", width=24),
    Column("start_date", "ui.actions.start_date", "date", 15),
    Column("end_date", "ui.actions.end_date", "date", 15),
    Column("third_party_scope", "ui.actions.third_party_scope", width=24),
)
RESULT_COLUMNS = (
    Column("name", "ui.results.name"),
    Column("planned_value", "ui.results.planned_value", "decimal", 17),
    Column("unit", "ui.results.unit", width=16),
    Column("measurement", "ui.results.measurement", width=37),
)


def _new_action() -> Action:
    return Action(id=new_id())


def _new_result() -> Result:
    return Result(id=new_id())


class RowsEditor(QWidget):
    """A table of rows with its buttons and keyboard commands.

    ``new_row`` makes an empty row for Insert; without it the rows are fixed
    (a report's actions and results follow the accepted plan) and only edited.
    """

    def __init__(
        self,
        session: EditingSession,
        rows: str,
        parent: QWidget | None = None,
        *,
        columns: tuple[Column, ...] | None = None,
        new_row: Callable[[], Any] | None = None,
        choices: dict[str, Choices] | None = None,
        keys: str = "",
        record: str = "application",
    ):
        super().__init__(parent)
        self.session = session
        self.rows_name = rows
        self.record = record
        if columns is None:
            columns = ACTION_COLUMNS if rows == "actions" else RESULT_COLUMNS
            new_row = _new_action if rows == "actions" else _new_result
        self._new_row = new_row
        keys = keys or f"ui.{rows}"
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.model = RowTableModel(
            SessionRows(session, rows),
            (NUMBER, *columns),
            editable=lambda: session.editable,
            choices=choices,
        )
        self.model.refused.connect(self._show_problem)
        self.model.accepted.connect(lambda: self._show_problem(""))
        session.changed.connect(self._session_changed)
        keys_map = row_keys(self.add_row, self.remove_current, self.move_current) if new_row else {}
        self.table = RowTableView(keys_map)
        self.table.setObjectName(f"{rows}_table")
        self.table.setAccessibleName(i18n.tr(f"{keys}.table"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        size_columns(self.table, self.model)

        buttons = ButtonRow()  # wraps on a netbook
        # Fixed rows (new_row is None) have no add or remove buttons to name.
        self.add_button = self._button(f"{keys}.add" if new_row else "", self.add_row)
        self.remove_button = self._button(f"{keys}.remove" if new_row else "", self.remove_current)
        self.up_button = self._button("ui.rows.up", lambda: self.move_current(-1))
        self.down_button = self._button("ui.rows.down", lambda: self.move_current(1))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
            button.setEnabled(session.editable)
            button.setVisible(new_row is not None)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def refresh_editable(self) -> None:
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(self.session.editable)

    def _button(self, key: str, slot: Callable[[], None]) -> QPushButton:
        text = i18n.tr(key) if key else ""
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def _session_changed(self, what: str) -> None:
        if what in (self.rows_name, ""):
            self.model.sync()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def add_row(self) -> None:
        if not self.session.editable or self._new_row is None:
            return
        current = self.current_row()
        position = current + 1 if current >= 0 else self.model.rowCount()
        row = self._new_row()
        self.session.add_row(self.rows_name, row, position)
        self.table.setCurrentIndex(self.model.index(position, 1))
        self.table.setFocus()

    def remove_current(self) -> None:
        current = self.current_row()
        if current < 0 or not self.session.editable or self._new_row is None:
            return
        self.session.remove_row(self.rows_name, self.model.row(current).id)
        remaining = self.model.rowCount()
        if remaining:
            self.table.setCurrentIndex(self.model.index(min(current, remaining - 1), 1))

    def move_current(self, step: int) -> None:
        current = self.current_row()
        target = current + step
        if (
            current < 0
            or not 0 <= target < self.model.rowCount()
            or not self.session.editable
            or self._new_row is None
        ):
            return
        column = self.table.currentIndex().column()
        self.session.move_row(self.rows_name, self.model.row(current).id, target)
        self.table.setCurrentIndex(self.model.index(target, column))

    def focus_field(self, path: str) -> bool:
        """``application.actions[2].start_date`` → select that cell."""
        prefix = f"{self.record}.{self.rows_name}"
        if not path.startswith(prefix):
            return False
        self.table.setFocus()
        rest = path[len(prefix) :]
        if not rest.startswith("["):
            return True
        number_text, _, field = rest[1:].partition("]")
        row = int(number_text) - 1
        column = self.model.column_of(field.lstrip(".")) or 1
        index = self.model.index(row, column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True
