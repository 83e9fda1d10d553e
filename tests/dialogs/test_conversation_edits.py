"""修正 Qx: the skip rules are re-applied after an edit; the user is told which items
left (their answers set aside) and which became applicable (asked next)."""
from __future__ import annotations

import pytest

from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import (
    MEMBER_13_2,
    MUNICIPALITY_LONGEST,
    MUNICIPALITY_SHORT,
    REVIEW,
    UNION_13_2,
    Walk,
)

NOW_NA = "この回答により、次の項目が対象外になりました: "
SET_ASIDE = "対象外になった項目の回答は、履歴に残し、回答からは外しました: "
NOW_APPLICABLE = "この回答により、次の項目が新たに対象になりました: "


@pytest.mark.parametrize(
    ("walk", "edit", "value", "told", "next_heading", "gone", "kept"),
    [
        # 3 ② → ①: 4 and 5 are asked next; 6, 7-1, 7-2, 9 wait on 5 and keep their answers.
        (MUNICIPALITY_SHORT, "修正 Q3", "1", [NOW_APPLICABLE + "Q4、Q5"],
         "Q4", [], ["1-1", "2", "6", "7-1", "7-2", "9", "10", "11", "12"]),
        # 5 ② → ①: the whole 6 … 9 stretch leaves.
        (MUNICIPALITY_LONGEST, "修正 Q5", "1",
         [NOW_NA + "Q6、Q7-1、Q7-2、Q7-3、Q7-4、Q8-1、Q8-1 概要、Q8-2、Q9"],
         REVIEW, ["6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-1_概要", "8-2", "9"], ["4", "10", "10_概要"]),
        # 7-2 ① → ②: 7-3, 7-4, 8-1, 8-2 leave; 9 was answered and stays.
        (MUNICIPALITY_LONGEST, "修正 Q7-2", "2",
         [NOW_NA + "Q7-3、Q7-4、Q8-1、Q8-1 概要、Q8-2"],
         REVIEW, ["7-3", "7-4", "8-1", "8-1_概要", "8-2"], ["7-1", "9"]),
        # 2 ③ → ①: the 予定年月 leaves.
        (MUNICIPALITY_LONGEST, "修正 Q2", "1", [NOW_NA + "Q2 予定年月"], REVIEW, ["2_予定年月"], ["3"]),
        # 10 ② → ①: the 概要 leaves.
        (MUNICIPALITY_LONGEST, "修正 Q10", "①", [NOW_NA + "Q10 概要"], REVIEW, ["10_概要"], ["11"]),
        # 7-2 ② → ①: 7-3 and 8-1 become applicable and are asked next.
        (MUNICIPALITY_SHORT, "修正 Q7-2", "1", [NOW_APPLICABLE + "Q7-3、Q8-1"], "Q7-3", [], ["9"]),
        # 10 ① → ④: its 概要 is asked next.
        (MUNICIPALITY_SHORT, "修正 Q10", "4", [NOW_APPLICABLE + "Q10 概要"], "Q10 概要", [], ["11"]),
        # 構成市町村 13 ② → ①: the block applies and 1-1 is asked.
        (MEMBER_13_2, "修正 Q13", "1", [NOW_APPLICABLE + "Q1-1"], "Q1-1", [], []),
        # 広域連合等 13 ② → ①: the whole block leaves.
        (UNION_13_2, "修正 Q13", "1", [NOW_NA + "Q1-1、Q2、Q3"], REVIEW, ["1-1", "2", "3", "6", "9", "12"], []),
    ],
    ids=["3-to-1", "5-to-1", "7_2-to-2", "2-to-1", "10-to-1", "7_2-to-1", "10-to-4", "member-13-to-1", "union-13-to-1"],
)
def test_edit_reapplies_the_rules(
    walk: Walk, edit: str, value: str, told: list[str], next_heading: str, gone: list[str], kept: list[str]
) -> None:
    t = Transcript()
    t.play(walk.steps())
    before = t.answers
    assert t.say(edit).last_heading == edit.split()[1]

    replies = t.say(value)

    for line in told:
        assert line in replies.all_text
    assert replies.last_heading == next_heading
    for item in gone:
        assert item in before and item not in t.answers
    for item in kept:
        assert t.answers[item] == before[item]


