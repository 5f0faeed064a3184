"""Budget arithmetic never drifts by a grosz; amounts read and print Polish-style."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mms_desktop.domain import money
from mms_desktop.domain.application import BudgetLine, FundingSource
from mms_desktop.domain.budget import BudgetSummary
from mms_desktop.domain.call import CallDefinition, CapBase, CostCategory, CostGroup, FormKind
from mms_desktop.domain.organization import LegalForm

# --- a call with categories in both groups and an equipment category ------------------

CALL = CallDefinition(
    id="test-call",
    version=1,
    name="Nabór testowy",
    operator="Operator testowy",
    program="Program testowy",
    form=FormKind.SIMPLIFIED,
    opens_at=date(2025, 1, 1),
    deadline=datetime(2025, 3, 1, 16, 0, tzinfo=UTC),
    grant_min=Decimal("1000"),
    grant_max=Decimal("10000"),
    eligible_legal_forms=tuple(LegalForm),
    cost_categories=(
        CostCategory("materials", "Materiały", CostGroup.ACTIONS),
        CostCategory("services", "Usługi", CostGroup.ACTIONS),
        CostCategory("equipment", "Sprzęt", CostGroup.ACTIONS, equipment=True),
        CostCategory("admin", "Koszty administracyjne", CostGroup.ADMIN),
        CostCategory("admin_equipment", "Sprzęt biurowy", CostGroup.ADMIN, equipment=True),
    ),
    sections=(),
    admin_cap_percent=Decimal("10"),
    equipment_cap_percent=Decimal("25"),
    equipment_cap_percent_informal_group=Decimal("40"),
)

CATEGORY_IDS = ["materials", "services", "equipment", "admin", "admin_equipment", "", "unknown"]
ACTION_IDS = [None, "a1", "a2", "a3"]

# --- strategies -----------------------------------------------------------------------


def hundredths(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals with exactly two places, from low/100 to high/100."""
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


def quantities() -> st.SearchStrategy[Decimal]:
    """0, 1 or 2 decimal places (1, 2.5, 0.75 hours…), up to 10,000 units."""
    return st.integers(0, 2).flatmap(
        lambda places: st.integers(0, 10**4 * 10**places).map(lambda n: Decimal(n).scaleb(-places))
    )


budget_lines = st.builds(
    BudgetLine,
    id=st.uuids().map(str),
    category_id=st.sampled_from(CATEGORY_IDS),
    action_id=st.sampled_from(ACTION_IDS),
    unit_cost=hundredths(0, 10**8),  # up to 1,000,000.00 zł
    quantity=quantities(),
)
line_lists = st.lists(budget_lines, max_size=30).map(tuple)


def grosze(value: Decimal) -> int:
    assert value == value.quantize(Decimal("0.01")), value
    return int(value * 100)


def line_total_in_grosze(line: BudgetLine) -> int:
    """An independent oracle in integers: unit cost × quantity, half up to a grosz."""
    cost = grosze(line.unit_cost)  # in grosze
    sign, digits, exponent = line.quantity.as_tuple()
    assert sign == 0 and isinstance(exponent, int)
    quantity = int("".join(map(str, digits)) or "0") * 10 ** (exponent + 2)  # in hundredths
    assert Decimal(quantity).scaleb(-2) == line.quantity
    product = cost * quantity  # in 1/100 grosz
    return (product + 50) // 100


@st.composite
def split_lines(draw: st.DrawFn) -> tuple[BudgetLine, ...]:
    """Lines whose split between the five funding sources adds up to each line's total."""
    result = []
    for line in draw(line_lists):
        total = grosze(line.total)
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=4, max_size=4)))
        bounds = [0, *cuts, total]
        parts = [Decimal(bounds[i + 1] - bounds[i]).scaleb(-2) for i in range(5)]
        result.append(
            replace(
                line,
                grant=parts[0],
                own_financial=parts[1],
                own_personal=parts[2],
                own_in_kind=parts[3],
                participants=parts[4],
            )
        )
    return tuple(result)


# --- properties of the budget ---------------------------------------------------------


