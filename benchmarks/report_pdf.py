"""The printable report of a very large project, against a bare reportlab document.

The large report settles the large application of benchmarks/application_pdf.py
(40 actions, 200 cost lines) with 300 accounting documents, 40 entries of
volunteer work and 20 in-kind contributions, every action described; submitted
(control sum on every page, confirmation page). Measured: ``report_pdf`` from
domain objects to bytes, including the statement of expenditure.

Baseline, measured in the same run: the same texts and amounts as plain
Paragraphs in the same fonts (application_pdf.bare_document). Read the ratio.

    .venv/bin/python benchmarks/report_pdf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from application_pdf import (
    SENTENCE,
    bare_document,
    demo_call,
    large_application,
    large_organization,
    large_stamp,
    median_seconds,
    text_of_length,
)

from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import format_number
from mms_desktop.domain.report import (
    AccountingDocument,
    ActionOutcome,
    InKindContribution,
    Report,
    ReportKind,
    VolunteerWork,
    start_report,
)


def large_report() -> tuple[Report, object, object]:
    call = demo_call()
    organization = large_organization()
    application = large_application(organization.id, call)
    report = start_report(application, ReportKind.FINAL, new_id, "ab" * 32)
    lines = report.budget
    documents = tuple(
        AccountingDocument(
            new_id(),
            f"FV {n}/2027",
            date(2027, 7, 1) + timedelta(days=n % 60),
            f"Hurtownia „Łękawka” nr {n}",
            text_of_length(120, SENTENCE),
            Decimal(100 + n) + Decimal("0.35"),
            lines[n % len(lines)].id,
            grant=Decimal(100 + n) + Decimal("0.35"),
            payment_date=date(2027, 9, 1),
        )
        for n in range(300)
    )
    report = replace(
        report,
        summary=text_of_length(5000),
        actions=tuple(
            replace(
                action,
                outcome=ActionOutcome.DONE,
                description=text_of_length(600),
                deviations=text_of_length(200),
            )
            for action in report.actions
        ),
        results=tuple(replace(result, achieved_value=Decimal(45)) for result in report.results),
        documents=documents,
        volunteer_work=tuple(
            VolunteerWork(
                new_id(),
                f"Wolontariuszki grupy {n}",
                4,
                Decimal(30),
                Decimal("40.00"),
                None,
                lines[n % len(lines)].id,
            )
            for n in range(40)
        ),
        in_kind=tuple(
            InKindContribution(
                new_id(), f"Sala i sprzęt nr {n}", Decimal("300.00"), None, lines[n % len(lines)].id
            )
            for n in range(20)
        ),
    )
    return report, organization, call


def all_texts(report: Report) -> list[str]:
    texts = [report.title, report.summary]
    for action in report.actions:
        texts += [action.name, action.description, action.deviations]
    for result in report.results:
        texts += [result.name, format_number(result.achieved_value or Decimal(0))]
    for line in report.budget:
        texts += [line.name, format_number(line.total), format_number(line.grant)]
    for document in report.documents:
        texts += [
            document.number,
            document.issuer,
            document.description,
            format_number(document.amount),
            format_number(document.grant),
        ]
    for work in report.volunteer_work:
        texts += [work.who, format_number(work.value)]
    for item in report.in_kind:
        texts += [item.description, format_number(item.value)]
    return [text for text in texts if text]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()

    from mms_desktop.documents.report_pdf import report_pdf

    report, organization, call = large_report()
    stamp = large_stamp()
    texts = all_texts(report)

    def ours() -> bytes:
        return report_pdf(report, organization, call, stamp)  # type: ignore[arg-type]

    pdf, bare = ours(), bare_document(texts)  # warm up both
    ours_times, bare_times = [], []
    for _ in range(arguments.runs):  # interleaved: noise hits both alike
        bare_times.append(median_seconds(lambda: bare_document(texts), 1))
        ours_times.append(median_seconds(ours, 1))
    ours_s, bare_s = statistics.median(ours_times), statistics.median(bare_times)
    print(
        f"large report: {len(report.actions)} actions, {len(report.budget)} cost lines, "
        f"{len(report.documents)} documents; {len(pdf) // 1024} KiB"
    )
    print(f"report_pdf (median of {arguments.runs}): {ours_s * 1000:.0f} ms")
    print(
        f"baseline, bare SimpleDocTemplate ({len(texts)} paragraphs, {len(bare) // 1024} KiB): "
        f"{bare_s * 1000:.0f} ms; ratio {ours_s / bare_s:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
