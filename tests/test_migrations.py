"""Each migration, tested from the schema before it, with data in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mms_desktop.services.calls import bundled_calls
from mms_desktop.services.demo import demo_application, demo_organization
from mms_desktop.storage.migrations import LATEST_VERSION, MIGRATIONS
from mms_desktop.storage.store import Store


def make_store_at(path: Path, version: int) -> None:
    connection = sqlite3.connect(path)
    for number in range(1, version + 1):
        connection.executescript(
            f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    connection.close()


def test_every_migration_keeps_the_data_written_before_it(tmp_path: Path):
    call = next(
        known.definition for known in bundled_calls() if known.definition.id.startswith("mms")
    )
    organization = demo_organization()
    application = demo_application(organization.id, call)
    for version in range(1, LATEST_VERSION):
        path = tmp_path / f"from-{version}.sqlite3"
        make_store_at(path, version)
        # Data written by the program at that schema version…
        with Store(sqlite3.connect(path), path) as old:
            old._configure()
            old.add_organization(organization)
            old.add_application(application)
        # …is all there after opening with the current program.
        with Store.open(path) as store:
            assert store.schema_version() == LATEST_VERSION
            assert store.load_application(application.id) == application
            assert store.load_organization(organization.id) == organization
            assert store.outbox() == []  # the tables of later versions exist


def test_a_new_store_gets_the_latest_schema(tmp_path: Path):
    with Store.open(tmp_path / "new.sqlite3") as store:
        assert store.schema_version() == LATEST_VERSION == len(MIGRATIONS)
