"""The validation engine against the shipped calls, and its words in the catalog."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from mms_desktop import i18n
from mms_desktop.domain.application import Application, AttachmentRef, BudgetLine
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.findings import Finding, Severity, blocks_submission
from mms_desktop.domain.organization import LegalForm, Organization, Patron, Person
from mms_desktop.domain.validation import check_organization, validate
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import demo_application, demo_organization

NOW = datetime.fromisoformat("2027-05-20T10:00:00+02:00")


@pytest.fixture(scope="module")
def calls() -> dict[str, CallDefinition]:
    return {known.definition.id: known.definition for known in bundled_calls()}


@pytest.fixture
def mms(calls: dict[str, CallDefinition]) -> CallDefinition:
    return calls["mms-2027-p1-przyklad"]


@pytest.fixture
def organization() -> Organization:
    return demo_organization()


def with_required_files(application: Application, call: CallDefinition) -> Application:
    """The demo with a file for each attachment the call requires (as `demo` stores them)."""
    files = tuple(
        AttachmentRef(f"{number:064x}", f"{item.id}.pdf", 1000, item.id)
        for number, item in enumerate(call.required_attachments)
    )
    return replace(application, attachments=files)


@pytest.fixture
def application(organization: Organization, mms: CallDefinition) -> Application:
    return with_required_files(demo_application(organization.id, mms), mms)


def codes(findings: list[Finding]) -> set[str]:
    return {finding.code for finding in findings}


def test_demo_application_is_clean(application, organization, mms):
    assert validate(application, organization, mms, NOW) == []


def test_demo_meets_the_size_the_demo_promises(application):
    assert len(application.actions) >= 5
    assert len(application.results) >= 3
    assert len(application.budget) >= 12


def test_wrong_nip_blocks_with_its_reason_in_polish(application, organization, mms):
    findings = validate(application, replace(organization, nip="7821700238"), mms, NOW)
    assert codes(findings) == {"NIP_INVALID"}
    (finding,) = findings
    assert finding.severity is Severity.BLOCKING
    assert finding.field == "organization.nip"
    assert "cyfra kontrolna" in i18n.finding_message(finding)


def test_admin_cost_over_the_cap_blocks(application, organization, mms):
    admin_line = next(line for line in application.budget if line.category_id == "administracja")
    expensive = replace(admin_line, unit_cost=Decimal("900.00"), grant=Decimal("4500.00"))
    budget = tuple(expensive if line is admin_line else line for line in application.budget)
    findings = validate(replace(application, budget=budget), organization, mms, NOW)
    assert codes(findings) == {"ADMIN_CAP_EXCEEDED"}
    message = i18n.finding_message(findings[0])
    # "Koszty administracyjne: 12,62 % z dopuszczalnych 10 % (…)"
    assert re.search(r"Koszty administracyjne: \d+,\d+ % z dopuszczalnych 10 %", message)


def test_action_outside_the_task_dates_blocks(application, organization, mms):
    early = replace(application.actions[1], start_date=date(2027, 6, 1))
    actions = (application.actions[0], early, *application.actions[2:])
    findings = validate(replace(application, actions=actions), organization, mms, NOW)
    assert codes(findings) == {"ACTION_OUTSIDE_TASK"}
    assert findings[0].field == "application.actions[2].start_date"
    assert "Działanie 2 wychodzi poza termin zadania (01.07.2027 – 30.11.2027)" in (
        i18n.finding_message(findings[0])
    )


def test_a_missing_required_attachment_is_a_warning(application, organization, mms):
    without = replace(application, attachments=application.attachments[1:])
    findings = validate(without, organization, mms, NOW)
    assert codes(findings) == {"ATTACHMENT_MISSING"}
    assert not blocks_submission(findings)
    assert i18n.finding_message(findings[0]).startswith(
        "Nabór wymaga załącznika: Aktualny statut organizacji"
    )


def test_deadline_passed_blocks_and_before_opening_only_warns(application, organization, mms):
    late = datetime.fromisoformat("2027-06-09T16:00:01+02:00")
    assert codes(validate(application, organization, mms, late)) == {"DEADLINE_PASSED"}
    early = validate(
        application, organization, mms, datetime.fromisoformat("2027-01-02T10:00:00+01:00")
    )
    assert codes(early) == {"CALL_NOT_OPEN_YET"}
    assert not blocks_submission(early)


def test_grant_limits_and_split_mismatch(application, organization, mms):
    lines = list(application.budget)
    lines[8] = replace(lines[8], unit_cost=Decimal("30000.00"), grant=Decimal("30000.00"))
    findings = validate(replace(application, budget=tuple(lines)), organization, mms, NOW)
    assert "GRANT_ABOVE_MAX" in codes(findings)
    lines = list(application.budget)
    lines[0] = replace(lines[0], grant=lines[0].grant - Decimal("0.01"))
    findings = validate(replace(application, budget=tuple(lines)), organization, mms, NOW)
    assert codes(findings) == {"COST_SPLIT_MISMATCH"}
    assert "2 880,00 zł" in i18n.finding_message(findings[0])


def test_amounts_must_be_whole_grosze(application, organization, mms):
    lines = list(application.budget)
    lines[0] = replace(lines[0], unit_cost=Decimal("120.005"))
    found = codes(validate(replace(application, budget=tuple(lines)), organization, mms, NOW))
    assert "AMOUNT_NOT_IN_GROSZE" in found


def test_cost_without_action_blocks_unless_administrative(application, organization, mms):
    lines = list(application.budget)
    lines[0] = replace(lines[0], action_id=None)
    findings = validate(replace(application, budget=tuple(lines)), organization, mms, NOW)
    assert codes(findings) == {"COST_WITHOUT_ACTION"}
    assert findings[0].field == "application.budget[1].action_id"


def test_volunteer_rate_over_the_cap(application, organization, mms):
    lines = list(application.budget)
    index = next(i for i, line in enumerate(lines) if line.own_personal > 0)
    line = lines[index]
    lines[index] = replace(
        line, unit_cost=Decimal("80.00"), own_personal=Decimal("80.00") * line.quantity
    )
    found = codes(validate(replace(application, budget=tuple(lines)), organization, mms, NOW))
    assert "VOLUNTEER_RATE_ABOVE_CAP" in found


def test_required_fields_named_in_words(organization, mms):
    empty = Application(id="a", organization_id=organization.id, call_id=mms.id)
    findings = validate(empty, organization, mms, NOW)
    assert {
        "REQUIRED",
        "NO_ACTIONS",
        "NO_RESULTS",
        "NO_BUDGET",
        "DECLARATION_NOT_CONFIRMED",
    } <= codes(findings)
    messages = {i18n.finding_message(finding) for finding in findings}
    assert "Uzupełnij pole: Tytuł zadania." in messages
    assert "Uzupełnij pole: Data rozpoczęcia zadania." in messages


def test_eligibility_rules_of_the_call(application, organization, mms):
    big_town = replace(organization, locality_population=150_000)
    assert "LOCALITY_TOO_LARGE" in codes(validate(application, big_town, mms, NOW))
    rich = replace(
        organization,
        revenues=(
            *organization.revenues[:2],
            replace(organization.revenues[2], amount=Decimal("100000.00")),
        ),
    )
    assert "REVENUE_TOO_HIGH" in codes(validate(application, rich, mms, NOW))
    group = replace(organization, legal_form=LegalForm.INFORMAL_GROUP)
    found = codes(validate(application, group, mms, NOW))
    assert "LEGAL_FORM_NOT_ELIGIBLE" in found
    assert {"INFORMAL_GROUP_TOO_FEW_MEMBERS", "PATRON_MISSING"} <= found


def test_informal_group_in_the_regranting_call(calls, organization):
    call = calls["mms-2027-regranting-przyklad"]
    group = replace(
        organization,
        legal_form=LegalForm.INFORMAL_GROUP,
        nip="",
        regon="",
        bank_account="",
        representatives=(),
        members=(Person("Anna Kowalska"), Person("Ewa Nowak"), Person("Józef Wiśniewski")),
        patron=Patron(name="Stowarzyszenie „Razem dla Łękawki”", register_number="0000123456"),
    )
    application = demo_application(group.id, call)
    found = codes(validate(application, group, call, NOW))
    # Informal groups may not buy equipment there; everything else holds.
    assert "EQUIPMENT_NOT_ALLOWED" in found
    assert not found & {
        "LEGAL_FORM_NOT_ELIGIBLE",
        "PATRON_MISSING",
        "NIP_MISSING",
        "BANK_ACCOUNT_MISSING",
        "INFORMAL_GROUP_TOO_FEW_MEMBERS",
    }


def test_simplified_offer_caps_the_task_at_90_days(calls, organization):
    call = calls["art19a-2027-przyklad"]
    application = demo_application(organization.id, call)
    found = codes(validate(application, organization, call, NOW))
    assert "TASK_TOO_LONG" in found
    short = replace(application, start_date=date(2027, 9, 1), end_date=date(2027, 11, 29))
    assert "TASK_TOO_LONG" not in codes(validate(short, organization, call, NOW))


def test_own_contribution_minimum(calls, organization):
    call = calls["mms-2027-regranting-przyklad"]
    application = demo_application(organization.id, call)
    only_grant = tuple(
        replace(
            line,
            grant=line.total,
            own_financial=Decimal(0),
            own_personal=Decimal(0),
            own_in_kind=Decimal(0),
            participants=Decimal(0),
        )
        for line in application.budget
    )
    found = codes(validate(replace(application, budget=only_grant), organization, call, NOW))
    assert "OWN_CONTRIBUTION_TOO_LOW" in found


def test_profile_checks_identifiers_as_typed(organization):
    assert check_organization(organization) == []
    typo = replace(
        organization,
        regon="356304915",
        bank_account="94 1240 1508 1111 2222 3333 4445",
        postcode="34212",
        email="kgw@",
    )
    found = {finding.code: finding for finding in check_organization(typo)}
    assert set(found) == {
        "REGON_INVALID",
        "BANK_ACCOUNT_INVALID",
        "POSTCODE_INVALID",
        "EMAIL_INVALID",
    }
    short = check_organization(replace(organization, nip="78217002"))
    assert i18n.finding_message(short[0]) == "NIP jest niepoprawny (NIP): zła liczba cyfr."


def test_english_messages(application, organization, mms):
    findings = validate(application, replace(organization, nip="7821700238"), mms, NOW)
    i18n.set_language("en")
    try:
        assert "check digit" in i18n.finding_message(findings[0])
    finally:
        i18n.set_language("pl")


# --- the catalog -------------------------------------------------------------

SOURCE = Path(__file__).resolve().parents[1] / "mms_desktop" / "domain" / "validation.py"


def all_finding_codes() -> set[str]:
    text = SOURCE.read_text(encoding="utf-8")
    direct = set(re.findall(r'Finding\(\s*"([A-Z_]+)"', text))
    prefixed = set(re.findall(r'_identifier\(\s*"([A-Z_]+)"', text))
    variable = set(re.findall(r'"([A-Z_]+)" if ', text)) | set(
        re.findall(r'else "([A-Z_]+)"', text)
    )
    return direct | variable | {p + suffix for p in prefixed for suffix in ("_MISSING", "_INVALID")}


def test_every_finding_code_has_words_in_both_languages():
    finding_codes = all_finding_codes()
    assert len(finding_codes) > 40
    for language in i18n.LANGUAGES:
        catalog = i18n._load(language)
        missing = sorted(code for code in finding_codes if f"finding.{code}" not in catalog)
        assert missing == [], language


def test_translations_keep_the_same_format_fields():
    source = i18n._load("pl")
    english = i18n._load("en")
    assert set(source) == set(english)
    for key, text in source.items():
        assert i18n._fields(text) == i18n._fields(english[key]), key


def test_a_bad_translation_falls_back_to_polish(monkeypatch):
    broken = dict(i18n._load("en"))
    broken["finding.TASK_TOO_LONG"] = "The task lasts {dayz} days"
    monkeypatch.setattr(i18n, "_load", lambda language: broken if language == "en" else SOURCE_PL)
    i18n.set_language("en")
    try:
        text = i18n.tr("finding.TASK_TOO_LONG", days=120, maximum=90)
    finally:
        i18n.set_language("pl")
    assert text == "Zadanie trwa 120 dni, a nabór dopuszcza najwyżej 90 dni."


SOURCE_PL = i18n._load("pl")


def test_budget_line_total_rounds_half_up_to_grosze():
    line = BudgetLine(id="x", unit_cost=Decimal("0.35"), quantity=Decimal("2.5"))
    assert line.total == Decimal("0.88")


def test_no_message_is_defined_twice_across_catalog_files():
    for language in i18n.LANGUAGES:
        seen: dict[str, str] = {}
        for path in i18n.catalog_files(language):
            for key in json.loads(path.read_text(encoding="utf-8")):
                assert key not in seen, f"{key} in {path.name} and {seen[key]}"
                seen[key] = path.name


def test_text_limits_are_the_schemas(application, organization, mms):
    """An application that validates exports to a file that imports again."""
    from mms_desktop.domain import limits
    from mms_desktop.resources import resource_path

    schema = json.loads(resource_path("schemas", "application.schema.json").read_text("utf-8"))
    defs = schema["$defs"]

    def limit(definition: dict) -> int:
        return defs[definition["$ref"].rsplit("/", 1)[1]]["maxLength"]

    app_props = defs["application"]["properties"]
    for name, maximum in limits.APPLICATION_TEXTS.items():
        assert limit(app_props[name]) == maximum, name
    for rows, definition in (
        ("actions", "action"),
        ("results", "result"),
        ("budget", "budget_line"),
    ):
        for name, maximum in limits.ROW_TEXTS[rows].items():
            assert limit(defs[definition]["properties"][name]) == maximum, (rows, name)
        assert app_props[rows]["maxItems"] == limits.MAX_ROWS[rows]

    too_long = replace(application, title="Ż" * 501)
    findings = validate(too_long, organization, mms, NOW)
    assert codes(findings) == {"TEXT_TOO_LONG"}
    assert "ma 501 znaków, a można najwyżej 500" in i18n.finding_message(findings[0])


def test_a_language_for_one_job_does_not_leak_to_other_threads():
    import threading

    seen: list[str] = []
    inside = threading.Event()
    leave = threading.Event()

    def worker() -> None:
        with i18n.using("en"):
            seen.append(i18n.tr("Severity.blocking"))
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    try:
        # While a PDF is built in English in a worker, the window stays Polish.
        assert i18n.tr("Severity.blocking") == "BŁĄD"
    finally:
        leave.set()
        thread.join()
    assert seen == ["ERROR"]
