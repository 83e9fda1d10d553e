"""deadline_notice: the one sentence about the deadline, per respondent."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.config import JST
from bot.messages.deadlines import deadline_notice

MINISTRY = datetime(2023, 7, 21, 17, 0, tzinfo=JST)
PREFECTURE_SET = datetime(2023, 7, 14, 17, 0, tzinfo=JST)


@pytest.mark.parametrize(
    ("for_prefecture", "prefecture_deadline", "days", "text"),
    [
        (False, None, None, "提出期限は都道府県の指示に従ってください。"),
        (False, None, 3, "提出期限は都道府県の指示に従ってください。"),  # never counts to the ministry's date
        (False, PREFECTURE_SET, None, "提出期限は令和5年7月14日（金）17時です（都道府県の指定）。"),
        (False, PREFECTURE_SET, 3, "提出期限（令和5年7月14日（金）17時、都道府県の指定）まで3日です。"),
        (True, None, None, "厚生労働省への提出期限は令和5年7月21日（金）17時です。"),
        (True, None, 1, "厚生労働省への提出期限（令和5年7月21日（金）17時）まで1日です。"),
        (True, PREFECTURE_SET, None, "厚生労働省への提出期限は令和5年7月21日（金）17時です。"),
    ],
)
def test_deadline_notice(for_prefecture: bool, prefecture_deadline: datetime | None, days: int | None, text: str) -> None:
    assert deadline_notice(for_prefecture, MINISTRY, prefecture_deadline, days_left=days) == text
