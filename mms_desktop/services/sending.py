"""Delivering frozen versions to the operator, and pulling its answers.

``sync`` is one round, organisation by organisation: each organisation's items
go to its own operator address with its own token (never another's); one
without a login waits, said in words, while the others go. For each: is the
operator there (its marker, not a login page)? send what is due, each exactly
once (the submission id is made here, the server is idempotent by id and hash,
and an item is "sent" only on a receipt naming the same hash); then pull
statuses, comments and call definitions. An application whose call has not
opened yet is not sent at all: it waits, saying when it will go. Whatever fails
is told in words and kept queued; nothing is ever lost.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from mms_desktop import i18n
from mms_desktop.domain.backoff import next_delay
from mms_desktop.domain.call import CallDefinition, DeadlineCounts
from mms_desktop.services.attachments import read_attachment
from mms_desktop.services.calls import parse_call
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import Workspace
from mms_desktop.services.workspace import now as clock_now
from mms_desktop.storage.store import OperatorAnswer, OperatorLogin, OutboxItem, OutboxState
from mms_desktop.sync.addresses import insecure, normalized_url
from mms_desktop.sync.problems import OperatorProblem

if TYPE_CHECKING:
    from mms_desktop.sync.client import OperatorClient
from mms_desktop.sync.credentials import get_token

# The address last logged in to: only a suggestion for the next organisation's login.
SERVER_SETTING = "operator_url"
# How many days before a deadline the outbox warns about what still waits for it.
DEADLINE_WARNING_DAYS = 7
# Refusals a new login of the organisation may cure (its items go again after one).
CURED_BY_LOGIN = ("organization_mismatch",)


@dataclass
class SyncReport:
    sent: int = 0
    waiting: int = 0
    failed: int = 0
    answers: int = 0
    calls: int = 0
    problem: str | None = None  # in words, when the round could not finish
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # deadlines near, outbox not empty
    tried: set[str] = field(default_factory=set)  # submission ids sent (or failed) this round

    @property
    def outbox_empty(self) -> bool:
        return self.waiting == 0 and self.failed == 0


def when_text(stamp: str) -> str:
    """An operator's time (a date, or an ISO time) as a volunteer reads it."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if len(stamp) <= len("2027-01-04"):
        return i18n.format_date(moment.date())
    # In the laptop's time (the pinned clock's zone, when one is pinned).
    local = moment.astimezone(clock_now().tzinfo) if moment.tzinfo else moment
    return f"{i18n.format_date(local.date())} {local:%H:%M}"


def problem_text(problem: OperatorProblem) -> str:
    params = dict(problem.params)
    for name in ("opens_at", "deadline"):
        if isinstance(params.get(name), str) and params[name]:
            params[name] = when_text(str(params[name]))
    return i18n.tr(problem.key, **params)


@dataclass(frozen=True)
class Route:
    """Where one organisation's items go in this round, and with which token."""

    organization_id: str
    organization: str  # its name, for the words
    url: str | None
    token: str | None
    allow_insecure_http: bool = False
    login: OperatorLogin | None = None


def route_for(
    workspace: Workspace,
    organization_id: str,
    names: dict[str, str],
    override: str | None = None,
) -> Route:
    login = workspace.store.operator_login(organization_id)
    url = (override or "").rstrip("/") or (login.server_url if login else None)
    token = None
    if url:
        legacy = bool(login and login.legacy_token and login.server_url == url)
        token = get_token(url, organization_id, legacy=legacy)
    return Route(
        organization_id=organization_id,
        organization=names.get(organization_id) or organization_id,
        url=url,
        token=token,
        allow_insecure_http=bool(login and login.allow_insecure_http and login.server_url == url),
        login=login,
    )


def route_problem(route: Route) -> str | None:
    """Why this organisation cannot send now, in words (no login, plain http)."""
    if not route.url or not route.token:
        return i18n.tr("sync.no_login", organization=route.organization)
    if insecure(route.url) and not route.allow_insecure_http:
        return i18n.tr("sync.insecure_http", url=route.url)
    return None


def login_url(text: str, allow_insecure_http: bool) -> str:
    """An address a login may keep: well formed, and https unless loopback or allowed."""
    url = normalized_url(text)
    if url is None:
        raise UserError("sync.bad_url", url=text.strip())
    if insecure(url) and not allow_insecure_http:
        raise UserError("sync.insecure_http", url=url)
    return url


def after_login(workspace: Workspace, organization_id: str) -> int:
    """A new login: the organisation's items refused for its old token go again."""
    again = 0
    for code in CURED_BY_LOGIN:
        again += workspace.store.requeue_refused(organization_id, code)
    return again


def client_for(route: Route) -> OperatorClient:
    from mms_desktop.sync.client import OperatorClient  # requests: loaded on the first round

    assert route.url is not None
    return OperatorClient(route.url, route.token, allow_insecure_http=route.allow_insecure_http)