@given(line_lists, st.sampled_from([None, CALL]))
def test_totals_agree_to_the_grosz(lines: tuple[BudgetLine, ...], call: CallDefinition) -> None:
    summary = BudgetSummary(lines, call)

    total = summary.total
    assert total == sum(summary.by_category().values(), Decimal(0))
    assert total == sum(summary.by_group().values(), Decimal(0))
    assert total == sum(summary.by_action().values(), Decimal(0))
    assert money.is_whole_grosze(total)
    assert grosze(total) == sum(line_total_in_grosze(line) for line in lines)
    for line in lines:
        assert money.is_whole_grosze(line.total)
        assert line.total.as_tuple().exponent == -2
        assert grosze(line.total) == line_total_in_grosze(line)
        assert abs(line.total - line.unit_cost * line.quantity) <= Decimal("0.005")


@given(line_lists)
def test_groups_follow_the_call_categories(lines: tuple[BudgetLine, ...]) -> None:
    summary = BudgetSummary(lines, CALL)
    admin = sum(
        (line.total for line in lines if line.category_id in {"admin", "admin_equipment"}),
        Decimal(0),
    )
    equipment = sum(
        (line.total for line in lines if line.category_id in {"equipment", "admin_equipment"}),
        Decimal(0),
    )
    assert summary.by_group()[CostGroup.ADMIN] == admin
    assert summary.by_group()[CostGroup.ACTIONS] == summary.total - admin
    assert summary.equipment_total() == equipment
    # Without a call every line counts as an action cost and nothing as equipment.
    bare = BudgetSummary(lines)
    assert bare.by_group() == {CostGroup.ACTIONS: bare.total, CostGroup.ADMIN: Decimal(0)}
    assert bare.equipment_total() == 0
    assert bare.admin_cap() is None
    assert bare.equipment_cap(LegalForm.ASSOCIATION) is None


@given(split_lines())
def test_sources_add_up_when_each_line_is_fully_split(lines: tuple[BudgetLine, ...]) -> None:
    summary = BudgetSummary(lines, CALL)
    for line in lines:
        assert line.sources_total == line.total
    assert summary.sources_total == summary.total
    assert summary.grant + summary.own_contribution == summary.total
    assert sum(summary.by_source().values(), Decimal(0)) == summary.total
    assert summary.own_contribution == sum(
        (summary.source_total(source) for source in FundingSource if source.is_own_contribution),
        Decimal(0),
    )
    if summary.total:
        shares = sum((summary.source_share(source) for source in FundingSource), Decimal(0))
        assert abs(shares - 100) < Decimal("1e-20")
        assert abs(
            summary.source_share(FundingSource.GRANT) + summary.own_contribution_share - 100
        ) < Decimal("1e-20")


# --- caps on a hand-computed example --------------------------------------------------


def example_lines() -> tuple[BudgetLine, ...]:
    """10,000.00 zł of costs: 840.00 admin, 2,500.00 equipment, grant 8,000.00."""
    return (
        BudgetLine(
            id="b1",
            category_id="materials",
            action_id="a1",
            unit_cost=Decimal("150.00"),
            quantity=Decimal("30"),
            grant=Decimal("4500.00"),
        ),
        BudgetLine(
            id="b2",
            category_id="equipment",
            action_id="a1",
            unit_cost=Decimal("2500.00"),
            quantity=Decimal("1"),
            grant=Decimal("1500.00"),
            own_financial=Decimal("1000.00"),
        ),
        BudgetLine(
            id="b3",
            category_id="services",
            action_id="a2",
            unit_cost=Decimal("180.00"),
            quantity=Decimal("12"),
            grant=Decimal("1160.00"),
            own_personal=Decimal("1000.00"),
        ),
        BudgetLine(
            id="b4",
            category_id="admin",
            action_id=None,
            unit_cost=Decimal("120.00"),
            quantity=Decimal("7"),
            grant=Decimal("840.00"),
        ),
    )


def test_admin_cap_on_total_costs() -> None:
    summary = BudgetSummary(example_lines(), CALL)
    assert summary.total == Decimal("10000.00")
    assert summary.grant == Decimal("8000.00")
    assert summary.own_contribution == Decimal("2000.00")
    assert summary.own_contribution_share == Decimal("20")

    cap = summary.admin_cap()
    assert cap is not None
    assert cap.amount == Decimal("840.00")
    assert cap.base == Decimal("10000.00")
    assert cap.cap_percent == Decimal("10")
    assert cap.percent == Decimal("8.4")
    assert money.format_percent(cap.percent) == "8,4 %"
    assert cap.limit == Decimal("1000")
    assert cap.left == Decimal("160")
    assert not cap.exceeded


