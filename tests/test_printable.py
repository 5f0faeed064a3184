"""An emoji or a character the printout's fonts lack is named before printing, never a silent box.

The PDFs set typed text in DejaVu Sans (regular and bold). What those faces draw
(Polish letters, ☃, ✓, €, many symbols) goes onto paper; what they lack (🎉, 👍,
Chinese) is named by the check — the field, the character and its code — and
again by the command that writes the PDF.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import Program
from pdf_readback import pdf_text
from reportlab.pdfbase.ttfonts import TTFontFile

from mms_desktop.domain import printable
from mms_desktop.resources import resource_path
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.storage.store import ACTIONS

TITLE = "Piknik rodzinny 🎉 pod bałwanem ☃"
SUMMARY = "Tańce 👯 i pierniki ✓ – 100 € na 中文 warsztaty"


def test_the_list_of_drawn_characters_is_the_fonts_own() -> None:
    """The domain's copy of the fonts' tables, compared with the font files themselves."""
    faces = [
        set(TTFontFile(str(resource_path("fonts", name))).charToGlyph)
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    ]
    in_both = faces[0] & faces[1]
    listed = {
        code
        for item in printable.DRAWN.split()
        for first, _, last in [item.partition("-")]
        for code in range(int(first, 16), int(last or first, 16) + 1)
    }
    assert listed == in_both
    assert (
        "".join(c for c in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ☃✓€„”–" if printable.is_drawn(c))
        == "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ☃✓€„”–"
    )
    assert printable.undrawn("🎉 ☃ 👍 中 🎉") == ["🎉", "👍", "中"]


@dataclass(frozen=True)
class Unusual:
    """Fields whose hints do not say "text" plainly: still read, by what they hold."""

    notes: list[str]
    extra: dict[str, str]
    later: NotImportedHere  # type: ignore[name-defined]  # noqa: F821


def test_text_in_fields_of_any_shape_is_checked() -> None:
    found = printable.unprintable(Unusual(["ok", "🎉"], {"a": "b", "c": "👍"}, ("中",)), "x")
    assert [(finding.field, finding.params["characters"]) for finding in found] == [
        ("x.notes[2]", "🎉 (U+1F389)"),
        ("x.extra.c", "👍 (U+1F44D)"),
        ("x.later[1]", "中 (U+4E2D)"),
    ]


@pytest.fixture
def program(data_dir: Path) -> Program:
    return Program(data_dir)


@pytest.fixture
def festive(workspace: Workspace, demo_ids: DemoIds) -> str:
    workspace.store.update_application(demo_ids.application_id, title=TITLE, summary=SUMMARY)
    second = workspace.application(demo_ids.application_id).actions[1]
    workspace.store.update_row(ACTIONS, second.id, name="Konkurs wypieków 🥳")
    return demo_ids.application_id


def test_the_check_names_the_field_and_the_character_before_printing(
    program: Program, festive: str
) -> None:
    code, out, err = program("validate", festive, "--json")
    assert (code, err) == (0, "")  # a warning: the electronic file keeps the emoji whole
    named = {f["field"]: f for f in json.loads(out) if f["code"] == "TEXT_NOT_PRINTABLE"}
    assert set(named) == {
        "application.title",
        "application.summary",
        "application.actions[2].name",
    }
    assert named["application.actions[2].name"]["message"].startswith(
        "W polu „Działanie 2 – nazwa” jest coś, czego wydruk nie pokaże: 🥳 (U+1F973)."
    )
    assert named["application.title"]["severity"] == "warning"
    assert named["application.title"]["message"] == (
        "W polu „Tytuł zadania” jest coś, czego wydruk nie pokaże: 🎉 (U+1F389). "
        "Usuń to albo zamień (np. słowem) – na papierze byłby tam pusty kwadrat."
    )
    summary = named["application.summary"]["message"]
    assert "👯 (U+1F46F), 中 (U+4E2D), 文 (U+6587)" in summary
    # What DejaVu draws is not named: exactly the three it lacks, nothing else.
    assert summary.split(": ", 1)[1].startswith("👯 (U+1F46F), 中 (U+4E2D), 文 (U+6587). ")
    assert "☃" not in named["application.title"]["message"]

    code, out, _ = program("--language", "en", "validate", festive)
    assert "The field “Title of the task” holds something the printout cannot show: 🎉" in out


def test_export_pdf_says_so_and_draws_every_character_its_fonts_have(
    program: Program, festive: str, tmp_path: Path
) -> None:
    out_file = tmp_path / "wniosek.pdf"
    code, out, err = program("export-pdf", festive, "--out", out_file)

    assert code == 0
    assert str(out_file) in out
    assert "Uwaga: W polu „Tytuł zadania” jest coś, czego wydruk nie pokaże: 🎉 (U+1F389)" in err
    assert "W polu „Syntetyczny opis zadania”" in err
    assert "pól ze znakami, których na papierze nie widać, jest: 3" in err

    text = " ".join(pdf_text(out_file).split())
    for word in ("Piknik rodzinny", "pod bałwanem ☃", "pierniki ✓", "100 €"):
        assert word in text
    fonts = subprocess.run(
        ["pdffonts", str(out_file)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    # Every font in the file is an embedded DejaVu face: nothing fell back to a
    # built-in PDF font (which has no ą, let alone ☃).
    assert fonts and all("DejaVuSans" in line and " yes yes " in line for line in fonts)

    # The same version prints to the same bytes (the check changes nothing on paper).
    again = tmp_path / "jeszcze-raz.pdf"
    assert program("export-pdf", festive, "--out", again)[0] == 0
    assert hashlib.sha256(again.read_bytes()).digest() == (
        hashlib.sha256(out_file.read_bytes()).digest()
    )


def test_a_clean_application_prints_without_a_word_of_warning(
    program: Program, demo_ids: DemoIds, tmp_path: Path
) -> None:
    code, _, err = program("export-pdf", demo_ids.application_id, "--out", tmp_path / "w.pdf")
    assert (code, err) == (0, "")


def test_report_pdf_names_what_its_fonts_lack(
    program: Program, workspace: Workspace, demo_ids: DemoIds, tmp_path: Path
) -> None:
    workspace.store.update_report(demo_ids.report_id, summary="Koncert się udał 👍 – dziękujemy ☺")
    code, out, _ = program("report-validate", demo_ids.report_id, "--json")
    [named] = [f for f in json.loads(out) if f["code"] == "TEXT_NOT_PRINTABLE"]
    assert named["field"] == "report.summary"
    assert "👍 (U+1F44D)" in named["message"] and "☺" not in named["message"]

    out_file = tmp_path / "sprawozdanie.pdf"
    code, _, err = program("report-pdf", demo_ids.report_id, "--out", out_file)
    assert code == 0
    assert "👍 (U+1F44D)" in err
    assert "Koncert się udał" in pdf_text(out_file) and "dziękujemy ☺" in pdf_text(out_file)
