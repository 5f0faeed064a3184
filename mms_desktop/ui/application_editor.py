"""The application editor: the form's sections in order, each marked complete or not.

Left: the sections (with ✓ when nothing blocks there). Middle: the section.
Bottom: the findings of the call's rules, live; clicking one goes to its field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain.application import Arrears, PaidExecution
from mms_desktop.domain.budget import BudgetSummary, share_table
from mms_desktop.domain.findings import Finding, submission_outlook
from mms_desktop.domain.public_task_spheres import SPHERES, sphere_label
from mms_desktop.services.workspace import now
from mms_desktop.ui import style
from mms_desktop.ui.announce import announce
from mms_desktop.ui.attachments_editor import AttachmentsEditor
from mms_desktop.ui.budget_editor import BudgetEditor
from mms_desktop.ui.fields import Binding, ComboBinding, DateBinding, DateField, TextBinding
from mms_desktop.ui.findings_panel import FindingsPanel
from mms_desktop.ui.flow_layout import ButtonRow
from mms_desktop.ui.rows_table import RowsEditor
from mms_desktop.ui.session import ApplicationSession
from mms_desktop.ui.style import make_heading
from mms_desktop.ui.summary_html import share_table_html
from mms_desktop.ui.unsaved import commit_all_typing
from mms_desktop.ui.year_values import YearValuesPanel

SECTIONS = (
    "basic",
    "applicant",
    "task",
    "actions",
    "results",
    "resources",
    "budget",
    "sources",
    "other",
    "declarations",
    "attachments",
)
_FIELD_SECTIONS = {
    "application.title": "basic",
    "application.task_sphere": "basic",
    "call": "basic",
    "organization": "applicant",
    "application.start_date": "task",
    "application.end_date": "task",
    "application.place": "task",
    "application.target_group": "task",
    "application.summary": "task",
    "application.need": "task",
    "application.actions": "actions",
    "application.results_products": "results",
    "application.results_change": "results",
    "application.results_durability": "results",
    "application.results": "results",
    "application.experience": "resources",
    "application.resources": "resources",
    "application.partners": "resources",
    "application.budget": "budget",
    "application.year_values": "budget",
    "application.paid_execution": "other",
    "application.joint_offer_roles": "other",
    "application.other_information": "other",
    "application.tax_arrears": "declarations",
    "application.social_insurance_arrears": "declarations",
    "application.declarations": "declarations",
    "application.attachments": "attachments",
}
_SOURCE_CODES = {"OWN_CONTRIBUTION_TOO_LOW", "OWN_FINANCIAL_TOO_LOW"}
# Statuses of an application a report may settle (services.reports.REPORTABLE).
_REPORTABLE = {"queued", "sent", "in_review", "accepted"}


def section_for(path: str, code: str = "", table: dict[str, str] | None = None) -> str:
    """The section of the form where a finding's field is edited."""
    if table is None and code in _SOURCE_CODES:
        return "sources"
    table = _FIELD_SECTIONS if table is None else table
    for prefix in sorted(table, key=len, reverse=True):
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return table[prefix]
    return "basic"


def mark_sections(
    sections: QListWidget,
    findings: list[Finding],
    section_of: Callable[[Finding], str],
    visited: set[str] | None = None,
) -> None:
    """Each section's entry ends in ✓, or in "⚠ n" for the blocking findings in it;
    a section not opened yet (``visited``) with something to fill ends in "…"."""
    problems: dict[str, int] = {}
    for finding in findings:
        if finding.blocks_submission:
            key = section_of(finding)
            problems[key] = problems.get(key, 0) + 1
    for row in range(sections.count()):
        item = sections.item(row)
        key = item.data(Qt.ItemDataRole.UserRole)
        title = item.data(Qt.ItemDataRole.UserRole + 1)
        count = problems.get(key, 0)
        if count and visited is not None and key not in visited:
            item.setText(f"{row + 1}. {title}  …")
            item.setToolTip(i18n.tr("ui.editor.section_to_fill"))
            continue
        mark = "✓" if count == 0 else f"⚠ {count}"
        item.setText(f"{row + 1}. {title}  {mark}")
        item.setToolTip(
            i18n.tr("ui.editor.section_complete")
            if count == 0
            else i18n.tr("ui.editor.section_problems", count=count)
        )