def test_admin_cap_on_the_grant_is_exceeded() -> None:
    summary = BudgetSummary(example_lines(), replace(CALL, cap_base=CapBase.GRANT))
    cap = summary.admin_cap()
    assert cap is not None
    assert cap.base == Decimal("8000.00")
    assert cap.percent == Decimal("10.5")
    assert cap.limit == Decimal("800")
    assert cap.left == Decimal("-40")
    assert cap.exceeded


def test_equipment_cap_depends_on_the_legal_form() -> None:
    summary = BudgetSummary(example_lines(), CALL)
    assert summary.equipment_total() == Decimal("2500.00")

    association = summary.equipment_cap(LegalForm.ASSOCIATION)
    assert association is not None
    assert association.cap_percent == Decimal("25")
    assert association.percent == Decimal("25")
    assert association.limit == Decimal("2500")
    assert association.left == 0
    assert not association.exceeded  # exactly at the cap is allowed

    group = summary.equipment_cap(LegalForm.INFORMAL_GROUP)
    assert group is not None
    assert group.cap_percent == Decimal("40")
    assert group.limit == Decimal("4000")
    assert group.left == Decimal("1500")

    one_grosz_more = (
        *example_lines(),
        BudgetLine(
            id="b5",
            category_id="equipment",
            unit_cost=Decimal("0.01"),
            quantity=Decimal("1"),
        ),
    )
    over = BudgetSummary(one_grosz_more, CALL).equipment_cap(LegalForm.ASSOCIATION)
    assert over is not None
    assert over.exceeded


def test_no_caps_when_the_call_sets_none() -> None:
    call = replace(
        CALL,
        admin_cap_percent=None,
        equipment_cap_percent=None,
        equipment_cap_percent_informal_group=None,
    )
    summary = BudgetSummary(example_lines(), call)
    assert summary.admin_cap() is None
    assert summary.equipment_cap(LegalForm.ASSOCIATION) is None
    assert summary.equipment_cap(LegalForm.INFORMAL_GROUP) is None


def test_line_total_rounds_half_up_to_a_grosz() -> None:
    line = BudgetLine(id="x", unit_cost=Decimal("33.33"), quantity=Decimal("0.5"))
    assert line.total == Decimal("16.67")  # 16.665 → 16.67
    line = BudgetLine(id="y", unit_cost=Decimal("10.01"), quantity=Decimal("0.25"))
    assert line.total == Decimal("2.50")  # 2.5025 → 2.50


@given(st.integers(0, 10**8))
def test_half_a_grosz_rounds_up(unit_cost_grosze: int) -> None:
    line = BudgetLine(
        id="x", unit_cost=Decimal(unit_cost_grosze).scaleb(-2), quantity=Decimal("0.5")
    )
    assert grosze(line.total) == (unit_cost_grosze + 1) // 2


# --- reading and printing amounts -------------------------------------------------------

two_place_amounts = hundredths(-(10**11), 10**11)  # ±1,000,000,000.00


@given(two_place_amounts)
def test_format_number_and_parse_amount_round_trip(value: Decimal) -> None:
    text = money.format_number(value)
    assert money.parse_amount(text) == value
    assert money.decimal_to_document(money.parse_amount(text)) == money.decimal_to_document(value)
    assert money.parse_amount(money.format_money(value)) == value
    # Spreadsheets group digits with no-break or narrow no-break spaces.
    assert money.parse_amount(text.replace(" ", "\u00a0")) == value
    assert money.parse_amount(text.replace(" ", "\u202f")) == value


@given(two_place_amounts)
def test_document_decimal_round_trip(value: Decimal) -> None:
    text = money.decimal_to_document(value)
    assert money.decimal_from_document(text) == value
    assert money.decimal_to_document(money.decimal_from_document(text)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("1 234,50 zł", Decimal("1234.50")),
        ("12\u00a0345,67", Decimal("12345.67")),
        ("12\u202f345,67 zł", Decimal("12345.67")),
        ("  7  ", Decimal("7")),
        ("-0,5", Decimal("-0.5")),
        ("1234,5zł", Decimal("1234.5")),
        ("1 000 000", Decimal("1000000")),
    ],
)
def test_parse_amount(text: str, expected: Decimal) -> None:
    parsed = money.parse_amount(text)
    assert parsed == expected
    assert money.decimal_to_document(parsed) == money.decimal_to_document(expected)


