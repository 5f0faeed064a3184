"""A data folder opened for work: the store plus the use cases on it.

The GUI and the command line both call these; neither touches the store's
tables or the files directly.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mms_desktop import i18n
from mms_desktop.domain.application import (
    Application,
    ApplicationStatus,
    AttachmentRef,
    copy_with_new_ids,
)
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.organization import Organization
from mms_desktop.paths import DataDir, longest_data_folder
from mms_desktop.services.attachments import store_attachment
from mms_desktop.services.calls import CallCatalog
from mms_desktop.services.errors import BlockedError, DataFolderError, UserError
from mms_desktop.services.files import read_json_file, read_limited, write_atomically
from mms_desktop.storage.errors import NotFoundError
from mms_desktop.storage.store import (
    ApplicationSummary,
    OrganizationSummary,
    OutboxState,
    Store,
    SubmittedVersion,
)

if TYPE_CHECKING:
    from mms_desktop.domain import canonical
    from mms_desktop.domain.findings import Finding
    from mms_desktop.domain.submission import SubmissionStamp

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # a scan; the operator takes blobs up to 50 MiB

# For tests and demonstrations only: pins "now" (ISO datetime with offset) so
# deadline checks are reproducible. Never set in normal use.
ENV_CLOCK = "MMS_CLOCK"


def now() -> datetime:
    pinned = os.environ.get(ENV_CLOCK)
    if pinned:
        return datetime.fromisoformat(pinned)
    return datetime.now().astimezone()


class ImportedFile(NamedTuple):
    """An imported application, and the incoming profile kept beside a different local one."""

    application: Application
    organization_copy: Organization | None = None
    local_name: str = ""  # the profile already here under the same id

    def messages(self) -> list[str]:
        """What the person is told (the command line prints it, the window shows it)."""
        if self.organization_copy is None:
            return []
        return [
            i18n.tr(
                "import.organization_kept_both",
                name=self.local_name,
                copy=self.organization_copy.name,
            )
        ]


def _origin_marked(name: str, path: Path) -> str:
    """The incoming profile's name with where it came from: "KGW (z pliku x.json, 04.12.2026)"."""
    from mms_desktop.domain.fields import LINE

    mark = i18n.tr("import.origin_mark", file=Path(path).name, date=now().date())
    return f"{name[: LINE - len(mark) - 1]} {mark}".strip()[:LINE]


class DemoIds(NamedTuple):
    organization_id: str
    application_id: str  # a draft, ready to send
    settled_application_id: str  # accepted by the operator, its report under way
    report_id: str


def refuse_a_path_windows_cannot_hold(root: Path) -> None:
    """A data folder so deep that its files would pass Windows's 260 characters: refused.

    Said before anything is written; otherwise the first attachment or backup
    would fail halfway with "file not found".
    """
    limit = longest_data_folder()
    if limit is not None and len(str(root)) > limit:
        raise DataFolderError(
            "data_dir.too_long", path=str(root), length=len(str(root)), limit=limit
        )


class WorkspaceOpening:
    """A data folder's workspace opened on a thread of its own while the window loads.

    Opening reads the whole store (SQLite's damage check) and may migrate it;
    SQLite lets Python go on meanwhile, so Qt and the window's modules load on
    the other core instead of waiting (20–40 ms of a start with 1,000
    applications on a warm disk, far more on a cold one). ``result()`` hands
    the workspace over, or raises what opening it raised, as
    ``Workspace.open`` would have.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._workspace: Workspace | None = None
        self._error: BaseException | None = None
        # A daemon: if the program ends before the window asks, SQLite rolls
        # back whatever the opening had not committed.
        self._thread = threading.Thread(target=self._open, name="workspace-opening", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        try:
            self._workspace = Workspace.open(self.root)
        except BaseException as error:  # handed to result(), raised on the asking thread
            self._error = error

    def result(self) -> Workspace:
        """The opened workspace, now the caller's to close (asked once)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        workspace, self._workspace = self._workspace, None
        assert workspace is not None, "the workspace was handed over already"
        return workspace

    def close_unused(self) -> None:
        """The window never asked (it failed before): the store is closed, not left open."""
        self._thread.join()
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


