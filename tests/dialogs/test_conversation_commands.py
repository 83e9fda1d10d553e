"""The commands, each as a short transcript at a known place in the survey:
説明, 迷っている, 戻る, 状況, ヘルプ, 住所比較, 中断 — and Q6's 「なし」 confirmation."""
from __future__ import annotations

import pytest

from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript, review_rows
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, PREFECTURE, REVIEW


def at(heading: str) -> Transcript:
    """A 市区町村 user who has just been asked `heading` (on the longest walk)."""
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), heading))
    return t


# --- 説明 -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("heading", "command", "title", "shown"),
    [
        ("Q7-1", "説明", "Q7-1", ["完全一致", "住所表記のゆれ", "異体字"]),  # the current item's terms
        ("Q1-1", "説明", "Q1-1", ["宛名管理システム"]),
        ("Q12", "説明", "Q12", ["住所地特例", "住登外者"]),
        ("Q11", "説明", "Q11", ["第二号被保険者"]),
        ("Q3", "説明 完全一致", "用語の説明", ["完全一致", "氏名・生年月日・性別・住所の4つすべて"]),  # a named term, anywhere
        ("Q3", "説明 J-LIS照会", "用語の説明", ["J-LIS照会", "地方公共団体情報システム機構"]),
        ("Q3", "説明 ほげ", "「ほげ」の説明はありません。", ["完全一致"]),  # unknown term: the list
    ],
)
def test_explain(heading: str, command: str, title: str, shown: list[str]) -> None:
    t = at(heading)
    before = t.snapshot()
    replies = t.say(command)
    assert replies.heading.startswith(title)
    for text in shown:
        assert text in replies.all_text
    assert t.snapshot() == before


# --- 迷っている ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("heading", "cautious"),
    [
        ("Q1-1", "より慎重な選択肢: ②上記機能を導入していない"),
        ("Q7-1", "より慎重な選択肢: ②取得していない。"),
        ("Q7-2", "より慎重な選択肢: ①氏名・生年月日・性別・住所の一部"),
        ("Q9", "より慎重な選択肢: ④特に記録を残したり"),
        ("Q6", None),  # 6: answer from the facts, no option pointed at
    ],
)
def test_doubt_shows_the_rule_and_the_cautious_option_but_never_answers(heading: str, cautious: str | None) -> None:
    t = at(heading)
    before = t.snapshot()
    replies = t.say("迷っている")
    assert replies.heading == "回答に迷ったとき"
    assert "より慎重な選択肢を選択するようお願いいたします" in replies.all_text  # the Digital Agency's words
    assert "どれを選ぶかは回答者が決めてください。" in replies.all_text
    if cautious:
        assert cautious in replies.all_text
    else:
        assert "より慎重な選択肢:" not in replies.all_text
    assert t.snapshot() == before  # nothing answered for the user
    assert t.click("質問に戻る").last_heading == heading


# --- 戻る -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("heading", "back_to", "current"),
    [
        ("Q7-1", "Q6", "現在の回答: ①住基ネットの利用（J-LIS照会）により確認している。　②組織内の住基システム等により確認している。"),
        ("Q3", "Q2 予定年月", "現在の回答: 2023年9月"),
        ("Q2", "Q1-1", "現在の回答: ①該当の機能を導入している"),
        ("Q1-1", "メールアドレス", "現在の値: kaigo@example.lg.jp"),  # back into 回答者情報
    ],
)
def test_back_shows_the_previous_item_with_its_stored_answer(heading: str, back_to: str, current: str) -> None:
    t = at(heading)
    before = t.snapshot()
    replies = t.say("戻る")
    assert replies.last_heading == back_to
    assert current in replies.all_text
    assert t.snapshot() == before


def test_back_skips_items_that_do_not_apply() -> None:
    # 3=② jumps to Q6: 戻る from Q6 goes to Q3, not to 4 or 5.
    t = at("Q3")
    t.say("2")
    assert t.last.last_heading == "Q6"
    assert t.say("戻る").last_heading == "Q3"


# --- 状況 / ヘルプ ------------------------------------------------------------------------

def test_status_counts_answered_unanswered_and_not_applicable() -> None:
    t = at("Q7-1")
    replies = t.say("状況")
    assert replies.heading == "回答の状況"
    for line in ["回答者情報: 8/8 項目入力済み", "回答済み: 7問", "対象外: 2問（Q13、Q1-2）", "回答責任者の確認: 未依頼"]:
        assert line in replies.all_text


