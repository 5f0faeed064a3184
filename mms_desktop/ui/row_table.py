"""One table editor for every list of rows: the budget, the plan of actions,
results, a report's lists, the profile's people and revenues.

Each table is the same three parts, configured per table:

- ``RowTableModel``: the rows of a ``RowSource`` as cells. Typed text is read
  as the column's kind (money in whole grosze and never below zero, a date, a
  quantity, a choice); a value that cannot be taken is refused in words
  (``refused``) and nothing changes. It never rebuilds itself on an edit: it
  compares the old and new rows by identity (an edit replaces only the edited
  row object) and tells the view about just the rows that changed, moved,
  came or went — a budget of 300 lines stays quick on an old laptop.
- ``RowTableDelegate``: line edits, and combos for choices; typing in a cell
  saves after a pause with the cell still open (``fields.TypingDelegate``).
- ``RowTableView`` with a key map: keys the table answers while no cell is
  being edited (Insert adds, Delete removes, Ctrl+↑/↓ move, …), winning over
  the window's shortcuts while the table has focus; Enter edits the cell.

Where the rows live is the source's business: ``SessionRows`` edits a list of
an editing session (every edit autosaved and undoable there); ``DraftRows``
keeps small tables typed whole (the profile's people and revenues), saving
the whole list once every row in it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.findings import Finding, Severity
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import GROSZ, ZERO, AmountFormatError
from mms_desktop.ui import style
from mms_desktop.ui.columns import StretchWithFloor, name_corner_button, title_width
from mms_desktop.ui.fields import (
    TypingDelegate,
    format_amount,
    format_quantity,
    parse_date,
    parse_decimal,
)

Index = QModelIndex | QPersistentModelIndex
Choices = Callable[[], Sequence[tuple[str, Any]]]  # (label, value) pairs

# Kinds of cell: number (the row's number), text, date, bool, decimal, quantity,
# money, integer, percent, choice, total (read-only money).
NUMERIC = frozenset({"number", "decimal", "quantity", "money", "integer", "percent", "total"})
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_CHECK = Qt.ItemDataRole.CheckStateRole
_FONT = Qt.ItemDataRole.FontRole
_ANSWERED = frozenset({_EDIT, _TOOLTIP, _FOREGROUND, _BACKGROUND, _CHECK, _FONT})


@dataclass(frozen=True)
class Column:
    field: str  # the row's attribute; "" for the row's number
    title_key: str  # the header's catalog key
    kind: str = "text"
    width: int = 0  # in average character widths; 0: the column stretches
    editable: bool = True
    marked_by: str = ""  # the field whose findings colour this cell (default: its own)
    tip_key: str = ""  # the header's tooltip, the cell editor's name (default: the title)
    strip: bool = False  # text saved without surrounding spaces
    empty: Any = None  # a choice column's value for "nothing chosen"
    # A pick in a choice cell (also with the arrows) is saved and closes the
    # cell; False: only a pick from the open list does, arrows wait for a pause.
    final_pick: bool = True
    unknown_key: str = ""  # a choice column's text for a value no longer among the choices
    right: bool = False  # right-aligned though typed as text (an amount in a table typed whole)


REFUSALS = {
    "not_a_number": "ui.rows.not_a_number",
    "negative": "ui.reports.refused_negative",
    "not_in_grosze": "ui.reports.refused_grosze",
    "not_a_date": "ui.date.invalid",
}


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RowSource(Protocol):
    """Where a table's rows live; each row has an ``id``."""

    def rows(self) -> Sequence[Any]: ...

    def set_fields(self, row_id: str, changes: dict[str, Any]) -> None: ...


# --- the model ---------------------------------------------------------------------------


