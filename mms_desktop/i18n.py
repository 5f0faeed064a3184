"""One message catalog for every user-facing string: UI, findings, PDFs, CLI.

Catalogs are JSON files in ``resources/i18n/<language>/`` — one file per area
of the program (``core.json``, ``ui.json``, …), merged on load; Polish is the
source language, English a translation. As in Electrum, a translation whose
format fields differ from the Polish source is ignored and the source used: a
bad translation can never crash a form or show a wrong number.
"""

from __future__ import annotations

import errno
import json
import logging
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mms_desktop.domain import money
from mms_desktop.domain.quantities import Amount, Percent
from mms_desktop.resources import resource_path

if TYPE_CHECKING:
    from mms_desktop.domain.findings import Finding

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "pl"
LANGUAGES = ("pl", "en")
_state = {"language": SOURCE_LANGUAGE}
# A language for one piece of work (a PDF built in a worker thread) without
# touching the window's: context variables are per thread.
_override: ContextVar[str | None] = ContextVar("mms_language", default=None)
_INDEX = re.compile(r"\[(\d+)\]")
_ENGLISH_GROUPS = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?\Z")


def catalog_files(language: str) -> list[Path]:
    return sorted(resource_path("i18n", language).glob("*.json"))


@cache
def _load(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalog_files(language):
        with path.open(encoding="utf-8") as handle:
            part: dict[str, str] = json.load(handle)
        for key in part.keys() & merged.keys():
            log.error("message %r is defined twice in the %s catalog", key, language)
        merged |= part
    return merged


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def set_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _state["language"] = language


def language() -> str:
    return _override.get() or _state["language"]


@contextmanager
def using(chosen: str) -> Iterator[None]:
    """Translate with ``chosen`` inside the block, in this thread only."""
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}")
    token = _override.set(chosen)
    try:
        yield
    finally:
        _override.reset(token)


def _template(key: str) -> str:
    source = _load(SOURCE_LANGUAGE).get(key)
    current = language()
    if current != SOURCE_LANGUAGE:
        translated = _load(current).get(key)
        if translated is not None and (source is None or _fields(translated) == _fields(source)):
            return translated
        if translated is not None:
            log.warning("translation %s/%s has other format fields; using Polish", current, key)
    if source is None:
        log.error("message %r is missing from the catalog", key)
        return key
    return source


# The system's own words for a failed file operation are English (or the system's
# language, not the program's): the common ones are told from the catalog.
_ERRNO_WORDS = {
    errno.ENOSPC: "no_space",
    errno.EDQUOT: "no_space",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.ENOENT: "not_found",
    errno.EROFS: "read_only",
    errno.ENAMETOOLONG: "path_too_long",
    errno.EIO: "device",
    errno.ENXIO: "not_ready",
    errno.ENODEV: "not_ready",
    errno.ENOTDIR: "not_a_folder",
    errno.EBUSY: "in_use",
    errno.EEXIST: "exists",
}
# Windows' error numbers (OSError.winerror), which say more than the errno they map to.
_WINERROR_WORDS = {
    2: "not_found",  # ERROR_FILE_NOT_FOUND
    3: "not_found",  # ERROR_PATH_NOT_FOUND
    5: "permission",  # ERROR_ACCESS_DENIED
    15: "not_ready",  # ERROR_INVALID_DRIVE
    19: "read_only",  # ERROR_WRITE_PROTECT
    21: "not_ready",  # ERROR_NOT_READY
    23: "device",  # ERROR_CRC
    32: "in_use",  # ERROR_SHARING_VIOLATION
    33: "in_use",  # ERROR_LOCK_VIOLATION
    39: "no_space",  # ERROR_HANDLE_DISK_FULL
    112: "no_space",  # ERROR_DISK_FULL
    206: "path_too_long",  # ERROR_FILENAME_EXCED_RANGE
    1006: "device",  # ERROR_FILE_INVALID (a stick pulled out mid-write)
}


# A file or folder name no disk takes: 255 characters (NTFS, FAT's long names) or
# 255 bytes (Linux). Windows, and Wine, say "not found" or "invalid name" for it.
LONGEST_NAME = 255
_NAME_REFUSED = {errno.ENOENT, errno.EINVAL, errno.ENAMETOOLONG}


def _name_too_long(error: OSError) -> bool:
    names = [name for name in (error.filename, error.filename2) if isinstance(name, str)]
    return error.errno in _NAME_REFUSED and any(
        len(part) > LONGEST_NAME or len(part.encode("utf-8")) > LONGEST_NAME
        for name in names
        for part in re.split(r"[\\/]", name)
    )


def os_error(error: OSError) -> str:
    """Why a file operation failed, in the current language's words."""
    if _name_too_long(error):
        return tr("os_error.path_too_long")
    winerror = getattr(error, "winerror", None)
    word = _WINERROR_WORDS.get(winerror) if isinstance(winerror, int) else None
    word = word or _ERRNO_WORDS.get(error.errno or 0)
    if word is not None:
        return tr(f"os_error.{word}")
    number = winerror if isinstance(winerror, int) else error.errno
    if number is None:
        return str(error)
    return tr("os_error.other", number=number, detail=error.strerror or str(error))


def has(key: str) -> bool:
    return key in _load(SOURCE_LANGUAGE)


