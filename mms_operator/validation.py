"""Checks of what arrives: submitted documents and the call definitions staff publish.

A document is checked whole against the JSON Schema of its kind
(``resources/schemas/<kind>.schema.json``, kind = ``"schema"`` without
``mms-``) before anything is stored; the first problem names its field as the
desktop app does (``application.budget[3].unit_cost``, rows counted from 1),
with the problem in the words of the shared message catalog.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from mms_desktop import i18n
from mms_desktop.core.schemas import (
    field_path,
    first_problem,
    load_validator,
    problem_key,
    shown_value,
)
from mms_desktop.resources import resource_path

SCHEMA_PREFIX = "mms-"
# Definitions the operator publishes itself; no organisation submits one.
NOT_SUBMITTED = frozenset({"call"})
_KIND = re.compile(r"[a-z][a-z0-9_-]{0,63}")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
TITLE_MAX = 500
# How many values (objects, arrays, strings, numbers…) a submitted document may
# hold. The largest valid report has about 125 000 (every list at its schema's
# maxItems; a test derives it from the schemas), so no valid document comes near;
# a hostile one is refused by counting bytes, before a parser builds millions of
# Python objects under the GIL.
MAX_VALUES = 250_000
# Backslash escapes the exact count below may have to step over (a valid document
# has one per newline or quote typed in its texts).
MAX_ESCAPES = 1_000_000
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class DocumentRejectedError(Exception):
    """A document the server will not take; ``code`` is the protocol's error code."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CheckedDocument:
    kind: str
    title: str
    attachments: tuple[str, ...]  # lowercase SHA-256 of every listed attachment


def _reject_constant(name: str) -> Any:
    raise ValueError(i18n.tr("operator.check.not_a_number", name=name))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(i18n.tr("operator.check.key_twice", name=repr(key)))
        result[key] = value
    return result


class TooManyValuesError(DocumentRejectedError):
    def __init__(self) -> None:
        super().__init__(
            "too_many_values",
            i18n.tr("operator.check.too_many_values", most=f"{MAX_VALUES:,}".replace(",", " ")),
        )


def check_value_count(data: bytes) -> None:
    """Refuse, by counting bytes, a JSON text with more than MAX_VALUES values.

    Every value but the first follows a ``,``, ``[``, ``{`` or ``:``, and every
    ``:`` is inside an object, so ``{``, ``[`` and ``,`` counted outside strings
    bound the values from above. The raw count (strings included) settles nearly
    every document at C speed; only a text full of commas needs the exact count,
    and that is bounded too.
    """
    if data.count(b"{") + data.count(b"[") + data.count(b",") <= MAX_VALUES:
        return
    escapes = data.count(b"\\")
    # Each escape hides at most one quote: at least this many strings are there.
    if (data.count(b'"') - escapes) // 2 > MAX_VALUES or escapes > MAX_ESCAPES:
        raise TooManyValuesError()
    outside = _STRING.sub(b"", data)
    if outside.count(b"{") + outside.count(b"[") + outside.count(b",") > MAX_VALUES:
        raise TooManyValuesError()


