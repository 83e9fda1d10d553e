"""TurnStore: one round trip per load and per save (another answer the turn changes
included), e_tag conflicts, bounded retries."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.state.redis_storage import ETagConflict, RedisStorage
from bot.state.turn_store import TurnState, TurnStore
from tests.redis_server import RoundTrips

NS = "turns"


def new_answer(answer_id: str) -> dict[str, Any]:
    return {"answer_id": answer_id, "respondent": {}, "answers": {}, "notes": {}, "confirmation": {}}


async def seed(store: TurnStore, user_key: str, answer_id: str, **user: Any) -> TurnState:
    """A user working on a stored answer; returns the saved state."""
    state = await store.load(user_key)
    existing, etag = await store.load_answer(answer_id)
    state.switch_answer(answer_id, existing if existing is not None else new_answer(answer_id), etag)
    state.user.update(user)
    await store.save(state)
    return state


async def case_new_user_loads_empty(store: TurnStore) -> None:
    state = await store.load("u1")
    assert (state.user, state.answer, state.user_etag, state.answer_etag, state.loaded_answer_id) == ({}, None, None, None, None)


async def case_saved_state_loads_back(store: TurnStore) -> None:
    saved = await seed(store, "u1", "A", cursor="7-2", paused=False)
    saved.answer["answers"]["1-1"] = 2
    saved.answer["respondent"]["org_name"] = "千代田区"
    await store.save(saved)
    loaded = await store.load("u1")
    assert loaded.user == {"answer_id": "A", "cursor": "7-2", "paused": False}
    assert loaded.answer == {**new_answer("A"), "answers": {"1-1": 2}, "respondent": {"org_name": "千代田区"}}
    assert (loaded.user_etag, loaded.answer_etag, loaded.loaded_answer_id) == (saved.user_etag, saved.answer_etag, "A")


async def case_load_is_one_evalsha(store: TurnStore) -> None:
    await seed(store, "u1", "A")
    await store.load("u1")  # the script is loaded into the server once
    trips = RoundTrips(store.storage.client)
    assert await trips.measure(store.load("u1")) == (["evalsha"], {"evalsha": 1, "get": 2})


async def case_save_is_one_evalsha(store: TurnStore) -> None:
    state = await seed(store, "u1", "A")
    state.user["cursor"] = "2"
    state.answer["answers"]["1-1"] = 1
    trips = RoundTrips(store.storage.client)
    # inside the script: GET both to check their e_tags, then SET both
    assert await trips.measure(store.save(state)) == (["evalsha"], {"evalsha": 1, "get": 2, "set": 2})


async def case_unchanged_state_saves_nothing(store: TurnStore) -> None:
    await seed(store, "u1", "A", cursor="1-1")
    state = await store.load("u1")
    trips = RoundTrips(store.storage.client)
    assert await trips.measure(store.save(state)) == ([], {})


async def case_only_changed_record_is_written(store: TurnStore) -> None:
    await seed(store, "u1", "A")
    state = await store.load("u1")
    answer_etag = state.answer_etag
    state.user["cursor"] = "3"
    await store.save(state)
    assert (await store.load("u1")).answer_etag == answer_etag


async def case_state_saves_again_after_save(store: TurnStore) -> None:
    state = await seed(store, "u1", "A")
    for cursor in ("1-1", "1-2", "2"):
        state.user["cursor"] = cursor
        state.answer["answers"][cursor] = 1
        await store.save(state)
    loaded = await store.load("u1")
    assert (loaded.user["cursor"], sorted(loaded.answer["answers"])) == ("2", ["1-1", "1-2", "2"])


async def case_concurrent_turns_of_one_user_conflict(store: TurnStore) -> None:
    await seed(store, "u1", "A")
    first, second = await store.load("u1"), await store.load("u1")
    first.user["cursor"] = "from-first"
    second.user["cursor"] = "from-second"
    await store.save(first)
    with pytest.raises(ETagConflict) as raised:
        await store.save(second)
    assert raised.value.key == "user:u1"
    assert (await store.load("u1")).user["cursor"] == "from-first"


async def case_colleagues_on_one_answer_conflict_all_or_nothing(store: TurnStore) -> None:
    await seed(store, "u1", "A")
    await seed(store, "u2", "A")
    one, two = await store.load("u1"), await store.load("u2")
    one.answer["answers"]["3"] = 1
    two.answer["answers"]["3"] = 2
    two.user["cursor"] = "4"
    await store.save(one)
    with pytest.raises(ETagConflict) as raised:
        await store.save(two)
    assert raised.value.key == "answer:A"
    after = await store.load("u2")
    # the user record of the failed save was not written either
    assert (after.answer["answers"], "cursor" in after.user) == ({"3": 1}, False)


async def case_two_creators_of_one_answer_conflict(store: TurnStore) -> None:
    one, two = await store.load("u1"), await store.load("u2")
    one.switch_answer("A", new_answer("A"), None)
    two.switch_answer("A", {**new_answer("A"), "notes": {"6": "none"}}, None)
    await store.save(one)
    with pytest.raises(ETagConflict, match="answer:A"):
        await store.save(two)


async def case_answer_of_another_user_needs_switch(store: TurnStore) -> None:
    state = await seed(store, "u1", "A")
    state.user["answer_id"] = "B"
    state.answer["answers"]["1-1"] = 1
    with pytest.raises(ValueError, match="switch_answer"):
        await store.save(state)


async def case_joining_an_answer_writes_only_the_user(store: TurnStore) -> None:
    await seed(store, "u1", "A")
    state = await store.load("u2")
    answer, etag = await store.load_answer("A")
    state.switch_answer("A", answer, etag)
    trips = RoundTrips(store.storage.client)
    # one record written: GET + SET of the user only
    assert await trips.measure(store.save(state)) == (["evalsha"], {"evalsha": 1, "get": 1, "set": 1})
    assert (await store.load("u2")).answer_etag == etag


async def case_other_answer_is_saved_with_the_user_in_one_call(store: TurnStore) -> None:
    await seed(store, "resp", "A")
    await seed(store, "boss", "B", reviewing="A")
    state = await store.load("boss")
    other, etag = await store.load_answer("A")
    state.track_other("A", other, etag)
    state.other["confirmation"] = {"status": "confirmed"}
    state.user.pop("reviewing")
    state.history = [{"answer_id": "A", "kind": "confirm"}]
    trips = RoundTrips(store.storage.client)
    assert await trips.measure(store.save(state)) == (["evalsha"], {"evalsha": 1, "get": 2, "set": 2, "rpush": 1})
    assert (await store.load_answer("A"))[0]["confirmation"] == {"status": "confirmed"}
    assert "reviewing" not in (await store.load("boss")).user
    assert await store.storage.client.llen(f"{NS}:history:A") == 1


async def case_conflict_on_the_other_answer_writes_nothing(store: TurnStore) -> None:
    await seed(store, "resp", "A")
    await seed(store, "boss", "B", reviewing="A")
    state = await store.load("boss")
    other, etag = await store.load_answer("A")
    state.track_other("A", other, etag)
    state.other["confirmation"] = {"status": "confirmed"}
    state.user.pop("reviewing")
    state.history = [{"answer_id": "A", "kind": "confirm"}]
    edit = await store.load("resp")  # the respondent edits meanwhile
    edit.answer["answers"]["12"] = 1
    await store.save(edit)
    with pytest.raises(ETagConflict, match="answer:A"):
        await store.save(state)
    assert (await store.load_answer("A"))[0]["confirmation"] == {}
    assert (await store.load("boss")).user["reviewing"] == "A"
    assert await store.storage.client.llen(f"{NS}:history:A") == 0


async def case_unchanged_other_answer_is_not_written(store: TurnStore) -> None:
    await seed(store, "resp", "A")
    await seed(store, "boss", "B")
    state = await store.load("boss")
    other, etag = await store.load_answer("A")
    state.track_other("A", other, etag)
    state.user["cursor"] = "1-1"
    await store.save(state)
    assert (await store.load_answer("A"))[1] == etag


async def case_adopted_answer_is_saved_as_the_users(store: TurnStore) -> None:
    await seed(store, "resp", "A")
    await seed(store, "mate", "B")
    state = await store.load("mate")
    other, etag = await store.load_answer("A")
    state.track_other("A", other, etag)
    state.other["members"] = ["resp", "mate"]
    state.adopt_other()
    assert (state.other_id, state.answer_id) == (None, "A")
    await store.save(state)
    joined = await store.load("mate")
    assert (joined.answer_id, joined.answer["members"]) == ("A", ["resp", "mate"])
    assert (await store.load_answer("B"))[0] == new_answer("B")  # the one left is kept as it was


async def case_own_answer_is_not_another(store: TurnStore) -> None:
    await seed(store, "resp", "A")
    state = await store.load("resp")
    other, etag = await store.load_answer("A")
    with pytest.raises(ValueError, match="own answer"):
        state.track_other("A", other, etag)


async def case_save_answer_checks_etag(store: TurnStore) -> None:
    await seed(store, "u1", "A")
    answer, etag = await store.load_answer("A")
    answer["confirmation"] = {"status": "confirmed", "confirmed_by": "山田"}
    new_etag = await store.save_answer("A", answer, etag)
    with pytest.raises(ETagConflict, match="answer:A"):
        await store.save_answer("A", answer, etag)
    assert await store.load_answer("A") == (answer, new_etag)
    assert (await store.load("u1")).answer["confirmation"]["status"] == "confirmed"


async def case_save_answer_none_etag_creates_only(store: TurnStore) -> None:
    await store.save_answer("A", new_answer("A"), None)
    with pytest.raises(ETagConflict):
        await store.save_answer("A", new_answer("A"), None)


async def case_records_are_redis_storage_records(store: TurnStore) -> None:
    state = await seed(store, "u1", "A", cursor="5")
    items = await RedisStorage(store.storage.client, NS).read(["user:u1", "answer:A"])
    assert items["user:u1"] == {"answer_id": "A", "cursor": "5", "e_tag": state.user_etag}
    assert items["answer:A"] == {**new_answer("A"), "e_tag": state.answer_etag}


async def case_run_retries_after_interleaved_writer(store: TurnStore) -> None:
    await seed(store, "u1", "A", count=0)
    other = TurnStore(store.storage.client, NS)
    calls = 0

    async def increment(state: TurnState) -> int:
        nonlocal calls
        calls += 1
        if calls == 1:  # another turn of the same user lands between our load and save
            await other.run("u1", bump)
        state.user["count"] += 1
        return state.user["count"]

    async def bump(state: TurnState) -> None:
        state.user["count"] += 1

    assert (await store.run("u1", increment), calls) == (2, 2)
    assert (await store.load("u1")).user["count"] == 2


async def case_run_gives_up_after_bounded_retries(store: TurnStore) -> None:
    await seed(store, "u1", "A", count=0)
    other = TurnStore(store.storage.client, NS)
    calls = 0

    async def always_interleaved(state: TurnState) -> None:
        nonlocal calls
        calls += 1
        await other.run("u1", bump)
        state.user["count"] += 100

    async def bump(state: TurnState) -> None:
        state.user["count"] += 1

    with pytest.raises(ETagConflict, match="user:u1"):
        await store.run("u1", always_interleaved, attempts=4)
    assert (calls, (await store.load("u1")).user["count"]) == (4, 4)


async def case_run_without_conflict_calls_once(store: TurnStore) -> None:
    calls = 0

    async def start(state: TurnState) -> str:
        nonlocal calls
        calls += 1
        state.switch_answer("A", new_answer("A"), None)
        state.user["cursor"] = "組織区分"
        return "started"

    assert (await store.run("u9", start), calls) == ("started", 1)
    assert (await store.load("u9")).answer == new_answer("A")


async def case_history_of_an_unchanged_answer_is_appended(store: TurnStore) -> None:
    state = await seed(store, "u1", "A")
    state.history = [{"answer_id": "A", "kind": "exported"}]
    await store.save(state)  # the answer itself is not written: only its history grows
    client = store.storage.client
    assert await client.lrange(f"{NS}:history:A", 0, -1) == [b'{"kind":"exported"}']


async def case_history_of_a_deleted_answer_is_not_recreated(store: TurnStore) -> None:
    state = await seed(store, "u1", "A")
    client = store.storage.client
    await client.delete(f"{NS}:answer:A", f"{NS}:history:A")  # deleted after this turn read it
    state.user["cursor"] = "2"
    state.history = [{"answer_id": "A", "kind": "exported"}]
    with pytest.raises(ETagConflict, match="answer:A"):
        await store.save(state)
    assert await client.exists(f"{NS}:history:A", f"{NS}:answer:A") == 0
    assert (await store.load("u1")).user.get("cursor") is None  # all or nothing: the user record too


async def case_created_record_is_saved_with_the_turn_and_expires(store: TurnStore) -> None:
    state = await seed(store, "u1", "A")
    state.user["cursor"] = "2"
    state.create("code:ABCD-EFGH", {"purpose": "share", "answer_id": "A"}, ttl_s=600)
    trips = RoundTrips(store.storage.client)
    assert await trips.measure(store.save(state)) == (["evalsha"], {"evalsha": 1, "get": 2, "set": 2})
    client = store.storage.client
    assert 0 < await client.ttl(f"{NS}:code:ABCD-EFGH") <= 600
    assert state.created == []  # saved once, not again with the next save


async def case_created_record_on_a_taken_key_conflicts(store: TurnStore) -> None:
    client = store.storage.client
    await client.set(f"{NS}:code:ABCD-EFGH", b'{"answer_id":"B"}')
    state = await seed(store, "u1", "A")
    state.user["cursor"] = "2"
    state.create("code:ABCD-EFGH", {"purpose": "share", "answer_id": "A"}, ttl_s=600)
    with pytest.raises(ETagConflict, match="code:ABCD-EFGH"):
        await store.save(state)
    assert await client.get(f"{NS}:code:ABCD-EFGH") == b'{"answer_id":"B"}'
    assert (await store.load("u1")).user.get("cursor") is None  # all or nothing


CASES: list[Callable[[TurnStore], Awaitable[None]]] = [
    case_new_user_loads_empty,
    case_saved_state_loads_back,
    case_load_is_one_evalsha,
    case_save_is_one_evalsha,
    case_unchanged_state_saves_nothing,
    case_only_changed_record_is_written,
    case_state_saves_again_after_save,
    case_concurrent_turns_of_one_user_conflict,
    case_colleagues_on_one_answer_conflict_all_or_nothing,
    case_two_creators_of_one_answer_conflict,
    case_answer_of_another_user_needs_switch,
    case_joining_an_answer_writes_only_the_user,
    case_other_answer_is_saved_with_the_user_in_one_call,
    case_conflict_on_the_other_answer_writes_nothing,
    case_unchanged_other_answer_is_not_written,
    case_adopted_answer_is_saved_as_the_users,
    case_own_answer_is_not_another,
    case_save_answer_checks_etag,
    case_save_answer_none_etag_creates_only,
    case_records_are_redis_storage_records,
    case_run_retries_after_interleaved_writer,
    case_run_gives_up_after_bounded_retries,
    case_run_without_conflict_calls_once,
    case_history_of_an_unchanged_answer_is_appended,
    case_history_of_a_deleted_answer_is_not_recreated,
    case_created_record_is_saved_with_the_turn_and_expires,
    case_created_record_on_a_taken_key_conflicts,
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.removeprefix("case_"))
async def test_turn_store(redis_client: Any, case: Callable[[TurnStore], Awaitable[None]]) -> None:
    await case(TurnStore(redis_client, namespace=NS))
