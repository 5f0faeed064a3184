"""Words a volunteer understands, through the installed program (``python -m mms_desktop``).

Files saved by Windows Notepad, dates and amounts written the Polish way in a file
that wants ISO dates and dot decimals, and the exit code of every command when the
data folder cannot be used — each run as a separate process on a real data folder.
"""

from __future__ import annotations

import codecs
import copy
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import Program, store_digest
from demo_support import the_draft
from wine import stop_under_wine

from mms_desktop import i18n
from mms_desktop.paths import STORE_FILE
from mms_desktop.resources import resource_path
from mms_desktop.services import reports
from mms_desktop.services.workspace import Workspace


@pytest.fixture
def program(data_dir: Path) -> Program:
    return Program(data_dir)


@pytest.fixture
def draft_id(program: Program) -> str:
    code, _, err = program("demo")
    assert code == 0, err
    return str(the_draft(program.listing())["id"])


@pytest.fixture
def exported(program: Program, draft_id: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "wniosek.json"
    code, _, err = program("export-json", draft_id, "--out", out)
    assert (code, err) == (0, "")
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def notepad_text(document: dict[str, Any]) -> str:
    # Notepad keeps the line ends it is given; a user's edited file has CRLF.
    return json.dumps(document, ensure_ascii=False, indent=2).replace("\n", "\r\n")


# --- 1. files saved by Notepad ------------------------------------------------------

NOTEPAD_ENCODINGS = {
    # Notepad's "UTF-8 with BOM" (its default before Windows 10 1903, still offered)
    "utf8_bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    # Notepad's "Unicode" (UTF-16 little endian, with its mark)
    "unicode": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    # Notepad's "Unicode big endian"
    "unicode_big_endian": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


@pytest.mark.parametrize("encoding", sorted(NOTEPAD_ENCODINGS))
def test_an_application_saved_by_notepad_imports(
    program: Program, exported: dict[str, Any], tmp_path: Path, encoding: str
) -> None:
    exported["application"]["title"] = "Zażółć gęślą jaźń – poprawione w Notatniku"
    path = tmp_path / f"{encoding}.json"
    path.write_bytes(NOTEPAD_ENCODINGS[encoding](notepad_text(exported)))

    code, out, err = program("import-json", path)

    assert (code, err) == (0, "")
    new_id = out.strip()
    [imported] = [app for app in program.listing()["applications"] if app["id"] == new_id]
    assert imported["title"] == "Zażółć gęślą jaźń – poprawione w Notatniku"


@pytest.mark.parametrize("encoding", sorted(NOTEPAD_ENCODINGS))
def test_a_call_saved_by_notepad_imports(program: Program, tmp_path: Path, encoding: str) -> None:
    call = json.loads(resource_path("calls", "mms-2027-p1-przyklad.json").read_text("utf-8"))
    call.update(id="gmina-lekawka-2027", version=1, name="Łękawka dla młodych 2027")
    path = tmp_path / f"nabor-{encoding}.json"
    path.write_bytes(NOTEPAD_ENCODINGS[encoding](notepad_text(call)))

    code, out, err = program("import-call", path)

    assert (code, err) == (0, "")
    assert "Łękawka dla młodych 2027" in out
    code, out, _ = program("calls", "--json")
    assert "gmina-lekawka-2027" in {item["id"] for item in json.loads(out)}


def test_utf16_without_its_mark_is_refused_naming_the_encoding(
    program: Program, exported: dict[str, Any], tmp_path: Path, data_dir: Path
) -> None:
    path = tmp_path / "bez-znacznika.json"
    path.write_bytes(notepad_text(exported).encode("utf-16-le"))
    before = store_digest(data_dir)

    code, out, err = program("import-json", path)

    assert (code, out) == (2, "")
    assert "UTF-16 bez znacznika" in err
    assert "Zapisz go w Notatniku jako UTF-8" in err
    assert "Nic nie zapisano" in err
    assert store_digest(data_dir) == before


def test_a_utf16_file_damaged_after_its_mark_is_refused_in_words(
    program: Program, draft_id: str, tmp_path: Path, data_dir: Path
) -> None:
    path = tmp_path / "uszkodzony.json"
    # A lone high surrogate: no UTF-16 text can hold it.
    path.write_bytes(codecs.BOM_UTF16_LE + '{"a": "'.encode("utf-16-le") + b"\x00\xd8")
    before = store_digest(data_dir)
    code, out, err = program("import-json", path)
    assert (code, out) == (2, "")
    assert "UTF-16" in err and "uszkodzony" in err
    assert store_digest(data_dir) == before


# --- 2. dates and amounts written the wrong way --------------------------------------


def _at(document: dict[str, Any], path: list[Any]) -> Any:
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    return target


# (where in the application file, the value written, the words stderr must hold)
APPLICATION_VALUES = {
    "polish_date": (
        ["application", "start_date"],
        "01.07.2027",
        ["pole application.start_date", "zły zapis daty", "2027-07-01", "„01.07.2027”"],
    ),
    "slashed_date_in_an_action": (
        ["application", "actions", 1, "end_date"],
        "2027/09/04",
        ["pole application.actions[2].end_date", "zły zapis daty", "2027-07-01"],
    ),
    "impossible_date": (
        ["application", "end_date"],
        "2027-02-30",
        ["pole application.end_date", "taka data nie istnieje", "„2027-02-30”"],
    ),
    "polish_amount": (
        ["application", "budget", 1, "unit_cost"],
        "1 234,56 zł",
        ["pole application.budget[2].unit_cost", "zły zapis kwoty", '"1234.56"', "„1 234,56 zł”"],
    ),
    "comma_amount": (
        ["application", "budget", 0, "grant"],
        "120,00",
        ["pole application.budget[1].grant", "z kropką przed groszami", "„120,00”"],
    ),
    "amount_as_a_number": (
        ["application", "budget", 2, "own_financial"],
        1234.56,
        ["pole application.budget[3].own_financial", "tekst w cudzysłowie", "„1234.56”"],
    ),
}


@pytest.mark.parametrize("case", sorted(APPLICATION_VALUES))
def test_an_application_file_says_which_form_a_date_or_amount_wants(
    program: Program, exported: dict[str, Any], tmp_path: Path, data_dir: Path, case: str
) -> None:
    path_in_file, value, words = APPLICATION_VALUES[case]
    document = copy.deepcopy(exported)
    _at(document, path_in_file)[path_in_file[-1]] = value
    path = tmp_path / f"{case}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = store_digest(data_dir)

    code, out, err = program("import-json", path)

    assert (code, out) == (2, "")
    for word in words:
        assert word in err
    assert "niemożliwa" not in err
    assert "Nic nie zapisano" in err
    assert store_digest(data_dir) == before


def test_the_form_a_file_wants_is_said_in_english_too(
    program: Program, exported: dict[str, Any], tmp_path: Path
) -> None:
    exported["application"]["start_date"] = "01.07.2027"
    path = tmp_path / "en.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    code, _, err = program("--language", "en", "import-json", path)
    assert code == 2
    assert err.startswith("Error: File rejected – field application.start_date:")
    assert "year-month-day, e.g. 2027-07-01" in err and "“01.07.2027”" in err


def _call_with(change: Any) -> dict[str, Any]:
    call: dict[str, Any] = json.loads(
        resource_path("calls", "mms-2027-p1-przyklad.json").read_text("utf-8")
    )
    call.update(id="gmina-lekawka-2027", version=1)
    change(call)
    return call


CALL_VALUES = {
    "polish_date": (
        lambda c: c.update(task_earliest_start="01.07.2027"),
        ["pole task_earliest_start", "zły zapis daty", "2027-07-01", "„01.07.2027”"],
    ),
    "impossible_date": (
        lambda c: c.update(task_latest_end="2027-11-31"),
        ["pole task_latest_end", "taka data nie istnieje", "„2027-11-31”"],
    ),
    "deadline_without_time": (
        lambda c: c.update(deadline="09.06.2027 16:00"),
        ["pole deadline", "zły zapis terminu", "2027-06-09T16:00:00+02:00"],
    ),
    "polish_amount": (
        lambda c: c["rules"].update(grant_max="50 000,00 zł"),
        ["pole rules.grant_max", "zły zapis kwoty", '"1234.56"', "„50 000,00 zł”"],
    ),
    "percent_with_a_sign": (
        lambda c: c["rules"].update(admin_cap_percent="10%"),
        ["pole rules.admin_cap_percent", "zły zapis procentu", '"12.5"', "„10%”"],
    ),
}


@pytest.mark.parametrize("case", sorted(CALL_VALUES))
def test_a_call_file_says_which_form_a_date_or_amount_wants(
    program: Program, tmp_path: Path, case: str
) -> None:
    change, words = CALL_VALUES[case]
    path = tmp_path / f"{case}.json"
    path.write_text(json.dumps(_call_with(change), ensure_ascii=False), encoding="utf-8")

    code, out, err = program("import-call", path)

    assert (code, out) == (2, "")
    for word in words:
        assert word in err
    code, out, _ = program("calls", "--json")
    assert "gmina-lekawka-2027" not in {item["id"] for item in json.loads(out)}


@pytest.fixture
def report_document(data_dir: Path) -> Iterator[dict[str, Any]]:
    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
        yield reports.document(workspace, ids.report_id)


REPORT_VALUES = {
    "polish_invoice_date": (
        ["report", "documents", 0, "issue_date"],
        "12.08.2027",
        "report.documents[1].issue_date",
        "schema.date_format",
    ),
    "impossible_payment_date": (
        ["report", "documents", 0, "payment_date"],
        "2027-09-31",
        "report.documents[1].payment_date",
        "schema.impossible_date",
    ),
    "polish_invoice_amount": (
        ["report", "documents", 0, "amount"],
        "1 450,00 zł",
        "report.documents[1].amount",
        "schema.amount_format",
    ),
}


@pytest.mark.parametrize("case", sorted(REPORT_VALUES))
def test_a_report_file_says_which_form_a_date_or_amount_wants(
    report_document: dict[str, Any], case: str
) -> None:
    """The operator's check of an arriving report (the service the server runs)."""
    from mms_operator.validation import SchemaCatalog

    path_in_file, value, field, key = REPORT_VALUES[case]
    assert SchemaCatalog().schema_problem(report_document, "report") is None
    document = copy.deepcopy(report_document)
    _at(document, path_in_file)[path_in_file[-1]] = value

    problem = SchemaCatalog().schema_problem(document, "report")

    assert problem == (field, i18n.tr(key))
    assert ("2027-07-01" in problem[1]) == (key == "schema.date_format")
    assert ('"1234.56"' in problem[1]) == (key == "schema.amount_format")


# --- 4. exit codes --------------------------------------------------------------------


class Files:
    """What the commands are given: a demo's ids and files outside the data folder."""

    def __init__(self, program: Program, draft_id: str, tmp_path: Path) -> None:
        listing = program.listing()
        self.draft_id = draft_id
        self.report_id = listing["reports"][0]["id"]
        self.out = tmp_path / "wyniki"
        self.out.mkdir()
        self.application = tmp_path / "wniosek.json"
        assert program("export-json", draft_id, "--out", self.application)[0] == 0
        self.report_file = tmp_path / "sprawozdanie.json"
        assert program("report-export-json", self.report_id, "--out", self.report_file)[0] == 0
        self.bundle = tmp_path / "pakiet.mms"
        assert program("export-bundle", "--out", self.bundle)[0] == 0
        code, out, _ = program("backup")
        assert code == 0
        self.backup = Path(out.strip()).name
        self.scan = tmp_path / "skan.pdf"
        self.scan.write_bytes(b"%PDF-1.4\n% skan statutu\n")
        call = json.loads(resource_path("calls", "mms-2027-p1-przyklad.json").read_text("utf-8"))
        call.update(id="gmina-lekawka-2027", version=1)
        self.call = tmp_path / "nabor.json"
        self.call.write_text(json.dumps(call), encoding="utf-8")

    def commands(self) -> dict[str, tuple[object, ...]]:
        """Every command of the program with arguments it would accept."""
        return {
            "demo": (),
            "list": ("--json",),
            "calls": (),
            "import-call": (self.call,),
            "validate": (self.draft_id,),
            "export-json": (self.draft_id, "--out", self.out / "w.json"),
            "import-json": (self.application,),
            "export-pdf": (self.draft_id, "--out", self.out / "w.pdf"),
            "submit": (self.draft_id,),
            "attach": (self.draft_id, self.scan),
            "login": ("--server", "http://127.0.0.1:9"),
            "sync": ("--server", "http://127.0.0.1:9"),
            "outbox": (),
            "report-new": (self.draft_id,),
            "report-validate": (self.report_id,),
            "report-pdf": (self.report_id, "--out", self.out / "s.pdf"),
            "report-submit": (self.report_id,),
            "report-attach": (self.report_id, self.scan),
            "report-export-json": (self.report_id, "--out", self.out / "s.json"),
            "report-import-json": (self.report_file,),
            "backup": (),
            "backups": (),
            "restore": (self.backup,),
            "check": (),
            "export-bundle": ("--out", self.out / "p.mms"),
            "import-bundle": (self.bundle, "--merge"),
        }


@pytest.fixture
def files(program: Program, draft_id: str, tmp_path: Path) -> Files:
    return Files(program, draft_id, tmp_path)


def test_the_matrix_covers_every_command(files: Files) -> None:
    from mms_desktop.cli import COMMANDS, DATA_DIR_COMMANDS

    assert set(files.commands()) == set(COMMANDS) | set(DATA_DIR_COMMANDS)


def exit_codes(
    program: Program, files: Files, data_dir: Path, skip: tuple[str, ...] = ()
) -> dict[str, tuple[int, str]]:
    return {
        name: program(name, *args, data_dir=data_dir)[::2]  # (code, stderr)
        for name, args in files.commands().items()
        if name not in skip
    }


def test_a_file_where_the_data_folder_should_be_exits_3_for_every_command(
    program: Program, files: Files, tmp_path: Path
) -> None:
    blocker = tmp_path / "dane-mms"
    blocker.write_text("notatki, nie folder", encoding="utf-8")
    for target in (blocker, blocker / "dane"):  # the folder itself, or one above it
        codes = exit_codes(program, files, target)
        assert {name: code for name, (code, _) in codes.items()} == dict.fromkeys(codes, 3)
        for _, err in codes.values():
            assert f"W miejscu folderu danych {blocker} jest plik" in err
    assert blocker.read_text(encoding="utf-8") == "notatki, nie folder"


def test_a_store_from_a_newer_version_exits_3_for_every_command_that_opens_it(
    program: Program, files: Files, data_dir: Path
) -> None:
    raw = sqlite3.connect(data_dir / STORE_FILE)
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    before = (data_dir / STORE_FILE).read_bytes()
    # backups and check read what is there; restore would replace the store (tested below).
    codes = exit_codes(program, files, data_dir, skip=("backups", "check", "restore"))
    assert {name: code for name, (code, _) in codes.items()} == dict.fromkeys(codes, 3)
    for _, err in codes.values():
        assert "nowsza wersja programu" in err
    assert (data_dir / STORE_FILE).read_bytes() == before
    assert program("backups")[0] == 0


def test_a_damaged_store_exits_3_for_every_command_and_check_says_so(
    program: Program, files: Files, data_dir: Path
) -> None:
    store = data_dir / STORE_FILE
    junk = bytes(range(256)) * 64
    store.write_bytes(junk)
    codes = exit_codes(program, files, data_dir, skip=("backups", "restore"))
    assert {name: code for name, (code, _) in codes.items()} == dict.fromkeys(codes, 3)
    assert store.read_bytes() == junk
    code, out, _ = program("check")
    assert code == 3
    assert "jest USZKODZONY" in out and f"mms-desktop restore {files.backup}" in out
    # The way out still works: the list of backups, and the restore, exit 0.
    assert program("backups")[0] == 0
    assert program("restore", files.backup)[0] == 0
    assert program("check")[0] == 0


@pytest.fixture
def read_only_copy(tmp_path: Path, data_dir: Path) -> Iterator[Path]:
    """The data folder on a tmpfs remounted read-only (the tests run as root, so
    permission bits would not stop a write; a read-only mount does)."""
    stop_under_wine("mount, for a tmpfs remounted read-only")
    mount_point = tmp_path / "tylko-odczyt"
    mount_point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount_point)],
        check=True,
        capture_output=True,
    )
    try:
        shutil.copytree(data_dir, mount_point / "dane")
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
        yield mount_point / "dane"
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False, capture_output=True)


