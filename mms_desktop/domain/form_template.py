"""A statutory form as data: its title, Pouczenie, points, tables and declarations.

The wording of the offer and report forms (Dz.U. 2018 poz. 2057 and 2055) lives
in ``resources/forms/*.json``, one versioned template per regulation and
annex, each text with its confidence: ``verbatim`` when it was read in a
public copy of the form (the copy's address is kept), ``reconstructed`` when it
was not. A correction of the wording is a change of data, never of code.

A text may hold alternatives marked „*” in the form — ``{{key|first*|second*}}``
— of which the printout strikes out the one that does not apply. ``key`` names
what decides it (:class:`Choice`); the first alternative is choice 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

FORM_TEMPLATE_SCHEMA = "mms-form-template"
FORM_TEMPLATE_SCHEMA_VERSION = 1

# Default templates by the call's kind of form (ids of resources/forms/*.json).
OFFER_TEMPLATES = {"full": "dz-u-2018-2057-zal-1", "simplified": "dz-u-2018-2055-zal-1"}
REPORT_TEMPLATES = {"full": "dz-u-2018-2057-zal-5", "simplified": "dz-u-2018-2055-zal-2"}

_ALTERNATIVES = re.compile(r"\{\{([a-z_]+)\|([^{}]*)\}\}")


class Confidence(StrEnum):
    VERBATIM = "verbatim"  # read in a public copy of the form
    RECONSTRUCTED = "reconstructed"  # as the form is usually reproduced; not checked
    OPERATOR = "operator"  # a call's own point, in the operator's words (never in a template)


class Choice(StrEnum):
    """What decides which of a text's „*” alternatives stands (0 = the first)."""

    OFFERORS = "offerors"  # one offeror (0) or a joint offer (1)
    TAX_ARREARS = "tax_arrears"  # nie zalega (0) / zalega (1)
    SOCIAL_INSURANCE_ARREARS = "social_insurance_arrears"
    REGISTER = "register"  # Krajowy Rejestr Sądowy (0) / another register (1)
    REPORT_KIND = "report_kind"  # częściowe (0) / końcowe (1)


@dataclass(frozen=True)
class Text:
    text: str
    confidence: Confidence
    source: str | None = None
    note: str = ""
    footnote: str | None = None  # the id of a footnote the text carries

    def parts(self) -> Iterator[str | tuple[Choice, tuple[str, ...]]]:
        """Plain runs and alternatives, in order."""
        position = 0
        for match in _ALTERNATIVES.finditer(self.text):
            if match.start() > position:
                yield self.text[position : match.start()]
            yield Choice(match.group(1)), tuple(match.group(2).split("|"))
            position = match.end()
        if position < len(self.text):
            yield self.text[position:]

    def plain(self, separator: str = " / ") -> str:
        """The text as the blank form prints it: every alternative, none struck out."""
        return "".join(
            part if isinstance(part, str) else separator.join(part[1]) for part in self.parts()
        )

    def choices(self) -> set[Choice]:
        return {part[0] for part in self.parts() if not isinstance(part, str)}


@dataclass(frozen=True)
class Row:
    """A row a point prints: a field of the data (``field``) under its label."""

    field: str
    label: Text
    number: str = ""
    value: Text | None = None
    footnote: str | None = None


class ItemKind(StrEnum):
    SECTION = "section"  # a part of the form: I., II., …
    POINT = "point"  # a numbered point with its white field
    DECLARATIONS = "declarations"  # „Oświadczam(-my), że:” and its numbered list
    HEAD = "head"  # the report's head table


@dataclass(frozen=True)
class Item:
    id: str
    kind: ItemKind
    label: Text | None = None
    block: str = ""  # which content fills it (a name the printing code knows)
    instruction: Text | None = None
    footnotes: tuple[str, ...] = ()
    columns: tuple[Text, ...] = ()
    rows: tuple[Row, ...] = ()
    questions: tuple[Text, ...] = ()
    items: tuple[Text, ...] = ()  # the declarations
    only: str = ""  # "joint_offer": applies only to a joint offer („nie dotyczy” otherwise)
    number: str | None = None  # as printed; None: from the id
    operator: bool = False  # the call's own point, not the statutory form's

    def texts(self) -> Iterator[Text]:
        for text in (self.label, self.instruction):
            if text is not None:
                yield text
        yield from self.columns
        for row in self.rows:
            yield row.label
            if row.value is not None:
                yield row.value
        yield from self.questions
        yield from self.items


