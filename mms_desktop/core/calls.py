"""The example calls shipped with the program, read by the desktop and the operator."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from mms_desktop.resources import resource_path


def bundled_call_documents() -> list[dict[str, Any]]:
    """Each bundled call definition as its JSON says, in file-name order.

    They are our own files, checked against the schema by the test suite, not
    at every start: loading jsonschema would cost the window a tenth of a second.
    """
    return [
        json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        for path in sorted(resource_path("calls").glob("*.json"))
    ]
