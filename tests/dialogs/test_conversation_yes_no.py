"""While a yes/no question is pending (Q6 「該当なし」, a 組織名 the bot completed), only
yes/no words and the card's buttons answer it; a digit, a circled digit or an option's
wording answers the question itself afresh, and a later 「はい」 lands nowhere."""
from __future__ import annotations

from typing import Any

import pytest

from bot.dialogs.inputs import read_input
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, Step, respondent_steps
from tests.survey_2307 import ORG_MUNICIPALITY

CONFIRM_6 = "Q6は「どちらにも該当しない」として記録します"


@pytest.mark.parametrize(
    ("typed", "reading"),
    [
        ("はい", True), ("ＯＫ", True), ("yes", True), ("お願いします", True), ("確定。", True),
        ("いいえ", False), ("no", False), ("キャンセル", False), ("やめる", False),
        # Never yes/no: these answer the question itself.
        ("1", None), ("１", None), ("①", None), ("2", None), ("②", None), ("1,2", None),
        ("住基ネットの利用", None), ("該当なし", None), ("", None),
    ],
)
def test_typed_yes_no(typed: str, reading: bool | None) -> None:
    assert read_input(typed, None).yes_no() is reading


def at_6_confirming_none() -> Transcript:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), "Q6"))
    assert t.say("なし").heading.startswith(CONFIRM_6)
    return t


@pytest.mark.parametrize(
    ("send", "stored", "next_heading"),
    [
        ("1", [1], "Q7-1"),  # ① — the report's case: this used to store 「該当なし」
        ("１", [1], "Q7-1"),
        ("①", [1], "Q7-1"),
        ("2", [2], "Q7-1"),
        ("②", [2], "Q7-1"),
        ("1,2", [1, 2], "Q7-1"),
        ("住基ネットの利用", [1], "Q7-1"),  # an option's wording
        ("はい", [], "Q7-1"),  # the yes the question asked for
        ({"action": "confirm", "topic": "none:6", "answer": "yes"}, [], "Q7-1"),  # its button
        ("いいえ", None, "Q6"),
        ({"action": "confirm", "topic": "none:6", "answer": "no"}, None, "Q6"),
    ],
)
def test_pending_none_at_6(send: str | dict[str, Any], stored: list[int] | None, next_heading: str) -> None:
    t = at_6_confirming_none()
    replies = t.send(send)
    assert replies.last_heading == next_heading
    assert t.answers.get("6") == stored
    assert ("none" == t.snapshot()["notes"].get("6")) == (stored == [])


def test_a_digit_drops_the_pending_question_so_a_later_yes_lands_nowhere() -> None:
    t = at_6_confirming_none()
    t.say("1")
    assert t.answers["6"] == [1]
    before = t.snapshot()
    replies = t.say("はい")  # at Q7-1 now: not an answer to anything
    assert replies.last_heading == "Q7-1"
    assert t.snapshot() == before
    assert "6" not in t.snapshot()["notes"]


def test_a_field_confirmation_is_answered_afresh_by_other_text() -> None:
    """組織名 typed without its code: the bot asks to add it. A digit is a new 組織名
    (and a bad one), not a yes; the completed name is not stored."""
    t = Transcript()
    steps = respondent_steps(ORG_MUNICIPALITY)
    t.play(steps_until(steps, "組織名"))
    assert "14神奈川県相模原市" in t.say("神奈川県相模原市").all_text
    replies = t.say("1")
    assert replies.last_heading == "組織名"
    assert "org_name" not in t.respondent
    replies = t.say("はい")  # the question is gone: this is a 組織名 again
    assert replies.last_heading == "組織名"
    assert "org_name" not in t.respondent
