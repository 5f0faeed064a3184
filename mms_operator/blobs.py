"""Attachments as files named by their SHA-256: ``DATA_DIR/blobs/<sha[:2]>/<sha>``.

Shared by both stores. A blob is written to a temporary file, fsynced and
renamed (whole or absent); the folders are the operator's account's only
(0700; the files are 0600, as ``replace_file`` makes them).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from mms_desktop.core.files import replace_file
from mms_desktop.i18n import tr
from mms_operator.store import StoreError, StoreUnavailableError

log = logging.getLogger(__name__)

BLOBS_DIR = "blobs"


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) readable by this account only, whatever the umask."""
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)


class BlobFolder:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / BLOBS_DIR
        try:
            for folder in (self.data_dir, self.root):
                private_folder(folder)
        except OSError as error:
            raise StoreError(
                tr(
                    "operator.store.cannot_create_folder",
                    folder=self.data_dir,
                    detail=error.strerror,
                )
            ) from error

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def size(self, sha256: str) -> int | None:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    @staticmethod
    def check(sha256: str, data: bytes) -> None:
        # The caller has checked the hash; a wrong one here is a bug, never stored.
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("blob bytes do not match their SHA-256")

    def write(self, sha256: str, data: bytes) -> None:
        path = self.path(sha256)
        try:
            private_folder(path.parent)
            replace_file(path, data)
        except OSError as error:
            raise StoreUnavailableError(
                tr("operator.store.cannot_save_blob", detail=error.strerror or error)
            ) from error

    def files(self) -> Iterator[Path]:
        """Every whole blob file (not the temporary files of writes in progress)."""
        for path in sorted(self.root.glob("*/*")):
            if not path.name.startswith("."):
                yield path

    def remove_unkept(self, kept: set[str], uploaded_before: datetime) -> tuple[int, int]:
        """Delete blob files not in ``kept`` written before ``uploaded_before``: (files, bytes)."""
        removed, freed = 0, 0
        cutoff = uploaded_before.timestamp()
        for path in self.files():
            if path.name in kept:
                continue
            try:
                stat = path.stat()
                if stat.st_mtime >= cutoff:
                    continue  # being uploaded right now, its owner not yet recorded
                path.unlink()
            except FileNotFoundError:
                continue
            removed += 1
            freed += stat.st_size
        return removed, freed

    def remove_interrupted_uploads(self) -> int:
        """Delete the temporary files of blob writes a crash or kill cut short.

        Only the server writes blobs, so this runs when it starts. Returns how many.
        """
        removed = 0
        for path in self.root.glob("*/.*"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        if removed:
            log.info("removed %d temporary file(s) of interrupted uploads", removed)
        return removed