def test_a_read_only_data_folder_exits_3_for_every_command_that_writes(
    program: Program, files: Files, read_only_copy: Path
) -> None:
    before = {p: p.read_bytes() for p in read_only_copy.rglob("*") if p.is_file()}
    codes = exit_codes(program, files, read_only_copy, skip=("backups", "check"))
    assert {name: code for name, (code, _) in codes.items()} == dict.fromkeys(codes, 3)
    for name, (_, err) in codes.items():
        assert "tylko do odczytu" in err or "Read-only file system" in err, name
    # Reading what is there is no use of the folder that fails.
    assert program("check", data_dir=read_only_copy)[0] == 0
    assert program("backups", data_dir=read_only_copy)[0] == 0
    assert {p: p.read_bytes() for p in read_only_copy.rglob("*") if p.is_file()} == before


def test_submit_refused_for_blocking_findings_exits_1_and_freezes_nothing(
    program: Program, draft_id: str, data_dir: Path
) -> None:
    with Workspace.open(data_dir) as workspace:
        workspace.store.update_organization(
            workspace.application(draft_id).organization_id, nip="1234567890"
        )
        report_id = workspace.store.list_reports()[0].id
    before = store_digest(data_dir)

    code, out, err = program("submit", draft_id)
    assert (code, out) == (1, "")
    assert err.startswith("Błąd: ") and "NIP jest niepoprawny" in err

    code, out, err = program("report-submit", report_id)
    assert (code, out) == (1, "")
    assert "Sprawozdania nie można złożyć" in err

    assert store_digest(data_dir) == before
    code, out, _ = program("outbox", "--json")
    assert json.loads(out) == []
    # validate agrees: the same findings, the same exit code.
    assert program("validate", draft_id)[0] == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("polecenie-ktorego-nie-ma",), 2),
        (("validate",), 2),
        (("export-pdf", "--blank"), 2),
        (("validate", "nie-ma-takiego-wniosku"), 2),
        (("report-pdf", "nie-ma-takiego", "--out", "x.pdf"), 2),
        (("list",), 0),
        (("calls", "--json"), 0),
    ],
)
def test_bad_use_exits_2_and_success_0(
    program: Program, draft_id: str, args: tuple[str, ...], code: int
) -> None:
    assert program(*args)[0] == code