class RowTableModel(QAbstractTableModel):
    """A source's rows as table cells; writes go back through the source.

    ``adjust(row, changes)`` may add changes that follow from an edit (a
    budget line paid from one source keeps following its cost);
    ``decorate[field](row, role)`` gives a table its own looks for a column's
    cells (the budget's total in bold, on red when its split does not add up).
    """

    refused = Signal(str)  # a typed value that was not taken, in words
    accepted = Signal()  # a typed value was taken

    def __init__(
        self,
        source: RowSource,
        columns: Sequence[Column],
        *,
        editable: Callable[[], bool] = lambda: True,
        choices: dict[str, Choices] | None = None,
        refusals: dict[str, str] | None = None,
        adjust: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None,
        decorate: dict[str, Callable[[Any, int], Any]] | None = None,
        fade_zeros: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.columns = tuple(columns)
        self.choices = choices or {}
        self._editable = editable
        self._refusals = REFUSALS | (refusals or {})
        self._adjust = adjust
        decorate = decorate or {}
        # Per column, worked out once: data() runs some two hundred times per painted row.
        self._decorated = tuple(decorate.get(column.field) for column in self.columns)
        self._numbers = tuple(column.kind == "number" for column in self.columns)
        self._checks = tuple(column.kind == "bool" for column in self.columns)
        self._choices = tuple(column.kind == "choice" for column in self.columns)
        self._mark_keys = tuple(column.marked_by or column.field for column in self.columns)
        self._fading = tuple(fade_zeros and column.kind == "money" for column in self.columns)
        self._greyed = tuple(
            not column.editable and column.kind != "number" for column in self.columns
        )
        self._tipped = tuple(column.kind in ("text", "choice") for column in self.columns)
        readable = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        self._read_only_flags = (readable,) * len(self.columns)
        self._flags = tuple(
            readable
            if not column.field or not column.editable
            else readable | Qt.ItemFlag.ItemIsUserCheckable
            if column.kind == "bool"
            else readable | Qt.ItemFlag.ItemIsEditable
            for column in self.columns
        )
        self._fade_zeros = fade_zeros
        self._rows: tuple[Any, ...] = tuple(source.rows())
        # Display texts per row id, valid while the row object is the same one.
        self._texts: dict[str, tuple[Any, list[str]]] = {}
        self._labels: dict[str, dict[Any, str]] = {}
        self._marks: dict[tuple[int, str], Finding] = {}
        self._headers = [i18n.tr(column.title_key) for column in self.columns]
        self._tips = [
            i18n.tr(column.tip_key) if column.tip_key else i18n.tr(column.title_key)
            for column in self.columns
        ]
        self._alignments = tuple(
            _RIGHT if column.kind in NUMERIC or column.right else _LEFT for column in self.columns
        )
        self._faded = QBrush(QColor(style.FADED_COLOUR))
        self._read_only = QColor(style.READ_ONLY_BACKGROUND)
        self._blocking = QColor(style.WARNING_COLOUR)
        self._remark = QColor(style.REMARK_COLOUR)
        self.bold = QFont()
        self.bold.setBold(True)
        self.refresh_choices()

    # --- reading ---------------------------------------------------------------

    @property
    def rows(self) -> tuple[Any, ...]:
        return self._rows

    def row(self, number: int) -> Any:
        return self._rows[number]

    def row_of(self, row_id: str) -> int | None:
        return next((n for n, row in enumerate(self._rows) if row.id == row_id), None)

    def column_of(self, name: str) -> int | None:
        return next((n for n, column in enumerate(self.columns) if column.field == name), None)

    def tip(self, column: int) -> str:
        return self._tips[column]

    def choice_list(self, column: Column) -> list[tuple[str, Any]]:
        return list(self.choices[column.field]())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def _text(self, column: Column, value: Any) -> str:
        kind = column.kind
        if kind == "choice":
            label = self._labels[column.field].get(value)
            if label is not None:
                return label
            return i18n.tr(column.unknown_key) if column.unknown_key else str(value or "")
        if value is None:
            return ""
        if kind == "date":
            return i18n.format_date(value)
        if kind in ("decimal", "quantity"):
            return format_quantity(value)
        if kind in ("money", "total"):
            return format_amount(value)
        if kind == "percent":
            return i18n.format_percent(value)
        if kind == "bool":
            return ""
        return str(value)

    def _row_texts(self, row: Any) -> list[str]:
        cached = self._texts.get(row.id)
        if cached is not None and cached[0] is row:
            return cached[1]
        texts = [
            "" if not column.field else self._text(column, getattr(row, column.field))
            for column in self.columns
        ]
        self._texts[row.id] = (row, texts)
        return texts

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        number, position = index.row(), index.column()
        if role in (_DISPLAY, _ACCESSIBLE_TEXT):
            if self._numbers[position]:
                return str(number + 1)
            return self._row_texts(self._rows[number])[position]
        if role == _ALIGNMENT:
            return self._alignments[position]
        if role not in _ANSWERED:
            return None
        row = self._rows[number]
        decorate = self._decorated[position]
        if decorate is not None:
            special = decorate(row, role)
            if special is not None:
                return special
        if role == _CHECK:
            if not self._checks[position]:
                return None
            checked = getattr(row, self.columns[position].field)
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if self._checks[position]:
            return None
        if role == _EDIT:
            if self._choices[position]:
                return getattr(row, self.columns[position].field)
            return self._row_texts(row)[position]
        mark = self._marks.get((number, self._mark_keys[position])) if self._marks else None
        if role == _FOREGROUND:
            if mark is not None:
                return self._blocking if mark.severity is Severity.BLOCKING else self._remark
            # Zeros fade, so the amounts that are there stand out.
            if self._fading[position] and not getattr(row, self.columns[position].field):
                return self._faded
            return None
        if role == _TOOLTIP:
            # The words of a finding; else a text the narrow cell may cut short.
            if mark is not None:
                return i18n.finding_message(mark)
            if self._tipped[position]:
                text = self._row_texts(row)[position]
                return text if len(text) > 20 else None
            return None
        if role == _BACKGROUND and self._greyed[position]:
            return self._read_only
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == _DISPLAY else None
        if role == _DISPLAY:
            return self._headers[section]
        if role in (_TOOLTIP, _ACCESSIBLE_TEXT):
            return self._tips[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = self._flags if self._editable() else self._read_only_flags
        return flags[index.column()]

    # --- writing -----------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or not self.flags(index) & (
            Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        ):
            return False
        column = self.columns[index.column()]
        row = self._rows[index.row()]
        if column.kind == "bool":
            if role != _CHECK:
                return False
            parsed: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != _EDIT:
            return False
        else:
            try:
                parsed = self._parse(column, value)
            except _Refused as refusal:
                self.refused.emit(
                    i18n.tr(
                        self._refusals[refusal.reason],
                        row=index.row() + 1,
                        column=self._tips[index.column()],
                        value=str(value).strip(),
                    )
                )
                return False
        self.accepted.emit()
        changes: dict[str, Any] = {column.field: parsed}
        if self._adjust is not None:
            changes |= self._adjust(row, changes)
        if all(getattr(row, name) == new for name, new in changes.items()):
            return True
        self.source.set_fields(row.id, changes)
        return True

    def _parse(self, column: Column, value: Any) -> Any:
        kind = column.kind
        if kind == "choice":
            # Qt may hand an enum back as its text: take the choice it names.
            return next(
                (choice for _label, choice in self.choice_list(column) if choice == value),
                column.empty,
            )
        if kind == "text":
            text = "" if value is None else str(value)
            return text.strip() if column.strip else text
        text = "" if value is None else str(value)
        if kind == "date":
            parsed = parse_date(text)
            if parsed is not None and not isinstance(parsed, date):
                raise _Refused("not_a_date")
            return parsed
        if kind == "integer":
            try:
                return int(text.strip() or 0)
            except ValueError:
                raise _Refused("not_a_number") from None
        try:
            number = parse_decimal(text)
        except AmountFormatError:
            raise _Refused("not_a_number") from None
        if kind == "decimal":
            return number
        if number is None:
            return ZERO if kind == "money" else Decimal(0)
        if number < 0:
            raise _Refused("negative")
        if kind == "money" and number != number.quantize(GROSZ):
            raise _Refused("not_in_grosze")
        return number

    # --- following the source ----------------------------------------------------

    def refresh_choices(self) -> None:
        """Read the choices' labels again (an action renamed); repaint what shows them."""
        labels = {
            column.field: {value: label for label, value in self.choice_list(column)}
            for column in self.columns
            if column.kind == "choice"
        }
        if labels == self._labels:
            return
        self._labels = labels
        self._texts.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    def set_findings(self, findings: list[Finding], prefix: str) -> None:
        """Colour the cells named by ``findings`` (``prefix[2].amount``); the first one wins."""
        marks: dict[tuple[int, str], Finding] = {}
        start = prefix + "["
        for finding in findings:
            if not finding.field.startswith(start):
                continue
            number, _, name = finding.field[len(start) :].partition("]")
            if number.isdigit():
                marks.setdefault((int(number) - 1, name.lstrip(".")), finding)
        if marks != self._marks:
            self._marks = marks
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
                )

    def sync(self) -> None:
        """Catch up with the source, telling the view only what changed."""
        old, new = self._rows, tuple(self.source.rows())
        if len(new) == len(old) and all(a is b for a, b in zip(old, new, strict=True)):
            return
        old_ids = [row.id for row in old]
        new_ids = [row.id for row in new]
        if old_ids == new_ids:
            self._rows = new
            self._changed_rows(old, new)
        elif len(new) == len(old) + 1 and (at := _inserted_at(old_ids, new_ids)) is not None:
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows = new
            self.endInsertRows()
            self._renumbered(at + 1)
        elif len(new) == len(old) - 1 and (at := _inserted_at(new_ids, old_ids)) is not None:
            self._texts.pop(old_ids[at], None)
            self.beginRemoveRows(QModelIndex(), at, at)
            self._rows = new
            self.endRemoveRows()
            self._renumbered(at)
        elif len(new) == len(old) and (move := _moved(old_ids, new_ids)) is not None:
            source, target = move
            # Qt's destination is the row *before which* the row lands, counted
            # before it is taken out.
            self.beginMoveRows(
                QModelIndex(),
                source,
                source,
                QModelIndex(),
                target + 1 if target > source else target,
            )
            self._rows = new
            self.endMoveRows()
            self._renumbered(min(source, target), max(source, target))
        else:
            self.beginResetModel()  # anything else (a reload): the view keeps its cell by id
            self._rows = new
            self._texts.clear()
            self.endResetModel()
            return
        # An undo after a reload may bring back the same ids with other objects.
        if new_ids != old_ids:
            before = {row.id: row for row in old}
            for number, row in enumerate(new):
                if row.id in before and before[row.id] is not row:
                    self._row_changed(number)

    def _row_changed(self, first: int, last: int | None = None) -> None:
        self.dataChanged.emit(
            self.index(first, 0), self.index(first if last is None else last, len(self.columns) - 1)
        )

    def _changed_rows(self, old: Sequence[Any], new: Sequence[Any]) -> None:
        start = None
        for number, (before, after) in enumerate(zip(old, new, strict=True)):
            if before is not after:
                if start is None:
                    start = number
            elif start is not None:
                self._row_changed(start, number - 1)
                start = None
        if start is not None:
            self._row_changed(start, len(new) - 1)

    def _renumbered(self, first: int, last: int | None = None) -> None:
        """The number column of rows whose number changed."""
        numbers = [n for n, column in enumerate(self.columns) if column.kind == "number"]
        if not numbers or not self._rows or first >= len(self._rows):
            return
        end = len(self._rows) - 1 if last is None else min(last, len(self._rows) - 1)
        self.dataChanged.emit(self.index(first, numbers[0]), self.index(end, numbers[0]))


