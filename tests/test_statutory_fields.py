"""The fields the statutory forms ask for: in files, the store, the checks and the operator.

Version-1 files (written before these fields existed) still import, upgraded; a
draft kept by the previous program (schema 5) keeps every word through the
migration; a report goes from one data folder to another and back as a file;
an organisation that arrives with other data than the local profile of its id
is kept beside it, and the person is told.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cli_support import NOW, Program, store_digest

from mms_desktop.domain.application import (
    THIRD_PARTY_SCOPE_TO_DESCRIBE,
    Arrears,
    PaidExecution,
    YearValue,
)
from mms_desktop.domain.canonical import encode
from mms_desktop.domain.public_task_spheres import SPHERES
from mms_desktop.domain.validation import validate
from mms_desktop.i18n import finding_message
from mms_desktop.resources import resource_path
from mms_desktop.services import reports
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.migrations import MIGRATIONS
from mms_desktop.storage.store import Store

NEW_APPLICATION_FIELDS = (
    "task_sphere",
    "results_change",
    "results_durability",
    "paid_execution",
    "joint_offer_roles",
    "tax_arrears",
    "social_insurance_arrears",
)


def as_version_1(document: dict[str, Any]) -> dict[str, Any]:
    """A version-2 application document as the program before these fields wrote it."""
    old = json.loads(json.dumps(document))
    old["schema_version"] = 1
    del old["organization"]["correspondence_address"]
    body = old["application"]
    body["expected_results"] = body.pop("results_products")
    for name in NEW_APPLICATION_FIELDS:
        del body[name]
    for action in body["actions"]:
        action["third_party"] = bool(action.pop("third_party_scope"))
    for line in body["budget"]:
        del line["year_values"]
    return old


def v1_schema(kind: str) -> dict[str, Any]:
    with resource_path("schemas", "v1", f"{kind}.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def messages(findings: list[Any]) -> list[str]:
    return [finding_message(finding) for finding in findings]


@pytest.fixture
def demo_folder(tmp_path: Path, clock: str) -> tuple[Path, Any]:
    folder = tmp_path / "laptop-a"
    with Workspace.open(folder) as workspace:
        ids = workspace.create_demo()
    return folder, ids


# --- a version-1 application file ---------------------------------------------------


def test_a_version_1_file_imports_with_its_results_text_and_third_party_kept(
    demo_folder: tuple[Path, Any], tmp_path: Path, run_cli: Any
) -> None:
    folder, ids = demo_folder
    with Workspace.open(folder) as workspace:
        written = workspace.document(ids.application_id)
    old = as_version_1(written)
    jsonschema.validate(old, v1_schema("application"))  # really a version-1 file
    assert old["application"]["actions"][2]["third_party"] is True
    path = tmp_path / "wniosek-z-2026.json"
    path.write_bytes(encode(old))

    other = tmp_path / "laptop-b"
    code, out, err = run_cli("import-json", path, data_dir=other)
    assert code == 0, err
    new_id = out.strip()
    with Workspace.open(other) as workspace:
        imported = workspace.application(new_id)
        assert imported.results_products == written["application"]["results_products"]
        assert imported.actions[2].third_party_scope == THIRD_PARTY_SCOPE_TO_DESCRIBE
        assert imported.actions[0].third_party_scope == ""
        assert imported.tax_arrears is Arrears.UNSET  # nothing is assumed for the applicant
        assert imported.paid_execution is PaidExecution.UNSET
        assert all(line.year_values == () for line in imported.budget)

    code, out, _err = run_cli("validate", new_id, data_dir=other)
    assert code == 1  # blocked until the applicant answers what the new form asks
    for said in (
        "Wybierz rodzaj zadania publicznego: sferę pożytku publicznego z art. 4 ust. 1 ustawy",
        "Działanie 3: opisz, jaką część działania wykona podmiot niebędący stroną umowy",
        "Zadeklaruj, czy zadanie będzie wykonywane odpłatnie czy nieodpłatnie",
        "czy oferent zalega, czy nie zalega z opłacaniem należności z tytułu zobowiązań"
        " podatkowych",
        "Uzupełnij pole: Rezultaty – jaka zmiana społeczna nastąpi",
    ):
        assert said in out, said


def test_a_file_of_an_unknown_version_is_refused_in_words_and_nothing_is_saved(
    demo_folder: tuple[Path, Any], tmp_path: Path, run_cli: Any
) -> None:
    folder, ids = demo_folder
    with Workspace.open(folder) as workspace:
        document = workspace.document(ids.application_id)
    document["schema_version"] = 3
    path = tmp_path / "z-przyszlosci.json"
    path.write_bytes(encode(document))
    before = store_digest(folder)
    code, _out, err = run_cli("import-json", path, data_dir=folder)
    assert code == 2
    assert "Plik ma wersję formatu 3, a ten program czyta wersje: 1, 2" in err
    assert "Nic nie zapisano" in err
    assert store_digest(folder) == before


def test_a_version_1_file_with_a_bad_field_is_refused_by_the_version_1_schema(
    demo_folder: tuple[Path, Any], tmp_path: Path, run_cli: Any
) -> None:
    folder, ids = demo_folder
    with Workspace.open(folder) as workspace:
        old = as_version_1(workspace.document(ids.application_id))
    old["application"]["actions"][1]["third_party"] = "tak"
    path = tmp_path / "zly.json"
    path.write_bytes(encode(old))
    before = store_digest(folder)
    code, _out, err = run_cli("import-json", path, data_dir=folder)
    assert code == 2
    assert "application.actions[2].third_party" in err
    assert store_digest(folder) == before


# --- a draft kept by the program before (schema 5) -----------------------------------


def test_a_draft_of_the_previous_program_keeps_every_word_through_the_migration(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mms.sqlite3"
    connection = sqlite3.connect(path)
    for number in range(1, 6):
        connection.executescript(
            f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    with connection:
        connection.execute(
            "INSERT INTO organizations (id, name, legal_form, register_type, created_at,"
            " updated_at) VALUES ('org', 'KGW w Żabnie', 'kgw', 'arimr_kgw', ?, ?)",
            (NOW, NOW),
        )
        connection.execute(
            "INSERT INTO applications (id, organization_id, call_id, title, expected_results,"
            " created_at, updated_at) VALUES ('app', 'org', 'mms-2027-p1-przyklad',"
            " 'Źródła smaku', 'Powstanie książka z 40 przepisami; 60 osób na warsztatach.', ?, ?)",
            (NOW, NOW),
        )
        connection.executemany(
            "INSERT INTO actions (id, application_id, position, name, third_party) VALUES"
            " (?, 'app', ?, ?, ?)",
            [("a1", 0, "Warsztaty", 0), ("a2", 1, "Dyktando w szkole", 1)],
        )
        connection.execute(
            "INSERT INTO budget_lines (id, application_id, position, action_id, name, unit_cost,"
            " quantity, \"grant\") VALUES ('l1', 'app', 0, 'a1', 'Honorarium', '120.00', '24',"
            " '2880.00')"
        )
        connection.execute(
            "INSERT INTO reports (id, application_id, organization_id, call_id, kind, summary,"
            " created_at, updated_at) VALUES ('rep', 'app', 'org', 'mms-2027-p1-przyklad',"
            " 'final', 'Wszystko się udało.', ?, ?)",
            (NOW, NOW),
        )
    connection.close()

    with Store.open(path) as store:
        application = store.load_application("app")
        assert application.results_products == (
            "Powstanie książka z 40 przepisami; 60 osób na warsztatach."
        )
        assert (application.results_change, application.results_durability) == ("", "")
        assert [a.third_party_scope for a in application.actions] == [
            "",
            THIRD_PARTY_SCOPE_TO_DESCRIBE,
        ]
        assert application.budget[0].total == 2880
        assert application.budget[0].year_values == ()
        assert application.task_sphere == ""
        assert application.tax_arrears is Arrears.UNSET
        assert store.load_organization("org").correspondence_address == ""
        report = store.load_report("rep")
        assert report.summary == "Wszystko się udało."
        assert report.contract_date is None
        assert report.recipient_payments == ""
        # And the new fields are saved like any other from now on.
        store.update_application("app", results_change="Seniorki uczą młodzież.")
        store.update_report("rep", contract_number="12/2027")
    with Store.open(path) as store:
        assert store.load_application("app").results_change == "Seniorki uczą młodzież."
        assert store.load_report("rep").contract_number == "12/2027"


# --- the checks say what is missing -------------------------------------------------


def test_each_new_answer_of_the_offer_is_asked_for_in_polish(
    demo_folder: tuple[Path, Any],
) -> None:
    folder, ids = demo_folder
    with Workspace.open(folder) as workspace:
        application = workspace.application(ids.application_id)
        organization = workspace.organization(ids.organization_id)
        call = workspace.calls.get(application.call_id)
    assert application.task_sphere in SPHERES
    assert validate(application, organization, call) == []
    empty = replace(
        application,
        task_sphere="",
        results_change="",
        paid_execution=PaidExecution.UNSET,
        tax_arrears=Arrears.UNSET,
        social_insurance_arrears=Arrears.UNSET,
    )
    said = messages(validate(empty, organization, call))
    assert said == [
        "Wybierz rodzaj zadania publicznego: sferę pożytku publicznego z art. 4 ust. 1 ustawy"
        " (a nie nazwę programu).",
        "Uzupełnij pole: Rezultaty – jaka zmiana społeczna nastąpi.",
        "Zadeklaruj, czy zadanie będzie wykonywane odpłatnie czy nieodpłatnie (część VI oferty).",
        "Wybierz w oświadczeniach, czy oferent zalega, czy nie zalega z opłacaniem należności"
        " z tytułu zobowiązań podatkowych.",
        "Wybierz w oświadczeniach, czy oferent zalega, czy nie zalega z opłacaniem należności"
        " z tytułu składek na ubezpieczenia społeczne.",
    ]
    unknown = replace(application, task_sphere="kultura")
    assert messages(validate(unknown, organization, call)) == [
        "Rodzaj zadania „kultura” nie jest sferą z art. 4 ust. 1 ustawy: wybierz go z listy."
    ]


def test_a_task_over_two_calendar_years_asks_for_each_lines_value_per_year(
    demo_folder: tuple[Path, Any],
) -> None:
    folder, ids = demo_folder
    with Workspace.open(folder) as workspace:
        application = workspace.application(ids.application_id)
        organization = workspace.organization(ids.organization_id)
        call = workspace.calls.get(application.call_id)
    # The simplest case: one line, the task from November to February.
    line = application.budget[0]
    two_years = replace(
        application,
        start_date=date(2027, 11, 2),
        end_date=date(2028, 2, 26),
        actions=tuple(
            replace(action, start_date=date(2027, 11, 2), end_date=date(2028, 2, 26))
            for action in application.actions
        ),
        budget=(line,),
    )
    year_findings = [
        finding
        for finding in validate(two_years, organization, call)
        if finding.field == "application.budget[1].year_values"
    ]
    assert messages(year_findings) == [
        "Pozycja kosztorysu 1: zadanie trwa w latach 2027, 2028 – podaj wartość kosztu w każdym"
        " roku."
    ]
    half = (line.total / 2).quantize(Decimal("0.01"))
    short = replace(
        two_years,
        budget=(replace(line, year_values=(YearValue(2027, half), YearValue(2028, half - 10))),),
    )
    said = messages(
        [f for f in validate(short, organization, call) if f.field.endswith(".year_values")]
    )
    assert len(said) == 1 and "Pozycja kosztorysu 1: kwoty w poszczególnych latach dają" in said[0]
    assert "(różnica 10,00 zł)" in said[0]
    exact = replace(
        two_years,
        budget=(
            replace(
                line,
                year_values=(YearValue(2027, half), YearValue(2028, line.total - half)),
            ),
        ),
    )
    assert not [f for f in validate(exact, organization, call) if f.field.endswith(".year_values")]


def test_a_report_asks_for_its_contract_date_and_the_recipients_payments(
    demo_folder: tuple[Path, Any],
) -> None:
    from mms_desktop.domain.report_validation import validate_report

    folder, ids = demo_folder
    with Workspace.open(folder) as workspace:
        report = reports.load(workspace, ids.report_id)
        call = workspace.calls.get(report.call_id)
    assert report.contract_date is not None  # the demo's volunteers filled it in
    bare = replace(report, contract_date=None, recipient_payments="")
    said = messages(
        [
            finding
            for finding in validate_report(bare, call)
            if finding.field in ("report.contract_date", "report.recipient_payments")
        ]
    )
    assert said[0] == "Podaj datę zawarcia umowy o dotację (nagłówek sprawozdania)."
    assert said[1].startswith(
        "Opisz świadczenia pieniężne pobrane od odbiorców zadania (część II.4)"
    )


# --- a report's file, both ways, between two data folders ----------------------------


@pytest.fixture
def two_laptops(demo_folder: tuple[Path, Any], tmp_path: Path) -> tuple[Program, Program, Any]:
    """Laptop A with the demo; laptop B given A's data once by a bundle (with its files)."""
    folder, ids = demo_folder
    a, b = Program(folder), Program(tmp_path / "laptop-b")
    bundle = tmp_path / "przeniesienie.mms"
    code, _out, err = a("export-bundle", "--out", bundle)
    assert code == 0, err
    code, _out, err = b("import-bundle", bundle)
    assert code == 0, err
    return a, b, ids


