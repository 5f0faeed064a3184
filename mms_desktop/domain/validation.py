"""One validation engine: an application checked against its call and applicant.

``validate`` returns findings; it never raises on bad data and never changes
anything. The same engine runs live in the editor, in ``mms-desktop validate``
and before a submission is frozen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime

from mms_desktop.domain import identifiers, limits
from mms_desktop.domain.application import (
    THIRD_PARTY_SCOPE_TO_DESCRIBE,
    Application,
    Arrears,
    BudgetLine,
    FundingSource,
    PaidExecution,
)
from mms_desktop.domain.budget import (
    BudgetSummary,
    GrantVerdict,
    grant_verdict,
    own_contribution_short,
    own_financial_short,
    task_years,
    year_values_difference,
    year_values_total,
)
from mms_desktop.domain.call import CallDefinition, CostGroup
from mms_desktop.domain.findings import Finding, Severity
from mms_desktop.domain.money import floor_grosze, is_whole_grosze
from mms_desktop.domain.organization import Organization, RegisterType
from mms_desktop.domain.printable import unprintable
from mms_desktop.domain.public_task_spheres import SPHERES
from mms_desktop.domain.quantities import Amount, Percent

B = Severity.BLOCKING
W = Severity.WARNING

MIN_INFORMAL_GROUP_MEMBERS = 3  # statutory: an informal group has at least 3 people
_POSTCODE = re.compile(r"^\d{2}-\d{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate(
    application: Application,
    organization: Organization,
    call: CallDefinition,
    now: datetime | None = None,
) -> list[Finding]:
    """Every finding for one application, in the order of the form."""
    findings: list[Finding] = []
    if now is not None:
        findings += _deadline(call, now)
    findings += _organization(organization, call)
    findings += _eligibility(organization, call)
    findings += _task(application, call)
    findings += _actions(application)
    findings += _results(application)
    findings += _budget(application, organization, call)
    findings += _declarations(application, call)
    findings += _attachments(application, organization, call)
    findings += _lengths(application)
    findings += unprintable(organization, "organization")
    findings += unprintable(application, "application")
    return findings


def check_organization(organization: Organization) -> list[Finding]:
    """The profile's own checks (identifiers, address, people), without a call."""
    return list(_organization(organization, None))


# --- the call's dates -------------------------------------------------------


def _deadline(call: CallDefinition, now: datetime) -> Iterator[Finding]:
    if now >= call.deadline:
        yield Finding("DEADLINE_PASSED", B, "call.deadline", {"deadline": call.deadline.date()})
    elif now.date() < call.opens_at:
        yield Finding("CALL_NOT_OPEN_YET", W, "call.opens_at", {"opens_at": call.opens_at})


# --- the applicant ----------------------------------------------------------


def _identifier(
    code: str, field: str, value: str, check: object, required: bool, missing: Severity
) -> Iterator[Finding]:
    if not value.strip():
        if required:
            yield Finding(code + "_MISSING", missing, field)
        return
    reason = check(value)  # type: ignore[operator]
    if reason is not None:
        yield Finding(code + "_INVALID", B, field, {"reason": reason})


def _organization(org: Organization, call: CallDefinition | None) -> Iterator[Finding]:
    prefix = "organization."
    registered = not org.is_informal_group
    if not org.name.strip():
        yield Finding("REQUIRED", B, prefix + "name")
    yield from _identifier("NIP", prefix + "nip", org.nip, identifiers.check_nip, registered, W)
    yield from _identifier(
        "REGON", prefix + "regon", org.regon, identifiers.check_regon, registered, W
    )
    yield from _identifier(
        "BANK_ACCOUNT",
        prefix + "bank_account",
        org.bank_account,
        identifiers.check_bank_account,
        registered,
        B,
    )
    if registered and org.register_type is not RegisterType.NONE:
        if not org.register_number.strip():
            yield Finding("REGISTER_NUMBER_MISSING", B, prefix + "register_number")
        elif org.register_type is RegisterType.KRS:
            reason = identifiers.check_krs(org.register_number)
            if reason is not None:
                yield Finding("KRS_INVALID", B, prefix + "register_number", {"reason": reason})
    if not org.locality.strip():
        yield Finding("REQUIRED", B, prefix + "locality")
    if not org.postcode.strip():
        yield Finding("REQUIRED", B, prefix + "postcode")
    elif not _POSTCODE.match(org.postcode.strip()):
        yield Finding("POSTCODE_INVALID", B, prefix + "postcode")
    if org.email.strip() and not _EMAIL.match(org.email.strip()):
        yield Finding("EMAIL_INVALID", B, prefix + "email")
    if registered and not any(person.name.strip() for person in org.representatives):
        yield Finding("REPRESENTATIVE_MISSING", B, prefix + "representatives")
    if not org.contact.name.strip():
        yield Finding("CONTACT_MISSING", B, prefix + "contact.name")
    elif not (org.contact.phone.strip() or org.contact.email.strip()):
        yield Finding("CONTACT_UNREACHABLE", W, prefix + "contact.phone")
    if org.is_informal_group:
        yield from _informal_group(org, call)


