"""How long texts and lists may be: the same limits as the application file's schema.

An application that passes validation must also export to a file that imports
again, so the editor's findings enforce the schema's limits
(``resources/schemas/application.schema.json``; a test keeps the two equal).
"""

from __future__ import annotations

LINE = 500  # a name or a one-line text
CODE = 100  # a unit, a number
PARAGRAPH = 5_000
LONG_TEXT = 20_000

APPLICATION_TEXTS = {
    "title": LINE,
    "place": PARAGRAPH,
    "target_group": LONG_TEXT,
    "summary": LONG_TEXT,
    "need": LONG_TEXT,
    "expected_results": LONG_TEXT,
    "experience": LONG_TEXT,
    "resources": LONG_TEXT,
    "partners": LONG_TEXT,
    "other_information": LONG_TEXT,
}
ROW_TEXTS = {
    "actions": {"name": LINE, "description": LONG_TEXT, "target_group": PARAGRAPH},
    "results": {"name": LINE, "unit": CODE, "measurement": PARAGRAPH},
    "budget": {"name": LINE, "unit": CODE},
}
MAX_ROWS = {"actions": 200, "results": 200, "budget": 2_000}

# The report's file schema (resources/schemas/report.schema.json) uses the same.
REPORT_TEXTS = {"summary": LONG_TEXT, "other_information": LONG_TEXT}
REPORT_ROW_TEXTS = {
    "actions": {"description": LONG_TEXT, "deviations": LONG_TEXT},
    "results": {"comment": PARAGRAPH},
    "documents": {"number": CODE, "issuer": LINE, "description": PARAGRAPH},
    "volunteer_work": {"who": PARAGRAPH},
    "in_kind": {"description": PARAGRAPH},
}
REPORT_MAX_ROWS = {
    "actions": 200,
    "results": 200,
    "documents": 5_000,
    "volunteer_work": 2_000,
    "in_kind": 2_000,
}
MAX_REPORT_ATTACHMENTS = 500