@pytest.mark.parametrize(
    "text", ["1.234,50", "1,234.50", "abc", "", "   ", "zł", "1,2,3", "12,", ",5", "1e3", "--1"]
)
def test_parse_amount_refuses(text: str) -> None:
    with pytest.raises(money.AmountFormatError):
        money.parse_amount(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12345.67"), "12 345,67 zł"),
        (Decimal("0"), "0,00 zł"),
        (Decimal("999.995"), "1 000,00 zł"),
        (Decimal("-1234567.8"), "-1 234 567,80 zł"),
        (Decimal("-0.001"), "0,00 zł"),
        (Decimal("1000000000"), "1 000 000 000,00 zł"),
    ],
)
def test_format_money(value: Decimal, expected: str) -> None:
    assert money.format_money(value) == expected


def test_format_number_places() -> None:
    assert money.format_number(Decimal("12345.6"), 0) == "12 346"
    assert money.format_number(Decimal("8.45"), 1) == "8,5"
    assert money.format_percent(Decimal("8.4")) == "8,4 %"


# --- the running totals the editor shows, and the verdicts, are the domain's ------------


@given(split_lines(), st.lists(st.tuples(st.integers(0, 29), hundredths(0, 10**6)), max_size=20))
def test_running_totals_after_edits_agree_with_a_fresh_summary(
    lines: tuple[BudgetLine, ...], edits: list[tuple[int, Decimal]]
) -> None:
    """The editor's line-by-line sums equal the summary of all lines, edit after edit."""
    from mms_desktop.domain.budget import RunningTotals, budget_figures

    running = RunningTotals(CALL)
    current = list(lines)
    for position, grant in edits:
        figures = running.figures(current)
        fresh = budget_figures(current, CALL)
        assert figures.summary.total == BudgetSummary(tuple(current), CALL).total
        assert figures.summary.by_source() == fresh.summary.by_source()
        assert figures.summary.by_group() == fresh.summary.by_group()
        assert figures.mismatched_rows == fresh.mismatched_rows
        if current:
            at = position % len(current)
            current[at] = replace(current[at], grant=grant)
    final = running.figures(current)
    assert final.mismatched_rows == tuple(
        number for number, line in enumerate(current, start=1) if line.sources_total != line.total
    )


def test_the_grant_and_own_contribution_verdicts() -> None:
    from mms_desktop.domain.budget import (
        GrantVerdict,
        grant_verdict,
        own_contribution_short,
        share_table,
    )

    assert grant_verdict(Decimal("999.99"), CALL) is GrantVerdict.BELOW
    assert grant_verdict(Decimal("1000"), CALL) is GrantVerdict.WITHIN
    assert grant_verdict(Decimal("10000.01"), CALL) is GrantVerdict.ABOVE
    line = BudgetLine(
        id="l",
        category_id="materials",
        unit_cost=Decimal("100.00"),
        quantity=Decimal(1),
        grant=Decimal("90.00"),
        own_financial=Decimal("10.00"),
    )
    summary = BudgetSummary((line,), CALL)
    assert own_contribution_short(summary, Decimal("10.01"))
    assert not own_contribution_short(summary, Decimal("10"))
    assert not own_contribution_short(BudgetSummary((), CALL), Decimal("10"))  # no costs yet
    table = share_table(summary)
    assert dict(table.sources)[FundingSource.GRANT].percent == Decimal(90)
    assert (table.own.amount, table.total.amount, table.total.percent) == (
        Decimal("10.00"),
        Decimal("100.00"),
        Decimal(100),
    )


def test_a_line_paid_from_one_source_follows_its_cost() -> None:
    from mms_desktop.domain.budget import follow_single_source

    all_grant = BudgetLine(
        id="l", unit_cost=Decimal("10.00"), quantity=Decimal(3), grant=Decimal("30.00")
    )
    assert follow_single_source(all_grant, Decimal("12.50"), Decimal(3)) == {
        "grant": Decimal("37.50")
    }
    split = replace(all_grant, grant=Decimal("20.00"), own_financial=Decimal("10.00"))
    assert follow_single_source(split, Decimal("12.50"), Decimal(3)) == {}
