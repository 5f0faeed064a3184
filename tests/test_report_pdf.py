"""The printable report (sprawozdanie), read back from real PDFs as a person would.

Text through pdftotext (in drawing order, so a table row reads left to right
and a wrapped cell reads as one text), the QR code through zbarimg. Amounts
are compared with the domain's own figures formatted Polish-style, so a sum
that does not add up to the grosz, or an amount cut off, shows as missing.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pdf_readback import decode_qr_of_last_page, pdf_pages, pdf_text

from mms_desktop import i18n
from mms_desktop.documents.report_pdf import report_pdf
from mms_desktop.domain.application import FundingSource
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.canonical import control_sum
from mms_desktop.domain.money import format_money, format_number, format_percent
from mms_desktop.domain.organization import Organization
from mms_desktop.domain.report import (
    AccountingDocument,
    ActionOutcome,
    Report,
    ReportKind,
    statement,
)
from mms_desktop.resources import resource_path
from mms_desktop.services import reports
from mms_desktop.services.workspace import DemoIds, Workspace

CONTROL_SUM = re.compile(r"\b[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}\b")


def words(text: str) -> str:
    """Whitespace and line breaks normalised: what a reader sees as the same text."""
    return " ".join(text.split())


def raw_text(path: Path) -> str:
    return words(pdf_text(path, "-raw"))


def write(folder: Path, data: bytes, name: str = "sprawozdanie.pdf") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def parts(workspace: Workspace, report_id: str) -> tuple[Report, Organization, CallDefinition]:
    report = workspace.store.load_report(report_id)
    return (
        report,
        workspace.organization(report.organization_id),
        workspace.calls.get(report.call_id),
    )


@pytest.fixture
def draft(workspace: Workspace, demo_ids: DemoIds, clock: str, tmp_path: Path) -> Path:
    return write(tmp_path, reports.report_pdf(workspace, demo_ids.report_id))


def complete_demo_report(workspace: Workspace, report_id: str) -> None:
    """Fill in what the demo report still lacks, so that it may be submitted."""
    report = workspace.store.load_report(report_id)
    actions = list(report.actions)
    actions[2] = replace(
        actions[2],
        outcome=ActionOutcome.DONE,
        start_date=actions[2].planned_start,
        end_date=actions[2].planned_end,
        description="Koncert obejrzało 140 osób; śpiewały też dzieci ze szkoły.",
    )
    results = list(report.results)
    results[2] = replace(results[2], achieved_value=Decimal("140"), comment="Liczenie przy wejściu")
    workspace.store.update_report(report_id, actions=tuple(actions), results=tuple(results))


# --- the draft ------------------------------------------------------------------


def test_the_draft_carries_every_amount_of_the_statement_and_documents(
    draft: Path, workspace: Workspace, demo_ids: DemoIds
):
    report, _, _ = parts(workspace, demo_ids.report_id)
    summary = statement(report)
    text = raw_text(draft)
    expected = {"1 500,00", "2 350,00", "980,00", "2 050,00", "4 830,00", "4 530,00"}
    for item in summary.lines:
        expected |= {format_number(item.planned_total), format_number(item.spent_total)}
        expected |= {format_number(value) for value in item.planned.values() if value}
        expected |= {format_number(value) for value in item.spent.values() if value}
    expected |= {format_number(summary.planned_total), format_number(summary.spent_total)}
    expected |= {format_number(value) for value in summary.planned_by_source.values()}
    expected |= {format_number(value) for value in summary.spent_by_source.values()}
    for document in report.documents:
        expected |= {format_number(document.amount), format_number(document.grant)}
    for work in report.volunteer_work:
        expected |= {format_number(work.hourly_value), format_number(work.value)}
    expected |= {format_number(item.value) for item in report.in_kind}
    missing = sorted(amount for amount in expected if amount not in text)
    assert missing == []
    # The totals row reads left to right, each cell the plan over the spending.
    totals_row = " ".join(
        [f"{format_number(summary.planned_total)} {format_number(summary.spent_total)}"]
        + [
            f"{format_number(summary.planned_by_source[source])} "
            f"{format_number(summary.spent_by_source[source])}"
            for source in FundingSource
        ]
    )
    assert f"Razem wg umowy poniesione {totals_row}" in text
    assert summary.grant_unspent > 0
    assert tr_words("pdf.report.grant_unspent", amount=format_money(summary.grant_unspent)) in text
    # Shares of the sources, Polish style: "68,61 %".
    grant = summary.planned_by_source[FundingSource.GRANT]
    assert format_percent(grant * 100 / summary.planned_total, 2) in text


def tr_words(key: str, **params: object) -> str:
    return words(i18n.tr(key, **params))


def test_the_draft_carries_the_polish_texts_exactly(
    draft: Path, workspace: Workspace, demo_ids: DemoIds
):
    report, organization, call = parts(workspace, demo_ids.report_id)
    text = raw_text(draft)
    texts = [report.summary, report.title, organization.name, call.name]
    for action in report.actions:
        texts += [action.name, action.description, action.deviations]
    for result in report.results:
        texts += [result.name, result.comment]
    for document in report.documents:
        texts += [document.number, document.issuer, document.description]
    texts += [work.who for work in report.volunteer_work]
    texts += [item.description for item in report.in_kind]
    for attachment in report.attachments:
        texts += [attachment.name, attachment.description]
    missing = [item for item in texts if item and words(item) not in text]
    assert missing == []
    assert "„Pieśni znad Soły”" in text
    assert "Księgarnia Muzyczna „Nutka” s.c., Żywiec" in text
    assert "SPRAWOZDANIE Z REALIZACJI ZADANIA PUBLICZNEGO" in text  # art. 19a: 2055, annex 2
    assert "zrealizowane częściowo" in text
    assert "nie oznaczono" in text  # the action not marked yet
    assert "112,0 %" in text  # 28 of 25 participants
    assert "01.06.2027 – 29.08.2027" in text  # the task's dates, dd.mm.rrrr


def test_a_draft_says_so_on_every_page_and_has_no_control_sum_of_its_own(
    draft: Path, workspace: Workspace, demo_ids: DemoIds
):
    report, _, _ = parts(workspace, demo_ids.report_id)
    pages = pdf_pages(draft)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert i18n.tr("pdf.draft.footer") in page
        assert f"Strona {number} z {len(pages)}" in page
    text = pdf_text(draft)
    assert "Suma kontrolna:" not in text
    # The only control sum on a draft is the one of the offer it settles.
    assert report.application_sha256
    assert set(CONTROL_SUM.findall(text)) == {control_sum(report.application_sha256)}


# --- the submitted report -----------------------------------------------------------


def test_the_submitted_report_carries_its_control_sum_and_ends_with_a_qr_code(
    workspace: Workspace, demo_ids: DemoIds, clock: str, tmp_path: Path
):
    report_id = demo_ids.report_id
    complete_demo_report(workspace, report_id)
    reports.submit(workspace, report_id)
    path = write(tmp_path, reports.report_pdf(workspace, report_id))
    version = workspace.store.report_versions(report_id)[-1]
    expected = control_sum(version.sha256)
    pages = pdf_pages(path)
    for number, page in enumerate(pages, start=1):
        assert f"Suma kontrolna: {expected}" in page, number
        assert f"Strona {number} z {len(pages)}" in page
        assert i18n.tr("pdf.draft.footer") not in page
    last = words(pages[-1])
    assert "POTWIERDZENIE ZŁOŻENIA SPRAWOZDANIA" in last
    assert version.id in last
    assert version.sha256 in last
    _, stamp = reports.printable(workspace, report_id)
    assert stamp is not None and stamp.sha256 == version.sha256
    assert decode_qr_of_last_page(path, tmp_path) == stamp.qr_payload
    # What was filled in before submitting is on paper: the frozen version.
    assert "Koncert obejrzało 140 osób" in raw_text(path)


# --- long reports -----------------------------------------------------------------


def test_a_long_report_splits_over_pages_and_loses_nothing(
    workspace: Workspace, demo_ids: DemoIds, clock: str, tmp_path: Path
):
    report, organization, call = parts(workspace, demo_ids.report_id)
    line = report.budget[0]
    documents = tuple(
        AccountingDocument(
            f"d{index}",
            f"FV/{index:04d}/2027",
            date(2027, 6, 1 + index % 28),
            f"Hurtownia „Żuraw” nr {index}",
            ("Zakup materiałów " * (40 if index % 25 == 0 else 1)).strip(),
            Decimal("12345.67"),
            line.id,
            grant=Decimal("12345.67"),
            payment_date=date(2027, 7, 1),
        )
        for index in range(1, 151)
    )
    summary_words = [f"zażółć{index:04d}" for index in range(2500)]
    deviation_words = [f"gęśląjaźń{index:04d}" for index in range(900)]
    actions = (
        replace(report.actions[0], deviations=" ".join(deviation_words)),
        *report.actions[1:],
    )
    long = replace(
        report,
        summary=" ".join(summary_words),
        actions=actions,
        documents=documents,
        other_information="\n".join(f"Akapit {index}: ćma i źdźbło." for index in range(300)),
    )
    path = write(tmp_path, report_pdf(long, organization, call, None))
    pages = pdf_pages(path)
    assert len(pages) > 10
    text = raw_text(path)
    tokens = set(text.split())
    assert [word for word in summary_words if word not in tokens] == []
    assert [word for word in deviation_words if word not in tokens] == []
    assert [d.number for d in documents if d.number not in text] == []
    assert all(f"Akapit {index}: ćma i źdźbło." in text for index in range(300))
    total = sum((d.amount for d in documents), Decimal(0))
    assert format_number(total) == "1 851 850,50"
    assert format_number(total) in text
    # The documents' table repeats its header on every page it runs over.
    head = words(i18n.tr("pdf.report.documents.issuer"))
    document_pages = [page for page in pages if "FV/" in page]
    assert len(document_pages) >= 3
    assert all(head in words(page) for page in document_pages)


def test_a_partial_report_without_spending_says_what_is_missing(
    workspace: Workspace, demo_ids: DemoIds, clock: str, tmp_path: Path
):
    report, organization, _ = parts(workspace, demo_ids.report_id)
    call = workspace.calls.get("mms-2027-p1-przyklad")  # its report: 2057, annex 5
    partial = replace(
        report,
        kind=ReportKind.PARTIAL,
        documents=(
            AccountingDocument(
                "x",
                "R 1/2027",
                date(2027, 6, 2),
                "Sklep „Ela”",
                "",
                Decimal("77.10"),
                None,
                grant=Decimal("77.10"),
            ),
        ),
        volunteer_work=(),
        in_kind=(),
        attachments=(),
        application_sha256="",
    )
    path = write(tmp_path, report_pdf(partial, organization, call, None))
    text = raw_text(path)
    assert "SPRAWOZDANIE Z WYKONANIA ZADANIA PUBLICZNEGO" in text
    assert "Rodzaj sprawozdania Częściowe* / Końcowe*" in text  # „Końcowe*” struck out
    assert words(i18n.tr("pdf.report.volunteers.none")) in text
    assert words(i18n.tr("pdf.report.in_kind.none")) in text
    assert words(i18n.tr("pdf.attachments.none")) in text
    # Spending on no cost line is not lost: it has its own row, and counts in the total.
    assert "Wydatki nieprzypisane do pozycji kosztorysu poniesione 77,10" in text
    assert CONTROL_SUM.search(text) is None


# --- language and catalog -------------------------------------------------------------


def test_english_printout(workspace: Workspace, demo_ids: DemoIds, clock: str, tmp_path: Path):
    report, organization, call = parts(workspace, demo_ids.report_id)
    with i18n.using("en"):
        data = report_pdf(report, organization, call, None)
    assert i18n.language() == "pl"
    path = write(tmp_path, data)
    pages = pdf_pages(path)
    text = raw_text(path)
    # The regulation's form keeps its Polish words; the program's own are English.
    assert "SPRAWOZDANIE Z REALIZACJI ZADANIA PUBLICZNEGO" in text
    assert "partly carried out" in text and "Printed version" in text
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "1 500,00" in text  # amounts stay Polish-style: the grant is in złoty
    assert "zrealizowane częściowo" not in text


def test_the_report_catalogs_agree_and_hold_every_key_the_printout_uses():
    catalogs = {
        language: json.loads(
            (resource_path("i18n", language) / "pdf_reports.json").read_text("utf-8")
        )
        for language in i18n.LANGUAGES
    }
    assert catalogs["pl"].keys() == catalogs["en"].keys()

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for key, template in catalogs["pl"].items():
        assert key.startswith("pdf.report."), key
        assert fields(template) == fields(catalogs["en"][key]), key
    # Keys made from the domain's values.
    made = {f"pdf.report.kind.{kind.value}" for kind in ReportKind}
    made |= {f"pdf.report.outcome.{outcome.value}" for outcome in ActionOutcome}
    made |= {"pdf.report.outcome.none"}
    source = (Path(__file__).parents[1] / "mms_desktop/documents/report_pdf.py").read_text("utf-8")
    used = set(re.findall(r"[\"'](pdf\.[a-z_.]+[a-z_])[\"']", source)) | made
    assert used - i18n._load("pl").keys() == set()
    assert {key for key in used if key.startswith("pdf.report.")} <= catalogs["pl"].keys()
    # Nothing here is defined again in another file of the catalog.
    for language in i18n.LANGUAGES:
        others: set[str] = set()
        for path in resource_path("i18n", language).glob("*.json"):
            if path.name != "pdf_reports.json":
                others |= json.loads(path.read_text("utf-8")).keys()
        assert others & catalogs[language].keys() == set()
