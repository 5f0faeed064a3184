"""What the panel needs of a received document, read once when it arrives.

The grant and own contribution are the desktop's own sums (``BudgetSummary``), so
the panel, the export and the volunteer's printout add the same lines the same
way. A document the domain cannot read (a kind without an organisation, a test's
evidence list) gives what its JSON plainly says and no amounts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mms_desktop.domain.budget import BudgetSummary
from mms_desktop.domain.canonical import application_from_document
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.domain.report_canonical import report_from_document
from mms_operator.store import DocumentSummary


def grosze(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _text(found: Any) -> str | None:
    return found if isinstance(found, str) and found.strip() else None


def document_summary(kind: str, document: Any) -> DocumentSummary:
    if not isinstance(document, dict):
        return DocumentSummary()
    call = document.get("call")
    call = call if isinstance(call, dict) else {}
    organization = document.get("organization")
    organization = organization if isinstance(organization, dict) else {}
    nip = _text(organization.get("nip"))
    record = document.get(kind)
    plain = DocumentSummary(
        call_id=_text(call.get("id")),
        record_id=_text(record.get("id")) if isinstance(record, dict) else None,
        nip="".join(c for c in nip if c.isdigit()) if nip else None,
        gmina=_text(organization.get("gmina")),
        powiat=_text(organization.get("powiat")),
    )
    try:
        if kind == "application":
            read = application_from_document(document)
            budget = BudgetSummary(tuple(read.application.budget))
            return DocumentSummary(
                call_id=read.call_id,
                record_id=read.application.id,
                nip=plain.nip,
                gmina=plain.gmina,
                powiat=plain.powiat,
                grant_grosze=grosze(budget.grant),
                own_grosze=grosze(budget.own_contribution),
            )
        if kind == "report":
            report = report_from_document(document)
            return DocumentSummary(
                call_id=report.call_id,
                record_id=report.report.id,
                nip=plain.nip,
                gmina=plain.gmina,
                powiat=plain.powiat,
            )
    except DocumentError:
        pass
    return plain


def search_text(title: str, organization: str, summary: DocumentSummary, server_id: str) -> str:
    """One case-folded line the panel's search looks in (the same in SQLite and PostgreSQL,
    whose ``lower()`` differ on Polish letters)."""
    return " ".join(
        part for part in (title, organization, summary.nip or "", server_id) if part
    ).casefold()