@dataclass(frozen=True)
class Footnote:
    id: str
    text: Text


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    what: str


@dataclass(frozen=True)
class FormTemplate:
    id: str
    version: int
    document: str  # "offer" or "report"
    regulation: str
    annex: str
    name: str
    basis: Text
    title: Text
    instructions_heading: Text
    instructions: tuple[Text, ...]
    items: tuple[Item, ...]
    footnotes: tuple[Footnote, ...]
    signature_date: Text
    signature_caption: Text
    sources: tuple[Source, ...] = field(default=())

    def footnote(self, footnote_id: str) -> Footnote | None:
        for note in self.footnotes:
            if note.id == footnote_id:
                return note
        return None

    def texts(self) -> Iterator[Text]:
        """Every text of the form, in printing order."""
        yield self.basis
        yield self.title
        yield self.instructions_heading
        yield from self.instructions
        for item in self.items:
            yield from item.texts()
        for note in self.footnotes:
            yield note.text
        yield self.signature_date
        yield self.signature_caption

    def counts(self) -> dict[Confidence, int]:
        """How many of its texts are verbatim and how many reconstructed."""
        result = dict.fromkeys(Confidence, 0)
        for text in self.texts():
            result[text.confidence] += 1
        return result

    def with_points(self, points: tuple[Item, ...], after: Mapping[str, str]) -> FormTemplate:
        """The template with a call's own points inserted, each after the item it names."""
        items = list(self.items)
        for point in points:
            anchor = after.get(point.id, "")
            index = next((i for i, item in enumerate(items) if item.id == anchor), len(items) - 1)
            # After the anchor and everything numbered under it (III → after III.6).
            while index + 1 < len(items) and items[index + 1].id.startswith(anchor + "."):
                index += 1
            items.insert(index + 1, point)
        return FormTemplate(**{**self.__dict__, "items": tuple(items)})


def text_from(data: Any) -> Text:
    return Text(
        text=str(data["text"]),
        confidence=Confidence(data["confidence"]),
        source=data.get("source"),
        note=str(data.get("note", "")),
        footnote=data.get("footnote"),
    )


def _optional_text(data: Mapping[str, Any], key: str) -> Text | None:
    return text_from(data[key]) if key in data else None


def item_from(data: Mapping[str, Any], *, operator: bool = False) -> Item:
    return Item(
        id=str(data["id"]),
        kind=ItemKind(data.get("kind", "point")),
        label=_optional_text(data, "label"),
        block=str(data.get("block", "")),
        instruction=_optional_text(data, "instruction"),
        footnotes=tuple(data.get("footnotes", ())),
        columns=tuple(text_from(column) for column in data.get("columns", ())),
        rows=tuple(
            Row(
                field=str(row["field"]),
                label=text_from(row["label"]),
                number=str(row.get("number", "")),
                value=_optional_text(row, "value"),
                footnote=row.get("footnote"),
            )
            for row in data.get("rows", ())
        ),
        questions=tuple(text_from(question) for question in data.get("questions", ())),
        items=tuple(text_from(entry) for entry in data.get("items", ())),
        only=str(data.get("only", "")),
        number=data.get("number"),
        operator=operator,
    )


def template_from(data: Mapping[str, Any]) -> FormTemplate:
    """A template from its JSON (already checked against form-template.schema.json)."""
    instructions = data["instructions"]
    return FormTemplate(
        id=str(data["id"]),
        version=int(data["version"]),
        document=str(data["document"]),
        regulation=str(data["regulation"]),
        annex=str(data["annex"]),
        name=str(data["name"]),
        basis=text_from(data["basis"]),
        title=text_from(data["title"]),
        instructions_heading=text_from(instructions["heading"]),
        instructions=tuple(text_from(text) for text in instructions["paragraphs"]),
        items=tuple(item_from(item) for item in data["items"]),
        footnotes=tuple(
            Footnote(id=str(note["id"]), text=text_from(note["text"]))
            for note in data.get("footnotes", ())
        ),
        signature_date=text_from(data["signature"]["date"]),
        signature_caption=text_from(data["signature"]["caption"]),
        sources=tuple(
            Source(id=key, url=str(value["url"]), what=str(value["what"]))
            for key, value in data.get("sources", {}).items()
        ),
    )
