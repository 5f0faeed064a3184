"""The canonical document of an application, and its control sum.

One JSON format is the file a user saves, the payload sent to the operator,
and the input of the control sum. Canonical means: UTF-8, keys sorted, no
insignificant whitespace, money and other decimals as strings, dates as ISO
strings, every field present (``null`` when empty) — so one application
always encodes to the same bytes, and the same bytes always decode to it.
Which fields there are, and how each is written, is declared in ``records``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from mms_desktop.domain.application import Application
from mms_desktop.domain.document_errors import DocumentError, Reader
from mms_desktop.domain.fields import (
    from_document,
    to_document,
    value_from_document,
    value_to_document,
)
from mms_desktop.domain.organization import Organization
from mms_desktop.domain.records import APPLICATION, ORGANIZATION

APPLICATION_SCHEMA = "mms-application"
APPLICATION_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ApplicationDocument:
    """What one canonical application file holds."""

    application: Application
    organization: Organization
    call_id: str
    call_version: int


# --- encoding ---------------------------------------------------------------


def encode(document: dict[str, Any]) -> bytes:
    """The canonical bytes of a document (the input of the control sum)."""
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def control_sum(sha256: str) -> str:
    """``1a2b3c4d5e6f7a8b…`` → ``1A2B-3C4D-5E6F-7A8B`` (the first 64 bits)."""
    head = sha256[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def application_document(
    app: Application, org: Organization, call_id: str, call_version: int
) -> dict[str, Any]:
    return {
        "schema": APPLICATION_SCHEMA,
        "schema_version": APPLICATION_SCHEMA_VERSION,
        # Top level: the operator reads the list to ask for the files first.
        "attachments": value_to_document(APPLICATION.field("attachments"), app.attachments),
        "call": {"id": call_id, "version": call_version},
        "organization": to_document(ORGANIZATION, org),
        "application": to_document(APPLICATION, app),
    }


# --- decoding ---------------------------------------------------------------


def application_from_document(document: object) -> ApplicationDocument:
    """Read a canonical application document; DocumentError names what is wrong."""
    read = Reader(document, "")
    if read.text("schema") != APPLICATION_SCHEMA:
        raise DocumentError("schema", "wrong_schema", expected=APPLICATION_SCHEMA)
    version = read.integer("schema_version")
    if version != APPLICATION_SCHEMA_VERSION:
        raise DocumentError(
            "schema_version",
            "unknown_schema_version",
            value=version,
            expected=APPLICATION_SCHEMA_VERSION,
        )
    call = read.child("call")
    attachments = value_from_document(APPLICATION.field("attachments"), read)
    application: Application = from_document(
        APPLICATION, read.child("application"), attachments=attachments
    )
    organization: Organization = from_document(ORGANIZATION, read.child("organization"))
    if application.organization_id != organization.id:
        raise DocumentError("application.organization_id", "organization_mismatch")
    call_id = call.text("id")
    if application.call_id != call_id:
        raise DocumentError("application.call_id", "call_mismatch")
    action_ids = {action.id for action in application.actions}
    for number, line in enumerate(application.budget, start=1):
        if line.action_id is not None and line.action_id not in action_ids:
            raise DocumentError(f"application.budget[{number}].action_id", "unknown_action")
    return ApplicationDocument(
        application=application,
        organization=organization,
        call_id=call_id,
        call_version=call.integer("version"),
    )
