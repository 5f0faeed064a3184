"""The statutory forms as templates, and the printouts read back against them.

The templates (resources/forms) are checked against their JSON Schema; the
PDFs are read back with poppler (``pdftotext -raw`` / ``-bbox``) and the lines
a page strokes are read from the file itself: every label of the template in
its order, each „*” alternative that does not apply struck through by a line
over exactly its words (and none over the one that stands), no page that ends
with a heading or a label, a running header shortened at a word boundary, and
the version's time as the file's creation date.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from jsonschema import Draft202012Validator
from pdf_readback import Segment, Word, page_lines, page_words, pdf_text

from mms_desktop.documents.application_pdf import application_pdf
from mms_desktop.documents.blank_form import blank_form_pdf
from mms_desktop.documents.report_pdf import report_pdf
from mms_desktop.documents.sections import section_number
from mms_desktop.documents.templates import (
    load_template,
    offer_template,
    plain_text,
    report_template,
)
from mms_desktop.domain.application import Application, Arrears, YearValue
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.form_template import Confidence, FormTemplate, ItemKind
from mms_desktop.domain.money import format_number
from mms_desktop.domain.organization import Organization, RegisterType
from mms_desktop.domain.report import Report, ReportKind
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.resources import resource_path
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import demo_application, demo_organization
from mms_desktop.services.workspace import DemoIds, Workspace
from tests.wine import stop_under_wine

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_IDS = [path.stem for path in sorted(resource_path("forms").glob("*.json"))]
STAMP = SubmissionStamp(
    submission_id="6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8",
    sha256=hashlib.sha256(b"wersja 3").hexdigest(),
    submitted_at=datetime(2027, 5, 28, 9, 41, 7, tzinfo=timezone(timedelta(hours=2))),
    version_number=3,
)
# Header and footer bands (pt from the top and from the bottom of an A4 page).
HEADER, FOOTER = round(17.5 / 25.4 * 72), round(19.5 / 25.4 * 72)


def words(text: str) -> str:
    return " ".join(text.split())


def write(folder: Path, data: bytes, name: str) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def calls() -> dict[str, CallDefinition]:
    return {known.definition.id: known.definition for known in bundled_calls()}


@pytest.fixture(scope="module")
def organization() -> Organization:
    return demo_organization()


def load_benchmark(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"benchmark_{name}", ROOT / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the templates as data ----------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_template_passes_its_schema_and_says_where_each_text_comes_from(template_id):
    schema = json.loads(resource_path("schemas", "form-template.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    data = json.loads(resource_path("forms", f"{template_id}.json").read_text("utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    template = load_template(template_id)
    assert template.id == template_id and template.version >= 1
    sources = {source.id for source in template.sources}
    for text in template.texts():
        assert text.confidence in (Confidence.VERBATIM, Confidence.RECONSTRUCTED)
        if text.confidence is Confidence.VERBATIM:
            assert text.source in sources, text.text  # a verbatim text names the copy read
    footnotes = {note.id for note in template.footnotes}
    for item in template.items:
        marks = list(item.footnotes) + [t.footnote for t in item.texts() if t.footnote]
        assert set(marks) <= footnotes, item.id
    ids = [item.id for item in template.items]
    assert len(ids) == len(set(ids))


def test_a_schema_check_refuses_a_verbatim_text_without_its_source():
    schema = json.loads(resource_path("schemas", "form-template.schema.json").read_text("utf-8"))
    data = json.loads(resource_path("forms", "dz-u-2018-2057-zal-1.json").read_text("utf-8"))
    assert data["instructions"]["heading"]["confidence"] == "verbatim"
    del data["instructions"]["heading"]["source"]
    assert list(Draft202012Validator(schema).iter_errors(data))
    data = json.loads(resource_path("forms", "dz-u-2018-2057-zal-1.json").read_text("utf-8"))
    data["items"][0]["label"]["text"] = "{{nieznany|tak*|nie*}}"  # no such choice
    assert list(Draft202012Validator(schema).iter_errors(data))


def test_each_bundled_call_names_templates_that_exist_and_places_its_points(calls):
    for call in calls.values():
        offer, report = offer_template(call), report_template(call)
        assert (offer.document, report.document) == ("offer", "report")
        ids = [item.id for item in offer.items]
        for point in call.own_points:
            assert ids.index(point.id) > ids.index(point.after), (call.id, point.id)
        report_ids = [item.id for item in report.items]
        for point in call.report_own_points:
            assert report_ids.index(point.id) > report_ids.index(point.after)


# --- every label in its order -------------------------------------------------------


def labels_in_order(template: FormTemplate, values: dict[str, str]) -> list[str]:
    """What a reader finds of the template, in its order: numbered labels and declarations."""
    found = []
    for item in template.items:
        if item.kind is ItemKind.HEAD:
            found += [words(plain_text(row.label)) for row in item.rows]
            continue
        if item.label is None:
            continue
        number = section_number(item.id) if item.number is None else item.number
        found.append(words(f"{number} {plain_text(item.label, values)}"))
        found += [words(plain_text(text)) for text in item.items]
    return found


def assert_in_order(text: str, expected: Sequence[str]) -> None:
    position = 0
    for label in expected:
        found = text.find(label, position)
        assert found >= 0, f"missing after position {position}: {label!r}"
        position = found + len(label)


def read(path: Path) -> str:
    # A footnote's mark is set higher: pdftotext puts it after a space or on its own.
    return re.sub(r" ?(\d\))", r"\1", words(pdf_text(path, "-raw")))


def test_the_offer_2057_prints_every_label_of_its_template_in_order(calls, organization, tmp_path):
    call = calls["mms-2027-p1-przyklad"]
    application = demo_application(organization.id, call)
    path = write(tmp_path, application_pdf(application, organization, call, STAMP), "2057.pdf")
    text = read(path)
    template = offer_template(call)
    assert template.id == "dz-u-2018-2057-zal-1"
    assert_in_order(text, labels_in_order(template, {"year": "2027"}))
    for paragraph in (template.instructions_heading, *template.instructions):
        assert words(plain_text(paragraph)) in text  # the Pouczenie, word for word
    for note in template.footnotes:
        assert words(f"{note.id}) {plain_text(note.text)}") in text
    # The program's own point, marked as the operator's and placed after II.2.
    assert_in_order(text, ["2. Dane osoby upoważnionej", "3. Dane oferenta wymagane w naborze"])


def test_the_simplified_offer_2055_and_the_blank_form_print_every_label_in_order(
    calls, organization, tmp_path
):
    call = calls["art19a-2027-przyklad"]
    application = demo_application(organization.id, call)
    template = offer_template(call)
    assert template.id == "dz-u-2018-2055-zal-1"
    filled = write(tmp_path, application_pdf(application, organization, call), "2055.pdf")
    assert_in_order(read(filled), labels_in_order(template, {}))
    blank = write(tmp_path, blank_form_pdf(call), "2055-pusty.pdf")
    assert_in_order(read(blank), labels_in_order(template, {}))


def demo_report(workspace: Workspace, demo_ids: DemoIds) -> tuple[Report, Organization]:
    report = workspace.store.load_report(demo_ids.report_id)
    return report, workspace.organization(report.organization_id)


def test_the_report_2057_annex_5_prints_every_label_in_order(
    workspace: Workspace, demo_ids: DemoIds, calls, tmp_path
):
    report, organization = demo_report(workspace, demo_ids)
    call = calls["mms-2027-p1-przyklad"]
    template = report_template(call)
    assert template.id == "dz-u-2018-2057-zal-5"
    path = write(tmp_path, report_pdf(report, organization, call, STAMP), "zal5.pdf")
    text = read(path)
    assert_in_order(text, labels_in_order(template, {}))
    assert "SPRAWOZDANIE Z WYKONANIA ZADANIA PUBLICZNEGO" in text


def test_the_simplified_report_2055_prints_every_label_in_order(
    workspace: Workspace, demo_ids: DemoIds, calls, tmp_path
):
    report, organization = demo_report(workspace, demo_ids)
    call = calls["art19a-2027-przyklad"]
    template = report_template(call)
    assert template.id == "dz-u-2018-2055-zal-2"
    path = write(tmp_path, report_pdf(report, organization, call, None), "2055-spr.pdf")
    text = read(path)
    assert_in_order(text, labels_in_order(template, {}))
    # An art. 19a report is „z realizacji”, never „z wykonania”.
    assert "SPRAWOZDANIE Z REALIZACJI ZADANIA PUBLICZNEGO" in text
    assert "Z WYKONANIA" not in text


# --- the „*” alternatives: struck through, exactly ---------------------------------


def find_words(page: list[Word], sequence: Sequence[str], start: int = 0) -> int:
    """Where the words ``sequence`` follow each other on the page (from ``start``)."""
    texts = [word.text for word in page]
    for index in range(start, len(texts) - len(sequence) + 1):
        if texts[index : index + len(sequence)] == list(sequence):
            return index
    return -1


def lines_of(chosen: Iterable[Word]) -> list[tuple[float, float, float, float]]:
    """The words grouped by the line they stand on: (x_min, y_min, x_max, y_max) each."""
    boxes: list[tuple[float, float, float, float]] = []
    for word in chosen:
        if boxes and abs(boxes[-1][1] - word.y_min) < 1:
            x_min, y_min, _, y_max = boxes[-1]
            boxes[-1] = (x_min, y_min, word.x_max, y_max)
        else:
            boxes.append((word.x_min, word.y_min, word.x_max, word.y_max))
    return boxes


def strikes_over(
    box: tuple[float, float, float, float], height: float, lines: list[Segment]
) -> list[Segment]:
    """Horizontal lines through the middle band of ``box`` that overlap it sideways."""
    x_min, y_min, x_max, y_max = box
    band_low, band_high = (
        height - (y_max - 0.25 * (y_max - y_min)),
        height - (y_min + 0.3 * (y_max - y_min)),
    )
    return [
        line
        for line in lines
        if abs(line.y1 - line.y2) < 0.01
        and band_low <= line.y1 <= band_high
        and min(line.x1, line.x2) < x_max - 0.5
        and max(line.x1, line.x2) > x_min + 0.5
    ]


def near(page: list[Word], sequence: Sequence[str], anchor: int) -> int:
    """``sequence`` after the anchor in reading order, or on the anchor's line (a table's
    value column is read after the whole label column)."""
    found = find_words(page, sequence, anchor)
    if found >= 0:
        return found
    line = page[anchor].y_min
    for index in range(len(page)):
        if abs(page[index].y_min - line) < 2 and find_words(page, sequence, index) == index:
            return index
    return -1


def assert_struck(
    path: Path, anchor: Sequence[str], whole: Sequence[str], struck: slice, kept: slice
) -> None:
    """From the words ``anchor`` on, the alternatives ``whole`` (e.g. „nie zalega(-ją)* /
    zalega(-ją)*”): ``whole[struck]`` has a line over exactly its words, ``whole[kept]``
    (the alternative that stands) none."""
    stop_under_wine("poppler's pdftotext -bbox")
    for (height, page), lines in zip(page_words(path), page_lines(path), strict=True):
        at = find_words(page, anchor)
        if at < 0:
            continue
        start = near(page, whole, at)
        assert start >= 0, whole
        chosen = page[start : start + len(whole)]
        boxes = lines_of(chosen[struck])
        last = chosen[struck][-1].text
        # A comma after the alternative belongs to the sentence, not to the alternative.
        slack = 3.5 * (len(last) - len(last.rstrip(",;.:")))
        for number, box in enumerate(boxes, start=1):
            over = strikes_over(box, height, lines)
            assert len(over) == 1, (whole[struck], box, over)
            (line,) = over
            # Exactly its words: from the first letter to the last, no more.
            assert abs(min(line.x1, line.x2) - box[0]) < 0.8, (whole[struck], box, line)
            end = max(line.x1, line.x2)
            low = box[2] - (slack if number == len(boxes) else 0) - 0.8
            assert low < end < box[2] + 0.8, (whole[struck], box, line)
        for box in lines_of(chosen[kept]):
            assert strikes_over(box, height, lines) == [], (whole[kept], box)
        return
    raise AssertionError(f"not found: {anchor}")


def assert_none_struck(path: Path, anchor: Sequence[str], both: Sequence[str]) -> None:
    for (height, page), lines in zip(page_words(path), page_lines(path), strict=True):
        at = find_words(page, anchor)
        if at >= 0:
            start = near(page, both, at)
            assert start >= 0, both
            for box in lines_of(page[start : start + len(both)]):
                assert strikes_over(box, height, lines) == []
            return
    raise AssertionError(f"not found: {anchor}")


def test_the_alternatives_that_do_not_apply_are_struck_through_over_exactly_their_words(
    calls, organization, tmp_path
):
    call = calls["mms-2027-p1-przyklad"]
    application = replace(
        demo_application(organization.id, call),
        tax_arrears=Arrears.NONE,
        social_insurance_arrears=Arrears.SOME,
    )
    assert organization.register_type is RegisterType.ARIMR_KGW  # „właściwą ewidencją”
    path = write(tmp_path, application_pdf(application, organization, call, STAMP), "o.pdf")
    # One offeror: the joint offer and art. 14 ust. 2 are struck out.
    title = ["OFERTA", "REALIZACJI", "ZADANIA", "PUBLICZNEGO*", "/"]
    title += ["OFERTA", "WSPÓLNA", "REALIZACJI", "ZADANIA", "PUBLICZNEGO*,"]
    assert_struck(path, ["OFERTA"], title, slice(5, 10), slice(0, 4))
    assert_struck(path, ["ART.", "14", "UST."], ["1*", "/", "2*"], slice(2, 3), slice(0, 1))
    # VII.3: „nie zalega” stands; VII.4: „zalega” stands.
    arrears = ["nie", "zalega(-ją)*", "/", "zalega(-ją)*"]
    assert_struck(path, ["3)", "oferent*"], arrears, slice(3, 4), slice(0, 2))
    assert_struck(path, ["4)", "oferent*"], arrears, slice(0, 2), slice(3, 4))
    offerors = ["oferent*", "/", "oferenci*"]
    assert_struck(path, ["3)", *offerors], offerors, slice(2, 3), slice(0, 1))
    # VII.5: a register other than the KRS.
    register = ["Krajowym", "Rejestrem", "Sądowym*", "/", "właściwą", "ewidencją*;"]
    assert_struck(path, ["5)", "dane"], register, slice(0, 3), slice(4, 5))


def test_an_undecided_declaration_leaves_both_alternatives_for_the_pen(
    calls, organization, tmp_path
):
    call = calls["mms-2027-p1-przyklad"]
    application = replace(demo_application(organization.id, call), tax_arrears=Arrears.UNSET)
    path = write(tmp_path, application_pdf(application, organization, call), "nie.pdf")
    assert_none_struck(
        path,
        ["oferent*", "/", "oferenci*", "składający", "niniejszą", "ofertę"],
        ["nie", "zalega(-ją)*", "/", "zalega(-ją)*"],
    )
    blank = write(tmp_path, blank_form_pdf(call), "pusty.pdf")
    assert_none_struck(blank, ["ART.", "14", "UST."], ["1*", "/", "2*"])


@pytest.mark.parametrize("kind", [ReportKind.FINAL, ReportKind.PARTIAL])
def test_the_report_strikes_out_the_kind_it_is_not(
    workspace: Workspace, demo_ids: DemoIds, calls, tmp_path, kind
):
    report, organization = demo_report(workspace, demo_ids)
    call = calls["mms-2027-p1-przyklad"]
    path = write(
        tmp_path, report_pdf(replace(report, kind=kind), organization, call, None), "r.pdf"
    )
    first = kind is ReportKind.FINAL  # „Częściowe*”, the first alternative, does not apply
    assert_struck(
        path,
        ["Rodzaj", "sprawozdania"],
        ["Częściowe*", "/", "Końcowe*"],
        slice(0, 1) if first else slice(2, 3),
        slice(2, 3) if first else slice(0, 1),
    )


# --- layout as a typesetter would ----------------------------------------------------


def body_pages(path: Path) -> list[str]:
    """Each page's text between the running header and the footer, in drawing order."""
    stop_under_wine("poppler's pdftotext")
    crop = ["-x", "0", "-y", str(HEADER), "-W", "595", "-H", str(842 - HEADER - FOOTER)]
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-raw", "-r", "72", *crop, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = [re.sub(r" ?(\d\))", r"\1", words(page)) for page in text.split("\f")]
    return [page for page in pages if page]


