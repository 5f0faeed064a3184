"""A call's form, empty, to fill in by hand when gathering information.

The same template, in the same order and words, as the printed offer: writing
lines and empty rows instead of data, every „*” alternative left whole for the
hand that fills it in. What the call itself says (who the offer goes to) is
printed; every page says the sheet is for gathering information and not for
filing.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

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
    styles,
    subheading,
    table,
    text_box,
    text_paragraphs,
    using_language,
    writing_lines,
)
from mms_desktop.documents.sections import FormContent, form_title, label_markup, render_template
from mms_desktop.documents.tables import (
    DECLARATION_WIDTHS,
    CostRows,
    actions_table,
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
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.form_template import Item
from mms_desktop.i18n import tr

FIELD_HEIGHT = 8 * mm
EMPTY_ACTIONS = 6
EMPTY_RESULTS = 5
EMPTY_COST_LINES = (("I.", "actions", 10), ("II.", "admin", 3))
EMPTY_MEMBERS = 5


def blank_form_pdf(call: CallDefinition, *, language: str = "pl") -> bytes:
    """The empty form of ``call`` as a PDF, for information gathered on paper."""
    with using_language(language):
        template = offer_template(call)
        content = BlankForm(call)
        story = form_title(template, content)
        story += content.title_block()
        story += render_template(template, content)
        story += signatures(
            [("", ""), ("", "")],
            text_markup(template.signature_caption, {}),
            plain_text(template.signature_date),
        )
        decor = PageDecor(
            header_left=f"{template.name} · {call.name}",
            header_right=tr("pdf.blank.header"),
            footer_lines=(tr("pdf.blank.footer"), tr("pdf.blank.footer_hint")),
            page_label=lambda page, pages: tr("pdf.page", page=str(page), pages=str(pages)),
        )
        metadata = Metadata(
            title=f"{template.name} – {tr('pdf.blank.header')}",
            author=call.operator,
            subject=call.name,
            keywords=(tr("pdf.blank.banner"),),
            language=language,
        )
        return build_pdf(story, decor, metadata)


def _columns(item: Item) -> list[str]:
    return [label_markup(column, FormContent()) for column in item.columns]


class BlankForm(FormContent):
    blank = True

    def __init__(self, call: CallDefinition) -> None:
        self.call = call
        self.st = styles()

    def _rows(self, item: Item) -> list[Flowable]:
        return [
            field_table([(plain_text(row.label), "") for row in item.rows], row_height=FIELD_HEIGHT)
        ]

    def title_block(self) -> list[Flowable]:
        rows: list[tuple[str, str | Flowable]] = [
            (tr("pdf.head.call"), self.call.name),
            (tr("pdf.head.status"), tr("pdf.blank.status")),
        ]
        return title_block(rows, [notice_box([tr("pdf.blank.banner"), tr("pdf.blank.rules")])])

    # --- part I (what the call already says is printed) -----------------------

    def block_addressee(self, item: Item) -> list[Flowable]:
        return [text_box(text_paragraphs(self.call.operator))]

    def block_task_kind(self, item: Item) -> list[Flowable]:
        return [writing_lines(2)]

    def block_title(self, item: Item) -> list[Flowable]:
        return [writing_lines(2)]

    def block_dates(self, item: Item) -> list[Flowable]:
        quarter = CONTENT_WIDTH / 4
        placeholder = tr("pdf.blank.date")
        first, last = (plain_text(column) for column in item.columns[:2])
        return [
            table(
                [[first, placeholder, last, placeholder]],
                [quarter] * 4,
                [
                    ("BACKGROUND", (0, 0), (0, 0), LABEL_FILL),
                    ("BACKGROUND", (2, 0), (2, 0), LABEL_FILL),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ],
                row_heights=[FIELD_HEIGHT + 2 * mm],
            )
        ]

    # --- part II --------------------------------------------------------------

    def block_applicant(self, item: Item) -> list[Flowable]:
        return self._rows(item)

    def block_applicant_extra(self, item: Item) -> list[Flowable]:
        keys = [
            "pdf.org.nip",
            "pdf.org.regon",
            "pdf.org.area",
            "pdf.org.population",
            "pdf.org.revenues",
            "pdf.org.bank_account",
            "pdf.org.representatives",
        ]
        return [field_table([(tr(key), "") for key in keys], row_height=FIELD_HEIGHT)]

    def block_contact(self, item: Item) -> list[Flowable]:
        return self._rows(item)

    def block_group(self, item: Item) -> list[Flowable]:
        if not self.call.admits_informal_groups:
            return []
        rows = [[str(number), "", "", ""] for number in range(1, EMPTY_MEMBERS + 1)]
        keys = [
            "pdf.org.name",
            "pdf.org.register",
            "pdf.org.nip",
            "pdf.org.address",
            "pdf.group.patron_representative",
        ]
        return [
            markup(escape_text(tr("pdf.blank.group_hint")), self.st.note),
            subheading(tr("pdf.group.members")),
            members_table(rows, row_heights=FIELD_HEIGHT),
            Spacer(1, 2 * mm),
            subheading(tr("pdf.group.patron")),
            field_table([(tr(key), "") for key in keys], row_height=FIELD_HEIGHT),
        ]

    # --- part III -------------------------------------------------------------

    def block_description(self, item: Item) -> list[Flowable]:
        return [writing_lines(12)]

    def block_plan(self, item: Item) -> list[Flowable]:
        rows = [[str(number), "", "", "", "", ""] for number in range(1, EMPTY_ACTIONS + 1)]
        return [actions_table(heads(_columns(item)), rows, row_heights=18 * mm)]

    def block_expected_results(self, item: Item) -> list[Flowable]:
        return [
            writing_lines(3, f"{number}) {plain_text(question)}")
            for number, question in enumerate(item.questions, start=1)
        ]

    def block_results(self, item: Item) -> list[Flowable]:
        rows = [["", "", ""] for _ in range(EMPTY_RESULTS)]
        return [results_table(heads(_columns(item)), rows, row_heights=12 * mm)]

    # --- part IV --------------------------------------------------------------

    def block_experience(self, item: Item) -> list[Flowable]:
        return [writing_lines(6)]

    def block_resources(self, item: Item) -> list[Flowable]:
        return [writing_lines(6)]

    def block_characteristics(self, item: Item) -> list[Flowable]:
        return [writing_lines(8)]

    # --- part V ---------------------------------------------------------------

    def block_costs(self, item: Item) -> list[Flowable]:
        labels = {row.field: plain_text(row.label) for row in item.rows}
        rows = CostRows()
        for number, group, count in EMPTY_COST_LINES:
            rows.group(number, labels.get(group, ""), [""])
            for position in range(1, count + 1):
                rows.line([f"{number}{position}", "", "", "", "", ""])
        rows.total("III.", labels.get("total", ""), [""])
        head = heads(_columns(item)[:6], self.st.cell_head_small)
        return [costs_table(head, rows, line_height=FIELD_HEIGHT)]

    def block_sources(self, item: Item) -> list[Flowable]:
        rows: list[list[str | Flowable]] = [
            [row.number, markup(text_markup(row.label, {}), self.st.cell), "", ""]
            for row in item.rows
        ]
        return [sources_table(heads(_columns(item)), rows, bold_rows=(0,), row_height=FIELD_HEIGHT)]

    def block_cost_split(self, item: Item) -> list[Flowable]:
        return [writing_lines(3)]

    # --- part VI --------------------------------------------------------------

    def block_paid_execution(self, item: Item) -> list[Flowable]:
        return [writing_lines(2)]

    def block_joint_offer_roles(self, item: Item) -> list[Flowable]:
        return [writing_lines(3)]

    def block_other(self, item: Item) -> list[Flowable]:
        return [writing_lines(5)]

    def block_call_declarations(self, item: Item) -> list[Flowable]:
        rows = [
            [
                str(number),
                cell_text(declaration.text, DECLARATION_WIDTHS[1]),
                tr("pdf.blank.tick"),
            ]
            for number, declaration in enumerate(self.call.declarations, start=1)
        ]
        return [declarations_table(rows)] if rows else []
