"""The command line as a user or a script meets it: output, exit codes, words, untouched data."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from demo_support import the_draft

from mms_desktop import __version__
from mms_desktop.domain.application import BudgetLine
from mms_desktop.domain.ids import new_id
from mms_desktop.paths import STORE_FILE
from mms_desktop.resources import resource_path
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.storage.folder_lock import LOCK_FILE
from mms_desktop.storage.store import ACTIONS, BUDGET

SHIPPED_CALLS = {"mms-2027-p1-przyklad", "mms-2027-regranting-przyklad", "art19a-2027-przyklad"}
POLISH_LETTERS = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def store_digest(data_dir: Path) -> str:
    """SHA-256 of every row of every table (read-only connection)."""
    conn = sqlite3.connect(f"file:{data_dir / STORE_FILE}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def listing(run_cli) -> dict[str, Any]:
    code, out, err = run_cli("list", "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def demo_app_id(run_cli) -> str:
    code, _, err = run_cli("demo")
    assert code == 0, err
    return str(the_draft(listing(run_cli))["id"])


def validate_json(run_cli, app_id: str, *extra: str) -> tuple[int, list[dict[str, str]]]:
    code, out, err = run_cli(*extra, "validate", app_id, "--json")
    assert err == ""
    return code, json.loads(out)


def without_ids(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the application's own ids replaced by row numbers."""
    doc = copy.deepcopy(document)
    app = doc["application"]
    numbers = {action["id"]: index for index, action in enumerate(app["actions"], start=1)}
    del app["id"]
    for rows in ("actions", "results", "budget"):
        for row in app[rows]:
            del row["id"]
    for line in app["budget"]:
        line["action_id"] = numbers.get(line["action_id"], line["action_id"])
    return doc


def export(run_cli, app_id: str, out: Path) -> bytes:
    code, stdout, err = run_cli("export-json", app_id, "--out", str(out))
    assert (code, err) == (0, "")
    assert str(out) in stdout
    return out.read_bytes()


