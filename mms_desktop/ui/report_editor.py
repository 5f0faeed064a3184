"""The report editor: the statutory sections in order, each marked complete or not.

Left: the sections (✓ when nothing blocks there). Middle: the section.
Bottom: the findings of the report's rules, live; clicking one goes to its
field or cell. The statement of expenditure is worked out from what is typed
(documents, volunteers' hours, in-kind), never typed twice.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.application import FundingSource
from mms_desktop.domain.canonical import control_sum
from mms_desktop.domain.findings import Finding
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import ZERO
from mms_desktop.domain.report import (
    AccountingDocument,
    ActionOutcome,
    InKindContribution,
    VolunteerWork,
    statement,
)
from mms_desktop.ui import style
from mms_desktop.ui.announce import announce
from mms_desktop.ui.application_editor import (
    add_sections,
    fit_sections,
    form_page,
    mark_fields,
    mark_sections,
    scroll_page,
    section_for,
    sections_key,
    sections_pages_findings,
)
from mms_desktop.ui.columns import StretchWithFloor, name_corner_button, title_width
from mms_desktop.ui.fields import Binding, DateBinding, DateField, TextBinding, format_amount
from mms_desktop.ui.findings_panel import FindingsPanel
from mms_desktop.ui.flow_layout import ButtonRow
from mms_desktop.ui.report_attachments import ReportAttachments
from mms_desktop.ui.report_session import ReportSession
from mms_desktop.ui.row_table import Column
from mms_desktop.ui.rows_table import RowsEditor
from mms_desktop.ui.style import WARNING_COLOUR, make_heading
from mms_desktop.ui.unsaved import commit_all_typing

SECTIONS = (
    "basic",
    "actions",
    "results",
    "documents",
    "contributions",
    "statement",
    "attachments",
    "other",
)
FIELD_SECTIONS = {
    "report.summary": "basic",
    "report.period_start": "basic",
    "report.period_end": "basic",
    "report.contract_date": "basic",
    "report.contract_number": "basic",
    "report.other_revenues": "other",
    "report.recipient_payments": "other",
    "report.actions": "actions",
    "report.results": "results",
    "report.documents": "documents",
    "report.volunteer_work": "contributions",
    "report.in_kind": "contributions",
    "report.budget": "statement",
    "report.attachments": "attachments",
    "report.other_information": "other",
}

# Widths fit a 1366 px screen: dates and amounts just fit, text columns stretch.
ACTION_COLUMNS = (
    Column("name", "ui.report.actions.name", width=21, editable=False),
    Column("planned_start", "ui.report.actions.planned_start", "date", 11, editable=False),
    Column("planned_end", "ui.report.actions.planned_end", "date", 11, editable=False),
    Column("outcome", "ui.report.actions.outcome", "choice", 16),
    Column("start_date", "ui.report.actions.start_date", "date", 11),
    Column("end_date", "ui.report.actions.end_date", "date", 11),
    Column("description", "ui.report.actions.description"),
    Column("deviations", "ui.report.actions.deviations"),
)
RESULT_COLUMNS = (
    Column("name", "ui.report.results.name", editable=False),
    Column("unit", "ui.report.results.unit", width=14, editable=False),
    Column("planned_value", "ui.report.results.planned", "decimal", 14, editable=False),
    Column("achieved_value", "ui.report.results.achieved", "decimal", 16),
    Column(
        "achieved_percent",
        "ui.report.results.percent",
        "percent",
        13,
        editable=False,
        marked_by="achieved_value",
    ),
    Column("comment", "ui.report.results.comment"),
)
DOCUMENT_COLUMNS = (
    Column("number", "ui.report.documents.number", width=13),
    Column("issue_date", "ui.report.documents.issue_date", "date", 11),
    Column("issuer", "ui.report.documents.issuer", width=16),
    Column("description", "ui.report.documents.description"),
    Column("amount", "ui.report.documents.amount", "money", 11),
    Column("line_id", "ui.report.documents.line", "choice", 18),
    Column("grant", "ui.report.documents.grant", "money", 11),
    Column("own_financial", "ui.report.documents.own_financial", "money", 11),
    Column("participants", "ui.report.documents.participants", "money", 11),
    Column("payment_date", "ui.report.documents.payment_date", "date", 11),
)
VOLUNTEER_COLUMNS = (
    Column("who", "ui.report.volunteers.who"),
    Column("people", "ui.report.volunteers.people", "integer", 9),
    Column("hours", "ui.report.volunteers.hours", "decimal", 10),
    Column("hourly_value", "ui.report.volunteers.hourly_value", "money", 13),
    Column("value", "ui.report.volunteers.value", "money", 14, editable=False),
    Column("action_id", "ui.report.volunteers.action", "choice", 24),
    Column("line_id", "ui.report.volunteers.line", "choice", 24),
)
IN_KIND_COLUMNS = (
    Column("description", "ui.report.in_kind.description"),
    Column("value", "ui.report.in_kind.value", "money", 14),
    Column("action_id", "ui.report.in_kind.action", "choice", 29),
    Column("line_id", "ui.report.in_kind.line", "choice", 29),
)
STATEMENT_SOURCES = tuple(FundingSource)
_BOLD = QFont()
_BOLD.setBold(True)


def report_section_for(finding: Finding) -> str:
    return section_for(finding.field, finding.code, FIELD_SECTIONS)


def _title(key: str) -> str:
    return i18n.tr(f"ui.report.section.{key}")


class ReportEditor(QWidget):
    preview_requested = Signal()
    print_requested = Signal()
    save_pdf_requested = Signal()
    send_requested = Signal()  # confirmed: freeze this report and queue it
    reopen_requested = Signal()  # start the corrected version the operator asked for

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.bindings: list[Binding] = []
        self.field_widgets: dict[str, QWidget] = {}
        self.row_editors: dict[str, RowsEditor] = {}

        self.title_label = QLabel()
        self.title_label.setObjectName("report_title")
        self.title_label.setWordWrap(True)
        make_heading(self.title_label)
        self.status_label = QLabel()
        self.status_label.setObjectName("report_status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_result = QLabel()
        self.check_result.setObjectName("check_result")
        self.check_result.setWordWrap(True)
        self.reopen_button = QPushButton(i18n.tr("ui.report.reopen"))
        self.reopen_button.setObjectName("reopen_button")
        self.reopen_button.setAccessibleName(i18n.tr("ui.report.reopen").replace("&", ""))
        self.reopen_button.clicked.connect(self.reopen_requested.emit)
        self.reopen_button.hide()

        self.sections = QListWidget()
        self.sections.setObjectName("sections")
        self.sections.setAccessibleName(i18n.tr("ui.report.sections"))
        self._fit_sections()
        self.pages = QStackedWidget()
        builders: dict[str, Callable[[], QWidget]] = {
            "basic": self._basic_page,
            "actions": self._actions_page,
            "results": self._results_page,
            "documents": self._documents_page,
            "contributions": self._contributions_page,
            "statement": self._statement_page,
            "attachments": self._attachments_page,
            "other": self._other_page,
        }
        for key in SECTIONS:
            self.pages.addWidget(builders[key]())
        add_sections(self.sections, {key: _title(key) for key in SECTIONS})
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        style.sized_by_current_page(self.pages)
        sections_key(self, self.sections, self.pages)
        self.sections.setCurrentRow(0)

        self.findings = FindingsPanel()
        self.findings.go_to_field.connect(self.focus_field)

        buttons = ButtonRow()  # wraps on a netbook
        self.preview_button = self._button("preview_button", "ui.editor.paper.preview", buttons)
        self.preview_button.clicked.connect(self.preview_requested.emit)
        self.print_button = self._button("print_button", "ui.editor.paper.print", buttons)
        self.print_button.clicked.connect(self.print_requested.emit)
        self.save_pdf_button = self._button("save_pdf_button", "ui.editor.paper.save_pdf", buttons)
        self.save_pdf_button.clicked.connect(self.save_pdf_requested.emit)
        self.check_button = self._button("check_button", "ui.editor.check", buttons)
        self.check_button.clicked.connect(self.run_check)
        self.send_button = self._button("send_button", "ui.report.send", buttons)
        self.send_button.clicked.connect(self.confirm_send)
        self.check_button.setToolTip(i18n.tr("ui.editor.check_tip"))
        self.send_button.setToolTip(i18n.tr("ui.report.send_tip"))
        self.send_button.setShortcut(QKeySequence("Ctrl+Return"))
        keypad = QShortcut(QKeySequence("Ctrl+Enter"), self)
        keypad.activated.connect(self.send_button.animateClick)

        top = QGridLayout()
        # The title over the buttons: side by side, on a netbook each squeezed the other.
        top.addWidget(self.title_label, 0, 0, 1, 2)
        top.addWidget(buttons, 1, 0, 1, 2)
        top.addWidget(self.status_label, 2, 0)
        top.addWidget(self.reopen_button, 2, 1, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.check_result, 3, 0, 1, 2)
        top.setColumnStretch(0, 1)
        vertical = sections_pages_findings(self.sections, self.pages, self.findings, 110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(vertical, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(120)
        self._refresh_timer.timeout.connect(self.refresh_findings)
        session.changed.connect(self._changed)
        self._changed("")
        self.refresh_findings()

    @staticmethod
    def _button(name: str, key: str, row: ButtonRow) -> QPushButton:
        button = QPushButton(i18n.tr(key))
        button.setObjectName(name)
        button.setAccessibleName(i18n.tr(key).replace("&", ""))
        row.addWidget(button)
        return button

    # --- status and sending ---------------------------------------------------------

    def show_status(self, status: str, control_sum: str | None, comment: str | None = None) -> None:
        """Where the report is: a submitted one is read-only and shows its control sum;
        when the operator asks for corrections, what it said and the way to a new version."""
        editable = self.session.editable
        self.send_button.setEnabled(editable)
        self.reopen_button.setVisible(status == "needs_corrections")
        if editable:
            self.status_label.setText(i18n.tr("ui.report.status_draft"))
            self.status_label.setStyleSheet("")
            return
        text = i18n.tr(
            "ui.report.status_frozen",
            status=i18n.tr(f"ApplicationStatus.{status}"),
            control_sum=control_sum or "—",
        )
        if comment:
            text += "\n" + i18n.tr("ui.sending.operator_comment", comment=comment)
        self.status_label.setText(text)
        colour = (
            style.REQUEST_BACKGROUND if status == "needs_corrections" else style.ACCEPTED_BACKGROUND
        )
        self.status_label.setStyleSheet(f"background: {colour}; padding: 6px;")

    def blocking(self) -> list[Finding]:
        return [finding for finding in self.session.findings() if finding.blocks_submission]

    def confirm_send(self) -> None:
        """ "Wyślij sprawozdanie": refused in words while something blocks, else asked once."""
        if not self.session.editable:
            return
        self.flush()
        blocking = self.blocking()
        if blocking:
            self.run_check()
            self.check_result.setText(
                i18n.tr(
                    "ui.report.send_blocked",
                    count=len(blocking),
                    first=i18n.finding_message(blocking[0]),
                )
            )
            self.check_result.setStyleSheet(f"color: {WARNING_COLOUR};")
            self.focus_field(blocking[0].field)
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(i18n.tr("ui.report.confirm_title"))
        box.setText(i18n.tr("ui.report.confirm"))
        send = box.addButton(i18n.tr("ui.report.confirm_send"), QMessageBox.ButtonRole.AcceptRole)
        send.setObjectName("confirm_send")
        cancel = box.addButton(i18n.tr("ui.cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("confirm_cancel")
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is send:
            self.send_requested.emit()

    # --- pages ------------------------------------------------------------------------

    def _fit_sections(self) -> None:
        fit_sections(self.sections, [_title(key) for key in SECTIONS])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_sections()

    def _label(self, form: QFormLayout, field: str, widget: QWidget) -> None:
        text = i18n.tr(f"ui.report.field.{field}")
        widget.setObjectName(f"report.{field}")
        widget.setAccessibleName(text.replace("&", ""))
        label = QLabel(text)
        # The field itself (a date's line edit, not its frame): a screen reader ties
        # the label to what it reads, instead of reading the label and the field.
        label.setBuddy(widget.focusProxy() or widget)
        form.addRow(label, widget)
        self.field_widgets[f"report.{field}"] = widget

    def _text(self, form: QFormLayout, field: str) -> QPlainTextEdit:
        widget = QPlainTextEdit()
        widget.setTabChangesFocus(True)
        widget.setMinimumHeight(120)
        widget.setReadOnly(not self.session.editable)
        self._label(form, field, widget)
        self.bindings.append(
            TextBinding(
                widget,
                lambda: str(getattr(self.session.report, field)),
                lambda value: self.session.set_field(field, value),
            )
        )
        return widget

    def _line(self, form: QFormLayout, field: str) -> QLineEdit:
        widget = QLineEdit()
        widget.setReadOnly(not self.session.editable)
        self._label(form, field, widget)
        self.bindings.append(
            TextBinding(
                widget,
                lambda: str(getattr(self.session.report, field)),
                lambda value: self.session.set_field(field, value),
            )
        )
        return widget

    def _date(self, form: QFormLayout, field: str) -> DateField:
        widget = DateField()
        widget.setEnabled(self.session.editable)
        self._label(form, field, widget)
        self.bindings.append(
            DateBinding(
                widget,
                lambda: getattr(self.session.report, field),
                lambda value: self.session.set_field(field, value),
            )
        )
        return widget

    def _basic_page(self) -> QWidget:
        page, form = form_page()
        self.basic_info = QLabel()
        self.basic_info.setObjectName("report_basic_info")
        self.basic_info.setWordWrap(True)
        self.basic_info.setTextFormat(Qt.TextFormat.RichText)
        self.basic_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.basic_info)
        self._date(form, "contract_date")
        self._line(form, "contract_number")
        self._date(form, "period_start")
        self._date(form, "period_end")
        self._text(form, "summary")
        return scroll_page(page)

    def _rows(
        self,
        rows: str,
        columns: tuple[Column, ...],
        new_row: Callable[[], Any] | None = None,
    ) -> RowsEditor:
        editor = RowsEditor(
            self.session,
            rows,
            columns=columns,
            new_row=new_row,
            choices={
                "outcome": self._outcome_choices,
                "line_id": self._line_choices,
                "action_id": self._action_choices,
            },
            keys=f"ui.report.{rows}",
            record="report",
        )
        self.row_editors[rows] = editor
        return editor

    def _table_page(self, intro: str, *editors: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        for editor in editors:
            layout.addWidget(editor, 0 if isinstance(editor, QLabel) else 1)
        return scroll_page(page)  # two tables and their buttons on a netbook at 150 %

    def _actions_page(self) -> QWidget:
        return self._table_page(
            i18n.tr("ui.report.actions.intro"), self._rows("actions", ACTION_COLUMNS)
        )

    def _results_page(self) -> QWidget:
        threshold = self.session.call.report_results_threshold_percent
        intro = i18n.tr("ui.report.results.intro")
        if threshold is not None:
            intro += " " + i18n.tr(
                "ui.report.results.threshold", threshold=i18n.format_percent(threshold)
            )
        return self._table_page(intro, self._rows("results", RESULT_COLUMNS))

    def _documents_page(self) -> QWidget:
        editor = self._rows("documents", DOCUMENT_COLUMNS, lambda: AccountingDocument(id=new_id()))
        self.documents_total = QLabel()
        self.documents_total.setObjectName("documents_total")
        return self._table_page(i18n.tr("ui.report.documents.intro"), editor, self.documents_total)

    def _contributions_page(self) -> QWidget:
        volunteers = self._rows(
            "volunteer_work", VOLUNTEER_COLUMNS, lambda: VolunteerWork(id=new_id())
        )
        in_kind = self._rows("in_kind", IN_KIND_COLUMNS, lambda: InKindContribution(id=new_id()))
        first = make_heading(QLabel(i18n.tr("ui.report.volunteer_work.heading")))
        first.setBuddy(volunteers.table)
        second = make_heading(QLabel(i18n.tr("ui.report.in_kind.heading")))
        second.setBuddy(in_kind.table)
        return self._table_page(
            i18n.tr("ui.report.contributions.intro"), first, volunteers, second, in_kind
        )

    def _statement_page(self) -> QWidget:
        headers = [
            i18n.tr("ui.rows.number"),
            i18n.tr("ui.report.statement.line"),
            i18n.tr("ui.report.statement.planned"),
            i18n.tr("ui.report.statement.spent"),
            i18n.tr("ui.report.statement.change"),
            *(
                i18n.tr(f"ui.report.statement.source.{source.value}")
                for source in STATEMENT_SOURCES
            ),
        ]
        self.statement_table = QTableWidget(0, len(headers))
        self.statement_table.setTabKeyNavigation(False)  # read only: Tab goes on
        self.statement_table.setObjectName("statement_table")
        self.statement_table.setAccessibleName(i18n.tr("ui.report.section.statement"))
        name_corner_button(self.statement_table)
        self.statement_table.setHorizontalHeaderLabels(headers)
        self.statement_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.statement_table.verticalHeader().hide()
        self.statement_table.setWordWrap(True)
        header = self.statement_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(2, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.statement_table.setColumnWidth(
                column,
                max(
                    (100, 100, 58, 98, 98, 98, 98, 98)[column - 2],
                    title_width(self.statement_table, column),
                ),
            )
        StretchWithFloor(self.statement_table, [1])
        self.grant_left = QLabel()
        self.grant_left.setObjectName("grant_left")
        self.grant_left.setWordWrap(True)
        return self._table_page(
            i18n.tr("ui.report.statement.intro"), self.statement_table, self.grant_left
        )

    def _attachments_page(self) -> QWidget:
        self.attachments = ReportAttachments(self.session)
        return scroll_page(self.attachments)

    def _other_page(self) -> QWidget:
        page, form = form_page()
        self._text(form, "other_revenues")
        self._text(form, "recipient_payments")
        self._text(form, "other_information")
        return scroll_page(page)

    # --- choices in the tables ---------------------------------------------------------

    def _outcome_choices(self) -> list[tuple[str, Any]]:
        return [(i18n.tr("ui.report.choose"), None)] + [
            (i18n.tr(f"ui.report.outcome.{outcome.value}"), outcome) for outcome in ActionOutcome
        ]

    def _line_choices(self) -> list[tuple[str, Any]]:
        lines = self.session.report.budget
        return [(i18n.tr("ui.report.choose"), None)] + [
            (f"{number}. {line.name}", line.id) for number, line in enumerate(lines, start=1)
        ]

    def _action_choices(self) -> list[tuple[str, Any]]:
        actions = self.session.report.actions
        return [(i18n.tr("ui.report.no_action"), None)] + [
            (f"{number}. {action.name}", action.id)
            for number, action in enumerate(actions, start=1)
        ]

    # --- refreshing ----------------------------------------------------------------------

    def _changed(self, what: str) -> None:
        report = self.session.report
        self.title_label.setText(
            i18n.tr(f"ui.report.heading.{report.kind.value}", title=report.title or "—")
        )
        for binding in self.bindings:
            binding.refresh()
        if what in ("", "documents", "volunteer_work", "in_kind"):
            self._refresh_statement()
        if what == "":
            self._refresh_basic()
            for editor in self.row_editors.values():
                editor.refresh_editable()
            editable = self.session.editable
            for widget in self.field_widgets.values():
                if isinstance(widget, QPlainTextEdit):
                    widget.setReadOnly(not editable)
                else:
                    widget.setEnabled(editable)
        self._refresh_timer.start()

    def _refresh_basic(self) -> None:
        report = self.session.report
        task = "—"
        if report.task_start and report.task_end:
            task = f"{i18n.format_date(report.task_start)} – {i18n.format_date(report.task_end)}"
        lines = [
            i18n.tr("ui.report.info.kind", kind=i18n.tr(f"ui.reports.kind.{report.kind.value}")),
            i18n.tr("ui.report.info.task", title=escape(report.title or "—")),
            i18n.tr("ui.report.info.dates", dates=task),
            i18n.tr("ui.report.info.organization", name=escape(self.session.organization.name)),
            i18n.tr("ui.report.info.call", name=escape(self.session.call.name)),
            i18n.tr(
                "ui.report.info.application",
                control_sum=control_sum(report.application_sha256)
                if report.application_sha256
                else "—",
            ),
        ]
        self.basic_info.setText("<br>".join(lines))

    def _refresh_statement(self) -> None:
        summary = statement(self.session.report)
        rows: list[tuple[str, str, Decimal, Decimal, Decimal | None, list[str]]] = []
        for item in summary.lines:
            rows.append(
                (
                    f"{item.number}.",
                    item.line.name,
                    item.planned_total,
                    item.spent_total,
                    item.change_percent,
                    [
                        _spent_of_planned(item.spent[source], item.planned[source])
                        for source in STATEMENT_SOURCES
                    ],
                )
            )
        rows.append(
            (
                "",
                i18n.tr("ui.report.statement.unassigned"),
                ZERO,
                summary.unassigned_total,
                None,
                [format_amount(summary.unassigned[source]) for source in STATEMENT_SOURCES],
            )
        )
        planned, spent = summary.planned_by_source, summary.spent_by_source
        rows.append(
            (
                "",
                i18n.tr("ui.report.statement.total"),
                summary.planned_total,
                summary.spent_total,
                None,
                [_spent_of_planned(spent[source], planned[source]) for source in STATEMENT_SOURCES],
            )
        )
        table = self.statement_table
        table.setRowCount(len(rows))
        last = len(rows) - 1
        for number, (lp, name, planned_total, spent_total, change, sources) in enumerate(rows):
            unassigned = number == last - 1
            texts = [
                lp,
                name,
                "" if unassigned else i18n.format_money(planned_total),
                i18n.format_money(spent_total),
                "" if change is None else _signed_percent(change),
                *sources,
            ]
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                if column != 1:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if number == last:
                    cell.setFont(_BOLD)
                if unassigned and spent_total:
                    cell.setForeground(QColor(WARNING_COLOUR))
                table.setItem(number, column, cell)
        table.resizeRowsToContents()
        self._refresh_grant_left(summary.grant_unspent)
        documents = self.session.report.documents
        self.documents_total.setText(
            i18n.tr(
                "ui.report.documents.total",
                count=len(documents),
                amount=i18n.format_money(sum((d.amount for d in documents), ZERO)),
                grant=i18n.format_money(sum((d.grant for d in documents), ZERO)),
            )
        )

    def _refresh_grant_left(self, unspent: Decimal) -> None:
        if unspent > 0:
            text = i18n.tr("ui.report.statement.grant_left", amount=i18n.format_money(unspent))
        elif unspent < 0:
            text = i18n.tr("ui.report.statement.grant_over", amount=i18n.format_money(-unspent))
        else:
            text = i18n.tr("ui.report.statement.grant_used")
        self.grant_left.setText(text)
        self.grant_left.setStyleSheet(f"color: {WARNING_COLOUR};" if unspent < 0 else "")

    def statement_texts(self) -> list[list[str]]:
        """What the statement says, row by row (for a person reading it, and for tests)."""
        table = self.statement_table
        return [
            [
                item.text() if (item := table.item(row, column)) is not None else ""
                for column in range(table.columnCount())
            ]
            for row in range(table.rowCount())
        ]

    def refresh_findings(self) -> None:
        findings = self.session.findings()
        self.findings.show_findings(findings)
        mark_sections(self.sections, findings, report_section_for)
        mark_fields(self.field_widgets, findings)
        for rows, editor in self.row_editors.items():
            editor.model.set_findings(findings, f"report.{rows}")

    def run_check(self) -> None:
        """ "Sprawdź" (F7): the full check now, and its outcome in words."""
        self.flush()
        self.refresh_findings()
        findings = self.session.findings()
        blocking = sum(1 for finding in findings if finding.blocks_submission)
        self.check_result.setStyleSheet("")
        self.check_result.setText(
            i18n.tr("ui.report.check_blocked", count=blocking)
            if blocking
            else i18n.tr("ui.report.check_ready")
        )
        announce(self.check_result, self.check_result.text())  # said wherever the focus is
        if findings:
            self.findings.list.setCurrentRow(0)
            self.findings.list.setFocus()

    def flush(self) -> None:
        """Save what is being typed (before checking, sending or switching away):
        text, dates, descriptions, and a table cell still open."""
        commit_all_typing(self)

    # --- going to a field ------------------------------------------------------------------

    def show_section(self, key: str) -> None:
        self.sections.setCurrentRow(SECTIONS.index(key))

    def focus_field(self, path: str) -> None:
        self.show_section(section_for(path, "", FIELD_SECTIONS))
        widget = self.field_widgets.get(path)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for editor in self.row_editors.values():
            if editor.focus_field(path):
                return
        self.attachments.focus_field(path)


def _spent_of_planned(spent: Decimal, planned: Decimal) -> str:
    return i18n.tr(
        "ui.report.statement.cell", spent=format_amount(spent), planned=format_amount(planned)
    )


def _signed_percent(value: Decimal) -> str:
    return ("+" if value > 0 else "") + i18n.format_percent(value)
