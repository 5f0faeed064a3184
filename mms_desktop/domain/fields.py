"""How a record's fields are declared, and the canonical document derived from it.

Each record (organisation, application, action, …) lists its fields once in
``records``: name, kind, size limit, catalog key and the words its file
schema says about it. The canonical document in both directions is derived
here; the file schemas (``document_schema``), the store's columns
(``storage.codecs``) and the text limits validation enforces (``limits``)
are derived from the same declarations: a new field is its dataclass field
and one declaration beside the others (a test refuses one without the other).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import cached_property
from typing import Any, Generic, TypeVar

from mms_desktop.domain.document_errors import Reader
from mms_desktop.domain.money import decimal_to_document

# Sizes of texts (characters), as the file schemas name them ($defs).
LINE = 500  # a name or a one-line text
CODE = 100  # a unit, a number
PARAGRAPH = 5_000
LONG_TEXT = 20_000
TEXT_SIZES = {CODE: "code", LINE: "line", PARAGRAPH: "paragraph", LONG_TEXT: "long_text"}


class Kind(StrEnum):
    """What a field holds, and so how every codec writes it."""

    TEXT = "text"  # str, "" when empty
    ID = "id"  # a non-empty identifier
    OPTIONAL_ID = "optional_id"  # an identifier or None
    SHA256 = "sha256"  # lowercase hex
    SHA256_OR_EMPTY = "sha256_or_empty"
    DATE = "date"  # a date or None
    DECIMAL = "decimal"
    OPTIONAL_DECIMAL = "optional_decimal"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    OPTIONAL_INTEGER = "optional_integer"
    ENUM = "enum"
    OPTIONAL_ENUM = "optional_enum"
    IDS = "ids"  # a list of identifiers
    RECORD = "record"  # one nested record
    OPTIONAL_RECORD = "optional_record"
    RECORDS = "records"  # a list of nested records


@dataclass(frozen=True)
class Field:
    """One field of a record, declared once."""

    name: str
    kind: Kind
    description: str  # what the file schema says of it (English, for integrators)
    max_length: int | None = None  # texts: characters; lists: rows
    required: bool = False  # texts: a document without it is refused (not read as "")
    enum: type[StrEnum] | None = None
    enum_def: str | None = None  # the schema's shared $defs name for the enum, if any
    record: Record[Any] | None = None  # RECORD, OPTIONAL_RECORD, RECORDS
    minimum: int | None = None  # integers
    maximum: int | None = None
    label: str | None = None  # catalog key of the field's name, where the user sees one
    identity: bool = False  # fixed when the record is made; never saved field by field
    top_level: bool = False  # kept at the document's top level, not in the record
    carried: bool = False  # copied from the accepted application; not edited (a report's)


T = TypeVar("T")
Write = Callable[[Any], Any]
Read = Callable[[Reader], Any]


@dataclass(frozen=True)
class Record(Generic[T]):
    """A record's fields, in the order its documents list them."""

    name: str  # the schema's $defs name ("" for a record written inline)
    cls: type[T]
    description: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return next(item for item in self.fields if item.name == name)

    @property
    def document_fields(self) -> tuple[Field, ...]:
        return tuple(item for item in self.fields if not item.top_level)

    @cached_property
    def plan(self) -> tuple[tuple[str, Write, Read], ...]:
        """Each document field as (name, writer, reader), made once: documents hold
        thousands of rows, and how a field is written does not change between them."""
        return tuple((item.name, writer(item), reader(item)) for item in self.document_fields)

    def extended(self, cls: type[T], *fields: Field) -> Record[T]:
        """The same record with more fields, made as ``cls`` (a subclass holding them)."""
        return Record(self.name, cls, self.description, self.fields + fields)


def _edited_rows(record: Record[Any]) -> Iterator[Field]:
    for item in record.fields:
        if item.kind is Kind.RECORDS and not item.top_level and not item.carried:
            yield item


def text_limits(record: Record[Any]) -> dict[str, int]:
    """The maximum length of each text the user writes, by name.

    Texts of the named sizes only: ids and codes chosen from a call are
    bounded by the file schema alone, and carried texts were checked where
    they were written.
    """
    return {
        item.name: item.max_length
        for item in record.fields
        if item.kind is Kind.TEXT and item.max_length in TEXT_SIZES and not item.carried
    }


def row_text_limits(record: Record[Any]) -> dict[str, dict[str, int]]:
    """For each list of rows the user edits: its rows' text limits."""
    return {item.name: text_limits(item.record) for item in _edited_rows(record) if item.record}