# --- plural forms ---------------------------------------------------------------
# A count with its noun is written in the catalog as the field with its forms:
# "{days:dzień|dni|dni}" (Polish: one, few, many) or "{days:day|days}" (English:
# one, other). A form with "#" puts the number there ("{days:został # dzień|…}");
# without it the number comes first ("5 dni").

PLURAL_CATEGORIES = {"pl": ("one", "few", "many"), "en": ("one", "other")}


def plural_category(count: int, chosen: str | None = None) -> str:
    """CLDR's category of a whole number: pl one / few / many, en one / other."""
    if (chosen or language()) == "en":
        return "one" if count == 1 else "other"
    if count == 1:
        return "one"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "few"
    return "many"


def plural(count: int, forms: str) -> str:
    """``plural(5, "dzień|dni|dni")`` → ``5 dni``, in the current language's categories."""
    choices = forms.split("|")
    categories = PLURAL_CATEGORIES[language()]
    category = plural_category(count)
    form = choices[min(categories.index(category), len(choices) - 1)]
    number = format_decimal(Decimal(count), 0)
    return form.replace("#", number) if "#" in form else f"{number} {form}"


class _Param:
    __slots__ = ("name", "value")

    def __init__(self, name: str, value: object) -> None:
        self.name = name
        self.value = value


class _CatalogFormatter(string.Formatter):
    """``str.format`` with the language's formats, and plural forms in the format spec."""

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int):
            raise IndexError(key)
        return _Param(key, kwargs[key])

    def format_field(self, value: Any, format_spec: str) -> str:
        if not isinstance(value, _Param):
            return str(super().format_field(value, format_spec))
        if "|" in format_spec and isinstance(value.value, int | Decimal):
            return plural(int(value.value), format_spec)
        return str(super().format_field(format_value(value.name, value.value), format_spec))


_formatter = _CatalogFormatter()


def tr(key: str, **params: Any) -> str:
    """The text for ``key`` in the current language, with its parameters filled in."""
    template = _template(key)
    try:
        if "|" in template:  # plural forms: the slower formatter that reads them
            return _formatter.format(template, **params)
        return template.format(
            **{name: format_value(name, value) for name, value in params.items()}
        )
    except (KeyError, IndexError, ValueError, AttributeError):
        log.exception("message %r could not be filled with %r", key, sorted(params))
        return template


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(",") if "," in text else text


def _trim_english(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(name: str, value: object) -> str:
    if isinstance(value, Amount):
        return format_money(value.value, value.exact)
    if isinstance(value, Percent):
        return format_share(value.value)
    if isinstance(value, Enum):
        return tr(f"{type(value).__name__}.{value.value}")
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, date):  # a datetime too: messages name the day
        return format_date(value)
    if name == "reason" and isinstance(value, str):
        return tr(f"identifier.{value}")
    if name == "problem" and isinstance(value, str):
        return tr(value)  # a catalog key naming what is wrong
    return str(value)


# --- numbers, money and dates as the language writes them ---------------------
# Polish: 12 345,67 zł · 8,4 % · 05.07.2027; English: PLN 12,345.67 · 8.4% · 05/07/2027.
# Every figure and date the window shows goes through these.


def _english() -> bool:
    return language() == "en"


def format_number(value: Decimal, places: int = 2) -> str:
    if _english():
        return money.format_number(value, places, group=",", point=".")
    return money.format_number(value, places)


def _trim_number(text: str) -> str:
    return _trim_english(text) if _english() else _trim(text)


def format_decimal(value: Decimal, places: int = 2) -> str:
    """A quantity without needless zeros: ``24``, ``2,5`` (``2.5`` in English)."""
    return _trim_number(format_number(value, places))


def format_money(value: Decimal, exact: bool = False) -> str:
    if _english():
        return money.format_money_english(value, exact)
    return money.format_money(value, exact)


def format_percent(value: Decimal, places: int = 1) -> str:
    """A share with a fixed number of places (a table's column)."""
    text = format_number(value, places)
    return f"{text}%" if _english() else f"{text} %"


def format_share(value: Decimal, places: int = 2) -> str:
    """A share in a sentence: no needless zeros (``12,5 %``, ``10 %``)."""
    text = _trim_number(format_number(value, places))
    return f"{text}%" if _english() else f"{text} %"


def format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y" if _english() else "%d.%m.%Y")


def format_datetime(value: datetime) -> str:
    return f"{format_date(value.date())} {value:%H:%M}"


def parse_amount(text: str) -> Decimal:
    """An amount typed in the language's way; Polish and plain forms are always read.

    English digit groups (``1,234.50``) are taken only in the English UI and
    only when they are real groups of three: there ``1,5`` stays one and a half.
    """
    cleaned = text.strip()
    if _english():
        if cleaned.upper().startswith("PLN"):
            cleaned = cleaned[3:].strip()
        if _ENGLISH_GROUPS.match(cleaned):
            cleaned = cleaned.replace(",", "")
    return money.parse_amount(cleaned)


def field_label(path: str) -> str:
    """``application.actions[2].name`` → ``Działanie 2 – nazwa``."""
    numbers = _INDEX.findall(path)
    key = "field." + _INDEX.sub("", path)
    if not has(key):
        return path
    return tr(key, row=numbers[0] if numbers else "")


def finding_message(finding: Finding) -> str:
    return tr(f"finding.{finding.code}", field=field_label(finding.field), **finding.params)


def document_error_message(field: str, reason: str, **params: object) -> str:
    return tr(f"document.{reason}", field=field or "(dokument)", **params)
