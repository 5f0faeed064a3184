"""An application (oferta / wniosek) for one call, as the volunteer writes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from mms_desktop.domain.money import ZERO, round_grosze


class FundingSource(StrEnum):
    """Where the money for a cost line comes from (section V.B of the form)."""

    GRANT = "grant"  # wnioskowana kwota dotacji
    OWN_FINANCIAL = "own_financial"  # wkład własny finansowy
    OWN_PERSONAL = "own_personal"  # wkład osobowy (praca wolontariuszy i członków)
    OWN_IN_KIND = "own_in_kind"  # wkład rzeczowy
    PARTICIPANTS = "participants"  # świadczenia pieniężne od odbiorców

    @property
    def is_own_contribution(self) -> bool:
        return self is not FundingSource.GRANT


class ApplicationStatus(StrEnum):
    """Where an application is in its life; "ready" is derived, never stored."""

    DRAFT = "draft"
    QUEUED = "queued"
    SENT = "sent"
    IN_REVIEW = "in_review"
    NEEDS_CORRECTIONS = "needs_corrections"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# What a third party's flag of schema 5 (and of version-1 files) becomes: the
# scope is still to be described, and the check warns while it reads so.
THIRD_PARTY_SCOPE_TO_DESCRIBE = "podmiot niebędący stroną umowy – zakres do opisania"


class PaidExecution(StrEnum):
    """VI.1: the declared intent to carry out the task for a fee or free of charge."""

    UNSET = ""  # not declared yet
    UNPAID = "unpaid"  # nieodpłatne
    PAID = "paid"  # odpłatne


class Arrears(StrEnum):
    """VII.3 and VII.4: arrears with taxes or with social-insurance contributions."""

    UNSET = ""  # not declared yet: the applicant must choose, nothing is assumed
    NONE = "none"  # nie zalega(-ją)
    SOME = "some"  # zalega(-ją)


@dataclass(frozen=True)
class Action:
    """One numbered action of the plan and schedule (III.4)."""

    id: str
    name: str = ""
    description: str = ""
    target_group: str = ""
    start_date: date | None = None
    end_date: date | None = None
    # III.4 "Zakres działania realizowany przez podmiot niebędący stroną umowy";
    # empty when the applicant does it all (printed „nie dotyczy”).
    third_party_scope: str = ""


@dataclass(frozen=True)
class Result:
    """One row of the results table (III.6)."""

    id: str
    name: str = ""
    planned_value: Decimal | None = None
    unit: str = ""
    measurement: str = ""  # how it is measured: attendance list, photos, …


@dataclass(frozen=True)
class YearValue:
    """A cost line's value in one calendar year of a task spanning several (V.A)."""

    year: int
    amount: Decimal


@dataclass(frozen=True)
class BudgetLine:
    """One cost line (V.A) with its split between funding sources (V.B)."""

    id: str
    category_id: str = ""
    action_id: str | None = None
    name: str = ""
    unit: str = ""
    unit_cost: Decimal = ZERO
    quantity: Decimal = Decimal(0)
    grant: Decimal = ZERO
    own_financial: Decimal = ZERO
    own_personal: Decimal = ZERO
    own_in_kind: Decimal = ZERO
    participants: Decimal = ZERO
    # Per calendar year, for a task over more than one year; empty for a one-year task.
    year_values: tuple[YearValue, ...] = ()

    @property
    def total(self) -> Decimal:
        """Unit cost × number of units, in whole grosze."""
        return round_grosze(self.unit_cost * self.quantity)

    def amount(self, source: FundingSource) -> Decimal:
        # Each source's value is the field of the same name (hot in validation).
        value: Decimal = getattr(self, source.value)
        return value

    @property
    def sources_total(self) -> Decimal:
        return sum((self.amount(source) for source in FundingSource), ZERO)


@dataclass(frozen=True)
class AttachmentRef:
    """A file attached to the application, kept content-addressed by its SHA-256."""

    sha256: str
    name: str  # the file's name as the user chose it
    size: int
    requirement_id: str = ""  # which of the call's required attachments it is ("" = other)


