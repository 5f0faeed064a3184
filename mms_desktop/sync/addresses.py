"""Operator addresses: what a well-formed one is, and which may carry a token.

A token sent over plain ``http://`` travels in clear to anyone on the way (the
village hall's Wi-Fi, a café's). So plain http is accepted only for this very
computer (127.0.0.0/8, ::1, localhost) unless the organisation's login
explicitly allows it; everything else must be ``https://``.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def normalized_url(text: str) -> str | None:
    """The address without spaces and trailing slashes; None unless http(s) with a host."""
    url = text.strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def insecure(url: str) -> bool:
    """True for plain http to another computer: a token would travel in clear."""
    return urlsplit(url).scheme == "http" and not is_loopback(url)
