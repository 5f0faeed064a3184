"""The frozen program's entry (installer/mms_desktop_main.py) and its self-check.

The frozen builds (Linux and Windows) start the window through this file and
check themselves with it; here it runs from the source tree, so a window change
that breaks it fails the suite, not a build an hour later.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mms_desktop.services.workspace import Workspace

ENTRY = Path(__file__).resolve().parents[1] / "installer" / "mms_desktop_main.py"


def test_the_self_check_opens_the_window_on_the_demo_and_reports_its_rows(tmp_path: Path) -> None:
    data_dir = tmp_path / "dane"
    with Workspace.open(data_dir) as workspace:
        workspace.create_demo()
    env = os.environ | {"MMS_DESKTOP_SELF_CHECK": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(ENTRY)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()[:2]
    assert first.startswith("ready rows=2 painted="), first  # the demo's two applications
    assert "platform=offscreen" in second and "keyring_backends=" in second