@dataclass(frozen=True)
class Application:
    id: str
    organization_id: str
    call_id: str
    task_sphere: str = ""  # I.2: a key of domain.public_task_spheres.SPHERES
    title: str = ""
    start_date: date | None = None
    end_date: date | None = None
    place: str = ""
    target_group: str = ""
    summary: str = ""  # syntetyczny opis zadania
    need: str = ""  # the need or problem the task answers
    actions: tuple[Action, ...] = ()
    # III.5's three questions: products delivered, social change, durability.
    results_products: str = ""
    results_change: str = ""
    results_durability: str = ""
    results: tuple[Result, ...] = ()
    experience: str = ""
    resources: str = ""
    partners: str = ""
    budget: tuple[BudgetLine, ...] = ()
    paid_execution: PaidExecution = PaidExecution.UNSET  # VI.1
    joint_offer_roles: str = ""  # VI.2, a joint offer only
    other_information: str = ""  # VI.3
    tax_arrears: Arrears = Arrears.UNSET  # VII.3
    social_insurance_arrears: Arrears = Arrears.UNSET  # VII.4
    confirmed_declarations: tuple[str, ...] = ()
    attachments: tuple[AttachmentRef, ...] = ()

    def action_number(self, action_id: str | None) -> int | None:
        """The 1-based number of an action, as printed in the plan."""
        for index, action in enumerate(self.actions):
            if action.id == action_id:
                return index + 1
        return None


def copy_with_new_ids(
    application: Application, new_id: Callable[[], str], **changes: object
) -> Application:
    """A copy whose own, action, result and line ids are all new.

    Cost lines keep pointing at the same actions (by their new ids). Used when
    cloning last year's application and when importing a file, so a copy never
    shares an id with its source.
    """
    action_ids = {action.id: new_id() for action in application.actions}
    copy = replace(
        application,
        id=new_id(),
        actions=tuple(replace(action, id=action_ids[action.id]) for action in application.actions),
        results=tuple(replace(result, id=new_id()) for result in application.results),
        budget=tuple(
            replace(
                line,
                id=new_id(),
                action_id=None if line.action_id is None else action_ids.get(line.action_id),
            )
            for line in application.budget
        ),
    )
    return replace(copy, **changes)  # type: ignore[arg-type]


# Row lists of an application by name: "actions", "results", "budget".
ROW_LISTS = ("actions", "results", "budget")
Row = Action | Result | BudgetLine


def rows_of(application: Application, rows: str) -> tuple[Row, ...]:
    value: tuple[Row, ...] = getattr(application, rows)
    return value


# Lists of rows with ids, in any record (an application, a report): edited by
# building a new record, never in place.
Record = TypeVar("Record")


def with_list_row_changed(record: Record, rows: str, row_id: str, **changes: object) -> Record:
    updated = tuple(
        replace(row, **changes) if row.id == row_id else row for row in getattr(record, rows)
    )
    return replace(record, **{rows: updated})  # type: ignore[type-var]


def with_list_row_added(record: Record, rows: str, row: object, index: int | None) -> Record:
    current = list(getattr(record, rows))
    current.insert(len(current) if index is None else max(0, min(index, len(current))), row)
    return replace(record, **{rows: tuple(current)})  # type: ignore[type-var]


def with_list_row_removed(record: Record, rows: str, row_id: str) -> Record:
    kept = tuple(row for row in getattr(record, rows) if row.id != row_id)
    return replace(record, **{rows: kept})  # type: ignore[type-var]


def with_list_row_moved(record: Record, rows: str, row_id: str, index: int) -> Record:
    current = list(getattr(record, rows))
    moving = next(row for row in current if row.id == row_id)
    current.remove(moving)
    current.insert(max(0, min(index, len(current))), moving)
    return replace(record, **{rows: tuple(current)})  # type: ignore[type-var]


def with_row_changed(
    application: Application, rows: str, row_id: str, **changes: object
) -> Application:
    return with_list_row_changed(application, rows, row_id, **changes)


def with_row_added(application: Application, rows: str, row: Row, index: int | None) -> Application:
    return with_list_row_added(application, rows, row, index)


def with_row_removed(application: Application, rows: str, row_id: str) -> Application:
    """Without the row; removing an action also unlinks the cost lines that named it."""
    application = with_list_row_removed(application, rows, row_id)
    if rows == "actions":
        application = replace(
            application,
            budget=tuple(
                replace(line, action_id=None) if line.action_id == row_id else line
                for line in application.budget
            ),
        )
    return application


def with_row_moved(application: Application, rows: str, row_id: str, index: int) -> Application:
    return with_list_row_moved(application, rows, row_id, index)
