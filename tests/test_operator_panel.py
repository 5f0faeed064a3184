"""The staff's panel over real HTTP on a real operator server, on SQLite and on a real
PostgreSQL server (the ``serve`` fixture): signing in, the safeguards around it, and
what a reviewer does with a call's submissions. The browser itself is driven in
test_operator_browser.py; here requests is the browser, reading the HTML served."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from test_operator import Live, application_bytes, auth, put_document

from mms_desktop.core.calls import bundled_call_documents
from mms_desktop.domain.canonical import control_sum, encode, sha256_hex
from mms_operator.store import format_time
from tests.pdf_readback import pdf_text

CALL = "mms-2027-p1-przyklad"
ADMIN = "koordynatorka@operator.example.pl"
REVIEWER = "oceniajacy@operator.example.pl"
PASSWORD = "mocne hasło panelu 2027"


def _csrf(text: str) -> str:
    """The page's CSRF token (before sign-in the language form has none: the form's own)."""
    found = [value for value in re.findall(r'name="csrf_token" value="([^"]*)"', text) if value]
    return found[0] if found else ""


def page_text(response: requests.Response) -> str:
    """The page as words, tags stripped (what a person reads)."""
    without = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without)).split())


class Panel:
    """One browser: its cookies, and the CSRF token of the last page it was shown."""

    def __init__(self, live: Live) -> None:
        self.live = live
        self.http = requests.Session()
        self.csrf = ""

    def url(self, path: str) -> str:
        return f"{self.live.url}/panel{path}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        response = self.http.get(self.url(path), timeout=30, **kwargs)
        if 'name="csrf_token"' in response.text:
            self.csrf = _csrf(response.text)
        return response

    def post(self, path: str, data: dict[str, str], **kwargs: Any) -> requests.Response:
        response = self.http.post(
            self.url(path), data={"csrf_token": self.csrf, **data}, timeout=30, **kwargs
        )
        if 'name="csrf_token"' in response.text:
            self.csrf = _csrf(response.text)
        return response

    def sign_in(self, email: str, password: str) -> requests.Response:
        self.get("/login")
        return self.post("/login", {"email": email, "password": password})


def add_staff(live: Live, email: str, role: str) -> str:
    """``mms-operator add-staff``: the one-time password it prints."""
    code, out, err = live.cli("add-staff", email, "--role", role)
    assert code == 0, err
    return out.strip().splitlines()[-1]


def signed_in(live: Live, email: str = ADMIN, role: str = "admin") -> Panel:
    """A staff member past the first sign-in (one-time password changed)."""
    once = add_staff(live, email, role)
    panel = Panel(live)
    assert panel.sign_in(email, once).url.endswith("/panel/password")
    changed = panel.post("/password", {"current": once, "new": PASSWORD, "repeat": PASSWORD})
    assert changed.url.endswith("/panel/"), page_text(changed)
    return panel


def application_of(
    title: str,
    *,
    name: str = "Koło Gospodyń Wiejskich w Łękawce Górnej",
    gmina: str = "Łękawka",
    powiat: str = "suski",
    application_id: str | None = None,
    grant_line: str | None = None,
) -> bytes:
    """The demo application of one organisation, retitled, placed, or with its first
    budget line's grant changed (a corrected version keeps its application id)."""
    document = json.loads(application_bytes(title))
    document["organization"].update(name=name, gmina=gmina, powiat=powiat)
    if application_id is not None:
        document["application"]["id"] = application_id
    if grant_line is not None:
        document["application"]["budget"][0]["grant"] = grant_line
    return encode(document)


def send(live: Live, token: str, data: bytes) -> str:
    submission_id = str(uuid.uuid4())
    answer = put_document(live, token, data, submission_id=submission_id)
    assert answer.status_code == 201, answer.text
    return submission_id


# --- signing in -----------------------------------------------------------------------


