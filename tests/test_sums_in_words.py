"""A sum that does not add up shows both amounts to the grosz, in Polish and in English.

Through the command line (``validate``, ``report-validate``) on a real data folder,
through the budget CSV import a volunteer's spreadsheet goes through, and through the
rules themselves where a limit falls between two grosze.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cli_support import Program
from test_validation import NOW, with_required_files

from mms_desktop import i18n
from mms_desktop.domain.application import BudgetLine
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.validation import validate
from mms_desktop.services.budget_csv import import_csv, parse_rows
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import demo_application, demo_organization
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.storage.store import BUDGET


@pytest.fixture
def program(data_dir: Path) -> Program:
    return Program(data_dir)


def findings_of(program: Program, *args: str) -> tuple[int, list[dict[str, str]]]:
    code, out, err = program(*args, "--json")
    assert err == ""
    return code, json.loads(out)


def one_grosz_short(workspace: Workspace, application_id: str, unit_cost: str) -> None:
    """A new cost line whose grant is one grosz short of its cost."""
    line = workspace.application(application_id).budget[0]
    workspace.store.update_row(
        BUDGET,
        line.id,
        unit_cost=Decimal(unit_cost),
        quantity=Decimal(1),
        grant=Decimal(unit_cost) - Decimal("0.01"),
        own_financial=Decimal(0),
        own_personal=Decimal(0),
        own_in_kind=Decimal(0),
        participants=Decimal(0),
    )


def test_a_line_one_grosz_short_shows_both_sums_in_polish_and_english(
    program: Program, workspace: Workspace, demo_ids: DemoIds
) -> None:
    one_grosz_short(workspace, demo_ids.application_id, "10000.01")

    code, findings = findings_of(program, "validate", demo_ids.application_id)
    assert code == 1
    [split] = [f for f in findings if f["code"] == "COST_SPLIT_MISMATCH"]
    assert split["message"] == (
        "Pozycja kosztorysu 1: suma źródeł finansowania 10 000,00 zł nie równa się kosztowi "
        "pozycji 10 000,01 zł (różnica 0,01 zł)."
    )

    code, findings = findings_of(program, "--language", "en", "validate", demo_ids.application_id)
    [split] = [f for f in findings if f["code"] == "COST_SPLIT_MISMATCH"]
    assert split["message"] == (
        "Cost line 1: the sources of funding add up to PLN 10,000.00, which is not the line's "
        "cost of PLN 10,000.01 (a difference of PLN 0.01)."
    )


def test_half_a_grosz_is_never_printed_as_two_equal_amounts(
    program: Program, workspace: Workspace, demo_ids: DemoIds
) -> None:
    line = workspace.application(demo_ids.application_id).budget[0]
    # 120.00 cost, paid 119.995 + 0.005: rounding both sides to the grosz would read
    # "120,00 zł is not 120,00 zł".
    workspace.store.update_row(
        BUDGET, line.id, grant=line.total - Decimal("0.005"), own_financial=Decimal(0)
    )
    code, findings = findings_of(program, "validate", demo_ids.application_id)
    assert code == 1
    [split] = [f for f in findings if f["code"] == "COST_SPLIT_MISMATCH"]
    total = line.total
    assert f"suma źródeł finansowania {format_pl(total - Decimal('0.005'))}" in split["message"]
    assert f"kosztowi pozycji {format_pl(total)}" in split["message"]
    assert "(różnica 0,005 zł)" in split["message"]
    assert "AMOUNT_NOT_IN_GROSZE" in {f["code"] for f in findings}


def format_pl(value: Decimal) -> str:
    whole, _, fraction = f"{value:f}".partition(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{groups},{fraction.ljust(2, '0')} zł"


def test_a_report_document_charged_over_its_amount_shows_all_three_sums(
    program: Program, workspace: Workspace, demo_ids: DemoIds
) -> None:
    report = workspace.store.load_report(demo_ids.report_id)
    invoice = report.documents[0]
    over = replace(invoice, grant=invoice.amount - invoice.own_financial + Decimal("0.01"))
    workspace.store.update_report(demo_ids.report_id, documents=(over, *report.documents[1:]))
    code, findings = findings_of(program, "report-validate", demo_ids.report_id)
    assert code == 1
    [exceeds] = [f for f in findings if f["code"] == "REPORT_DOCUMENT_SPLIT_EXCEEDS"]
    amount = format_pl(invoice.amount)
    charged = format_pl(invoice.amount + Decimal("0.01"))
    assert exceeds["message"] == (
        f"Dokument 1: z dotacji i wkładu własnego rozliczono {charged}, a dokument opiewa na "
        f"{amount} – o 0,01 zł za dużo."
    )


@pytest.fixture(scope="module")
def mms() -> CallDefinition:
    return next(
        known.definition
        for known in bundled_calls()
        if known.definition.id == "mms-2027-p1-przyklad"
    )


def test_a_cap_broken_by_less_than_a_grosz_shows_a_limit_below_the_amount(
    mms: CallDefinition,
) -> None:
    """10 % of 9 999,99 zł is 999,999 zł: 1 000,00 zł breaks it, and the message must
    not say "1 000,00 zł, limit 1 000,00 zł" (the grosz-rounded limit)."""
    organization = demo_organization()
    application = with_required_files(demo_application(organization.id, mms), mms)
    action = application.actions[0].id
    admin = BudgetLine(
        "a",
        "administracja",
        None,
        "Księgowość",
        "usł.",
        Decimal("1000.00"),
        Decimal(1),
        grant=Decimal("1000.00"),
    )
    other = BudgetLine(
        "b",
        "wynajem",
        action,
        "Wynajem sali",
        "godz.",
        Decimal("8999.99"),
        Decimal(1),
        grant=Decimal("7999.99"),
        own_financial=Decimal("1000.00"),
    )
    findings = validate(replace(application, budget=(admin, other)), organization, mms, NOW)
    [cap] = [f for f in findings if f.code == "ADMIN_CAP_EXCEEDED"]
    message = i18n.finding_message(cap)
    assert "(1 000,00 zł, limit 999,99 zł)" in message


def test_a_spreadsheet_whose_total_does_not_add_up_is_refused_with_both_sums(
    mms: CallDefinition,
) -> None:
    organization = demo_organization()
    application = demo_application(organization.id, mms)
    text = (
        "Rodzaj kosztu;Jednostka;Koszt jednostkowy;Liczba jednostek;Razem\n"
        "Wynajem sali;godz.;33,33;3;100,00\n"
    )
    with pytest.raises(UserError) as refused:
        parse_rows(text, application, mms)
    said = i18n.tr(refused.value.key, **refused.value.params)
    assert said == (
        "Wiersz 2: w kolumnie „Razem” jest 100,00 zł, a koszt jednostkowy × liczba jednostek "
        "daje 99,99 zł (różnica 0,01 zł). Popraw jedną z tych kolumn. Nic nie zaimportowano."
    )
    # When they agree, the line comes in as written.
    [line] = parse_rows(text.replace("100,00", "99,99"), application, mms)
    assert (line.unit_cost, line.quantity, line.total) == (
        Decimal("33.33"),
        Decimal(3),
        Decimal("99.99"),
    )


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),  # Excel's "Tekst Unicode"
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),  # "CSV UTF-8"
        lambda text: text.encode("cp1250"),  # "CSV (rozdzielany przecinkami)"
    ],
    ids=["excel_unicode_text", "csv_utf8", "csv_cp1250"],
)
def test_a_spreadsheet_saved_by_excel_imports_in_each_encoding(
    mms: CallDefinition, tmp_path: Path, encode: Any
) -> None:
    organization = demo_organization()
    application = demo_application(organization.id, mms)
    text = "Rodzaj kosztu\tJednostka\tKoszt jednostkowy\tLiczba jednostek\tRazem\r\n"
    text += "Mąka żytnia\tkg\t4,50\t20\t90,00\r\n"
    path = tmp_path / "kosztorys.txt"
    path.write_bytes(encode(text))
    [line] = import_csv(path, application, mms)
    assert (line.name, line.unit, line.total) == ("Mąka żytnia", "kg", Decimal("90.00"))