def test_a_report_goes_to_another_laptop_and_back_as_a_file(
    two_laptops: tuple[Program, Program, Any], tmp_path: Path
) -> None:
    a, b, ids = two_laptops
    # On laptop B the treasurer finishes the report's part II.
    with Workspace.open(b.data_dir) as workspace:
        workspace.store.update_report(
            ids.report_id,
            other_revenues="Odsetki na rachunku: 3,12 zł.",
            contract_number="MMS/2027/0142/A",
        )
    on_b = tmp_path / "sprawozdanie-z-laptopa-b.json"
    code, out, err = b("report-export-json", ids.report_id, "--out", on_b)
    assert code == 0, err
    assert str(on_b) in out
    document = json.loads(on_b.read_text(encoding="utf-8"))
    assert document["schema"] == "mms-report" and document["schema_version"] == 2

    code, out, err = a("report-import-json", on_b)
    assert code == 0, err
    new_id = out.strip()
    assert new_id and new_id != ids.report_id
    with Workspace.open(a.data_dir) as workspace:
        imported = reports.load(workspace, new_id)
        original = reports.load(workspace, ids.report_id)
        assert imported.other_revenues == "Odsetki na rachunku: 3,12 zł."
        assert imported.contract_number == "MMS/2027/0142/A"
        assert imported.documents == original.documents
        assert imported.attachments == original.attachments
        assert reports.status(workspace, new_id).value == "draft"
    # What laptop A now holds is, to the letter, what laptop B wrote (but its own id).
    back = tmp_path / "z-powrotem.json"
    code, _out, err = a("report-export-json", new_id, "--out", back)
    assert code == 0, err
    returned = json.loads(back.read_text(encoding="utf-8"))
    assert returned["report"].pop("id") == new_id
    assert document["report"].pop("id") == ids.report_id
    assert returned == document
    code, out, err = a("report-validate", new_id)
    assert code in (0, 1), err


