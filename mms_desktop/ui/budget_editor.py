"""The budget of an application (sections V.A and V.B): cost lines and what they add up to.

A table edited like a spreadsheet, and beside it what a volunteer checks
before sending: totals by group and category, each funding source's share, and
the call's caps with what is left under each. Every cell is saved after a pause
in typing and when it is left, through the session (autosave and undo happen
there).

Speed matters with a few hundred lines on an old laptop: the model never
rebuilds itself on an edit. When the session says "budget" changed, the model
compares the old and the new tuple of lines by identity (an edit replaces only
the edited line object) and tells the view about just that row; the summary
is recomputed once per burst of changes, in one pass over the lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mms_desktop.domain.application import BudgetLine, FundingSource, Row
from mms_desktop.domain.budget import (
    BudgetFigures,
    CapUse,
    GrantVerdict,
    RunningTotals,
    cap_forbidden_used,
    follow_single_source,
    grant_verdict,
    own_contribution_short,
    share_table,
)
from mms_desktop.domain.call import CallDefinition, CostGroup
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import GROSZ, ZERO, AmountFormatError
from mms_desktop.domain.organization import LegalForm
from mms_desktop.i18n import format_money, format_number, format_percent, format_share, tr
from mms_desktop.services import budget_csv
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import write_atomically
from mms_desktop.ui import style
from mms_desktop.ui.fields import TypingDelegate, format_amount, format_quantity, parse_decimal
from mms_desktop.ui.session import ApplicationSession

ROWS = "budget"
WARNING_COLOR = QColor(style.WARNING_COLOUR)
MISMATCH_BACKGROUND = QColor(style.WARNING_BACKGROUND)
FADED_COLOR = QColor(style.FADED_COLOUR)
CATEGORY_NAME_CHARS = 46  # in the summary; leaves the limits room on a 1366 px screen


# --- columns -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # catalog key suffix: ui.budget.column.<key>
    field: str | None  # the BudgetLine field it edits; None: computed
    kind: str  # number, action, category, text, money, quantity, total
    width: int  # in average character widths


COLUMNS = (
    Column("number", None, "number", 4),
    Column("action", "action_id", "action", 16),
    Column("category", "category_id", "category", 17),
    Column("name", "name", "text", 28),
    Column("unit", "unit", "text", 8),
    Column("unit_cost", "unit_cost", "money", 10),
    Column("quantity", "quantity", "quantity", 7),
    Column("total", None, "total", 11),
    Column("grant", "grant", "money", 10),
    Column("own_financial", "own_financial", "money", 10),
    Column("own_personal", "own_personal", "money", 10),
    Column("own_in_kind", "own_in_kind", "money", 10),
    Column("participants", "participants", "money", 11),
)
COLUMN_OF_FIELD = {column.field: number for number, column in enumerate(COLUMNS) if column.field}
NUMBER_COLUMN = 0
ACTION_COLUMN = COLUMN_OF_FIELD["action_id"]
CATEGORY_COLUMN = COLUMN_OF_FIELD["category_id"]
NAME_COLUMN = COLUMN_OF_FIELD["name"]
TOTAL_COLUMN = 7
SOURCE_FIELDS = tuple(source.value for source in FundingSource)
_NUMERIC = {"number", "money", "quantity", "total"}
_ALIGNMENTS = tuple(
    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if column.kind in _NUMERIC
    else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    for column in COLUMNS
)
_MONEY_COLUMNS = frozenset(n for n, column in enumerate(COLUMNS) if column.kind == "money")
_TEXT_COLUMNS = frozenset(
    n for n, column in enumerate(COLUMNS) if column.kind in ("action", "category", "text")
)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FONT = Qt.ItemDataRole.FontRole
_UNBREAKABLE = re.compile(r"(?<=\d) (?=\d|zł|%)")
_GRANT_SENTENCE = {
    GrantVerdict.BELOW: "ui.budget.summary.grant_below",
    GrantVerdict.WITHIN: "ui.budget.summary.grant",
    GrantVerdict.ABOVE: "ui.budget.summary.grant_above",
}
_FIELD_PATH = re.compile(r"^application\.budget(?:\[(\d+)\](?:\.(\w+))?)?$")


def _sources(line: BudgetLine) -> Decimal:
    # Direct sums: this runs for every line on every change.
    return (
        line.grant + line.own_financial + line.own_personal + line.own_in_kind + line.participants
    )


def _amount_in(line: BudgetLine, column: int) -> Decimal:
    amount: Decimal = getattr(line, COLUMNS[column].field or "")
    return amount


def _source_amounts(line: BudgetLine) -> tuple[Decimal, ...]:
    return line.grant, line.own_financial, line.own_personal, line.own_in_kind, line.participants


# --- the model ------------------------------------------------------------------


class BudgetModel(QAbstractTableModel):
    """The session's budget lines as table rows; writes go back through the session."""

    refused = Signal(str)  # a typed value that was not taken, in words

    def __init__(self, session: ApplicationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._lines: tuple[BudgetLine, ...] = self._current()
        # Display texts per line id, valid while the line object is the same one.
        self._texts: dict[str, tuple[BudgetLine, list[str]]] = {}
        self._action_labels: dict[str | None, str] = {}
        self._category_names = {c.id: c.name for c in session.call.cost_categories}
        self._headers = [tr(f"ui.budget.column.{column.key}") for column in COLUMNS]
        self._header_tips = [tr(f"ui.budget.column_tip.{column.key}") for column in COLUMNS]
        readable = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        self._flags = tuple(
            readable | Qt.ItemFlag.ItemIsEditable
            if session.editable and column.field is not None
            else readable
            for column in COLUMNS
        )
        self._faded = QBrush(FADED_COLOR)
        self._mismatch = QBrush(MISMATCH_BACKGROUND)
        self._bold = QFont()
        self._bold.setBold(True)
        self.refresh_actions()

    # --- reading ------------------------------------------------------------

    def _current(self) -> tuple[BudgetLine, ...]:
        return self._session.application.budget

    @property
    def lines(self) -> tuple[BudgetLine, ...]:
        return self._lines

    def line(self, row: int) -> BudgetLine:
        return self._lines[row]

    def row_of(self, line_id: str) -> int | None:
        for row, line in enumerate(self._lines):
            if line.id == line_id:
                return row
        return None

    def action_choices(self) -> list[tuple[str, str | None]]:
        """(label, action id) for the action combo; the last means "no action"."""
        return [(label, key) for key, label in self._action_labels.items() if key is not None] + [
            (self._action_labels[None], None)
        ]

    def category_choices(self) -> list[tuple[str, str]]:
        return [(name, key) for key, name in self._category_names.items()]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _line_texts(self, line: BudgetLine) -> list[str]:
        cached = self._texts.get(line.id)
        if cached is not None and cached[0] is line:
            return cached[1]
        texts = [
            "",  # the number depends on the row, not on the line
            self._action_labels.get(line.action_id, tr("ui.budget.unknown_action")),
            self._category_names.get(line.category_id, line.category_id),
            line.name,
            line.unit,
            format_amount(line.unit_cost),
            format_quantity(line.quantity),
            format_amount(line.total),
            *(format_amount(amount) for amount in _source_amounts(line)),
        ]
        self._texts[line.id] = (line, texts)
        return texts

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # Called some two hundred times per repainted row: module constants, no enum lookups.
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (_DISPLAY, _ACCESSIBLE_TEXT):
            return (
                str(row + 1)
                if column == NUMBER_COLUMN
                else self._line_texts(self._lines[row])[column]
            )
        if role == _ALIGNMENT:
            return _ALIGNMENTS[column]
        line = self._lines[row]
        if role == _FOREGROUND:
            # Zeros fade, so the amounts that are there stand out.
            if column in _MONEY_COLUMNS and not _amount_in(line, column):
                return self._faded
            return None
        if column == TOTAL_COLUMN:
            if role == _FONT:
                return self._bold
            if role == _BACKGROUND and _sources(line) != line.total:
                return self._mismatch
            if role == _TOOLTIP and _sources(line) != line.total:
                return tr("ui.budget.split_mismatch_tip", sources=format_money(_sources(line)))
            return None
        if role == _EDIT:
            if column == ACTION_COLUMN:
                return line.action_id
            if column == CATEGORY_COLUMN:
                return line.category_id
            return self._line_texts(line)[column]
        if role == _TOOLTIP and column in _TEXT_COLUMNS:
            return self._line_texts(line)[column] or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._header_tips[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return self._flags[index.column()]

    # --- writing ------------------------------------------------------------

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        column = COLUMNS[index.column()]
        line = self._lines[index.row()]
        assert column.field is not None
        try:
            parsed = self._parse(column, value)
        except _Refused as refusal:
            self.refused.emit(
                tr(
                    refusal.key,
                    row=index.row() + 1,
                    column=self._header_tips[index.column()],
                    value=str(value).strip(),
                )
            )
            return False
        changes: dict[str, Any] = {column.field: parsed}
        if column.field in ("unit_cost", "quantity"):
            changes |= follow_single_source(
                line,
                changes.get("unit_cost", line.unit_cost),
                changes.get("quantity", line.quantity),
            )
        if all(getattr(line, name) == new for name, new in changes.items()):
            return True
        self._session.set_row_fields(ROWS, line.id, changes)
        return True

    @staticmethod
    def _parse(column: Column, value: Any) -> Any:
        if column.kind == "action":
            return value or None
        if column.kind == "category":
            return value or ""
        if column.kind == "text":
            return str(value or "").strip()
        text = str(value if value is not None else "")
        try:
            number = parse_decimal(text)
        except AmountFormatError:
            raise _Refused("ui.budget.refused.not_a_number") from None
        if number is None:
            return ZERO if column.kind == "money" else Decimal(0)
        if number < 0:
            raise _Refused("ui.budget.refused.negative")
        if column.kind == "money" and number != number.quantize(GROSZ):
            raise _Refused("ui.budget.refused.not_in_grosze")
        return number

    # --- following the session ------------------------------------------------

    def refresh_actions(self) -> None:
        labels: dict[str | None, str] = {
            action.id: f"{number}. {action.name or tr('ui.budget.unnamed_action')}"
            for number, action in enumerate(self._session.application.actions, start=1)
        }
        labels[None] = tr("ui.budget.no_action")
        if labels == self._action_labels:
            return
        self._action_labels = labels
        self._texts.clear()
        if self._lines:
            self.dataChanged.emit(
                self.index(0, ACTION_COLUMN), self.index(len(self._lines) - 1, ACTION_COLUMN)
            )

    def sync(self) -> None:
        """Catch up with the session, telling the view only what changed."""
        old, new = self._lines, self._current()
        if new is old:
            return
        old_ids = [line.id for line in old]
        new_ids = [line.id for line in new]
        if old_ids == new_ids:
            self._lines = new
            self._changed_rows(old, new)
        elif len(new) == len(old) + 1 and (row := _inserted_at(old_ids, new_ids)) is not None:
            self.beginInsertRows(QModelIndex(), row, row)
            self._lines = new
            self.endInsertRows()
            self._renumbered(row + 1)
        elif len(new) == len(old) - 1 and (row := _inserted_at(new_ids, old_ids)) is not None:
            self._texts.pop(old_ids[row], None)
            self.beginRemoveRows(QModelIndex(), row, row)
            self._lines = new
            self.endRemoveRows()
            self._renumbered(row)
        elif len(new) == len(old) and (move := _moved(old_ids, new_ids)) is not None:
            source, target = move
            # Qt's destination is the row *before which* the line lands, counted
            # before it is taken out.
            self.beginMoveRows(
                QModelIndex(),
                source,
                source,
                QModelIndex(),
                target + 1 if target > source else target,
            )
            self._lines = new
            self.endMoveRows()
            self._renumbered(min(source, target), max(source, target))
        else:
            self._relayout(new)
            return
        # An undo after a reload may bring back the same ids with other objects.
        if new_ids != old_ids:
            self._changed_rows_by_id(old, new)

    def _changed_rows(self, old: Sequence[BudgetLine], new: Sequence[BudgetLine]) -> None:
        start = None
        last_column = len(COLUMNS) - 1
        for row, (before, after) in enumerate(zip(old, new, strict=True)):
            if before is not after:
                if start is None:
                    start = row
            elif start is not None:
                self.dataChanged.emit(self.index(start, 0), self.index(row - 1, last_column))
                start = None
        if start is not None:
            self.dataChanged.emit(self.index(start, 0), self.index(len(new) - 1, last_column))

    def _changed_rows_by_id(self, old: Sequence[BudgetLine], new: Sequence[BudgetLine]) -> None:
        before = {line.id: line for line in old}
        last_column = len(COLUMNS) - 1
        for row, line in enumerate(new):
            if line.id in before and before[line.id] is not line:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))

    def _renumbered(self, first: int, last: int | None = None) -> None:
        """The Lp. column of rows whose number changed."""
        if not self._lines or first >= len(self._lines):
            return
        end = len(self._lines) - 1 if last is None else min(last, len(self._lines) - 1)
        self.dataChanged.emit(self.index(first, NUMBER_COLUMN), self.index(end, NUMBER_COLUMN))

    def _relayout(self, new: tuple[BudgetLine, ...]) -> None:
        """Anything else (a reload): a reset; the editor keeps its current cell by line id."""
        self.beginResetModel()
        self._lines = new
        self._texts.clear()
        self.endResetModel()