def _has_lone_surrogate(data: bytes, document: Any) -> bool:
    """A ``\\udXXX`` escape left unpaired: text no file, database or printer can hold."""
    if not _SURROGATE_ESCAPE.search(data):
        return False  # raw UTF-8 cannot carry one; paired escapes are joined by the parser
    try:
        json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_json(data: bytes) -> Any:
    """Strict JSON: UTF-8, no NaN or Infinity, no repeated keys, no lone surrogates;
    fractions as Decimal; at most MAX_VALUES values (TooManyValuesError)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentRejectedError("invalid_json", i18n.tr("operator.check.not_utf8")) from None
    check_value_count(data)
    try:
        document = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except json.JSONDecodeError as error:
        raise DocumentRejectedError(
            "invalid_json",
            i18n.tr("operator.check.bad_json_at", line=str(error.lineno), column=str(error.colno)),
        ) from None
    except RecursionError:
        raise DocumentRejectedError("invalid_json", i18n.tr("operator.check.too_deep")) from None
    except ValueError as error:  # NaN, Infinity or a repeated key (messages above)
        raise DocumentRejectedError(
            "invalid_json", i18n.tr("operator.check.bad_json", detail=str(error))
        ) from None
    if _has_lone_surrogate(data, document):
        raise DocumentRejectedError(
            "invalid_json",
            i18n.tr("operator.check.lone_surrogate"),
        )
    return document


def _subschema(root: dict[str, Any], steps: Iterable[object]) -> Any:
    """The part of ``root`` at ``steps`` (a jsonschema-rs schema path), local $refs followed."""
    node: Any = root
    for step in steps:
        if step == "$ref" and isinstance(node, dict) and str(node.get("$ref", "")).startswith("#/"):
            target: Any = root
            for part in str(node["$ref"])[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
        elif isinstance(node, dict):
            node = node.get(str(step), {})
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return {}
    return node


def _rust_problem(error: Any, schema: dict[str, Any]) -> tuple[str, str]:
    """(field path, problem in words) of a jsonschema-rs error, named as the desktop names
    the same error (a date written the wrong way says which form the file wants)."""
    path: list[object] = list(error.instance_path)
    steps = list(error.schema_path)
    keyword = str(steps[-1]) if steps else "invalid"
    kind = error.kind
    if keyword == "required":
        path.append(getattr(kind, "property", ""))
    elif keyword == "additionalProperties":
        extra: Iterable[object] = getattr(kind, "unexpected", None) or [""]
        path.append(sorted(str(key) for key in extra)[0])
    key, quote = problem_key(keyword, _subschema(schema, steps[:-1]), error.instance)
    words = i18n.tr(key)
    if quote:
        words += i18n.tr("operator.check.in_file", value=shown_value(error.instance))
    return field_path(path) or i18n.tr("operator.check.whole_document"), words


class SchemaCatalog:
    """The JSON Schemas documents are checked against, one per kind."""

    def __init__(self, schemas_dir: Path | None = None) -> None:
        self.schemas_dir = Path(schemas_dir) if schemas_dir else resource_path("schemas")
        self._validators: dict[str, Any] = {}
        self._fast: dict[str, Any] = {}
        self._schemas: dict[str, dict[str, Any]] = {}

    @cached_property
    def _available(self) -> frozenset[str]:
        suffix = ".schema.json"
        return frozenset(
            path.name[: -len(suffix)]
            for path in self.schemas_dir.glob(f"*{suffix}")
            if _KIND.fullmatch(path.name[: -len(suffix)])
        )

    def submission_kinds(self) -> list[str]:
        return sorted(self._available - NOT_SUBMITTED)

    def _known(self, kind: str) -> bool:
        """A current kind, or an older version's schema kept as ``v<N>/<kind>``."""
        if kind in self._available:
            return True
        folder, _, name = kind.partition("/")
        return (
            name in self._available
            and re.fullmatch(r"v[0-9]{1,3}", folder) is not None
            and (self.schemas_dir / folder / f"{name}.schema.json").is_file()
        )

    def schema_for(self, document: dict[str, Any], kind: str) -> str:
        """The schema a document is checked against: its kind's current one, or the one
        its older format version shipped with (a laptop not yet updated still sends
        version 1, and is still taken)."""
        version = document.get("schema_version")
        current = self._schema(kind).get("properties", {}).get("schema_version", {}).get("const")
        if isinstance(version, int) and not isinstance(version, bool) and version != current:
            older = f"v{version}/{kind}"
            if 0 < version < 1000 and self._known(older):
                return older
        return kind

    def validator(self, kind: str) -> Any:
        if not self._known(kind):
            raise KeyError(kind)
        if kind not in self._validators:
            self._validators[kind] = load_validator(self.schemas_dir / f"{kind}.schema.json")
        return self._validators[kind]

    def _schema(self, kind: str) -> dict[str, Any]:
        if kind not in self._schemas:
            with (self.schemas_dir / f"{kind}.schema.json").open(encoding="utf-8") as handle:
                self._schemas[kind] = json.load(handle)
        return self._schemas[kind]

    def fast_validator(self, kind: str) -> Any:
        """The schema compiled by jsonschema-rs: about fifty times faster than the
        pure-Python validator, and it stops at the first error."""
        if not self._known(kind):
            raise KeyError(kind)
        if kind not in self._fast:
            import jsonschema_rs

            self._fast[kind] = jsonschema_rs.Draft202012Validator(
                self._schema(kind), validate_formats=True
            )
        return self._fast[kind]

    def submission_problem(self, document: Any, kind: str) -> tuple[str, str] | None:
        """(field, problem in words) of the first schema error, found in bounded time.

        The pure-Python validator collects every error before choosing one (a
        2-million-item array gave 2 million errors and a minute of work); this
        one answers valid documents in a fraction of a millisecond and stops at
        the first error.
        """
        import jsonschema_rs

        validator = self.fast_validator(kind)
        try:
            validator.validate(document)
        except jsonschema_rs.ValidationError as error:
            return _rust_problem(error, self._schema(kind))
        return None

    def schema_problem(self, document: Any, kind: str) -> tuple[str, str] | None:
        """(field, problem in words) of the most relevant schema error, or None."""
        found = first_problem(self.validator(kind), document)
        if found is None:
            return None
        field, problem = found
        return field, i18n.tr(problem)

    # --- submissions ----------------------------------------------------------------

    def check_submission(self, document: Any) -> CheckedDocument:
        """Kind, title and attachments of a document that passed its schema."""
        if not isinstance(document, dict):
            raise DocumentRejectedError(
                "schema_invalid",
                i18n.tr(
                    "operator.check.document_refused",
                    field=i18n.tr("operator.check.whole_document"),
                    detail=i18n.tr("operator.check.not_an_object"),
                ),
                "(dokument)",
            )
        marker = document.get("schema")
        kind = marker[len(SCHEMA_PREFIX) :] if isinstance(marker, str) else ""
        if (
            not isinstance(marker, str)
            or not marker.startswith(SCHEMA_PREFIX)
            or kind in NOT_SUBMITTED
            or kind not in self._available
        ):
            known = ", ".join(SCHEMA_PREFIX + name for name in self.submission_kinds())
            raise DocumentRejectedError(
                "unknown_kind",
                i18n.tr("operator.check.unknown_kind", kind=repr(marker), known=known),
                "schema",
            )
        found = self.submission_problem(document, self.schema_for(document, kind))
        if found is not None:
            field, problem = found
            raise DocumentRejectedError(
                "schema_invalid",
                i18n.tr(
                    "operator.check.document_refused_nothing_saved", field=field, detail=problem
                ),
                field,
            )
        return CheckedDocument(kind, _title(document, kind), _attachments(document))

    # --- call definitions -------------------------------------------------------------

    def check_call(self, document: Any) -> tuple[str, int]:
        """(id, version) of a call definition fit to publish; DocumentRejectedError if not."""
        from mms_desktop.domain.call import CALL_SCHEMA, CallDefinition
        from mms_desktop.domain.document_errors import DocumentError

        if not isinstance(document, dict) or document.get("schema") != CALL_SCHEMA:
            raise DocumentRejectedError(
                "schema_invalid",
                i18n.tr("operator.check.not_a_call", schema=CALL_SCHEMA),
                "schema",
            )
        found = self.schema_problem(document, "call")
        if found is not None:
            field, problem = found
            raise DocumentRejectedError(
                "schema_invalid",
                i18n.tr("operator.check.call_refused", field=field, detail=problem),
                field,
            )
        try:
            definition = CallDefinition.from_dict(document)
            for contradiction in definition.inconsistencies():
                raise contradiction
        except DocumentError as error:
            message = i18n.document_error_message(error.field, error.reason, **error.params)
            raise DocumentRejectedError(
                "schema_invalid",
                i18n.tr("operator.check.call_refused", field=error.field, detail=message),
                error.field,
            ) from None
        return definition.id, definition.version


def _title(document: dict[str, Any], kind: str) -> str:
    """``application.title`` for an application; ``<kind>.title`` for other kinds."""
    body = document.get(kind)
    title = body.get("title") if isinstance(body, dict) else None
    return title[:TITLE_MAX] if isinstance(title, str) else ""


def _attachments(document: dict[str, Any]) -> tuple[str, ...]:
    listed = document.get("attachments")
    if listed is None:
        return ()
    if not isinstance(listed, list):
        raise DocumentRejectedError(
            "schema_invalid",
            i18n.tr(
                "operator.check.document_refused",
                field="attachments",
                detail=i18n.tr("operator.check.not_a_list"),
            ),
            "attachments",
        )
    found: list[str] = []
    for number, item in enumerate(listed, start=1):
        sha = item.get("sha256") if isinstance(item, dict) else None
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            field = f"attachments[{number}].sha256"
            raise DocumentRejectedError(
                "schema_invalid",
                i18n.tr(
                    "operator.check.document_refused",
                    field=field,
                    detail=i18n.tr("operator.check.not_a_sha256"),
                ),
                field,
            )
        if sha.lower() not in found:
            found.append(sha.lower())
    return tuple(found)
