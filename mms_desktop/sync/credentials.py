"""The operator token: in the system keyring, or for this session only.

A secret is never written to SQLite, a log or a plain file. Where no keyring
backend exists (a bare Linux box), the token is kept in memory for this run
and the user is told so. ``MMS_OPERATOR_TOKEN`` supplies a token for one
headless run without storing it anywhere.
"""

from __future__ import annotations

import logging
import os
from typing import Any

ENV_TOKEN = "MMS_OPERATOR_TOKEN"
SERVICE = "mms-desktop"
log = logging.getLogger(__name__)

_session_tokens: dict[str, str] = {}


def _keyring() -> Any:
    import keyring  # loaded when a token is first needed

    return keyring


def keyring_available() -> bool:
    try:
        backend = _keyring().get_keyring()
    except Exception:
        log.exception("the keyring could not be loaded")
        return False
    priority = getattr(backend, "priority", 0)
    return bool(priority and priority > 0)


def get_token(server_url: str) -> str | None:
    from_env = os.environ.get(ENV_TOKEN)
    if from_env:
        return from_env
    if server_url in _session_tokens:
        return _session_tokens[server_url]
    if keyring_available():
        try:
            token: str | None = _keyring().get_password(SERVICE, server_url)
            return token
        except Exception:
            log.exception("reading the keyring failed")
    return None


def set_token(server_url: str, token: str) -> bool:
    """Keep the token; True when it went to the keyring, False when for this session only."""
    if keyring_available():
        try:
            _keyring().set_password(SERVICE, server_url, token)
            _session_tokens.pop(server_url, None)
            return True
        except Exception:
            log.exception("writing the keyring failed; keeping the token for this session")
    _session_tokens[server_url] = token
    return False


def forget_token(server_url: str) -> None:
    _session_tokens.pop(server_url, None)
    if keyring_available():
        try:
            _keyring().delete_password(SERVICE, server_url)
        except Exception:
            log.info("no token to forget in the keyring for %s", server_url)
