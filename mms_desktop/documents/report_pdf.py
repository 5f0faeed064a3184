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
from mms_desktop.documents.fonts import BOLD, REGULAR
from mms_desktop.documents.layout import (
    LABEL_FILL,
    NUMBER_FONT_SIZE,
    TABLE_FONT_SIZE,
    Metadata,
    PageDecor,
    build_pdf,
    cell_text,
    escape_text,
    field_table,
    markup,
    styles,
    table,
    text_box,
    text_paragraphs,
    using_language,
)
from mms_desktop.documents.sections import (
    FormContent,
    form_title,
    leftover_item,
    render_template,
)
from mms_desktop.documents.tables import (
    ATTACHMENT_WIDTHS,
    Cell,
    attachments_table,
    heads,
    notice_box,
    number_cell_commands,
    signatures,
    title_block,
)
from mms_desktop.documents.templates import plain_text, report_template, text_markup
from mms_desktop.domain.application import FundingSource
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.canonical import control_sum
from mms_desktop.domain.form_template import Choice, FormTemplate, Item
from mms_desktop.domain.identifiers import format_krs
from mms_desktop.domain.money import ZERO, format_money, format_number, format_percent
from mms_desktop.domain.organization import Organization, RegisterType
from mms_desktop.domain.report import ActionOutcome, Report, ReportKind, Statement, statement
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.i18n import format_date, tr

# Column widths; each table's add up to the page's width (174 mm).
# Lp. | action | planned dates | outcome | actual dates | what happened | deviations
ACTION_REPORT_WIDTHS = [7 * mm, 30 * mm, 20 * mm, 21 * mm, 20 * mm, 39 * mm, 37 * mm]
# Lp. | result | unit | planned | achieved | achieved % | comment
RESULT_REPORT_WIDTHS = [7 * mm, 46 * mm, 18 * mm, 20 * mm, 20 * mm, 19 * mm, 44 * mm]
# Lp. | cost line (category) | plan / spent | total | one column per source
STATEMENT_WIDTHS = [8 * mm, 38 * mm, 20 * mm] + [18 * mm] * 6
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
KIND_CHOICE = {ReportKind.PARTIAL: 0, ReportKind.FINAL: 1}


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
        template = report_template(call)
        content = FilledReport(report, organization, call, stamp)
        story = form_title(template, content)
        story += content.title_block()
        story += render_template(template, content)
        story += signatures(
            content.signatories(),
            text_markup(template.signature_caption, content.choices),
            plain_text(template.signature_date),
        )
        if stamp is not None:
            story += content.confirmation_page(stamp)
        return build_pdf(story, content.decor(), content.metadata(chosen, template))


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


