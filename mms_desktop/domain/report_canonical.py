"""The canonical document of a report, the input of its control sum.

The same rules as the application's (``canonical``): UTF-8, keys sorted, no
insignificant whitespace, decimals and dates as strings, every field present.
The report names the application it settles and the SHA-256 of the submitted
version, so paper, file and operator all point at the same accepted offer.
Which fields there are, and how each is written, is declared in ``records``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mms_desktop.domain.canonical import (
    budget_line_v1_to_v2,
    organization_v1_to_v2,
    readable_version,
)
from mms_desktop.domain.document_errors import DocumentError, Reader
from mms_desktop.domain.fields import (
    from_document,
    to_document,
    value_from_document,
    value_to_document,
)
from mms_desktop.domain.organization import Organization
from mms_desktop.domain.records import ORGANIZATION
from mms_desktop.domain.report import Report
from mms_desktop.domain.report_records import REPORT

REPORT_SCHEMA = "mms-report"
# 2: contract date and number, other revenues (II.3), payments collected from
# recipients (II.4), and the application's version-2 fields it carries.
REPORT_SCHEMA_VERSION = 2
READABLE_REPORT_VERSIONS = (1, 2)


@dataclass(frozen=True)
class ReportDocument:
    report: Report
    organization: Organization
    call_id: str
    call_version: int


def report_document(
    report: Report, organization: Organization, call_id: str, call_version: int
) -> dict[str, Any]:
    return {
        "schema": REPORT_SCHEMA,
        "schema_version": REPORT_SCHEMA_VERSION,
        # Top level, as in the application: the operator asks for these blobs first.
        "attachments": value_to_document(REPORT.field("attachments"), report.attachments),
        "call": {"id": call_id, "version": call_version},
        "organization": to_document(ORGANIZATION, organization),
        "report": to_document(REPORT, report),
    }


# --- decoding ---------------------------------------------------------------


def upgrade_report_document(document: dict[str, Any]) -> dict[str, Any]:
    """A version-1 report document as version 2 says the same (the new fields empty)."""
    upgraded = dict(document)
    upgraded["schema_version"] = REPORT_SCHEMA_VERSION
    upgraded["organization"] = organization_v1_to_v2(document.get("organization"))
    report = document.get("report")
    if isinstance(report, dict):
        body = {
            "contract_date": None,
            "contract_number": "",
            "other_revenues": "",
            "recipient_payments": "",
            **report,
        }
        if isinstance(report.get("budget"), list):
            body["budget"] = [budget_line_v1_to_v2(line) for line in report["budget"]]
        upgraded["report"] = body
    return upgraded


def report_from_document(document: object) -> ReportDocument:
    """Read a canonical report document (version 1 or 2); DocumentError names what is
    wrong."""
    read = Reader(document, "")
    if readable_version(read, REPORT_SCHEMA, READABLE_REPORT_VERSIONS) == 1:
        assert isinstance(document, dict)  # Reader refused anything else
        read = Reader(upgrade_report_document(document), "")
    attachments = value_from_document(REPORT.field("attachments"), read)
    report: Report = from_document(REPORT, read.child("report"), attachments=attachments)
    organization: Organization = from_document(ORGANIZATION, read.child("organization"))
    if report.organization_id != organization.id:
        raise DocumentError("report.organization_id", "organization_mismatch")
    call = read.child("call")
    call_id = call.text("id")
    if report.call_id != call_id:
        raise DocumentError("report.call_id", "call_mismatch")
    return ReportDocument(report, organization, call_id, call.integer("version"))