def row_limits(record: Record[Any]) -> dict[str, int]:
    """The maximum number of rows of each list the user edits, by name."""
    return {item.name: item.max_length for item in _edited_rows(record) if item.max_length}


# --- to a document ---------------------------------------------------------------


def _optional(write: Write) -> Write:
    return lambda value: None if value is None else write(value)


def _same(value: Any) -> Any:
    return value


_PLAIN_OUT: dict[Kind, Write] = {
    Kind.TEXT: _same,
    Kind.ID: _same,
    Kind.OPTIONAL_ID: _same,
    Kind.SHA256: _same,
    Kind.SHA256_OR_EMPTY: _same,
    Kind.DATE: _optional(lambda value: value.isoformat()),
    Kind.DECIMAL: decimal_to_document,
    Kind.OPTIONAL_DECIMAL: _optional(decimal_to_document),
    Kind.BOOLEAN: _same,
    Kind.INTEGER: _same,
    Kind.OPTIONAL_INTEGER: _same,
    Kind.ENUM: lambda value: value.value,
    Kind.OPTIONAL_ENUM: _optional(lambda value: value.value),
    Kind.IDS: list,
}


def writer(item: Field) -> Write:
    """How a field's value is written into the canonical document."""
    if item.kind in _PLAIN_OUT:
        return _PLAIN_OUT[item.kind]
    record = item.record
    assert record is not None, item.name
    if item.kind is Kind.RECORDS:
        return lambda rows: [to_document(record, row) for row in rows]
    return _optional(lambda value: to_document(record, value))


def value_to_document(item: Field, value: Any) -> Any:
    """A field's value as the canonical document writes it."""
    return writer(item)(value)


def to_document(record: Record[Any], value: object) -> dict[str, Any]:
    """The record as a JSON-ready dict: every field present, decimals and dates as text."""
    return {name: write(getattr(value, name)) for name, write, _ in record.plan}


# --- from a document -------------------------------------------------------------


def reader(item: Field) -> Read:
    """How a field's value is read from a document; DocumentError names what is wrong."""
    name, kind = item.name, item.kind
    plain: dict[Kind, Read] = {
        Kind.TEXT: (lambda read: read.text(name))
        if item.required
        else (lambda read: read.text(name, "")),
        Kind.ID: lambda read: read.text(name),
        Kind.SHA256: lambda read: read.text(name),
        Kind.SHA256_OR_EMPTY: lambda read: read.text(name, ""),
        Kind.OPTIONAL_ID: lambda read: read.optional_text(name),
        Kind.DATE: lambda read: read.optional_date(name),
        Kind.DECIMAL: lambda read: read.decimal(name),
        Kind.OPTIONAL_DECIMAL: lambda read: read.optional_decimal(name),
        Kind.BOOLEAN: lambda read: read.boolean(name, False),
        Kind.INTEGER: lambda read: read.integer(name),
        Kind.OPTIONAL_INTEGER: lambda read: read.optional_integer(name),
        Kind.IDS: lambda read: tuple(read.text_list(name)),
    }
    if kind in plain:
        return plain[kind]
    enum = item.enum
    if kind is Kind.ENUM:
        assert enum is not None, name
        return lambda read: read.enum(name, enum)
    if kind is Kind.OPTIONAL_ENUM:
        assert enum is not None, name
        return lambda read: None if read.optional_text(name) is None else read.enum(name, enum)
    record = item.record
    assert record is not None, name
    if kind is Kind.RECORDS:
        return lambda read: tuple(
            from_document(record, row) for row in read.records(name, optional=True)
        )
    if kind is Kind.OPTIONAL_RECORD:

        def optional_record(read: Reader) -> Any:
            child = read.optional_child(name)
            return None if child is None else from_document(record, child)

        return optional_record

    # A missing nested record reads as an empty one (older files had no contact).
    return lambda read: (
        from_document(record, read.child(name)) if read.mapping(name, True) else record.cls()
    )


def value_from_document(item: Field, read: Reader) -> Any:
    """A field's value read from a document; DocumentError names what is wrong."""
    return reader(item)(read)


def from_document(record: Record[T], read: Reader, **given: Any) -> T:
    """The record read from a document; ``given`` supplies the top-level fields."""
    values = {name: read_value(read) for name, _, read_value in record.plan}
    return record.cls(**values, **given)


def enum_values(kind: type[Enum]) -> list[str]:
    return [str(member.value) for member in kind]
