"""What a list shows of a call: its id and version, name, opening and deadline.

Read from a call definition's document by the same reader, and the same
lines, as the whole definition (``call.CallDefinition.from_dict`` starts from
this heading). The window's first list needs no more, so its start loads
neither ``call`` nor any definition's rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from mms_desktop.domain.document_errors import reader

if TYPE_CHECKING:
    from datetime import date, datetime


class CallHeading(NamedTuple):
    id: str
    version: int
    name: str
    opens_at: date
    deadline: datetime


def call_heading(data: dict[str, Any]) -> CallHeading:
    """The heading of a call definition's document (``DocumentError`` if it does not read)."""
    read = reader(data, "")
    return CallHeading(
        id=read.text("id"),
        version=read.integer("version"),
        name=read.text("name"),
        opens_at=read.date("opens_at"),
        deadline=read.datetime("deadline"),
    )
