"""The home view: every application with its status, deadline and what still blocks it.

The list itself comes from one quick query; what blocks each application is
worked out on a background thread (each needs a full load and validation) and
filled in as it comes, with progress shown, so a big store never freezes the
window.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.ui import style
from mms_desktop.ui.columns import name_corner_button
from mms_desktop.ui.flow_layout import ButtonRow
from mms_desktop.ui.style import make_heading

log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex


class HomeRow(NamedTuple):
    """One line of the list (a tuple: the start makes 1,000 of them; a dataclass costs 3×)."""

    id: str
    title: str
    organization: str
    call_id: str
    call_name: str
    status: str
    deadline: date | None
    blocking: int | None = None  # None: not worked out yet
    opens_at: date | None = None
    first_problem: str = ""


CHECK_DELAY_MS = 150
COLUMNS = ("title", "organization", "call", "status", "deadline", "blocks")


def days_left_text(deadline: date | None, today: date) -> str:
    if deadline is None:
        return ""
    days = (deadline - today).days
    when = i18n.format_date(deadline)
    if days < 0:
        return i18n.tr("ui.home.deadline_passed", date=when)
    if days == 0:
        return i18n.tr("ui.home.deadline_today", date=when)
    return i18n.tr("ui.home.deadline_in", date=when, days=days)


class HomeModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HomeRow] = []
        self.today = now().date()
        # Each row's texts, made when it is first painted: Qt asks for a cell's text
        # at every paint, and a 1,000-line list is painted and scrolled often.
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_rows(self, rows: list[HomeRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.today = now().date()
        self._texts.clear()
        self.endResetModel()

    def set_checked(self, checked: dict[str, tuple[int, str]]) -> None:
        for number, row in enumerate(self.rows):
            if row.id in checked:
                blocking, first = checked[row.id]
                self.rows[number] = row._replace(blocking=blocking, first_problem=first)
                self._texts.pop(number, None)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 3), self.index(len(self.rows) - 1, len(COLUMNS) - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return i18n.tr(f"ui.home.column.{COLUMNS[section]}")
        return None

    def _opens_later(self, row: HomeRow) -> str | None:
        """The call's opening day in words while it is still ahead (never "ready" before it)."""
        if row.opens_at is None or self.today >= row.opens_at:
            return None
        return i18n.format_date(row.opens_at)

    def status_text(self, row: HomeRow) -> str:
        if row.status == "draft" and row.blocking == 0:
            opens = self._opens_later(row)
            if opens:
                return i18n.tr("ui.home.status_waits_for_opening", opens_at=opens)
            return i18n.tr("ApplicationStatus.ready")
        return i18n.tr(f"ApplicationStatus.{row.status}")

    def _blocks_text(self, row: HomeRow) -> str:
        if row.status != "draft":
            return ""
        if row.blocking is None:
            return i18n.tr("ui.home.checking")
        if row.blocking == 0:
            opens = self._opens_later(row)
            if opens:
                return i18n.tr("ui.home.waits_for_opening", opens_at=opens)
            return i18n.tr("ui.home.nothing_blocks")
        return i18n.tr("ui.home.blocks", count=row.blocking, first=row.first_problem)

    def texts(self, number: int) -> tuple[str, ...]:
        """The row's cells as shown, in the order of ``COLUMNS``."""
        texts = self._texts.get(number)
        if texts is None:
            row = self.rows[number]
            texts = self._texts[number] = (
                row.title or i18n.tr("ui.editor.untitled"),
                row.organization,
                row.call_name,
                self.status_text(row),
                days_left_text(row.deadline, self.today),
                self._blocks_text(row),
            )
        return texts

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(index.row())[index.column()]
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and column in ("blocks", "deadline"):
            if column == "blocks" and row.blocking:
                return QColor(style.WARNING_COLOUR)
            if column == "deadline" and row.deadline and (row.deadline - self.today).days < 7:
                return QColor(style.WARNING_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column == "blocks" and row.first_problem:
            return row.first_problem
        return None


class _CheckSignals(QObject):
    checked = Signal(object)  # dict[id, (blocking count, first message)]
    progress = Signal(int, int)
    finished = Signal()


class _CheckAll(QRunnable):
    """Validates every draft on its own read connection, off the GUI thread."""

    CHUNK = 25

    def __init__(self, data_dir: Path, ids: list[str]) -> None:
        super().__init__()
        self.signals = _CheckSignals()
        self._data_dir = data_dir
        self._ids = ids
        self.cancelled = False

    def run(self) -> None:
        try:
            with Workspace.open(self._data_dir) as workspace:
                batch: dict[str, tuple[int, str]] = {}
                for done, application_id in enumerate(self._ids, start=1):
                    if self.cancelled:
                        return
                    try:
                        findings = workspace.validate(application_id, now())
                    except Exception:  # an application that cannot be checked is shown as such
                        log.exception("could not check %s", application_id)
                        continue
                    blocking = [finding for finding in findings if finding.blocks_submission]
                    first = i18n.finding_message(blocking[0]) if blocking else ""
                    batch[application_id] = (len(blocking), first)
                    if len(batch) >= self.CHUNK or done == len(self._ids):
                        self.signals.checked.emit(batch)
                        self.signals.progress.emit(done, len(self._ids))
                        batch = {}
        except Exception:
            log.exception("checking the applications failed")
        finally:
            self.signals.finished.emit()


class HomeView(QWidget):
    open_application = Signal(str)
    new_application = Signal()
    clone_application = Signal(str)
    trash_application = Signal(str)
    export_application = Signal(str)
    import_application = Signal()
    show_bin = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._check: _CheckAll | None = None
        self._pending_check: list[str] = []
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._start_pending_check)
        heading = make_heading(QLabel(i18n.tr("ui.home.heading")))
        self.model = HomeModel()
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # arrows move within it; Tab goes on
        self.table.setStyleSheet(style.FOCUS_STYLE)
        self.table.setObjectName("applications_table")
        self.table.setAccessibleName(i18n.tr("ui.home.table"))
        name_corner_button(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 170), (2, 160), (3, 110), (4, 150), (5, 260)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda index: self._emit_selected(self.open_application))
        self.table.activated.connect(lambda index: self._emit_selected(self.open_application))
        self.empty = QLabel(i18n.tr("ui.home.empty"))
        self.empty.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("check_progress")
        self.progress.setFormat(i18n.tr("ui.home.progress"))
        self.progress.hide()

        buttons = ButtonRow()  # wraps on a netbook
        for key, slot in (
            ("ui.home.new", self.new_application.emit),
            ("ui.home.open", lambda: self._emit_selected(self.open_application)),
            ("ui.home.clone", lambda: self._emit_selected(self.clone_application)),
            ("ui.home.delete", lambda: self._emit_selected(self.trash_application)),
            ("ui.home.export", lambda: self._emit_selected(self.export_application)),
            ("ui.home.import", self.import_application.emit),
            ("ui.home.bin", self.show_bin.emit),
        ):
            button = QPushButton(i18n.tr(key))
            button.setObjectName(key.rsplit(".", 1)[1] + "_button")
            button.setAccessibleName(i18n.tr(key).replace("&", ""))
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[index.row()].id

    def _emit_selected(self, signal: Any) -> None:
        application_id = self.selected_id()
        if application_id is not None:
            signal.emit(application_id)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def _fit_title(self) -> None:
        """The title takes the room left, but on a netbook the list scrolls sideways
        rather than squeezing it to a few letters."""
        header = self.table.horizontalHeader()
        others = sum(self.table.columnWidth(column) for column in range(1, header.count()))
        floor = self.fontMetrics().averageCharWidth() * 18
        # maximumViewportSize, not viewport(): no widget wrapper built at start-up
        squeezed = self.table.maximumViewportSize().width() - others < floor
        stretching = header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
        if squeezed and stretching:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(0, floor)
        elif not squeezed and not stretching:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def reload(self) -> None:
        """Read the list now (one query); check the drafts in the background."""
        names = {item.id: item.name for item in self.workspace.organizations()}
        calls = self.workspace.calls
        rows = []
        for summary in self.workspace.applications():
            call = calls.heading(summary.call_id)  # not the whole definition: see heading
            rows.append(
                HomeRow(
                    summary.id,
                    summary.title,
                    names.get(summary.organization_id, ""),
                    summary.call_id,
                    call.name if call else summary.call_id,
                    summary.status.value,
                    call.deadline.date() if call else None,
                    opens_at=call.opens_at if call else None,
                )
            )
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._pending_check = [row.id for row in rows if row.status == "draft"]
        # After the list has been painted: the check shares the interpreter. The
        # timer belongs to this view, so it never fires after the view is gone.
        self._check_timer.start()

    def cancel_check(self) -> None:
        """The data closes: a check under way stops at the next application."""
        if self._check is not None:
            self._check.cancelled = True

    def _start_pending_check(self) -> None:
        self._start_check(self._pending_check)

    def _start_check(self, ids: list[str]) -> None:
        if self._check is not None:
            self._check.cancelled = True
        if not ids:
            self.progress.hide()
            return
        check = _CheckAll(self.workspace.data_dir.root, ids)
        check.signals.checked.connect(self.model.set_checked)
        check.signals.progress.connect(self._progress)
        # Bound methods, not lambdas: Qt drops the signals if this view is gone first.
        check.signals.finished.connect(self._check_finished)
        self._check = check
        self.progress.setRange(0, len(ids))
        self.progress.setValue(0)
        self.progress.show()
        QThreadPool.globalInstance().start(check)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        if done >= total:
            self.progress.hide()

    def _check_finished(self) -> None:
        if self._check is not None and self.sender() is self._check.signals:
            self._check = None
            self.progress.hide()

    def select(self, application_id: str) -> None:
        for number, row in enumerate(self.model.rows):
            if row.id == application_id:
                self.table.selectRow(number)
                return
