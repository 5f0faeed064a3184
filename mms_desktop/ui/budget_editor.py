"""The budget of an application (sections V.A and V.B): cost lines and what they add up to.

The one row table (``row_table``) configured for cost lines, edited like a
spreadsheet, and below it the summary (``budget_summary``) a volunteer checks
before sending. Every cell is saved after a pause in typing and when it is
left, through the session (autosave and undo happen there).

Speed matters with a few hundred lines on an old laptop: the table tells the
view about just the lines that changed, and the summary is recomputed once
per burst of changes from the domain's running totals, which take only the
changed lines out of and back into the sums.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mms_desktop.domain.application import BudgetLine, Row
from mms_desktop.domain.budget import (
    RunningTotals,
    follow_single_source,
)
from mms_desktop.domain.ids import new_id
from mms_desktop.i18n import format_money, tr
from mms_desktop.services import budget_csv
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import write_atomically
from mms_desktop.ui import style
from mms_desktop.ui.budget_summary import BudgetSummaryPanel
from mms_desktop.ui.flow_layout import ButtonRow
from mms_desktop.ui.row_table import (
    CTRL,
    Column,
    KeyMap,
    RowTableModel,
    RowTableView,
    SessionRows,
    row_keys,
    size_columns,
)
from mms_desktop.ui.session import ApplicationSession

ROWS = "budget"
WARNING_COLOR = QColor(style.WARNING_COLOUR)
MISMATCH_BACKGROUND = QColor(style.WARNING_BACKGROUND)


# --- the table: the one row table, configured for cost lines ----------------------


def _budget_column(field: str, kind: str, width: int, key: str = "", **options: Any) -> Column:
    key = key or field
    return Column(
        field,
        f"ui.budget.column.{key}",
        kind,
        width,
        tip_key=f"ui.budget.column_tip.{key}",
        **options,
    )


COLUMNS = (
    _budget_column("", "number", 4, "number"),
    _budget_column(
        "action_id",
        "choice",
        16,
        "action",
        final_pick=False,
        unknown_key="ui.budget.unknown_action",
    ),
    _budget_column("category_id", "choice", 17, "category", final_pick=False, empty=""),
    _budget_column("name", "text", 28, strip=True),
    _budget_column("unit", "text", 8, strip=True),
    _budget_column("unit_cost", "money", 10),
    _budget_column("quantity", "quantity", 7),
    _budget_column("total", "total", 11, editable=False),
    _budget_column("grant", "money", 10),
    _budget_column("own_financial", "money", 10),
    _budget_column("own_personal", "money", 10),
    _budget_column("own_in_kind", "money", 10),
    _budget_column("participants", "money", 11),
)
COLUMN_OF_FIELD = {column.field: number for number, column in enumerate(COLUMNS) if column.field}
NUMBER_COLUMN = 0
NAME_COLUMN = COLUMN_OF_FIELD["name"]
TOTAL_COLUMN = COLUMN_OF_FIELD["total"]
REFUSALS = {
    "not_a_number": "ui.budget.refused.not_a_number",
    "negative": "ui.budget.refused.negative",
    "not_in_grosze": "ui.budget.refused.not_in_grosze",
}
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FONT = Qt.ItemDataRole.FontRole
_FIELD_PATH = re.compile(r"^application\.budget(?:\[(\d+)\](?:\.(\w+))?)?$")


def _following_source(line: BudgetLine, changes: dict[str, Any]) -> dict[str, Any]:
    """A new unit cost or quantity: the line's one source follows its total (domain rule)."""
    if "unit_cost" not in changes and "quantity" not in changes:
        return {}
    return follow_single_source(
        line,
        changes.get("unit_cost", line.unit_cost),
        changes.get("quantity", line.quantity),
    )


