"""The rules a report must follow, as findings (code, severity, field, parameters).

The same engine and catalog as the application's: the words come from the
catalog, keyed by the code; a blocking finding stops the report from being
submitted, a warning is worth a look (a result under the call's threshold may
still be explained and accepted).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from mms_desktop.domain import limits
from mms_desktop.domain.application import FundingSource
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.findings import Finding, Severity
from mms_desktop.domain.money import ZERO, is_whole_grosze
from mms_desktop.domain.printable import unprintable
from mms_desktop.domain.quantities import Amount, Percent
from mms_desktop.domain.report import (
    DOCUMENT_SOURCES,
    ActionOutcome,
    Report,
    ReportKind,
    statement,
)
from mms_desktop.domain.validation import within_limits

B = Severity.BLOCKING
W = Severity.WARNING


def validate_report(report: Report, call: CallDefinition) -> list[Finding]:
    """Every finding for one report, in the order of the statutory form."""
    findings: list[Finding] = []
    findings += _period(report)
    findings += _actions(report)
    findings += _results(report, call)
    findings += _documents(report)
    findings += _volunteer_work(report, call)
    findings += _in_kind(report)
    findings += _statement(report, call)
    findings += _revenues(report)
    findings += _attachments(report)
    findings += _lengths(report)
    findings += unprintable(report, "report")
    return findings


def _period(report: Report) -> Iterator[Finding]:
    if report.contract_date is None:
        yield Finding("REPORT_CONTRACT_DATE_MISSING", B, "report.contract_date")
    elif report.period_end is not None and report.contract_date > report.period_end:
        yield Finding("REPORT_CONTRACT_AFTER_PERIOD", W, "report.contract_date")
    if not report.summary.strip():
        yield Finding("REQUIRED", B, "report.summary")
    if report.period_start is None:
        yield Finding("REQUIRED", B, "report.period_start")
    if report.period_end is None:
        yield Finding("REQUIRED", B, "report.period_end")
    if report.period_start and report.period_end and report.period_end < report.period_start:
        yield Finding("REPORT_PERIOD_END_BEFORE_START", B, "report.period_end")


def _actions(report: Report) -> Iterator[Finding]:
    final = report.kind is ReportKind.FINAL
    for number, action in enumerate(report.actions, start=1):
        field = f"report.actions[{number}]"
        if action.outcome is None:
            if final:
                yield Finding(
                    "REPORT_ACTION_OUTCOME_MISSING", B, field + ".outcome", {"number": number}
                )
            continue
        if action.outcome is not ActionOutcome.NOT_DONE and not action.description.strip():
            yield Finding(
                "REPORT_ACTION_DESCRIPTION_MISSING", B, field + ".description", {"number": number}
            )
        if action.outcome is not ActionOutcome.DONE and not action.deviations.strip():
            yield Finding(
                "REPORT_ACTION_DEVIATION_UNEXPLAINED", B, field + ".deviations", {"number": number}
            )
        if action.start_date and action.end_date and action.end_date < action.start_date:
            yield Finding("ACTION_END_BEFORE_START", B, field + ".end_date", {"number": number})


def _results(report: Report, call: CallDefinition) -> Iterator[Finding]:
    threshold = call.report_results_threshold_percent
    final = report.kind is ReportKind.FINAL
    for number, result in enumerate(report.results, start=1):
        field = f"report.results[{number}].achieved_value"
        if result.achieved_value is None:
            if final:
                yield Finding("REPORT_RESULT_MISSING", B, field, {"number": number})
            continue
        if result.achieved_value < 0:
            yield Finding("REPORT_RESULT_NEGATIVE", B, field, {"number": number})
            continue
        share = result.achieved_percent
        if final and threshold is not None and share is not None and share < threshold:
            yield Finding(
                "REPORT_RESULT_BELOW_THRESHOLD",
                W,
                field,
                {"number": number, "percent": Percent(share), "threshold": Percent(threshold)},
            )


def _money(value: Decimal, field: str, number: int, code_prefix: str) -> Iterator[Finding]:
    if value < 0:
        yield Finding(code_prefix + "_NEGATIVE", B, field, {"number": number})
    elif not is_whole_grosze(value):
        yield Finding(code_prefix + "_NOT_IN_GROSZE", B, field, {"number": number})


def _documents(report: Report) -> Iterator[Finding]:
    seen: dict[tuple[str, str], int] = {}
    for number, document in enumerate(report.documents, start=1):
        field = f"report.documents[{number}]"
        for name in ("number", "issuer"):
            if not getattr(document, name).strip():
                yield Finding(
                    "REPORT_DOCUMENT_FIELD_MISSING", B, f"{field}.{name}", {"number": number}
                )
        if document.issue_date is None:
            yield Finding(
                "REPORT_DOCUMENT_FIELD_MISSING", B, field + ".issue_date", {"number": number}
            )
        if document.line_id is None or report.line(document.line_id) is None:
            yield Finding("REPORT_DOCUMENT_NO_LINE", B, field + ".line_id", {"number": number})
        if document.amount <= 0:
            yield Finding(
                "REPORT_DOCUMENT_AMOUNT_MISSING", B, field + ".amount", {"number": number}
            )
        else:
            yield from _money(document.amount, field + ".amount", number, "REPORT_DOCUMENT_AMOUNT")
        for source in DOCUMENT_SOURCES:
            value: Decimal = getattr(document, source.value)
            yield from _money(value, f"{field}.{source.value}", number, "REPORT_DOCUMENT_AMOUNT")
        if document.amount > 0 and document.charged > document.amount:
            yield Finding(
                "REPORT_DOCUMENT_SPLIT_EXCEEDS",
                B,
                field + ".grant",
                {
                    "number": number,
                    "charged": Amount(document.charged, exact=True),
                    "amount": Amount(document.amount, exact=True),
                    "over": Amount(document.charged - document.amount, exact=True),
                },
            )
        elif document.amount > 0 and document.charged == 0:
            yield Finding("REPORT_DOCUMENT_NOT_CHARGED", B, field + ".grant", {"number": number})
        issued = document.issue_date
        if issued is not None and (
            (report.task_start is not None and issued < report.task_start)
            or (report.task_end is not None and issued > report.task_end)
        ):
            yield Finding(
                "REPORT_DOCUMENT_OUTSIDE_TASK",
                W,
                field + ".issue_date",
                {
                    "number": number,
                    "task_start": report.task_start or issued,
                    "task_end": report.task_end or issued,
                },
            )
        if document.payment_date is None:
            yield Finding("REPORT_DOCUMENT_UNPAID", W, field + ".payment_date", {"number": number})
        elif issued is not None and document.payment_date < issued:
            yield Finding(
                "REPORT_DOCUMENT_PAID_BEFORE_ISSUE", W, field + ".payment_date", {"number": number}
            )
        key = (document.number.strip().casefold(), document.issuer.strip().casefold())
        if all(key) and key in seen:
            yield Finding(
                "REPORT_DOCUMENT_DUPLICATE",
                W,
                field + ".number",
                {"number": number, "first": seen[key]},
            )
        elif all(key):
            seen[key] = number


def _line_link(report: Report, line_id: str | None, field: str, number: int) -> Iterator[Finding]:
    if line_id is None or report.line(line_id) is None:
        yield Finding("REPORT_CONTRIBUTION_NO_LINE", B, field, {"number": number})


def _volunteer_work(report: Report, call: CallDefinition) -> Iterator[Finding]:
    rate_max = call.volunteer_hour_rate_max
    for number, work in enumerate(report.volunteer_work, start=1):
        field = f"report.volunteer_work[{number}]"
        if not work.who.strip():
            yield Finding("REPORT_VOLUNTEER_WHO_MISSING", B, field + ".who", {"number": number})
        if work.people < 1:
            yield Finding("REPORT_VOLUNTEER_PEOPLE", B, field + ".people", {"number": number})
        if work.hours <= 0:
            yield Finding("REPORT_VOLUNTEER_HOURS", B, field + ".hours", {"number": number})
        if work.hourly_value <= 0:
            yield Finding("REPORT_VOLUNTEER_RATE", B, field + ".hourly_value", {"number": number})
        elif not is_whole_grosze(work.hourly_value):
            yield Finding(
                "REPORT_VOLUNTEER_RATE_NOT_IN_GROSZE",
                B,
                field + ".hourly_value",
                {"number": number},
            )
        if rate_max is not None and work.hourly_value > rate_max:
            yield Finding(
                "REPORT_VOLUNTEER_RATE_TOO_HIGH",
                B,
                field + ".hourly_value",
                {"number": number, "rate": Amount(work.hourly_value), "maximum": Amount(rate_max)},
            )
        yield from _line_link(report, work.line_id, field + ".line_id", number)


def _in_kind(report: Report) -> Iterator[Finding]:
    for number, item in enumerate(report.in_kind, start=1):
        field = f"report.in_kind[{number}]"
        if not item.description.strip():
            yield Finding(
                "REPORT_IN_KIND_DESCRIPTION_MISSING", B, field + ".description", {"number": number}
            )
        if item.value <= 0:
            yield Finding("REPORT_IN_KIND_VALUE", B, field + ".value", {"number": number})
        elif not is_whole_grosze(item.value):
            yield Finding(
                "REPORT_IN_KIND_VALUE_NOT_IN_GROSZE", B, field + ".value", {"number": number}
            )
        yield from _line_link(report, item.line_id, field + ".line_id", number)


def _statement(report: Report, call: CallDefinition) -> Iterator[Finding]:
    summary = statement(report)
    shift = call.report_category_shift_max_percent
    if shift is not None:
        for item in summary.lines:
            change = item.change_percent
            if change is not None and change > shift:
                yield Finding(
                    "REPORT_LINE_OVER_PLAN",
                    B,
                    f"report.budget[{item.number}]",
                    {
                        "number": item.number,
                        "percent": Percent(change),
                        "maximum": Percent(shift),
                        "planned": Amount(item.planned_total, exact=True),
                        "spent": Amount(item.spent_total, exact=True),
                    },
                )
    unspent = summary.grant_unspent
    planned_grant = summary.planned_by_source[FundingSource.GRANT]
    spent_grant = summary.spent_by_source[FundingSource.GRANT]
    if unspent < 0:
        yield Finding(
            "REPORT_GRANT_OVERSPENT",
            B,
            "report.documents",
            {
                "spent": Amount(spent_grant, exact=True),
                "grant": Amount(planned_grant, exact=True),
                "over": Amount(-unspent, exact=True),
            },
        )
    elif unspent > 0 and report.kind is ReportKind.FINAL:
        yield Finding(
            "REPORT_GRANT_UNSPENT",
            W,
            "report.documents",
            {
                "spent": Amount(spent_grant, exact=True),
                "grant": Amount(planned_grant, exact=True),
                "unspent": Amount(unspent, exact=True),
            },
        )
    planned_own = sum(
        (
            value
            for source, value in summary.planned_by_source.items()
            if source.is_own_contribution
        ),
        ZERO,
    )
    spent_own = sum(
        (value for source, value in summary.spent_by_source.items() if source.is_own_contribution),
        ZERO,
    )
    if report.kind is ReportKind.FINAL and spent_own < planned_own:
        yield Finding(
            "REPORT_OWN_CONTRIBUTION_LOWER",
            W,
            "report.volunteer_work",
            {"planned": Amount(planned_own, exact=True), "spent": Amount(spent_own, exact=True)},
        )


def _revenues(report: Report) -> Iterator[Finding]:
    """II.4: money taken from the task's recipients must be described in words; so
    must its absence be stated when the plan expected some."""
    collected = sum((document.participants for document in report.documents), ZERO)
    planned = sum((line.participants for line in report.budget), ZERO)
    if (collected or planned) and not report.recipient_payments.strip():
        yield Finding(
            "REPORT_RECIPIENT_PAYMENTS_UNDESCRIBED",
            B,
            "report.recipient_payments",
            {"collected": Amount(collected), "planned": Amount(planned)},
        )


def _attachments(report: Report) -> Iterator[Finding]:
    if report.kind is ReportKind.FINAL and not report.attachments:
        yield Finding("REPORT_NO_ATTACHMENTS", W, "report.attachments")
    if len(report.attachments) > limits.MAX_REPORT_ATTACHMENTS:
        yield Finding(
            "TOO_MANY_ROWS",
            B,
            "report.attachments",
            {"count": len(report.attachments), "maximum": limits.MAX_REPORT_ATTACHMENTS},
        )


def _lengths(report: Report) -> Iterator[Finding]:
    yield from within_limits(
        report,
        "report",
        limits.REPORT_TEXTS,
        limits.REPORT_ROW_TEXTS,
        limits.REPORT_MAX_ROWS,
    )