class Workspace:
    def __init__(self, data_dir: DataDir, store: Store) -> None:
        self.data_dir = data_dir
        self.store = store
        self.calls = CallCatalog(store)

    @classmethod
    def open(cls, root: Path) -> Workspace:
        refuse_a_path_windows_cannot_hold(root)
        data_dir = DataDir(root)
        try:
            data_dir.create()
        except OSError as error:
            raise DataFolderError(
                "data_dir.cannot_create", path=str(root), detail=i18n.os_error(error)
            ) from error
        return cls(data_dir, Store.open(data_dir.store))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- lookups that speak to the user -------------------------------------

    def application(self, application_id: str) -> Application:
        try:
            return self.store.load_application(application_id)
        except NotFoundError:
            raise UserError("application.unknown", id=application_id) from None

    def organization(self, organization_id: str) -> Organization:
        try:
            return self.store.load_organization(organization_id)
        except NotFoundError:
            raise UserError("organization.unknown", id=organization_id) from None

    # --- what the window lists and shows --------------------------------------

    def organizations(self) -> list[OrganizationSummary]:
        return self.store.list_organizations()

    def applications(self, include_deleted: bool = False) -> list[ApplicationSummary]:
        return self.store.list_applications(include_deleted)

    def application_status(self, application_id: str) -> ApplicationStatus:
        return self.store.application_status(application_id)

    def setting(self, key: str, default: str | None = None) -> str | None:
        return self.store.setting(key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.store.set_setting(key, value)

    def outbox_waiting(self) -> int | None:
        """How many submissions wait to go (0: all sent); None when nothing was ever queued."""
        counts = self.store.outbox_counts()
        if not counts:
            return None
        return sum(n for state, n in counts.items() if state is not OutboxState.SENT)

    # --- the bin ---------------------------------------------------------------

    def trash_application(self, application_id: str) -> None:
        self.store.trash_application(application_id)

    def restore_application(self, application_id: str) -> None:
        self.store.restore_application(application_id)

    def reopen_for_corrections(self, application_id: str) -> None:
        """The operator asked for corrections: the application is a draft again."""
        self.store.reopen_for_corrections(application_id)

    # --- organisations and applications -------------------------------------

    def add_organization(self, organization: Organization) -> None:
        self.store.add_organization(organization)

    def new_application(self, organization_id: str, call_id: str) -> Application:
        self.organization(organization_id)
        call = self.calls.get(call_id)
        application = Application(
            id=new_id(),
            organization_id=organization_id,
            call_id=call.id,
            start_date=call.task_earliest_start,
            end_date=call.task_latest_end,
        )
        self.store.add_application(application)
        return application

    def clone_application(self, application_id: str, call_id: str | None = None) -> Application:
        """Copy as a new draft (last year's offer as a start); declarations are asked again."""
        source = self.application(application_id)
        target_call = self.calls.get(call_id or source.call_id)
        clone = copy_with_new_ids(source, new_id, call_id=target_call.id, confirmed_declarations=())
        self.store.add_application(clone, cloned_from=source.id)
        return clone

    def validate(self, application_id: str, at: datetime | None = None) -> list[Finding]:
        # Imported on first use: the rules pull in python-stdnum, which the
        # window's first view does not need.
        from mms_desktop.domain.validation import validate

        application = self.application(application_id)
        organization = self.organization(application.organization_id)
        call = self.calls.get(application.call_id)
        return validate(application, organization, call, at)

    # --- the canonical file -------------------------------------------------

    def document(self, application_id: str) -> dict[str, Any]:
        from mms_desktop.domain import (
            canonical,  # first use: not needed for the window's first view
        )

        application = self.application(application_id)
        organization = self.organization(application.organization_id)
        call = self.calls.get(application.call_id)
        return canonical.application_document(application, organization, call.id, call.version)

    def export_json(self, application_id: str, out: Path) -> None:
        from mms_desktop.domain import canonical

        data = canonical.encode(self.document(application_id))
        write_atomically(Path(out), data)

    def import_json(self, path: Path) -> Application:
        """Import an application file whole, as a new application, or not at all."""
        return self.import_file(path).application

    def import_file(self, path: Path) -> ImportedFile:
        """``import_json``, and what the person must be told about it.

        An organisation the file brings whose id is already here with other
        data is never dropped: it is kept as a new profile whose name says
        where it came from, and the application stays with the profile of that
        id (the one the operator knows it by).
        """
        from mms_desktop.domain import canonical
        from mms_desktop.services import schemas  # jsonschema: first use

        raw = read_json_file(Path(path))
        schemas.check(
            raw,
            schemas.APPLICATION,
            canonical.APPLICATION_SCHEMA,
            canonical.APPLICATION_SCHEMA_VERSION,
            older=canonical.READABLE_APPLICATION_VERSIONS[:-1],
        )
        try:
            document = canonical.application_from_document(raw)
        except DocumentError as error:
            raise UserError(
                "import.invalid_field", field=error.field, problem=f"document.{error.reason}"
            ) from None
        call = self.calls.find(document.call_id)
        if call is None:
            raise UserError("import.unknown_call", call_id=document.call_id)
        application = copy_with_new_ids(document.application, new_id)
        incoming = document.organization
        kept: Organization | None = None
        existing: Organization | None = None
        with self.store.transaction():
            if not self.store.has_organization(incoming.id):
                self.store.add_organization(incoming)
            else:
                existing = self.store.load_organization(incoming.id)
                if existing != incoming:
                    kept = replace(incoming, id=new_id(), name=_origin_marked(incoming.name, path))
                    self.store.add_organization(kept)
            self.store.add_application(application)
        return ImportedFile(
            application, kept, existing.name if existing is not None and kept else ""
        )

    # --- attachments ---------------------------------------------------------

    def attach(self, application_id: str, path: Path, requirement_id: str = "") -> AttachmentRef:
        """Keep a file with the application (stored once, by its SHA-256)."""
        application = self.application(application_id)
        call = self.calls.get(application.call_id)
        if requirement_id and all(item.id != requirement_id for item in call.required_attachments):
            raise UserError("attach.unknown_requirement", requirement=requirement_id)
        data = read_limited(Path(path), MAX_ATTACHMENT_BYTES, "attach.too_large")
        sha256 = store_attachment(self.data_dir, data)
        reference = AttachmentRef(sha256, Path(path).name, len(data), requirement_id)
        kept = tuple(
            item
            for item in application.attachments
            if item.sha256 != sha256
            and not (requirement_id and item.requirement_id == requirement_id)
        )
        self.store.update_application(application_id, attachments=(*kept, reference))
        return reference

    def detach(self, application_id: str, sha256: str) -> None:
        """Take a file off the application (the bytes stay: a frozen version may name them)."""
        application = self.application(application_id)
        kept = tuple(item for item in application.attachments if item.sha256 != sha256)
        if len(kept) == len(application.attachments):
            raise UserError("attach.not_attached")
        self.store.update_application(application_id, attachments=kept)

    # --- submitting and printing ---------------------------------------------

    def submit(self, application_id: str, at: datetime | None = None) -> SubmittedVersion:
        """Freeze the current version: its canonical document, SHA-256 and control sum.

        Refused while a finding blocks submission. The application is then
        queued for sending and locked; a correction is a new version.
        """
        from mms_desktop.domain import canonical

        refuse_blocked(self.validate(application_id, at or now()), "submit.blocked")
        status = self.store.application_status(application_id)
        if status is not ApplicationStatus.DRAFT:
            raise UserError("submit.not_a_draft", status=status)
        data = canonical.encode(self.document(application_id))
        with self.store.transaction():  # frozen and queued together, or neither
            version = self.store.freeze_version(
                application_id,
                data.decode("utf-8"),
                canonical.sha256_hex(data),
                ApplicationStatus.QUEUED,
            )
            self.store.enqueue(version.id, application_id)
        return version

    def printable(
        self, application_id: str
    ) -> tuple[canonical.ApplicationDocument, SubmissionStamp | None]:
        """What goes on paper: the frozen version once submitted, else the draft."""
        from mms_desktop.domain import canonical
        from mms_desktop.domain.submission import SubmissionStamp

        status = self.store.application_status(application_id)
        versions = self.store.versions(application_id)
        if status is ApplicationStatus.DRAFT or not versions:
            application = self.application(application_id)
            call = self.calls.get(application.call_id)
            organization = self.organization(application.organization_id)
            return canonical.ApplicationDocument(
                application, organization, call.id, call.version
            ), None
        version = versions[-1]
        document = canonical.application_from_document(json.loads(version.document))
        stamp = SubmissionStamp(
            submission_id=version.id,
            sha256=version.sha256,
            submitted_at=datetime.fromisoformat(version.created_at).astimezone(),
            version_number=version.number,
        )
        return document, stamp

    def application_pdf(self, application_id: str) -> bytes:
        from mms_desktop.documents.application_pdf import application_pdf  # reportlab: first use

        document, stamp = self.printable(application_id)
        call = self.calls.find_version(document.call_id, document.call_version) or self.calls.get(
            document.call_id
        )
        return application_pdf(document.application, document.organization, call, stamp)

    def unprintable(self, application_id: str) -> list[Finding]:
        """Text of the printout (the frozen version once submitted) its fonts cannot draw."""
        from mms_desktop.domain.printable import unprintable

        document, _ = self.printable(application_id)
        return unprintable(document.organization, "organization") + unprintable(
            document.application, "application"
        )

    def blank_form_pdf(self, call_id: str) -> bytes:
        from mms_desktop.documents.blank_form import blank_form_pdf  # reportlab: first use

        return blank_form_pdf(self.calls.get(call_id))

    def export_pdf(self, data: bytes, out: Path) -> None:
        write_atomically(Path(out), data)

    # --- demo and listings --------------------------------------------------

    def create_demo(self) -> DemoIds:
        from mms_desktop.domain import canonical
        from mms_desktop.domain.report import ReportAttachment, ReportKind, start_report
        from mms_desktop.services import demo  # only the demo needs its texts

        call = self.calls.get(demo.DEMO_CALL_ID)
        organization = demo.demo_organization()
        application = demo.demo_application(organization.id, call)
        files = [
            AttachmentRef(store_attachment(self.data_dir, data), name, len(data), requirement)
            for requirement, name, data in demo.demo_attachments()
        ]
        application = replace(application, attachments=tuple(files))
        settled_call = self.calls.get(demo.SETTLED_CALL_ID)
        settled = demo.demo_settled_application(organization.id, settled_call)
        settled_document = canonical.encode(
            canonical.application_document(
                settled, organization, settled_call.id, settled_call.version
            )
        )
        report_files = [
            ReportAttachment(store_attachment(self.data_dir, data), name, len(data), description)
            for name, description, data in demo.demo_report_files()
        ]
        with self.store.transaction():
            self.store.add_organization(organization)
            self.store.add_application(application)
            self.store.add_application(settled)
            # As if submitted and accepted last spring: frozen, with no outbox entry.
            version = self.store.freeze_version(
                settled.id,
                settled_document.decode("utf-8"),
                canonical.sha256_hex(settled_document),
                ApplicationStatus.ACCEPTED,
            )
            report = start_report(settled, ReportKind.FINAL, new_id, version.sha256)
            report = replace(demo.demo_report_progress(report), attachments=tuple(report_files))
            self.store.add_report(report)
        return DemoIds(organization.id, application.id, settled.id, report.id)

    def listing(self) -> dict[str, Any]:
        """What ``list --json`` prints."""
        from mms_desktop.domain import canonical

        applications = []
        for summary in self.store.list_applications():
            item: dict[str, Any] = {
                "id": summary.id,
                "organization_id": summary.organization_id,
                "call_id": summary.call_id,
                "title": summary.title,
                "status": summary.status.value,
            }
            if summary.control_sum_sha256:
                item["control_sum"] = canonical.control_sum(summary.control_sum_sha256)
            applications.append(item)
        return {
            "organizations": [
                {"id": item.id, "name": item.name} for item in self.store.list_organizations()
            ],
            "applications": applications,
            "reports": [
                {
                    "id": summary.id,
                    "application_id": summary.application_id,
                    "kind": summary.kind.value,
                    "status": summary.status.value,
                    "title": summary.title,
                }
                | (
                    {"control_sum": canonical.control_sum(summary.control_sum_sha256)}
                    if summary.control_sum_sha256
                    else {}
                )
                for summary in self.store.list_reports()
            ],
        }

    def calls_listing(self) -> list[dict[str, Any]]:
        return [known.raw | {"source": known.source} for known in self.calls.all()]


def refuse_blocked(findings: list[Finding], key: str) -> None:
    """A submission refused in words while a finding blocks it: how many, and the first."""
    blocking = [finding for finding in findings if finding.blocks_submission]
    if blocking:
        raise BlockedError(key, count=len(blocking), first=i18n.finding_message(blocking[0]))


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