class _TotalLooks:
    """The total column: bold, and on red with the sources' sum when the split is off."""

    def __init__(self) -> None:
        self._bold = QFont()
        self._bold.setBold(True)
        self._mismatch = QBrush(MISMATCH_BACKGROUND)

    def __call__(self, line: BudgetLine, role: int) -> Any:
        if role == _FONT:
            return self._bold
        if role in (_BACKGROUND, _TOOLTIP):
            sources = line.sources_total
            if sources == line.total:
                return None
            if role == _BACKGROUND:
                return self._mismatch
            return tr("ui.budget.split_mismatch_tip", sources=format_money(sources))
        return None


def budget_model(session: ApplicationSession, parent: QObject | None = None) -> RowTableModel:
    """The session's cost lines as the one row table's model."""

    def actions() -> list[tuple[str, str | None]]:
        listed: list[tuple[str, str | None]] = [
            (f"{number}. {action.name or tr('ui.budget.unnamed_action')}", action.id)
            for number, action in enumerate(session.application.actions, start=1)
        ]
        return [*listed, (tr("ui.budget.no_action"), None)]

    categories = [(category.name, category.id) for category in session.call.cost_categories]
    return RowTableModel(
        SessionRows(session, ROWS),
        COLUMNS,
        editable=lambda: session.editable,
        choices={"action_id": actions, "category_id": lambda: categories},
        refusals=REFUSALS,
        adjust=_following_source,
        decorate={"total": _TotalLooks()},
        fade_zeros=True,
        parent=parent,
    )


# --- the editor -------------------------------------------------------------------


class BudgetEditor(QWidget):
    """Cost lines of one application, with their summary."""

    def __init__(self, session: ApplicationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName(tr("ui.budget.title"))
        self.model = budget_model(session, self)
        self.model.refused.connect(lambda message: self.show_message(message, error=True))

        self.table = RowTableView(self._keys(), self)
        self.table.setModel(self.model)
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
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setHighlightSections(False)
        size_columns(self.table, self.model)
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
        summary_area.setWidget(style.ScrollHost(self.summary, wrapped=True))
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
        bar = ButtonRow(spacing=4)  # wraps on a netbook
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
        layout.addWidget(bar)
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
            self.model.refresh_choices()
        if what in (ROWS, ""):
            self.model.sync()
        if what in (ROWS, "", "organization"):
            self._summary_timer.start()

    def refresh_summary(self) -> None:
        self._summary_timer.stop()
        figures = self._totals.figures(self.model.rows)
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
            (self.model.row(index.row()).id, index.column()) if index.isValid() else None
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

    def _keys(self) -> KeyMap:
        """The budget's keys: the rows' own, and a spreadsheet's paste and copy."""
        return row_keys(self.add_line, self._delete, self.move_line) | {
            (Qt.Key.Key_Delete, CTRL): self.remove_lines,
            (Qt.Key.Key_V, CTRL): self.paste,
            (Qt.Key.Key_C, CTRL): self.copy,
        }

    def _delete(self) -> None:
        """Delete: the lines selected whole, else the current cell's value."""
        if self.table.selectionModel().selectedRows():
            self.remove_lines()
        else:
            self.clear_cell()

    # --- actions ---------------------------------------------------------------------

    def _refuse_read_only(self) -> bool:
        if not self.session.editable:
            self.show_message(tr("ui.budget.read_only"), error=True)
            return True
        return False

    def add_line(self) -> None:
        """A new line after the current one, for the same action; its category is asked,
        not copied (a copied category would put a cost where nobody chose it)."""
        if self._refuse_read_only():
            return
        row = self._current_row()
        template = self.model.row(row) if row is not None else None
        line = BudgetLine(
            id=new_id(),
            category_id="",
            action_id=template.action_id if template else None,
        )
        at = len(self.model.rows) if row is None else row + 1
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
        lines = [self.model.row(row) for row in rows]
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
        self.session.move_row(ROWS, self.model.row(row).id, target)
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
        at = index.row() + 1 if index.isValid() else len(self.model.rows)
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
        mode = self._ask_import_mode(len(self.model.rows)) if self.model.rows else "append"
        if not mode:
            return
        with self.session.one_undo_step(tr("ui.budget.undo.import")):
            if mode == "replace":
                for line in self.model.rows:
                    self.session.remove_row(ROWS, line.id)
            first = len(self.model.rows)
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
