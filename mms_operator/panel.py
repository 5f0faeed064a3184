"""The staff's panel: server-rendered pages under ``/panel`` on the operator's own store.

No JavaScript: every page is HTML and forms, so it works by keyboard, on an old
laptop and behind any proxy. Polish by default, English at a click (the
session keeps the choice). Security, in order of a request:

- a session cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure`` over https,
  path ``/panel``) whose SHA-256 the store keeps; it ends after
  ``IDLE_MINUTES`` without use or ``LONGEST_HOURS`` after sign-in;
- every POST carries the session's CSRF token (the sign-in form a token of its
  own, as a cookie and a field that must match);
- sign-ins are throttled per account and per client address, counted in the
  store (so several server processes count together), and every failure goes
  to the audit log with the address;
- pages are ``no-store`` and may be framed only by the panel itself (the PDF).
"""

from __future__ import annotations

import csv
import functools
import hmac
import io
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from mms_desktop import i18n
from mms_desktop.domain.canonical import control_sum
from mms_desktop.i18n import tr
from mms_operator.printout import PRINTABLE_KINDS, PrintoutError, printout
from mms_operator.staff import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    new_secret,
    normal_email,
    verify_password,
)
from mms_operator.store import (
    SORTS,
    CallVersionExistsError,
    Role,
    StaffSession,
    Status,
    Submission,
    SubmissionFilter,
    UnknownSubmissionError,
    format_time,
)
from mms_operator.tokens import new_token, token_hash
from mms_operator.validation import DocumentRejectedError, SchemaCatalog, parse_json

PANEL = "/panel"
SESSION_COOKIE = "mms_panel"
LOGIN_COOKIE = "mms_panel_login"  # the sign-in form's CSRF token, before any session
LANGUAGE_COOKIE = "mms_panel_language"
IDLE_MINUTES = 30
LONGEST_HOURS = 12
TOUCH_SECONDS = 60  # a session's last use is written at most this often
THROTTLE_MINUTES = 15
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
PAGE_SIZE = 50
MAX_CALL_UPLOAD = 10 * 1024 * 1024
# A title an organisation wrote can start like a formula; a spreadsheet must not run it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def money(grosze: int | None) -> str:
    if grosze is None:
        return "–"
    return i18n.format_money(Decimal(grosze) / 100, exact=True)


def _grosze(text: str) -> int | None:
    try:
        amount = i18n.parse_amount(text)
    except (ValueError, InvalidOperation):
        return None
    if amount < 0:
        return None
    return int((amount * 100).to_integral_value())


