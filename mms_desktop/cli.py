"""``mms-desktop``: the application's command line (and, with no command, its window).

Every main job runs headless too, for scripts, tests and users without a
screen. Errors go to stderr in words; exit codes, the same for every command
(the README's table): 0 done; 1 findings block submission (``validate``,
``report-validate``, and ``submit`` / ``report-submit`` refused for them), or
``sync`` left something in the outbox; 2 bad use or bad input (an unknown id,
a bad file); 3 the data folder cannot be used (cannot be created, a file in its
place, read-only, disk full, damaged, from a newer version, held by another
program) — ``check`` also exits 3 when it finds the store damaged; 4 another
copy of this program (the window, or a command still running) is using the
data folder, so a command that writes was not run (``READ_ONLY`` commands run
alongside it).

What the command line logs goes to the data folder's ``logs/cli.log`` too
(see ``mms_desktop.logs``), with tokens and personal data cut out.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mms_desktop import __version__, argparse_words, collector, i18n, logs
from mms_desktop.console import utf8_when_redirected
from mms_desktop.paths import DataDir, resolve_data_dir
from mms_desktop.services.errors import BlockedError, DataFolderError, UserError
from mms_desktop.services.workspace import (
    Workspace,
    WorkspaceOpening,
    dumps,
    now,
    refuse_a_path_windows_cannot_hold,
)
from mms_desktop.storage.errors import StoreError
from mms_desktop.storage.folder_lock import COMMAND, WINDOW, FolderInUseError, FolderLock

if TYPE_CHECKING:
    from mms_desktop.domain.findings import Finding
    from mms_desktop.services.backups import BackupInfo

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_BAD_INPUT = 2
EXIT_STORE = 3
EXIT_IN_USE = 4
EXIT_NO_SCREEN = 5

# Commands that only read the data folder: they run while the window is open.
# Every other command writes (the store, backups/, the keyring's login) and is
# refused then; restore and import-bundle above all, which replace the store.
READ_ONLY = frozenset(
    {
        "list",
        "calls",
        "validate",
        "export-json",
        "export-pdf",
        "outbox",
        "report-validate",
        "report-pdf",
        "report-export-json",
        "export-bundle",
        "backups",
        "check",
    }
)
# A command that holds the folder ends soon: another one waits for it this long.
WAIT_FOR_COMMAND = 120.0
# The window waits for a command a little, then says so (a volunteer is watching).
WINDOW_WAITS_FOR_COMMAND = 15.0

log = logging.getLogger("mms_desktop")


# The options of the window alone; see _window_only.
WINDOW_OPTIONS = ("--data-dir", "--language")


def _window_only(arguments: Sequence[str]) -> bool:
    """Nothing but the window's options, each with its value (a plain start).

    The window's start then builds a parser without the commands' (3-4 ms of
    25 sub-parsers and their translated help). Anything else, ``--help``
    included, gets the whole parser and its messages.
    """
    rest = list(arguments)
    while rest:
        option, equals, value = rest.pop(0).partition("=")
        if option not in WINDOW_OPTIONS:
            return False
        if not equals:
            if not rest or rest[0].startswith("-"):
                return False
            value = rest.pop(0)
        if option == "--language" and value not in i18n.LANGUAGES:
            return False  # told by the whole parser, with its usage line
    return True


def _parser(with_commands: bool = True) -> argparse.ArgumentParser:
    tr = i18n.tr
    parser = argparse.ArgumentParser(
        prog="mms-desktop",
        description=tr("cli.description"),
        epilog=tr("cli.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mms-desktop {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=tr("cli.data_dir"))
    parser.add_argument("--language", choices=i18n.LANGUAGES, help=tr("cli.language"))
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("demo", help=tr("cli.demo"))
    listing = commands.add_parser("list", help=tr("cli.list"))
    listing.add_argument("--json", action="store_true", help=tr("cli.json"))
    calls = commands.add_parser("calls", help=tr("cli.calls"))
    calls.add_argument("--json", action="store_true", help=tr("cli.json"))
    import_call = commands.add_parser("import-call", help=tr("cli.import_call"))
    import_call.add_argument("file", type=Path, metavar="FILE")
    check = commands.add_parser("validate", help=tr("cli.validate"))
    check.add_argument("application_id", metavar="APP_ID")
    check.add_argument("--json", action="store_true", help=tr("cli.json"))
    export = commands.add_parser("export-json", help=tr("cli.export_json"))
    export.add_argument("application_id", metavar="APP_ID")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    import_json = commands.add_parser("import-json", help=tr("cli.import_json"))
    import_json.add_argument("file", type=Path, metavar="FILE")
    pdf = commands.add_parser("export-pdf", help=tr("cli.export_pdf"))
    pdf.add_argument("application_id", metavar="APP_ID", nargs="?")
    pdf.add_argument("--blank", action="store_true", help=tr("cli.blank"))
    pdf.add_argument("--call", metavar="CALL_ID", dest="call_id", help=tr("cli.blank_call"))
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    submit = commands.add_parser("submit", help=tr("cli.submit"))
    submit.add_argument("application_id", metavar="APP_ID")
    attach = commands.add_parser("attach", help=tr("cli.attach"))
    attach.add_argument("application_id", metavar="APP_ID")
    attach.add_argument("file", type=Path, metavar="FILE")
    attach.add_argument(
        "--requirement", default="", metavar="ID", help=tr("cli.attach_requirement")
    )
    login = commands.add_parser("login", help=tr("cli.login"))
    login.add_argument("--server", required=True, metavar="URL")
    login.add_argument("--organization", metavar="ORG_ID", help=tr("cli.login_organization"))
    login.add_argument(
        "--allow-insecure-http", action="store_true", help=tr("cli.login_allow_insecure_http")
    )
    sync = commands.add_parser("sync", help=tr("cli.sync"))
    sync.add_argument("--server", metavar="URL")
    outbox = commands.add_parser("outbox", help=tr("cli.outbox"))
    outbox.add_argument("--json", action="store_true", help=tr("cli.json"))

    report_new = commands.add_parser("report-new", help=tr("cli.report_new"))
    report_new.add_argument("application_id", metavar="APP_ID")
    kind = report_new.add_mutually_exclusive_group()
    kind.add_argument(
        "--final", dest="kind", action="store_const", const="final", help=tr("cli.report_final")
    )
    kind.add_argument(
        "--partial",
        dest="kind",
        action="store_const",
        const="partial",
        help=tr("cli.report_partial"),
    )
    report_check = commands.add_parser("report-validate", help=tr("cli.report_validate"))
    report_check.add_argument("report_id", metavar="REPORT_ID")
    report_check.add_argument("--json", action="store_true", help=tr("cli.json"))
    report_pdf = commands.add_parser("report-pdf", help=tr("cli.report_pdf"))
    report_pdf.add_argument("report_id", metavar="REPORT_ID")
    report_pdf.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    report_export = commands.add_parser("report-export-json", help=tr("cli.report_export_json"))
    report_export.add_argument("report_id", metavar="REPORT_ID")
    report_export.add_argument("--out", type=Path, required=True, metavar="FILE")
    report_import = commands.add_parser("report-import-json", help=tr("cli.report_import_json"))
    report_import.add_argument("file", type=Path, metavar="FILE")
    report_submit = commands.add_parser("report-submit", help=tr("cli.report_submit"))
    report_submit.add_argument("report_id", metavar="REPORT_ID")
    report_attach = commands.add_parser("report-attach", help=tr("cli.report_attach"))
    report_attach.add_argument("report_id", metavar="REPORT_ID")
    report_attach.add_argument("file", type=Path, metavar="FILE")
    report_attach.add_argument(
        "--description", default="", metavar="TEXT", help=tr("cli.report_attach_description")
    )

    backup = commands.add_parser("backup", help=tr("cli.backup"))
    backup.add_argument("--out", type=Path, metavar="FILE", help=tr("cli.backup_out"))
    backups = commands.add_parser("backups", help=tr("cli.backups"))
    backups.add_argument("--json", action="store_true", help=tr("cli.json"))
    restore = commands.add_parser("restore", help=tr("cli.restore"))
    restore.add_argument("backup", metavar="BACKUP")
    commands.add_parser("check", help=tr("cli.check"))
    export_bundle = commands.add_parser("export-bundle", help=tr("cli.export_bundle"))
    export_bundle.add_argument("--out", type=Path, required=True, metavar="FILE.mms")
    export_bundle.add_argument(
        "--organization", metavar="ORG_ID", help=tr("cli.export_bundle_organization")
    )
    import_bundle = commands.add_parser("import-bundle", help=tr("cli.import_bundle"))
    import_bundle.add_argument("file", type=Path, metavar="FILE.mms")
    import_bundle.add_argument("--merge", action="store_true", help=tr("cli.import_bundle_merge"))
    return parser


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")


def _cmd_demo(workspace: Workspace, args: argparse.Namespace) -> int:
    ids = workspace.create_demo()
    _print(
        i18n.tr(
            "cli.demo_created", organization=ids.organization_id, application=ids.application_id
        )
    )
    _print(
        i18n.tr(
            "cli.demo_report_created",
            application=ids.settled_application_id,
            report=ids.report_id,
        )
    )
    return EXIT_OK


def _cmd_list(workspace: Workspace, args: argparse.Namespace) -> int:
    listing = workspace.listing()
    if args.json:
        _print(dumps(listing))
        return EXIT_OK
    names = {item["id"]: item["name"] for item in listing["organizations"]}
    for organization in listing["organizations"]:
        _print(f"{organization['id']}  {organization['name']}")
    for item in listing["applications"]:
        status = i18n.tr(f"ApplicationStatus.{item['status']}")
        _print(
            f"{item['id']}  [{status}]  {item['title'] or i18n.tr('cli.untitled')}"
            f"  ({names.get(item['organization_id'], '?')}, {item['call_id']})"
        )
    if listing["reports"]:
        _print(i18n.tr("cli.list.reports"))
    for item in listing["reports"]:
        status = i18n.tr(f"ApplicationStatus.{item['status']}")
        kind = i18n.tr(f"ReportKind.{item['kind']}")
        _print(f"{item['id']}  [{status}, {kind}]  {item['title'] or i18n.tr('cli.untitled')}")
    if not listing["organizations"]:
        _print(i18n.tr("cli.empty"))
    return EXIT_OK


def _cmd_calls(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.json:
        _print(dumps(workspace.calls_listing()))
        return EXIT_OK
    for known in workspace.calls.all():
        call = known.definition
        _print(
            i18n.tr(
                "cli.call_line",
                id=call.id,
                name=call.name,
                operator=call.operator,
                deadline=i18n.format_date(call.deadline.date()),
            )
        )
    return EXIT_OK


def _cmd_import_call(workspace: Workspace, args: argparse.Namespace) -> int:
    call = workspace.calls.import_file(args.file)
    _print(i18n.tr("cli.call_imported", id=call.id, version=call.version, name=call.name))
    return EXIT_OK


def _finding_json(finding: Finding) -> dict[str, str]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "field": finding.field,
        "message": i18n.finding_message(finding),
    }


def _cmd_validate(workspace: Workspace, args: argparse.Namespace) -> int:
    return _print_findings(workspace.validate(args.application_id, now()), args.json, "cli")


def _print_control_sum(sha256: str) -> None:
    # Imported by the commands that print one: the window's start needs neither
    # the canonical documents nor the findings (see README, "How it is built").
    from mms_desktop.domain.canonical import control_sum

    _print(control_sum(sha256))


def _print_findings(findings: list[Finding], as_json: bool, prefix: str) -> int:
    """Findings in words (or JSON); the exit code says whether any blocks submission."""
    from mms_desktop.domain.findings import blocks_submission, submission_outlook

    if as_json:
        _print(dumps([_finding_json(finding) for finding in findings]))
    else:
        for finding in findings:
            label = i18n.tr(f"Severity.{finding.severity.value}")
            _print(f"{label}: {i18n.finding_message(finding)}  [{finding.code}]")
        # One sentence that agrees with the findings: never "ready" while the call is shut.
        outlook = submission_outlook(findings)
        if outlook.state == "blocked":
            _print(i18n.tr(f"{prefix}.validate_blocked", count=outlook.count))
        elif outlook.state == "waits_for_opening" and outlook.opens_at is not None:
            _print(
                i18n.tr(
                    f"{prefix}.validate_waits_for_opening",
                    opens_at=i18n.format_date(outlook.opens_at),
                )
            )
        else:
            _print(i18n.tr(f"{prefix}.validate_ready"))
    return EXIT_BLOCKED if blocks_submission(findings) else EXIT_OK


def _cmd_export_json(workspace: Workspace, args: argparse.Namespace) -> int:
    workspace.export_json(args.application_id, args.out)
    _print(i18n.tr("cli.exported", path=str(args.out)))
    return EXIT_OK


def _cmd_import_json(workspace: Workspace, args: argparse.Namespace) -> int:
    imported = workspace.import_file(args.file)
    _print(imported.application.id)
    for line in imported.messages():
        # Beside the id (stdout, which scripts read): what the person must look at.
        sys.stderr.write(line + "\n")
    return EXIT_OK


def _cmd_export_pdf(workspace: Workspace, args: argparse.Namespace) -> int:
    missing: list[Finding] = []  # a blank form has no typed text
    if args.blank:
        if not args.call_id or args.application_id:
            raise UserError("cli.blank_needs_call")
        data = workspace.blank_form_pdf(args.call_id)
    else:
        if not args.application_id or args.call_id:
            raise UserError("cli.pdf_needs_application")
        missing = workspace.unprintable(args.application_id)
        data = workspace.application_pdf(args.application_id)
    workspace.export_pdf(data, args.out)
    _print(i18n.tr("cli.exported", path=str(args.out)))
    _warn_unprintable(missing)
    return EXIT_OK


def _warn_unprintable(findings: list[Finding]) -> None:
    """Say which fields print with empty boxes: the PDF is made, but not silently wrong."""
    for finding in findings:
        sys.stderr.write(i18n.tr("cli.warning", message=i18n.finding_message(finding)) + "\n")
    if findings:
        sys.stderr.write(i18n.tr("cli.pdf_unprintable", count=len(findings)) + "\n")


def _cmd_submit(workspace: Workspace, args: argparse.Namespace) -> int:
    version = workspace.submit(args.application_id, now())
    _print_control_sum(version.sha256)
    return EXIT_OK


def _cmd_attach(workspace: Workspace, args: argparse.Namespace) -> int:
    reference = workspace.attach(args.application_id, args.file, args.requirement)
    _print(reference.sha256)
    return EXIT_OK


def _login_organization(workspace: Workspace, chosen: str | None) -> str:
    """The organisation a login is for: the one named, or the only one there is."""
    organizations = workspace.store.list_organizations()
    listing = "; ".join(f"{item.id} ({item.name})" for item in organizations)
    if chosen is not None:
        if not workspace.store.has_organization(chosen):
            raise UserError("cli.login_unknown_organization", id=chosen, organizations=listing)
        return chosen
    if len(organizations) == 1:
        return organizations[0].id
    if not organizations:
        raise UserError("cli.login_no_organization")
    raise UserError("cli.login_which_organization", organizations=listing)


def _cmd_login(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import sending
    from mms_desktop.sync.addresses import insecure
    from mms_desktop.sync.client import OperatorClient
    from mms_desktop.sync.credentials import set_token
    from mms_desktop.sync.problems import OperatorProblem

    organization_id = _login_organization(workspace, args.organization)
    url = sending.login_url(args.server, args.allow_insecure_http)
    token = sys.stdin.readline().strip()
    if not token:
        raise UserError("cli.login_no_token")
    client = OperatorClient(url, token, allow_insecure_http=args.allow_insecure_http)
    try:
        client.health()
        client.statuses()  # proves the token, changes nothing
    except OperatorProblem as problem:
        raise UserError("cli.login_failed", detail=sending.problem_text(problem)) from None
    finally:
        client.close()
    in_keyring = set_token(url, organization_id, token)
    with workspace.store.transaction():
        workspace.store.set_operator_login(organization_id, url, args.allow_insecure_http)
        workspace.store.set_setting(sending.SERVER_SETTING, url)
        again = sending.after_login(workspace, organization_id)
    name = workspace.store.load_organization(organization_id).name or organization_id
    key = "cli.login_saved" if in_keyring else "cli.login_no_keyring"
    _print(i18n.tr(key, url=url, organization=name))
    if args.allow_insecure_http and insecure(url):
        _print(i18n.tr("cli.login_insecure_warning", url=url))
    if again:
        _print(i18n.tr("cli.login_requeued", count=again))
    return EXIT_OK


def _cmd_sync(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import sending

    report = sending.sync(workspace, now(), manual=True, server=args.server)
    if report.problem:
        sys.stderr.write(i18n.tr("cli.sync_problem", detail=report.problem) + "\n")
    for message in dict.fromkeys(report.messages):
        sys.stderr.write(message + "\n")
    for warning in report.warnings:
        sys.stderr.write(i18n.tr("cli.sync_problem", detail=warning) + "\n")
    _print(
        i18n.tr(
            "cli.sync_report",
            sent=report.sent,
            waiting=report.waiting,
            failed=report.failed,
            answers=report.answers,
            calls=report.calls,
        )
    )
    return EXIT_OK if report.outbox_empty else EXIT_BLOCKED


def _cmd_outbox(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import sending

    items = sending.outbox_listing(workspace, now())
    if args.json:
        _print(dumps(items))
        return EXIT_OK
    for item in items:
        state = i18n.tr(f"OutboxState.{item['state']}")
        why = item["waiting"] or item["last_error"]
        error = f" – {why}" if why else ""
        owner = item["report_id"] or item["application_id"]
        _print(f"{item['submission_id']}  [{state}]  {owner}{error}")
    if not items:
        _print(i18n.tr("cli.outbox_empty"))
    return EXIT_OK


def _cmd_report_new(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.domain.report import ReportKind
    from mms_desktop.services import reports

    report = reports.new_report(workspace, args.application_id, ReportKind(args.kind or "final"))
    _print(report.id)
    return EXIT_OK


def _cmd_report_validate(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import reports

    return _print_findings(reports.validate(workspace, args.report_id), args.json, "cli.report")


def _cmd_report_pdf(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import reports

    missing = reports.unprintable(workspace, args.report_id)
    reports.export_pdf(reports.report_pdf(workspace, args.report_id), args.out)
    _print(i18n.tr("cli.exported", path=str(args.out)))
    _warn_unprintable(missing)
    return EXIT_OK


def _cmd_report_export_json(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import report_files

    report_files.export_json(workspace, args.report_id, args.out)
    _print(i18n.tr("cli.exported", path=str(args.out)))
    return EXIT_OK


def _cmd_report_import_json(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import report_files

    report = report_files.import_json(workspace, args.file)
    _print(report.id)
    return EXIT_OK


def _cmd_report_submit(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import reports

    version = reports.submit(workspace, args.report_id)
    _print_control_sum(version.sha256)
    return EXIT_OK


def _cmd_report_attach(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import reports

    reference = reports.attach(workspace, args.report_id, args.file, args.description)
    _print(reference.sha256)
    return EXIT_OK


def _cmd_export_bundle(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import bundles

    summary = bundles.export_bundle(workspace, args.out, args.organization)
    for line in summary.messages():
        _print(line)
    return EXIT_OK


def _cmd_backup(workspace: Workspace, args: argparse.Namespace) -> int:
    from mms_desktop.services import backups

    _print(str(backups.create(workspace.store, workspace.data_dir, "manual", now(), args.out)))
    return EXIT_OK


# Commands that must work on a store that cannot be opened (damaged, too new).


def _cmd_backups(data_dir: DataDir, args: argparse.Namespace) -> int:
    from mms_desktop.services import backups

    found = [backups.describe(item) for item in backups.listing(data_dir)]
    if args.json:
        _print(dumps([info.as_json() for info in found]))
        return EXIT_OK
    for info in found:
        _print(_backup_line(info))
    if not found:
        _print(i18n.tr("cli.backups_none", path=str(data_dir.backups)))
    return EXIT_OK


def _backup_line(info: BackupInfo) -> str:
    when = info.backup.created_at.astimezone()
    moment = f"{i18n.format_date(when.date())} {when:%H:%M}"
    if not info.ok:
        return f"{info.backup.name}  {moment}  {i18n.tr('cli.backup_damaged')}"
    held = i18n.tr("cli.backup_counts", **info.counts)
    return f"{info.backup.name}  {moment}  {held}"


def _cmd_restore(data_dir: DataDir, args: argparse.Namespace) -> int:
    from mms_desktop.services import backups

    chosen = backups.find(data_dir, args.backup)
    report = backups.restore(data_dir, chosen, now())
    _print(i18n.tr("cli.restored", name=chosen.name))
    _print("  " + _backup_line(report.restored))
    if report.kept_current_as is not None:
        _print(i18n.tr("cli.restore_kept", path=str(report.kept_current_as)))
    if report.damaged_kept_at is not None:
        _print(i18n.tr("cli.restore_damaged_kept", path=str(report.damaged_kept_at)))
    return EXIT_OK


def _cmd_check(data_dir: DataDir, args: argparse.Namespace) -> int:
    from mms_desktop.services import backups
    from mms_desktop.storage.backup import check_health

    if not data_dir.store.exists():
        _print(i18n.tr("cli.check_no_store", path=str(data_dir.store)))
        return EXIT_OK
    health = check_health(data_dir.store, thorough=True)
    if health.ok:
        _print(i18n.tr("cli.check_ok", path=str(data_dir.store)))
        return EXIT_OK
    _print(i18n.tr("cli.check_damaged", path=str(data_dir.store)))
    for problem in health.problems[:10]:
        _print(f"  {problem}")
    good = backups.newest_good(data_dir)
    if good is None:
        _print(i18n.tr("cli.check_no_backup"))
    else:
        _print(i18n.tr("cli.check_restore_hint", name=good.backup.name))
        _print("  " + _backup_line(good))
    return EXIT_STORE  # a damaged store is a data folder that cannot be used


def _cmd_import_bundle(data_dir: DataDir, args: argparse.Namespace) -> int:
    from mms_desktop.services import backups, bundles

    if args.merge and data_dir.store.exists():
        # The state before the merge, kept like any backup (a merge only adds, but still).
        with Workspace.open(data_dir.root) as workspace:
            kept = backups.create(workspace.store, data_dir, "before-import", now())
        _print(i18n.tr("cli.import_bundle_backup", path=str(kept)))
    summary = bundles.import_bundle(data_dir.root, args.file, merge=args.merge)
    for line in summary.messages():
        _print(line)
    return EXIT_OK


DATA_DIR_COMMANDS: dict[str, Callable[[DataDir, argparse.Namespace], int]] = {
    "backups": _cmd_backups,
    "restore": _cmd_restore,
    "check": _cmd_check,
    "import-bundle": _cmd_import_bundle,
}

COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], int]] = {
    "demo": _cmd_demo,
    "list": _cmd_list,
    "calls": _cmd_calls,
    "import-call": _cmd_import_call,
    "validate": _cmd_validate,
    "export-json": _cmd_export_json,
    "import-json": _cmd_import_json,
    "export-pdf": _cmd_export_pdf,
    "submit": _cmd_submit,
    "attach": _cmd_attach,
    "login": _cmd_login,
    "sync": _cmd_sync,
    "outbox": _cmd_outbox,
    "report-new": _cmd_report_new,
    "report-validate": _cmd_report_validate,
    "report-pdf": _cmd_report_pdf,
    "report-export-json": _cmd_report_export_json,
    "report-import-json": _cmd_report_import_json,
    "report-submit": _cmd_report_submit,
    "report-attach": _cmd_report_attach,
    "backup": _cmd_backup,
    "export-bundle": _cmd_export_bundle,
}


def _error(key: str, params: dict[str, object]) -> None:
    sys.stderr.write(i18n.tr("cli.error", message=i18n.tr(key, **params)) + "\n")


def _refuse_a_file_for_a_folder(data_dir: Path) -> None:
    """A file where the data folder (or a folder above it) should be: exit 3, in words.

    Checked before any command, so the ones that read a folder that may not
    exist yet (backups, check) do not report "nothing here" instead.
    """
    existing = next((path for path in (data_dir, *data_dir.parents) if path.exists()), None)
    if existing is not None and not existing.is_dir():
        raise DataFolderError("data_dir.not_a_folder", path=str(existing))


def _folder_in_use(error: FolderInUseError) -> int:
    key = "cli.folder_in_use_window" if error.by_window else "cli.folder_in_use_command"
    pid = error.holder.pid if error.holder is not None else "?"
    _error(key, {"path": str(error.folder), "pid": pid})
    return EXIT_IN_USE


def _take_folder(data_dir: Path, role: str, wait: float) -> FolderLock | None:
    """The data folder for this process; None when it cannot be created (said later, in words)."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    try:
        return FolderLock.acquire(data_dir, role, wait_for_command=wait)
    except FolderInUseError:
        raise
    except OSError:  # a read-only folder: nothing can write there, so nothing to guard
        return None