def _informal_group(org: Organization, call: CallDefinition | None) -> Iterator[Finding]:
    members = [person for person in org.members if person.name.strip()]
    if len(members) < MIN_INFORMAL_GROUP_MEMBERS:
        yield Finding(
            "INFORMAL_GROUP_TOO_FEW_MEMBERS",
            B,
            "organization.members",
            {"count": len(members), "minimum": MIN_INFORMAL_GROUP_MEMBERS},
        )
    patron_required = call is None or call.informal_group_requires_patron
    patron = org.patron
    if patron is None or not patron.name.strip():
        if patron_required:
            yield Finding("PATRON_MISSING", B, "organization.patron.name")
        return
    if patron.nip.strip():
        reason = identifiers.check_nip(patron.nip)
        if reason is not None:
            yield Finding("NIP_INVALID", B, "organization.patron.nip", {"reason": reason})
    if patron.register_type is RegisterType.KRS and patron.register_number.strip():
        reason = identifiers.check_krs(patron.register_number)
        if reason is not None:
            yield Finding(
                "KRS_INVALID", B, "organization.patron.register_number", {"reason": reason}
            )


def _eligibility(org: Organization, call: CallDefinition) -> Iterator[Finding]:
    if org.legal_form not in call.eligible_legal_forms:
        yield Finding(
            "LEGAL_FORM_NOT_ELIGIBLE",
            B,
            "organization.legal_form",
            {"legal_form": str(org.legal_form)},
        )
    if call.locality_population_max is not None:
        if org.locality_population is None:
            yield Finding("LOCALITY_SIZE_MISSING", W, "organization.locality_population")
        elif org.locality_population > call.locality_population_max:
            yield Finding(
                "LOCALITY_TOO_LARGE",
                B,
                "organization.locality_population",
                {"population": org.locality_population, "maximum": call.locality_population_max},
            )
    if call.revenue_max is not None and not org.is_informal_group:
        highest = org.highest_revenue
        if highest is None:
            yield Finding("REVENUE_MISSING", W, "organization.revenues")
        elif highest >= call.revenue_max:
            yield Finding(
                "REVENUE_TOO_HIGH",
                B,
                "organization.revenues",
                {"revenue": Amount(highest), "maximum": Amount(call.revenue_max)},
            )


# --- the task ---------------------------------------------------------------

_REQUIRED_TEXTS = (
    "title",
    "place",
    "target_group",
    "summary",
    "need",
    "results_products",
    "results_change",
    "results_durability",
)


def _task(app: Application, call: CallDefinition) -> Iterator[Finding]:
    if not app.task_sphere:
        yield Finding("TASK_SPHERE_MISSING", B, "application.task_sphere")
    elif app.task_sphere not in SPHERES:
        yield Finding(
            "TASK_SPHERE_UNKNOWN", B, "application.task_sphere", {"sphere": app.task_sphere}
        )
    for name in _REQUIRED_TEXTS:
        if not str(getattr(app, name)).strip():
            yield Finding("REQUIRED", B, f"application.{name}")
    start, end = app.start_date, app.end_date
    if start is None:
        yield Finding("REQUIRED", B, "application.start_date")
    if end is None:
        yield Finding("REQUIRED", B, "application.end_date")
    if start is None or end is None:
        return
    if end < start:
        yield Finding("TASK_END_BEFORE_START", B, "application.end_date")
        return
    if call.task_earliest_start is not None and start < call.task_earliest_start:
        yield Finding(
            "TASK_STARTS_TOO_EARLY",
            B,
            "application.start_date",
            {"earliest": call.task_earliest_start},
        )
    if call.task_latest_end is not None and end > call.task_latest_end:
        yield Finding(
            "TASK_ENDS_TOO_LATE", B, "application.end_date", {"latest": call.task_latest_end}
        )
    days = (end - start).days + 1
    if call.task_max_days is not None and days > call.task_max_days:
        yield Finding(
            "TASK_TOO_LONG",
            B,
            "application.end_date",
            {"days": days, "maximum": call.task_max_days},
        )


