"""Issue 9 points 9 and 12 as the user meets them: 説明's quoted causes, 組織区分 as people
call their organisation, a 団体コード typed with the name, Q13's cautious advice."""
from __future__ import annotations

import pytest

from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, UNION_13_3, respondent_steps

CAUSE_1 = "住所を含まないカナ氏名及び生年月日のみを用いて照会を行い"
CAUSE_2 = "十分な確認が行われないうまま、個人情報にマイナンバーが紐付けられていた。"


@pytest.mark.parametrize("heading", ["Q7-3", "Q7-4", "Q8-1", "Q8-2", "Q9"])
def test_explain_quotes_the_known_causes_at_the_items_they_concern(heading: str) -> None:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), heading))
    replies = t.say("説明")
    assert "この問いが大切な理由" in replies.all_text
    assert CAUSE_1 in replies.all_text and CAUSE_2 in replies.all_text


def test_explain_at_q4_gives_the_seeds_wording_of_jigyonushi() -> None:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), "Q4"))
    text = t.say("説明").all_text
    assert "「本人以外（事業主等）からマイナンバーを得ている場合" in text
    assert "調査票からは決まりません" in text


def test_doubt_at_q13_states_no_linking_method_as_fact() -> None:
    t = Transcript()
    t.play(steps_until(UNION_13_3.steps(), "Q13"))
    text = t.say("迷っている").all_text
    assert "実態に合うかを確かめたうえで選んでください" in text


@pytest.mark.parametrize("typed", ["政令市", "特別区", "町", "村"])
def test_org_type_as_people_call_it(typed: str) -> None:
    t = Transcript()
    t.play(steps_until(respondent_steps(ORG_MUNICIPALITY), "組織区分"))
    assert t.say(typed).last_heading == "組織名"
    assert t.respondent["org_type"] == ORG_MUNICIPALITY


def test_lg_code_with_the_name_is_offered_as_the_stored_form() -> None:
    t = Transcript()
    t.play(steps_until(respondent_steps(ORG_MUNICIPALITY), "組織名"))
    replies = t.say("141003 横浜市")
    assert "「14神奈川県横浜市」とします。よろしいですか？" in replies.all_text
    assert "org_name" not in t.respondent  # a value needing confirmation
    assert t.say("はい").last_heading == "担当部署名"
    assert t.respondent["org_name"] == "14神奈川県横浜市"


def test_a_municipality_typed_alone_is_placed_by_the_list() -> None:
    t = Transcript()
    t.play(steps_until(respondent_steps(ORG_MEMBER), "組織名"))
    replies = t.say("中井町")
    assert "「中井町」を神奈川県の市区町村として読みました。" in replies.all_text
    assert "「14神奈川県中井町(広域)」とします。よろしいですか？" in replies.all_text
    assert "org_name" not in t.respondent
    t.say("はい")
    assert t.respondent["org_name"] == "14神奈川県中井町(広域)"


def test_a_wrong_check_digit_is_refused() -> None:
    t = Transcript()
    t.play(steps_until(respondent_steps(ORG_UNION), "組織名"))
    replies = t.say("141004 横浜市")
    assert "検査数字" in replies.all_text and replies.last_heading == "組織名"


@pytest.mark.parametrize(
    ("org_type", "hint"),
    [
        (ORG_MUNICIPALITY, "市区町村名を空白なしで入力してください。郡名は省略します。例: 14神奈川県相模原市"),
        (ORG_MEMBER, "「(広域)」はボットが付けます。例: 14神奈川県中井町"),
        (ORG_UNION, "広域連合等の正式名称を空白なしで入力してください。例: 40福岡県介護保険広域連合"),
        (ORG_PREFECTURE, "都道府県コードと都道府県名を空白なしで入力してください。例: 14神奈川県"),
    ],
)
def test_org_name_is_asked_as_the_org_type_writes_it(org_type: str, hint: str) -> None:
    t = Transcript()
    replies = t.play(steps_until(respondent_steps(org_type), "組織名"))
    assert replies.last_heading == "組織名" and hint in replies.all_text


def test_a_union_name_without_its_prefecture_is_asked_for_as_a_union() -> None:
    t = Transcript()
    t.play(steps_until(respondent_steps(ORG_UNION), "組織名"))
    replies = t.say("足柄上広域連合")
    assert "都道府県コード・都道府県名・広域連合等の正式名称を続けて入力してください" in replies.all_text
    assert "市区町村名" not in replies.all_text
