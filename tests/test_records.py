"""One declaration per field: the schemas, documents, store and bundles all follow it.

The committed JSON Schemas are the generator's output byte for byte, and a
field added to an application in a fixture (a subclass of ``Application``
and one more declaration, as a maintainer would add one) is carried by every
codec: the canonical document out and back, the generated schema, a real
SQLite store through its migration and an autosave, and a ``.mms`` bundle
into another data folder.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from mms_desktop.domain import canonical, document_schema, records, report_records
from mms_desktop.domain.application import Application
from mms_desktop.domain.fields import PARAGRAPH, Field, Kind, Record
from mms_desktop.domain.ids import new_id
from mms_desktop.i18n import LANGUAGES, catalog_files
from mms_desktop.resources import resource_path
from mms_desktop.services import bundles
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage import backup, bundle_rows, codecs, migrations, store

NOTE = "Sala remizy OSP i namiot sołectwa – użyczone bezpłatnie na 2 dni"


@dataclass(frozen=True)
class ApplicationWithNote(Application):
    """An application with one field more: what the in-kind contribution is."""

    in_kind_note: str = ""


NOTE_FIELD = Field(
    "in_kind_note",
    Kind.TEXT,
    "What the in-kind contribution is, in words.",
    max_length=PARAGRAPH,
    label="field.application.in_kind_note",
)
EXTENDED: Record[ApplicationWithNote] = records.APPLICATION.extended(
    ApplicationWithNote, NOTE_FIELD
)
# The one migration the new field needs.
ADD_COLUMN = "ALTER TABLE applications ADD COLUMN in_kind_note TEXT NOT NULL DEFAULT '';"


def validator(schema: dict[str, object]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


# --- the committed files are the declarations ----------------------------------------


@pytest.mark.parametrize("name", sorted(document_schema.schema_files()))
def test_the_committed_schema_is_generated_from_the_declarations(name: str):
    committed = resource_path("schemas", name).read_bytes()
    generated = document_schema.schema_files()[name].encode("utf-8")
    assert committed == generated, (
        f"resources/schemas/{name} differs from the declarations in"
        " mms_desktop/domain/records.py: run .venv/bin/python scripts/generate-schemas.py"
    )


def test_every_declared_label_is_in_every_catalog():
    labels = set()
    pending = [records.ORGANIZATION, records.APPLICATION, report_records.REPORT]
    while pending:
        record = pending.pop()
        for item in record.fields:
            if item.label:
                labels.add(item.label)
            if item.record is not None:
                pending.append(item.record)
    assert len(labels) > 60
    for language in LANGUAGES:
        keys = set()
        for path in catalog_files(language):
            keys |= set(json.loads(path.read_text(encoding="utf-8")))
        assert sorted(labels - keys) == [], language


# --- one field more, carried everywhere ----------------------------------------------


@pytest.fixture
def note_field(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Schema one version newer with the column, as a migration would add it."""
    newer = [*migrations.MIGRATIONS, ADD_COLUMN]
    for module in (migrations, store, bundle_rows):
        monkeypatch.setattr(module, "MIGRATIONS", newer)
    for module in (migrations, store, bundle_rows, backup, bundles):
        monkeypatch.setattr(module, "LATEST_VERSION", len(newer))
    yield


def use_extended_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(canonical, "APPLICATION", EXTENDED)
    monkeypatch.setattr(codecs, "APPLICATION", replace(codecs.APPLICATION, record=EXTENDED))


def test_a_new_field_is_in_the_generated_schema():
    schema = document_schema.application_schema(EXTENDED)
    application = schema["$defs"]["application"]
    assert application["properties"]["in_kind_note"] == {
        "$ref": "#/$defs/paragraph",
        "description": "What the in-kind contribution is, in words.",
    }
    assert application["required"][-1] == "in_kind_note"
    # Nothing else moved: the schema without the field is the committed one.
    del application["properties"]["in_kind_note"]
    application["required"].pop()
    assert document_schema.schema_text(schema) == resource_path(
        "schemas", "application.schema.json"
    ).read_text(encoding="utf-8")


