"""削除依頼: a member deletes the answer they work on, after a yes.

An unconfirmed answer may be deleted by any of its members; a confirmed one only by
an administrator (ADMINS). This module only decides and asks: the deletion itself is
the DeleteAnswer effect (bot/dialogs/deletion_effects.py), run after the turn is
saved, which checks the same rule again on the answer as it is then and deletes it
with everything that names it in one script.
"""
from __future__ import annotations

from collections.abc import Callable

from bot import cards
from bot.dialogs.effects import DeleteAnswer
from bot.dialogs.flow import Flow
from bot.dialogs.inputs import UserInput
from bot.dialogs.records import DeleteConfirmation, confirm_topic
from bot.dialogs.session import Session
from bot.messages import deletion as msg
from bot.survey.model import AnswerRecord

TOPIC = DeleteConfirmation.TOPIC
EFFECT = DeleteAnswer.kind


def may_delete(user_key: str, answer: AnswerRecord, admins: frozenset[str]) -> bool:
    """A member may delete an unconfirmed answer; a confirmed one, only an administrator."""
    return not answer.confirmed or user_key in admins


class Deletion:
    def __init__(self, flow: Flow, admins: frozenset[str] = frozenset()) -> None:
        self.flow = flow
        self.admins = admins

    def commands(self) -> dict[str, Callable[[Session, UserInput], None]]:
        return {"delete": self.request}

    def request(self, s: Session, inp: UserInput) -> None:
        answer = s.answer
        if answer is None:
            s.say(msg.NO_ANSWER)
            return
        if not may_delete(s.user_key, answer, self.admins):
            s.say(msg.CONFIRMED_REFUSED)
            return
        others = [m for m in answer.members if m != s.user_key]
        text = msg.ASK.format(
            org=_org(answer), members=msg.ASK_MEMBERS.format(count=len(others)) if others else "",
        )
        if answer.confirmed:
            text = msg.ASK_CONFIRMED + text
        pending = DeleteConfirmation(answer.answer_id)
        s.user.pending = pending
        s.say("", cards.confirm_card(text, confirm_topic(pending), msg.BUTTON_YES, msg.BUTTON_NO))

    def resolve(self, s: Session, pending: DeleteConfirmation, inp: UserInput) -> None:
        """The yes/no to 削除依頼 (the pending question is this module's)."""
        s.user.pending = None
        topic = str(inp.data.get("topic", "")) if inp.data else ""
        answer = s.answer
        if (topic and topic != confirm_topic(pending)) or answer is None or answer.answer_id != pending.answer_id:
            s.say(msg.EXPIRED)
            return
        if not inp.yes_no():
            self.flow.go_next_with(s, msg.KEPT)
            return
        if not may_delete(s.user_key, answer, self.admins):  # confirmed since the question was asked
            s.say(msg.CONFIRMED_REFUSED)
            return
        s.effects.append(DeleteAnswer(pending.answer_id))


def _org(answer: AnswerRecord) -> str:
    return answer.respondent.get("org_name") or msg.NO_ORG


__all__ = ["Deletion", "TOPIC", "EFFECT", "may_delete"]