def headings(template: FormTemplate) -> list[str]:
    """Each part's heading and each point's label (with its instruction), as read."""
    found = []
    for item in template.items:
        if item.label is None or item.kind is ItemKind.HEAD:
            continue
        number = section_number(item.id) if item.number is None else item.number
        label = words(f"{number} {plain_text(item.label, {'year': '2027'})}")
        marks = "".join(f"{note})" for note in item.footnotes)
        found.append(label + marks)
        if item.instruction is not None:
            found.append(f"{label + marks} ({words(plain_text(item.instruction))})")
    return found


def assert_typeset(path: Path, template: FormTemplate) -> None:
    labels = headings(template)
    points = headings(
        replace(template, items=tuple(i for i in template.items if i.kind is not ItemKind.SECTION))
    )
    pages = body_pages(path)
    for number, page in enumerate(pages, start=1):
        ending = [label for label in labels if page.endswith(label)]
        assert ending == [], f"page {number} ends with a heading: {ending}"
        if number == 1:
            continue
        starting = [label for label in points if page.startswith(label)]
        for label in starting:  # a point's label at the top has its content under it
            rest = page[len(label) :].strip()
            assert rest and not any(rest.startswith(other) for other in labels), (number, label)


def test_no_page_ends_with_a_heading_or_begins_with_a_lone_label(calls, organization, tmp_path):
    benchmark = load_benchmark("application_pdf")
    call = benchmark.demo_call()
    large = benchmark.large_organization()
    application: Application = benchmark.large_application(large.id, call)
    path = write(tmp_path, application_pdf(application, large, call, STAMP), "duza.pdf")
    assert len(body_pages(path)) > 20
    assert_typeset(path, offer_template(call))
    for call_id in ("mms-2027-p1-przyklad", "art19a-2027-przyklad"):
        call = calls[call_id]
        demo = demo_application(organization.id, call)
        filled = write(tmp_path, application_pdf(demo, organization, call, STAMP), f"{call_id}.pdf")
        assert_typeset(filled, offer_template(call))
    # (The blank form's fields are empty lines: no text under a label to read back.)


