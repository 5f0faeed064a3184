"""Rows ↔ domain objects: decimals as exact strings, dates as ISO text.

Only the columns listed here may be written by field-level saves; a field name
that is not a column of its table is refused before any SQL is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from mms_desktop.domain.application import Action, Application, AttachmentRef, BudgetLine, Result
from mms_desktop.domain.document_errors import Reader
from mms_desktop.domain.money import decimal_to_document
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Patron,
    Person,
    RegisterType,
    YearRevenue,
)
from mms_desktop.domain.report import Report, ReportKind
from mms_desktop.domain.report_canonical import ROW_CODECS


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _date_out(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date_in(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _decimal_out(value: Decimal | None) -> str | None:
    return None if value is None else decimal_to_document(value)


def _decimal_in(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _enum_out(value: Enum | str) -> str:
    return value.value if isinstance(value, Enum) else str(value)


def _json_out(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _people_out(people: tuple[Person, ...]) -> str:
    return _json_out([_person_dict(person) for person in people])


def _person_dict(person: Person) -> dict[str, str]:
    return {"name": person.name, "role": person.role, "phone": person.phone, "email": person.email}


def _people_in(text: str) -> tuple[Person, ...]:
    return tuple(Person(**item) for item in json.loads(text))


def _patron_out(patron: Patron | None) -> str | None:
    return None if patron is None else _json_out(_patron_dict(patron))


def _patron_dict(patron: Patron) -> dict[str, str]:
    return {
        "name": patron.name,
        "register_type": patron.register_type.value,
        "register_number": patron.register_number,
        "nip": patron.nip,
        "address": patron.address,
        "representative": patron.representative,
    }


def _patron_in(text: str | None) -> Patron | None:
    if text is None:
        return None
    data = json.loads(text)
    data["register_type"] = RegisterType(data["register_type"])
    return Patron(**data)


def _revenues_out(revenues: tuple[YearRevenue, ...]) -> str:
    return _json_out(
        [{"year": item.year, "amount": decimal_to_document(item.amount)} for item in revenues]
    )


def _revenues_in(text: str) -> tuple[YearRevenue, ...]:
    return tuple(
        YearRevenue(year=int(item["year"]), amount=Decimal(item["amount"]))
        for item in json.loads(text)
    )


Encoder = Callable[[Any], Any]

# Field name → how its value is written into its column.
ORGANIZATION_FIELDS: dict[str, Encoder] = {
    "name": _text,
    "short_name": _text,
    "legal_form": _enum_out,
    "register_type": _enum_out,
    "register_number": _text,
    "nip": _text,
    "regon": _text,
    "street": _text,
    "postcode": _text,
    "locality": _text,
    "gmina": _text,
    "powiat": _text,
    "voivodeship": _text,
    "locality_population": lambda value: None if value is None else int(value),
    "revenues": _revenues_out,
    "website": _text,
    "email": _text,
    "phone": _text,
    "bank_account": _text,
    "representatives": _people_out,
    "contact": lambda person: _json_out(_person_dict(person)),
    "members": _people_out,
    "patron": _patron_out,
}

APPLICATION_FIELDS: dict[str, Encoder] = {
    "title": _text,
    "start_date": _date_out,
    "end_date": _date_out,
    "place": _text,
    "target_group": _text,
    "summary": _text,
    "need": _text,
    "expected_results": _text,
    "experience": _text,
    "resources": _text,
    "partners": _text,
    "other_information": _text,
    "confirmed_declarations": lambda ids: _json_out(list(ids)),
    "attachments": lambda items: _json_out(
        [
            {"sha256": a.sha256, "name": a.name, "size": a.size, "requirement_id": a.requirement_id}
            for a in items
        ]
    ),
}

ACTION_FIELDS: dict[str, Encoder] = {
    "name": _text,
    "description": _text,
    "target_group": _text,
    "start_date": _date_out,
    "end_date": _date_out,
    "third_party": lambda value: 1 if value else 0,
}

RESULT_FIELDS: dict[str, Encoder] = {
    "name": _text,
    "planned_value": _decimal_out,
    "unit": _text,
    "measurement": _text,
}

BUDGET_LINE_FIELDS: dict[str, Encoder] = {
    "category_id": _text,
    "action_id": lambda value: value or None,
    "name": _text,
    "unit": _text,
    "unit_cost": decimal_to_document,
    "quantity": decimal_to_document,
    "grant": decimal_to_document,
    "own_financial": decimal_to_document,
    "own_personal": decimal_to_document,
    "own_in_kind": decimal_to_document,
    "participants": decimal_to_document,
}


def encode(fields: Mapping[str, Encoder], values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for the given domain values; unknown field names refused."""
    unknown = set(values) - set(fields)
    if unknown:
        raise KeyError(f"not a field: {', '.join(sorted(unknown))}")
    return {name: fields[name](value) for name, value in values.items()}


