"""A printed form in its template's order: labels, instructions and footnotes from data.

The template (resources/forms, joined with the call's own points) says what is
printed and in which words; this module only lays it out and asks the content
(a filled application or report, or the blank form) for what goes under each
point. A point whose content does not apply prints „nie dotyczy”; content the
template never asks for is still printed at the end, so nothing a volunteer
wrote can silently disappear from paper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from mms_desktop.documents.layout import (
    CONTENT_WIDTH,
    INK,
    LABEL_FILL,
    LINE_WIDTH,
    escape_text,
    markup,
    section_heading,
    styles,
    table,
    text_box,
)
from mms_desktop.documents.templates import Choices, plain_text, text_markup
from mms_desktop.domain.form_template import Confidence, FormTemplate, Item, ItemKind, Text
from mms_desktop.i18n import tr

_DIGITS = re.compile(r"^\d+$")


def section_number(section_id: str) -> str:
    """How an id is printed: ``III`` → ``III.``, ``III.4`` → ``4.``, ``V.A`` → ``V.A``."""
    parts = section_id.split(".")
    if len(parts) == 1:
        return f"{section_id}."
    last = parts[-1]
    if _DIGITS.match(last):
        return f"{last}." if len(parts) == 2 else f"{last})"
    return section_id


class FormContent:
    """What goes under the points: a filled document or empty fields.

    ``block(item)`` returns the flowables of the point's content; an empty
    list means it does not apply here („nie dotyczy”).
    """

    #: Which „*” alternatives stand (none decided: the blank form).
    choices: Choices = MappingProxyType({})
    #: Values of the template's gaps, e.g. {"year": "2027"}.
    values: Mapping[str, str] = MappingProxyType({})
    joint_offer = False
    #: The blank form: whether an offer is joint is for the hand that fills it in.
    blank = False

    def block(self, item: Item) -> list[Flowable]:
        builder: Callable[[Item], list[Flowable]] = getattr(self, f"block_{item.block}")
        return builder(item)

    def leftovers(self, placed: set[str]) -> list[tuple[str, Item]]:
        """Blocks with data that no point of the template asks for: (caption, item)."""
        return []


def leftover_item(block: str) -> Item:
    """A point outside the form, for data it has no place for (caption from the catalog)."""
    label = Text(tr(f"pdf.leftover.{block}"), Confidence.OPERATOR)
    return Item(id=block, kind=ItemKind.POINT, label=label, block=block, number="")


def not_applicable() -> list[Flowable]:
    return [text_box([markup(escape_text(tr("pdf.not_applicable")), styles().body)])]


def _footnote_marks(ids: Sequence[str]) -> str:
    return "".join(f"<super>{escape_text(note)})</super>" for note in ids)


def label_markup(text: Text, content: FormContent, footnotes: Sequence[str] = ()) -> str:
    marks = list(footnotes)
    if text.footnote:
        marks.insert(0, text.footnote)
    return text_markup(text, content.choices, content.values) + _footnote_marks(marks)


def point_label(item: Item, content: FormContent) -> Flowable:
    """The point's number, label and instruction on the form's light grey."""
    st = styles()
    number = section_number(item.id) if item.number is None else item.number
    label = label_markup(item.label, content, item.footnotes) if item.label else ""
    rows = [[markup(f"<b>{escape_text(number)}</b> {label}".strip(), st.label)]]
    if item.instruction is not None:
        instruction = text_markup(item.instruction, content.choices, content.values)
        rows.append([markup(f"({instruction})", st.note)])
    if item.operator:
        rows.append([markup(escape_text(tr("pdf.operator_point")), st.note)])
    box = table(
        rows,
        [CONTENT_WIDTH],
        [
            ("BACKGROUND", (0, 0), (-1, -1), LABEL_FILL),
            ("BOX", (0, 0), (-1, -1), LINE_WIDTH, INK),
            ("TOPPADDING", (0, 1), (-1, -1), 0),
        ],
        grid=False,
    )
    box.spaceBefore = 4
    box.keepWithNext = 1
    return box


def declarations_list(item: Item, content: FormContent) -> list[Flowable]:
    """„Oświadczam(-my), że:” and the numbered declarations, alternatives decided."""
    st = styles()
    paragraphs: list[Flowable] = [
        markup(f"{number})&nbsp;{text_markup(text, content.choices, content.values)}", st.body)
        for number, text in enumerate(item.items, start=1)
    ]
    return [text_box(paragraphs)]


def footnotes_block(template: FormTemplate, ids: Sequence[str], content: FormContent) -> Flowable:
    st = styles()
    lines = []
    for note_id in ids:
        note = template.footnote(note_id)
        if note is not None:
            text = text_markup(note.text, content.choices, content.values)
            lines.append(markup(f"<super>{escape_text(note.id)})</super> {text}", st.note))
    rule = table(
        [[line] for line in lines],
        [CONTENT_WIDTH],
        [("LINEABOVE", (0, 0), (0, 0), LINE_WIDTH, INK), ("TOPPADDING", (0, 0), (-1, -1), 1)],
        grid=False,
    )
    rule.spaceBefore = 3
    return rule


def _item_footnotes(item: Item) -> list[str]:
    notes = list(item.footnotes)
    notes += [text.footnote for text in item.texts() if text.footnote]
    notes += [row.footnote for row in item.rows if row.footnote]
    return notes


def render_template(template: FormTemplate, content: FormContent) -> list[Flowable]:
    """Every part and point of ``template`` in its order, each with its content."""
    story: list[Flowable] = []
    pending_notes: list[str] = []

    def flush_notes() -> None:
        if pending_notes:
            story.append(footnotes_block(template, list(dict.fromkeys(pending_notes)), content))
            pending_notes.clear()

    placed: set[str] = set()
    for item in template.items:
        if item.kind is ItemKind.SECTION:
            flush_notes()
            label = label_markup(item.label, content) if item.label else ""
            number = section_number(item.id) if item.number is None else item.number
            story.append(section_heading(number, label, is_markup=True))
            continue
        placed.add(item.block)
        pending_notes += _item_footnotes(item)
        if item.kind is ItemKind.HEAD:
            story += content.block(item)
            continue
        story.append(point_label(item, content))
        if item.kind is ItemKind.DECLARATIONS:
            story += declarations_list(item, content)
            continue
        if item.only == "joint_offer" and not (content.joint_offer or content.blank):
            story += not_applicable()
            continue
        story += content.block(item) or not_applicable()
    flush_notes()
    leftovers = content.leftovers(placed)
    if leftovers:
        story.append(section_heading("", escape_text(tr("pdf.more_heading")), is_markup=True))
        for _name, item in leftovers:
            story.append(point_label(item, content))
            story += content.block(item) or not_applicable()
    return story


def form_title(template: FormTemplate, content: FormContent) -> list[Flowable]:
    """The basis line, the title with its alternatives decided, and the Pouczenie."""
    st = styles()
    story: list[Flowable] = [
        markup(text_markup(template.basis, content.choices), st.basis),
        Spacer(1, 3 * mm),
        markup(text_markup(template.title, content.choices, content.values), st.form_title),
        Spacer(1, 3 * mm),
    ]
    rows = [[markup(f"<b>{text_markup(template.instructions_heading, {})}</b>", st.cell)]]
    rows += [[markup(text_markup(text, {}), st.cell)] for text in template.instructions]
    story.append(
        table(
            rows,
            [CONTENT_WIDTH],
            [("BOX", (0, 0), (-1, -1), LINE_WIDTH, INK), ("TOPPADDING", (0, 1), (-1, -1), 0)],
            grid=False,
        )
    )
    return story


def template_labels(template: FormTemplate, values: Mapping[str, str] | None = None) -> list[str]:
    """The labels a reader finds, in printing order (what the tests look for)."""
    return [plain_text(item.label, values) for item in template.items if item.label is not None]
