"""Every record's fields, declared once: the one place a new field is added.

The report's records are declared alike in ``report_records`` (apart: a
start of the window reads no report, and its records need the report's
module, which is then not loaded).

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

ID_LENGTH = 200  # an identifier, or a call's category id


def text_field(name: str, size: int, description: str, label: str | None = None) -> Field:
    return Field(name, Kind.TEXT, description, max_length=size, label=label)


def id_field(name: str, description: str) -> Field:
    return Field(name, Kind.ID, description, identity=True)


def carried(item: Field) -> Field:
    return replace(item, carried=True)


# --- the organisation --------------------------------------------------------------

PERSON = Record(
    "person",
    Person,
    "A person: representative, contact or member of a group.",
    (
        text_field("name", LINE, "First name and surname."),
        text_field("role", LINE, "Function in the organisation (e.g. prezes zarządu)."),
        text_field("phone", CODE, "Phone number as typed."),
        text_field("email", LINE, "E-mail address as typed."),
    ),
)

PATRON = Record(
    "",
    Patron,
    "The registered organisation that sponsors an informal group, or null.",
    (
        text_field(
            "name", LINE, "Name of the patron organisation.", "field.organization.patron.name"
        ),
        Field("register_type", Kind.ENUM, "", enum=RegisterType, enum_def="register_type"),
        text_field(
            "register_number",
            CODE,
            "Number in that register.",
            "field.organization.patron.register_number",
        ),
        text_field("nip", CODE, "NIP of the patron.", "field.organization.patron.nip"),
        text_field("address", PARAGRAPH, "Address of the patron."),
        text_field("representative", LINE, "Person representing the patron."),
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
        id_field("id", "Id of the organisation."),
        text_field("name", LINE, "Full name.", _ORG + "name"),
        text_field("short_name", LINE, "Short name, if any."),
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
        text_field(
            "register_number",
            CODE,
            "Number in that register (KRS number, entry number…).",
            _ORG + "register_number",
        ),
        text_field("nip", CODE, "NIP (tax id) as typed.", _ORG + "nip"),
        text_field("regon", CODE, "REGON (statistical id) as typed.", _ORG + "regon"),
        text_field("street", LINE, "Street and number."),
        text_field("postcode", CODE, "Postcode (kod pocztowy).", _ORG + "postcode"),
        text_field("locality", LINE, "Locality (miejscowość).", _ORG + "locality"),
        text_field("gmina", LINE, "Commune (gmina)."),
        text_field("powiat", LINE, "District (powiat)."),
        text_field("voivodeship", LINE, "Province (województwo)."),
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
        text_field("website", 2_000, "Website address as typed."),
        text_field(
            "correspondence_address",
            PARAGRAPH,
            "Address for correspondence (adres do korespondencji); empty when it is the seat's.",
            _ORG + "correspondence_address",
        ),
        text_field("email", LINE, "E-mail address of the organisation.", _ORG + "email"),
        text_field("phone", CODE, "Phone number of the organisation."),
        text_field(
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
        id_field("id", "Id of the action (budget lines refer to it)."),
        text_field("name", LINE, "Name of the action.", _ACTIONS + "name"),
        text_field("description", LONG_TEXT, "Description of the action."),
        text_field("target_group", PARAGRAPH, "Who the action is for."),
        Field(
            "start_date",
            Kind.DATE,
            "First day of the action, or null.",
            label=_ACTIONS + "start_date",
        ),
        Field(
            "end_date", Kind.DATE, "Last day of the action, or null.", label=_ACTIONS + "end_date"
        ),
        text_field(
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
        id_field("id", "Id of the result."),
        text_field("name", LINE, "Name of the result.", _RESULTS + "name"),
        Field(
            "planned_value",
            Kind.OPTIONAL_DECIMAL,
            "Planned value, or null when not given.",
            label=_RESULTS + "planned_value",
        ),
        text_field("unit", CODE, "Unit of the planned value.", _RESULTS + "unit"),
        text_field(
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
        id_field("id", "Id of the cost line."),
        text_field(
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
        text_field("name", LINE, "Name of the cost.", _BUDGET + "name"),
        text_field("unit", CODE, "Unit of measure (szt., godz., usługa…).", _BUDGET + "unit"),
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
FILE_FIELDS = (
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
        *FILE_FIELDS,
        text_field(
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
        id_field("id", "Id of the application."),
        id_field("organization_id", "Id of the organisation; equals organization.id."),
        id_field("call_id", "Id of the call; equals call.id."),
        text_field(
            "task_sphere",
            CODE,
            "Kind of public task (rodzaj zadania publicznego): the key of a sphere of public"
            ' benefit of art. 4 ust. 1 of the Act on public benefit and volunteer work, e.g. "16"'
            ' (kultury, sztuki…) or "1a"; empty when not chosen yet.',
            _APP + "task_sphere",
        ),
        text_field("title", LINE, "Title of the task.", _APP + "title"),
        Field(
            "start_date", Kind.DATE, "First day of the task, or null.", label=_APP + "start_date"
        ),
        Field("end_date", Kind.DATE, "Last day of the task, or null.", label=_APP + "end_date"),
        text_field("place", PARAGRAPH, "Where the task is carried out.", _APP + "place"),
        text_field("target_group", LONG_TEXT, "Who the task is for.", _APP + "target_group"),
        text_field(
            "summary",
            LONG_TEXT,
            "Synthetic description of the task (syntetyczny opis zadania).",
            _APP + "summary",
        ),
        text_field("need", LONG_TEXT, "The need or problem the task answers.", _APP + "need"),
        Field(
            "actions",
            Kind.RECORDS,
            "The plan and schedule of actions, in order.",
            max_length=200,
            record=ACTION,
            label=_APP + "actions",
        ),
        text_field(
            "results_products",
            LONG_TEXT,
            "III.5: what will be produced or delivered (products, services).",
            _APP + "results_products",
        ),
        text_field(
            "results_change",
            LONG_TEXT,
            "III.5: what social change the task will bring.",
            _APP + "results_change",
        ),
        text_field(
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
        text_field("experience", LONG_TEXT, "Experience of the organisation in similar tasks."),
        text_field("resources", LONG_TEXT, "Resources the organisation will use."),
        text_field("partners", LONG_TEXT, "Partners of the task."),
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
        text_field(
            "joint_offer_roles",
            LONG_TEXT,
            "VI.2: in a joint offer, what each offeror does and how they are represented.",
            _APP + "joint_offer_roles",
        ),
        text_field("other_information", LONG_TEXT, "Other information (section VI.3)."),
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
