"""The printable application: the statutory offer's layout, filled in.

``application_pdf`` lays out one application of one organisation for one call.
Section labels and their order are the call's; amounts are Polish-style;
every page says either that it is a draft (no stamp) or carries the control
sum of the submitted version, which also ends with a confirmation page and a
QR code of the submission id and hash.
"""

from __future__ import annotations

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
from mms_desktop.documents.sections import (
    FormContent,
    form_title,
    label_markup,
    leftover_item,
    render_template,
)
from mms_desktop.documents.tables import (
    ACTION_WIDTHS,
    ATTACHMENT_WIDTHS,
    DECLARATION_WIDTHS,
    MEMBER_WIDTHS,
    RESULT_WIDTHS,
    CostRows,
    actions_table,
    attachments_table,
    cost_widths,
    costs_table,
    declarations_table,
    heads,
    members_table,
    notice_box,
    results_table,
    signatures,
    sources_table,
    title_block,
)
from mms_desktop.documents.templates import offer_template, plain_text, text_markup
from mms_desktop.domain.application import (
    Application,
    Arrears,
    AttachmentRef,
    FundingSource,
    PaidExecution,
)
from mms_desktop.domain.budget import BudgetSummary
from mms_desktop.domain.call import CallDefinition, CostGroup
from mms_desktop.domain.form_template import Choice, FormTemplate, Item
from mms_desktop.domain.identifiers import format_bank_account, format_krs
from mms_desktop.domain.money import ZERO, format_money, format_number, format_percent
from mms_desktop.domain.organization import Organization, RegisterType
from mms_desktop.domain.public_task_spheres import sphere_text
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.i18n import format_date, tr

GROUP_NUMBERS = {CostGroup.ACTIONS: "I.", CostGroup.ADMIN: "II."}
ARREARS_CHOICE = {Arrears.NONE: 0, Arrears.SOME: 1}


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
        template = offer_template(call)
        content = FilledForm(application, organization, call, stamp)
        story = form_title(template, content)
        story += content.title_block()
        story += render_template(template, content)
        story += content.attachments_list()
        story += signatures(
            content.signatories(),
            text_markup(template.signature_caption, content.choices),
            plain_text(template.signature_date),
        )
        if stamp is not None:
            story += content.confirmation_page(stamp)
        return build_pdf(story, content.decor(template), content.metadata(language, template))


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


def register_choice(organization: Organization) -> int | None:
    """„Krajowym Rejestrem Sądowym*/właściwą ewidencją*”: which stands (None: neither known)."""
    if organization.register_type is RegisterType.KRS:
        return 0
    if organization.register_type is RegisterType.NONE:
        return None
    return 1


def column_texts(item: Item, content: FormContent) -> list[str]:
    return [label_markup(column, content) for column in item.columns]


