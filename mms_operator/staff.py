"""Staff passwords and the panel's secrets (no SQL here: the store keeps the results).

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second
recommended profile: 64 MiB, 3 passes), so a stolen database costs an attacker
that memory for every guess. A sign-in to an unknown address still runs one
verification, so the answer's timing does not tell which addresses have accounts.
Session cookies and CSRF tokens are 256 random bits; only a session's SHA-256
is stored, as with organisations' tokens.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@cache
def _decoy() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one hashed; None (no such account) takes as long."""
    try:
        return bool(_HASHER.verify(password_hash or _decoy(), password)) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def one_time_password() -> str:
    """What ``add-staff`` prints: 16 characters, changed at the first sign-in."""
    return secrets.token_urlsafe(12)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def normal_email(text: str) -> str | None:
    """The address as the account's key (trimmed, lower case), or None if it is not one."""
    email = text.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in email):
        return None
    return email
