"""The statutory form templates (resources/forms) as a call prints them.

A call names the templates of its offer and report (or takes the defaults of
its kind of form) and may add its own points; here they are read once and
joined. :func:`text_markup` turns a template's text into paragraph markup with
the „*” alternative that does not apply struck out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from xml.sax.saxutils import escape

from mms_desktop.domain.call import CallDefinition, OwnPoint
from mms_desktop.domain.form_template import (
    OFFER_TEMPLATES,
    REPORT_TEMPLATES,
    Choice,
    Confidence,
    FormTemplate,
    Item,
    ItemKind,
    Text,
    template_from,
)
from mms_desktop.resources import resource_path

Choices = Mapping[Choice, int | None]
ALTERNATIVE_SEPARATOR = " / "


@cache
def load_template(template_id: str) -> FormTemplate:
    """The template ``resources/forms/<id>.json`` (checked against its schema by the tests)."""
    path = resource_path("forms", f"{template_id}.json")
    return template_from(json.loads(path.read_text(encoding="utf-8")))


def _own_items(points: tuple[OwnPoint, ...]) -> tuple[Item, ...]:
    return tuple(
        Item(
            id=point.id,
            kind=ItemKind.POINT,
            label=Text(point.label, Confidence.OPERATOR),
            block=point.block,
            instruction=Text(point.instruction, Confidence.OPERATOR) if point.instruction else None,
            operator=True,
        )
        for point in points
    )


def _joined(template: FormTemplate, points: tuple[OwnPoint, ...]) -> FormTemplate:
    if not points:
        return template
    return template.with_points(_own_items(points), {point.id: point.after for point in points})


def offer_template(call: CallDefinition) -> FormTemplate:
    """The offer's form for ``call``: its statutory template with the call's own points."""
    template = load_template(call.form_template or OFFER_TEMPLATES[call.form.value])
    return _joined(template, call.own_points)


def report_template(call: CallDefinition) -> FormTemplate:
    template = load_template(call.report_template or REPORT_TEMPLATES[call.form.value])
    return _joined(template, call.report_own_points)


def text_markup(text: Text, choices: Choices, values: Mapping[str, str] | None = None) -> str:
    """Paragraph markup of ``text``: each „*” alternative that does not apply struck out.

    An alternative nobody decided (a blank form, a declaration not yet made)
    is printed whole, for the person who signs to strike out by hand.
    ``values`` fill the template's ``{year}``-style gaps.
    """
    pieces: list[str] = []
    for part in text.parts():
        if isinstance(part, str):
            pieces.append(escape(part.format_map(_Gaps(values or {}))))
            continue
        choice, alternatives = part
        chosen = choices.get(choice)
        shown = [
            f"<strike>{escape(alternative)}</strike>"
            if chosen is not None and index != chosen
            else escape(alternative)
            for index, alternative in enumerate(alternatives)
        ]
        pieces.append(ALTERNATIVE_SEPARATOR.join(shown))
    return "".join(pieces)


def plain_text(text: Text, values: Mapping[str, str] | None = None) -> str:
    """The text as read (every alternative, nothing struck), gaps filled."""
    return text.plain(ALTERNATIVE_SEPARATOR).format_map(_Gaps(values or {}))


class _Gaps(dict[str, str]):
    """Fills ``{year}``; a gap without a value prints as the form's dotted line."""

    def __missing__(self, key: str) -> str:
        return "…………"
