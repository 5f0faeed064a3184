"""SQLite errors sorted into the ones a person can act on and the bugs.

As in qutebrowser's ``misc/sql.py``: a full disk, a read-only folder, a store
another program holds, a damaged file or one from a newer version of the app
are told to the user in words; anything else is a bug — logged with its
traceback and re-raised.
"""

from __future__ import annotations

import sqlite3


class StoreError(Exception):
    """A problem with the store that the user can understand and act on.

    ``key`` is the catalog key of the message; ``params`` fill it in.
    """

    key = "store.error"

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.key)
        self.detail = detail
        self.params = params


class StoreDiskFullError(StoreError):
    key = "store.disk_full"


class StoreReadOnlyError(StoreError):
    key = "store.read_only"


class StoreLockedError(StoreError):
    key = "store.locked"


class StoreCorruptError(StoreError):
    key = "store.corrupt"


class StoreCannotOpenError(StoreError):
    key = "store.cannot_open"


class StoreTooNewError(StoreError):
    key = "store.too_new"


class NotFoundError(StoreError):
    key = "store.not_found"


class ApplicationLockedError(StoreError):
    """An edit of an application that has been submitted and is frozen."""

    key = "store.application_locked"


class ReportLockedError(StoreError):
    """An edit of a report that has been submitted and is frozen."""

    key = "store.report_locked"


_KNOWN: dict[str, type[StoreError]] = {
    "SQLITE_FULL": StoreDiskFullError,
    "SQLITE_READONLY": StoreReadOnlyError,
    "SQLITE_BUSY": StoreLockedError,
    "SQLITE_LOCKED": StoreLockedError,
    "SQLITE_CORRUPT": StoreCorruptError,
    "SQLITE_NOTADB": StoreCorruptError,
    "SQLITE_CANTOPEN": StoreCannotOpenError,
    "SQLITE_PERM": StoreReadOnlyError,
    "SQLITE_AUTH": StoreReadOnlyError,
}


def classify(error: sqlite3.Error) -> StoreError | None:
    """The known error this is, or ``None`` when it can only be a bug."""
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, kind in _KNOWN.items():
        # Extended codes share their primary's prefix (SQLITE_READONLY_DBMOVED, …).
        if name == prefix or name.startswith(prefix + "_"):
            return kind(str(error))
    if name.startswith("SQLITE_IOERR"):
        text = str(error).lower()
        if "full" in text or "space" in text:
            return StoreDiskFullError(str(error))
        return StoreCannotOpenError(str(error))
    return None
