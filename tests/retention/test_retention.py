"""Retention on a real Redis with a clock the test holds: before the date nothing
changes; after it, answers keep everything but people (the workbook read back shows
the answers, the personal cells empty), keys naming a person are gone, each erasure
is audited with counts, and one process does each round."""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from bot.config import JST, Config, ConfigError
from bot.export.answer_workbook import build_answer_workbook
from bot.keyspace import DELETE, KEY_KINDS
from bot.messages.retention import ERASED
from bot.retention import Retention, erase_answer, erase_entry, erase_from, start_notice
from bot.state.turn_store import TurnStore
from bot.survey.engine import load_survey
from bot.survey.model import AnswerRecord
from tests.admin.compare import as_erased, workbook_cells
from tests.export.records import CONFIRMED, FULL_BLOCK, RESPONDENT

NS = "mn2307"
DEADLINE = datetime(2023, 7, 21, 17, 0, tzinfo=JST)
DAYS = 30
ERASE_FROM = DEADLINE + timedelta(days=DAYS)
SHEET_VALUES = (RESPONDENT["responsible_name"], RESPONDENT["contact_name"], RESPONDENT["phone"], RESPONDENT["email"])
PERSONAL_VALUES = (*SHEET_VALUES, CONFIRMED["confirmed_by"], "山田 太郎", "原 花子", "相模 一郎")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def config(days: int | None = DAYS) -> Config:
    return Config(deadline=DEADLINE, retain_days_after_deadline=days, redis_namespace=NS, retention_interval=60)


ANSWER: dict[str, Any] = {
    "answer_id": "a1",
    "respondent": dict(RESPONDENT),
    "answers": dict(FULL_BLOCK),
    "notes": {},
    "confirmation": {**CONFIRMED, "confirmer_key": "boss-aad", "requested_by": "u1", "requested_by_name": "山田 太郎",
                     "name_differs": {"teams": "相模 一郎", "sheet": "相模 太郎"}},
    "members": ["u1", "u2"],
    "created_by": "u1",
    "reviewers": ["boss-aad"],
    "created_at": "2023-07-10T09:00:00+09:00",
}
HISTORY = [
    {"at": "2023-07-10T09:00", "by": "u1", "name": "山田 太郎", "kind": "start"},
    {"at": "2023-07-10T09:01", "by": "u1", "name": "山田 太郎", "kind": "field", "item": "組織名", "old": "", "new": "14神奈川県相模原市"},
    {"at": "2023-07-10T09:02", "by": "u1", "name": "山田 太郎", "kind": "field", "item": "電話番号", "old": "", "new": "042-754-1111"},
    {"at": "2023-07-10T09:03", "by": "u2", "name": "原 花子", "kind": "answer", "item": "6", "old": None, "new": [1, 2]},
    {"at": "2023-07-10T14:05", "by": "boss-aad", "name": "相模 一郎", "kind": "confirm", "confirmed_at": "2023-07-10 14:05",
     "name_differs": {"teams": "相模 一郎", "sheet": "相模 太郎"}},
]


async def populate(redis_client) -> None:
    store = TurnStore(redis_client, NS)
    await store.save_answer("a1", ANSWER, None)
    await redis_client.rpush(f"{NS}:history:a1", *(json.dumps(e, ensure_ascii=False) for e in HISTORY))
    await store.save_answer("b2", {"answer_id": "b2", "respondent": {"org_type": "市区町村", "org_name": "14神奈川県大井町"},
                                   "answers": {}, "members": []}, None)  # nothing personal: left alone
    await redis_client.set(f"{NS}:user:u1", json.dumps({"answer_id": "a1", "name": "山田 太郎", "e_tag": "x"}, ensure_ascii=False))
    await redis_client.sadd(f"{NS}:name:山田太郎", "u1")
    await redis_client.set(f"{NS}:code:ABCD-EFGH", json.dumps({"answer_id": "a1", "by": "u1"}), ex=600)
    await redis_client.set(f"{NS}:guess:u3", "2", ex=600)
    await redis_client.hset(f"{NS}:collect:staff", "x.xlsx", json.dumps(["14神奈川県中井町", "中井 次郎"], ensure_ascii=False))
    await redis_client.hset(f"{NS}:file:f1", mapping={"name": "x", "data": b"PK", "kind": "a", "subject": "a1"})
    await redis_client.sadd(f"{NS}:pref:14", "a1", "b2")
    await redis_client.hset(f"{NS}:q13:14", "14神奈川県相模原市", json.dumps({"answer_id": "a1", "q13": [1]}))
    await redis_client.set(f"{NS}:reminded:a1:2023-07-21:3", "1", ex=600)
    await redis_client.set(f"{NS}:secret:file_links", b"k" * 32)


