"""The desk's Redis state on a real server: staff grants beside the setting, the
prefectures' deadlines, the once-a-day 督促 lock across processes, and the one read a
turn makes of both."""
from __future__ import annotations

import asyncio
from datetime import date, datetime

import pytest

from bot.config import JST
from bot.state.prefecture_deadlines import Chase, PrefectureDeadline, PrefectureDeadlines
from bot.state.staff import Grant, StaffGrants
from bot.state.turn_roles import RoleReads, TurnRoles
from tests.redis_server import RoundTrips

NS = "desk"
SETTINGS = {"aad-set-14": "14"}
JULY_14 = datetime(2023, 7, 14, 17, 0, tzinfo=JST)


@pytest.fixture
def grants(redis_client) -> StaffGrants:
    return StaffGrants(redis_client, NS, SETTINGS)


@pytest.fixture
def deadlines(redis_client) -> PrefectureDeadlines:
    return PrefectureDeadlines(redis_client, NS)


# --- staff ------------------------------------------------------------------------------

PREFECTURE_OF = [
    ("named by the setting", "aad-set-14", [], "14"),
    ("granted in the chat", "aad-granted", [Grant("aad-granted", "13")], "13"),
    ("the setting wins over a grant", "aad-set-14", [Grant("aad-set-14", "01")], "14"),
    ("nobody", "aad-nobody", [Grant("aad-granted", "13")], None),
]


@pytest.mark.parametrize(("user", "stored", "expected"), [c[1:] for c in PREFECTURE_OF], ids=[c[0] for c in PREFECTURE_OF])
async def test_prefecture_of(grants, user, stored, expected) -> None:
    for grant in stored:
        await grants.grant(grant)
    assert await grants.prefecture_of(user) == expected


async def test_grant_replace_revoke_and_list(grants) -> None:
    assert await grants.grant(Grant("aad-a", "14", "山田 太郎", "aad-admin", "2023-07-01 09:00")) is None
    replaced = await grants.grant(Grant("aad-a", "13", "山田 太郎", "aad-admin", "2023-07-02 09:00"))
    assert (replaced.code, replaced.at) == ("14", "2023-07-01 09:00")
    await grants.grant(Grant("aad-b", "14", "", "aad-admin", "2023-07-03 09:00"))
    listed = [(g.user_key, g.code, g.from_settings) for g in await grants.all()]
    assert listed == [("aad-a", "13", False), ("aad-set-14", "14", True), ("aad-b", "14", False)]
    assert (await grants.revoke("aad-a")).code == "13"
    assert await grants.revoke("aad-a") is None
    assert await grants.prefecture_of("aad-a") is None


async def test_a_value_the_bot_did_not_write_is_no_grant(redis_client, grants) -> None:
    await redis_client.hset(grants.key, mapping={"aad-x": b"\xff not json", "aad-y": b'{"code": 14}'})
    assert (await grants.prefecture_of("aad-x"), await grants.prefecture_of("aad-y")) == (None, None)
    assert [g.user_key for g in await grants.all()] == ["aad-set-14"]


# --- deadlines --------------------------------------------------------------------------


async def test_deadline_set_read_clear(deadlines) -> None:
    assert await deadlines.get("14") is None
    await deadlines.set(PrefectureDeadline("14", JULY_14, "aad-set-14", "2023-07-01 10:00"))
    await deadlines.set(PrefectureDeadline("13", datetime(2023, 7, 18, 12, 30, tzinfo=JST)))
    stored = await deadlines.get("14")
    assert (stored.at, stored.by, stored.set_at) == (JULY_14, "aad-set-14", "2023-07-01 10:00")
    assert sorted(await deadlines.all()) == ["13", "14"]
    assert await deadlines.clear("14") is True and await deadlines.clear("14") is False
    assert list(await deadlines.all()) == ["13"]


async def test_a_deadline_the_bot_did_not_write_is_no_deadline(redis_client, deadlines) -> None:
    await redis_client.hset(deadlines.key, mapping={"14": b"2023-07-14", "13": b'{"at": "soon"}'})
    assert (await deadlines.get("14"), await deadlines.get("13"), await deadlines.all()) == (None, None, {})


