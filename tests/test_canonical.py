"""The canonical application document: round trip, bytes, control sum, schema, errors."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mms_desktop.domain.application import (
    Action,
    Application,
    Arrears,
    BudgetLine,
    PaidExecution,
    Result,
    YearValue,
)
from mms_desktop.domain.canonical import (
    APPLICATION_SCHEMA,
    APPLICATION_SCHEMA_VERSION,
    ApplicationDocument,
    application_document,
    application_from_document,
    control_sum,
    encode,
    sha256_hex,
)
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Patron,
    Person,
    RegisterType,
    YearRevenue,
)
from mms_desktop.domain.public_task_spheres import SPHERES
from mms_desktop.resources import resource_path

# --- strategies ---------------------------------------------------------------

POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
# Single code points, plus the pieces of 🇵🇱 and of a ZWJ family emoji.
EMOJI = "🙂🎉🌳🚒🍲🇵🇱👩\u200d👧"

_alphabet = st.one_of(
    st.sampled_from(POLISH + EMOJI + " \"'\\/\n\t{}[],:"),
    st.characters(codec="utf-8"),  # any code point but lone surrogates
)


def texts(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(alphabet=_alphabet, min_size=min_size, max_size=max_size)


ids = texts(min_size=1, max_size=24)
codes = texts(max_size=20)  # schema: at most 100 characters
lines = texts(max_size=60)  # schema: at most 500
paragraphs = texts(max_size=200)  # schema: at most 5000 / 20000
optional_dates = st.none() | st.dates()


def decimals(max_units: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Decimals with 0, 1 or 2 places (exactly that exponent), within ±max_units."""
    return st.integers(0, 2).flatmap(
        lambda places: st.integers(-max_units * 10**places, max_units * 10**places).map(
            lambda n: Decimal(n).scaleb(-places)
        )
    )


people = st.builds(Person, name=lines, role=lines, phone=codes, email=lines)
patrons = st.builds(
    Patron,
    name=lines,
    register_type=st.sampled_from(RegisterType),
    register_number=codes,
    nip=codes,
    address=paragraphs,
    representative=lines,
)


def tuples(elements: st.SearchStrategy[Any], max_size: int) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(elements, max_size=max_size).map(tuple)


organizations = st.builds(
    Organization,
    id=ids,
    name=lines,
    short_name=lines,
    legal_form=st.sampled_from(LegalForm),
    register_type=st.sampled_from(RegisterType),
    register_number=codes,
    nip=codes,
    regon=codes,
    street=lines,
    postcode=codes,
    locality=lines,
    gmina=lines,
    powiat=lines,
    voivodeship=lines,
    locality_population=st.none() | st.integers(0, 10**7),
    revenues=tuples(
        st.builds(YearRevenue, year=st.integers(1990, 2100), amount=decimals()), max_size=4
    ),
    website=lines,
    correspondence_address=paragraphs,
    email=lines,
    phone=codes,
    bank_account=codes,
    representatives=tuples(people, max_size=3),
    contact=people,
    members=tuples(people, max_size=4),
    patron=st.none() | patrons,
)

actions = st.builds(
    Action,
    id=ids,
    name=lines,
    description=paragraphs,
    target_group=paragraphs,
    start_date=optional_dates,
    end_date=optional_dates,
    third_party_scope=paragraphs,
)
results = st.builds(
    Result,
    id=ids,
    name=lines,
    planned_value=st.none() | decimals(),
    unit=codes,
    measurement=paragraphs,
)


