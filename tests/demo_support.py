"""What the tests need to know about the demo data folder."""

from __future__ import annotations

from typing import Any


def the_draft(data: dict[str, Any]) -> dict[str, Any]:
    """The demo's draft application in ``list --json`` (the demo also has an accepted one)."""
    [app] = [item for item in data["applications"] if item["status"] == "draft"]
    return app


def complete_demo_report(workspace: Any, report_id: str) -> None:
    """Fill in what the demo's report still lacks, so nothing blocks its submission.

    Action 3 (the concert) done, result 3 achieved, and the concert's invoices.
    """
    from dataclasses import replace
    from datetime import date
    from decimal import Decimal

    from mms_desktop.domain.report import AccountingDocument, ActionOutcome

    report = workspace.store.load_report(report_id)
    *done, concert = report.actions
    *results, audience = report.results
    posters, sound = report.budget[3], report.budget[4]
    workspace.store.update_report(
        report_id,
        actions=(
            *done,
            replace(
                concert,
                outcome=ActionOutcome.DONE,
                start_date=date(2027, 8, 28),
                end_date=date(2027, 8, 28),
                description="Koncert „Pieśni znad Soły”: 140 widzów, goście z Żywca.",
            ),
        ),
        results=(*results, replace(audience, achieved_value=Decimal("140"))),
        documents=(
            *report.documents,
            AccountingDocument(
                "dok-plakaty",
                "FV 7/08/2027",
                date(2027, 8, 10),
                "Drukarnia Ślemień",
                "Plakaty i zaproszenia",
                Decimal("450.00"),
                posters.id,
                grant=Decimal("450.00"),
                payment_date=date(2027, 8, 12),
            ),
            AccountingDocument(
                "dok-naglosnienie",
                "FV 31/2027",
                date(2027, 8, 28),
                "Nagłośnienie Źródło – Paweł Gąsior",
                "Nagłośnienie koncertu",
                Decimal("1200.00"),
                sound.id,
                grant=Decimal("1000.00"),
                participants=Decimal("200.00"),
                payment_date=date(2027, 8, 29),
            ),
        ),
    )
