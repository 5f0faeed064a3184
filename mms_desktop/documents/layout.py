"""Page machinery shared by every printed form: page, styles, boxes, tables.

A4 portrait, 18 mm side margins; a running header and footer sit inside the
printable area (nothing is drawn closer than 10 mm to the paper's edge). The
footer's "Strona X z Y" needs the page count, so pages are kept until the end
and decorated then (the usual two-pass canvas).

Text the user typed goes either through :func:`escape_text` into a Paragraph
(free texts, which may run over pages) or, in table cells, is wrapped here to
plain lines (:func:`cell_text`): no markup, and far cheaper to lay out. Any
text may be longer than a page; tables split inside a row when they must.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache, partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics.barcode import qr
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from mms_desktop import i18n
from mms_desktop.documents.fonts import BOLD, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 21 * mm
MARGIN_BOTTOM = 21 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.black
RULE = colors.Color(0.25, 0.25, 0.25)
MUTED = colors.Color(0.3, 0.3, 0.3)
SECTION_FILL = colors.Color(0.78, 0.78, 0.78)
LABEL_FILL = colors.Color(0.9, 0.9, 0.9)
WATERMARK = colors.Color(0.45, 0.45, 0.45)
LINE_WIDTH = 0.5
CELL_PADDING = 2.5

TABLE_FONT_SIZE = 8
# reportlab splits a text cell between pages assuming lines 1.2 × the font size apart.
TABLE_LEADING = 1.2 * TABLE_FONT_SIZE
NUMBER_FONT_SIZE = 7.5
ROW_SPLIT_GAP = 30 * mm

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def using_language(language: str) -> AbstractContextManager[None]:
    """Translate with ``language`` for the duration of one build (this thread only)."""
    return i18n.using(language)


def clean_text(value: str) -> str:
    """User text with ``\n`` line ends, tabs as spaces, no control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", value).strip()


def escape_text(value: str) -> str:
    """User text → paragraph markup: <, >, & escaped; line breaks kept."""
    return escape(clean_text(value)).replace("\n", "<br/>")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_small: ParagraphStyle
    caption: ParagraphStyle
    section: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    form_title: ParagraphStyle
    basis: ParagraphStyle
    subtitle: ParagraphStyle
    note: ParagraphStyle
    big: ParagraphStyle
    centered: ParagraphStyle


