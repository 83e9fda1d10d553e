"""Whose deadline a message may show (survey-rules.md, Deadlines).

The ministry's date (the DEADLINE setting, 令和5年7月21日（金）17時 by default) is the
prefectures' deadline. A municipality or 広域連合等 sends its answer to its prefecture
by a date the prefecture sets: until the bot knows that date, they are told to follow
their prefecture's instructions and never shown the ministry's date as theirs.
"""
from __future__ import annotations

from datetime import datetime

from bot.messages.dates import wareki_datetime

TITLE = "提出期限"
FOLLOW_PREFECTURE = "提出期限は都道府県の指示に従ってください。"
SET_BY_PREFECTURE = "提出期限は{deadline}です（都道府県の指定）。"
SET_BY_PREFECTURE_DAYS = "提出期限（{deadline}、都道府県の指定）まで{days}日です。"
MINISTRY = "厚生労働省への提出期限は{deadline}です。"
MINISTRY_DAYS = "厚生労働省への提出期限（{deadline}）まで{days}日です。"


def deadline_notice(
    for_prefecture: bool, ministry_deadline: datetime, prefecture_deadline: datetime | None = None,
    days_left: int | None = None,
) -> str:
    """The deadline sentence for a prefecture (the ministry's date) or for a municipality /
    広域連合等 (its prefecture's date once one is set); with the days left to that date when
    given (the days are never counted to the ministry's date for a municipality)."""
    if for_prefecture:
        deadline = wareki_datetime(ministry_deadline)
        if days_left is not None:
            return MINISTRY_DAYS.format(deadline=deadline, days=days_left)
        return MINISTRY.format(deadline=deadline)
    if prefecture_deadline is not None:
        if days_left is not None:
            return SET_BY_PREFECTURE_DAYS.format(deadline=wareki_datetime(prefecture_deadline), days=days_left)
        return SET_BY_PREFECTURE.format(deadline=wareki_datetime(prefecture_deadline))
    return FOLLOW_PREFECTURE
