"""Totals, shares and caps of a budget, always derived from its lines.

Nothing here is stored: a total kept beside its lines could disagree with them.
Each figure is a sum of whole-grosz line totals, so the sum of the category
subtotals, the sum of the group subtotals and the grand total agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from mms_desktop.domain.application import BudgetLine, FundingSource
from mms_desktop.domain.call import CallDefinition, CapBase, CostGroup
from mms_desktop.domain.money import ZERO, percent_of
from mms_desktop.domain.organization import LegalForm


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


@dataclass(frozen=True)
class CapUse:
    """How much of a capped kind of cost the budget uses, e.g. admin costs."""

    amount: Decimal
    base: Decimal
    cap_percent: Decimal

    @property
    def percent(self) -> Decimal:
        return percent_of(self.amount, self.base)

    @property
    def limit(self) -> Decimal:
        return self.base * self.cap_percent / 100

    @property
    def exceeded(self) -> bool:
        return self.amount * 100 > self.base * self.cap_percent

    @property
    def left(self) -> Decimal:
        """Amount still allowed under the cap (negative when over)."""
        return self.limit - self.amount


@dataclass(frozen=True)
class BudgetSummary:
    lines: tuple[BudgetLine, ...]
    call: CallDefinition | None = None

    @property
    def total(self) -> Decimal:
        return _sum(line.total for line in self.lines)

    def by_category(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.category_id] = totals.get(line.category_id, ZERO) + line.total
        return totals

    def group_of(self, line: BudgetLine) -> CostGroup:
        category = self.call.category(line.category_id) if self.call else None
        return category.group if category else CostGroup.ACTIONS

    def by_group(self) -> dict[CostGroup, Decimal]:
        totals = dict.fromkeys(CostGroup, ZERO)
        for line in self.lines:
            totals[self.group_of(line)] += line.total
        return totals

    def by_action(self) -> dict[str | None, Decimal]:
        totals: dict[str | None, Decimal] = {}
        for line in self.lines:
            totals[line.action_id] = totals.get(line.action_id, ZERO) + line.total
        return totals

    def source_total(self, source: FundingSource) -> Decimal:
        return _sum(line.amount(source) for line in self.lines)

    def by_source(self) -> dict[FundingSource, Decimal]:
        return {source: self.source_total(source) for source in FundingSource}

    @property
    def sources_total(self) -> Decimal:
        return _sum(self.by_source().values())

    @property
    def grant(self) -> Decimal:
        return self.source_total(FundingSource.GRANT)

    @property
    def own_contribution(self) -> Decimal:
        return _sum(
            amount for source, amount in self.by_source().items() if source.is_own_contribution
        )

    def source_share(self, source: FundingSource) -> Decimal:
        """Share of one source in all costs, in percent (exact)."""
        return percent_of(self.source_total(source), self.total)

    @property
    def own_contribution_share(self) -> Decimal:
        return percent_of(self.own_contribution, self.total)

    def _cap_base(self) -> Decimal:
        if self.call is not None and self.call.cap_base is CapBase.GRANT:
            return self.grant
        return self.total

    def admin_cap(self) -> CapUse | None:
        if self.call is None or self.call.admin_cap_percent is None:
            return None
        return CapUse(
            amount=self.by_group()[CostGroup.ADMIN],
            base=self._cap_base(),
            cap_percent=self.call.admin_cap_percent,
        )

    def equipment_total(self) -> Decimal:
        if self.call is None:
            return ZERO
        call = self.call
        return _sum(
            line.total
            for line in self.lines
            if (category := call.category(line.category_id)) and category.equipment
        )

    def equipment_cap(self, legal_form: LegalForm) -> CapUse | None:
        if self.call is None:
            return None
        cap = self.call.equipment_cap_for(legal_form)
        if cap is None:
            return None
        return CapUse(amount=self.equipment_total(), base=self._cap_base(), cap_percent=cap)


# --- verdicts: the one place each cap's "broken or not" is decided -----------------


class GrantVerdict(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


def grant_verdict(grant: Decimal, call: CallDefinition) -> GrantVerdict:
    """Where the grant asked for stands against the call's range."""
    if grant < call.grant_min:
        return GrantVerdict.BELOW
    if grant > call.grant_max:
        return GrantVerdict.ABOVE
    return GrantVerdict.WITHIN


def own_contribution_short(summary: BudgetSummary, minimum_percent: Decimal) -> bool:
    """The own contribution is below the call's minimum share of the costs."""
    total = summary.total
    return (
        minimum_percent > 0
        and total > 0
        and summary.own_contribution * 100 < total * minimum_percent
    )


def own_financial_short(summary: BudgetSummary, minimum_percent: Decimal) -> bool:
    """The financial own contribution is below the call's minimum share of the costs."""
    total = summary.total
    financial = summary.source_total(FundingSource.OWN_FINANCIAL)
    return minimum_percent > 0 and total > 0 and financial * 100 < total * minimum_percent


def cap_forbidden_used(cap: CapUse) -> bool:
    """A kind of cost the call allows none of (a cap of 0 %) is in the budget."""
    return cap.cap_percent == 0 and cap.amount > 0


# --- the share table (V.B): each source, the own contribution, the whole ----------


@dataclass(frozen=True)
class Share:
    amount: Decimal
    percent: Decimal  # of all costs, exact


