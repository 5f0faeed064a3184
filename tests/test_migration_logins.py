"""Schema 5: the single operator address of schema 4 becomes an organisation's own login.

Tested from a real schema-4 file with data: the address goes to the only
organisation, or to the one organisation whose submissions went out under it;
with several candidates nobody gets it (each waits for its own login) and the
address stays only as the settings dialog's suggestion. A token kept by a
schema-4 login under the address alone is found and moved under the
organisation's own key.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_migrations import NOW, make_store_at

from mms_desktop.storage.store import Store
from mms_desktop.sync import credentials

URL = "https://operator.example.pl"


def schema_4_with(path: Path, organisations: int, sent_by: list[str]) -> None:
    """A schema-4 store: ``organisations`` organisations, one submission sent for each named."""
    make_store_at(path, 4)
    connection = sqlite3.connect(path)
    with connection:
        for number in range(2, organisations + 1):
            connection.execute(
                "INSERT INTO organizations (id, name, legal_form, register_type, created_at,"
                " updated_at) VALUES (?, ?, 'association', 'krs', ?, ?)",
                (f"org{number}", f"Stowarzyszenie nr {number}", NOW, NOW),
            )
            connection.execute(
                "INSERT INTO applications (id, organization_id, call_id, created_at, updated_at)"
                " VALUES (?, ?, 'mms-2027-p1-przyklad', ?, ?)",
                (f"app{number}", f"org{number}", NOW, NOW),
            )
        for number, organization in enumerate(sent_by, start=1):
            application = "app" if organization == "org" else f"app{organization[3:]}"
            connection.execute(
                "INSERT INTO submitted_versions (id, application_id, number, document, sha256,"
                " created_at) VALUES (?, ?, ?, '{}', ?, ?)",
                (f"v{number}", application, number, str(number) * 64, NOW),
            )
            connection.execute(
                "INSERT INTO outbox (submission_id, application_id, state, created_at,"
                " updated_at) VALUES (?, ?, 'sent', ?, ?)",
                (f"v{number}", application, NOW, NOW),
            )
        connection.execute("INSERT INTO settings VALUES ('operator_url', ?)", (URL,))
        connection.execute("INSERT INTO settings VALUES ('operator_last_pull', ?)", (NOW,))
    connection.close()


def test_the_only_organisation_keeps_the_address_and_the_last_pull(tmp_path: Path) -> None:
    path = tmp_path / "one.sqlite3"
    schema_4_with(path, organisations=1, sent_by=[])
    with Store.open(path) as store:
        [login] = store.operator_logins().values()
        assert (login.organization_id, login.server_url, login.legacy_token) == ("org", URL, True)
        assert login.last_pull == NOW
        assert store.setting("operator_last_pull") is None
        assert store.setting("operator_url") == URL  # the dialog's suggestion


def test_the_organisation_whose_submissions_went_out_gets_the_address(tmp_path: Path) -> None:
    path = tmp_path / "sent.sqlite3"
    schema_4_with(path, organisations=3, sent_by=["org2", "org2"])
    with Store.open(path) as store:
        assert list(store.operator_logins()) == ["org2"]
        # The other organisations wait for their own login; their items say so.
        assert store.operator_login("org") is None
        assert [item.organization_id for item in store.outbox()] == ["org2", "org2"]


def test_with_several_candidates_nobody_gets_the_address(tmp_path: Path) -> None:
    path = tmp_path / "several.sqlite3"
    schema_4_with(path, organisations=2, sent_by=["org", "org2"])
    with Store.open(path) as store:
        assert store.operator_logins() == {}
        assert store.setting("operator_url") == URL
    path = tmp_path / "none-sent.sqlite3"
    schema_4_with(path, organisations=2, sent_by=[])
    with Store.open(path) as store:
        assert store.operator_logins() == {}


class MemoryKeyring:
    """The system keyring (Windows Credential Manager, Secret Service): a boundary this
    machine has none of, kept in memory with keyring's own interface."""

    priority = 1

    def __init__(self) -> None:
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.passwords.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.passwords[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        del self.passwords[(service, user)]

    def get_keyring(self) -> MemoryKeyring:
        return self


def test_a_token_kept_under_the_address_alone_moves_to_its_organisation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory = MemoryKeyring()
    monkeypatch.setattr(credentials, "_keyring", lambda: memory)
    monkeypatch.setattr(credentials, "_session_tokens", {})
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
    memory.passwords[("mms-desktop", URL)] = "stary-token"

    # Only the organisation the migration gave the address to may take it.
    assert credentials.get_token(URL, "org2") is None
    assert credentials.get_token(URL, "org", legacy=True) == "stary-token"
    assert memory.passwords == {("mms-desktop", f"org@{URL}"): "stary-token"}
    assert credentials.get_token(URL, "org") == "stary-token"
