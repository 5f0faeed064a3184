"""The tables of the offer, shared by the filled-in application and the blank form.

Each builder takes its rows already made (text or flowables) and adds the
header, the column widths and the lines; widths add up to the page's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table

from mms_desktop.documents.fonts import BOLD, REGULAR
from mms_desktop.documents.layout import (
    CELL_PADDING,
    CONTENT_WIDTH,
    INK,
    LABEL_FILL,
    LINE_WIDTH,
    NUMBER_FONT_SIZE,
    TABLE_FONT_SIZE,
    PageDecor,
    QrCode,
    escape_text,
    field_table,
    fit_font_size,
    markup,
    styles,
    table,
)
from mms_desktop.domain.call import CallDefinition, FormKind
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.i18n import tr

Cell: TypeAlias = str | Flowable
Row = Sequence[Cell]

ACTION_WIDTHS = [8 * mm, 33 * mm, 55 * mm, 31 * mm, 24 * mm, 23 * mm]
RESULT_WIDTHS = [8 * mm, 58 * mm, 42 * mm, 66 * mm]
COST_WIDTHS = [
    9 * mm,  # Lp.
    35 * mm,  # rodzaj kosztu
    28 * mm,  # kategoria
    14 * mm,  # nr działania
    14 * mm,  # rodzaj miary
    19 * mm,  # koszt jednostkowy
    13 * mm,  # liczba jednostek
    22 * mm,  # wartość
    20 * mm,  # z dotacji
]
SOURCE_WIDTHS = [12 * mm, 100 * mm, 34 * mm, 28 * mm]
DECLARATION_WIDTHS = [8 * mm, 134 * mm, 32 * mm]
MEMBER_WIDTHS = [8 * mm, 62 * mm, 44 * mm, CONTENT_WIDTH - 114 * mm]
# Lp. | file | the required attachment it stands for | size | SHA-256 (first 64 bits)
ATTACHMENT_WIDTHS = [8 * mm, 50 * mm, 62 * mm, 18 * mm, CONTENT_WIDTH - 138 * mm]


def _heads(keys: Sequence[str], style: ParagraphStyle | None = None) -> list[Cell]:
    style = style or styles().cell_head
    return [markup(escape_text(tr(key)), style) for key in keys]


def form_title(call: CallDefinition) -> str:
    key = "pdf.title.simplified" if call.form is FormKind.SIMPLIFIED else "pdf.title.full"
    return tr(key)


def form_basis(call: CallDefinition) -> str:
    key = "pdf.basis.simplified" if call.form is FormKind.SIMPLIFIED else "pdf.basis.full"
    return tr(key)


def title_block(
    call: CallDefinition,
    rows: Sequence[tuple[str, Cell]],
    notice: Sequence[Flowable] = (),
    *,
    title: str | None = None,
    basis: str | None = None,
) -> list[Flowable]:
    """The form's title, its legal basis and who files what for which call.

    ``title`` and ``basis`` replace the offer's (another statutory form: the report).
    """
    st = styles()
    story: list[Flowable] = [
        markup(escape_text(form_title(call) if title is None else title), st.title),
        markup(escape_text(form_basis(call) if basis is None else basis), st.subtitle),
        Spacer(1, 4 * mm),
        field_table(rows, label_width=40 * mm),
    ]
    if notice:
        story.append(Spacer(1, 3 * mm))
        story.extend(notice)
    story.append(Spacer(1, 2 * mm))
    return story


def notice_box(lines: Sequence[str], *, strong: bool = True) -> Table:
    """A framed notice (the draft warning, the filling rules)."""
    st = styles()
    rows: list[list[Cell]] = []
    for index, line in enumerate(lines):
        style = st.cell_bold if strong and index == 0 else st.cell
        rows.append([markup(escape_text(line), style)])
    return table(
        rows,
        [CONTENT_WIDTH],
        [("BOX", (0, 0), (-1, -1), 1.2, INK), ("TOPPADDING", (0, 0), (-1, -1), 3)],
        grid=False,
    )


def actions_table(rows: Sequence[Row], row_heights: float | None = None) -> Table:
    head = _heads(
        [
            "pdf.col.number",
            "pdf.plan.name",
            "pdf.plan.description",
            "pdf.plan.target_group",
            "pdf.plan.dates",
            "pdf.plan.third_party",
        ]
    )
    return table(
        [head, *rows],
        ACTION_WIDTHS,
        [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (4, 1), (5, -1), "CENTER"),
            ("FONTNAME", (1, 1), (1, -1), BOLD),
        ],
        header_rows=1,
        split_in_row=True,
        row_heights=None if row_heights is None else [None] + [row_heights] * len(rows),
    )


def members_table(rows: Sequence[Row], row_heights: float | None = None) -> Table:
    """The members of an informal group: name, role, phone and e-mail."""
    head = _heads(["pdf.col.number", "pdf.group.member", "pdf.person.role", "pdf.group.contact"])
    return table(
        [head, *rows],
        MEMBER_WIDTHS,
        [("ALIGN", (0, 1), (0, -1), "CENTER")],
        header_rows=1,
        split_in_row=True,
        row_heights=None if row_heights is None else [None] + [row_heights] * len(rows),
    )


def results_table(rows: Sequence[Row], row_heights: float | None = None) -> Table:
    head = _heads(
        ["pdf.col.number", "pdf.results.name", "pdf.results.level", "pdf.results.measurement"]
    )
    return table(
        [head, *rows],
        RESULT_WIDTHS,
        [("ALIGN", (0, 1), (0, -1), "CENTER")],
        header_rows=1,
        split_in_row=True,
        row_heights=None if row_heights is None else [None] + [row_heights] * len(rows),
    )


def number_cell_commands(
    rows: Sequence[Row],
    columns: Sequence[int],
    widths: Sequence[float],
    first_row: int,
    bold_rows: Sequence[int] = (),
    font_size: float = NUMBER_FONT_SIZE,
) -> list[tuple[Any, ...]]:
    """Amounts too wide for their column get a smaller size (never overflow the grid)."""
    commands: list[tuple[Any, ...]] = []
    bold = set(bold_rows)
    for column in columns:
        room = widths[column] - 2 * CELL_PADDING
        for index, row in enumerate(rows):
            value = row[column] if column < len(row) else ""
            if isinstance(value, str) and value:
                font = BOLD if index in bold else REGULAR
                size = fit_font_size(value, font, font_size, room, smallest=4)
                if size < font_size:
                    where = (column, first_row + index)
                    commands.append(("FONTSIZE", where, where, size))
    return commands


class CostRows:
    """Rows of the cost estimate, with the kind of each (group, line, total)."""

    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []
        self.kinds: list[str] = []

    def group(self, number: str, label: str, total: str, grant: str) -> None:
        self.rows.append([number, label, "", "", "", "", "", total, grant])
        self.kinds.append("group")

    def line(self, cells: list[Cell]) -> None:
        self.rows.append(cells)
        self.kinds.append("line")

    def total(self, number: str, label: str, total: str, grant: str) -> None:
        self.rows.append([number, label, "", "", "", "", "", total, grant])
        self.kinds.append("total")


def costs_table(rows: CostRows, line_height: float | None = None) -> Table:
    head = _heads(
        [
            "pdf.col.number",
            "pdf.costs.kind",
            "pdf.costs.category",
            "pdf.costs.action",
            "pdf.costs.unit",
            "pdf.costs.unit_cost",
            "pdf.costs.quantity",
            "pdf.costs.total",
            "pdf.costs.grant",
        ],
        styles().cell_head_small,
    )
    commands: list[tuple[Any, ...]] = [
        ("ALIGN", (3, 1), (3, -1), "CENTER"),
        ("ALIGN", (5, 1), (-1, -1), "RIGHT"),
        ("FONTSIZE", (5, 1), (-1, -1), NUMBER_FONT_SIZE),
    ]
    heights: list[float | None] = [None]
    for index, kind in enumerate(rows.kinds, start=1):
        if kind in ("group", "total"):
            commands += [
                ("SPAN", (1, index), (6, index)),
                ("BACKGROUND", (0, index), (-1, index), LABEL_FILL),
                ("FONTNAME", (0, index), (-1, index), BOLD),
            ]
            heights.append(None)
        else:
            heights.append(line_height)
    summary_rows = [index for index, kind in enumerate(rows.kinds) if kind != "line"]
    commands += number_cell_commands(rows.rows, (5, 6, 7, 8), COST_WIDTHS, 1, summary_rows)
    return table(
        [head, *rows.rows],
        COST_WIDTHS,
        commands,
        header_rows=1,
        row_heights=heights if line_height is not None else None,
    )


def sources_table(
    rows: Sequence[Row], bold_rows: Sequence[int] = (), row_height: float | None = None
) -> Table:
    head = _heads(
        ["pdf.col.number", "pdf.sources.source", "pdf.sources.amount", "pdf.sources.share"]
    )
    commands: list[tuple[Any, ...]] = [
        ("ALIGN", (2, 1), (3, -1), "RIGHT"),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
    ]
    commands += number_cell_commands(rows, (2, 3), SOURCE_WIDTHS, 1, bold_rows, TABLE_FONT_SIZE)
    for index in bold_rows:
        commands += [
            ("FONTNAME", (0, index + 1), (-1, index + 1), BOLD),
            ("BACKGROUND", (0, index + 1), (-1, index + 1), LABEL_FILL),
        ]
    return table(
        [head, *rows],
        SOURCE_WIDTHS,
        commands,
        header_rows=1,
        row_heights=None if row_height is None else [None] + [row_height] * len(rows),
    )


def declarations_table(rows: Sequence[Row]) -> Table:
    head = _heads(["pdf.col.number", "pdf.declarations.text", "pdf.declarations.status"])
    return table(
        [head, *rows],
        DECLARATION_WIDTHS,
        [("ALIGN", (0, 1), (0, -1), "CENTER")],
        header_rows=1,
        split_in_row=True,
    )


def attachments_table(
    rows: Sequence[Row], second_head: str = "pdf.attachments.requirement"
) -> Table:
    """File | what it stands for (``second_head``: the requirement, or a description) | …"""
    head = _heads(
        [
            "pdf.col.number",
            "pdf.attachments.file",
            second_head,
            "pdf.attachments.size",
            "pdf.attachments.hash",
        ]
    )
    return table(
        [head, *rows],
        ATTACHMENT_WIDTHS,
        [("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (3, 1), (3, -1), "RIGHT")],
        header_rows=1,
        split_in_row=True,
    )


def signature_block(name: str, role: str) -> Flowable:
    """Who signs, a line for the place and date, a line for the signature."""
    st = styles()
    who = ", ".join(part for part in (name, role) if part)
    left, gap = 70 * mm, 14 * mm
    right = CONTENT_WIDTH - left - gap
    heading: Cell = (
        markup(f"<b>{escape_text(who)}</b>", st.cell)
        if who
        else markup(escape_text(tr("pdf.signature.name_role")), st.note)
    )
    rows: list[list[Cell]] = [
        [heading, "", ""],
        ["", "", ""],
        [
            markup(escape_text(tr("pdf.signature.place_date")), st.note),
            "",
            markup(escape_text(tr("pdf.signature.signature")), st.note),
        ],
    ]
    return table(
        rows,
        [left, gap, right],
        [
            ("NOSPLIT", (0, 0), (-1, -1)),  # never across pages
            ("BOTTOMPADDING", (0, -1), (-1, -1), 12),
            ("SPAN", (0, 0), (-1, 0)),
            ("LINEABOVE", (0, 2), (0, 2), LINE_WIDTH, INK, None, (1, 2)),
            ("LINEABOVE", (2, 2), (2, 2), LINE_WIDTH, INK, None, (1, 2)),
            ("TOPPADDING", (0, 2), (-1, 2), 1),
        ],
        grid=False,
        row_heights=[None, 14 * mm, None],
    )


def signatures(
    people: Sequence[tuple[str, str]], heading_text: str | None = None
) -> list[Flowable]:
    """The signature part: one block per person authorised to represent."""
    st = styles()
    text = tr("pdf.signature.heading") if heading_text is None else heading_text
    heading = table(
        [[markup(f"<b>{escape_text(text)}</b>", st.label)]],
        [CONTENT_WIDTH],
        [("BACKGROUND", (0, 0), (-1, -1), LABEL_FILL), ("BOX", (0, 0), (-1, -1), LINE_WIDTH, INK)],
        grid=False,
    )
    heading.spaceBefore = 8
    heading.keepWithNext = 1
    blocks = [signature_block(name, role) for name, role in people]
    # The heading never stays alone at the foot of a page.
    return [KeepTogether([heading, Spacer(1, 5 * mm), blocks[0]]), *blocks[1:]]


QR_SIZE = 58 * mm


def confirmation_page(
    title: str, subtitle: str, rows: Sequence[tuple[str, Any]], stamp: SubmissionStamp
) -> list[Flowable]:
    """The last page of a submitted document: what was sent, its control sum and a QR code.

    The QR code holds the submission id and the full SHA-256, so an operator
    with the paper can check it against the file in one scan.
    """
    st = styles()
    control = table(
        [
            [markup(escape_text(tr("pdf.confirmation.control_sum")), st.centered)],
            [markup(escape_text(stamp.control_sum), st.big)],
        ],
        [CONTENT_WIDTH],
        [("BOX", (0, 0), (-1, -1), 1.5, INK), ("BOTTOMPADDING", (0, 1), (-1, 1), 8)],
        grid=False,
    )
    code = QrCode(stamp.qr_payload, width=QR_SIZE, height=QR_SIZE, qrLevel="M", qrBorder=4)
    code.hAlign = "CENTER"
    return [
        PageBreak(),
        markup(escape_text(title), st.title),
        markup(escape_text(subtitle), st.subtitle),
        Spacer(1, 5 * mm),
        field_table(list(rows)),
        Spacer(1, 6 * mm),
        CondPageBreak(QR_SIZE + 60 * mm),
        KeepTogether(
            [
                control,
                Spacer(1, 5 * mm),
                code,
                Spacer(1, 2 * mm),
                markup(escape_text(tr("pdf.confirmation.qr")), st.subtitle),
                markup(escape_text(f"SHA-256: {stamp.sha256}"), st.subtitle),
                Spacer(1, 4 * mm),
                markup(escape_text(tr("pdf.confirmation.how_to_check")), st.note),
            ]
        ),
    ]


def submission_time(stamp: SubmissionStamp) -> str:
    return stamp.submitted_at.strftime("%d.%m.%Y %H:%M")


def page_label(page: int, pages: int) -> str:
    return tr("pdf.page", page=str(page), pages=str(pages))


def page_decor(header: str, stamp: SubmissionStamp | None) -> PageDecor:
    """Every page says it is a draft, or carries the submitted version's control sum."""
    if stamp is None:
        return PageDecor(
            header_left=header,
            header_right=tr("pdf.draft.header"),
            footer_lines=(tr("pdf.draft.footer"), tr("pdf.draft.footer_hint")),
            page_label=page_label,
            watermark=tr("pdf.draft.watermark"),
        )
    return PageDecor(
        header_left=header,
        header_right=tr("pdf.version", number=str(stamp.version_number)),
        footer_lines=(
            tr("pdf.footer.control_sum", control_sum=stamp.control_sum),
            tr("pdf.footer.submission", id=stamp.submission_id, time=submission_time(stamp)),
        ),
        page_label=page_label,
    )
