"""回答者情報 in the conversation: 組織名 normalised and shown back, the 役職 warning
and its second confirmation, typed and card answers alike."""
from __future__ import annotations

import pytest

from bot.cards.common import field_data
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION
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
    ("title", "outcome"),
    [
        ("課長補佐", "refused"),
        ("係長", "refused"),
        ("主査", "refused"),
        ("担当", "refused"),
        ("主幹", "warned"),  # 課長級 in some organisations only
        ("センター長", "warned"),
        ("副所長", "warned"),
        ("システム管理者", "warned"),  # unrecognised: never silently accepted
        ("参与", "warned"),
        ("介護保険課長", "stored"),
        ("部長", "stored"),
        ("副市長", "stored"),
    ],
)
def test_title_below_kacho_is_refused_and_uncertain_ones_warned(title: str, outcome: str) -> None:
    t = at_field(ORG_MUNICIPALITY, "回答責任者役職")
    replies = t.say(title)
    if outcome == "refused":
        assert "課長級に当たらないため、回答責任者の役職として記録できません。" in replies.all_text
        assert "例：介護保険課長" in replies.all_text
        assert replies.last_heading == "回答責任者役職"  # asked again
        assert t.say("はい").last_heading != "回答責任者氏名"  # nothing to confirm
        assert "title" not in t.respondent
    elif outcome == "warned":
        assert "課長級以上の役職の方が回答責任者となり" in replies.all_text
        assert "title" not in t.respondent
        assert replies.last_heading != "回答責任者氏名"
    else:
        assert replies.last_heading == "回答責任者氏名"
        assert t.respondent["title"] == title


@pytest.mark.parametrize(
    ("second", "stored", "next_heading"),
    [
        ("はい", "主幹", "回答責任者氏名"),  # confirmed: stored as typed
        ("いいえ", None, "回答責任者役職"),  # asked again
        ("介護保険課長", "介護保険課長", "回答責任者氏名"),  # typed a proper title instead
    ],
)
def test_title_warning_then_second_confirmation(second: str, stored: str | None, next_heading: str) -> None:
    t = at_field(ORG_MUNICIPALITY, "回答責任者役職")
    t.say("主幹")
    assert t.say(second).last_heading == next_heading
    assert t.respondent.get("title") == stored


def test_title_warning_by_card_buttons() -> None:
    t = at_field(ORG_MUNICIPALITY, "回答責任者役職")
    t.submit(field_data("title", "副所長"))
    assert t.click("はい").last_heading == "回答責任者氏名"
    assert t.respondent["title"] == "副所長"


@pytest.mark.parametrize(
    ("heading", "typed", "stored"),
    [
        ("連絡先氏名", "045-123-4567", None),  # issue 9: a phone number is not a name
        ("連絡先氏名", "厚労 花子", "厚労 花子"),
        ("電話番号", "03-5253-1111（内線2164）", "03-5253-1111（内線2164）"),  # kept as typed
        ("電話番号", "045-123-4567（直通）", "045-123-4567（直通）"),
    ],
)
def test_contact_name_and_phone_as_staff_write_them(heading: str, typed: str, stored: str | None) -> None:
    t = at_field(ORG_MUNICIPALITY, heading)
    key = {"連絡先氏名": "contact_name", "電話番号": "phone"}[heading]
    replies = t.say(typed)
    assert t.respondent.get(key) == stored
    if stored is None:
        assert "数字は使えません" in replies.all_text and replies.last_heading == heading


def test_retyped_title_clears_the_warning() -> None:
    t = Transcript()
    steps = respondent_steps(ORG_MUNICIPALITY)
    t.play(steps_until(steps, "回答責任者役職"))
    t.say("主査")  # refused
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
