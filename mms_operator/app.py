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
from datetime import UTC, datetime
from typing import Any, NoReturn

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from mms_operator.store import (
    NewSubmission,
    OperatorStore,
    Organization,
    StoreError,
    StoreUnavailableError,
    Submission,
    format_time,
    utc_now,
)
from mms_operator.tokens import token_hash
from mms_operator.validation import DocumentRejectedError, SchemaCatalog, parse_json

log = logging.getLogger(__name__)

PROTOCOL = "mms-operator"
PROTOCOL_VERSION = 1
PREFIX = "/api/v1"
HASH_HEADER = "X-Content-SHA256"
MIB = 1024 * 1024
COMPRESS_ABOVE = 1024  # bytes of JSON; smaller answers are not worth the CPU
RETRY_AFTER_SECONDS = 30
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_READ_CHUNK = MIB

# Protocol error codes of HTTP errors the framework raises (unknown path, method…).
_HTTP_CODES = {
    400: ("bad_request", "Niepoprawne żądanie."),
    404: ("not_found", "Nie ma takiego adresu w protokole operatora."),
    405: ("method_not_allowed", "Ten adres nie obsługuje tej metody HTTP."),
    413: ("payload_too_large", "Przesłane dane są za duże."),
    415: ("unsupported_media_type", "Nieobsługiwany rodzaj danych."),
    500: ("internal_error", "Błąd wewnętrzny serwera operatora."),
}


@dataclass(frozen=True)
class Limits:
    """Largest accepted bodies, in bytes, both as sent and after gzip is undone."""

    submission_bytes: int = 10 * MIB
    blob_bytes: int = 50 * MIB


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


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _unauthorized() -> NoReturn:
    raise ApiError(
        401,
        "unauthorized",
        "Brak lub niepoprawny token dostępu organizacji (nagłówek Authorization: Bearer …).",
        headers={"WWW-Authenticate": 'Bearer realm="mms-operator"'},
    )


def _too_large(limit: int) -> NoReturn:
    raise ApiError(
        413,
        "payload_too_large",
        f"Przesłane dane są za duże (najwyżej {limit / MIB:g} MB).",
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
            raise ApiError(
                400, "invalid_encoding", "Dane oznaczone jako gzip nie są poprawnym plikiem gzip."
            ) from None
        if len(out) > limit:
            _too_large(limit)
        if not inflater.eof:
            raise ApiError(400, "invalid_encoding", "Dane gzip są ucięte.")
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
        f"Nieobsługiwane kodowanie danych {encoding!r}; serwer przyjmuje gzip albo dane "
        "bez kompresji.",
    )


def _sha256_param(value: str) -> str:
    if not _SHA256.fullmatch(value):
        raise ApiError(
            400,
            "invalid_id",
            "Adres załącznika musi kończyć się jego skrótem SHA-256 (64 znaki szesnastkowe).",
        )
    return value.lower()


def _submission_id_param(value: str) -> str:
    if not _UUID.fullmatch(value):
        raise ApiError(
            400,
            "invalid_id",
            "Identyfikator zgłoszenia musi być identyfikatorem UUID "
            "(np. 0f8fad5b-d9cb-469f-a165-70867728950e).",
        )
    return str(uuid.UUID(value))