def _inserted_at(shorter: list[str], longer: list[str]) -> int | None:
    """Where one id was inserted into ``shorter`` to give ``longer`` (else None)."""
    at = next(
        (i for i, (a, b) in enumerate(zip(shorter, longer, strict=False)) if a != b), len(shorter)
    )
    return at if longer[:at] + longer[at + 1 :] == shorter else None


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


# --- the cell editors ------------------------------------------------------------------


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


class RowTableDelegate(TypingDelegate):
    """A combo for a choice, a line edit elsewhere; typing saves after a pause."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        model = index.model()
        if not isinstance(model, RowTableModel):
            return super().createEditor(parent, option, index)
        column = model.columns[index.column()]
        if column.kind == "choice":
            combo = _CellCombo(parent)
            combo.setAccessibleName(model.tip(index.column()))
            for label, value in model.choice_list(column):
                combo.addItem(label, value)
            self.watch(combo)
            if column.final_pick:
                combo.activated.connect(lambda _index: self._commit_and_close(combo))
            else:
                # A pick from the open list is final; arrows on the closed combo
                # only move the choice, saved after a pause, on Enter or leaving.
                combo.picked.connect(lambda: self._commit_and_close(combo))
            return combo
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setAccessibleName(model.tip(index.column()))
        if column.kind in NUMERIC:
            editor.setAlignment(_RIGHT)
        return self.watch(editor)

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def fill_editor(self, editor: QWidget, index: Index) -> None:
        value = index.data(_EDIT)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
        else:
            super().fill_editor(editor, index)


# --- the view and its keys ---------------------------------------------------------------

CTRL = Qt.KeyboardModifier.ControlModifier
PLAIN = Qt.KeyboardModifier.NoModifier
KeyMap = dict[tuple[Qt.Key, Qt.KeyboardModifier], Callable[[], None]]


def row_keys(
    add: Callable[[], None] | None = None,
    remove: Callable[[], None] | None = None,
    move: Callable[[int], None] | None = None,
) -> KeyMap:
    """The keys every table of rows answers: Insert / Ctrl+N, Delete, Ctrl+↑ / Ctrl+↓."""
    keys: KeyMap = {}
    if add is not None:
        keys[(Qt.Key.Key_Insert, PLAIN)] = add
        keys[(Qt.Key.Key_N, CTRL)] = add
    if remove is not None:
        keys[(Qt.Key.Key_Delete, PLAIN)] = remove
    if move is not None:
        keys[(Qt.Key.Key_Up, CTRL)] = lambda: move(-1)
        keys[(Qt.Key.Key_Down, CTRL)] = lambda: move(1)
    return keys


def _modifiers(event: QKeyEvent) -> Qt.KeyboardModifier:
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


class RowTableView(QTableView):
    """The table with its key map; Enter on a cell starts editing it."""

    def __init__(self, keys: KeyMap | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: KeyMap = keys or {}
        self.setItemDelegate(RowTableDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )

        self.setAccessibleDescription(i18n.tr("ui.rows.keys_help"))
        name_corner_button(self)

    def _command(self, event: QKeyEvent) -> Callable[[], None] | None:
        if self.state() == QAbstractItemView.State.EditingState:
            return None
        return self.keys.get((Qt.Key(event.key()), _modifiers(event)))

    # --- Tab: through the cells, then out of the table ----------------------------

    def _at_edge(self, forward: bool) -> bool:
        """The current cell is the last (forward) or the first one Tab reaches."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return True
        columns = [
            column for column in range(model.columnCount()) if not self.isColumnHidden(column)
        ]
        current = self.currentIndex()
        if not current.isValid() or not columns:
            return True
        if forward:
            return current.row() == model.rowCount() - 1 and current.column() == columns[-1]
        return current.row() == 0 and current.column() == columns[0]

    def leave(self, forward: bool) -> bool:
        """Focus to the next (or previous) control of the window, past the table."""
        return QWidget.focusNextPrevChild(self, forward)

    def focusNextPrevChild(self, next: bool) -> bool:
        # Qt's table wraps from the last cell to the first: Tab would never leave it.
        if self._at_edge(next):
            return self.leave(next)
        return super().focusNextPrevChild(next)

    def closeEditor(self, editor: QWidget, hint: QStyledItemDelegate.EndEditHint) -> None:
        edge = (hint == QStyledItemDelegate.EndEditHint.EditNextItem and self._at_edge(True)) or (
            hint == QStyledItemDelegate.EndEditHint.EditPreviousItem and self._at_edge(False)
        )
        if not edge:
            super().closeEditor(editor, hint)
            return
        super().closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint)
        self.leave(hint == QStyledItemDelegate.EndEditHint.EditNextItem)

    def event(self, event: QEvent) -> bool:
        # Our keys win over window-wide shortcuts (a main window's Ctrl+N) while
        # the table has focus.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._command(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+Tab / Shift+Ctrl+Tab: Qt's way out of a control that uses Tab itself.
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and _modifiers(event) & CTRL:
            self.leave(
                event.key() == Qt.Key.Key_Tab
                and not _modifiers(event) & Qt.KeyboardModifier.ShiftModifier
            )
            event.accept()
            return
        command = self._command(event)
        if command is not None:
            command()
            event.accept()
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and _modifiers(event) == PLAIN
            and self.state() != QAbstractItemView.State.EditingState
        ):
            index = self.currentIndex()
            model = self.model()
            if index.isValid() and model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.edit(index)
                event.accept()
                return
        super().keyPressEvent(event)