def _actions(app: Application) -> Iterator[Finding]:
    if not app.actions:
        yield Finding("NO_ACTIONS", B, "application.actions")
    for number, action in enumerate(app.actions, start=1):
        field = f"application.actions[{number}]"
        if not action.name.strip():
            yield Finding("REQUIRED", B, field + ".name")
        if action.start_date is None:
            yield Finding("REQUIRED", B, field + ".start_date")
        if action.end_date is None:
            yield Finding("REQUIRED", B, field + ".end_date")
        if action.third_party_scope.strip() == THIRD_PARTY_SCOPE_TO_DESCRIBE:
            # Only "a third party" was known (an older draft or file): the form asks what it does.
            yield Finding(
                "THIRD_PARTY_SCOPE_UNDESCRIBED",
                W,
                field + ".third_party_scope",
                {"number": number},
            )
        if action.start_date is None or action.end_date is None:
            continue
        if action.end_date < action.start_date:
            yield Finding("ACTION_END_BEFORE_START", B, field + ".end_date", {"number": number})
            continue
        if app.start_date is None or app.end_date is None:
            continue
        if action.start_date < app.start_date or action.end_date > app.end_date:
            yield Finding(
                "ACTION_OUTSIDE_TASK",
                B,
                field + (".start_date" if action.start_date < app.start_date else ".end_date"),
                {"number": number, "task_start": app.start_date, "task_end": app.end_date},
            )


def _results(app: Application) -> Iterator[Finding]:
    if not app.results:
        yield Finding("NO_RESULTS", B, "application.results")
    for number, result in enumerate(app.results, start=1):
        field = f"application.results[{number}]"
        if not result.name.strip():
            yield Finding("REQUIRED", B, field + ".name")
        if result.planned_value is None:
            yield Finding("REQUIRED", B, field + ".planned_value")
        elif result.planned_value <= 0:
            yield Finding("RESULT_NOT_POSITIVE", B, field + ".planned_value", {"number": number})
        if not result.unit.strip():
            yield Finding("REQUIRED", B, field + ".unit")
        if not result.measurement.strip():
            yield Finding("REQUIRED", B, field + ".measurement")


# --- the budget -------------------------------------------------------------


def _budget(app: Application, org: Organization, call: CallDefinition) -> Iterator[Finding]:
    if not app.budget:
        yield Finding("NO_BUDGET", B, "application.budget")
        return
    action_ids = {action.id for action in app.actions}
    years = task_years(app.start_date, app.end_date)
    for number, line in enumerate(app.budget, start=1):
        yield from _budget_line(number, line, action_ids, call)
        yield from _year_values(number, line, years)
    summary = BudgetSummary(app.budget, call)
    yield from _grant_limits(summary, call)
    yield from _caps(summary, org, call)
    yield from _own_contribution(summary, call)


