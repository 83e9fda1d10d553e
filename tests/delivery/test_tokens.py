"""Signed download links: only a genuine, unexpired token names its answer or list."""
from __future__ import annotations

import base64
import json

import pytest

from bot.delivery.tokens import sign, verify

SECRET = b"s" * 32
NOW = 1_700_000_000


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _payload_swapped(token: str, payload: list) -> str:
    _, mac = token.split(".")
    return _b64(json.dumps(payload, separators=(",", ":")).encode()) + "." + mac


def _last_char_flipped(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


GOOD = sign("a", "answer-1", NOW + 60, SECRET)
LIST = sign("p", "14:aad-1", NOW + 60, SECRET)

CASES = [
    ("valid answer link", GOOD, SECRET, NOW, ("a", "answer-1")),
    ("valid prefecture link", LIST, SECRET, NOW, ("p", "14:aad-1")),
    ("one second before expiry", GOOD, SECRET, NOW + 59, ("a", "answer-1")),
    ("at expiry", GOOD, SECRET, NOW + 60, None),
    ("expired", sign("a", "answer-1", NOW - 1, SECRET), SECRET, NOW, None),
    ("tampered subject", _payload_swapped(GOOD, ["a", "answer-2", NOW + 60]), SECRET, NOW, None),
    ("tampered expiry", _payload_swapped(GOOD, ["a", "answer-1", NOW + 10**6]), SECRET, NOW, None),
    ("tampered signature", _last_char_flipped(GOOD), SECRET, NOW, None),
    ("wrong kind (a list link used as an answer link)", _payload_swapped(LIST, ["a", "14:aad-1", NOW + 60]), SECRET, NOW, None),
    ("unknown kind, correctly signed", _b64(b'["x","answer-1",1700000060]') + "." + GOOD.split(".")[1], SECRET, NOW, None),
    ("wrong secret", GOOD, b"t" * 32, NOW, None),
    ("no separator", GOOD.replace(".", ""), SECRET, NOW, None),
    ("not base64", "%%%.%%%", SECRET, NOW, None),
    ("empty", "", SECRET, NOW, None),
]


@pytest.mark.parametrize(("token", "secret", "now", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_verify(token: str, secret: bytes, now: int, expected) -> None:
    assert verify(token, secret, now) == expected


@pytest.mark.parametrize("subject", ["answer-1", "14:6f1c-aad", "日本語の件名"])
def test_token_is_url_safe(subject: str) -> None:
    token = sign("p", subject, NOW + 60, SECRET)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert verify(token, SECRET, NOW) == ("p", subject)


def test_sign_refuses_unknown_kind() -> None:
    with pytest.raises(ValueError):
        sign("x", "answer-1", NOW, SECRET)
