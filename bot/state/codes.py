"""Codes in Redis (共有, 確認依頼) and the limit on guessing them; what a code is and the
record it names: bot/dialogs/codes.py."""
from __future__ import annotations

import json
import logging

import redis.asyncio

from bot.dialogs.codes import (  # noqa: F401  (re-exported: the names callers know)
    ALPHABET,
    PURPOSE_CONFIRM,
    PURPOSE_SHARE,
    CodeLookup,
    CodeRecord,
    NewCode,
    Purpose,
    new_code,
    normalise_code,
)
from bot.stored_json import RecordError

CODE_PREFIX = "code:"
CODE_TTL_SECONDS = 7 * 24 * 3600
GUESS_LIMIT = 10
GUESS_WINDOW_SECONDS = 3600

log = logging.getLogger(__name__)


class Codes:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = "mn2307") -> None:
        self._client = client
        self._ns = namespace

    def _key(self, code: str) -> str:
        return f"{self._ns}:{CODE_PREFIX}{code}"

    def _guess_key(self, user_key: str) -> str:
        return f"{self._ns}:guess:{user_key}"

    @staticmethod
    def new_record(new: NewCode, by: str, created_at: str) -> tuple[str, dict[str, str], int]:
        """(key in the namespace, record, lifetime) of a code a turn hands out, for
        `TurnState.create`: the code is stored in the turn's own save, or not at all."""
        return CODE_PREFIX + new.code, CodeRecord(new.purpose, new.answer_id, by, created_at).to_json(), CODE_TTL_SECONDS

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
        info = _record(raw) if raw else None
        if info is not None and info.purpose == purpose:
            return CodeLookup(info, code=code)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.incr(self._guess_key(user_key))
            pipe.ttl(self._guess_key(user_key))
            count, ttl = await pipe.execute()
        if ttl < 0 or count >= GUESS_LIMIT:
            # The window starts at the first miss; reaching the limit starts the hour of refusal.
            await self._client.expire(self._guess_key(user_key), GUESS_WINDOW_SECONDS)
        return CodeLookup(None, refused=count >= GUESS_LIMIT, code=code)


def _record(raw: bytes | str) -> CodeRecord | None:
    """A stored code's record; one that is not (a hand-edited key) reads as no code."""
    try:
        return CodeRecord.from_json(json.loads(raw), "code")  # the code itself is not logged
    except (ValueError, RecordError) as error:
        log.warning("stored code record unreadable, taken as no code: %s", error)
        return None
