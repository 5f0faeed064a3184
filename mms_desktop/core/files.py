"""A file written whole or not at all, for the desktop program and the operator alike."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from mms_desktop.fsync import sync_folder


def replace_file(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: whole or absent.

    Raises OSError; callers say it in their own words.
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        if not path.stat().st_mode & stat.S_IWUSR:
            # Someone marked it read-only: keep it. Windows refuses to rename
            # over it anyway; POSIX (and Wine) would replace it silently.
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    sync_folder(folder)  # the rename itself survives a power cut only after this
