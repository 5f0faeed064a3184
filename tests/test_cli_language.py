"""The command line in the user's language to the last word: argparse's own texts,
the system's reasons a file could not be written, and a window with no screen."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mms_desktop import i18n
from mms_desktop.cli import no_screen
from tests.conftest import RunCli
from tests.wine import skip_under_wine


def test_help_and_a_mistyped_command_speak_polish(run_cli: RunCli) -> None:
    code, out, _err = run_cli("--help")
    assert code == 0
    assert out.startswith("użycie: mms-desktop")
    assert "pokaż tę pomoc i zakończ" in out
    assert "usage:" not in out and "show this help" not in out
    code, _out, err = run_cli("wyslij")
    assert code == 2
    assert "mms-desktop: błąd: argument COMMAND: niedozwolona wartość: 'wyslij'" in err
    code, _out, err = run_cli("export-json")
    assert "brakuje wymaganych argumentów: APP_ID, --out" in err
    assert "error" not in err and "required" not in err


def test_english_is_english_there_too(run_cli: RunCli) -> None:
    code, _out, err = run_cli("--language", "en", "export-json")
    assert code == 2
    assert "usage: mms-desktop export-json" in err
    assert "the following arguments are required: APP_ID, --out" in err


def test_a_file_that_cannot_be_written_is_told_in_polish_words(
    run_cli: RunCli, workspace: object, tmp_path: Path
) -> None:
    from mms_desktop.services.workspace import Workspace

    assert isinstance(workspace, Workspace)
    ids = workspace.create_demo()
    workspace.close()
    # A name longer than any disk takes (over 255 characters): Linux says "File name
    # too long", Windows "path not found" or "invalid name"; the user reads why.
    too_long = tmp_path / ("wniosek-" + "ż" * 250 + ".json")
    code, _out, err = run_cli("export-json", ids.application_id, "--out", too_long)
    assert code != 0
    assert "ścieżka do pliku jest za długa" in err
    assert "too long" not in err


@pytest.mark.parametrize(
    ("number", "winerror", "polish"),
    [
        (errno.ENOSPC, None, "na dysku zabrakło miejsca"),
        (errno.EACCES, None, "brak uprawnień do tego pliku lub folderu"),
        (errno.ENOENT, None, "nie ma takiego pliku ani folderu"),
        (errno.EROFS, None, "dysk jest tylko do odczytu (np. zablokowana karta pamięci)"),
        (errno.ENAMETOOLONG, None, "ścieżka do pliku jest za długa"),
        (errno.EACCES, 32, "plik jest otwarty w innym programie"),  # a sharing violation
        (errno.ENOENT, 21, "urządzenie nie jest gotowe (np. wyjęty pendrive) – włóż je ponownie"),
        (errno.ENOSPC, 112, "na dysku zabrakło miejsca"),
        (errno.ENOENT, 206, "ścieżka do pliku jest za długa"),
    ],
)
def test_the_common_system_errors_have_polish_and_english_words(
    number: int, winerror: int | None, polish: str
) -> None:
    error = OSError(number, os.strerror(number), "E:\\wniosek.json")
    if winerror is not None:
        error.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
    assert i18n.os_error(error) == polish
    with i18n.using("en"):
        english = i18n.os_error(error)
    assert english != polish
    assert not set(english) & set("ąćęłńóśźż")


@pytest.mark.parametrize(("number", "winerror"), [(errno.ENOENT, 3), (errno.EINVAL, 123)])
def test_windows_not_found_for_a_name_no_disk_takes_is_told_as_too_long(
    number: int, winerror: int
) -> None:
    """Windows answers "path not found" or "invalid name" for a name over 255
    characters: the volunteer is told the name is too long, not that it is missing."""
    name = "E:\\wnioski\\" + "ż" * 256 + ".json"
    error = OSError(number, os.strerror(number), name)
    error.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
    assert i18n.os_error(error) == "ścieżka do pliku jest za długa"
    short = OSError(number, os.strerror(number), "E:\\wnioski\\wniosek.json")
    short.winerror = winerror  # type: ignore[attr-defined]
    assert i18n.os_error(short) != "ścieżka do pliku jest za długa"


def test_an_uncommon_system_error_keeps_its_number_and_the_system_s_words() -> None:
    error = OSError(errno.ELOOP, os.strerror(errno.ELOOP))
    assert i18n.os_error(error) == f"błąd systemu nr {errno.ELOOP} ({os.strerror(errno.ELOOP)})"


def test_screens_qt_can_draw_on_are_told_from_a_missing_one() -> None:
    assert no_screen({}, "linux")
    assert no_screen({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not no_screen({"DISPLAY": ":0"}, "linux")
    assert not no_screen({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert no_screen({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux")
    assert not no_screen({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not no_screen({}, "win32")


@skip_under_wine("the check is for Linux sessions; Windows always has a screen")
def test_the_window_without_a_screen_says_so_in_polish_instead_of_qt_s_abort(
    tmp_path: Path,
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux has sessions without a screen")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [sys.executable, "-m", "mms_desktop", "--data-dir", str(tmp_path / "dane")],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 5
    assert "Nie można otworzyć okna programu: ten komputer nie ma teraz ekranu" in done.stderr
    assert "xcb" not in done.stderr and "Aborted" not in done.stderr
    assert not (tmp_path / "dane").exists()  # nothing was created for a window never shown
