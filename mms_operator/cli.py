"""``mms-operator``: run the operator's server and look after what it received.

Exit codes: 0 done, 1 no such submission, 2 bad use or bad input, 3 the data
folder or the database cannot be used (busy, full, read-only, damaged, too new,
unreachable). Messages come from the catalog (resources/i18n/*/operator.json):
Polish, or English with ``--language en``; errors go to stderr. Text that organisations
wrote (titles, names) is printed with its control characters escaped: an escape
sequence or a line break in a title cannot restyle the terminal or forge a line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mms_desktop import i18n
from mms_desktop.console import utf8_when_redirected
from mms_desktop.core.files import replace_file
from mms_desktop.i18n import tr
from mms_operator.sqlite_store import SqliteOperatorStore
from mms_operator.store import (
    CallVersionExistsError,
    Role,
    Status,
    StoreError,
    Submission,
    UnknownSubmissionError,
    format_time,
    utc_now,
)
from mms_operator.tokens import new_token, token_hash
from mms_operator.validation import DocumentRejectedError, SchemaCatalog, parse_json

ENV_DATA_DIR = "MMS_OPERATOR_DATA_DIR"
ENV_DATABASE = "MMS_OPERATOR_DATABASE"
DEFAULT_DATA_DIR = "mms-operator-data"
MAX_CALL_FILE_BYTES = 10 * 1024 * 1024
PENDING_BLOB_DAYS = 30  # an upload no document lists is kept this long
# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional
# overrides and isolates that can make a line read backwards.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
EXIT_STORE = 3

log = logging.getLogger("mms_operator")

if TYPE_CHECKING:
    from mms_operator.postgres_store import PostgresOperatorStore

    # Either store: both keep blobs in the data folder and clean up interrupted uploads.
    Store = SqliteOperatorStore | PostgresOperatorStore


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mms-operator", description=tr("operator.cli.description")
    )
    parser.add_argument(
        "--language",
        choices=i18n.LANGUAGES,
        default=i18n.SOURCE_LANGUAGE,
        help=tr("operator.cli.language"),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=tr("operator.cli.data_dir", env=ENV_DATA_DIR, default=DEFAULT_DATA_DIR),
    )
    parser.add_argument(
        "--database", metavar="URL", help=tr("operator.cli.database", env=ENV_DATABASE)
    )
    commands = parser.add_subparsers(
        dest="command", metavar=tr("operator.cli.command"), required=True
    )

    serve = commands.add_parser("serve", help=tr("operator.cli.serve"))
    serve.add_argument("--host", default="127.0.0.1", help=tr("operator.cli.serve.host"))
    serve.add_argument("--port", type=int, default=8765, help=tr("operator.cli.serve.port"))
    serve.add_argument("--threads", type=int, default=4, help=tr("operator.cli.serve.threads"))
    serve.add_argument("--quota-mb", type=int, metavar="MB", help=tr("operator.cli.serve.quota_mb"))
    serve.add_argument(
        "--quota-submissions",
        type=int,
        metavar="N",
        help=tr("operator.cli.serve.quota_submissions"),
    )
    serve.add_argument(
        "--quota-pending-blobs",
        type=int,
        metavar="N",
        help=tr("operator.cli.serve.quota_pending_blobs"),
    )

    serve.add_argument(
        "--behind-proxy", action="store_true", help=tr("operator.cli.serve.behind_proxy")
    )

    staff = commands.add_parser("add-staff", help=tr("operator.cli.add_staff"))
    staff.add_argument("email", metavar="EMAIL")
    staff.add_argument(
        "--role", choices=[role.value for role in Role], required=True, metavar="reviewer|admin"
    )
    reset = commands.add_parser("reset-password", help=tr("operator.cli.reset_password"))
    reset.add_argument("email", metavar="EMAIL")
    for name in ("rotate-token", "revoke-token"):
        token = commands.add_parser(name, help=tr(f"operator.cli.{name.replace('-', '_')}"))
        token.add_argument("organization", metavar="ORG", help=tr("operator.cli.org_ref"))

    add = commands.add_parser("add-organization", help=tr("operator.cli.add_organization"))
    add.add_argument("name", metavar=tr("operator.cli.add_organization.name"))
    add.add_argument("--nip", metavar="NIP", help=tr("operator.cli.add_organization.nip"))

    cleanup = commands.add_parser("cleanup-blobs", help=tr("operator.cli.cleanup_blobs"))
    cleanup.add_argument(
        "--days",
        type=int,
        default=PENDING_BLOB_DAYS,
        metavar=tr("operator.cli.cleanup_blobs.days_name"),
        help=tr("operator.cli.cleanup_blobs.days", days=PENDING_BLOB_DAYS),
    )

    listing = commands.add_parser("submissions", help=tr("operator.cli.submissions"))
    listing.add_argument("--json", action="store_true", help=tr("operator.cli.submissions.json"))
    listing.add_argument(
        "--kind",
        metavar=tr("operator.cli.submissions.kind_name"),
        help=tr("operator.cli.submissions.kind"),
    )

    status = commands.add_parser("set-status", help=tr("operator.cli.set_status"))
    status.add_argument("submission_id", metavar="SUBMISSION_ID")
    status.add_argument("status", choices=[item.value for item in Status], metavar="STATUS")
    status.add_argument(
        "--comment",
        metavar=tr("operator.cli.set_status.comment_name"),
        help=tr("operator.cli.set_status.comment"),
    )

    publish = commands.add_parser("publish-call", help=tr("operator.cli.publish_call"))
    publish.add_argument("file", type=Path, metavar="FILE")

    backup = commands.add_parser("backup", help=tr("operator.cli.backup"))
    backup.add_argument("--out", type=Path, metavar="FILE.tar", help=tr("operator.cli.backup.out"))
    restore = commands.add_parser("restore", help=tr("operator.cli.restore"))
    restore.add_argument("archive", type=Path, metavar="FILE.tar")

    show = commands.add_parser("show", help=tr("operator.cli.show"))
    show.add_argument("submission_id", metavar="SUBMISSION_ID")
    show.add_argument("--pdf", type=Path, metavar="FILE.pdf", help=tr("operator.cli.show.pdf"))
    show.add_argument("--raw", action="store_true", help=tr("operator.cli.show.raw"))
    return parser


def _language(argv: Sequence[str] | None) -> str:
    """The ``--language`` asked for, read before the parser is built: its help is in it too."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--language", choices=i18n.LANGUAGES, default=i18n.SOURCE_LANGUAGE)
    known, _ = early.parse_known_args(argv)
    return str(known.language)