def _budget_line(
    number: int, line: BudgetLine, action_ids: set[str], call: CallDefinition
) -> Iterator[Finding]:
    field = f"application.budget[{number}]"
    if not line.name.strip():
        yield Finding("REQUIRED", B, field + ".name")
    if not line.category_id:
        yield Finding("REQUIRED", B, field + ".category_id")
    elif call.category(line.category_id) is None:
        yield Finding(
            "COST_CATEGORY_UNKNOWN",
            B,
            field + ".category_id",
            {"number": number, "category": line.category_id},
        )
    if line.action_id is None:
        if call.every_cost_on_an_action and not _is_admin(line, call):
            yield Finding("COST_WITHOUT_ACTION", B, field + ".action_id", {"number": number})
    elif line.action_id not in action_ids:
        yield Finding("COST_ACTION_UNKNOWN", B, field + ".action_id", {"number": number})
    if not line.unit.strip():
        yield Finding("REQUIRED", B, field + ".unit")
    amounts = {"unit_cost": line.unit_cost} | {
        source.value: line.amount(source) for source in FundingSource
    }
    for name, value in amounts.items():
        if value < 0:
            yield Finding("AMOUNT_NEGATIVE", B, f"{field}.{name}", {"number": number})
        elif not is_whole_grosze(value):
            yield Finding("AMOUNT_NOT_IN_GROSZE", B, f"{field}.{name}", {"number": number})
    if line.quantity <= 0:
        yield Finding("QUANTITY_NOT_POSITIVE", B, field + ".quantity", {"number": number})
    if line.sources_total != line.total:
        yield Finding(
            "COST_SPLIT_MISMATCH",
            B,
            field + ".grant",
            {
                "number": number,
                "total": Amount(line.total, exact=True),
                "sources": Amount(line.sources_total, exact=True),
                "difference": Amount(abs(line.sources_total - line.total), exact=True),
            },
        )
    rate_cap = call.volunteer_hour_rate_max
    if rate_cap is not None and line.own_personal > 0 and line.unit_cost > rate_cap:
        yield Finding(
            "VOLUNTEER_RATE_ABOVE_CAP",
            B,
            field + ".unit_cost",
            {"number": number, "rate": Amount(line.unit_cost), "maximum": Amount(rate_cap)},
        )


def _year_values(number: int, line: BudgetLine, years: tuple[int, ...]) -> Iterator[Finding]:
    """V.A's per-year columns: asked for a task over several calendar years, and then
    adding up to the line's value; a year outside the task is a slip."""
    field = f"application.budget[{number}].year_values"
    outside = [item.year for item in line.year_values if item.year not in years]
    if outside and years:
        yield Finding(
            "YEAR_VALUE_OUTSIDE_TASK",
            B,
            field,
            {"number": number, "year": outside[0], "years": _years_text(years)},
        )
    if len(years) < 2:
        return
    if not line.year_values:
        yield Finding(
            "YEAR_VALUES_MISSING", B, field, {"number": number, "years": _years_text(years)}
        )
        return
    difference = year_values_difference(line)
    if difference:
        yield Finding(
            "YEAR_VALUES_MISMATCH",
            B,
            field,
            {
                "number": number,
                "sum": Amount(year_values_total(line)),
                "total": Amount(line.total),
                "difference": Amount(abs(difference)),
            },
        )


def _years_text(years: tuple[int, ...]) -> str:
    return ", ".join(str(year) for year in years)


def _is_admin(line: BudgetLine, call: CallDefinition) -> bool:
    category = call.category(line.category_id)
    return category is not None and category.group is CostGroup.ADMIN


def _grant_limits(summary: BudgetSummary, call: CallDefinition) -> Iterator[Finding]:
    grant = summary.grant
    verdict = grant_verdict(grant, call)
    if verdict is GrantVerdict.BELOW:
        yield Finding(
            "GRANT_BELOW_MIN",
            B,
            "application.budget",
            {"grant": Amount(grant, exact=True), "minimum": Amount(call.grant_min, exact=True)},
        )
    elif verdict is GrantVerdict.ABOVE:
        yield Finding(
            "GRANT_ABOVE_MAX",
            B,
            "application.budget",
            {"grant": Amount(grant, exact=True), "maximum": Amount(call.grant_max, exact=True)},
        )


def _caps(summary: BudgetSummary, org: Organization, call: CallDefinition) -> Iterator[Finding]:
    admin = summary.admin_cap()
    if admin is not None and admin.exceeded:
        yield Finding(
            "ADMIN_CAP_EXCEEDED",
            B,
            "application.budget",
            {
                "percent": Percent(admin.percent),
                "cap": Percent(admin.cap_percent),
                "amount": Amount(admin.amount, exact=True),
                # The most the cap allows in whole grosze: never printed equal to the amount.
                "limit": Amount(floor_grosze(admin.limit)),
            },
        )
    equipment = summary.equipment_cap(org.legal_form)
    if equipment is not None and equipment.exceeded:
        code = "EQUIPMENT_NOT_ALLOWED" if equipment.cap_percent == 0 else "EQUIPMENT_CAP_EXCEEDED"
        yield Finding(
            code,
            B,
            "application.budget",
            {
                "percent": Percent(equipment.percent),
                "cap": Percent(equipment.cap_percent),
                "amount": Amount(equipment.amount, exact=True),
                # The most the cap allows in whole grosze: never printed equal to the amount.
                "limit": Amount(floor_grosze(equipment.limit)),
            },
        )


