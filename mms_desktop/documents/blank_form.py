"""A call's form, empty, to fill in by hand when gathering information.

Same sections, labels and tables as the printed application, with writing
lines and empty rows instead of data. What the call itself says (who the
offer goes to, the declarations) is printed; every page says the sheet is for
gathering information and not for filing.
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
from mms_desktop.documents.sections import FormContent, render_sections
from mms_desktop.documents.tables import (
    DECLARATION_WIDTHS,
    CostRows,
    actions_table,
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
from mms_desktop.domain.application import FundingSource
from mms_desktop.domain.call import CallDefinition, CostGroup
from mms_desktop.i18n import tr

FIELD_HEIGHT = 8 * mm
EMPTY_ACTIONS = 6
EMPTY_RESULTS = 5
EMPTY_COST_LINES = {CostGroup.ACTIONS: 10, CostGroup.ADMIN: 3}
EMPTY_MEMBERS = 5


def blank_form_pdf(call: CallDefinition, *, language: str = "pl") -> bytes:
    """The empty form of ``call`` as a PDF, for information gathered on paper."""
    with using_language(language):
        content = BlankForm(call)
        story = content.title_block()
        story += render_sections(call, content)
        story += signatures([("", ""), ("", "")])
        decor = PageDecor(
            header_left=f"{form_title(call)} · {call.name}",
            header_right=tr("pdf.blank.header"),
            footer_lines=(tr("pdf.blank.footer"), tr("pdf.blank.footer_hint")),
            page_label=lambda page, pages: tr("pdf.page", page=str(page), pages=str(pages)),
        )
        metadata = Metadata(
            title=f"{form_title(call)} – {tr('pdf.blank.header')}",
            author=call.operator,
            subject=call.name,
            keywords=(tr("pdf.blank.banner"),),
            language=language,
        )
        return build_pdf(story, decor, metadata)


class BlankForm(FormContent):
    def __init__(self, call: CallDefinition) -> None:
        self.call = call
        self.st = styles()

    def _fields(self, keys: list[str]) -> list[Flowable]:
        return [field_table([(tr(key), "") for key in keys], row_height=FIELD_HEIGHT)]

    def title_block(self) -> list[Flowable]:
        call = self.call
        rows: list[tuple[str, str | Flowable]] = [
            (tr("pdf.head.call"), call.name),
            (tr("pdf.head.program"), call.program),
            (tr("pdf.head.operator"), call.operator),
            (tr("pdf.head.applicant"), ""),
            (tr("pdf.head.status"), tr("pdf.blank.status")),
        ]
        notice = [notice_box([tr("pdf.blank.banner"), tr("pdf.blank.rules")])]
        return title_block(call, rows, notice)

    # --- part I (what the call already says is printed) -----------------------

    def block_addressee(self, captioned: bool) -> list[Flowable]:
        return [text_box(text_paragraphs(self.call.operator))]

    def block_task_kind(self, captioned: bool) -> list[Flowable]:
        return [text_box(text_paragraphs(self.call.name))]

    def block_title(self, captioned: bool) -> list[Flowable]:
        return [writing_lines(2, tr("pdf.caption.title") if captioned else None)]

    def block_dates(self, captioned: bool) -> list[Flowable]:
        quarter = CONTENT_WIDTH / 4
        placeholder = tr("pdf.blank.date")
        return [
            table(
                [[tr("pdf.dates.start"), placeholder, tr("pdf.dates.end"), placeholder]],
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

    def block_applicant(self, captioned: bool) -> list[Flowable]:
        story = self._fields(
            [
                "pdf.org.name",
                "pdf.org.legal_form",
                "pdf.org.register",
                "pdf.org.nip",
                "pdf.org.regon",
                "pdf.org.address",
                "pdf.org.area",
                "pdf.org.population",
                "pdf.org.revenues",
                "pdf.org.website",
                "pdf.org.email",
                "pdf.org.phone",
                "pdf.org.bank_account",
                "pdf.org.representatives",
            ]
        )
        if self.group_inline:
            story += [Spacer(1, 2 * mm), *self.block_group(True)]
        return story

    def block_contact(self, captioned: bool) -> list[Flowable]:
        return self._fields(
            ["pdf.person.name", "pdf.person.role", "pdf.person.phone", "pdf.person.email"]
        )

    def block_group(self, captioned: bool) -> list[Flowable]:
        rows = [[str(number), "", "", ""] for number in range(1, EMPTY_MEMBERS + 1)]
        return [
            markup(escape_text(tr("pdf.blank.group_hint")), self.st.note),
            subheading(tr("pdf.group.members")),
            members_table(rows, row_heights=FIELD_HEIGHT),
            Spacer(1, 2 * mm),
            subheading(tr("pdf.group.patron")),
            *self._fields(
                [
                    "pdf.org.name",
                    "pdf.org.register",
                    "pdf.org.nip",
                    "pdf.org.address",
                    "pdf.group.patron_representative",
                ]
            ),
        ]

    # --- part III -------------------------------------------------------------

    def block_description(self, captioned: bool) -> list[Flowable]:
        return [
            writing_lines(2, tr("pdf.caption.place")),
            writing_lines(3, tr("pdf.caption.target_group")),
            writing_lines(10, tr("pdf.caption.summary")),
            writing_lines(6, tr("pdf.caption.need")),
        ]

    def block_plan(self, captioned: bool) -> list[Flowable]:
        rows = [
            [str(number), "", "", "", "", tr("pdf.blank.yes_no")]
            for number in range(1, EMPTY_ACTIONS + 1)
        ]
        story: list[Flowable] = []
        if captioned:
            story += [Spacer(1, 2 * mm), subheading(tr("pdf.caption.plan"))]
        return [*story, actions_table(rows, row_heights=18 * mm)]

    def block_expected_results(self, captioned: bool) -> list[Flowable]:
        return [writing_lines(6, tr("pdf.caption.expected_results") if captioned else None)]

    def block_results(self, captioned: bool) -> list[Flowable]:
        rows = [[str(number), "", "", ""] for number in range(1, EMPTY_RESULTS + 1)]
        story: list[Flowable] = []
        if captioned:
            story.append(subheading(tr("pdf.caption.results")))
        return [*story, results_table(rows, row_heights=12 * mm)]

    # --- part IV --------------------------------------------------------------

    def block_experience(self, captioned: bool) -> list[Flowable]:
        return [writing_lines(6, tr("pdf.caption.experience") if captioned else None)]

    def block_resources(self, captioned: bool) -> list[Flowable]:
        return [
            writing_lines(6, tr("pdf.caption.resources") if captioned else None),
            writing_lines(3, tr("pdf.caption.partners")),
        ]

    # --- part V ---------------------------------------------------------------

    def block_costs(self, captioned: bool) -> list[Flowable]:
        rows = CostRows()
        for group, number in ((CostGroup.ACTIONS, "I."), (CostGroup.ADMIN, "II.")):
            rows.group(number, tr(f"pdf.costs.group.{group.value}"), "", "")
            for position in range(1, EMPTY_COST_LINES[group] + 1):
                rows.line([f"{number}{position}", "", "", "", "", "", "", "", ""])
        rows.total("III.", tr("pdf.costs.group.total"), "", "")
        return [costs_table(rows, line_height=FIELD_HEIGHT)]

    def block_sources(self, captioned: bool) -> list[Flowable]:
        rows: list[list[str | Flowable]] = [
            [f"{number}.", tr(f"pdf.source.{source.value}"), "", ""]
            for number, source in enumerate(FundingSource, start=1)
        ]
        count = len(rows)
        rows.append([f"{count + 1}.", tr("pdf.source.own_total", last=count), "", ""])
        rows.append([f"{count + 2}.", tr("pdf.source.total"), "", ""])
        return [sources_table(rows, bold_rows=(count, count + 1), row_height=FIELD_HEIGHT)]

    def block_cost_split(self, captioned: bool) -> list[Flowable]:
        return [writing_lines(3)]

    # --- parts VI, VII --------------------------------------------------------

    def block_other(self, captioned: bool) -> list[Flowable]:
        return [writing_lines(5, tr("pdf.caption.other") if captioned else None)]

    def block_declarations(self, captioned: bool) -> list[Flowable]:
        rows = [
            [
                str(number),
                cell_text(declaration.text, DECLARATION_WIDTHS[1]),
                tr("pdf.blank.tick"),
            ]
            for number, declaration in enumerate(self.call.declarations, start=1)
        ]
        if not rows:
            return []
        return [declarations_table(rows)]
