"""The deletion a member asked for with 削除依頼, once their turn is saved: delete, tell
them, tell the other members, record it in the audit log."""
from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from bot.audit import audit
from bot.dialogs.deletion import may_delete
from bot.dialogs.effects import DeleteAnswer, handles
from bot.dialogs.session import Session
from bot.messages import deletion as msg
from bot.notify import Notifier
from bot.state.answer_deletion import DELETED, MISSING, REFUSED, AnswerDeletion
from bot.survey.model import AnswerRecord

OUTCOME_TEXTS = {MISSING: msg.ALREADY_GONE, REFUSED: msg.CONFIRMED_MEANWHILE}


class DeletionEffects:
    def __init__(self, deletion: AnswerDeletion, notifier: Notifier, admins: frozenset[str]) -> None:
        self.deletion = deletion
        self.notifier = notifier
        self.admins = admins

    @handles(DeleteAnswer)
    async def delete_answer(self, turn_context: TurnContext, session: Session, effect: DeleteAnswer) -> None:
        answer_id = effect.answer_id
        where = f"answer:{answer_id}"

        def allowed(raw: dict[str, Any]) -> bool:
            return may_delete(session.user_key, AnswerRecord.from_json(raw, where), self.admins)

        # The rule is checked again on the record as it is now, and the script deletes
        # only that version: a confirmation in between stops a member's deletion.
        done = await self.deletion.delete(answer_id, allowed)
        if done.outcome != DELETED or done.record is None:
            await turn_context.send_activity(OUTCOME_TEXTS.get(done.outcome, msg.KEPT_CHANGING))
            return
        record = AnswerRecord.from_json(done.record, where)
        audit("answer_deleted", answer_id=answer_id, by=session.user_key, via="削除依頼",
              confirmed=record.confirmed, history_entries=done.history_entries, codes=done.codes,
              index_entries=done.index_entries, files=done.files)
        org = record.respondent.get("org_name") or msg.NO_ORG
        await turn_context.send_activity(msg.DELETED.format(org=org))
        others = [m for m in record.members if m != session.user_key]
        if others:
            await self.notifier.send(others, msg.DELETED_NOTICE.format(name=session.user_name, org=org))
