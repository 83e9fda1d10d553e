"""A bad answer to every kind of question: the reason, the same question again, and
nothing stored changes (the whole answer record compared before and after)."""
from __future__ import annotations

import pytest

from bot.cards.common import answer_data, field_data
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, Step, respondent_steps


def steps_until(steps: list[Step], heading: str) -> list[Step]:
    """The steps up to (and including) the one after which `heading` is asked."""
    for index, s in enumerate(steps):
        if s.heading == heading:
            return steps[: index + 1]
    raise AssertionError(f"{heading} is never asked")


# (heading, what the user sends, the reason shown)
BAD_ITEM_ANSWERS = [
    ("Q1-1", "3", "「3」という選択肢はありません。"),  # single: out of range
    ("Q1-1", "1,2", "この問いは1つだけ選んでください。"),  # single: several
    ("Q1-1", "たぶん", "「たぶん」という選択肢はありません。"),  # single: not an option
    ("Q2", "定め", "当てはまる選択肢が複数あります"),  # single: ambiguous start of wording
    ("Q2 予定年月", "来年", "年月が読み取れません。"),  # yearmonth
    ("Q2 予定年月", "2023年13月", "月は1〜12で入力してください。"),
    ("Q6", "1,4", "「4」という選択肢はありません。"),  # multi: one bad among good
    ("Q6", "③", "「3」という選択肢はありません。"),
    ("Q7-4", "なし", "この問いでは「該当なし」は選べません。"),  # multi without 該当なし
    ("Q7-4", "6", "「6」という選択肢はありません。"),
    ("Q8-1 概要", answer_data("8-1_概要", "   "), "回答が入力されていません。"),  # text, empty card submit
    ("Q10 概要", answer_data("10_概要", ""), "回答が入力されていません。"),
    ("Q7-2", answer_data("7-2", "3"), "「3」という選択肢はありません。"),  # a forged card value
]


@pytest.mark.parametrize(("heading", "bad", "reason"), BAD_ITEM_ANSWERS)
def test_bad_answer_when_first_asked(heading: str, bad: str | dict, reason: str) -> None:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), heading))
    before = t.snapshot()

    replies = t.send(bad)

    assert reason in replies.all_text
    assert replies.last_heading == heading  # the same question again
    assert t.snapshot() == before


@pytest.mark.parametrize(("heading", "bad", "reason"), BAD_ITEM_ANSWERS)
def test_bad_answer_when_editing_keeps_the_stored_answer(heading: str, bad: str | dict, reason: str) -> None:
    t = Transcript()
    t.play(MUNICIPALITY_LONGEST.steps())
    assert t.say(f"修正 {heading}").last_heading == heading
    before = t.snapshot()

    replies = t.send(bad)

    assert reason in replies.all_text
    assert replies.last_heading == heading
    assert t.snapshot() == before


# (組織区分, field heading, what the user sends, the reason shown)
BAD_FIELDS = [
    (ORG_MUNICIPALITY, "組織区分", "5", "組織区分を1〜4の番号で選んでください。"),
    (ORG_MUNICIPALITY, "組織区分", "広域", "どれか分かりません"),
    (ORG_MUNICIPALITY, "組織名", "13神奈川県相模原市", "神奈川県のコードは14です。"),
    (ORG_MUNICIPALITY, "組織名", "神奈川県", "都道府県名の後に市区町村名を続けて入力してください"),
    (ORG_MUNICIPALITY, "組織名", "14神奈川県相模原市(広域)", "「(広域)」を付けるのは広域連合等の構成市町村だけです。"),
    (ORG_MEMBER, "組織名", "介護保険課", "都道府県名が読み取れません。"),
    (ORG_MEMBER, "組織名", "府中市", "「府中市」は複数の都道府県にあります。"),
    (ORG_UNION, "組織名", "40福岡県", "広域連合等の正式名称を続けて入力してください"),
    (ORG_PREFECTURE, "組織名", "14神奈川県横浜市", "都道府県は、コードと都道府県名だけを入力してください"),
    (ORG_MUNICIPALITY, "担当部署名", field_data("dept", " "), "担当部署名を入力してください。"),
    (ORG_MUNICIPALITY, "回答責任者役職", field_data("title", ""), "回答責任者の役職を入力してください"),
    (ORG_MUNICIPALITY, "回答責任者氏名", field_data("responsible_name", "　"), "回答責任者氏名を入力してください。"),
    (ORG_MUNICIPALITY, "連絡先氏名", field_data("contact_name", "x" * 51), "50文字以内で入力してください"),
    (ORG_MUNICIPALITY, "連絡先氏名", "045-123-4567", "数字は使えません"),
    (ORG_MUNICIPALITY, "回答責任者役職", "課長補佐", "課長級に当たらないため"),
    (ORG_MUNICIPALITY, "電話番号", "12345", "市外局番（0から始まる番号）から入力してください"),
    (ORG_MUNICIPALITY, "電話番号", "03-5253-111", "10桁か11桁で入力してください"),
    (ORG_MUNICIPALITY, "電話番号", "でんわ", "数字とハイフンで入力してください"),
    (ORG_MUNICIPALITY, "メールアドレス", "kaigo@", "メールアドレスの形が正しくありません"),
    (ORG_MUNICIPALITY, "メールアドレス", "kaigo.example.lg.jp", "メールアドレスの形が正しくありません"),
]


@pytest.mark.parametrize(("org_type", "heading", "bad", "reason"), BAD_FIELDS)
def test_bad_respondent_field(org_type: str, heading: str, bad: str | dict, reason: str) -> None:
    t = Transcript()
    t.play(steps_until(respondent_steps(org_type), heading))
    before = t.snapshot()

    replies = t.send(bad)

    assert reason in replies.all_text
    assert replies.last_heading == heading
    assert t.snapshot() == before
