"""A document kind with attachments, for tests of the blob path of the protocol.

Served from a copy of the real schema folder: the attachment rules of the
operator and the client do not depend on which kind of document lists them.
"""

from __future__ import annotations

from typing import Any

EVIDENCE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema", "schema_version", "evidence", "attachments"],
    "properties": {
        "schema": {"const": "mms-evidence"},
        "schema_version": {"const": 1},
        "evidence": {
            "type": "object",
            "required": ["title"],
            "properties": {"title": {"type": "string", "minLength": 1}},
        },
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["sha256", "name", "size"],
                "properties": {
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "name": {"type": "string"},
                    "size": {"type": "integer", "minimum": 0},
                },
            },
        },
    },
}
