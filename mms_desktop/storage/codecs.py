"""Rows ↔ domain objects, derived from the records' declarations (``domain.records``).

A field is a column of its record's table, written as the canonical document
writes it: decimals as exact strings, dates as ISO text, a flag as 0/1, a
nested record or a list of them as the same JSON the document holds. An
application's actions, results and cost lines are tables of their own.

Only declared fields may be written by field-level saves; a field name that
is not a column of its table is refused before any SQL is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from mms_desktop.domain import records
from mms_desktop.domain.document_errors import Reader
from mms_desktop.domain.fields import Field, Kind, Record, from_document, value_to_document
from mms_desktop.domain.money import decimal_to_document

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _json_out(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _enum_out(value: Enum | str) -> str:
    return value.value if isinstance(value, Enum) else str(value)


def _same(value: Any) -> Any:
    return value


_SCALAR_OUT: dict[Kind, Encoder] = {
    Kind.TEXT: _text,
    Kind.ID: _text,
    Kind.OPTIONAL_ID: lambda value: value or None,
    Kind.SHA256: _text,
    Kind.SHA256_OR_EMPTY: _text,
    Kind.DATE: _optional(date.isoformat),
    Kind.DECIMAL: decimal_to_document,
    Kind.OPTIONAL_DECIMAL: _optional(decimal_to_document),
    Kind.BOOLEAN: lambda value: 1 if value else 0,
    Kind.INTEGER: int,
    Kind.OPTIONAL_INTEGER: _optional(int),
    Kind.ENUM: _enum_out,
    Kind.OPTIONAL_ENUM: _optional(_enum_out),
    Kind.IDS: lambda ids: _json_out(list(ids)),
}

_SCALAR_IN: dict[Kind, Decoder] = {
    Kind.TEXT: _same,
    Kind.ID: _same,
    Kind.OPTIONAL_ID: _same,
    Kind.SHA256: _same,
    Kind.SHA256_OR_EMPTY: _same,
    Kind.DATE: _optional(date.fromisoformat),
    Kind.DECIMAL: Decimal,
    Kind.OPTIONAL_DECIMAL: _optional(Decimal),
    Kind.BOOLEAN: bool,
    Kind.INTEGER: _same,
    Kind.OPTIONAL_INTEGER: _same,
    Kind.IDS: lambda text: tuple(json.loads(text)),
}


def column_encoder(item: Field) -> Encoder:
    """How a field's value is written into its column."""
    if item.kind in _SCALAR_OUT:
        return _SCALAR_OUT[item.kind]
    return lambda value: None if value is None else _json_out(value_to_document(item, value))


def column_decoder(item: Field) -> Decoder:
    """How a field's value is read from its column."""
    if item.kind in _SCALAR_IN:
        return _SCALAR_IN[item.kind]
    if item.enum is not None:
        return _optional(item.enum) if item.kind is Kind.OPTIONAL_ENUM else item.enum
    record = item.record
    assert record is not None, item.name
    if item.kind is Kind.RECORDS:
        return lambda text: tuple(
            from_document(record, Reader(row, item.name)) for row in json.loads(text)
        )
    return _optional(lambda text: from_document(record, Reader(json.loads(text), item.name)))


T = TypeVar("T")


@dataclass(frozen=True)
class Columns(Generic[T]):
    """A record's table: its declared fields as columns, minus the lists in tables of their own."""

    record: Record[T]
    tables: frozenset[str] = frozenset()  # fields kept as rows of another table
    encoders: dict[str, Encoder] = field(init=False)
    decoders: dict[str, Decoder] = field(init=False)

    def __post_init__(self) -> None:
        columns = [item for item in self.record.fields if item.name not in self.tables]
        # Identity columns are written once by the store, never by a field save.
        encoders = {item.name: column_encoder(item) for item in columns if not item.identity}
        object.__setattr__(self, "encoders", encoders)
        object.__setattr__(self, "decoders", {item.name: column_decoder(item) for item in columns})

    def encode(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Column values for the given domain values; unknown field names refused."""
        unknown = set(values) - set(self.encoders)
        if unknown:
            raise KeyError(f"not a field: {', '.join(sorted(unknown))}")
        return {name: self.encoders[name](value) for name, value in values.items()}

    def encode_all(self, value: object) -> dict[str, Any]:
        return {name: encoder(getattr(value, name)) for name, encoder in self.encoders.items()}

    def from_row(self, row: Any, **tables: Any) -> T:
        """The record from its row; ``tables`` gives the lists kept in other tables."""
        values = {name: decoder(row[name]) for name, decoder in self.decoders.items()}
        return self.record.cls(**values, **tables)


ORGANIZATION = Columns(records.ORGANIZATION)
APPLICATION = Columns(records.APPLICATION, frozenset({"actions", "results", "budget"}))
ACTION = Columns(records.ACTION)
RESULT = Columns(records.RESULT)
BUDGET_LINE = Columns(records.BUDGET_LINE)
