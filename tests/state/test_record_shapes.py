"""The stored records' declared shapes: what the bot has stored reads back and is written
unchanged (keys and value shapes), older forms are read, a record that is not what its
kind holds is refused naming the record and the field, and a turn on such a record
changes nothing and says so in Japanese."""
from __future__ import annotations

import json
from typing import Any, Callable

import pytest
import redis.asyncio
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.config import Config
from bot.dialogs.codes import CodeRecord
from bot.dialogs.conversation import Conversation
from bot.dialogs.inputs import read_input
from bot.dialogs.records import UserRecord
from bot.dialogs.survey_bot import SurveyBot
from bot.messages import conversation as msg
from bot.state.codes import Codes
from bot.state.history import History
from bot.state.turn_store import TurnStore
from bot.stored_json import RecordError
from bot.survey.engine import load_survey
from bot.survey.model import AnswerRecord

NS = "shapes"

# Records as the bot stores them, every declared key used somewhere, and one key this
# version does not know (kept as read).
USER_RECORDS: list[tuple[str, dict[str, Any]]] = [
    ("new", {}),
    ("item", {"answer_id": "a1", "cursor": {"kind": "item", "id": "7-2"}, "paused": True, "name": "山田 太郎",
              "conversation_id": "a:1", "reference": {"conversation": {"id": "a:1"}, "serviceUrl": "https://x/"},
              "dialog_stack": [{"id": "survey", "state": {}}]}),
    ("field-pending", {"answer_id": "a1", "cursor": {"kind": "field", "key": "title"},
                       "pending": {"topic": "field", "key": "title", "value": "係長", "text": "よろしいですか？",
                                   "then": [{"topic": "field", "key": "org_name", "value": "14神奈川県中井町", "text": "？"}]}}),
    ("none-pending", {"answer_id": "a1", "cursor": {"kind": "item", "id": "6"}, "pending": {"topic": "none", "item": "6"}}),
    ("delete-pending", {"answer_id": "a1", "cursor": {"kind": "review"}, "pending": {"topic": "delete", "answer_id": "a1"}}),
    ("union", {"answer_id": "a1", "cursor": {"kind": "union"}, "name": ""}),
    ("reviewer", {"reviewing": {"answer_id": "a2", "code": "ABCD-EFGH"}, "previous_answers": ["a0"]}),
    ("import-offer", {"import": {
        "id": "0a1b2c3d", "file": "a.xlsx", "sheet": "回答シート", "until": "2023-07-18T11:00:00+09:00",
        "record": {"respondent": {"org_type": "市区町村"}, "answers": {"1-1": 1, "6": [], "2_予定年月": "2023年9月"},
                   "notes": {"6": "none"}},
        "fields": 1, "answers": 3, "problems": ["・Q3: …"], "more": 2, "open": False, "basis": "ab12"}}),
    ("unknown-key", {"answer_id": "a1", "later_feature": {"x": [1]}}),
]

ANSWER_RECORDS: list[tuple[str, dict[str, Any]]] = [
    ("new", AnswerRecord.new("a1", "u1", "2023-07-18T10:00:00+09:00").to_json()),
    ("requested", {"answer_id": "a1", "respondent": {"org_type": "市区町村（広域連合等の構成市町村）", "org_name": "14神奈川県中井町(広域)"},
                   "answers": {"13": [1, 3], "1-1": 2, "2_予定年月": "2023年9月", "6": []}, "notes": {"6": "none"},
                   "confirmation": {"status": "requested", "code": "ABCD-EFGH", "requested_at": "2023-07-18T10:00:00+09:00",
                                    "requested_by": "u1", "requested_by_name": "山田 太郎"},
                   "members": ["u1", "u2"], "created_by": "u1", "created_at": "2023-07-18T09:00:00+09:00",
                   "updated_at": "2023-07-18T09:00:00+09:00", "union": "14神奈川県足柄上広域連合",
                   "under_review": {"2": "1-1"}}),
    ("confirmed", {"answer_id": "a2", "respondent": {}, "answers": {}, "notes": {},
                   "confirmation": {"status": "confirmed", "confirmed_at": "2023-07-10 14:05", "confirmed_by": "相模 一郎",
                                    "confirmer_key": "boss", "name_differs": {"teams": "相模 一郎", "sheet": "相模一郎"}},
                   "members": ["u1"], "reviewers": ["boss"]}),
    ("returned", {"answer_id": "a3", "respondent": {}, "answers": {}, "notes": {},
                  "confirmation": {"status": "returned", "returned_at": "2023-07-10 14:05", "returned_by": "相模 一郎",
                                   "return_reason": "Q3を確認してください"}}),
    ("erased", {"answer_id": "a4", "respondent": {"responsible_name": "（削除済）"}, "answers": {}, "notes": {},
                "confirmation": {"status": "confirmed", "confirmed_at": "2023-07-10 14:05"},
                "erased": {"at": "2023-10-20T00:00:00+09:00", "history": 5}, "later_feature": 1}),
]


@pytest.mark.parametrize("data", [d for _, d in USER_RECORDS], ids=[n for n, _ in USER_RECORDS])
def test_a_stored_user_record_is_written_back_as_read(data: dict[str, Any]) -> None:
    assert UserRecord.from_json(json.loads(json.dumps(data))).to_json() == data


@pytest.mark.parametrize("data", [d for _, d in ANSWER_RECORDS], ids=[n for n, _ in ANSWER_RECORDS])
def test_a_stored_answer_record_is_written_back_as_read(data: dict[str, Any]) -> None:
    assert AnswerRecord.from_json(json.loads(json.dumps(data))).to_json() == data


