"""How long texts and lists may be: the same limits as the file schemas.

An application that passes validation must also export to a file that imports
again, so the editor's findings enforce the schema's limits. Both come from
the records' declarations (``records``), so they cannot drift apart.
"""

from __future__ import annotations

from mms_desktop.domain.fields import (
    CODE,
    LINE,
    LONG_TEXT,
    PARAGRAPH,
    row_limits,
    row_text_limits,
    text_limits,
)
from mms_desktop.domain.records import APPLICATION
from mms_desktop.domain.report_records import REPORT

__all__ = ["CODE", "LINE", "LONG_TEXT", "PARAGRAPH"]

APPLICATION_TEXTS = text_limits(APPLICATION)
ROW_TEXTS = row_text_limits(APPLICATION)
MAX_ROWS = row_limits(APPLICATION)

REPORT_TEXTS = text_limits(REPORT)
REPORT_ROW_TEXTS = row_text_limits(REPORT)
REPORT_MAX_ROWS = row_limits(REPORT)
MAX_REPORT_ATTACHMENTS = REPORT.field("attachments").max_length or 0