def test_a_new_account_signs_in_once_changes_its_password_and_a_wrong_one_is_logged(
    serve: Any,
) -> None:
    live: Live = serve()
    once = add_staff(live, ADMIN, "admin")
    assert len(once) >= 16
    code, _, err = live.cli("add-staff", ADMIN.upper(), "--role", "reviewer")
    assert code == 2 and ADMIN in err  # one account per address, whatever its case
    panel = Panel(live)
    assert panel.get("/").url.endswith("/panel/login?next=/panel/")

    wrong = panel.sign_in(ADMIN, "nie to hasło")
    assert wrong.status_code == 401
    assert "Nieprawidłowy adres e-mail albo hasło." in page_text(wrong)
    first = panel.sign_in(ADMIN, once)
    assert first.url.endswith("/panel/password")  # nothing else until it is changed
    assert panel.get("/audit").url.endswith("/panel/password")
    short = panel.post("/password", {"current": once, "new": "krótkie", "repeat": "krótkie"})
    assert short.status_code == 400 and "co najmniej 12 znaków" in page_text(short)
    done = panel.post("/password", {"current": once, "new": PASSWORD, "repeat": PASSWORD})
    assert done.url.endswith("/panel/")

    again = Panel(live)
    assert again.sign_in(ADMIN, once).status_code == 401  # the one-time password is gone
    assert again.sign_in(ADMIN, PASSWORD).url.endswith("/panel/")

    # Forgotten: a new one-time password, and the browsers signed in are signed out.
    code, out, err = live.cli("reset-password", ADMIN)
    assert code == 0, err
    fresh = out.strip().splitlines()[-1]
    assert again.get("/").url.endswith("/panel/login?next=/panel/")
    assert Panel(live).sign_in(ADMIN, PASSWORD).status_code == 401
    assert Panel(live).sign_in(ADMIN, fresh).url.endswith("/panel/password")
    assert live.cli("reset-password", "nikt@operator.example.pl")[0] == 1
    assert again.sign_in(ADMIN, fresh).url.endswith("/panel/password")
    again.post("/password", {"current": fresh, "new": PASSWORD, "repeat": PASSWORD})
    audit = page_text(again.get("/audit"))
    assert "nieudane logowanie do panelu" in audit and "127.0.0.1" in audit
    assert f"staff:{ADMIN}" in audit


def test_forms_without_the_sessions_token_change_nothing(serve: Any) -> None:
    live: Live = serve()
    token = live.add_organization("KGW w Łękawce")
    submission_id = send(live, token, application_of("Warsztaty"))
    panel = signed_in(live)
    forged = panel.http.post(
        panel.url(f"/submissions/{submission_id}/status"),
        data={"status": "rejected", "comment": "z obcej strony", "csrf_token": "zgadnięty"},
        timeout=30,
    )
    assert forged.status_code == 403
    assert "Formularz wygasł" in page_text(forged)
    assert live.store.submission(submission_id).status.value == "received"  # type: ignore[union-attr]

    # The sign-in form's own token: a form posted from elsewhere has no cookie to match.
    stranger = requests.post(
        panel.url("/login"),
        data={"email": ADMIN, "password": PASSWORD, "csrf_token": "x"},
        timeout=30,
    )
    assert stranger.status_code == 403


def test_sign_ins_are_throttled_per_account_and_the_address_is_logged(serve: Any) -> None:
    live: Live = serve()
    panel = signed_in(live)
    attacker = Panel(live)
    for _ in range(5):
        assert attacker.sign_in(ADMIN, "zgaduję").status_code == 401
    blocked = attacker.sign_in(ADMIN, PASSWORD)  # even the right password, for now
    assert blocked.status_code == 429
    assert "Spróbuj ponownie za 15 minut" in page_text(blocked)
    audit = page_text(panel.get("/audit"))
    assert audit.count("nieudane logowanie do panelu") == 5
    assert "logowanie zablokowane" in audit


def test_a_session_ends_after_half_an_hour_idle_and_on_sign_out(serve: Any) -> None:
    live: Live = serve()
    panel = signed_in(live)
    assert panel.get("/").status_code == 200
    cookie = panel.http.cookies.get("mms_panel", path="/panel")
    assert cookie
    from mms_operator.tokens import token_hash

    # The browser was left open over lunch: its last use 31 minutes ago.
    live.store.touch_session(
        token_hash(cookie), format_time(datetime.now(UTC) - timedelta(minutes=31))
    )
    assert panel.get("/").url.endswith("/panel/login?next=/panel/")

    again = Panel(live)
    again.sign_in(ADMIN, PASSWORD)
    assert again.get("/").status_code == 200
    assert again.post("/logout", {}).url.endswith("/panel/login")
    assert again.get("/").url.endswith("/panel/login?next=/panel/")


