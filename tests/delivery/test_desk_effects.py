"""The desk's after-turn work on a real Redis: 進捗 from the bot's answers and the kept
files, 期限 kept and shown, 督促 once a day per prefecture (who was reached, who could not
be), and the staff grants with their audit records. Proactive sends go to a recording
notifier (the real one is exercised end to end in tests/e2e/test_desk_e2e.py)."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any, Iterable

import pytest

from bot.config import JST, Config
from bot.delivery import build_delivery
from bot.dialogs.desk_effects import DeskEffects
from bot.dialogs.effects import EFFECT_KINDS, handlers_of
from bot.dialogs.records import UserRecord
from bot.dialogs.session import Session
from bot.export.record_reader import read_answer_workbook
from bot.logs import user_ref
from bot.messages import desk as msg
from bot.messages import list_sheets as sheet_msg
from bot.messages import teamwork as teamwork_msg
from bot.state.answer_index import AnswerIndex
from bot.state.people import People
from bot.state.prefecture_deadlines import PrefectureDeadline, PrefectureDeadlines
from bot.state.staff import StaffGrants
from bot.state.turn_store import TurnStore
from bot.survey import municipalities
from bot.survey.engine import load_survey
from tests.survey_2307 import ORG_MEMBER, ORG_PREFECTURE, ORG_UNION
from tests.cards import walk
from tests.delivery.test_collect import FakeTurn
from tests.export.records import CONFIRMED, record
from tests.export.test_list_reader import GOOD

NS = "desk"
STAFF = "aad-staff-14"
ADMIN = "aad-admin"
CONFIG = Config(redis_namespace=NS, prefecture_staff={STAFF: "14"}, admins=frozenset({ADMIN}))
NOW = datetime(2023, 7, 10, 9, 30, tzinfo=JST)
KANAGAWA = len(municipalities.municipalities("14"))


class RecordingNotifier:
    """Notifier's two calls: the users the bot knows (name, and whether it has a chat to
    write to) and the sends, recorded; `unreachable` users have no conversation reference."""

    def __init__(self, names: dict[str, str], unreachable: Iterable[str] = ()) -> None:
        self.names = names
        self.unreachable = set(unreachable)
        self.sent: list[tuple[tuple[str, ...], str]] = []

    async def users(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {k: {"name": self.names[k]} for k in keys if k in self.names}

    async def send(self, keys: Iterable[str], activity: Any, after: Any = None) -> list[str]:
        keys = tuple(keys)
        await asyncio.sleep(0)
        self.sent.append((keys, str(activity)))
        return [k for k in keys if k in self.names and k not in self.unreachable]


NAMES = {"m-sagami": "相模 太郎", "m-sagami2": "原 花子", "m-atsugi": "厚木 一郎", "m-aikawa": "愛川 次郎",
         "m-union": "連合 三郎", "m-pref": "県 四郎", "m-oi": "大井 五郎", "m-gone": "転出 六郎",
         "yamada": "山田 太郎", "yamada-2": "山田 太郎", "suzuki": "鈴木 花子", STAFF: "県 担当"}
ANSWERS = [
    # (answer id, record, members, updated)
    ("sagami", record(), ["m-sagami", "m-sagami2"], "2023-07-09T10:00:00+09:00"),  # confirmed
    ("atsugi", record(org_name="14神奈川県厚木市", confirmation={}), ["m-atsugi"], "2023-07-09T11:00:00+09:00"),
    ("aikawa", record(ORG_MEMBER, "14神奈川県愛川町(広域)", answers={"13": [2]}, confirmation={}), ["m-aikawa"], ""),
    ("union", record(ORG_UNION, "14神奈川県介護保険広域連合", answers={"13": [1]}, confirmation={}), ["m-union"], ""),
    ("pref", record(ORG_PREFECTURE, "14神奈川県", answers={}, confirmation={}), ["m-pref"], ""),
    ("hakone", record(org_name="14神奈川県箱根町", answers={"1-1": 1}, confirmation={}), ["m-gone"], ""),
    ("tokyo", record(org_name="13東京都府中市", confirmation={}), ["m-tokyo"], ""),
]


@pytest.fixture(scope="module")
def survey():
    return load_survey()


@pytest.fixture
async def desk(redis_client, survey) -> tuple[DeskEffects, RecordingNotifier]:
    store = TurnStore(redis_client, NS)
    grants = StaffGrants(redis_client, NS, CONFIG.prefecture_staff)
    delivery = build_delivery(CONFIG, redis_client, store, survey, staff=grants)
    index = AnswerIndex(redis_client, NS)
    for answer_id, rec, members, updated in ANSWERS:
        data = {**rec.to_json(), "answer_id": answer_id, "members": members, "updated_at": updated}
        await store.save_answer(answer_id, data, None)
        await index.update(answer_id, "", rec.respondent["org_name"])
    people = People(redis_client, NS)
    for key, name in NAMES.items():
        await people.rename(key, "", name)
    # A hand-filled file the staff member dropped (大井町's workbook).
    read = read_answer_workbook(survey, GOOD, "大井町.xlsx")
    read.cells["組織名"] = "14神奈川県大井町"
    await delivery.collector.keep(STAFF, [("大井町.xlsx", read)], "2023-07-09 15:00")
    notifier = RecordingNotifier(NAMES, unreachable={"m-gone"})
    effects = DeskEffects(CONFIG, survey, delivery.collector, grants, PrefectureDeadlines(redis_client, NS),
                          people, notifier)  # type: ignore[arg-type]
    return effects, notifier


def session(user_key: str = STAFF, name: str = "県 担当", now: datetime = NOW) -> Session:
    return Session(user_key, name, "conv", "personal", user=UserRecord(), answer=None, now=now)


async def run(effects: DeskEffects, kind: str, params: dict[str, Any], who: Session | None = None) -> FakeTurn:
    """The desk's handler of `kind`, given that kind's effect with `params` as its fields."""
    turn = FakeTurn()
    await handlers_of(effects)[kind](turn, who or session(), EFFECT_KINDS[kind](**params))
    return turn


# --- 進捗 --------------------------------------------------------------------------------------


def card_of(turn: FakeTurn) -> dict[str, Any]:
    [activity] = turn.sent
    return activity.attachments[0].content


async def test_progress_card(desk) -> None:
    effects, _ = desk
    card = card_of(await run(effects, "progress", {"prefecture": "14"}))
    facts = {f["title"]: f["value"] for e in walk(card["body"]) if e.get("type") == "FactSet" for f in e["facts"]}
    # 5 municipalities seen (相模原市 厚木市 愛川町 箱根町 by the bot, 大井町 by file), the 広域連合 and the prefecture.
    assert facts == {
        sheet_msg.NOT_STARTED: str(KANAGAWA - 5), sheet_msg.IN_PROGRESS: "2", sheet_msg.ANSWERED: "3",
        sheet_msg.FILE_RECEIVED: "1", sheet_msg.CONFIRMED: "1",
    }
    toggles = [e["title"] for e in walk(card["body"]) if e.get("type") == "Action.ToggleVisibility"]
    assert toggles == [f"{sheet_msg.NOT_STARTED}（{KANAGAWA - 5}）", f"{sheet_msg.IN_PROGRESS}（2）",
                       f"{sheet_msg.ANSWERED}（3）", f"{sheet_msg.FILE_RECEIVED}（1）", f"{sheet_msg.CONFIRMED}（1）"]
    sections = [e for e in walk(card["body"]) if e.get("type") == "Container" and "isVisible" in e]
    assert [s["isVisible"] for s in sections] == [True, False, False, False, False]  # most to chase opens
    rows = {s["id"]: [b["text"] for b in s["items"]] for s in sections}
    assert "横浜市: 未着手" in rows["progress-0"]
    # The prefecture's own answer is listed under its full 組織名; no answer yet: 0 of its items.
    assert rows["progress-1"] == ["14神奈川県: 回答中 (0/19)", "箱根町: 回答中 (1/19)"]
    assert rows["progress-2"] == ["厚木市: 回答済（7/9 11:00）", "愛川町(広域): 回答済", "介護保険広域連合（広域連合等）: 回答済"]
    assert rows["progress-3"] == ["大井町: ファイル受領（7/9 15:00）"]
    assert rows["progress-4"] == ["相模原市: 確認済（7/9 10:00）"]
    assert msg.PROGRESS_NO_DEADLINE in [b["text"] for b in walk(card["body"]) if b.get("type") == "TextBlock"]


# --- 期限 --------------------------------------------------------------------------------------


async def test_deadline_set_shown_and_cleared_with_audit(desk, caplog) -> None:
    effects, _ = desk
    caplog.set_level(logging.INFO, logger="bot.audit")
    shown = await run(effects, "deadline", {"prefecture": "14"})
    # (Teams reads text as Markdown: the bot doubles a line break.)
    assert shown.texts == [f"{msg.DEADLINE_NONE.format(prefecture='神奈川県')}\n\n{msg.DEADLINE_USAGE}"]
    set_ = await run(effects, "deadline", {"prefecture": "14", "at": "2023-07-14T17:00+09:00", "past": False})
    assert set_.texts == [msg.DEADLINE_SET.format(prefecture="神奈川県", deadline="令和5年7月14日（金）17時")]
    stored = await effects.deadlines.get("14")
    assert (stored.at, stored.by, stored.set_at) == (datetime(2023, 7, 14, 17, tzinfo=JST), STAFF, "2023-07-10 09:30")
    shown = await run(effects, "deadline", {"prefecture": "14"})
    assert shown.texts[0].startswith(msg.DEADLINE_CURRENT.format(prefecture="神奈川県", deadline="令和5年7月14日（金）17時"))
    past = await run(effects, "deadline", {"prefecture": "14", "at": "2023-07-01T17:00+09:00", "past": True})
    assert past.texts[0].endswith(msg.DEADLINE_PAST)
    cleared = await run(effects, "deadline", {"prefecture": "14", "clear": True})
    assert cleared.texts == [msg.DEADLINE_CLEARED.format(prefecture="神奈川県")]
    again = await run(effects, "deadline", {"prefecture": "14", "clear": True})
    assert again.texts == [msg.DEADLINE_NOTHING_TO_CLEAR.format(prefecture="神奈川県")]
    audits = [(r.audit["prefecture"], r.audit["at"], r.audit["by"]) for r in caplog.records if r.event == "prefecture_deadline"]
    by = user_ref(STAFF)  # a pseudonym, as every audit event names people
    assert audits == [("14", "2023-07-14T17:00+09:00", by), ("14", "2023-07-01T17:00+09:00", by), ("14", None, by)]


# --- 督促 --------------------------------------------------------------------------------------


async def test_remind_once_a_day_and_who_was_reached(desk, caplog) -> None:
    effects, notifier = desk
    caplog.set_level(logging.INFO, logger="bot.audit")
    await effects.deadlines.set(PrefectureDeadline("14", datetime(2023, 7, 14, 17, tzinfo=JST)))
    first = await run(effects, "remind", {"prefecture": "14"})
    sent = dict(notifier.sent)
    # Every unfinished or unconfirmed answer of the prefecture; not the confirmed one, not the
    # prefecture's own answer, not Tokyo's.
    assert set(sent) == {("m-atsugi",), ("m-aikawa",), ("m-union",), ("m-gone",)}
    assert "提出期限（令和5年7月14日（金）17時、都道府県の指定）まで4日です。" in sent[("m-atsugi",)]
    assert sent[("m-atsugi",)].startswith("神奈川県からのお知らせ") and teamwork_msg.REMINDER_UNCONFIRMED in sent[("m-atsugi",)]
    assert teamwork_msg.REMINDER_UNFINISHED.split("（")[0] in sent[("m-gone",)]
    [reply] = first.texts
    assert msg.REMIND_DONE.format(prefecture="神奈川県", orgs=3, people=3) in reply
    assert msg.REMIND_UNREACHED.format(count=1, names="箱根町") in reply
    never = [m.name for m in municipalities.municipalities("14") if m.name not in ("相模原市", "厚木市", "愛川町", "箱根町", "大井町")]
    assert msg.REMIND_NEVER_CHATTED.format(count=len(never), names="、".join(never)) in reply
    assert msg.REMIND_FILES.format(count=1) in reply
    assert [(r.audit["answers"], r.audit["reached"], r.audit["by"]) for r in caplog.records
            if getattr(r, "event", "") == "remind"] == [(4, 3, user_ref(STAFF))]

    notifier.sent.clear()
    later = await run(effects, "remind", {"prefecture": "14"}, session("aad-other", "別の 担当", NOW.replace(hour=16)))
    assert later.texts == [msg.REMIND_ALREADY.format(prefecture="神奈川県", name="県 担当", at="09:30")]
    assert notifier.sent == []
    next_day = await run(effects, "remind", {"prefecture": "14"}, session(now=NOW.replace(day=11)))
    assert len(notifier.sent) == 4 and "まで3日です" in notifier.sent[0][1]
    assert next_day.texts[0].startswith(msg.REMIND_DONE.format(prefecture="神奈川県", orgs=3, people=3))


async def test_two_staff_at_once_send_one_remind(desk) -> None:
    effects, notifier = desk
    turns = await asyncio.gather(*(run(effects, "remind", {"prefecture": "14"}, session(f"aad-{n}", f"職員{n}")) for n in range(3)))
    assert len(notifier.sent) == 4
    # No deadline set: the prefecture's message names none (never "follow your prefecture").
    assert all(text.startswith("神奈川県からのお知らせ（2307 マイナンバー調査）: ") and "提出期限" not in text
               for _, text in notifier.sent)
    already = msg.REMIND_ALREADY.split("{name}")[0].format(prefecture="神奈川県")
    assert sorted(t.texts[0].startswith(already) for t in turns) == [False, True, True]


async def test_nothing_to_remind_takes_no_turn_of_the_day(desk, redis_client) -> None:
    effects, notifier = desk
    store = TurnStore(redis_client, NS)
    for answer_id in ("atsugi", "aikawa", "union", "hakone"):
        data, etag = await store.load_answer(answer_id)
        data["confirmation"] = dict(CONFIRMED)
        await store.save_answer(answer_id, data, etag)
    nothing = await run(effects, "remind", {"prefecture": "14"})
    assert nothing.texts[0].startswith(msg.REMIND_NOTHING.format(prefecture="神奈川県"))
    assert notifier.sent == [] and await redis_client.keys(f"{NS}:chased:*") == []


# --- 職員追加 / 職員削除 / 職員一覧 -------------------------------------------------------------


async def staff(effects: DeskEffects, **params: Any) -> str:
    turn = await run(effects, "staff", params, session(ADMIN, "管理 者"))
    return turn.texts[0] if turn.texts else ""


async def test_grant_by_name_and_revoke_with_audit(desk, caplog) -> None:
    effects, notifier = desk
    caplog.set_level(logging.INFO, logger="bot.audit")
    assert await staff(effects, op="add", who="鈴木 花子", prefecture="14") == msg.STAFF_ADDED.format(
        who="鈴木 花子（suzuki）", prefecture="神奈川県")
    assert await effects.grants.prefecture_of("suzuki") == "14"
    [(keys, notice)] = notifier.sent
    assert keys == ("suzuki",) and notice.startswith("神奈川県の担当者として登録されました（管理 者さんによる）")
    assert await staff(effects, op="add", who="鈴木花子", prefecture="14") == msg.STAFF_ALREADY.format(
        who="鈴木 花子（suzuki）", prefecture="神奈川県")
    assert await staff(effects, op="add", who="鈴木 花子", prefecture="13") == msg.STAFF_MOVED.format(
        who="鈴木 花子（suzuki）", old="神奈川県", prefecture="東京都")
    assert await staff(effects, op="remove", who="鈴木 花子") == msg.STAFF_REMOVED.format(
        who="鈴木 花子（suzuki）", prefecture="東京都")
    assert await effects.grants.prefecture_of("suzuki") is None
    assert await staff(effects, op="remove", who="鈴木 花子") == msg.STAFF_NOT_STAFF.format(who="鈴木 花子（suzuki）")
    audits = [(r.event, r.audit) for r in caplog.records if getattr(r, "event", "").startswith("staff_")]
    suzuki, admin = user_ref("suzuki"), user_ref(ADMIN)
    assert audits == [
        ("staff_grant", {"user": suzuki, "prefecture": "14", "by": admin, "previous": None}),
        ("staff_grant", {"user": suzuki, "prefecture": "13", "by": admin, "previous": "14"}),
        ("staff_revoke", {"user": suzuki, "prefecture": "13", "by": admin}),
    ]


STAFF_REFUSALS = [
    ("a name nobody chatted with", {"op": "add", "who": "知らない 人", "prefecture": "14"},
     msg.STAFF_NAME_UNKNOWN.format(name="知らない 人")),
    ("two people by that name", {"op": "add", "who": "山田 太郎", "prefecture": "14"},
     msg.STAFF_NAME_AMBIGUOUS.format(name="山田 太郎", count=2, keys="yamada、yamada-2")),
    ("staff by the setting", {"op": "add", "who": "県 担当", "prefecture": "13"},
     msg.STAFF_IN_SETTINGS.format(who=f"県 担当（{STAFF}）", prefecture="神奈川県")),
    ("revoking the setting's staff", {"op": "remove", "who": "県 担当"},
     msg.STAFF_IN_SETTINGS.format(who=f"県 担当（{STAFF}）", prefecture="神奈川県")),
    ("an id nobody chatted with is granted", {"op": "add", "who": "6f1c0000-0000-0000-0000-00000000c099", "prefecture": "14"},
     msg.STAFF_ADDED.format(who="6f1c0000-0000-0000-0000-00000000c099", prefecture="神奈川県")),
]


@pytest.mark.parametrize(("params", "reply"), [c[1:] for c in STAFF_REFUSALS], ids=[c[0] for c in STAFF_REFUSALS])
async def test_staff_grants_by_whom(desk, params, reply) -> None:
    effects, _ = desk
    assert await staff(effects, **params) == reply


async def test_staff_list(desk) -> None:
    effects, _ = desk
    await staff(effects, op="add", who="鈴木 花子", prefecture="14")
    await staff(effects, op="add", who="6f1c0000-0000-0000-0000-00000000c099", prefecture="01")
    turn = await run(effects, "staff", {"op": "list"}, session(ADMIN, "管理 者"))
    texts = [b["text"] for b in walk(card_of(turn)["body"]) if b.get("type") == "TextBlock"]
    assert texts == [
        msg.STAFF_LIST_TITLE,
        "01 北海道: 6f1c0000-0000-0000-0000-00000000c099（2023-07-10 09:30 追加）",
        f"14 神奈川県: 県 担当（{STAFF}）（設定）、鈴木 花子（suzuki）（2023-07-10 09:30 追加）",
    ]
