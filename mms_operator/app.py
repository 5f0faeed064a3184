"""The operator protocol over HTTP: a small Flask application on one ``OperatorStore``.

Every answer is JSON, errors included (``{"error": {"code", "message"}}``, the
message in Polish), never an HTML page: a client must be able to tell the
operator's own answer from a captive portal's or a proxy's. The protocol is
described exactly in ``resources/openapi/mms-operator-v1.json``; a test keeps
the two in step.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from mms_desktop.i18n import tr
from mms_operator.panel import PANEL, panel_error, register_panel
from mms_operator.store import (
    MissingBlobsError,
    NewSubmission,
    OperatorStore,
    Organization,
    OrganizationMismatchError,
    PublishedCall,
    StoreError,
    StoreUnavailableError,
    Submission,
    format_time,
    utc_now,
)
from mms_operator.summary import document_summary
from mms_operator.tokens import token_hash
from mms_operator.validation import (
    CheckedDocument,
    DocumentRejectedError,
    SchemaCatalog,
    TooManyValuesError,
    parse_json,
)

log = logging.getLogger(__name__)

PROTOCOL = "mms-operator"
PROTOCOL_VERSION = 1
PREFIX = "/api/v1"
HASH_HEADER = "X-Content-SHA256"
FROZEN_HEADER = "X-Frozen-At"
# How far ahead of the server's clock a desktop's "frozen at" may be (clock drift).
FROZEN_AHEAD = timedelta(minutes=5)
WARSAW = ZoneInfo("Europe/Warsaw")  # a call opens at 00:00 Polish time
MIB = 1024 * 1024
COMPRESS_ABOVE = 1024  # bytes of JSON; smaller answers are not worth the CPU
RETRY_AFTER_SECONDS = 30
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_READ_CHUNK = MIB

# Protocol error codes of HTTP errors the framework raises (unknown path, method…);
# their messages are the catalog's operator.http.<code>.
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    431: "headers_too_large",
    500: "internal_error",
}


@dataclass(frozen=True)
class Limits:
    """Largest accepted bodies, in bytes, both as sent and after gzip is undone, and
    what one organisation may keep on the server (its quotas)."""

    submission_bytes: int = 10 * MIB
    blob_bytes: int = 50 * MIB
    # Documents plus uploaded blobs: a few hundred scanned applications with
    # attachments fit many times over.
    organization_bytes: int = 2048 * MIB
    organization_submissions: int = 1000
    # Blobs uploaded and not yet listed by a submission; a report may list 500.
    organization_pending_blobs: int = 1000


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The protocol's error shape, also for waitress's own refusals (server.py)."""
    return {"error": {"code": code, "message": message, **extra}}


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    response = jsonify(error_body(code, message, **extra))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _unauthorized() -> NoReturn:
    raise ApiError(
        401,
        "unauthorized",
        tr("operator.http.unauthorized"),
        headers={"WWW-Authenticate": 'Bearer realm="mms-operator"'},
    )


def _quota(which: str, limit: int, message: str) -> NoReturn:
    raise ApiError(
        413,
        "quota_exceeded",
        tr("operator.http.quota", message=message),
        quota=which,
        limit=limit,
    )


