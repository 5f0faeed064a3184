"""Ids are random UUID strings: made offline, unique across laptops."""

from __future__ import annotations


def new_id() -> str:
    # Imported here: uuid imports platform (2 ms), and the window's start makes no ids.
    import uuid

    return str(uuid.uuid4())
