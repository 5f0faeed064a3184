"""The printout the organisation made, built again from the stored document.

The same layout and control sum as the volunteer's PDF: the desktop's own
``application_pdf``/``report_pdf`` on the received bytes, against the call
definition the document was written for (published here, else bundled).
Used by ``mms-operator show --pdf`` and by the panel.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from mms_desktop.i18n import tr
from mms_operator.store import Submission

PRINTABLE_KINDS = ("application", "report")


class PrintoutError(Exception):
    """Why no printout can be made, in words."""


def find_call(store: Any, call_id: str, version: int) -> tuple[Any, str | None]:
    """(the CallDefinition a document was written against, a note when another version
    of it had to stand in)."""
    from mms_desktop.core.calls import bundled_call_documents
    from mms_desktop.domain.call import CallDefinition

    published = store.call_version(call_id, version)
    if published is not None:
        return CallDefinition.from_dict(published.definition), None
    bundled = [
        definition
        for definition in map(CallDefinition.from_dict, bundled_call_documents())
        if definition.id == call_id
    ]
    exact = [definition for definition in bundled if definition.version == version]
    if exact:
        return exact[0], None
    other = [item for item in store.calls() if item.call_id == call_id]
    if other:
        definition = CallDefinition.from_dict(other[0].definition)
    elif bundled:
        definition = max(bundled, key=lambda item: item.version)
    else:
        raise PrintoutError(tr("operator.unknown_call", call_id=call_id))
    note = tr(
        "operator.other_call_version", version=version, call_id=call_id, used=definition.version
    )
    return definition, note


def printout(store: Any, submission: Submission, document: bytes) -> tuple[bytes, str | None]:
    """(the PDF, a note when it was laid out against another version of the call)."""
    if submission.kind not in PRINTABLE_KINDS:
        raise PrintoutError(tr("operator.pdf_kinds"))
    # reportlab and the desktop's layouts load on first use
    from mms_desktop.documents.application_pdf import application_pdf
    from mms_desktop.documents.report_pdf import report_pdf
    from mms_desktop.domain.canonical import application_from_document
    from mms_desktop.domain.document_errors import DocumentError
    from mms_desktop.domain.report_canonical import report_from_document
    from mms_desktop.domain.submission import SubmissionStamp

    stamp = SubmissionStamp(
        submission.submission_id,
        submission.content_sha256,
        submitted_at=datetime.fromisoformat(submission.received_at).astimezone(),
    )
    try:
        if submission.kind == "report":
            report = report_from_document(json.loads(document))
            call, note = find_call(store, report.call_id, report.call_version)
            return report_pdf(report.report, report.organization, call, stamp), note
        parsed = application_from_document(json.loads(document))
        call, note = find_call(store, parsed.call_id, parsed.call_version)
        return application_pdf(parsed.application, parsed.organization, call, stamp), note
    except DocumentError as error:
        raise PrintoutError(tr("operator.cannot_print", field=error.field)) from None
