"""V.A's per-year columns: each cost line's value in each calendar year of the task.

Shown only when the task's dates span more than one calendar year (the form
asks for the columns then, and only then). One row per cost line, one column
per year, and what is still to split: the per-year amounts must add up to the
line's total. A cell saves like every table cell (after a pause in typing, on
leaving it, when the window closes) through the session, so it is autosaved
and undone as one step per cell.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.application import BudgetLine, YearValue
from mms_desktop.domain.budget import task_years, year_values_difference
from mms_desktop.domain.money import AmountFormatError
from mms_desktop.ui import style
from mms_desktop.ui.columns import name_corner_button
from mms_desktop.ui.fields import TypingDelegate, format_amount, parse_decimal
from mms_desktop.ui.session import ApplicationSession

Index = QModelIndex | QPersistentModelIndex
FIXED = 3  # number, name, total; then one column per year, then what is left


class YearValuesModel(QAbstractTableModel):
    def __init__(self, session: ApplicationSession) -> None:
        super().__init__()
        self.session = session
        self.years: tuple[int, ...] = ()
        self.lines: tuple[BudgetLine, ...] = ()
        self.reload()

    def reload(self) -> None:
        application = self.session.application
        self.beginResetModel()
        self.years = task_years(application.start_date, application.end_date)
        self.lines = application.budget
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIXED + len(self.years) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return i18n.tr("ui.rows.number")
        if section == 1:
            return i18n.tr("ui.year_values.line")
        if section == 2:
            return i18n.tr("ui.year_values.total")
        if section < FIXED + len(self.years):
            return str(self.years[section - FIXED])
        return i18n.tr("ui.year_values.left")

    def _year_of(self, column: int) -> int | None:
        if FIXED <= column < FIXED + len(self.years):
            return self.years[column - FIXED]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._year_of(index.column()) is not None and self.session.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.lines[index.row()]
        column = index.column()
        year = self._year_of(column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return str(index.row() + 1)
            if column == 1:
                return line.name
            if column == 2:
                return format_amount(line.total)
            if year is not None:
                amount = next((item.amount for item in line.year_values if item.year == year), None)
                return format_amount(amount)
            left = year_values_difference(line) if line.year_values else line.total
            return format_amount(left)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and year is None and column >= FIXED:
            left = year_values_difference(line) if line.year_values else line.total
            return QBrush(QColor(style.WARNING_COLOUR)) if left else None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        year = self._year_of(index.column())
        if year is None or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            amount = parse_decimal(str(value))
        except AmountFormatError:
            return False  # the cell keeps the text and the view says it is not an amount
        line = self.lines[index.row()]
        kept = {item.year: item.amount for item in line.year_values if item.year != year}
        if amount is not None:
            kept[year] = amount
        values = tuple(YearValue(key, kept[key]) for key in sorted(kept))
        self.session.set_row_field("budget", line.id, "year_values", values)
        return True


class YearValuesPanel(QWidget):
    """The per-year split of the cost lines, visible for a task over several years."""

    def __init__(self, session: ApplicationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("year_values")
        self.session = session
        self.model = YearValuesModel(session)
        self.intro = QLabel(i18n.tr("ui.year_values.intro"))
        self.intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("year_values_table")
        self.table.setAccessibleName(i18n.tr("ui.year_values.title"))
        name_corner_button(self.table)
        self.table.setModel(self.model)
        self.table.setItemDelegate(TypingDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        session.changed.connect(self._changed)
        self._changed("")

    def _changed(self, what: str) -> None:
        if what not in ("", "budget", "start_date", "end_date"):
            return
        editing = self.table.state() == QAbstractItemView.State.EditingState
        if editing and what == "budget":
            # The view's own save: only the numbers change, the open editor stays.
            self.model.lines = self.session.application.budget
            self.model.dataChanged.emit(
                self.model.index(0, 0),
                self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1),
            )
        else:
            self.model.reload()
        self.setVisible(len(self.model.years) > 1)

    def total_left(self) -> Decimal:
        """What is still to split over the years, all lines together (for the tests' eyes)."""
        return sum(
            (
                year_values_difference(line) if line.year_values else line.total
                for line in self.model.lines
            ),
            Decimal(0),
        )
