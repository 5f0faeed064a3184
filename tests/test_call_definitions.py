"""The bundled call definitions and the JSON Schema they are checked against."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError

from mms_desktop.domain.call import CallDefinition, CapBase, CostGroup, FormKind
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.domain.organization import LegalForm
from mms_desktop.resources import resource_path

CALLS_DIR = resource_path("calls")
SCHEMA_PATH = resource_path("schemas", "call.schema.json")

DEMO_CATEGORY_IDS = [
    "honoraria",
    "materialy",
    "wyposazenie",
    "wynajem",
    "uslugi",
    "promocja",
    "wolontariat",
    "administracja",
]

REGISTERED = {
    LegalForm.ASSOCIATION,
    LegalForm.ORDINARY_ASSOCIATION,
    LegalForm.FOUNDATION,
    LegalForm.KGW,
    LegalForm.OSP,
    LegalForm.SPORTS_CLUB,
    LegalForm.OTHER,
}

EXPECTED = {
    "mms-2027-p1-przyklad.json": {
        "form": FormKind.FULL,
        "grant_min": Decimal("5000"),
        "grant_max": Decimal("50000"),
        "eligible": REGISTERED,
        "task_max_days": None,
        "admin_cap_percent": Decimal(10),
        "revenue_max": Decimal(100000),
        "locality_population_max": 100000,
    },
    "mms-2027-regranting-przyklad.json": {
        "form": FormKind.FULL,
        "grant_min": Decimal("1000"),
        "grant_max": Decimal("10000"),
        "eligible": REGISTERED | {LegalForm.INFORMAL_GROUP},
        "task_max_days": None,
        "admin_cap_percent": Decimal(10),
        "revenue_max": Decimal(100000),
        "locality_population_max": 100000,
    },
    "art19a-2027-przyklad.json": {
        "form": FormKind.SIMPLIFIED,
        "grant_min": Decimal("500"),
        "grant_max": Decimal("10000"),
        "eligible": REGISTERED,
        "task_max_days": 90,
        "admin_cap_percent": None,
        "revenue_max": None,
        "locality_population_max": None,
    },
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def call_files() -> list[Path]:
    return sorted(CALLS_DIR.glob("*.json"))


def load(name: str) -> dict[str, Any]:
    return json.loads((CALLS_DIR / name).read_text(encoding="utf-8"))


def errors_by_path(validator: Draft202012Validator, doc: object) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in validator.iter_errors(doc):
        found.setdefault(error.json_path, []).append(error.message)
    return found


# --- the schema itself ---------------------------------------------------------------


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_closes_every_object(schema: dict[str, Any]) -> None:
    """Every object the schema describes refuses keys it does not know."""
    open_objects = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and node.get("additionalProperties") is not False:
                open_objects.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(schema, "#")
    assert open_objects == []


def test_schema_describes_every_property(schema: dict[str, Any]) -> None:
    undescribed = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if not sub.get("description"):
                    undescribed.append(f"{where}/{name}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(schema, "#")
    assert undescribed == []


# --- the bundled files -----------------------------------------------------------------


def test_the_three_example_calls_are_bundled() -> None:
    assert sorted(path.name for path in call_files()) == sorted(EXPECTED)


@pytest.mark.parametrize("path", call_files(), ids=lambda path: path.name)
def test_bundled_call_validates_against_the_schema(
    path: Path, validator: Draft202012Validator
) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert errors_by_path(validator, doc) == {}


@pytest.mark.parametrize("path", call_files(), ids=lambda path: path.name)
def test_bundled_call_is_utf8_with_two_space_indent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert "\\u" not in text  # Polish letters written as letters, not escapes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundled_call_loads_with_expected_rules(name: str) -> None:
    doc = load(name)
    call = CallDefinition.from_dict(doc)
    expected = EXPECTED[name]

    assert call.id == doc["id"] == name.removesuffix(".json")
    assert call.version == 1
    assert call.example is True
    assert "przykładow" in call.notes
    assert call.form is expected["form"]
    assert call.grant_min == expected["grant_min"]
    assert call.grant_max == expected["grant_max"]
    assert set(call.eligible_legal_forms) == expected["eligible"]
    assert call.task_max_days == expected["task_max_days"]
    assert call.admin_cap_percent == expected["admin_cap_percent"]
    assert call.revenue_max == expected["revenue_max"]
    assert call.locality_population_max == expected["locality_population_max"]
    assert call.report_results_threshold_percent == Decimal(80)
    assert call.report_category_shift_max_percent == Decimal(10)
    assert call.deadline.utcoffset() is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundled_call_is_consistent(name: str) -> None:
    """What the schema cannot say: order of limits and dates, unique ids."""
    call = CallDefinition.from_dict(load(name))

    assert Decimal(0) < call.grant_min <= call.grant_max
    assert call.opens_at <= call.deadline.date()
    assert call.task_earliest_start is not None
    assert call.task_latest_end is not None
    assert call.task_earliest_start <= call.task_latest_end
    assert call.own_financial_min_percent <= call.own_contribution_min_percent
    for items in (
        call.cost_categories,
        call.sections,
        call.required_attachments,
        call.declarations,
    ):
        ids = [item.id for item in items]
        assert len(ids) == len(set(ids)), ids
    assert 3 <= len(call.declarations) <= 5
    # Attachments asked only of legal forms that may apply at all.
    for attachment in call.required_attachments:
        assert set(attachment.legal_forms) <= set(call.eligible_legal_forms)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_call_has_the_demo_cost_categories(name: str) -> None:
    call = CallDefinition.from_dict(load(name))

    assert [category.id for category in call.cost_categories] == DEMO_CATEGORY_IDS
    equipment = [category.id for category in call.cost_categories if category.equipment]
    assert equipment == ["wyposazenie"]
    admin = [c.id for c in call.cost_categories if c.group is CostGroup.ADMIN]
    assert admin == ["administracja"]


def test_full_form_sections_follow_the_2018_offer() -> None:
    call = CallDefinition.from_dict(load("mms-2027-p1-przyklad.json"))

    top_level = [section.id for section in call.sections if "." not in section.id]
    assert top_level == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert call.section_label("I") == "Podstawowe informacje o złożonej ofercie"
    assert call.section_label("II") == "Dane oferenta(-tów)"
    assert call.section_label("III") == "Opis zadania"
    assert call.section_label("V.A") == "Zestawienie kosztów realizacji zadania"
    assert call.section_label("V.B") == "Źródła finansowania kosztów realizacji zadania"
    assert call.section_label("VII") == "Oświadczenia"
    ids = [section.id for section in call.sections]
    assert ids.index("V") < ids.index("V.A") < ids.index("V.B") < ids.index("VI")


def test_simplified_form_sections() -> None:
    call = CallDefinition.from_dict(load("art19a-2027-przyklad.json"))

    top_level = [section.id for section in call.sections if "." not in section.id]
    assert top_level == ["I", "II", "III", "IV", "V"]
    assert call.section_label("V") == "Oświadczenia"
    assert call.section_label("VI") is None


def test_p1_call_numbers() -> None:
    call = CallDefinition.from_dict(load("mms-2027-p1-przyklad.json"))

    assert call.operator == (
        "Narodowy Instytut Wolności – Centrum Rozwoju Społeczeństwa Obywatelskiego"
    )
    assert call.program == "Moc Małych Społeczności"
    assert LegalForm.INFORMAL_GROUP not in call.eligible_legal_forms
    assert call.opens_at == date(2027, 5, 17)
    assert call.deadline == datetime.fromisoformat("2027-06-09T14:00:00+00:00")
    assert call.deadline.utcoffset() == timedelta(hours=2)
    assert (call.task_earliest_start, call.task_latest_end) == (
        date(2027, 7, 1),
        date(2027, 12, 31),
    )
    assert call.own_contribution_min_percent == 0
    assert call.equipment_cap_percent == Decimal(50)
    assert call.equipment_cap_for(LegalForm.KGW) == Decimal(50)
    assert call.cap_base is CapBase.TOTAL_COSTS
    assert call.volunteer_hour_rate_max == Decimal("45.00")
    assert call.every_cost_on_an_action is True


def test_regranting_call_forbids_equipment_to_informal_groups() -> None:
    call = CallDefinition.from_dict(load("mms-2027-regranting-przyklad.json"))

    assert call.equipment_cap_for(LegalForm.INFORMAL_GROUP) == Decimal(0)
    assert call.equipment_cap_for(LegalForm.ASSOCIATION) == Decimal(50)
    assert call.equipment_cap_for(LegalForm.KGW) == Decimal(50)
    assert call.informal_group_requires_patron is True
    assert call.own_contribution_min_percent == Decimal(5)
    assert call.own_financial_min_percent == Decimal(0)
    assert (call.task_earliest_start, call.task_latest_end) == (
        date(2027, 8, 1),
        date(2027, 12, 15),
    )
    informal_only = {
        attachment.id
        for attachment in call.required_attachments
        if attachment.legal_forms == (LegalForm.INFORMAL_GROUP,)
    }
    assert {"lista_czlonkow", "zgoda_patrona"} <= informal_only


def test_art19a_call_is_the_simplified_offer() -> None:
    call = CallDefinition.from_dict(load("art19a-2027-przyklad.json"))

    assert call.every_cost_on_an_action is False
    assert call.equipment_cap_percent is None
    assert call.deadline == datetime.fromisoformat("2027-10-31T14:30:00+00:00")
    assert call.deadline.utcoffset() == timedelta(hours=1)
    assert (call.task_earliest_start, call.task_latest_end) == (
        date(2027, 3, 1),
        date(2027, 12, 31),
    )
    assert call.grant_max <= Decimal(10000)


# --- the schema and from_dict agree on which keys are required ------------------------


def _subschemas(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    props = schema["properties"]
    return [
        ("", schema),
        ("rules", props["rules"]),
        ("report", props["report"]),
        ("cost_categories.0", props["cost_categories"]["items"]),
        ("sections.0", props["sections"]["items"]),
        ("required_attachments.0", props["required_attachments"]["items"]),
        ("declarations.0", props["declarations"]["items"]),
    ]


def _container(doc: dict[str, Any], where: str) -> Any:
    node: Any = doc
    for part in filter(None, where.split(".")):
        node = node[int(part)] if part.isdigit() else node[part]
    return node


def _key_cases(schema: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [
        (where, key, key in sub.get("required", []))
        for where, sub in _subschemas(schema)
        for key in sub["properties"]
    ]


def test_each_key_removal_is_judged_alike_by_schema_and_loader(
    schema: dict[str, Any], validator: Draft202012Validator
) -> None:
    """A key the schema requires is one from_dict cannot do without, and vice versa."""
    base = load("mms-2027-regranting-przyklad.json")
    disagreements = []
    for where, key, required in _key_cases(schema):
        doc = copy.deepcopy(base)
        _container(doc, where).pop(key, None)
        schema_accepts = validator.is_valid(doc)
        try:
            CallDefinition.from_dict(doc)
            loader_accepts = True
        except DocumentError:
            loader_accepts = False
        should_accept = not required
        if schema_accepts != should_accept or loader_accepts != should_accept:
            disagreements.append((where, key, required, schema_accepts, loader_accepts))
    assert disagreements == []


def test_every_key_of_the_loader_is_in_the_schema(
    schema: dict[str, Any], validator: Draft202012Validator
) -> None:
    """Keys from_dict reads (seen in the richest example) are all known to the schema."""
    doc = load("mms-2027-regranting-przyklad.json")
    for where, sub in _subschemas(schema):
        assert set(_container(doc, where)) <= set(sub["properties"]), where
    assert validator.is_valid(doc)


# --- broken definitions ---------------------------------------------------------------

BREAKAGES = [
    # (description, mutate, json path of the error, word in the message)
    (
        "missing grant_max",
        lambda doc: doc["rules"].pop("grant_max"),
        "$.rules",
        "'grant_max' is a required property",
    ),
    (
        "float instead of a decimal string",
        lambda doc: doc["rules"].__setitem__("admin_cap_percent", 10.5),
        "$.rules.admin_cap_percent",
        "is not of type 'string'",
    ),
    (
        "unknown legal form",
        lambda doc: doc["rules"]["eligible_legal_forms"].__setitem__(1, "spolka_z_oo"),
        "$.rules.eligible_legal_forms[1]",
        "'spolka_z_oo' is not one of",
    ),
    (
        "deadline without a time zone",
        lambda doc: doc.__setitem__("deadline", "2027-06-09T16:00:00"),
        "$.deadline",
        "does not match",
    ),
    (
        "extra key in a cost category",
        lambda doc: doc["cost_categories"][2].__setitem__("limit", "20"),
        "$.cost_categories[2]",
        "'limit' was unexpected",
    ),
    (
        "extra key at the top",
        lambda doc: doc.__setitem__("grant_max", "50000.00"),
        "$",
        "'grant_max' was unexpected",
    ),
    (
        "amount with a comma",
        lambda doc: doc["rules"].__setitem__("grant_min", "5000,00"),
        "$.rules.grant_min",
        "does not match",
    ),
    (
        "percent above 100",
        lambda doc: doc["rules"].__setitem__("equipment_cap_percent", "150"),
        "$.rules.equipment_cap_percent",
        "does not match",
    ),
    (
        "date in Polish notation",
        lambda doc: doc.__setitem__("opens_at", "17.05.2027"),
        "$.opens_at",
        "does not match",
    ),
    (
        "unknown form kind",
        lambda doc: doc.__setitem__("form", "uproszczona"),
        "$.form",
        "is not one of",
    ),
    (
        "unknown cost group",
        lambda doc: doc["cost_categories"][0].__setitem__("group", "inne"),
        "$.cost_categories[0].group",
        "is not one of",
    ),
    (
        "call id with capitals and spaces",
        lambda doc: doc.__setitem__("id", "MMS 2027"),
        "$.id",
        "does not match",
    ),
    (
        "version zero",
        lambda doc: doc.__setitem__("version", 0),
        "$.version",
        "less than the minimum",
    ),
    (
        "wrong schema marker",
        lambda doc: doc.__setitem__("schema", "mms-application"),
        "$.schema",
        "'mms-call' was expected",
    ),
    (
        "blank section label",
        lambda doc: doc["sections"][0].__setitem__("label", "   "),
        "$.sections[0].label",
        "does not match",
    ),
    (
        "null instead of leaving a cap out",
        lambda doc: doc["rules"].__setitem__("revenue_max", None),
        "$.rules.revenue_max",
        "is not of type 'string'",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [case[1:] for case in BREAKAGES],
    ids=[case[0] for case in BREAKAGES],
)
def test_each_breakage_is_reported_at_its_field(
    validator: Draft202012Validator, mutate: Any, path: str, message: str
) -> None:
    doc = load("mms-2027-p1-przyklad.json")
    mutate(doc)

    found = errors_by_path(validator, doc)

    assert list(found) == [path], found
    assert any(message in text for text in found[path]), found[path]


def test_definition_broken_in_several_ways_names_every_wrong_field(
    validator: Draft202012Validator,
) -> None:
    doc = load("mms-2027-p1-przyklad.json")
    del doc["rules"]["grant_max"]
    doc["rules"]["admin_cap_percent"] = 10.0
    doc["rules"]["eligible_legal_forms"].append("cooperative")
    doc["deadline"] = "2027-06-09T16:00:00"
    doc["sections"][3]["page"] = 2

    errors: list[ValidationError] = sorted(
        validator.iter_errors(doc), key=lambda error: error.json_path
    )
    paths = {error.json_path: error for error in errors}
    last_form = len(doc["rules"]["eligible_legal_forms"]) - 1

    assert set(paths) == {
        "$.rules",
        "$.rules.admin_cap_percent",
        f"$.rules.eligible_legal_forms[{last_form}]",
        "$.deadline",
        "$.sections[3]",
    }
    assert "grant_max" in paths["$.rules"].message
    assert paths["$.rules"].validator == "required"
    assert list(paths["$.rules.admin_cap_percent"].absolute_path) == [
        "rules",
        "admin_cap_percent",
    ]
    assert paths["$.rules.admin_cap_percent"].validator == "type"
    assert list(paths[f"$.rules.eligible_legal_forms[{last_form}]"].absolute_path) == [
        "rules",
        "eligible_legal_forms",
        last_form,
    ]
    assert "cooperative" in paths[f"$.rules.eligible_legal_forms[{last_form}]"].message
    assert list(paths["$.deadline"].absolute_path) == ["deadline"]
    assert "'page' was unexpected" in paths["$.sections[3]"].message


def test_loader_also_refuses_a_deadline_without_time_zone() -> None:
    """Belt and braces: from_dict refuses what the schema refuses, naming the field."""
    doc = load("mms-2027-p1-przyklad.json")
    doc["deadline"] = "2027-06-09T16:00:00"

    with pytest.raises(DocumentError) as caught:
        CallDefinition.from_dict(doc)

    assert (caught.value.field, caught.value.reason) == ("deadline", "no_timezone")


def test_loader_names_the_unknown_legal_form() -> None:
    doc = load("mms-2027-p1-przyklad.json")
    doc["rules"]["eligible_legal_forms"][1] = "spolka_z_oo"

    with pytest.raises(DocumentError) as caught:
        CallDefinition.from_dict(doc)

    # from_dict counts list items from 1, as a person does; the schema from 0.
    assert caught.value.field == "rules.eligible_legal_forms[2]"
    assert caught.value.reason == "unknown_value"
