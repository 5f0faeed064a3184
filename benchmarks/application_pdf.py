"""The printable application of a very large offer, against a bare reportlab document.

The large application: a 5,000-character summary, 40 actions, 200 cost lines,
long names everywhere, submitted (control sum on every page, confirmation page
with a QR code). Measured: ``application_pdf`` from domain objects to bytes.

Baseline, measured in the same run: reportlab's SimpleDocTemplate laying out the
same texts as plain Paragraphs (one per field, cell or amount) in the same
DejaVu fonts, no tables, no page decoration. The machines are shared and
noisy, so read the ratio.

    .venv/bin/python benchmarks/application_pdf.py [--runs 7] [--profile]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mms_desktop.domain.application import Action, Application, BudgetLine, Result
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import format_number
from mms_desktop.domain.organization import Organization, Person
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization

TARGET_RATIO = 1.5
TARGET_SECONDS = 1.0

SENTENCE = (
    "Koło gospodyń zbierze przepisy najstarszych mieszkanek wsi i poprowadzi warsztaty; "
    "żółte kołacze, gęś pieczona i źródlana woda – ŻÓŁĆ, GĘŚ, JAŹŃ – łączą pokolenia. "
)


def text_of_length(length: int, seed: str = SENTENCE) -> str:
    text = (seed * (length // len(seed) + 1))[:length]
    return text.rstrip()


def demo_call() -> CallDefinition:
    return next(
        known.definition for known in bundled_calls() if known.definition.id == DEMO_CALL_ID
    )


def large_organization() -> Organization:
    organization = demo_organization()
    return replace(
        organization,
        name="Stowarzyszenie Przyjaciół Ziemi Łękawskiej, Źródlanej Doliny i Gór Żywieckich "
        "im. Świętej Jadwigi – Koło Gospodyń Wiejskich, Ochotnicza Straż Pożarna & Spółka <razem>",
        website="https://bardzo-dluga-strona-stowarzyszenia-przyjaciol-ziemi-lekawskiej.example.pl/"
        + "podstrona/" * 12,
        representatives=(
            *organization.representatives,
            Person(name="Zdzisława Jaźwińska-Łęcka", role="Wiceprzewodnicząca Zarządu Koła"),
            Person(name="Bożena Ślęzak-Żmuda", role="Sekretarz Zarządu"),
        ),
    )


def large_application(organization_id: str, call: CallDefinition) -> Application:
    """5,000-character summary, 40 actions, 200 cost lines, long names."""
    base = demo_application(organization_id, call)
    actions = tuple(
        Action(
            new_id(),
            f"Działanie {number}: warsztaty „Smaki dzieciństwa” "
            f"i ZAŻÓŁĆ GĘŚLĄ JAŹŃ – część {number}",
            text_of_length(420 + 7 * number),
            "Mieszkańcy gminy, seniorzy, młodzież i rodziny z dziećmi z Łękawki i Ślemienia",
            date(2027, 7, 1) + timedelta(days=number),
            date(2027, 7, 10) + timedelta(days=2 * number),
            "Sołectwo prowadzi zapisy uczestników i udostępnia salę." if number % 5 == 0 else "",
        )
        for number in range(1, 41)
    )
    categories = list(call.cost_categories)
    lines = []
    for number in range(1, 201):
        category = categories[number % len(categories)]
        action = None if category.group.value == "admin" else actions[number % len(actions)].id
        unit_cost = Decimal(15 + (number * 37) % 900) + Decimal("0.50")
        quantity = Decimal(1 + number % 24)
        total = (unit_cost * quantity).quantize(Decimal("0.01"))
        grant = (total * Decimal("0.8")).quantize(Decimal("0.01"))
        lines.append(
            BudgetLine(
                new_id(),
                category.id,
                action,
                f"Pozycja {number}: zakup materiałów, wynajem sali i usługi – "
                f"„Żółte kołacze” dla uczestników warsztatów nr {number % 40 + 1}",
                "godz." if number % 2 else "komplet",
                unit_cost,
                quantity,
                grant=grant,
                own_financial=total - grant,
            )
        )
    results = tuple(
        Result(
            new_id(),
            f"Rezultat {number}: uczestnicy warsztatów i konkursów w Łękawce",
            Decimal(10 * number),
            "osób",
            "Listy obecności, dokumentacja zdjęciowa, protokoły jury i relacje na stronie gminy",
        )
        for number in range(1, 11)
    )
    return replace(
        base,
        title="Smaki Łękawki – " + text_of_length(260),
        summary=text_of_length(5000),
        need=text_of_length(1500),
        results_products=text_of_length(1200),
        experience=text_of_length(1500),
        resources=text_of_length(1000),
        partners=text_of_length(600),
        other_information=text_of_length(800),
        actions=actions,
        results=results,
        budget=tuple(lines),
    )


def large_stamp() -> SubmissionStamp:
    return SubmissionStamp(
        submission_id="5f0c3a1e-8d2b-4c7a-9e61-0b4d2f7a9c35",
        sha256="c0ffee00" * 8,
        submitted_at=datetime(2027, 6, 3, 14, 27, tzinfo=timezone(timedelta(hours=2))),
    )


def all_texts(
    application: Application, organization: Organization, call: CallDefinition
) -> list[str]:
    """Every text the printed application carries, for the baseline."""
    texts = [
        call.name,
        call.operator,
        organization.name,
        organization.address_line(),
        organization.website,
        organization.bank_account,
        application.title,
        application.place,
        application.target_group,
        application.summary,
        application.need,
        application.results_products,
        application.experience,
        application.resources,
        application.partners,
        application.other_information,
    ]
    for action in application.actions:
        texts += [action.name, action.description, action.target_group]
    for result in application.results:
        texts += [result.name, result.measurement]
    for line in application.budget:
        category = call.category(line.category_id)
        texts += [
            line.name,
            category.name if category else "",
            line.unit,
            format_number(line.unit_cost),
            format_number(line.quantity, 0),
            format_number(line.total),
            format_number(line.grant),
        ]
    texts += [declaration.text for declaration in call.declarations]
    return [text for text in texts if text]


def bare_document(texts: list[str]) -> bytes:
    """The baseline: the same texts as plain Paragraphs, same fonts, nothing else."""
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from mms_desktop.documents.fonts import REGULAR, register_fonts

    register_fonts()
    style = ParagraphStyle("bare", fontName=REGULAR, fontSize=9, leading=11.5)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, invariant=1)
    document.build([Paragraph(escape(text), style) for text in texts])
    return buffer.getvalue()


def median_seconds(job: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile one build")
    arguments = parser.parse_args()

    from mms_desktop.documents.application_pdf import application_pdf

    call = demo_call()
    organization = large_organization()
    application = large_application(organization.id, call)
    stamp = large_stamp()
    texts = all_texts(application, organization, call)

    def ours() -> bytes:
        return application_pdf(application, organization, call, stamp)

    def baseline() -> bytes:
        return bare_document(texts)

    # Warm up both (fonts registered, modules imported) before timing.
    pdf = ours()
    bare = baseline()
    if arguments.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(ours)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)

    ours_times, bare_times = [], []
    for _ in range(arguments.runs):  # interleaved: noise hits both alike
        bare_times.append(median_seconds(baseline, 1))
        ours_times.append(median_seconds(ours, 1))
    ours_s, bare_s = statistics.median(ours_times), statistics.median(bare_times)
    ratio = ours_s / bare_s
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
    print(
        f"large application: {len(application.actions)} actions, {len(application.budget)} "
        f"cost lines, {len(application.summary)}-character summary; {len(pdf) // 1024} KiB"
        + (f", {pages} pages" if pages else "")
    )
    print(f"application_pdf (median of {arguments.runs}): {ours_s * 1000:.0f} ms")
    print(
        f"baseline, bare SimpleDocTemplate ({len(texts)} paragraphs, {len(bare) // 1024} KiB): "
        f"{bare_s * 1000:.0f} ms"
    )
    print(f"ratio: {ratio:.2f}x")
    met = ratio <= TARGET_RATIO and ours_s < TARGET_SECONDS
    print(f"target <= {TARGET_RATIO}x and < {TARGET_SECONDS:g} s: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
