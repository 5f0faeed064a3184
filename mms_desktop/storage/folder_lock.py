"""One program writing a data folder at a time: a lock file held for the process's life.

The window holds ``mms-desktop.lock`` from start to close; a command line
that writes (demo, submit, sync, restore, import-bundle, …) holds it while it
runs. A second copy finds it taken and is told so, before it opens anything.
The lock is the operating system's (``fcntl.flock`` on Linux and macOS,
``msvcrt.locking`` on Windows), so it dies with its process: a copy killed or
crashed leaves a file behind but no lock, and the next start takes it.

Who holds it (process id, window or command line, since when) is written into
the same file as JSON, only for the message a second copy shows; what decides
is the lock. On Windows the locked byte lies far past that text
(``_LOCKED_BYTE``), since a locked range cannot be read by another process.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

LOCK_FILE = "mms-desktop.lock"
_LOCKED_BYTE = 1 << 30
WINDOW = "window"
COMMAND = "command"
_POLL = 0.1
_GRACE = 0.5


class Holder(NamedTuple):
    pid: int
    role: str  # WINDOW or COMMAND
    since: str  # ISO time, UTC


class FolderInUseError(Exception):
    """Another copy of the program holds the data folder."""

    def __init__(self, folder: Path, holder: Holder | None) -> None:
        super().__init__(f"{folder} is in use by {holder}")
        self.folder = folder
        self.holder = holder

    @property
    def by_window(self) -> bool:
        return self.holder is None or self.holder.role == WINDOW


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def holder(folder: Path) -> Holder | None:
    """Who wrote that they hold ``folder`` (None when unknown or unreadable)."""
    try:
        data = json.loads((folder / LOCK_FILE).read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), str(data["role"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class FolderLock:
    """The data folder, held by this process until ``release`` (or its end)."""

    def __init__(self, folder: Path, fd: int) -> None:
        self.folder = folder
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, folder: Path, role: str, wait_for_command: float = 0.0) -> FolderLock:
        """Take ``folder`` for this process, or raise ``FolderInUseError``.

        A window never waits for: it stays open for hours. A command line run
        that holds the folder ends soon, so it is waited for up to
        ``wait_for_command`` seconds (two scripted commands at once both run).
        The folder must exist.
        """
        path = folder / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        start = time.monotonic()
        try:
            while not _try_lock(fd):
                found = holder(folder)
                waiting = found is not None and found.role == COMMAND
                # The note may still be the last holder's for a moment after a new
                # one took the lock: it is believed only after _GRACE seconds.
                limit = wait_for_command if waiting else _GRACE
                if time.monotonic() - start >= limit:
                    raise FolderInUseError(folder, found)
                time.sleep(_POLL)
        except BaseException:
            os.close(fd)
            raise
        lock = cls(folder, fd)
        lock._write_holder(role)
        return lock

    def _write_holder(self, role: str) -> None:
        since = datetime.now(UTC).isoformat(timespec="seconds")
        text = json.dumps({"pid": os.getpid(), "role": role, "since": since})
        assert self._fd is not None
        try:
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.ftruncate(self._fd, 0)
            os.write(self._fd, text.encode("utf-8"))
        except OSError:
            pass  # only the second copy's message loses its detail

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
