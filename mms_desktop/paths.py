"""Every path the program uses comes from here (as qutebrowser's standarddir).

One data folder holds everything: the SQLite store, ``attachments/``,
``backups/`` and ``logs/``. ``--data-dir DIR`` or ``MMS_DATA_DIR`` move the
whole program to another folder — which is also how tests stay away from a
real user's data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

APP_NAME = "mms-desktop"
ENV_DATA_DIR = "MMS_DATA_DIR"
STORE_FILE = "mms-desktop.sqlite3"
# Portable mode (a USB stick): this file next to the program keeps the data
# folder beside the program, in PORTABLE_DATA_DIR.
PORTABLE_MARKER = "mms-desktop-portable.txt"
PORTABLE_DATA_DIR = "dane-mms-desktop"


# Windows refuses a path of 260 characters or more unless long paths are
# switched on for the whole machine (a registry value an administrator sets;
# off on a new Windows 10 or 11). The deepest path the program makes in a data
# folder is an attachment's: \attachments\ab\ and a SHA-256 in hex.
WINDOWS_MAX_PATH = 259
DEEPEST_INSIDE = len("\\attachments\\ab\\") + 64


def windows_long_paths_enabled() -> bool:
    """Whether this Windows lets programs use paths over 259 characters."""
    if sys.platform != "win32":
        return False
    import winreg

    try:
        with winreg.OpenKey(
            winreg.HKEY_LOCAL_MACHINE, r"SYSTEM\CurrentControlSet\Control\FileSystem"
        ) as key:
            value, _ = winreg.QueryValueEx(key, "LongPathsEnabled")
    except OSError:
        return False
    return bool(value)


def longest_data_folder(
    platform: str = sys.platform, long_paths: bool | None = None
) -> int | None:
    """The longest data folder path whose files all fit, or None where any length fits."""
    if platform != "win32":
        return None
    if long_paths is None:
        long_paths = windows_long_paths_enabled()
    return None if long_paths else WINDOWS_MAX_PATH - DEEPEST_INSIDE


def program_folder() -> Path:
    """The folder the program runs from: the frozen executable's, or the source tree's."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def portable_data_dir(program: Path | None = None) -> Path | None:
    """The data folder beside the program, when the portable marker is there."""
    folder = program_folder() if program is None else program
    if (folder / PORTABLE_MARKER).is_file():
        return folder / PORTABLE_DATA_DIR
    return None


def default_data_dir() -> Path:
    # platformdirs is imported here, not at module level: only a run without
    # --data-dir needs it.
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(
    explicit: str | os.PathLike[str] | None = None, program: Path | None = None
) -> Path:
    """``--data-dir``, then ``MMS_DATA_DIR``, then portable mode, then the user's data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser().resolve()
    portable = portable_data_dir(program)
    if portable is not None:
        return portable
    return default_data_dir()


class DataDir(NamedTuple):
    root: Path

    @property
    def store(self) -> Path:
        return self.root / STORE_FILE

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def create(self) -> None:
        for folder in (self.root, self.attachments, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
