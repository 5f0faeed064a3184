"""One login per organisation, the call's window, and plain http — through a real operator.

A data folder holds two organisations (the demo's KGW and an OSP), each
registered at the real operator (``mms-operator add-organization`` twice) with
its own token. The desktop is driven through its real command line, with "now"
pinned by MMS_CLOCK. The operator's refusals (a token of another organisation, a call not open or
closed) are the real operator's own, its clock following the same pinned "now".
"""

from __future__ import annotations

import io
import json
import socket
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_sync import (
    ORGANIZATION,
    Operator,
    files_holding,
    outbox,
    running_operator,
)

from mms_desktop.domain.ids import new_id
from mms_desktop.resources import resource_path
from mms_desktop.services.workspace import ENV_CLOCK, Workspace
from mms_desktop.services.workspace import now as clock_now
from mms_desktop.sync import credentials
from mms_operator.store import format_time

KGW = "Koło Gospodyń Wiejskich w Łękawce Górnej"  # the demo's organisation
KGW_NIP = "7821700239"  # the demo's
DEMO_CALL = "mms-2027-p1-przyklad.json"  # the call of the demo's draft
OSP = "Ochotnicza Straż Pożarna w Łękawce"
OSP_IDENTITY = {"nip": "5261040828", "regon": "000331501", "register_number": "0000123456"}
SUBMISSIONS = "/api/v1/submissions/"
BEFORE_OPENING = "2027-05-10T10:00:00+02:00"  # the demo's call opens on 17.05.2027
OPEN = "2027-05-20T10:00:00+02:00"
FOUR_DAYS_BEFORE_DEADLINE = "2027-06-05T10:00:00+02:00"  # deadline 09.06.2027 16:00


def pinned_operator_clock() -> str:
    """The operator's "now" follows the desktop's pinned MMS_CLOCK: one calendar for both."""
    return format_time(clock_now())


@pytest.fixture
def operator(tmp_path: Path) -> Iterator[Operator]:
    yield from running_operator(tmp_path / "operator", pinned_operator_clock)


@pytest.fixture(autouse=True)
def no_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "_session_tokens", {})
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``at(STAMP)`` pins "now" (MMS_CLOCK) from there on."""

    def pin(stamp: str) -> None:
        monkeypatch.setenv(ENV_CLOCK, stamp)

    pin(OPEN)
    return pin


def two_organisations(data_dir: Path, run_cli: Any) -> dict[str, str]:
    """The demo's KGW with its draft, and an OSP with a copy of it: {name: application id}."""
    code, _out, err = run_cli("demo")
    assert code == 0, err
    with Workspace.open(data_dir) as workspace:
        [summary] = [s for s in workspace.store.list_applications() if s.status.value == "draft"]
        document = workspace.document(summary.id)
        osp_id = new_id()
        # Its own identity (the operator may match a document to a token by NIP).
        document["organization"] |= {"id": osp_id, "name": OSP, "short_name": "OSP Łękawka"}
        document["organization"] |= OSP_IDENTITY
        document["application"]["organization_id"] = osp_id
        copy = data_dir.parent / "osp.json"
        copy.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        osp_application = workspace.import_json(copy)
    return {KGW: summary.id, OSP: osp_application.id}


def organisation_ids(data_dir: Path) -> dict[str, str]:
    with Workspace.open(data_dir) as workspace:
        return {item.name: item.id for item in workspace.store.list_organizations()}


def login(run_cli: Any, monkeypatch: pytest.MonkeyPatch, token: str, *args: str) -> Any:
    monkeypatch.setattr(sys, "stdin", io.StringIO(token + "\n"))
    return run_cli("login", *args)


def by_application(run_cli: Any) -> dict[str, dict[str, Any]]:
    return {item["application_id"]: item for item in outbox(run_cli)}


def held_by_organisation(operator: Operator) -> dict[str, str]:
    """What the operator's staff see: submission id → the organisation it arrived under."""
    return {item["id"]: item["organization"] for item in operator.submissions()}


# --- one login per organisation ---------------------------------------------------------


