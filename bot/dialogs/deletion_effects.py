"""The deletion a member asked for with 削除依頼, once their turn is saved: delete, tell
them, tell the other members, record it in the audit log."""
from __future__ import annotations

from botbuilder.core import TurnContext

from bot.audit import audit
from bot.dialogs.deletion import EFFECT, is_confirmed, may_delete
from bot.dialogs.session import Effect, Session
from bot.dialogs.teamwork_effects import EffectHandler
from bot.messages import deletion as msg
from bot.notify import Notifier
from bot.state.answer_deletion import DELETED, MISSING, REFUSED, AnswerDeletion

OUTCOME_TEXTS = {MISSING: msg.ALREADY_GONE, REFUSED: msg.CONFIRMED_MEANWHILE}


class DeletionEffects:
    def __init__(self, deletion: AnswerDeletion, notifier: Notifier, admins: frozenset[str]) -> None:
        self.deletion = deletion
        self.notifier = notifier
        self.admins = admins

    def handlers(self) -> dict[str, EffectHandler]:
        return {EFFECT: self.delete_answer}

    async def delete_answer(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        answer_id = str(effect.params["answer_id"])
        # The rule is checked again on the record as it is now, and the script deletes
        # only that version: a confirmation in between stops a member's deletion.
        done = await self.deletion.delete(answer_id, lambda record: may_delete(session.user_key, record, self.admins))
        if done.outcome != DELETED or done.record is None:
            await turn_context.send_activity(OUTCOME_TEXTS.get(done.outcome, msg.KEPT_CHANGING))
            return
        record = done.record
        audit("answer_deleted", answer_id=answer_id, by=session.user_key, via="削除依頼",
              confirmed=is_confirmed(record), history_entries=done.history_entries, codes=done.codes,
              index_entries=done.index_entries, files=done.files)
        org = (record.get("respondent") or {}).get("org_name") or msg.NO_ORG
        await turn_context.send_activity(msg.DELETED.format(org=org))
        others = [m for m in record.get("members") or [] if m != session.user_key]
        if others:
            await self.notifier.send(others, msg.DELETED_NOTICE.format(name=session.user_name, org=org))
