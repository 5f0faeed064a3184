"""The "Wysyłka" page: every submitted version in the outbox, and what became of it.

Each row says in words where a version is (waiting, being sent, sent, refused),
how often it was tried, when the next try comes, why the last one failed, and
what the operator answered. The view only reads (through the window's read
connection); sending and retrying are asked of the window, which uses the
background worker and the one writer.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.services import reports, sending
from mms_desktop.services.records import OutboxItem, OutboxState
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.ui import style
from mms_desktop.ui.columns import name_corner_button
from mms_desktop.ui.style import make_heading

COLUMNS = ("title", "version", "state", "attempts", "next_try", "error", "operator", "comment")
_PROBLEM_STYLE = style.WARNING_STYLE


def when_text(stamp: str | None) -> str:
    """An ISO time from the store as the volunteer reads it: dd.mm.rrrr gg:mm, local."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return i18n.format_datetime(moment.astimezone())


# What an operator may say of a submission (the protocol's statuses).
OPERATOR_STATUSES = frozenset(
    {"received", "in_review", "needs_corrections", "accepted", "rejected"}
)


def operator_status_text(status: str) -> str:
    # A status this version does not know (a newer operator's) is shown as sent.
    if status not in OPERATOR_STATUSES:
        return status
    return i18n.tr(f"ui.sending.operator.{status}")


