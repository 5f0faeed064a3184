"""Each migration, tested from the schema before it, with data in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mms_desktop.domain.application import Application, AttachmentRef
from mms_desktop.storage.migrations import LATEST_VERSION, MIGRATIONS
from mms_desktop.storage.store import Store

NOW = "2027-05-20T08:00:00.000+00:00"


def make_store_at(path: Path, version: int) -> None:
    """A store as the program of schema ``version`` left it, with one application."""
    connection = sqlite3.connect(path)
    for number in range(1, version + 1):
        connection.executescript(
            f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    # Only the columns schema 1 already had: what any older program could write.
    with connection:
        connection.execute(
            "INSERT INTO organizations (id, name, legal_form, register_type, created_at,"
            " updated_at) VALUES ('org', 'KGW w Żabnie', 'kgw', 'arimr_kgw', ?, ?)",
            (NOW, NOW),
        )
        connection.execute(
            "INSERT INTO applications (id, organization_id, call_id, title, start_date,"
            " created_at, updated_at) VALUES ('app', 'org', 'mms-2027-p1-przyklad',"
            " 'Źródła smaku', '2027-07-01', ?, ?)",
            (NOW, NOW),
        )
        connection.execute(
            "INSERT INTO actions (id, application_id, position, name) VALUES"
            " ('act', 'app', 0, 'Warsztaty kulinarne')"
        )
        connection.execute(
            "INSERT INTO budget_lines (id, application_id, position, action_id, name, unit_cost,"
            " quantity, \"grant\") VALUES ('line', 'app', 0, 'act', 'Honorarium', '120.00', '24',"
            " '2880.00')"
        )
    connection.close()


def test_every_migration_keeps_the_data_written_before_it(tmp_path: Path):
    for version in range(1, LATEST_VERSION):
        path = tmp_path / f"from-{version}.sqlite3"
        make_store_at(path, version)
        with Store.open(path) as store:
            assert store.schema_version() == LATEST_VERSION
            application = store.load_application("app")
            assert isinstance(application, Application)
            assert application.title == "Źródła smaku"
            assert application.actions[0].name == "Warsztaty kulinarne"
            assert application.budget[0].total == 2880
            assert application.budget[0].action_id == "act"
            assert store.load_organization("org").name == "KGW w Żabnie"
            # What later versions added is there, and empty.
            assert store.outbox() == []
            assert application.attachments == ()
            # …and usable.
            store.update_application(
                "app", attachments=(AttachmentRef("a" * 64, "statut.pdf", 10, "statut"),)
            )
            assert store.load_application("app").attachments[0].name == "statut.pdf"


def test_a_new_store_gets_the_latest_schema(tmp_path: Path):
    with Store.open(tmp_path / "new.sqlite3") as store:
        assert store.schema_version() == LATEST_VERSION == len(MIGRATIONS)


def test_the_outbox_and_the_operators_answers_survive_the_move_to_reports(tmp_path: Path):
    """Schema 4 rebuilds the outbox and answers to carry reports too: nothing queued is lost."""
    path = tmp_path / "from-3.sqlite3"
    make_store_at(path, 3)
    connection = sqlite3.connect(path)
    with connection:
        for number, state in ((1, "sent"), (2, "queued")):
            connection.execute(
                "INSERT INTO submitted_versions (id, application_id, number, document, sha256,"
                " created_at) VALUES (?, 'app', ?, '{}', ?, ?)",
                (f"v{number}", number, str(number) * 64, NOW),
            )
            connection.execute(
                "INSERT INTO outbox (submission_id, application_id, state, attempts, last_error,"
                " created_at, updated_at) VALUES (?, 'app', ?, 2, 'Brak połączenia', ?, ?)",
                (f"v{number}", state, NOW, NOW),
            )
        connection.execute(
            "INSERT INTO operator_status (submission_id, status, comment, updated_at)"
            " VALUES ('v1', 'needs_corrections', 'Popraw harmonogram', ?)",
            (NOW,),
        )
    connection.close()
    with Store.open(path) as store:
        items = {item.submission_id: item for item in store.outbox()}
        assert [(i.state.value, i.kind, i.attempts, i.last_error) for i in items.values()] == [
            ("sent", "application", 2, "Brak połączenia"),
            ("queued", "application", 2, "Brak połączenia"),
        ]
        assert items["v2"].sha256 == "2" * 64
        answer = store.operator_answers()["app"]
        assert (answer.submission_id, answer.comment) == ("v1", "Popraw harmonogram")
        assert store.list_reports() == []
        # The frozen versions are still frozen.
        with pytest.raises(sqlite3.IntegrityError, match="frozen"):
            store._conn.execute("DELETE FROM submitted_versions")
