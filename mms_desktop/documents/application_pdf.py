"""The printable application: the statutory offer's layout, filled in.

``application_pdf`` lays out one application of one organisation for one call.
Section labels and their order are the call's; amounts are Polish-style;
every page says either that it is a draft (no stamp) or carries the control
sum of the submitted version, which also ends with a confirmation page and a
QR code of the submission id and hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from mms_desktop.documents import tables
from mms_desktop.documents.fonts import BOLD
from mms_desktop.documents.layout import (
    CONTENT_WIDTH,
    LABEL_FILL,
    Metadata,
    PageDecor,
    build_pdf,
    cell_text,
    escape_text,
    field_table,
    markup,
    section_heading,
    styles,
    subheading,
    table,
    text_box,
    text_paragraphs,
    using_language,
)
from mms_desktop.documents.sections import FormContent, render_sections
from mms_desktop.documents.tables import (
    ACTION_WIDTHS,
    ATTACHMENT_WIDTHS,
    COST_WIDTHS,
    DECLARATION_WIDTHS,
    MEMBER_WIDTHS,
    RESULT_WIDTHS,
    CostRows,
    actions_table,
    attachments_table,
    costs_table,
    declarations_table,
    form_title,
    members_table,
    notice_box,
    results_table,
    signatures,
    sources_table,
    title_block,
)
from mms_desktop.domain.application import Application, AttachmentRef, FundingSource
from mms_desktop.domain.budget import BudgetSummary
from mms_desktop.domain.call import CallDefinition, CostGroup
from mms_desktop.domain.identifiers import format_bank_account, format_krs
from mms_desktop.domain.money import ZERO, format_money, format_number, format_percent
from mms_desktop.domain.organization import Organization, RegisterType
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.i18n import format_date, tr

GROUP_NUMBERS = {CostGroup.ACTIONS: "I.", CostGroup.ADMIN: "II."}


def application_pdf(
    application: Application,
    organization: Organization,
    call: CallDefinition,
    stamp: SubmissionStamp | None = None,
    *,
    language: str = "pl",
) -> bytes:
    """The offer as a PDF: a draft without ``stamp``, the submitted version with one."""
    with using_language(language):
        content = FilledForm(application, organization, call, stamp)
        story = content.title_block()
        story += render_sections(call, content)
        story += content.attachments_list()
        story += signatures(content.signatories())
        if stamp is not None:
            story += content.confirmation_page(stamp)
        return build_pdf(story, content.decor(), content.metadata(language))


def format_quantity(value: Decimal) -> str:
    """``24`` → ``24``, ``1.50`` → ``1,5``: as many places as the number has (≤ 4)."""
    if value == value.to_integral_value():
        return format_number(value, 0)
    exponent = value.normalize().as_tuple().exponent
    places = min(4, -exponent) if isinstance(exponent, int) else 2
    return format_number(value, places)


def format_date_range(start: date | None, end: date | None) -> str:
    first = format_date(start) if start is not None else "…"
    last = format_date(end) if end is not None else "…"
    if first == last:
        return first
    return f"{first} –\n{last}"


def attachment_size(size: int) -> str:
    """A file's size in kB, one decimal place (a non-empty file is never „0,0 kB”)."""
    kilobytes = max(Decimal(size) / 1024, Decimal("0.1") if size else Decimal(0))
    return tr("pdf.attachments.kb", size=format_number(kilobytes, 1))


def short_hash(sha256: str) -> str:
    """``3c49a9d347ea48dc…`` → ``3c49-a9d3-47ea-48dc`` (the first 64 bits, in fours)."""
    head = sha256[:16].lower()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