async def everything(redis_client) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for raw in await redis_client.keys(f"{NS}:*"):
        key = raw.decode()
        kind = (await redis_client.type(raw)).decode()
        if kind == "string":
            out[key] = await redis_client.get(raw)
        elif kind == "list":
            out[key] = await redis_client.lrange(raw, 0, -1)
        elif kind == "set":
            out[key] = await redis_client.smembers(raw)
        else:
            out[key] = await redis_client.hgetall(raw)
    return out


def flat(value: Any) -> str:
    """Every byte of a dump, as one text to search."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return " ".join(flat(k) + " " + flat(v) for k, v in value.items())
    if isinstance(value, (set, list)):
        return " ".join(flat(v) for v in value)
    return str(value)


async def test_nothing_changes_before_the_date(redis_client) -> None:
    await populate(redis_client)
    before = await everything(redis_client)
    clock = Clock(ERASE_FROM - timedelta(minutes=1))
    assert await Retention(config(), redis_client, clock).tick() is None
    assert await everything(redis_client) == before


async def test_unset_erases_nothing_ever(redis_client) -> None:
    await populate(redis_client)
    before = await everything(redis_client)
    assert await Retention(config(None), redis_client, Clock(DEADLINE + timedelta(days=3650))).tick() is None
    assert await everything(redis_client) == before


async def test_after_the_date_people_are_erased_and_answers_kept(redis_client, caplog) -> None:
    survey = load_survey()
    await populate(redis_client)
    workbook_before = workbook_cells(build_answer_workbook(survey, AnswerRecord.from_json(ANSWER)))
    caplog.set_level(logging.INFO, logger="bot.audit")

    result = await Retention(config(), redis_client, Clock(ERASE_FROM)).tick()
    assert result is not None
    assert (result.answers, result.fields, result.history_entries) == (1, 12, 5)
    assert dict(result.deleted) == {"user": 1, "name": 1, "code": 1, "guess": 1, "kept_list_rows": 1, "consent_file": 1}

    stored, _ = await TurnStore(redis_client, NS).load_answer("a1")
    assert stored["answers"] == FULL_BLOCK
    assert stored["respondent"] == {**RESPONDENT, "responsible_name": ERASED, "contact_name": ERASED, "phone": ERASED, "email": ERASED}
    assert stored["confirmation"] == {"status": "confirmed", "confirmed_at": "2023-07-10 14:05"}
    assert (stored["members"], "created_by" in stored, "reviewers" in stored) == ([], False, False)
    assert stored["erased"] == {"at": ERASE_FROM.isoformat(timespec="seconds"), "history": 5}

    # The workbook read back: every cell as before (情報未入力 too), the personal ones erased.
    workbook_after = workbook_cells(build_answer_workbook(survey, AnswerRecord.from_json(stored)))
    assert workbook_after.keys() == workbook_before.keys()
    assert workbook_after == as_erased(workbook_before, SHEET_VALUES, PERSONAL_VALUES)
    assert workbook_after != workbook_before

    history = [json.loads(e) for e in await redis_client.lrange(f"{NS}:history:a1", 0, -1)]
    assert [e.get("kind") for e in history] == ["start", "field", "field", "answer", "confirm"]
    assert not any(k in e for e in history for k in ("by", "name", "name_differs"))
    assert history[1]["new"] == "14神奈川県相模原市" and history[2]["new"] == ERASED and history[3]["new"] == [1, 2]
    text = flat(await everything(redis_client))
    for personal in (*PERSONAL_VALUES, "u1", "u2", "boss-aad", "中井 次郎"):
        assert personal not in text, personal
    remaining = {k.decode().split(":")[1] for k in await redis_client.keys(f"{NS}:*")}
    assert remaining == {"answer", "history", "pref", "q13", "reminded", "secret", "lock"}
    assert not {k.prefix.rstrip(":") for k in KEY_KINDS if k.at_retention == DELETE} & remaining

    events = [(r.event, r.audit) for r in caplog.records if r.name == "bot.audit"]
    assert events == [
        ("retention_erased", {"answer_id": "a1", "fields": 12, "history_entries": 5}),
        ("retention_deleted", {"user": 1, "name": 1, "code": 1, "guess": 1, "kept_list_rows": 1, "consent_file": 1}),
    ]


async def test_later_rounds_erase_only_what_came_since(redis_client, caplog) -> None:
    await populate(redis_client)
    clock = Clock(ERASE_FROM)
    retention = Retention(config(), redis_client, clock)
    await retention.run_once()
    caplog.set_level(logging.INFO, logger="bot.audit")
    again = await retention.run_once()
    assert (again.answers, dict(again.deleted)) == (0, {})
    assert caplog.records == []

    # Someone still at work after the date: a new phone number, a new entry in the history.
    store = TurnStore(redis_client, NS)
    answer, etag = await store.load_answer("a1")
    answer["respondent"]["phone"] = "042-000-0000"
    await store.save_answer("a1", answer, etag)
    await redis_client.rpush(f"{NS}:history:a1", json.dumps({"by": "u9", "name": "新 人", "kind": "field", "item": "電話番号",
                                                            "old": "", "new": "042-000-0000"}, ensure_ascii=False))
    await redis_client.set(f"{NS}:user:u9", "{}")
    clock.now += timedelta(hours=1)
    later = await retention.run_once()
    assert (later.answers, later.fields, later.history_entries, dict(later.deleted)) == (1, 1, 1, {"user": 1})
    stored, _ = await store.load_answer("a1")
    assert stored["respondent"]["phone"] == ERASED and stored["erased"]["history"] == 6
    assert json.loads((await redis_client.lrange(f"{NS}:history:a1", -1, -1))[0]) == {"kind": "field", "item": "電話番号", "old": "", "new": ERASED}


async def test_what_the_bot_did_not_write_does_not_stop_a_round(redis_client) -> None:
    await populate(redis_client)
    await redis_client.set(f"{NS}:answer:broken", b"\xff not json")
    await redis_client.rpush(f"{NS}:history:a1", b"{broken", b"[1, 2]")
    result = await Retention(config(), redis_client, Clock(ERASE_FROM)).run_once()
    assert (result.answers, result.history_entries) == (1, 5)
    assert await redis_client.get(f"{NS}:answer:broken") == b"\xff not json"
    assert (await redis_client.lrange(f"{NS}:history:a1", -2, -1)) == [b"{broken", b"[1, 2]"]


async def test_one_process_per_round(redis_client) -> None:
    await populate(redis_client)
    replicas = [Retention(config(), redis_client, Clock(ERASE_FROM)) for _ in range(4)]
    results = await asyncio.gather(*(r.tick() for r in replicas))
    assert sum(r is not None for r in results) == 1
    assert await redis_client.ttl(f"{NS}:lock:retention") > 0
    assert all(r is None for r in await asyncio.gather(*(r.tick() for r in replicas)))  # this round is done


@pytest.mark.parametrize(
    "entry,expected",
    [
        ({"by": "u1", "name": "山田", "kind": "start"}, {"kind": "start"}),
        ({"by": "u1", "kind": "field", "item": "メールアドレス", "old": "a@x", "new": "b@x"},
         {"kind": "field", "item": "メールアドレス", "old": ERASED, "new": ERASED}),
        ({"kind": "field", "item": "回答責任者氏名", "old": "", "new": "相模"}, {"kind": "field", "item": "回答責任者氏名", "old": "", "new": ERASED}),
        ({"kind": "field", "item": "担当部署名", "old": "", "new": "介護保険課"}, {"kind": "field", "item": "担当部署名", "old": "", "new": "介護保険課"}),
        ({"kind": "return", "name": "相模", "reason": "Q12を見直して"}, {"kind": "return", "reason": "Q12を見直して"}),
        ({"kind": "answer", "item": "6", "old": [1], "new": [2]}, {"kind": "answer", "item": "6", "old": [1], "new": [2]}),
    ],
    ids=["who", "email", "responsible", "dept kept", "return reason kept", "answer kept"],
)
def test_history_entries(entry: dict[str, Any], expected: dict[str, Any]) -> None:
    differs = entry != expected
    assert (erase_entry(entry), entry) == (differs, expected)


def test_an_answer_without_people_is_unchanged_by_erasing() -> None:
    answer = {"answer_id": "b2", "respondent": {"org_name": "x", "phone": "", "email": ERASED}, "answers": {"1-1": 1}, "members": []}
    assert erase_answer(answer) == 0
    assert answer == {"answer_id": "b2", "respondent": {"org_name": "x", "phone": "", "email": ERASED}, "answers": {"1-1": 1}, "members": []}


@pytest.mark.parametrize(
    "env,days,when",
    [
        ({}, None, None),
        ({"RETAIN_DAYS_AFTER_DEADLINE": "0"}, 0, DEADLINE),
        ({"RETAIN_DAYS_AFTER_DEADLINE": "90"}, 90, DEADLINE + timedelta(days=90)),
        ({"RETAIN_DAYS_AFTER_DEADLINE": " 7 ", "DEADLINE": "2024-01-31T17:00"}, 7, datetime(2024, 2, 7, 17, 0, tzinfo=JST)),
    ],
)
def test_setting(env: dict[str, str], days: int | None, when: datetime | None) -> None:
    parsed = Config.from_env(env).for_survey(load_survey().texts.deadline)  # as create_app does
    assert (parsed.retain_days_after_deadline, erase_from(parsed)) == (days, when)
    notice = start_notice(parsed)
    assert ("nothing is erased" in notice) == (days is None)
    if when is not None:
        assert when.isoformat(timespec="minutes") in notice


@pytest.mark.parametrize(
    "env",
    [{"RETAIN_DAYS_AFTER_DEADLINE": "-1"}, {"RETAIN_DAYS_AFTER_DEADLINE": "30日"}, {"RETAIN_DAYS_AFTER_DEADLINE": "1.5"},
     {"RETENTION_INTERVAL_SECONDS": "0"}],
)
def test_bad_settings_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        Config.from_env(env)
