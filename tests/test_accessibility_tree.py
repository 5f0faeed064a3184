"""What a screen reader finds: the window's accessibility tree walked through AT-SPI.

The window runs on an X screen inside its own D-Bus session with Qt's AT-SPI
bridge on; Debian's pyatspi (tests/atspi_walk.py, run by the system's Python)
walks the home view, the profile, every section of the application and of the
report, as Orca would. It fails on a control with no name, a field whose label
is not tied to it (the reader would not say the label), a text heard twice (a
control named like a label on show beside it that is not tied to it), or a check
whose outcome is not announced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.wine import skip_under_wine
from tests.x_screen import x_screen

pytestmark = skip_under_wine("AT-SPI and D-Bus sessions are Linux's; Windows has UI Automation")

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"  # where Debian's python3-pyatspi is installed
# Fewer controls than these: the walk missed a page, not a pass.
AT_LEAST = {"home": 8, "profile": 30, "editor": 45, "report": 30}


def walk() -> dict[str, dict[str, object]]:
    check = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False
    )
    assert check.returncode == 0, "python3-pyatspi is missing: run scripts/ensure-test-tools"
    with x_screen(1024, 600) as display:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DBUS_"))}
        env["DISPLAY"] = display
        done = subprocess.run(
            ["dbus-run-session", "--", SYSTEM_PYTHON, str(ROOT / "tests" / "atspi_walk.py"),
             sys.executable],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    views = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {view.pop("view"): view for view in views}


def test_a_screen_reader_finds_every_control_named_labelled_and_said_once() -> None:
    views = walk()
    # "Sprawdź" (F7) in the report: the reader says the outcome, wherever the focus is.
    announced = views.pop("announced")["texts"]
    assert announced == [
        "Sprawozdania nie można jeszcze wysłać: do poprawienia 2. "
        "Lista poniżej – kliknij, aby przejść do pola."
    ]
    assert set(views) == set(AT_LEAST)
    for name, view in views.items():
        assert view["interactive"] >= AT_LEAST[name], (name, view)
        assert view["unnamed"] == [], name
        assert view["unlabelled"] == [], name
        assert view["twice"] == [], name
    # The forms' labels are tied to their fields (the profile's 30-odd, the dates).
    assert views["profile"]["label_relations"] >= 30
    assert views["editor"]["label_relations"] >= 25