# --- the call's window ----------------------------------------------------------------


def _call_of(workspace: Workspace, item: OutboxItem) -> CallDefinition | None:
    return workspace.calls.find(item.call_id) if item.call_id else None


def opening_moment(call: CallDefinition, now: datetime) -> datetime:
    """The call opens at the start of its first day, in the laptop's time zone."""
    return datetime.combine(call.opens_at, time(), tzinfo=now.tzinfo)


def not_open_yet(workspace: Workspace, item: OutboxItem, now: datetime) -> str | None:
    """Words when the item must wait for its call to open (an application, before opens_at)."""
    if item.kind != "application":
        return None  # a report is due after the task, whatever the call's window
    call = _call_of(workspace, item)
    if call is None or now.date() >= call.opens_at:
        return None
    return i18n.tr("sync.waits_for_opening", opens_at=i18n.format_date(call.opens_at))


def _held(item: OutboxItem, now: datetime) -> bool:
    """The operator said the call is not open yet: held until the moment it named."""
    if not item.hold_until:
        return False
    try:
        return datetime.fromisoformat(item.hold_until) > now
    except ValueError:
        return False


def deadline_warnings(workspace: Workspace, now: datetime) -> list[str]:
    """Calls whose deadline comes within days while the outbox still holds something for them.

    Only where the deadline counts what is received: with ``deadline_counts: frozen`` a
    version frozen in time is on time whenever it arrives.
    """
    warnings = []
    titles = {s.id: s.title for s in workspace.store.list_applications(include_deleted=True)}
    for item in workspace.store.outbox((OutboxState.QUEUED, OutboxState.SENDING)):
        if item.kind != "application":
            continue
        call = _call_of(workspace, item)
        if call is None or call.deadline_counts is not DeadlineCounts.RECEIVED:
            continue
        left = call.deadline - now
        if timedelta(0) <= left <= timedelta(days=DEADLINE_WARNING_DAYS):
            local = call.deadline.astimezone(now.tzinfo)
            warnings.append(
                i18n.tr(
                    "sync.deadline_warning",
                    date=i18n.format_date(local.date()),
                    time=f"{local:%H:%M}",
                    title=titles.get(item.application_id) or i18n.tr("cli.untitled"),
                )
            )
    return warnings


def _due(item: OutboxItem, now: datetime, manual: bool) -> bool:
    if item.state is not OutboxState.QUEUED or _held(item, now):
        return False
    if manual or item.next_try_at is None:
        return True
    return datetime.fromisoformat(item.next_try_at) <= now