def test_a_report_of_an_application_this_laptop_does_not_hold_is_refused(
    two_laptops: tuple[Program, Program, Any], tmp_path: Path, clock: str
) -> None:
    a, _b, ids = two_laptops
    out_file = tmp_path / "sprawozdanie.json"
    assert a("report-export-json", ids.report_id, "--out", out_file)[0] == 0
    stranger = Program(tmp_path / "laptop-c")
    assert stranger("demo")[0] == 0
    before = store_digest(stranger.data_dir)
    code, out, err = stranger("report-import-json", out_file)
    assert code == 2 and out == ""
    assert "którego nie ma na tym komputerze" in err and "Nic nie zapisano" in err
    assert store_digest(stranger.data_dir) == before


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (lambda text: text[: len(text) // 2], "jest uszkodzony: błąd zapisu JSON"),
        (
            lambda text: text.replace('"schema_version":2', '"schema_version":7'),
            "Plik ma wersję formatu 7, a ten program czyta wersje: 1, 2",
        ),
        (
            lambda text: text.replace('"schema":"mms-report"', '"schema":"mms-application"'),
            "To nie jest właściwy plik",
        ),
        (
            lambda text: text.replace('"contract_number":"MMS/2027/0142"', '"contract_number":7'),
            "Plik odrzucony – pole report.contract_number",
        ),
    ],
    ids=["cut-short", "wrong-version", "an-application", "a-number-for-text"],
)
def test_a_bad_report_file_is_refused_whole_in_words(
    demo_folder: tuple[Path, Any], tmp_path: Path, run_cli: Any, spoil: Any, said: str
) -> None:
    folder, ids = demo_folder
    good = tmp_path / "dobre.json"
    code, _out, err = run_cli("report-export-json", ids.report_id, "--out", good, data_dir=folder)
    assert code == 0, err
    bad = tmp_path / "zepsute.json"
    bad.write_text(spoil(good.read_text(encoding="utf-8")), encoding="utf-8")
    before = store_digest(folder)
    code, out, err = run_cli("report-import-json", bad, data_dir=folder)
    assert code == 2 and out == ""
    assert said in err
    assert store_digest(folder) == before


