"""Answering the survey's items: an answer read by the engine and stored with what follows
from it, "neither applies" after a yes, and an answer under review (要確認) kept."""
from __future__ import annotations

from typing import Any

from bot import cards
from bot.dialogs import under_review
from bot.dialogs.after_change import put_under_review, set_aside_not_applicable, withdraw_on_change
from bot.dialogs.effects import CheckAgreement
from bot.dialogs.flow import FIELD_KEYS, Flow
from bot.dialogs.records import Cursor, NoneConfirmation, confirm_topic
from bot.dialogs.session import Session
from bot.messages import conversation as msg
from bot.survey.engine import Survey
from bot.survey.model import KIND_MULTI, NOTE_NONE, circled


class Answering:
    def __init__(self, survey: Survey, flow: Flow) -> None:
        self.survey = survey
        self.flow = flow

    def answer_item(self, s: Session, item_id: str, text: str) -> None:
        survey, flow = self.survey, self.flow
        try:
            item = survey.item(item_id)
        except KeyError:
            s.say(msg.UNKNOWN_SUBMIT)
            flow.ask_current(s)
            return
        if flow.locked(s):
            return
        if any(not s.record.respondent.get(k) for k in FIELD_KEYS):
            s.say(msg.INFO_FIRST)
            flow.go_next(s)
            return
        if not survey.is_applicable(item_id, s.org_type, s.record.answers):
            if not flow.offer_deciding_item(s, item_id):
                s.say(msg.ITEM_NOT_APPLICABLE.format(heading=item.heading))
                flow.ask_current(s)
            return
        parsed = survey.parse_answer(item_id, text)
        if not parsed.ok:
            flow.ask_item(s, item_id, note=msg.BAD_ANSWER.format(heading=item.heading, error=parsed.error))
            return
        if item.kind == KIND_MULTI and parsed.value == []:
            s.user.cursor = Cursor.at_item(item_id)
            pending = NoneConfirmation(item_id)
            s.user.pending = pending
            marks = "".join(circled(o.number) for o in item.options)
            s.say("", cards.confirm_card(msg.CONFIRM_NONE.format(heading=item.heading, marks=marks), confirm_topic(pending)))
            return
        self.store_item(s, item_id, parsed.value)

    def resolve_none(self, s: Session, pending: NoneConfirmation, yes: bool) -> None:
        if yes:
            self.store_item(s, pending.item, [])
        else:
            self.flow.ask_item(s, pending.item)

    def keep_item(self, s: Session, item_id: str) -> None:
        """要確認: one tap keeps the stored answer."""
        if self.flow.locked(s):
            return
        if item_id not in under_review.marked(s) or item_id not in s.record.answers:
            heading = self.survey.item(item_id).heading if self.survey.resolve_item_id(item_id) == item_id else item_id
            s.say(msg.REVIEW_NOT_MARKED.format(heading=heading))
            self.flow.ask_current(s)
            return
        under_review.clear(s, [item_id])
        heading = self.survey.item(item_id).heading
        s.log("review_kept", item=heading)
        value = self.survey.format_value(item_id, s.record.answers[item_id])
        self.flow.go_next_with(s, msg.REVIEW_KEPT.format(heading=heading, value=value))

    def store_item(self, s: Session, item_id: str, value: Any) -> None:
        survey, record = self.survey, s.record
        item = survey.item(item_id)
        before = dict(record.answers)
        old = record.answers.get(item_id)
        record.answers[item_id] = value
        if value == [] and item.allow_none:
            record.notes[item_id] = NOTE_NONE
        else:
            record.notes.pop(item_id, None)
        if old != value:
            s.log("answer", item=item_id, old=old, new=value)
        under_review.clear(s, [item_id])  # answered anew: reviewed
        lines = [msg.ANSWER_STORED.format(heading=item.heading, value=survey.describe_value(item_id, value))]
        lines += set_aside_not_applicable(survey, s, before, report=old is not None and old != value)
        lines += put_under_review(survey, s, item_id, old, value)
        if old != value:
            lines.append(withdraw_on_change(s))
            if item_id == self.survey.agreed_item:
                s.effects.append(CheckAgreement(record.answer_id))
        self.flow.go_next_with(s, "\n".join(filter(None, lines)))


__all__ = ["Answering"]
