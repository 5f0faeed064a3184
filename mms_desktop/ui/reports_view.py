"""The "Sprawozdania" page: every report with its task, kind, status and control sum.

The list is one quick query on the window's read connection. A new report is
started for a submitted (or accepted) application, chosen in a small dialog;
the window creates it on the writer and opens it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.canonical import control_sum
from mms_desktop.domain.report import ReportKind
from mms_desktop.services import reports
from mms_desktop.services.records import ApplicationSummary, ReportSummary
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui import style
from mms_desktop.ui.columns import name_corner_button
from mms_desktop.ui.sending_view import when_text
from mms_desktop.ui.style import make_heading

COLUMNS = ("title", "kind", "status", "control_sum", "updated")


def reportable(workspace: Workspace) -> list[ApplicationSummary]:
    """The applications a report may settle: submitted, and not turned down."""
    return [summary for summary in workspace.applications() if summary.status in reports.REPORTABLE]


class ReportsView(QWidget):
    open_report = Signal(str)
    new_report = Signal()
    trash_report = Signal(str)
    show_bin = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.items: list[ReportSummary] = []
        heading = make_heading(QLabel(i18n.tr("ui.reports.heading")))
        self.new_button = QPushButton(i18n.tr("ui.reports.new"))
        self.new_button.setObjectName("new_report_button")
        self.new_button.clicked.connect(self.new_report.emit)
        self.open_button = QPushButton(i18n.tr("ui.reports.open"))
        self.open_button.setObjectName("open_report_button")
        self.open_button.clicked.connect(self._open_selected)
        self.trash_button = QPushButton(i18n.tr("ui.home.delete"))
        self.trash_button.setObjectName("trash_report_button")
        self.trash_button.clicked.connect(self._trash_selected)
        self.bin_button = QPushButton(i18n.tr("ui.home.bin"))
        self.bin_button.setObjectName("bin_button")
        self.bin_button.clicked.connect(self.show_bin.emit)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.trash_button, self.bin_button):
            button.setAccessibleName(button.text().replace("&", ""))
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setTabKeyNavigation(False)  # arrows move within it; Tab goes on
        self.table.setStyleSheet(style.FOCUS_STYLE)
        self.table.setObjectName("reports_table")
        self.table.setAccessibleName(i18n.tr("ui.reports.table"))
        name_corner_button(self.table)
        self.table.setHorizontalHeaderLabels(
            [i18n.tr(f"ui.reports.column.{column}") for column in COLUMNS]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 170), (3, 190), (4, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self._open_selected())
        self.table.activated.connect(lambda _index: self._open_selected())
        trash_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        trash_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        trash_key.activated.connect(self._trash_selected)
        self.empty = QLabel(i18n.tr("ui.reports.empty"))
        self.empty.setObjectName("reports_empty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self._filler = QWidget()
        layout.addWidget(self._filler, 1)

    def reload(self) -> None:
        chosen = self.selected_id()
        self.items = reports.summaries(self.workspace)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            texts = (
                item.title or i18n.tr("ui.editor.untitled"),
                i18n.tr(f"ui.reports.kind.{item.kind.value}"),
                i18n.tr(f"ApplicationStatus.{item.status.value}"),
                control_sum(item.control_sum_sha256) if item.control_sum_sha256 else "",
                when_text(item.updated_at),
            )
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                self.table.setItem(row, column, cell)
        self.empty.setVisible(not self.items)
        self.table.setVisible(bool(self.items))
        self._filler.setVisible(not self.items)
        self.open_button.setEnabled(bool(self.items))
        if chosen is not None:
            self.select(chosen)
        elif self.items:
            self.table.selectRow(0)

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.items):
            return None
        return self.items[row].id

    def select(self, report_id: str) -> None:
        for row, item in enumerate(self.items):
            if item.id == report_id:
                self.table.selectRow(row)
                return

    def row_texts(self, row: int) -> list[str]:
        cells = (self.table.item(row, column) for column in range(len(COLUMNS)))
        return [cell.text() if cell is not None else "" for cell in cells]

    def _trash_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self.trash_report.emit(chosen)

    def _open_selected(self) -> None:
        report_id = self.selected_id()
        if report_id is not None:
            self.open_report.emit(report_id)


class NewReportDialog(QDialog):
    """Which submitted application the report settles, and whether it is final or partial."""

    def __init__(
        self,
        applications: list[ApplicationSummary],
        chosen: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.tr("ui.reports.new_title"))
        label = QLabel(i18n.tr("ui.reports.choose_application"))
        label.setWordWrap(True)
        self.applications = QListWidget()
        self.applications.setObjectName("report_applications")
        self.applications.setAccessibleName(
            i18n.tr("ui.reports.choose_application").replace("&", "")
        )
        label.setBuddy(self.applications)
        for summary in applications:
            item = QListWidgetItem(
                i18n.tr(
                    "ui.reports.application_item",
                    title=summary.title or i18n.tr("ui.editor.untitled"),
                    status=i18n.tr(f"ApplicationStatus.{summary.status.value}"),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.applications.addItem(item)
            if summary.id == chosen:
                self.applications.setCurrentItem(item)
        if self.applications.currentRow() < 0:
            self.applications.setCurrentRow(0)
        kind_label = QLabel(i18n.tr("ui.reports.kind_question"))
        self.final = QRadioButton(i18n.tr("ui.reports.kind_final"))
        self.final.setObjectName("report_kind_final")
        self.final.setChecked(True)
        self.partial = QRadioButton(i18n.tr("ui.reports.kind_partial"))
        self.partial.setObjectName("report_kind_partial")
        kind_label.setBuddy(self.final)
        buttons = QDialogButtonBox()
        create = buttons.addButton(
            i18n.tr("ui.reports.create"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        create.setObjectName("create_report")
        buttons.addButton(i18n.tr("ui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.applications.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.applications, 1)
        layout.addWidget(kind_label)
        layout.addWidget(self.final)
        layout.addWidget(self.partial)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def application_id(self) -> str | None:
        item = self.applications.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def kind(self) -> ReportKind:
        return ReportKind.PARTIAL if self.partial.isChecked() else ReportKind.FINAL
