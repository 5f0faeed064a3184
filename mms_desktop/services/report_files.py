"""A report as a file, both ways: finished on another laptop, or written by a script.

``export_json`` writes the report's canonical document (the same bytes its
control sum is taken of). ``import_json`` reads one back whole, as a new draft
report, or not at all: the file is checked against the schema of its format
version (version 1 files are upgraded), and it must settle an application this
laptop holds, of the same organisation and call. Every refusal says in words
what is wrong and that nothing was saved.

A report's attachments travel as references (SHA-256), not bytes: a file whose
attachments are not on this laptop is refused with their names, and a bundle
(``.mms``), which carries the files, is the way to move them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mms_desktop.domain import canonical, report_canonical
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.report import Report
from mms_desktop.services import reports
from mms_desktop.services.attachments import attachment_path
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import read_json_file, write_atomically
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.errors import NotFoundError


def export_json(workspace: Workspace, report_id: str, out: Path) -> None:
    """The report's canonical document into ``out`` (written whole, or not at all)."""
    data = canonical.encode(reports.document(workspace, report_id))
    write_atomically(Path(out), data)


def import_json(workspace: Workspace, path: Path) -> Report:
    """A report file as a new draft report of an application held here; returns it."""
    from mms_desktop.services import schemas  # jsonschema: first use

    raw = read_json_file(Path(path))
    schemas.check(
        raw,
        schemas.REPORT,
        report_canonical.REPORT_SCHEMA,
        report_canonical.REPORT_SCHEMA_VERSION,
        older=report_canonical.READABLE_REPORT_VERSIONS[:-1],
    )
    try:
        document = report_canonical.report_from_document(raw)
    except DocumentError as error:
        raise UserError(
            "import.invalid_field", field=error.field, problem=f"document.{error.reason}"
        ) from None
    incoming = document.report
    try:
        application = workspace.store.load_application(incoming.application_id)
    except NotFoundError:
        raise UserError(
            "report_import.unknown_application",
            id=incoming.application_id,
            title=incoming.title,
        ) from None
    if application.organization_id != incoming.organization_id:
        raise UserError(
            "report_import.other_organization",
            title=application.title,
            organization=document.organization.name,
        )
    if application.call_id != incoming.call_id:
        raise UserError(
            "report_import.other_call", title=application.title, call_id=incoming.call_id
        )
    if workspace.calls.find(incoming.call_id) is None:
        raise UserError("import.unknown_call", call_id=incoming.call_id)
    status = workspace.store.application_status(application.id)
    if status not in reports.REPORTABLE:
        raise UserError("report.application_not_submitted", status=status)
    missing = [
        item.name
        for item in incoming.attachments
        if not attachment_path(workspace.data_dir, item.sha256).is_file()
    ]
    if missing:
        raise UserError("report_import.attachments_missing", names=", ".join(missing))
    # A new report beside any the laptop has: the file may be a copy of one of them.
    report = replace(incoming, id=new_id())
    workspace.store.add_report(report)
    return report