def encode_all(fields: Mapping[str, Encoder], record: object) -> dict[str, Any]:
    return {name: encoder(getattr(record, name)) for name, encoder in fields.items()}


def organization_from_row(row: Any) -> Organization:
    return Organization(
        id=row["id"],
        name=row["name"],
        short_name=row["short_name"],
        legal_form=LegalForm(row["legal_form"]),
        register_type=RegisterType(row["register_type"]),
        register_number=row["register_number"],
        nip=row["nip"],
        regon=row["regon"],
        street=row["street"],
        postcode=row["postcode"],
        locality=row["locality"],
        gmina=row["gmina"],
        powiat=row["powiat"],
        voivodeship=row["voivodeship"],
        locality_population=row["locality_population"],
        revenues=_revenues_in(row["revenues"]),
        website=row["website"],
        email=row["email"],
        phone=row["phone"],
        bank_account=row["bank_account"],
        representatives=_people_in(row["representatives"]),
        contact=Person(**json.loads(row["contact"])),
        members=_people_in(row["members"]),
        patron=_patron_in(row["patron"]),
    )


def action_from_row(row: Any) -> Action:
    return Action(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        target_group=row["target_group"],
        start_date=_date_in(row["start_date"]),
        end_date=_date_in(row["end_date"]),
        third_party=bool(row["third_party"]),
    )


def result_from_row(row: Any) -> Result:
    return Result(
        id=row["id"],
        name=row["name"],
        planned_value=_decimal_in(row["planned_value"]),
        unit=row["unit"],
        measurement=row["measurement"],
    )


def budget_line_from_row(row: Any) -> BudgetLine:
    return BudgetLine(
        id=row["id"],
        category_id=row["category_id"],
        action_id=row["action_id"],
        name=row["name"],
        unit=row["unit"],
        unit_cost=Decimal(row["unit_cost"]),
        quantity=Decimal(row["quantity"]),
        grant=Decimal(row["grant"]),
        own_financial=Decimal(row["own_financial"]),
        own_personal=Decimal(row["own_personal"]),
        own_in_kind=Decimal(row["own_in_kind"]),
        participants=Decimal(row["participants"]),
    )


def application_from_rows(
    row: Any,
    actions: list[Action],
    results: list[Result],
    budget: list[BudgetLine],
) -> Application:
    return Application(
        id=row["id"],
        organization_id=row["organization_id"],
        call_id=row["call_id"],
        title=row["title"],
        start_date=_date_in(row["start_date"]),
        end_date=_date_in(row["end_date"]),
        place=row["place"],
        target_group=row["target_group"],
        summary=row["summary"],
        need=row["need"],
        actions=tuple(actions),
        expected_results=row["expected_results"],
        results=tuple(results),
        experience=row["experience"],
        resources=row["resources"],
        partners=row["partners"],
        budget=tuple(budget),
        other_information=row["other_information"],
        confirmed_declarations=tuple(json.loads(row["confirmed_declarations"])),
        attachments=tuple(AttachmentRef(**item) for item in json.loads(row["attachments"])),
    )


# --- reports: scalar columns, and each list as one JSON column ---------------


def _report_rows_out(rows: str) -> Encoder:
    to_dict = ROW_CODECS[rows][0]
    return lambda items: _json_out([to_dict(item) for item in items])


def _report_rows_in(rows: str, text: str) -> tuple[Any, ...]:
    from_dict = ROW_CODECS[rows][1]
    return tuple(from_dict(Reader(item, rows)) for item in json.loads(text))


REPORT_LISTS = ("actions", "results", "budget", "documents", "volunteer_work", "in_kind")

REPORT_FIELDS: dict[str, Encoder] = {
    "title": _text,
    "task_start": _date_out,
    "task_end": _date_out,
    "period_start": _date_out,
    "period_end": _date_out,
    "application_sha256": _text,
    "summary": _text,
    "other_information": _text,
} | {rows: _report_rows_out(rows) for rows in (*REPORT_LISTS, "attachments")}


def report_from_row(row: Any) -> Report:
    return Report(
        id=row["id"],
        application_id=row["application_id"],
        organization_id=row["organization_id"],
        call_id=row["call_id"],
        kind=ReportKind(row["kind"]),
        title=row["title"],
        task_start=_date_in(row["task_start"]),
        task_end=_date_in(row["task_end"]),
        period_start=_date_in(row["period_start"]),
        period_end=_date_in(row["period_end"]),
        application_sha256=row["application_sha256"],
        summary=row["summary"],
        actions=_report_rows_in("actions", row["actions"]),
        results=_report_rows_in("results", row["results"]),
        budget=_report_rows_in("budget", row["budget"]),
        documents=_report_rows_in("documents", row["documents"]),
        volunteer_work=_report_rows_in("volunteer_work", row["volunteer_work"]),
        in_kind=_report_rows_in("in_kind", row["in_kind"]),
        other_information=row["other_information"],
        attachments=_report_rows_in("attachments", row["attachments"]),
    )
