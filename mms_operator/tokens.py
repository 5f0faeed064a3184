"""Organisation tokens: made once, shown once, kept only as SHA-256 hashes.

A token is 256 random bits, so one round of SHA-256 is enough: there is nothing
to guess, and a stolen database gives no usable token.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
