"""Editable tables of numbered rows: the plan of actions, results, a report's lists.

Add (Insert / Ctrl+N), remove (Delete), reorder (Ctrl+↑ / Ctrl+↓) with the
keyboard; every cell saves through the session, so it autosaves and undoes.
Money is typed Polish-style ("1 234,50"); a choice (a cost line, an outcome)
is picked from a combo in the cell; a cell with a finding is coloured and says
why in its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.application import Action, Result
from mms_desktop.domain.findings import Finding, Severity
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import GROSZ, ZERO, AmountFormatError
from mms_desktop.ui import style
from mms_desktop.ui.fields import (
    TypingDelegate,
    format_amount,
    format_quantity,
    parse_date,
    parse_decimal,
)
from mms_desktop.ui.session import EditingSession

Index = QModelIndex | QPersistentModelIndex
Choices = Callable[[], list[tuple[str, Any]]]  # (label, value) pairs
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC = frozenset({"decimal", "money", "integer", "percent"})
_READ_ONLY_BACKGROUND = QColor(style.READ_ONLY_BACKGROUND)
_BLOCKING = QColor(style.WARNING_COLOUR)
_WARNING = QColor(style.REMARK_COLOUR)


@dataclass(frozen=True)
class Column:
    field: str
    title_key: str
    kind: str = "text"  # text | date | bool | decimal | money | integer | percent | choice
    width: int = 0  # 0: stretch
    editable: bool = True
    marked_by: str = ""  # the field whose findings colour this cell (default: its own)


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


def _new_action() -> Action:
    return Action(id=new_id())


def _new_result() -> Result:
    return Result(id=new_id())


def _date_text(value: date | None) -> str:
    return "" if value is None else i18n.format_date(value)


class _Refused(Exception):
    pass


class RowsModel(QAbstractTableModel):
    def __init__(
        self,
        session: EditingSession,
        rows: str,
        columns: tuple[Column, ...],
        problem: Callable[[str], None],
        choices: dict[str, Choices] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.rows_name = rows
        self.columns = columns
        self.choices = choices or {}
        self._problem = problem
        self._rows = session.rows(rows)
        self._marks: dict[tuple[int, str], Finding] = {}
        session.changed.connect(self._session_changed)

    def set_findings(self, findings: list[Finding], prefix: str) -> None:
        """Colour the cells named by ``findings`` (``prefix[2].amount``); the first one wins."""
        marks: dict[tuple[int, str], Finding] = {}
        start = prefix + "["
        for finding in findings:
            if not finding.field.startswith(start):
                continue
            number, _, field = finding.field[len(start) :].partition("]")
            if number.isdigit():
                marks.setdefault((int(number) - 1, field.lstrip(".")), finding)
        if marks != self._marks:
            self._marks = marks
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns))
                )

    def mark(self, row: int, column: Column) -> Finding | None:
        return self._marks.get((row, column.marked_by or column.field))

    def choice_label(self, column: Column, value: Any) -> str:
        for label, choice in self.choices[column.field]():
            if choice == value:
                return label
        return ""

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

    def row_at(self, number: int) -> Any:
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
        if not self.columns[index.column() - 1].editable:
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
            if column.kind == "choice":
                return self.choice_label(column, value)
            return self._text(column, value)
        if role == Qt.ItemDataRole.EditRole:
            return value if column.kind == "choice" else self._text(column, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in _NUMERIC:
            return _RIGHT
        mark = self.mark(index.row(), column)
        if role == Qt.ItemDataRole.ForegroundRole and mark is not None:
            return _BLOCKING if mark.severity is Severity.BLOCKING else _WARNING
        if role == Qt.ItemDataRole.ToolTipRole:
            # The words of a finding; else a long text the narrow cell cuts short.
            if mark is not None:
                return i18n.finding_message(mark)
            return value if column.kind == "text" and len(value or "") > 20 else None
        if role == Qt.ItemDataRole.BackgroundRole and not column.editable:
            return _READ_ONLY_BACKGROUND
        return None

    @staticmethod
    def _text(column: Column, value: Any) -> str:
        if column.kind == "date":
            return _date_text(value)
        if column.kind == "decimal":
            return format_quantity(value)
        if column.kind == "money":
            return format_amount(value)
        if column.kind == "percent":
            return "" if value is None else i18n.format_percent(value)
        return "" if value is None else str(value)

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
        elif column.kind in _NUMERIC:
            try:
                new_value = self._number(column, str(value))
            except _Refused as refusal:
                self._problem(i18n.tr(str(refusal), value=str(value).strip()))
                return False
        elif column.kind == "choice":
            # Qt hands an enum back as its text: take the choice it names.
            choices = self.choices[column.field]()
            new_value = next((choice for _label, choice in choices if choice == value), None)
        else:
            new_value = str(value)
        self._problem("")
        self.session.set_row_field(self.rows_name, row.id, column.field, new_value)
        return True

    @staticmethod
    def _number(column: Column, text: str) -> Any:
        """A typed number, Polish-style; money in whole grosze and never below zero."""
        if column.kind == "integer":
            try:
                return int(text.strip() or 0)
            except ValueError:
                raise _Refused("ui.rows.not_a_number") from None
        try:
            number = parse_decimal(text)
        except AmountFormatError:
            raise _Refused("ui.rows.not_a_number") from None
        if column.kind != "money":
            return number
        if number is None:
            return ZERO
        if number < 0:
            raise _Refused("ui.reports.refused_negative")
        if number != number.quantize(GROSZ):
            raise _Refused("ui.reports.refused_grosze")
        return number


class RowsDelegate(TypingDelegate):
    """A combo for a choice column (a pick is saved at once); line edits elsewhere.

    Typing in a cell saves after a pause, as in the form's fields.
    """

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        model = index.model()
        if isinstance(model, RowsModel) and index.column() > 0:
            column = model.columns[index.column() - 1]
            if column.kind == "choice":
                combo = QComboBox(parent)
                combo.setAccessibleName(i18n.tr(column.title_key))
                for label, value in model.choices[column.field]():
                    combo.addItem(label, value)
                self.watch(combo)
                combo.activated.connect(lambda _index: self._picked(combo))
                return combo
        return super().createEditor(parent, option, index)

    def _picked(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def fill_editor(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().fill_editor(editor, index)


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
        self.model = RowsModel(session, rows, columns, self._show_problem, choices)
        self.table = QTableView()
        self.table.setObjectName(f"{rows}_table")
        self.table.setAccessibleName(i18n.tr(f"{keys}.table"))
        self.table.setModel(self.model)
        self.table.setItemDelegate(RowsDelegate(self.table))
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
        layout.addLayout(buttons)
        if new_row is None:
            return

        self._shortcut([QKeySequence(Qt.Key.Key_Insert), QKeySequence("Ctrl+N")], self.add_row)
        self._shortcut([QKeySequence(Qt.Key.Key_Delete)], self.remove_current)
        self._shortcut([QKeySequence("Ctrl+Up")], lambda: self.move_current(-1))
        self._shortcut([QKeySequence("Ctrl+Down")], lambda: self.move_current(1))

    def refresh_editable(self) -> None:
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(self.session.editable)

    def _button(self, key: str, slot: Callable[[], None]) -> QPushButton:
        text = i18n.tr(key) if key else ""
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
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
        self.session.remove_row(self.rows_name, self.model.row_at(current).id)
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
        self.session.move_row(self.rows_name, self.model.row_at(current).id, target)
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
        column = next(
            (i + 1 for i, c in enumerate(self.model.columns) if c.field == field.lstrip(".")), 1
        )
        index = self.model.index(row, column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True
