"""Deleting an answer with everything that names it, in one script, on a real Redis;
and `python -m bot.admin delete` choosing which answers that is."""
from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.admin.commands import delete_organisation
from bot.messages import admin as msg
from bot.state.answer_deletion import CHANGED, DELETED, MISSING, REFUSED, AnswerDeletion
from bot.state.turn_store import TurnStore

NS = "mn2307"
ORG = "14神奈川県相模原市"


async def stored(redis_client, answer_id: str, org: str = ORG, status: str = "draft", **extra: Any) -> None:
    record = {"answer_id": answer_id, "respondent": {"org_name": org}, "confirmation": {"status": status},
              "members": ["u1", "u2"], "created_at": f"2023-07-1{len(answer_id)}T10:00:00", **extra}
    await TurnStore(redis_client, NS).save_answer(answer_id, record, None)
    await redis_client.rpush(f"{NS}:history:{answer_id}", '{"kind":"start"}', '{"kind":"request"}')
    await redis_client.sadd(f"{NS}:pref:14", answer_id)


async def surroundings(redis_client) -> None:
    """What names answer a1 (and, to stay, answer b2) outside its own keys."""
    await redis_client.sadd(f"{NS}:pref:13", "a1")  # a stale entry from before a rename
    for org, answer_id in (("14神奈川県相模原市", "a1"), ("14神奈川県大井町", "b2")):
        await redis_client.hset(f"{NS}:q13:14", org, json.dumps({"type": "t", "answer_id": answer_id, "q13": [1]}, ensure_ascii=False))
    for code, answer_id in (("AAAA-AAAA", "a1"), ("BBBB-BBBB", "a1"), ("CCCC-CCCC", "b2")):
        await redis_client.set(f"{NS}:code:{code}", json.dumps({"purpose": "share", "answer_id": answer_id}), ex=600)
    for file_id, subject in (("f1", "a1"), ("f2", "b2")):
        await redis_client.hset(f"{NS}:file:{file_id}", mapping={"name": "x", "data": b"PK", "kind": "a", "subject": subject})


async def keys(redis_client) -> set[str]:
    return {k.decode() for k in await redis_client.keys(f"{NS}:*")}


async def test_everything_naming_the_answer_goes_in_one_script(redis_client) -> None:
    await stored(redis_client, "a1")
    await stored(redis_client, "b2", "14神奈川県大井町")
    await surroundings(redis_client)
    done = await AnswerDeletion(redis_client, NS).delete("a1")
    assert (done.outcome, done.history_entries, done.codes, done.files, done.index_entries) == (DELETED, 2, 2, 1, 3)
    assert done.record["members"] == ["u1", "u2"] and "e_tag" not in done.record
    assert await keys(redis_client) == {
        f"{NS}:answer:b2", f"{NS}:history:b2", f"{NS}:pref:14", f"{NS}:q13:14", f"{NS}:code:CCCC-CCCC", f"{NS}:file:f2",
    }
    assert await redis_client.smembers(f"{NS}:pref:14") == {b"b2"}
    assert list(await redis_client.hkeys(f"{NS}:q13:14")) == ["14神奈川県大井町".encode()]


async def test_a_turn_that_read_the_answer_cannot_write_it_back(redis_client) -> None:
    await stored(redis_client, "a1")
    store = TurnStore(redis_client, NS)
    answer, etag = await store.load_answer("a1")
    await AnswerDeletion(redis_client, NS).delete("a1")
    with pytest.raises(KeyError):  # ETagConflict: the turn is redone and finds no answer
        await store.save_answer("a1", {**answer, "answers": {"1-1": 1}}, etag)
    assert await keys(redis_client) == set()


@pytest.mark.parametrize(
    "status,allowed,outcome",
    [("draft", lambda r: True, DELETED), ("confirmed", lambda r: r["confirmation"]["status"] != "confirmed", REFUSED)],
    ids=["allowed", "refused"],
)
async def test_the_rule_is_checked_on_the_record_deleted(redis_client, status: str, allowed: Any, outcome: str) -> None:
    await stored(redis_client, "a1", status=status)
    done = await AnswerDeletion(redis_client, NS).delete("a1", allowed)
    assert done.outcome == outcome
    assert await redis_client.exists(f"{NS}:answer:a1") == (outcome == REFUSED)


async def test_a_write_between_check_and_delete_makes_it_check_again(redis_client) -> None:
    """A colleague's 承認 lands after the rule was checked: the script sees another e_tag,
    reads again, and the rule now refuses."""
    await stored(redis_client, "a1")
    store = TurnStore(redis_client, NS)
    checks: list[str] = []

    def allowed(record: dict[str, Any]) -> bool:
        checks.append(record["confirmation"]["status"])
        return record["confirmation"]["status"] != "confirmed"

    deletion = AnswerDeletion(redis_client, NS)
    original = deletion._linked

    async def confirm_meanwhile(answer_id: str) -> Any:
        if len(checks) == 1:
            answer, etag = await store.load_answer(answer_id)
            await store.save_answer(answer_id, {**answer, "confirmation": {"status": "confirmed"}}, etag)
        return await original(answer_id)

    deletion._linked = confirm_meanwhile  # type: ignore[method-assign]
    done = await deletion.delete("a1", allowed)
    assert (done.outcome, checks) == (REFUSED, ["draft", "confirmed"])
    assert await redis_client.exists(f"{NS}:answer:a1", f"{NS}:history:a1") == 2