def open_store(data_dir: Path, database: str | None) -> Store:
    """The store the operator chose: PostgreSQL when given a URL, else SQLite."""
    url = database or os.environ.get(ENV_DATABASE) or None
    if url is None:
        return SqliteOperatorStore(data_dir)
    try:
        from mms_operator.postgres_store import PostgresOperatorStore, is_postgres_url
    except ImportError:
        raise StoreError(tr("operator.no_psycopg")) from None

    if not is_postgres_url(url):
        raise StoreError(tr("operator.not_postgres_url"))
    return PostgresOperatorStore(url, data_dir)


def store_name(store: Store) -> str:
    """Where the data is, as a person may see it (never the database password)."""
    shown = getattr(store, "shown_url", None)
    if shown is not None:
        return tr("operator.store_place", url=shown, folder=store.data_dir)
    return str(store.data_dir)


def resolve_data_dir(explicit: str | None) -> Path:
    chosen = explicit or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as its escape (``\\u001b``, ``\\u202e``),
    which is also valid inside a JSON string, so ``--json`` output stays JSON."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _print(text: str) -> None:
    """One or more lines; anything else that could steer the terminal is escaped."""
    sys.stdout.write("\n".join(terminal_safe(line) for line in text.split("\n")) + "\n")


def _error(text: str) -> None:
    sys.stderr.write(terminal_safe(text) + "\n")


# --- commands -----------------------------------------------------------------------