def test_a_report_whose_attachment_files_are_elsewhere_is_refused_naming_them(
    demo_folder: tuple[Path, Any], tmp_path: Path, run_cli: Any
) -> None:
    folder, ids = demo_folder
    good = tmp_path / "dobre.json"
    assert run_cli("report-export-json", ids.report_id, "--out", good, data_dir=folder)[0] == 0
    document = json.loads(good.read_text(encoding="utf-8"))
    document["attachments"].append(
        {
            "sha256": "ab" * 32,
            "name": "lista-obecności-koncert.jpg",
            "size": 1234,
            "description": "",
        }
    )
    bad = tmp_path / "z-obcym-zalacznikiem.json"
    bad.write_bytes(encode(document))
    before = store_digest(folder)
    code, _out, err = run_cli("report-import-json", bad, data_dir=folder)
    assert code == 2
    assert "lista-obecności-koncert.jpg" in err and "pakietem .mms" in err
    assert store_digest(folder) == before


# --- an organisation that arrives with other data ------------------------------------


def test_an_application_file_with_other_data_of_a_known_organisation_keeps_both(
    demo_folder: tuple[Path, Any], tmp_path: Path, run_cli: Any
) -> None:
    folder, ids = demo_folder
    exported = tmp_path / "wniosek-od-skarbniczki.json"
    code, _out, err = run_cli("export-json", ids.application_id, "--out", exported, data_dir=folder)
    assert code == 0, err
    other = tmp_path / "laptop-b"
    code, out, err = run_cli("import-json", exported, data_dir=other)
    assert code == 0 and err == ""  # a new organisation here: nothing to tell
    # Laptop B's volunteer corrects the phone; the same file comes again later.
    with Workspace.open(other) as workspace:
        workspace.store.update_organization(ids.organization_id, phone="+48 33 999 99 99")
        name = workspace.organization(ids.organization_id).name
    code, out, err = run_cli("import-json", exported, data_dir=other)
    assert code == 0
    application_id = out.strip()
    assert f"Organizacja „{name}” jest już na tym komputerze, ale plik ma inne jej dane" in err
    assert "(z pliku wniosek-od-skarbniczki.json, 20.05.2027)" in err
    with Workspace.open(other) as workspace:
        profiles = {
            item.id: workspace.organization(item.id)
            for item in workspace.store.list_organizations()
        }
        assert profiles[ids.organization_id].phone == "+48 33 999 99 99"  # never overwritten
        [copy] = [org for key, org in profiles.items() if key != ids.organization_id]
        assert copy.name == f"{name} (z pliku wniosek-od-skarbniczki.json, 20.05.2027)"
        with Workspace.open(folder) as first:
            original = first.organization(ids.organization_id)
        assert replace(copy, id=original.id, name=original.name) == original
        # The application stays with the profile the operator knows it by.
        assert workspace.application(application_id).organization_id == ids.organization_id
    # The same file a third time with the profile now equal to it: nothing to tell.
    with Workspace.open(other) as workspace:
        workspace.store.update_organization(ids.organization_id, phone=original.phone)
    code, out, err = run_cli("import-json", exported, data_dir=other)
    assert code == 0 and err == ""


