"""The canonical document of a report, the input of its control sum.

The same rules as the application's (``canonical``): UTF-8, keys sorted, no
insignificant whitespace, decimals and dates as strings, every field present.
The report names the application it settles and the SHA-256 of the submitted
version, so paper, file and operator all point at the same accepted offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mms_desktop.domain.canonical import (
    budget_line_from_dict,
    budget_line_to_dict,
    date_or_none,
    decimal_or_none,
    organization_from_dict,
    organization_to_dict,
)
from mms_desktop.domain.document_errors import DocumentError, Reader
from mms_desktop.domain.money import decimal_to_document
from mms_desktop.domain.organization import Organization
from mms_desktop.domain.report import (
    AccountingDocument,
    ActionOutcome,
    ActionReport,
    InKindContribution,
    Report,
    ReportAttachment,
    ReportKind,
    ResultReport,
    VolunteerWork,
)

REPORT_SCHEMA = "mms-report"
REPORT_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ReportDocument:
    report: Report
    organization: Organization
    call_id: str
    call_version: int


def report_attachment_to_dict(item: ReportAttachment) -> dict[str, Any]:
    return {
        "sha256": item.sha256,
        "name": item.name,
        "size": item.size,
        "description": item.description,
    }


def action_report_to_dict(action: ActionReport) -> dict[str, Any]:
    return {
        "id": action.id,
        "name": action.name,
        "planned_start": date_or_none(action.planned_start),
        "planned_end": date_or_none(action.planned_end),
        "outcome": None if action.outcome is None else action.outcome.value,
        "start_date": date_or_none(action.start_date),
        "end_date": date_or_none(action.end_date),
        "description": action.description,
        "deviations": action.deviations,
    }


def result_report_to_dict(result: ResultReport) -> dict[str, Any]:
    return {
        "id": result.id,
        "name": result.name,
        "unit": result.unit,
        "planned_value": decimal_or_none(result.planned_value),
        "achieved_value": decimal_or_none(result.achieved_value),
        "comment": result.comment,
    }


def document_to_dict(document: AccountingDocument) -> dict[str, Any]:
    return {
        "id": document.id,
        "number": document.number,
        "issue_date": date_or_none(document.issue_date),
        "issuer": document.issuer,
        "description": document.description,
        "amount": decimal_to_document(document.amount),
        "line_id": document.line_id,
        "grant": decimal_to_document(document.grant),
        "own_financial": decimal_to_document(document.own_financial),
        "participants": decimal_to_document(document.participants),
        "payment_date": date_or_none(document.payment_date),
    }


def volunteer_work_to_dict(work: VolunteerWork) -> dict[str, Any]:
    return {
        "id": work.id,
        "who": work.who,
        "people": work.people,
        "hours": decimal_to_document(work.hours),
        "hourly_value": decimal_to_document(work.hourly_value),
        "action_id": work.action_id,
        "line_id": work.line_id,
    }


def in_kind_to_dict(item: InKindContribution) -> dict[str, Any]:
    return {
        "id": item.id,
        "description": item.description,
        "value": decimal_to_document(item.value),
        "action_id": item.action_id,
        "line_id": item.line_id,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "application_id": report.application_id,
        "organization_id": report.organization_id,
        "call_id": report.call_id,
        "kind": report.kind.value,
        "title": report.title,
        "task_start": date_or_none(report.task_start),
        "task_end": date_or_none(report.task_end),
        "period_start": date_or_none(report.period_start),
        "period_end": date_or_none(report.period_end),
        "application_sha256": report.application_sha256,
        "summary": report.summary,
        "actions": [action_report_to_dict(row) for row in report.actions],
        "results": [result_report_to_dict(row) for row in report.results],
        "budget": [budget_line_to_dict(line) for line in report.budget],
        "documents": [document_to_dict(row) for row in report.documents],
        "volunteer_work": [volunteer_work_to_dict(row) for row in report.volunteer_work],
        "in_kind": [in_kind_to_dict(row) for row in report.in_kind],
        "other_information": report.other_information,
    }


def report_document(
    report: Report, organization: Organization, call_id: str, call_version: int
) -> dict[str, Any]:
    return {
        "schema": REPORT_SCHEMA,
        "schema_version": REPORT_SCHEMA_VERSION,
        # Top level, as in the application: the operator asks for these blobs first.
        "attachments": [report_attachment_to_dict(item) for item in report.attachments],
        "call": {"id": call_id, "version": call_version},
        "organization": organization_to_dict(organization),
        "report": report_to_dict(report),
    }


# --- decoding ---------------------------------------------------------------


def action_report_from_dict(item: Reader) -> ActionReport:
    return ActionReport(
        id=item.text("id"),
        name=item.text("name", ""),
        planned_start=item.optional_date("planned_start"),
        planned_end=item.optional_date("planned_end"),
        outcome=None
        if item.optional_text("outcome") is None
        else item.enum("outcome", ActionOutcome),
        start_date=item.optional_date("start_date"),
        end_date=item.optional_date("end_date"),
        description=item.text("description", ""),
        deviations=item.text("deviations", ""),
    )


def result_report_from_dict(item: Reader) -> ResultReport:
    return ResultReport(
        id=item.text("id"),
        name=item.text("name", ""),
        unit=item.text("unit", ""),
        planned_value=item.optional_decimal("planned_value"),
        achieved_value=item.optional_decimal("achieved_value"),
        comment=item.text("comment", ""),
    )


def document_from_dict(item: Reader) -> AccountingDocument:
    return AccountingDocument(
        id=item.text("id"),
        number=item.text("number", ""),
        issue_date=item.optional_date("issue_date"),
        issuer=item.text("issuer", ""),
        description=item.text("description", ""),
        amount=item.decimal("amount"),
        line_id=item.optional_text("line_id"),
        grant=item.decimal("grant"),
        own_financial=item.decimal("own_financial"),
        participants=item.decimal("participants"),
        payment_date=item.optional_date("payment_date"),
    )


def volunteer_work_from_dict(item: Reader) -> VolunteerWork:
    return VolunteerWork(
        id=item.text("id"),
        who=item.text("who", ""),
        people=item.integer("people"),
        hours=item.decimal("hours"),
        hourly_value=item.decimal("hourly_value"),
        action_id=item.optional_text("action_id"),
        line_id=item.optional_text("line_id"),
    )


def in_kind_from_dict(item: Reader) -> InKindContribution:
    return InKindContribution(
        id=item.text("id"),
        description=item.text("description", ""),
        value=item.decimal("value"),
        action_id=item.optional_text("action_id"),
        line_id=item.optional_text("line_id"),
    )


def report_from_dict(read: Reader, attachments: tuple[ReportAttachment, ...]) -> Report:
    return Report(
        id=read.text("id"),
        application_id=read.text("application_id"),
        organization_id=read.text("organization_id"),
        call_id=read.text("call_id"),
        kind=read.enum("kind", ReportKind),
        title=read.text("title", ""),
        task_start=read.optional_date("task_start"),
        task_end=read.optional_date("task_end"),
        period_start=read.optional_date("period_start"),
        period_end=read.optional_date("period_end"),
        application_sha256=read.text("application_sha256", ""),
        summary=read.text("summary", ""),
        actions=tuple(
            action_report_from_dict(item) for item in read.records("actions", optional=True)
        ),
        results=tuple(
            result_report_from_dict(item) for item in read.records("results", optional=True)
        ),
        budget=tuple(budget_line_from_dict(item) for item in read.records("budget", optional=True)),
        documents=tuple(
            document_from_dict(item) for item in read.records("documents", optional=True)
        ),
        volunteer_work=tuple(
            volunteer_work_from_dict(item) for item in read.records("volunteer_work", optional=True)
        ),
        in_kind=tuple(in_kind_from_dict(item) for item in read.records("in_kind", optional=True)),
        other_information=read.text("other_information", ""),
        attachments=attachments,
    )


def report_from_document(document: object) -> ReportDocument:
    """Read a canonical report document; DocumentError names what is wrong."""
    read = Reader(document, "")
    if read.text("schema") != REPORT_SCHEMA:
        raise DocumentError("schema", "wrong_schema", expected=REPORT_SCHEMA)
    version = read.integer("schema_version")
    if version != REPORT_SCHEMA_VERSION:
        raise DocumentError(
            "schema_version",
            "unknown_schema_version",
            value=version,
            expected=REPORT_SCHEMA_VERSION,
        )
    attachments = tuple(
        report_attachment_from_dict(item) for item in read.records("attachments", optional=True)
    )
    report = report_from_dict(read.child("report"), attachments)
    organization = organization_from_dict(read.child("organization"))
    if report.organization_id != organization.id:
        raise DocumentError("report.organization_id", "organization_mismatch")
    call = read.child("call")
    call_id = call.text("id")
    if report.call_id != call_id:
        raise DocumentError("report.call_id", "call_mismatch")
    return ReportDocument(report, organization, call_id, call.integer("version"))


def report_attachment_from_dict(item: Reader) -> ReportAttachment:
    return ReportAttachment(
        sha256=item.text("sha256"),
        name=item.text("name"),
        size=item.integer("size"),
        description=item.text("description", ""),
    )


# Each editable list of a report: (to a JSON-ready dict, from a Reader).
ROW_CODECS: dict[str, tuple[Any, Any]] = {
    "actions": (action_report_to_dict, action_report_from_dict),
    "results": (result_report_to_dict, result_report_from_dict),
    "budget": (budget_line_to_dict, budget_line_from_dict),
    "documents": (document_to_dict, document_from_dict),
    "volunteer_work": (volunteer_work_to_dict, volunteer_work_from_dict),
    "in_kind": (in_kind_to_dict, in_kind_from_dict),
    "attachments": (report_attachment_to_dict, report_attachment_from_dict),
}
