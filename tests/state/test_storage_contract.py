"""One table of storage cases, run against botbuilder's MemoryStorage and RedisStorage;
then botbuilder-testing's StorageBaseTests, the SDK's own measure of a Storage, on RedisStorage.

MemoryStorage only starts assigning e_tags once the stored item carries one, so
cases that need a real e_tag seed the item with `write_tracked` (first write with
"*", then a plain write): after that both storages hold an e_tag of their own.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from botbuilder.core import MemoryStorage, Storage, StoreItem
from botbuilder.testing import StorageBaseTests

from bot.state.redis_storage import ETagConflict, RedisStorage
from tests.redis_server import RoundTrips


def fields(value: Any) -> dict[str, Any]:
    """A read result without its e_tag (MemoryStorage may hand back the StoreItem itself)."""
    data = dict(value) if isinstance(value, dict) else dict(vars(value))
    data.pop("e_tag", None)
    return data


def etag_of(value: Any) -> Any:
    return value.get("e_tag") if isinstance(value, dict) else getattr(value, "e_tag", None)


async def write_tracked(storage: Storage, key: str, value: dict[str, Any]) -> str:
    await storage.write({key: {**value, "e_tag": "*"}})
    await storage.write({key: dict(value)})
    etag = etag_of((await storage.read([key]))[key])
    assert etag not in (None, "", "*")
    return etag


async def case_read_missing(storage: Storage) -> None:
    assert await storage.read(["nobody"]) == {}
    assert await storage.read([]) == {}


async def case_write_then_read(storage: Storage) -> None:
    await storage.write({"a": {"count": 1, "tags": ["x", "y"], "nested": {"ok": True, "none": None}}})
    items = await storage.read(["a"])
    assert fields(items["a"]) == {"count": 1, "tags": ["x", "y"], "nested": {"ok": True, "none": None}}


async def case_unconditional_write_overwrites(storage: Storage) -> None:
    await write_tracked(storage, "a", {"v": 1})
    await storage.write({"a": {"v": 2}})
    assert fields((await storage.read(["a"]))["a"]) == {"v": 2}


async def case_star_etag_overwrites(storage: Storage) -> None:
    await write_tracked(storage, "a", {"v": 1})
    await storage.write({"a": {"v": 2, "e_tag": "*"}})
    assert fields((await storage.read(["a"]))["a"]) == {"v": 2}


async def case_current_etag_writes(storage: Storage) -> None:
    etag = await write_tracked(storage, "a", {"v": 1})
    await storage.write({"a": {"v": 2, "e_tag": etag}})
    assert fields((await storage.read(["a"]))["a"]) == {"v": 2}


async def case_stale_etag_raises(storage: Storage) -> None:
    stale = await write_tracked(storage, "a", {"v": 1})
    await storage.write({"a": {"v": 2, "e_tag": stale}})
    with pytest.raises(KeyError):
        await storage.write({"a": {"v": 3, "e_tag": stale}})
    assert fields((await storage.read(["a"]))["a"]) == {"v": 2}


async def case_new_etag_after_each_write(storage: Storage) -> None:
    first = await write_tracked(storage, "a", {"v": 1})
    await storage.write({"a": {"v": 2, "e_tag": first}})
    second = etag_of((await storage.read(["a"]))["a"])
    await storage.write({"a": {"v": 3}})
    third = etag_of((await storage.read(["a"]))["a"])
    assert len({first, second, third}) == 3


async def case_delete(storage: Storage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 2}})
    await storage.delete(["a", "never-written"])
    items = await storage.read(["a", "b"])
    assert list(items) == ["b"]


async def case_many_keys_in_one_call(storage: Storage) -> None:
    await storage.write({f"k{i}": {"i": i} for i in range(20)})
    items = await storage.read([f"k{i}" for i in range(25)])
    assert {key: fields(value) for key, value in items.items()} == {f"k{i}": {"i": i} for i in range(20)}


async def case_japanese_text_round_trip(storage: Storage) -> None:
    value = {"組織名": "東京都千代田区", "回答": "②定めていない。", "住所": "１丁目２番地３号"}
    await storage.write({"ユーザー/会話": dict(value)})
    assert fields((await storage.read(["ユーザー/会話"]))["ユーザー/会話"]) == value


async def case_store_item_round_trip(storage: Storage) -> None:
    await storage.write({"item": StoreItem(name="千代田区", count=3, e_tag="*")})
    assert fields((await storage.read(["item"]))["item"]) == {"name": "千代田区", "count": 3}


async def case_keys_with_separators(storage: Storage) -> None:
    keys = ["msteams/conversations/19:abc@thread.v2/", "user:29:1a-b", "a b\tc"]
    await storage.write({key: {"key": key} for key in keys})
    items = await storage.read(keys)
    assert {key: fields(value) for key, value in items.items()} == {key: {"key": key} for key in keys}


CASES: list[Callable[[Storage], Awaitable[None]]] = [
    case_read_missing,
    case_write_then_read,
    case_unconditional_write_overwrites,
    case_star_etag_overwrites,
    case_current_etag_writes,
    case_stale_etag_raises,
    case_new_etag_after_each_write,
    case_delete,
    case_many_keys_in_one_call,
    case_japanese_text_round_trip,
    case_store_item_round_trip,
    case_keys_with_separators,
]


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> Storage:
    if request.param == "memory":
        return MemoryStorage()
    return RedisStorage(request.getfixturevalue("redis_client"), namespace="contract")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.removeprefix("case_"))
async def test_storage_contract(storage: Storage, case: Callable[[Storage], Awaitable[None]]) -> None:
    await case(storage)


# What RedisStorage promises beyond MemoryStorage's contract.


async def redis_stores_compact_utf8_json(storage: RedisStorage) -> None:
    await storage.write({"k": {"組織名": "千代田区", "n": [1, 2]}})
    raw = await storage.client.get("contract:k")
    etag = (await storage.read(["k"]))["k"]["e_tag"]
    assert raw == f'{{"組織名":"千代田区","n":[1,2],"e_tag":"{etag}"}}'.encode("utf-8")


async def redis_conflict_names_key_and_writes_nothing(storage: RedisStorage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 1}})
    stale = (await storage.read(["b"]))["b"]["e_tag"]
    await storage.write({"b": {"v": 2}})
    with pytest.raises(ETagConflict) as raised:
        await storage.write({"a": {"v": 9}, "b": {"v": 9, "e_tag": stale}})
    assert raised.value.key == "b" and "b" in str(raised.value)
    items = await storage.read(["a", "b"])
    assert (fields(items["a"]), fields(items["b"])) == ({"v": 1}, {"v": 2})


async def redis_gives_writer_the_new_etag(storage: RedisStorage) -> None:
    state = {"v": 1}
    item = StoreItem(v=1)
    await storage.write({"d": state, "s": item})
    stored = await storage.read(["d", "s"])
    assert (state["e_tag"], item.e_tag) == (stored["d"]["e_tag"], stored["s"]["e_tag"])
    state["v"] = 2
    await storage.write({"d": state})  # the same holder writes again: no conflict
    assert fields((await storage.read(["d"]))["d"]) == {"v": 2}


async def redis_rejects_non_json_values(storage: RedisStorage) -> None:
    with pytest.raises(TypeError, match="bad"):
        await storage.write({"bad": {"when": object()}})
    assert await storage.read(["bad"]) == {}


async def redis_read_is_one_mget_write_is_one_evalsha(storage: RedisStorage) -> None:
    await storage.write({"warm": {}})  # loads the script once (NOSCRIPT → SCRIPT LOAD)
    trips = RoundTrips(storage.client)
    assert await trips.measure(storage.read(["a", "b", "c"])) == (["mget"], {"mget": 1})
    # The SETs run inside the script, on the server.
    assert await trips.measure(storage.write({"a": {}, "b": {}, "c": {}})) == (["evalsha"], {"evalsha": 1, "set": 3})


async def redis_delete_leaves_other_namespaces(storage: RedisStorage) -> None:
    other = RedisStorage(storage.client, namespace="other")
    await storage.write({"k": {"v": 1}})
    await other.write({"k": {"v": 2}})
    await storage.delete(["k"])
    assert (await storage.read(["k"]), fields((await other.read(["k"]))["k"])) == ({}, {"v": 2})


REDIS_CASES: list[Callable[[RedisStorage], Awaitable[None]]] = [
    redis_stores_compact_utf8_json,
    redis_conflict_names_key_and_writes_nothing,
    redis_gives_writer_the_new_etag,
    redis_rejects_non_json_values,
    redis_read_is_one_mget_write_is_one_evalsha,
    redis_delete_leaves_other_namespaces,
]


@pytest.mark.parametrize("case", REDIS_CASES, ids=lambda case: case.__name__.removeprefix("redis_"))
async def test_redis_storage(redis_client: Any, case: Callable[[RedisStorage], Awaitable[None]]) -> None:
    await case(RedisStorage(redis_client, namespace="contract"))


# botbuilder-testing's cases, each one a row. proceeds_through_waterfall keeps a
# DialogState (a WaterfallDialog, then a TextPrompt with its PromptOptions and their
# Activity) in ConversationState over several turns.
SDK_CASES = [
    "return_empty_object_when_reading_unknown_key",
    "handle_null_keys_when_reading",
    "handle_null_keys_when_writing",
    "does_not_raise_when_writing_no_items",
    "create_object",
    "handle_crazy_keys",
    "update_object",
    "delete_object",
    "delete_unknown_object",
    "perform_batch_operations",
    "proceeds_through_waterfall",
]


def test_sdk_cases_are_all_of_storage_base_tests() -> None:
    offered = [name for name, value in vars(StorageBaseTests).items() if isinstance(value, staticmethod)]
    assert sorted(SDK_CASES) == sorted(offered)


@pytest.mark.parametrize("case", SDK_CASES)
async def test_storage_base_tests(redis_client: Any, case: str) -> None:
    assert await getattr(StorageBaseTests, case)(RedisStorage(redis_client, namespace="sdk")) is True