def _too_large(limit: int) -> NoReturn:
    raise ApiError(
        413,
        "payload_too_large",
        tr("operator.http.too_large", megabytes=f"{limit / MIB:g}"),
        limit_bytes=limit,
    )


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Undo gzip (every member), refusing to produce more than ``limit`` bytes.

    The cap is enforced while decompressing: a few kilobytes that would unpack to
    gigabytes (a "gzip bomb") never get the chance.
    """
    out = bytearray()
    remaining = data
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(remaining, limit + 1 - len(out))
        except zlib.error:
            raise ApiError(400, "invalid_encoding", tr("operator.http.bad_gzip")) from None
        if len(out) > limit:
            _too_large(limit)
        if not inflater.eof:
            raise ApiError(400, "invalid_encoding", tr("operator.http.gzip_cut"))
        remaining = inflater.unused_data
        if not remaining:
            return bytes(out)


def _read_body(limit: int) -> bytes:
    """The request body with any gzip undone; 413 above ``limit`` either way."""
    declared = request.content_length
    if declared is not None and declared > limit:
        _too_large(limit)
    stream = request.stream
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_READ_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            _too_large(limit)
        chunks.append(chunk)
    data = b"".join(chunks)
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return data
    if encoding in ("gzip", "x-gzip"):
        return gunzip_capped(data, limit)
    raise ApiError(
        415,
        "unsupported_encoding",
        tr("operator.http.unsupported_encoding", encoding=repr(encoding)),
    )


def _sha256_param(value: str) -> str:
    if not _SHA256.fullmatch(value):
        raise ApiError(
            400,
            "invalid_id",
            tr("operator.http.bad_blob_address"),
        )
    return value.lower()


def _submission_id_param(value: str) -> str:
    if not _UUID.fullmatch(value):
        raise ApiError(
            400,
            "invalid_id",
            tr("operator.http.bad_submission_id"),
        )
    return str(uuid.UUID(value))


def _parse_since(value: str) -> str:
    def parse(text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    try:
        return format_time(parse(value))
    except (ValueError, OverflowError):
        pass
    # An unencoded "+01:00" in a hand-built query string arrives as " 01:00";
    # a moment past year 9999 or before year 1 in UTC overflows.
    try:
        return format_time(parse(value.replace(" ", "+")))
    except (ValueError, OverflowError):
        raise ApiError(
            400,
            "invalid_parameter",
            tr("operator.http.bad_since"),
        ) from None


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit() and char.isascii())


def _document_organization(document: dict[str, Any]) -> dict[str, Any]:
    found = document.get("organization")
    return found if isinstance(found, dict) else {}


def _document_organization_id(document: dict[str, Any]) -> str | None:
    """The desktop's id of the applicant; None for a kind that names no organisation."""
    found = _document_organization(document).get("id")
    return found if isinstance(found, str) else None


def _check_organization(document: dict[str, Any], organization: Organization) -> None:
    """The document's applicant is the token's organisation (403 organization_mismatch).

    Applications and reports name their organisation (the schema requires it); a
    kind that names none has nothing to compare.
    """
    if "organization" not in document:
        return
    applicant = _document_organization(document)
    if organization.nip is not None:
        nip = applicant.get("nip")
        if isinstance(nip, str) and _digits(nip) == organization.nip:
            return
    elif organization.document_organization_id in (None, applicant.get("id")):
        return  # bound now by this document, or by an earlier one of the same organisation
    _organization_mismatch(applicant, organization)


def _organization_mismatch(applicant: dict[str, Any], organization: Organization) -> NoReturn:
    name = applicant.get("name") if isinstance(applicant.get("name"), str) else ""
    nip = applicant.get("nip") if isinstance(applicant.get("nip"), str) else ""
    named = tr(
        "operator.http.named_nip" if nip else "operator.http.named",
        name=name or tr("operator.http.no_name"),
        nip=nip,
    )
    token_named = (
        tr("operator.http.named_nip", name=organization.name, nip=organization.nip)
        if organization.nip
        else tr("operator.http.named_plain", name=organization.name)
    )
    raise ApiError(
        403,
        "organization_mismatch",
        tr("operator.http.organization_mismatch", document=named, token=token_named),
        document_organization=name,
        token_organization=organization.name,
    )


def _frozen_at(value: str | None) -> datetime | None:
    """The ``X-Frozen-At`` moment, or None when absent or not an ISO datetime with offset."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _window_call(store: OperatorStore, call: Any) -> PublishedCall | None:
    """The published definition a document's ``call`` names: its version, else the latest."""
    if not isinstance(call, dict) or not isinstance(call.get("id"), str):
        return None
    return store.call_for(call["id"], call.get("version"))


