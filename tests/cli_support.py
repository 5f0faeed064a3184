"""The installed program run as a separate process, as a user or a script runs it."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from mms_desktop.paths import STORE_FILE

NOW = "2027-05-20T10:00:00+02:00"


class Program:
    """``mms-desktop`` as a separate process, on one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def __call__(self, *args: object, data_dir: Path | None = None) -> tuple[int, str, str]:
        env = dict(os.environ)
        env.update(MMS_DATA_DIR=str(data_dir or self.data_dir), MMS_CLOCK=NOW, PYTHONUTF8="1")
        done = subprocess.run(
            [sys.executable, "-m", "mms_desktop", *(str(arg) for arg in args)],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,  # login reads a token from stdin: none here
        )
        return done.returncode, done.stdout, done.stderr

    def listing(self) -> dict[str, Any]:
        code, out, err = self("list", "--json")
        assert code == 0, err
        data: dict[str, Any] = json.loads(out)
        return data


def store_digest(data_dir: Path) -> str:
    conn = sqlite3.connect(f"file:{data_dir / STORE_FILE}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()
    finally:
        conn.close()