def local_time(stored: str | None) -> str:
    """A stored UTC time as Polish local time, in the language's date format."""
    if not stored:
        return ""
    from zoneinfo import ZoneInfo

    moment = _parse_time(stored).astimezone(ZoneInfo("Europe/Warsaw"))
    return i18n.format_datetime(moment)


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    """A document as field path → value, lists of records keyed by their ids."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat |= _flatten(item, f"{path}.{key}" if path else key)
        return flat
    if isinstance(value, list) and all(isinstance(item, dict) and "id" in item for item in value):
        flat = {}
        for item in value:
            flat |= _flatten({k: v for k, v in item.items() if k != "id"}, f"{path}[{item['id']}]")
        return flat
    return {path: value}


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class BudgetChange:
    name: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


BUDGET_COLUMNS = (
    "quantity",
    "unit",
    "unit_cost",
    "grant",
    "own_financial",
    "own_in_kind",
    "own_personal",
)


def compare(
    before: dict[str, Any], after: dict[str, Any], kind: str
) -> tuple[list[Change], list[BudgetChange]]:
    """What changed between two versions: fields, and budget lines side by side."""
    found = before.get(kind)
    record_before: dict[str, Any] = found if isinstance(found, dict) else {}
    found = after.get(kind)
    record_after: dict[str, Any] = found if isinstance(found, dict) else {}
    lines_before = {line.get("id"): line for line in record_before.get("budget", []) or []}
    lines_after = {line.get("id"): line for line in record_after.get("budget", []) or []}
    budget = [
        BudgetChange(
            str((lines_after.get(key) or lines_before.get(key) or {}).get("name", "")),
            lines_before.get(key),
            lines_after.get(key),
        )
        for key in dict.fromkeys([*lines_before, *lines_after])
        if lines_before.get(key) != lines_after.get(key)
    ]
    strip = {**before, kind: {k: v for k, v in record_before.items() if k != "budget"}}
    flat_before = _flatten(strip)
    strip = {**after, kind: {k: v for k, v in record_after.items() if k != "budget"}}
    flat_after = _flatten(strip)
    fields = [
        Change(key, flat_before.get(key), flat_after.get(key))
        for key in sorted(flat_before.keys() | flat_after.keys())
        if flat_before.get(key) != flat_after.get(key)
    ]
    return fields, budget


@functools.cache
def _bundled_call_names() -> dict[str, str]:
    """The calls built into the app (read once: they change only with the program)."""
    from mms_desktop.core.calls import bundled_call_documents

    return {
        document["id"]: str(document.get("name", document["id"]))
        for document in bundled_call_documents()
    }


def same_secret(sent: str, expected: str) -> bool:
    """Compared in constant time; anything typed (non-ASCII too) is just not equal."""
    return bool(sent) and bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


def spreadsheet_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def register_panel(
    app: Flask, store: Any, clock: Callable[[], str], schemas: SchemaCatalog
) -> None:
    """The panel's pages on ``app`` (the protocol's application, the same store)."""
    panel = Blueprint("panel", __name__, url_prefix=PANEL, template_folder="templates")

    # --- sessions -----------------------------------------------------------------

    def now() -> datetime:
        return _parse_time(clock())

    def address() -> str:
        return request.remote_addr or "?"

    def chosen_language() -> str:
        found = request.cookies.get(LANGUAGE_COOKIE)
        return found if found in i18n.LANGUAGES else i18n.language()

    def current_session() -> tuple[StaffSession, str] | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        key = token_hash(cookie)
        moment = now()
        found = store.session(
            key,
            format_time(moment - timedelta(minutes=IDLE_MINUTES)),
            format_time(moment - timedelta(hours=LONGEST_HOURS)),
        )
        if found is None:
            return None
        if (moment - _parse_time(found.last_seen)).total_seconds() > TOUCH_SECONDS:
            store.touch_session(key, format_time(moment))
        return found, key

    def csrf_ok(expected: str) -> bool:
        return same_secret(request.form.get("csrf_token", ""), expected)

    def page(template: str, status: int = 200, **context: Any) -> Response:
        response = Response(render_template(f"panel/{template}", **context), status=status)
        response.mimetype = "text/html"
        return response

    def staff_page(*, admin: bool = False) -> Callable[[Callable[..., Response]], Any]:
        def wrap(view: Callable[..., Response]) -> Callable[..., Response]:
            @functools.wraps(view)
            def run(**kwargs: Any) -> Response:
                found = current_session()
                if found is None:
                    with i18n.using(chosen_language()):
                        target = url_for("panel.login", next=request.full_path.rstrip("?"))
                        return redirect(target)  # type: ignore[return-value]
                session, key = found
                g.session, g.session_key, g.staff = session, key, session.staff
                with i18n.using(session.language):
                    if request.method == "POST" and not csrf_ok(session.csrf_token):
                        return page("error.html", 403, message=tr("panel.error.csrf"))
                    if session.staff.must_change_password and view.__name__ != "password":
                        return redirect(url_for("panel.password"))  # type: ignore[return-value]
                    if admin and session.staff.role is not Role.ADMIN:
                        return page("error.html", 403, message=tr("panel.error.admin_only"))
                    return view(**kwargs)

            return run

        return wrap

    def actor() -> str:
        return f"staff:{g.staff.email}"

    def audit(action: str, subject: str | None = None, detail: str | None = None) -> None:
        store.audit(clock(), actor(), action, subject, detail, address())

    # --- template helpers ---------------------------------------------------------

    @panel.app_context_processor
    def helpers() -> dict[str, Any]:
        return {
            "t": tr,
            "money": money,
            "local_time": local_time,
            "control_sum": control_sum,
            "statuses": list(Status),
            "language": i18n.language,
            "languages": i18n.LANGUAGES,
            "staff": getattr(g, "staff", None),
            "csrf_token": g.session.csrf_token if getattr(g, "session", None) else "",
            "Role": Role,
        }

    # --- signing in and out -------------------------------------------------------

    def safe_next(target: str | None) -> str:
        # Only a path of the panel: never a redirect to another site.
        if target and target.startswith(PANEL + "/") and not target.startswith("//"):
            return target
        return url_for("panel.calls")

    def login_page(error: str | None = None, status: int = 200, email: str = "") -> Response:
        token = new_secret()
        response = page(
            "login.html",
            status,
            error=error,
            login_token=token,
            email=email,
            next=request.values.get("next", ""),
        )
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            secure=request.is_secure,
            path=PANEL,
        )
        return response

    @panel.route("/login", methods=["GET", "POST"])
    def login() -> Response:
        with i18n.using(chosen_language()):
            if request.method == "GET":
                return login_page()
            sent = request.form.get("csrf_token", "")
            cookie = request.cookies.get(LOGIN_COOKIE, "")
            if not same_secret(sent, cookie):
                return login_page(tr("panel.error.csrf"), 403)
            email = normal_email(request.form.get("email", "")) or ""
            password = request.form.get("password", "")
            moment = now()
            since = format_time(moment - timedelta(minutes=THROTTLE_MINUTES))
            by_address, by_account = store.login_failures(email, address(), since)
            if by_address >= MAX_FAILURES_PER_ADDRESS or by_account >= MAX_FAILURES_PER_ACCOUNT:
                store.audit(
                    clock(), "anonymous", "login_throttled", f"staff:{email}", None, address()
                )
                return login_page(tr("panel.login.throttled", minutes=THROTTLE_MINUTES), 429, email)
            member = store.staff_by_email(email) if email else None
            if not verify_password(member.password_hash if member else None, password):
                store.add_login_failure(email, address(), clock())
                store.audit(clock(), "anonymous", "login_failed", f"staff:{email}", None, address())
                return login_page(tr("panel.login.wrong"), 401, email)
            assert member is not None
            cookie_value = new_secret()
            store.add_session(
                token_hash(cookie_value), member.id, new_secret(), clock(), i18n.language()
            )
            store.audit(
                clock(), f"staff:{member.email}", "login", f"staff:{member.email}", None, address()
            )
            response = redirect(safe_next(request.form.get("next")))
            response.set_cookie(
                SESSION_COOKIE,
                cookie_value,
                httponly=True,
                samesite="Strict",
                secure=request.is_secure,
                path=PANEL,
            )
            response.delete_cookie(LOGIN_COOKIE, path=PANEL)
            return response  # type: ignore[return-value]

    @panel.route("/logout", methods=["POST"])
    @staff_page()
    def logout() -> Response:
        store.end_session(g.session_key)
        audit("logout", actor())
        response = redirect(url_for("panel.login"))
        response.delete_cookie(SESSION_COOKIE, path=PANEL)
        return response  # type: ignore[return-value]

    @panel.route("/password", methods=["GET", "POST"])
    @staff_page()
    def password() -> Response:
        if request.method == "GET":
            return page("password.html")
        current = request.form.get("current", "")
        new = request.form.get("new", "")
        if not verify_password(g.staff.password_hash, current):
            return page("password.html", 400, error=tr("panel.password.wrong_current"))
        if len(new) < MIN_PASSWORD_LENGTH:
            return page(
                "password.html",
                400,
                error=tr("panel.password.too_short", length=MIN_PASSWORD_LENGTH),
            )
        if new != request.form.get("repeat", ""):
            return page("password.html", 400, error=tr("panel.password.mismatch"))
        if new == current:
            return page("password.html", 400, error=tr("panel.password.same"))
        store.set_staff_password(g.staff.id, hash_password(new), temporary=False)
        audit("password_changed", actor())
        return redirect(url_for("panel.calls"))  # type: ignore[return-value]

    @panel.route("/language", methods=["POST"])
    def language() -> Response:
        chosen = request.form.get("language", "")
        if chosen not in i18n.LANGUAGES:
            chosen = i18n.SOURCE_LANGUAGE
        found = current_session()
        if found is not None:
            session, key = found
            if not csrf_ok(session.csrf_token):
                with i18n.using(session.language):
                    return page("error.html", 403, message=tr("panel.error.csrf"))
            store.touch_session(key, clock(), chosen)
        response = redirect(safe_next(request.form.get("next")))
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            samesite="Strict",
            secure=request.is_secure,
            path=PANEL,
            max_age=365 * 24 * 3600,
        )
        return response  # type: ignore[return-value]

    # --- calls ------------------------------------------------------------------------

    def known_calls() -> list[tuple[str, str, int | None]]:
        """(id, name, published version or None) of every call staff can look at."""
        published = {call.call_id: call for call in store.calls()}
        names = {
            call_id: call.definition.get("name", call_id) for call_id, call in published.items()
        }
        for call_id, name in _bundled_call_names().items():
            names.setdefault(call_id, name)
        return [
            (call_id, str(name), published[call_id].version if call_id in published else None)
            for call_id, name in sorted(names.items())
        ]

    @panel.route("/")
    @staff_page()
    def calls() -> Response:
        rows = []
        for call_id, name, version in known_calls():
            figures = store.call_figures(call_id)
            rows.append((call_id, name, version, figures))
        return page("calls.html", calls=rows)

    def call_name(call_id: str) -> str:
        for known_id, name, _ in known_calls():
            if known_id == call_id:
                return name
        return call_id

    @panel.route("/calls/<call_id>")
    @staff_page()
    def dashboard(call_id: str) -> Response:
        figures = store.call_figures(call_id)
        return page(
            "dashboard.html",
            call_id=call_id,
            name=call_name(call_id),
            figures=figures,
            available=store.call_funds(call_id),
        )

    @panel.route("/calls/<call_id>/funds", methods=["POST"])
    @staff_page(admin=True)
    def set_funds(call_id: str) -> Response:
        amount = _grosze(request.form.get("available", ""))
        if amount is None:
            return page(
                "dashboard.html",
                400,
                call_id=call_id,
                name=call_name(call_id),
                figures=store.call_figures(call_id),
                available=store.call_funds(call_id),
                error=tr("panel.dashboard.bad_amount"),
            )
        store.set_call_funds(call_id, amount, clock(), actor())
        audit("funds_set", f"call:{call_id}", money(amount))
        return redirect(url_for("panel.dashboard", call_id=call_id))  # type: ignore[return-value]

    # --- the list of a call's submissions ---------------------------------------------

    def the_filter(call_id: str) -> SubmissionFilter:
        args = request.args

        def day(name: str) -> str | None:
            text = args.get(name, "").strip()
            try:
                return datetime.strptime(text, "%Y-%m-%d").date().isoformat() if text else None
            except ValueError:
                return None

        return SubmissionFilter(
            call_id=call_id,
            status=args.get("status") if args.get("status") in set(Status) else None,
            organization=args.get("organization") or None,
            gmina=args.get("gmina") or None,
            powiat=args.get("powiat") or None,
            kind=args.get("kind") if args.get("kind") in PRINTABLE_KINDS else None,
            received_from=day("from"),
            received_to=day("to"),
            search=args.get("q") or None,
            latest_only=args.get("versions") != "all",
        )

    @panel.route("/calls/<call_id>/submissions")
    @staff_page()
    def submissions(call_id: str) -> Response:
        found = the_filter(call_id)
        sort = request.args.get("sort", "received_at")
        sort = sort if sort in SORTS else "received_at"
        descending = request.args.get("order", "desc") != "asc"
        try:
            number = max(1, int(request.args.get("page", "1")))
        except ValueError:
            number = 1
        result = store.submission_page(
            found,
            sort=sort,
            descending=descending,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        pages = max(1, -(-result.total // PAGE_SIZE))
        kept = {key: value for key, value in request.args.items() if value and key != "page"}

        def link(**changes: Any) -> str:
            query = {**kept, **{k: str(v) for k, v in changes.items()}}
            return url_for("panel.submissions", call_id=call_id) + "?" + urlencode(query)

        def sort_link(column: str) -> str:
            flip = "asc" if sort == column and descending else "desc"
            return link(sort=column, order=flip)

        export_query = urlencode({k: v for k, v in kept.items() if k not in ("sort", "order")})
        return page(
            "submissions.html",
            call_id=call_id,
            name=call_name(call_id),
            page=result,
            number=number,
            pages=pages,
            args=request.args,
            sort=sort,
            descending=descending,
            link=link,
            sort_link=sort_link,
            choices=store.filter_choices(call_id),
            export_query=export_query,
        )

    # --- exports for the evaluation committee -----------------------------------------

    def export_rows(call_id: str) -> list[Submission]:
        found = the_filter(call_id)
        rows: list[Submission] = []
        offset = 0
        while True:
            batch = store.submission_page(
                found, sort="server_id", descending=False, limit=1000, offset=offset
            )
            rows += batch.items
            offset += 1000
            if offset >= batch.total:
                return rows

    def export_header() -> list[str]:
        return [
            tr(f"panel.export.{name}")
            for name in (
                "server_id",
                "organization",
                "nip",
                "title",
                "grant",
                "own",
                "status",
                "received",
            )
        ]

    def export_name(call_id: str, extension: str) -> str:
        safe = "".join(char if char.isalnum() or char in "-_" else "_" for char in call_id)
        return f"{safe}-{now():%Y-%m-%d}.{extension}"

    @panel.route("/calls/<call_id>/export.csv")
    @staff_page()
    def export_csv(call_id: str) -> Response:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(export_header())
        for item in export_rows(call_id):
            writer.writerow(
                [
                    item.server_id,
                    spreadsheet_text(item.organization_name),
                    item.summary.nip or "",
                    spreadsheet_text(item.title),
                    ""
                    if item.summary.grant_grosze is None
                    else i18n.format_number(Decimal(item.summary.grant_grosze) / 100).replace(
                        " ", ""
                    ),
                    ""
                    if item.summary.own_grosze is None
                    else i18n.format_number(Decimal(item.summary.own_grosze) / 100).replace(
                        " ", ""
                    ),
                    tr(f"panel.status.{item.status.value}"),
                    local_time(item.received_at),
                ]
            )
        audit("exported", f"call:{call_id}", "csv")
        # A byte-order mark: Excel then reads the file as UTF-8 (Polish letters intact).
        response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{export_name(call_id, "csv")}"'
        )
        return response

    @panel.route("/calls/<call_id>/export.xlsx")
    @staff_page()
    def export_xlsx(call_id: str) -> Response:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = tr("panel.export.sheet")
        sheet.append(export_header())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for item in export_rows(call_id):
            sheet.append(
                [
                    item.server_id,
                    item.organization_name,
                    item.summary.nip or "",
                    item.title,
                    None
                    if item.summary.grant_grosze is None
                    else Decimal(item.summary.grant_grosze) / 100,
                    None
                    if item.summary.own_grosze is None
                    else Decimal(item.summary.own_grosze) / 100,
                    tr(f"panel.status.{item.status.value}"),
                    local_time(item.received_at),
                ]
            )
            row = sheet.max_row
            for column in (2, 4):
                # Text stays text: a title starting with "=" is not a formula.
                sheet.cell(row, column).data_type = "s"
            for column in (5, 6):
                sheet.cell(row, column).number_format = "#,##0.00"
        for letter, width in zip("ABCDEFGH", (10, 40, 12, 60, 14, 14, 18, 17), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        audit("exported", f"call:{call_id}", "xlsx")
        response = Response(
            out.getvalue(),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{export_name(call_id, "xlsx")}"'
        )
        return response

    # --- one submission ---------------------------------------------------------------

    def the_submission(submission_id: str) -> tuple[Submission, bytes]:
        found = store.submission(submission_id)
        document = store.submission_document(submission_id) if found else None
        if found is None or document is None:
            raise _NotFound()
        return found, document

    def attachments_of(document: bytes) -> list[dict[str, Any]]:
        parsed = json.loads(document)
        listed = parsed.get("attachments") if isinstance(parsed, dict) else None
        return [
            item
            for item in listed or []
            if isinstance(item, dict) and isinstance(item.get("sha256"), str)
        ]

    def submission_page(submission_id: str, status: int = 200, **extra: Any) -> Response:
        item, document = the_submission(submission_id)
        versions = store.versions(item)
        changes = []
        for older, newer in itertools.pairwise(versions):
            before = json.loads(store.submission_document(older.submission_id) or b"{}")
            after = json.loads(store.submission_document(newer.submission_id) or b"{}")
            fields, budget = compare(before, after, item.kind)
            changes.append((older, newer, fields, budget))
        return page(
            "submission.html",
            status,
            item=item,
            attachments=attachments_of(document),
            versions=versions,
            changes=changes,
            history=store.audit_log(subject=item.submission_id, limit=50),
            printable=item.kind in PRINTABLE_KINDS,
            budget_columns=BUDGET_COLUMNS,
            **extra,
        )

    @panel.route("/submissions/<submission_id>")
    @staff_page()
    def submission(submission_id: str) -> Response:
        return submission_page(submission_id)

    @panel.route("/submissions/<submission_id>/printout.pdf")
    @staff_page()
    def printout_pdf(submission_id: str) -> Response:
        item, document = the_submission(submission_id)
        try:
            pdf, _ = printout(store, item, document)
        except PrintoutError as error:
            return page("error.html", 404, message=str(error))
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="{item.server_id}.pdf"'
        return response

    @panel.route("/submissions/<submission_id>/document.json")
    @staff_page()
    def document_json(submission_id: str) -> Response:
        item, document = the_submission(submission_id)
        response = Response(document, mimetype="application/json")
        response.headers["Content-Disposition"] = f'attachment; filename="{item.server_id}.json"'
        return response

    @panel.route("/submissions/<submission_id>/attachments/<sha256>")
    @staff_page()
    def attachment(submission_id: str, sha256: str) -> Response:
        _, document = the_submission(submission_id)
        listed = {item["sha256"]: item for item in attachments_of(document)}
        if sha256 not in listed or store.blob_size(sha256) is None:
            raise _NotFound()
        data = store.blobs.path(sha256).read_bytes()
        name = str(listed[sha256].get("name") or sha256)
        response = Response(data, mimetype="application/octet-stream")
        quoted = "".join(char if char.isalnum() or char in ".-_ " else "_" for char in name)
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"{quoted}\"; filename*=UTF-8''" + quote(name)
        )
        return response

    @panel.route("/submissions/<submission_id>/status", methods=["POST"])
    @staff_page()
    def set_status(submission_id: str) -> Response:
        item, _ = the_submission(submission_id)
        chosen = request.form.get("status", "")
        comment = request.form.get("comment", "").strip()
        if chosen not in set(Status):
            return submission_page(submission_id, 400, status_error=tr("panel.status.unknown"))
        if chosen in (Status.NEEDS_CORRECTIONS, Status.REJECTED) and not comment:
            return submission_page(
                submission_id,
                400,
                status_error=tr("panel.status.comment_needed"),
                typed_comment=comment,
            )
        try:
            changed = store.set_status(item.submission_id, Status(chosen), comment or None, clock())
        except UnknownSubmissionError:
            raise _NotFound() from None
        audit(
            "status_set",
            changed.submission_id,
            changed.status.value + (f": {comment}" if comment else ""),
        )
        return redirect(  # type: ignore[return-value]
            url_for("panel.submission", submission_id=submission_id, saved="1")
        )

    @panel.route("/submissions/<submission_id>/paper", methods=["POST"])
    @staff_page()
    def paper_check(submission_id: str) -> Response:
        item, _ = the_submission(submission_id)
        typed = request.form.get("control_sum", "")
        cleaned = "".join(char for char in typed.upper() if char.isalnum())
        expected = control_sum(item.content_sha256).replace("-", "")
        match = same_secret(cleaned, expected)
        audit("paper_checked", item.submission_id, "match" if match else f"no match: {typed!r}")
        return submission_page(submission_id, paper_typed=typed, paper_match=match)

    # --- organisations and their tokens (admins) --------------------------------------

    @panel.route("/organizations")
    @staff_page(admin=True)
    def organizations() -> Response:
        return page("organizations.html", organizations=store.organizations())

    @panel.route("/organizations/<int:number>/token", methods=["POST"])
    @staff_page(admin=True)
    def token(number: int) -> Response:
        action = request.form.get("action")
        listing = {item.organization.id: item for item in store.organizations()}.get(number)
        if listing is None or action not in ("rotate", "revoke"):
            raise _NotFound()
        shown = None
        if action == "rotate":
            shown = new_token()
            store.set_token(number, token_hash(shown), clock())
            audit("token_rotated", f"organization:{number}")
        else:
            store.set_token(number, None, clock())
            audit("token_revoked", f"organization:{number}")
        return page(
            "organizations.html",
            organizations=store.organizations(),
            new_token=shown,
            changed=listing.organization,
            action=action,
        )

    # --- publishing a call definition (admins) ----------------------------------------

    def check_call(data: bytes) -> tuple[dict[str, Any], str, int]:
        document = parse_json(data)
        call_id, version = schemas.check_call(document)
        return document, call_id, version

    @panel.route("/publish", methods=["GET", "POST"])
    @staff_page(admin=True)
    def publish() -> Response:
        if request.method == "GET":
            return page("publish.html")
        upload = request.files.get("definition")
        confirmed = request.form.get("confirmed_definition")
        if confirmed is not None:
            data = confirmed.encode("utf-8")
        elif upload is not None and upload.filename:
            data = upload.read(MAX_CALL_UPLOAD + 1)
        else:
            return page("publish.html", 400, error=tr("panel.publish.no_file"))
        if len(data) > MAX_CALL_UPLOAD:
            return page("publish.html", 400, error=tr("panel.publish.too_big"))
        try:
            document, call_id, version = check_call(data)
        except DocumentRejectedError as rejected:
            return page("publish.html", 400, error=rejected.message)
        if confirmed is None:
            from mms_desktop.domain.call import CallDefinition

            return page(
                "publish.html",
                preview=CallDefinition.from_dict(document),
                definition_text=data.decode("utf-8"),
                existing=store.call_version(call_id, version),
            )
        try:
            created = store.publish_call(call_id, version, document, clock())
        except CallVersionExistsError as error:
            return page("publish.html", 409, error=str(error))
        if created:
            audit("call_published", f"call:{call_id}", str(version))
        return redirect(url_for("panel.dashboard", call_id=call_id))  # type: ignore[return-value]

    # --- the audit log ------------------------------------------------------------------

    @panel.route("/audit")
    @staff_page()
    def audit_log() -> Response:
        try:
            number = max(1, int(request.args.get("page", "1")))
        except ValueError:
            number = 1
        entries = store.audit_log(limit=PAGE_SIZE + 1, offset=(number - 1) * PAGE_SIZE)
        return page(
            "audit.html",
            entries=entries[:PAGE_SIZE],
            number=number,
            more=len(entries) > PAGE_SIZE,
        )

    @panel.route("/style.css")
    def style() -> Response:
        response = Response(render_template("panel/style.css"), mimetype="text/css")
        response.headers["Cache-Control"] = "max-age=3600"
        return response

    app.register_blueprint(panel)

    @app.after_request
    def panel_headers(response: Response) -> Response:
        if request.path.startswith(PANEL):
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'none'; frame-ancestors 'self'; "
                "form-action 'self'; base-uri 'none'"
            )
        return response


class _NotFound(HTTPException):
    code = 404


def panel_error(status: int) -> Response:
    """An HTML page for an error under /panel (the protocol's errors stay JSON)."""
    key = f"panel.error.{status}"
    with i18n.using(_cookie_language()):
        message = tr(key) if i18n.has(key) else tr("panel.error.other", status=status)
        body = render_template("panel/error.html", message=message, status=status)
    return Response(body, status=status, mimetype="text/html")


def _cookie_language() -> str:
    found = request.cookies.get(LANGUAGE_COOKIE)
    return found if found in i18n.LANGUAGES else i18n.language()
