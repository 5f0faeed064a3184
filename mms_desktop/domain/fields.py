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


def _optional(write: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else write(value)


def _same(value: Any) -> Any:
    return value


def value_to_document(item: Field, value: Any) -> Any:
    """A field's value as the canonical document writes it."""
    kind = item.kind
    if kind in _PLAIN_OUT:
        return _PLAIN_OUT[kind](value)
    assert item.record is not None, item.name
    if kind is Kind.RECORDS:
        return [to_document(item.record, row) for row in value]
    if value is None:
        return None
    return to_document(item.record, value)


_PLAIN_OUT: dict[Kind, Callable[[Any], Any]] = {
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


def to_document(record: Record[Any], value: object) -> dict[str, Any]:
    """The record as a JSON-ready dict: every field present, decimals and dates as text."""
    return {
        item.name: value_to_document(item, getattr(value, item.name))
        for item in record.document_fields
    }


# --- from a document -------------------------------------------------------------


def value_from_document(item: Field, read: Reader) -> Any:
    """A field's value read from a document; DocumentError names what is wrong."""
    name, kind = item.name, item.kind
    if kind is Kind.TEXT:
        return read.text(name) if item.required else read.text(name, "")
    if kind in (Kind.ID, Kind.SHA256):
        return read.text(name)
    if kind is Kind.SHA256_OR_EMPTY:
        return read.text(name, "")
    if kind is Kind.OPTIONAL_ID:
        return read.optional_text(name)
    if kind is Kind.DATE:
        return read.optional_date(name)
    if kind is Kind.DECIMAL:
        return read.decimal(name)
    if kind is Kind.OPTIONAL_DECIMAL:
        return read.optional_decimal(name)
    if kind is Kind.BOOLEAN:
        return read.boolean(name, False)
    if kind is Kind.INTEGER:
        return read.integer(name)
    if kind is Kind.OPTIONAL_INTEGER:
        return read.optional_integer(name)
    if kind is Kind.IDS:
        return tuple(read.text_list(name))
    if kind in (Kind.ENUM, Kind.OPTIONAL_ENUM):
        assert item.enum is not None, name
        if kind is Kind.OPTIONAL_ENUM and read.optional_text(name) is None:
            return None
        return read.enum(name, item.enum)
    record = item.record
    assert record is not None, name
    if kind is Kind.RECORDS:
        return tuple(from_document(record, row) for row in read.records(name, optional=True))
    if kind is Kind.OPTIONAL_RECORD:
        child = read.optional_child(name)
        return None if child is None else from_document(record, child)
    # A missing nested record reads as an empty one (older files had no contact).
    return from_document(record, read.child(name)) if read.mapping(name, True) else record.cls()


def from_document(record: Record[T], read: Reader, **given: Any) -> T:
    """The record read from a document; ``given`` supplies the top-level fields."""
    values = {item.name: value_from_document(item, read) for item in record.document_fields}
    return record.cls(**values, **given)


def enum_values(kind: type[Enum]) -> list[str]:
    return [str(member.value) for member in kind]