def _check_window(published: PublishedCall, frozen_header: str | None, now: datetime) -> None:
    """Refuse an application outside the call's window (403 call_not_open / call_closed).

    ``deadline_counts`` "frozen" (the call's own rule) accepts after the deadline a
    version the desktop froze by it, as long as the freeze time is believable.
    """
    definition = published.definition
    try:
        opens = datetime.combine(date.fromisoformat(definition["opens_at"]), time(0), WARSAW)
        deadline = datetime.fromisoformat(definition["deadline"])
    except (KeyError, TypeError, ValueError):
        log.error("published call %s has no usable window", published.call_id)
        return
    if deadline.tzinfo is None:  # the schema asks for an offset; Polish time if one is missing
        deadline = deadline.replace(tzinfo=WARSAW)
    if now < opens:
        raise ApiError(
            403,
            "call_not_open",
            tr("operator.http.call_not_open", call_id=published.call_id, opens=f"{opens:%d.%m.%Y}"),
            opens_at=opens.date().isoformat(),
        )
    if now <= deadline:
        return
    frozen = _frozen_at(frozen_header)
    if (
        definition.get("deadline_counts", "received") == "frozen"
        and frozen is not None
        and frozen <= deadline
        and frozen <= now + FROZEN_AHEAD
    ):
        return
    local = deadline.astimezone(WARSAW)
    raise ApiError(
        403,
        "call_closed",
        tr(
            "operator.http.call_closed",
            call_id=published.call_id,
            day=f"{local:%d.%m.%Y}",
            hour=f"{local:%H:%M}",
        ),
        deadline=deadline.isoformat(),
    )


def _status_entry(submission: Submission) -> dict[str, Any]:
    return {
        "submission_id": submission.submission_id,
        "server_id": submission.server_id,
        "status": submission.status.value,
        "comment": submission.comment,
        "updated_at": submission.updated_at,
    }


