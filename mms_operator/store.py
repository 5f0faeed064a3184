"""What the operator service keeps, behind one interface.

The web application and the command line speak only to ``OperatorStore``; the
SQLite implementation (``sqlite_store``) is the default, and a national
operator can put PostgreSQL behind the same protocol without touching the rest.

Times are ISO-8601 UTC strings of fixed width (``2027-05-20T08:00:00.000000Z``):
they sort as text in the same order as in time, in any database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol


class Status(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    NEEDS_CORRECTIONS = "needs_corrections"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def format_time(moment: datetime) -> str:
    """``2027-05-20T08:00:00.000000Z``: UTC, microseconds, always the same width."""
    if moment.tzinfo is None:
        raise ValueError("a stored time must carry its time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_now() -> str:
    return format_time(datetime.now(UTC))


@dataclass(frozen=True)
class Organization:
    """One login. ``nip`` (digits only) is the identity documents must carry; without
    one, ``document_organization_id`` (the desktop's id of the organisation) is
    bound by the first accepted document and every later one must carry it."""

    id: int
    name: str
    created_at: str
    nip: str | None = None
    document_organization_id: str | None = None


@dataclass(frozen=True)
class Usage:
    """What one organisation keeps on the server, for its quotas."""

    bytes: int  # its documents plus every blob it uploaded
    submissions: int
    pending_blobs: int  # uploaded by it and listed by none of its submissions yet


@dataclass(frozen=True)
class NewSubmission:
    """A checked document about to be stored (its bytes are exactly those received)."""

    submission_id: str
    organization_id: int
    kind: str
    title: str
    document: bytes
    content_sha256: str
    attachments: tuple[str, ...]
    received_at: str
    document_organization_id: str | None = None  # None: the kind names no organisation
    frozen_at: str | None = None  # when the desktop froze it (X-Frozen-At), as sent


@dataclass(frozen=True)
class Submission:
    """One stored, frozen version; the document bytes are read separately."""

    submission_id: str
    server_id: str
    organization_id: int
    organization_name: str
    kind: str
    title: str
    content_sha256: str
    received_at: str
    status: Status
    comment: str | None
    updated_at: str

    def receipt(self) -> dict[str, Any]:
        """The receipt the client keeps: always the original one, however often it asks."""
        return {
            "submission_id": self.submission_id,
            "server_id": self.server_id,
            "received_at": self.received_at,
            "content_sha256": self.content_sha256,
            "status": Status.RECEIVED.value,
        }


@dataclass(frozen=True)
class PublishedCall:
    call_id: str
    version: int
    definition: dict[str, Any]
    published_at: str


class StoreError(Exception):
    """A problem with the store a person can act on (told in words, in Polish)."""


class StoreUnavailableError(StoreError):
    """Busy or out of space for now: the client should try again later."""


class StoreTooNewError(StoreError):
    """The data folder was written by a newer version of mms-operator."""


class UnknownSubmissionError(StoreError):
    pass


class CallVersionExistsError(StoreError):
    """The same call id and version was published before with other content."""


class OrganizationMismatchError(StoreError):
    """The document's organisation is not the one its token belongs to."""

    def __init__(self, bound_id: str) -> None:
        super().__init__(f"the login is bound to the organisation {bound_id!r}")
        self.bound_id = bound_id


class MissingBlobsError(StoreError):
    """Attachments the submitting organisation has not uploaded (or that were cleaned up)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"{len(missing)} attachment(s) missing")
        self.missing = missing


class OperatorStore(Protocol):
    """Everything the operator service needs from its storage."""

    # --- organisations and their tokens (only SHA-256 hashes are kept) ----------
    def add_organization(
        self, name: str, token_sha256: str, created_at: str, nip: str | None = None
    ) -> Organization: ...

    def organization_by_token(self, token_sha256: str) -> Organization | None: ...

    # --- submissions: frozen documents, every version kept -----------------------
    def submission(self, submission_id: str) -> Submission | None: ...

    def submission_document(self, submission_id: str) -> bytes | None: ...

    def add_submission(self, new: NewSubmission) -> tuple[Submission, bool]:
        """Store ``new`` unless its id is taken; (the stored one, whether it is new).

        Atomic: of two requests racing with one id exactly one stores it. In the
        same transaction an organisation without a NIP is bound to the document's
        organisation id (OrganizationMismatchError when bound to another), and every
        attachment must be one the organisation uploaded (MissingBlobsError).
        """
        ...

    def submissions(
        self, *, organization_id: int | None = None, updated_since: str | None = None
    ) -> list[Submission]:
        """Oldest change first; ``updated_since`` is inclusive."""
        ...

    def set_status(
        self, submission_id: str, status: Status, comment: str | None, at: str
    ) -> Submission: ...

    # --- attachments: content-addressed blobs ------------------------------------
    def blob_size(self, sha256: str) -> int | None: ...

    def owned_blob_size(self, sha256: str, organization_id: int) -> int | None:
        """The blob's size when this organisation uploaded it; None otherwise, even if
        another organisation did (content never shows across organisations)."""
        ...

    def put_blob(self, sha256: str, data: bytes, organization_id: int, at: str) -> bool:
        """Keep ``data`` (whose SHA-256 is ``sha256``) as uploaded by the organisation;
        False when that organisation had uploaded it already."""
        ...

    def usage(self, organization_id: int) -> Usage: ...

    def cleanup_blobs(self, uploaded_before: str) -> tuple[int, int]:
        """Forget uploads older than ``uploaded_before`` that no submission of their
        organisation lists; delete blob files nobody owns or lists. (files, bytes) removed."""
        ...

    # --- call definitions the operator publishes ---------------------------------
    def publish_call(self, call_id: str, version: int, definition: dict[str, Any], at: str) -> bool:
        """True when new; the same definition again is no change; another one raises."""
        ...

    def calls(self) -> list[PublishedCall]:
        """The newest version of every published call."""
        ...

    def call_version(self, call_id: str, version: int) -> PublishedCall | None: ...

    def call_for(self, call_id: str, version: object) -> PublishedCall | None:
        """Version ``version`` of the call when published, else its latest; None if never."""
        ...

    def close(self) -> None: ...
