"""回答者情報 all at once: the form card checks each field as if it were typed alone."""
from __future__ import annotations

import pytest

from bot.cards.common import ACTION_FORM
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY
from tests.dialogs.transcript import Transcript

FULL = {
    "org_type": ORG_MUNICIPALITY,
    "org_name": "１４神奈川県　相模原市",
    "dept": "介護保険課",
    "title": "介護保険課長",
    "responsible_name": "相模 太郎",
    "contact_name": "原 花子",
    "phone": "042(754)1111",
    "email": "kaigo@city.sagamihara.lg.jp",
}


def started() -> Transcript:
    t = Transcript()
    t.say("開始")
    return t


def test_the_form_is_offered_on_every_field_card_and_prefilled() -> None:
    t = started()
    t.say("1")  # 組織区分 by typing
    replies = t.click("まとめて入力")
    [card] = replies.cards
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert list(inputs) == ["org_type", "org_name", "dept", "title", "responsible_name", "contact_name", "phone", "email"]
    assert inputs["org_type"]["value"] == ORG_MUNICIPALITY
    assert all(e.get("label") for e in inputs.values())


@pytest.mark.parametrize(
    ("changes", "told", "next_heading", "stored"),
    [
        # everything valid: stored normalised, straight on to the first question
        ({}, ["回答者情報を記録しました", "・組織名: 14神奈川県相模原市", "・電話番号: 042(754)1111"], "Q1-1",
         {"org_name": "14神奈川県相模原市", "phone": "042(754)1111"}),
        # a 構成市町村: (広域) added, its 広域連合等 asked next (then Q13 first)
        ({"org_type": ORG_MEMBER, "org_name": "14神奈川県中井町"}, ["回答者情報を記録しました"], "所属する広域連合等",
         {"org_name": "14神奈川県中井町(広域)"}),
        # a bad phone: named with its reason, the rest kept, 電話番号 asked alone
        ({"phone": "電話なし"}, ["電話番号: "], "電話番号", {"email": "kaigo@city.sagamihara.lg.jp", "phone": None}),
        # a title below 課長級: refused with its reason, the rest stored, the title asked alone
        ({"title": "係長"}, ["回答者情報を記録しました", "回答責任者役職: 「係長」は課長級に当たらない"], "回答責任者役職",
         {"title": None, "dept": "介護保険課"}),
        # a title 課長級 in some organisations only: the rest stored, the title confirmed first
        ({"title": "主幹"}, ["回答者情報を記録しました", "主幹"], None, {"title": None, "dept": "介護保険課"}),
        # fields left empty are asked one by one afterwards
        ({"dept": "", "email": ""}, ["回答者情報を記録しました"], "担当部署名", {"dept": None}),
    ],
    ids=["all-valid", "member", "bad-phone", "title-refused", "title-warning", "blanks"],
)
def test_form_submit(changes: dict, told: list[str], next_heading: str | None, stored: dict) -> None:
    t = started()
    replies = t.submit({"action": ACTION_FORM, **FULL, **changes})
    for text in told:
        assert text in replies.all_text
    if next_heading is not None:
        assert replies.last_heading == next_heading
    for key, value in stored.items():
        assert t.respondent.get(key) == value


def test_a_title_warning_from_the_form_is_confirmed_like_a_typed_one() -> None:
    t = started()
    t.submit({"action": ACTION_FORM, **FULL, "title": "主幹"})
    replies = t.say("はい")
    assert t.respondent["title"] == "主幹"
    assert replies.last_heading == "Q1-1"


def test_every_value_waiting_for_a_yes_is_asked_in_turn() -> None:
    t = started()
    replies = t.submit({"action": ACTION_FORM, **FULL, "org_name": "神奈川県相模原市", "title": "主幹"})
    assert "都道府県コード（14）を補います。" in replies.all_text
    assert "「主幹」は" in t.say("はい").all_text
    assert t.respondent["org_name"] == "14神奈川県相模原市"
    assert t.say("はい").last_heading == "Q1-1"
    assert t.respondent["title"] == "主幹"


def test_a_no_while_others_wait_leaves_that_field_to_be_asked() -> None:
    t = started()
    t.submit({"action": ACTION_FORM, **FULL, "org_name": "神奈川県相模原市", "title": "主幹"})
    replies = t.say("いいえ")
    assert "組織名は記録しませんでした。" in replies.all_text and "「主幹」は" in replies.all_text
    assert t.say("はい").last_heading == "組織名"
    assert (t.respondent.get("org_name"), t.respondent["title"]) == (None, "主幹")


def test_an_empty_form_changes_nothing() -> None:
    t = started()
    before = t.snapshot()
    replies = t.submit({"action": ACTION_FORM})
    assert "入力された項目がありませんでした。" in replies.all_text
    assert replies.last_heading == "組織区分"
    assert t.snapshot()["respondent"] == before["respondent"]