@dataclass(frozen=True)
class ShareTable:
    sources: tuple[tuple[FundingSource, Share], ...]  # in the form's order
    own: Share
    total: Share  # 100 % of a budget with costs, 0 % of an empty one


def share_table(summary: BudgetSummary) -> ShareTable:
    total = summary.total
    return ShareTable(
        sources=tuple(
            (source, Share(summary.source_total(source), summary.source_share(source)))
            for source in FundingSource
        ),
        own=Share(summary.own_contribution, summary.own_contribution_share),
        total=Share(total, Decimal(100) if total else Decimal(0)),
    )


# --- one line's split, as a person edits it -----------------------------------------


def follow_single_source(
    line: BudgetLine, unit_cost: Decimal, quantity: Decimal
) -> dict[str, Decimal]:
    """A line paid from one source keeps being paid from it when its cost changes.

    Most lines are all grant: a new unit cost should not leave the grant at
    the old total (a split mismatch the volunteer then has to fix). A line
    whose split was really split, or did not add up, is left alone ({}).
    """
    sources = {source.value: line.amount(source) for source in FundingSource}
    if sum(sources.values(), ZERO) != line.total:
        return {}
    paying = [name for name, amount in sources.items() if amount]
    if len(paying) > 1:
        return {}
    name = paying[0] if paying else FundingSource.GRANT.value
    return {name: BudgetLine(id=line.id, unit_cost=unit_cost, quantity=quantity).total}


# --- running totals: the same figures, recomputed line by line ------------------------


@dataclass(frozen=True)
class BudgetFigures:
    """A budget's summary with the lines whose split does not add up."""

    summary: BudgetSummary
    mismatched_rows: tuple[int, ...]  # 1-based
    mismatch: Decimal  # sources minus costs, over the mismatched lines


@dataclass(frozen=True)
class _LineFigures:
    line: BudgetLine  # the object these were computed from
    amounts: tuple[Decimal, ...]  # total, then the five sources
    difference: Decimal  # sources minus total


class RunningTotals:
    """Sums by category and source, kept up to date line by line.

    An edit replaces one line object; only that line is computed again (its
    old figures taken out of the sums, the new ones put in). ``BudgetSummary``
    over one aggregate line per category then gives the same figures as over
    all lines — each is a sum of whole-grosz line totals — at a fraction of
    the cost, so an editor of 300 lines can show them after every keystroke.
    """

    def __init__(self, call: CallDefinition) -> None:
        self._call = call
        self._lines: dict[str, _LineFigures] = {}
        self._sums: dict[str, list[Decimal]] = {}

    def _add(self, category_id: str, amounts: tuple[Decimal, ...], sign: int) -> None:
        sums = self._sums.setdefault(category_id, [ZERO] * 6)
        for position, amount in enumerate(amounts):
            sums[position] += amount if sign > 0 else -amount

    def figures(self, lines: Sequence[BudgetLine]) -> BudgetFigures:
        known = self._lines
        current: dict[str, _LineFigures] = {}
        mismatched: list[int] = []
        mismatch = ZERO
        for number, line in enumerate(lines, start=1):
            figures = known.get(line.id)
            if figures is None or figures.line is not line:
                if figures is not None:
                    self._add(figures.line.category_id, figures.amounts, -1)
                amounts = (
                    line.total,
                    line.grant,
                    line.own_financial,
                    line.own_personal,
                    line.own_in_kind,
                    line.participants,
                )
                figures = _LineFigures(line, amounts, sum(amounts[1:], ZERO) - amounts[0])
                self._add(line.category_id, amounts, +1)
            current[line.id] = figures
            if figures.difference:
                mismatched.append(number)
                mismatch += figures.difference
        for line_id, figures in known.items():
            if line_id not in current:
                self._add(figures.line.category_id, figures.amounts, -1)
        self._lines = current
        aggregate = tuple(
            BudgetLine(
                id=category_id,
                category_id=category_id,
                unit_cost=sums[0],
                quantity=Decimal(1),
                grant=sums[1],
                own_financial=sums[2],
                own_personal=sums[3],
                own_in_kind=sums[4],
                participants=sums[5],
            )
            for category_id, sums in self._sums.items()
            if any(sums)
        )
        return BudgetFigures(BudgetSummary(aggregate, self._call), tuple(mismatched), mismatch)


def budget_figures(lines: Sequence[BudgetLine], call: CallDefinition) -> BudgetFigures:
    """The figures for these lines, from scratch."""
    return RunningTotals(call).figures(lines)


# --- per-year values of a task over more than one calendar year (V.A) ---------------


def task_years(start: date | None, end: date | None) -> tuple[int, ...]:
    """The calendar years a task spans; empty while either date is missing or they cross."""
    if start is None or end is None or end < start:
        return ()
    return tuple(range(start.year, end.year + 1))


def year_values_total(line: BudgetLine) -> Decimal:
    return _sum(item.amount for item in line.year_values)


def year_values_difference(line: BudgetLine) -> Decimal:
    """How far the per-year amounts miss the line's total (zero when none are given).

    The form's per-year columns split the line's value, so when any is given
    they must add up to it exactly, in grosze.
    """
    if not line.year_values:
        return ZERO
    return line.total - year_values_total(line)
