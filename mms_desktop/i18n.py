"""One message catalog for every user-facing string: UI, findings, PDFs, CLI.

Catalogs are JSON files in ``resources/i18n/<language>/`` — one file per area
of the program (``core.json``, ``ui.json``, …), merged on load; Polish is the
source language, English a translation. As in Electrum, a translation whose
format fields differ from the Polish source is ignored and the source used: a
bad translation can never crash a form or show a wrong number.
"""

from __future__ import annotations

import json
import logging
import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from mms_desktop.domain.findings import Amount, Finding, Percent
from mms_desktop.domain.money import format_money, format_money_english, format_number
from mms_desktop.resources import resource_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "pl"
LANGUAGES = ("pl", "en")
_state = {"language": SOURCE_LANGUAGE}
# A language for one piece of work (a PDF built in a worker thread) without
# touching the window's: context variables are per thread.
_override: ContextVar[str | None] = ContextVar("mms_language", default=None)
_INDEX = re.compile(r"\[(\d+)\]")


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


def has(key: str) -> bool:
    return key in _load(SOURCE_LANGUAGE)


def tr(key: str, **params: Any) -> str:
    """The text for ``key`` in the current language, with its parameters filled in."""
    template = _template(key)
    try:
        return template.format(
            **{name: format_value(name, value) for name, value in params.items()}
        )
    except (KeyError, IndexError, ValueError):
        log.exception("message %r could not be filled with %r", key, sorted(params))
        return template


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(",") if "," in text else text


def _trim_english(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(name: str, value: object) -> str:
    if isinstance(value, Amount):
        if language() == "en":
            return format_money_english(value.value, value.exact)
        return format_money(value.value, value.exact)
    if isinstance(value, Percent):
        if language() == "en":
            return _trim_english(format_number(value.value, 2, group=",", point=".")) + "%"
        return _trim(format_number(value.value, 2)) + " %"
    if isinstance(value, Enum):
        return tr(f"{type(value).__name__}.{value.value}")
    if isinstance(value, Decimal):
        return _trim(format_number(value, 2))
    if isinstance(value, date):
        return format_date(value)
    if name == "reason" and isinstance(value, str):
        return tr(f"identifier.{value}")
    if name == "problem" and isinstance(value, str):
        return tr(value)  # a catalog key naming what is wrong
    return str(value)


def format_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


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
