"""The prefecture's desk in the conversation (pure, no I/O): who may use 進捗 都道府県名,
期限, 督促 and 職員追加 / 職員削除 / 職員一覧 (decided on what the bot read before the turn),
what each asks the bot to do after the turn, the prefecture's deadline shown to its
municipalities, and 組織名 checked against the municipality list."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.cards.common import ACTION_FORM
from bot.config import JST
from bot.dialogs.effects import Effect, IndexName, Progress, Remind, SetDeadline, Staff, StaffOp
from bot.messages import desk as msg
from bot.messages import listed_org as listed_msg
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.cards import walk
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MUNICIPALITY_SHORT, PREFECTURE, REVIEW, respondent_steps

STAFF_ONLY = msg.STAFF_ONLY.format(command="{command}")


def facts(replies) -> list[tuple[str, str]]:
    return [(f["title"], f["value"]) for card in replies.cards for e in walk(card["body"])
            if e.get("type") == "FactSet" for f in e["facts"]]


def effects(t: Transcript) -> list[Effect]:
    """The desk's effects of the last turn (a first turn also indexes the user's name)."""
    return [e for e in t.effects if not isinstance(e, IndexName)]


# --- who may -------------------------------------------------------------------------------

# (case, typed, staff of, admin, effect expected or None, reply expected when refused)
ROLES = [
    ("進捗 by staff", "進捗 神奈川県", "14", False, Progress("14"), ""),
    ("進捗 by code", "進捗 14", "14", False, Progress("14"), ""),
    ("状況 with a prefecture is 進捗", "状況 神奈川", "14", False, Progress("14"), ""),
    ("進捗 alone by staff: their prefecture", "進捗", "14", False, Progress("14"), ""),
    ("状況 alone by staff without an answer of their own", "状況", "14", False, Progress("14"), ""),
    ("進捗 of another prefecture", "進捗 東京都", "14", False, None, STAFF_ONLY.format(command="進捗 都道府県名")),
    ("進捗 by a municipality", "進捗 神奈川県", None, False, None, STAFF_ONLY.format(command="進捗 都道府県名")),
    ("進捗 of no prefecture, by staff", "進捗 神奈川市", "14", False, None, msg.UNKNOWN_PREFECTURE.format(text="神奈川市")),
    ("期限 by staff", "期限 令和5年7月14日 17時", "14", False,
     SetDeadline("14", at="2023-07-14T17:00+09:00", past=True), ""),
    ("期限 alone shows it", "期限", "14", False, SetDeadline("14"), ""),
    ("期限 取消", "期限 取消", "14", False, SetDeadline("14", clear=True), ""),
    ("期限 by a municipality", "期限 令和5年7月14日 17時", None, False, None, STAFF_ONLY.format(command="期限")),
    ("期限 by an administrator who is not staff", "期限 令和5年7月14日 17時", None, True, None, STAFF_ONLY.format(command="期限")),
    ("督促 by staff", "督促", "14", False, Remind("14"), ""),
    ("督促 naming their prefecture", "督促 神奈川県", "14", False, Remind("14"), ""),
    ("督促 naming another", "督促 東京都", "14", False, None, STAFF_ONLY.format(command="督促")),
    ("督促 by a municipality", "督促", None, False, None, STAFF_ONLY.format(command="督促")),
    ("職員追加 by an administrator", "職員追加 山田 太郎 14", None, True,
     Staff(StaffOp.ADD, "山田 太郎", "14"), ""),
    ("職員追加 by id and name", "職員追加 6f1c0000-0000-0000-0000-00000000c014 神奈川県", None, True,
     Staff(StaffOp.ADD, "6f1c0000-0000-0000-0000-00000000c014", "14"), ""),
    ("職員追加 by staff", "職員追加 山田 太郎 14", "14", False, None, msg.ADMIN_ONLY.format(command="職員追加")),
    ("職員追加 without a prefecture", "職員追加 山田", None, True, None, msg.STAFF_ADD_USAGE),
    ("職員追加 with no such prefecture", "職員追加 山田 太郎 48", None, True, None,
     msg.STAFF_NO_SUCH_PREFECTURE.format(text="48")),
    ("職員削除 by an administrator", "職員削除 山田　太郎", None, True, Staff(StaffOp.REMOVE, "山田 太郎"), ""),
    ("職員削除 without a name", "職員削除", None, True, None, msg.STAFF_REMOVE_USAGE),
    ("職員削除 by anyone else", "職員削除 山田 太郎", None, False, None, msg.ADMIN_ONLY.format(command="職員削除")),
    ("職員一覧 by an administrator", "職員一覧", None, True, Staff(StaffOp.LIST), ""),
    ("職員一覧 by anyone else", "職員一覧", "14", False, None, msg.ADMIN_ONLY.format(command="職員一覧")),
]


@pytest.mark.parametrize(("typed", "staff", "admin", "effect", "refused"), [c[1:] for c in ROLES], ids=[c[0] for c in ROLES])
def test_who_may_use_the_desk(typed: str, staff: str | None, admin: bool, effect, refused: str) -> None:
    t = Transcript(staff_prefecture=staff, admin=admin)
    replies = t.say(typed)
    if effect is None:
        assert effects(t) == []
        assert refused in replies.all_text
    else:
        assert (effects(t), replies.all_text) == ([effect], "")  # the reply comes when it is done
    assert t.stored is None  # nothing of an answer is started or changed


@pytest.mark.parametrize(
    ("staff", "typed"),
    [("14", "状況"), (None, "進捗"), (None, "状況 お願いします"), (None, "進捗 どうなってる")],
)
def test_progress_without_a_prefecture_is_the_users_own_status(staff: str | None, typed: str) -> None:
    t = Transcript(staff_prefecture=staff)
    t.play(MUNICIPALITY_SHORT.steps()[:4])
    replies = t.say(typed)
    assert replies.heading == "回答の状況" and effects(t) == []


def test_staff_with_an_answer_of_their_own_say_progress_for_the_desk() -> None:
    t = Transcript(staff_prefecture="14")
    t.play(MUNICIPALITY_SHORT.steps()[:4])
    t.say("進捗")
    assert effects(t) == [Progress("14")]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("期限 2023/2/30 17時", msg.DATE_NO_SUCH_DAY.format(month=2, day=30)),
        ("期限 令和5年7月14日（月）17時", msg.DATE_WRONG_WEEKDAY.format(month=7, day=14, weekday="金")),
        ("期限 2023/7/22 17:00", msg.DATE_AFTER_MINISTRY.format(ministry="令和5年7月21日（金）17時")),
        ("期限 来週の金曜", msg.DATE_UNREADABLE.format(text="来週の金曜")),
    ],
)
def test_a_bad_deadline_is_refused_with_the_usage(typed: str, error: str) -> None:
    t = Transcript(staff_prefecture="14")
    replies = t.say(typed)
    assert replies.texts == [f"{error}\n{msg.DEADLINE_USAGE}"] and effects(t) == []


# --- ヘルプ -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("staff", "admin", "shown"),
    [(None, False, ()), ("14", False, msg.HELP_STAFF), (None, True, msg.HELP_ADMIN), ("14", True, msg.HELP_STAFF + msg.HELP_ADMIN)],
    ids=["municipality", "staff", "administrator", "both"],
)
def test_help_shows_the_desk_to_those_who_may_use_it(staff, admin, shown) -> None:
    t = Transcript(staff_prefecture=staff, admin=admin)
    desk = [fact for fact in facts(t.say("ヘルプ")) if fact in msg.HELP_STAFF + msg.HELP_ADMIN]
    assert desk == list(shown)


# --- the prefecture's deadline, shown to its municipalities -------------------------------------

SET = datetime(2023, 7, 14, 17, 0, tzinfo=JST)
SET_TEXT = "提出期限は令和5年7月14日（金）17時です（都道府県の指定）。"


@pytest.mark.parametrize("command", ["ヘルプ", "状況"])
def test_help_and_status_show_the_prefectures_deadline(command: str) -> None:
    t = Transcript(prefecture_deadline=SET)
    t.play(MUNICIPALITY_SHORT.steps()[:4])
    replies = t.say(command)
    text = replies.all_text + "".join(value for _, value in facts(replies))
    assert SET_TEXT in text and "7月21日" not in text


def test_the_finished_answer_shows_the_prefectures_deadline() -> None:
    t = Transcript(prefecture_deadline=SET)
    replies = t.play(MUNICIPALITY_SHORT.steps())
    assert replies.last_heading == REVIEW and SET_TEXT in replies.all_text


def test_a_prefectures_own_answer_keeps_the_ministrys_deadline() -> None:
    t = Transcript(prefecture_deadline=SET)
    t.play(PREFECTURE.steps()[:4])
    assert "厚生労働省への提出期限は令和5年7月21日（金）17時です。" in t.say("状況").all_text


# --- 組織名 against the municipality list ------------------------------------------------------


def at_org_name(org_type: str) -> Transcript:
    t = Transcript()
    t.play(steps_until(respondent_steps(org_type), "組織名"))
    return t


@pytest.mark.parametrize(
    ("org_type", "typed", "offered"),
    [
        (ORG_MUNICIPALITY, "14神奈川県府中市", "東京都の場合は「13東京都府中市」、広島県の場合は「34広島県府中市」"),
        (ORG_MEMBER, "13東京都相模原市", "神奈川県の場合は「14神奈川県相模原市(広域)」"),
    ],
)
def test_a_city_not_in_the_prefecture_is_refused_with_the_right_one_offered(org_type, typed, offered) -> None:
    t = at_org_name(org_type)
    replies = t.say(typed)
    assert offered in replies.all_text and replies.last_heading == "組織名"
    assert "org_name" not in t.respondent


def test_the_form_checks_the_list_too() -> None:
    t = at_org_name(ORG_MUNICIPALITY)
    replies = t.submit({"action": ACTION_FORM, "org_type": ORG_MUNICIPALITY, "org_name": "14神奈川県どこか市", "dept": "介護保険課"})
    assert listed_msg.NOT_LISTED.format(name="どこか市", prefecture="神奈川県") in replies.all_text
    assert "org_name" not in t.respondent and t.respondent["dept"] == "介護保険課"