def _logs_folder(data_dir: Path, command: str) -> Path | None:
    """``logs/`` of the data folder, unless a read-only command would create the folder."""
    if command in READ_ONLY and not data_dir.is_dir():
        return None
    return DataDir(data_dir).logs


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        collector.hold_back()  # the installed `mms-desktop` command's start, as __main__'s
    utf8_when_redirected()
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The language must be known before the help texts are built.
    if "--language" in arguments[:-1]:
        chosen = arguments[arguments.index("--language") + 1]
        if chosen in i18n.LANGUAGES:
            i18n.set_language(chosen)
    argparse_words.use_catalog()
    args = _parser(with_commands=not _window_only(arguments)).parse_args(arguments)
    if args.language:  # also --language=en, which the look-ahead above misses
        i18n.set_language(args.language)
    data_dir = resolve_data_dir(args.data_dir)
    # This process's own run (not a call from a test or a script importing it):
    # a fatal crash's stacks go to logs/crash.log, kept open until the end.
    whole_process = argv is None
    if args.command is not None:
        collector.let_go()  # held back for a quick start of the window only
    if args.command is None:
        if no_screen():
            sys.stderr.write(i18n.tr("cli.no_screen") + "\n")
            return EXIT_NO_SCREEN
        return _window(data_dir, args.language, whole_process)
    try:
        # Before the log, the lock or anything else is written there.
        refuse_a_path_windows_cannot_hold(data_dir)
    except DataFolderError as error:
        _error(error.key, error.params)
        return EXIT_STORE
    logs_folder = _logs_folder(data_dir, args.command)
    if whole_process and logs_folder is not None:
        logs.write_crashes_to(logs_folder)
    with logs.logging_to(logs_folder, logs.CLI_LOG, console=True):
        try:
            return _command(data_dir, args)
        except Exception:
            logs.log_uncaught(*sys.exc_info())
            raise


