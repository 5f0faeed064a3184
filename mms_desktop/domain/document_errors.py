"""Reading JSON documents into domain objects, naming the field that is wrong.

A file a user imports may be broken in any way. Whatever is wrong, the error
names the field by its path (``application.budget[3].unit_cost``) and a reason
code the catalog puts into words; nothing is half-read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from mms_desktop.domain.money import AmountFormatError, decimal_from_document

E = TypeVar("E", bound=Enum)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ISO_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:[0-9]{2}|Z)\Z"
)
_MISSING = object()


class DocumentError(ValueError):
    """A document that does not hold what its format promises."""

    def __init__(self, field: str, reason: str, **params: object) -> None:
        super().__init__(f"{field}: {reason} {params if params else ''}".strip())
        self.field = field
        self.reason = reason
        self.params = params


class Reader:
    """Typed access to one JSON object; every error carries the field's path."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, dict):
            raise DocumentError(path or "(dokument)", "not_an_object")
        self._data: dict[str, Any] = data
        self._path = path

    def path(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def _get(self, key: str, default: object) -> object:
        if key in self._data and self._data[key] is not None:
            return self._data[key]
        if default is _MISSING:
            raise DocumentError(self.path(key), "missing")
        return default

    def text(self, key: str, default: object = _MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise DocumentError(self.path(key), "not_text")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, None)
        if value is None:
            return None
        return self.text(key)

    def boolean(self, key: str, default: object = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise DocumentError(self.path(key), "not_boolean")
        return value

    def integer(self, key: str, default: object = _MISSING) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise DocumentError(self.path(key), "not_integer")
        return value

    def optional_integer(self, key: str) -> int | None:
        if self._get(key, None) is None:
            return None
        return self.integer(key)

    def decimal(self, key: str, default: object = _MISSING) -> Decimal:
        value = self._get(key, default)
        if isinstance(value, Decimal):
            return value
        try:
            return decimal_from_document(value)  # type: ignore[arg-type]
        except AmountFormatError:
            raise DocumentError(self.path(key), "not_decimal") from None

    def optional_decimal(self, key: str) -> Decimal | None:
        if self._get(key, None) is None:
            return None
        return self.decimal(key)

    def date(self, key: str) -> dt.date:
        value = self.text(key)
        # Only the canonical YYYY-MM-DD: fromisoformat also takes "20250601" and
        # week dates, which would not encode back to the same bytes.
        if not _ISO_DATE.match(value):
            raise DocumentError(self.path(key), "not_date")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # written right, but no such day: 2027-02-30
            raise DocumentError(self.path(key), "impossible_date") from None

    def optional_date(self, key: str) -> dt.date | None:
        if self._get(key, None) is None:
            return None
        return self.date(key)

    def datetime(self, key: str) -> dt.datetime:
        value = self.text(key)
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            # Written right but no such moment (2027-02-30T16:00) or written wrong.
            reason = "impossible_date" if _ISO_DATETIME.match(value) else "not_datetime"
            raise DocumentError(self.path(key), reason) from None
        if parsed.tzinfo is None:
            # A deadline without a time zone would shift with the laptop's clock.
            raise DocumentError(self.path(key), "no_timezone")
        return parsed

    def enum(self, key: str, kind: type[E], default: object = _MISSING) -> E:
        value = self._get(key, default)
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except ValueError:
            raise DocumentError(self.path(key), "unknown_value", value=str(value)) from None

    def enum_list(self, key: str, kind: type[E], default: object = _MISSING) -> list[E]:
        values = self._get(key, default)
        if not isinstance(values, list):
            raise DocumentError(self.path(key), "not_a_list")
        result = []
        for index, value in enumerate(values):
            try:
                result.append(kind(value))
            except ValueError:
                raise DocumentError(
                    f"{self.path(key)}[{index + 1}]", "unknown_value", value=str(value)
                ) from None
        return result

    def text_list(self, key: str) -> list[str]:
        values = self._get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DocumentError(self.path(key), "not_a_list")
        return list(values)

    def mapping(self, key: str, optional: bool = False) -> dict[str, Any] | None:
        value = self._get(key, None if optional else _MISSING)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise DocumentError(self.path(key), "not_an_object")
        return value

    def child(self, key: str) -> Reader:
        return Reader(self._get(key, _MISSING), self.path(key))

    def optional_child(self, key: str) -> Reader | None:
        value = self._get(key, None)
        return None if value is None else Reader(value, self.path(key))

    def records(self, key: str, optional: bool = False) -> Iterator[Reader]:
        values = self._get(key, [] if optional else _MISSING)
        if not isinstance(values, list):
            raise DocumentError(self.path(key), "not_a_list")
        for index, value in enumerate(values):
            # 1-based, as the row numbers a person sees on the form.
            yield Reader(value, f"{self.path(key)}[{index + 1}]")


def reader(data: object, path: str) -> Reader:
    return Reader(data, path)
