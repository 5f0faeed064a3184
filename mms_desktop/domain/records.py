"""Every record's fields, declared once: the one place a new field is added.

The canonical documents (``canonical``, ``report_canonical``), the file
schemas (``document_schema``, written to ``resources/schemas/`` by
``scripts/generate-schemas``), the store's columns (``storage.codecs``) and
the text limits validation enforces (``limits``) all derive from these.
Adding a field to an application: a field of the dataclass, a declaration
here, a migration adding its column, its catalog line per language (its
``label``) and its widget.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from mms_desktop.domain.application import (
    Action,
    Application,
    Arrears,
    AttachmentRef,
    BudgetLine,
    PaidExecution,
    Result,
    YearValue,
)
from mms_desktop.domain.fields import CODE, LINE, LONG_TEXT, PARAGRAPH, Field, Kind, Record
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Patron,
    Person,
    RegisterType,
    YearRevenue,
)
from mms_desktop.domain.report import (
    AccountingDocument,
    ActionOutcome,
    ActionReport,
    InKindContribution,
    Report,
    ReportAttachment,
    ReportKind,
    ResultReport,
    VolunteerWork,
)

ID_LENGTH = 200  # an identifier, or a call's category id


def _text(name: str, size: int, description: str, label: str | None = None) -> Field:
    return Field(name, Kind.TEXT, description, max_length=size, label=label)


def _id(name: str, description: str) -> Field:
    return Field(name, Kind.ID, description, identity=True)


def _carried(item: Field) -> Field:
    return replace(item, carried=True)


# --- the organisation --------------------------------------------------------------

PERSON = Record(
    "person",
    Person,
    "A person: representative, contact or member of a group.",
    (
        _text("name", LINE, "First name and surname."),
        _text("role", LINE, "Function in the organisation (e.g. prezes zarządu)."),
        _text("phone", CODE, "Phone number as typed."),
        _text("email", LINE, "E-mail address as typed."),
    ),
)

PATRON = Record(
    "",
    Patron,
    "The registered organisation that sponsors an informal group, or null.",
    (
        _text("name", LINE, "Name of the patron organisation.", "field.organization.patron.name"),
        Field("register_type", Kind.ENUM, "", enum=RegisterType, enum_def="register_type"),
        _text(
            "register_number",
            CODE,
            "Number in that register.",
            "field.organization.patron.register_number",
        ),
        _text("nip", CODE, "NIP of the patron.", "field.organization.patron.nip"),
        _text("address", PARAGRAPH, "Address of the patron."),
        _text("representative", LINE, "Person representing the patron."),
    ),
)

YEAR_REVENUE = Record(
    "",
    YearRevenue,
    "",
    (
        Field("year", Kind.INTEGER, "The financial year.", minimum=1000, maximum=9999),
        Field("amount", Kind.DECIMAL, "Total revenue of that year, in złoty."),
    ),
)

_ORG = "field.organization."
ORGANIZATION = Record(
    "organization",
    Organization,
    "The applicant: a registered organisation or an informal group with a patron.",
    (
        _id("id", "Id of the organisation."),
        _text("name", LINE, "Full name.", _ORG + "name"),
        _text("short_name", LINE, "Short name, if any."),
        Field(
            "legal_form",
            Kind.ENUM,
            "Legal form: association (stowarzyszenie), ordinary_association (stowarzyszenie"
            " zwykłe), foundation (fundacja), kgw (koło gospodyń wiejskich), osp (ochotnicza"
            " straż pożarna), sports_club (klub sportowy), informal_group (grupa nieformalna),"
            " other.",
            enum=LegalForm,
            label=_ORG + "legal_form",
        ),
        Field("register_type", Kind.ENUM, "", enum=RegisterType, enum_def="register_type"),
        _text(
            "register_number",
            CODE,
            "Number in that register (KRS number, entry number…).",
            _ORG + "register_number",
        ),
        _text("nip", CODE, "NIP (tax id) as typed.", _ORG + "nip"),
        _text("regon", CODE, "REGON (statistical id) as typed.", _ORG + "regon"),
        _text("street", LINE, "Street and number."),
        _text("postcode", CODE, "Postcode (kod pocztowy).", _ORG + "postcode"),
        _text("locality", LINE, "Locality (miejscowość).", _ORG + "locality"),
        _text("gmina", LINE, "Commune (gmina)."),
        _text("powiat", LINE, "District (powiat)."),
        _text("voivodeship", LINE, "Province (województwo)."),
        Field(
            "locality_population",
            Kind.OPTIONAL_INTEGER,
            "Number of inhabitants of the locality, or null when not given.",
            minimum=0,
            maximum=1_000_000_000,
            label=_ORG + "locality_population",
        ),
        Field(
            "revenues",
            Kind.RECORDS,
            "Total revenue of closed financial years.",
            max_length=50,
            record=YEAR_REVENUE,
            label=_ORG + "revenues",
        ),
        _text("website", 2_000, "Website address as typed."),
        _text(
            "correspondence_address",
            PARAGRAPH,
            "Address for correspondence (adres do korespondencji); empty when it is the seat's.",
            _ORG + "correspondence_address",
        ),
        _text("email", LINE, "E-mail address of the organisation.", _ORG + "email"),
        _text("phone", CODE, "Phone number of the organisation."),
        _text(
            "bank_account",
            CODE,
            "Bank account number (NRB / IBAN) as typed.",
            _ORG + "bank_account",
        ),
        Field(
            "representatives",
            Kind.RECORDS,
            "People authorised to represent the organisation.",
            max_length=50,
            record=PERSON,
            label=_ORG + "representatives",
        ),
        Field("contact", Kind.RECORD, "The contact person for this application.", record=PERSON),
        Field(
            "members",
            Kind.RECORDS,
            "Members of an informal group.",
            max_length=1000,
            record=PERSON,
            label=_ORG + "members",
        ),
        Field(
            "patron",
            Kind.OPTIONAL_RECORD,
            "The registered organisation that sponsors an informal group, or null.",
            record=PATRON,
        ),
    ),
)

# --- the application ----------------------------------------------------------------

_ACTIONS = "field.application.actions."
ACTION = Record(
    "action",
    Action,
    "One numbered action of the plan and schedule (III.4).",
    (
        _id("id", "Id of the action (budget lines refer to it)."),
        _text("name", LINE, "Name of the action.", _ACTIONS + "name"),
        _text("description", LONG_TEXT, "Description of the action."),
        _text("target_group", PARAGRAPH, "Who the action is for."),
        Field(
            "start_date",
            Kind.DATE,
            "First day of the action, or null.",
            label=_ACTIONS + "start_date",
        ),
        Field(
            "end_date", Kind.DATE, "Last day of the action, or null.", label=_ACTIONS + "end_date"
        ),
        _text(
            "third_party_scope",
            PARAGRAPH,
            "The part of the action carried out by an entity not party to the contract (zakres"
            " działania realizowany przez podmiot niebędący stroną umowy); empty when none.",
            _ACTIONS + "third_party_scope",
        ),
    ),
)

_RESULTS = "field.application.results."
RESULT = Record(
    "result",
    Result,
    "One row of the results table (III.6).",
    (
        _id("id", "Id of the result."),
        _text("name", LINE, "Name of the result.", _RESULTS + "name"),
        Field(
            "planned_value",
            Kind.OPTIONAL_DECIMAL,
            "Planned value, or null when not given.",
            label=_RESULTS + "planned_value",
        ),
        _text("unit", CODE, "Unit of the planned value.", _RESULTS + "unit"),
        _text(
            "measurement",
            PARAGRAPH,
            "How the result is measured (attendance list, photos…).",
            _RESULTS + "measurement",
        ),
    ),
)

YEAR_VALUE = Record(
    "",
    YearValue,
    "",
    (
        Field("year", Kind.INTEGER, "The calendar year.", minimum=1000, maximum=9999),
        Field("amount", Kind.DECIMAL, "The line's value in that year, in złoty."),
    ),
)

_BUDGET = "field.application.budget."
BUDGET_LINE = Record(
    "budget_line",
    BudgetLine,
    "One cost line (V.A) with its split between funding sources (V.B). Amounts in złoty;"
    " whole grosze are checked by validation, not here.",
    (
        _id("id", "Id of the cost line."),
        _text(
            "category_id",
            ID_LENGTH,
            "Id of a cost category of the call; empty when not chosen yet.",
            _BUDGET + "category_id",
        ),
        Field(
            "action_id",
            Kind.OPTIONAL_ID,
            "Id of the action the cost belongs to, or null.",
            label=_BUDGET + "action_id",
        ),
        _text("name", LINE, "Name of the cost.", _BUDGET + "name"),
        _text("unit", CODE, "Unit of measure (szt., godz., usługa…).", _BUDGET + "unit"),
        Field(
            "unit_cost", Kind.DECIMAL, "Cost of one unit, in złoty.", label=_BUDGET + "unit_cost"
        ),
        Field("quantity", Kind.DECIMAL, "Number of units.", label=_BUDGET + "quantity"),
        Field(
            "grant", Kind.DECIMAL, "Part paid from the grant (dotacja).", label=_BUDGET + "grant"
        ),
        Field(
            "own_financial",
            Kind.DECIMAL,
            "Part paid from own financial contribution (wkład własny finansowy).",
            label=_BUDGET + "own_financial",
        ),
        Field(
            "own_personal",
            Kind.DECIMAL,
            "Part covered by personal contribution: volunteers' and members' work (wkład osobowy).",
            label=_BUDGET + "own_personal",
        ),
        Field(
            "own_in_kind",
            Kind.DECIMAL,
            "Part covered by in-kind contribution (wkład rzeczowy).",
            label=_BUDGET + "own_in_kind",
        ),
        Field(
            "participants",
            Kind.DECIMAL,
            "Part paid by participants (świadczenia pieniężne od odbiorców).",
            label=_BUDGET + "participants",
        ),
        Field(
            "year_values",
            Kind.RECORDS,
            "The line's value per calendar year, for a task over more than one year (empty for"
            " a one-year task); the amounts sum to the line's total.",
            max_length=5,  # a small grant's task spans a few calendar years at most
            record=YEAR_VALUE,
            label=_BUDGET + "year_values",
        ),
    ),
)

# An attached file as both kinds of record hold it: its bytes by their hash.
_FILE = (
        Field("sha256", Kind.SHA256, "SHA-256 of the file's bytes, lowercase hex."),
        Field(
            "name",
            Kind.TEXT,
            "The file's name as the user chose it.",
            max_length=LINE,
            required=True,
        ),
        Field("size", Kind.INTEGER, "Size in bytes.", minimum=0),
)

ATTACHMENT = Record(
    "",
    AttachmentRef,
    "",
    (
        *_FILE,
        _text(
            "requirement_id",
            ID_LENGTH,
            "Which of the call's required attachments this file is; empty for any other.",
        ),
    ),
)

_APP = "field.application."
APPLICATION = Record(
    "application",
    Application,
    "The application as the volunteer writes it.",
    (
        _id("id", "Id of the application."),
        _id("organization_id", "Id of the organisation; equals organization.id."),
        _id("call_id", "Id of the call; equals call.id."),
        _text(
            "task_sphere",
            CODE,
            "Kind of public task (rodzaj zadania publicznego): the key of a sphere of public"
            ' benefit of art. 4 ust. 1 of the Act on public benefit and volunteer work, e.g. "16"'
            ' (kultury, sztuki…) or "1a"; empty when not chosen yet.',
            _APP + "task_sphere",
        ),
        _text("title", LINE, "Title of the task.", _APP + "title"),
        Field(
            "start_date", Kind.DATE, "First day of the task, or null.", label=_APP + "start_date"
        ),
        Field("end_date", Kind.DATE, "Last day of the task, or null.", label=_APP + "end_date"),
        _text("place", PARAGRAPH, "Where the task is carried out.", _APP + "place"),
        _text("target_group", LONG_TEXT, "Who the task is for.", _APP + "target_group"),
        _text(
            "summary",
            LONG_TEXT,
            "Synthetic description of the task (syntetyczny opis zadania).",
            _APP + "summary",
        ),
        _text("need", LONG_TEXT, "The need or problem the task answers.", _APP + "need"),
        Field(
            "actions",
            Kind.RECORDS,
            "The plan and schedule of actions, in order.",
            max_length=200,
            record=ACTION,
            label=_APP + "actions",
        ),
        _text(
            "results_products",
            LONG_TEXT,
            "III.5: what will be produced or delivered (products, services).",
            _APP + "results_products",
        ),
        _text(
            "results_change",
            LONG_TEXT,
            "III.5: what social change the task will bring.",
            _APP + "results_change",
        ),
        _text(
            "results_durability",
            LONG_TEXT,
            "III.5: whether and how the results will be used after the task (durability).",
            _APP + "results_durability",
        ),
        Field(
            "results",
            Kind.RECORDS,
            "The results table.",
            max_length=200,
            record=RESULT,
            label=_APP + "results",
        ),
        _text("experience", LONG_TEXT, "Experience of the organisation in similar tasks."),
        _text("resources", LONG_TEXT, "Resources the organisation will use."),
        _text("partners", LONG_TEXT, "Partners of the task."),
        Field(
            "budget",
            Kind.RECORDS,
            "The cost lines, in order.",
            max_length=2_000,
            record=BUDGET_LINE,
            label=_APP + "budget",
        ),
        Field(
            "paid_execution",
            Kind.ENUM,
            "VI.1: the task carried out free of charge (unpaid) or for a fee (paid); empty when"
            " not declared yet.",
            enum=PaidExecution,
            label=_APP + "paid_execution",
        ),
        _text(
            "joint_offer_roles",
            LONG_TEXT,
            "VI.2: in a joint offer, what each offeror does and how they are represented.",
            _APP + "joint_offer_roles",
        ),
        _text("other_information", LONG_TEXT, "Other information (section VI.3)."),
        Field(
            "tax_arrears",
            Kind.ENUM,
            "",
            enum=Arrears,
            enum_def="arrears",
            label=_APP + "tax_arrears",
        ),
        Field(
            "social_insurance_arrears",
            Kind.ENUM,
            "",
            enum=Arrears,
            enum_def="arrears",
            label=_APP + "social_insurance_arrears",
        ),
        Field(
            "confirmed_declarations",
            Kind.IDS,
            "Ids of the call's declarations the applicant has confirmed.",
            max_length=200,
        ),
        Field(
            "attachments",
            Kind.RECORDS,
            "Files attached to the application (scans of the statute, declarations…), each"
            " content-addressed by its SHA-256; the operator receives them as blobs before the"
            " document.",
            max_length=100,
            record=ATTACHMENT,
            label=_APP + "attachments",
            top_level=True,
        ),
    ),
)

# --- the report ---------------------------------------------------------------------

_RA = "field.report.actions."
ACTION_REPORT = Record(
    "action_report",
    ActionReport,
    "How one action of the accepted plan went; its id is the action's id in the application.",
    (
        _id("id", "Id of the action in the application."),
        _carried(_text("name", LINE, "Name of the action, as accepted.")),
        _carried(Field("planned_start", Kind.DATE, "Planned start, as accepted.")),
        _carried(Field("planned_end", Kind.DATE, "Planned end, as accepted.")),
        Field(
            "outcome",
            Kind.OPTIONAL_ENUM,
            "done (zrealizowane), partly (częściowo), not_done (niezrealizowane), or null when"
            " not marked yet.",
            enum=ActionOutcome,
            label=_RA + "outcome",
        ),
        Field("start_date", Kind.DATE, "When it really started.", label=_RA + "start_date"),
        Field("end_date", Kind.DATE, "When it really ended.", label=_RA + "end_date"),
        _text("description", LONG_TEXT, "What happened.", _RA + "description"),
        _text("deviations", LONG_TEXT, "What differed from the plan, and why.", _RA + "deviations"),
    ),
)

_RR = "field.report.results."
RESULT_REPORT = Record(
    "result_report",
    ResultReport,
    "One planned result against what was achieved; its id is the result's id in the application.",
    (
        _id("id", "Id of the result in the application."),
        _carried(_text("name", LINE, "Name of the result.")),
        _carried(_text("unit", CODE, "Unit of measure.")),
        _carried(Field("planned_value", Kind.OPTIONAL_DECIMAL, "Planned value, as accepted.")),
        Field(
            "achieved_value",
            Kind.OPTIONAL_DECIMAL,
            "Value achieved, or null when not known yet.",
            label=_RR + "achieved_value",
        ),
        _text("comment", PARAGRAPH, "How it was measured, or why it fell short.", _RR + "comment"),
    ),
)

_RD = "field.report.documents."
ACCOUNTING_DOCUMENT = Record(
    "document",
    AccountingDocument,
    "An accounting document (invoice, bill) paid for the task.",
    (
        _id("id", "Id of the entry."),
        _text("number", CODE, "The document's number.", _RD + "number"),
        Field("issue_date", Kind.DATE, "Date of issue.", label=_RD + "issue_date"),
        _text("issuer", LINE, "Who issued it.", _RD + "issuer"),
        _text("description", PARAGRAPH, "What was bought.", _RD + "description"),
        Field("amount", Kind.DECIMAL, "The document's whole amount in zł.", label=_RD + "amount"),
        Field(
            "line_id",
            Kind.OPTIONAL_ID,
            "Id of the cost line (budget) it settles.",
            label=_RD + "line_id",
        ),
        Field("grant", Kind.DECIMAL, "Part paid from the grant, in zł.", label=_RD + "grant"),
        Field(
            "own_financial",
            Kind.DECIMAL,
            "Part paid from the organisation's own money, in zł.",
            label=_RD + "own_financial",
        ),
        Field(
            "participants",
            Kind.DECIMAL,
            "Part paid from the participants' fees, in zł.",
            label=_RD + "participants",
        ),
        Field("payment_date", Kind.DATE, "When it was paid.", label=_RD + "payment_date"),
    ),
)

_RV = "field.report.volunteer_work."
VOLUNTEER_WORK = Record(
    "volunteer_work",
    VolunteerWork,
    "Work of volunteers or members (personal contribution).",
    (
        _id("id", "Id of the entry."),
        _text("who", PARAGRAPH, "Who worked (names, or a description).", _RV + "who"),
        Field(
            "people",
            Kind.INTEGER,
            "How many people.",
            minimum=0,
            maximum=100_000,
            label=_RV + "people",
        ),
        Field("hours", Kind.DECIMAL, "Hours of all of them together.", label=_RV + "hours"),
        Field("hourly_value", Kind.DECIMAL, "Value of one hour in zł.", label=_RV + "hourly_value"),
        Field("action_id", Kind.OPTIONAL_ID, "Id of the action the work was for."),
        Field(
            "line_id",
            Kind.OPTIONAL_ID,
            "Id of the personal-contribution cost line it settles.",
            label=_RV + "line_id",
        ),
    ),
)

_RK = "field.report.in_kind."
IN_KIND = Record(
    "in_kind",
    InKindContribution,
    "Something given or lent for the task (in-kind contribution).",
    (
        _id("id", "Id of the entry."),
        _text("description", PARAGRAPH, "What was given or lent.", _RK + "description"),
        Field("value", Kind.DECIMAL, "Its value in zł.", label=_RK + "value"),
        Field("action_id", Kind.OPTIONAL_ID, "Id of the action it served."),
        Field(
            "line_id",
            Kind.OPTIONAL_ID,
            "Id of the in-kind cost line it settles.",
            label=_RK + "line_id",
        ),
    ),
)

REPORT_ATTACHMENT = Record(
    "",
    ReportAttachment,
    "",
    (
        *_FILE,
        _text("description", PARAGRAPH, "What the file shows."),
    ),
)

_REP = "field.report."
REPORT = Record(
    "report",
    Report,
    "The report (sprawozdanie) itself.",
    (
        _id("id", "Id of the report."),
        _id("application_id", "Id of the application it settles."),
        _id("organization_id", "Id of the organisation; equals organization.id."),
        _id("call_id", "Id of the call; equals call.id."),
        Field(
            "kind",
            Kind.ENUM,
            "partial (częściowe) or final (końcowe).",
            enum=ReportKind,
            identity=True,
        ),
        _carried(_text("title", LINE, "Title of the task, as accepted.")),
        _carried(Field("task_start", Kind.DATE, "Start of the task, as accepted.")),
        _carried(Field("task_end", Kind.DATE, "End of the task, as accepted.")),
        Field(
            "period_start",
            Kind.DATE,
            "Start of the period reported on.",
            label=_REP + "period_start",
        ),
        Field("period_end", Kind.DATE, "End of the period reported on.", label=_REP + "period_end"),
        _carried(
            Field(
                "application_sha256",
                Kind.SHA256_OR_EMPTY,
                "SHA-256 of the submitted application version it settles, or empty.",
            )
        ),
        Field(
            "contract_date",
            Kind.DATE,
            "Date the grant contract was concluded (data zawarcia umowy), or null.",
            label=_REP + "contract_date",
        ),
        _text(
            "contract_number",
            CODE,
            "The contract's number, if one was given (numer umowy).",
            _REP + "contract_number",
        ),
        _text(
            "summary",
            LONG_TEXT,
            "What was done and which goals were reached.",
            _REP + "summary",
        ),
        Field(
            "actions",
            Kind.RECORDS,
            "The actions of the plan, in order.",
            max_length=200,
            record=ACTION_REPORT,
            label=_REP + "actions",
        ),
        Field(
            "results",
            Kind.RECORDS,
            "The planned results, in order.",
            max_length=200,
            record=RESULT_REPORT,
            label=_REP + "results",
        ),
        Field(
            "budget",
            Kind.RECORDS,
            "The cost lines as accepted (planned).",
            max_length=2_000,
            record=BUDGET_LINE,
            label=_REP + "budget",
            carried=True,
        ),
        Field(
            "documents",
            Kind.RECORDS,
            "Accounting documents.",
            max_length=5_000,
            record=ACCOUNTING_DOCUMENT,
            label=_REP + "documents",
        ),
        Field(
            "volunteer_work",
            Kind.RECORDS,
            "Volunteer work.",
            max_length=2_000,
            record=VOLUNTEER_WORK,
            label=_REP + "volunteer_work",
        ),
        Field(
            "in_kind",
            Kind.RECORDS,
            "In-kind contributions.",
            max_length=2_000,
            record=IN_KIND,
            label=_REP + "in_kind",
        ),
        _text(
            "other_revenues",
            LONG_TEXT,
            "II.3: other revenues earned while carrying out the task.",
            _REP + "other_revenues",
        ),
        _text(
            "recipient_payments",
            LONG_TEXT,
            "II.4: monetary payments collected from the task's recipients.",
            _REP + "recipient_payments",
        ),
        _text("other_information", LONG_TEXT, "Other information.", _REP + "other_information"),
        Field(
            "attachments",
            Kind.RECORDS,
            "Photos, scans of attendance lists and invoices, press clippings, each"
            " content-addressed by its SHA-256; the operator receives them as blobs before the"
            " document.",
            max_length=500,
            record=REPORT_ATTACHMENT,
            label=_REP + "attachments",
            top_level=True,
        ),
    ),
)

# Each editable list of a report, by name.
REPORT_ROWS = {item.name: item for item in REPORT.fields if item.kind is Kind.RECORDS}

# Enums the file schemas share under one name ($defs), with what they say of them.
SHARED_ENUMS: dict[str, tuple[type[StrEnum], str]] = {
    "register_type": (
        RegisterType,
        "Register the entity is entered in: krs (Krajowy Rejestr Sądowy), starosta (ewidencja"
        " starosty), arimr_kgw (Krajowy Rejestr Kół Gospodyń Wiejskich), none.",
    ),
    "arrears": (
        Arrears,
        "Declared arrears (VII.3 taxes, VII.4 social-insurance contributions): none (nie"
        " zalega), some (zalega), or empty when not declared yet.",
    ),
}
