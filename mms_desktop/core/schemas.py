"""Reading JSON Schema errors as people do: the field, in 1-based rows, and a catalog key.

Shared by the desktop's import checks and the operator's submission checks, so
both name a problem alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class SchemaProblem:
    """The most relevant schema error: where, what (a catalog key), and the value found."""

    field: str
    key: str
    found: str | None = None  # shown for a wrongly written date or number


# A value of a kind the catalog explains by example, told apart by what its
# schema accepts: a schema's own words ($defs names) are not in the error.
_DATE_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
_SHOWN_VALUE = 40


def _written_form(schema: Any) -> str | None:
    """ "date", "datetime", "amount" or "percent" when the schema wants one, else None."""
    if not isinstance(schema, dict):
        return None
    if schema.get("format") == "date":
        return "date"
    if schema.get("format") == "date-time":
        return "datetime"
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not re.search(pattern, "x"):
        if re.search(pattern, "1234.56"):
            return "amount"
        if re.search(pattern, "12.5"):
            return "percent"
    return None


def shown_value(value: object) -> str:
    """A value from the file, short and without control characters, to quote back."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = str(value)  # a number as the file has it: 120.5, not "120.5"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    text = "".join(char if char.isprintable() else "?" for char in text)
    return text if len(text) <= _SHOWN_VALUE else text[: _SHOWN_VALUE - 1] + "…"


def problem_key(keyword: str, schema: Any, instance: Any) -> tuple[str, bool]:
    """(catalog key, whether to quote the value) for a failed JSON Schema ``keyword``,
    ``schema`` being the (sub)schema that holds it and ``instance`` the value judged.

    The desktop's checks and the operator's fast check name problems alike."""
    if keyword in ("format", "pattern", "type"):
        written = _written_form(schema)
        if written in ("date", "datetime"):
            shape = _DATE_SHAPE if written == "date" else _DATETIME_SHAPE
            if isinstance(instance, str) and shape.match(instance):
                # Written right but no such day (2027-02-30, month 13).
                return "schema.impossible_date", True
            return f"schema.{written}_format", True
        if written in ("amount", "percent"):
            return f"schema.{written}_format", True
    return f"schema.{keyword if keyword in _EXPLAINED else 'invalid'}", False


def describe_problem(validator: Any, document: Any) -> SchemaProblem | None:
    """The most relevant schema error of ``document``, or None when it has none."""
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
    key, quote = problem_key(str(error.validator), error.schema, error.instance)
    return SchemaProblem(
        field_path(path) or "(dokument)", key, shown_value(error.instance) if quote else None
    )


def first_problem(validator: Any, document: Any) -> tuple[str, str] | None:
    """(field path, catalog key of the problem) of the most relevant error, or None."""
    found = describe_problem(validator, document)
    return None if found is None else (found.field, found.key)


def field_path(parts: Iterable[object]) -> str:
    """``["application", "budget", 2, "unit_cost"]`` → ``application.budget[3].unit_cost``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text
