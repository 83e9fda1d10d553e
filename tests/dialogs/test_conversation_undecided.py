"""修正 of an item whose applicability is not decided yet (a 構成市町村's 1-1 before Q13):
the bot says which unanswered item decides it and asks that item, instead of
「対象外のため修正できません」. An item that really is 対象外 still says so."""
from __future__ import annotations

from typing import Any

import pytest

from bot.cards.common import answer_data
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MEMBER_13_1, MEMBER_13_2, MUNICIPALITY_LONGEST, UNION_13_3, Walk

NOT_APPLICABLE = "対象外のため修正できません"


def before_items(walk: Walk) -> Transcript:
    """回答者情報 done, the first item not answered."""
    t = Transcript()
    t.play(walk.steps()[: -len(walk.items)])
    return t


@pytest.mark.parametrize(
    ("walk", "upto", "send", "said", "asked"),
    [
        (MEMBER_13_1, None, "修正 Q1-1", "Q1-1を回答するかどうかは、まだ回答していないQ13の回答で決まります。", "Q13"),
        (MEMBER_13_1, None, "修正 Q12", "Q12を回答するかどうかは、まだ回答していないQ13の回答で決まります。", "Q13"),
        (UNION_13_3, None, "修正 Q2", "Q2を回答するかどうかは、まだ回答していないQ13の回答で決まります。", "Q13"),
        (MEMBER_13_1, None, answer_data("1-1", "1"), "Q1-1を回答するかどうかは、まだ回答していないQ13", "Q13"),  # an old card
        (MUNICIPALITY_LONGEST, "Q3", "修正 Q4", "Q4を回答するかどうかは、まだ回答していないQ3の回答で決まります。", "Q3"),
        (MUNICIPALITY_LONGEST, "Q3", "修正 Q8-2", "まだ回答していないQ3の回答で決まります。", "Q3"),
        (MUNICIPALITY_LONGEST, "Q5", "修正 Q9", "Q9を回答するかどうかは、まだ回答していないQ5の回答で決まります。", "Q5"),
    ],
)
def test_an_undecided_item_offers_the_item_that_decides_it(
    walk: Walk, upto: str | None, send: str | dict[str, Any], said: str, asked: str
) -> None:
    t = before_items(walk) if upto is None else Transcript()
    if upto is not None:
        t.play(steps_until(walk.steps(), upto))
    before = t.snapshot()
    replies = t.send(send)
    assert said in replies.all_text
    assert NOT_APPLICABLE not in replies.all_text
    assert replies.last_heading == asked
    assert t.snapshot() == before


def test_answering_the_offered_item_then_reaches_the_item() -> None:
    t = before_items(MEMBER_13_1)
    t.say("修正 Q1-1")
    assert t.say("1").last_heading == "Q1-1"
    assert t.say("修正 Q1-1").last_heading == "Q1-1"


def test_an_item_that_is_not_applicable_still_says_so() -> None:
    t = Transcript()
    t.play(MEMBER_13_2.steps())  # 13=②: the block is 対象外 for the 構成市町村
    before = t.snapshot()
    replies = t.say("修正 Q1-1")
    assert "Q1-1は、今の回答では対象外のため修正できません。" in replies.all_text
    assert "Q13の回答で決まります" not in replies.all_text
    assert t.snapshot() == before
