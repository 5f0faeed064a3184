"""The sections of a printed form: order and labels from the call, content from here.

A call definition lists its form's sections (id and label), because operators
correct their templates and the wording was never checked against the
official text. This module only knows which *content* belongs under which
section id of each kind of form; labels and order are always the call's. A
section the mapping does not know prints „nie dotyczy”, and content the call's
sections never ask for is still printed at the end, so nothing a volunteer
wrote can silently disappear from paper.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reportlab.platypus import Flowable

from mms_desktop.documents.layout import (
    markup,
    section_heading,
    styles,
    subsection_label,
    text_box,
)
from mms_desktop.domain.call import CallDefinition, FormKind
from mms_desktop.i18n import tr

# Content blocks by section id, per kind of form (statutory templates of 2018).
FULL_FORM: dict[str, tuple[str, ...]] = {
    "I.1": ("addressee",),
    "I.2": ("task_kind",),
    "II.1": ("applicant",),
    "II.2": ("contact",),
    "II.3": ("group",),
    "III.1": ("title",),
    "III.2": ("dates",),
    "III.3": ("description",),
    "III.4": ("plan",),
    "III.5": ("expected_results",),
    "III.6": ("results",),
    "IV.1": ("experience",),
    "IV.2": ("resources",),
    "V.A": ("costs",),
    "V.B": ("sources",),
    "V.C": ("cost_split",),
    "VI": ("other",),
    "VII": ("declarations",),
}
SIMPLIFIED_FORM: dict[str, tuple[str, ...]] = {
    "I.1": ("addressee",),
    "I.2": ("title",),
    "I.3": ("dates",),
    "II.1": ("applicant",),
    "II.2": ("contact",),
    "II.3": ("group",),
    "III.1": ("description", "plan"),
    "III.2": ("expected_results",),
    "III.3": ("results",),
    "III.4": ("experience", "resources"),
    "IV.1": ("costs",),
    "IV.2": ("sources",),
    "V": ("declarations",),
}
FORM_BLOCKS = {FormKind.FULL: FULL_FORM, FormKind.SIMPLIFIED: SIMPLIFIED_FORM}

# What the application itself holds: printed at the end when no section asks for it.
DATA_BLOCKS = (
    "title",
    "dates",
    "applicant",
    "contact",
    "group",
    "description",
    "plan",
    "expected_results",
    "results",
    "experience",
    "resources",
    "costs",
    "sources",
    "other",
    "declarations",
)

_DIGITS = re.compile(r"^\d+$")


def section_number(section_id: str) -> str:
    """How a section id is printed: ``III`` → ``III.``, ``III.4`` → ``4.``, ``V.A`` → ``V.A``."""
    parts = section_id.split(".")
    if len(parts) == 1:
        return f"{section_id}."
    last = parts[-1]
    if _DIGITS.match(last):
        return f"{last}." if len(parts) == 2 else f"{last})"
    return section_id


class FormContent:
    """What goes under the sections: a filled application or empty fields.

    ``block(name, captioned)`` returns the flowables of one content block; an
    empty list means there is nothing to print there („nie dotyczy”).
    ``captioned`` asks for a caption naming the content, for a section that
    holds more than one block.
    """

    group_inline = False  # the applicant block carries the informal group's data

    def block(self, name: str, captioned: bool) -> list[Flowable]:
        builder: Callable[[bool], list[Flowable]] = getattr(self, f"block_{name}")
        return builder(captioned)

    def has_data(self, name: str) -> bool:
        """Whether a block not asked for by the call still has something to show."""
        return True


def not_applicable() -> list[Flowable]:
    return [text_box([markup(tr("pdf.not_applicable"), styles().body)])]


def render_sections(call: CallDefinition, content: FormContent) -> list[Flowable]:
    """The call's sections in its order, each with its content."""
    mapping = FORM_BLOCKS.get(call.form, FULL_FORM)
    section_ids = [section.id for section in call.sections]
    placed = {name for section_id in section_ids for name in mapping.get(section_id, ())}
    content.group_inline = "group" not in placed
    story: list[Flowable] = []
    for section in call.sections:
        names = mapping.get(section.id, ())
        is_parent = any(other.startswith(section.id + ".") for other in section_ids)
        top_level = "." not in section.id
        if top_level:
            story.append(section_heading(section_number(section.id), section.label))
        else:
            story.append(subsection_label(section_number(section.id), section.label))
        if names:
            flowables: list[Flowable] = []
            for name in names:
                flowables.extend(content.block(name, captioned=len(names) > 1))
            story.extend(flowables or not_applicable())
        elif not is_parent:
            story.extend(not_applicable())
    leftovers = [
        name
        for name in DATA_BLOCKS
        if name not in placed
        and not (name == "group" and content.group_inline)
        and content.has_data(name)
    ]
    if leftovers:
        story.append(section_heading("", tr("pdf.more_heading")))
        for name in leftovers:
            story.extend(content.block(name, captioned=True) or not_applicable())
    return story