async def test_one_chase_a_day_per_prefecture_across_processes(redis_client, redis_url) -> None:
    """Ten claims at once, as from several bot processes: one wins, the others are told who."""
    import redis.asyncio

    clients = [redis.asyncio.Redis.from_url(redis_url) for _ in range(10)]
    try:
        stores = [PrefectureDeadlines(client, NS) for client in clients]
        day = date(2023, 7, 10)
        results = await asyncio.gather(*(
            store.claim_chase("14", day, Chase(f"aad-{n}", f"職員{n}", "09:00")) for n, store in enumerate(stores)))
    finally:
        for client in clients:
            await client.aclose()
    winners = [n for n, taken in enumerate(results) if taken is None]
    assert len(winners) == 1
    assert {(t.by, t.name) for t in results if t is not None} == {(f"aad-{winners[0]}", f"職員{winners[0]}")}
    deadlines = PrefectureDeadlines(redis_client, NS)
    # Another prefecture, or the next day, is free again.
    assert await deadlines.claim_chase("13", day, Chase("aad-13", "都", "09:00")) is None
    assert await deadlines.claim_chase("14", date(2023, 7, 11), Chase("aad-1", "職員1", "09:00")) is None
    assert 0 < await redis_client.ttl(f"{NS}:chased:14:2023-07-10") <= 2 * 24 * 3600


# --- the turn's read ----------------------------------------------------------------------

TURN_CASES = [
    # (case, user, answer's prefecture, expected, server commands)
    ("setting staff without an answer: no read", "aad-set-14", None, TurnRoles("14"), {}),
    ("granted staff", "aad-granted", None, TurnRoles("13"), {"hgetall": 2}),
    ("municipality of a prefecture with a deadline", "aad-nobody", "14", TurnRoles(None, JULY_14), {"hgetall": 2}),
    ("municipality of a prefecture without one", "aad-nobody", "01", TurnRoles(None, None), {"hgetall": 2}),
    ("setting staff answering too", "aad-set-14", "14", TurnRoles("14", JULY_14), {"hgetall": 2}),
]


@pytest.mark.parametrize(("user", "code", "expected", "ran"), [c[1:] for c in TURN_CASES], ids=[c[0] for c in TURN_CASES])
async def test_the_turn_reads_roles_and_deadline_at_once(redis_client, grants, deadlines, user, code, expected, ran) -> None:
    await grants.grant(Grant("aad-granted", "13"))
    await deadlines.set(PrefectureDeadline("14", JULY_14))
    trips = RoundTrips(redis_client)
    result: list[TurnRoles] = []

    async def read() -> None:
        result.append(await RoleReads(redis_client, grants, deadlines).for_turn(user, code))

    _, server = await trips.measure(read())
    assert result == [expected]
    assert server == ran  # both tables in one pipeline


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# (case, what happens between two turns, second turn's commands, second turn's staff prefecture)
CACHE_CASES = [
    ("within max_age: the copy serves, no read", lambda c, g, o: None, {}, "13"),
    ("max_age passed: read again", lambda c, g, o: setattr(c, "now", c.now + 6), {"hgetall": 2}, "13"),
    ("granted in this process: read again at once", "revoke-here", {"hgetall": 2}, None),
    ("revoked by another replica: seen after max_age only", "revoke-elsewhere", {}, "13"),
]


@pytest.mark.parametrize(("between", "ran", "staff"), [c[1:] for c in CACHE_CASES], ids=[c[0] for c in CACHE_CASES])
async def test_roles_are_kept_for_a_few_seconds(redis_client, grants, deadlines, between, ran, staff) -> None:
    await grants.grant(Grant("aad-granted", "13"))
    clock = _Clock()
    roles = RoleReads(redis_client, grants, deadlines, max_age=5.0, clock=clock)
    assert (await roles.for_turn("aad-granted", None)).staff_prefecture == "13"
    if between == "revoke-here":
        await grants.revoke("aad-granted")
    elif between == "revoke-elsewhere":
        await StaffGrants(redis_client, NS, {}).revoke("aad-granted")  # another replica's store
    else:
        between(clock, grants, deadlines)
    trips = RoundTrips(redis_client)
    result: list[TurnRoles] = []

    async def read() -> None:
        result.append(await roles.for_turn("aad-granted", None))

    _, server = await trips.measure(read())
    assert server == ran
    assert result[0].staff_prefecture == staff
