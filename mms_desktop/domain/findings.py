"""Validation findings: a code, a severity, the field, and parameters.

The words come from the message catalog (``mms_desktop.i18n``), keyed by the
code, so a rule's message is translated the same way as a button. Parameters
carry their kind (an amount, a percentage, a date) so each language can print
them its own way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from mms_desktop.domain.quantities import Amount, Percent


class Severity(StrEnum):
    BLOCKING = "blocking"  # blocks submission
    WARNING = "warning"  # worth a look; does not block


ParamValue = str | int | Decimal | date | Amount | Percent


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    field: str
    params: dict[str, ParamValue] = dataclasses.field(default_factory=dict)

    @property
    def blocks_submission(self) -> bool:
        return self.severity is Severity.BLOCKING


def blocks_submission(findings: list[Finding]) -> bool:
    return any(finding.blocks_submission for finding in findings)


@dataclass(frozen=True)
class Outlook:
    """What the findings together say about sending: the one sentence every surface shows.

    ``state``: "blocked" (``count`` findings block it), "waits_for_opening" (complete,
    but the call opens on ``opens_at``: queued until then), or "ready".
    """

    state: str
    count: int = 0
    opens_at: date | None = None


def submission_outlook(findings: list[Finding]) -> Outlook:
    blocking = sum(1 for finding in findings if finding.blocks_submission)
    if blocking:
        return Outlook("blocked", count=blocking)
    for finding in findings:
        opens_at = finding.params.get("opens_at")
        if finding.code == "CALL_NOT_OPEN_YET" and isinstance(opens_at, date):
            return Outlook("waits_for_opening", opens_at=opens_at)
    return Outlook("ready")
