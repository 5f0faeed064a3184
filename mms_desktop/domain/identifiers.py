"""Polish identifiers, checked by python-stdnum (never by hand).

Each check returns ``None`` when the value is fine, or a short reason code that
the message catalog turns into words ("za mało cyfr", "zła cyfra kontrolna").
Empty values are not checked here: whether a field is required is a rule of
the call and the legal form, decided in ``validation``.
"""

from __future__ import annotations

from stdnum import iban
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.pl import nip, regon

# Reason codes, keys of "identifier.<code>" in the catalog.
WRONG_LENGTH = "wrong_length"
NOT_DIGITS = "not_digits"
BAD_CHECKSUM = "bad_checksum"
BAD_COMPONENT = "bad_component"


def _reason(error: ValidationError) -> str:
    if isinstance(error, InvalidLength):
        return WRONG_LENGTH
    if isinstance(error, InvalidChecksum):
        return BAD_CHECKSUM
    if isinstance(error, InvalidFormat):
        return NOT_DIGITS
    if isinstance(error, InvalidComponent):
        return BAD_COMPONENT
    return NOT_DIGITS


def compact_digits(value: str) -> str:
    """Drop the spaces and dashes people type inside numbers."""
    return "".join(ch for ch in value if ch not in " -\u00a0")


def check_nip(value: str) -> str | None:
    try:
        nip.validate(value)
    except ValidationError as error:
        return _reason(error)
    return None


def check_regon(value: str) -> str | None:
    try:
        regon.validate(value)
    except ValidationError as error:
        return _reason(error)
    return None


def check_bank_account(value: str) -> str | None:
    """An NRB: 26 digits, which is a Polish IBAN without the leading "PL"."""
    digits = compact_digits(value).upper()
    if digits.startswith("PL"):
        digits = digits[2:]
    if not digits.isdigit():
        return NOT_DIGITS
    if len(digits) != 26:
        return WRONG_LENGTH
    try:
        iban.validate("PL" + digits)
    except ValidationError as error:
        return _reason(error)
    return None


def check_krs(value: str) -> str | None:
    """KRS: up to 10 digits, written zero-padded; it has no check digit."""
    digits = compact_digits(value)
    if not digits.isdigit():
        return NOT_DIGITS
    if len(digits) > 10:
        return WRONG_LENGTH
    return None


def format_bank_account(value: str) -> str:
    """``61109010140000071219812874`` → ``61 1090 1014 0000 0712 1981 2874``."""
    digits = compact_digits(value)
    if len(digits) != 26 or not digits.isdigit():
        return value
    return digits[:2] + " " + " ".join(digits[i : i + 4] for i in range(2, 26, 4))


def format_krs(value: str) -> str:
    digits = compact_digits(value)
    return digits.zfill(10) if digits.isdigit() and len(digits) <= 10 else value