def task_years(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    first = (start or end).year  # type: ignore[union-attr]
    last = (end or start).year  # type: ignore[union-attr]
    return str(first) if first == last else f"{first}–{last}"


class FilledForm(FormContent):
    def __init__(
        self,
        application: Application,
        organization: Organization,
        call: CallDefinition,
        stamp: SubmissionStamp | None,
    ) -> None:
        self.application = application
        self.organization = organization
        self.call = call
        self.stamp = stamp
        self.summary = BudgetSummary(application.budget, call)
        self.st = styles()
        # A submitted offer writes „nie dotyczy” in what it left empty; a draft
        # shows what is still to be filled in.
        self.empty = tr("pdf.not_applicable" if stamp else "pdf.not_filled")
        self.joint_offer = False  # one offeror: the program files no joint offers
        self.choices = {
            Choice.OFFERORS: 0,
            Choice.TAX_ARREARS: ARREARS_CHOICE.get(application.tax_arrears),
            Choice.SOCIAL_INSURANCE_ARREARS: ARREARS_CHOICE.get(
                application.social_insurance_arrears
            ),
            Choice.REGISTER: register_choice(organization),
        }
        self.values = {"year": task_years(application.start_date, application.end_date)}

    # --- helpers ------------------------------------------------------------

    def _text(self, text: str, caption: str | None = None) -> list[Flowable]:
        paragraphs = text_paragraphs(text)
        if not paragraphs:
            paragraphs = [markup(escape_text(self.empty), self.st.note)]
        return [text_box(paragraphs, caption)]

    def _value(self, text: str) -> str:
        return text.strip() or "—"

    def _rows(self, item: Item, values: dict[str, str]) -> list[Flowable]:
        """A point's rows (label from the template) with the data's values."""
        rows: list[tuple[str, str | Flowable]] = [
            (plain_text(row.label), self._value(values.get(row.field, ""))) for row in item.rows
        ]
        return [field_table(rows)]

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
        rows: list[tuple[str, str | Flowable]] = [
            (tr("pdf.head.call"), call.name),
            (tr("pdf.head.applicant"), org.name),
            (tr("pdf.head.status"), status),
        ]
        return title_block(rows, notice)

    def decor(self, template: FormTemplate) -> PageDecor:
        header = f"{template.name} · {self.organization.name}"
        return tables.page_decor(header, self.stamp)

    def metadata(self, language: str, template: FormTemplate) -> Metadata:
        keywords = (self.stamp.control_sum,) if self.stamp else (tr("pdf.draft.header"),)
        return Metadata(
            title=self.application.title or template.name,
            author=self.organization.name,
            subject=self.call.name,
            keywords=keywords,
            language=language,
            created=self.stamp.submitted_at if self.stamp else None,
        )

    def signatories(self) -> list[tuple[str, str]]:
        org = self.organization
        people = [(person.name, person.role) for person in org.representatives if person.name]
        group = org.is_informal_group and self.call.admits_informal_groups
        if not people and group:
            people = [(person.name, person.role) for person in org.members if person.name]
        if group and org.patron and org.patron.representative:
            role = tr("pdf.signature.patron", patron=org.patron.name)
            people.append((org.patron.representative, role))
        return people or [("", ""), ("", "")]

    # --- part I ---------------------------------------------------------------

    def block_addressee(self, item: Item) -> list[Flowable]:
        return self._text(self.call.operator)

    def block_task_kind(self, item: Item) -> list[Flowable]:
        return self._text(sphere_text(self.application.task_sphere) or "")

    def block_title(self, item: Item) -> list[Flowable]:
        text = self.application.title.strip()
        if not text:
            return self._text("")
        return [text_box([markup(f"<b>{escape_text(text)}</b>", self.st.body)])]

    def block_dates(self, item: Item) -> list[Flowable]:
        app = self.application
        start = format_date(app.start_date) if app.start_date else self.empty
        end = format_date(app.end_date) if app.end_date else self.empty
        first, last = (plain_text(column) for column in item.columns[:2])
        quarter = CONTENT_WIDTH / 4
        return [
            table(
                [[first, start, last, end]],
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

    def block_applicant(self, item: Item) -> list[Flowable]:
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
        correspondence = org.correspondence_address.strip() or tr("pdf.org.correspondence_same")
        return self._rows(
            item,
            {
                "name": name,
                "legal_form": tr(f"LegalForm.{org.legal_form.value}"),
                "register": register,
                "seat": org.address_line(),
                "website": org.website,
                "correspondence": correspondence,
                "email": org.email,
                "phone": org.phone,
            },
        )

    def block_applicant_extra(self, item: Item) -> list[Flowable]:
        """The call's own questions about the applicant (MMS: identifiers, area, revenues)."""
        org = self.organization
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
            f"{entry.year}: {format_money(entry.amount)}"
            for entry in sorted(org.revenues, key=lambda entry: entry.year)
        )
        representatives = "\n".join(
            " – ".join(part for part in (person.name, person.role) if part)
            for person in org.representatives
        )
        rows: list[tuple[str, str | Flowable]] = [
            (tr("pdf.org.nip"), self._value(org.nip)),
            (tr("pdf.org.regon"), self._value(org.regon)),
            (tr("pdf.org.area"), self._value(area)),
            (tr("pdf.org.population"), population),
            (tr("pdf.org.revenues"), self._value(revenues)),
            (tr("pdf.org.bank_account"), self._value(format_bank_account(org.bank_account))),
            (tr("pdf.org.representatives"), self._value(representatives)),
        ]
        return [field_table(rows)]

    def block_contact(self, item: Item) -> list[Flowable]:
        person = self.organization.contact
        name = ", ".join(part for part in (person.name, person.role) if part)
        return self._rows(item, {"name": name, "phone": person.phone, "email": person.email})

    def block_group(self, item: Item) -> list[Flowable]:
        org = self.organization
        if not (org.is_informal_group and self.call.admits_informal_groups):
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

    def block_description(self, item: Item) -> list[Flowable]:
        app = self.application
        return [
            *self._text(app.place, tr("pdf.caption.place")),
            *self._text(app.target_group, tr("pdf.caption.target_group")),
            *self._text(app.summary, tr("pdf.caption.summary")),
            *self._text(app.need, tr("pdf.caption.need")),
        ]

    def block_plan(self, item: Item) -> list[Flowable]:
        not_applicable = tr("pdf.not_applicable")
        rows = []
        for number, action in enumerate(self.application.actions, start=1):
            rows.append(
                [
                    str(number),
                    cell_text(action.name, ACTION_WIDTHS[1], BOLD),
                    cell_text(action.description, ACTION_WIDTHS[2]),
                    cell_text(action.target_group, ACTION_WIDTHS[3]),
                    format_date_range(action.start_date, action.end_date),
                    cell_text(action.third_party_scope.strip() or not_applicable, ACTION_WIDTHS[5]),
                ]
            )
        if not rows:
            return self._text("")
        return [actions_table(heads(column_texts(item, self)), rows)]

    def block_expected_results(self, item: Item) -> list[Flowable]:
        app = self.application
        answers = (app.results_products, app.results_change, app.results_durability)
        story: list[Flowable] = []
        for number, (question, answer) in enumerate(
            zip(item.questions, answers, strict=False), start=1
        ):
            story += self._text(answer, f"{number}) {plain_text(question)}")
        return story

    def block_results(self, item: Item) -> list[Flowable]:
        rows = []
        for result in self.application.results:
            level = (
                format_quantity(result.planned_value) if result.planned_value is not None else ""
            )
            level = " ".join(part for part in (level, result.unit) if part) or "—"
            rows.append(
                [
                    cell_text(result.name, RESULT_WIDTHS[0]),
                    cell_text(level, RESULT_WIDTHS[1]),
                    cell_text(result.measurement or "—", RESULT_WIDTHS[2]),
                ]
            )
        if not rows:
            return self._text("")
        return [results_table(heads(column_texts(item, self)), rows)]

    # --- part IV --------------------------------------------------------------

    def block_experience(self, item: Item) -> list[Flowable]:
        return self._text(self.application.experience)

    def block_resources(self, item: Item) -> list[Flowable]:
        story = self._text(self.application.resources)
        partners = self.application.partners.strip()
        if partners:
            story += [text_box(text_paragraphs(partners), tr("pdf.caption.partners"))]
        return story

    def block_characteristics(self, item: Item) -> list[Flowable]:
        """The simplified form's one point on the offeror: experience and resources."""
        app = self.application
        story = self._text(app.experience, tr("pdf.caption.experience"))
        story += self._text(app.resources, tr("pdf.caption.resources"))
        if app.partners.strip():
            story += [text_box(text_paragraphs(app.partners), tr("pdf.caption.partners"))]
        return story

    # --- part V ---------------------------------------------------------------

    def _years(self) -> list[int]:
        return sorted(
            {value.year for line in self.application.budget for value in line.year_values}
        )

    def block_costs(self, item: Item) -> list[Flowable]:
        app, call, summary = self.application, self.call, self.summary
        years = self._years()
        labels = {row.field: plain_text(row.label) for row in item.rows}
        by_group = summary.by_group()
        lines_by_group: dict[CostGroup, list[int]] = {group: [] for group in CostGroup}
        for index, line in enumerate(app.budget):
            lines_by_group[summary.group_of(line)].append(index)

        def values(total: Decimal, per_year: dict[int, Decimal]) -> list[str]:
            if not years:
                return [format_number(total)]
            return [format_number(total), *(format_number(per_year.get(y, ZERO)) for y in years)]

        widths = cost_widths(len(years) if years else 1)
        rows = CostRows()
        year_totals: dict[CostGroup, dict[int, Decimal]] = {g: {} for g in CostGroup}
        for group in CostGroup:
            for index in lines_by_group[group]:
                for value in app.budget[index].year_values:
                    totals = year_totals[group]
                    totals[value.year] = totals.get(value.year, ZERO) + value.amount
        for group in CostGroup:
            number = GROUP_NUMBERS[group]
            rows.group(
                number, labels.get(group.value, ""), values(by_group[group], year_totals[group])
            )
            for position, index in enumerate(lines_by_group[group], start=1):
                line = app.budget[index]
                category = call.category(line.category_id)
                name = line.name or "—"
                if category is not None:
                    name += f" ({category.name})"
                per_year = {value.year: value.amount for value in line.year_values}
                rows.line(
                    [
                        f"{number}{position}",
                        cell_text(name, widths[1]),
                        cell_text(line.unit or "—", widths[2]),
                        format_number(line.unit_cost),
                        format_quantity(line.quantity),
                        *values(line.total, per_year),
                    ]
                )
        grand: dict[int, Decimal] = {}
        for totals in year_totals.values():
            for year, amount in totals.items():
                grand[year] = grand.get(year, ZERO) + amount
        rows.total("III.", labels.get("total", ""), values(summary.total, grand))
        columns = column_texts(item, self)
        head, year_heads = columns[:6], []
        if years:
            total_head, year_head = item.columns[6], item.columns[7]
            year_heads = [text_markup(total_head, {})] + [
                text_markup(year_head, {}, {"n": f"{n} ({year})"})
                for n, year in enumerate(years, start=1)
            ]
        return [
            costs_table(
                heads(head, self.st.cell_head_small),
                rows,
                year_heads=heads(year_heads, self.st.cell_head_small),
            )
        ]

    def _source_amounts(self) -> dict[str, Decimal]:
        summary = self.summary
        source = summary.source_total
        non_financial = source(FundingSource.OWN_PERSONAL) + source(FundingSource.OWN_IN_KIND)
        return {
            "total": summary.total,
            "grant": source(FundingSource.GRANT),
            "own": source(FundingSource.OWN_FINANCIAL) + non_financial,
            "own_financial": source(FundingSource.OWN_FINANCIAL),
            "own_non_financial": non_financial,
            "participants": source(FundingSource.PARTICIPANTS),
        }

    def block_sources(self, item: Item) -> list[Flowable]:
        summary = self.summary
        total = summary.total
        amounts = self._source_amounts()

        def share(amount: Decimal) -> str:
            return format_percent(amount * 100 / total if total else Decimal(0), 2)

        rows: list[list[str | Flowable]] = []
        bold: list[int] = []
        for index, row in enumerate(item.rows):
            amount = amounts.get(row.field, ZERO)
            label = text_markup(row.label, self.choices)
            if row.footnote:
                label += f"<super>{row.footnote})</super>"
            if "." not in row.number:
                bold.append(index)
            rows.append(
                [row.number, markup(label, self.st.cell), format_money(amount), share(amount)]
            )
        story: list[Flowable] = [
            sources_table(heads(column_texts(item, self)), rows, bold_rows=bold[:1])
        ]
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

    def block_cost_split(self, item: Item) -> list[Flowable]:
        return []  # a joint offer only; the program files offers of one offeror

    # --- part VI --------------------------------------------------------------

    def block_paid_execution(self, item: Item) -> list[Flowable]:
        paid = self.application.paid_execution
        if paid is PaidExecution.UNSET:
            return self._text("")
        return self._text(tr(f"pdf.paid_execution.{paid.value}"))

    def block_joint_offer_roles(self, item: Item) -> list[Flowable]:
        return []  # a joint offer only

    def block_other(self, item: Item) -> list[Flowable]:
        text = self.application.other_information
        if not text.strip():
            return []
        return self._text(text)

    def block_call_declarations(self, item: Item) -> list[Flowable]:
        """The call's own declarations, each confirmed or not in the program."""
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
        return [declarations_table(rows)] if rows else []

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

    def leftovers(self, placed: set[str]) -> list[tuple[str, Item]]:
        """What the volunteer wrote that the form has no point for, with its caption."""
        app, org = self.application, self.organization
        present = {
            "title": bool(app.title.strip()),
            "dates": app.start_date is not None or app.end_date is not None,
            "group": org.is_informal_group and self.call.admits_informal_groups,
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
            "other": bool(app.other_information.strip()),
            "paid_execution": app.paid_execution is not PaidExecution.UNSET,
        }
        if "characteristics" in placed:
            placed = placed | {"experience", "resources"}
        return [
            (name, leftover_item(name))
            for name, has_data in present.items()
            if has_data and name not in placed
        ]

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
