"""SIGKILL at random moments while edits are being saved: nothing reported saved is lost.

The harness (tests/crash_harness.py) runs in its own process and forks a
saver to kill, hundreds of times; see its docstring for what each round
checks. Here we run it and read its verdict.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).with_name("crash_harness.py")
ROUNDS = 250


# Not a limit of Wine: the harness forks the saver it kills, and Windows has no
# fork(). Killing a freshly started Python 250 times instead would take most of
# an hour under Wine; the same storage code runs on Windows in every other test.
@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no fork(), the harness needs it")
def test_killed_in_the_middle_of_saving_the_store_opens_whole_with_every_reported_edit(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, str(HARNESS), str(tmp_path / "dane"), str(ROUNDS), "2027"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["failures"] == []
    assert verdict["rounds"] == ROUNDS
    # The kills really landed among saves: many edits, and many kills while
    # a save was in flight (committed but not yet reported).
    assert verdict["edits"] > 5 * ROUNDS
    assert verdict["killed_mid_save"] > ROUNDS // 4