@pytest.mark.parametrize(
    ("answer_5", "told", "gone", "next_heading"),
    [
        # 5 = ①: the items that waited on it leave now, and the user is told.
        ("1", [SET_ASIDE + "Q6、Q7-1、Q7-2、Q9"], ["6", "7-1", "7-2", "9"], REVIEW),
        # 5 = ②: they apply again with the answers given before.
        ("2", [], [], REVIEW),
    ],
)
def test_items_waiting_on_a_new_question_keep_their_answers_until_it_is_answered(
    answer_5: str, told: list[str], gone: list[str], next_heading: str
) -> None:
    t = Transcript()
    t.play(MUNICIPALITY_SHORT.steps())
    before = t.answers
    t.say("修正 Q3")
    t.say("1")
    t.say("1")  # Q4
    replies = t.say(answer_5)  # Q5
    for line in told:
        assert line in replies.all_text
    assert (SET_ASIDE in replies.all_text) == bool(told)
    assert replies.last_heading == next_heading
    for item in ["6", "7-1", "7-2", "9"]:
        assert (item not in t.answers) if item in gone else (t.answers[item] == before[item])


def test_edit_keeping_the_same_answer_reports_nothing() -> None:
    t = Transcript()
    t.play(MUNICIPALITY_LONGEST.steps())
    before = t.answers
    t.say("修正 Q3")
    replies = t.say("1")
    assert NOW_NA not in replies.all_text and NOW_APPLICABLE not in replies.all_text
    assert replies.last_heading == REVIEW
    assert t.answers == before


@pytest.mark.parametrize(
    ("edit", "reply"),
    [
        ("修正 Q4", "Q4は、今の回答では対象外のため修正できません。"),  # 3=② made it 対象外
        ("修正 Q99", "「Q99」という項番はありません。"),
        ("修正", "「修正 Q7-2」のように、直したい項番を付けて送ってください"),
    ],
)
def test_edit_of_what_cannot_be_edited(edit: str, reply: str) -> None:
    t = Transcript()
    t.play(MUNICIPALITY_SHORT.steps())
    before = t.snapshot()
    assert reply in t.say(edit).all_text
    assert t.snapshot() == before


@pytest.mark.parametrize("edit", ["修正 q7-2", "修正 ７－２", "修正 Q7-2", "訂正 Q7-2"])
def test_edit_accepts_the_item_however_written(edit: str) -> None:
    t = Transcript()
    t.play(MUNICIPALITY_SHORT.steps())
    replies = t.say(edit)
    assert replies.last_heading == "Q7-2"
    assert "現在の回答: ②紐付けを行わない。（Q9へ）" in replies.all_text


def test_edit_by_card_submit_after_the_review() -> None:
    from bot.cards.common import answer_data

    t = Transcript()
    t.play(MUNICIPALITY_SHORT.steps())
    replies = t.submit(answer_data("3", "1"))  # a click on the (still visible) Q3 card
    assert NOW_APPLICABLE + "Q4、Q5" in replies.all_text
    assert replies.last_heading == "Q4"


def test_changing_org_type_tells_which_items_left() -> None:
    t = Transcript()
    t.play(MUNICIPALITY_SHORT.steps())
    t.say("修正 組織区分")
    replies = t.say("4")  # 都道府県: 1-1 no longer applies, 1-2 does
    assert "1-1" not in t.answers
    assert NOW_NA + "Q1-1" in replies.all_text


@pytest.mark.parametrize("typed", ["Q3を修正", "修正Q3", "Q3 修正", "Ｑ３の修正"])
def test_edit_as_people_type_it(typed: str) -> None:
    t = Transcript()
    t.play(MUNICIPALITY_SHORT.steps())
    replies = t.say(typed)
    assert replies.last_heading == "Q3"
    assert "現在の回答: ②求めていない。" in replies.all_text