def no_screen(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Linux with no X or Wayland session: Qt would end in an abort about "xcb"
    plugins, so this is said in words before Qt is loaded."""
    if not platform.startswith("linux"):
        return False
    qt_platform = environ.get("QT_QPA_PLATFORM", "")
    if qt_platform and not qt_platform.startswith(("xcb", "wayland")):
        return False  # offscreen, vnc, a framebuffer: Qt needs no session for those
    if qt_platform.startswith("wayland"):
        return not environ.get("WAYLAND_DISPLAY")
    return not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")


def _window(data_dir: Path, language: str | None, whole_process: bool) -> int:
    """No command: the window. Qt is imported only here, so the command line
    stays fast and works on a machine without a screen."""
    logs_folder = DataDir(data_dir).logs
    if whole_process:
        logs.write_crashes_to(logs_folder)
    with logs.logging_to(logs_folder, logs.WINDOW_LOG, console=False) as log_file:
        try:
            lock = _take_folder(data_dir, WINDOW, WINDOW_WAITS_FOR_COMMAND)
        except FolderInUseError as error:
            log.warning("another copy holds %s: %s", data_dir, error.holder)
            from mms_desktop.ui import app

            return app.refuse_second_copy(error, EXIT_IN_USE)
        # The folder is ours: its store opens while Qt and the window load.
        opening = WorkspaceOpening(data_dir)
        try:
            from mms_desktop.ui import app

            return app.run(data_dir, language, log_file=log_file, opening=opening)
        except Exception:
            logs.log_uncaught(*sys.exc_info())  # before the log file is let go
            raise
        finally:
            opening.close_unused()
            if lock is not None:
                lock.release()


def _command(data_dir: Path, args: argparse.Namespace) -> int:
    try:
        _refuse_a_file_for_a_folder(data_dir)
        lock = None
        if args.command not in READ_ONLY:
            lock = _take_folder(data_dir, COMMAND, WAIT_FOR_COMMAND)
        try:
            if args.command in DATA_DIR_COMMANDS:
                return DATA_DIR_COMMANDS[args.command](DataDir(data_dir), args)
            with Workspace.open(data_dir) as workspace:
                return COMMANDS[args.command](workspace, args)
        finally:
            if lock is not None:
                lock.release()
    except FolderInUseError as error:
        return _folder_in_use(error)
    except BlockedError as error:
        _error(error.key, error.params)
        return EXIT_BLOCKED
    except DataFolderError as error:
        _error(error.key, error.params)
        return EXIT_STORE
    except UserError as error:
        _error(error.key, error.params)
        return EXIT_BAD_INPUT
    except StoreError as error:
        _error(error.key, {"path": str(data_dir)} | error.params)
        return EXIT_STORE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
