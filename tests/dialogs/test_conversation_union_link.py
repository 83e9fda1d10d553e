"""A 構成市町村 names its 広域連合等 once, right after its 組織名: a choice among the
広域連合等 of its prefecture the bot knows (read before the turn), or typed. Kept on the
answer record (not a 回答者情報 field, not on the workbook); Q13 is checked against it."""
from __future__ import annotations

from typing import Any

import pytest

from bot.cards.common import union_data
from bot.dialogs.effects import CheckAgreement, RegisterUnion
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_UNION
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MEMBER_13_1, UNION_LABEL, respondent_steps

KNOWN = ["14神奈川県足柄上広域連合", "14神奈川県湘南広域連合"]


def at_union(known: list[str] | None = None) -> Transcript:
    t = Transcript()
    t.known_unions = {"14": list(known or [])}
    t.play(steps_until(respondent_steps(ORG_MEMBER), UNION_LABEL))
    return t


def test_asked_right_after_the_name_with_the_known_ones_of_the_prefecture() -> None:
    t = at_union(KNOWN)
    replies = t.last
    assert replies.last_heading == UNION_LABEL
    assert "神奈川県の広域連合等でこのボットに回答中のもの" in replies.all_text
    assert [a["title"] for a in replies.actions][:2] == [f"1. {KNOWN[0]}", f"2. {KNOWN[1]}"]
    assert replies.action(f"1. {KNOWN[0]}")["data"] == union_data(KNOWN[0])
    assert t.unions_read == ["14"]  # read for the turn that stored the 組織名


def test_none_known_asks_for_the_name() -> None:
    replies = at_union([]).last
    assert "神奈川県の広域連合等は、まだこのボットに登録されていません。" in replies.all_text
    assert not [a for a in replies.actions if a["title"].startswith("1. ")]


@pytest.mark.parametrize(
    ("send", "stored"),
    [
        ("1", KNOWN[0]),  # the number of a known one
        ("２", KNOWN[1]),
        (union_data(KNOWN[1]), KNOWN[1]),  # its button
        ("足柄上広域連合", "14神奈川県足柄上広域連合"),  # typed without the prefecture
        ("神奈川県 足柄上広域連合", "14神奈川県足柄上広域連合"),
        ("１４神奈川県足柄上広域連合", "14神奈川県足柄上広域連合"),
        (union_data() | {"value": "県西部広域行政組合"}, "14神奈川県県西部広域行政組合"),  # typed on the card
    ],
)
def test_chosen_or_typed(send: str | dict[str, Any], stored: str) -> None:
    t = at_union(KNOWN)
    replies = t.send(send)
    assert f"{UNION_LABEL}: {stored} を記録しました。" in replies.all_text
    assert replies.last_heading == "担当部署名"
    record = t.snapshot()
    assert record["union"] == stored
    assert "union" not in record["respondent"]  # never a 回答者情報 field, never on the sheet


@pytest.mark.parametrize(
    ("send", "reason"),
    [
        ("3", "1〜2の番号で選ぶか、名称を入力してください。"),
        ("40福岡県介護保険広域連合", "神奈川県の広域連合等を入力してください"),
        ("中井町(広域)", "構成市町村の名前ではなく、広域連合等の名称を入力してください"),
        (union_data(""), "広域連合等の名称を入力してください。"),
    ],
)
def test_refused_with_a_reason_and_asked_again(send: str | dict[str, Any], reason: str) -> None:
    t = at_union(KNOWN)
    before = t.snapshot()
    replies = t.send(send)
    assert reason in replies.all_text
    assert replies.last_heading == UNION_LABEL
    assert t.snapshot() == before


def test_asked_once_then_edited_with_its_name() -> None:
    t = Transcript()
    t.known_unions = {"14": KNOWN}
    t.play(MEMBER_13_1.steps())
    assert t.snapshot()["union"] == "14神奈川県介護保険広域連合"
    assert t.say("状況").last_heading == "回答の状況"  # not asked again
    replies = t.say(f"修正 {UNION_LABEL}")
    assert replies.last_heading == UNION_LABEL and "現在の値: 14神奈川県介護保険広域連合" in replies.all_text
    assert t.unions_read[-1] == "14"  # the known ones read for the edit too
    t.say("1")
    assert t.snapshot()["union"] == KNOWN[0]


def test_a_changed_link_rechecks_q13() -> None:
    t = Transcript()
    t.play(MEMBER_13_1.steps())
    t.say("修正 広域連合等")
    session_effects: list[str] = []
    original = t.conversation.handle

    def spy(s, inp):  # the effects the turn leaves for after the save
        original(s, inp)
        session_effects.extend(e.kind for e in s.effects)

    t.conversation.handle = spy  # type: ignore[method-assign]
    t.say("足柄上広域連合")
    assert CheckAgreement.kind in session_effects


@pytest.mark.parametrize("org_type", [ORG_MUNICIPALITY, ORG_UNION])
def test_others_are_never_asked(org_type: str) -> None:
    t = Transcript()
    t.play(respondent_steps(org_type))
    assert "union" not in t.snapshot()
    assert t.unions_read == []
    assert t.say("修正 所属する広域連合等").last_heading != UNION_LABEL
    assert "union" not in t.snapshot()


def test_back_from_the_next_field_returns_to_it() -> None:
    t = at_union(KNOWN)
    t.say("1")
    assert t.say("戻る").last_heading == UNION_LABEL
    assert t.say("戻る").last_heading == "組織名"


def test_the_link_is_dropped_when_the_organisation_changes() -> None:
    t = at_union(KNOWN)
    t.say("1")
    replies = t.say("修正 組織区分")
    replies = t.say("1")  # now a plain 市区町村
    assert "所属する広域連合等（14神奈川県足柄上広域連合）の記録を外しました。" in replies.all_text
    assert "union" not in t.snapshot()


def test_a_union_registers_its_name_for_its_members() -> None:
    t = Transcript()
    kinds: list[RegisterUnion] = []
    original = t.conversation.handle

    def spy(s, inp):
        original(s, inp)
        kinds.extend(e for e in s.effects if isinstance(e, RegisterUnion))

    t.conversation.handle = spy  # type: ignore[method-assign]
    t.play(steps_until(respondent_steps(ORG_UNION), "担当部署名"))
    assert [e.new for e in kinds] == ["40福岡県介護保険広域連合"]
    assert kinds[0].old == ""