def test_each_organisation_sends_under_its_own_token_and_one_without_a_login_waits(
    operator: Operator,
    data_dir: Path,
    at: Any,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served = operator.serve()
    kgw_token = operator.add_organization(KGW)
    osp_token = operator.add_organization(OSP)
    apps = two_organisations(data_dir, run_cli)
    ids = organisation_ids(data_dir)
    for app_id in apps.values():
        code, _out, err = run_cli("submit", app_id)
        assert code == 0, err

    # Two organisations: a login must say whose token it is, and lists them.
    code, _out, err = login(run_cli, monkeypatch, kgw_token, "--server", served.url)
    assert code == 2
    assert "--organization" in err and KGW in err and OSP in err
    assert ids[KGW] in err and ids[OSP] in err
    code, out, err = login(
        run_cli, monkeypatch, kgw_token, "--server", served.url, "--organization", ids[KGW]
    )
    assert code == 0, err
    assert f"Zalogowano organizację „{KGW}”" in out

    # The KGW's application goes; the OSP's waits, and says so in words.
    code, out, err = run_cli("sync")
    assert code == 1
    waiting_words = (
        f"Organizacja „{OSP}” nie ma jeszcze loginu do operatora – "
        "wpisz adres i token w ustawieniach wysyłki"
    )
    assert waiting_words in err
    assert "Wysłano: 1; czeka: 1" in out
    items = by_application(run_cli)
    assert items[apps[KGW]]["state"] == "sent"
    osp_item = items[apps[OSP]]
    assert (osp_item["state"], osp_item["attempts"], osp_item["organization"]) == (
        "queued",
        0,
        OSP,
    )
    assert waiting_words in osp_item["waiting"]
    assert held_by_organisation(operator) == {items[apps[KGW]]["submission_id"]: KGW}

    # The OSP logs in with its own token: its application arrives under its own name.
    code, _out, err = login(
        run_cli, monkeypatch, osp_token, "--server", served.url, "--organization", ids[OSP]
    )
    assert code == 0, err
    code, out, err = run_cli("sync")
    assert code == 0, err
    items = by_application(run_cli)
    assert [items[app]["state"] for app in apps.values()] == ["sent", "sent"]
    assert items[apps[OSP]]["waiting"] is None
    assert held_by_organisation(operator) == {
        items[apps[KGW]]["submission_id"]: KGW,
        items[apps[OSP]]["submission_id"]: OSP,
    }
    # Each token is kept under its own organisation, and in no file.
    assert credentials.get_token(served.url, ids[KGW]) == kgw_token
    assert credentials.get_token(served.url, ids[OSP]) == osp_token
    assert files_holding(data_dir, kgw_token) == files_holding(data_dir, osp_token) == []


def test_login_names_an_unknown_organisation_and_needs_none_with_one(
    operator: Operator, data_dir: Path, at: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = operator.serve()
    token = operator.add_organization(ORGANIZATION)
    code, _out, err = run_cli("demo")
    assert code == 0, err
    code, _out, err = login(
        run_cli, monkeypatch, token, "--server", served.url, "--organization", "x"
    )
    assert code == 2
    assert "Nie ma organizacji x" in err and KGW in err
    code, out, err = login(run_cli, monkeypatch, token, "--server", served.url)
    assert code == 0, err
    assert f"Zalogowano organizację „{KGW}”" in out
    [organization_id] = organisation_ids(data_dir).values()
    assert credentials.get_token(served.url, organization_id) == token


def test_a_document_refused_for_another_organisations_token_fails_in_words_until_a_new_login(
    operator: Operator,
    data_dir: Path,
    at: Any,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The operator's own check: each login registered with its organisation's NIP."""
    served = operator.serve()
    kgw_token = operator.add_organization(KGW, nip=KGW_NIP)
    osp_token = operator.add_organization(OSP, nip=OSP_IDENTITY["nip"])
    apps = two_organisations(data_dir, run_cli)
    ids = organisation_ids(data_dir)
    code, _out, err = run_cli("submit", apps[OSP])
    assert code == 0, err
    # A volunteer pastes the KGW's token into the OSP's login by mistake.
    code, _out, err = login(
        run_cli, monkeypatch, kgw_token, "--server", served.url, "--organization", ids[OSP]
    )
    assert code == 0, err
    code, _out, err = run_cli("sync")
    assert code == 1
    words = (
        f"Operator odmówił: ten token należy do organizacji „{KGW}”, a wniosek jest "
        f"organizacji „{OSP}”. Zaloguj organizację „{OSP}” jej własnym tokenem."
    )
    assert words in err
    [item] = outbox(run_cli)
    assert (item["state"], item["last_error"]) == ("failed", words)
    assert operator.submissions() == []

    # Retrying cannot help: the next sync does not send it again.
    puts = operator.board.count("PUT", SUBMISSIONS)
    code, _out, _err = run_cli("sync")
    assert code == 1
    assert operator.board.count("PUT", SUBMISSIONS) == puts
    assert outbox(run_cli)[0]["state"] == "failed"

    # A new login with the OSP's own token puts it back in the queue; it then goes.
    code, out, err = login(
        run_cli, monkeypatch, osp_token, "--server", served.url, "--organization", ids[OSP]
    )
    assert code == 0, err
    assert "wróciły do kolejki: 1" in out
    assert outbox(run_cli)[0]["state"] == "queued"
    code, _out, err = run_cli("sync")
    assert code == 0, err
    [item] = outbox(run_cli)
    assert item["state"] == "sent"
    assert held_by_organisation(operator) == {item["submission_id"]: OSP}


# --- the call's window ------------------------------------------------------------------


def test_a_submission_waits_for_the_call_to_open_and_is_warned_about_before_the_deadline(
    operator: Operator,
    data_dir: Path,
    at: Any,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    served = operator.serve()
    token = operator.add_organization(KGW)
    publish_demo_call(operator, tmp_path)  # the operator judges the same window
    at(BEFORE_OPENING)
    code, _out, err = run_cli("demo")
    assert code == 0, err
    [organization_id] = organisation_ids(data_dir).values()
    app_id = next(
        item["id"]
        for item in json.loads(run_cli("list", "--json")[1])["applications"]
        if item["status"] == "draft"
    )

    # validate: complete, but it can go only from the opening day — never "gotowy".
    code, out, err = run_cli("validate", app_id)
    assert code == 0, err
    assert "wysłać dopiero po otwarciu" not in out
    assert "gotowy do wysłania" not in out
    assert "Wniosek jest kompletny; wysłać można od 17.05.2027" in out

    code, _out, err = run_cli("submit", app_id)
    assert code == 0, err
    code, _out, err = login(
        run_cli, monkeypatch, token, "--server", served.url, "--organization", organization_id
    )
    assert code == 0, err

    # Before the opening: logged in, online, a manual sync — and still nothing is sent.
    code, out, err = run_cli("sync")
    assert code == 1
    assert "wyślemy po otwarciu naboru 17.05.2027" in err
    assert "Termin naboru mija" not in err
    [item] = outbox(run_cli)
    assert (item["state"], item["attempts"]) == ("queued", 0)
    assert "wyślemy po otwarciu naboru 17.05.2027" in item["waiting"]
    assert operator.board.count("PUT", SUBMISSIONS) == 0
    assert operator.submissions() == []

    # Four days before the deadline, the operator out of reach: a warning in words.
    port = served.port
    operator.stop()
    at(FOUR_DAYS_BEFORE_DEADLINE)
    code, out, err = run_cli("sync")
    assert code == 1
    assert (
        "Termin naboru mija 09.06.2027 o 16:00, a wniosek „Smaki Łękawki" in err
        and "wciąż czeka na wysłanie – wyślij z miejsca z internetem albo złóż na papierze" in err
    )
    assert outbox(run_cli)[0]["state"] == "queued"

    # Back online: it goes, with the time its version was frozen.
    operator.serve(port)
    code, out, err = run_cli("sync")
    assert code == 0, err
    assert "Termin naboru mija" not in err
    [item] = outbox(run_cli)
    assert item["state"] == "sent"
    frozen_at = operator.store.frozen_at(item["submission_id"])
    assert frozen_at is not None
    with Workspace.open(data_dir) as workspace:
        [version] = workspace.store.versions(app_id)
    stamp = datetime.fromisoformat(frozen_at)
    assert stamp.utcoffset() is not None
    assert stamp == datetime.fromisoformat(version.created_at)


def publish_demo_call(operator: Operator, tmp_path: Path, **changes: str) -> None:
    """The operator publishes its own copy of the demo's call, with ``changes``."""
    definition = json.loads(resource_path("calls", DEMO_CALL).read_text(encoding="utf-8"))
    definition |= changes
    published = tmp_path / "nabor-operatora.json"
    published.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    code, _out, err = operator.cli("publish-call", published)
    assert code == 0, err


def submitted_and_logged_in(
    operator: Operator, data_dir: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The demo's draft submitted, its organisation logged in; the operator's url."""
    served = operator.serve()
    token = operator.add_organization(KGW)
    code, _out, err = run_cli("demo")
    assert code == 0, err
    app_id = next(
        item["id"]
        for item in json.loads(run_cli("list", "--json")[1])["applications"]
        if item["status"] == "draft"
    )
    code, _out, err = run_cli("submit", app_id)
    assert code == 0, err
    code, _out, err = login(run_cli, monkeypatch, token, "--server", served.url)
    assert code == 0, err
    return served.url


def test_the_operators_call_not_open_keeps_it_queued_until_the_moment_it_names(
    operator: Operator, data_dir: Path, at: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch
, tmp_path: Path) -> None:
    # The operator opens its call later than the desktop's copy of the definition says.
    publish_demo_call(operator, tmp_path, opens_at="2027-05-21")
    submitted_and_logged_in(operator, data_dir, run_cli, monkeypatch)
    code, _out, err = run_cli("sync")
    assert code == 1
    assert "wyślemy po otwarciu naboru 21.05.2027" in err
    [item] = outbox(run_cli)
    assert item["state"] == "queued"
    assert "wyślemy po otwarciu naboru 21.05.2027" in item["waiting"]
    assert operator.submissions() == []
    # Even "Wyślij teraz" does not knock again before then.
    puts = operator.board.count("PUT", SUBMISSIONS)
    code, _out, _err = run_cli("sync")
    assert code == 1
    assert operator.board.count("PUT", SUBMISSIONS) == puts

    at("2027-05-21T00:05:00+02:00")
    code, _out, err = run_cli("sync")
    assert code == 0, err
    [item] = outbox(run_cli)
    assert item["state"] == "sent"
    assert [held["id"] for held in operator.submissions()] == [item["submission_id"]]


def test_the_operators_call_closed_fails_the_item_in_words_and_is_not_retried(
    operator: Operator, data_dir: Path, at: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch
, tmp_path: Path) -> None:
    # The operator closed its call earlier than the desktop's copy of the definition says.
    publish_demo_call(operator, tmp_path, deadline="2027-05-19T16:00:00+02:00")
    submitted_and_logged_in(operator, data_dir, run_cli, monkeypatch)
    code, _out, err = run_cli("sync")
    assert code == 1
    words = (
        "Operator nie przyjął: nabór zamknięto 19.05.2027 16:00. "
        "Złóż wniosek na papierze, jeśli regulamin na to pozwala."
    )
    assert words in err
    [item] = outbox(run_cli)
    assert (item["state"], item["last_error"]) == ("failed", words)
    assert operator.submissions() == []
    puts = operator.board.count("PUT", SUBMISSIONS)
    code, _out, _err = run_cli("sync")
    assert operator.board.count("PUT", SUBMISSIONS) == puts
    assert outbox(run_cli)[0]["state"] == "failed"


def test_a_call_that_counts_the_frozen_version_takes_one_frozen_in_time_and_sent_late(
    operator: Operator, data_dir: Path, at: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Frozen (and printed) before the deadline, the internet back only the day after."""
    publish_demo_call(operator, tmp_path, deadline_counts="frozen")
    submitted_and_logged_in(operator, data_dir, run_cli, monkeypatch)
    at("2027-06-10T09:00:00+02:00")  # the deadline was 09.06.2027 16:00
    code, _out, err = run_cli("sync")
    assert code == 0, err
    [item] = outbox(run_cli)
    assert item["state"] == "sent"
    assert [held["id"] for held in operator.submissions()] == [item["submission_id"]]


# --- plain http ---------------------------------------------------------------------------


@pytest.fixture
def far_name(monkeypatch: pytest.MonkeyPatch) -> str:
    """A host name that is not this computer's by its name (DNS: a boundary we cannot run
    here, so this one name resolves to the loopback address the test operator listens on)."""
    name = "operator.gmina.test"
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == name else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return name


def test_plain_http_to_another_computer_is_refused_unless_allowed(
    operator: Operator,
    data_dir: Path,
    at: Any,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    far_name: str,
) -> None:
    served = operator.serve()
    token = operator.add_organization(KGW)
    code, _out, err = run_cli("demo")
    assert code == 0, err
    [organization_id] = organisation_ids(data_dir).values()
    app_id = next(
        item["id"]
        for item in json.loads(run_cli("list", "--json")[1])["applications"]
        if item["status"] == "draft"
    )
    code, _out, err = run_cli("submit", app_id)
    assert code == 0, err
    far = f"http://{far_name}:{served.port}"

    code, _out, err = login(run_cli, monkeypatch, token, "--server", far)
    assert code == 2
    assert f"Adres {far} jest niezaszyfrowany (http://)" in err
    assert "--allow-insecure-http" in err
    assert operator.board.seen == []  # refused before anything (the token least) left
    with Workspace.open(data_dir) as workspace:
        assert workspace.store.operator_logins() == {}

    # A login kept from before (or typed into the store by other means) is no way round it.
    with Workspace.open(data_dir) as workspace:
        workspace.store.set_operator_login(organization_id, far)
    credentials.set_token(far, organization_id, token)
    code, _out, err = run_cli("sync")
    assert code == 1
    assert f"Adres {far} jest niezaszyfrowany" in err
    assert operator.board.seen == []
    assert f"Adres {far} jest niezaszyfrowany" in outbox(run_cli)[0]["waiting"]

    # Explicitly allowed: it works, with a warning.
    code, out, err = login(run_cli, monkeypatch, token, "--server", far, "--allow-insecure-http")
    assert code == 0, err
    assert "token i wnioski idą otwartym tekstem" in out
    code, _out, err = run_cli("sync")
    assert code == 0, err
    assert outbox(run_cli)[0]["state"] == "sent"
    # Loopback needs no permission (every other test here logs in to http://127.0.0.1).
    code, _out, err = login(
        run_cli, monkeypatch, token, "--server", f"http://localhost:{served.port}"
    )
    assert code == 0, err
