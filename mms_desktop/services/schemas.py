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
REPORT = "report"


@cache
def _validator(name: str, older: int | None = None) -> Any:
    # An older version's schema is kept as it shipped, under schemas/v<N>/.
    folder = ("schemas",) if older is None else ("schemas", f"v{older}")
    return load_validator(resource_path(*folder, f"{name}.schema.json"))


def check(document: Any, name: str, kind: str, version: int, older: tuple[int, ...] = ()) -> None:
    """Raise a UserError naming the field when ``document`` breaks its schema.

    ``older`` versions are still read: each is checked against the schema it
    shipped with (the caller then upgrades the document).
    """
    if not isinstance(document, dict):
        raise UserError("import.not_an_object")
    if document.get("schema") != kind:
        raise UserError("import.wrong_kind", found=str(document.get("schema")), expected=kind)
    found_version = document.get("schema_version")
    if found_version != version and (isinstance(found_version, bool) or found_version not in older):
        raise UserError(
            "import.unknown_version",
            found=str(found_version),
            supported=", ".join(str(number) for number in (*older, version)),
        )
    validator = _validator(name) if found_version == version else _validator(name, found_version)
    found = describe_problem(validator, document)
    if found is None:
        return
    if found.found is not None:
        raise UserError(
            "import.invalid_value", field=found.field, problem=found.key, found=found.found
        )
    raise UserError("import.invalid_field", field=found.field, problem=found.key)
