"""Small things a user meets: 状況 lists what is open in survey order, 「質問に戻る」
goes back without 「再開します」, 迷っている shows its parts as paragraphs, 出力 of an
unfinished answer says how much is open, and Q10's 「概要を添付してください」 is said."""
from __future__ import annotations

import pytest

from bot.survey.engine import load_survey
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import (
    MEMBER_13_1,
    MUNICIPALITY_5_YES,
    MUNICIPALITY_LONGEST,
    MUNICIPALITY_SHORT,
    REVIEW,
    Step,
    Walk,
    respondent_steps,
)
from tests.survey_2307 import ORG_MUNICIPALITY

RESUMED = "再開します"
ATTACH = "Q10: 概要を添付してください。"


def status_line(t: Transcript, prefix: str) -> str:
    replies = t.say("状況")
    assert replies.heading == "回答の状況"
    (line,) = [text for text in replies.all_text.splitlines() if text.startswith(prefix)]
    return line


# --- 状況 -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sent", "unanswered"),
    [
        # 3=① asks 4 and 5; 6 … 9 wait on 5 (pending) and come before 10 … 12 in the survey.
        (["1", "1", "1"], "未回答: 15問（Q4、Q5、Q6、Q7-1、Q7-2、Q7-3、Q7-4、Q8-1、Q8-1 概要、Q8-2、Q9、Q10、Q10 概要、Q11、Q12）"),
        (["2", "2", "2"], "未回答: 13問（Q6、Q7-1、Q7-2、Q7-3、Q7-4、Q8-1、Q8-1 概要、Q8-2、Q9、Q10、Q10 概要、Q11、Q12）"),
        ([], "未回答: 19問（Q1-1、Q2、Q2 予定年月、Q3、Q4、Q5、Q6、Q7-1、Q7-2、Q7-3、Q7-4、Q8-1、Q8-1 概要、Q8-2、Q9、"
             "Q10、Q10 概要、Q11、Q12）"),
    ],
    ids=["3-yes", "3-no", "nothing-answered"],
)
def test_status_lists_unanswered_in_survey_order(sent: list[str], unanswered: str) -> None:
    t = Transcript()
    t.play(respondent_steps(ORG_MUNICIPALITY))
    for text in sent:
        t.say(text)
    assert status_line(t, "未回答:") == unanswered


def test_status_of_a_member_before_13_lists_13_first() -> None:
    t = Transcript()
    t.play(MEMBER_13_1.steps()[:-len(MEMBER_13_1.items)])
    assert status_line(t, "未回答:").startswith("未回答: 20問（Q13、Q1-1、Q2、")


# --- 質問に戻る ---------------------------------------------------------------------------

@pytest.mark.parametrize("heading", ["Q1-1", "Q3", "Q7-1", "Q8-1 概要"])
@pytest.mark.parametrize("command", ["説明", "迷っている"])
def test_back_to_the_question_says_nothing_of_resuming(heading: str, command: str) -> None:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), heading))
    before = t.snapshot()
    t.say(command)
    replies = t.click("質問に戻る")
    assert replies.headings == [heading]
    assert RESUMED not in replies.all_text
    assert t.snapshot() == before


def test_typed_back_to_the_question_at_a_field() -> None:
    t = Transcript()
    t.play(respondent_steps(ORG_MUNICIPALITY)[:3])
    t.say("説明")
    replies = t.say("質問に戻る")
    assert replies.headings == ["担当部署名"] and RESUMED not in replies.all_text


def test_resume_still_says_it_resumes() -> None:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), "Q3"))
    assert RESUMED in t.say("再開").all_text


# --- 迷っている ---------------------------------------------------------------------------

def test_doubt_shows_introduction_quote_and_reading_as_paragraphs() -> None:
    survey = load_survey()
    intro, quote, reading = survey.doubt_parts
    assert quote.startswith("「") and "より慎重な選択肢を選択するようお願いいたします" in quote
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), "Q7-1"))
    blocks = t.say("迷っている").all_text.splitlines()
    assert blocks[:4] == ["回答に迷ったとき", intro, quote, reading]
    assert "より慎重な選択肢: ②取得していない。" in blocks


# --- 出力 --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("steps", "said"),
    [
        (respondent_steps(ORG_MUNICIPALITY)[:3], "まだ終わっていない項目があります（回答者情報 6項目、未回答 19問）。"),
        (steps_until(MUNICIPALITY_LONGEST.steps(), "Q3"), "まだ終わっていない項目があります（未回答 16問）。"),
        (respondent_steps(ORG_MUNICIPALITY), "まだ終わっていない項目があります（未回答 19問）。"),
        (respondent_steps(ORG_MUNICIPALITY)[:2], "まだ終わっていない項目があります（回答者情報 7項目、未回答 19問）。"),
    ],
    ids=["info-missing", "items-open", "no-item-answered", "only-org-type"],
)
def test_export_of_an_unfinished_answer_says_how_much_is_open(steps: list[Step], said: str) -> None:
    t = Transcript()
    t.play(steps)
    replies = t.say("出力")
    assert said in replies.all_text


def test_export_counts_match_the_status() -> None:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), "Q7-1"))
    n = status_line(t, "未回答:").split("問")[0].split(" ")[1]
    assert f"まだ終わっていない項目があります（未回答 {n}問）。" in t.say("出力").all_text


@pytest.mark.parametrize("walk", [MUNICIPALITY_SHORT, MUNICIPALITY_LONGEST, MUNICIPALITY_5_YES], ids=str)
def test_export_of_a_finished_answer_says_nothing_is_open(walk: Walk) -> None:
    t = Transcript()
    t.play(walk.steps())
    replies = t.say("出力")
    assert "まだ終わっていない" not in replies.all_text


# --- Q10 概要を添付してください ------------------------------------------------------------

@pytest.mark.parametrize(
    ("walk", "attach"),
    [(MUNICIPALITY_LONGEST, True), (MUNICIPALITY_5_YES, True), (MUNICIPALITY_SHORT, False)],
    ids=["10-2", "10-3", "10-1"],
)
def test_q10_attachment_is_said_in_the_chat(walk: Walk, attach: bool) -> None:
    t = Transcript()
    replies = t.play(walk.steps())
    assert replies.last_heading == REVIEW
    assert (ATTACH in replies.all_text) == attach
    assert (ATTACH in t.say("出力").all_text) == attach
