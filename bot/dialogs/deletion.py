"""削除依頼: a member deletes the answer they work on, after a yes.

An unconfirmed answer may be deleted by any of its members; a confirmed one only by
an administrator (ADMINS). This module only decides and asks: the deletion itself is
the "delete_answer" effect (bot/dialogs/deletion_effects.py), run after the turn is
saved, which checks the same rule again on the answer as it is then and deletes it
with everything that names it in one script.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot import cards
from bot.dialogs.inputs import UserInput
from bot.dialogs.session import Effect, Session
from bot.messages import deletion as msg

if TYPE_CHECKING:
    from bot.dialogs.conversation import Conversation

TOPIC = "delete"
EFFECT = "delete_answer"


def is_confirmed(answer: dict[str, Any]) -> bool:
    return (answer.get("confirmation") or {}).get("status") == "confirmed"


def may_delete(user_key: str, answer: dict[str, Any], admins: frozenset[str]) -> bool:
    """A member may delete an unconfirmed answer; a confirmed one, only an administrator."""
    return not is_confirmed(answer) or user_key in admins


class Deletion:
    def __init__(self, conversation: "Conversation", admins: frozenset[str] = frozenset()) -> None:
        self.conversation = conversation
        self.admins = admins

    def commands(self) -> dict[str, Callable[[Session, UserInput], None]]:
        return {"delete": self.request}

    def resolvers(self) -> dict[str, Callable[[Session, UserInput], None]]:
        """How the yes/no to a pending question of this module is handled, by topic."""
        return {TOPIC: self.resolve}

    def request(self, s: Session, inp: UserInput) -> None:
        answer = s.answer
        if answer is None:
            s.say(msg.NO_ANSWER)
            return
        if not may_delete(s.user_key, answer, self.admins):
            s.say(msg.CONFIRMED_REFUSED)
            return
        answer_id = str(answer["answer_id"])
        others = [m for m in answer.get("members") or [] if m != s.user_key]
        text = msg.ASK.format(
            org=_org(answer), members=msg.ASK_MEMBERS.format(count=len(others)) if others else "",
        )
        if is_confirmed(answer):
            text = msg.ASK_CONFIRMED + text
        s.pending = {"topic": TOPIC, "answer_id": answer_id}
        s.say("", cards.confirm_card(text, f"{TOPIC}:{answer_id}", msg.BUTTON_YES, msg.BUTTON_NO))

    def resolve(self, s: Session, inp: UserInput) -> None:
        pending = s.pending or {}
        s.pending = None
        answer_id = str(pending.get("answer_id", ""))
        topic = str(inp.data.get("topic", "")) if inp.data else ""
        answer = s.answer
        if (topic and topic != f"{TOPIC}:{answer_id}") or answer is None or answer.get("answer_id") != answer_id:
            s.say(msg.EXPIRED)
            return
        if not inp.yes_no():
            self.conversation.go_next_with(s, msg.KEPT)
            return
        if not may_delete(s.user_key, answer, self.admins):  # confirmed since the question was asked
            s.say(msg.CONFIRMED_REFUSED)
            return
        s.effects.append(Effect(EFFECT, {"answer_id": answer_id}))


def _org(answer: dict[str, Any]) -> str:
    return (answer.get("respondent") or {}).get("org_name") or msg.NO_ORG


__all__ = ["Deletion", "TOPIC", "EFFECT", "is_confirmed", "may_delete"]
