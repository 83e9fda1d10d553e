"""What confirmation and sharing do after the turn is saved: tell other people."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from botbuilder.core import MessageFactory, TurnContext

from bot import cards
from bot.dialogs.session import Effect, Session
from bot.dialogs.union_link import linked_union
from bot.dialogs.survey_bot import to_activity
from bot.messages import teamwork as msg
from bot.notify import Notifier
from bot.state.people import People
from bot.state.q13_board import Q13Board
from bot.state.turn_store import TurnStore
from bot.survey.engine import Survey
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

    def handlers(self) -> dict[str, EffectHandler]:
        return {
            "notify": self.notify,
            "notify_responsible": self.notify_responsible,
            "index_name": self.index_name,
            "check_agreement": self.check_agreement,
            "register_union": self.register_union,
        }

    async def notify(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        params = effect.params
        keys = [k for k in params.get("user_keys", []) if k]
        after = None
        if params.get("deliver") and self.export is not None:
            answer, _ = await self.store.load_answer(str(params["answer_id"]))

            async def after(ctx: TurnContext, key: str, record: dict[str, Any]) -> None:
                reference = record.get("reference") or {}
                member = Session(
                    user_key=key, user_name=record.get("name", ""),
                    conversation_id=(reference.get("conversation") or {}).get("id", ""),
                    conversation_type=(reference.get("conversation") or {}).get("conversationType") or "personal",
                    user=record, answer=answer,
                )
                await self.export(ctx, member, Effect("export", {"answer_id": params["answer_id"]}))

        await self.notifier.send(keys, str(params.get("text", "")), after=after)

    async def notify_responsible(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        """Also sends the request to the 回答責任者 when exactly one person the bot knows
        bears that name (and is not one of the respondents)."""
        params = effect.params
        found = [k for k in await self.people.find(str(params.get("name", ""))) if k not in params.get("members", [])]
        if len(found) != 1:
            return
        text = msg.REQUEST_TO_RESPONSIBLE.format(
            by=session.user_name, org=params.get("org", ""), code=params["code"], survey=self.survey.texts.name)
        card = cards.message_card(msg.BUTTON_OPEN, [text], [(msg.BUTTON_OPEN, "確認", str(params["code"]))])
        reached = await self.notifier.send(found, to_activity("", [card]))
        if reached:
            await turn_context.send_activity(MessageFactory.text(msg.RESPONSIBLE_NOTIFIED.format(name=params.get("name", ""))))

    async def index_name(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        await self.people.rename(session.user_key, str(effect.params.get("old", "")), str(effect.params.get("new", "")))

    async def register_union(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        params = effect.params
        await self.q13.rename_union(str(params.get("answer_id", "")), str(params.get("old") or ""),
                                    str(params.get("new") or ""))

    async def check_agreement(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        """The definition's agreement (2307: a 広域連合等 and its own 構成市町村 give the same
        Q13): warn, naming both, when the bot holds the other side's answer and it differs. A
        member is compared only with the union it named; one that named none, with nobody."""
        agreement = self.survey.agreement
        answer = session.answer or {}
        respondent = answer.get("respondent") or {}
        org_type, org_name = respondent.get("org_type"), respondent.get("org_name", "")
        if agreement is None:
            return
        ours = (answer.get("answers") or {}).get(agreement.item)
        code = prefecture_code_of_org(org_name)
        if org_type not in (agreement.member, agreement.union) or not ours or not code:
            return
        union = linked_union(answer) if org_type == agreement.member else ""
        board = await self.q13.post(code, answer["answer_id"], org_type, org_name, ours, union=union)
        if org_type == agreement.member:
            pairs = [(name, entry, org_name, ours) for name, entry in board.items()
                     if entry.get("type") == agreement.union and union and same_union(name, union)]
        else:
            pairs = [(org_name, {"q13": ours}, name, entry.get("q13")) for name, entry in board.items()
                     if entry.get("type") == agreement.member and same_union(entry.get("union", ""), org_name)]
        member_type, union_type = self.survey.orgs.get(agreement.member), self.survey.orgs.get(agreement.union)
        names = {"item": self.survey.item(agreement.item).heading,
                 "member_type": member_type.name if member_type else "", "union_type": union_type.name if union_type else ""}
        lines = [
            msg.AGREEMENT_DIFFERS_LINE.format(
                union=union_name, union_value=self.survey.format_value(agreement.item, union_entry["q13"]),
                member=member_name, member_value=self.survey.format_value(agreement.item, member_q13), **names,
            )
            for union_name, union_entry, member_name, member_q13 in pairs
            if sorted(union_entry.get("q13") or []) != sorted(member_q13 or [])
        ]
        if lines:
            await turn_context.send_activity(MessageFactory.text("\n".join([*lines, msg.AGREEMENT_ASK.format(**names)])))