# Older or hand-made forms: read, and written in the declared form when the turn changes them.
@pytest.mark.parametrize(
    "read,kind,written",
    [
        ({"answer_id": "a1"}, AnswerRecord,
         {"answer_id": "a1", "respondent": {}, "answers": {}, "notes": {}, "confirmation": {"status": "draft"}}),
        ({"answer_id": "a1", "confirmation": {}, "members": [], "under_review": {}}, AnswerRecord,
         {"answer_id": "a1", "respondent": {}, "answers": {}, "notes": {}, "confirmation": {"status": "draft"}}),
        ({"answer_id": "a1", "cursor": None, "paused": False, "pending": None}, UserRecord, {"answer_id": "a1"}),
    ],
    ids=["answer-bare", "answer-empty-fields", "user-nulls"],
)
def test_older_forms_are_read(read: dict[str, Any], kind: Any, written: dict[str, Any]) -> None:
    assert kind.from_json(read).to_json() == written


# (what is read, the record, its stored JSON, the reason RecordError gives)
MALFORMED: list[tuple[str, Callable[[Any, str], Any], Any, str]] = [
    ("user-not-object", UserRecord.from_json, ["a1"], "user:x: expected an object, got a list"),
    ("cursor-text", UserRecord.from_json, {"cursor": "2"}, "user:x: cursor: expected an object, got text"),
    ("cursor-kind", UserRecord.from_json, {"cursor": {"kind": "page"}}, "cursor: kind: 'page' is not one of field, item, union, review"),
    ("cursor-item-id", UserRecord.from_json, {"cursor": {"kind": "item"}}, "cursor: id: missing"),
    ("pending-topic", UserRecord.from_json, {"pending": {"topic": "maybe"}}, "pending: topic: 'maybe' is not one of field, none, delete"),
    ("pending-then", UserRecord.from_json, {"pending": {"topic": "field", "key": "title", "then": [3]}},
     "pending: then[0]: expected an object, got a number"),
    ("paused-text", UserRecord.from_json, {"paused": "yes"}, "paused: expected true/false, got text"),
    ("reviewing-id", UserRecord.from_json, {"reviewing": {"code": "X"}}, "reviewing: answer_id: missing"),
    ("offer-record", UserRecord.from_json, {"import": {"id": "x"}}, "import: record: missing"),
    ("offer-answer", UserRecord.from_json, {"import": {"id": "x", "record": {"answers": {"3": {"a": 1}}}}},
     "import: record: answers.3: expected an option number"),
    ("stack-frame", UserRecord.from_json, {"dialog_stack": [{"state": {}}]}, "dialog_stack[0]: id: missing"),
    ("answer-id", AnswerRecord.from_json, {"answers": {}}, "answer_id: missing"),
    ("answer-value", AnswerRecord.from_json, {"answer_id": "a", "answers": {"6": [1, "2"]}}, "answers.6: expected"),
    ("answer-bool", AnswerRecord.from_json, {"answer_id": "a", "answers": {"3": True}}, "answers.3: expected"),
    ("respondent-number", AnswerRecord.from_json, {"answer_id": "a", "respondent": {"phone": 3}}, "respondent.phone: expected text"),
    ("status", AnswerRecord.from_json, {"answer_id": "a", "confirmation": {"status": "maybe"}},
     "confirmation: status: 'maybe' is not one of draft, requested, confirmed, returned"),
    ("members", AnswerRecord.from_json, {"answer_id": "a", "members": "u1"}, "members: expected a list, got text"),
    ("code-purpose", CodeRecord.from_json, {"purpose": "other", "answer_id": "a"}, "purpose: 'other' is not one of share, confirm"),
]


@pytest.mark.parametrize("read,data,reason", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_a_malformed_record_is_refused_naming_the_field(read: Callable[[Any, str], Any], data: Any, reason: str) -> None:
    with pytest.raises(RecordError) as refused:
        read(data, "user:x")
    assert reason in str(refused.value)


# --- a turn on an unreadable record --------------------------------------------------------------


def _activity(text: str) -> Activity:
    return Activity(
        type="message", text=text, channel_id="msteams", service_url="http://127.0.0.1:9/",
        from_property=ChannelAccount(id="29:u1", name="山田 太郎", aad_object_id="u1"),
        recipient=ChannelAccount(id="28:bot"), conversation=ConversationAccount(id="a:u1", conversation_type="personal"),
    )


@pytest.mark.parametrize(
    "stored",
    [
        {"user:u1": {"answer_id": "a1", "cursor": "7-2"}, "answer:a1": {"answer_id": "a1"}},
        {"user:u1": {"answer_id": "a1"}, "answer:a1": {"answer_id": "a1", "confirmation": {"status": 3}}},
    ],
    ids=["user", "answer"],
)
async def test_a_turn_on_an_unreadable_record_changes_nothing(
    redis_client: redis.asyncio.Redis, stored: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    for key, value in stored.items():
        await redis_client.set(f"{NS}:{key}", json.dumps({**value, "e_tag": "e1"}, ensure_ascii=False))
    before = {key: await redis_client.get(f"{NS}:{key}") for key in stored}
    store = TurnStore(redis_client, NS)
    bot = SurveyBot(Config(redis_namespace=NS), store, Conversation(load_survey()), History(redis_client, NS),
                    Codes(redis_client, NS))
    adapter = TestAdapter()
    session = await bot.run_turn(TurnContext(adapter, _activity("1")), read_input("1", None))
    assert session is None
    assert [a.text for a in adapter.activity_buffer] == [msg.RECORD_UNREADABLE]
    assert {key: await redis_client.get(f"{NS}:{key}") for key in stored} == before
    assert await redis_client.llen(f"{NS}:history:a1") == 0
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.dialogs.survey_bot"]
    assert line.startswith("stored record unreadable: ")