def _inserted_at(shorter: list[str], longer: list[str]) -> int | None:
    """Where one id was inserted into ``shorter`` to give ``longer`` (else None)."""
    row = next(
        (i for i, (a, b) in enumerate(zip(shorter, longer, strict=False)) if a != b), len(shorter)
    )
    return row if longer[:row] + longer[row + 1 :] == shorter else None


def _moved(old: list[str], new: list[str]) -> tuple[int, int] | None:
    """(from, to) if exactly one id moved; else None."""
    first = next((i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b), None)
    if first is None:
        return None
    last = next(i for i in range(len(old) - 1, -1, -1) if old[i] != new[i])
    if new[first:last] == old[first + 1 : last + 1] and new[last] == old[first]:
        return first, last  # moved down
    if new[first + 1 : last + 1] == old[first:last] and new[first] == old[last]:
        return last, first  # moved up
    return None


class _Refused(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


# --- cell editors -------------------------------------------------------------


class BudgetDelegate(TypingDelegate):
    """Combos for the action and the category; plain line edits elsewhere.

    Typing in a cell saves after a pause, as in the form's fields.
    """

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        model = index.model()
        kind = COLUMNS[index.column()].kind
        if kind in ("action", "category") and isinstance(model, BudgetModel):
            combo = _CellCombo(parent)
            choices: Sequence[tuple[str, str | None]] = (
                model.action_choices() if kind == "action" else model.category_choices()
            )
            for label, key in choices:
                combo.addItem(label, key)
            combo.setAccessibleName(tr(f"ui.budget.column_tip.{COLUMNS[index.column()].key}"))
            # A pick from the open list is final; arrows on the closed combo only
            # move the choice, saved after a pause, on Enter or on leaving the cell.
            combo.picked.connect(lambda: self._commit_and_close(combo))
            return self.watch(combo)
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setAccessibleName(tr(f"ui.budget.column_tip.{COLUMNS[index.column()].key}"))
        if kind in _NUMERIC:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.watch(editor)

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def fill_editor(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))


