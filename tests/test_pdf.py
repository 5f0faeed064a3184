"""The printable application and the blank form, read back from real PDFs.

Text through pdftotext, fonts through pdffonts, pixels through pdftoppm (a
grey-scale PGM parsed here: no imaging library needed), the QR code through
zbarimg. Nothing is compared with a stored copy: every check says what a
volunteer or an operator holding the paper would see.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import string
import subprocess
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from pdf_readback import decode_qr_of_last_page

from mms_desktop import i18n
from mms_desktop.documents.application_pdf import application_pdf
from mms_desktop.documents.blank_form import blank_form_pdf
from mms_desktop.documents.sections import template_labels
from mms_desktop.documents.templates import load_template, offer_template, plain_text
from mms_desktop.domain.application import Application, FundingSource, PaidExecution
from mms_desktop.domain.budget import BudgetSummary
from mms_desktop.domain.call import CallDefinition, CostGroup, OwnPoint
from mms_desktop.domain.money import format_money, format_number, format_percent
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Patron,
    Person,
    RegisterType,
)
from mms_desktop.domain.submission import SubmissionStamp
from mms_desktop.resources import resource_path
from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import DEMO_CALL_ID, demo_application, demo_organization
from tests.wine import stop_under_wine

ROOT = Path(__file__).resolve().parents[1]
CONTROL_SUM = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")
POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
MARGIN_MM = 10
# Data the template has no point for, printed after it under a caption of its own.
LEFTOVERS = (
    "title",
    "dates",
    "group",
    "description",
    "plan",
    "expected_results",
    "results",
    "experience",
    "resources",
    "other",
    "paid_execution",
    "documents",
    "volunteers",
    "in_kind",
    "attachments",
)
WATERMARK_KEY = "pdf.draft.watermark"  # drawn over every page of a draft


# --- reading PDFs back ---------------------------------------------------------


def run(*command: str) -> str:
    stop_under_wine(f"poppler's {command[0]}")
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdf_file(tmp_path: Path, data: bytes, name: str = "wydruk.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def page_texts(path: Path, *, raw: bool = False) -> list[str]:
    """pdftotext's text, one string per page (a form feed ends each page).

    ``raw``: in the order it is drawn, so a table row reads left to right.
    """
    text = run("pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), str(path), "-")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def body_text(path: Path) -> str:
    """The text between running header and footer, in drawing order, all pages.

    Table heads and field captions repeated on a continued page are taken out
    after their first appearance, a draft's watermark everywhere, so a text
    that runs over a page break reads as one.
    """
    top, bottom = round(17.5 / 25.4 * 72), round(19.5 / 25.4 * 72)
    crop = ["-r", "72", "-x", "0", "-y", str(top), "-W", "595", "-H", str(842 - top - bottom)]
    text = words(run("pdftotext", "-enc", "UTF-8", "-raw", *crop, str(path), "-"))
    for heads in repeated_heads():
        repeated = words(" ".join(heads)) + " "
        first = text.find(repeated)
        if first >= 0:  # keep the first one: it is where the table or the field starts
            start = first + len(repeated)
            text = text[:start] + text[start:].replace(repeated, "")
    return text.replace(words(i18n.tr(WATERMARK_KEY)) + " ", "")


def repeated_heads() -> list[list[str]]:
    """What a table or a text box continued on the next page repeats at its top."""
    template = load_template("dz-u-2018-2057-zal-1")
    columns = {item.block: item.columns for item in template.items}

    def heads(block: str, count: int | None = None) -> list[str]:
        texts = columns[block][:count]
        return [plain_text(text) + (f"{text.footnote})" if text.footnote else "") for text in texts]

    return [
        heads("plan"),
        heads("costs", 6),
        heads("results"),
        [i18n.tr("pdf.caption.summary")],
        [i18n.tr("pdf.caption.need")],
    ]


def words(text: str) -> str:
    """Whitespace and line breaks normalised: what a reader sees as the same text."""
    return " ".join(text.split())


def page_count(path: Path) -> int:
    info = run("pdfinfo", str(path))
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def pdf_info(path: Path) -> dict[str, str]:
    info = run("pdfinfo", "-enc", "UTF-8", str(path))
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in info.splitlines())
    }


def fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type and the emb(edded) column of every font."""
    lines = run("pdffonts", str(path)).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the last five are fixed.
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5]})
    return rows


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary PGM (P5) as pdftoppm -gray writes it: width, height, pixels."""
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position) + 1
            continue
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1 : position + 1 + width * height]
    assert len(pixels) == width * height
    return width, height, pixels


def ink_in_margin(path: Path, tmp_path: Path, dpi: int = 40) -> dict[int, int]:
    """Per page: how many non-white pixels lie in the outer ``MARGIN_MM`` band."""
    prefix = tmp_path / "strona"
    stop_under_wine("poppler's pdftoppm")
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), str(prefix)], check=True)
    band = int(MARGIN_MM / 25.4 * dpi)
    found = {}
    for number, image in enumerate(sorted(tmp_path.glob("strona*.pgm")), start=1):
        width, height, pixels = read_pgm(image)
        dark = 0
        for y in range(height):
            row = pixels[y * width : (y + 1) * width]
            if y < band or y >= height - band:
                dark += sum(1 for value in row if value != 255)
            else:
                dark += sum(1 for value in row[:band] + row[width - band :] if value != 255)
        found[number] = dark
    return found


# --- data --------------------------------------------------------------------


@pytest.fixture(scope="module")
def calls() -> dict[str, CallDefinition]:
    return {known.definition.id: known.definition for known in bundled_calls()}


@pytest.fixture(scope="module")
def call(calls: dict[str, CallDefinition]) -> CallDefinition:
    return calls[DEMO_CALL_ID]


@pytest.fixture(scope="module")
def organization() -> Organization:
    return demo_organization()


@pytest.fixture(scope="module")
def application(organization: Organization, call: CallDefinition) -> Application:
    return demo_application(organization.id, call)


@pytest.fixture(scope="module")
def stamp() -> SubmissionStamp:
    return SubmissionStamp(
        submission_id="0b8e6a52-3f1c-4d7e-9a51-2c7d1e9f4b10",
        sha256=hashlib.sha256(b"dokument kanoniczny").hexdigest(),
        submitted_at=datetime(2027, 6, 3, 14, 27, tzinfo=timezone(timedelta(hours=2))),
        version_number=2,
    )


@pytest.fixture(scope="module")
def submitted_pdf(
    application: Application,
    organization: Organization,
    call: CallDefinition,
    stamp: SubmissionStamp,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    data = application_pdf(application, organization, call, stamp)
    return pdf_file(tmp_path_factory.mktemp("zlozony"), data)


@pytest.fixture(scope="module")
def draft_pdf(
    application: Application,
    organization: Organization,
    call: CallDefinition,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    data = application_pdf(application, organization, call)
    return pdf_file(tmp_path_factory.mktemp("szkic"), data)


def load_benchmark() -> ModuleType:
    """The benchmark's large application (one definition for both)."""
    spec = importlib.util.spec_from_file_location(
        "benchmark_application_pdf", ROOT / "benchmarks" / "application_pdf.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def texts_of(application: Application, organization: Organization) -> list[str]:
    """Every text a volunteer typed that the printout must carry, word for word."""
    texts = [
        organization.name,
        organization.short_name,
        organization.street,
        organization.locality,
        organization.gmina,
        organization.email,
        organization.website,
        organization.contact.name,
        organization.contact.role,
        organization.contact.email,
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
    for person in organization.representatives:
        texts += [person.name, person.role]
    for action in application.actions:
        texts += [action.name, action.description, action.target_group]
    for result in application.results:
        texts += [result.name, result.measurement]
    texts += [line.name for line in application.budget]
    return [text for text in texts if text]


# --- the submitted application --------------------------------------------------


def test_every_polish_text_comes_back_exactly(submitted_pdf, application, organization, call):
    text = body_text(submitted_pdf)
    missing = [item for item in texts_of(application, organization) if words(item) not in text]
    assert missing == []
    assert "ZAŻÓŁĆ GĘŚLĄ JAŹŃ" in text
    assert "94 1240 1508 1111 2222 3333 4444" in text  # the bank account, grouped
    assert "Krajowy Rejestr Kół Gospodyń Wiejskich (ARiMR): 0004567" in text
    assert "7821700239" in text and "356304916" in text  # NIP, REGON
    assert call.operator in text and words(call.name) in text
    declarations = next(item for item in offer_template(call).items if item.block == "declarations")
    for declaration in declarations.items:  # the regulation's, alternatives and all
        assert words(plain_text(declaration)) in text
    assert set(POLISH_LETTERS) <= set(text)


def test_the_draft_carries_the_same_texts(draft_pdf, application, organization):
    text = body_text(draft_pdf)
    assert [item for item in texts_of(application, organization) if words(item) not in text] == []


def test_every_font_is_embedded_and_none_is_a_builtin_one(submitted_pdf, draft_pdf, call, tmp_path):
    blank = pdf_file(tmp_path, blank_form_pdf(call), "pusty.pdf")
    for path in (submitted_pdf, draft_pdf, blank):
        rows = fonts(path)
        assert rows, "no fonts at all?"
        assert all(row["emb"] == "yes" for row in rows), rows
        assert not [row for row in rows if "Helvetica" in row["name"] or "Type 1" in row["type"]]
        assert all("DejaVuSans" in row["name"] for row in rows)


def test_the_control_sum_is_on_every_page(submitted_pdf, stamp):
    pages = page_texts(submitted_pdf)
    assert len(pages) == page_count(submitted_pdf) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Suma kontrolna: {stamp.control_sum}" in page, f"page {number}"
        assert set(CONTROL_SUM.findall(page)) == {stamp.control_sum}
        assert stamp.submission_id in page
        assert f"Strona {number} z {len(pages)}" in page
        assert "SZKIC" not in page


def test_the_confirmation_page_ends_the_submitted_version(
    submitted_pdf, stamp, application, organization, call, tmp_path
):
    last = words(page_texts(submitted_pdf)[-1])
    assert "POTWIERDZENIE ZŁOŻENIA OFERTY" in last
    for expected in (
        organization.name,
        words(call.name),
        words(application.title),
        format_money(BudgetSummary(application.budget, call).grant),
        "03.06.2027 14:27",
        stamp.submission_id,
        stamp.sha256,
    ):
        assert expected in last
    assert decode_qr_of_last_page(submitted_pdf, tmp_path) == stamp.qr_payload


def test_a_draft_says_so_on_every_page_and_has_no_control_sum(draft_pdf):
    pages = page_texts(draft_pdf)
    assert len(pages) == page_count(draft_pdf)
    for number, page in enumerate(pages, start=1):
        assert "SZKIC – NIE DO ZŁOŻENIA" in page, f"page {number}"
        assert not CONTROL_SUM.search(page)
        assert "Suma kontrolna:" not in page
        assert f"Strona {number} z {len(pages)}" in page
    assert "POTWIERDZENIE" not in pages[-1]


def test_amounts_are_printed_polish_style(submitted_pdf, application, call):
    text = body_text(submitted_pdf)
    summary = BudgetSummary(application.budget, call)
    for line in application.budget:
        assert format_number(line.total) in text, line.name
        assert format_number(line.unit_cost) in text, line.name
    by_group = summary.by_group()
    assert f"I. Koszty realizacji działań {format_number(by_group[CostGroup.ACTIONS])}" in text
    assert f"II. Koszty administracyjne {format_number(by_group[CostGroup.ADMIN])}" in text
    assert (
        f"III. Suma wszystkich kosztów realizacji zadania {format_number(summary.total)}"
    ) in text
    assert format_number(summary.total) == "36 315,00"  # the demo's budget, Polish digit groups

    def share(amount: Decimal) -> str:
        return format_percent(amount * 100 / summary.total, 2)

    source = summary.source_total
    grant, financial = source(FundingSource.GRANT), source(FundingSource.OWN_FINANCIAL)
    non_financial = source(FundingSource.OWN_PERSONAL) + source(FundingSource.OWN_IN_KIND)
    for label, amount in (
        ("1 Suma wszystkich kosztów realizacji zadania", summary.total),
        ("2 Planowana dotacja w ramach niniejszej oferty", grant),
        ("3 Wkład własny 4)", financial + non_financial),
        ("3.1 Wkład własny finansowy", financial),
        ("3.2 Wkład własny niefinansowy (osobowy i rzeczowy)", non_financial),
        ("4 Świadczenia pieniężne od odbiorców zadania 5)", source(FundingSource.PARTICIPANTS)),
    ):
        assert f"{label} {format_money(amount)} {share(amount)}" in text, label
    assert not re.search(r"(?<![\d.])\d+\.\d\d(?![\d.])", text)  # no "36315.00" (dates are fine)


def test_the_calls_own_points_print_in_place_and_marked_as_the_operators(
    call, application, organization, tmp_path
):
    own = (
        OwnPoint(
            "III.7", "III.6", "Punkt operatora: skąd dowiedzieliście się o naborze? żółw", "other"
        ),
        OwnPoint("VII.8", "VII", "Oświadczenia wymagane w naborze", "call_declarations"),
    )
    changed = replace(call, own_points=call.own_points + own)
    text = body_text(pdf_file(tmp_path, application_pdf(application, organization, changed)))
    marked = words(f"7. {own[0].label} {i18n.tr('pdf.operator_point')}")
    assert marked in text
    # After the template's III.6 and its table, before part IV.
    assert text.index("6. Dodatkowe informacje dotyczące rezultatów") < text.index(marked)
    assert text.index(marked) < text.index("IV. Charakterystyka oferenta")
    assert words(application.other_information) in text[text.index(marked) :]
    # The call's own declarations after the regulation's, with the program's ticks.
    after = text[text.index("Oświadczenia wymagane w naborze") :]
    assert words(call.declarations[0].text) in after and "☑ potwierdzone" in after


def test_the_simplified_call_prints_the_2055_template(calls, organization, tmp_path):
    call = calls["art19a-2027-przyklad"]
    application = demo_application(organization.id, call)
    path = pdf_file(tmp_path, application_pdf(application, organization, call))
    text = body_text(path)
    template = offer_template(call)
    assert template.regulation == "Dz.U. 2018 poz. 2055"
    assert "UPROSZCZONA OFERTA REALIZACJI ZADANIA PUBLICZNEGO" in text
    assert "(poz. 2055)" in text
    labels = [words(label) for label in template_labels(template, {"year": "2027"})]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    # Its own content mapping: the title under I.2, the declarations under V.
    assert f"2. Tytuł zadania publicznego {words(application.title)}" in text
    assert "V. Oświadczenia" in text
    missing = [item for item in texts_of(application, organization) if words(item) not in text]
    assert missing == []


@pytest.mark.parametrize(
    "call_id", ["mms-2027-p1-przyklad", "art19a-2027-przyklad", "mms-2027-regranting-przyklad"]
)
def test_the_blank_form_has_the_templates_points_and_nothing_of_an_application(
    calls, call_id, tmp_path
):
    call = calls[call_id]
    path = pdf_file(tmp_path, blank_form_pdf(call))
    pages = page_texts(path)
    text = body_text(path)
    template = offer_template(call)
    labels = [words(label) for label in template_labels(template)]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    declarations = next(item for item in template.items if item.block == "declarations")
    for declaration in declarations.items:  # every alternative whole, for the pen
        assert words(plain_text(declaration)) in text
    everything = words("".join(pages))
    for demo_text in ("Łękawk", "Smaki", "Żółkiewska", "Koło Gospodyń", "36 315"):
        assert demo_text not in everything
    for number, page in enumerate(pages, start=1):
        assert "nie do złożenia" in page.lower(), f"page {number}"
        assert f"Strona {number} z {len(pages)}" in page
        assert not CONTROL_SUM.search(page)
    assert words(plain_text(template.signature_caption)) in text
    assert "Data" in text and "podpis" in text
    # The informal group's block only where the call admits informal groups.
    assert (i18n.tr("pdf.group.members") in text) == call.admits_informal_groups
    assert ink_in_margin(path, tmp_path) == dict.fromkeys(range(1, len(pages) + 1), 0)


def test_a_very_long_application_breaks_across_pages_inside_the_margins(tmp_path):
    benchmark = load_benchmark()
    call = benchmark.demo_call()
    organization = benchmark.large_organization()
    application = benchmark.large_application(organization.id, call)
    stamp = benchmark.large_stamp()
    assert len(application.summary) == 5000
    assert (len(application.actions), len(application.budget)) == (40, 200)
    path = pdf_file(tmp_path, application_pdf(application, organization, call, stamp))
    pages = page_texts(path)
    assert len(pages) == page_count(path) >= 20
    for number, page in enumerate(pages, start=1):
        assert f"Strona {number} z {len(pages)}" in page
        assert stamp.control_sum in page
    text = body_text(path)
    website = organization.website  # one 200-character word: cut to fit its column
    missing = [item for item in texts_of(application, organization) if words(item) not in text]
    assert missing == [website]
    assert website in "".join(text.split())
    assert "& Spółka <razem>" in text  # escaped for the layout, printed as typed
    summary = BudgetSummary(application.budget, call)
    text = body_text(path)
    assert f"III. Suma wszystkich kosztów realizacji zadania {format_number(summary.total)}" in text
    assert decode_qr_of_last_page(path, tmp_path) == stamp.qr_payload
    dark = ink_in_margin(path, tmp_path)
    assert dark == dict.fromkeys(range(1, len(pages) + 1), 0)


def test_nothing_is_drawn_in_the_margins_of_the_demo(submitted_pdf, draft_pdf, tmp_path):
    for path in (submitted_pdf, draft_pdf):
        folder = tmp_path / path.parent.name
        folder.mkdir()
        assert set(ink_in_margin(path, folder).values()) == {0}


def test_a_text_that_cannot_fit_a_page_still_prints(
    application, organization, call, stamp, tmp_path
):
    """20,000 characters in one action's description, one unbroken 3,000-character word."""
    long_word = "Żółć" * 750
    huge = replace(application.actions[0], description=("Ćwiczenia ortografii. " * 900)[:20000])

    def with_word(word: str) -> Path:
        actions = (huge, replace(application.actions[1], name=word), *application.actions[2:])
        changed = replace(application, actions=actions, need=word)
        data = application_pdf(changed, organization, call, stamp)
        return pdf_file(tmp_path, data, f"{len(word)}.pdf")

    path = with_word(long_word)
    assert page_count(path) > 10
    text = body_text(path)
    assert text.count("Ćwiczenia ortografii.") == 900
    assert long_word in "".join(text.split())  # the text box: cut into lines, never lost
    # The table cell runs over pages between the other columns: count its letters.
    assert text.count("Ż") - body_text(with_word("")).count("Ż") == 2 * 750
    assert set(ink_in_margin(path, tmp_path).values()) == {0}


def test_an_informal_group_prints_its_members_and_patron(calls, tmp_path):
    group = Organization(
        id="grupa",
        name="Grupa nieformalna „Źródło”",
        legal_form=LegalForm.INFORMAL_GROUP,
        register_type=RegisterType.NONE,
        locality="Ślemień",
        members=(
            Person("Józef Gąsior", "lider grupy", "+48 600 000 001"),
            Person("Łucja Ćwik", "członkini"),
            Person("Żaneta Źrebiec", "członkini"),
        ),
        patron=Patron(
            name="Stowarzyszenie Przyjaciół Ślemienia",
            register_number="0000123456",
            nip="7821700239",
            address="ul. Szkolna 1, 34-323 Ślemień",
            representative="Stefania Łęcka",
        ),
    )
    expected = (
        "Józef Gąsior",
        "Łucja Ćwik",
        "Żaneta Źrebiec",
        "Stowarzyszenie Przyjaciół Ślemienia",
        "ul. Szkolna 1, 34-323 Ślemień",
        "Stefania Łęcka",
        "w imieniu Patrona",
    )
    for call_id in ("mms-2027-regranting-przyklad", DEMO_CALL_ID):
        call = calls[call_id]
        application = demo_application(group.id, call)
        path = pdf_file(tmp_path, application_pdf(application, group, call), f"{call_id}.pdf")
        text = body_text(path)
        if call.admits_informal_groups:
            assert [item for item in expected if item not in text] == [], call_id
            assert "3. Grupa nieformalna: członkowie grupy i dane Patrona" in text
        else:  # no Patron block or signature on a form whose call admits no groups
            assert [item for item in expected if item in text] == [], call_id


def test_an_empty_draft_prints_what_is_missing(call, tmp_path):
    empty = Application(id="pusty", organization_id="org", call_id=call.id)
    path = pdf_file(tmp_path, application_pdf(empty, Organization(id="org"), call))
    text = body_text(path)
    assert "(nie wypełniono)" in text
    assert "nie dotyczy" in text
    assert "imię i nazwisko, funkcja" in text  # empty signature blocks to fill by hand


def test_metadata_and_identical_output_for_the_same_input(
    application, organization, call, stamp, submitted_pdf
):
    info = pdf_info(submitted_pdf)
    assert info["Title"] == application.title
    assert info["Author"] == organization.name
    assert info["Subject"] == call.name
    assert info["Creator"] == "mms-desktop"
    assert info["Page size"].startswith("595.276 x 841.89")  # A4
    again = application_pdf(application, organization, call, stamp)
    assert again == application_pdf(application, organization, call, stamp)


def test_english_printout_and_the_language_is_put_back(
    application, organization, call, stamp, tmp_path
):
    assert i18n.language() == "pl"
    path = pdf_file(
        tmp_path, application_pdf(application, organization, call, stamp, language="en")
    )
    pages = page_texts(path)
    # The regulation's form keeps its Polish wording; the program's own words are English.
    assert "OFERTA REALIZACJI ZADANIA PUBLICZNEGO" in pages[0]
    assert "Pouczenie co do sposobu wypełniania oferty" in pages[0]
    assert "Printed version" in pages[0] and "Call" in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Control sum: {stamp.control_sum}" in pages[-1]
    assert i18n.language() == "pl"


def test_the_pdf_catalogs_agree_and_hold_every_key_the_code_uses():
    # pdf.json and the PDF parts kept in their own files (pdf_attachments.json, …).
    catalogs = {
        language: {
            key: value
            for path in sorted(resource_path("i18n", language).glob("pdf*.json"))
            for key, value in json.loads(path.read_text("utf-8")).items()
        }
        for language in i18n.LANGUAGES
    }
    assert catalogs["pl"].keys() == catalogs["en"].keys()

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for key, template in catalogs["pl"].items():
        assert key.startswith("pdf.")
        assert fields(template) == fields(catalogs["en"][key]), key
    source = "".join(
        path.read_text("utf-8") for path in (ROOT / "mms_desktop" / "documents").glob("*.py")
    )
    used = set(re.findall(r"[\"'](pdf\.[a-z_.]+[a-z_])[\"']", source))
    used |= {f"pdf.leftover.{name}" for name in LEFTOVERS}
    used |= {f"pdf.paid_execution.{value.value}" for value in PaidExecution if value.value}
    assert used - catalogs["pl"].keys() == set()
