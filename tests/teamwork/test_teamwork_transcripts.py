"""確認依頼 / 確認 / 承認 / 差し戻し / 共有 / 参加 / 履歴 on the pure Conversation.

No Redis, no HTTP: `Office` plays SurveyBot's part with the records' JSON in dicts. It
keeps the answers, the users, the codes and the history, does the pre-reads a command
needs (Session.code_lookup / other / history) and saves what the turn changed.
"""
from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any

import pytest

from bot.cards.common import answer_data
from bot.dialogs.conversation import Conversation
from bot.dialogs.inputs import read_input
from bot.dialogs.records import UserRecord
from bot.dialogs.session import Session
from bot.dialogs.teamwork import same_person
from bot.messages import conversation as conv_msg
from bot.messages import limits as limits_msg
from bot.messages import teamwork as msg
from bot.state.codes import PURPOSE_CONFIRM, PURPOSE_SHARE, CodeLookup, CodeRecord, normalise_code
from bot.survey.model import AnswerRecord
from bot.history_entry import HistoryEntry
from tests.dialogs.transcript import Transcript, survey
from tests.e2e.transcripts import MUNICIPALITY_SHORT, RESPONDENT_VALUES
from tests.fakes.teams import Replies

RESPONSIBLE = RESPONDENT_VALUES["responsible_name"][1]
ORG = "14神奈川県相模原市"
CODE_COMMANDS = {"join": PURPOSE_SHARE, "open_review": PURPOSE_CONFIRM}


class Office:
    """Several users and their answers, as JSON in dicts; one `turn` is one SurveyBot turn."""

    def __init__(self) -> None:
        self.conversation = Conversation(survey(), new_id=lambda: f"answer-{len(self.answers) + 1}")
        self.users: dict[str, dict[str, Any]] = {}
        self.names: dict[str, str] = {}
        self.answers: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.sessions: list[Session] = []

    def add(self, key: str, name: str, walked: bool = False) -> None:
        self.users[key] = {}
        self.names[key] = name
        if walked:
            # A whole survey answered through the shared in-memory transcript helper.
            walk = Transcript(user_key=key, user_name=name)
            walk.conversation = self.conversation
            walk.play(MUNICIPALITY_SHORT.steps())
            self.users[key] = walk.user
            self.answers[walk.stored["answer_id"]] = walk.stored

    def answer_of(self, key: str) -> dict[str, Any]:
        return self.answers[self.users[key]["answer_id"]]

    def turn(self, key: str, text: str | dict[str, Any]) -> Replies:
        inp = read_input(text, None) if isinstance(text, str) else read_input("", text)
        user = copy.deepcopy(self.users[key])
        answer_id = user.get("answer_id")
        answer = self.answers.get(answer_id) if answer_id else None
        s = Session(
            user_key=key, user_name=self.names[key], conversation_id=f"chat-{key}", conversation_type="personal",
            user=UserRecord.from_json(user), answer=AnswerRecord.from_json(copy.deepcopy(answer)) if answer else None,
        )
        # The pre-reads SurveyBot.read_beyond does.
        if inp.command in CODE_COMMANDS and inp.arg.strip():
            code = normalise_code(inp.arg)
            info = self.codes.get(code or "")
            if info is not None and info["purpose"] != CODE_COMMANDS[inp.command]:
                info = None
            s.code_lookup = CodeLookup(CodeRecord.from_json(info) if info is not None else None, code=code)
            if info is not None:
                s.other = AnswerRecord.from_json(copy.deepcopy(self.answers[info["answer_id"]]))
        elif inp.command in ("approve", "return") and user.get("reviewing"):
            other = self.answers.get(user["reviewing"]["answer_id"])
            s.other = AnswerRecord.from_json(copy.deepcopy(other)) if other is not None else None
        elif inp.command == "history" and s.answer is not None:
            s.history = [HistoryEntry.from_json(e, "history") for e in self.history.get(s.answer.answer_id, [])]
        self.conversation.handle(s, inp)
        # The save.
        self.users[key] = s.user.to_json()
        if s.answer is not None:
            self.answers[s.answer.answer_id] = s.answer.to_json()
        if s.other is not None and not s.switched:
            self.answers[s.other.answer_id] = s.other.to_json()
        for new in s.new_codes:
            self.codes[new.code] = {"purpose": new.purpose, "answer_id": new.answer_id, "by": key}
        for event in s.events:
            self.history.setdefault(event["answer_id"], []).append(event)
        self.sessions.append(s)
        return Replies({"type": "message", "text": r.text, "attachments": r.attachments} for r in s.replies)

    @property
    def last(self) -> Session:
        return self.sessions[-1]

    def effects(self, kind: str) -> list[dict[str, Any]]:
        """The fields of the last turn's effects of `kind`."""
        return [dataclasses.asdict(e) for e in self.last.effects if e.kind == kind]


