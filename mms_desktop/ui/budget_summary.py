"""The budget's summary beside its table: totals, sources and the call's limits.

What a volunteer checks before sending: totals by group and category, each
funding source's share, and the call's caps with what is left under each. The
figures and every verdict (a limit broken or not) are the domain's
(``domain.budget``); here they are put in words, a broken limit in red.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mms_desktop.domain.application import FundingSource
from mms_desktop.domain.budget import (
    BudgetFigures,
    CapUse,
    GrantVerdict,
    cap_forbidden_used,
    grant_verdict,
    own_contribution_short,
    share_table,
)
from mms_desktop.domain.call import CallDefinition, CostGroup
from mms_desktop.domain.money import ZERO
from mms_desktop.domain.organization import LegalForm
from mms_desktop.i18n import format_money, format_number, format_percent, format_share, tr
from mms_desktop.ui import style

WARNING_COLOR = QColor(style.WARNING_COLOUR)
CATEGORY_NAME_CHARS = 46  # leaves the limits room on a 1366 px screen
_UNBREAKABLE = re.compile(r"(?<=\d) (?=\d|zł|%)|(?<=PLN) (?=\d)")
_GRANT_SENTENCE = {
    GrantVerdict.BELOW: "ui.budget.summary.grant_below",
    GrantVerdict.WITHIN: "ui.budget.summary.grant",
    GrantVerdict.ABOVE: "ui.budget.summary.grant_above",
}


def _percent(value: Decimal, places: int = 1) -> str:
    return format_share(value, places)


def _cap_percent_used(cap: CapUse) -> str:
    # Never show "10 %" used of 10 % allowed while saying it is exceeded.
    shown = _percent(cap.percent)
    if cap.exceeded and shown == _percent(cap.cap_percent):
        return _percent(cap.percent, 2)
    return shown


class SummaryRow:
    """One line of the summary: its cells on screen, and the whole sentence.

    The cells line up in columns (names left, amounts right) so the figures
    read like an accountant's table; the sentence ("Dotacja 29 620,00 zł –
    81,6 %") is what a screen reader says and what ``texts()`` gives.
    """

    def __init__(
        self,
        grid: QGridLayout,
        row: int,
        columns: int,
        bold: bool = False,
        indent: bool = False,
        wrap: bool = False,
    ) -> None:
        self.labels: list[QLabel] = []
        self.bold = bold
        self.sentence = ""
        self.warning = False
        self.hidden = False
        for column in range(columns):
            label = QLabel()
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if column > 0:
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            elif indent:
                label.setIndent(12)
            if wrap:
                label.setWordWrap(True)
            grid.addWidget(label, row, column)
            self.labels.append(label)
        self._style()

    def _style(self) -> None:
        weight = "bold" if self.bold or self.warning else "normal"
        color = f" color: {WARNING_COLOR.name()};" if self.warning else ""
        for label in self.labels:
            label.setStyleSheet(f"font-weight: {weight};{color}")

    def show(self, cells: Sequence[str] | None, sentence: str = "", warning: bool = False) -> None:
        """Show these cells; None hides the row. Only what differs is touched."""
        visible = cells is not None
        if visible == self.hidden:
            self.hidden = not visible
            for label in self.labels:
                label.setVisible(visible)
        if cells is not None and sentence != self.sentence:
            for position, label in enumerate(self.labels):
                text = cells[position] if position < len(cells) else ""
                if label.text() != text:
                    label.setText(text)
                label.setAccessibleName(sentence)
        self.sentence = sentence if visible else ""
        if warning != self.warning:
            self.warning = warning
            self._style()

    @property
    def visible(self) -> bool:
        return not self.hidden


class BudgetSummaryPanel(QFrame):
    """Totals, sources and the call's limits; a broken limit says so in words, in red."""

    def __init__(self, call: CallDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(tr("ui.budget.summary"))
        self._call = call
        self.rows: list[SummaryRow] = []
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(28)
        costs, sources, limits = (
            self._section(outer, key, stretch)
            for key, stretch in (("costs", 0), ("sources", 0), ("limits", 1))
        )
        self.total = self._row(costs, 2, bold=True)
        self.groups: dict[CostGroup, SummaryRow] = {}
        self.categories: dict[str, SummaryRow] = {}
        for group in CostGroup:
            self.groups[group] = self._row(costs, 2, bold=True)
            for category in call.cost_categories:
                if category.group is group:
                    self.categories[category.id] = self._row(costs, 2, indent=True)
        self._short_names = {
            category.id: self._short(self.categories[category.id], category.name)
            for category in call.cost_categories
        }
        self.other_categories = self._row(costs, 2, indent=True)
        self.sources = {source: self._row(sources, 3) for source in FundingSource}
        self.own = self._row(sources, 3, bold=True)
        self.grant = self._row(limits, 1, wrap=True)
        self.mismatch = self._row(limits, 1, wrap=True)
        self.admin = self._row(limits, 1, wrap=True)
        self.equipment = self._row(limits, 1, wrap=True)
        self.own_minimum = self._row(limits, 1, wrap=True)

    def _section(self, outer: QHBoxLayout, key: str, stretch: int) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        heading = QLabel(tr(f"ui.budget.summary.{key}"))
        heading.setStyleSheet("font-weight: bold; text-decoration: underline;")
        grid.addWidget(heading, 0, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        box = QVBoxLayout()
        box.addLayout(grid)
        box.addStretch(1)
        outer.addLayout(box, stretch)
        return grid

    def _row(
        self,
        grid: QGridLayout,
        columns: int,
        bold: bool = False,
        indent: bool = False,
        wrap: bool = False,
    ) -> SummaryRow:
        row = SummaryRow(grid, grid.rowCount(), columns, bold, indent, wrap)
        self.rows.append(row)
        return row

    def texts(self) -> list[str]:
        """What the panel says, sentence by sentence (for screen readers and tests)."""
        return [row.sentence for row in self.rows if row.visible]

    def warnings(self) -> list[str]:
        return [row.sentence for row in self.rows if row.visible and row.warning]

    def update_figures(self, figures: BudgetFigures, legal_form: LegalForm) -> None:
        call = self._call
        summary = figures.summary
        total = summary.total

        def money_row(
            row: SummaryRow,
            title: str,
            amount: Decimal,
            key: str,
            warning: bool = False,
            **params: str,
        ) -> None:
            text = format_money(amount)
            row.show([title, text], tr(key, amount=text, **params), warning)

        money_row(self.total, tr("ui.budget.summary.total_name"), total, "ui.budget.summary.total")
        by_group = summary.by_group()
        for group, row in self.groups.items():
            money_row(
                row,
                tr(f"ui.budget.group_name.{group.value}"),
                by_group[group],
                f"ui.budget.group.{group.value}",
            )
        by_category = summary.by_category()
        for category in call.cost_categories:
            money_row(
                self.categories[category.id],
                self._short_names[category.id],
                by_category.get(category.id, ZERO),
                "ui.budget.summary.category",
                name=category.name,
            )
        unknown = sum(
            (amount for key, amount in by_category.items() if call.category(key) is None), ZERO
        )
        if unknown:
            money_row(
                self.other_categories,
                tr("ui.budget.summary.no_category_name"),
                unknown,
                "ui.budget.summary.no_category",
                warning=True,
            )
        else:
            self.other_categories.show(None)

        shares = share_table(summary)
        for source, part in shares.sources:
            name = tr(f"ui.budget.source.{source.value}")
            amount = format_money(part.amount)
            share = format_percent(part.percent)
            self.sources[source].show(
                [name, amount, share],
                tr("ui.budget.summary.source", name=name, amount=amount, share=share),
            )
        amount = format_money(shares.own.amount)
        share = format_percent(shares.own.percent)
        self.own.show(
            [tr("ui.budget.summary.own_name"), amount, share],
            tr("ui.budget.summary.own", amount=amount, share=share),
        )
        if figures.mismatched_rows:
            rows = ", ".join(str(row) for row in figures.mismatched_rows[:12])
            if len(figures.mismatched_rows) > 12:
                rows += ", …"
            sentence = tr(
                "ui.budget.summary.mismatch", rows=rows, amount=format_money(figures.mismatch)
            )
            self._sentence(self.mismatch, sentence, warning=True)
        else:
            self.mismatch.show(None)

        grant = summary.grant
        verdict = grant_verdict(grant, call)
        self._sentence(
            self.grant,
            tr(
                _GRANT_SENTENCE[verdict],
                amount=format_money(grant),
                minimum=format_number(call.grant_min, 2),
                maximum=format_money(call.grant_max),
            ),
            warning=verdict is not GrantVerdict.WITHIN,
        )
        self._show_cap(self.admin, "admin", summary.admin_cap())
        self._show_cap(self.equipment, "equipment", summary.equipment_cap(legal_form))
        minimum = call.own_contribution_min_percent
        if minimum > 0:
            low = own_contribution_short(summary, minimum)
            self._sentence(
                self.own_minimum,
                tr(
                    "ui.budget.summary.own_minimum_low" if low else "ui.budget.summary.own_minimum",
                    share=_percent(summary.own_contribution_share),
                    minimum=_percent(minimum),
                ),
                warning=low,
            )
        else:
            self.own_minimum.show(None)

    @staticmethod
    def _short(row: SummaryRow, name: str) -> str:
        """A long category name cut to fit (the whole name in the tooltip)."""
        label = row.labels[0]
        label.setToolTip(name)
        width = CATEGORY_NAME_CHARS * label.fontMetrics().averageCharWidth()
        return label.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, width)

    @staticmethod
    def _sentence(row: SummaryRow, sentence: str, warning: bool = False) -> None:
        # On screen an amount never breaks across lines ("2 306,50 zł").
        row.show([_UNBREAKABLE.sub("\u00a0", sentence)], sentence, warning)

    def _show_cap(self, row: SummaryRow, name: str, cap: CapUse | None) -> None:
        if cap is None:
            row.show(None)
            return
        if cap.cap_percent == 0:
            used = cap_forbidden_used(cap)
            key = "ui.budget.cap.forbidden_used" if used else "ui.budget.cap.forbidden"
            self._sentence(
                row,
                tr(key, name=tr(f"ui.budget.cap_name.{name}"), amount=format_money(cap.amount)),
                warning=used,
            )
            return
        key = "ui.budget.cap.exceeded" if cap.exceeded else "ui.budget.cap.ok"
        self._sentence(
            row,
            tr(
                key,
                name=tr(f"ui.budget.cap_name.{name}"),
                percent=_cap_percent_used(cap),
                cap=_percent(cap.cap_percent),
                left=format_money(abs(cap.left)),
                amount=format_money(cap.amount),
            ),
            warning=cap.exceeded,
        )