def size_columns(view: QTableView, model: RowTableModel) -> None:
    """Each column as wide as its ``width`` (and its title); width 0 takes the room left."""
    header = view.horizontalHeader()
    unit = view.fontMetrics().averageCharWidth()
    stretching: list[int] = []
    for number, column in enumerate(model.columns):
        header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
        if not column.width:
            stretching.append(number)
            continue
        view.setColumnWidth(number, max(column.width * unit + 10, title_width(view, number)))
    if stretching:
        StretchWithFloor(view, stretching)


# --- sources -------------------------------------------------------------------------------


class RowsSession(Protocol):
    """What a table needs of an editing session (ui.session.EditingSession)."""

    def rows(self, name: str) -> tuple[Any, ...]: ...

    def set_row_fields(self, rows: str, row_id: str, changes: dict[str, Any]) -> None: ...


@dataclass
class SessionRows:
    """One list of an editing session: every edit autosaved and undoable there."""

    session: RowsSession
    name: str

    def rows(self) -> Sequence[Any]:
        return self.session.rows(self.name)

    def set_fields(self, row_id: str, changes: dict[str, Any]) -> None:
        self.session.set_row_fields(self.name, row_id, changes)


@dataclass(frozen=True)
class Draft:
    """One row of a table typed whole: its texts, and the value it was read from."""

    id: str
    cells: dict[str, str] = field(default_factory=dict)
    value: Any = None

    def __getattr__(self, name: str) -> str:
        # The model reads a draft's cells as a row's attributes.
        cells = self.__dict__.get("cells", {})
        if name in cells:
            return str(cells[name])
        raise AttributeError(name)

    def is_empty(self) -> bool:
        return not any(text.strip() for text in self.cells.values())