def shipped_call(call_id: str) -> dict[str, Any]:
    with resource_path("calls", f"{call_id}.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


# --- the real entry point ---------------------------------------------------


def subprocess_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(MMS_DATA_DIR=str(data_dir), MMS_CLOCK="2027-05-20T10:00:00+02:00", PYTHONUTF8="1")
    return env


def run_module(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mms_desktop", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_version_through_the_installed_program(data_dir: Path) -> None:
    done = run_module("--version", env=subprocess_env(data_dir))
    assert done.returncode == 0
    assert done.stdout.strip() == f"mms-desktop {__version__}"
    assert not data_dir.exists()  # asking the version touches no data


def test_demo_and_list_through_the_installed_program(data_dir: Path) -> None:
    env = subprocess_env(data_dir)
    demo = run_module("demo", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "Utworzono przykładową organizację" in demo.stdout
    assert (data_dir / STORE_FILE).is_file()  # MMS_DATA_DIR was used
    listed = run_module("list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    [org] = data["organizations"]
    app = the_draft(data)
    assert org["name"] == "Koło Gospodyń Wiejskich w Łękawce Górnej"
    assert app["organization_id"] == org["id"]
    assert app["id"] in demo.stdout and org["id"] in demo.stdout
    checked = run_module("validate", app["id"], env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "gotowy do wysłania" in checked.stdout


# --- demo, list, calls ------------------------------------------------------


def test_empty_data_folder_lists_nothing(run_cli) -> None:
    assert listing(run_cli) == {"organizations": [], "applications": [], "reports": []}
    code, out, _ = run_cli("list")
    assert code == 0
    assert "mms-desktop demo" in out  # tells how to start


def test_demo_then_list_json(run_cli) -> None:
    code, out, err = run_cli("demo")
    assert (code, err) == (0, "")
    data = listing(run_cli)
    assert set(data) == {"organizations", "applications", "reports"}
    [org] = data["organizations"]
    app = the_draft(data)
    assert set(org) == {"id", "name"}
    assert {"id", "organization_id", "call_id", "title", "status"} <= set(app)
    assert is_uuid(org["id"]) and is_uuid(app["id"])
    assert app["organization_id"] == org["id"]
    assert app["call_id"] == "mms-2027-p1-przyklad"
    assert app["status"] == "draft"
    assert "Łękawki" in app["title"]
    # …and an accepted application whose final report is under way.
    [accepted] = [item for item in data["applications"] if item["status"] == "accepted"]
    [report] = data["reports"]
    assert {"id", "application_id", "kind", "status"} <= set(report)
    assert (report["application_id"], report["kind"], report["status"]) == (
        accepted["id"],
        "final",
        "draft",
    )
    assert org["id"] in out and app["id"] in out and report["id"] in out


def test_list_in_words(run_cli) -> None:
    app_id = demo_app_id(run_cli)
    code, out, _ = run_cli("list")
    assert code == 0
    assert app_id in out
    assert "[szkic]" in out
    assert "Koło Gospodyń Wiejskich w Łękawce Górnej" in out


def test_calls_json_lists_the_shipped_calls(run_cli) -> None:
    code, out, err = run_cli("calls", "--json")
    assert (code, err) == (0, "")
    calls = json.loads(out)
    assert {call["id"] for call in calls} == SHIPPED_CALLS
    assert all(call["source"] == "bundled" for call in calls)
    p1 = next(call for call in calls if call["id"] == "mms-2027-p1-przyklad")
    assert p1["rules"]["grant_max"] == "50000.00"
    code, out, _ = run_cli("calls")
    assert code == 0
    for call_id in SHIPPED_CALLS:
        assert call_id in out
    assert "09.06.2027" in out  # the P1 deadline, written the Polish way


# --- validate ---------------------------------------------------------------


def test_validate_the_demo_is_clean(run_cli, clock) -> None:
    app_id = demo_app_id(run_cli)
    assert validate_json(run_cli, app_id) == (0, [])
    code, out, _ = run_cli("validate", app_id)
    assert code == 0
    assert "Wniosek jest gotowy do wysłania." in out


def test_validate_after_the_deadline_blocks(run_cli, monkeypatch) -> None:
    monkeypatch.setenv("MMS_CLOCK", "2027-06-09T16:00:00+02:00")
    app_id = demo_app_id(run_cli)
    code, findings = validate_json(run_cli, app_id)
    assert code == 1
    assert [f["code"] for f in findings] == ["DEADLINE_PASSED"]
    assert "09.06.2027" in findings[0]["message"]


def test_wrong_nip_blocks(run_cli, workspace: Workspace, demo_ids: DemoIds, clock) -> None:
    workspace.store.update_organization(demo_ids.organization_id, nip="1234567890")
    code, findings = validate_json(run_cli, demo_ids.application_id)
    assert code == 1
    assert [(f["code"], f["severity"], f["field"]) for f in findings] == [
        ("NIP_INVALID", "blocking", "organization.nip")
    ]
    message = findings[0]["message"]
    assert message.startswith("NIP jest niepoprawny")
    assert "cyfra kontrolna się nie zgadza" in message
    code, out, _ = run_cli("validate", demo_ids.application_id)
    assert code == 1
    assert "BŁĄD: NIP jest niepoprawny" in out
    assert "[NIP_INVALID]" in out
    assert "błędy blokujące: 1" in out


def test_admin_costs_over_the_cap_block(
    run_cli, workspace: Workspace, demo_ids: DemoIds, clock
) -> None:
    big = BudgetLine(
        new_id(),
        "administracja",
        None,
        "Koordynacja projektu",
        "mies.",
        Decimal("1500.00"),
        Decimal("5"),
        grant=Decimal("7500.00"),
    )
    workspace.store.add_row(BUDGET, demo_ids.application_id, big)
    code, findings = validate_json(run_cli, demo_ids.application_id)
    assert code == 1
    assert [(f["code"], f["field"]) for f in findings] == [
        ("ADMIN_CAP_EXCEEDED", "application.budget")
    ]
    message = findings[0]["message"]
    assert message.startswith("Koszty administracyjne:")
    assert "10 %" in message and "zł" in message


def test_raising_an_admin_line_past_the_cap_blocks(
    run_cli, workspace: Workspace, demo_ids: DemoIds, clock
) -> None:
    app = workspace.store.load_application(demo_ids.application_id)
    admin = next(
        line
        for line in app.budget
        if line.category_id == "administracja" and line.grant == line.total
    )
    workspace.store.update_row(
        BUDGET, admin.id, unit_cost=Decimal("2000.00"), grant=Decimal("2000.00") * admin.quantity
    )
    code, findings = validate_json(run_cli, demo_ids.application_id)
    assert code == 1
    assert [f["code"] for f in findings] == ["ADMIN_CAP_EXCEEDED"]


def test_action_outside_the_task_blocks(
    run_cli, workspace: Workspace, demo_ids: DemoIds, clock
) -> None:
    app = workspace.store.load_application(demo_ids.application_id)
    assert app.start_date is not None
    workspace.store.update_row(
        ACTIONS, app.actions[1].id, start_date=app.start_date - timedelta(days=10)
    )
    code, findings = validate_json(run_cli, demo_ids.application_id)
    assert code == 1
    assert [(f["code"], f["field"]) for f in findings] == [
        ("ACTION_OUTSIDE_TASK", "application.actions[2].start_date")
    ]
    message = findings[0]["message"]
    assert message.startswith("Działanie 2 wychodzi poza termin zadania")
    assert "01.07.2027" in message


@pytest.mark.parametrize("language_args", [("--language", "en"), ("--language=en",)])
def test_english_messages(
    run_cli, workspace: Workspace, demo_ids: DemoIds, clock, language_args: tuple[str, ...]
) -> None:
    workspace.store.update_organization(demo_ids.organization_id, nip="1234567890")
    code, findings = validate_json(run_cli, demo_ids.application_id, *language_args)
    assert code == 1
    [finding] = findings
    assert finding["code"] == "NIP_INVALID"
    assert finding["message"].startswith("The NIP is not valid")
    assert not POLISH_LETTERS.search(finding["message"])
    code, _, err = run_cli(*language_args, "validate", str(uuid.uuid4()))
    assert code == 2
    assert err.startswith("Error: ")
    # The next run without --language speaks Polish again.
    code, findings = validate_json(run_cli, demo_ids.application_id)
    assert findings[0]["message"].startswith("NIP jest niepoprawny")


def test_validate_an_unknown_application(run_cli) -> None:
    demo_app_id(run_cli)
    missing = str(uuid.uuid4())
    code, out, err = run_cli("validate", missing, "--json")
    assert code == 2
    assert out == ""
    assert err.startswith("Błąd: Nie ma wniosku")
    assert missing in err


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("export-json", "x"),
        ("frobnicate",),
        ("--language", "de", "list"),
    ],
)
def test_bad_use_exits_2(run_cli, args: tuple[str, ...]) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert out == ""
    assert "użycie: mms-desktop" in err  # argparse too speaks Polish


@pytest.mark.parametrize("args", [("--language", "de"), ("--data-dir",)])
def test_bad_options_of_the_window_are_told_with_the_usage_of_every_command(
    run_cli, args: tuple[str, ...]
) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert out == ""
    assert "użycie: mms-desktop" in err
    assert "COMMAND" in err


@pytest.mark.parametrize(
    ("arguments", "window_only"),
    [
        ((), True),
        (("--data-dir", "D"), True),
        (("--data-dir=D", "--language", "en"), True),
        (("--language=pl", "--data-dir", "D"), True),
        (("--data-dir", "D", "list"), False),
        (("--data-dir", "list"), True),  # a folder named so: still the window
        (("--language", "de"), False),
        (("--data-dir",), False),
        (("--data-dir", "--language", "en"), False),
        (("--help",), False),
        (("--data", "D"), False),  # argparse's abbreviations: the whole parser decides
        (("--version",), False),
    ],
)
def test_only_a_plain_start_of_the_window_skips_the_commands_parser(
    arguments: tuple[str, ...], window_only: bool
) -> None:
    from mms_desktop.cli import _window_only

    assert _window_only(arguments) is window_only


# --- export and import ------------------------------------------------------


def test_export_then_import_makes_an_equal_copy(run_cli, tmp_path: Path) -> None:
    original_id = demo_app_id(run_cli)
    exported = export(run_cli, original_id, tmp_path / "wniosek.json")

    code, out, err = run_cli("import-json", str(tmp_path / "wniosek.json"))
    assert (code, err) == (0, "")
    new_app_id = out.strip()
    assert is_uuid(new_app_id)
    assert new_app_id != original_id

    data = listing(run_cli)
    assert len(data["organizations"]) == 1  # the organisation is known: not duplicated
    drafts = {app["id"] for app in data["applications"] if app["status"] == "draft"}
    assert drafts == {original_id, new_app_id}

    copied = export(run_cli, new_app_id, tmp_path / "kopia.json")
    original_doc, copy_doc = json.loads(exported), json.loads(copied)
    assert copy_doc != original_doc  # new ids ...
    assert without_ids(copy_doc) == without_ids(original_doc)  # ... and nothing else differs
    new_ids = {
        row["id"]
        for rows in ("actions", "results", "budget")
        for row in copy_doc["application"][rows]
    }
    old_ids = {
        row["id"]
        for rows in ("actions", "results", "budget")
        for row in original_doc["application"][rows]
    }
    assert not new_ids & old_ids
    assert validate_json(run_cli, new_app_id)[1] == validate_json(run_cli, original_id)[1]


def test_import_into_another_data_folder(run_cli, tmp_path: Path) -> None:
    original_id = demo_app_id(run_cli)
    exported = export(run_cli, original_id, tmp_path / "wniosek.json")
    other = tmp_path / "inny-komputer"
    code, out, err = run_cli("import-json", str(tmp_path / "wniosek.json"), data_dir=other)
    assert (code, err) == (0, "")
    data = listing(lambda *a: run_cli(*a, data_dir=other))
    [org] = data["organizations"]
    assert org["name"] == "Koło Gospodyń Wiejskich w Łękawce Górnej"
    copied = export(lambda *a: run_cli(*a, data_dir=other), out.strip(), tmp_path / "k.json")
    assert without_ids(json.loads(copied)) == without_ids(json.loads(exported))


def test_exported_file_is_canonical(run_cli, tmp_path: Path) -> None:
    app_id = demo_app_id(run_cli)
    raw = export(run_cli, app_id, tmp_path / "wniosek.json")
    document = json.loads(raw.decode("utf-8"))
    again = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )
    assert raw == again
    assert "Łękawki".encode() in raw  # real UTF-8 letters, not \u escapes
    assert document["schema"] == "mms-application"
    assert document["call"] == {"id": "mms-2027-p1-przyklad", "version": 1}
    line = document["application"]["budget"][0]
    assert line["unit_cost"] == "120.00"
    assert not any(isinstance(value, float) for value in line.values())
    # Exporting twice gives the same bytes (the control sum is stable).
    assert export(run_cli, app_id, tmp_path / "drugi.json") == raw


def test_export_of_an_unknown_application(run_cli, tmp_path: Path) -> None:
    demo_app_id(run_cli)
    code, _, err = run_cli("export-json", str(uuid.uuid4()), "--out", str(tmp_path / "x.json"))
    assert code == 2
    assert "Nie ma wniosku" in err
    assert not (tmp_path / "x.json").exists()


@pytest.fixture
def good_document(run_cli, tmp_path: Path) -> dict[str, Any]:
    app_id = demo_app_id(run_cli)
    document: dict[str, Any] = json.loads(export(run_cli, app_id, tmp_path / "dobry.json"))
    return document


def _set(path: list[Any], value: Any) -> Any:
    def change(document: dict[str, Any]) -> dict[str, Any]:
        target: Any = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return document

    return change


def _delete(path: list[Any]) -> Any:
    def change(document: dict[str, Any]) -> dict[str, Any]:
        target: Any = document
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
        return document

    return change


def _unknown_call(document: dict[str, Any]) -> dict[str, Any]:
    document["call"]["id"] = "nabor-ktorego-nie-ma"
    document["application"]["call_id"] = "nabor-ktorego-nie-ma"
    return document


# (how the file is broken, what stderr must say)
BROKEN_DOCUMENTS = {
    "unit_cost_as_integer": (
        _set(["application", "budget", 0, "unit_cost"], 12),
        ["application.budget[1].unit_cost", "zły zapis kwoty", '"1234.56"', "„12”"],
    ),
    "title_as_number": (
        _set(["application", "title"], 2027),
        ["application.title", "zły rodzaj wartości"],
    ),
    "missing_title": (
        _delete(["application", "title"]),
        ["application.title", "brak wymaganego pola"],
    ),
    "missing_nip": (
        _delete(["organization", "nip"]),
        ["organization.nip", "brak wymaganego pola"],
    ),
    "impossible_date": (
        _set(["application", "actions", 2, "start_date"], "2027-02-30"),
        ["application.actions[3].start_date", "taka data nie istnieje", "„2027-02-30”"],
    ),
    "unknown_field": (
        _set(["application", "budget", 3, "vat"], "23"),
        ["application.budget[4].vat", "nieznane pole"],
    ),
    "schema_version_99": (
        _set(["schema_version"], 99),
        ["wersję formatu 99", "Zaktualizuj program"],
    ),
    "not_an_application": (
        _set(["schema"], "mms-call"),
        ["mms-call", "mms-application"],
    ),
    "unknown_call": (
        _unknown_call,
        ["nabor-ktorego-nie-ma", "Zaimportuj najpierw definicję naboru"],
    ),
    "line_on_a_missing_action": (
        _set(["application", "budget", 1, "action_id"], "ktos-skasowal"),
        ["application.budget[2].action_id", "działanie"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_DOCUMENTS))
def test_broken_document_is_refused_whole(
    run_cli, tmp_path: Path, data_dir: Path, good_document: dict[str, Any], case: str
) -> None:
    breakage, words = BROKEN_DOCUMENTS[case]
    path = write_json(tmp_path / f"{case}.json", breakage(copy.deepcopy(good_document)))
    before_list, before_rows = listing(run_cli), store_digest(data_dir)

    code, out, err = run_cli("import-json", str(path))

    assert code == 2
    assert out == ""
    assert err.startswith("Błąd: ")
    for word in words:
        assert word in err
    assert "Nic nie zapisano" in err
    assert listing(run_cli) == before_list
    assert store_digest(data_dir) == before_rows


def _float_unit_cost(good: dict[str, Any]) -> bytes:
    text = json.dumps(good, ensure_ascii=False)
    text = text.replace('"unit_cost": "120.00"', '"unit_cost": 12.5', 1)
    assert "12.5" in text
    return text.encode("utf-8")


BROKEN_FILES = {
    "not_json": (lambda good: b'{"schema": "mms-application", ', ["wierszu 1", "uszkodzony"]),
    "a_list": (lambda good: json.dumps([good]).encode(), ["nie zawiera dokumentu JSON"]),
    "empty": (lambda good: b"", ["uszkodzony"]),
    # A number where a decimal string belongs: refused at its field, never read as a float.
    "float_money": (
        _float_unit_cost,
        ["application.budget[1].unit_cost", "zły zapis kwoty", '"1234.56"', "„12.5”"],
    ),
    "not_utf8": (
        lambda good: json.dumps(good, ensure_ascii=False).encode("cp1250", errors="replace"),
        ["UTF-8"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_FILES))
def test_unreadable_file_is_refused(
    run_cli, tmp_path: Path, data_dir: Path, good_document: dict[str, Any], case: str
) -> None:
    make, words = BROKEN_FILES[case]
    path = tmp_path / f"{case}.json"
    path.write_bytes(make(good_document))
    before_list, before_rows = listing(run_cli), store_digest(data_dir)

    code, out, err = run_cli("import-json", str(path))

    assert code == 2
    assert out == ""
    assert err.startswith("Błąd: ")
    for word in words:
        assert word in err
    assert listing(run_cli) == before_list
    assert store_digest(data_dir) == before_rows


def test_import_of_a_missing_file(run_cli, tmp_path: Path, data_dir: Path) -> None:
    demo_app_id(run_cli)
    before_list, before_rows = listing(run_cli), store_digest(data_dir)
    missing = tmp_path / "nie-ma-mnie.json"
    code, out, err = run_cli("import-json", str(missing))
    assert code == 2
    assert out == ""
    assert err.startswith("Błąd: Nie ma pliku")
    assert str(missing) in err
    code, _, err = run_cli("import-json", str(tmp_path))
    assert code == 2
    assert "to folder" in err
    assert listing(run_cli) == before_list
    assert store_digest(data_dir) == before_rows


# --- call definitions -------------------------------------------------------


def test_import_call_adds_a_new_call(run_cli, tmp_path: Path, data_dir: Path) -> None:
    call = shipped_call("mms-2027-p1-przyklad")
    call.update(id="gmina-lekawka-2027", version=1, name="Łękawka dla młodych 2027")
    code, out, err = run_cli("import-call", str(write_json(tmp_path / "nabor.json", call)))
    assert (code, err) == (0, "")
    assert "gmina-lekawka-2027" in out and "Łękawka dla młodych 2027" in out
    code, out, _ = run_cli("calls", "--json")
    calls = {item["id"]: item for item in json.loads(out)}
    assert set(calls) == SHIPPED_CALLS | {"gmina-lekawka-2027"}
    assert calls["gmina-lekawka-2027"]["source"] == "imported"
    assert calls["gmina-lekawka-2027"]["name"] == "Łękawka dla młodych 2027"
    # Kept in the data folder: a new run (new process state) still knows it.
    code, out, _ = run_cli("calls")
    assert "gmina-lekawka-2027" in out


def test_newer_version_of_a_call_replaces_its_rules(run_cli, tmp_path: Path, clock) -> None:
    app_id = demo_app_id(run_cli)
    call = shipped_call("mms-2027-p1-przyklad")
    call["version"] = 2
    call["rules"]["grant_max"] = "10000.00"
    code, _, err = run_cli("import-call", str(write_json(tmp_path / "v2.json", call)))
    assert (code, err) == (0, "")
    code, out, _ = run_cli("calls", "--json")
    p1 = next(item for item in json.loads(out) if item["id"] == "mms-2027-p1-przyklad")
    assert (p1["version"], p1["source"]) == (2, "imported")
    code, findings = validate_json(run_cli, app_id)
    assert code == 1
    assert [f["code"] for f in findings] == ["GRANT_ABOVE_MAX"]
    assert "10 000,00 zł" in findings[0]["message"]


def _broken_call(change: Any) -> dict[str, Any]:
    call = shipped_call("mms-2027-p1-przyklad")
    call.update(id="zepsuty-nabor", version=1)
    change(call)
    return call


BROKEN_CALLS = {
    "missing_name": (lambda c: c.pop("name"), ["name", "brak wymaganego pola"]),
    "grant_max_as_number": (
        lambda c: c["rules"].update(grant_max=50000),
        ["rules.grant_max", "zły zapis kwoty", '"1234.56"', "„50000”"],
    ),
    "min_above_max": (
        lambda c: c["rules"].update(grant_min="60000.00"),
        ["rules.grant_min", "początek zakresu"],
    ),
    "impossible_deadline": (
        lambda c: c.update(deadline="2027-02-30T16:00:00+01:00"),
        ["deadline", "taka data nie istnieje"],
    ),
    "unknown_legal_form": (
        lambda c: c["rules"]["eligible_legal_forms"].append("spolka"),
        ["rules.eligible_legal_forms[8]"],
    ),
    "duplicate_category": (
        lambda c: c["cost_categories"].append(dict(c["cost_categories"][0])),
        ["cost_categories[9].id", "już występuje"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CALLS))
def test_broken_call_is_refused_with_its_field(
    run_cli, tmp_path: Path, data_dir: Path, case: str
) -> None:
    change, words = BROKEN_CALLS[case]
    path = write_json(tmp_path / f"{case}.json", _broken_call(change))
    _, calls_before, _ = run_cli("calls", "--json")
    digest_before = store_digest(data_dir)

    code, out, err = run_cli("import-call", str(path))

    assert code == 2
    assert out == ""
    assert err.startswith("Błąd: Plik odrzucony – pole ")
    for word in words:
        assert word in err
    assert "Nic nie zapisano" in err
    assert run_cli("calls", "--json")[1] == calls_before
    assert store_digest(data_dir) == digest_before


# --- a data folder that cannot be used --------------------------------------


def test_store_from_a_newer_version_exits_3_and_is_left_alone(run_cli, data_dir: Path) -> None:
    app_id = demo_app_id(run_cli)
    raw = sqlite3.connect(data_dir / STORE_FILE)
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    store_file = data_dir / STORE_FILE
    before = hashlib.sha256(store_file.read_bytes()).hexdigest()

    for args in (("list", "--json"), ("demo",), ("validate", app_id)):
        code, out, err = run_cli(*args)
        assert code == 3
        assert out == ""
        assert "nowsza wersja programu" in err
        assert "schemat 99" in err
        assert "pozostały nietknięte" in err
        assert str(data_dir) in err

    assert hashlib.sha256(store_file.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in data_dir.iterdir()) == sorted(
        [STORE_FILE, "attachments", "backups", "logs", LOCK_FILE]
    )


def test_damaged_store_exits_3(run_cli, data_dir: Path) -> None:
    data_dir.mkdir()
    junk = bytes(range(256)) * 64
    (data_dir / STORE_FILE).write_bytes(junk)
    code, out, err = run_cli("list", "--json")
    assert code == 3
    assert out == ""
    assert "uszkodzony" in err
    assert (data_dir / STORE_FILE).read_bytes() == junk


def test_data_folder_that_cannot_be_created(run_cli, tmp_path: Path) -> None:
    blocker = tmp_path / "plik"
    blocker.write_text("to nie folder", encoding="utf-8")
    code, out, err = run_cli("list", data_dir=blocker / "dane")
    assert code == 3
    assert out == ""
    assert f"W miejscu folderu danych {blocker} jest plik" in err
    assert blocker.read_text(encoding="utf-8") == "to nie folder"


def test_dates_in_messages_are_polish(run_cli, workspace: Workspace, demo_ids, clock) -> None:
    workspace.store.update_application(demo_ids.application_id, start_date=date(2027, 6, 1))
    code, findings = validate_json(run_cli, demo_ids.application_id)
    assert code == 1
    assert [f["code"] for f in findings] == ["TASK_STARTS_TOO_EARLY"]
    assert "01.07.2027" in findings[0]["message"]
    assert findings[0]["field"] == "application.start_date"
