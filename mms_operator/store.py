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
class DocumentSummary:
    """What the panel filters, sorts and adds up, read once from a received document.

    Amounts are in grosze; None where the kind has none (a report asks for no grant).
    ``record_id`` is the desktop's id of the application or report: its versions share it.
    """

    call_id: str | None = None
    record_id: str | None = None
    nip: str | None = None
    gmina: str | None = None
    powiat: str | None = None
    grant_grosze: int | None = None
    own_grosze: int | None = None

    def column_values(self) -> tuple[str | int | None, ...]:
        """The submissions table's columns call_id … own_grosze, in that order."""
        return (
            self.call_id,
            self.record_id,
            self.nip,
            self.gmina,
            self.powiat,
            self.grant_grosze,
            self.own_grosze,
        )


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
    summary: DocumentSummary = DocumentSummary()


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
    summary: DocumentSummary = DocumentSummary()

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


class Role(StrEnum):
    REVIEWER = "reviewer"  # reads, comments, sets statuses, exports
    ADMIN = "admin"  # also publishes calls and rotates or revokes organisations' tokens


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    role: Role
    password_hash: str
    must_change_password: bool
    created_at: str


@dataclass(frozen=True)
class StaffSession:
    """A signed-in browser; only the SHA-256 of its cookie is kept."""

    staff: StaffMember
    csrf_token: str
    created_at: str
    last_seen: str
    language: str


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str  # "staff:EMAIL", "organization:ID", "cli", or "anonymous"
    action: str  # a catalog key's last part: status_set, call_published, upload, …
    subject: str | None
    detail: str | None
    address: str | None


@dataclass(frozen=True)
class OrganizationListing:
    organization: Organization
    revoked_at: str | None
    submissions: int


@dataclass(frozen=True)
class SubmissionFilter:
    """The panel's list of one call: every field optional; ``search`` in title,
    organisation, NIP or number, whatever the letters' case."""

    call_id: str | None = None
    status: str | None = None
    organization: str | None = None
    gmina: str | None = None
    powiat: str | None = None
    kind: str | None = None
    received_from: str | None = None  # inclusive, a stored time's prefix (2027-05-20)
    received_to: str | None = None  # inclusive: that whole day
    search: str | None = None
    latest_only: bool = True  # one row per application: its newest version


SORTS = ("received_at", "title", "organization", "status", "grant", "server_id", "powiat")


@dataclass(frozen=True)
class SubmissionPage:
    items: list[Submission]
    total: int


@dataclass(frozen=True)
class CallFigures:
    """A call's dashboard: newest versions of its applications only."""

    by_status: dict[str, int]
    grant_by_status: dict[str, int]  # grosze requested
    by_powiat: list[tuple[str, int, int]]  # (powiat, applications, grosze requested)
    applications: int
    grant_grosze: int


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

    def audit(
        self,
        at: str,
        actor: str,
        action: str,
        subject: str | None = None,
        detail: str | None = None,
        address: str | None = None,
    ) -> None:
        """One line of the audit log staff read in the panel."""
        ...

    def close(self) -> None: ...
