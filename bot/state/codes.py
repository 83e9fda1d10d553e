"""Short codes a person hands to another (共有, 確認依頼), and the limit on guessing them.

A code is 8 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I):
40 random bits, shown as XXXX-XXXX. Each code has one purpose and expires.
"""
from __future__ import annotations

import json
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

import redis.asyncio

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_TTL_SECONDS = 7 * 24 * 3600
GUESS_LIMIT = 10
GUESS_WINDOW_SECONDS = 3600

PURPOSE_SHARE = "share"
PURPOSE_CONFIRM = "confirm"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str | None:
    """`abcd efgh`, `ＡＢＣＤ－ＥＦＧＨ` -> `ABCD-EFGH`; None when it cannot be a code."""
    flat = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())
    if len(flat) != 8 or any(ch not in ALPHABET for ch in flat):
        return None
    return f"{flat[:4]}-{flat[4:]}"


@dataclass
class CodeLookup:
    info: dict[str, Any] | None  # {"purpose", "answer_id", "by", "created_at"} when valid
    refused: bool = False  # too many wrong codes: not even looked up
    code: str | None = None  # the code as normalised


class Codes:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = "mn2307") -> None:
        self._client = client
        self._ns = namespace

    def _key(self, code: str) -> str:
        return f"{self._ns}:code:{code}"

    def _guess_key(self, user_key: str) -> str:
        return f"{self._ns}:guess:{user_key}"

    async def store(self, code: str, purpose: str, answer_id: str, by: str, created_at: str) -> None:
        payload = {"purpose": purpose, "answer_id": answer_id, "by": by, "created_at": created_at}
        await self._client.set(self._key(code), json.dumps(payload, ensure_ascii=False), ex=CODE_TTL_SECONDS)

    async def revoke(self, code: str) -> None:
        await self._client.delete(self._key(code))

    async def lookup(self, user_key: str, text: str, purpose: str) -> CodeLookup:
        """The code's record if it exists and serves `purpose`; every miss counts as a
        wrong guess, and after GUESS_LIMIT misses the user is refused for an hour."""
        guesses = await self._client.get(self._guess_key(user_key))
        if guesses is not None and int(guesses) >= GUESS_LIMIT:
            return CodeLookup(None, refused=True)
        code = normalise_code(text)
        raw = await self._client.get(self._key(code)) if code else None
        info = json.loads(raw) if raw else None
        if info is not None and info.get("purpose") == purpose:
            return CodeLookup(info, code=code)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.incr(self._guess_key(user_key))
            pipe.ttl(self._guess_key(user_key))
            count, ttl = await pipe.execute()
        if ttl < 0 or count >= GUESS_LIMIT:
            # The window starts at the first miss; reaching the limit starts the hour of refusal.
            await self._client.expire(self._guess_key(user_key), GUESS_WINDOW_SECONDS)
        return CodeLookup(None, refused=count >= GUESS_LIMIT, code=code)
