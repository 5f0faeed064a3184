"""Operator tokens, one per organisation: in the system keyring, or for this session only.

A token belongs to an organisation at an operator's address: it is kept under
the pair (address, organisation id), so two organisations on one laptop never
share one. A secret is never written to SQLite, a log or a plain file. Where
no keyring backend exists (a bare Linux box), the token is kept in memory for
this run and the user is told so.

``MMS_OPERATOR_TOKEN`` supplies a token for one headless run without storing it
anywhere; it stands in for the token of *every* organisation in that run. The
operator checks each document's organisation against the token's and refuses a
mismatch (``organization_mismatch``), which the desktop shows in words — so a
folder with several organisations should log each one in (``login
--organization``) rather than rely on one variable.
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


def token_key(server_url: str, organization_id: str) -> str:
    """The keyring's user name for one organisation at one operator."""
    return f"{organization_id}@{server_url.rstrip('/')}"


def _read_keyring(key: str) -> str | None:
    if not keyring_available():
        return None
    try:
        token: str | None = _keyring().get_password(SERVICE, key)
        return token
    except Exception:
        log.exception("reading the keyring failed")
        return None


def get_token(server_url: str, organization_id: str, legacy: bool = False) -> str | None:
    """The organisation's token; ``legacy``: also the one a schema-4 login kept by address.

    A legacy token found is moved under the organisation's own key.
    """
    from_env = os.environ.get(ENV_TOKEN)
    if from_env:
        return from_env
    key = token_key(server_url, organization_id)
    if key in _session_tokens:
        return _session_tokens[key]
    token = _read_keyring(key)
    if token is None and legacy:
        token = _read_keyring(server_url.rstrip("/"))
        if token is not None:
            set_token(server_url, organization_id, token)
            try:
                _keyring().delete_password(SERVICE, server_url.rstrip("/"))
            except Exception:
                log.info("the old token under %s could not be removed", server_url)
    return token


def set_token(server_url: str, organization_id: str, token: str) -> bool:
    """Keep the token; True when it went to the keyring, False when for this session only."""
    key = token_key(server_url, organization_id)
    if keyring_available():
        try:
            _keyring().set_password(SERVICE, key, token)
            _session_tokens.pop(key, None)
            return True
        except Exception:
            log.exception("writing the keyring failed; keeping the token for this session")
    _session_tokens[key] = token
    return False


def forget_token(server_url: str, organization_id: str) -> None:
    key = token_key(server_url, organization_id)
    _session_tokens.pop(key, None)
    if keyring_available():
        try:
            _keyring().delete_password(SERVICE, key)
        except Exception:
            log.info("no token to forget in the keyring for %s", key)