@cache
def styles() -> Styles:
    """The paragraph styles, made once (fonts registered first)."""
    register_fonts()

    def style(name: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=extra.pop("fontName", REGULAR), fontSize=size, leading=leading, **extra
        )

    return Styles(
        body=style("body", 9, 11.5),
        cell=style("cell", TABLE_FONT_SIZE, TABLE_LEADING),
        cell_bold=style("cell_bold", TABLE_FONT_SIZE, TABLE_LEADING, fontName=BOLD),
        cell_head=style("cell_head", 7, 8.5, fontName=BOLD, alignment=TA_CENTER),
        cell_head_small=style("cell_head_small", 6.5, 8, fontName=BOLD, alignment=TA_CENTER),
        caption=style("caption", 7.5, 9.5, fontName=BOLD, textColor=MUTED),
        section=style("section", 10, 12.5, fontName=BOLD),
        label=style("label", 8.5, 10.5),
        title=style("title", 14, 18, fontName=BOLD, alignment=TA_CENTER),
        form_title=style("form_title", 10.5, 13.5, fontName=BOLD, alignment=TA_CENTER),
        basis=style("basis", 7, 8.5, alignment=TA_RIGHT, leftIndent=CONTENT_WIDTH * 0.45),
        subtitle=style("subtitle", 8, 10, alignment=TA_CENTER, textColor=MUTED),
        note=style("note", 7.5, 9.5, textColor=MUTED),
        big=style("big", 26, 32, fontName=BOLD, alignment=TA_CENTER),
        centered=style("centered", 9, 11.5, alignment=TA_CENTER),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text (escaped)."""
    return Paragraph(escape_text(text), style)


def markup(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of our own markup (catalog text with <b> etc.)."""
    return Paragraph(text, style)


@lru_cache(maxsize=1 << 16)
def _width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the column, cut into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and _width(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current]


def wrap_lines(
    text: str, width: float, font: str = REGULAR, size: float = TABLE_FONT_SIZE
) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (at spaces; a longer word is cut).

    Only plain spaces break a line: a no-break space keeps "5 000 zł" whole.
    """
    lines: list[str] = []
    space = _width(" ", font, size)
    for source in clean_text(text).split("\n"):
        current: list[str] = []
        used = 0.0
        for word in source.split(" "):
            if not word:
                continue
            needed = _width(word, font, size)
            if needed > width:
                if current:
                    lines.append(" ".join(current))
                *whole, last = _break_word(word, font, size, width)
                lines.extend(whole)
                current, used = [last], _width(last, font, size)
            elif not current:
                current, used = [word], needed
            elif used + space + needed <= width:
                current.append(word)
                used += space + needed
            else:
                lines.append(" ".join(current))
                current, used = [word], needed
        if current:
            lines.append(" ".join(current))
    return lines


def cell_text(text: str, width: float, font: str = REGULAR, size: float = TABLE_FONT_SIZE) -> str:
    """A table cell's text, wrapped to the column as plain lines.

    Plain strings cost next to nothing for the table to lay out and draw (a
    Paragraph per cell would be wrapped again on every page split and when
    drawn); the table can still split a tall cell between its lines.
    """
    return "\n".join(wrap_lines(text, width - 2 * CELL_PADDING, font, size))


def fit_font_size(text: str, font: str, size: float, width: float, smallest: float = 5) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width``."""
    needed = _width(text, font, size)
    if needed <= width:
        return size
    return max(smallest, size * width / needed)


@lru_cache(maxsize=256)
def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis at a word boundary so that it fits ``width``.

    Words are measured once each, not the whole text again for every word
    taken off (a report's running header, a long title on every page, made
    that quadratic). A single word too long for the room is cut inside it.
    """
    if _width(text, font, size) <= width:
        return text
    ellipsis = " …"
    room = width - _width(ellipsis, font, size)
    space = _width(" ", font, size)
    kept: list[str] = []
    used = 0.0
    for word in text.split(" "):
        needed = _width(word, font, size) + (space if kept else 0.0)
        if used + needed > room:
            break
        kept.append(word)
        used += needed
    shortened = " ".join(kept).rstrip(" ·,;:–-")
    if shortened:
        return shortened + ellipsis
    cut = text
    while cut and _width(cut + "…", font, size) > width:
        cut = cut[: len(cut) // 2] if _width(cut, font, size) > 2 * width else cut[:-1]
    return cut.rstrip() + "…"


# --- tables -----------------------------------------------------------------


class FormTable(Table):  # type: ignore[misc]
    """A Table that draws all its plain-text cells as one text object.

    Cells hold pre-wrapped plain text (see :func:`cell_text`); reportlab draws
    each of their lines as a separate text object, which is most of the time
    a long application or report takes to print. Everything else is
    reportlab's own.
    """

    _continuation = False
    _curcellstyle: Any

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split between rows, or inside a tall row when that fills the page better.

        reportlab splits between rows first and only then inside a row, so the
        rest of a tall row could start on the same page under a repeated
        header. Here a row is split in place when splitting before it would
        leave more than ``ROW_SPLIT_GAP`` empty, and the rest of a split table
        never starts mid-page: it waits for the next page.
        """
        if not self.splitInRow:
            return list(super().split(availWidth, availHeight))
        self._calc(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        if self._continuation and frame is not None and not frame._atTop:
            return []
        first = self._getFirstPossibleSplitRowPosition(availHeight)
        left_empty = availHeight - sum(self._rowHeights[:first])
        attempts = (True, False) if left_empty > ROW_SPLIT_GAP else (False, True)
        for in_row in attempts:
            result = list(self._splitRows(availHeight, doInRowSplit=in_row))
            if len(result) == 2:
                result[1]._continuation = True
            if result:
                return result
        return []

    def draw(self) -> None:
        # Every plain-text cell of the table goes into one text object, drawn
        # last: reportlab makes a text object (BT … ET, font, position) per
        # line of every cell, most of the time a long statement takes to print.
        self._text: Any = None
        self._text_style: tuple[Any, ...] | None = None
        self._text_color: Any = None
        super().draw()
        if self._text is not None:
            self.canv.drawText(self._text)
            self._text = None

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        alignment = cellstyle.alignment
        if (
            not isinstance(cellval, str)
            or alignment not in ("LEFT", "RIGHT", "CENTER", "CENTRE")
            or getattr(cellstyle, "direction", None)
            or getattr(cellstyle, "shaping", None)
            or cellstyle.href
            or cellstyle.destination
            or getattr(self, "_text", False) is False  # drawn outside draw()
        ):
            if getattr(self, "_text", None) is not None:
                # What came before is drawn first: the file keeps the reading order.
                self.canv.drawText(self._text)
                self._text, self._text_style, self._text_color = None, None, None
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        (column_x, row_y), (column_width, row_height) = pos, size
        lines = cellval.split("\n")
        font, leading, font_size = cellstyle.fontname, cellstyle.leading, cellstyle.fontsize
        if cellstyle.valign == "BOTTOM":
            y = row_y + cellstyle.bottomPadding + len(lines) * leading - font_size
        elif cellstyle.valign == "MIDDLE":
            room = cellstyle.bottomPadding + row_height - cellstyle.topPadding
            y = row_y + (room + len(lines) * leading) / 2.0 - font_size
        else:
            y = row_y + row_height - cellstyle.topPadding - font_size
        if self._text is None:
            self._text = self.canv.beginText()
        text = self._text
        style = (font, font_size, leading)
        if style != self._text_style:
            text.setFont(font, font_size, leading)
            self._text_style = style
        if cellstyle.color != self._text_color:
            text.setFillColor(cellstyle.color)
            self._text_color = cellstyle.color
        code = text._code  # positions written here: reportlab's fp_str is slow in pure Python
        if alignment == "LEFT":
            # One origin; each line moves down by the leading (T*).
            code.append(f"1 0 0 1 {column_x + cellstyle.leftPadding:.3f} {y:.3f} Tm")
            for line in lines:
                text.textLine(line)
            return
        if alignment == "RIGHT":
            edge, share = column_x + column_width - cellstyle.rightPadding, 1.0
        else:
            edge = column_x + (column_width + cellstyle.leftPadding - cellstyle.rightPadding) / 2
            share = 0.5
        for line in lines:
            if line:
                code.append(
                    f"1 0 0 1 {edge - share * _width(line, font, font_size):.3f} {y:.3f} Tm"
                )
                text.textLine(line)  # textOut would measure the line again
            y -= leading


class QrCode(qr.QrCode):  # type: ignore[misc]
    """reportlab's QR flowable, always black on white whatever was drawn before."""

    def draw(self) -> None:
        self.canv.setFillColor(INK)
        super().draw()


class FormCellStyle(CellStyle):  # type: ignore[misc]
    """A cell's defaults on every form: DejaVu, small type, tight padding, top-aligned.

    As defaults of the cell style, not as table commands: a command is applied
    to every cell it spans, one by one (a 300-row table, eight such commands:
    twenty thousand assignments before anything is laid out).
    """

    fontname = REGULAR
    fontsize = TABLE_FONT_SIZE
    leading = TABLE_LEADING
    valign = "TOP"
    leftPadding = CELL_PADDING
    rightPadding = CELL_PADDING
    topPadding = 2
    bottomPadding = 3


def table(
    data: Sequence[Sequence[Any]],
    widths: Sequence[float],
    commands: Sequence[tuple[Any, ...]] = (),
    *,
    header_rows: int = 0,
    grid: bool = True,
    repeat_rows: int | None = None,
    split_in_row: bool = False,
    row_heights: Sequence[float | None] | None = None,
) -> Table:
    """A form table: DejaVu everywhere, thin grid, header rows repeated on each page.

    ``repeat_rows`` (default: the header rows) repeat on a continued page;
    ``split_in_row`` lets one tall row (a long description) continue on the
    next page instead of failing the layout.
    """
    style: list[tuple[Any, ...]] = []
    if grid:
        style.append(("GRID", (0, 0), (-1, -1), LINE_WIDTH, INK))
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), LABEL_FILL))
        style.append(("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"))
    style.extend(commands)
    rows = [list(row) for row in data]
    result = FormTable(
        rows,
        cellStyles=[[FormCellStyle("") for _ in row] for row in rows],
        colWidths=list(widths),
        rowHeights=list(row_heights) if row_heights is not None else None,
        repeatRows=header_rows if repeat_rows is None else repeat_rows,
        splitByRow=1,
        splitInRow=1 if split_in_row else 0,
        hAlign="LEFT",
    )
    result.setStyle(TableStyle(style))
    return result


