"""A report (sprawozdanie) settling a grant: what was done, achieved and spent.

A report starts from the application it settles: its actions, results and
cost lines are carried forward, so the volunteer marks and fills in rather
than copies. The planned figures stay as they were accepted; what was really
spent is derived from the accounting documents, the volunteers' hours and the
in-kind contributions, never typed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from mms_desktop.domain.application import (
    Application,
    BudgetLine,
    FundingSource,
    with_list_row_added,
    with_list_row_changed,
    with_list_row_removed,
)
from mms_desktop.domain.money import ZERO, percent_of, round_grosze


class ReportKind(StrEnum):
    PARTIAL = "partial"  # częściowe: on the operator's demand, during the task
    FINAL = "final"  # końcowe: within 30 days of the task's end


class ActionOutcome(StrEnum):
    DONE = "done"  # zrealizowane
    PARTLY = "partly"  # zrealizowane częściowo
    NOT_DONE = "not_done"  # niezrealizowane


@dataclass(frozen=True)
class ActionReport:
    """How one action of the accepted plan went (its id is the action's)."""

    id: str
    name: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    outcome: ActionOutcome | None = None
    start_date: date | None = None  # when it really started
    end_date: date | None = None
    description: str = ""  # what happened
    deviations: str = ""  # what differed from the plan, and why


@dataclass(frozen=True)
class ResultReport:
    """One planned result against what was achieved (its id is the result's)."""

    id: str
    name: str = ""
    unit: str = ""
    planned_value: Decimal | None = None
    achieved_value: Decimal | None = None
    comment: str = ""  # how it was measured, or why it fell short

    @property
    def achieved_percent(self) -> Decimal | None:
        """Achieved as a share of planned, in percent (None when either is missing)."""
        if self.planned_value is None or self.achieved_value is None or self.planned_value <= 0:
            return None
        return percent_of(self.achieved_value, self.planned_value)


@dataclass(frozen=True)
class AccountingDocument:
    """An invoice or bill paid for the task, and how it was paid."""

    id: str
    number: str = ""
    issue_date: date | None = None
    issuer: str = ""
    description: str = ""
    amount: Decimal = ZERO  # the document's whole amount (brutto)
    line_id: str | None = None  # the cost line it settles
    grant: Decimal = ZERO
    own_financial: Decimal = ZERO
    participants: Decimal = ZERO
    payment_date: date | None = None

    @property
    def charged(self) -> Decimal:
        """The part charged to the task (from the grant and own money)."""
        return self.grant + self.own_financial + self.participants


# The sources a document pays; work and things given are reported apart.
DOCUMENT_SOURCES = (FundingSource.GRANT, FundingSource.OWN_FINANCIAL, FundingSource.PARTICIPANTS)


@dataclass(frozen=True)
class VolunteerWork:
    """Work of volunteers or members (the personal contribution)."""

    id: str
    who: str = ""  # names, or who they were ("5 członkiń koła")
    people: int = 1
    hours: Decimal = Decimal(0)  # all of them together
    hourly_value: Decimal = ZERO
    action_id: str | None = None
    line_id: str | None = None  # the personal-contribution cost line it settles

    @property
    def value(self) -> Decimal:
        return round_grosze(self.hours * self.hourly_value)


@dataclass(frozen=True)
class InKindContribution:
    """Something given or lent for the task (the in-kind contribution)."""

    id: str
    description: str = ""
    value: Decimal = ZERO
    action_id: str | None = None
    line_id: str | None = None


@dataclass(frozen=True)
class ReportAttachment:
    """A photo, scan or clipping kept with the report, content-addressed by SHA-256."""

    sha256: str
    name: str
    size: int
    description: str = ""


@dataclass(frozen=True)
class Report:
    id: str
    application_id: str
    organization_id: str
    call_id: str
    kind: ReportKind = ReportKind.FINAL
    title: str = ""  # the task's title, carried from the application
    task_start: date | None = None  # the task's dates as accepted
    task_end: date | None = None
    period_start: date | None = None  # the period reported on
    period_end: date | None = None
    application_sha256: str = ""  # the submitted version it settles ("" if none)
    contract_date: date | None = None  # data zawarcia umowy
    contract_number: str = ""  # numer umowy, o ile został nadany
    summary: str = ""  # what was done and which goals were reached
    actions: tuple[ActionReport, ...] = ()
    results: tuple[ResultReport, ...] = ()
    budget: tuple[BudgetLine, ...] = ()  # as accepted; not edited in the report
    documents: tuple[AccountingDocument, ...] = ()
    volunteer_work: tuple[VolunteerWork, ...] = ()
    in_kind: tuple[InKindContribution, ...] = ()
    other_revenues: str = ""  # II.3: other revenues earned while carrying out the task
    recipient_payments: str = ""  # II.4: monetary payments collected from recipients
    other_information: str = ""
    attachments: tuple[ReportAttachment, ...] = ()

    def line(self, line_id: str | None) -> BudgetLine | None:
        return next((line for line in self.budget if line.id == line_id), None)

    def line_number(self, line_id: str | None) -> int | None:
        for number, line in enumerate(self.budget, start=1):
            if line.id == line_id:
                return number
        return None

    def action_number(self, action_id: str | None) -> int | None:
        for number, action in enumerate(self.actions, start=1):
            if action.id == action_id:
                return number
        return None


def start_report(
    application: Application,
    kind: ReportKind,
    new_id: Callable[[], str],
    application_sha256: str = "",
) -> Report:
    """A report carrying the application's actions, results and cost lines forward."""
    return Report(
        id=new_id(),
        application_id=application.id,
        organization_id=application.organization_id,
        call_id=application.call_id,
        kind=kind,
        title=application.title,
        task_start=application.start_date,
        task_end=application.end_date,
        period_start=application.start_date,
        period_end=application.end_date,
        application_sha256=application_sha256,
        actions=tuple(
            ActionReport(
                id=action.id,
                name=action.name,
                planned_start=action.start_date,
                planned_end=action.end_date,
            )
            for action in application.actions
        ),
        results=tuple(
            ResultReport(
                id=result.id,
                name=result.name,
                unit=result.unit,
                planned_value=result.planned_value,
            )
            for result in application.results
        ),
        budget=application.budget,
    )


# --- editing: row lists by name ----------------------------------------------

# Lists a volunteer edits; "budget" is carried forward and stays as accepted.
REPORT_ROW_LISTS = ("actions", "results", "documents", "volunteer_work", "in_kind")
ReportRow = ActionReport | ResultReport | AccountingDocument | VolunteerWork | InKindContribution


def report_rows(report: Report, rows: str) -> tuple[ReportRow, ...]:
    if rows not in REPORT_ROW_LISTS:
        raise ValueError(f"not a list of the report: {rows!r}")
    value: tuple[ReportRow, ...] = getattr(report, rows)
    return value


def with_report_row_changed(report: Report, rows: str, row_id: str, **changes: object) -> Report:
    report_rows(report, rows)  # only the lists a volunteer edits
    return with_list_row_changed(report, rows, row_id, **changes)


def with_report_row_added(report: Report, rows: str, row: ReportRow, index: int | None) -> Report:
    report_rows(report, rows)
    return with_list_row_added(report, rows, row, index)


def with_report_row_removed(report: Report, rows: str, row_id: str) -> Report:
    report_rows(report, rows)
    return with_list_row_removed(report, rows, row_id)


# --- the statement of expenditure --------------------------------------------


def _by_source(pairs: Iterable[tuple[FundingSource, Decimal]]) -> dict[FundingSource, Decimal]:
    totals = dict.fromkeys(FundingSource, ZERO)
    for source, value in pairs:
        totals[source] += value
    return totals


@dataclass(frozen=True)
class LineStatement:
    """One cost line: planned against spent, per source."""

    line: BudgetLine
    number: int
    planned: dict[FundingSource, Decimal]
    spent: dict[FundingSource, Decimal]

    @property
    def planned_total(self) -> Decimal:
        return self.line.total

    @property
    def spent_total(self) -> Decimal:
        return sum(self.spent.values(), ZERO)

    @property
    def change_percent(self) -> Decimal | None:
        """How far spending moved from the plan, in percent (+ more, − less)."""
        if self.planned_total <= 0:
            return None
        return percent_of(self.spent_total - self.planned_total, self.planned_total)


@dataclass(frozen=True)
class Statement:
    """Zestawienie wydatków: every cost line, and the whole per source."""

    lines: tuple[LineStatement, ...]
    unassigned: dict[FundingSource, Decimal]  # spending not yet put on a cost line

    @property
    def planned_by_source(self) -> dict[FundingSource, Decimal]:
        return _by_source(
            (source, item.planned[source]) for item in self.lines for source in FundingSource
        )

    @property
    def spent_by_source(self) -> dict[FundingSource, Decimal]:
        assigned = [(source, item.spent[source]) for item in self.lines for source in FundingSource]
        return _by_source([*assigned, *self.unassigned.items()])

    @property
    def planned_total(self) -> Decimal:
        return sum((item.planned_total for item in self.lines), ZERO)

    @property
    def spent_total(self) -> Decimal:
        return sum(self.spent_by_source.values(), ZERO)

    @property
    def unassigned_total(self) -> Decimal:
        return sum(self.unassigned.values(), ZERO)

    @property
    def grant_unspent(self) -> Decimal:
        """Grant planned but not spent (to be returned); negative when overspent."""
        return (
            self.planned_by_source[FundingSource.GRANT] - self.spent_by_source[FundingSource.GRANT]
        )


def spending(report: Report) -> list[tuple[str | None, FundingSource, Decimal]]:
    """Every amount spent: (cost line, source, amount)."""
    found: list[tuple[str | None, FundingSource, Decimal]] = []
    for document in report.documents:
        for source in DOCUMENT_SOURCES:
            value: Decimal = getattr(document, source.value)
            if value:
                found.append((document.line_id, source, value))
    for work in report.volunteer_work:
        found.append((work.line_id, FundingSource.OWN_PERSONAL, work.value))
    for item in report.in_kind:
        found.append((item.line_id, FundingSource.OWN_IN_KIND, item.value))
    return found


def statement(report: Report) -> Statement:
    known = {line.id for line in report.budget}
    spent: dict[str, list[tuple[FundingSource, Decimal]]] = {line.id: [] for line in report.budget}
    unassigned: list[tuple[FundingSource, Decimal]] = []
    for line_id, source, value in spending(report):
        if line_id in known:
            spent[line_id].append((source, value))
        else:
            unassigned.append((source, value))
    return Statement(
        lines=tuple(
            LineStatement(
                line=line,
                number=number,
                planned=_by_source((source, line.amount(source)) for source in FundingSource),
                spent=_by_source(spent[line.id]),
            )
            for number, line in enumerate(report.budget, start=1)
        ),
        unassigned=_by_source(unassigned),
    )
