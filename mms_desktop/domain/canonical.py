"""The canonical document of an application, and its control sum.

One JSON format is the file a user saves, the payload sent to the operator,
and the input of the control sum. Canonical means: UTF-8, keys sorted, no
insignificant whitespace, money and other decimals as strings, dates as ISO
strings, every field present (``null`` when empty) — so one application
always encodes to the same bytes, and the same bytes always decode to it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from mms_desktop.domain.application import (
    Action,
    Application,
    AttachmentRef,
    BudgetLine,
    Result,
)
from mms_desktop.domain.document_errors import DocumentError, Reader
from mms_desktop.domain.money import decimal_to_document
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Patron,
    Person,
    RegisterType,
    YearRevenue,
)

APPLICATION_SCHEMA = "mms-application"
APPLICATION_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ApplicationDocument:
    """What one canonical application file holds."""

    application: Application
    organization: Organization
    call_id: str
    call_version: int


# --- encoding ---------------------------------------------------------------


def encode(document: dict[str, Any]) -> bytes:
    """The canonical bytes of a document (the input of the control sum)."""
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def control_sum(sha256: str) -> str:
    """``1a2b3c4d5e6f7a8b…`` → ``1A2B-3C4D-5E6F-7A8B`` (the first 64 bits)."""
    head = sha256[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def decimal_or_none(value: Decimal | None) -> str | None:
    return None if value is None else decimal_to_document(value)


def date_or_none(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _person(person: Person) -> dict[str, Any]:
    return {"name": person.name, "role": person.role, "phone": person.phone, "email": person.email}


def organization_to_dict(org: Organization) -> dict[str, Any]:
    patron = org.patron
    return {
        "id": org.id,
        "name": org.name,
        "short_name": org.short_name,
        "legal_form": org.legal_form.value,
        "register_type": org.register_type.value,
        "register_number": org.register_number,
        "nip": org.nip,
        "regon": org.regon,
        "street": org.street,
        "postcode": org.postcode,
        "locality": org.locality,
        "gmina": org.gmina,
        "powiat": org.powiat,
        "voivodeship": org.voivodeship,
        "locality_population": org.locality_population,
        "revenues": [
            {"year": item.year, "amount": decimal_to_document(item.amount)} for item in org.revenues
        ],
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "bank_account": org.bank_account,
        "representatives": [_person(person) for person in org.representatives],
        "contact": _person(org.contact),
        "members": [_person(person) for person in org.members],
        "patron": None
        if patron is None
        else {
            "name": patron.name,
            "register_type": patron.register_type.value,
            "register_number": patron.register_number,
            "nip": patron.nip,
            "address": patron.address,
            "representative": patron.representative,
        },
    }


def budget_line_to_dict(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "category_id": line.category_id,
        "action_id": line.action_id,
        "name": line.name,
        "unit": line.unit,
        "unit_cost": decimal_to_document(line.unit_cost),
        "quantity": decimal_to_document(line.quantity),
        "grant": decimal_to_document(line.grant),
        "own_financial": decimal_to_document(line.own_financial),
        "own_personal": decimal_to_document(line.own_personal),
        "own_in_kind": decimal_to_document(line.own_in_kind),
        "participants": decimal_to_document(line.participants),
    }


def application_to_dict(app: Application) -> dict[str, Any]:
    return {
        "id": app.id,
        "organization_id": app.organization_id,
        "call_id": app.call_id,
        "title": app.title,
        "start_date": date_or_none(app.start_date),
        "end_date": date_or_none(app.end_date),
        "place": app.place,
        "target_group": app.target_group,
        "summary": app.summary,
        "need": app.need,
        "actions": [
            {
                "id": action.id,
                "name": action.name,
                "description": action.description,
                "target_group": action.target_group,
                "start_date": date_or_none(action.start_date),
                "end_date": date_or_none(action.end_date),
                "third_party": action.third_party,
            }
            for action in app.actions
        ],
        "expected_results": app.expected_results,
        "results": [
            {
                "id": result.id,
                "name": result.name,
                "planned_value": decimal_or_none(result.planned_value),
                "unit": result.unit,
                "measurement": result.measurement,
            }
            for result in app.results
        ],
        "experience": app.experience,
        "resources": app.resources,
        "partners": app.partners,
        "budget": [budget_line_to_dict(line) for line in app.budget],
        "other_information": app.other_information,
        "confirmed_declarations": list(app.confirmed_declarations),
    }


def attachment_to_dict(item: AttachmentRef) -> dict[str, Any]:
    return {
        "sha256": item.sha256,
        "name": item.name,
        "size": item.size,
        "requirement_id": item.requirement_id,
    }


def attachment_from_dict(read: Reader) -> AttachmentRef:
    return AttachmentRef(
        sha256=read.text("sha256"),
        name=read.text("name"),
        size=read.integer("size"),
        requirement_id=read.text("requirement_id", ""),
    )


def application_document(
    app: Application, org: Organization, call_id: str, call_version: int
) -> dict[str, Any]:
    return {
        "schema": APPLICATION_SCHEMA,
        "schema_version": APPLICATION_SCHEMA_VERSION,
        # Top level: the operator reads the list to ask for the files first.
        "attachments": [attachment_to_dict(item) for item in app.attachments],
        "call": {"id": call_id, "version": call_version},
        "organization": organization_to_dict(org),
        "application": application_to_dict(app),
    }


# --- decoding ---------------------------------------------------------------


def _person_from(read: Reader) -> Person:
    return Person(
        name=read.text("name", ""),
        role=read.text("role", ""),
        phone=read.text("phone", ""),
        email=read.text("email", ""),
    )


def organization_from_dict(read: Reader) -> Organization:
    patron_reader = read.optional_child("patron")
    patron = None
    if patron_reader is not None:
        patron = Patron(
            name=patron_reader.text("name", ""),
            register_type=patron_reader.enum("register_type", RegisterType),
            register_number=patron_reader.text("register_number", ""),
            nip=patron_reader.text("nip", ""),
            address=patron_reader.text("address", ""),
            representative=patron_reader.text("representative", ""),
        )
    return Organization(
        id=read.text("id"),
        name=read.text("name", ""),
        short_name=read.text("short_name", ""),
        legal_form=read.enum("legal_form", LegalForm),
        register_type=read.enum("register_type", RegisterType),
        register_number=read.text("register_number", ""),
        nip=read.text("nip", ""),
        regon=read.text("regon", ""),
        street=read.text("street", ""),
        postcode=read.text("postcode", ""),
        locality=read.text("locality", ""),
        gmina=read.text("gmina", ""),
        powiat=read.text("powiat", ""),
        voivodeship=read.text("voivodeship", ""),
        locality_population=read.optional_integer("locality_population"),
        revenues=tuple(
            YearRevenue(year=item.integer("year"), amount=item.decimal("amount"))
            for item in read.records("revenues", optional=True)
        ),
        website=read.text("website", ""),
        email=read.text("email", ""),
        phone=read.text("phone", ""),
        bank_account=read.text("bank_account", ""),
        representatives=tuple(
            _person_from(item) for item in read.records("representatives", optional=True)
        ),
        contact=_person_from(read.child("contact")) if read.mapping("contact", True) else Person(),
        members=tuple(_person_from(item) for item in read.records("members", optional=True)),
        patron=patron,
    )


def budget_line_from_dict(item: Reader) -> BudgetLine:
    return BudgetLine(
        id=item.text("id"),
        category_id=item.text("category_id", ""),
        action_id=item.optional_text("action_id"),
        name=item.text("name", ""),
        unit=item.text("unit", ""),
        unit_cost=item.decimal("unit_cost"),
        quantity=item.decimal("quantity"),
        grant=item.decimal("grant"),
        own_financial=item.decimal("own_financial"),
        own_personal=item.decimal("own_personal"),
        own_in_kind=item.decimal("own_in_kind"),
        participants=item.decimal("participants"),
    )


def application_from_dict(read: Reader) -> Application:
    return Application(
        id=read.text("id"),
        organization_id=read.text("organization_id"),
        call_id=read.text("call_id"),
        title=read.text("title", ""),
        start_date=read.optional_date("start_date"),
        end_date=read.optional_date("end_date"),
        place=read.text("place", ""),
        target_group=read.text("target_group", ""),
        summary=read.text("summary", ""),
        need=read.text("need", ""),
        actions=tuple(
            Action(
                id=item.text("id"),
                name=item.text("name", ""),
                description=item.text("description", ""),
                target_group=item.text("target_group", ""),
                start_date=item.optional_date("start_date"),
                end_date=item.optional_date("end_date"),
                third_party=item.boolean("third_party", False),
            )
            for item in read.records("actions", optional=True)
        ),
        expected_results=read.text("expected_results", ""),
        results=tuple(
            Result(
                id=item.text("id"),
                name=item.text("name", ""),
                planned_value=item.optional_decimal("planned_value"),
                unit=item.text("unit", ""),
                measurement=item.text("measurement", ""),
            )
            for item in read.records("results", optional=True)
        ),
        experience=read.text("experience", ""),
        resources=read.text("resources", ""),
        partners=read.text("partners", ""),
        budget=tuple(budget_line_from_dict(item) for item in read.records("budget", optional=True)),
        other_information=read.text("other_information", ""),
        confirmed_declarations=tuple(read.text_list("confirmed_declarations")),
    )


def application_from_document(document: object) -> ApplicationDocument:
    """Read a canonical application document; DocumentError names what is wrong."""
    read = Reader(document, "")
    if read.text("schema") != APPLICATION_SCHEMA:
        raise DocumentError("schema", "wrong_schema", expected=APPLICATION_SCHEMA)
    version = read.integer("schema_version")
    if version != APPLICATION_SCHEMA_VERSION:
        raise DocumentError(
            "schema_version",
            "unknown_schema_version",
            value=version,
            expected=APPLICATION_SCHEMA_VERSION,
        )
    call = read.child("call")
    attachments = tuple(
        attachment_from_dict(item) for item in read.records("attachments", optional=True)
    )
    application = replace(application_from_dict(read.child("application")), attachments=attachments)
    organization = organization_from_dict(read.child("organization"))
    if application.organization_id != organization.id:
        raise DocumentError("application.organization_id", "organization_mismatch")
    call_id = call.text("id")
    if application.call_id != call_id:
        raise DocumentError("application.call_id", "call_mismatch")
    action_ids = {action.id for action in application.actions}
    for number, line in enumerate(application.budget, start=1):
        if line.action_id is not None and line.action_id not in action_ids:
            raise DocumentError(f"application.budget[{number}].action_id", "unknown_action")
    return ApplicationDocument(
        application=application,
        organization=organization,
        call_id=call_id,
        call_version=call.integer("version"),
    )