async def test_missing_and_always_changing(redis_client) -> None:
    deletion = AnswerDeletion(redis_client, NS)
    assert (await deletion.delete("nothing")).outcome == MISSING
    await stored(redis_client, "a1")
    store = TurnStore(redis_client, NS)
    original = deletion._linked

    async def always_written(answer_id: str) -> Any:
        answer, etag = await store.load_answer(answer_id)
        await store.save_answer(answer_id, answer, etag)
        return await original(answer_id)

    deletion._linked = always_written  # type: ignore[method-assign]
    assert (await deletion.delete("a1", attempts=3)).outcome == CHANGED
    assert await redis_client.exists(f"{NS}:answer:a1") == 1


# --- python -m bot.admin delete ------------------------------------------------------------

# answers stored (id, 組織名, status), the command's arguments -> exit status, answers left, first line printed
ADMIN_CASES: list[tuple[str, list[tuple[str, str, str]], dict[str, Any], int, set[str], str]] = [
    ("one unconfirmed", [("a1", ORG, "draft")], {}, 0, set(), "削除しました: 14神奈川県相模原市（回答ID a1、未確認、履歴 2件、コード 0件）"),
    ("one confirmed", [("a1", ORG, "confirmed")], {}, 0, set(), "削除しました: 14神奈川県相模原市（回答ID a1、確認済、履歴 2件、コード 0件）"),
    ("typed in full width with a space", [("a1", ORG, "draft")], {"org_name": "１４神奈川県 相模原市"}, 0, set(), "削除しました"),
    ("another organisation only", [("b2", "14神奈川県大井町", "draft")], {}, 1, {"b2"}, msg.NOT_FOUND.format(org=ORG)),
    ("two answers, none chosen", [("a1", ORG, "draft"), ("a22", ORG, "confirmed")], {}, 1, {"a1", "a22"},
     msg.SEVERAL.format(org=ORG, count=2)),
    ("two answers, one chosen", [("a1", ORG, "draft"), ("a22", ORG, "confirmed")], {"answer_id": "a22"}, 0, {"a1"}, "回答ID a22"),
    ("two answers, all", [("a1", ORG, "draft"), ("a22", ORG, "confirmed")], {"every": True}, 0, set(), "回答ID a1"),
    ("an id of another organisation", [("a1", ORG, "draft"), ("b2", "14神奈川県大井町", "draft")], {"answer_id": "b2"}, 1,
     {"a1", "b2"}, msg.NOT_FOUND.format(org=ORG)),
]


async def test_admin_delete_passes_over_what_is_not_a_record(redis_client) -> None:
    await redis_client.set(f"{NS}:answer:broken", b"{not json")
    await stored(redis_client, "a1")
    printed: list[str] = []
    assert await delete_organisation(redis_client, NS, ORG, out=printed.append) == 0
    assert await redis_client.exists(f"{NS}:answer:broken", f"{NS}:answer:a1") == 1


@pytest.mark.parametrize("name,answers,args,status,left,first", ADMIN_CASES, ids=[c[0] for c in ADMIN_CASES])
async def test_admin_delete(redis_client, caplog, name: str, answers: list[tuple[str, str, str]], args: dict[str, Any],
                            status: int, left: set[str], first: str) -> None:
    for answer_id, org, state in answers:
        await stored(redis_client, answer_id, org, state)
    caplog.set_level(logging.INFO, logger="bot.audit")
    printed: list[str] = []
    args = {"org_name": ORG, **args}
    assert await delete_organisation(redis_client, NS, args.pop("org_name"), out=printed.append, **args) == status
    assert first in printed[0]
    assert {k.split(":")[-1] for k in await keys(redis_client) if ":answer:" in k} == left
    events = [r.audit for r in caplog.records if r.name == "bot.audit"]
    deleted = {a[0] for a in answers} - left
    assert sorted(e["answer_id"] for e in events) == sorted(deleted)
    for event in events:
        assert event["via"] == "admin" and event["by"].startswith("admin:") and event["history_entries"] == 2
    if status and len(answers) > 1 and not args:
        assert printed[1:] == [msg.SEVERAL_LINE.format(answer_id=a, state=msg.STATE_CONFIRMED if s == "confirmed" else msg.STATE_UNCONFIRMED,
                                                       updated_at="") for a, _, s in answers]
