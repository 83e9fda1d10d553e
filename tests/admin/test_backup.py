"""Export and import on a real Redis: a snapshot holds whole turns while writers run,
a round trip restores every key of every exported kind, import refuses a non-empty
namespace unless merging, and merging follows its rule."""
from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.admin.commands import export_data, import_data
from bot.admin.data_file import entry_line, read_lines
from bot.admin.restore import restore
from bot.admin.snapshot import take_snapshot
from bot.messages import admin as msg
from bot.state.redis_storage import ETagConflict
from bot.state.turn_store import TurnState, TurnStore
from tests.admin.compare import assert_same_state, state_lines

NS = "mn2307"


async def lines_of(redis_client) -> list[dict[str, Any]]:
    """The namespace as the export shows it (records without their e_tags)."""
    return await state_lines(redis_client, NS)


async def populate(redis_client) -> None:
    """One key of every exported kind, as the bot writes them."""
    store = TurnStore(redis_client, NS)
    state = await store.load("u1")
    state.user.update(answer_id="a1", cursor={"kind": "item", "id": "6"}, reference={"serviceUrl": "http://x"})
    state.switch_answer("a1", {"answer_id": "a1", "answers": {"6": [1, 2]}, "members": ["u1", "u2"]}, None)
    state.history = [{"answer_id": "a1", "kind": "start", "by": "u1"}, {"answer_id": "a1", "kind": "answer", "item": "6", "new": [1, 2]}]
    await store.save(state)
    await redis_client.sadd(f"{NS}:name:山田太郎", "u1")
    await redis_client.sadd(f"{NS}:pref:14", "a1")
    await redis_client.hset(f"{NS}:q13:14", "14神奈川県相模原市", json.dumps({"type": "t", "answer_id": "a1", "q13": [1]}, ensure_ascii=False))
    await redis_client.set(f"{NS}:code:ABCD-EFGH", json.dumps({"purpose": "share", "answer_id": "a1"}), ex=3600)
    await redis_client.hset(f"{NS}:collect:staff", "中井町.xlsx", json.dumps(["14神奈川県中井町"], ensure_ascii=False))
    await redis_client.expire(f"{NS}:collect:staff", 7200)
    await redis_client.set(f"{NS}:reminded:a1:2023-07-21:3", "1", ex=600)
    await redis_client.set(f"{NS}:secret:file_links", bytes(range(32)))
    # Not carried: they would do nothing but harm after a restore.
    await redis_client.set(f"{NS}:guess:u3", "2", ex=3600)
    await redis_client.hset(f"{NS}:file:f1", mapping={"name": "x", "data": b"PK", "kind": "a", "subject": "a1"})
    await redis_client.set(f"{NS}:lock:retention", "1", ex=60)


async def test_round_trip_restores_every_exported_key(redis_client, tmp_path: Path) -> None:
    await populate(redis_client)
    before = await lines_of(redis_client)
    assert sorted({line["kind"] for line in before}) == sorted(
        ["answer", "user", "history", "name", "prefecture_index", "q13_board", "code", "kept_list_rows", "reminded", "link_secret"]
    )
    printed: list[str] = []
    path = tmp_path / "backup.jsonl"
    assert await export_data(redis_client, NS, path, printed.append) == 0
    assert path.stat().st_mode & 0o777 == 0o600
    await redis_client.flushdb()
    assert await import_data(redis_client, NS, path, merge=False, out=printed.append) == 0
    assert_same_state(await lines_of(redis_client), before)  # TTLs included
    assert await redis_client.exists(f"{NS}:guess:u3", f"{NS}:file:f1", f"{NS}:lock:retention") == 0
    # The bot reads the restored records as its own: same user, same answer, new e_tags.
    state = await TurnStore(redis_client, NS).load("u1")
    assert (state.answer_id, state.answer["answers"], state.user["cursor"]) == ("a1", {"6": [1, 2]}, {"kind": "item", "id": "6"})


async def test_snapshot_holds_whole_turns_while_writers_run(redis_client) -> None:
    """Each save writes a counter into the answer and one history entry in one script:
    a snapshot that read them at different moments would find them disagreeing."""
    store = TurnStore(redis_client, NS)
    answers = [f"a{i}" for i in range(4)]
    for answer_id in answers:
        await store.save_answer(answer_id, {"answer_id": answer_id, "n": 0}, None)
    stop = asyncio.Event()
    gave_up: list[str] = []

    async def writer(user: str, answer_id: str) -> None:
        async def turn(state: TurnState) -> None:
            if state.answer is None:
                state.switch_answer(answer_id, *(await store.load_answer(answer_id)))
            state.answer["n"] += 1
            state.history = [{"answer_id": answer_id, "n": state.answer["n"]}]

        while not stop.is_set():
            try:
                await store.run(user, turn, attempts=50)
            except ETagConflict:
                # Two writers in a tight loop on one answer: one can lose 50 races in a row,
                # and a turn that gives up saves nothing (the bot replies msg.BUSY). Not what
                # this test is about; the snapshots must still hold whole turns.
                gave_up.append(user)

    # Two writers per answer: colleagues racing, as on deadline day.
    tasks = [asyncio.create_task(writer(f"u{i}-{j}", a)) for i, a in enumerate(answers) for j in range(2)]
    snapshots = []
    for _ in range(15):
        snapshots.append(await take_snapshot(redis_client, NS))
        await asyncio.sleep(0.005)
    stop.set()
    await asyncio.gather(*tasks)
    moved = set()
    for snapshot in snapshots:
        records = {(e.kind.name, e.id): entry_line(e)["value"] for e in snapshot.entries}
        for answer_id in answers:
            n = records[("answer", answer_id)]["n"]
            history = records.get(("history", answer_id), [])
            assert [entry["n"] for entry in history] == list(range(1, n + 1)), answer_id
            moved.add((answer_id, n))
    assert len(moved) > len(answers)  # the writers did write during the snapshots