def test_a_reviewer_may_not_publish_calls_or_touch_tokens(serve: Any) -> None:
    live: Live = serve()
    reviewer = signed_in(live, REVIEWER, "reviewer")
    for path in ("/organizations", "/publish"):
        refused = reviewer.get(path)
        assert refused.status_code == 403
        assert "tylko administrator" in page_text(refused)
    assert "Organizacje i tokeny" not in page_text(reviewer.get("/"))


# --- a call's submissions -------------------------------------------------------------


def test_the_list_filters_searches_sorts_and_pages(serve: Any) -> None:
    live: Live = serve()
    tokens = [live.add_organization(f"Organizacja {n}") for n in range(3)]
    places = [("Łękawka", "suski"), ("Stryszawa", "suski"), ("Zembrzyce", "wadowicki")]
    for n in range(55):
        gmina, powiat = places[n % 3]
        send(
            live,
            tokens[n % 3],
            application_of(
                f"Projekt nr {n:02d}" + (" ŻÓŁTY KOŁACZ" if n == 7 else ""),
                name=f"KGW {gmina}",
                gmina=gmina,
                powiat=powiat,
                application_id=str(uuid.uuid4()),
            ),
        )
    panel = signed_in(live, REVIEWER, "reviewer")
    first = page_text(panel.get(f"/calls/{CALL}/submissions"))
    assert "Znaleziono: 55" in first and "strona 1 z 2" in first
    assert "Projekt nr 54" in first and "Projekt nr 04" not in first  # newest first
    second = page_text(panel.get(f"/calls/{CALL}/submissions", params={"page": "2"}))
    assert "Projekt nr 04" in second and "Projekt nr 54" not in second

    wadowicki = page_text(panel.get(f"/calls/{CALL}/submissions", params={"powiat": "wadowicki"}))
    assert "Znaleziono: 18" in wadowicki
    gmina = page_text(panel.get(f"/calls/{CALL}/submissions", params={"gmina": "Stryszawa"}))
    assert "Znaleziono: 18" in gmina and "gm. Łękawka" not in gmina
    # Search ignores case, Polish letters too (SQLite's lower() would not).
    found = page_text(panel.get(f"/calls/{CALL}/submissions", params={"q": "żółty kołacz"}))
    assert "Znaleziono: 1" in found and "Projekt nr 07" in found
    literal = page_text(panel.get(f"/calls/{CALL}/submissions", params={"q": "100%"}))
    assert "Znaleziono: 0" in literal  # a % typed is a %, not "anything"

    oldest = page_text(
        panel.get(f"/calls/{CALL}/submissions", params={"sort": "server_id", "order": "asc"})
    )
    assert oldest.index("W-000001") < oldest.index("W-000002")
    none = page_text(panel.get(f"/calls/{CALL}/submissions", params={"status": "accepted"}))
    assert "Znaleziono: 0" in none and "Brak zgłoszeń." in none
    today = format_time(datetime.now(UTC))[:10]
    dated = page_text(panel.get(f"/calls/{CALL}/submissions", params={"from": today}))
    assert "Znaleziono: 55" in dated
    before = page_text(panel.get(f"/calls/{CALL}/submissions", params={"to": "2020-01-01"}))
    assert "Znaleziono: 0" in before


