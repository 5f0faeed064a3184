"""Delivering frozen versions to the operator, and pulling its answers.

``sync`` is one round: is the operator there (its marker, not a login page)?
send what is due, each exactly once (the submission id is made here, the
server is idempotent by id and hash, and an item is "sent" only on a receipt
naming the same hash); then pull statuses, comments and call definitions.
Whatever fails is told in words and kept queued; nothing is ever lost.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mms_desktop import i18n
from mms_desktop.domain.backoff import next_delay
from mms_desktop.services.attachments import read_attachment
from mms_desktop.services.calls import parse_call
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.store import OperatorAnswer, OutboxItem, OutboxState
from mms_desktop.sync.problems import OperatorProblem

if TYPE_CHECKING:
    from mms_desktop.sync.client import OperatorClient
from mms_desktop.sync.credentials import get_token

SERVER_SETTING = "operator_url"
LAST_PULL_SETTING = "operator_last_pull"


@dataclass
class SyncReport:
    sent: int = 0
    waiting: int = 0
    failed: int = 0
    answers: int = 0
    calls: int = 0
    problem: str | None = None  # in words, when the round could not finish
    messages: list[str] = field(default_factory=list)
    tried: set[str] = field(default_factory=set)  # submission ids sent (or failed) this round

    @property
    def outbox_empty(self) -> bool:
        return self.waiting == 0 and self.failed == 0


def problem_text(problem: OperatorProblem) -> str:
    return i18n.tr(problem.key, **problem.params)


def server_url(workspace: Workspace, override: str | None = None) -> str:
    url = override or workspace.store.setting(SERVER_SETTING)
    if not url:
        raise UserError("sync.no_server")
    return url.rstrip("/")


def client_for(workspace: Workspace, override: str | None = None) -> OperatorClient:
    from mms_desktop.sync.client import OperatorClient  # requests: loaded on the first round

    url = server_url(workspace, override)
    return OperatorClient(url, get_token(url))


def _due(item: OutboxItem, now: datetime, manual: bool) -> bool:
    if item.state is not OutboxState.QUEUED:
        return False
    if manual or item.next_try_at is None:
        return True
    return datetime.fromisoformat(item.next_try_at) <= now


def _later(item: OutboxItem, problem: OperatorProblem, now: datetime, jitter: float) -> str:
    delay = next_delay(item.attempts, problem.retry_after_s, jitter)
    return (now + timedelta(seconds=delay)).astimezone(UTC).isoformat(timespec="seconds")


def send_outbox(
    workspace: Workspace,
    client: OperatorClient,
    now: datetime,
    manual: bool,
    report: SyncReport,
    jitter: Callable[[], float] = random.random,
) -> None:
    store = workspace.store
    for item in store.outbox((OutboxState.QUEUED,)):
        if not _due(item, now, manual):
            continue
        store.mark_sending(item.submission_id)
        report.tried.add(item.submission_id)
        try:
            _send_attachments(workspace, client, item)
            receipt = client.put_submission(
                item.submission_id, item.document.encode("utf-8"), item.sha256
            )
        except OperatorProblem as problem:
            text = problem_text(problem)
            report.messages.append(text)
            if problem.transient:
                store.mark_retry(item.submission_id, text, _later(item, problem, now, jitter()))
            else:
                store.mark_failed(item.submission_id, text)
            if problem.key in (
                "sync.unreachable",
                "sync.timeout",
                "sync.not_the_operator",
                "sync.unauthorized",
                "sync.no_token",
            ):
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


def pull(workspace: Workspace, client: OperatorClient, report: SyncReport) -> None:
    store = workspace.store
    since = store.setting(LAST_PULL_SETTING)
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
    if newest and newest != since:
        store.set_setting(LAST_PULL_SETTING, newest)
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
    """One round: send what is due, then pull the operator's answers and calls."""
    report = SyncReport()
    store = workspace.store
    store.reset_interrupted()
    client = client_for(workspace, server)
    try:
        client.health()
        send_outbox(workspace, client, now, manual, report)
        pull(workspace, client, report)
    except OperatorProblem as problem:
        report.problem = problem_text(problem)
        if manual:
            # Tell every waiting item why it did not go (those tried already know).
            for item in store.outbox((OutboxState.QUEUED,)):
                if item.submission_id in report.tried:
                    continue
                store.mark_retry(
                    item.submission_id, report.problem, _later(item, problem, now, random.random())
                )
    finally:
        client.close()
    for item in store.outbox((OutboxState.QUEUED, OutboxState.FAILED)):
        if item.state is OutboxState.FAILED:
            report.failed += 1
        else:
            report.waiting += 1
    return report


def outbox_listing(workspace: Workspace) -> list[dict[str, Any]]:
    """What ``outbox --json`` prints."""
    return [
        {
            "submission_id": item.submission_id,
            "kind": item.kind,
            "application_id": item.application_id,
            "report_id": item.report_id,
            "state": item.state.value,
            "attempts": item.attempts,
            "last_error": item.last_error,
            "next_try_at": item.next_try_at,
            "receipt": item.receipt,
        }
        for item in workspace.store.outbox()
    ]
