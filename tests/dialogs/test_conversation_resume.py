"""Resuming: from another chat, after 中断, with 再開 or 開始, and the greeting of a new chat."""
from __future__ import annotations

import pytest

from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, UNION_13_2

RESUME_TITLE = "前回の続きから回答できます"


def at(heading: str) -> Transcript:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), heading))
    return t


@pytest.mark.parametrize(
    ("first_message", "headings"),
    [
        ("再開", ["Q7-3"]),  # the command: straight to the question
        ("開始", ["Q7-3"]),  # 開始 continues the open answer, never starts another
        ("こんにちは", [RESUME_TITLE, "Q7-3"]),  # anything else: the offer and the question
        ("2", [RESUME_TITLE, "Q7-3"]),  # not taken as an answer in the new chat
    ],
)
def test_new_chat_of_the_same_user_continues_at_the_first_unanswered_item(first_message: str, headings: list[str]) -> None:
    t = at("Q7-3")
    before = t.snapshot()
    replies = t.new_chat().say(first_message)
    assert replies.headings == headings
    assert t.snapshot()["answers"] == before["answers"]
    assert t.snapshot()["answer_id"] == before["answer_id"]
    assert t.say("1").last_heading == "Q7-4"  # and answering goes on


def test_resume_says_where_the_user_stands() -> None:
    t = at("Q7-3")
    replies = t.new_chat().say("こんにちは")
    assert "回答者情報 8/8、回答済み 9問" in replies.all_text
    assert "次の問い: Q7-3" in replies.all_text


def test_the_bot_added_to_a_new_chat_offers_to_resume() -> None:
    t = at("Q7-3")
    replies = t.new_chat().welcome()
    assert replies.headings == [RESUME_TITLE, "Q7-3"]


def test_resume_without_an_answer_welcomes() -> None:
    replies = Transcript().say("再開")
    assert "再開できる回答はまだありません。" in replies.all_text
    assert replies.last_heading.startswith("介護保険 マイナンバー紐付け点検")


def test_resume_card_button_continues() -> None:
    t = at("Q5")
    t.say("中断")
    t.say("おはよう")
    assert t.click("再開").last_heading == "Q5"


def test_resume_of_a_union_keeps_the_substitution() -> None:
    t = Transcript()
    t.play(steps_until(UNION_13_2.steps(), "Q7-1"))
    replies = t.new_chat().say("再開")
    assert replies.last_heading == "Q7-1"
    assert "構成市町村への照会" in replies.all_text


def test_resume_after_the_last_item_shows_the_review() -> None:
    t = Transcript()
    t.play(MUNICIPALITY_LONGEST.steps())
    assert t.new_chat().say("再開").last_heading == "回答内容の確認"