def test_a_submission_shows_its_printout_sum_versions_and_paper_check(
    serve: Any, tmp_path: Path
) -> None:
    live: Live = serve()
    token = live.add_organization("KGW w Łękawce")
    application_id = str(uuid.uuid4())
    first = application_of("Smaki Łękawki", application_id=application_id)
    corrected = application_of(
        "Smaki Łękawki – poprawiony", application_id=application_id, grant_line="2400.00"
    )
    send(live, token, first)
    newer = send(live, token, corrected)
    panel = signed_in(live, REVIEWER, "reviewer")
    listed = page_text(panel.get(f"/calls/{CALL}/submissions"))
    assert "Znaleziono: 1" in listed and "Smaki Łękawki – poprawiony" in listed
    every = page_text(panel.get(f"/calls/{CALL}/submissions", params={"versions": "all"}))
    assert "Znaleziono: 2" in every
    assert live.store.call_figures(CALL).applications == 1  # counted once, its newest version

    shown = panel.get(f"/submissions/{newer}")
    words = page_text(shown)
    assert control_sum(sha256_hex(corrected)) in words
    assert "W-000001" in words and "W-000002" in words  # both versions listed
    assert "Zmiany między W-000001 a W-000002" in words
    assert "application.title Smaki Łękawki Smaki Łękawki – poprawiony" in words
    assert "Honorarium prowadzącej warsztaty kulinarne" in words  # the budget line changed
    assert "2880.00" in words and "2400.00" in words

    pdf = panel.get(f"/submissions/{newer}/printout.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    path = tmp_path / "wydruk.pdf"
    path.write_bytes(pdf.content)
    printed = " ".join(pdf_text(path).split())
    assert control_sum(sha256_hex(corrected)) in printed  # the volunteer's printout's sum
    assert "Smaki Łękawki – poprawiony" in printed

    good = panel.post(
        f"/submissions/{newer}/paper",
        {"control_sum": control_sum(sha256_hex(corrected)).lower().replace("-", " ")},
    )
    assert "Zgodna: papier to ta sama wersja" in page_text(good)
    old_paper = panel.post(
        f"/submissions/{newer}/paper", {"control_sum": control_sum(sha256_hex(first))}
    )
    assert "Niezgodna" in page_text(old_paper)
    assert "sprawdzenie wersji papierowej" in page_text(panel.get(f"/submissions/{newer}"))


def test_needs_corrections_with_a_comment_reaches_the_organisations_sync(serve: Any) -> None:
    live: Live = serve()
    token = live.add_organization("KGW w Łękawce")
    submission_id = send(live, token, application_of("Warsztaty"))
    panel = signed_in(live, REVIEWER, "reviewer")
    panel.get(f"/submissions/{submission_id}")
    bare = panel.post(f"/submissions/{submission_id}/status", {"status": "needs_corrections"})
    assert bare.status_code == 400 and "Napisz organizacji" in page_text(bare)
    comment = "Proszę uzupełnić harmonogram działań 3 i 4."
    saved = panel.post(
        f"/submissions/{submission_id}/status",
        {"status": "needs_corrections", "comment": comment},
    )
    assert "Status zapisany" in page_text(saved)
    synced = requests.get(live.api("/submissions"), headers=auth(token), timeout=10).json()
    entry = synced["submissions"][0]
    assert (entry["status"], entry["comment"]) == ("needs_corrections", comment)
    history = page_text(panel.get("/audit"))
    assert f"staff:{REVIEWER}" in history and f"needs_corrections: {comment}" in history


def test_exports_hold_one_row_per_application_as_text_and_numbers(serve: Any) -> None:
    live: Live = serve()
    token = live.add_organization("KGW w Łękawce")
    formula = '=HYPERLINK("http://zly.example","kliknij")'
    send(live, token, application_of(formula))
    send(live, token, application_of("Drugi projekt", application_id=str(uuid.uuid4())))
    panel = signed_in(live, REVIEWER, "reviewer")

    from openpyxl import load_workbook

    answer = panel.get(f"/calls/{CALL}/export.xlsx")
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="mms-2027')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Numer",
        "Organizacja",
        "NIP",
        "Tytuł",
        "Dotacja",
        "Wkład własny",
        "Status",
        "Wpłynęło",
    )
    assert len(rows) == 3
    by_title = {row[3]: row for row in rows[1:]}
    assert by_title[formula][4] == Decimal("29620") or by_title[formula][4] == 29620
    assert by_title[formula][5] == 6695
    assert by_title[formula][2] == "7821700239" and by_title[formula][6] == "wpłynęło"
    assert sheet.cell(2, 4).data_type == "s"  # a title never runs as a formula

    text = panel.get(f"/calls/{CALL}/export.csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(lines) == 3 and lines[0][:3] == ["Numer", "Organizacja", "NIP"]
    assert {line[3] for line in lines[1:]} == {"'" + formula, "Drugi projekt"}  # never a formula
    assert all(line[4:6] == ["29620,00", "6695,00"] for line in lines[1:])


def test_the_dashboard_counts_by_status_and_powiat_against_the_funds(serve: Any) -> None:
    live: Live = serve()
    token = live.add_organization("KGW w Łękawce")
    ids = [
        send(live, token, application_of(f"P{n}", powiat=p, application_id=str(uuid.uuid4())))
        for n, p in enumerate(["suski", "suski", "wadowicki"])
    ]
    panel = signed_in(live)
    panel.get(f"/submissions/{ids[0]}")
    panel.post(f"/submissions/{ids[0]}/status", {"status": "accepted", "comment": ""})
    panel.get(f"/calls/{CALL}")
    bad = panel.post(f"/calls/{CALL}/funds", {"available": "dużo"})
    assert bad.status_code == 400 and "Pulę wpisz jako kwotę" in page_text(bad)
    board = page_text(panel.post(f"/calls/{CALL}/funds", {"available": "177 720,00"}))
    assert "Wnioskowano 88 860,00 zł z dostępnych 177 720,00 zł." in board
    assert "To 50.0 % dostępnej puli." in board or "To 50,0 % dostępnej puli." in board
    assert "suski 2 59 240,00 zł" in board and "wadowicki 1 29 620,00 zł" in board
    assert "przyjęte do dofinansowania 1 29 620,00 zł" in board


def test_a_call_is_shown_before_it_is_published_and_a_broken_one_never_is(serve: Any) -> None:
    live: Live = serve()
    panel = signed_in(live)
    definition = next(d for d in bundled_call_documents() if d["id"] == CALL)
    definition = {**definition, "version": 7, "name": "Nabór jesienny 2027"}
    data = json.dumps(definition, ensure_ascii=False).encode()
    panel.get("/publish")
    preview = panel.post("/publish", {}, files={"definition": ("nabor.json", data)})
    assert "Podgląd przed publikacją" in page_text(preview)
    assert "Nabór jesienny 2027" in page_text(preview)
    assert live.store.call_version(CALL, 7) is None  # not live yet
    confirmed = panel.post(
        "/publish",
        {
            "confirmed_definition": html.unescape(
                re.search(r'name="confirmed_definition" value="([^"]*)"', preview.text).group(1)  # type: ignore[union-attr]
            )
        },
    )
    assert confirmed.url.endswith(f"/panel/calls/{CALL}")
    assert live.store.call_version(CALL, 7).definition == definition  # type: ignore[union-attr]
    assert "publikacja naboru" in page_text(panel.get("/audit"))

    broken = {**definition, "version": 8, "deadline": "jutro"}
    panel.get("/publish")
    refused = panel.post(
        "/publish", {}, files={"definition": ("zly.json", json.dumps(broken).encode())}
    )
    assert refused.status_code == 400 and "deadline" in page_text(refused)
    assert live.store.call_version(CALL, 8) is None


def test_a_leaked_token_is_rotated_or_revoked_in_the_panel_and_from_the_command_line(
    serve: Any,
) -> None:
    live: Live = serve()
    code, out, _ = live.cli("add-organization", "KGW w Łękawce", "--nip", "782-170-02-39")
    assert code == 0
    old = out.strip().splitlines()[-1]
    panel = signed_in(live)
    panel.get("/organizations")
    rotated = panel.post("/organizations/1/token", {"action": "rotate"})
    new = re.search(r'id="new-token">([^<]+)<', rotated.text).group(1)  # type: ignore[union-attr]
    assert "serwer nie pokaże go ponownie" in page_text(rotated)
    assert new not in panel.get("/organizations").text  # shown once only
    health = live.api("/submissions")
    assert requests.get(health, headers=auth(old), timeout=10).status_code == 401
    assert requests.get(health, headers=auth(new), timeout=10).status_code == 200

    panel.post("/organizations/1/token", {"action": "revoke"})
    assert requests.get(health, headers=auth(new), timeout=10).status_code == 401
    assert "unieważniony" in page_text(panel.get("/organizations"))

    code, out, err = live.cli("rotate-token", "7821700239")  # by its NIP
    assert code == 0, err
    newest = out.strip().splitlines()[-1]
    assert requests.get(health, headers=auth(newest), timeout=10).status_code == 200
    assert live.cli("revoke-token", "99")[0] == 1
    audit = page_text(panel.get("/audit"))
    assert audit.count("nowy token organizacji") == 2 and "unieważnienie tokenu" in audit
    assert "nieudane logowanie aplikacji (token)" in audit


def test_the_panel_speaks_english_when_asked(serve: Any) -> None:
    live: Live = serve()
    panel = signed_in(live, REVIEWER, "reviewer")
    english = panel.post("/language", {"language": "en", "next": "/panel/"})
    words = page_text(english)
    assert "Calls" in words and "Sign out" in words and "Nabory" not in words
    assert '<html lang="en">' in english.text


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_older_store_gets_the_panels_columns_from_its_documents(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Version 2 kept no call, powiat or amounts: the migration reads them from each document."""
    document = application_of("Sprzed aktualizacji", powiat="suski")
    values = (
        1,
        str(uuid.uuid4()),
        "W-000001",
        1,
        "application",
        "Sprzed aktualizacji",
        document,
        sha256_hex(document),
        "2027-05-20T08:00:00.000000Z",
        "received",
        None,
        "2027-05-20T08:00:00.000000Z",
        None,
        None,
    )
    if kind == "sqlite":
        import sqlite3

        from mms_operator import sqlite_store

        conn = sqlite3.connect(tmp_path / sqlite_store.DB_FILE)
        for statement in sqlite_store._split(sqlite_store._SCHEMA_V1 + sqlite_store._SCHEMA_V2):
            conn.execute(statement)
        conn.execute("INSERT INTO organizations VALUES (1, 'KGW', 'x', '2027', NULL, NULL)")
        conn.execute(f"INSERT INTO submissions VALUES ({', '.join('?' * 14)})", values)
        conn.execute("PRAGMA user_version = 2")
        conn.commit()
        conn.close()
        store: Any = sqlite_store.SqliteOperatorStore(tmp_path)
    else:
        import psycopg

        from mms_operator import postgres_store

        url = request.getfixturevalue("postgres_server").new_database()
        with psycopg.connect(url) as pg:
            pg.execute(postgres_store._SCHEMA_V1)
            pg.execute(postgres_store._SCHEMA_V2)
            pg.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            pg.execute("INSERT INTO schema_version VALUES (2)")
            pg.execute("INSERT INTO organizations VALUES (1, 'KGW', 'x', '2027', NULL, NULL)")
            pg.execute(f"INSERT INTO submissions VALUES ({', '.join(['%s'] * 14)})", values)
        store = postgres_store.PostgresOperatorStore(url, tmp_path)
    try:
        (migrated,) = store.submissions()
        assert migrated.summary.call_id == CALL
        assert migrated.summary.powiat == "suski"
        assert migrated.summary.grant_grosze == 2_962_000
        assert migrated.summary.own_grosze == 669_500
        figures = store.call_figures(CALL)
        assert figures.applications == 1 and figures.by_powiat == [("suski", 1, 2_962_000)]
    finally:
        store.close()


def test_both_catalogs_hold_every_word_of_the_panel() -> None:
    """Every key the panel's code and pages name, and each family built at run time
    (statuses, roles, actions, budget columns, export columns), in Polish and English
    with the same fields."""
    import ast
    import string

    from mms_desktop.resources import resource_path
    from mms_operator import panel
    from mms_operator.store import Role, Status

    catalogs = {
        language: json.loads(
            resource_path("i18n", language, "operator_panel.json").read_text(encoding="utf-8")
        )
        for language in ("pl", "en")
    }
    assert catalogs["pl"].keys() == catalogs["en"].keys()

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, text in catalogs["pl"].items():
        assert fields(catalogs["en"][key]) == fields(text), key
    folder = Path(panel.__file__).parent
    sources = [Path(panel.__file__), *sorted((folder / "templates" / "panel").glob("*.html"))]
    used = {
        key
        for path in sources
        for key in re.findall(
            r"""\btr?\(\s*["'](panel\.[a-z_.]*[a-z_])["']""", path.read_text("utf-8")
        )
    }
    used |= {f"panel.status.{status.value}" for status in Status}
    used |= {f"panel.role.{role.value}" for role in Role}
    used |= {f"panel.budget.{column}" for column in panel.BUDGET_COLUMNS}
    used |= {f"panel.language.{language}" for language in ("pl", "en")}
    # Every action recorded: store.audit(at, actor, ACTION, …), the panel's audit(ACTION, …).
    actions = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr == "audit":
                argument = node.args[2] if len(node.args) > 2 else None
            elif isinstance(node.func, ast.Name) and node.func.id == "audit":
                argument = node.args[0] if node.args else None
            else:
                continue
            if isinstance(argument, ast.Constant):
                actions.add(argument.value)
    assert {"status_set", "receipt", "upload", "login_failed", "call_published"} <= actions
    used |= {f"panel.action.{action}" for action in actions}
    assert sorted(used - catalogs["pl"].keys()) == []


def test_a_backup_restores_the_staff_their_comments_and_the_audit_log(
    serve: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from operator_support import run_operator_cli

    live: Live = serve()
    token = live.add_organization("KGW w Łękawce")
    submission_id = send(live, token, application_of("Warsztaty"))
    panel = signed_in(live)
    panel.get(f"/submissions/{submission_id}")
    panel.post(
        f"/submissions/{submission_id}/status",
        {"status": "needs_corrections", "comment": "Proszę dopisać partnera."},
    )
    archive = tmp_path / "kopia.tar"
    code, _, err = live.cli("backup", "--out", archive)
    assert code == 0, err

    target = tmp_path / "odtworzone"
    where: list[object] = ["--data-dir", target]
    if live.kind == "postgresql":
        where += ["--database", request.getfixturevalue("postgres_server").new_database()]
    code, _, err = run_operator_cli(*where, "restore", archive)
    assert code == 0, err
    restored = serve_restored(where)
    try:
        member = restored.staff_by_email(ADMIN)
        assert member is not None and not member.must_change_password
        from mms_operator.staff import verify_password

        assert verify_password(member.password_hash, PASSWORD)  # she signs in as before
        stored = restored.submission(submission_id)
        assert stored is not None and stored.comment == "Proszę dopisać partnera."
        assert stored.summary.powiat == "suski"
        actions = [entry.action for entry in restored.audit_log()]
        assert {"receipt", "status_set", "login", "password_changed"} <= set(actions)
    finally:
        restored.close()


def serve_restored(where: list[object]) -> Any:
    """The restored store, opened as the command line opens it."""
    from mms_operator.cli import open_store

    database = str(where[3]) if len(where) > 2 else None
    return open_store(Path(str(where[1])), database)


def test_two_reviewers_at_work_while_desktops_send_lose_and_duplicate_nothing(
    serve: Any,
) -> None:
    import threading
    from collections import Counter

    live: Live = serve(threads=8)
    tokens = [live.add_organization(f"KGW nr {n}") for n in range(4)]
    first = [
        send(live, tokens[n % 4], application_of(f"Pierwszy {n}", application_id=str(uuid.uuid4())))
        for n in range(10)
    ]
    reviewers = [signed_in(live, f"oceniajacy{n}@operator.example.pl", "reviewer") for n in (1, 2)]
    for reviewer in reviewers:
        reviewer.get(f"/submissions/{first[0]}")
    barrier = threading.Barrier(2 + 30)
    sent: list[str] = []
    problems: list[str] = []

    def review(number: int) -> None:
        reviewer = reviewers[number]
        barrier.wait(timeout=60)
        for submission_id in first:
            answer = reviewer.post(
                f"/submissions/{submission_id}/status",
                {"status": "in_review", "comment": f"Czyta oceniający {number + 1}"},
            )
            if "Status zapisany" not in page_text(answer):
                problems.append(answer.text[:200])

    def desktop(number: int) -> None:
        data = application_of(f"Nowy {number}", application_id=str(uuid.uuid4()))
        submission_id = str(uuid.uuid4())
        barrier.wait(timeout=60)
        answer = put_document(live, tokens[number % 4], data, submission_id=submission_id)
        if answer.status_code == 201:
            sent.append(submission_id)
        else:
            problems.append(answer.text)

    threads = [threading.Thread(target=review, args=(n,)) for n in (0, 1)]
    threads += [threading.Thread(target=desktop, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert problems == []
    stored = live.store.submissions()
    assert len(stored) == 40 and {item.submission_id for item in stored} >= set(sent)
    assert len({item.server_id for item in stored}) == 40
    tables = Counter(table for table, _ in live.rows())
    assert tables["status_changes"] == 40 + 20  # each receipt, and each of the 20 changes
    audit = Counter(entry.action for entry in live.store.audit_log(limit=1000))
    assert audit["status_set"] == 20 and audit["receipt"] == 40
    for submission_id in first:
        item = live.store.submission(submission_id)
        assert item is not None and item.status.value == "in_review"
        assert item.comment in ("Czyta oceniający 1", "Czyta oceniający 2")