@pytest.mark.parametrize(
    ("walk", "where"),
    [
        (MUNICIPALITY_LONGEST, "市区町村・広域連合等は、完成した回答のエクセルファイルを都道府県に提出してください。"),
        (PREFECTURE, "rouken-keikaku@mhlw.go.jp"),
        (PREFECTURE, "【都道府県名】2307 マイナンバー調査回答"),
    ],
    ids=["municipality", "prefecture-address", "prefecture-subject"],
)
def test_help_lists_the_commands_and_where_the_answer_goes(walk, where: str) -> None:
    t = Transcript()
    t.play(walk.steps()[:3])
    replies = t.say("ヘルプ")
    assert replies.heading == "使い方"
    facts = [f for card in replies.cards for e in card["body"] if e.get("type") == "FactSet" for f in e["facts"]]
    titles = [f["title"] for f in facts]
    for command in ["開始", "再開", "説明", "迷っている", "戻る", "修正 Q7-2", "状況", "中断", "住所比較 A / B"]:
        assert command in titles
    assert any(where in f["value"] for f in facts)


# --- 住所比較 -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("command", "first_line"),
    [
        ("住所比較 5丁目-4-3 / 5-4-3", "一致"),
        ("住所比較 5丁目-4-3 / 5の4の3", "一致"),
        ("住所比較 相模原市中央区中央5丁目4番3号 / 相模原市中央区中央５－４－３", "一致"),
        ("住所比較 5-4-3 / 5-4-4", "不一致"),
        ("住所比較 5-4-3 / 5-4-3 ハイツ101", "不一致"),
        ("住所比較 霞ヶ関1-2-2 / 霞ケ関1-2-2", "不一致"),
    ],
)
def test_address_comparison_first_line(command: str, first_line: str) -> None:
    t = at("Q7-1")
    before = t.snapshot()
    replies = t.say(command)
    line = replies.texts[0].splitlines()[0]
    assert line.startswith(first_line)
    if first_line == "一致":
        assert not line.startswith("不一致")
    assert t.snapshot() == before


def test_address_comparison_without_two_addresses_says_how() -> None:
    assert "「/」で区切って" in at("Q7-1").say("住所比較 5-4-3").all_text


# --- Q6 「なし」 ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("none", "no", "yes"),
    [
        ("なし", "いいえ", "はい"),  # typed
        ("該当なし", "no", "yes"),
    ],
)
def test_6_none_is_confirmed_then_stored_as_neither(none: str, no: str, yes: str) -> None:
    t = at("Q6")
    before = t.snapshot()
    assert t.say(none).heading.startswith("Q6は「どちらにも該当しない」として記録します")
    assert t.say(no).last_heading == "Q6"  # declined: asked again, nothing stored
    assert t.snapshot() == before
    t.say(none)
    assert t.say(yes).last_heading == "Q7-1"
    assert t.answers["6"] == [] and t.snapshot()["notes"]["6"] == "none"
    assert "現在の回答: 該当なし" in t.say("修正 Q6").all_text


def test_6_none_by_card_buttons() -> None:
    t = at("Q6")
    assert t.click("該当なし").heading.startswith("Q6は「どちらにも該当しない」")
    assert t.click("いいえ").last_heading == "Q6"
    t.click("該当なし")
    assert t.click("はい").last_heading == "Q7-1"
    assert t.answers["6"] == []


# --- 中断 -------------------------------------------------------------------------------

@pytest.mark.parametrize("next_message", ["こんにちは", "1", "状況です"])
def test_pause_then_any_message_offers_to_resume(next_message: str) -> None:
    t = at("Q7-2")
    before = t.snapshot()
    assert "中断しました。ここまでの回答は保存されています。" in t.say("中断").all_text
    replies = t.say(next_message)
    assert replies.headings == ["前回の続きから回答できます", "Q7-2"]
    assert "次の問い: Q7-2" in replies.all_text
    assert t.snapshot() == before  # "1" was not taken as an answer to Q7-2
    assert t.say("1").last_heading == "Q7-3"  # and now answering goes on


def test_review_at_the_end_shows_not_applicable_items() -> None:
    t = Transcript()
    replies = t.play(MUNICIPALITY_LONGEST.steps())
    assert replies.last_heading == REVIEW
    rows = review_rows(replies)
    assert rows["Q13"] == "対象外" and rows["Q1-2"] == "対象外"
    assert rows["Q7-4"] == "①漢字氏名 ③生年月日"  # one line per option
    assert rows["Q2 予定年月"] == "2023年9月"
    assert "すべて回答済みです。" in replies.all_text
