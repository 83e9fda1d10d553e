"""回答者情報 in the conversation: 組織名 normalised and shown back, the 役職 warning
and its second confirmation, typed and card answers alike."""
from __future__ import annotations

import pytest

from bot.cards.common import field_data
from bot.survey.model import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import respondent_steps


def at_field(org_type: str, heading: str) -> Transcript:
    t = Transcript()
    t.play(steps_until(respondent_steps(org_type), heading))
    return t


@pytest.mark.parametrize(
    ("org_type", "typed", "shown", "stored"),
    [
        (ORG_MUNICIPALITY, "１４神奈川県相模原市", "組織名: 14神奈川県相模原市 を記録しました。", "14神奈川県相模原市"),
        (ORG_MUNICIPALITY, "14 神奈川県 相模原市", "組織名: 14神奈川県相模原市 を記録しました。", "14神奈川県相模原市"),
        (ORG_MEMBER, "14神奈川県相模原市", "組織名: 14神奈川県相模原市(広域) を記録しました。", "14神奈川県相模原市(広域)"),
        (ORG_MEMBER, "１４神奈川県相模原市（広域）", "組織名: 14神奈川県相模原市(広域) を記録しました。", "14神奈川県相模原市(広域)"),
        (ORG_UNION, "40福岡県介護保険広域連合", "組織名: 40福岡県介護保険広域連合 を記録しました。", "40福岡県介護保険広域連合"),
        (ORG_PREFECTURE, "１４神奈川県", "組織名: 14神奈川県 を記録しました。", "14神奈川県"),
    ],
)
def test_org_name_is_normalised_and_shown_back(org_type: str, typed: str, shown: str, stored: str) -> None:
    t = at_field(org_type, "組織名")
    replies = t.say(typed)
    assert shown in replies.all_text
    # A 構成市町村 names its 広域連合等 next (the Q13 agreement check's link).
    assert replies.last_heading == ("所属する広域連合等" if org_type == ORG_MEMBER else "担当部署名")
    assert t.respondent["org_name"] == stored


@pytest.mark.parametrize(
    ("typed", "question", "answer", "stored", "next_heading"),
    [
        # one-digit code: padded only after a yes
        ("1北海道札幌市", "「01北海道札幌市」とします。よろしいですか？", "はい", "01北海道札幌市", "担当部署名"),
        ("1北海道札幌市", "「01北海道札幌市」とします。よろしいですか？", "いいえ", None, "組織名"),
        # 郡 and ward removed, behind a confirmation
        ("14神奈川県足柄上郡中井町", "郡名（足柄上郡）は省略する決まりです。", "はい", "14神奈川県中井町", "担当部署名"),
        ("14神奈川県横浜市中区", "指定都市は区ではなく市で回答します", "はい", "14神奈川県横浜市", "担当部署名"),
    ],
)
def test_org_name_changes_are_confirmed(typed: str, question: str, answer: str, stored: str | None, next_heading: str) -> None:
    t = at_field(ORG_MUNICIPALITY, "組織名")
    assert question in t.say(typed).all_text
    assert "org_name" not in t.respondent  # nothing stored before the yes
    assert t.say(answer).last_heading == next_heading
    assert t.respondent.get("org_name") == stored


@pytest.mark.parametrize(
    ("title", "warned"),
    [
        ("課長補佐", True),
        ("係長", True),
        ("主査", True),
        ("担当", True),
        ("参与", True),  # neither refused nor accepted: warned, never silently accepted
        ("介護保険課長", False),
        ("部長", False),
        ("副市長", False),
    ],
)
def test_title_below_kacho_is_warned(title: str, warned: bool) -> None:
    t = at_field(ORG_MUNICIPALITY, "回答責任者役職")
    replies = t.say(title)
    if warned:
        assert "回答責任者は課長級以上の方にお願いしています。" in replies.all_text
        assert "title" not in t.respondent
        assert replies.last_heading != "回答責任者氏名"
    else:
        assert replies.last_heading == "回答責任者氏名"
        assert t.respondent["title"] == title


@pytest.mark.parametrize(
    ("second", "stored", "next_heading"),
    [
        ("はい", "係長", "回答責任者氏名"),  # confirmed a second time: stored as typed
        ("いいえ", None, "回答責任者役職"),  # asked again
        ("介護保険課長", "介護保険課長", "回答責任者氏名"),  # typed a proper title instead
    ],
)
def test_title_warning_then_second_confirmation(second: str, stored: str | None, next_heading: str) -> None:
    t = at_field(ORG_MUNICIPALITY, "回答責任者役職")
    t.say("係長")
    assert t.say(second).last_heading == next_heading
    assert t.respondent.get("title") == stored


def test_title_warning_by_card_buttons() -> None:
    t = at_field(ORG_MUNICIPALITY, "回答責任者役職")
    t.submit(field_data("title", "課長補佐"))
    assert t.click("はい").last_heading == "回答責任者氏名"
    assert t.respondent["title"] == "課長補佐"


def test_retyped_title_clears_the_warning() -> None:
    t = Transcript()
    steps = respondent_steps(ORG_MUNICIPALITY)
    t.play(steps_until(steps, "回答責任者役職"))
    t.say("主査")  # warned
    t.say("介護保険課長")  # typed a proper title instead of yes/no
    t.play(steps[steps.index(steps_until(steps, "回答責任者氏名")[-1]) + 1 :])  # the other fields
    assert t.last.last_heading == "Q1-1"

    replies = t.say("1")

    assert replies.last_heading == "Q2"
    assert t.answers == {"1-1": 1}
    assert t.respondent["title"] == "介護保険課長"


def test_org_type_by_card_and_by_typed_shorthand() -> None:
    t = at_field(ORG_MUNICIPALITY, "組織区分")
    assert t.submit(field_data("org_type", ORG_MEMBER)).last_heading == "組織名"
    assert t.respondent["org_type"] == ORG_MEMBER
    t2 = at_field(ORG_MUNICIPALITY, "組織区分")
    assert t2.say("広域連合").last_heading == "組織名"
    assert t2.respondent["org_type"] == ORG_UNION


def test_item_answer_before_respondent_info_is_refused() -> None:
    from bot.cards.common import answer_data

    t = at_field(ORG_MUNICIPALITY, "電話番号")
    before = t.snapshot()
    replies = t.submit(answer_data("3", "1"))
    assert "先に回答者情報を入力してください。" in replies.all_text
    assert replies.last_heading == "電話番号"
    assert t.snapshot() == before
