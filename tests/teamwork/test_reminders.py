"""Deadline reminders on a real Redis: which answers, which days, exactly once."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any, Iterable

import pytest

from bot.config import JST, Config
from bot.messages import teamwork as msg
from bot.reminders import Reminders
from bot.state.prefecture_deadlines import PrefectureDeadline, PrefectureDeadlines
from bot.state.turn_store import TurnStore
from bot.survey.engine import load_survey
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION
from tests.e2e.transcripts import MUNICIPALITY_SHORT, PREFECTURE, stored_respondent
from tests.export.records import RESPONDENT
from tests.redis_server import RoundTrips

NS = "mn2307"
DEADLINE = datetime(2023, 7, 21, 17, 0, tzinfo=JST)
COMPLETE = {"respondent": stored_respondent(MUNICIPALITY_SHORT.org_type), "answers": dict(MUNICIPALITY_SHORT.answers)}
ANSWERS: dict[str, dict[str, Any]] = {  # answer id -> record (without answer_id)
    "unfinished": {"respondent": dict(RESPONDENT), "answers": {"1-1": 1}, "members": ["u1"]},
    "no-info": {"respondent": {"org_type": "市区町村"}, "answers": {}, "members": ["u2"]},
    "unconfirmed": {**COMPLETE, "confirmation": {"status": "draft"}, "members": ["u3", "u4"]},
    "requested": {**COMPLETE, "confirmation": {"status": "requested"}, "members": ["u5"]},
    "returned": {**COMPLETE, "confirmation": {"status": "returned"}, "members": ["u6"]},
    "confirmed": {**COMPLETE, "confirmation": {"status": "confirmed", "confirmed_at": "2023-07-18 10:00"}, "members": ["u7"]},
    "prefecture": {"respondent": stored_respondent(ORG_PREFECTURE), "answers": dict(PREFECTURE.answers), "members": ["u8"]},
}
UNCONFIRMED = {"unconfirmed", "requested", "returned", "prefecture"}
MINISTRY_DEADLINE = "令和5年7月21日（金）17時"
FOLLOW_PREFECTURE = "提出期限は都道府県の指示に従ってください。"


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[tuple[str, ...], str]] = []

    async def send(self, user_keys: Iterable[str], activity: Any, after: Any = None) -> list[str]:
        keys = tuple(user_keys)
        await asyncio.sleep(0)  # let another process's round interleave here
        self.sent.append((keys, activity))
        return list(keys)


@pytest.fixture
async def stored(redis_client) -> None:
    store = TurnStore(redis_client, NS)
    for answer_id, record in ANSWERS.items():
        await store.save_answer(answer_id, {"answer_id": answer_id, **record}, None)


def reminders(redis_client, notifier: RecordingNotifier, days: tuple[int, ...] = (3, 1)) -> Reminders:
    config = Config(deadline=DEADLINE, reminder_days=days, redis_namespace=NS)
    return Reminders(config, redis_client, load_survey(), notifier)  # type: ignore[arg-type]


def at(days_before: int, hour: int = 9) -> datetime:
    return (DEADLINE - timedelta(days=days_before)).replace(hour=hour, minute=0)


@pytest.mark.parametrize(
    "now,sends",
    [
        (at(3), True),
        (at(3, hour=23), True),
        (at(1, hour=0), True),
        (at(2), False),
        (at(4), False),
        (at(0), False),  # the deadline day itself is not a reminder day by default
        (at(-1), False),
        # The day is JST's: 2023-07-20 16:00 UTC is already 07-21 in Japan (0 days left).
        (datetime(2023, 7, 20, 16, 0, tzinfo=JST.__class__(timedelta(0))), False),
        (datetime(2023, 7, 19, 16, 0, tzinfo=JST.__class__(timedelta(0))), True),
    ],
)
async def test_reminder_days(redis_client, stored, now: datetime, sends: bool) -> None:
    notifier = RecordingNotifier()
    count = await reminders(redis_client, notifier).run_once(now)
    assert (count > 0, bool(notifier.sent)) == (sends, sends)


async def test_who_is_reminded_and_of_what(redis_client, stored) -> None:
    notifier = RecordingNotifier()
    assert await reminders(redis_client, notifier).run_once(at(3)) == len(ANSWERS) - 1
    by_members = dict(notifier.sent)
    expected = {
        tuple(record["members"]): msg.REMINDER_UNCONFIRMED if answer_id in UNCONFIRMED else msg.REMINDER_UNFINISHED.split("（")[0]
        for answer_id, record in ANSWERS.items()
        if answer_id != "confirmed"
    }
    assert set(by_members) == set(expected)
    for members, text in by_members.items():
        assert expected[members] in text
        if members == ("u8",):  # the prefecture's own answer: the ministry's deadline
            assert f"厚生労働省への提出期限（{MINISTRY_DEADLINE}）まで3日です。" in text
            assert FOLLOW_PREFECTURE not in text
        else:  # municipalities: never the ministry's date as theirs
            assert FOLLOW_PREFECTURE in text
            assert "7月21日" not in text and "2023" not in text and "3日" not in text
    assert ("u7",) not in by_members


@pytest.mark.parametrize(
    ("org_type", "shown", "hidden"),
    [
        (ORG_PREFECTURE, f"厚生労働省への提出期限（{MINISTRY_DEADLINE}）まで1日です。", FOLLOW_PREFECTURE),
        (ORG_MUNICIPALITY, FOLLOW_PREFECTURE, "7月21日"),
        (ORG_MEMBER, FOLLOW_PREFECTURE, "7月21日"),
        (ORG_UNION, FOLLOW_PREFECTURE, "7月21日"),
        (None, FOLLOW_PREFECTURE, "7月21日"),  # 組織区分 not given yet: not a prefecture's
    ],
)
async def test_the_deadline_each_respondent_is_shown(redis_client, org_type: str | None, shown: str, hidden: str) -> None:
    store = TurnStore(redis_client, NS)
    respondent = {"org_type": org_type} if org_type else {}
    await store.save_answer("one", {"answer_id": "one", "respondent": respondent, "answers": {}, "members": ["m"]}, None)
    notifier = RecordingNotifier()
    assert await reminders(redis_client, notifier).run_once(at(1)) == 1
    [(_, text)] = notifier.sent
    assert shown in text and hidden not in text


async def test_answers_under_review_are_reminded_of_it(redis_client) -> None:
    store = TurnStore(redis_client, NS)
    record = {**COMPLETE, "under_review": {"3": "1-1", "12": "1-1"}, "members": ["r"]}
    await store.save_answer("review", {"answer_id": "review", **record}, None)
    notifier = RecordingNotifier()
    assert await reminders(redis_client, notifier).run_once(at(1)) == 1
    [(_, text)] = notifier.sent
    assert msg.REMINDER_UNDER_REVIEW.format(n=2) in text and msg.REMINDER_UNCONFIRMED not in text


async def test_once_per_reminder_day(redis_client, stored) -> None:
    notifier = RecordingNotifier()
    bot = reminders(redis_client, notifier)
    rounds = [await bot.run_once(now) for now in (at(3), at(3, hour=12), at(2), at(1), at(1, hour=18))]
    assert rounds == [6, 0, 0, 6, 0]


async def test_exactly_once_across_processes(redis_client, stored) -> None:
    notifiers = [RecordingNotifier() for _ in range(4)]
    counts = await asyncio.gather(*(reminders(redis_client, n).run_once(at(1)) for n in notifiers))
    assert sum(counts) == len(ANSWERS) - 1
    sent = [keys for n in notifiers for keys, _ in n.sent]
    assert sorted(sent) == sorted(tuple(r["members"]) for i, r in ANSWERS.items() if i != "confirmed")


async def test_other_namespaces_are_not_reminded(redis_client, stored) -> None:
    store = TurnStore(redis_client, "other-bot")
    await store.save_answer("theirs", {"answer_id": "theirs", "answers": {}, "members": ["x"]}, None)
    notifier = RecordingNotifier()
    await reminders(redis_client, notifier).run_once(at(1))
    assert ("x",) not in dict(notifier.sent)


# --- a deadline the prefecture set (期限) ---------------------------------------------------

SET_BY_14 = datetime(2023, 7, 14, 17, 0, tzinfo=JST)


async def test_days_are_counted_to_the_prefectures_own_deadline(redis_client, stored) -> None:
    """Prefecture 14 set 7月14日: its municipalities are reminded 3 and 1 days before that,
    with that date; its own answer, and another prefecture's municipality, keep theirs."""
    store = TurnStore(redis_client, NS)
    tokyo = {"respondent": {**RESPONDENT, "org_name": "13東京都府中市"}, "answers": {"1-1": 1}, "members": ["t1"]}
    await store.save_answer("tokyo", {"answer_id": "tokyo", **tokyo}, None)
    deadlines = PrefectureDeadlines(redis_client, NS)
    await deadlines.set(PrefectureDeadline("14", SET_BY_14))
    config = Config(deadline=DEADLINE, reminder_days=(3, 1), redis_namespace=NS)

    def bot(notifier: RecordingNotifier) -> Reminders:
        return Reminders(config, redis_client, load_survey(), notifier, deadlines=deadlines)  # type: ignore[arg-type]

    three_days_before_14th = RecordingNotifier()
    await bot(three_days_before_14th).run_once(SET_BY_14 - timedelta(days=3))
    sent = dict(three_days_before_14th.sent)
    # "no-info" has no 組織名 yet: no prefecture's deadline is its own.
    kanagawa = {tuple(r["members"]) for i, r in ANSWERS.items() if i not in ("confirmed", "prefecture", "no-info")}
    assert set(sent) == kanagawa
    assert all("提出期限（令和5年7月14日（金）17時、都道府県の指定）まで3日です。" in text for text in sent.values())

    ministry_three_days = RecordingNotifier()
    await bot(ministry_three_days).run_once(at(3))
    sent = dict(ministry_three_days.sent)
    # The prefecture's own answer, Tokyo's municipality, and the one without a 組織名.
    assert set(sent) == {("u8",), ("t1",), ("u2",)}
    assert f"厚生労働省への提出期限（{MINISTRY_DEADLINE}）まで3日です。" in sent[("u8",)]
    assert FOLLOW_PREFECTURE in sent[("t1",)] and "7月21日" not in sent[("t1",)]


async def test_no_deadline_today_reads_no_answers(redis_client, stored) -> None:
    deadlines = PrefectureDeadlines(redis_client, NS)
    await deadlines.set(PrefectureDeadline("14", SET_BY_14))
    config = Config(deadline=DEADLINE, reminder_days=(3, 1), redis_namespace=NS)
    trips = RoundTrips(redis_client)
    bot = Reminders(config, redis_client, load_survey(), RecordingNotifier(), deadlines=deadlines)  # type: ignore[arg-type]
    sent, _ = await trips.measure(bot.run_once(SET_BY_14 - timedelta(days=2)))
    assert sent == ["hgetall"]
