"""The printable report (sprawozdanie z wykonania zadania publicznego), filled in.

``report_pdf`` lays out one report of one organisation for one call, in the
order of the statutory report (Dz.U. 2018 poz. 2057, annex 5; the simplified
art. 19a report is alike): what was done, action by action, and the results
against the plan; the statement of expenditure per cost line and source, the
accounting documents, the volunteers' work and the in-kind contribution; other
information and the attachments; the declarations and signatures. As on the
printed application, every page says either that it is a draft (no stamp) or
carries the control sum of the submitted version, which also ends with a
confirmation page and a QR code of the submission id and hash. Every amount
comes from the domain objects, so the printed totals add up to the grosz.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from mms_desktop import i18n
from mms_desktop.documents import tables
from mms_desktop.documents.application_pdf import (
    attachment_size,
    format_date_range,
    format_quantity,
    short_hash,
)
from mms_desktop.documents.fonts import BOLD
from mms_desktop.documents.layout import (
    INK,
    LABEL_FILL,
    NUMBER_FONT_SIZE,
    TABLE_FONT_SIZE,
    Metadata,
    PageDecor,
    build_pdf,
    cell_text,
    escape_text,
    markup,
    section_heading,
    styles,
    subheading,
    subsection_label,
    table,
    text_box,
    text_paragraphs,
    using_language,
)
from mms_desktop.documents.tables import (
    ATTACHMENT_WIDTHS,
    Cell,
    attachments_table,
    notice_box,
    number_cell_commands,
    signatures,
    title_block,
)
from mms_desktop.domain.application import FundingSource
from mms_desktop.domain.call import CallDefinition, FormKind
from mms_desktop.domain.canonical import control_sum
from mms_desktop.domain.identifiers import format_krs
from mms_desktop.domain.money import ZERO, format_money, format_number, format_percent
from mms_desktop.domain.organization import Organization, RegisterType
from mms_desktop.domain.report import ActionOutcome, Report, Statement, statement
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.i18n import format_date, tr

# Column widths; each table's add up to the page's width (174 mm).
# Lp. | action | planned dates | outcome | actual dates | what happened | deviations
ACTION_REPORT_WIDTHS = [7 * mm, 30 * mm, 20 * mm, 21 * mm, 20 * mm, 39 * mm, 37 * mm]
# Lp. | result | unit | planned | achieved | achieved % | comment
RESULT_REPORT_WIDTHS = [7 * mm, 46 * mm, 18 * mm, 20 * mm, 20 * mm, 19 * mm, 44 * mm]
# Lp. | cost line (category) | plan / spent | total | one column per source
STATEMENT_WIDTHS = [8 * mm, 42 * mm, 16 * mm] + [18 * mm] * 6
# Lp. | source | planned | share | spent | share
SOURCE_REPORT_WIDTHS = [8 * mm, 70 * mm, 28 * mm, 20 * mm, 28 * mm, 20 * mm]
# Lp. | number and issue date | issuer, description | line | amount | grant | own
# financial | participants | payment date
DOCUMENT_WIDTHS = [7 * mm, 25 * mm, 38 * mm, 11 * mm] + [18.5 * mm] * 4 + [19 * mm]
# Lp. | who | people | hours | hourly value | value | action | line
VOLUNTEER_WIDTHS = [7 * mm, 62 * mm, 15 * mm, 17 * mm, 19 * mm, 20 * mm, 16 * mm, 18 * mm]
# Lp. | description | value | action | line
IN_KIND_WIDTHS = [7 * mm, 101 * mm, 24 * mm, 20 * mm, 22 * mm]
ROW_LABEL_FONT_SIZE = 7

DECLARATIONS = (
    "pdf.report.declaration.legal_status",
    "pdf.report.declaration.information",
    "pdf.report.declaration.procurement",
    "pdf.report.declaration.costs_incurred",
    "pdf.report.declaration.personal_data",
)


def report_pdf(
    report: Report,
    organization: Organization,
    call: CallDefinition,
    stamp: SubmissionStamp | None,
    *,
    language: str | None = None,
) -> bytes:
    """The report as a PDF: a draft without ``stamp``, the submitted version with one.

    ``language``: the catalog's language for the printout (default: the current one).
    """
    chosen = language or i18n.language()
    with using_language(chosen):
        content = FilledReport(report, organization, call, stamp)
        story = content.title_block()
        story += content.part_substance()
        story += content.part_finance()
        story += content.part_other()
        story += content.declarations()
        story += signatures(content.signatories(), tr("pdf.report.signature.heading"))
        if stamp is not None:
            story += content.confirmation_page(stamp)
        return build_pdf(story, content.decor(), content.metadata(chosen))


def _amount(value: Decimal) -> str:
    """An amount in a table's line: a dash for nothing, as statements print it."""
    return format_number(value) if value else "–"


