"""The store's types the window names: summaries in its lists, the outbox, its failures.

The window never imports storage; it takes these from here. They are plain
frozen dataclasses and exceptions, so the window reads them and changes nothing
through them.
"""

from __future__ import annotations

from mms_desktop.storage.errors import (
    StoreCorruptError,
    StoreDiskFullError,
    StoreError,
    StoreReadOnlyError,
)
from mms_desktop.storage.folder_lock import FolderInUseError
from mms_desktop.storage.store import (
    ApplicationSummary,
    OutboxItem,
    OutboxState,
    ReportSummary,
)

__all__ = [
    "ApplicationSummary",
    "FolderInUseError",
    "OutboxItem",
    "OutboxState",
    "ReportSummary",
    "StoreCorruptError",
    "StoreDiskFullError",
    "StoreError",
    "StoreReadOnlyError",
]