def _own_contribution(summary: BudgetSummary, call: CallDefinition) -> Iterator[Finding]:
    minimum = call.own_contribution_min_percent
    if own_contribution_short(summary, minimum):
        yield Finding(
            "OWN_CONTRIBUTION_TOO_LOW",
            B,
            "application.budget",
            {"percent": Percent(summary.own_contribution_share), "minimum": Percent(minimum)},
        )
    financial_minimum = call.own_financial_min_percent
    if own_financial_short(summary, financial_minimum):
        yield Finding(
            "OWN_FINANCIAL_TOO_LOW",
            B,
            "application.budget",
            {
                "percent": Percent(summary.source_share(FundingSource.OWN_FINANCIAL)),
                "minimum": Percent(financial_minimum),
            },
        )


def _declarations(app: Application, call: CallDefinition) -> Iterator[Finding]:
    # VI.1 and VII.3–4: the applicant's own choices; the program never assumes one.
    if app.paid_execution is PaidExecution.UNSET:
        yield Finding("PAID_EXECUTION_MISSING", B, "application.paid_execution")
    if app.tax_arrears is Arrears.UNSET:
        yield Finding("TAX_ARREARS_NOT_DECLARED", B, "application.tax_arrears")
    if app.social_insurance_arrears is Arrears.UNSET:
        yield Finding(
            "SOCIAL_INSURANCE_ARREARS_NOT_DECLARED", B, "application.social_insurance_arrears"
        )
    confirmed = set(app.confirmed_declarations)
    for number, declaration in enumerate(call.declarations, start=1):
        if declaration.id not in confirmed:
            yield Finding(
                "DECLARATION_NOT_CONFIRMED",
                B,
                f"application.declarations[{number}]",
                {"number": number},
            )


def _lengths(app: Application) -> Iterator[Finding]:
    """Texts and lists within the file format's limits, so an export imports again."""
    yield from within_limits(
        app, "application", limits.APPLICATION_TEXTS, limits.ROW_TEXTS, limits.MAX_ROWS
    )


def within_limits(
    record: object,
    prefix: str,
    texts: Mapping[str, int],
    row_texts: Mapping[str, Mapping[str, int]],
    max_rows: Mapping[str, int],
) -> Iterator[Finding]:
    """TEXT_TOO_LONG and TOO_MANY_ROWS for a record's texts and lists (application, report)."""
    for name, limit in texts.items():
        length = len(getattr(record, name))
        if length > limit:
            yield Finding(
                "TEXT_TOO_LONG", B, f"{prefix}.{name}", {"length": length, "maximum": limit}
            )
    for rows, fields in row_texts.items():
        records = getattr(record, rows)
        if len(records) > max_rows[rows]:
            yield Finding(
                "TOO_MANY_ROWS",
                B,
                f"{prefix}.{rows}",
                {"count": len(records), "maximum": max_rows[rows]},
            )
        for number, row in enumerate(records, start=1):
            for name, limit in fields.items():
                length = len(getattr(row, name))
                if length > limit:
                    yield Finding(
                        "TEXT_TOO_LONG",
                        B,
                        f"{prefix}.{rows}[{number}].{name}",
                        {"length": length, "maximum": limit},
                    )


def _attachments(app: Application, org: Organization, call: CallDefinition) -> Iterator[Finding]:
    """Each attachment the call requires of this legal form, attached as a file.

    A warning, not a block: a group may hand a document in on paper.
    """
    attached = {item.requirement_id for item in app.attachments}
    for requirement in call.required_attachments:
        applies = not requirement.legal_forms or org.legal_form in requirement.legal_forms
        if applies and requirement.id not in attached:
            yield Finding(
                "ATTACHMENT_MISSING", W, "application.attachments", {"name": requirement.name}
            )
