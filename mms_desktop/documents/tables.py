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
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.i18n import tr

Cell: TypeAlias = str | Flowable
Row = Sequence[Cell]

ACTION_WIDTHS = [8 * mm, 33 * mm, 55 * mm, 31 * mm, 24 * mm, 23 * mm]
RESULT_WIDTHS = [58 * mm, 44 * mm, 72 * mm]
# Lp. | rodzaj kosztu | rodzaj miary | koszt jednostkowy | liczba jednostek | wartość
COST_WIDTHS = [14 * mm, 60 * mm, 22 * mm, 24 * mm, 18 * mm, 36 * mm]
YEAR_COLUMN = 19 * mm
SOURCE_WIDTHS = [12 * mm, 108 * mm, 32 * mm, 22 * mm]
DECLARATION_WIDTHS = [8 * mm, 134 * mm, 32 * mm]
MEMBER_WIDTHS = [8 * mm, 62 * mm, 44 * mm, CONTENT_WIDTH - 114 * mm]
# Lp. | file | the required attachment it stands for | size | SHA-256 (first 64 bits)
ATTACHMENT_WIDTHS = [8 * mm, 50 * mm, 62 * mm, 18 * mm, CONTENT_WIDTH - 138 * mm]


def _heads(keys: Sequence[str], style: ParagraphStyle | None = None) -> list[Cell]:
    style = style or styles().cell_head
    return [markup(escape_text(tr(key)), style) for key in keys]


def heads(labels: Sequence[str], style: ParagraphStyle | None = None) -> list[Cell]:
    """Column heads from a template's texts (paragraph markup already)."""
    style = style or styles().cell_head
    return [markup(label, style) for label in labels]


def title_block(
    rows: Sequence[tuple[str, Cell]], notice: Sequence[Flowable] = ()
) -> list[Flowable]:
    """What the program adds under the form's title: the call, the printout's status."""
    story: list[Flowable] = [Spacer(1, 3 * mm), field_table(rows, label_width=40 * mm)]
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


def actions_table(
    head: Sequence[Cell], rows: Sequence[Row], row_heights: float | None = None
) -> Table:
    return table(
        [list(head), *rows],
        ACTION_WIDTHS,
        [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (4, 1), (4, -1), "CENTER"),
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


def results_table(
    head: Sequence[Cell], rows: Sequence[Row], row_heights: float | None = None
) -> Table:
    return table(
        [list(head), *rows],
        RESULT_WIDTHS,
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
                longest = max(value.split("\n"), key=len)  # a cell may hold plan over spending
                size = fit_font_size(longest, font, font_size, room, smallest=4)
                if size < font_size:
                    where = (column, first_row + index)
                    commands.append(("FONTSIZE", where, where, size))
    return commands


class CostRows:
    """Rows of the cost estimate, with the kind of each (group, line, total)."""

    def __init__(self, value_columns: int = 1) -> None:
        self.rows: list[list[Cell]] = []
        self.kinds: list[str] = []
        self.value_columns = value_columns

    def _summary(self, number: str, label: str, values: Sequence[str], kind: str) -> None:
        self.rows.append([number, label, "", "", "", *values])
        self.kinds.append(kind)

    def group(self, number: str, label: str, values: Sequence[str]) -> None:
        self._summary(number, label, values, "group")

    def line(self, cells: list[Cell]) -> None:
        self.rows.append(cells)
        self.kinds.append("line")

    def total(self, number: str, label: str, values: Sequence[str]) -> None:
        self._summary(number, label, values, "total")


def cost_widths(years: int) -> list[float]:
    """V.A's widths: one value column, or „Razem” and one column per year of the task."""
    if years <= 1:
        return list(COST_WIDTHS)
    values = [YEAR_COLUMN] * (years + 1)
    kind = CONTENT_WIDTH - sum(COST_WIDTHS) + COST_WIDTHS[1] + COST_WIDTHS[5] - sum(values)
    return [COST_WIDTHS[0], kind, *COST_WIDTHS[2:5], *values]


def costs_table(
    head: Sequence[Cell],
    rows: CostRows,
    *,
    year_heads: Sequence[Cell] = (),
    line_height: float | None = None,
) -> Table:
    """V.A: ``head`` the six columns; ``year_heads`` („Razem”, „Rok 1”, …) split the last."""
    widths = cost_widths(len(year_heads) - 1 if year_heads else 1)
    values = len(widths) - 5
    commands: list[tuple[Any, ...]] = [
        ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
        ("FONTSIZE", (3, 1), (-1, -1), NUMBER_FONT_SIZE),
    ]
    data: list[list[Cell]]
    header_rows = 1
    if values > 1:
        data = [
            [*head[:5], head[5], *[""] * (values - 1)],
            ["", "", "", "", "", *year_heads],
        ]
        commands += [("SPAN", (column, 0), (column, 1)) for column in range(5)]
        commands.append(("SPAN", (5, 0), (-1, 0)))
        header_rows = 2
    else:
        data = [list(head)]
    heights: list[float | None] = [None] * header_rows
    for index, kind in enumerate(rows.kinds, start=header_rows):
        if kind in ("group", "total"):
            commands += [
                ("SPAN", (1, index), (4, index)),
                ("BACKGROUND", (0, index), (-1, index), LABEL_FILL),
                ("FONTNAME", (0, index), (-1, index), BOLD),
            ]
            heights.append(None)
        else:
            heights.append(line_height)
    summary_rows = [index for index, kind in enumerate(rows.kinds) if kind != "line"]
    commands += number_cell_commands(
        rows.rows, range(3, len(widths)), widths, header_rows, summary_rows
    )
    return table(
        [*data, *rows.rows],
        widths,
        commands,
        header_rows=header_rows,
        row_heights=heights if line_height is not None else None,
    )


def sources_table(
    head: Sequence[Cell],
    rows: Sequence[Row],
    bold_rows: Sequence[int] = (),
    row_height: float | None = None,
) -> Table:
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
        [list(head), *rows],
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


def signature_block(name: str, role: str, date_label: str) -> Flowable:
    """Who signs, a line for the date, a line for the signature."""
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
            markup(escape_text(date_label), st.note),
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


def signatures(people: Sequence[tuple[str, str]], caption: str, date_label: str) -> list[Flowable]:
    """The signature part: the form's caption (markup), one block per person who signs.

    The caption and every block are one unit where they fit a page: a heading
    never waits alone at the foot of a page, nor a last signature alone at the
    top of the next (more people than a page holds split between blocks).
    """
    st = styles()
    heading = table(
        [[markup(f"<b>{caption}</b>", st.label)]],
        [CONTENT_WIDTH],
        [("BACKGROUND", (0, 0), (-1, -1), LABEL_FILL), ("BOX", (0, 0), (-1, -1), LINE_WIDTH, INK)],
        grid=False,
    )
    heading.spaceBefore = 8
    blocks = [signature_block(name, role, date_label) for name, role in people]
    return [KeepTogether([heading, Spacer(1, 5 * mm), *blocks])]


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
