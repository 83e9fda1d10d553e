"""What confirmation and sharing do after the turn is saved: tell other people."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from botbuilder.core import MessageFactory, TurnContext

from bot import cards
from bot.dialogs.effects import (
    CheckAgreement,
    Effect,
    Export,
    IndexName,
    Notify,
    NotifyResponsible,
    RegisterUnion,
    handles,
)
from bot.dialogs.records import UserRecord
from bot.dialogs.session import Session
from bot.dialogs.union_link import linked_union
from bot.dialogs.survey_bot import to_activity
from bot.messages import teamwork as msg
from bot.notify import Notifier
from bot.state.people import People
from bot.state.q13_board import Q13Board
from bot.state.turn_store import TurnStore
from bot.survey.engine import Survey
from bot.survey.model import AnswerRecord
from bot.survey.prefectures import prefecture_code_of_org
from bot.survey.union_link import same_union

log = logging.getLogger(__name__)
MEMBER_WRITE_ATTEMPTS = 5
EffectHandler = Callable[[TurnContext, Session, Effect], Awaitable[None]]


class TeamworkEffects:
    def __init__(
        self,
        notifier: Notifier,
        people: People,
        store: TurnStore,
        survey: Survey,
        export: EffectHandler | None,
        q13: Q13Board,
    ) -> None:
        self.notifier = notifier
        self.people = people
        self.store = store
        self.survey = survey
        self.export = export
        self.q13 = q13

    @handles(Notify)
    async def notify(self, turn_context: TurnContext, session: Session, effect: Notify) -> None:
        keys = [k for k in effect.user_keys if k]
        after = None
        if effect.deliver and self.export is not None:
            data, _ = await self.store.load_answer(effect.answer_id)
            answer = AnswerRecord.from_json(data, f"answer:{effect.answer_id}") if data is not None else None
            export = self.export

            async def after(ctx: TurnContext, key: str, record: dict[str, Any]) -> None:
                member_record = UserRecord.from_json(record, "user")
                reference = member_record.reference or {}
                member = Session(
                    user_key=key, user_name=member_record.name or "",
                    conversation_id=(reference.get("conversation") or {}).get("id", ""),
                    conversation_type=(reference.get("conversation") or {}).get("conversationType") or "personal",
                    user=member_record, answer=answer,
                )
                await export(ctx, member, Export(effect.answer_id))

        await self.notifier.send(keys, effect.text, after=after)

    @handles(NotifyResponsible)
    async def notify_responsible(self, turn_context: TurnContext, session: Session, effect: NotifyResponsible) -> None:
        """Also sends the request to the 回答責任者 when exactly one person the bot knows
        bears that name (and is not one of the respondents)."""
        found = [k for k in await self.people.find(effect.name) if k not in effect.members]
        if len(found) != 1:
            return
        text = msg.REQUEST_TO_RESPONSIBLE.format(
            by=session.user_name, org=effect.org, code=effect.code, survey=self.survey.texts.name)
        card = cards.message_card(msg.BUTTON_OPEN, [text], [(msg.BUTTON_OPEN, "open_review", effect.code)])
        reached = await self.notifier.send(found, to_activity("", [card]))
        if reached:
            await turn_context.send_activity(MessageFactory.text(msg.RESPONSIBLE_NOTIFIED.format(name=effect.name)))

    @handles(IndexName)
    async def index_name(self, turn_context: TurnContext, session: Session, effect: IndexName) -> None:
        await self.people.rename(session.user_key, effect.old, effect.new)

    @handles(RegisterUnion)
    async def register_union(self, turn_context: TurnContext, session: Session, effect: RegisterUnion) -> None:
        await self.q13.rename_union(effect.answer_id, effect.old, effect.new)

    @handles(CheckAgreement)
    async def check_agreement(self, turn_context: TurnContext, session: Session, effect: CheckAgreement) -> None:
        """The definition's agreement (2307: a 広域連合等 and its own 構成市町村 give the same
        Q13): warn, naming both, when the bot holds the other side's answer and it differs. A
        member is compared only with the union it named; one that named none, with nobody."""
        agreement = self.survey.agreement
        answer = session.answer
        if agreement is None or answer is None:
            return
        org_type, org_name = answer.org_type, answer.respondent.get("org_name", "")
        ours = answer.answers.get(agreement.item)
        code = prefecture_code_of_org(org_name)
        if org_type not in (agreement.member, agreement.union) or not ours or not code:
            return
        union = linked_union(answer) if org_type == agreement.member else ""
        board = await self.q13.post(code, answer.answer_id, org_type, org_name, ours, union=union)
        if org_type == agreement.member:
            pairs = [(name, entry.values, org_name, ours) for name, entry in board.items()
                     if entry.org_type == agreement.union and union and same_union(name, union)]
        else:
            pairs = [(org_name, ours, name, entry.values) for name, entry in board.items()
                     if entry.org_type == agreement.member and same_union(entry.union, org_name)]
        member_type, union_type = self.survey.orgs.get(agreement.member), self.survey.orgs.get(agreement.union)
        names = {"item": self.survey.item(agreement.item).heading,
                 "member_type": member_type.name if member_type else "", "union_type": union_type.name if union_type else ""}
        lines = [
            msg.AGREEMENT_DIFFERS_LINE.format(
                union=union_name, union_value=self.survey.format_value(agreement.item, list(union_values)),
                member=member_name, member_value=self.survey.format_value(agreement.item, list(member_values)), **names,
            )
            for union_name, union_values, member_name, member_values in pairs
            if sorted(union_values) != sorted(member_values)
        ]
        if lines:
            await turn_context.send_activity(MessageFactory.text("\n".join([*lines, msg.AGREEMENT_ASK.format(**names)])))
