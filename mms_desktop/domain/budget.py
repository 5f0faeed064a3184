"""Totals, shares and caps of a budget, always derived from its lines.

Nothing here is stored: a total kept beside its lines could disagree with them.
Each figure is a sum of whole-grosz line totals, so the sum of the category
subtotals, the sum of the group subtotals and the grand total agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

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