def add_sections(sections: QListWidget, titles: dict[str, str]) -> None:
    for number, (key, title) in enumerate(titles.items(), start=1):
        item = QListWidgetItem(f"{number}. {title}")
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setData(Qt.ItemDataRole.UserRole + 1, title)
        sections.addItem(item)


def fit_sections(sections: QListWidget, titles: list[str]) -> None:
    """The section list as wide as its longest entry, at any text size."""
    metrics = sections.fontMetrics()
    widest = max(metrics.horizontalAdvance(f"10. {title}  ⚠ 99") for title in titles)
    # Never narrower either: on a netbook the splitter would cut off the ✓ / ⚠ marks.
    sections.setFixedWidth(widest + 24)


def sections_pages_findings(
    sections: QListWidget, pages: QWidget, findings: QWidget, findings_height: int
) -> QSplitter:
    """The editor's body: the section list beside its pages, the findings below."""
    body = QSplitter(Qt.Orientation.Horizontal)
    body.addWidget(sections)
    body.addWidget(pages)
    body.setStretchFactor(1, 1)
    body.setSizes([sections.maximumWidth(), 1000])
    vertical = QSplitter(Qt.Orientation.Vertical)
    vertical.addWidget(body)
    vertical.addWidget(findings)
    vertical.setStretchFactor(0, 4)
    vertical.setStretchFactor(1, 1)
    vertical.setSizes([600, findings_height])
    return vertical


def mark_fields(widgets: dict[str, QWidget], findings: list[Finding]) -> None:
    """A field with a finding gets a red border and the finding's words as its tooltip."""
    marked = {finding.field: finding for finding in findings}
    for path, widget in widgets.items():
        problem = marked.get(path)
        widget.setProperty("problem", problem is not None)
        widget.setToolTip("" if problem is None else i18n.finding_message(problem))
        widget.setStyleSheet(
            ""
            if problem is None
            else style.WARNING_BORDER
            if not isinstance(widget, QCheckBox)
            else f"QCheckBox {{ {style.WARNING_STYLE} font-weight: bold; }}"
        )


def form_page(intro: str | None = None) -> tuple[QWidget, QFormLayout]:
    """A page with a wrapped intro and a form whose labels sit above their fields."""
    page = QWidget()
    outer = QVBoxLayout(page)
    if intro:
        label = QLabel(intro)
        label.setWordWrap(True)
        outer.addWidget(label)
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    # Labels above their fields: long Polish labels never get squeezed.
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    outer.addLayout(form)
    outer.addStretch(1)
    return page, form


