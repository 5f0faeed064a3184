"""What a frozen, submitted version carries onto paper: its id, hash and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mms_desktop.domain.canonical import control_sum


@dataclass(frozen=True)
class SubmissionStamp:
    submission_id: str
    sha256: str  # of the canonical document, hex
    submitted_at: datetime
    version_number: int = 1

    @property
    def control_sum(self) -> str:
        """``1A2B-3C4D-5E6F-7A8B``: printed on every page."""
        return control_sum(self.sha256)

    @property
    def qr_payload(self) -> str:
        """What the confirmation page's QR code carries: the id and the full hash."""
        return f"mms-submission:{self.submission_id}:sha256:{self.sha256}"
