"""The JSON Schemas of the canonical documents, generated from the records' declarations.

``resources/schemas/application.schema.json`` and ``report.schema.json`` are
these, written by ``scripts/generate-schemas.py``; a test keeps the committed
files equal to what this module makes, byte for byte. Pure: it builds the
text, the script writes it.
"""

from __future__ import annotations

import json
from typing import Any

from mms_desktop.domain import records, report_records
from mms_desktop.domain.canonical import APPLICATION_SCHEMA_VERSION
from mms_desktop.domain.fields import (
    CODE,
    LINE,
    LONG_TEXT,
    PARAGRAPH,
    TEXT_SIZES,
    Field,
    Kind,
    Record,
    enum_values,
)
from mms_desktop.domain.report_canonical import REPORT_SCHEMA_VERSION

_DECIMAL = "^-?[0-9]+(\\.[0-9]+)?$(?!\\n)"
_DATE = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$(?!\\n)"
_SHA256 = "^[0-9a-f]{64}$(?!\\n)"

# The value kinds every document shares, by their $defs name.
BASE_DEFS: dict[str, dict[str, Any]] = {
    "id": {
        "description": "An identifier: a non-empty string.",
        "type": "string",
        "minLength": 1,
        "maxLength": records.ID_LENGTH,
    },
    "decimal": {
        "description": 'A decimal number as a plain string ("1234.50"): optional minus, digits,'
        " optional fraction; no exponent, no plus sign, no spaces.",
        "type": "string",
        "maxLength": 40,
        "pattern": _DECIMAL,
    },
    "date": {
        "description": "A calendar date, ISO 8601 (YYYY-MM-DD).",
        "type": "string",
        "format": "date",
        "pattern": _DATE,
    },
    "id_or_null": {
        "description": "An identifier (a non-empty string), or null.",
        "type": ["string", "null"],
        "minLength": 1,
        "maxLength": records.ID_LENGTH,
    },
    "decimal_or_null": {
        "description": "A decimal string as in decimal, or null.",
        "type": ["string", "null"],
        "maxLength": 40,
        "pattern": _DECIMAL,
    },
    "date_or_null": {
        "description": "A date as in date, or null.",
        "type": ["string", "null"],
        "format": "date",
        "pattern": _DATE,
    },
    "code": {
        "description": "A short code or number as typed (NIP, REGON, postcode, phone, unit…);"
        " may be empty.",
        "type": "string",
        "maxLength": CODE,
    },
    "line": {
        "description": "A one-line text: a name, title or address part; may be empty.",
        "type": "string",
        "maxLength": LINE,
    },
    "paragraph": {
        "description": "A short free text; may be empty.",
        "type": "string",
        "maxLength": PARAGRAPH,
    },
    "long_text": {
        "description": "A long free-text description; may be empty.",
        "type": "string",
        "maxLength": LONG_TEXT,
    },
    "sha256_or_empty": {
        "description": "SHA-256 in lowercase hex, or an empty string when there is none.",
        "type": "string",
        "pattern": "^([0-9a-f]{64})?$(?!\\n)",
    },
}

# A field kind written as a reference to a shared definition.
_REFERENCED = {
    Kind.ID: "id",
    Kind.OPTIONAL_ID: "id_or_null",
    Kind.SHA256_OR_EMPTY: "sha256_or_empty",
    Kind.DATE: "date_or_null",
    Kind.DECIMAL: "decimal",
    Kind.OPTIONAL_DECIMAL: "decimal_or_null",
}

_COMMENT = (
    "Patterns use [0-9] rather than \\d and end with $(?!\\n): python-jsonschema evaluates"
    " patterns with Python's re, where \\d also matches non-ASCII digits and $ also matches"
    " before a trailing newline. The lookahead is a no-op in ECMA-262 regexes."
)


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return schema | {"description": description} if description else schema


def _object(record: Record[Any], nullable: bool = False) -> dict[str, Any]:
    head = {"description": record.description} if record.description else {}
    fields = record.document_fields
    return head | {
        "type": ["object", "null"] if nullable else "object",
        "additionalProperties": False,
        "required": [item.name for item in fields],
        "properties": {item.name: field_schema(item) for item in fields},
    }


def _record_or_ref(record: Record[Any]) -> dict[str, Any]:
    return _ref(record.name) if record.name else _object(record)


