"""Making a file's bytes and a folder's renames survive a power cut.

One place for it, outside the layers: storage (backups) and services (files,
bundles) both need it, and it touches nothing of the program's own.
"""

from __future__ import annotations

import os
from pathlib import Path


def sync_file(path: Path) -> None:
    """Flush a closed file's bytes to the disk."""
    with Path(path).open("rb+") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so a file created or renamed in it stays after a power cut.

    POSIX only: Windows cannot open a folder as a file, and NTFS journals the rename.
    """
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