def code_in(replies: Replies) -> str:
    return re.search(r"コード: ([A-Z0-9]{4}-[A-Z0-9]{4})", replies.all_text)[1]


@pytest.fixture
def office() -> Office:
    o = Office()
    o.add("resp", "山田 太郎", walked=True)
    o.add("boss", RESPONSIBLE)
    o.add("mate", "原 花子")
    o.add("deputy", "代理 次郎")
    return o


def requested(office: Office) -> str:
    return code_in(office.turn("resp", "確認依頼"))


# --- 確認依頼 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "drop,missing",
    [
        (("respondent", "phone"), "電話番号"),
        (("respondent", "responsible_name"), "回答責任者氏名"),
        (("answers", "12"), "Q12"),
        (("answers", "3"), "Q3"),  # and what 3 decides stays 未回答 too
    ],
)
def test_request_needs_everything(office: Office, drop: tuple[str, str], missing: str) -> None:
    answer = office.answer_of("resp")
    answer[drop[0]].pop(drop[1])
    replies = office.turn("resp", "確認依頼")
    assert replies.texts[0].startswith(msg.REQUEST_INCOMPLETE.split("{")[0]) and missing in replies.texts[0]
    assert office.answer_of("resp")["confirmation"].get("status") == "draft"
    assert office.codes == {} and office.effects("notify_responsible") == []


def test_request(office: Office) -> None:
    replies = office.turn("resp", "確認依頼")
    code = code_in(replies)
    conf = office.answer_of("resp")["confirmation"]
    assert (conf["status"], conf["code"], conf["requested_by_name"]) == ("requested", code, "山田 太郎")
    assert office.codes[code] == {"purpose": PURPOSE_CONFIRM, "answer_id": office.answer_of("resp")["answer_id"], "by": "resp"}
    [notice] = office.effects("notify_responsible")
    assert (notice["name"], notice["code"], notice["org"], notice["members"]) == (RESPONSIBLE, code, ORG, ["resp"])
    assert "Q12" in replies.all_text and "対象外" in replies.all_text  # the summary


@pytest.mark.parametrize(
    "status_before,edit,status_after,told",
    [
        ("requested", answer_data("12", "1"), "draft", True),
        ("requested", answer_data("12", "3"), "requested", False),  # same value: nothing changed
        ("returned", answer_data("12", "1"), "returned", False),
        ("draft", answer_data("12", "1"), "draft", False),
    ],
)
def test_an_edit_withdraws_a_request(office: Office, status_before, edit, status_after, told) -> None:
    if status_before == "requested":
        requested(office)
    else:
        office.answer_of("resp")["confirmation"] = {"status": status_before}
    replies = office.turn("resp", edit)
    conf = office.answer_of("resp")["confirmation"]
    assert conf["status"] == status_after
    assert ("code" in conf) == (status_after == "requested")
    assert (msg.WITHDRAWN_BY_EDIT in replies.all_text) == told