class _ClickableLabel(QLabel):
    """A wrapped label that toggles its check box when clicked."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self._box = box

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._box.isEnabled():
            self._box.toggle()
        super().mouseReleaseEvent(event)


def first_control(page: QWidget) -> QWidget | None:
    """The first control of ``page`` that Tab would reach."""
    widget = page.nextInFocusChain()
    while widget is not page and widget is not None:
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


def sections_key(editor: QWidget, sections: QListWidget, pages: QStackedWidget) -> None:
    """F6 (as in many programs' panes): from the section list to the section's first
    field, and from anywhere in the section back to the list."""
    sections.setToolTip(i18n.tr("ui.editor.sections_keys"))
    sections.setAccessibleDescription(i18n.tr("ui.editor.sections_keys"))

    def switch() -> None:
        if sections.hasFocus():
            page = pages.currentWidget()
            target = first_control(page) if page is not None else None
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            sections.setFocus(Qt.FocusReason.ShortcutFocusReason)

    for key in ("F6", "Shift+F6"):
        shortcut = QShortcut(QKeySequence(key), editor)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(switch)


def scroll_page(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(style.ScrollHost(widget, wrapped=True))  # wrapped intros need their lines
    return area


class ApplicationEditor(QWidget):
    edit_organization = Signal(str)  # a field path of the profile to go to
    preview_requested = Signal()
    print_requested = Signal()
    save_pdf_requested = Signal()
    send_requested = Signal()  # confirmed: freeze this version and send it
    reopen_requested = Signal()  # start the corrected version the operator asked for
    report_requested = Signal(str)  # start a report settling this application (its id)
    attach_requested = Signal(Path, str)  # a file to attach, the required attachment's id
    detach_requested = Signal(str)  # the SHA-256 of the attached file to remove

    def __init__(self, session: ApplicationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.bindings: list[Binding] = []
        self.field_widgets: dict[str, QWidget] = {}

        self.title_label = QLabel()
        self.title_label.setObjectName("editor_title")
        self.title_label.setWordWrap(True)
        make_heading(self.title_label)
        self.check_button = QPushButton(i18n.tr("ui.editor.check"))
        self.check_button.setObjectName("check_button")
        self.check_button.setAccessibleName(i18n.tr("ui.editor.check").replace("&", ""))
        self.check_button.setToolTip(i18n.tr("ui.editor.check_tip"))
        self.check_button.clicked.connect(self.run_check)
        self.check_result = QLabel()
        self.check_result.setObjectName("check_result")
        self.check_result.setWordWrap(True)

        self.sections = QListWidget()
        self.sections.setObjectName("sections")
        self.sections.setAccessibleName(i18n.tr("ui.editor.sections"))
        self._fit_sections()
        self.pages = QStackedWidget()
        self.section_pages: dict[str, QWidget] = {}
        builders: dict[str, Callable[[], QWidget]] = {
            "basic": self._basic_page,
            "applicant": self._applicant_page,
            "task": self._task_page,
            "actions": self._actions_page,
            "results": self._results_page,
            "resources": self._resources_page,
            "budget": self._budget_page,
            "sources": self._sources_page,
            "other": self._other_page,
            "declarations": self._declarations_page,
            "attachments": self._attachments_page,
        }
        for key in SECTIONS:
            page = builders[key]()
            self.section_pages[key] = page
            self.pages.addWidget(page)
        add_sections(self.sections, {key: i18n.tr(f"ui.section.{key}") for key in SECTIONS})
        self.visited: set[str] = {SECTIONS[0]}
        self.checked = False
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sections.currentRowChanged.connect(self._visit)
        style.sized_by_current_page(self.pages)
        sections_key(self, self.sections, self.pages)
        self.sections.setCurrentRow(0)

        self.findings = FindingsPanel()
        self.findings.go_to_field.connect(self.focus_field)

        paper = ButtonRow()  # wraps on a netbook
        for name, key, signal in (
            ("preview_button", "ui.editor.paper.preview", self.preview_requested),
            ("print_button", "ui.editor.paper.print", self.print_requested),
            ("save_pdf_button", "ui.editor.paper.save_pdf", self.save_pdf_requested),
        ):
            button = QPushButton(i18n.tr(key))
            button.setObjectName(name)
            button.setAccessibleName(i18n.tr(key).replace("&", ""))
            button.clicked.connect(signal.emit)
            paper.addWidget(button)
        paper.addWidget(self.check_button)
        self._build_sending(paper)
        top = QGridLayout()
        # The title over the buttons: side by side, on a netbook each squeezed the other.
        top.addWidget(self.title_label, 0, 0, 1, 2)
        top.addWidget(paper, 1, 0, 1, 2)
        top.addWidget(self.check_result, 2, 0, 1, 2)
        top.addWidget(self.answer_box, 3, 0, 1, 2)
        top.setColumnStretch(0, 1)
        vertical = sections_pages_findings(self.sections, self.pages, self.findings, 90)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(vertical, 1)

        # Findings refresh shortly after the last edit, so typing stays smooth.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(120)
        self._refresh_timer.timeout.connect(self.refresh_findings)
        session.changed.connect(self._changed)
        self._changed("")
        self.refresh_findings()

    # --- sending ---------------------------------------------------------------

    def _opens_later(self) -> str | None:
        """The call's opening day in words while it is still ahead, else None."""
        opens_at = self.session.call.opens_at
        return i18n.format_date(opens_at) if now().date() < opens_at else None

    def _build_sending(self, row: ButtonRow) -> None:
        # Before the call opens the button queues, and says when the version will go.
        opens = self._opens_later()
        label = (
            i18n.tr("ui.sending.send_queue", opens_at=opens)
            if opens
            else i18n.tr("ui.sending.send")
        )
        self.send_button = QPushButton(label)
        self.send_button.setObjectName("send_button")
        self.send_button.setAccessibleName(label.replace("&", ""))
        self.send_button.setToolTip(
            i18n.tr("ui.sending.send_queue_tip", opens_at=opens)
            if opens
            else i18n.tr("ui.sending.send_tip")
        )
        self.send_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.send_button.setEnabled(self.session.editable)
        self.send_button.clicked.connect(self.confirm_send)
        keypad = QShortcut(QKeySequence("Ctrl+Enter"), self)
        keypad.activated.connect(self.send_button.animateClick)
        row.addWidget(self.send_button)

        # What the operator said, and the way to the corrected version.
        self.answer_box = QWidget()
        self.answer_box.setObjectName("answer_box")
        answer_layout = QHBoxLayout(self.answer_box)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        self.answer_label = QLabel()
        self.answer_label.setObjectName("operator_answer")
        self.answer_label.setWordWrap(True)
        self.answer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reopen_button = QPushButton(i18n.tr("ui.sending.reopen"))
        self.reopen_button.setObjectName("reopen_button")
        self.reopen_button.setAccessibleName(i18n.tr("ui.sending.reopen").replace("&", ""))
        self.reopen_button.clicked.connect(self.reopen_requested.emit)
        self.report_button = QPushButton(i18n.tr("ui.reports.from_application"))
        self.report_button.setObjectName("report_button")
        self.report_button.setAccessibleName(
            i18n.tr("ui.reports.from_application").replace("&", "")
        )
        self.report_button.clicked.connect(
            lambda: self.report_requested.emit(self.session.application.id)
        )
        answer_layout.addWidget(self.answer_label, 1)
        answer_layout.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignTop)
        answer_layout.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignTop)
        self.answer_box.hide()

    def show_status(self, status: str, comment: str | None = None) -> None:
        """Where the application is: a submitted one is read-only; a correction is asked."""
        self.send_button.setEnabled(self.session.editable and status == "draft")
        if status == "draft":
            self.answer_box.hide()
            return
        name = i18n.tr(f"ApplicationStatus.{status}")
        if status == "needs_corrections":
            text = i18n.tr("ui.sending.needs_corrections", comment=comment or "—")
            self.answer_label.setStyleSheet(style.REQUEST_STYLE)
        else:
            text = i18n.tr("ui.sending.locked", status=name)
            if comment:
                text += "\n" + i18n.tr("ui.sending.operator_comment", comment=comment)
            self.answer_label.setStyleSheet("")
        self.answer_label.setText(text)
        self.reopen_button.setVisible(status == "needs_corrections")
        self.report_button.setVisible(status in _REPORTABLE)
        self.answer_box.show()

    def confirm_send(self) -> None:
        """ "Wyślij": asked once, then the version is frozen and queued (and sent when it can)."""
        if not self.session.editable:
            return
        self._flush_typing()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(i18n.tr("ui.sending.confirm_title"))
        opens = self._opens_later()
        box.setText(
            i18n.tr("ui.sending.confirm_queue", opens_at=opens)
            if opens
            else i18n.tr("ui.sending.confirm")
        )
        send = box.addButton(
            i18n.tr("ui.sending.confirm_queue_send" if opens else "ui.sending.confirm_send"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        send.setObjectName("confirm_send")
        cancel = box.addButton(i18n.tr("ui.cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("confirm_cancel")
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is send:
            self.send_requested.emit()

    # --- pages ---------------------------------------------------------------

    def _text(self, form: QFormLayout, field: str, multiline: bool = False) -> QWidget:
        widget: QLineEdit | QPlainTextEdit = QPlainTextEdit() if multiline else QLineEdit()
        label_text = i18n.tr(f"ui.field.{field}")
        widget.setObjectName(field)
        widget.setAccessibleName(label_text.replace("&", ""))
        widget.setReadOnly(not self.session.editable)
        if isinstance(widget, QPlainTextEdit):
            widget.setTabChangesFocus(True)
            widget.setMinimumHeight(90)
        label = QLabel(label_text)
        label.setBuddy(widget)
        form.addRow(label, widget)
        self.bindings.append(
            TextBinding(
                widget,
                lambda: str(getattr(self.session.application, field)),
                lambda value: self.session.set_field(field, value),
            )
        )
        self.field_widgets[f"application.{field}"] = widget
        return widget

    def _date(self, form: QFormLayout, field: str) -> DateField:
        widget = DateField()
        label_text = i18n.tr(f"ui.field.{field}")
        widget.setObjectName(field)
        widget.setAccessibleName(label_text.replace("&", ""))
        widget.setEnabled(self.session.editable)
        label = QLabel(label_text)
        # The line edit, not the date's frame: a screen reader ties the label to it.
        label.setBuddy(widget.edit)
        form.addRow(label, widget)
        self.bindings.append(
            DateBinding(
                widget,
                lambda: getattr(self.session.application, field),
                lambda value: self.session.set_field(field, value),
            )
        )
        self.field_widgets[f"application.{field}"] = widget
        return widget

    def _choice(self, form: QFormLayout, field: str, items: Sequence[tuple[str, str]]) -> QComboBox:
        """A choice of fixed values; the first item ("" — not chosen) is shown until the
        person picks one, so nothing is chosen for them."""
        widget = QComboBox()
        widget.addItem(i18n.tr("ui.field.choose"), "")
        for value, text in items:
            widget.addItem(text, value)
        label_text = i18n.tr(f"ui.field.{field}")
        widget.setObjectName(field)
        widget.setAccessibleName(label_text.replace("&", ""))
        widget.setEnabled(self.session.editable)
        # Long statutory wordings: the list is as wide as they are, the box fits the page.
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(40)
        label = QLabel(label_text)
        label.setWordWrap(True)
        label.setBuddy(widget)
        form.addRow(label, widget)
        kind = type(getattr(self.session.application, field))
        self.bindings.append(
            ComboBinding(
                widget,
                lambda: str(getattr(self.session.application, field)),
                lambda value: self.session.set_field(field, _as(kind, value)),
            )
        )
        self.field_widgets[f"application.{field}"] = widget
        return widget

    def _fit_sections(self) -> None:
        fit_sections(self.sections, [i18n.tr(f"ui.section.{key}") for key in SECTIONS])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_sections()

    def _form_page(self, intro_key: str | None = None) -> tuple[QWidget, QFormLayout]:
        return form_page(i18n.tr(intro_key) if intro_key else None)

    def _basic_page(self) -> QWidget:
        page, form = self._form_page()
        call = self.session.call
        self.call_info = QLabel(
            i18n.tr(
                "ui.editor.call_info",
                name=call.name,
                operator=call.operator,
                form=i18n.tr(f"FormKind.{call.form.value}"),
                deadline=i18n.format_datetime(call.deadline),
                grant_min=i18n.format_money(call.grant_min),
                grant_max=i18n.format_money(call.grant_max),
            )
        )
        self.call_info.setWordWrap(True)
        self.call_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(QLabel(i18n.tr("ui.editor.call")), self.call_info)
        if call.example:
            note = QLabel(call.notes)
            note.setWordWrap(True)
            form.addRow(QLabel(""), note)
        self._text(form, "title")
        self._choice(form, "task_sphere", [(key, sphere_label(key)) for key in SPHERES])
        return scroll_page(page)

    def _applicant_page(self) -> QWidget:
        page, form = self._form_page("ui.editor.applicant_intro")
        self.applicant_info = QLabel()
        self.applicant_info.setObjectName("applicant_info")
        self.applicant_info.setWordWrap(True)
        self.applicant_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.applicant_info)
        button = QPushButton(i18n.tr("ui.editor.edit_profile"))
        button.setObjectName("edit_profile")
        button.clicked.connect(lambda: self.edit_organization.emit(""))
        form.addRow(button)
        return scroll_page(page)

    def _task_page(self) -> QWidget:
        page, form = self._form_page()
        self._date(form, "start_date")
        self._date(form, "end_date")
        self._text(form, "place")
        self._text(form, "target_group", multiline=True)
        self._text(form, "summary", multiline=True)
        self._text(form, "need", multiline=True)
        return scroll_page(page)

    def _actions_page(self) -> QWidget:
        self.actions_editor = RowsEditor(self.session, "actions")
        return self.actions_editor

    def _results_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        intro = QLabel(i18n.tr("ui.results.intro"))
        intro.setWordWrap(True)
        form.addRow(intro)
        self._text(form, "results_products", multiline=True)
        self._text(form, "results_change", multiline=True)
        self._text(form, "results_durability", multiline=True)
        layout.addLayout(form)
        self.results_editor = RowsEditor(self.session, "results")
        layout.addWidget(self.results_editor, 1)
        return scroll_page(page)

    def _resources_page(self) -> QWidget:
        page, form = self._form_page()
        self._text(form, "experience", multiline=True)
        self._text(form, "resources", multiline=True)
        self._text(form, "partners", multiline=True)
        return scroll_page(page)

    def _budget_page(self) -> QWidget:
        self.budget_editor = BudgetEditor(self.session)
        # V.A's per-year columns, shown only for a task over several calendar years.
        self.year_values = YearValuesPanel(self.session)
        page = QSplitter(Qt.Orientation.Vertical)
        page.setChildrenCollapsible(False)
        page.addWidget(self.budget_editor)
        page.addWidget(self.year_values)
        page.setStretchFactor(0, 3)
        page.setStretchFactor(1, 1)
        return page

    def _sources_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(i18n.tr("ui.sources.intro"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.sources_table = QLabel()
        self.sources_table.setObjectName("sources_table")
        self.sources_table.setTextFormat(Qt.TextFormat.RichText)
        self.sources_table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sources_table)
        layout.addStretch(1)
        return scroll_page(page)

    def _other_page(self) -> QWidget:
        page, form = self._form_page()
        self._choice(
            form,
            "paid_execution",
            [
                (kind.value, i18n.tr(f"PaidExecution.{kind.value}"))
                for kind in PaidExecution
                if kind
            ],
        )
        self._text(form, "joint_offer_roles", multiline=True)
        self._text(form, "other_information", multiline=True)
        return scroll_page(page)

    def _declarations_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(i18n.tr("ui.declarations.intro"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        arrears = QGroupBox(i18n.tr("ui.declarations.arrears"))
        arrears_form = QFormLayout(arrears)
        arrears_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for field in ("tax_arrears", "social_insurance_arrears"):
            self._choice(
                arrears_form,
                field,
                [(kind.value, i18n.tr(f"ui.{field}.{kind.value}")) for kind in Arrears if kind],
            )
        layout.addWidget(arrears)
        self.declaration_boxes: dict[str, QCheckBox] = {}
        group = QGroupBox(i18n.tr("ui.section.declarations"))
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 1)
        for number, declaration in enumerate(self.session.call.declarations, start=1):
            # A check box does not wrap its text: the declaration is a wrapped label
            # beside it, and clicking the label ticks the box too.
            box = QCheckBox(f"{number}.")
            box.setObjectName(f"declaration_{declaration.id}")
            box.setAccessibleName(declaration.text)
            box.setEnabled(self.session.editable)
            label = _ClickableLabel(declaration.text, box)
            label.setBuddy(box)  # tied: a screen reader says the declaration once
            box.toggled.connect(lambda checked, d=declaration.id: self._declaration(d, checked))
            grid.addWidget(box, number, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, number, 1)
            self.declaration_boxes[declaration.id] = box
            self.field_widgets[f"application.declarations[{number}]"] = box
        layout.addWidget(group)
        layout.addStretch(1)
        return scroll_page(page)

    def _attachments_page(self) -> QWidget:
        self.attachments_editor = AttachmentsEditor(
            self.session, self.attach_requested.emit, self.detach_requested.emit
        )
        return scroll_page(self.attachments_editor)

    def _declaration(self, declaration_id: str, checked: bool) -> None:
        confirmed = [
            d for d in self.session.application.confirmed_declarations if d != declaration_id
        ]
        if checked:
            confirmed.append(declaration_id)
        order = [d.id for d in self.session.call.declarations]
        ordered = tuple(
            sorted(confirmed, key=lambda d: order.index(d) if d in order else len(order))
        )
        self.session.set_field("confirmed_declarations", ordered)

    # --- refreshing ----------------------------------------------------------

    def _changed(self, what: str) -> None:
        application = self.session.application
        self.title_label.setText(application.title or i18n.tr("ui.editor.untitled"))
        for binding in self.bindings:
            binding.refresh()
        confirmed = set(application.confirmed_declarations)
        for declaration_id, box in self.declaration_boxes.items():
            box.blockSignals(True)
            box.setChecked(declaration_id in confirmed)
            box.blockSignals(False)
        self._refresh_applicant()
        self._refresh_sources()
        self._refresh_timer.start()

    def _refresh_applicant(self) -> None:
        org = self.session.organization
        lines = [
            f"<b>{org.name}</b>",
            i18n.tr(f"LegalForm.{org.legal_form.value}"),
            i18n.tr(
                "ui.editor.register_line",
                register=i18n.tr(f"RegisterType.{org.register_type.value}"),
                number=org.register_number or "—",
            ),
            f"NIP: {org.nip or '—'} · REGON: {org.regon or '—'}",
            org.address_line(),
            i18n.tr(
                "ui.editor.represented_by",
                people=", ".join(
                    f"{person.name} ({person.role})" if person.role else person.name
                    for person in org.representatives
                )
                or "—",
            ),
            i18n.tr(
                "ui.editor.contact_line",
                name=org.contact.name or "—",
                phone=org.contact.phone or "—",
                email=org.contact.email or "—",
            ),
        ]
        self.applicant_info.setText("<br>".join(lines))

    def _refresh_sources(self) -> None:
        summary = BudgetSummary(self.session.application.budget, self.session.call)
        self.sources_table.setText(
            share_table_html(share_table(summary), self.session.call.own_contribution_min_percent)
        )

    def refresh_findings(self) -> None:
        """The findings of the sections she has opened (all of them after F7): a new
        application is a list of parts to fill in order, not twenty errors at once."""
        findings = self.session.findings()
        whole = self.checked or not self.session.editable  # a sent version: all of it
        shown = [
            finding
            for finding in findings
            if whole or section_for(finding.field, finding.code) in self.visited
        ]
        self.findings.show_findings(shown, next_part=None if whole else self._next_part(findings))
        mark_sections(
            self.sections,
            findings,
            lambda f: section_for(f.field, f.code),
            None if whole else self.visited,
        )
        mark_fields(self.field_widgets, shown)
        if self.check_result.text():
            self.check_result.setText(self._outlook(findings))  # agrees with the list below

    def _next_part(self, findings: list[Finding]) -> str | None:
        """The first part, in the form's order, not opened yet and with something to fill."""
        waiting = {
            section_for(finding.field, finding.code)
            for finding in findings
            if finding.blocks_submission
        }
        for row, key in enumerate(SECTIONS):
            if key in waiting and key not in self.visited:
                return f"{row + 1}. {i18n.tr(f'ui.section.{key}')}"
        return None

    def _visit(self, row: int) -> None:
        if 0 <= row < len(SECTIONS) and SECTIONS[row] not in self.visited:
            self.visited.add(SECTIONS[row])
            self.refresh_findings()

    def run_check(self) -> None:
        """ "Sprawdź": the full validation now, and its outcome in words."""
        self._flush_typing()
        self.checked = True  # from now on every section's findings are shown
        self.refresh_findings()
        findings = self.session.findings()
        text = self._outlook(findings)
        self.check_result.setText(text)
        announce(self.check_result, text)  # the reader says it, wherever the focus is
        if findings:
            self.findings.list.setCurrentRow(0)
            self.findings.list.setFocus()

    @staticmethod
    def _outlook(findings: list[Finding]) -> str:
        # One sentence that agrees with the findings: never "ready" while the call is shut.
        outlook = submission_outlook(findings)
        if outlook.state == "blocked":
            text = i18n.tr("ui.editor.check_blocked", count=outlook.count)
        elif outlook.state == "waits_for_opening" and outlook.opens_at is not None:
            text = i18n.tr(
                "ui.editor.check_waits_for_opening", opens_at=i18n.format_date(outlook.opens_at)
            )
        else:
            text = i18n.tr("ui.editor.check_ready")
        return text

    def _flush_typing(self) -> None:
        # Every field of the editor: text, dates, and a table cell still open.
        commit_all_typing(self)

    def flush(self) -> None:
        """Save what is being typed (before closing or switching away)."""
        self._flush_typing()

    # --- going to a field ----------------------------------------------------

    def show_section(self, key: str) -> None:
        self.sections.setCurrentRow(SECTIONS.index(key))

    def focus_field(self, path: str) -> None:
        if path.startswith("organization"):
            self.edit_organization.emit(path)
            return
        self.show_section(section_for(path))
        widget = self.field_widgets.get(path)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for editor in (
            self.actions_editor,
            self.results_editor,
            self.budget_editor,
            self.attachments_editor,
        ):
            if editor.focus_field(path):
                return


def _as(kind: type, value: Any) -> Any:
    """A combo's saved value as the field's own type (an enum member, or text)."""
    return kind(value or "")
