"""The report's records and its rows, declared once, as ``records`` declares the others.

Apart from ``records`` so that a start of the window, which reads no report,
loads neither these nor the report's module.
"""

from __future__ import annotations

from mms_desktop.domain.fields import CODE, LINE, LONG_TEXT, PARAGRAPH, Field, Kind, Record
from mms_desktop.domain.records import BUDGET_LINE, FILE_FIELDS, carried, id_field, text_field
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

_RA = "field.report.actions."
ACTION_REPORT = Record(
    "action_report",
    ActionReport,
    "How one action of the accepted plan went; its id is the action's id in the application.",
    (
        id_field("id", "Id of the action in the application."),
        carried(text_field("name", LINE, "Name of the action, as accepted.")),
        carried(Field("planned_start", Kind.DATE, "Planned start, as accepted.")),
        carried(Field("planned_end", Kind.DATE, "Planned end, as accepted.")),
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
        text_field("description", LONG_TEXT, "What happened.", _RA + "description"),
        text_field(
            "deviations", LONG_TEXT, "What differed from the plan, and why.", _RA + "deviations"
        ),
    ),
)

_RR = "field.report.results."
RESULT_REPORT = Record(
    "result_report",
    ResultReport,
    "One planned result against what was achieved; its id is the result's id in the application.",
    (
        id_field("id", "Id of the result in the application."),
        carried(text_field("name", LINE, "Name of the result.")),
        carried(text_field("unit", CODE, "Unit of measure.")),
        carried(Field("planned_value", Kind.OPTIONAL_DECIMAL, "Planned value, as accepted.")),
        Field(
            "achieved_value",
            Kind.OPTIONAL_DECIMAL,
            "Value achieved, or null when not known yet.",
            label=_RR + "achieved_value",
        ),
        text_field(
            "comment", PARAGRAPH, "How it was measured, or why it fell short.", _RR + "comment"
        ),
    ),
)

_RD = "field.report.documents."
ACCOUNTING_DOCUMENT = Record(
    "document",
    AccountingDocument,
    "An accounting document (invoice, bill) paid for the task.",
    (
        id_field("id", "Id of the entry."),
        text_field("number", CODE, "The document's number.", _RD + "number"),
        Field("issue_date", Kind.DATE, "Date of issue.", label=_RD + "issue_date"),
        text_field("issuer", LINE, "Who issued it.", _RD + "issuer"),
        text_field("description", PARAGRAPH, "What was bought.", _RD + "description"),
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
        id_field("id", "Id of the entry."),
        text_field("who", PARAGRAPH, "Who worked (names, or a description).", _RV + "who"),
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
        id_field("id", "Id of the entry."),
        text_field("description", PARAGRAPH, "What was given or lent.", _RK + "description"),
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
        *FILE_FIELDS,
        text_field("description", PARAGRAPH, "What the file shows."),
    ),
)

_REP = "field.report."
REPORT = Record(
    "report",
    Report,
    "The report (sprawozdanie) itself.",
    (
        id_field("id", "Id of the report."),
        id_field("application_id", "Id of the application it settles."),
        id_field("organization_id", "Id of the organisation; equals organization.id."),
        id_field("call_id", "Id of the call; equals call.id."),
        Field(
            "kind",
            Kind.ENUM,
            "partial (częściowe) or final (końcowe).",
            enum=ReportKind,
            identity=True,
        ),
        carried(text_field("title", LINE, "Title of the task, as accepted.")),
        carried(Field("task_start", Kind.DATE, "Start of the task, as accepted.")),
        carried(Field("task_end", Kind.DATE, "End of the task, as accepted.")),
        Field(
            "period_start",
            Kind.DATE,
            "Start of the period reported on.",
            label=_REP + "period_start",
        ),
        Field("period_end", Kind.DATE, "End of the period reported on.", label=_REP + "period_end"),
        carried(
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
        text_field(
            "contract_number",
            CODE,
            "The contract's number, if one was given (numer umowy).",
            _REP + "contract_number",
        ),
        text_field(
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
        text_field(
            "other_revenues",
            LONG_TEXT,
            "II.3: other revenues earned while carrying out the task.",
            _REP + "other_revenues",
        ),
        text_field(
            "recipient_payments",
            LONG_TEXT,
            "II.4: monetary payments collected from the task's recipients.",
            _REP + "recipient_payments",
        ),
        text_field(
            "other_information", LONG_TEXT, "Other information.", _REP + "other_information"
        ),
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