@dataclass
class FilledForm(FormContent):
    application: Application
    organization: Organization
    call: CallDefinition
    stamp: SubmissionStamp | None

    def __post_init__(self) -> None:
        self.summary = BudgetSummary(self.application.budget, self.call)
        self.st = styles()
        # A submitted offer writes „nie dotyczy” in what it left empty; a draft
        # shows what is still to be filled in.
        self.empty = tr("pdf.not_applicable" if self.stamp else "pdf.not_filled")

    # --- helpers ------------------------------------------------------------

    def _text(self, text: str, caption: str | None = None) -> list[Flowable]:
        paragraphs = text_paragraphs(text)
        if not paragraphs:
            paragraphs = [markup(escape_text(self.empty), self.st.note)]
        return [text_box(paragraphs, caption)]

    def _value(self, text: str) -> str:
        return text.strip() or "—"

    # --- title, decoration, metadata -------------------------------------------

    def title_block(self) -> list[Flowable]:
        org, call = self.organization, self.call
        if self.stamp is None:
            status = tr("pdf.status.draft")
            notice = [notice_box([tr("pdf.draft.banner"), tr("pdf.draft.explanation")])]
        else:
            status = tr(
                "pdf.status.submitted",
                time=tables.submission_time(self.stamp),
                version=self.stamp.version_number,
                control_sum=self.stamp.control_sum,
            )
            notice = []
        rows = [
            (tr("pdf.head.call"), call.name),
            (tr("pdf.head.program"), call.program),
            (tr("pdf.head.operator"), call.operator),
            (tr("pdf.head.applicant"), org.name),
            (tr("pdf.head.status"), status),
        ]
        return title_block(call, rows, notice)

    def decor(self) -> PageDecor:
        header = f"{form_title(self.call)} · {self.organization.name}"
        return tables.page_decor(header, self.stamp)

    def metadata(self, language: str) -> Metadata:
        keywords = (self.stamp.control_sum,) if self.stamp else (tr("pdf.draft.header"),)
        return Metadata(
            title=self.application.title or form_title(self.call),
            author=self.organization.name,
            subject=self.call.name,
            keywords=keywords,
            language=language,
        )

    def signatories(self) -> list[tuple[str, str]]:
        org = self.organization
        people = [(person.name, person.role) for person in org.representatives if person.name]
        if not people and org.is_informal_group:
            people = [(person.name, person.role) for person in org.members if person.name]
        if org.is_informal_group and org.patron and org.patron.representative:
            role = tr("pdf.signature.patron", patron=org.patron.name)
            people.append((org.patron.representative, role))
        return people or [("", ""), ("", "")]

    # --- part I ---------------------------------------------------------------

    def block_addressee(self, captioned: bool) -> list[Flowable]:
        return self._text(self.call.operator)

    def block_task_kind(self, captioned: bool) -> list[Flowable]:
        text = self.call.name
        if self.call.program and self.call.program not in text:
            text += "\n" + tr("pdf.task_kind.program", program=self.call.program)
        return self._text(text)

    def block_title(self, captioned: bool) -> list[Flowable]:
        text = self.application.title.strip()
        caption = tr("pdf.caption.title") if captioned else None
        if not text:
            return self._text("", caption)
        return [text_box([markup(f"<b>{escape_text(text)}</b>", self.st.body)], caption)]

    def block_dates(self, captioned: bool) -> list[Flowable]:
        app = self.application
        start = format_date(app.start_date) if app.start_date else self.empty
        end = format_date(app.end_date) if app.end_date else self.empty
        quarter = CONTENT_WIDTH / 4
        return [
            table(
                [[tr("pdf.dates.start"), start, tr("pdf.dates.end"), end]],
                [quarter] * 4,
                [
                    ("BACKGROUND", (0, 0), (0, 0), LABEL_FILL),
                    ("BACKGROUND", (2, 0), (2, 0), LABEL_FILL),
                    ("FONTSIZE", (1, 0), (1, 0), 9),
                    ("FONTSIZE", (3, 0), (3, 0), 9),
                ],
            )
        ]

    # --- part II --------------------------------------------------------------

    def block_applicant(self, captioned: bool) -> list[Flowable]:
        org = self.organization
        name = org.name
        if org.short_name and org.short_name != org.name:
            name += f" ({org.short_name})"
        register = tr(f"RegisterType.{org.register_type.value}")
        if org.register_type is not RegisterType.NONE:
            number = (
                format_krs(org.register_number)
                if org.register_type is RegisterType.KRS
                else org.register_number
            )
            register = f"{register}: {number.strip() or '—'}"
        area = ", ".join(
            tr(key, value=value)
            for key, value in (
                ("pdf.org.gmina", org.gmina),
                ("pdf.org.powiat", org.powiat),
                ("pdf.org.voivodeship", org.voivodeship),
            )
            if value
        )
        population = (
            format_number(Decimal(org.locality_population), 0)
            if org.locality_population is not None
            else "—"
        )
        revenues = "; ".join(
            f"{item.year}: {format_money(item.amount)}"
            for item in sorted(org.revenues, key=lambda item: item.year)
        )
        representatives = "\n".join(
            " – ".join(part for part in (person.name, person.role) if part)
            for person in org.representatives
        )
        rows: list[tuple[str, str | Flowable]] = [
            (tr("pdf.org.name"), self._value(name)),
            (tr("pdf.org.legal_form"), tr(f"LegalForm.{org.legal_form.value}")),
            (tr("pdf.org.register"), register),
            (tr("pdf.org.nip"), self._value(org.nip)),
            (tr("pdf.org.regon"), self._value(org.regon)),
            (tr("pdf.org.address"), self._value(org.address_line())),
            (tr("pdf.org.area"), self._value(area)),
            (tr("pdf.org.population"), population),
            (tr("pdf.org.revenues"), self._value(revenues)),
            (tr("pdf.org.website"), self._value(org.website)),
            (tr("pdf.org.email"), self._value(org.email)),
            (tr("pdf.org.phone"), self._value(org.phone)),
            (tr("pdf.org.bank_account"), self._value(format_bank_account(org.bank_account))),
            (tr("pdf.org.representatives"), self._value(representatives)),
        ]
        story: list[Flowable] = [field_table(rows)]
        if self.group_inline and org.is_informal_group:
            story += [Spacer(1, 2 * mm), *self.block_group(True)]
        return story

    def block_contact(self, captioned: bool) -> list[Flowable]:
        person = self.organization.contact
        return [
            field_table(
                [
                    (tr("pdf.person.name"), self._value(person.name)),
                    (tr("pdf.person.role"), self._value(person.role)),
                    (tr("pdf.person.phone"), self._value(person.phone)),
                    (tr("pdf.person.email"), self._value(person.email)),
                ]
            )
        ]

    def block_group(self, captioned: bool) -> list[Flowable]:
        org = self.organization
        if not org.is_informal_group:
            return []
        story: list[Flowable] = []
        widths = MEMBER_WIDTHS
        rows: list[list[str | Flowable]] = [
            [
                str(number),
                cell_text(person.name, widths[1]),
                cell_text(person.role, widths[2]),
                cell_text(", ".join(p for p in (person.phone, person.email) if p), widths[3]),
            ]
            for number, person in enumerate(org.members, start=1)
        ]
        story.append(subheading(tr("pdf.group.members")))
        if rows:
            story.append(members_table(rows))
        else:
            story += self._text("")
        story.append(Spacer(1, 2 * mm))
        story.append(subheading(tr("pdf.group.patron")))
        patron = org.patron
        if patron is None:
            story += self._text("")
            return story
        register = tr(f"RegisterType.{patron.register_type.value}")
        if patron.register_number:
            register += f": {patron.register_number}"
        story.append(
            field_table(
                [
                    (tr("pdf.org.name"), self._value(patron.name)),
                    (tr("pdf.org.register"), register),
                    (tr("pdf.org.nip"), self._value(patron.nip)),
                    (tr("pdf.org.address"), self._value(patron.address)),
                    (tr("pdf.group.patron_representative"), self._value(patron.representative)),
                ]
            )
        )
        return story

    # --- part III -------------------------------------------------------------

    def block_description(self, captioned: bool) -> list[Flowable]:
        app = self.application
        return [
            *self._text(app.place, tr("pdf.caption.place")),
            *self._text(app.target_group, tr("pdf.caption.target_group")),
            *self._text(app.summary, tr("pdf.caption.summary")),
            *self._text(app.need, tr("pdf.caption.need")),
        ]

    def block_plan(self, captioned: bool) -> list[Flowable]:
        rows = []
        for number, action in enumerate(self.application.actions, start=1):
            rows.append(
                [
                    str(number),
                    cell_text(action.name, ACTION_WIDTHS[1], BOLD),
                    cell_text(action.description, ACTION_WIDTHS[2]),
                    cell_text(action.target_group, ACTION_WIDTHS[3]),
                    format_date_range(action.start_date, action.end_date),
                    cell_text(
                        action.third_party_scope.strip() or tr("pdf.not_applicable"),
                        ACTION_WIDTHS[5],
                    ),
                ]
            )
        story: list[Flowable] = []
        if captioned:
            story.append(Spacer(1, 2 * mm))
            story.append(subheading(tr("pdf.caption.plan")))
        if not rows:
            return [*story, *self._text("")]
        return [*story, actions_table(rows)]

    def block_expected_results(self, captioned: bool) -> list[Flowable]:
        caption = tr("pdf.caption.expected_results") if captioned else None
        app = self.application
        texts = (app.results_products, app.results_change, app.results_durability)
        return self._text("\n\n".join(text.strip() for text in texts if text.strip()), caption)

    def block_results(self, captioned: bool) -> list[Flowable]:
        rows = []
        for number, result in enumerate(self.application.results, start=1):
            level = (
                format_quantity(result.planned_value) if result.planned_value is not None else ""
            )
            level = " ".join(part for part in (level, result.unit) if part) or "—"
            rows.append(
                [
                    str(number),
                    cell_text(result.name, RESULT_WIDTHS[1]),
                    cell_text(level, RESULT_WIDTHS[2]),
                    cell_text(result.measurement, RESULT_WIDTHS[3]),
                ]
            )
        story: list[Flowable] = []
        if captioned:
            story.append(subheading(tr("pdf.caption.results")))
        if not rows:
            return [*story, *self._text("")]
        return [*story, results_table(rows)]

    # --- part IV --------------------------------------------------------------

    def block_experience(self, captioned: bool) -> list[Flowable]:
        caption = tr("pdf.caption.experience") if captioned else None
        return self._text(self.application.experience, caption)

    def block_resources(self, captioned: bool) -> list[Flowable]:
        caption = tr("pdf.caption.resources") if captioned else None
        story = self._text(self.application.resources, caption)
        partners = self.application.partners.strip()
        text = partners or tr("pdf.not_applicable")
        story += [text_box(text_paragraphs(text), tr("pdf.caption.partners"))]
        return story

    # --- part V ---------------------------------------------------------------

    def block_costs(self, captioned: bool) -> list[Flowable]:
        app, call, summary = self.application, self.call, self.summary
        by_group = summary.by_group()
        grant_by_group = dict.fromkeys(CostGroup, ZERO)
        lines_by_group: dict[CostGroup, list[int]] = {group: [] for group in CostGroup}
        for index, line in enumerate(app.budget):
            group = summary.group_of(line)
            lines_by_group[group].append(index)
            grant_by_group[group] += line.grant
        rows = CostRows()
        for group in CostGroup:
            number = GROUP_NUMBERS[group]
            rows.group(
                number,
                tr(f"pdf.costs.group.{group.value}"),
                format_number(by_group[group]),
                format_number(grant_by_group[group]),
            )
            for position, index in enumerate(lines_by_group[group], start=1):
                line = app.budget[index]
                category = call.category(line.category_id)
                category_name = category.name if category else (line.category_id or "—")
                action = app.action_number(line.action_id)
                rows.line(
                    [
                        f"{number}{position}",
                        cell_text(line.name or "—", COST_WIDTHS[1]),
                        cell_text(category_name, COST_WIDTHS[2]),
                        str(action) if action is not None else "–",
                        cell_text(line.unit or "—", COST_WIDTHS[4]),
                        format_number(line.unit_cost),
                        format_quantity(line.quantity),
                        format_number(line.total),
                        format_number(line.grant),
                    ]
                )
        rows.total(
            "III.",
            tr("pdf.costs.group.total"),
            format_number(summary.total),
            format_number(summary.grant),
        )
        return [costs_table(rows)]

    def block_sources(self, captioned: bool) -> list[Flowable]:
        summary = self.summary
        total = summary.total

        def share(amount: Decimal) -> str:
            return format_percent(amount * 100 / total if total else Decimal(0), 2)

        rows: list[list[str | Flowable]] = []
        for number, source in enumerate(FundingSource, start=1):
            amount = summary.source_total(source)
            rows.append(
                [
                    f"{number}.",
                    cell_text(tr(f"pdf.source.{source.value}"), 100 * mm),
                    format_money(amount),
                    share(amount),
                ]
            )
        own = summary.own_contribution
        count = len(rows)
        rows.append(
            [f"{count + 1}.", tr("pdf.source.own_total", last=count), format_money(own), share(own)]
        )
        rows.append([f"{count + 2}.", tr("pdf.source.total"), format_money(total), share(total)])
        story: list[Flowable] = [sources_table(rows, bold_rows=(count, count + 1))]
        if summary.sources_total != total:
            story.append(
                notice_box(
                    [
                        tr(
                            "pdf.sources.mismatch",
                            sources=format_money(summary.sources_total, exact=True),
                            costs=format_money(total, exact=True),
                        )
                    ]
                )
            )
        return story

    def block_cost_split(self, captioned: bool) -> list[Flowable]:
        return [text_box([markup(escape_text(tr("pdf.cost_split.single")), self.st.body)])]

    # --- parts VI, VII --------------------------------------------------------

    def block_other(self, captioned: bool) -> list[Flowable]:
        caption = tr("pdf.caption.other") if captioned else None
        text = self.application.other_information
        if not text.strip():
            return [
                text_box([markup(escape_text(tr("pdf.not_applicable")), self.st.body)], caption)
            ]
        return self._text(text, caption)

    def block_declarations(self, captioned: bool) -> list[Flowable]:
        confirmed = set(self.application.confirmed_declarations)
        rows = [
            [
                str(number),
                cell_text(declaration.text, DECLARATION_WIDTHS[1]),
                tr("pdf.declarations.confirmed")
                if declaration.id in confirmed
                else tr("pdf.declarations.not_confirmed"),
            ]
            for number, declaration in enumerate(self.call.declarations, start=1)
        ]
        if not rows:
            return []
        return [declarations_table(rows)]

    # --- the list of attachments (after the declarations, before the signatures) ---

    def attachments_list(self) -> list[Flowable]:
        """Each attached file with what it stands for, its size and its hash's first 64 bits.

        The hash is grouped like the control sum, so the paper and the files
        the operator received can be matched by eye; in lower case, as
        ``sha256sum`` prints it, so it is never taken for the control sum.
        """
        heading = section_heading("", tr("pdf.attachments.heading"))
        attachments = self.application.attachments
        if not attachments:
            return [
                heading,
                text_box([markup(escape_text(tr("pdf.attachments.none")), self.st.body)]),
            ]
        rows = [
            [
                str(number),
                cell_text(ref.name, ATTACHMENT_WIDTHS[1]),
                cell_text(self._requirement_name(ref), ATTACHMENT_WIDTHS[2]),
                attachment_size(ref.size),
                short_hash(ref.sha256),
            ]
            for number, ref in enumerate(attachments, start=1)
        ]
        return [heading, attachments_table(rows)]

    def _requirement_name(self, ref: AttachmentRef) -> str:
        for required in self.call.required_attachments:
            if required.id == ref.requirement_id:
                return required.name
        return tr("pdf.attachments.other")

    def has_data(self, name: str) -> bool:
        """Whether a block the call's sections do not ask for is worth printing."""
        app, org = self.application, self.organization
        present = {
            "title": bool(app.title.strip()),
            "dates": app.start_date is not None or app.end_date is not None,
            "contact": bool(org.contact.name.strip()),
            "group": org.is_informal_group,
            "description": any(
                text.strip() for text in (app.place, app.target_group, app.summary, app.need)
            ),
            "plan": bool(app.actions),
            "expected_results": any(
                text.strip()
                for text in (app.results_products, app.results_change, app.results_durability)
            ),
            "results": bool(app.results),
            "experience": bool(app.experience.strip()),
            "resources": bool(app.resources.strip() or app.partners.strip()),
            "costs": bool(app.budget),
            "sources": bool(app.budget),
            "other": bool(app.other_information.strip()),
            "declarations": bool(self.call.declarations),
        }
        return present.get(name, True)

    # --- the confirmation page --------------------------------------------------

    def confirmation_page(self, stamp: SubmissionStamp) -> list[Flowable]:
        rows: list[tuple[str, str | Flowable]] = [
            (tr("pdf.head.applicant"), self.organization.name),
            (tr("pdf.head.call"), self.call.name),
            (tr("pdf.head.operator"), self.call.operator),
            (tr("pdf.confirmation.task_title"), self._value(self.application.title)),
            (tr("pdf.confirmation.grant"), format_money(self.summary.grant)),
            (tr("pdf.confirmation.total"), format_money(self.summary.total)),
            (tr("pdf.confirmation.submitted_at"), tables.submission_time(stamp)),
            (tr("pdf.confirmation.version"), str(stamp.version_number)),
            (tr("pdf.confirmation.submission_id"), stamp.submission_id),
        ]
        return tables.confirmation_page(
            tr("pdf.confirmation.title"), tr("pdf.confirmation.subtitle"), rows, stamp
        )
