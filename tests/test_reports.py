"""Reports: started from a submitted application, checked, frozen, queued, printed.

The statement of expenditure adds up to the grosz; the call's rules (results
threshold, how far a cost line may grow) speak in words; a bad document is
refused whole at its field; a submitted report cannot change.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from demo_support import complete_demo_report, the_draft
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_readback import pdf_text

from mms_desktop import i18n
from mms_desktop.core.schemas import first_problem, load_validator
from mms_desktop.domain import canonical
from mms_desktop.domain.application import ApplicationStatus, BudgetLine, FundingSource
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.domain.report import (
    AccountingDocument,
    ActionOutcome,
    InKindContribution,
    Report,
    ReportKind,
    VolunteerWork,
    statement,
)
from mms_desktop.domain.report_canonical import report_document, report_from_document
from mms_desktop.domain.report_validation import validate_report
from mms_desktop.resources import resource_path
from mms_desktop.services import reports
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.storage.errors import ReportLockedError

# --- the statement of expenditure -------------------------------------------------------

LINES = (
    BudgetLine("l1", "honoraria", None, "Honorarium", "godz.", Decimal("150.00"), Decimal("20")),
    BudgetLine("l2", "materialy", None, "Materiały", "kpl.", Decimal("40.00"), Decimal("25")),
    BudgetLine(
        "l3",
        "wolontariat",
        None,
        "Wolontariat",
        "godz.",
        Decimal("40.00"),
        Decimal("60"),
        grant=Decimal("0.00"),
        own_personal=Decimal("2400.00"),
    ),
)


def grosze(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


documents = st.builds(
    AccountingDocument,
    id=st.uuids().map(str),
    amount=grosze(1, 10**7),
    line_id=st.sampled_from(["l1", "l2", "l3", None, "gone"]),
    grant=grosze(0, 10**6),
    own_financial=grosze(0, 10**6),
    participants=grosze(0, 10**5),
)
work = st.builds(
    VolunteerWork,
    id=st.uuids().map(str),
    hours=st.integers(0, 2000).map(lambda n: Decimal(n).scaleb(-1)),
    hourly_value=grosze(0, 10_000),
    line_id=st.sampled_from(["l3", None]),
)
things = st.builds(
    InKindContribution,
    id=st.uuids().map(str),
    value=grosze(0, 10**6),
    line_id=st.sampled_from(["l1", "l2", None]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(documents, max_size=30), st.lists(work, max_size=8), st.lists(things, max_size=5))
def test_the_statement_adds_up_to_the_grosz(docs, hours, given_things):
    report = Report(
        "r",
        "a",
        "o",
        "c",
        budget=LINES,
        documents=tuple(docs),
        volunteer_work=tuple(hours),
        in_kind=tuple(given_things),
    )
    result = statement(report)
    spent = result.spent_by_source
    assert spent[FundingSource.GRANT] == sum((d.grant for d in docs), Decimal(0))
    assert spent[FundingSource.OWN_FINANCIAL] == sum((d.own_financial for d in docs), Decimal(0))
    assert spent[FundingSource.PARTICIPANTS] == sum((d.participants for d in docs), Decimal(0))
    assert spent[FundingSource.OWN_PERSONAL] == sum((w.value for w in hours), Decimal(0))
    assert spent[FundingSource.OWN_IN_KIND] == sum((t.value for t in given_things), Decimal(0))
    # Every line plus what is not on a line is the whole, to the grosz.
    by_lines = sum((item.spent_total for item in result.lines), Decimal(0))
    assert by_lines + result.unassigned_total == result.spent_total
    assert all(value == value.quantize(Decimal("0.01")) for value in spent.values())
    assert result.planned_total == Decimal("6400.00")


# --- the rules ------------------------------------------------------------------------


@pytest.fixture
def settled(workspace: Workspace, demo_ids: DemoIds) -> Report:
    complete_demo_report(workspace, demo_ids.report_id)
    return workspace.store.load_report(demo_ids.report_id)


def codes(workspace: Workspace, report: Report) -> dict[str, str]:
    call = workspace.calls.get(report.call_id)
    return {finding.field: finding.code for finding in validate_report(report, call)}


def messages(workspace: Workspace, report: Report) -> list[str]:
    call = workspace.calls.get(report.call_id)
    return [i18n.finding_message(finding) for finding in validate_report(report, call)]


def test_the_completed_demo_report_blocks_nothing_and_warns_in_words(
    workspace: Workspace, settled: Report
) -> None:
    call = workspace.calls.get(settled.call_id)
    findings = validate_report(settled, call)
    assert not any(finding.blocks_submission for finding in findings)
    said = messages(workspace, settled)
    # 9 of 12 songs: 75 % against the call's 80 %.
    assert (
        "Rezultat 2 osiągnięto w 75 %, a nabór wymaga co najmniej 80 % – wyjaśnij przyczynę; "
        "operator może zażądać zwrotu części dotacji." in said
    )
    assert any("niewykorzystane 1 670,00 zł trzeba zwrócić" in text for text in said)


def test_the_results_threshold_is_the_calls_and_exactly_met_is_enough(
    workspace: Workspace, settled: Report
) -> None:
    songs = settled.results[1]
    at_threshold = replace(
        settled,
        results=(
            settled.results[0],
            replace(songs, achieved_value=Decimal("9.6")),
            *settled.results[2:],
        ),
    )
    assert "report.results[2].achieved_value" not in codes(workspace, at_threshold)
    just_under = replace(
        settled,
        results=(
            settled.results[0],
            replace(songs, achieved_value=Decimal("9.59")),
            *settled.results[2:],
        ),
    )
    assert codes(workspace, just_under)["report.results[2].achieved_value"] == (
        "REPORT_RESULT_BELOW_THRESHOLD"
    )


def test_a_final_report_needs_every_action_marked_and_a_shortfall_explained(
    workspace: Workspace, settled: Report
) -> None:
    first, second, third = settled.actions
    unmarked = replace(settled, actions=(first, second, replace(third, outcome=None)))
    assert codes(workspace, unmarked)["report.actions[3].outcome"] == (
        "REPORT_ACTION_OUTCOME_MISSING"
    )
    # A partial report may leave actions for later.
    assert "report.actions[3].outcome" not in codes(
        workspace, replace(unmarked, kind=ReportKind.PARTIAL)
    )
    unexplained = replace(settled, actions=(first, replace(second, deviations="  "), third))
    assert second.outcome is ActionOutcome.PARTLY
    assert codes(workspace, unexplained)["report.actions[2].deviations"] == (
        "REPORT_ACTION_DEVIATION_UNEXPLAINED"
    )
    assert "Działanie 2 nie zostało zrealizowane w pełni" in " ".join(
        messages(workspace, unexplained)
    )


def test_a_document_charged_for_more_than_its_amount_is_refused_in_words(
    workspace: Workspace, settled: Report
) -> None:
    invoice = settled.documents[0]
    over = replace(invoice, grant=Decimal("1400.00"), own_financial=Decimal("100.01"))
    report = replace(settled, documents=(over, *settled.documents[1:]))
    assert codes(workspace, report)["report.documents[1].grant"] == "REPORT_DOCUMENT_SPLIT_EXCEEDS"
    assert (
        "Dokument 1: z dotacji i wkładu własnego rozliczono 1 500,01 zł, a dokument opiewa na "
        "1 500,00 zł – o 0,01 zł za dużo." in messages(workspace, report)
    )


def test_a_cost_line_may_grow_only_as_far_as_the_call_allows(
    workspace: Workspace, settled: Report
) -> None:
    # Line 2 (song books) was planned at 1 000,00 zł; the call allows +10 %.
    books = settled.documents[1]
    assert books.line_id == settled.budget[1].id
    within = replace(books, amount=Decimal("1100.00"), grant=Decimal("1100.00"))
    report = replace(settled, documents=(settled.documents[0], within, *settled.documents[2:]))
    assert "report.budget[2]" not in codes(workspace, report)
    beyond = replace(books, amount=Decimal("1100.01"), grant=Decimal("1100.01"))
    report = replace(settled, documents=(settled.documents[0], beyond, *settled.documents[2:]))
    assert codes(workspace, report)["report.budget[2]"] == "REPORT_LINE_OVER_PLAN"
    assert any(
        text.startswith("Pozycja kosztorysu 2: wydano 1 100,01 zł wobec planowanych 1 000,00 zł")
        for text in messages(workspace, report)
    )


def test_spending_more_grant_than_awarded_blocks(workspace: Workspace, settled: Report) -> None:
    extra = AccountingDocument(
        "dodatkowy",
        "FV 99/2027",
        date(2027, 8, 1),
        "Sklep",
        "Drobne zakupy",
        Decimal("1670.01"),
        settled.budget[0].id,
        grant=Decimal("1670.01"),
        payment_date=date(2027, 8, 1),
    )
    report = replace(settled, documents=(*settled.documents, extra))
    assert codes(workspace, report)["report.documents"] == "REPORT_GRANT_OVERSPENT"


def test_every_report_finding_code_has_words_in_both_languages() -> None:
    source = Path(__file__).resolve().parents[1] / "mms_desktop/domain/report_validation.py"
    text = source.read_text(encoding="utf-8")
    direct = set(re.findall(r'Finding\(\s*"([A-Z_]+)"', text))
    prefixes = set(re.findall(r'_money\([^)]*"([A-Z_]+)"\)', text))
    found = direct | {p + s for p in prefixes for s in ("_NEGATIVE", "_NOT_IN_GROSZE")}
    assert len(found) > 30
    for language in i18n.LANGUAGES:
        catalog = i18n._load(language)
        assert sorted(code for code in found if f"finding.{code}" not in catalog) == []


# --- the canonical document -------------------------------------------------------------


def test_the_report_document_round_trips_and_matches_its_schema(
    workspace: Workspace, demo_ids: DemoIds
) -> None:
    document = reports.document(workspace, demo_ids.report_id)
    data = canonical.encode(document)
    raw = json.loads(data)
    validator = load_validator(resource_path("schemas", "report.schema.json"))
    assert first_problem(validator, raw) is None
    back = report_from_document(raw)
    assert back.report == workspace.store.load_report(demo_ids.report_id)
    again = report_document(back.report, back.organization, back.call_id, back.call_version)
    assert canonical.encode(again) == data
    assert raw["report"]["documents"][0]["amount"] == "1500.00"  # decimals as strings


def test_a_report_document_with_a_bad_field_is_refused_at_that_field(
    workspace: Workspace, demo_ids: DemoIds
) -> None:
    raw = json.loads(canonical.encode(reports.document(workspace, demo_ids.report_id)))
    raw["report"]["documents"][1]["amount"] = 980.0
    validator = load_validator(resource_path("schemas", "report.schema.json"))
    problem = first_problem(validator, raw)
    assert problem is not None and problem[0] == "report.documents[2].amount"
    raw["report"]["documents"][1]["amount"] = "980.00"
    raw["report"]["organization_id"] = "someone-else"
    with pytest.raises(DocumentError) as refused:
        report_from_document(raw)
    assert refused.value.field == "report.organization_id"


# --- starting, submitting, locking ------------------------------------------------------


def test_a_report_starts_from_the_submitted_version_not_from_later_edits(
    workspace: Workspace, demo_ids: DemoIds, clock: str
) -> None:
    with pytest.raises(UserError) as refused:
        reports.new_report(workspace, demo_ids.application_id, ReportKind.FINAL)
    assert refused.value.key == "report.application_not_submitted"
    assert "szkic" in i18n.tr(refused.value.key, **refused.value.params)
    assert workspace.store.list_reports(demo_ids.application_id) == []

    version = workspace.submit(demo_ids.application_id)
    accepted = workspace.application(demo_ids.application_id)
    report = reports.new_report(workspace, demo_ids.application_id, ReportKind.PARTIAL)
    assert report.application_sha256 == version.sha256
    assert [action.id for action in report.actions] == [a.id for a in accepted.actions]
    assert [action.name for action in report.actions] == [a.name for a in accepted.actions]
    assert [r.planned_value for r in report.results] == [r.planned_value for r in accepted.results]
    assert report.budget == accepted.budget
    assert (report.kind, report.title) == (ReportKind.PARTIAL, accepted.title)
    assert workspace.store.load_report(report.id) == report


def test_submit_freezes_queues_and_locks_the_report(
    workspace: Workspace, demo_ids: DemoIds
) -> None:
    report_id = demo_ids.report_id
    with pytest.raises(UserError) as blocked:
        reports.submit(workspace, report_id)
    said = i18n.tr(blocked.value.key, **blocked.value.params)
    assert "Sprawozdania nie można złożyć: błędy blokujące: 2." in said
    assert workspace.store.report_versions(report_id) == []
    assert [item for item in workspace.store.outbox() if item.kind == "report"] == []

    complete_demo_report(workspace, report_id)
    version = reports.submit(workspace, report_id)
    assert workspace.store.report_status(report_id) is ApplicationStatus.QUEUED
    [queued] = [item for item in workspace.store.outbox() if item.kind == "report"]
    assert (queued.submission_id, queued.report_id, queued.sha256) == (
        version.id,
        report_id,
        version.sha256,
    )
    assert canonical.sha256_hex(version.document.encode("utf-8")) == version.sha256
    with pytest.raises(ReportLockedError):
        workspace.store.update_report(report_id, summary="zmiana po wysłaniu")
    with pytest.raises(UserError) as again:
        reports.submit(workspace, report_id)
    assert again.value.key == "report.not_a_draft"
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        workspace.store._conn.execute("UPDATE report_versions SET sha256 = 'x'")
    assert workspace.store.load_report(report_id).summary.startswith("Warsztaty odbyły się")


# --- the command line ------------------------------------------------------------------


def test_report_new_pdf_and_submit_on_the_command_line(run_cli, data_dir: Path, clock: str):
    assert run_cli("demo")[0] == 0
    listing = json.loads(run_cli("list", "--json")[1])
    draft = the_draft(listing)
    code, _, err = run_cli("report-new", draft["id"])
    assert code == 2 and "Sprawozdanie rozlicza złożony wniosek" in err

    assert run_cli("submit", draft["id"])[0] == 0
    code, out, err = run_cli("report-new", draft["id"], "--partial")
    assert (code, err) == (0, "")
    new_id = out.strip()
    reports_listed = {
        item["id"]: item for item in json.loads(run_cli("list", "--json")[1])["reports"]
    }
    assert reports_listed[new_id] | {"title": ""} == {
        "id": new_id,
        "application_id": draft["id"],
        "kind": "partial",
        "status": "draft",
        "title": "",
    }

    [demo_report] = [item for item in reports_listed.values() if item["kind"] == "final"]
    code, out, _ = run_cli("report-validate", demo_report["id"])
    assert code == 1 and "Działanie 3: zaznacz, czy zostało zrealizowane." in out
    with Workspace.open(data_dir) as workspace:
        complete_demo_report(workspace, demo_report["id"])
    code, out, _ = run_cli("report-validate", demo_report["id"], "--json")
    assert code == 0
    assert {item["code"] for item in json.loads(out)} >= {"REPORT_RESULT_BELOW_THRESHOLD"}

    code, out, err = run_cli("report-submit", demo_report["id"])
    assert (code, err) == (0, "")
    printed = out.strip()
    with Workspace.open(data_dir) as workspace:
        [version] = workspace.store.report_versions(demo_report["id"])
    assert printed == canonical.control_sum(version.sha256)

    pdf = data_dir.parent / "sprawozdanie.pdf"
    code, out, err = run_cli("report-pdf", demo_report["id"], "--out", str(pdf))
    assert (code, err) == (0, "")
    text = pdf_text(pdf)
    assert printed in text
    assert "Śpiewaj z nami" in text

    code, _, err = run_cli("report-pdf", "nie-ma-takiego", "--out", str(pdf))
    assert code == 2 and "Nie ma sprawozdania o identyfikatorze nie-ma-takiego" in err


def test_report_attach_keeps_the_file_once_by_its_hash(run_cli, data_dir: Path, tmp_path: Path):
    assert run_cli("demo")[0] == 0
    [report] = json.loads(run_cli("list", "--json")[1])["reports"]
    photo = tmp_path / "dożynki.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    code, out, err = run_cli(
        "report-attach", report["id"], str(photo), "--description", "Korowód dożynkowy"
    )
    assert (code, err) == (0, "")
    sha = out.strip()
    with Workspace.open(data_dir) as workspace:
        attached = workspace.store.load_report(report["id"]).attachments
    assert [(a.name, a.description, a.size) for a in attached][-1] == (
        "dożynki.jpg",
        "Korowód dożynkowy",
        photo.stat().st_size,
    )
    assert (data_dir / "attachments" / sha[:2] / sha).read_bytes() == photo.read_bytes()


def test_a_report_the_operator_sends_back_is_corrected_as_a_new_version(
    workspace: Workspace, demo_ids: DemoIds
) -> None:
    from mms_desktop.storage.store import OperatorAnswer

    report_id = demo_ids.report_id
    with pytest.raises(UserError) as not_yet:
        reports.reopen_for_corrections(workspace, report_id)
    assert "nie prosił o poprawki" in i18n.tr(not_yet.value.key, **not_yet.value.params)
    complete_demo_report(workspace, report_id)
    first = reports.submit(workspace, report_id)
    workspace.store.record_operator_status(
        OperatorAnswer(first.id, "needs_corrections", "Brak faktury za nagłośnienie.", "2027-09-20")
    )
    assert workspace.store.report_status(report_id) is ApplicationStatus.NEEDS_CORRECTIONS
    assert workspace.store.report_answers()[report_id].comment == "Brak faktury za nagłośnienie."

    reports.reopen_for_corrections(workspace, report_id)
    workspace.store.update_report(report_id, other_information="Faktura FV 31/2027 dołączona.")
    second = reports.submit(workspace, report_id)
    first_again, second_again = workspace.store.report_versions(report_id)
    assert (second_again.number, second_again.replaces_id) == (2, first.id)
    assert first_again.document == first.document  # the first version never changes
    assert "Faktura FV 31/2027" in second.document and "Faktura FV 31/2027" not in first.document
    assert workspace.store.report_status(report_id) is ApplicationStatus.QUEUED
