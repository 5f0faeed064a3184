"""Money in złoty and grosze: always Decimal, never float.

Screen and paper show amounts Polish-style (``12 345,67 zł``); the canonical
document stores them as plain decimal strings (``"12345.67"``).
"""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

GROSZ = Decimal("0.01")
ZERO = Decimal("0.00")

# Spaces a user or a spreadsheet may put between digit groups: plain, no-break,
# narrow no-break.
_GROUP_SEPARATORS = re.compile("[ \u00a0\u202f]")
# ASCII digits only: Python's \d also matches Arabic and full-width digits.
_POLISH_NUMBER = re.compile(r"^[+-]?[0-9]+(,[0-9]+)?\Z")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?\Z")
# The canonical document's form: what decimal_to_document writes, nothing else.
_DOCUMENT_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?\Z")


class AmountFormatError(ValueError):
    """Text that is not an amount a person could have meant."""


def round_grosze(value: Decimal) -> Decimal:
    """Round to whole grosze, half up (as accountants and the forms do)."""
    return value.quantize(GROSZ, rounding=ROUND_HALF_UP)


def floor_grosze(value: Decimal) -> Decimal:
    """Down to whole grosze: the most a limit of ``value`` lets one spend."""
    return value.quantize(GROSZ, rounding=ROUND_FLOOR)


def is_whole_grosze(value: Decimal) -> bool:
    return value == value.quantize(GROSZ)


def parse_amount(text: str) -> Decimal:
    """Read a number typed Polish-style (``1 234,50``) or plainly (``1234.50``).

    A trailing ``zł`` is allowed. Both a comma and a dot in one number are
    refused: ``1.234,50`` is ambiguous across locales, and guessing could
    silently change an amount by a factor of a thousand.
    """
    cleaned = _GROUP_SEPARATORS.sub("", text.strip())
    if cleaned.lower().endswith("zł"):
        cleaned = cleaned[:-2]
    if not cleaned:
        raise AmountFormatError("empty")
    if _POLISH_NUMBER.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    elif not _PLAIN_NUMBER.match(cleaned):
        raise AmountFormatError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the patterns exclude it
        raise AmountFormatError(text) from error


def decimal_from_document(text: str) -> Decimal:
    """Read a decimal string of the canonical document (``"1234.50"``)."""
    if not isinstance(text, str) or not _DOCUMENT_NUMBER.match(text):
        raise AmountFormatError(str(text))
    return Decimal(text)


def decimal_to_document(value: Decimal) -> str:
    """The canonical string of a decimal: no exponent, no float artefacts."""
    return format(value, "f")


def format_number(value: Decimal, places: int = 2, group: str = " ", point: str = ",") -> str:
    """``12345.6`` → ``12 345,60`` (Polish digit grouping and comma by default)."""
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    digits = format(abs(rounded), "f")
    whole, _, fraction = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = group.join(groups)
    return f"{sign}{text}{point}{fraction}" if places else f"{sign}{text}"


def places_to_show(value: Decimal) -> int:
    """Decimal places that show ``value`` whole: 2 for whole grosze, more for a fraction."""
    exponent = value.normalize().as_tuple().exponent
    return max(2, -exponent) if isinstance(exponent, int) else 2


def format_money(value: Decimal, exact: bool = False) -> str:
    """``12345.67`` → ``12 345,67 zł`` (``exact``: ``0.005`` → ``0,005 zł``, not rounded)."""
    return f"{format_number(value, places_to_show(value) if exact else 2)} zł"


def format_money_english(value: Decimal, exact: bool = False) -> str:
    """``12345.67`` → ``PLN 12,345.67``, for the English messages."""
    places = places_to_show(value) if exact else 2
    return f"PLN {format_number(value, places, group=',', point='.')}"


def format_percent(value: Decimal, places: int = 1) -> str:
    """``8.4`` → ``8,4 %`` (Polish puts a space before the sign)."""
    return f"{format_number(value, places)} %"


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """Share of ``part`` in ``whole`` in percent, exact (no rounding); 0 when whole is 0."""
    if whole == 0:
        return Decimal(0)
    return part * 100 / whole