def section_heading(number: str, label: str, *, is_markup: bool = False) -> Table:
    """A top-level section (I., II., …): a grey band across the page.

    ``is_markup``: ``label`` is paragraph markup already (a template's text).
    """
    st = styles()
    text = label if is_markup else escape_text(label)
    heading = table(
        [[markup(f"{escape(number)} {text}".strip(), st.section)]],
        [CONTENT_WIDTH],
        [
            ("BACKGROUND", (0, 0), (-1, -1), SECTION_FILL),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    heading.spaceBefore = 8
    heading.keepWithNext = 1
    return heading


def subsection_label(number: str, label: str) -> Table:
    """The label of a numbered field (1., 2., V.A, …) on the light grey of a form."""
    st = styles()
    box = table(
        [[markup(f"<b>{escape(number)}</b> {escape_text(label)}", st.label)]],
        [CONTENT_WIDTH],
        [("BACKGROUND", (0, 0), (-1, -1), LABEL_FILL)],
    )
    box.spaceBefore = 4
    box.keepWithNext = 1
    return box


def text_box(paragraphs: Sequence[Flowable], caption: str | None = None) -> Table:
    """A white field holding text; it may run over several pages.

    One row per paragraph, and each row may split, so no length of text can
    break the layout; the caption (if any) repeats on a continued page.
    """
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [("BOX", (0, 0), (-1, -1), LINE_WIDTH, INK)]
    if caption is not None:
        rows.append([markup(escape_text(caption), styles().caption)])
        commands.append(("LINEBELOW", (0, 0), (-1, 0), LINE_WIDTH * 0.6, MUTED))
        commands.append(("BOTTOMPADDING", (0, 0), (-1, 0), 1.5))
    rows.extend([paragraph] for paragraph in paragraphs)
    if len(rows) > 1:
        commands.append(("TOPPADDING", (0, 1 if caption is not None else 0), (-1, -1), 1.5))
    return table(
        rows,
        [CONTENT_WIDTH],
        commands,
        grid=False,
        repeat_rows=1 if caption is not None and len(rows) > 1 else 0,
        split_in_row=True,
    )


def subheading(text: str) -> Paragraph:
    """A small heading inside a section, kept with what follows it."""
    paragraph = markup(escape_text(text), styles().caption)
    paragraph.keepWithNext = 1
    return paragraph


def text_paragraphs(text: str, style: ParagraphStyle | None = None) -> list[Flowable]:
    """User text as paragraphs, one per line the user wrote."""
    style = style or styles().body
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    return [para(line, style) for line in lines]


def field_table(
    rows: Sequence[tuple[str, str | Flowable]],
    label_width: float = 52 * mm,
    row_height: float | None = None,
) -> Table:
    """Label | value rows, the label on grey, as the applicant's data in part II.

    ``row_height``: a minimum height for each row (room to write by hand).
    """
    styles()
    value_width = CONTENT_WIDTH - label_width
    data = [
        [
            cell_text(label, label_width),
            cell_text(value, value_width) if isinstance(value, str) else value,
        ]
        for label, value in rows
    ]
    return table(
        data,
        [label_width, value_width],
        [("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)],
        split_in_row=True,
        row_heights=None if row_height is None else [row_height] * len(data),
    )


def writing_lines(count: int, caption: str | None = None, height: float = 7 * mm) -> Table:
    """An empty field with dotted writing lines, for a form filled in by hand."""
    rows: list[list[Any]] = []
    heights: list[float] = []
    commands: list[tuple[Any, ...]] = [("BOX", (0, 0), (-1, -1), LINE_WIDTH, INK)]
    first = 0
    if caption is not None:
        rows.append([markup(escape_text(caption), styles().caption)])
        heights.append(12)
        first = 1
    rows.extend([[""]] * count)
    heights.extend([height] * count)
    commands.append(("LINEBELOW", (0, first), (-1, -2), 0.4, MUTED, None, (1, 2)))
    return table(rows, [CONTENT_WIDTH], commands, grid=False, row_heights=heights)


# --- pages ------------------------------------------------------------------


@dataclass(frozen=True)
class PageDecor:
    """What every page carries besides the content.

    ``footer_lines``: the first is printed bold (the control sum, or the draft
    notice); ``page_label`` makes "Strona X z Y".
    """

    header_left: str
    header_right: str
    footer_lines: tuple[str, ...]
    page_label: Callable[[int, int], str]
    watermark: str | None = None

    def draw_watermark(self, canvas: Canvas) -> None:
        """The draft mark across the page, translucent so the text stays legible."""
        if not self.watermark:
            return
        canvas.saveState()
        # Sized so that the turned text stays well inside the margins.
        size = min(56.0, (CONTENT_WIDTH * 1.2) / stringWidth(self.watermark, BOLD, 1))
        canvas.setFont(BOLD, size)
        canvas.setFillColor(WATERMARK)
        canvas.setFillAlpha(0.22)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -size / 3, self.watermark)
        canvas.restoreState()

    def overlay(self, canvas: Canvas, page: int, pages: int) -> None:
        """Drawn when the page count is known: watermark, running header and footer."""
        self.draw_watermark(canvas)
        canvas.saveState()
        left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
        # Header: 14.5 mm from the top edge, a rule below it.
        header_y = PAGE_HEIGHT - 14.5 * mm
        right_text = self.header_right
        right_width = stringWidth(right_text, BOLD, 7.5) if right_text else 0
        canvas.setFillColor(INK)
        if right_text:
            canvas.setFont(BOLD, 7.5)
            canvas.drawRightString(right, header_y, right_text)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        room = CONTENT_WIDTH - right_width - (6 * mm if right_text else 0)
        canvas.drawString(left, header_y, fit_text(self.header_left, REGULAR, 7.5, room))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(left, header_y - 2 * mm, right, header_y - 2 * mm)
        # Footer: a rule, then up to two lines, the page number on the right.
        rule_y = 18.5 * mm
        canvas.line(left, rule_y, right, rule_y)
        label = self.page_label(page, pages)
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(right, 15.3 * mm, label)
        room = CONTENT_WIDTH - stringWidth(label, REGULAR, 8) - 6 * mm
        baseline = 15.3 * mm
        for index, line in enumerate(self.footer_lines[:2]):
            font, size = (BOLD, 8.0) if index == 0 else (REGULAR, 7.0)
            size = fit_font_size(line, font, size, room, smallest=5.5)
            canvas.setFont(font, size)
            canvas.setFillColor(INK if index == 0 else MUTED)
            canvas.drawString(left, baseline, fit_text(line, font, size, room))
            baseline -= 3.2 * mm
        canvas.restoreState()


class KeepWithNext(KeepTogether):  # type: ignore[misc]
    """A heading and the start of what follows it stay on one page.

    Plain KeepTogether moves a heading with its whole (tall) table to the next
    page, leaving most of a page empty. Here the group moves to the next page
    only when less than ``min_space`` is left and it does not fit; otherwise
    the heading stays and its table or text starts under it (and continues,
    split, on the next page).
    """

    min_space = 60 * mm

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (availWidth, availHeight):
            self.wrap(availWidth, availHeight)
        content = list(self._content)
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and frame._atTop
        if availHeight >= self._H or at_top:
            return content
        if availHeight < self.min_space or availHeight < self._H0:
            return [FrameBreak(), *content]
        return content


class _DecoratedCanvas(Canvas):  # type: ignore[misc]
    """Keeps each finished page until the end, then adds header and footer."""

    def __init__(
        self, *args: Any, decor: PageDecor, created: datetime | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._finished: list[dict[str, Any]] = []
        if created is not None:
            # The version's time, not the build's: two printouts of one version
            # stay byte for byte the same.
            stamp = pdf_date(created)
            self.setDateFormatter(lambda *_: stamp)

    def showPage(self) -> None:
        self._finished.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self._finished)
        for number, state in enumerate(self._finished, start=1):
            self.__dict__.update(state)
            self._decor.overlay(self, number, pages)
            Canvas.showPage(self)
        Canvas.save(self)


def pdf_date(moment: datetime) -> str:
    """A PDF date string (``D:20270312143000+01'00'``) of an aware or naive (UTC) time."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{rest:02d}'"


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ()
    language: str = "pl"
    # The submitted version's time: the file's creation date (a draft has none).
    created: datetime | None = None


def build_pdf(story: list[Flowable], decor: PageDecor, metadata: Metadata) -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF's bytes.

    ``invariant``: no build time or random id inside, so the same input gives
    the same bytes (two printouts of one version compare equal); the creation
    date is the submitted version's time (``metadata.created``).
    """
    register_fonts()
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=metadata.title,
        author=metadata.author,
        subject=metadata.subject,
        creator="mms-desktop",
        keywords=list(metadata.keywords),
        lang=metadata.language,
        invariant=1,
        initialFontName=REGULAR,
        initialFontSize=9,
        displayDocTitle=1,
        keepTogetherClass=KeepWithNext,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    # Binary (compressed) streams without the ASCII85 layer: smaller files, and
    # without reportlab's optional C accelerator ASCII85 costs a fifth of the build.
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        document.build(
            story,
            canvasmaker=partial(_DecoratedCanvas, decor=decor, created=metadata.created),
        )
    finally:
        rl_config.useA85 = previous
    return buffer.getvalue()
