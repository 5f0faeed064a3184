"""A call for proposals (nabór) as an operator publishes it.

Every number here is data the call definition carries — grant limits, caps,
dates, eligible legal forms — never a constant in code: each operator runs its
own call with its own rules. Definitions arrive as JSON (``resources/calls``,
or pulled from the operator); ``CallDefinition.from_dict`` reads one that has
already passed the JSON Schema check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from mms_desktop.domain.call_heading import call_heading
from mms_desktop.domain.document_errors import DocumentError, reader
from mms_desktop.domain.organization import LegalForm

CALL_SCHEMA = "mms-call"
CALL_SCHEMA_VERSION = 1


class FormKind(StrEnum):
    FULL = "full"  # oferta realizacji zadania publicznego (Dz.U. 2018 poz. 2057)
    SIMPLIFIED = "simplified"  # uproszczona oferta, art. 19a (Dz.U. 2018 poz. 2055)


class CostGroup(StrEnum):
    ACTIONS = "actions"  # I. Koszty realizacji działań
    ADMIN = "admin"  # II. Koszty administracyjne


class DeadlineCounts(StrEnum):
    RECEIVED = "received"  # the offer must reach the operator by the deadline
    FROZEN = "frozen"  # a version frozen by the deadline counts, whenever it arrives


class CapBase(StrEnum):
    TOTAL_COSTS = "total_costs"
    GRANT = "grant"


@dataclass(frozen=True)
class CostCategory:
    id: str
    name: str
    group: CostGroup
    equipment: bool = False


@dataclass(frozen=True)
class FormSection:
    """A section of the printed form; labels belong to the call, not to code."""

    id: str
    label: str


@dataclass(frozen=True)
class OwnPoint:
    """A point the operator adds to the statutory form: after ``after``, marked as its own."""

    id: str
    after: str
    label: str
    block: str
    instruction: str = ""


@dataclass(frozen=True)
class RequiredAttachment:
    id: str
    name: str
    legal_forms: tuple[LegalForm, ...] = ()  # empty: required from everyone


@dataclass(frozen=True)
class Declaration:
    id: str
    text: str


@dataclass(frozen=True)
class CallDefinition:
    id: str
    version: int
    name: str
    operator: str
    program: str
    form: FormKind
    opens_at: date
    deadline: datetime
    grant_min: Decimal
    grant_max: Decimal
    eligible_legal_forms: tuple[LegalForm, ...]
    cost_categories: tuple[CostCategory, ...]
    sections: tuple[FormSection, ...]
    example: bool = False
    notes: str = ""
    deadline_counts: DeadlineCounts = DeadlineCounts.RECEIVED
    task_earliest_start: date | None = None
    task_latest_end: date | None = None
    task_max_days: int | None = None
    locality_population_max: int | None = None
    revenue_max: Decimal | None = None
    informal_group_requires_patron: bool = True
    own_contribution_min_percent: Decimal = Decimal(0)
    own_financial_min_percent: Decimal = Decimal(0)
    admin_cap_percent: Decimal | None = None
    equipment_cap_percent: Decimal | None = None
    equipment_cap_percent_informal_group: Decimal | None = None
    cap_base: CapBase = CapBase.TOTAL_COSTS
    volunteer_hour_rate_max: Decimal | None = None
    every_cost_on_an_action: bool = True
    required_attachments: tuple[RequiredAttachment, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    report_results_threshold_percent: Decimal | None = None
    report_category_shift_max_percent: Decimal | None = None
    # The statutory forms it prints (resources/forms/<id>.json); empty: by ``form``.
    form_template: str = ""
    report_template: str = ""
    own_points: tuple[OwnPoint, ...] = ()
    report_own_points: tuple[OwnPoint, ...] = ()

    @property
    def admits_informal_groups(self) -> bool:
        return LegalForm.INFORMAL_GROUP in self.eligible_legal_forms

    def category(self, category_id: str) -> CostCategory | None:
        for category in self.cost_categories:
            if category.id == category_id:
                return category
        return None

    def equipment_cap_for(self, legal_form: LegalForm) -> Decimal | None:
        if (
            legal_form is LegalForm.INFORMAL_GROUP
            and self.equipment_cap_percent_informal_group is not None
        ):
            return self.equipment_cap_percent_informal_group
        return self.equipment_cap_percent

    def section_label(self, section_id: str) -> str | None:
        for section in self.sections:
            if section.id == section_id:
                return section.label
        return None

    def inconsistencies(self) -> list[DocumentError]:
        """Rules that contradict each other, which no schema can see."""
        problems = []
        if self.grant_min > self.grant_max:
            problems.append(DocumentError("rules.grant_min", "range_reversed"))
        if (
            self.task_earliest_start is not None
            and self.task_latest_end is not None
            and self.task_earliest_start > self.task_latest_end
        ):
            problems.append(DocumentError("task_earliest_start", "range_reversed"))
        if self.opens_at > self.deadline.date():
            problems.append(DocumentError("opens_at", "range_reversed"))
        if self.own_financial_min_percent > self.own_contribution_min_percent > 0:
            problems.append(DocumentError("rules.own_financial_min_percent", "range_reversed"))
        id_lists: dict[str, list[str]] = {
            "cost_categories": [item.id for item in self.cost_categories],
            "declarations": [item.id for item in self.declarations],
            "sections": [item.id for item in self.sections],
            "required_attachments": [item.id for item in self.required_attachments],
        }
        for name, ids in id_lists.items():
            for index, item_id in enumerate(ids, start=1):
                if item_id in ids[: index - 1]:
                    problems.append(DocumentError(f"{name}[{index}].id", "duplicate_id"))
        return problems

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallDefinition:
        read = reader(data, "")
        if read.text("schema") != CALL_SCHEMA:
            raise DocumentError("schema", "wrong_schema", expected=CALL_SCHEMA)
        if read.integer("schema_version") != CALL_SCHEMA_VERSION:
            raise DocumentError(
                "schema_version", "unknown_schema_version", expected=CALL_SCHEMA_VERSION
            )
        rules = reader(read.mapping("rules"), "rules")
        report = reader(read.mapping("report", optional=True) or {}, "report")
        heading = call_heading(data)
        return cls(
            id=heading.id,
            version=heading.version,
            name=heading.name,
            operator=read.text("operator"),
            program=read.text("program"),
            form=read.enum("form", FormKind),
            example=read.boolean("example", default=False),
            notes=read.text("notes", default=""),
            opens_at=heading.opens_at,
            deadline=heading.deadline,
            deadline_counts=read.enum(
                "deadline_counts", DeadlineCounts, default=DeadlineCounts.RECEIVED
            ),
            task_earliest_start=read.optional_date("task_earliest_start"),
            task_latest_end=read.optional_date("task_latest_end"),
            task_max_days=rules.optional_integer("task_max_days"),
            grant_min=rules.decimal("grant_min"),
            grant_max=rules.decimal("grant_max"),
            eligible_legal_forms=tuple(rules.enum_list("eligible_legal_forms", LegalForm)),
            locality_population_max=rules.optional_integer("locality_population_max"),
            revenue_max=rules.optional_decimal("revenue_max"),
            informal_group_requires_patron=rules.boolean(
                "informal_group_requires_patron", default=True
            ),
            own_contribution_min_percent=rules.decimal(
                "own_contribution_min_percent", default=Decimal(0)
            ),
            own_financial_min_percent=rules.decimal(
                "own_financial_min_percent", default=Decimal(0)
            ),
            admin_cap_percent=rules.optional_decimal("admin_cap_percent"),
            equipment_cap_percent=rules.optional_decimal("equipment_cap_percent"),
            equipment_cap_percent_informal_group=rules.optional_decimal(
                "equipment_cap_percent_informal_group"
            ),
            cap_base=rules.enum("cap_base", CapBase, default=CapBase.TOTAL_COSTS),
            volunteer_hour_rate_max=rules.optional_decimal("volunteer_hour_rate_max"),
            every_cost_on_an_action=rules.boolean("every_cost_on_an_action", default=True),
            cost_categories=tuple(
                CostCategory(
                    id=item.text("id"),
                    name=item.text("name"),
                    group=item.enum("group", CostGroup),
                    equipment=item.boolean("equipment", default=False),
                )
                for item in read.records("cost_categories")
            ),
            sections=tuple(
                FormSection(id=item.text("id"), label=item.text("label"))
                for item in read.records("sections")
            ),
            required_attachments=tuple(
                RequiredAttachment(
                    id=item.text("id"),
                    name=item.text("name"),
                    legal_forms=tuple(item.enum_list("legal_forms", LegalForm, default=[])),
                )
                for item in read.records("required_attachments", optional=True)
            ),
            declarations=tuple(
                Declaration(id=item.text("id"), text=item.text("text"))
                for item in read.records("declarations", optional=True)
            ),
            report_results_threshold_percent=report.optional_decimal("results_threshold_percent"),
            report_category_shift_max_percent=report.optional_decimal("category_shift_max_percent"),
            form_template=read.text("form_template", default=""),
            report_template=read.text("report_template", default=""),
            own_points=_own_points(read, "own_points"),
            report_own_points=_own_points(read, "report_own_points"),
        )


def _own_points(read: Any, key: str) -> tuple[OwnPoint, ...]:
    return tuple(
        OwnPoint(
            id=item.text("id"),
            after=item.text("after"),
            label=item.text("label"),
            block=item.text("block"),
            instruction=item.text("instruction", default=""),
        )
        for item in read.records(key, optional=True)
    )