def field_schema(item: Field) -> dict[str, Any]:
    """What the schema says of one field."""
    kind, size = item.kind, item.max_length
    if kind is Kind.TEXT and size in TEXT_SIZES:
        return _described(_ref(TEXT_SIZES[size]), item.description)
    if kind in _REFERENCED:
        return _described(_ref(_REFERENCED[kind]), item.description)
    if kind is Kind.TEXT:
        return {"type": "string", "maxLength": size, "description": item.description}
    if kind is Kind.SHA256:
        return {"description": item.description, "type": "string", "pattern": _SHA256}
    if kind is Kind.BOOLEAN:
        return {"type": "boolean", "description": item.description}
    if kind in (Kind.INTEGER, Kind.OPTIONAL_INTEGER):
        bounds = {"minimum": item.minimum} if item.minimum is not None else {}
        if item.maximum is not None:
            bounds["maximum"] = item.maximum
        if kind is Kind.INTEGER:
            return {"type": "integer"} | bounds | {"description": item.description}
        return {"description": item.description, "type": ["integer", "null"]} | bounds
    if kind in (Kind.ENUM, Kind.OPTIONAL_ENUM):
        if item.enum_def is not None:
            return _described(_ref(item.enum_def), item.description)
        assert item.enum is not None, item.name
        values: list[str | None] = list(enum_values(item.enum))
        if kind is Kind.OPTIONAL_ENUM:
            values.append(None)  # not marked yet
        return {"description": item.description, "enum": values}
    if kind is Kind.IDS:
        return {
            "description": item.description,
            "type": "array",
            "maxItems": size,
            "items": _ref("id"),
        }
    record = item.record
    assert record is not None, item.name
    if kind is Kind.RECORDS:
        return {
            "description": item.description,
            "type": "array",
            "maxItems": size,
            "items": _record_or_ref(record),
        }
    if kind is Kind.OPTIONAL_RECORD:
        return _object(record, nullable=True) | {"description": item.description}
    return _described(_ref(record.name), item.description)


def _defined(name: str, named: dict[str, Record[Any]]) -> dict[str, Any]:
    if name in BASE_DEFS:
        return BASE_DEFS[name]
    if name in records.SHARED_ENUMS:
        kind, description = records.SHARED_ENUMS[name]
        return {"description": description, "enum": enum_values(kind)}
    return _object(named[name])


def _named_records(record: Record[Any], found: dict[str, Record[Any]]) -> dict[str, Record[Any]]:
    if record.name:
        found[record.name] = record
    for item in record.fields:
        if item.record is not None:
            _named_records(item.record, found)
    return found


def document_schema(
    kind: str,
    body: Record[Any],
    organization: Record[Any],
    defs: tuple[str, ...],
    title: str,
    description: str,
    call_description: str,
    version: int,
) -> dict[str, Any]:
    """A canonical document's schema: the envelope, the organisation, the body (``kind``)."""
    named = _named_records(organization, {}) | _named_records(body, {})
    attachments = body.field("attachments")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mms-desktop.invalid/schemas/{kind}.schema.json",
        "title": title,
        "description": description,
        "$comment": _COMMENT,
        "type": "object",
        "additionalProperties": False,
        "required": ["schema", "schema_version", "call", "organization", kind, "attachments"],
        "properties": {
            "schema": {"const": f"mms-{kind}", "description": "Kind of document."},
            "schema_version": {
                "const": version,
                "description": "Version of this document format.",
            },
            "call": {
                "description": call_description,
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "version"],
                "properties": {
                    "id": {"$ref": "#/$defs/id", "description": "Id of the call definition."},
                    "version": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "Version of the call definition the application was"
                        " written against.",
                    },
                },
            },
            "organization": _ref(organization.name),
            kind: _ref(body.name),
            "attachments": field_schema(attachments),
        },
        "$defs": {name: _defined(name, named) for name in defs},
    }


_SHARED_DEFS = (
    "id",
    "decimal",
    "date",
    "id_or_null",
    "decimal_or_null",
    "date_or_null",
    "code",
    "line",
    "paragraph",
    "long_text",
    "person",
    "register_type",
    "organization",
)


def application_schema(
    application: Record[Any] = records.APPLICATION,
    organization: Record[Any] = records.ORGANIZATION,
) -> dict[str, Any]:
    return document_schema(
        "application",
        application,
        organization,
        (*_SHARED_DEFS, "arrears", "action", "result", "budget_line", "application"),
        f"Canonical application document (mms-application, version {APPLICATION_SCHEMA_VERSION})",
        "One application (oferta / wniosek) with its organisation and the call it answers,"
        " exactly as mms_desktop.domain.canonical.application_document writes it: every key"
        " present (null where a value may be empty), decimals and dates as strings, no floats."
        " The file a user saves, the payload sent to the operator and the input of the control"
        " sum.",
        "The call for proposals (nabór) the application answers.",
        APPLICATION_SCHEMA_VERSION,
    )


def report_schema(
    report: Record[Any] = report_records.REPORT,
    organization: Record[Any] = records.ORGANIZATION,
) -> dict[str, Any]:
    return document_schema(
        "report",
        report,
        organization,
        (
            *_SHARED_DEFS,
            "budget_line",
            "sha256_or_empty",
            "action_report",
            "result_report",
            "document",
            "volunteer_work",
            "in_kind",
            "report",
        ),
        f"Canonical report document (mms-report, version {REPORT_SCHEMA_VERSION})",
        "One report (sprawozdanie) settling a grant, with the organisation and the call,"
        " exactly as mms_desktop.domain.report_canonical.report_document writes it: every key"
        " present (null where a value may be empty), decimals and dates as strings, no floats."
        " The file sent to the operator and the input of the report's control sum.",
        "The call for proposals (nabór) the application answers.",
        REPORT_SCHEMA_VERSION,
    )


def schema_text(schema: dict[str, Any]) -> str:
    """The schema as its committed file holds it."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """File name (in resources/schemas) → its text."""
    return {
        "application.schema.json": schema_text(application_schema()),
        "report.schema.json": schema_text(report_schema()),
    }