def budget_lines(action_ids: list[str]) -> st.SearchStrategy[BudgetLine]:
    action_id = st.none() | st.sampled_from(action_ids) if action_ids else st.none()
    return st.builds(
        BudgetLine,
        id=ids,
        category_id=st.sampled_from(["", "materials", "equipment", "admin"]) | ids,
        action_id=action_id,
        name=lines,
        unit=codes,
        unit_cost=decimals(10**6),
        quantity=decimals(10**4),
        grant=decimals(10**6),
        own_financial=decimals(10**6),
        own_personal=decimals(10**6),
        own_in_kind=decimals(10**6),
        participants=decimals(10**6),
        year_values=tuples(
            st.builds(YearValue, year=st.integers(1990, 2100), amount=decimals(10**6)),
            max_size=3,
        ),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Application, Organization, str, int]:
    """An application with its organisation, call id and call version, all consistent."""
    org = draw(organizations)
    call_id = draw(ids)
    plan = draw(st.lists(actions, max_size=5, unique_by=lambda action: action.id))
    app = Application(
        id=draw(ids),
        organization_id=org.id,
        call_id=call_id,
        title=draw(lines),
        start_date=draw(optional_dates),
        end_date=draw(optional_dates),
        place=draw(paragraphs),
        target_group=draw(paragraphs),
        summary=draw(paragraphs),
        need=draw(paragraphs),
        actions=tuple(plan),
        task_sphere=draw(st.sampled_from(["", *SPHERES])),
        results_products=draw(paragraphs),
        results_change=draw(paragraphs),
        results_durability=draw(paragraphs),
        results=tuple(draw(st.lists(results, max_size=4, unique_by=lambda r: r.id))),
        experience=draw(paragraphs),
        resources=draw(paragraphs),
        partners=draw(paragraphs),
        budget=tuple(
            draw(
                st.lists(
                    budget_lines([action.id for action in plan]),
                    max_size=8,
                    unique_by=lambda line: line.id,
                )
            )
        ),
        paid_execution=draw(st.sampled_from(PaidExecution)),
        joint_offer_roles=draw(paragraphs),
        other_information=draw(paragraphs),
        tax_arrears=draw(st.sampled_from(Arrears)),
        social_insurance_arrears=draw(st.sampled_from(Arrears)),
        confirmed_declarations=tuple(draw(st.lists(ids, max_size=4))),
    )
    return app, org, call_id, draw(st.integers(1, 10**6))


# --- helpers ------------------------------------------------------------------


class FloatFound(AssertionError):
    pass


def _no_float(text: str) -> Any:
    raise FloatFound(text)


def _sorted_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert keys == sorted(keys), f"keys not sorted: {keys}"
    assert len(set(keys)) == len(keys), f"duplicate keys: {keys}"
    return dict(pairs)


def strict_loads(raw: bytes) -> Any:
    """Parse canonical bytes, failing on floats, NaN/Infinity and unsorted keys."""
    return json.loads(
        raw.decode("utf-8"),
        parse_float=_no_float,
        parse_constant=_no_float,
        object_pairs_hook=_sorted_object,
    )


