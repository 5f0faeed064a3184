"""The canonical document of an application, and its control sum.

One JSON format is the file a user saves, the payload sent to the operator,
and the input of the control sum. Canonical means: UTF-8, keys sorted, no
insignificant whitespace, money and other decimals as strings, dates as ISO
strings, every field present (``null`` when empty) — so one application
always encodes to the same bytes, and the same bytes always decode to it.
Which fields there are, and how each is written, is declared in ``records``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mms_desktop.domain.application import THIRD_PARTY_SCOPE_TO_DESCRIBE, Application
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
# 2: the fields of the statutory offer form (task sphere, III.5's three
# questions, VI.1–2, VII.3–4 arrears, per-action third-party scope, per-year
# values, correspondence address). Version 1 files are read by upgrading them.
APPLICATION_SCHEMA_VERSION = 2
READABLE_APPLICATION_VERSIONS = (1, 2)


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
    # Imported here: hashlib loads OpenSSL (2-3 ms), and the window's start hashes nothing.
    import hashlib

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


# --- upgrading older versions ---------------------------------------------------


def organization_v1_to_v2(organization: object) -> object:
    """A version-1 organisation with the fields version 2 added, empty."""
    if not isinstance(organization, dict):
        return organization
    return {"correspondence_address": "", **organization}


def _action_v1_to_v2(action: object) -> object:
    if not isinstance(action, dict):
        return action
    upgraded = {key: value for key, value in action.items() if key != "third_party"}
    upgraded["third_party_scope"] = (
        THIRD_PARTY_SCOPE_TO_DESCRIBE if action.get("third_party") else ""
    )
    return upgraded


def budget_line_v1_to_v2(line: object) -> object:
    if not isinstance(line, dict):
        return line
    return {"year_values": [], **line}


def upgrade_application_document(document: dict[str, Any]) -> dict[str, Any]:
    """A version-1 application document as version 2 says the same.

    Its one results text becomes the first of III.5's three questions, a
    third party's flag a scope still to be described; every new field is
    empty (the declarations undecided), so nothing is assumed for the user.
    """
    upgraded = dict(document)
    upgraded["schema_version"] = APPLICATION_SCHEMA_VERSION
    upgraded["organization"] = organization_v1_to_v2(document.get("organization"))
    application = document.get("application")
    if isinstance(application, dict):
        body = {key: value for key, value in application.items() if key != "expected_results"}
        body.update(
            {
                "task_sphere": "",
                "results_products": application.get("expected_results", ""),
                "results_change": "",
                "results_durability": "",
                "paid_execution": "",
                "joint_offer_roles": "",
                "tax_arrears": "",
                "social_insurance_arrears": "",
            }
        )
        if isinstance(application.get("actions"), list):
            body["actions"] = [_action_v1_to_v2(action) for action in application["actions"]]
        if isinstance(application.get("budget"), list):
            body["budget"] = [budget_line_v1_to_v2(line) for line in application["budget"]]
        upgraded["application"] = body
    return upgraded


def readable_version(read: Reader, expected: str, readable: tuple[int, ...]) -> int:
    """The document's version if this program reads it; DocumentError otherwise."""
    if read.text("schema") != expected:
        raise DocumentError("schema", "wrong_schema", expected=expected)
    version = read.integer("schema_version")
    if version not in readable:
        raise DocumentError(
            "schema_version", "unknown_schema_version", value=version, expected=readable[-1]
        )
    return version


# --- decoding ---------------------------------------------------------------


def application_from_document(document: object) -> ApplicationDocument:
    """Read a canonical application document (version 1 or 2); DocumentError names
    what is wrong."""
    read = Reader(document, "")
    if readable_version(read, APPLICATION_SCHEMA, READABLE_APPLICATION_VERSIONS) == 1:
        assert isinstance(document, dict)  # Reader refused anything else
        read = Reader(upgrade_application_document(document), "")
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