def test_the_large_report_is_typeset_alike_and_its_signatures_stay_with_their_heading(tmp_path):
    benchmark = load_benchmark("report_pdf")
    report, organization, call = benchmark.large_report()
    path = write(tmp_path, report_pdf(report, organization, call, STAMP), "duze.pdf")
    template = report_template(call)
    assert_typeset(path, template)
    caption = words(plain_text(template.signature_caption))
    pages = body_pages(path)
    signed = [page for page in pages if caption in page]
    assert len(signed) == 1
    # The caption and the first signature block on one page: „Data … podpis” follow it.
    assert "Data podpis" in signed[0][signed[0].index(caption) :]


def test_the_running_header_is_shortened_at_a_word_boundary(calls, organization, tmp_path):
    call = calls["mms-2027-p1-przyklad"]
    long_name = replace(
        organization,
        name="Stowarzyszenie Miłośników Ziemi Łękawskiej, Jej Historii, Tradycji i Przyszłości",
    )
    application = demo_application(long_name.id, call)
    path = write(tmp_path, application_pdf(application, long_name, call, STAMP), "n.pdf")
    full = f"{offer_template(call).name} · {long_name.name}"
    for page in pdf_text(path).split("\f")[:-1]:
        shown = page.strip().splitlines()[0]
        assert shown.endswith(" …"), shown
        kept = shown[: -len(" …")]
        assert full.startswith(kept) and full[len(kept)] == " ", shown  # whole words only
        assert "Wersja nr 3" in page


