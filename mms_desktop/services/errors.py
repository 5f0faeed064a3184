"""Errors a user can cause (a bad file, an unknown id), told in words."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; ``key`` is its message in the catalog."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class BlockedError(UserError):
    """A submission refused because findings block it (the command line exits 1)."""


class DataFolderError(UserError):
    """The data folder itself cannot be used: not creatable, or a file stands in its place."""