@cache
def validator() -> jsonschema.Draft202012Validator:
    with resource_path("schemas", "application.schema.json").open(encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(document: Any) -> list[jsonschema.ValidationError]:
    return list(validator().iter_errors(document))


def field_path(parts: list[str | int]) -> str:
    """``["application", "budget", 1, "unit_cost"]`` → ``application.budget[2].unit_cost``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text


def nodes(value: Any, path: list[str | int] | None = None) -> list[tuple[list[str | int], Any]]:
    """Every value inside a JSON document with its path (the root excluded)."""
    path = path or []
    found: list[tuple[list[str | int], Any]] = []
    children: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    for key, child in children:
        found.append(([*path, key], child))
        found.extend(nodes(child, [*path, key]))
    return found


def at(document: Any, path: list[str | int]) -> Any:
    for part in path:
        document = document[part]
    return document


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    assert isinstance(value, dict)
    return "object"


WRONG_VALUES: dict[str, Any] = {
    "string": "\u0000not-what-was-expected",
    "integer": 7,
    "boolean": True,
    "float": 12.5,
    "array": [],
    "object": {},
}


def sample_document() -> dict[str, Any]:
    """A small realistic document: two actions, three budget lines."""
    org = Organization(
        id="org-1",
        name="Koło Gospodyń Wiejskich w Żółkiewce",
        legal_form=LegalForm.KGW,
        register_type=RegisterType.ARIMR_KGW,
        locality="Żółkiewka",
        locality_population=1240,
        revenues=(YearRevenue(2024, Decimal("18450.00")),),
        contact=Person(name="Łucja Ślęzak", role="przewodnicząca"),
    )
    app = Application(
        id="app-1",
        organization_id="org-1",
        call_id="mms-2025",
        title="Ogród sąsiedzki 🌳",
        start_date=date(2025, 6, 1),
        end_date=date(2025, 9, 30),
        actions=(Action(id="a1", name="Warsztaty"), Action(id="a2", name="Piknik")),
        results=(Result(id="r1", name="Uczestnicy", planned_value=Decimal("40"), unit="os."),),
        budget=(
            BudgetLine(
                id="b1",
                category_id="materials",
                action_id="a1",
                name="Nasiona",
                unit="kpl.",
                unit_cost=Decimal("150.00"),
                quantity=Decimal("10"),
                grant=Decimal("1500.00"),
            ),
            BudgetLine(
                id="b2",
                category_id="materials",
                action_id="a2",
                name="Namiot",
                unit="szt.",
                unit_cost=Decimal("420.50"),
                quantity=Decimal("2"),
                grant=Decimal("700.00"),
                own_financial=Decimal("141.00"),
            ),
            BudgetLine(
                id="b3",
                category_id="admin",
                action_id=None,
                name="Księgowość",
                unit="usł.",
                unit_cost=Decimal("300.00"),
                quantity=Decimal("1"),
                own_personal=Decimal("300.00"),
            ),
        ),
        confirmed_declarations=("d1", "d2"),
    )
    return application_document(app, org, "mms-2025", 3)


# --- round trip and bytes -------------------------------------------------------


@settings(deadline=None)
@given(cases())
def test_round_trip_gives_back_equal_objects_and_identical_bytes(
    case: tuple[Application, Organization, str, int],
) -> None:
    app, org, call_id, version = case
    raw = encode(application_document(app, org, call_id, version))

    decoded = application_from_document(json.loads(raw))

    assert decoded == ApplicationDocument(app, org, call_id, version)
    assert encode(application_document(app, org, call_id, version)) == raw
    # Decoding and encoding again reproduces the very same bytes (and control sum).
    again = encode(
        application_document(
            decoded.application, decoded.organization, decoded.call_id, decoded.call_version
        )
    )
    assert again == raw


@settings(deadline=None)
@given(cases())
def test_every_document_validates_against_the_schema(
    case: tuple[Application, Organization, str, int],
) -> None:
    raw = encode(application_document(*case))
    assert schema_errors(json.loads(raw)) == []


@settings(deadline=None)
@given(cases())
def test_encoding_is_canonical_sorted_keys_no_floats_no_whitespace(
    case: tuple[Application, Organization, str, int],
) -> None:
    raw = encode(application_document(*case))
    parsed = strict_loads(raw)  # raises on floats and unsorted keys
    # Re-serialising in file order without any whitespace gives the same bytes:
    # no insignificant whitespace, UTF-8 without \u escapes of letters.
    assert json.dumps(parsed, ensure_ascii=False, separators=(",", ":")).encode("utf-8") == raw
    for path, value in nodes(parsed):
        assert not isinstance(value, float), field_path(path)


def test_polish_letters_and_emoji_are_written_as_utf8_not_escaped() -> None:
    raw = encode(sample_document())
    assert "Żółkiewce".encode() in raw
    assert "🌳".encode() in raw
    assert b"\\u" not in raw


def test_float_in_document_is_detected_by_the_strict_parser() -> None:
    # The helper itself must be able to fail, or the tests above prove nothing.
    with pytest.raises(FloatFound):
        strict_loads(b'{"a":1.5}')
    with pytest.raises(AssertionError, match="not sorted"):
        strict_loads(b'{"b":1,"a":2}')


def test_sample_document_shape() -> None:
    document = sample_document()
    assert document["schema"] == APPLICATION_SCHEMA == "mms-application"
    assert document["schema_version"] == APPLICATION_SCHEMA_VERSION == 2
    assert document["call"] == {"id": "mms-2025", "version": 3}
    line = document["application"]["budget"][1]
    assert line["unit_cost"] == "420.50"
    assert line["quantity"] == "2"
    assert line["participants"] == "0.00"
    assert document["application"]["budget"][2]["action_id"] is None
    assert document["application"]["start_date"] == "2025-06-01"
    assert document["organization"]["patron"] is None
    assert document["organization"]["revenues"] == [{"amount": "18450.00", "year": 2024}]
    assert schema_errors(document) == []


# --- control sum ------------------------------------------------------------------


@given(st.binary(max_size=200))
def test_control_sum_is_the_first_64_bits_of_the_sha256(data: bytes) -> None:
    digest = hashlib.sha256(data).hexdigest()
    assert sha256_hex(data) == digest
    value = control_sum(sha256_hex(data))
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", value)
    assert value.replace("-", "") == digest[:16].upper()


def test_control_sum_known_values() -> None:
    assert control_sum(sha256_hex(b"")) == "E3B0-C442-98FC-1C14"
    assert control_sum(sha256_hex(b"abc")) == "BA78-16BF-8F01-CFEA"


@settings(deadline=None)
@given(cases())
def test_control_sum_of_a_document_changes_with_its_content(
    case: tuple[Application, Organization, str, int],
) -> None:
    app, org, call_id, version = case
    raw = encode(application_document(app, org, call_id, version))
    changed = encode(application_document(app, org, call_id, version + 1))
    assert control_sum(sha256_hex(raw)) != control_sum(sha256_hex(changed))


# --- malformed documents -------------------------------------------------------------


def _set(path: list[str | int], value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        parent = at(document, path[:-1])
        parent[path[-1]] = value

    return change


def _delete(path: list[str | int]) -> Any:
    def change(document: dict[str, Any]) -> None:
        del at(document, path[:-1])[path[-1]]

    return change


BUDGET_2 = ["application", "budget", 1]

MALFORMED = [
    # (change, field, reason, schema also refuses it)
    (_set([*BUDGET_2, "unit_cost"], 12.5), "application.budget[2].unit_cost", "not_decimal", True),
    (
        _set([*BUDGET_2, "unit_cost"], "12,50"),
        "application.budget[2].unit_cost",
        "not_decimal",
        True,
    ),
    (_set([*BUDGET_2, "unit_cost"], 1250), "application.budget[2].unit_cost", "not_decimal", True),
    (_set(["schema_version"], 3), "schema_version", "unknown_schema_version", True),
    (_set(["schema_version"], "1"), "schema_version", "not_integer", True),
    (_set(["schema"], "mms-report"), "schema", "wrong_schema", True),
    (
        _set(["application", "budget", 2, "action_id"], "a9"),
        "application.budget[3].action_id",
        "unknown_action",
        False,
    ),
    (_delete([*BUDGET_2, "unit_cost"]), "application.budget[2].unit_cost", "missing", True),
    (_delete(["call"]), "call", "missing", True),
    (_delete(["call", "version"]), "call.version", "missing", True),
    (_delete(["organization", "id"]), "organization.id", "missing", True),
    (_delete(["application", "actions", 0, "id"]), "application.actions[1].id", "missing", True),
    (_set(["application", "title"], 5), "application.title", "not_text", True),
    (
        _set(["application", "actions", 1, "third_party_scope"], True),
        "application.actions[2].third_party_scope",
        "not_text",
        True,
    ),
    # The schema's date pattern cannot know February has no 30th; the reader does.
    (
        _set(["application", "start_date"], "2025-02-30"),
        "application.start_date",
        "impossible_date",
        False,
    ),
    (
        _set(["application", "start_date"], "01.07.2025"),
        "application.start_date",
        "not_date",
        True,
    ),
    (
        _set(["organization", "legal_form"], "spółka"),
        "organization.legal_form",
        "unknown_value",
        True,
    ),
    (
        _set(["organization", "locality_population"], "1240"),
        "organization.locality_population",
        "not_integer",
        True,
    ),
    (_set(["organization", "revenues"], {}), "organization.revenues", "not_a_list", True),
    # JSON Schema counts 2024.0 as an integer; the reader (and the file reader,
    # which refuses floats) do not.
    (
        _set(["organization", "revenues", 0, "year"], 2024.0),
        "organization.revenues[1].year",
        "not_integer",
        False,
    ),
    (
        _set(["organization", "revenues", 0, "year"], "2024"),
        "organization.revenues[1].year",
        "not_integer",
        True,
    ),
    (_set(["application", "budget", 0], "b1"), "application.budget[1]", "not_an_object", True),
    (
        _set(["application", "results", 0, "planned_value"], "40 os."),
        "application.results[1].planned_value",
        "not_decimal",
        True,
    ),
    (
        _set(["application", "confirmed_declarations"], "d1"),
        "application.confirmed_declarations",
        "not_a_list",
        True,
    ),
    (
        _set(["application", "organization_id"], "org-2"),
        "application.organization_id",
        "organization_mismatch",
        False,
    ),
    (_set(["application", "call_id"], "mms-2026"), "application.call_id", "call_mismatch", False),
]


@pytest.mark.parametrize(
    ("change", "field", "reason", "schema_refuses"),
    MALFORMED,
    ids=[f"{field}-{reason}" for _, field, reason, _ in MALFORMED],
)
def test_malformed_document_names_the_field(
    change: Any, field: str, reason: str, schema_refuses: bool
) -> None:
    document = sample_document()
    application_from_document(copy.deepcopy(document))  # the unchanged one reads
    change(document)

    with pytest.raises(DocumentError) as raised:
        application_from_document(document)

    assert raised.value.field == field
    assert raised.value.reason == reason
    if schema_refuses:
        assert schema_errors(document) != []


@pytest.mark.parametrize("document", [[], "mms-application", None, 1])
def test_a_document_that_is_not_an_object(document: Any) -> None:
    with pytest.raises(DocumentError) as raised:
        application_from_document(document)
    assert raised.value.field == "(dokument)"
    assert raised.value.reason == "not_an_object"


@settings(deadline=None)
@given(cases(), st.data())
def test_a_value_of_the_wrong_type_anywhere_is_named_by_its_path(
    case: tuple[Application, Organization, str, int], data: st.DataObject
) -> None:
    document = json.loads(encode(application_document(*case)))
    path, value = data.draw(st.sampled_from(nodes(document)), label="node")
    kind = json_kind(value)
    # Nullable fields hold a string, an integer or an object when not null, so a
    # null is replaced only by a kind no nullable field ever holds.
    excluded = {kind, "string", "integer", "object"} if kind == "null" else {kind}
    wrong = data.draw(st.sampled_from(sorted(set(WRONG_VALUES) - excluded)), label="wrong kind")
    parent = at(document, path[:-1])
    parent[path[-1]] = copy.deepcopy(WRONG_VALUES[wrong])

    with pytest.raises(DocumentError) as raised:
        application_from_document(document)

    expected = path
    if path[:2] == ["application", "confirmed_declarations"]:
        expected = path[:2]  # a list of texts is refused as a whole
    assert raised.value.field == field_path(expected)
    assert any(list(error.absolute_path) == path for error in schema_errors(document))


@settings(deadline=None)
@given(cases(), st.data())
def test_the_schema_requires_every_key(
    case: tuple[Application, Organization, str, int], data: st.DataObject
) -> None:
    document = json.loads(encode(application_document(*case)))
    keys = [(path, value) for path, value in nodes(document) if isinstance(path[-1], str)]
    path, _ = data.draw(st.sampled_from(keys), label="key")
    del at(document, path[:-1])[path[-1]]

    errors = schema_errors(document)

    assert any(
        error.validator == "required"
        and list(error.absolute_path) == path[:-1]
        and path[-1] not in error.instance
        for error in errors
    ), [error.message for error in errors]


@settings(deadline=None)
@given(cases(), st.data())
def test_the_schema_refuses_unknown_keys(
    case: tuple[Application, Organization, str, int], data: st.DataObject
) -> None:
    document = json.loads(encode(application_document(*case)))
    objects = [path for path, value in nodes(document) if isinstance(value, dict)]
    path = data.draw(st.sampled_from([[], *objects]), label="object")
    at(document, path)["zzz_unknown"] = ""
    errors = schema_errors(document)
    assert any(
        error.validator == "additionalProperties" and list(error.absolute_path) == path
        for error in errors
    )


# --- what the schema refuses, in detail -------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1e3",
        "1E+3",
        "+5",
        ".5",
        "5.",
        "1 234,50",
        "1,5",
        "١٢٣",
        "１２.5",
        "12\n",
        " 12",
        "NaN",
        "Infinity",
        "",
        "-",
        "1" * 41,
    ],
)
def test_the_schema_refuses_a_non_canonical_decimal(value: str) -> None:
    document = sample_document()
    document["application"]["budget"][0]["grant"] = value
    assert schema_errors(document) != []


@pytest.mark.parametrize("value", ["0", "-0", "12.5", "1500.00", "-0.01", "123456789.123"])
def test_the_schema_accepts_a_canonical_decimal(value: str) -> None:
    document = sample_document()
    document["application"]["budget"][0]["grant"] = value
    assert schema_errors(document) == []


@pytest.mark.parametrize(
    "value",
    [
        "20250601",
        "2025-W22-7",
        "2025-6-1",
        "2025-13-01",
        "2025-06-32",
        "2025-06-01\n",
        "2025-06-01T00:00",
        "٢٠٢٥-06-01",
        "",
    ],
)
def test_the_schema_refuses_a_non_canonical_date(value: str) -> None:
    document = sample_document()
    document["application"]["start_date"] = value
    assert schema_errors(document) != []


REFUSED: list[tuple[list[str | int], Any]] = [
    (["application", "title"], "ą" * 501),
    (["application", "summary"], "ż" * 20001),
    (["organization", "nip"], "1" * 101),
    (["application", "actions"], [{}] * 201),
    (["application", "results"], [{}] * 201),
    (["application", "budget"], [{}] * 2001),
    (["application", "id"], ""),
    (["organization", "id"], ""),
    (["application", "budget", 0, "action_id"], ""),
    (["application", "confirmed_declarations"], [""]),
    (["call", "version"], 0),
    (["organization", "register_type"], "KRS"),
    (["organization", "patron"], {"name": "Fundacja"}),
    (["organization", "locality_population"], -1),
    (["organization", "contact"], None),
    (["application", "title"], None),
    (["application", "actions", 0, "third_party_scope"], None),
]


@pytest.mark.parametrize(
    ("path", "value"),
    REFUSED,
    ids=[f"{field_path(path)}-{number}" for number, (path, _) in enumerate(REFUSED)],
)
def test_the_schema_refuses(path: list[str | int], value: Any) -> None:
    document = sample_document()
    _set(path, value)(document)
    assert schema_errors(document) != []


def test_the_schema_accepts_the_longest_texts_and_a_patron() -> None:
    document = sample_document()
    document["application"]["title"] = "ą" * 500
    document["application"]["summary"] = "🌳" * 20000
    document["organization"]["patron"] = {
        "name": "Stowarzyszenie Przyjaciół Żółkiewki",
        "register_type": "krs",
        "register_number": "0000123456",
        "nip": "",
        "address": "",
        "representative": "",
    }
    assert schema_errors(document) == []
    decoded = application_from_document(document)
    assert decoded.organization.patron == Patron(
        name="Stowarzyszenie Przyjaciół Żółkiewki",
        register_type=RegisterType.KRS,
        register_number="0000123456",
    )
