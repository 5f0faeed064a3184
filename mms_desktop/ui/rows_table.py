"""Editable tables of numbered rows: the plan of actions and the results table.

Add (Insert / Ctrl+N), remove (Delete), reorder (Ctrl+↑ / Ctrl+↓) with the
keyboard; every cell saves through the session, so it autosaves and undoes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.application import Action, Result, Row
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import AmountFormatError
from mms_desktop.ui.fields import format_quantity, parse_date, parse_decimal
from mms_desktop.ui.session import ApplicationSession

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    field: str
    title_key: str
    kind: str = "text"  # text | date | bool | decimal
    width: int = 0  # 0: stretch


ACTION_COLUMNS = (
    Column("name", "ui.actions.name", width=220),
    Column("description", "ui.actions.description"),
    Column("target_group", "ui.actions.target_group", width=170),
    Column("start_date", "ui.actions.start_date", "date", 105),
    Column("end_date", "ui.actions.end_date", "date", 105),
    Column("third_party", "ui.actions.third_party", "bool", 90),
)
RESULT_COLUMNS = (
    Column("name", "ui.results.name"),
    Column("planned_value", "ui.results.planned_value", "decimal", 120),
    Column("unit", "ui.results.unit", width=110),
    Column("measurement", "ui.results.measurement", width=260),
)


def _date_text(value: date | None) -> str:
    return "" if value is None else i18n.format_date(value)


class RowsModel(QAbstractTableModel):
    def __init__(
        self,
        session: ApplicationSession,
        rows: str,
        columns: tuple[Column, ...],
        problem: Callable[[str], None],
    ) -> None:
        super().__init__()
        self.session = session
        self.rows_name = rows
        self.columns = columns
        self._problem = problem
        self._rows = session.rows(rows)
        session.changed.connect(self._session_changed)

    def _session_changed(self, what: str) -> None:
        if what not in (self.rows_name, ""):
            return
        fresh = self.session.rows(self.rows_name)
        if len(fresh) == len(self._rows) and [r.id for r in fresh] == [r.id for r in self._rows]:
            self._rows = fresh
            if fresh:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(fresh) - 1, len(self.columns))
                )
        else:
            self.beginResetModel()
            self._rows = fresh
            self.endResetModel()

    def row_at(self, number: int) -> Row:
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns) + 1

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return None
        return (
            i18n.tr("ui.rows.number")
            if section == 0
            else i18n.tr(self.columns[section - 1].title_key)
        )

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 or not self.session.editable:
            return base
        if self.columns[index.column() - 1].kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.column() == 0:
            return f"{index.row() + 1}." if role == Qt.ItemDataRole.DisplayRole else None
        column = self.columns[index.column() - 1]
        value = getattr(self._rows[index.row()], column.field)
        if column.kind == "bool":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind == "date":
                return _date_text(value)
            if column.kind == "decimal":
                return format_quantity(value)
            return value
        if role == Qt.ItemDataRole.EditRole:
            if column.kind == "decimal":
                return format_quantity(value)
            if column.kind == "date":
                return _date_text(value)
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "decimal":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() == 0:
            return False
        column = self.columns[index.column() - 1]
        row = self._rows[index.row()]
        if column.kind == "bool":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            new_value: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif column.kind == "date":
            parsed = parse_date(str(value))
            if parsed is not None and not isinstance(parsed, date):
                self._problem(i18n.tr("ui.date.invalid"))
                return False
            new_value = parsed
        elif column.kind == "decimal":
            try:
                new_value = parse_decimal(str(value))
            except AmountFormatError:
                self._problem(i18n.tr("ui.rows.not_a_number", value=str(value)))
                return False
        else:
            new_value = value
        self._problem("")
        self.session.set_row_field(self.rows_name, row.id, column.field, new_value)
        return True


class RowsEditor(QWidget):
    """A table of actions or results with its buttons and keyboard commands."""

    def __init__(self, session: ApplicationSession, rows: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.rows_name = rows
        columns = ACTION_COLUMNS if rows == "actions" else RESULT_COLUMNS
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.model = RowsModel(session, rows, columns, self._show_problem)
        self.table = QTableView()
        self.table.setObjectName(f"{rows}_table")
        self.table.setAccessibleName(i18n.tr(f"ui.{rows}.table"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for number, column in enumerate(columns, start=1):
            if column.width:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
                self.table.setColumnWidth(number, column.width)
            else:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)

        buttons = QHBoxLayout()
        self.add_button = self._button(f"ui.{rows}.add", self.add_row)
        self.remove_button = self._button(f"ui.{rows}.remove", self.remove_current)
        self.up_button = self._button("ui.rows.up", lambda: self.move_current(-1))
        self.down_button = self._button("ui.rows.down", lambda: self.move_current(1))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
            button.setEnabled(session.editable)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)

        self._shortcut([QKeySequence(Qt.Key.Key_Insert), QKeySequence("Ctrl+N")], self.add_row)
        self._shortcut([QKeySequence(Qt.Key.Key_Delete)], self.remove_current)
        self._shortcut([QKeySequence("Ctrl+Up")], lambda: self.move_current(-1))
        self._shortcut([QKeySequence("Ctrl+Down")], lambda: self.move_current(1))

    def _button(self, key: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(i18n.tr(key))
        button.setAccessibleName(i18n.tr(key).replace("&", ""))
        button.clicked.connect(slot)
        return button

    def _shortcut(self, keys: list[QKeySequence], slot: Callable[[], None]) -> None:
        action = QAction(self.table)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.table.addAction(action)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def add_row(self) -> None:
        if not self.session.editable:
            return
        current = self.current_row()
        position = current + 1 if current >= 0 else self.model.rowCount()
        row: Row = Action(id=new_id()) if self.rows_name == "actions" else Result(id=new_id())
        self.session.add_row(self.rows_name, row, position)
        self.table.setCurrentIndex(self.model.index(position, 1))
        self.table.setFocus()

    def remove_current(self) -> None:
        current = self.current_row()
        if current < 0 or not self.session.editable:
            return
        self.session.remove_row(self.rows_name, self.model.row_at(current).id)
        remaining = self.model.rowCount()
        if remaining:
            self.table.setCurrentIndex(self.model.index(min(current, remaining - 1), 1))

    def move_current(self, step: int) -> None:
        current = self.current_row()
        target = current + step
        if current < 0 or not 0 <= target < self.model.rowCount() or not self.session.editable:
            return
        column = self.table.currentIndex().column()
        self.session.move_row(self.rows_name, self.model.row_at(current).id, target)
        self.table.setCurrentIndex(self.model.index(target, column))

    def focus_field(self, path: str) -> bool:
        """``application.actions[2].start_date`` → select that cell."""
        prefix = f"application.{self.rows_name}"
        if not path.startswith(prefix):
            return False
        self.table.setFocus()
        rest = path[len(prefix) :]
        if not rest.startswith("["):
            return True
        number_text, _, field = rest[1:].partition("]")
        row = int(number_text) - 1
        column = next(
            (i + 1 for i, c in enumerate(self.model.columns) if c.field == field.lstrip(".")), 1
        )
        index = self.model.index(row, column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True