def _limits(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from mms_operator.app import MIB, Limits

    limits = Limits()
    for value, field, scale in (
        (args.quota_mb, "organization_bytes", MIB),
        (args.quota_submissions, "organization_submissions", 1),
        (args.quota_pending_blobs, "organization_pending_blobs", 1),
    ):
        if value is not None:
            if value < 1:
                raise CliError(tr("operator.quota_not_positive"))
            limits = replace(limits, **{field: value * scale})
    return limits


def _pending_cutoff(days: int) -> str:
    return format_time(datetime.now(UTC) - timedelta(days=days))


def _serve(store: Store, args: argparse.Namespace) -> int:
    from mms_operator.app import create_app
    from mms_operator.server import create_server

    limits = _limits(args)
    app = create_app(store, limits=limits, behind_proxy=args.behind_proxy)
    store.remove_interrupted_uploads()
    removed, freed = store.cleanup_blobs(_pending_cutoff(PENDING_BLOB_DAYS))
    if removed:
        log.info("removed %d unlisted blob(s), %d bytes", removed, freed)
    try:
        server = create_server(
            app, host=args.host, port=args.port, threads=args.threads, limits=limits
        )
    except OSError as error:
        raise CliError(
            tr(
                "operator.cannot_listen",
                host=args.host,
                port=args.port,
                detail=error.strerror or error,
            )
        ) from None
    port = getattr(server, "effective_port", args.port)
    host = getattr(server, "effective_host", args.host)
    shown = f"[{host}]" if ":" in str(host) else host
    try:
        _print(tr("operator.serving", url=f"http://{shown}:{port}/api/v1/health"))
        _print(tr("operator.serving_data", where=store_name(store)))
        sys.stdout.flush()
        server.run()  # returns after Ctrl+C
    except KeyboardInterrupt:
        pass  # Ctrl+C before waitress took over
    finally:
        server.close()
    _print(tr("operator.stopped"))
    return EXIT_OK


def _nip(text: str | None) -> str | None:
    """The NIP as digits only, checked (its check digit too); None when not given."""
    if text is None:
        return None
    from stdnum.exceptions import ValidationError
    from stdnum.pl import nip

    try:
        return str(nip.validate(text))
    except ValidationError:
        raise CliError(tr("operator.bad_nip", text=repr(text))) from None


def _add_organization(store: Store, args: argparse.Namespace) -> int:
    name = args.name.strip()
    if not name:
        raise CliError(tr("operator.empty_name"))
    nip = _nip(args.nip)
    token = new_token()
    organization = store.add_organization(name, token_hash(token), utc_now(), nip)
    if nip:
        _print(
            tr(
                "operator.organization_added_nip",
                name=organization.name,
                number=organization.id,
                nip=nip,
            )
        )
    else:
        _print(tr("operator.organization_added", name=organization.name, number=organization.id))
        _print(tr("operator.organization_without_nip"))
    _print(tr("operator.token_once"))
    _print(token)
    return EXIT_OK


def _add_staff(store: Store, args: argparse.Namespace) -> int:
    from mms_operator.staff import hash_password, normal_email, one_time_password

    email = normal_email(args.email)
    if email is None:
        raise CliError(tr("operator.bad_email", text=repr(args.email)))
    password = one_time_password()
    added = store.add_staff(email, Role(args.role), hash_password(password), utc_now())
    if added is None:
        raise CliError(tr("operator.staff_exists", email=email))
    store.audit(utc_now(), "cli", "staff_added", f"staff:{email}", args.role)
    _print(tr("operator.staff_added", email=email, role=args.role))
    _print(tr("operator.password_once"))
    _print(password)
    return EXIT_OK


def _reset_password(store: Store, args: argparse.Namespace) -> int:
    """A forgotten password: a new one-time one, and every browser of the account signed out."""
    from mms_operator.staff import hash_password, normal_email, one_time_password

    email = normal_email(args.email)
    member = store.staff_by_email(email) if email else None
    if member is None:
        raise CliError(tr("operator.no_staff", text=repr(args.email)), EXIT_NOT_FOUND)
    password = one_time_password()
    store.set_staff_password(member.id, hash_password(password), temporary=True)
    store.audit(utc_now(), "cli", "password_reset", f"staff:{member.email}")
    _print(tr("operator.password_reset", email=member.email))
    _print(tr("operator.password_once"))
    _print(password)
    return EXIT_OK


def _organization_ref(store: Store, text: str) -> Any:
    """The organisation ``ORG`` names: its number, or its NIP."""
    digits = "".join(char for char in text if char.isdigit())
    for listing in store.organizations():
        organization = listing.organization
        if text.strip() == str(organization.id) or (
            organization.nip is not None and len(digits) == 10 and digits == organization.nip
        ):
            return organization
    raise CliError(tr("operator.no_organization", text=repr(text)), EXIT_NOT_FOUND)


def _rotate_token(store: Store, args: argparse.Namespace) -> int:
    organization = _organization_ref(store, args.organization)
    token = new_token()
    store.set_token(organization.id, token_hash(token), utc_now())
    store.audit(utc_now(), "cli", "token_rotated", f"organization:{organization.id}")
    _print(tr("operator.token_rotated", name=organization.name, number=organization.id))
    _print(tr("operator.token_once"))
    _print(token)
    return EXIT_OK


def _revoke_token(store: Store, args: argparse.Namespace) -> int:
    organization = _organization_ref(store, args.organization)
    store.set_token(organization.id, None, utc_now())
    store.audit(utc_now(), "cli", "token_revoked", f"organization:{organization.id}")
    _print(tr("operator.token_revoked", name=organization.name, number=organization.id))
    return EXIT_OK


def _kind_word(kind: str) -> str:
    key = f"operator.kind.{kind}"
    return tr(key) if i18n.has(key) else kind


def _listing_entry(item: Submission) -> dict[str, Any]:
    return {
        "id": item.submission_id,
        "kind": item.kind,
        "organization": item.organization_name,
        "title": item.title,
        "content_sha256": item.content_sha256,
        "status": item.status.value,
        "received_at": item.received_at,
    }


def _submissions(store: Store, args: argparse.Namespace) -> int:
    found = sorted(
        (item for item in store.submissions() if args.kind in (None, item.kind)),
        key=lambda item: item.received_at,
    )
    if args.json:
        _print(json.dumps([_listing_entry(item) for item in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        _print(tr("operator.no_submissions"))
        return EXIT_OK
    for item in found:
        # Organisation-written text is escaped field by field: a line break in a
        # title must not start what looks like another submission's line.
        _print(
            f"{item.server_id}  {item.received_at[:19].replace('T', ' ')} UTC  "
            f"{item.status.value:<17}  {_kind_word(item.kind):<13}"
            f"  {item.submission_id}  {terminal_safe(item.organization_name)}"
            f" – {terminal_safe(item.title) or tr('operator.untitled')}"
        )
    return EXIT_OK


def _submission_id(text: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise CliError(tr("operator.not_a_submission_id", text=repr(text))) from None


def _set_status(store: Store, args: argparse.Namespace) -> int:
    comment = args.comment.strip() if args.comment else None
    try:
        changed = store.set_status(
            _submission_id(args.submission_id), Status(args.status), comment or None, utc_now()
        )
    except UnknownSubmissionError as error:
        raise CliError(str(error), EXIT_NOT_FOUND) from None
    store.audit(
        changed.updated_at, "cli", "status_set", changed.submission_id, _status_detail(changed)
    )
    _print(
        tr(
            "operator.status_set",
            server_id=changed.server_id,
            submission_id=changed.submission_id,
            status=changed.status.value,  # the code the operator typed, not its name
        )
    )
    return EXIT_OK


def _status_detail(changed: Submission) -> str:
    """The audit log's detail of a status change: the status and the comment sent with it."""
    return changed.status.value + (f": {changed.comment}" if changed.comment else "")


def _publish_call(store: Store, args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        if path.stat().st_size > MAX_CALL_FILE_BYTES:
            raise CliError(tr("operator.call_file_too_big", path=path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(tr("operator.no_file", path=path)) from None
    except OSError as error:
        raise CliError(
            tr("operator.cannot_read", path=path, detail=error.strerror or error)
        ) from None
    try:
        call_id, version = SchemaCatalog().check_call(parse_json(data))
    except DocumentRejectedError as rejected:
        raise CliError(tr("operator.call_refused", path=path, message=rejected.message)) from None
    try:
        created = store.publish_call(call_id, version, json.loads(data), utc_now())
    except CallVersionExistsError as error:
        raise CliError(str(error)) from None
    if created:
        store.audit(utc_now(), "cli", "call_published", f"call:{call_id}", str(version))
        _print(tr("operator.call_published", call_id=call_id, version=version))
    else:
        _print(tr("operator.call_unchanged", call_id=call_id, version=version))
    return EXIT_OK


def _show(store: Store, args: argparse.Namespace) -> int:
    submission_id = _submission_id(args.submission_id)
    submission = store.submission(submission_id)
    document = store.submission_document(submission_id)
    if submission is None or document is None:
        raise CliError(tr("operator.no_submission", submission_id=submission_id), EXIT_NOT_FOUND)
    if args.pdf is not None:
        _write_pdf(store, submission, document, args.pdf)
    if args.raw and sys.stdout.isatty():
        # The exact bytes are for a pipe (sha256sum); a terminal gets them escaped.
        _print(document.decode("utf-8", errors="backslashreplace"))
    elif args.raw:
        sys.stdout.flush()
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
    else:
        parsed = json.loads(document)
        _print(json.dumps(parsed, ensure_ascii=False, indent=2, sort_keys=True))
    if args.pdf is not None:
        _error(tr("operator.printout_saved", path=args.pdf))
    return EXIT_OK


def _write_pdf(store: Store, submission: Submission, document: bytes, out: Path) -> None:
    """The printout the organisation made, with the same control sum (applications, reports)."""
    from mms_operator.printout import PrintoutError, printout

    try:
        pdf, note = printout(store, submission, document)
    except PrintoutError as error:
        raise CliError(str(error)) from None
    if note is not None:
        _error(note)
    _write_atomically(out, pdf)


def _write_atomically(path: Path, data: bytes) -> None:
    """The file is whole or absent (the desktop's own atomic write)."""
    try:
        replace_file(path, data)
    except OSError as error:
        raise CliError(
            tr("operator.cannot_write", path=path, detail=error.strerror or error)
        ) from None


def _cleanup_blobs(store: Store, args: argparse.Namespace) -> int:
    if args.days < 0:
        raise CliError(tr("operator.negative_days"))
    removed, freed = store.cleanup_blobs(_pending_cutoff(args.days))
    _print(
        tr(
            "operator.blobs_removed",
            days=args.days,
            removed=removed,
            megabytes=f"{freed / 1024 / 1024:.1f}",
        )
    )
    return EXIT_OK


def _backup(store: Store, args: argparse.Namespace) -> int:
    from mms_operator.backup import backup

    out = args.out or Path(f"mms-operator-kopia-{datetime.now():%Y-%m-%d-%H%M%S}.tar")
    summary = backup(store, out)
    if summary.store == "postgresql":
        database = tr("operator.database.postgresql")
    else:
        database = tr("operator.database.sqlite")
    _print(
        tr(
            "operator.backup_saved",
            path=summary.path,
            database=database,
            blobs=summary.blobs,
            megabytes=f"{summary.bytes / 1024 / 1024:.1f}",
        )
    )
    return EXIT_OK


def _restore(args: argparse.Namespace, data_dir: Path) -> int:
    """Runs before any store is opened: opening one would create an empty schema."""
    from mms_operator.backup import restore

    database = args.database or os.environ.get(ENV_DATABASE) or None
    manifest = restore(args.archive, data_dir, database)
    store = open_store(data_dir, database)  # brings an older copy's schema up to date
    try:
        count = len(store.submissions())
    finally:
        store.close()
    _print(
        tr(
            "operator.restored",
            started=manifest["started_at"][:19].replace("T", " "),
            where=store_name(store),
            count=count,
        )
    )
    return EXIT_OK


COMMANDS = {
    "backup": _backup,
    "serve": _serve,
    "cleanup-blobs": _cleanup_blobs,
    "add-organization": _add_organization,
    "add-staff": _add_staff,
    "reset-password": _reset_password,
    "rotate-token": _rotate_token,
    "revoke-token": _revoke_token,
    "submissions": _submissions,
    "set-status": _set_status,
    "publish-call": _publish_call,
    "show": _show,
}


def main(argv: Sequence[str] | None = None) -> int:
    utf8_when_redirected()
    previous = i18n.language()
    # For the whole process: the server's worker threads speak it too.
    i18n.set_language(_language(argv))
    try:
        return _run(argv)
    finally:
        i18n.set_language(previous)  # a caller in the same process keeps its own


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    data_dir = resolve_data_dir(args.data_dir)
    if args.command == "restore":
        try:
            return _restore(args, data_dir)
        except StoreError as error:
            _error(str(error))
            return EXIT_STORE
    try:
        store = open_store(data_dir, args.database)
    except StoreError as error:
        _error(str(error))
        return EXIT_STORE
    try:
        return COMMANDS[args.command](store, args)
    except CliError as error:
        _error(str(error))
        return error.exit_code
    except StoreError as error:
        _error(str(error))
        return EXIT_STORE
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
