"""The conversation on the example definition (an invented survey, not 2307): the same code
asks its items, applies its skip rules, shows its notes and its own texts."""
from __future__ import annotations

import json

import pytest

from bot.survey.engine import Survey, load_survey
from tests.dialogs.transcript import Transcript
from tests.e2e.example_transcripts import (
    EDIT,
    EDITED_ANSWERS,
    EXAMPLE,
    MUNICIPALITY,
    MUNICIPALITY_ANSWERS,
    MUNICIPALITY_NAME,
    PREFECTURE,
    PREFECTURE_ANSWERS,
    PREFECTURE_NAME,
    respondent,
)
from tests.e2e.transcripts import REVIEW


@pytest.fixture(scope="module")
def survey() -> Survey:
    return load_survey(EXAMPLE)


def test_a_municipality_answers_then_edits(survey: Survey) -> None:
    t = Transcript(definition=survey)
    t.play(MUNICIPALITY)
    assert t.stored["respondent"] == respondent("市区町村", MUNICIPALITY_NAME, "shougai@example.lg.jp")
    assert t.answers == MUNICIPALITY_ANSWERS
    t.play(EDIT)
    assert t.answers == EDITED_ANSWERS


def test_a_prefecture_answers_its_own_item(survey: Survey) -> None:
    t = Transcript(definition=survey)
    t.play(PREFECTURE)
    assert t.stored["respondent"] == respondent("都道府県", PREFECTURE_NAME, "ken@example.lg.jp")
    assert t.answers == PREFECTURE_ANSWERS


@pytest.mark.parametrize(
    ("said", "shown", "not_shown"),
    [
        # the welcome: the example's title and the sentence that it is an example
        ("こんにちは", ["【例】障害福祉サービス", "実在の調査ではありません"], ["介護保険", "2307"]),
        # ヘルプ: its contacts, its example item, its terms; no 2307 contact
        ("ヘルプ", ["○○省 ○○課（例）", "修正 Q3", "J-LIS照会、支給決定 など"], ["rouken-keikaku", "Q7-2", "デジタル庁"]),
        ("修正", ["「修正 Q3」のように"], ["Q7-2"]),
        ("修正 Q7-2", ["「Q7-2」という項番はありません。「修正 Q3」のように"], []),
    ],
    ids=["welcome", "help", "edit-usage", "edit-unknown"],
)
def test_the_survey_speaks_with_its_own_words(survey: Survey, said: str, shown: list[str], not_shown: list[str]) -> None:
    t = Transcript(definition=survey)
    if said.startswith("修正"):
        t.play(MUNICIPALITY[:1])
    replies = t.say(said)
    text = replies.all_text + json.dumps(replies.attachments(), ensure_ascii=False)  # the card's facts too
    for part in shown:
        assert part in text
    for part in not_shown:
        assert part not in text


def test_the_finished_answer_says_where_it_goes(survey: Survey) -> None:
    t = Transcript(definition=survey)
    replies = t.play(MUNICIPALITY)
    assert replies.last_heading == REVIEW
    assert "市区町村は、完成した回答のエクセルファイルを都道府県に提出してください（例）。" in replies.all_text