class FilledReport(FormContent):
    def __init__(
        self,
        report: Report,
        organization: Organization,
        call: CallDefinition,
        stamp: SubmissionStamp | None,
    ) -> None:
        self.report = report
        self.organization = organization
        self.call = call
        self.stamp = stamp
        self.statement: Statement = statement(report)
        self.st = styles()
        self.choices = {Choice.OFFERORS: 0, Choice.REPORT_KIND: KIND_CHOICE.get(report.kind)}
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
        """What the program adds under the form's title: the call, the offer, the status."""
        report = self.report
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
        rows: list[tuple[str, Cell]] = [(tr("pdf.head.call"), self.call.name)]
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
        return title_block(rows, notice)

    def block_head(self, item: Item) -> list[Flowable]:
        """The report's head table: kind, periods, the parties, the contract."""
        report, org = self.report, self.organization
        name = org.name
        if org.short_name and org.short_name != org.name:
            name += f" ({org.short_name})"
        contractor = "\n".join(
            part for part in (name, org.address_line(), self._register()) if part.strip()
        )
        if org.is_informal_group and org.patron is not None and self.call.admits_informal_groups:
            contractor += "\n" + tr("pdf.report.head.patron", patron=org.patron.name)
        values: dict[str, str] = {
            "period": _one_line_range(report.period_start, report.period_end),
            "task_dates": _one_line_range(report.task_start, report.task_end),
            "principal": self._value(self.call.operator),
            "title": self._value(report.title),
            "contractor": contractor,
            "contract_date": format_date(report.contract_date) if report.contract_date else "",
            "contract_number": report.contract_number.strip(),
        }
        rows: list[tuple[str, Cell]] = []
        for row in item.rows:
            label = plain_text(row.label)
            if row.value is not None:
                rows.append((label, markup(text_markup(row.value, self.choices), self.st.cell)))
            else:
                rows.append((label, values.get(row.field, "").strip() or self.empty))
        return [field_table(rows, label_width=58 * mm)]

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

    def metadata(self, language: str, template: FormTemplate) -> Metadata:
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
            created=self.stamp.submitted_at if self.stamp else None,
        )

    def signatories(self) -> list[tuple[str, str]]:
        """The people who sign: as on the application (representatives, or the group and Patron)."""
        org = self.organization
        people = [(person.name, person.role) for person in org.representatives if person.name]
        group = org.is_informal_group and self.call.admits_informal_groups
        if not people and group:
            people = [(person.name, person.role) for person in org.members if person.name]
        if group and org.patron and org.patron.representative:
            role = tr("pdf.signature.patron", patron=org.patron.name)
            people.append((org.patron.representative, role))
        return people or [("", ""), ("", "")]

    # --- part I: what was done ----------------------------------------------------

    def block_results_achieved(self, item: Item) -> list[Flowable]:
        """What was achieved: the volunteer's description, then each result against the plan."""
        return [*self._text(self.report.summary), *self.results_table(item)]

    def block_actions_done(self, item: Item) -> list[Flowable]:
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
        head = self._column_heads(item)
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

    def _column_heads(self, item: Item) -> list[Cell]:
        return heads([text_markup(c, self.choices) for c in item.columns], self.st.cell_head_small)

    def results_table(self, item: Item) -> list[Flowable]:
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
        head = self._column_heads(item)
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

    def block_statement(self, item: Item) -> list[Flowable]:
        return self.statement_table(item)

    def block_sources_report(self, item: Item) -> list[Flowable]:
        return self.sources_table(item)

    def block_documents(self, item: Item) -> list[Flowable]:
        return self.documents_table()

    def block_volunteers(self, item: Item) -> list[Flowable]:
        return self.volunteers_table()

    def block_in_kind(self, item: Item) -> list[Flowable]:
        return self.in_kind_table()

    def block_other_revenues(self, item: Item) -> list[Flowable]:
        return self._text(self.report.other_revenues, tr("pdf.not_applicable"))

    def block_recipient_payments(self, item: Item) -> list[Flowable]:
        return self._text(self.report.recipient_payments, tr("pdf.not_applicable"))

    def block_other_information(self, item: Item) -> list[Flowable]:
        return self._text(self.report.other_information, tr("pdf.not_applicable"))

    def block_attachments(self, item: Item) -> list[Flowable]:
        return self.attachments_list()

    def leftovers(self, placed: set[str]) -> list[tuple[str, Item]]:
        """The report's tables the form has no point for, when they hold anything."""
        report = self.report
        present = {
            "documents": bool(report.documents),
            "volunteers": bool(report.volunteer_work),
            "in_kind": bool(report.in_kind),
            "attachments": bool(report.attachments),
        }
        return [
            (name, leftover_item(name))
            for name, has_data in present.items()
            if has_data and name not in placed
        ]

    def statement_table(self, point: Item) -> list[Flowable]:
        summary, call, widths = self.statement, self.call, STATEMENT_WIDTHS
        if not summary.lines and not summary.unassigned_total:
            return self._note(tr("pdf.report.statement.none"))
        labels = {row.field: plain_text(row.label) for row in point.rows}
        planned, spent = labels.get("planned", ""), labels.get("spent", "")
        rows: list[list[Cell]] = []
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
            ("FONTSIZE", (2, 1), (2, -1), ROW_LABEL_FONT_SIZE),
            ("FONTSIZE", (3, 1), (-1, -1), NUMBER_FONT_SIZE),
        ]
        # One row per cost line, plan over spending in each cell: no spans to
        # keep the two together (spans and no-split ranges cost reportlab
        # quadratic time on every page break of a 200-line statement).
        both = f"{planned}\n{spent}"
        for item in summary.lines:
            category = call.category(item.line.category_id)
            category_name = category.name if category else item.line.category_id
            text = cell_text(item.line.name or "—", widths[1])
            if category_name:
                text += "\n" + cell_text(f"({category_name})", widths[1])
            rows.append(
                [
                    str(item.number),
                    text,
                    both,
                    f"{format_number(item.planned_total)}\n{format_number(item.spent_total)}",
                    *(
                        f"{_amount(item.planned[source])}\n{_amount(item.spent[source])}"
                        for source in FundingSource
                    ),
                ]
            )
        if summary.unassigned_total:
            rows.append(
                [
                    "–",
                    cell_text(labels.get("unassigned", ""), widths[1]),
                    spent,
                    format_number(summary.unassigned_total),
                    *(_amount(summary.unassigned[source]) for source in FundingSource),
                ]
            )
        total = len(rows) + 1
        planned_by_source, spent_by_source = summary.planned_by_source, summary.spent_by_source
        rows.append(
            [
                "",
                labels.get("total", ""),
                both,
                f"{format_number(summary.planned_total)}\n{format_number(summary.spent_total)}",
                *(
                    f"{format_number(planned_by_source[source])}\n"
                    f"{format_number(spent_by_source[source])}"
                    for source in FundingSource
                ),
            ]
        )
        # No spans in a long table: reportlab works every span out again on
        # each page break. The totals' label stands in the name column.
        commands += _summary_row_commands(total)
        commands += number_cell_commands(rows, range(3, 9), widths, 1, bold_rows=(total - 1,))
        head = self._column_heads(point)
        return [table([head, *rows], widths, commands, header_rows=1)]

    def sources_table(self, item: Item) -> list[Flowable]:
        summary, widths = self.statement, SOURCE_REPORT_WIDTHS
        planned_total, spent_total = summary.planned_total, summary.spent_total

        def share(amount: Decimal, total: Decimal) -> str:
            return format_percent(amount * 100 / total if total else Decimal(0), 2)

        def amounts(by_source: dict[FundingSource, Decimal], total: Decimal) -> dict[str, Decimal]:
            non_financial = (
                by_source[FundingSource.OWN_PERSONAL] + by_source[FundingSource.OWN_IN_KIND]
            )
            return {
                "total": total,
                "grant": by_source[FundingSource.GRANT],
                "own": by_source[FundingSource.OWN_FINANCIAL] + non_financial,
                "own_financial": by_source[FundingSource.OWN_FINANCIAL],
                "own_non_financial": non_financial,
                "participants": by_source[FundingSource.PARTICIPANTS],
            }

        planned = amounts(summary.planned_by_source, planned_total)
        spent = amounts(summary.spent_by_source, spent_total)
        bold = (0,)  # the sum of all costs
        rows: list[list[Cell]] = [
            [
                row.number,
                cell_text(plain_text(row.label), widths[1], BOLD if index in bold else REGULAR),
                format_number(planned.get(row.field, ZERO)),
                share(planned.get(row.field, ZERO), planned_total),
                format_number(spent.get(row.field, ZERO)),
                share(spent.get(row.field, ZERO), spent_total),
            ]
            for index, row in enumerate(item.rows)
        ]
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ]
        commands += number_cell_commands(rows, (2, 3, 4, 5), widths, 1, bold, TABLE_FONT_SIZE)
        for index in bold:
            commands += _summary_row_commands(index + 1)
        head = self._column_heads(item)
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
        # The totals' label in the issuer column: no span in a long table.
        rows.append(["", "", tr("pdf.report.total"), "", *(format_number(t) for t in totals), ""])
        last = len(rows)
        commands: list[tuple[Any, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (3, -1), "CENTER"),
            ("ALIGN", (4, 1), (7, -1), "RIGHT"),
            ("FONTSIZE", (4, 1), (-1, -1), NUMBER_FONT_SIZE),
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
