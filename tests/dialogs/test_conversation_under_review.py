"""1-1 (or 1-2) changed between ① and ② after later items were answered: the answers are
kept but marked 要確認; the reply names them and says why; the bot walks the user through
them one by one (the stored answer shown, one tap keeps it, or answer anew); 状況 and 一覧
show 要確認; 確認依頼 waits until none is left."""
from __future__ import annotations

from typing import Any

import pytest

from bot.cards.common import keep_data
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript, review_rows
from tests.e2e.transcripts import (
    MUNICIPALITY_LONGEST,
    MUNICIPALITY_SHORT,
    PREFECTURE,
    REVIEW,
    UNION_13_3,
    Walk,
)

MARKED = "次の回答を要確認にしました: "
WHY_1_1 = "Q1-1が①のときQ2以降は住登外者等（上記以外の者）について、②のときはすべての住民について答える問いになるため"
WHY_1_2 = "Q1-2が①のときQ2以降は都道府県サーバーとの自動連携でマイナンバーを取得している者以外"
ITEM_NOTE = "要確認: {source}の回答を変えたため、この回答が今の対象者に合っているか確かめてください。"
KEEP = "このままにする"
SHORT_LATER = "Q2、Q3、Q6、Q7-1、Q7-2、Q9、Q10、Q11、Q12"
LONGEST_LATER = ("Q2、Q2 予定年月、Q3、Q4、Q5、Q6、Q7-1、Q7-2、Q7-3、Q7-4、Q8-1、Q8-1 概要、Q8-2、Q9、Q10、"
                 "Q10 概要、Q11、Q12")
PREFECTURE_LATER = "Q2、Q3、Q6、Q7-1、Q7-2、Q9、Q10、Q11、Q12"


def finished(walk: Walk) -> Transcript:
    t = Transcript()
    t.play(walk.steps())
    return t


def changed(walk: Walk, item: str, value: str) -> tuple[Transcript, Any]:
    t = finished(walk)
    assert t.say(f"修正 {item}").last_heading == item
    return t, t.say(value)


@pytest.mark.parametrize(
    ("walk", "item", "value", "told", "why", "first"),
    [
        (MUNICIPALITY_SHORT, "Q1-1", "1", "Q1-1を②から①に変えたため、" + MARKED + SHORT_LATER, WHY_1_1, "Q2"),
        (MUNICIPALITY_LONGEST, "Q1-1", "②", "Q1-1を①から②に変えたため、" + MARKED + LONGEST_LATER, WHY_1_1, "Q2"),
        (UNION_13_3, "Q1-1", "1", "Q1-1を②から①に変えたため、" + MARKED + SHORT_LATER, WHY_1_1, "Q2"),
        (PREFECTURE, "Q1-2", "2", "Q1-2を①から②に変えたため、" + MARKED + PREFECTURE_LATER, WHY_1_2, "Q2"),
    ],
    ids=["municipality-2-to-1", "municipality-1-to-2", "union-2-to-1", "prefecture-1-to-2"],
)
def test_the_change_marks_later_answers_and_says_which_and_why(
    walk: Walk, item: str, value: str, told: str, why: str, first: str
) -> None:
    before = finished(walk).answers
    t, replies = changed(walk, item, value)
    assert told in replies.all_text
    assert why in replies.all_text
    # Nothing erased: every later answer is kept as it was.
    assert {k: v for k, v in t.answers.items() if k not in ("1-1", "1-2")} == \
        {k: v for k, v in before.items() if k not in ("1-1", "1-2")}
    # The walk starts at the first of them, showing its stored answer and one button to keep it.
    assert replies.last_heading == first
    assert ITEM_NOTE.format(source=item) in replies.all_text
    assert "現在の回答: " in replies.all_text
    assert replies.action(KEEP)["data"] == keep_data(first[1:])
    # Stored on the answer record, as plain JSON: item -> the item whose change caused it.
    marked = t.snapshot()["under_review"]
    assert list(marked) == [i.replace(" ", "_").lstrip("Q") for i in told.split(MARKED)[1].split("、")]
    assert set(marked.values()) == {item[1:]}


@pytest.mark.parametrize(
    ("walk", "item", "value"),
    [
        (MUNICIPALITY_SHORT, "Q1-1", "2"),  # the same answer again
        (MUNICIPALITY_SHORT, "Q3", "2"),
        (MUNICIPALITY_LONGEST, "Q10", "3"),  # an item that declares nothing
        (PREFECTURE, "Q1-2", "1"),
    ],
)
def test_other_edits_mark_nothing(walk: Walk, item: str, value: str) -> None:
    t, replies = changed(walk, item, value)
    assert "要確認" not in replies.all_text
    assert "under_review" not in t.snapshot()
    assert replies.last_heading == REVIEW


def test_a_change_before_later_items_were_answered_marks_only_those_answered() -> None:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), "Q3"))  # 1-1=①, 2=③, 予定年月 answered
    t.say("修正 Q1-1")
    replies = t.say("2")
    assert MARKED + "Q2、Q2 予定年月" in replies.all_text
    assert replies.last_heading == "Q2"
    t.click(KEEP)
    assert t.click(KEEP).last_heading == "Q3"  # then on with the unanswered items
    assert "under_review" not in t.snapshot()


