"""The window on real screens: a 1024×600 netbook and a 1366×768 laptop, at 100 % and 150 % text.

Each run opens the window on an X server with a window manager (tests/x_screen.py)
in its own process, as a volunteer starts it, and visits every page, section and
the two dialogs (tests/screen_probe.py). A control whose text does not fit, a
control cut off or off the screen, two controls on top of each other: each fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wine import skip_under_wine
from tests.x_screen import x_screen

pytestmark = skip_under_wine("Windows has its own screen; Xvfb and openbox are Linux programs")

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "tests" / "screen_probe.py"
VIEWS = 25  # 4 pages, 11 application sections, 8 report sections, 2 dialogs


def on_screen(
    display: str, *args: str, timeout: int = 120, scale: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("QT_SCALE_FACTOR", None)
    if scale is not None:
        env["QT_SCALE_FACTOR"] = scale  # the whole display scaled, as Windows' 150 % does
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def netbook() -> Iterator[str]:
    with x_screen(1024, 600) as display:
        yield display


@pytest.fixture(scope="module")
def laptop() -> Iterator[str]:
    with x_screen(1366, 768) as display:
        yield display


@pytest.mark.parametrize("screen", ["netbook", "laptop"])
@pytest.mark.parametrize("text_scale", ["1.0", "1.5"])
def test_every_page_fits_the_screen(
    screen: str, text_scale: str, request: pytest.FixtureRequest
) -> None:
    display = request.getfixturevalue(screen)
    run = on_screen(display, str(PROBE), "--text-scale", text_scale)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # not a single Qt warning either
    outcome = json.loads(run.stdout.splitlines()[-1])
    assert outcome["views"] == VIEWS
    assert outcome["problems"] == []


def test_the_laptop_at_150_percent_display_scaling_fits_too(laptop: str) -> None:
    # 1366×768 at 150 %: 911×512 logical pixels, smaller than the netbook.
    run = on_screen(laptop, str(PROBE), scale="1.5")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    outcome = json.loads(run.stdout.splitlines()[-1])
    assert outcome["views"] == VIEWS
    assert outcome["problems"] == []


PLACE = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from mms_desktop.ui.main_window import MainWindow
from tests.screen_probe import wait_for_window_manager
window = MainWindow(Path(sys.argv[1]), ask_on_first_run=False)
window.show()
wait_for_window_manager(app, window)
if sys.argv[2] == "move":
    window.showNormal()
    window.setGeometry(120, 90, 900, 480)
    wait_for_window_manager(app, window)
geometry = window.geometry()
screen = window.screen().availableGeometry()
print(window.isMaximized(), geometry.x(), geometry.y(), geometry.width(), geometry.height(),
      screen.contains(window.frameGeometry()), flush=True)
window.close()
"""


def place(display: str, data_dir: Path, step: str) -> list[str]:
    run = on_screen(display, "-c", PLACE, str(data_dir), step)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_the_window_opens_within_the_screen_and_keeps_its_place_per_screen(
    netbook: str, laptop: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "dane"
    # A first start on the netbook: the 1280×740 layout does not fit, so maximised.
    maximised, *_rest, within = place(netbook, data_dir, "look")
    assert (maximised, within) == ("True", "True")
    # She makes it smaller and moves it; the next start puts it back there.
    place(netbook, data_dir, "move")
    assert place(netbook, data_dir, "look") == ["False", "120", "90", "900", "480", "True"]
    # The same data on the laptop's larger screen: its own place, within that screen.
    maximised, *_rest, within = place(laptop, data_dir, "look")
    assert within == "True"
    # Back on the netbook, her size and place are still there.
    assert place(netbook, data_dir, "look") == ["False", "120", "90", "900", "480", "True"]