# --- 確認 CODE ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,setup,expected",
    [
        ("boss", "requested", msg.REVIEW_FOR_CONFIRMER.format(org=ORG, by="山田 太郎")),
        ("resp", "requested", msg.SELF_CONFIRM),
        ("mate-joined", "requested", msg.SELF_CONFIRM),
        ("boss", "withdrawn", msg.REQUEST_WITHDRAWN),
        ("boss", "rerequested", msg.REQUEST_WITHDRAWN),  # the old code of a newer request
        ("boss", "confirmed", msg.ALREADY_CONFIRMED_OTHER.format(at="2023-07-18 10:00")),
        ("boss", "share-code", msg.CODE_INVALID),
        ("boss", "wrong-code", msg.CODE_INVALID),
        ("boss", "no-code", msg.CODE_USAGE),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isascii() else "",
)
def test_open_review(office: Office, who: str, setup: str, expected: str) -> None:
    code = requested(office)
    if who == "mate-joined":
        office.turn("mate", f"参加 {code_in(office.turn('resp', '共有'))}")
        who = "mate"
    if setup == "withdrawn":
        office.turn("resp", answer_data("12", "1"))
    elif setup == "rerequested":
        office.turn("resp", answer_data("12", "1"))
        requested(office)
    elif setup == "confirmed":
        office.answer_of("resp")["confirmation"] = {"status": "confirmed", "confirmed_at": "2023-07-18 10:00"}
    text = {"share-code": f"確認 {code_in(office.turn('resp', '共有'))}", "wrong-code": "確認 ABCD-EFGH",
            "no-code": "確認"}.get(setup, f"確認 {code}")
    replies = office.turn(who, text)
    assert replies.texts[0].startswith(expected), replies.all_text
    opened = (who, setup) == ("boss", "requested")
    assert ("reviewing" in office.users[who]) == opened
    if not opened:
        assert ORG not in replies.all_text


# --- 承認 / 差し戻し ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name,differs", [(RESPONSIBLE, False), ("相模一郎", False), ("代理 次郎", True)])
def test_approve(office: Office, name: str, differs: bool) -> None:
    code = requested(office)
    office.names["boss"] = name
    opened = office.turn("boss", f"確認 {code}")
    assert (msg.NAME_DIFFERS.split("（")[0] in opened.all_text) == differs
    replies = office.turn("boss", "承認")
    conf = office.answer_of("resp")["confirmation"]
    assert conf["status"] == "confirmed" and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", conf["confirmed_at"])
    assert (conf["confirmed_by"], "code" in conf) == (name, False)
    assert conf.get("name_differs") == ({"teams": name, "sheet": RESPONSIBLE} if differs else None)
    assert (msg.NAME_DIFFERS_RECORDED.split("（")[0] in replies.all_text) == differs
    [notice] = office.effects("notify")
    assert (notice["user_keys"], notice["deliver"]) == (["resp"], True)
    assert "reviewing" not in office.users["boss"]
    # Locked now: the respondent's edit is refused with the reason and changes nothing.
    before = copy.deepcopy(office.answer_of("resp"))
    assert office.turn("resp", answer_data("12", "1")).texts == [conv_msg.LOCKED]
    assert office.answer_of("resp") == before
    assert office.turn("boss", "承認").texts == [msg.NOTHING_TO_REVIEW]


@pytest.mark.parametrize(
    "text,expected,status",
    [
        ("差し戻し Q3を確認してください", msg.RETURNED.format(org=ORG), "returned"),
        ("差し戻し", msg.RETURN_NEEDS_REASON, "requested"),
        ("差戻し 　", msg.RETURN_NEEDS_REASON, "requested"),
        # issue 8: a reason has a limit; over it nothing is returned
        ("差し戻し " + "理" * 501, limits_msg.RETURN_REASON_TOO_LONG.format(limit=500, length=501), "requested"),
    ],
)
def test_return(office: Office, text: str, expected: str, status: str) -> None:
    office.turn("mate", f"参加 {code_in(office.turn('resp', '共有'))}")
    office.turn("boss", f"確認 {requested(office)}")
    replies = office.turn("boss", text)
    assert replies.texts == [expected]
    conf = office.answer_of("resp")["confirmation"]
    assert conf["status"] == status
    if status == "returned":
        assert conf["return_reason"] == "Q3を確認してください"
        [notice] = office.effects("notify")
        assert notice["user_keys"] == ["resp", "mate"]
        assert "Q3を確認してください" in notice["text"]


