"""What differs on a volunteer's Windows laptop, tested wherever the suite runs.

Under scripts/test-windows these run on Windows Python (code page 1250, a
Windows file system's rules as Wine keeps them); on Linux they check the same
promises where the platform allows it.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from mms_desktop.paths import DEEPEST_INSIDE, WINDOWS_MAX_PATH, longest_data_folder
from mms_desktop.services.workspace import Workspace
from tests.wine import start_process

# Text a Polish code page cannot hold: Ukrainian, a tick, an arrow.
OUTSIDE_CP1250 = "Ласкаво просимо ✓ → Łękawka"
PINNED_NOW = "2027-05-20T10:00:00+02:00"


def program(data_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The installed program as a script runs it: output to pipes, the system's
    own encoding (no PYTHONUTF8, no PYTHONIOENCODING)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONUTF8", "PYTHONIOENCODING"}
    }
    env["MMS_CLOCK"] = PINNED_NOW
    return subprocess.run(
        [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir), *args],
        env=env,
        capture_output=True,
        timeout=180,
        check=False,
    )


def demo_with_title(data_dir: Path, title: str) -> str:
    with Workspace.open(data_dir) as workspace:
        ids = workspace.create_demo()
        workspace.store.update_application(ids.application_id, title=title)
    return ids.application_id


def test_listing_into_a_pipe_or_file_keeps_text_the_code_page_lacks(tmp_path: Path) -> None:
    data_dir = tmp_path / "dane"
    app_id = demo_with_title(data_dir, OUTSIDE_CP1250)

    done = program(data_dir, "list")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    listed = done.stdout.decode("utf-8")
    assert f"{app_id}  [szkic]  {OUTSIDE_CP1250}" in listed
    assert "Koło Gospodyń Wiejskich w Łękawce Górnej" in listed

    done = program(data_dir, "list", "--json")
    assert done.returncode == 0
    [shown] = [item for item in json.loads(done.stdout)["applications"] if item["id"] == app_id]
    assert shown["title"] == OUTSIDE_CP1250

    # A script saving the output to a file gets the same bytes.
    saved = tmp_path / "lista.txt"
    with saved.open("wb") as file:
        subprocess.run(
            [sys.executable, "-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"],
            input=program(data_dir, "list").stdout,
            stdout=file,
            check=True,
        )
    assert OUTSIDE_CP1250 in saved.read_text(encoding="utf-8")


def test_an_error_naming_a_path_the_code_page_lacks_reaches_stderr_whole(tmp_path: Path) -> None:
    missing = tmp_path / "Вітаю ✓" / "wniosek.json"
    done = program(tmp_path / "dane", "import-json", str(missing))
    assert done.returncode == 2
    said = done.stderr.decode("utf-8")
    assert said.startswith("Błąd: Nie ma pliku")
    assert str(missing) in said
    assert "Traceback" not in said


def test_a_user_folder_with_polish_letters_and_a_space(tmp_path: Path) -> None:
    """C:\\Users\\Łucja Żak\\…: every everyday command, and what they write, read back."""
    home = tmp_path / "Users" / "Łucja Żak" / "Moje dokumenty"
    data_dir = home / "Dane MMS"
    done = program(data_dir, "demo")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")

    listing = json.loads(program(data_dir, "list", "--json").stdout)
    app_id = next(item["id"] for item in listing["applications"] if item["status"] == "draft")
    pdf = home / "Wydruki i skany" / "wniosek Łękawka.pdf"
    pdf.parent.mkdir(parents=True)
    done = program(data_dir, "export-pdf", app_id, "--out", str(pdf))
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert str(pdf) in done.stdout.decode("utf-8")

    exported = home / "kopia wniosku ż.json"
    assert program(data_dir, "export-json", app_id, "--out", str(exported)).returncode == 0
    assert json.loads(exported.read_text(encoding="utf-8"))["application"]["id"] == app_id

    done = program(data_dir, "backup")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    backup = Path(done.stdout.decode("utf-8").strip())
    assert backup.is_file() and backup.parent == data_dir / "backups"
    done = program(data_dir, "check")
    assert done.returncode == 0
    assert str(data_dir) in done.stdout.decode("utf-8")


def test_a_folder_given_where_a_file_is_wanted_is_named_as_a_folder(tmp_path: Path) -> None:
    """Windows refuses to open a folder with "Permission denied", not "is a directory"."""
    folder = tmp_path / "Pobrane pliki"
    folder.mkdir()
    done = program(tmp_path / "dane", "import-json", str(folder))
    assert done.returncode == 2
    said = done.stderr.decode("utf-8")
    assert "to folder" in said and str(folder) in said
    assert "Permission denied" not in said


def test_a_pdf_saved_over_one_open_in_a_viewer(tmp_path: Path) -> None:
    """A PDF viewer on Windows keeps the file open without letting it be replaced.

    Saving again is then refused in words and the open file stays whole; where
    the system allows replacing an open file (Linux), the new one takes its place.
    """
    data_dir = tmp_path / "dane"
    app_id = demo_with_title(data_dir, "Warsztaty")
    pdf = tmp_path / "wniosek.pdf"
    pdf.write_bytes(b"%PDF-1.4 poprzedni wydruk\n")
    with pdf.open("rb") as viewer:
        done = program(data_dir, "export-pdf", app_id, "--out", str(pdf))
        if sys.platform == "win32":
            assert done.returncode == 2
            said = done.stderr.decode("utf-8")
            assert said.startswith("Błąd:") and str(pdf) in said
            assert "Traceback" not in said
            assert viewer.read() == b"%PDF-1.4 poprzedni wydruk\n"
        else:
            assert done.returncode == 0
    if sys.platform == "win32":
        # Once the viewer closes it, saving works.
        done = program(data_dir, "export-pdf", app_id, "--out", str(pdf))
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert pdf.read_bytes().startswith(b"%PDF-") and b"poprzedni" not in pdf.read_bytes()
    # No half-written temporary file is left beside it.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dane", "wniosek.pdf"]


def test_a_read_only_pdf_is_not_overwritten_and_is_told_in_words(tmp_path: Path) -> None:
    """A file marked read-only (Properties → Read-only) is kept, on every system alike."""
    data_dir = tmp_path / "dane"
    app_id = demo_with_title(data_dir, "Warsztaty")
    pdf = tmp_path / "zatwierdzony.pdf"
    pdf.write_bytes(b"%PDF-1.4 zatwierdzony\n")
    pdf.chmod(0o444)
    try:
        done = program(data_dir, "export-pdf", app_id, "--out", str(pdf))
        assert done.returncode == 2
        said = done.stderr.decode("utf-8")
        assert said.startswith("Błąd:") and str(pdf) in said
        assert pdf.read_bytes() == b"%PDF-1.4 zatwierdzony\n"
    finally:
        pdf.chmod(0o644)


@pytest.mark.skipif(sys.platform != "win32", reason="the Credential Manager is a Windows service")
def test_the_operator_token_goes_to_the_windows_credential_manager(tmp_path: Path) -> None:
    from keyring.backends.Windows import WinVaultKeyring
    from win32ctypes.pywin32 import pywintypes, win32cred

    from mms_desktop.sync import credentials

    def held_by_credential_manager() -> list[str]:
        try:
            held = win32cred.CredEnumerate()
        except pywintypes.error as error:
            if error.winerror != 1168:  # ERROR_NOT_FOUND: none at all
                raise
            held = []
        return [
            found["TargetName"]
            for found in held
            if token in str(found["CredentialBlob"] or "")
            or token.encode("utf-16-le") in bytes(found["CredentialBlob"] or b"")
        ]

    token = secrets.token_urlsafe(32)
    url = f"http://127.0.0.1:9/{tmp_path.name}"
    data_dir = tmp_path / "dane"
    program(data_dir, "demo")
    assert isinstance(credentials._keyring().get_keyring(), WinVaultKeyring)
    try:
        assert credentials.set_token(url, ORGANIZATION_ID, token) is True
        [target] = held_by_credential_manager()
        assert "mms-desktop" in target
        # Another process (the program started again) reads it back.
        read_back = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from mms_desktop.sync import credentials;"
                " print(credentials.get_token(sys.argv[1], sys.argv[2]))",
                url,
                ORGANIZATION_ID,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        assert read_back.stdout.strip() == token
        held = [p for p in data_dir.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
        assert held == []
    finally:
        credentials.forget_token(url, ORGANIZATION_ID)
    assert held_by_credential_manager() == []


ORGANIZATION_ID = "org-kgw-zabno"  # a token belongs to one organisation's login


def test_two_copies_started_at_once_on_a_new_data_folder(tmp_path: Path) -> None:
    """Two clicks on the icon, or a script and the window: neither loses the other's work."""
    data_dir = tmp_path / "dane"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONUTF8", "PYTHONIOENCODING"}}
    env["MMS_CLOCK"] = PINNED_NOW
    command = [sys.executable, "-m", "mms_desktop", "--data-dir", str(data_dir), "demo"]
    copies = [
        start_process(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [copy.communicate(timeout=180) for copy in copies]
    for copy, (_, err) in zip(copies, results, strict=True):
        said = err.decode("utf-8")
        assert "Traceback" not in said
        assert copy.returncode == 0, said

    listing = json.loads(program(data_dir, "list", "--json").stdout)
    assert len(listing["organizations"]) == 2
    done = program(data_dir, "check")
    assert done.returncode == 0, done.stdout.decode("utf-8") + done.stderr.decode("utf-8")


def test_copies_opening_one_new_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Before each took the write lock first, about one opening in four failed here."""
    opener = (
        "import sys; from mms_desktop.storage.store import Store;"
        " store = Store.open(sys.argv[1]); print(store.schema_version()); store.close()"
    )
    for round_ in range(8):
        store = tmp_path / f"runda-{round_}" / "mms.sqlite3"
        store.parent.mkdir()
        copies = [
            start_process(
                [sys.executable, "-c", opener, str(store)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        outputs = [copy.communicate(timeout=180) for copy in copies]
        versions = {out.strip() for out, _ in outputs}
        assert [copy.returncode for copy in copies] == [0] * 4, [err for _, err in outputs]
        assert len(versions) == 1 and int(versions.pop()) > 0


def deep_folder(base: Path, length: int) -> Path:
    """A folder under base whose path is exactly length characters, Polish names on the way."""
    folder = base
    while len(str(folder)) < length - 40:
        folder = folder / "Dokumenty stowarzyszenia Łękawka"
    rest = length - len(str(folder)) - 1
    assert rest > 0
    folder = folder / ("ż" * rest)
    assert len(str(folder)) == length
    return folder


def test_the_deepest_file_in_a_data_folder_is_as_deep_as_the_windows_check_assumes(
    tmp_path: Path,
) -> None:
    """The check refuses a data folder by the deepest path the program makes in it."""
    data_dir = tmp_path / "dane"
    with Workspace.open(data_dir) as workspace:
        workspace.create_demo()
    assert program(data_dir, "backup").returncode == 0
    deepest = max(
        len(str(path)) - len(str(data_dir)) for path in data_dir.rglob("*") if path.is_file()
    )
    # The demo has attachments: the deepest files are theirs.
    assert deepest == DEEPEST_INSIDE
    assert longest_data_folder("win32", long_paths=False) == WINDOWS_MAX_PATH - DEEPEST_INSIDE
    assert longest_data_folder("win32", long_paths=True) is None
    assert longest_data_folder("linux") is None


@pytest.mark.skipif(
    sys.platform != "win32", reason="the 260-character limit is Windows's (Linux: the next test)"
)
def test_a_data_folder_too_deep_for_windows_is_refused_in_words_before_anything_is_written(
    tmp_path: Path,
) -> None:
    # A new Windows 10 or 11 (and Wine) has long paths switched off.
    limit = longest_data_folder()
    assert limit == WINDOWS_MAX_PATH - DEEPEST_INSIDE
    too_deep = deep_folder(tmp_path, limit + 1)
    result = program(too_deep, "demo")
    assert result.returncode == 3
    message = result.stderr.decode("utf-8")  # redirected output is UTF-8 (console.py)
    assert f"ma {limit + 1} znaków" in message
    assert f"najwyżej {limit}" in message
    assert "Niczego nie zapisano" in message
    assert not too_deep.exists()
    # One character less, and the whole demo with its attachments fits.
    just_fits = deep_folder(tmp_path / "b", limit)
    assert program(just_fits, "demo").returncode == 0
    assert program(just_fits, "backup").returncode == 0
    assert any((just_fits / "attachments").rglob("*"))


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows the test above applies")
def test_elsewhere_a_data_folder_may_be_as_deep_as_the_file_system_allows(
    tmp_path: Path,
) -> None:
    deep = deep_folder(tmp_path, 300)
    assert program(deep, "demo").returncode == 0
    assert program(deep, "backup").returncode == 0


@pytest.mark.skipif(
    sys.platform != "win32",
    reason="a drive letter that is gone is Windows's; on Linux a stick's folder is only missing",
)
@pytest.mark.parametrize(
    "command",
    [
        ("export-pdf", "{app}", "--out", "Q:\\wnioski\\wniosek.pdf"),
        ("backup", "--out", "Q:\\kopie\\kopia.sqlite3"),
        ("export-bundle", "--out", "Q:\\przeniesienie.mms"),
    ],
    ids=["export-pdf", "backup", "export-bundle"],
)
def test_saving_to_a_usb_stick_that_was_taken_out_is_told_in_words_and_loses_nothing(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """The stick was drive Q: when the volunteer chose it; now that drive is gone."""
    assert not Path("Q:\\").exists()
    data_dir = tmp_path / "dane"
    app_id = demo_with_title(data_dir, "Warsztaty na pendrive")
    before = program(data_dir, "list", "--json").stdout
    done = program(data_dir, *(part.format(app=app_id) for part in command))
    said = done.stderr.decode("utf-8")
    assert done.returncode in (2, 3), said
    assert said.startswith("Błąd:") and "Q:\\" in said, said
    assert "Traceback" not in said
    # What was in the data folder is all there, and the folder still checks out.
    assert program(data_dir, "list", "--json").stdout == before
    assert program(data_dir, "check").returncode == 0
