"""Codes (共有, 確認依頼) and the guess limit, on a real Redis."""
from __future__ import annotations

import json
import math
import re

import pytest

from bot.state.codes import (
    ALPHABET,
    CODE_TTL_SECONDS,
    GUESS_LIMIT,
    GUESS_WINDOW_SECONDS,
    PURPOSE_CONFIRM,
    PURPOSE_SHARE,
    Codes,
    NewCode,
    Purpose,
    new_code,
    normalise_code,
)
from bot.state.redis_storage import MODE_ABSENT, CasWrite, RedisStorage

NS = "mn2307"


@pytest.fixture
async def codes(redis_client) -> Codes:
    return Codes(redis_client, NS)


async def store_code(client, code: str, purpose: str, answer_id: str, by: str = "user-1", ns: str = NS) -> None:
    """A code stored as a turn's save stores it (TurnState.create), without the turn."""
    key, record, ttl = Codes.new_record(NewCode(code, Purpose(purpose), answer_id), by, "2023-07-01T10:00:00+09:00")
    await RedisStorage(client, ns).compare_and_set([CasWrite(key, record, MODE_ABSENT, ttl_s=ttl)])


def test_codes_are_random_enough_and_readable() -> None:
    seen = {new_code() for _ in range(2000)}
    assert len(seen) == 2000
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in seen)
    assert not set("".join(seen)) & set("01OI")  # no look-alikes
    assert len(ALPHABET) == len(set(ALPHABET)) and 8 * math.log2(len(ALPHABET)) >= 40


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("ABCD-EFGH", "ABCD-EFGH"),
        ("abcd-efgh", "ABCD-EFGH"),
        ("ABCDEFGH", "ABCD-EFGH"),
        ("abcd efgh", "ABCD-EFGH"),
        ("ＡＢＣＤ－ＥＦＧＨ", "ABCD-EFGH"),
        (" ABCD-EFGH ", "ABCD-EFGH"),
        ("ABCD-EFG", None),  # too short
        ("ABCD-EFGHJ", None),  # too long
        ("ABCD-EFG0", None),  # 0 is not in the alphabet
        ("ABCD-EFGI", None),  # nor I
        ("相模原市", None),
        ("", None),
    ],
)
def test_normalise_code(typed: str, expected: str | None) -> None:
    assert normalise_code(typed) == expected


async def test_a_code_expires_in_seven_days(codes: Codes, redis_client) -> None:
    await store_code(redis_client, "ABCD-EFGH", PURPOSE_SHARE, "answer-1", "user-1")
    ttl = await redis_client.ttl(f"{NS}:code:ABCD-EFGH")
    assert CODE_TTL_SECONDS - 5 <= ttl <= CODE_TTL_SECONDS == 7 * 24 * 3600
    assert json.loads(await redis_client.get(f"{NS}:code:ABCD-EFGH"))["answer_id"] == "answer-1"


@pytest.mark.parametrize(
    "stored_purpose,asked_purpose,typed,found",
    [
        (PURPOSE_SHARE, PURPOSE_SHARE, "ABCD-EFGH", True),
        (PURPOSE_SHARE, PURPOSE_SHARE, "abcd efgh", True),
        (PURPOSE_CONFIRM, PURPOSE_CONFIRM, "ABCD-EFGH", True),
        (PURPOSE_SHARE, PURPOSE_CONFIRM, "ABCD-EFGH", False),  # single purpose
        (PURPOSE_CONFIRM, PURPOSE_SHARE, "ABCD-EFGH", False),
        (PURPOSE_SHARE, PURPOSE_SHARE, "ABCD-EFGJ", False),
        (PURPOSE_SHARE, PURPOSE_SHARE, "not a code", False),
    ],
)
async def test_lookup(codes: Codes, redis_client, stored_purpose, asked_purpose, typed, found) -> None:
    await store_code(redis_client, "ABCD-EFGH", stored_purpose, "answer-1", "user-1")
    lookup = await codes.lookup("user-2", typed, asked_purpose)
    assert (lookup.info is not None, lookup.refused) == (found, False)
    if found:
        assert (lookup.info.answer_id, lookup.code) == ("answer-1", "ABCD-EFGH")
    misses = await redis_client.get(f"{NS}:guess:user-2")
    assert (misses is None) == found


async def test_a_revoked_or_expired_code_is_a_miss(codes: Codes, redis_client) -> None:
    await store_code(redis_client, "ABCD-EFGH", PURPOSE_SHARE, "answer-1", "user-1")
    await codes.revoke("ABCD-EFGH")
    assert (await codes.lookup("user-2", "ABCD-EFGH", PURPOSE_SHARE)).info is None
    await store_code(redis_client, "ABCD-EFGJ", PURPOSE_SHARE, "answer-1", "user-1")
    await redis_client.delete(f"{NS}:code:ABCD-EFGJ")  # what the 7-day expiry leaves
    assert (await codes.lookup("user-2", "ABCD-EFGJ", PURPOSE_SHARE)).info is None


async def test_guessing_is_cut_off_for_an_hour(codes: Codes, redis_client) -> None:
    await store_code(redis_client, "ABCD-EFGH", PURPOSE_CONFIRM, "answer-1", "user-1")
    results = [await codes.lookup("guesser", f"WXYZ-{ALPHABET[i]}AAA", PURPOSE_CONFIRM) for i in range(GUESS_LIMIT)]
    assert [r.refused for r in results] == [False] * (GUESS_LIMIT - 1) + [True]
    assert all(r.info is None for r in results)
    # The window opens at the first miss; the limit reached starts an hour of refusal.
    ttl = await redis_client.ttl(f"{NS}:guess:guesser")
    assert GUESS_WINDOW_SECONDS - 5 <= ttl <= GUESS_WINDOW_SECONDS == 3600
    right = await codes.lookup("guesser", "ABCD-EFGH", PURPOSE_CONFIRM)
    assert (right.info, right.refused) == (None, True)
    # Refusals do not extend the count, and other users are not affected.
    assert int(await redis_client.get(f"{NS}:guess:guesser")) == GUESS_LIMIT
    assert (await codes.lookup("someone-else", "ABCD-EFGH", PURPOSE_CONFIRM)).info is not None
    # After the hour, codes are looked up again.
    await redis_client.delete(f"{NS}:guess:guesser")
    assert (await codes.lookup("guesser", "ABCD-EFGH", PURPOSE_CONFIRM)).info is not None


async def test_the_window_is_not_restarted_by_each_miss(codes: Codes, redis_client) -> None:
    await codes.lookup("guesser", "WXYZ-AAAA", PURPOSE_SHARE)
    await redis_client.expire(f"{NS}:guess:guesser", 100)  # the window half gone
    await codes.lookup("guesser", "WXYZ-AAAB", PURPOSE_SHARE)
    assert await redis_client.ttl(f"{NS}:guess:guesser") <= 100
