"""Attachment files, content-addressed by SHA-256 in the data folder's ``attachments/``.

A file is stored once whatever its name, written whole or not at all, and
checked against its hash whenever it is read back.
"""

from __future__ import annotations

from pathlib import Path

from mms_desktop.paths import DataDir
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import write_atomically


def _sha256(data: bytes) -> str:
    import hashlib  # loads OpenSSL: on the first file, not at every start

    return hashlib.sha256(data).hexdigest()


def attachment_path(data_dir: DataDir, sha256: str) -> Path:
    return data_dir.attachments / sha256[:2] / sha256


def store_attachment(data_dir: DataDir, data: bytes) -> str:
    """Keep the bytes; returns their SHA-256 (the same file twice is kept once)."""
    sha256 = _sha256(data)
    path = attachment_path(data_dir, sha256)
    if not path.exists():
        write_atomically(path, data)
    return sha256


def read_attachment(data_dir: DataDir, sha256: str) -> bytes:
    path = attachment_path(data_dir, sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("attachment.missing", sha256=sha256) from None
    if _sha256(data) != sha256:
        raise UserError("attachment.damaged", sha256=sha256)
    return data