def _later(item: OutboxItem, problem: OperatorProblem, now: datetime, jitter: float) -> str:
    delay = next_delay(item.attempts, problem.retry_after_s, jitter)
    return _iso(now + timedelta(seconds=delay))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _operator_moment(stamp: str, now: datetime) -> datetime | None:
    """The operator's ``opens_at`` (a date or an ISO time) as a moment."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return moment


def send_outbox(
    workspace: Workspace,
    client: OperatorClient,
    now: datetime,
    manual: bool,
    report: SyncReport,
    items: list[OutboxItem] | None = None,
    jitter: Callable[[], float] = random.random,
) -> None:
    """Send the due ``items`` (by default every queued one) through ``client``."""
    store = workspace.store
    for item in store.outbox((OutboxState.QUEUED,)) if items is None else items:
        if not _due(item, now, manual):
            continue
        waiting = not_open_yet(workspace, item, now)
        if waiting is not None:
            call = _call_of(workspace, item)
            assert call is not None
            store.mark_waiting(item.submission_id, waiting, _iso(opening_moment(call, now)))
            report.messages.append(waiting)
            continue
        store.mark_sending(item.submission_id)
        report.tried.add(item.submission_id)
        try:
            _send_attachments(workspace, client, item)
            receipt = client.put_submission(
                item.submission_id,
                item.document.encode("utf-8"),
                item.sha256,
                frozen_at=item.frozen_at or None,
            )
        except OperatorProblem as problem:
            text = problem_text(problem)
            report.messages.append(text)
            if problem.code == "call_not_open":
                opens = _operator_moment(str(problem.params.get("opens_at") or ""), now)
                until = _iso(opens) if opens and opens > now else _later(item, problem, now, 0.5)
                store.mark_waiting(item.submission_id, text, until)
            elif problem.transient:
                store.mark_retry(item.submission_id, text, _later(item, problem, now, jitter()))
            else:
                store.mark_failed(item.submission_id, text, problem.code or None)
            if problem.whole_organization:
                break  # the connection (or the login) is the problem, not this item
            continue
        store.mark_sent(item.submission_id, receipt)
        report.sent += 1


def _send_attachments(workspace: Workspace, client: OperatorClient, item: OutboxItem) -> None:
    """Blobs the document lists go first, each only if the operator lacks it."""
    document = json.loads(item.document)
    for attachment in document.get("attachments") or []:
        sha256 = str(attachment["sha256"])
        if client.has_blob(sha256):
            continue
        try:
            data = read_attachment(workspace.data_dir, sha256)
        except UserError as error:
            raise OperatorProblem(error.key, transient=False, params=error.params) from None
        client.put_blob(sha256, data)


def pull(
    workspace: Workspace,
    client: OperatorClient,
    report: SyncReport,
    login: OperatorLogin | None = None,
) -> None:
    """Statuses of what this token sent (since the login's last pull), and the calls."""
    store = workspace.store
    keep_since = login is not None and login.server_url == client.base_url
    since = login.last_pull if login is not None and keep_since else None
    known = store.frozen_version_ids()
    newest = since
    for item in client.statuses(since):
        submission_id = str(item.get("submission_id", ""))
        if submission_id not in known:
            continue
        answer = OperatorAnswer(
            submission_id=submission_id,
            status=str(item.get("status", "received")),
            comment=item.get("comment"),
            updated_at=str(item.get("updated_at", "")),
        )
        if store.record_operator_status(answer):
            report.answers += 1
        newest = max(newest or answer.updated_at, answer.updated_at)
    if keep_since and login is not None and newest and newest != since:
        store.set_last_pull(login.organization_id, newest)
    for raw in client.calls():
        if _keep_call(workspace, raw):
            report.calls += 1


def _keep_call(workspace: Workspace, raw: dict[str, Any]) -> bool:
    try:
        definition = parse_call(raw)
    except UserError:
        return False  # a definition this version cannot read is left for a newer one
    current = workspace.calls.find(definition.id)
    if current is not None and current.version >= definition.version:
        return False
    workspace.store.save_call(raw, "operator")
    workspace.calls.invalidate()
    return True


def sync(
    workspace: Workspace, now: datetime, manual: bool = True, server: str | None = None
) -> SyncReport:
    """One round, organisation by organisation: send what is due, pull the answers and calls.

    ``server`` overrides every organisation's address for this round (its token is
    still the organisation's own, looked up under that address).
    """
    report = SyncReport()
    store = workspace.store
    store.reset_interrupted()
    names = {summary.id: summary.name for summary in store.list_organizations()}
    queued: dict[str, list[OutboxItem]] = {}
    for item in store.outbox((OutboxState.QUEUED,)):
        queued.setdefault(item.organization_id, []).append(item)
    logins = store.operator_logins()
    problems: list[str] = []
    for organization_id in [*queued, *(o for o in logins if o not in queued)]:
        items = queued.get(organization_id, [])
        route = route_for(workspace, organization_id, names, server)
        refused = route_problem(route)
        if refused is not None:
            if items:
                _wait_for_login(workspace, items, refused, now, report)
            continue
        problem = _one_organization(workspace, route, items, now, manual, report)
        if problem is not None:
            problems.append(problem)
    if problems:
        report.problem = "\n".join(dict.fromkeys(problems))
    for item in store.outbox((OutboxState.QUEUED, OutboxState.FAILED)):
        if item.state is OutboxState.FAILED:
            report.failed += 1
        else:
            report.waiting += 1
    report.warnings = deadline_warnings(workspace, now)
    return report


def _wait_for_login(
    workspace: Workspace, items: list[OutboxItem], refused: str, now: datetime, report: SyncReport
) -> None:
    """An organisation that cannot send (no login, plain http): its items wait, in words."""
    report.messages.append(refused)
    for item in items:
        if _held(item, now):
            continue
        # Its call's opening, when that comes later, is the sooner thing to tell.
        waiting = not_open_yet(workspace, item, now) or refused
        workspace.store.mark_waiting(item.submission_id, waiting)


def _one_organization(
    workspace: Workspace,
    route: Route,
    items: list[OutboxItem],
    now: datetime,
    manual: bool,
    report: SyncReport,
) -> str | None:
    """Send one organisation's items with its own token and pull its answers; a problem."""
    client = client_for(route)
    try:
        client.health()
        send_outbox(workspace, client, now, manual, report, items)
        pull(workspace, client, report, route.login)
    except OperatorProblem as problem:
        text = problem_text(problem)
        if manual:
            # Tell every waiting item why it did not go (those tried already know).
            for item in items:
                if item.submission_id in report.tried or _held(item, now):
                    continue
                if not_open_yet(workspace, item, now):
                    continue
                workspace.store.mark_retry(
                    item.submission_id, text, _later(item, problem, now, random.random())
                )
        return text
    finally:
        client.close()
    return None


def waiting_reason(
    workspace: Workspace,
    item: OutboxItem,
    now: datetime,
    names: dict[str, str] | None = None,
    logins: dict[str, OperatorLogin] | None = None,
) -> str | None:
    """Why a queued item is not going now, in words (None: it goes with the next round).

    Reads only the store (never the keyring: this runs on the window's thread); a
    token found missing by a round is in the item's last error.
    """
    if item.state is not OutboxState.QUEUED:
        return None
    opening = not_open_yet(workspace, item, now)
    if opening is not None:
        return opening
    if _held(item, now):
        return item.last_error
    if names is None:
        names = {summary.id: summary.name for summary in workspace.store.list_organizations()}
    login = (
        workspace.store.operator_login(item.organization_id)
        if logins is None
        else logins.get(item.organization_id)
    )
    organization = names.get(item.organization_id) or item.organization_id
    if login is None:
        return i18n.tr("sync.no_login", organization=organization)
    if insecure(login.server_url) and not login.allow_insecure_http:
        return i18n.tr("sync.insecure_http", url=login.server_url)
    return None


def outbox_listing(workspace: Workspace, now: datetime) -> list[dict[str, Any]]:
    """What ``outbox --json`` prints; ``waiting`` says in words what an item waits for."""
    names = {summary.id: summary.name for summary in workspace.store.list_organizations()}
    logins = workspace.store.operator_logins()
    return [
        {
            "submission_id": item.submission_id,
            "kind": item.kind,
            "application_id": item.application_id,
            "report_id": item.report_id,
            "organization_id": item.organization_id,
            "organization": names.get(item.organization_id, ""),
            "call_id": item.call_id,
            "state": item.state.value,
            "attempts": item.attempts,
            "last_error": item.last_error,
            "waiting": waiting_reason(workspace, item, now, names, logins),
            "next_try_at": item.next_try_at,
            "receipt": item.receipt,
        }
        for item in workspace.store.outbox()
    ]


# --- what the window reads and changes (on its connection or on the writer) ------


def outbox(workspace: Workspace, states: tuple[OutboxState, ...] | None = None) -> list[OutboxItem]:
    return workspace.store.outbox(states)


def has_work(workspace: Workspace) -> bool:
    """Something queued or going, or a login whose answers may have changed."""
    queued = workspace.store.outbox((OutboxState.QUEUED, OutboxState.SENDING))
    return bool(queued or workspace.store.operator_logins())


def requeue(workspace: Workspace, submission_id: str) -> None:
    workspace.store.requeue(submission_id)


def logins(workspace: Workspace) -> dict[str, OperatorLogin]:
    """Each organisation's operator login, by organisation id."""
    return workspace.store.operator_logins()


def login_of(workspace: Workspace, organization_id: str) -> OperatorLogin | None:
    return workspace.store.operator_login(organization_id)


def suggested_server(workspace: Workspace) -> str:
    return workspace.store.setting(SERVER_SETTING) or ""


def application_answers(workspace: Workspace) -> dict[str, OperatorAnswer]:
    """The operator's last word on each application, by application id."""
    return workspace.store.operator_answers()


def report_answers(workspace: Workspace) -> dict[str, OperatorAnswer]:
    return workspace.store.report_answers()


def version_numbers(workspace: Workspace) -> dict[str, int]:
    """Each frozen version's number (1, 2, … per application or report), by version id."""
    return workspace.store.frozen_version_numbers()


def login_address(text: str) -> str | None:
    """The typed address without spaces and trailing slashes; None unless http(s) with a host."""
    return normalized_url(text)


def plain_http(url: str) -> bool:
    """Whether the address would send the token unencrypted (http:// off this computer)."""
    return insecure(url)


@dataclass(frozen=True)
class LoginOutcome:
    problem: str | None = None  # in words, when the address or the token did not work
    in_keyring: bool = False


def check_login(url: str, organization_id: str, token: str, allow_insecure: bool) -> LoginOutcome:
    """Prove the address and the token on the operator, then keep the token (keyring or
    this session). Network: run it off the GUI thread."""
    from mms_desktop.sync.client import OperatorClient
    from mms_desktop.sync.credentials import set_token

    client = OperatorClient(url, token, allow_insecure_http=allow_insecure)
    try:
        client.health()
        client.statuses()  # proves the token, changes nothing
    except OperatorProblem as problem:
        return LoginOutcome(problem=problem_text(problem))
    finally:
        client.close()
    return LoginOutcome(in_keyring=set_token(url, organization_id, token))


def keyring_available() -> bool:
    from mms_desktop.sync.credentials import keyring_available as available

    return available()


def keep_login(workspace: Workspace, organization_id: str, url: str, allow_insecure: bool) -> None:
    """A proven login kept, with the items its old token had refused queued again."""
    store = workspace.store
    with store.transaction():
        store.set_operator_login(organization_id, url, allow_insecure)
        store.set_setting(SERVER_SETTING, url)
        after_login(workspace, organization_id)
