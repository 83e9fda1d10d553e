"""Whose deadline the conversation shows: the ministry's date (the DEADLINE setting, in
和暦 with the weekday) only to prefectures; municipalities and 広域連合等 are told to
follow their prefecture's instructions, in ヘルプ and with the finished answer."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.config import JST
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import (
    MEMBER_13_1,
    MUNICIPALITY_SHORT,
    PREFECTURE,
    REVIEW,
    UNION_13_2,
    Walk,
)

FOLLOW = "提出期限は都道府県の指示に従ってください。"
MINISTRY = "令和5年7月21日（金）17時"


def help_facts(t: Transcript) -> dict[str, str]:
    replies = t.say("ヘルプ")
    assert replies.heading == "使い方"
    return {f["title"]: f["value"] for card in replies.cards for e in card["body"]
            if e.get("type") == "FactSet" for f in e["facts"]}


@pytest.mark.parametrize(
    ("walk", "staff", "deadline"),
    [
        (MUNICIPALITY_SHORT, None, FOLLOW),
        (MEMBER_13_1, None, FOLLOW),
        (UNION_13_2, None, FOLLOW),
        (PREFECTURE, None, f"厚生労働省への提出期限は{MINISTRY}です。"),
        (None, None, FOLLOW),  # no answer yet, not registered staff
        (None, "14", f"厚生労働省への提出期限は{MINISTRY}です。"),  # prefecture staff (PREFECTURE_STAFF)
        (MUNICIPALITY_SHORT, "14", f"厚生労働省への提出期限は{MINISTRY}です。"),
    ],
    ids=["municipality", "member", "union", "prefecture", "nobody", "staff", "staff-answering"],
)
def test_help_shows_whose_deadline(walk: Walk | None, staff: str | None, deadline: str) -> None:
    t = Transcript(staff_prefecture=staff)
    if walk is not None:
        t.play(walk.steps()[:4])
    facts = help_facts(t)
    assert facts["提出期限"] == deadline
    if deadline == FOLLOW:
        assert not any("7月21日" in value for value in facts.values())
    else:
        assert MINISTRY in facts["提出先"]


@pytest.mark.parametrize(
    ("walk", "shown", "hidden"),
    [
        (MUNICIPALITY_SHORT, FOLLOW, "7月21日"),
        (UNION_13_2, FOLLOW, "7月21日"),
        (PREFECTURE, f"{MINISTRY}までに rouken-keikaku@mhlw.go.jp へ提出してください。", FOLLOW),
    ],
    ids=["municipality", "union", "prefecture"],
)
def test_the_finished_answer_says_whose_deadline(walk: Walk, shown: str, hidden: str) -> None:
    t = Transcript()
    replies = t.play(walk.steps())
    assert replies.last_heading == REVIEW
    assert shown in replies.all_text and hidden not in replies.all_text


def test_the_date_comes_from_the_setting() -> None:
    t = Transcript(deadline=datetime(2023, 7, 14, 12, 30, tzinfo=JST))
    t.play(PREFECTURE.steps()[:4])
    facts = help_facts(t)
    assert facts["提出期限"] == "厚生労働省への提出期限は令和5年7月14日（金）12時30分です。"
    assert "7月21日" not in "".join(facts.values())
