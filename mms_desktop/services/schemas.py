"""JSON Schema checks of files that come from outside (calls, applications).

A file is checked whole before anything is read from it; the first problem is
reported with the path of its field, 1-based as people count rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from mms_desktop.resources import resource_path
from mms_desktop.services.errors import UserError

CALL = "call"
APPLICATION = "application"

# JSON Schema keywords the message catalog explains ("schema.<keyword>").
_EXPLAINED = frozenset(
    {
        "required",
        "type",
        "enum",
        "const",
        "pattern",
        "additionalProperties",
        "maxLength",
        "minLength",
        "maxItems",
        "minItems",
        "minimum",
        "maximum",
        "format",
    }
)


def load_validator(path: Path) -> Any:
    """A Draft 2020-12 validator for the schema file at ``path``."""
    import jsonschema  # loaded on first import of a file, not at start-up

    with path.open(encoding="utf-8") as handle:
        schema = json.load(handle)
    # The format checker also refuses impossible dates such as 2027-02-30.
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _validator(name: str) -> Any:
    return load_validator(resource_path("schemas", f"{name}.schema.json"))


def first_problem(validator: Any, document: Any) -> tuple[str, str] | None:
    """(field path, catalog key of the problem) of the most relevant error, or None."""
    import jsonschema

    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return None
    path = list(error.absolute_path)
    keyword = str(error.validator)
    if keyword == "required":
        missing = next((key for key in error.validator_value if key not in error.instance), "")
        path.append(missing)
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(key for key in error.instance if key not in allowed)
        path.append(extra[0] if extra else "")
    return field_path(path) or "(dokument)", schema_problem_key(keyword)


def schema_problem_key(keyword: str) -> str:
    """The catalog key that explains a failed JSON Schema ``keyword`` in words."""
    return f"schema.{keyword if keyword in _EXPLAINED else 'invalid'}"


def field_path(parts: Iterable[object]) -> str:
    """``["application", "budget", 2, "unit_cost"]`` → ``application.budget[3].unit_cost``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def check(document: Any, name: str, kind: str, version: int) -> None:
    """Raise a UserError naming the field when ``document`` breaks its schema."""
    if not isinstance(document, dict):
        raise UserError("import.not_an_object")
    if document.get("schema") != kind:
        raise UserError("import.wrong_kind", found=str(document.get("schema")), expected=kind)
    if document.get("schema_version") != version:
        raise UserError(
            "import.unknown_version", found=str(document.get("schema_version")), supported=version
        )
    found = first_problem(_validator(name), document)
    if found is not None:
        field, problem = found
        raise UserError("import.invalid_field", field=field, problem=problem)