class DraftRows:
    """A small table saved whole: on every change, once every row in it reads.

    ``read_row(number, texts, value)`` gives the row's value, None for an
    empty row (not saved), or raises ``RowProblem`` saying in words what is
    wrong; ``cells_of(value)`` the texts a saved value shows. Until the table
    reads, nothing is written and the problem is shown (``problem``).
    """

    def __init__(
        self,
        fields: Sequence[str],
        read: Callable[[], tuple[Any, ...]],
        write: Callable[[tuple[Any, ...]], None],
        read_row: Callable[[int, dict[str, str], Any], Any],
        cells_of: Callable[[Any], dict[str, str]],
        problem: Callable[[str | None], None],
    ) -> None:
        self.fields = tuple(fields)
        self._read = read
        self._write = write
        self._read_row = read_row
        self._cells_of = cells_of
        self._problem = problem
        self.changed: Callable[[], None] = lambda: None
        self._shown: tuple[Any, ...] = ()
        self._drafts: list[Draft] = []
        self.load(read())

    def rows(self) -> Sequence[Any]:
        return tuple(self._drafts)

    def load(self, values: tuple[Any, ...]) -> None:
        self._drafts = [Draft(new_id(), self._cells_of(value), value) for value in values]
        self._shown = values
        self._problem(None)

    def refresh(self) -> None:
        """Show the stored rows again if they changed elsewhere (undo, a reload)."""
        if self._read() != self._shown:
            self.load(self._read())
            self.changed()

    def set_fields(self, row_id: str, changes: dict[str, Any]) -> None:
        at = next(n for n, draft in enumerate(self._drafts) if draft.id == row_id)
        draft = self._drafts[at]
        self._drafts[at] = replace(draft, cells=draft.cells | changes)
        self.commit()

    def insert(self, at: int, cells: dict[str, str]) -> Draft:
        draft = Draft(new_id(), {name: cells.get(name, "") for name in self.fields})
        self._drafts.insert(at, draft)
        self.changed()
        return draft

    def remove(self, at: int) -> None:
        del self._drafts[at]
        self.commit()

    def move(self, at: int, target: int) -> None:
        self._drafts.insert(target, self._drafts.pop(at))
        self.commit()

    def texts(self) -> list[dict[str, str]]:
        return [dict(draft.cells) for draft in self._drafts]

    def commit(self) -> None:
        values: list[Any] = []
        read: list[tuple[int, Any]] = []
        for number, draft in enumerate(self._drafts):
            cells = {name: text.strip() for name, text in draft.cells.items()}
            try:
                value = self._read_row(number + 1, cells, draft.value)
            except RowProblem as problem:
                self._problem(str(problem))
                self.changed()
                return
            if value is not None:
                values.append(value)
                read.append((number, value))
        self._problem(None)
        # Saved rows show their tidy form (an amount with its grosze).
        for number, value in read:
            draft = self._drafts[number]
            self._drafts[number] = replace(draft, cells=self._cells_of(value), value=value)
        stored = tuple(values)
        self._shown = stored
        self.changed()
        if stored != self._read():
            self._write(stored)


class RowProblem(ValueError):
    """A row of a table typed whole that cannot be read, in words."""
