"""Signed, expiring download links: `GET /files/{token}`.

A token names one thing only: one answer (kind "a", subject = answer_id), one
prefecture list (kind "p", subject = "<code>:<user_key>") or the ministry's country list
(kind "n", subject = the user key). It carries its own expiry,
so nothing has to be stored per link, and an HMAC over all three fields, so changing
any of them (or the expiry) invalidates it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json

KIND_ANSWER = "a"
KIND_PREFECTURE_LIST = "p"
KIND_COUNTRY_LIST = "n"  # the ministry's list: subject = the user key
KINDS = frozenset({KIND_ANSWER, KIND_PREFECTURE_LIST, KIND_COUNTRY_LIST})


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(payload: bytes, secret: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


def sign(kind: str, subject: str, expires_at: int, secret: bytes) -> str:
    """`<payload>.<signature>`, both base64url without padding (safe in a URL path)."""
    if kind not in KINDS:
        raise ValueError(f"unknown link kind {kind!r}")
    payload = json.dumps([kind, subject, int(expires_at)], ensure_ascii=False, separators=(",", ":")).encode()
    return f"{_b64encode(payload)}.{_b64encode(_mac(payload, secret))}"


def verify(token: str, secret: bytes, now: float) -> tuple[str, str] | None:
    """(kind, subject) of a genuine token not yet expired at `now` (epoch seconds); else None."""
    try:
        encoded_payload, encoded_mac = token.split(".")
        payload = _b64decode(encoded_payload)
        mac = _b64decode(encoded_mac)
    except (ValueError, binascii.Error):
        return None
    if not hmac.compare_digest(mac, _mac(payload, secret)):
        return None
    try:
        kind, subject, expires_at = json.loads(payload)
    except (ValueError, TypeError):
        return None
    if kind not in KINDS or not isinstance(subject, str) or not isinstance(expires_at, int):
        return None
    if now >= expires_at:
        return None
    return kind, subject