def test_a_request_changed_under_the_reviewer_is_not_confirmed(office: Office) -> None:
    office.turn("boss", f"確認 {requested(office)}")
    office.turn("resp", answer_data("12", "1"))  # withdraws
    assert office.turn("boss", "承認").texts == [msg.REQUEST_WITHDRAWN]
    assert office.answer_of("resp")["confirmation"]["status"] == "draft"


# --- 共有 / 参加 ------------------------------------------------------------------------------------


def test_join(office: Office) -> None:
    code = code_in(office.turn("resp", "共有"))
    assert office.codes[code]["purpose"] == PURPOSE_SHARE
    replies = office.turn("mate", f"参加 {code.lower()}")
    assert msg.JOINED.format(org=ORG) in replies.all_text
    answer_id = office.answer_of("resp")["answer_id"]
    assert office.users["mate"]["answer_id"] == answer_id
    assert office.answers[answer_id]["members"] == ["resp", "mate"]
    [notice] = office.effects("notify")
    assert notice["user_keys"] == ["resp"] and "原 花子" in notice["text"]
    assert office.turn("mate", f"参加 {code}").texts == [msg.ALREADY_MEMBER]
    # Both now edit one answer.
    office.turn("mate", answer_data("11", "1"))
    assert office.answer_of("resp")["answers"]["11"] == 1


def test_join_keeps_the_previous_answer(office: Office) -> None:
    office.add("other", "別 人", walked=True)
    own = office.users["other"]["answer_id"]
    replies = office.turn("other", f"参加 {code_in(office.turn('resp', '共有'))}")
    assert msg.LEFT_PREVIOUS in replies.all_text
    assert office.users["other"]["previous_answers"] == [own] and own in office.answers


# --- 履歴 ----------------------------------------------------------------------------------------


def test_history_lists_changes_requests_and_decisions(office: Office) -> None:
    office.turn("boss", f"確認 {requested(office)}")
    office.turn("boss", "差し戻し Q12を見直し")
    office.turn("resp", answer_data("12", "1"))
    office.turn("deputy", f"確認 {requested(office)}")
    office.turn("deputy", "承認")
    at = office.answer_of("resp")["confirmation"]["confirmed_at"]
    lines = office.turn("resp", "履歴").all_text.splitlines()
    assert lines[0] == msg.HISTORY_TITLE
    tails = [line.split(" ", 2)[2] for line in lines[1:]]  # without the date and time
    assert tails[-7:] == [
        "山田 太郎: 確認を依頼",
        f"{RESPONSIBLE}: 確認依頼を開いた",
        f"{RESPONSIBLE}: 差し戻した（理由: Q12を見直し）",
        "山田 太郎: Q12: ③その他 → " + survey().format_value("12", 1),
        "山田 太郎: 確認を依頼",
        "代理 次郎: 確認依頼を開いた",
        f"代理 次郎: 確認済にした（{at}）" + msg.HISTORY_NAME_DIFFERS.format(teams="代理 次郎", sheet=RESPONSIBLE),
    ]
    assert len(tails) == 7  # the walk itself ran outside the office: only these were logged


def test_history_without_an_answer(office: Office) -> None:
    assert office.turn("boss", "履歴").texts == [msg.NO_ANSWER]


@pytest.mark.parametrize(
    "a,b,same",
    [("相模 一郎", "相模一郎", True), ("相模　一郎", "相模 一郎", True), ("相模 一郎", "相模 二郎", False), ("", "", False)],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


# --- a confirmation asked before 承認 ---------------------------------------------------------


def test_a_pending_confirmation_cannot_change_a_confirmed_answer(office: Office) -> None:
    office.turn("boss", f"確認 {requested(office)}")
    office.turn("resp", "修正 回答責任者役職")
    asked = office.turn("resp", "主幹")  # 課長級 in some organisations only: a confirmation is asked first
    assert office.users["resp"].get("pending"), asked.all_text
    office.turn("boss", "承認")
    assert office.answer_of("resp")["confirmation"]["status"] == "confirmed"
    office.turn("resp", "はい")
    assert office.answer_of("resp")["respondent"]["title"] == "介護保険課長"
