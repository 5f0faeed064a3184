"""What a call's deadline judges (``deadline_counts``), and the warning it drives.

The example calls say it; a definition without it means "received"; a wrong
value is refused by both the schema and the loader, naming the field. The
outbox warns before the deadline only for a call whose deadline judges what is
received: a version frozen in time is on time under ``frozen`` whenever it arrives.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mms_desktop.domain.call import CallDefinition, DeadlineCounts
from mms_desktop.domain.document_errors import DocumentError
from mms_desktop.resources import resource_path
from mms_desktop.services import sending
from mms_desktop.services.workspace import ENV_CLOCK, Workspace

FOUR_DAYS_BEFORE = datetime.fromisoformat("2027-06-05T10:00:00+02:00")  # p1: 09.06.2027 16:00


def load(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(
        (resource_path("calls") / name).read_text(encoding="utf-8")
    )
    return loaded


def test_the_example_calls_say_what_their_deadline_judges() -> None:
    counts = {
        name: CallDefinition.from_dict(load(name)).deadline_counts
        for name in ("mms-2027-p1-przyklad.json", "art19a-2027-przyklad.json")
    }
    assert counts == {
        "mms-2027-p1-przyklad.json": DeadlineCounts.RECEIVED,
        "art19a-2027-przyklad.json": DeadlineCounts.FROZEN,
    }
    without = load("mms-2027-p1-przyklad.json")
    del without["deadline_counts"]
    assert CallDefinition.from_dict(without).deadline_counts is DeadlineCounts.RECEIVED


def test_a_wrong_deadline_counts_is_refused_by_schema_and_loader_at_its_field() -> None:
    wrong = load("mms-2027-p1-przyklad.json") | {"deadline_counts": "postmarked"}
    schema = json.loads(resource_path("schemas", "call.schema.json").read_text(encoding="utf-8"))
    [error] = Draft202012Validator(schema).iter_errors(wrong)
    assert list(error.path) == ["deadline_counts"]
    with pytest.raises(DocumentError) as caught:
        CallDefinition.from_dict(wrong)
    assert (caught.value.field, caught.value.reason) == ("deadline_counts", "unknown_value")


def test_the_deadline_warning_is_for_calls_judging_what_is_received(tmp_path: Path) -> None:
    frozen_call = load("mms-2027-p1-przyklad.json") | {
        "id": "mms-2027-p1-zamrozone",
        "name": "Nabór liczący zamrożone wersje",
        "deadline_counts": "frozen",
    }
    call_file = tmp_path / "zamrozone.json"
    call_file.write_text(json.dumps(frozen_call, ensure_ascii=False), encoding="utf-8")
    with Workspace.open(tmp_path / "dane") as workspace:
        ids = workspace.create_demo()
        workspace.calls.import_file(call_file)
        twin = workspace.clone_application(ids.application_id, "mms-2027-p1-zamrozone")
        source = workspace.application(ids.application_id)
        workspace.store.update_application(
            twin.id, confirmed_declarations=source.confirmed_declarations, title="Bliźniak"
        )
        at = datetime.fromisoformat("2027-05-20T10:00:00+02:00")
        workspace.submit(ids.application_id, at)
        workspace.submit(twin.id, at)
        warnings = sending.deadline_warnings(workspace, FOUR_DAYS_BEFORE)
        assert len(warnings) == 1
        assert warnings[0].startswith("Termin naboru mija 09.06.2027 o 16:00, a wniosek „Smaki")
        # Eight days before: no warning yet.
        early = datetime.fromisoformat("2027-06-01T15:00:00+02:00")
        assert sending.deadline_warnings(workspace, early) == []


def test_validate_after_the_deadline_says_so_and_never_ready(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_CLOCK, "2027-06-09T16:01:00+02:00")  # a minute after p1's deadline
    code, _out, err = run_cli("demo")
    assert code == 0, err
    listed = json.loads(run_cli("list", "--json")[1])
    [draft] = [item for item in listed["applications"] if item["status"] == "draft"]
    code, out, _err = run_cli("validate", draft["id"])
    assert code == 1
    assert "Termin naboru minął 09.06.2027" in out
    assert "gotowy" not in out and "kompletny" not in out


def test_the_list_shows_the_newest_version_of_each_call_as_its_definition_says(
    tmp_path: Path,
) -> None:
    """The home list reads only a call's heading; it must say what the whole definition says,
    also after the operator's newer version of a call is imported."""
    with Workspace.open(tmp_path / "dane") as workspace:
        calls = workspace.calls
        for known in calls.all():
            whole = known.definition
            heading = calls.heading(whole.id)
            assert heading is not None
            assert (heading.id, heading.version, heading.name) == (
                whole.id,
                whole.version,
                whole.name,
            )
            assert (heading.opens_at, heading.deadline) == (whole.opens_at, whole.deadline)
        original = load("mms-2027-p1-przyklad.json")
        newer = original | {
            "version": int(str(original["version"])) + 1,
            "name": "Moc Małych Społeczności 2027 – nabór przedłużony",
            "deadline": "2027-06-30T16:00:00+02:00",
        }
        path = tmp_path / "nabor-v2.json"
        path.write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
        calls.import_file(path)
        heading = calls.heading(str(newer["id"]))
        assert heading is not None
        assert heading.name == "Moc Małych Społeczności 2027 – nabór przedłużony"
        assert heading.deadline == datetime.fromisoformat("2027-06-30T16:00:00+02:00")
        assert heading.deadline == calls.get(str(newer["id"])).deadline
        assert calls.heading("nabor-ktorego-nie-ma") is None
