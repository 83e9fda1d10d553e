"""削除依頼 on the pure Conversation: who may delete which answer, the yes/no, and what
stops a late yes. `Office` (tests/teamwork) plays SurveyBot's part with plain dicts;
the deletion itself is the "delete_answer" effect, run for real in
tests/e2e/test_deletion_e2e.py."""
from __future__ import annotations

import json
from typing import Any

import pytest

from bot.cards.common import confirm_data
from bot.dialogs.conversation import Conversation
from bot.dialogs.deletion import EFFECT, TOPIC
from bot.messages import conversation as conv_msg
from bot.messages import deletion as msg
from tests.dialogs.transcript import survey
from tests.fakes.teams import Replies
from tests.teamwork.test_teamwork_transcripts import ORG, Office, code_in

ADMIN = "admin-aad"
ASK_HEAD = msg.ASK.format(org=ORG, members="").removesuffix("削除しますか？")


class DeletionOffice(Office):
    """Office with administrators; `resp` has walked the whole survey."""

    def __init__(self, admins: frozenset[str] = frozenset({ADMIN})) -> None:
        super().__init__()
        self.conversation = Conversation(survey(), new_id=lambda: f"answer-{len(self.answers) + 1}", admins=admins)

    def deletions(self) -> list[dict[str, Any]]:
        return self.effects(EFFECT)

    def request(self) -> str:
        return code_in(self.turn("resp", "確認依頼"))

    def approve(self, code: str) -> None:
        self.turn("boss", f"確認 {code}")
        self.turn("boss", "承認")
        assert self.answer_of("resp")["confirmation"]["status"] == "confirmed"

    def confirm(self) -> None:
        self.approve(self.request())


@pytest.fixture
def office() -> DeletionOffice:
    o = DeletionOffice()
    o.add("resp", "山田 太郎", walked=True)
    o.add("boss", "相模 一郎")
    o.add("mate", "原 花子")
    o.add(ADMIN, "管理 者", walked=True)
    return o


def asked(replies: Replies, members: int = 0) -> None:
    text = replies.all_text
    assert ASK_HEAD in text, text
    assert (msg.ASK_MEMBERS.format(count=members) in text) == bool(members)
    assert replies.action(msg.BUTTON_YES)["data"] == confirm_data(f"{TOPIC}:answer-1", yes=True)


def test_a_member_deletes_after_yes(office: DeletionOffice) -> None:
    office.turn("mate", f"参加 {code_in(office.turn('resp', '共有'))}")
    asked(office.turn("resp", "削除依頼"), members=1)
    assert office.deletions() == []  # nothing before the yes
    replies = office.turn("resp", "はい")
    assert office.deletions() == [{"answer_id": "answer-1"}]
    assert replies.texts == []  # what happened is said once it has (the effect)
    assert "pending" not in office.users["resp"]


def test_the_card_button_deletes_too(office: DeletionOffice) -> None:
    office.turn("resp", "削除依頼")
    office.turn("resp", confirm_data(f"{TOPIC}:answer-1", yes=True))
    assert office.deletions() == [{"answer_id": "answer-1"}]


@pytest.mark.parametrize("no", ["いいえ", confirm_data(f"{TOPIC}:answer-1", yes=False)], ids=["typed", "button"])
def test_no_keeps_the_answer_and_goes_on(office: DeletionOffice, no: Any) -> None:
    before = office.answer_of("resp")
    office.turn("resp", "削除依頼")
    replies = office.turn("resp", no)
    assert msg.KEPT in replies.all_text and "回答内容の確認" in replies.headings  # back where they were
    assert office.deletions() == [] and office.answer_of("resp") == before


def test_nothing_to_delete(office: DeletionOffice) -> None:
    assert office.turn("mate", "削除依頼").texts == [msg.NO_ANSWER]
    assert "pending" not in office.users["mate"]


# who asks -> refused or asked (with the note that it is confirmed)
@pytest.mark.parametrize(
    "who,refused",
    [("resp", True), (ADMIN, False)],
    ids=["member", "administrator"],
)
def test_a_confirmed_answer_only_by_an_administrator(office: DeletionOffice, who: str, refused: bool) -> None:
    if who == ADMIN:  # an administrator who works on the answer too
        office.turn(ADMIN, f"参加 {code_in(office.turn('resp', '共有'))}")
    office.confirm()
    replies = office.turn(who, "削除依頼")
    if refused:
        assert replies.texts == [msg.CONFIRMED_REFUSED] and "pending" not in office.users[who]
        return
    assert msg.ASK_CONFIRMED in replies.all_text
    office.turn(who, "はい")
    assert office.deletions() == [{"answer_id": office.users[who]["answer_id"]}]


def test_confirmed_between_question_and_yes(office: DeletionOffice) -> None:
    code = office.request()
    asked(office.turn("resp", "削除依頼"))
    office.approve(code)  # the 回答責任者, in their own chat, before the respondent's yes
    replies = office.turn("resp", "はい")
    assert replies.texts == [msg.CONFIRMED_REFUSED] and office.deletions() == []


def test_another_command_drops_the_question(office: DeletionOffice) -> None:
    office.turn("resp", "削除依頼")
    assert office.turn("resp", "状況").headings  # the status card
    replies = office.turn("resp", "はい")  # no longer a yes to deleting: an answer at the cursor
    assert office.deletions() == [] and msg.KEPT not in replies.all_text


def test_a_button_from_an_older_question_is_not_a_yes(office: DeletionOffice) -> None:
    office.turn("resp", "削除依頼")
    replies = office.turn("resp", confirm_data(f"{TOPIC}:some-other-answer", yes=True))
    assert replies.texts == [msg.EXPIRED] and office.deletions() == []


def test_after_joining_another_answer_the_old_question_is_stale(office: DeletionOffice) -> None:
    office.turn("resp", "削除依頼")
    office.turn("resp", f"参加 {code_in(office.turn(ADMIN, '共有'))}")
    # The command dropped the question: the old card's yes is any stale confirmation.
    replies = office.turn("resp", confirm_data(f"{TOPIC}:answer-1", yes=True))
    assert replies.texts[0] == conv_msg.CONFIRM_EXPIRED and office.deletions() == []


def test_the_command_is_listed_in_help(office: DeletionOffice) -> None:
    assert "削除依頼" in conv_msg.COMMAND_WORDS["delete"]
    help_card = json.dumps(office.turn("resp", "ヘルプ").cards, ensure_ascii=False)
    assert "削除依頼" in help_card
