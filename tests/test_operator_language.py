"""The operator's command line speaks Polish by default and English with ``--language en``.

Run as the operator's staff run it: ``python -m mms_operator`` in a process of
its own, on a real data folder. Its messages (and its stores' errors) come from
the catalog, ``resources/i18n/{pl,en}/operator.json``.
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from operator_support import run_operator_cli

import mms_operator
from mms_desktop import i18n
from mms_desktop.resources import resource_path

POLISH_LETTERS = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


def operator(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("MMS_OPERATOR_DATABASE", None)
    return subprocess.run(
        [sys.executable, "-m", "mms_operator", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_the_operator_speaks_english_when_asked_and_polish_by_default(tmp_path: Path):
    data = tmp_path / "operator"
    not_a_backup = tmp_path / "notatki.tar"
    not_a_backup.write_text("to nie jest kopia", encoding="utf-8")

    english = [
        operator(data, "--language", "en", "add-organization", "Green Valley Club", "--nip", "1"),
        operator(data, "--language", "en", "add-organization", "Green Valley Club"),
        operator(data, "--language", "en", "submissions"),
        operator(tmp_path / "empty", "--language", "en", "restore", str(not_a_backup)),
        operator(data, "--language", "en", "--help"),
    ]
    bad_nip, added, listing, restore, helped = english
    assert bad_nip.returncode == 2
    assert bad_nip.stderr == (
        "'1' is not a valid NIP (10 digits with a correct check digit, e.g. 123-456-32-18).\n"
    )
    assert added.returncode == 0
    assert added.stdout.startswith("Added the organisation Green Valley Club (no. 1).\n")
    assert "Access token (shown only once" in added.stdout
    assert listing.stdout == "No submissions received yet.\n"
    assert restore.returncode == 3
    assert restore.stderr == f"{not_a_backup} is not an mms-operator backup.\n"
    assert "run the server (Ctrl+C stops it)" in helped.stdout
    assert "language of the messages: pl (default) or en" in helped.stdout
    for done in english:
        assert not POLISH_LETTERS.search(done.stdout + done.stderr), done.args

    polish = operator(data, "add-organization", "Koło Gospodyń Wiejskich w Łękawce")
    assert polish.returncode == 0
    assert polish.stdout.startswith(
        "Dodano organizację Koło Gospodyń Wiejskich w Łękawce (nr 2).\n"
        "Bez NIP-u: token przypisze się do organizacji"
    )
    assert operator(data, "--language", "pl", "submissions").stdout == (
        "Nie przyjęto jeszcze żadnych zgłoszeń.\n"
    )


def test_an_unknown_language_is_refused_in_words(tmp_path: Path):
    done = operator(tmp_path, "--language", "de", "submissions")
    assert done.returncode == 2
    assert "--language" in done.stderr and "'de'" in done.stderr


def test_the_language_is_the_runs_own(tmp_path: Path):
    """In one process (tests, scripts) an English run leaves the caller's language as it was."""
    code, out, _ = run_operator_cli("--data-dir", tmp_path, "--language", "en", "submissions")
    assert (code, out) == (0, "No submissions received yet.\n")
    assert i18n.language() == "pl"
    assert i18n.tr("operator.no_submissions") == "Nie przyjęto jeszcze żadnych zgłoszeń."


def _catalog(language: str) -> dict[str, str]:
    path = resource_path("i18n", language) / "operator.json"
    catalog: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return catalog


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_hold_every_message_the_operator_uses():
    polish, english = _catalog("pl"), _catalog("en")
    assert polish.keys() == english.keys()
    for key, text in polish.items():
        assert _fields(english[key]) == _fields(text), key
    used = set()
    for path in Path(mms_operator.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # Whole keys only: "operator.kind." starts one built at run time.
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"operator\.[a-z_.]*[a-z_]", node.value)
            ):
                used.add(node.value)
    assert len(used) > 80
    assert sorted(used - polish.keys()) == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_kind_words_are_in_the_catalog(language: str):
    # Built from the submission's kind at run time, so named here.
    assert {"operator.kind.application", "operator.kind.report"} <= _catalog(language).keys()


def test_the_servers_answers_and_panel_speak_its_language(tmp_path: Path):
    """``--language en serve``: the protocol's error messages and the panel in English."""
    import requests

    added = operator(tmp_path, "add-organization", "KGW w Łękawce")
    token = added.stdout.strip().splitlines()[-1]
    from tests.wine import start_process

    process = start_process(
        [
            sys.executable,
            "-m",
            "mms_operator",
            "--language",
            "en",
            "--data-dir",
            str(tmp_path),
            "serve",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stdout is not None
        found = re.search(r"(http://127\.0\.0\.1:\d+)/api/v1/health", process.stdout.readline())
        assert found is not None
        url = found.group(1)
        refused = requests.get(f"{url}/api/v1/submissions", timeout=10).json()["error"]
        assert refused["message"] == (
            "The organisation's access token is missing or wrong (header Authorization: Bearer …)."
        )
        broken = b'{"schema": "mms-application",}'
        refused_document = requests.put(
            f"{url}/api/v1/submissions/0f8fad5b-d9cb-469f-a165-70867728950e",
            data=broken,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "X-Content-SHA256": hashlib.sha256(broken).hexdigest(),
            },
            timeout=10,
        ).json()["error"]
        assert refused_document["message"] == (
            "The document is not a valid JSON file (line 1, column 30)."
        )
        unknown = requests.get(f"{url}/api/v1/nothing", timeout=10).json()["error"]
        assert unknown["message"] == "There is no such address in the operator's protocol."
        login = html.unescape(requests.get(f"{url}/panel/login", timeout=10).text)
        assert "Sign in to the operator's panel" in login and not POLISH_LETTERS.search(
            login.replace("Polski", "")
        )
    finally:
        process.terminate()
        process.wait(timeout=15)
        assert process.stdout is not None
        process.stdout.close()