def create_app(
    store: OperatorStore,
    *,
    limits: Limits | None = None,
    schemas: SchemaCatalog | None = None,
    clock: Callable[[], str] = utc_now,
    behind_proxy: bool = False,
) -> Flask:
    """The operator's WSGI application over ``store``: the protocol under ``/api/v1`` and
    the staff's panel under ``/panel``. ``behind_proxy``: the client's address and scheme
    come from the reverse proxy's X-Forwarded-For and X-Forwarded-Proto (one proxy)."""
    limits = limits or Limits()
    catalog = schemas or SchemaCatalog()
    app = Flask(__name__, static_folder=None)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Polish messages stay readable
    if behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    register_panel(app, store, clock, catalog)

    def authenticated() -> Organization:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            store.audit(clock(), "anonymous", "api_login_failed", address=request.remote_addr)
            _unauthorized()
        organization = store.organization_by_token(token_hash(token))
        if organization is None:
            store.audit(clock(), "anonymous", "api_login_failed", address=request.remote_addr)
            _unauthorized()
        return organization

    def route(path: str, methods: list[str]) -> Callable[[Callable[..., Any]], Any]:
        # OPTIONS is not part of the protocol: it answers 405 like any other method.
        return app.route(PREFIX + path, methods=methods, provide_automatic_options=False)

    @route("/health", ["GET"])
    def health() -> Response:
        return jsonify(
            {"protocol": PROTOCOL, "protocol_version": PROTOCOL_VERSION, "server_time": clock()}
        )

    def checked_document(data: bytes) -> tuple[dict[str, Any], CheckedDocument]:
        """The parsed document and what the schema check found; refusals as ApiErrors."""
        try:
            document = parse_json(data)
            checked = catalog.check_submission(document)
        except TooManyValuesError as rejected:
            raise ApiError(413, "payload_too_large", rejected.message) from None
        except DocumentRejectedError as rejected:
            status = 400 if rejected.code == "invalid_json" else 422
            if rejected.field is None:
                raise ApiError(status, rejected.code, rejected.message) from None
            raise ApiError(status, rejected.code, rejected.message, field=rejected.field) from None
        return document, checked

    def replay(existing: Submission, organization: Organization, sha256: str) -> Response:
        """The original receipt for a repeat; 409 when the id holds something else."""
        if existing.organization_id == organization.id and existing.content_sha256 == sha256:
            response = jsonify(existing.receipt())
            response.status_code = 200
            return response
        raise ApiError(
            409,
            "conflict",
            tr("operator.http.conflict"),
        )

    @route("/submissions/<submission_id>", ["PUT"])
    def put_submission(submission_id: str) -> Response:
        organization = authenticated()
        submission_id = _submission_id_param(submission_id)
        if request.mimetype != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                tr("operator.http.json_only"),
            )
        data = _read_body(limits.submission_bytes)
        claimed = request.headers.get(HASH_HEADER, "").strip().lower()
        actual = hashlib.sha256(data).hexdigest()
        if not claimed:
            raise ApiError(
                400,
                "hash_mismatch",
                tr("operator.http.no_hash", header=HASH_HEADER),
                content_sha256=actual,
            )
        if claimed != actual:
            raise ApiError(
                400,
                "hash_mismatch",
                tr("operator.http.document_damaged", header=HASH_HEADER),
                content_sha256=actual,
            )
        existing = store.submission(submission_id)
        if existing is not None:
            return replay(existing, organization, actual)
        document, checked = checked_document(data)
        _check_organization(document, organization)
        frozen_header = request.headers.get(FROZEN_HEADER)
        received_at = clock()
        if checked.kind == "application":  # a report is due after the project, not by the call
            published = _window_call(store, document.get("call"))
            if published is not None:
                _check_window(published, frozen_header, datetime.fromisoformat(received_at))
        usage = store.usage(organization.id)
        if usage.submissions >= limits.organization_submissions:
            _quota(
                "submissions",
                limits.organization_submissions,
                tr("operator.http.quota_submissions", count=str(usage.submissions)),
            )
        if usage.bytes + len(data) > limits.organization_bytes:
            _quota(
                "bytes",
                limits.organization_bytes,
                tr(
                    "operator.http.quota_bytes_document",
                    kept=f"{usage.bytes / MIB:.1f}",
                    limit=f"{limits.organization_bytes / MIB:g}",
                ),
            )
        try:
            stored, created = store.add_submission(
                NewSubmission(
                    submission_id=submission_id,
                    organization_id=organization.id,
                    kind=checked.kind,
                    title=checked.title,
                    document=data,
                    content_sha256=actual,
                    attachments=checked.attachments,
                    received_at=received_at,
                    document_organization_id=_document_organization_id(document),
                    frozen_at=None if frozen_header is None else frozen_header.strip()[:64],
                    summary=document_summary(checked.kind, document),
                )
            )
        except MissingBlobsError as error:
            raise ApiError(
                409,
                "missing_blobs",
                tr("operator.http.missing_blobs", count=str(len(error.missing))),
                missing=error.missing,
            ) from None
        except OrganizationMismatchError:
            # Another document bound this login between the check above and now.
            _organization_mismatch(_document_organization(document), organization)
        if not created:  # another request with this id won the race
            return replay(stored, organization, actual)
        store.audit(
            received_at,
            f"organization:{organization.id}",
            "receipt",
            stored.submission_id,
            stored.server_id,
            request.remote_addr,
        )
        log.info(
            "received %s %s (%s) from organisation %s",
            stored.kind,
            stored.submission_id,
            stored.server_id,
            organization.id,
        )
        response = jsonify(stored.receipt())
        response.status_code = 201
        return response

    @route("/submissions", ["GET"])
    def list_submissions() -> Response:
        organization = authenticated()
        since = request.args.get("since")
        found = store.submissions(
            organization_id=organization.id,
            updated_since=None if since is None else _parse_since(since),
        )
        return jsonify({"submissions": [_status_entry(item) for item in found]})

    @route("/blobs/<sha256>", ["HEAD"])
    def head_blob(sha256: str) -> Response:
        organization = authenticated()
        # Only this organisation's own uploads: whether another one sent a file never shows.
        if store.owned_blob_size(_sha256_param(sha256), organization.id) is None:
            raise ApiError(404, "not_found", tr("operator.http.no_blob"))
        response = Response(status=200)
        del response.headers["Content-Type"]  # no body, so no kind of body
        return response

    @route("/blobs/<sha256>", ["PUT"])
    def put_blob(sha256: str) -> Response:
        organization = authenticated()
        sha256 = _sha256_param(sha256)
        data = _read_body(limits.blob_bytes)
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise ApiError(
                400,
                "hash_mismatch",
                tr("operator.http.blob_damaged"),
                content_sha256=actual,
            )
        if store.owned_blob_size(sha256, organization.id) is None:
            usage = store.usage(organization.id)
            if usage.pending_blobs >= limits.organization_pending_blobs:
                _quota(
                    "pending_blobs",
                    limits.organization_pending_blobs,
                    tr("operator.http.quota_pending_blobs", count=str(usage.pending_blobs)),
                )
            if usage.bytes + len(data) > limits.organization_bytes:
                _quota(
                    "bytes",
                    limits.organization_bytes,
                    tr(
                        "operator.http.quota_bytes_blob",
                        kept=f"{usage.bytes / MIB:.1f}",
                        limit=f"{limits.organization_bytes / MIB:g}",
                    ),
                )
        created = store.put_blob(sha256, data, organization.id, clock())
        if created:
            store.audit(
                clock(),
                f"organization:{organization.id}",
                "upload",
                f"blob:{sha256}",
                str(len(data)),
                request.remote_addr,
            )
        response = jsonify({"sha256": sha256, "size": len(data)})
        response.status_code = 201 if created else 200
        return response

    @route("/calls", ["GET"])
    def list_calls() -> Response:
        authenticated()
        return jsonify({"calls": [call.definition for call in store.calls()]})

    # --- errors: always JSON ---------------------------------------------------------

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message, error.headers, **error.extra)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        if request.path == PANEL or request.path.startswith(PANEL + "/"):
            return panel_error(status)
        code = _HTTP_CODES.get(status, "http_error")
        message = tr(f"operator.http.{code}") if code != "http_error" else str(error.name)
        headers = {
            name: value
            for name, value in error.get_headers()
            if name.lower() not in ("content-type", "content-length")
        }
        return error_response(status, code, message, headers)

    @app.errorhandler(StoreUnavailableError)
    def store_unavailable(error: StoreUnavailableError) -> Response:
        log.warning("store unavailable: %s", error)
        return error_response(
            503,
            "unavailable",
            tr("operator.http.try_later", error=str(error)),
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.errorhandler(StoreError)
    def store_error(error: StoreError) -> Response:
        log.error("store error: %s", error)
        return error_response(500, "storage_error", str(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        if request.path.startswith(PANEL + "/"):
            return panel_error(500)
        return error_response(500, "internal_error", tr("operator.http.internal_error"))

    # --- compression of larger JSON answers ------------------------------------------

    @app.after_request
    def compress(response: Response) -> Response:
        if response.mimetype != "application/json":
            return response
        response.vary.add("Accept-Encoding")
        if (
            request.method == "HEAD"
            or response.direct_passthrough
            or "Content-Encoding" in response.headers
            or request.accept_encodings["gzip"] <= 0
        ):
            return response
        body = response.get_data()
        if len(body) <= COMPRESS_ABOVE:
            return response
        response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        return response

    return app
