"""``mms-operator``: run the operator's server and look after what it received.

Exit codes: 0 done, 1 no such submission, 2 bad use or bad input, 3 the data
folder or the database cannot be used (busy, full, read-only, damaged, too new,
unreachable). Messages are Polish; errors go to stderr. Text that organisations
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

from mms_desktop.console import utf8_when_redirected
from mms_desktop.core.files import replace_file
from mms_operator.sqlite_store import SqliteOperatorStore
from mms_operator.store import (
    CallVersionExistsError,
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
        prog="mms-operator",
        description="Serwer operatora: przyjmuje wnioski i sprawozdania z aplikacji mms-desktop.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder danych operatora (domyślnie ${ENV_DATA_DIR} albo ./{DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="baza PostgreSQL (postgresql://użytkownik:hasło@host/baza; domyślnie "
        f"${ENV_DATABASE}); bez niej dane są w pliku SQLite w folderze danych. "
        "Załączniki są zawsze w folderze danych",
    )
    commands = parser.add_subparsers(dest="command", metavar="POLECENIE", required=True)

    serve = commands.add_parser("serve", help="uruchom serwer (Ctrl+C zatrzymuje)")
    serve.add_argument("--host", default="127.0.0.1", help="adres nasłuchu (domyślnie 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (domyślnie 8765; 0: wolny)")
    serve.add_argument("--threads", type=int, default=4, help="wątki robocze (domyślnie 4)")

    serve.add_argument(
        "--quota-mb",
        type=int,
        metavar="MB",
        help="ile MB dokumentów i załączników może przechowywać jedna organizacja (domyślnie 2048)",
    )
    serve.add_argument(
        "--quota-submissions",
        type=int,
        metavar="N",
        help="ile zgłoszeń może wysłać jedna organizacja (domyślnie 1000)",
    )
    serve.add_argument(
        "--quota-pending-blobs",
        type=int,
        metavar="N",
        help="ile załączników niewskazanych jeszcze przez żaden dokument może mieć "
        "jedna organizacja (domyślnie 1000)",
    )

    add = commands.add_parser("add-organization", help="dodaj organizację i wydaj jej token")
    add.add_argument("name", metavar="NAZWA")
    add.add_argument(
        "--nip",
        metavar="NIP",
        help="NIP organizacji: przyjmowane będą tylko dokumenty z tym NIP-em",
    )

    cleanup = commands.add_parser(
        "cleanup-blobs", help="usuń załączniki, których żaden dokument nie wskazał"
    )
    cleanup.add_argument(
        "--days",
        type=int,
        default=PENDING_BLOB_DAYS,
        metavar="DNI",
        help=f"starsze niż tyle dni (domyślnie {PENDING_BLOB_DAYS})",
    )

    listing = commands.add_parser("submissions", help="lista przyjętych zgłoszeń")
    listing.add_argument("--json", action="store_true", help="wynik jako JSON")
    listing.add_argument(
        "--kind", metavar="RODZAJ", help="tylko zgłoszenia tego rodzaju (application, report)"
    )

    status = commands.add_parser("set-status", help="zmień status zgłoszenia")
    status.add_argument("submission_id", metavar="SUBMISSION_ID")
    status.add_argument("status", choices=[item.value for item in Status], metavar="STATUS")
    status.add_argument("--comment", metavar="TEKST", help="komentarz widoczny dla organizacji")

    publish = commands.add_parser("publish-call", help="opublikuj definicję naboru (plik JSON)")
    publish.add_argument("file", type=Path, metavar="FILE")

    backup = commands.add_parser(
        "backup", help="zrób spójną kopię zapasową bazy i załączników (także gdy serwer działa)"
    )
    backup.add_argument(
        "--out",
        type=Path,
        metavar="FILE.tar",
        help="plik kopii (domyślnie ./mms-operator-kopia-DATA.tar)",
    )
    restore = commands.add_parser(
        "restore", help="odtwórz kopię zapasową do pustego folderu danych (i pustej bazy)"
    )
    restore.add_argument("archive", type=Path, metavar="FILE.tar")

    show = commands.add_parser("show", help="pokaż dokument zgłoszenia")
    show.add_argument("submission_id", metavar="SUBMISSION_ID")
    show.add_argument("--pdf", type=Path, metavar="FILE.pdf", help="zapisz też jego wydruk PDF")
    show.add_argument(
        "--raw", action="store_true", help="wypisz dokładnie odebrane bajty (do sprawdzenia skrótu)"
    )
    return parser


def open_store(data_dir: Path, database: str | None) -> Store:
    """The store the operator chose: PostgreSQL when given a URL, else SQLite."""
    url = database or os.environ.get(ENV_DATABASE) or None
    if url is None:
        return SqliteOperatorStore(data_dir)
    try:
        from mms_operator.postgres_store import PostgresOperatorStore, is_postgres_url
    except ImportError:
        raise StoreError(
            "Brak sterownika PostgreSQL (psycopg); zainstaluj mms-desktop z dodatkiem "
            "operator: pip install 'mms-desktop[operator]'."
        ) from None

    if not is_postgres_url(url):
        raise StoreError(
            "Adres bazy danych musi zaczynać się od postgresql:// "
            "(np. postgresql://mms:hasło@localhost/mms_operator)."
        )
    return PostgresOperatorStore(url, data_dir)


def store_name(store: Store) -> str:
    """Where the data is, as a person may see it (never the database password)."""
    shown = getattr(store, "shown_url", None)
    if shown is not None:
        return f"baza {shown}, załączniki w {store.data_dir}"
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
                raise CliError("Limit dla organizacji musi być liczbą większą od zera.")
            limits = replace(limits, **{field: value * scale})
    return limits


def _pending_cutoff(days: int) -> str:
    return format_time(datetime.now(UTC) - timedelta(days=days))


def _serve(store: Store, args: argparse.Namespace) -> int:
    from mms_operator.app import create_app
    from mms_operator.server import create_server

    limits = _limits(args)
    app = create_app(store, limits=limits)
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
            f"Nie można nasłuchiwać na {args.host}:{args.port}: {error.strerror or error}"
        ) from None
    port = getattr(server, "effective_port", args.port)
    host = getattr(server, "effective_host", args.host)
    shown = f"[{host}]" if ":" in str(host) else host
    try:
        _print(f"Serwer operatora działa: http://{shown}:{port}/api/v1/health")
        _print(f"Dane: {store_name(store)}. Ctrl+C zatrzymuje serwer.")
        sys.stdout.flush()
        server.run()  # returns after Ctrl+C
    except KeyboardInterrupt:
        pass  # Ctrl+C before waitress took over
    finally:
        server.close()
    _print("Serwer zatrzymany.")
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
        raise CliError(
            f"{text!r} nie jest poprawnym NIP-em (10 cyfr z poprawną cyfrą kontrolną, "
            "np. 123-456-32-18)."
        ) from None


def _add_organization(store: Store, args: argparse.Namespace) -> int:
    name = args.name.strip()
    if not name:
        raise CliError("Nazwa organizacji nie może być pusta.")
    nip = _nip(args.nip)
    token = new_token()
    organization = store.add_organization(name, token_hash(token), utc_now(), nip)
    _print(
        f"Dodano organizację {organization.name} (nr {organization.id}"
        + (f", NIP {nip})." if nip else ").")
    )
    if nip is None:
        _print(
            "Bez NIP-u: token przypisze się do organizacji, której dokument przyjdzie "
            "pierwszy; dokumenty innych organizacji będą odrzucane."
        )
    _print("Token dostępu (pokazywany tylko raz – przekaż go organizacji bezpiecznie):")
    _print(token)
    return EXIT_OK


KIND_WORDS = {"application": "wniosek", "report": "sprawozdanie"}


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
        _print("Nie przyjęto jeszcze żadnych zgłoszeń.")
        return EXIT_OK
    for item in found:
        # Organisation-written text is escaped field by field: a line break in a
        # title must not start what looks like another submission's line.
        _print(
            f"{item.server_id}  {item.received_at[:19].replace('T', ' ')} UTC  "
            f"{item.status.value:<17}  {KIND_WORDS.get(item.kind, item.kind):<13}"
            f"  {item.submission_id}  {terminal_safe(item.organization_name)}"
            f" – {terminal_safe(item.title) or '(bez tytułu)'}"
        )
    return EXIT_OK


def _submission_id(text: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise CliError(f"{text!r} nie jest identyfikatorem zgłoszenia (UUID).") from None


def _set_status(store: Store, args: argparse.Namespace) -> int:
    comment = args.comment.strip() if args.comment else None
    try:
        changed = store.set_status(
            _submission_id(args.submission_id), Status(args.status), comment or None, utc_now()
        )
    except UnknownSubmissionError as error:
        raise CliError(str(error), EXIT_NOT_FOUND) from None
    _print(f"Zgłoszenie {changed.server_id} ({changed.submission_id}): status {changed.status}.")
    return EXIT_OK


def _publish_call(store: Store, args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        if path.stat().st_size > MAX_CALL_FILE_BYTES:
            raise CliError(f"Plik {path} jest za duży na definicję naboru.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"Nie ma pliku {path}.") from None
    except OSError as error:
        raise CliError(f"Nie można odczytać pliku {path}: {error.strerror or error}") from None
    try:
        call_id, version = SchemaCatalog().check_call(parse_json(data))
    except DocumentRejectedError as rejected:
        raise CliError(f"{path}: {rejected.message} Nic nie opublikowano.") from None
    try:
        created = store.publish_call(call_id, version, json.loads(data), utc_now())
    except CallVersionExistsError as error:
        raise CliError(str(error)) from None
    if created:
        _print(f"Opublikowano nabór {call_id} w wersji {version}.")
    else:
        _print(f"Nabór {call_id} w wersji {version} był już opublikowany; bez zmian.")
    return EXIT_OK


def _show(store: Store, args: argparse.Namespace) -> int:
    submission_id = _submission_id(args.submission_id)
    submission = store.submission(submission_id)
    document = store.submission_document(submission_id)
    if submission is None or document is None:
        raise CliError(f"Nie ma zgłoszenia {submission_id}.", EXIT_NOT_FOUND)
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
        _error(f"Zapisano wydruk: {args.pdf}")
    return EXIT_OK


def _find_call(store: Store, call_id: str, version: int) -> Any:
    """The CallDefinition a document was written against: published, else bundled."""
    from mms_desktop.core.calls import bundled_call_documents
    from mms_desktop.domain.call import CallDefinition

    published = store.call_version(call_id, version)
    if published is not None:
        return CallDefinition.from_dict(published.definition)
    bundled = [
        definition
        for definition in map(CallDefinition.from_dict, bundled_call_documents())
        if definition.id == call_id
    ]
    exact = [definition for definition in bundled if definition.version == version]
    if exact:
        return exact[0]
    other = [item for item in store.calls() if item.call_id == call_id]
    if other:
        definition = CallDefinition.from_dict(other[0].definition)
    elif bundled:
        definition = max(bundled, key=lambda item: item.version)
    else:
        raise CliError(
            f"Nie znam naboru {call_id}: opublikuj go (publish-call), aby wydrukować dokument."
        )
    _error(
        f"Uwaga: dokument napisano do wersji {version} naboru {call_id}; "
        f"drukuję z wersją {definition.version}."
    )
    return definition


def _write_pdf(store: Store, submission: Submission, document: bytes, out: Path) -> None:
    """The printout the organisation made, with the same control sum (applications, reports)."""
    if submission.kind not in ("application", "report"):
        raise CliError(
            "Wydruk PDF jest dostępny dla wniosków (mms-application) i sprawozdań (mms-report)."
        )
    # reportlab and the desktop's layouts load on first use
    from mms_desktop.documents.application_pdf import application_pdf
    from mms_desktop.documents.report_pdf import report_pdf
    from mms_desktop.domain.canonical import application_from_document
    from mms_desktop.domain.document_errors import DocumentError
    from mms_desktop.domain.report_canonical import report_from_document
    from mms_desktop.domain.submission import SubmissionStamp

    stamp = SubmissionStamp(
        submission.submission_id,
        submission.content_sha256,
        submitted_at=datetime.fromisoformat(submission.received_at).astimezone(),
    )
    try:
        if submission.kind == "report":
            report = report_from_document(json.loads(document))
            call = _find_call(store, report.call_id, report.call_version)
            pdf = report_pdf(report.report, report.organization, call, stamp)
        else:
            parsed = application_from_document(json.loads(document))
            call = _find_call(store, parsed.call_id, parsed.call_version)
            pdf = application_pdf(parsed.application, parsed.organization, call, stamp)
    except DocumentError as error:
        raise CliError(f"Dokumentu nie da się wydrukować: pole {error.field}.") from None
    _write_atomically(out, pdf)


def _write_atomically(path: Path, data: bytes) -> None:
    """The file is whole or absent (the desktop's own atomic write)."""
    try:
        replace_file(path, data)
    except OSError as error:
        raise CliError(f"Nie można zapisać pliku {path}: {error.strerror or error}") from None


def _cleanup_blobs(store: Store, args: argparse.Namespace) -> int:
    if args.days < 0:
        raise CliError("Liczba dni nie może być ujemna.")
    removed, freed = store.cleanup_blobs(_pending_cutoff(args.days))
    _print(
        f"Usunięte załączniki bez dokumentu od {args.days} dni: {removed}, "
        f"{freed / 1024 / 1024:.1f} MB."
    )
    return EXIT_OK


def _backup(store: Store, args: argparse.Namespace) -> int:
    from mms_operator.backup import backup

    out = args.out or Path(f"mms-operator-kopia-{datetime.now():%Y-%m-%d-%H%M%S}.tar")
    summary = backup(store, out)
    database = "baza PostgreSQL" if summary.store == "postgresql" else "baza SQLite"
    _print(
        f"Zapisano kopię zapasową {summary.path} ({database}, "
        f"załączniki: {summary.blobs}, {summary.bytes / 1024 / 1024:.1f} MB)."
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
        f"Odtworzono kopię z {manifest['started_at'][:19].replace('T', ' ')} UTC "
        f"do {store_name(store)}: zgłoszeń {count}."
    )
    return EXIT_OK


COMMANDS = {
    "backup": _backup,
    "serve": _serve,
    "cleanup-blobs": _cleanup_blobs,
    "add-organization": _add_organization,
    "submissions": _submissions,
    "set-status": _set_status,
    "publish-call": _publish_call,
    "show": _show,
}


def main(argv: Sequence[str] | None = None) -> int:
    utf8_when_redirected()
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