def test_a_bundle_with_other_data_of_a_known_organisation_keeps_both_and_says_so(
    demo_folder: tuple[Path, Any], tmp_path: Path, run_cli: Any
) -> None:
    folder, ids = demo_folder
    other = tmp_path / "laptop-b"
    shutil.copytree(folder, other)
    with Workspace.open(folder) as workspace:
        workspace.store.update_organization(ids.organization_id, email="kgw@lekawka.pl")
    bundle = tmp_path / "od-prezeski.mms"
    assert run_cli("export-bundle", "--out", bundle, data_dir=folder)[0] == 0
    code, out, err = run_cli("import-bundle", bundle, "--merge", data_dir=other)
    assert code == 0, err
    told = out + err
    assert "jest i w pakiecie, i na tym komputerze, ale dane się różnią: zachowano obie" in told
    with Workspace.open(other) as workspace:
        profiles = [
            workspace.organization(item.id) for item in workspace.store.list_organizations()
        ]
        names = [org.name for org in profiles]
        emails = {org.email for org in profiles}
    assert any(name.endswith("(z pakietu od-prezeski.mms, 20.05.2027)") for name in names)
    assert "kgw@lekawka.pl" in emails and len(names) == 2


# --- the operator's copy ---------------------------------------------------------


def test_the_operator_takes_version_2_and_still_version_1_from_laptops_not_yet_updated(
    serve: Any,
) -> None:
    from test_operator import application_bytes, put_document

    live = serve()
    token = live.add_organization("KGW w Łękawce")
    current = application_bytes("Smaki Łękawki – wersja 2")
    document = json.loads(current)
    assert document["schema_version"] == 2
    before = put_document(live, token, current)
    assert before.status_code == 201, before.text

    old = as_version_1(json.loads(application_bytes("Smaki Łękawki – z laptopa bez aktualizacji")))
    response = put_document(live, token, encode(old))
    assert response.status_code == 201, response.text

    # Each version is held to its own schema: a version-1 file with a bad flag,
    # and a version-2 file that still carries version 1's field, are both refused.
    broken = json.loads(json.dumps(old))
    broken["application"]["actions"][0]["third_party"] = "tak"
    response = put_document(live, token, encode(broken))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "application.actions[1].third_party"
    mixed = json.loads(current)
    mixed["application"]["expected_results"] = "tekst starego pola"
    response = put_document(live, token, encode(mixed))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "application.expected_results"