# Keys already in the namespace -> whether a plain import goes ahead.
EXISTING: list[tuple[str, dict[str, Any], bool]] = [
    ("empty", {}, True),
    ("an answer", {"answer:x": "{}"}, False),
    ("a user", {"user:u": "{}"}, False),
    ("an index", {"pref:14": None}, False),
    ("a code", {"code:ABCD-EFGH": "{}"}, False),
    ("a scheduler lock only", {"lock:retention": "1"}, True),
    ("a guess counter only", {"guess:u": "3"}, True),
    ("another namespace's answer", {"": "{}"}, True),
]


@pytest.mark.parametrize("name,keys,goes_ahead", EXISTING, ids=[e[0] for e in EXISTING])
async def test_import_refuses_a_namespace_holding_data(redis_client, tmp_path: Path, name: str, keys: dict[str, Any], goes_ahead: bool) -> None:
    await populate(redis_client)
    path = tmp_path / "backup.jsonl"
    await export_data(redis_client, NS, path, lambda _: None)
    await redis_client.flushdb()
    for key, value in keys.items():
        if not key:
            await redis_client.set("other-bot:answer:x", "{}")
        elif value is None:
            await redis_client.sadd(f"{NS}:{key}", "a9")
        else:
            await redis_client.set(f"{NS}:{key}", value)
    before = await lines_of(redis_client)
    printed: list[str] = []
    status = await import_data(redis_client, NS, path, merge=False, out=printed.append)
    if goes_ahead:
        assert status == 0 and len(await lines_of(redis_client)) == 10
    else:
        assert status == 1
        assert printed == [msg.NOT_EMPTY.format(namespace=NS, example=f"{NS}:{next(iter(keys))}")]
        assert await lines_of(redis_client) == before  # nothing written


async def test_merge_the_file_wins_per_key_and_indexes_are_joined(redis_client, tmp_path: Path) -> None:
    await populate(redis_client)
    path = tmp_path / "backup.jsonl"
    await export_data(redis_client, NS, path, lambda _: None)
    store = TurnStore(redis_client, NS)
    answer, etag = await store.load_answer("a1")
    await store.save_answer("a1", {**answer, "answers": {"6": [2]}}, etag)  # changed after the backup
    await store.save_answer("a9", {"answer_id": "a9"}, None)  # added after the backup
    await redis_client.sadd(f"{NS}:pref:14", "a9")
    await redis_client.rpush(f"{NS}:history:a1", json.dumps({"kind": "later"}))
    printed: list[str] = []
    assert await import_data(redis_client, NS, path, merge=True, out=printed.append) == 0
    assert msg.IMPORT_REPLACED.format(count=10) in printed[0]
    after = {(line["kind"], line["id"]): line.get("value") for line in await lines_of(redis_client)}
    assert after[("answer", "a1")]["answers"] == {"6": [1, 2]}  # the file's
    assert [e["kind"] for e in after[("history", "a1")]] == ["start", "answer"]  # the file's list
    assert after[("answer", "a9")] == {"answer_id": "a9"}  # kept
    assert after[("prefecture_index", "14")] == ["a1", "a9"]  # joined


async def test_keys_expired_since_the_export_are_not_restored(redis_client) -> None:
    # 2 s: time enough for the snapshot to hold it even on a loaded machine.
    await redis_client.set(f"{NS}:code:OLD1-CODE", "{}", px=2000)
    await redis_client.set(f"{NS}:code:NEW1-CODE", "{}", ex=3600)
    snapshot = await take_snapshot(redis_client, NS)
    assert {e.id for e in snapshot.entries} == {"OLD1-CODE", "NEW1-CODE"}
    while await redis_client.exists(f"{NS}:code:OLD1-CODE"):
        await asyncio.sleep(0.05)
    await redis_client.flushdb()
    restored = await restore(redis_client, NS, snapshot.entries)
    assert (restored.expired, dict(restored.written)) == (1, {"code": 1})
    assert await redis_client.exists(f"{NS}:code:OLD1-CODE", f"{NS}:code:NEW1-CODE") == 1


async def test_a_key_the_bot_never_writes_is_named_not_exported(redis_client, tmp_path: Path) -> None:
    await redis_client.sadd(f"{NS}:answer:odd", "not a record")
    await redis_client.set(f"{NS}:answer:fine", "{}")
    printed: list[str] = []
    await export_data(redis_client, NS, tmp_path / "b.jsonl", printed.append)
    assert printed[1] == msg.EXPORT_SKIPPED.format(keys=f"{NS}:answer:odd (set)")
    with (tmp_path / "b.jsonl").open() as handle:
        assert [(e.kind.name, e.id) for e in read_lines(handle).entries] == [("answer", "fine")]


async def test_export_and_import_are_audited_with_counts(redis_client, tmp_path: Path, caplog) -> None:
    await populate(redis_client)
    caplog.set_level(logging.INFO, logger="bot.audit")
    await export_data(redis_client, NS, tmp_path / "b.jsonl", lambda _: None)
    await redis_client.flushdb()
    await import_data(redis_client, NS, tmp_path / "b.jsonl", merge=False, out=lambda _: None)
    events = [(r.event, r.audit) for r in caplog.records if r.name == "bot.audit"]
    assert [e for e, _ in events] == ["data_exported", "data_imported"]
    assert events[0][1]["records"] == events[1][1]["records"] == 10
    assert "山田" not in json.dumps([a for _, a in events], ensure_ascii=False)
