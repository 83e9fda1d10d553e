"""What staff type after 期限 and administrators after 職員追加 / 職員削除, one row per form."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.config import JST
from bot.dialogs.desk_input import is_user_id, parse_deadline, parse_staff_grant, parse_staff_revoke
from bot.messages import desk as msg
from tests.survey_2307 import SURVEY

MINISTRY_DEADLINE = SURVEY.texts.deadline  # the 2307 definition's: 令和5年7月21日（金）17時


def jst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JST)


DEADLINES = [
    ("令和5年7月14日 17時", jst(2023, 7, 14, 17, 0)),
    ("令和5年7月14日17時", jst(2023, 7, 14, 17, 0)),
    ("令和5年7月14日（金）17時", jst(2023, 7, 14, 17, 0)),  # copied from the bot's own 和暦
    ("令和５年７月１４日（金曜日）１７時３０分", jst(2023, 7, 14, 17, 30)),
    ("R5.7.14 17:00", jst(2023, 7, 14, 17, 0)),
    ("r5/7/14 9:05", jst(2023, 7, 14, 9, 5)),
    ("R5.7.14", jst(2023, 7, 14, 17, 0)),  # no time: 17時
    ("2023/7/14 17:00", jst(2023, 7, 14, 17, 0)),
    ("2023-07-14 17:00", jst(2023, 7, 14, 17, 0)),
    ("2023年7月14日 午後5時", jst(2023, 7, 14, 17, 0)),
    ("7月14日 17時半", jst(2023, 7, 14, 17, 30)),  # the ministry deadline's year
    ("7/14 午前10時", jst(2023, 7, 14, 10, 0)),
    ("令和元年5月1日 9時", jst(2019, 5, 1, 9, 0)),
    ("平成31年4月30日", jst(2019, 4, 30, 17, 0)),
    ("令和5年7月21日 17時", jst(2023, 7, 21, 17, 0)),  # the ministry's own deadline is still allowed
]


@pytest.mark.parametrize(("typed", "expected"), DEADLINES, ids=[d[0] for d in DEADLINES])
def test_deadline_forms(typed: str, expected: datetime) -> None:
    assert parse_deadline(typed, MINISTRY_DEADLINE).at == expected


REFUSED = [
    ("2023/2/30 17:00", msg.DATE_NO_SUCH_DAY.format(month=2, day=30)),
    ("令和5年13月1日", msg.DATE_NO_SUCH_DAY.format(month=13, day=1)),
    ("令和1年4月1日", msg.DATE_ERA_RANGE.format(era="令和", year="1", month=4, day=1)),  # still 平成
    ("平成31年5月1日", msg.DATE_ERA_RANGE.format(era="平成", year="31", month=5, day=1)),  # already 令和
    ("令和0年7月1日", msg.DATE_ERA_RANGE.format(era="令和", year="0", month=7, day=1)),
    ("2023/7/14 25:00", msg.DATE_BAD_TIME.format(hour="25", minute=0)),
    ("2023/7/14 17:75", msg.DATE_BAD_TIME.format(hour="17", minute=75)),
    ("7/14 午後13時", msg.DATE_BAD_TIME.format(hour="13", minute=0)),
    ("令和5年7月14日（月）17時", msg.DATE_WRONG_WEEKDAY.format(month=7, day=14, weekday="金")),
    ("令和5年7月21日 17時1分", msg.DATE_AFTER_MINISTRY.format(ministry="令和5年7月21日（金）17時")),
    ("2024/7/1", msg.DATE_AFTER_MINISTRY.format(ministry="令和5年7月21日（金）17時")),
    ("来週の金曜", msg.DATE_UNREADABLE.format(text="来週の金曜")),
    ("令和5年7月14日 夕方", msg.DATE_UNREADABLE.format(text="令和5年7月14日 夕方")),
    ("", msg.DEADLINE_USAGE),
]


@pytest.mark.parametrize(("typed", "error"), REFUSED, ids=[r[0] or "empty" for r in REFUSED])
def test_bad_deadlines_are_refused(typed: str, error: str) -> None:
    parsed = parse_deadline(typed, MINISTRY_DEADLINE)
    assert (parsed.ok, parsed.error) == (False, error)


def test_the_latest_date_follows_the_ministry_deadline_setting() -> None:
    later = jst(2023, 8, 31, 17, 0)
    assert parse_deadline("令和5年8月25日 17時", later).at == jst(2023, 8, 25, 17, 0)
    assert parse_deadline("8月25日", later).at == jst(2023, 8, 25, 17, 0)


GRANTS = [
    ("山田 太郎 14", ("山田 太郎", "14", "")),
    ("山田　太郎　神奈川県", ("山田 太郎", "14", "")),
    ("山田太郎 神奈川", ("山田太郎", "14", "")),
    ("6f1c0000-0000-0000-0000-00000000c014 １４", ("6f1c0000-0000-0000-0000-00000000c014", "14", "")),
    ("山田 太郎 1", ("山田 太郎", "01", "")),  # one digit: the code of 北海道, as everywhere
    ("山田", ("", "", msg.STAFF_ADD_USAGE)),
    ("", ("", "", msg.STAFF_ADD_USAGE)),
    ("山田 太郎 48", ("", "", msg.STAFF_NO_SUCH_PREFECTURE.format(text="48"))),
    ("山田 太郎 神奈川市", ("", "", msg.STAFF_NO_SUCH_PREFECTURE.format(text="神奈川市"))),
]


@pytest.mark.parametrize(("typed", "expected"), GRANTS, ids=[g[0] or "empty" for g in GRANTS])
def test_staff_grant_arguments(typed: str, expected: tuple[str, str, str]) -> None:
    target = parse_staff_grant(typed)
    assert (target.who, target.code, target.error) == expected


@pytest.mark.parametrize(
    ("typed", "who", "error"),
    [("山田　太郎", "山田 太郎", ""), (" aad-1 ", "aad-1", ""), ("", "", msg.STAFF_REMOVE_USAGE)],
)
def test_staff_revoke_arguments(typed: str, who: str, error: str) -> None:
    target = parse_staff_revoke(typed)
    assert (target.who, target.error) == (who, error)


@pytest.mark.parametrize(
    ("text", "is_id"),
    [("6f1c0000-0000-0000-0000-00000000c014", True), ("6F1C0000-0000-0000-0000-00000000C014", True),
     ("29:1abcDEF", True), ("山田 太郎", False), ("6f1c0000", False)],
)
def test_user_ids(text: str, is_id: bool) -> None:
    assert is_user_id(text) is is_id
