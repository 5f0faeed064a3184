"""JSON Schema checks of files that come from outside (calls, applications).

A file is checked whole before anything is read from it; the first problem is
reported with the path of its field, 1-based as people count rows.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mms_desktop.core.schemas import describe_problem, load_validator
from mms_desktop.resources import resource_path
from mms_desktop.services.errors import UserError

CALL = "call"
APPLICATION = "application"


@cache
def _validator(name: str) -> Any:
    return load_validator(resource_path("schemas", f"{name}.schema.json"))


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
    found = describe_problem(_validator(name), document)
    if found is None:
        return
    if found.found is not None:
        raise UserError(
            "import.invalid_value", field=found.field, problem=found.key, found=found.found
        )
    raise UserError("import.invalid_field", field=found.field, problem=found.key)