class _CellCombo(QComboBox):
    """A combo in a cell that says when its open list was closed on a choice."""

    picked = Signal()

    def hidePopup(self) -> None:
        # Qt also calls this when the editor itself closes; only a list that
        # was really open means a pick.
        was_open = self.view().isVisible()
        super().hidePopup()
        if was_open:
            self.picked.emit()


# --- the table ------------------------------------------------------------------


class BudgetTable(QTableView):
    """The table, with the spreadsheet keys of the budget."""

    def __init__(self, keys: Callable[[QKeyEvent], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keys = keys

    def event(self, event: QEvent) -> bool:
        # Our keys win over window-wide shortcuts (a main window's Ctrl+N) while
        # the table has focus.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and _is_table_key(event)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState and self._keys(event):
            event.accept()
            return
        super().keyPressEvent(event)


_CTRL = Qt.KeyboardModifier.ControlModifier
_TABLE_KEYS = {
    (Qt.Key.Key_Insert, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_N, _CTRL),
    (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Delete, _CTRL),
    (Qt.Key.Key_Up, _CTRL),
    (Qt.Key.Key_Down, _CTRL),
    (Qt.Key.Key_V, _CTRL),
    (Qt.Key.Key_C, _CTRL),
}


def _modifiers(event: QKeyEvent) -> Qt.KeyboardModifier:
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


def _is_table_key(event: QKeyEvent) -> bool:
    return (Qt.Key(event.key()), _modifiers(event)) in _TABLE_KEYS


# --- the summary ------------------------------------------------------------------


def _percent(value: Decimal, places: int = 1) -> str:
    return format_share(value, places)


def _cap_percent_used(cap: CapUse) -> str:
    # Never show "10 %" used of 10 % allowed while saying it is exceeded.
    shown = _percent(cap.percent)
    if cap.exceeded and shown == _percent(cap.cap_percent):
        return _percent(cap.percent, 2)
    return shown


class SummaryRow:
    """One line of the summary: its cells on screen, and the whole sentence.

    The cells line up in columns (names left, amounts right) so the figures
    read like an accountant's table; the sentence ("Dotacja 29 620,00 zł –
    81,6 %") is what a screen reader says and what ``texts()`` gives.
    """

    def __init__(
        self,
        grid: QGridLayout,
        row: int,
        columns: int,
        bold: bool = False,
        indent: bool = False,
        wrap: bool = False,
    ) -> None:
        self.labels: list[QLabel] = []
        self.bold = bold
        self.sentence = ""
        self.warning = False
        self.hidden = False
        for column in range(columns):
            label = QLabel()
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if column > 0:
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            elif indent:
                label.setIndent(12)
            if wrap:
                label.setWordWrap(True)
            grid.addWidget(label, row, column)
            self.labels.append(label)
        self._style()

    def _style(self) -> None:
        weight = "bold" if self.bold or self.warning else "normal"
        color = f" color: {WARNING_COLOR.name()};" if self.warning else ""
        for label in self.labels:
            label.setStyleSheet(f"font-weight: {weight};{color}")

    def show(self, cells: Sequence[str] | None, sentence: str = "", warning: bool = False) -> None:
        """Show these cells; None hides the row. Only what differs is touched."""
        visible = cells is not None
        if visible == self.hidden:
            self.hidden = not visible
            for label in self.labels:
                label.setVisible(visible)
        if cells is not None and sentence != self.sentence:
            for position, label in enumerate(self.labels):
                text = cells[position] if position < len(cells) else ""
                if label.text() != text:
                    label.setText(text)
                label.setAccessibleName(sentence)
        self.sentence = sentence if visible else ""
        if warning != self.warning:
            self.warning = warning
            self._style()

    @property
    def visible(self) -> bool:
        return not self.hidden


class BudgetSummaryPanel(QFrame):
    """Totals, sources and the call's limits; a broken limit says so in words, in red."""

    def __init__(self, call: CallDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(tr("ui.budget.summary"))
        self._call = call
        self.rows: list[SummaryRow] = []
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(28)
        costs, sources, limits = (
            self._section(outer, key, stretch)
            for key, stretch in (("costs", 0), ("sources", 0), ("limits", 1))
        )
        self.total = self._row(costs, 2, bold=True)
        self.groups: dict[CostGroup, SummaryRow] = {}
        self.categories: dict[str, SummaryRow] = {}
        for group in CostGroup:
            self.groups[group] = self._row(costs, 2, bold=True)
            for category in call.cost_categories:
                if category.group is group:
                    self.categories[category.id] = self._row(costs, 2, indent=True)
        self._short_names = {
            category.id: self._short(self.categories[category.id], category.name)
            for category in call.cost_categories
        }
        self.other_categories = self._row(costs, 2, indent=True)
        self.sources = {source: self._row(sources, 3) for source in FundingSource}
        self.own = self._row(sources, 3, bold=True)
        self.grant = self._row(limits, 1, wrap=True)
        self.mismatch = self._row(limits, 1, wrap=True)
        self.admin = self._row(limits, 1, wrap=True)
        self.equipment = self._row(limits, 1, wrap=True)
        self.own_minimum = self._row(limits, 1, wrap=True)

    def _section(self, outer: QHBoxLayout, key: str, stretch: int) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        heading = QLabel(tr(f"ui.budget.summary.{key}"))
        heading.setStyleSheet("font-weight: bold; text-decoration: underline;")
        grid.addWidget(heading, 0, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        box = QVBoxLayout()
        box.addLayout(grid)
        box.addStretch(1)
        outer.addLayout(box, stretch)
        return grid

    def _row(
        self,
        grid: QGridLayout,
        columns: int,
        bold: bool = False,
        indent: bool = False,
        wrap: bool = False,
    ) -> SummaryRow:
        row = SummaryRow(grid, grid.rowCount(), columns, bold, indent, wrap)
        self.rows.append(row)
        return row

    def texts(self) -> list[str]:
        """What the panel says, sentence by sentence (for screen readers and tests)."""
        return [row.sentence for row in self.rows if row.visible]

    def warnings(self) -> list[str]:
        return [row.sentence for row in self.rows if row.visible and row.warning]

    def update_figures(self, figures: BudgetFigures, legal_form: LegalForm) -> None:
        call = self._call
        summary = figures.summary
        total = summary.total

        def money_row(
            row: SummaryRow,
            title: str,
            amount: Decimal,
            key: str,
            warning: bool = False,
            **params: str,
        ) -> None:
            text = format_money(amount)
            row.show([title, text], tr(key, amount=text, **params), warning)

        money_row(self.total, tr("ui.budget.summary.total_name"), total, "ui.budget.summary.total")
        by_group = summary.by_group()
        for group, row in self.groups.items():
            money_row(
                row,
                tr(f"ui.budget.group_name.{group.value}"),
                by_group[group],
                f"ui.budget.group.{group.value}",
            )
        by_category = summary.by_category()
        for category in call.cost_categories:
            money_row(
                self.categories[category.id],
                self._short_names[category.id],
                by_category.get(category.id, ZERO),
                "ui.budget.summary.category",
                name=category.name,
            )
        unknown = sum(
            (amount for key, amount in by_category.items() if call.category(key) is None), ZERO
        )
        if unknown:
            money_row(
                self.other_categories,
                tr("ui.budget.summary.no_category_name"),
                unknown,
                "ui.budget.summary.no_category",
                warning=True,
            )
        else:
            self.other_categories.show(None)

        shares = share_table(summary)
        for source, part in shares.sources:
            name = tr(f"ui.budget.source.{source.value}")
            amount = format_money(part.amount)
            share = format_percent(part.percent)
            self.sources[source].show(
                [name, amount, share],
                tr("ui.budget.summary.source", name=name, amount=amount, share=share),
            )
        amount = format_money(shares.own.amount)
        share = format_percent(shares.own.percent)
        self.own.show(
            [tr("ui.budget.summary.own_name"), amount, share],
            tr("ui.budget.summary.own", amount=amount, share=share),
        )
        if figures.mismatched_rows:
            rows = ", ".join(str(row) for row in figures.mismatched_rows[:12])
            if len(figures.mismatched_rows) > 12:
                rows += ", …"
            sentence = tr(
                "ui.budget.summary.mismatch", rows=rows, amount=format_money(figures.mismatch)
            )
            self._sentence(self.mismatch, sentence, warning=True)
        else:
            self.mismatch.show(None)

        grant = summary.grant
        verdict = grant_verdict(grant, call)
        self._sentence(
            self.grant,
            tr(
                _GRANT_SENTENCE[verdict],
                amount=format_money(grant),
                minimum=format_number(call.grant_min, 2),
                maximum=format_money(call.grant_max),
            ),
            warning=verdict is not GrantVerdict.WITHIN,
        )
        self._show_cap(self.admin, "admin", summary.admin_cap())
        self._show_cap(self.equipment, "equipment", summary.equipment_cap(legal_form))
        minimum = call.own_contribution_min_percent
        if minimum > 0:
            low = own_contribution_short(summary, minimum)
            self._sentence(
                self.own_minimum,
                tr(
                    "ui.budget.summary.own_minimum_low" if low else "ui.budget.summary.own_minimum",
                    share=_percent(summary.own_contribution_share),
                    minimum=_percent(minimum),
                ),
                warning=low,
            )
        else:
            self.own_minimum.show(None)

    @staticmethod
    def _short(row: SummaryRow, name: str) -> str:
        """A long category name cut to fit (the whole name in the tooltip)."""
        label = row.labels[0]
        label.setToolTip(name)
        width = CATEGORY_NAME_CHARS * label.fontMetrics().averageCharWidth()
        return label.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, width)

    @staticmethod
    def _sentence(row: SummaryRow, sentence: str, warning: bool = False) -> None:
        # On screen an amount never breaks across lines ("2 306,50 zł").
        row.show([_UNBREAKABLE.sub("\u00a0", sentence)], sentence, warning)

    def _show_cap(self, row: SummaryRow, name: str, cap: CapUse | None) -> None:
        if cap is None:
            row.show(None)
            return
        if cap.cap_percent == 0:
            used = cap_forbidden_used(cap)
            key = "ui.budget.cap.forbidden_used" if used else "ui.budget.cap.forbidden"
            self._sentence(
                row,
                tr(key, name=tr(f"ui.budget.cap_name.{name}"), amount=format_money(cap.amount)),
                warning=used,
            )
            return
        key = "ui.budget.cap.exceeded" if cap.exceeded else "ui.budget.cap.ok"
        self._sentence(
            row,
            tr(
                key,
                name=tr(f"ui.budget.cap_name.{name}"),
                percent=_cap_percent_used(cap),
                cap=_percent(cap.cap_percent),
                left=format_money(abs(cap.left)),
                amount=format_money(cap.amount),
            ),
            warning=cap.exceeded,
        )


# --- the editor -------------------------------------------------------------------


class BudgetEditor(QWidget):
    """Cost lines of one application, with their summary."""

    def __init__(self, session: ApplicationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName(tr("ui.budget.title"))
        self.model = BudgetModel(session, self)
        self.model.refused.connect(lambda message: self.show_message(message, error=True))

        self.table = BudgetTable(self._table_key, self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(BudgetDelegate(self.table))
        self.table.setAccessibleName(tr("ui.budget.table"))
        self.table.setAccessibleDescription(tr("ui.budget.table_help"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measures 300 rows
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setHighlightSections(False)
        unit = self.fontMetrics().averageCharWidth()
        header_metrics = header.fontMetrics()
        for number, column in enumerate(COLUMNS):
            title = str(self.model.headerData(number, Qt.Orientation.Horizontal))
            title_width = max(header_metrics.horizontalAdvance(part) for part in title.split("\n"))
            self.table.setColumnWidth(number, max(column.width * unit + 10, title_width + 14))
        # The kind of cost is the column people read: it keeps its width and the
        # table scrolls sideways on a narrow screen rather than squeezing it.
        header.setStretchLastSection(False)
        self.table.clicked.connect(self._clicked)
        self._kept_cell: tuple[str, int] | None = None
        self.model.modelAboutToBeReset.connect(self._remember_cell)
        self.model.modelReset.connect(self._restore_cell)
        self.table.setToolTip(tr("ui.budget.table_help"))

        self.summary = BudgetSummaryPanel(session.call, self)
        summary_area = QScrollArea(self)
        summary_area.setWidget(self.summary)
        summary_area.setWidgetResizable(True)
        summary_area.setFrameShape(QFrame.Shape.NoFrame)
        summary_area.setAccessibleName(tr("ui.budget.summary"))
        self.summary_area = summary_area

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(self.fontMetrics().lineSpacing() + 4)  # no jump on a message
        self.status.setAccessibleName(tr("ui.budget.status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setSpacing(4)
        for name, handler in (
            ("add", self.add_line),
            ("remove", self.remove_lines),
            ("up", lambda: self.move_line(-1)),
            ("down", lambda: self.move_line(1)),
            ("paste", self.paste),
            (None, None),
            ("import", self.import_csv),
            ("export", self.export_csv),
        ):
            if name is None or handler is None:
                bar.addStretch(1)
                continue
            button = QPushButton(tr(f"ui.budget.button.{name}"), self)
            button.setAccessibleName(tr(f"ui.budget.button_name.{name}"))
            button.setToolTip(tr(f"ui.budget.button_tip.{name}"))
            button.setAutoDefault(False)
            button.clicked.connect(handler)
            bar.addWidget(button)
            self.buttons[name] = button

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(summary_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        self._sized = False
        self._totals = RunningTotals(session.call)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(0)  # once per burst of changes (a paste of 300 lines)
        self._summary_timer.timeout.connect(self.refresh_summary)
        session.changed.connect(self._session_changed)
        self._apply_editable()
        self.refresh_summary()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, NAME_COLUMN))

    def sizeHint(self) -> QSize:
        return QSize(1180, 680)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            # The whole summary in view at first; the table takes the rest.
            self._sized = True
            height = max(self.splitter.height(), 300)
            wanted = min(self.summary.sizeHint().height() + 4, height // 2)
            self.splitter.setSizes([height - wanted, wanted])

    # --- following the session ----------------------------------------------------

    def _session_changed(self, what: str) -> None:
        if what in ("actions", ""):
            self.model.refresh_actions()
        if what in (ROWS, ""):
            self.model.sync()
        if what in (ROWS, "", "organization"):
            self._summary_timer.start()

    def refresh_summary(self) -> None:
        self._summary_timer.stop()
        figures = self._totals.figures(self.model.lines)
        self.summary.update_figures(figures, self.session.organization.legal_form)

    def _apply_editable(self) -> None:
        editable = self.session.editable
        for name, button in self.buttons.items():
            button.setEnabled(editable or name == "export")
        if not editable:
            self.show_message(tr("ui.budget.read_only"))

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(
            f"color: {WARNING_COLOR.name()}; font-weight: bold;" if error else ""
        )

    # --- the current line ------------------------------------------------------------

    def _current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def _select(self, row: int, column: int) -> None:
        index = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.scrollTo(index)

    def _selected_rows(self) -> list[int]:
        """Rows selected whole (by their number), else the current row."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        if rows:
            return rows
        row = self._current_row()
        return [] if row is None else [row]

    def _remember_cell(self) -> None:
        index = self.table.currentIndex()
        self._kept_cell = (
            (self.model.line(index.row()).id, index.column()) if index.isValid() else None
        )

    def _restore_cell(self) -> None:
        if self._kept_cell is not None:
            row = self.model.row_of(self._kept_cell[0])
            if row is not None:
                self._select(row, self._kept_cell[1])
        self._kept_cell = None

    def _clicked(self, index: QModelIndex) -> None:
        # Clicking a line's number selects the whole line, as a spreadsheet's row header.
        if index.column() == NUMBER_COLUMN:
            self.table.selectRow(index.row())

    # --- keys --------------------------------------------------------------------------

    def _table_key(self, event: QKeyEvent) -> bool:
        key, modifiers = event.key(), _modifiers(event)
        plain = modifiers == Qt.KeyboardModifier.NoModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            index = self.table.currentIndex()
            if index.isValid() and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.table.edit(index)
                return True
            return False
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return True
        if not _is_table_key(event):
            return False
        if key == Qt.Key.Key_Delete and plain:
            if self.table.selectionModel().selectedRows():
                self.remove_lines()
            else:
                self.clear_cell()
        elif key in (Qt.Key.Key_Insert, Qt.Key.Key_N):
            self.add_line()
        elif key == Qt.Key.Key_Delete:
            self.remove_lines()
        elif key == Qt.Key.Key_Up:
            self.move_line(-1)
        elif key == Qt.Key.Key_Down:
            self.move_line(1)
        elif key == Qt.Key.Key_V:
            self.paste()
        return True

    # --- actions ---------------------------------------------------------------------

    def _refuse_read_only(self) -> bool:
        if not self.session.editable:
            self.show_message(tr("ui.budget.read_only"), error=True)
            return True
        return False

    def add_line(self) -> None:
        """A new line after the current one, with its action and category."""
        if self._refuse_read_only():
            return
        row = self._current_row()
        template = self.model.line(row) if row is not None else None
        line = BudgetLine(
            id=new_id(),
            category_id=template.category_id if template else "",
            action_id=template.action_id if template else None,
        )
        at = len(self.model.lines) if row is None else row + 1
        self.session.add_row(ROWS, line, at)
        new_row = self.model.row_of(line.id)
        if new_row is not None:
            self._select(new_row, NAME_COLUMN)
            self.show_message(tr("ui.budget.added", row=new_row + 1))
        self.table.setFocus()

    def remove_lines(self) -> None:
        if self._refuse_read_only():
            return
        rows = self._selected_rows()
        if not rows:
            return
        column = self.table.currentIndex().column()
        lines = [self.model.line(row) for row in rows]
        with self.session.one_undo_step(tr("ui.budget.undo.remove")):
            for line in lines:
                self.session.remove_row(ROWS, line.id)
        if len(lines) == 1:
            self.show_message(
                tr(
                    "ui.budget.removed_one",
                    row=rows[0] + 1,
                    name=lines[0].name or tr("ui.budget.unnamed_line"),
                )
            )
        else:
            self.show_message(
                tr("ui.budget.removed_many", rows=", ".join(str(row + 1) for row in rows))
            )
        if self.model.rowCount():
            self._select(min(rows[0], self.model.rowCount() - 1), max(column, 0))
        self.table.setFocus()

    def move_line(self, step: int) -> None:
        if self._refuse_read_only():
            return
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row, target = index.row(), index.row() + step
        if not 0 <= target < self.model.rowCount():
            return
        self.session.move_row(ROWS, self.model.line(row).id, target)
        self._select(target, index.column())
        self.show_message(tr("ui.budget.moved", old=row + 1, new=target + 1))

    def clear_cell(self) -> None:
        index = self.table.currentIndex()
        if index.isValid() and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.model.setData(index, "")

    def copy(self) -> None:
        indexes = self.table.selectionModel().selectedIndexes()
        if len(indexes) <= 1:
            index = self.table.currentIndex()
            if index.isValid():
                QGuiApplication.clipboard().setText(str(index.data() or ""))
            return
        rows = sorted({index.row() + 1 for index in indexes})
        QGuiApplication.clipboard().setText(
            budget_csv.rows_as_text(rows, self.session.application, self.session.call)
        )

    def paste(self) -> None:
        """Lines copied from a spreadsheet (one undo step), or one value into the cell."""
        if self._refuse_read_only():
            return
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            return
        index = self.table.currentIndex()
        if "\t" not in text and "\n" not in text.strip() and ";" not in text:
            if index.isValid() and self.model.setData(index, text.strip()):
                self.show_message("")
            return
        try:
            lines = budget_csv.parse_rows(text, self.session.application, self.session.call)
        except UserError as error:
            reason = tr(error.key, **error.params)
            self.show_message(tr("ui.budget.paste_refused", reason_text=reason), error=True)
            return
        at = index.row() + 1 if index.isValid() else len(self.model.lines)
        self.session.add_rows(ROWS, list[Row](lines), at)
        self._select(at, max(index.column(), NAME_COLUMN) if index.isValid() else NAME_COLUMN)
        self.show_message(tr("ui.budget.pasted", first=at + 1, last=at + len(lines)))
        self.table.setFocus()

    # --- files -------------------------------------------------------------------------

    def _ask_import_mode(self, count: int) -> str:
        """Replace or append: "replace", "append" or "" (cancelled); asked when lines exist."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("ui.budget.import_title"),
            tr("ui.budget.import_question", count=count),
            parent=self,
        )
        replace = box.addButton(tr("ui.budget.import_replace"), QMessageBox.ButtonRole.AcceptRole)
        append = box.addButton(tr("ui.budget.import_append"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(append)
        box.exec()
        clicked = box.clickedButton()
        return "replace" if clicked is replace else "append" if clicked is append else ""

    def import_csv(self) -> None:
        if self._refuse_read_only():
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("ui.budget.import_title"), "", tr("ui.budget.csv_filter")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        try:
            lines = budget_csv.import_csv(path, self.session.application, self.session.call)
        except UserError as error:
            self.show_message(
                tr(
                    "ui.budget.import_refused",
                    path=path.name,
                    reason_text=tr(error.key, **error.params),
                ),
                error=True,
            )
            return
        mode = self._ask_import_mode(len(self.model.lines)) if self.model.lines else "append"
        if not mode:
            return
        with self.session.one_undo_step(tr("ui.budget.undo.import")):
            if mode == "replace":
                for line in self.model.lines:
                    self.session.remove_row(ROWS, line.id)
            first = len(self.model.lines)
            self.session.add_rows(ROWS, list[Row](lines))
        self.show_message(
            tr("ui.budget.imported", path=path.name, first=first + 1, last=first + len(lines))
        )
        if lines:
            self._select(first, NAME_COLUMN)

    def export_csv(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr("ui.budget.export_title"),
            tr("ui.budget.export_file_name"),
            tr("ui.budget.csv_filter"),
        )
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        if path.suffix.lower() not in (".csv", ".txt"):
            path = path.with_name(path.name + ".csv")
        try:
            write_atomically(
                path, budget_csv.export_csv(self.session.application, self.session.call)
            )
        except UserError as error:
            self.show_message(tr(error.key, **error.params), error=True)
            return
        self.show_message(tr("ui.budget.exported", path=str(path)))

    # --- findings ------------------------------------------------------------------

    def focus_field(self, path: str) -> bool:
        """Show the cell a finding names (``application.budget[3].unit_cost``)."""
        match = _FIELD_PATH.match(path)
        if match is None:
            return False
        number, field = match.groups()
        if number is None:
            self.summary_area.ensureWidgetVisible(self.summary)
            sizes = self.splitter.sizes()
            if len(sizes) == 2 and sizes[1] < self.summary.minimumSizeHint().height() // 2:
                self.splitter.setSizes([max(sizes[0] - 150, 100), sizes[1] + 150])
            self.table.setFocus()
            return True
        row = int(number) - 1
        if not 0 <= row < self.model.rowCount():
            return False
        column = COLUMN_OF_FIELD.get(field or "", NAME_COLUMN)
        self._select(row, column)
        self.table.setFocus()
        return True
