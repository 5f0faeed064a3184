"""Reports (sprawozdania): start one from an application, fill, check, submit, print.

The GUI and the command line both call these. A report goes through the
same outbox as an application: frozen as a canonical document with its
SHA-256 (the control sum on every printed page), then sent with its
attachments as blobs whenever there is a connection.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from mms_desktop.domain import canonical, report_canonical
from mms_desktop.domain.application import ApplicationStatus
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.findings import Finding
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.report import Report, ReportAttachment, ReportKind, start_report
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.services.attachments import store_attachment
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import read_limited, write_atomically
from mms_desktop.services.workspace import MAX_ATTACHMENT_BYTES, Workspace, refuse_blocked
from mms_desktop.storage.errors import NotFoundError, ReportLockedError
from mms_desktop.storage.store import ReportSummary, ReportVersion

# An application a report may settle: submitted, and not turned down.
REPORTABLE = frozenset(
    {
        ApplicationStatus.QUEUED,
        ApplicationStatus.SENT,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.ACCEPTED,
    }
)


def load(workspace: Workspace, report_id: str) -> Report:
    try:
        return workspace.store.load_report(report_id)
    except NotFoundError:
        raise UserError("report.unknown", id=report_id) from None


def call_of(workspace: Workspace, report: Report) -> CallDefinition:
    return workspace.calls.get(report.call_id)


def summaries(workspace: Workspace) -> list[ReportSummary]:
    """The reports on the Reports page (not those in the bin)."""
    return workspace.store.list_reports()


def status(workspace: Workspace, report_id: str) -> ApplicationStatus:
    return workspace.store.report_status(report_id)


def versions(workspace: Workspace, report_id: str) -> list[ReportVersion]:
    return workspace.store.report_versions(report_id)


def trashed(workspace: Workspace) -> list[ReportSummary]:
    return workspace.store.trashed_reports()


def trash(workspace: Workspace, report_id: str) -> None:
    workspace.store.trash_report(report_id)


def restore(workspace: Workspace, report_id: str) -> None:
    workspace.store.restore_report(report_id)


def new_report(workspace: Workspace, application_id: str, kind: ReportKind) -> Report:
    """A draft report carrying the submitted application's plan forward.

    It starts from the frozen version the operator holds (not a draft edited
    since), so the planned figures are the accepted ones.
    """
    workspace.application(application_id)  # a clear error for an unknown id
    status = workspace.store.application_status(application_id)
    versions = workspace.store.versions(application_id)
    if status not in REPORTABLE or not versions:
        raise UserError("report.application_not_submitted", status=status)
    version = versions[-1]
    frozen = canonical.application_from_document(json.loads(version.document))
    report = start_report(frozen.application, kind, new_id, version.sha256)
    workspace.store.add_report(report)
    return report


def validate(workspace: Workspace, report_id: str) -> list[Finding]:
    from mms_desktop.domain.report_validation import validate_report  # first use

    report = load(workspace, report_id)
    return validate_report(report, call_of(workspace, report))


def document(workspace: Workspace, report_id: str) -> dict[str, Any]:
    report = load(workspace, report_id)
    organization = workspace.organization(report.organization_id)
    call = call_of(workspace, report)
    return report_canonical.report_document(report, organization, call.id, call.version)


def submit(workspace: Workspace, report_id: str) -> ReportVersion:
    """Freeze the report and queue it for the operator; refused while a finding blocks."""
    refuse_blocked(validate(workspace, report_id), "report.submit_blocked")
    status = workspace.store.report_status(report_id)
    if status is not ApplicationStatus.DRAFT:
        raise UserError("report.not_a_draft", status=status)
    data = canonical.encode(document(workspace, report_id))
    store = workspace.store
    with store.transaction():  # frozen and queued together, or neither
        version = store.freeze_report_version(
            report_id, data.decode("utf-8"), canonical.sha256_hex(data), ApplicationStatus.QUEUED
        )
        store.enqueue_report(version.id, report_id)
    return version


def printable(
    workspace: Workspace, report_id: str
) -> tuple[report_canonical.ReportDocument, SubmissionStamp | None]:
    """What goes on paper: the frozen version once submitted, else the draft."""
    report = load(workspace, report_id)  # a clear error for an unknown id
    status = workspace.store.report_status(report_id)
    versions = workspace.store.report_versions(report_id)
    if status is ApplicationStatus.DRAFT or not versions:
        organization = workspace.organization(report.organization_id)
        call = call_of(workspace, report)
        return report_canonical.ReportDocument(report, organization, call.id, call.version), None
    version = versions[-1]
    frozen = report_canonical.report_from_document(json.loads(version.document))
    stamp = SubmissionStamp(
        submission_id=version.id,
        sha256=version.sha256,
        submitted_at=datetime.fromisoformat(version.created_at).astimezone(),
        version_number=version.number,
    )
    return frozen, stamp


def unprintable(workspace: Workspace, report_id: str) -> list[Finding]:
    """Text of the report's printout (frozen once submitted) its fonts cannot draw."""
    from mms_desktop.domain.printable import unprintable as check

    frozen, _ = printable(workspace, report_id)
    return check(frozen.organization, "organization") + check(frozen.report, "report")