def test_the_creation_date_is_the_versions_time_and_the_bytes_never_change(
    calls, organization, tmp_path
):
    call = calls["mms-2027-p1-przyklad"]
    application = demo_application(organization.id, call)
    first = application_pdf(application, organization, call, STAMP)
    assert first == application_pdf(application, organization, call, STAMP)
    stop_under_wine("poppler's pdfinfo")
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(write(tmp_path, first, "v3.pdf"))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert re.search(r"^CreationDate:\s+2027-05-28T09:41:07\+02(:00)?$", info, re.M), info
    later = replace(STAMP, submitted_at=STAMP.submitted_at + timedelta(days=1))
    other = write(tmp_path, application_pdf(application, organization, call, later), "v4.pdf")
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(other)], check=True, capture_output=True, text=True
    ).stdout
    assert "2027-05-29T09:41:07" in info


def test_a_task_over_two_years_prints_v_a_with_a_column_per_year(calls, organization, tmp_path):
    call = calls["mms-2027-p1-przyklad"]
    application = demo_application(organization.id, call)
    first, *others = application.budget
    in_2027 = (first.total / 3).quantize(Decimal("0.01"))
    split = replace(
        first, year_values=(YearValue(2027, in_2027), YearValue(2028, first.total - in_2027))
    )
    two_years = replace(
        application,
        start_date=date(2027, 11, 2),
        end_date=date(2028, 3, 31),
        budget=(split, *others),
    )
    text = read(write(tmp_path, application_pdf(two_years, organization, call, STAMP), "2l.pdf"))
    assert "4. Plan i harmonogram działań na rok 2027–2028" in text
    assert "Wartość [PLN] Razem Rok 1 (2027) Rok 2 (2028)" in text
    amounts = [first.total, in_2027, first.total - in_2027]
    assert " ".join(format_number(amount) for amount in amounts) in text
    # The group's and the whole task's per-year sums hold the split line's years.
    assert f"{format_number(in_2027)} {format_number(first.total - in_2027)}" in text