def _parse_since(value: str) -> str:
    def parse(text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    try:
        return format_time(parse(value))
    except ValueError:
        pass
    # An unencoded "+01:00" in a hand-built query string arrives as " 01:00".
    try:
        return format_time(parse(value.replace(" ", "+")))
    except ValueError:
        raise ApiError(
            400,
            "invalid_parameter",
            "Parametr since musi być datą i godziną ISO 8601, np. 2027-05-20T08:00:00Z.",
        ) from None


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
) -> Flask:
    """The operator's WSGI application over ``store``."""
    limits = limits or Limits()
    catalog = schemas or SchemaCatalog()
    app = Flask(__name__, static_folder=None)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Polish messages stay readable

    def authenticated() -> Organization:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            _unauthorized()
        organization = store.organization_by_token(token_hash(token))
        if organization is None:
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

    def replay(existing: Submission, organization: Organization, sha256: str) -> Response:
        """The original receipt for a repeat; 409 when the id holds something else."""
        if existing.organization_id == organization.id and existing.content_sha256 == sha256:
            response = jsonify(existing.receipt())
            response.status_code = 200
            return response
        raise ApiError(
            409,
            "conflict",
            "Pod tym identyfikatorem przyjęto już inny dokument; poprawiona wersja musi mieć "
            "nowy identyfikator zgłoszenia.",
        )

    @route("/submissions/<submission_id>", ["PUT"])
    def put_submission(submission_id: str) -> Response:
        organization = authenticated()
        submission_id = _submission_id_param(submission_id)
        if request.mimetype != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                "Dokument trzeba wysłać jako JSON (Content-Type: application/json).",
            )
        data = _read_body(limits.submission_bytes)
        claimed = request.headers.get(HASH_HEADER, "").strip().lower()
        actual = hashlib.sha256(data).hexdigest()
        if not claimed:
            raise ApiError(
                400,
                "hash_mismatch",
                f"Brak nagłówka {HASH_HEADER} ze skrótem SHA-256 dokumentu.",
                content_sha256=actual,
            )
        if claimed != actual:
            raise ApiError(
                400,
                "hash_mismatch",
                "Skrót SHA-256 odebranego dokumentu nie zgadza się z nagłówkiem "
                f"{HASH_HEADER}: dane uszkodziły się po drodze. Nic nie zapisano.",
                content_sha256=actual,
            )
        existing = store.submission(submission_id)
        if existing is not None:
            return replay(existing, organization, actual)
        try:
            checked = catalog.check_submission(parse_json(data))
        except DocumentRejectedError as rejected:
            status = 400 if rejected.code == "invalid_json" else 422
            if rejected.field is None:
                raise ApiError(status, rejected.code, rejected.message) from None
            raise ApiError(status, rejected.code, rejected.message, field=rejected.field) from None
        missing = [sha for sha in checked.attachments if store.blob_size(sha) is None]
        if missing:
            raise ApiError(
                409,
                "missing_blobs",
                f"Brakuje na serwerze załączników wskazanych w dokumencie ({len(missing)}); "
                "wyślij je najpierw (PUT /api/v1/blobs/{sha256}).",
                missing=missing,
            )
        stored, created = store.add_submission(
            NewSubmission(
                submission_id=submission_id,
                organization_id=organization.id,
                kind=checked.kind,
                title=checked.title,
                document=data,
                content_sha256=actual,
                attachments=checked.attachments,
                received_at=clock(),
            )
        )
        if not created:  # another request with this id won the race
            return replay(stored, organization, actual)
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
        authenticated()
        if store.blob_size(_sha256_param(sha256)) is None:
            raise ApiError(404, "not_found", "Serwer nie ma tego załącznika.")
        response = Response(status=200)
        del response.headers["Content-Type"]  # no body, so no kind of body
        return response

    @route("/blobs/<sha256>", ["PUT"])
    def put_blob(sha256: str) -> Response:
        authenticated()
        sha256 = _sha256_param(sha256)
        data = _read_body(limits.blob_bytes)
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise ApiError(
                400,
                "hash_mismatch",
                "Skrót SHA-256 odebranego załącznika nie zgadza się z adresem: dane uszkodziły "
                "się po drodze. Nic nie zapisano.",
                content_sha256=actual,
            )
        created = store.put_blob(sha256, data)
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
        code, message = _HTTP_CODES.get(status, ("http_error", error.name))
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
            f"{error} Spróbuj ponownie później.",
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.errorhandler(StoreError)
    def store_error(error: StoreError) -> Response:
        log.error("store error: %s", error)
        return error_response(500, "storage_error", str(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, *_HTTP_CODES[500])

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