def test_walking_through_one_by_one_keep_or_answer_anew() -> None:
    t, replies = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    before = t.answers
    headings = []
    ways = {
        "Q2": lambda: t.click(KEEP),  # the button
        "Q3": lambda: t.say("そのまま"),  # typed
        "Q6": lambda: t.say("1"),  # the same answer again counts as seen
        "Q7-1": lambda: t.say("1"),  # answered anew: ② → ①
        "Q7-2": lambda: t.submit(keep_data("7-2")),
        "Q9": lambda: t.say("このまま"),
        "Q10": lambda: t.click(KEEP),
        "Q11": lambda: t.click(KEEP),
        "Q12": lambda: t.click(KEEP),
    }
    heading = replies.last_heading
    while heading != REVIEW:
        headings.append(heading)
        assert "現在の回答: " in t.last.all_text
        replies = ways[heading]()
        heading = replies.last_heading
        if heading != REVIEW:
            assert ITEM_NOTE.format(source="Q1-1") in replies.all_text
    assert headings == SHORT_LATER.split("、")
    assert "Q2: ①定めている。 のままにしました。" in t.last.all_text or t.answers["2"] == before["2"]
    assert t.answers == {**before, "7-1": 1}
    assert "under_review" not in t.snapshot()
    assert "すべて回答済みです。" in replies.all_text


def test_keep_says_what_was_kept() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    replies = t.click(KEEP)
    assert "Q2: ①定めている。 のままにしました。" in replies.all_text
    assert replies.last_heading == "Q3"


def test_answering_anew_can_change_the_path() -> None:
    """At Q3 (under review) ② → ①: Q4 and Q5 apply and are asked; 6 … 9 stay 要確認."""
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    t.click(KEEP)
    replies = t.say("1")
    assert "次の項目が新たに対象になりました: Q4、Q5" in replies.all_text
    assert replies.last_heading == "Q4" and "要確認:" not in replies.all_text
    t.say("1")
    replies = t.say("2")  # 5=②: 6 … 9 apply again, still under review
    assert replies.last_heading == "Q6" and ITEM_NOTE.format(source="Q1-1") in replies.all_text


def test_an_answer_that_leaves_takes_its_review_with_it() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    t.say("修正 Q3")
    assert t.say("1").last_heading == "Q2"  # 4, 5 apply; Q2, still 要確認, comes first
    assert t.click(KEEP).last_heading == "Q4"
    assert t.say("1").last_heading == "Q5"
    t.say("1")  # 5=①: 6, 7-1, 7-2, 9 leave
    marked = t.snapshot()["under_review"]
    assert not {"6", "7-1", "7-2", "9"} & set(marked)
    assert {"10", "11", "12"} <= set(marked)


def test_status_and_review_show_under_review() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    t.click(KEEP)  # Q2 seen
    status = t.say("状況").all_text
    assert "要確認: 8問（Q3、Q6、Q7-1、Q7-2、Q9、Q10、Q11、Q12）" in status
    assert "回答済み: 10問" in status and "未回答: 0問" in status
    replies = t.say("一覧")
    rows = review_rows(replies)
    assert rows["Q2"] == "①定めている。"
    assert rows["Q3"] == "要確認 ②求めていない。（Q6へ）"
    assert rows["Q12"] == "要確認 ③その他"
    assert "要確認あり（Q3、Q6、Q7-1、Q7-2、Q9、Q10、Q11、Q12）" in replies.all_text
    assert "すべて回答済みです。" not in replies.all_text


def test_request_is_refused_while_any_is_under_review_then_allowed() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    for _ in range(8):
        t.click(KEEP)
    before = t.snapshot()
    replies = t.say("確認依頼")
    assert "要確認の回答が残っているため、まだ確認依頼はできません: Q12" in replies.all_text
    assert "コード:" not in replies.all_text
    assert t.snapshot() == before
    assert t.say("再開").last_heading == "Q12"
    t.click(KEEP)
    assert "コード:" in t.say("確認依頼").all_text


def test_typed_at_the_summary_goes_to_what_is_still_open() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    t.say("一覧")
    replies = t.say("そのまま")
    assert "まだ終わっていない項目があります。" in replies.all_text
    assert "すべての項目に回答済みです。" not in replies.all_text
    assert replies.last_heading == "Q2"
    assert "2" in t.snapshot()["under_review"]  # the summary's text kept nothing


def test_back_and_edit_to_an_item_under_review_offer_keep() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    assert t.say("修正 Q9").action(KEEP)["data"] == keep_data("9")
    assert t.say("戻る").action(KEEP)["data"] == keep_data("7-2")


def test_a_stale_keep_changes_nothing() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    t.click(KEEP)
    before = t.snapshot()
    replies = t.submit(keep_data("2"))  # the old card's button again
    assert "Q2は要確認の項目ではありません。" in replies.all_text
    assert replies.last_heading == "Q3"
    assert t.snapshot() == before
    assert "Qxは" not in t.submit(keep_data("x")).all_text  # a forged item id: no crash


def test_changing_back_keeps_everything_under_review() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    t.click(KEEP)  # Q2 seen under ①
    t.say("修正 Q1-1")
    replies = t.say("2")  # back to ②: Q2 was confirmed under ① and must be seen again
    assert "Q1-1を①から②に変えたため、" + MARKED + SHORT_LATER in replies.all_text
    assert set(t.snapshot()["under_review"]) == {"2", "3", "6", "7-1", "7-2", "9", "10", "11", "12"}
    assert t.say("再開").last_heading == "Q2"  # asked in survey order all the same




def test_export_says_how_many_are_under_review() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    t.click(KEEP)
    assert "まだ終わっていない項目があります（要確認 8問）。" in t.say("出力").all_text


def test_resume_counts_what_is_under_review() -> None:
    t, _ = changed(MUNICIPALITY_SHORT, "Q1-1", "1")
    replies = t.say("再開")
    assert "回答済み 10問（うち要確認 9問）、未回答 0問" in replies.all_text
    assert replies.last_heading == "Q2"
