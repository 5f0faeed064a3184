"""Shared by the operator and sync tests: the operator's CLI run in-process, and a
document kind with attachments for the blob path of the protocol (served from a
copy of the real schema folder: the attachment rules do not depend on which kind
of document lists them)."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from mms_operator.cli import main as operator_main


def run_operator_cli(*args: object) -> tuple[int, str, str]:
    """``mms-operator ARGS`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = operator_main([str(arg) for arg in args])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue(), err.getvalue()


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
