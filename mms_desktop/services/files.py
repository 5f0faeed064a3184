"""Files written whole or not at all, and JSON files read defensively."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from mms_desktop import i18n
from mms_desktop.core.files import replace_file
from mms_desktop.services.errors import UserError

MAX_JSON_BYTES = 20 * 1024 * 1024  # a real application file is well under 1 MB


def write_atomically(path: Path, data: bytes) -> None:
    """``replace_file``, with a failure told in words (UserError)."""
    try:
        replace_file(path, data)
    except OSError as error:
        raise UserError("file.cannot_write", path=str(path), detail=i18n.os_error(error)) from error


def read_limited(path: Path, limit: int, too_large_key: str) -> bytes:
    """A file's bytes, refused in words when missing, unreadable or over ``limit``."""
    try:
        if path.stat().st_size > limit:
            raise UserError(too_large_key, path=str(path), limit_mb=limit // 2**20)
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError("file.not_found", path=str(path)) from None
    except IsADirectoryError:
        raise UserError("file.is_a_folder", path=str(path)) from None
    except OSError as error:
        raise cannot_read(path, error) from error


def cannot_read(path: Path, error: OSError) -> UserError:
    """Why a file could not be opened, in words; a folder is named as one.

    Windows refuses to open a folder as a file with "Permission denied", not
    with the IsADirectoryError that POSIX gives.
    """
    if path.is_dir():
        return UserError("file.is_a_folder", path=str(path))
    return UserError("file.cannot_read", path=str(path), detail=i18n.os_error(error))


# Notepad's "Unicode" and "Unicode big endian" save as UTF-16 with a byte order mark.
_UTF16_MARKS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def decode_text_file(raw: bytes, path: Path) -> str:
    """The text of a file saved as UTF-8 (with or without Notepad's BOM) or as UTF-16.

    UTF-16 is accepted only with its byte order mark: without it the encoding
    cannot be told from the bytes, and the refusal names the encodings read.
    """
    for mark, encoding in _UTF16_MARKS.items():
        if raw.startswith(mark):
            try:
                return raw[len(mark) :].decode(encoding)
            except UnicodeDecodeError:
                raise UserError("file.bad_utf16", path=str(path)) from None
    try:
        # utf-8-sig drops the BOM Windows Notepad writes before UTF-8 text.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        key = "file.utf16_without_mark" if _looks_like_utf16(raw) else "file.not_utf8"
        raise UserError(key, path=str(path)) from None


def _looks_like_utf16(raw: bytes) -> bool:
    """Mostly ASCII text with a zero byte beside every character: UTF-16 without a mark."""
    sample = raw[:400]
    return len(sample) >= 4 and sample.count(0) * 3 >= len(sample)


def read_json_file(path: Path) -> Any:
    """The parsed JSON of a file, or a UserError that says what is wrong with it."""
    path = Path(path)
    raw = read_limited(path, MAX_JSON_BYTES, "file.too_large")
    text = decode_text_file(raw, path)
    try:
        # Numbers with a fraction are read as Decimal, never float: the schema
        # check then names the field where a decimal string was expected.
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise UserError(
            "file.not_json", path=str(path), line=error.lineno, column=error.colno
        ) from None