def test_a_new_field_goes_through_document_store_and_bundle(
    note_field: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: str
):
    with Workspace.open(tmp_path / "laptop-a") as workspace:
        ids = workspace.create_demo()  # written before the field existed: its column is ''
        use_extended_declaration(monkeypatch)
        old = workspace.store.load_application(ids.application_id)
        assert isinstance(old, ApplicationWithNote) and old.in_kind_note == ""

        # Saved whole, and then edited as an autosave does: one field.
        application = ApplicationWithNote(
            id=new_id(),
            organization_id=ids.organization_id,
            call_id=old.call_id,
            title="Dożynki gminne",
            in_kind_note="namiot",
        )
        workspace.store.add_application(application)
        workspace.store.update_application(application.id, in_kind_note=NOTE)
        exported = bundles.export_bundle(workspace, tmp_path / "przeprowadzka.mms")

    # A real SQLite file, opened again: the column holds the text.
    with Workspace.open(tmp_path / "laptop-a") as reopened:
        loaded = reopened.store.load_application(application.id)
        organization = reopened.store.load_organization(ids.organization_id)
    assert loaded == replace(application, in_kind_note=NOTE)

    # The canonical document carries it, validates against the generated schema, reads back.
    document = canonical.application_document(loaded, organization, loaded.call_id, 1)
    assert document["application"]["in_kind_note"] == NOTE
    data = json.loads(canonical.encode(document))
    extended_schema = document_schema.application_schema(EXTENDED)
    assert list(validator(extended_schema).iter_errors(data)) == []
    assert canonical.application_from_document(data).application == loaded
    too_long = json.loads(json.dumps(data))
    too_long["application"]["in_kind_note"] = "x" * (PARAGRAPH + 1)
    assert [error.validator for error in validator(extended_schema).iter_errors(too_long)] == [
        "maxLength"
    ]
    # The schema of today refuses it: a field needs its declaration before it travels.
    today = document_schema.application_schema()
    assert [error.validator for error in validator(today).iter_errors(data)] == [
        "additionalProperties"
    ]

    # The bundle takes it to another laptop.
    target = tmp_path / "laptop-b"
    bundles.import_bundle(target, exported.path)
    with Workspace.open(target) as moved:
        assert moved.store.load_application(application.id) == loaded
        assert moved.store.load_application(ids.application_id).in_kind_note == ""


# --- the declarations and the dataclasses cannot drift apart --------------------------


def _all_records() -> list[Record[object]]:
    found: dict[str, Record[object]] = {}
    pending: list[Record[object]] = [
        records.ORGANIZATION,
        records.APPLICATION,
        report_records.REPORT,
    ]
    while pending:
        record = pending.pop()
        if record.cls.__name__ not in found:
            found[record.cls.__name__] = record
            pending.extend(item.record for item in record.fields if item.record is not None)
    return sorted(found.values(), key=lambda record: record.cls.__name__)


def _annotation(item: Field) -> object:
    """The Python type a field of this kind holds."""
    plain: dict[Kind, object] = {
        Kind.TEXT: str,
        Kind.ID: str,
        Kind.SHA256: str,
        Kind.SHA256_OR_EMPTY: str,
        Kind.OPTIONAL_ID: str | None,
        Kind.DATE: date | None,
        Kind.DECIMAL: Decimal,
        Kind.OPTIONAL_DECIMAL: Decimal | None,
        Kind.BOOLEAN: bool,
        Kind.INTEGER: int,
        Kind.OPTIONAL_INTEGER: int | None,
        Kind.IDS: tuple[str, ...],
    }
    if item.kind in plain:
        return plain[item.kind]
    if item.kind is Kind.ENUM:
        return item.enum
    if item.kind is Kind.OPTIONAL_ENUM:
        return item.enum | None
    assert item.record is not None
    cls = item.record.cls
    return {
        Kind.RECORD: cls,
        Kind.OPTIONAL_RECORD: cls | None,
        Kind.RECORDS: tuple[cls, ...],
    }[item.kind]


@pytest.mark.parametrize("record", _all_records(), ids=lambda record: record.cls.__name__)
def test_every_dataclass_field_is_declared_with_its_type(record: Record[object]):
    """A field added to a dataclass without its declaration fails here, by name."""
    hints = typing.get_type_hints(record.cls)
    assert [item.name for item in record.fields] == [
        item.name for item in dataclasses.fields(record.cls)
    ]
    for item in record.fields:
        assert hints[item.name] == _annotation(item), item.name