def report_pdf(workspace: Workspace, report_id: str) -> bytes:
    from mms_desktop.documents.report_pdf import report_pdf as build  # reportlab: first use

    frozen, stamp = printable(workspace, report_id)
    call = workspace.calls.find_version(frozen.call_id, frozen.call_version) or workspace.calls.get(
        frozen.call_id
    )
    return build(frozen.report, frozen.organization, call, stamp)


def export_pdf(data: bytes, out: Path) -> None:
    write_atomically(Path(out), data)


# --- attachments ----------------------------------------------------------------


def keep_file(workspace: Workspace, path: Path, description: str = "") -> ReportAttachment:
    """Store a file's bytes in the data folder (once, by SHA-256); the report is not changed.

    The window adds the reference to its report itself, as an edit of its own
    in-memory copy, so an edit typed meanwhile is never overwritten.
    """
    data = read_limited(Path(path), MAX_ATTACHMENT_BYTES, "attach.too_large")
    sha256 = store_attachment(workspace.data_dir, data)
    return ReportAttachment(sha256, Path(path).name, len(data), description)


def attach(
    workspace: Workspace, report_id: str, path: Path, description: str = ""
) -> ReportAttachment:
    """Keep a photo or scan with the report (stored once, by its SHA-256)."""
    report = load(workspace, report_id)
    reference = keep_file(workspace, path, description)
    sha256 = reference.sha256
    kept = tuple(item for item in report.attachments if item.sha256 != sha256)
    workspace.store.update_report(report_id, attachments=(*kept, reference))
    return reference


def detach(workspace: Workspace, report_id: str, sha256: str) -> None:
    """Take a file off the report (the bytes stay: a frozen version may name them)."""
    report = load(workspace, report_id)
    kept = tuple(item for item in report.attachments if item.sha256 != sha256)
    if len(kept) == len(report.attachments):
        raise UserError("attach.not_attached")
    workspace.store.update_report(report_id, attachments=kept)


def describe(workspace: Workspace, report_id: str, sha256: str, description: str) -> None:
    report = load(workspace, report_id)
    updated = tuple(
        replace(item, description=description) if item.sha256 == sha256 else item
        for item in report.attachments
    )
    workspace.store.update_report(report_id, attachments=updated)


def reopen_for_corrections(workspace: Workspace, report_id: str) -> None:
    """The operator asked for corrections: a draft again; the frozen versions stay."""
    load(workspace, report_id)
    try:
        workspace.store.reopen_report_for_corrections(report_id)
    except ReportLockedError as error:
        raise UserError("report.not_needing_corrections", **error.params) from None