class SendingView(QWidget):
    send_now = Signal()
    retry = Signal(str)  # a submission id
    open_settings = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.items: list[OutboxItem] = []
        heading = make_heading(QLabel(i18n.tr("ui.sending.heading")))
        self.server_label = QLabel()
        self.server_label.setObjectName("sending_server")
        self.server_label.setWordWrap(True)
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.send_button = QPushButton(i18n.tr("ui.sending.send_now"))
        self.send_button.setObjectName("send_now_button")
        self.retry_button = QPushButton(i18n.tr("ui.sending.retry"))
        self.retry_button.setObjectName("retry_button")
        self.settings_button = QPushButton(i18n.tr("ui.sending.settings"))
        self.settings_button.setObjectName("sending_settings_button")
        for button in (self.send_button, self.retry_button, self.settings_button):
            button.setAccessibleName(button.text().replace("&", ""))
        self.send_button.setToolTip(i18n.tr("ui.sending.send_now_tip"))
        self.retry_button.setToolTip(i18n.tr("ui.sending.retry_tip"))
        self.send_button.clicked.connect(self.send_now.emit)
        self.retry_button.clicked.connect(self._retry_selected)
        self.settings_button.clicked.connect(self.open_settings.emit)
        # Why "Wyślij teraz" cannot be pressed, beside it (a greyed button says nothing).
        self.send_reason = QLabel(i18n.tr("ui.sending.send_now_no_address"))
        self.send_reason.setObjectName("send_now_reason")
        self.send_reason.setWordWrap(True)
        self.send_reason.hide()
        self.can_send = True
        self._sending = False
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)

        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("sending_warnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet(_PROBLEM_STYLE)
        self.warnings_label.hide()

        self.round_label = QLabel()
        self.round_label.setObjectName("sending_round")
        self.round_label.setWordWrap(True)
        self.round_label.hide()

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setTabKeyNavigation(False)  # arrows move within it; Tab goes on
        self.table.setStyleSheet(style.FOCUS_STYLE)
        self.table.setObjectName("outbox_table")
        self.table.setAccessibleName(i18n.tr("ui.sending.table"))
        name_corner_button(self.table)
        self.table.setHorizontalHeaderLabels(
            [i18n.tr(f"ui.sending.column.{column}") for column in COLUMNS]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 60), (2, 130), (3, 55), (4, 120), (5, 260), (6, 140), (7, 200)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.empty = QLabel(i18n.tr("ui.sending.empty"))
        self.empty.setObjectName("outbox_empty")
        self.empty.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.server_label)
        layout.addLayout(buttons)
        layout.addWidget(self.send_reason)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.round_label)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        # With an empty outbox the table is hidden: keep the lines together at the top.
        self._filler = QWidget()
        layout.addWidget(self._filler, 1)
        self._selection_changed()

    # --- reading ------------------------------------------------------------------

    def reload(self) -> None:
        """Read the outbox now: a few quick queries on the window's read connection."""
        workspace = self.workspace
        moment = now()
        # Each organisation's own operator (or that it has none yet).
        logins = sending.logins(workspace)
        organizations = workspace.organizations()
        names = {o.id: o.name for o in organizations}
        lines = [
            i18n.tr("ui.sending.login_for", organization=o.name, url=logins[o.id].server_url)
            if o.id in logins
            else i18n.tr("ui.sending.login_missing", organization=o.name)
            for o in organizations
        ]
        self.server_label.setText("\n".join(lines) or i18n.tr("ui.sending.no_server"))
        self.can_send = bool(logins)  # no operator's address: nothing could be sent
        self._send_state()
        warnings = sending.deadline_warnings(self.workspace, moment)
        self.warnings_label.setText("\n".join(warnings))
        self.warnings_label.setVisible(bool(warnings))
        chosen = self.selected_id()
        self.items = sending.outbox(workspace)
        titles = {
            summary.id: summary.title for summary in workspace.applications(include_deleted=True)
        }
        # A report is named as such, with the task it settles.
        titles |= {
            summary.id: i18n.tr(
                f"ui.sending.report_title.{summary.kind.value}",
                title=summary.title or i18n.tr("ui.editor.untitled"),
            )
            for summary in reports.summaries(workspace)
        }
        numbers = sending.version_numbers(workspace)
        answers = {
            answer.submission_id: answer
            for answer in (
                *sending.application_answers(workspace).values(),
                *sending.report_answers(workspace).values(),
            )
        }
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            answer = answers.get(item.submission_id)
            # What it waits for (a login, the call's opening) before what failed last.
            why = (
                sending.waiting_reason(self.workspace, item, moment, names, logins)
                or item.last_error
                or ""
            )
            texts = (
                titles.get(item.report_id or item.application_id) or i18n.tr("ui.editor.untitled"),
                str(numbers.get(item.submission_id, "")),
                i18n.tr(f"ui.sending.state.{item.state.value}"),
                str(item.attempts),
                when_text(item.next_try_at) if item.state is OutboxState.QUEUED else "",
                why,
                operator_status_text(answer.status) if answer else "",
                (answer.comment or "") if answer else "",
            )
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.submission_id)
                if text and COLUMNS[column] in ("error", "comment"):
                    cell.setToolTip(text)
                if COLUMNS[column] == "state" and item.state is OutboxState.FAILED:
                    cell.setForeground(QColor(style.WARNING_COLOUR))
                if COLUMNS[column] == "error" and text:
                    cell.setForeground(QColor(style.WARNING_COLOUR))
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not self.items)
        self.table.setVisible(bool(self.items))
        self._filler.setVisible(not self.items)
        if chosen is not None:
            self.select(chosen)
        self._selection_changed()

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.items):
            return None
        return self.items[row].submission_id

    def select(self, submission_id: str) -> None:
        for row, item in enumerate(self.items):
            if item.submission_id == submission_id:
                self.table.selectRow(row)
                return

    def row_texts(self, row: int) -> list[str]:
        """What a row says, column by column (for a person reading it, and for tests)."""
        cells = (self.table.item(row, column) for column in range(len(COLUMNS)))
        return [cell.text() if cell is not None else "" for cell in cells]

    # --- rounds -------------------------------------------------------------------

    def show_sending(self) -> None:
        self.round_label.setStyleSheet("")
        self.round_label.setText(i18n.tr("ui.sending.in_progress"))
        self.round_label.show()
        self._sending = True
        self._send_state()

    def _send_state(self) -> None:
        self.send_button.setEnabled(self.can_send and not self._sending)
        self.send_reason.setVisible(not self.can_send)
        self.send_button.setAccessibleDescription(
            "" if self.can_send else i18n.tr("ui.sending.send_now_no_address")
        )

    def show_report(self, report: sending.SyncReport) -> None:
        self._sending = False
        self._send_state()
        if report.problem:
            self.round_label.setStyleSheet(_PROBLEM_STYLE)
            self.round_label.setText(i18n.tr("ui.sending.round_problem", detail=report.problem))
        else:
            self.round_label.setStyleSheet("")
            done = i18n.tr(
                "ui.sending.round_done",
                sent=report.sent,
                waiting=report.waiting,
                failed=report.failed,
                answers=report.answers,
            )
            self.round_label.setText("\n".join([done, *dict.fromkeys(report.messages)]))
        self.round_label.show()
        self.reload()

    # --- acting -------------------------------------------------------------------

    def _selected_item(self) -> OutboxItem | None:
        submission_id = self.selected_id()
        return next((i for i in self.items if i.submission_id == submission_id), None)

    def _selection_changed(self) -> None:
        item = self._selected_item()
        self.retry_button.setEnabled(item is not None and item.state is OutboxState.FAILED)

    def _retry_selected(self) -> None:
        item = self._selected_item()
        if item is not None and item.state is OutboxState.FAILED:
            self.retry.emit(item.submission_id)