def _reference(number: int | None) -> str:
    """A cost line's or an action's number, or a dash when none is given."""
    return str(number) if number is not None else "–"


def _one_line_range(start: date | None, end: date | None) -> str:
    return format_date_range(start, end).replace("\n", " ")


def _heads(keys: Sequence[str]) -> list[Cell]:
    st = styles()
    return [markup(escape_text(tr(key)), st.cell_head_small) for key in keys]


def _summary_row_commands(row: int, last: int | None = None) -> list[tuple[Any, ...]]:
    """Grey and bold for a totals row (``row`` to ``last``, table coordinates)."""
    end = row if last is None else last
    return [
        ("BACKGROUND", (0, row), (-1, end), LABEL_FILL),
        ("FONTNAME", (0, row), (-1, end), BOLD),
    ]


@dataclass
class FilledReport:
    report: Report
    organization: Organization
    call: CallDefinition
    stamp: SubmissionStamp | None

    def __post_init__(self) -> None:
        self.statement: Statement = statement(self.report)
        self.st = styles()
        # A submitted report writes „nie dotyczy” in what it left empty; a draft
        # shows what is still to be filled in.
        self.empty = tr("pdf.not_applicable" if self.stamp else "pdf.not_filled")

    # --- helpers ------------------------------------------------------------

    def _text(self, text: str, empty: str | None = None) -> list[Flowable]:
        paragraphs = text_paragraphs(text)
        if not paragraphs:
            paragraphs = [markup(escape_text(empty or self.empty), self.st.note)]
        return [text_box(paragraphs)]

    def _note(self, text: str) -> list[Flowable]:
        return [text_box([markup(escape_text(text), self.st.body)])]

    def _value(self, text: str) -> str:
        return text.strip() or "—"

    def kind_name(self) -> str:
        return tr(f"pdf.report.kind.{self.report.kind.value}")

    # --- title, decoration, metadata -------------------------------------------

    def title_block(self) -> list[Flowable]:
        report, org, call = self.report, self.organization, self.call
        if self.stamp is None:
            status = tr("pdf.status.draft")
            notice = [notice_box([tr("pdf.draft.banner"), tr("pdf.report.draft.explanation")])]
        else:
            status = tr(
                "pdf.report.status.submitted",
                time=tables.submission_time(self.stamp),
                version=self.stamp.version_number,
                control_sum=self.stamp.control_sum,
            )
            notice = []
        name = org.name
        if org.short_name and org.short_name != org.name:
            name += f" ({org.short_name})"
        rows: list[tuple[str, Cell]] = [
            (tr("pdf.head.call"), call.name),
            (tr("pdf.head.program"), self._value(call.program)),
            (tr("pdf.head.operator"), self._value(call.operator)),
            (tr("pdf.report.head.task_title"), self._value(report.title)),
            (tr("pdf.report.head.organization"), self._value(name)),
            (tr("pdf.org.legal_form"), tr(f"LegalForm.{org.legal_form.value}")),
            (tr("pdf.org.address"), self._value(org.address_line())),
            (tr("pdf.org.register"), self._register()),
            (tr("pdf.org.nip"), self._value(org.nip)),
            (tr("pdf.org.regon"), self._value(org.regon)),
        ]
        if org.is_informal_group and org.patron is not None:
            rows.append((tr("pdf.group.patron"), self._value(org.patron.name)))
        rows += [
            (
                tr("pdf.report.head.task_dates"),
                _one_line_range(report.task_start, report.task_end),
            ),
            (
                tr("pdf.report.head.period"),
                _one_line_range(report.period_start, report.period_end),
            ),
        ]
        if report.application_sha256:
            rows.append(
                (
                    tr("pdf.report.head.application"),
                    tr(
                        "pdf.report.head.application_value",
                        control_sum=control_sum(report.application_sha256),
                    ),
                )
            )
        rows.append((tr("pdf.head.status"), status))
        title = tr(f"pdf.report.title.{report.kind.value}")
        basis_key = (
            "pdf.report.basis.simplified"
            if call.form is FormKind.SIMPLIFIED
            else "pdf.report.basis.full"
        )
        return title_block(call, rows, notice, title=title, basis=tr(basis_key))

    def _register(self) -> str:
        org = self.organization
        register = tr(f"RegisterType.{org.register_type.value}")
        if org.register_type is RegisterType.NONE:
            return register
        number = (
            format_krs(org.register_number)
            if org.register_type is RegisterType.KRS
            else org.register_number
        )
        return f"{register}: {number.strip() or '—'}"

    def decor(self) -> PageDecor:
        header = " · ".join(
            part for part in (self.kind_name(), self.organization.name, self.report.title) if part
        )
        return tables.page_decor(header, self.stamp)

    def metadata(self, language: str) -> Metadata:
        keywords = (self.stamp.control_sum,) if self.stamp else (tr("pdf.draft.header"),)
        title = self.kind_name()
        if self.report.title.strip():
            title += f": {self.report.title.strip()}"
        return Metadata(
            title=title,
            author=self.organization.name,
            subject=self.call.name,
            keywords=keywords,
            language=language,
        )

    def signatories(self) -> list[tuple[str, str]]:
        """The people who sign: as on the application (representatives, or the group and Patron)."""
        org = self.organization
        people = [(person.name, person.role) for person in org.representatives if person.name]
        if not people and org.is_informal_group:
            people = [(person.name, person.role) for person in org.members if person.name]
        if org.is_informal_group and org.patron and org.patron.representative:
            role = tr("pdf.signature.patron", patron=org.patron.name)
            people.append((org.patron.representative, role))
        return people or [("", ""), ("", "")]

    # --- part I: what was done ----------------------------------------------------

    def part_substance(self) -> list[Flowable]:
        return [
            section_heading("I.", tr("pdf.report.part.substance")),
            subsection_label("1.", tr("pdf.report.summary")),
            *self._text(self.report.summary),
            subsection_label("2.", tr("pdf.report.actions")),
            *self.actions_table(),
            subsection_label("3.", tr("pdf.report.results")),
            *self.results_table(),
        ]

    def actions_table(self) -> list[Flowable]:
        widths = ACTION_REPORT_WIDTHS
        rows: list[list[Cell]] = []
        for number, action in enumerate(self.report.actions, start=1):
            outcome = _outcome_name(action.outcome)
            rows.append(
                [
                    str(number),
                    cell_text(action.name or "—", widths[1], BOLD),
                    format_date_range(action.planned_start, action.planned_end),
                    cell_text(outcome, widths[3]),
                    format_date_range(action.start_date, action.end_date)
                    if action.start_date or action.end_date
                    else "—",
                    cell_text(action.description or "—", widths[5]),
                    cell_text(action.deviations or "—", widths[6]),
                ]
            )
        if not rows:
            return self._note(tr("pdf.report.actions.none"))
        head = _heads(
            [
                "pdf.col.number",
                "pdf.plan.name",
                "pdf.report.actions.planned",
                "pdf.report.actions.outcome",
                "pdf.report.actions.actual",
                "pdf.report.actions.description",
                "pdf.report.actions.deviations",
            ]
        )
        return [
            table(
                [head, *rows],
                widths,
                [
                    ("ALIGN", (0, 1), (0, -1), "CENTER"),
                    ("FONTNAME", (1, 1), (1, -1), BOLD),
                ],
                header_rows=1,
                split_in_row=True,
            )
        ]

    def results_table(self) -> list[Flowable]:
        widths = RESULT_REPORT_WIDTHS
        rows: list[list[Cell]] = []
        for number, result in enumerate(self.report.results, start=1):
            percent = result.achieved_percent
            rows.append(
                [
                    str(number),
                    cell_text(result.name or "—", widths[1]),
                    cell_text(result.unit or "—", widths[2]),
                    _quantity(result.planned_value),
                    _quantity(result.achieved_value),
                    format_percent(percent) if percent is not None else "—",
                    cell_text(result.comment or "—", widths[6]),
                ]
            )
        if not rows:
            return self._note(tr("pdf.report.results.none"))
        head = _heads(
            [
                "pdf.col.number",
                "pdf.results.name",
                "pdf.report.results.unit",
                "pdf.report.results.planned",
                "pdf.report.results.achieved",
                "pdf.report.results.percent",
                "pdf.report.results.comment",
            ]
        )
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (5, -1), "RIGHT"),
        ]
        commands += number_cell_commands(rows, (3, 4, 5), widths, 1, font_size=TABLE_FONT_SIZE)
        story: list[Flowable] = [
            table([head, *rows], widths, commands, header_rows=1, split_in_row=True)
        ]
        threshold = self.call.report_results_threshold_percent
        if threshold is not None:
            story.append(Spacer(1, 1 * mm))
            story.append(
                markup(
                    escape_text(
                        tr("pdf.report.results.threshold", threshold=format_percent(threshold, 0))
                    ),
                    self.st.note,
                )
            )
        return story

    # --- part II: the money ---------------------------------------------------------

    def part_finance(self) -> list[Flowable]:
        return [
            section_heading("II.", tr("pdf.report.part.finance")),
            subsection_label("1.", tr("pdf.report.statement")),
            *self.statement_table(),
            Spacer(1, 2 * mm),
            subheading(tr("pdf.report.sources")),
            *self.sources_table(),
            subsection_label("2.", tr("pdf.report.documents")),
            *self.documents_table(),
            subsection_label("3.", tr("pdf.report.volunteers")),
            *self.volunteers_table(),
            subsection_label("4.", tr("pdf.report.in_kind")),
            *self.in_kind_table(),
        ]

    def statement_table(self) -> list[Flowable]:
        summary, call, widths = self.statement, self.call, STATEMENT_WIDTHS
        if not summary.lines and not summary.unassigned_total:
            return self._note(tr("pdf.report.statement.none"))
        planned, spent = tr("pdf.report.statement.planned"), tr("pdf.report.statement.spent")
        rows: list[list[Cell]] = []
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
            ("FONTSIZE", (2, 1), (2, -1), ROW_LABEL_FONT_SIZE),
            ("FONTSIZE", (3, 1), (-1, -1), NUMBER_FONT_SIZE),
        ]
        for item in summary.lines:
            first = len(rows) + 1  # below the header
            category = call.category(item.line.category_id)
            category_name = category.name if category else item.line.category_id
            text = cell_text(item.line.name or "—", widths[1])
            if category_name:
                text += "\n" + cell_text(f"({category_name})", widths[1])
            rows.append(
                [
                    str(item.number),
                    text,
                    planned,
                    format_number(item.planned_total),
                    *(_amount(item.planned[source]) for source in FundingSource),
                ]
            )
            rows.append(
                [
                    "",
                    "",
                    spent,
                    format_number(item.spent_total),
                    *(_amount(item.spent[source]) for source in FundingSource),
                ]
            )
            commands += [
                ("SPAN", (0, first), (0, first + 1)),
                ("SPAN", (1, first), (1, first + 1)),
                ("NOSPLIT", (0, first), (-1, first + 1)),
                ("LINEABOVE", (2, first + 1), (-1, first + 1), 0.25, INK, None, (1, 1.5)),
            ]
        if summary.unassigned_total:
            rows.append(
                [
                    "–",
                    cell_text(tr("pdf.report.statement.unassigned"), widths[1]),
                    spent,
                    format_number(summary.unassigned_total),
                    *(_amount(summary.unassigned[source]) for source in FundingSource),
                ]
            )
        total = len(rows) + 1
        planned_by_source, spent_by_source = summary.planned_by_source, summary.spent_by_source
        rows.append(
            [
                tr("pdf.report.total"),
                "",
                planned,
                format_number(summary.planned_total),
                *(format_number(planned_by_source[source]) for source in FundingSource),
            ]
        )
        rows.append(
            [
                "",
                "",
                spent,
                format_number(summary.spent_total),
                *(format_number(spent_by_source[source]) for source in FundingSource),
            ]
        )
        commands += [
            ("SPAN", (0, total), (1, total + 1)),
            ("ALIGN", (0, total), (1, total + 1), "LEFT"),
            ("NOSPLIT", (0, total), (-1, total + 1)),
            *_summary_row_commands(total, total + 1),
        ]
        commands += number_cell_commands(rows, range(3, 9), widths, 1, bold_rows=(total - 1, total))
        head = _heads(
            [
                "pdf.report.col.line",
                "pdf.report.statement.line",
                "pdf.report.statement.total",
                *(f"pdf.report.statement.column.{source.value}" for source in FundingSource),
            ]
        )
        head.insert(2, "")  # over "plan" / "wykonanie"
        return [table([head, *rows], widths, commands, header_rows=1)]

    def sources_table(self) -> list[Flowable]:
        summary, widths = self.statement, SOURCE_REPORT_WIDTHS
        planned_by_source, spent_by_source = summary.planned_by_source, summary.spent_by_source
        planned_total, spent_total = summary.planned_total, summary.spent_total

        def share(amount: Decimal, total: Decimal) -> str:
            return format_percent(amount * 100 / total if total else Decimal(0), 2)

        def row(number: str, label: str, planned: Decimal, spent: Decimal) -> list[Cell]:
            return [
                number,
                cell_text(label, widths[1]),
                format_number(planned),
                share(planned, planned_total),
                format_number(spent),
                share(spent, spent_total),
            ]

        rows = [
            row(
                f"{number}.",
                tr(f"pdf.report.source.{source.value}"),
                planned_by_source[source],
                spent_by_source[source],
            )
            for number, source in enumerate(FundingSource, start=1)
        ]
        count = len(rows)
        own_planned = sum(
            (value for source, value in planned_by_source.items() if source.is_own_contribution),
            ZERO,
        )
        own_spent = sum(
            (value for source, value in spent_by_source.items() if source.is_own_contribution),
            ZERO,
        )
        rows.append(
            row(f"{count + 1}.", tr("pdf.source.own_total", last=count), own_planned, own_spent)
        )
        rows.append(row(f"{count + 2}.", tr("pdf.report.source.total"), planned_total, spent_total))
        bold = (count, count + 1)
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ]
        commands += number_cell_commands(rows, (2, 3, 4, 5), widths, 1, bold, TABLE_FONT_SIZE)
        for index in bold:
            commands += _summary_row_commands(index + 1)
        head = _heads(
            [
                "pdf.col.number",
                "pdf.sources.source",
                "pdf.report.sources.planned",
                "pdf.report.sources.planned_share",
                "pdf.report.sources.spent",
                "pdf.report.sources.spent_share",
            ]
        )
        story: list[Flowable] = [table([head, *rows], widths, commands, header_rows=1)]
        unspent = summary.grant_unspent
        if unspent > 0:
            story += [
                Spacer(1, 2 * mm),
                notice_box([tr("pdf.report.grant_unspent", amount=format_money(unspent))]),
            ]
        elif unspent < 0:
            story += [
                Spacer(1, 2 * mm),
                notice_box([tr("pdf.report.grant_overspent", amount=format_money(-unspent))]),
            ]
        return story

    def documents_table(self) -> list[Flowable]:
        report, widths = self.report, DOCUMENT_WIDTHS
        rows: list[list[Cell]] = []
        totals = [ZERO, ZERO, ZERO, ZERO]
        for number, document in enumerate(report.documents, start=1):
            issued = format_date(document.issue_date) if document.issue_date else "—"
            who = cell_text(document.issuer or "—", widths[2])
            if document.description.strip():
                who += "\n" + cell_text(document.description, widths[2])
            amounts = (
                document.amount,
                document.grant,
                document.own_financial,
                document.participants,
            )
            totals = [total + amount for total, amount in zip(totals, amounts, strict=True)]
            rows.append(
                [
                    str(number),
                    cell_text(document.number or "—", widths[1]) + "\n" + issued,
                    who,
                    _reference(report.line_number(document.line_id)),
                    format_number(document.amount),
                    *(_amount(amount) for amount in amounts[1:]),
                    format_date(document.payment_date) if document.payment_date else "—",
                ]
            )
        if not rows:
            return self._note(tr("pdf.report.documents.none"))
        rows.append([tr("pdf.report.total"), "", "", "", *(format_number(t) for t in totals), ""])
        last = len(rows)
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (3, -1), "CENTER"),
            ("ALIGN", (4, 1), (7, -1), "RIGHT"),
            ("FONTSIZE", (4, 1), (-1, -1), NUMBER_FONT_SIZE),
            ("SPAN", (0, last), (3, last)),
            ("ALIGN", (0, last), (3, last), "LEFT"),
            *_summary_row_commands(last),
        ]
        commands += number_cell_commands(rows, (4, 5, 6, 7, 8), widths, 1, bold_rows=(last - 1,))
        head = _heads(
            [
                "pdf.col.number",
                "pdf.report.documents.number",
                "pdf.report.documents.issuer",
                "pdf.report.col.line",
                "pdf.report.documents.amount",
                "pdf.costs.grant",
                "pdf.report.documents.own_financial",
                "pdf.report.documents.participants",
                "pdf.report.documents.payment_date",
            ]
        )
        return [table([head, *rows], widths, commands, header_rows=1, split_in_row=True)]

    def volunteers_table(self) -> list[Flowable]:
        report, widths = self.report, VOLUNTEER_WIDTHS
        rows: list[list[Cell]] = []
        hours, value = Decimal(0), ZERO
        for number, work in enumerate(report.volunteer_work, start=1):
            hours += work.hours
            value += work.value
            rows.append(
                [
                    str(number),
                    cell_text(work.who or "—", widths[1]),
                    str(work.people),
                    format_quantity(work.hours),
                    format_number(work.hourly_value),
                    format_number(work.value),
                    _reference(report.action_number(work.action_id)),
                    _reference(report.line_number(work.line_id)),
                ]
            )
        if not rows:
            return self._note(tr("pdf.report.volunteers.none"))
        rows.append(
            [
                tr("pdf.report.total"),
                "",
                "",
                format_quantity(hours),
                "",
                format_number(value),
                "",
                "",
            ]
        )
        last = len(rows)
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (2, 1), (5, -1), "RIGHT"),
            ("ALIGN", (6, 1), (7, -1), "CENTER"),
            ("FONTSIZE", (3, 1), (5, -1), NUMBER_FONT_SIZE),
            ("SPAN", (0, last), (2, last)),
            ("ALIGN", (0, last), (2, last), "LEFT"),
            *_summary_row_commands(last),
        ]
        commands += number_cell_commands(rows, (3, 4, 5), widths, 1, bold_rows=(last - 1,))
        head = _heads(
            [
                "pdf.col.number",
                "pdf.report.volunteers.who",
                "pdf.report.volunteers.people",
                "pdf.report.volunteers.hours",
                "pdf.report.volunteers.hourly_value",
                "pdf.report.volunteers.value",
                "pdf.costs.action",
                "pdf.report.col.line",
            ]
        )
        return [table([head, *rows], widths, commands, header_rows=1, split_in_row=True)]

    def in_kind_table(self) -> list[Flowable]:
        report, widths = self.report, IN_KIND_WIDTHS
        rows: list[list[Cell]] = []
        value = ZERO
        for number, item in enumerate(report.in_kind, start=1):
            value += item.value
            rows.append(
                [
                    str(number),
                    cell_text(item.description or "—", widths[1]),
                    format_number(item.value),
                    _reference(report.action_number(item.action_id)),
                    _reference(report.line_number(item.line_id)),
                ]
            )
        if not rows:
            return self._note(tr("pdf.report.in_kind.none"))
        rows.append([tr("pdf.report.total"), "", format_number(value), "", ""])
        last = len(rows)
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (2, 1), (2, -1), "RIGHT"),
            ("ALIGN", (3, 1), (4, -1), "CENTER"),
            ("FONTSIZE", (2, 1), (2, -1), NUMBER_FONT_SIZE),
            ("SPAN", (0, last), (1, last)),
            ("ALIGN", (0, last), (1, last), "LEFT"),
            *_summary_row_commands(last),
        ]
        commands += number_cell_commands(rows, (2,), widths, 1, bold_rows=(last - 1,))
        head = _heads(
            [
                "pdf.col.number",
                "pdf.report.in_kind.description",
                "pdf.report.volunteers.value",
                "pdf.costs.action",
                "pdf.report.col.line",
            ]
        )
        return [table([head, *rows], widths, commands, header_rows=1, split_in_row=True)]

    # --- part III: other information, attachments -----------------------------------

    def part_other(self) -> list[Flowable]:
        return [
            section_heading("III.", tr("pdf.report.part.other")),
            subsection_label("1.", tr("pdf.report.other")),
            *self._text(self.report.other_information, tr("pdf.not_applicable")),
            subsection_label("2.", tr("pdf.report.attachments")),
            *self.attachments_list(),
        ]

    def attachments_list(self) -> list[Flowable]:
        """Each file with its description, size and the first 64 bits of its hash."""
        attachments = self.report.attachments
        if not attachments:
            return self._note(tr("pdf.attachments.none"))
        widths = ATTACHMENT_WIDTHS
        rows: list[list[Cell]] = [
            [
                str(number),
                cell_text(item.name, widths[1]),
                cell_text(item.description or "—", widths[2]),
                attachment_size(item.size),
                short_hash(item.sha256),
            ]
            for number, item in enumerate(attachments, start=1)
        ]
        return [attachments_table(rows, "pdf.report.attachments.description")]

    # --- declarations ---------------------------------------------------------------

    def declarations(self) -> list[Flowable]:
        st = self.st
        paragraphs: list[Flowable] = [
            markup(escape_text(tr("pdf.report.declarations.intro")), st.body)
        ]
        paragraphs += [
            markup(f"{number})&nbsp;{escape_text(tr(key))}", st.body)
            for number, key in enumerate(DECLARATIONS, start=1)
        ]
        return [section_heading("IV.", tr("pdf.report.declarations")), text_box(paragraphs)]

    # --- the confirmation page ------------------------------------------------------

    def confirmation_page(self, stamp: SubmissionStamp) -> list[Flowable]:
        report, summary = self.report, self.statement
        rows: list[tuple[str, Cell]] = [
            (tr("pdf.report.head.organization"), self.organization.name),
            (tr("pdf.head.call"), self.call.name),
            (tr("pdf.head.operator"), self._value(self.call.operator)),
            (tr("pdf.confirmation.task_title"), self._value(report.title)),
            (tr("pdf.report.head.kind"), self.kind_name()),
            (
                tr("pdf.report.head.period"),
                _one_line_range(report.period_start, report.period_end),
            ),
            (
                tr("pdf.report.confirmation.grant_spent"),
                format_money(summary.spent_by_source[FundingSource.GRANT]),
            ),
            (tr("pdf.report.confirmation.spent_total"), format_money(summary.spent_total)),
            (tr("pdf.confirmation.submitted_at"), tables.submission_time(stamp)),
            (tr("pdf.confirmation.version"), str(stamp.version_number)),
            (tr("pdf.confirmation.submission_id"), stamp.submission_id),
        ]
        return tables.confirmation_page(
            tr("pdf.report.confirmation.title"), tr("pdf.report.confirmation.subtitle"), rows, stamp
        )


def _outcome_name(outcome: ActionOutcome | None) -> str:
    return tr(f"pdf.report.outcome.{outcome.value if outcome else 'none'}")


def _quantity(value: Decimal | None) -> str:
    return format_quantity(value) if value is not None else "—"
