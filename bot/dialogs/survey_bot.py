"""The Teams-facing bot: reads an activity, runs one survey turn on Redis state, saves
once, then sends the replies through the connector (serviceUrl)."""
from __future__ import annotations

import copy
import gc
import json
import logging
import re
from typing import Any, Awaitable, Callable, Mapping

from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, ChannelAccount

from bot.adapter import model_as_json
from bot.audit import audit_turn
from bot.config import Config
from bot.dialogs.conversation import Conversation
from bot.dialogs.inputs import UserInput, read_input
from bot.dialogs.session import Effect, Session
from bot.dialogs.survey_dialog import SurveyDialogRunner
from bot.messages import conversation as msg
from bot.state.codes import PURPOSE_CONFIRM, PURPOSE_SHARE, Codes
from bot.state.history import History
from bot.state.redis_storage import ETagConflict
from bot.state.turn_store import TurnState, TurnStore

log = logging.getLogger(__name__)

SAVE_ATTEMPTS = 3  # each runs TurnStore.run, itself bounded
HISTORY_SHOWN = 50
CODE_COMMANDS = {"join": PURPOSE_SHARE, "open_review": PURPOSE_CONFIRM}


def _fingerprint(data: dict[str, Any] | None) -> str | None:
    return None if data is None else json.dumps(data, sort_keys=True, ensure_ascii=False)


def user_key_of(activity: Activity) -> str:
    sender = activity.from_property or ChannelAccount()
    return sender.aad_object_id or sender.id or "anonymous"


def tenant_of(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = (data.get("tenant") or {}).get("id") if isinstance(data.get("tenant"), dict) else None
    return tenant or (activity.conversation.tenant_id if activity.conversation else "") or ""


class _SharedCardAttachment(Attachment):
    """An attachment whose content (a card built fresh for this one reply and never
    changed after) is shared by copies: the SDK deep-copies every outgoing activity,
    and copying whole cards was a tenth of a turn. The content stays a plain dict,
    so msrest (expectReplies, other senders) serializes it as before."""

    def __deepcopy__(self, memo: dict[int, Any]) -> "_SharedCardAttachment":
        return copy.copy(self)


def teams_text(text: str) -> str:
    """Teams reads message text as Markdown, where a single newline is no line break."""
    return re.sub(r"(?<!\n)\n(?!\n)", "\n\n", text) if text else text


def to_activity(text: str, attachments: list[dict[str, Any]]) -> Activity:
    text = teams_text(text)
    if not attachments:
        return MessageFactory.text(text)
    items = [_SharedCardAttachment(content_type=a["contentType"], content=a.get("content"), name=a.get("name"),
                                   content_url=a.get("contentUrl")) for a in attachments]
    activity = MessageFactory.carousel(items, text or None) if len(items) > 1 else MessageFactory.attachment(items[0], text or None)
    activity.attachment_layout = "list"
    return activity


def freeze_startup_heap() -> None:
    """Moves every object alive now (the SDK's modules, the survey, the clients) out of
    the collector's reach. Each full collection otherwise walks all of them: a pause
    of a hundred milliseconds or more every few seconds under load, which was the
    whole p99 of a turn. Called once, when startup is over (the first turn)."""
    gc.collect()
    gc.freeze()


EffectHandler = Callable[[TurnContext, Session, Effect], Awaitable[None]]
InvokeHandler = Callable[[TurnContext], Awaitable[InvokeResponse]]


class SurveyBot(ActivityHandler):
    """`effects` run after the turn's state is saved (file delivery, notifications, the
    prefecture index); `invokes` answer invoke activities by name (fileConsent/invoke)."""

    def __init__(
        self,
        config: Config,
        store: TurnStore,
        conversation: Conversation,
        history: History,
        codes: Codes,
        effects: Mapping[str, EffectHandler] | None = None,
        invokes: Mapping[str, InvokeHandler] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.conversation = conversation
        self.history = history
        self.effects = dict(effects or {})
        self.invokes = dict(invokes or {})
        self.codes = codes
        self.runner = SurveyDialogRunner(conversation)
        self._heap_frozen = False

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        handler = self.invokes.get(turn_context.activity.name or "")
        if handler is None:
            return await super().on_invoke_activity(turn_context)
        return await handler(turn_context)

    async def on_turn(self, turn_context: TurnContext) -> None:
        if not self._heap_frozen:
            freeze_startup_heap()
            self._heap_frozen = True
        if self.config.allowed_tenants and tenant_of(turn_context.activity) not in self.config.allowed_tenants:
            if turn_context.activity.type == ActivityTypes.message:
                await turn_context.send_activity(msg.TENANT_REFUSED)
            return
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        text = activity.text or ""
        if activity.conversation and activity.conversation.conversation_type in ("groupChat", "channel"):
            text = TurnContext.remove_recipient_mention(activity) or text
        attachments = [a.serialize() if hasattr(a, "serialize") else a for a in (activity.attachments or [])]
        inp = read_input(text, activity.value, attachments)
        await self.run_turn(turn_context, inp)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if turn_context.activity.conversation and turn_context.activity.conversation.conversation_type not in (None, "personal"):
            return
        if any(m.id != bot_id for m in members_added) or any(m.id == bot_id for m in members_added):
            await self.run_turn(turn_context, None)

    async def run_turn(self, turn_context: TurnContext, inp: UserInput | None) -> Session | None:
        activity = turn_context.activity
        user_key = user_key_of(activity)
        sender = activity.from_property or ChannelAccount()
        conversation = activity.conversation
        reference = model_as_json(TurnContext.get_conversation_reference(activity))
        # What a proactive message needs; the id of the message being answered is not.
        reference.pop("activityId", None)
        first_answers: list[dict[str, Any] | None] = []

        async def step(state: TurnState) -> Session:
            session = Session(
                user_key=user_key,
                user_name=sender.name or "",
                conversation_id=conversation.id if conversation else "",
                conversation_type=(conversation.conversation_type if conversation else None) or "personal",
                user=state.user,
                answer=state.answer,
            )
            await self.read_beyond(session, inp)
            seen_other = _fingerprint(session.other)
            # 参加 makes the read answer the user's own: the save compares against it as read.
            other_as_read = copy.deepcopy(session.other) if inp is not None and inp.command == "join" else None
            # A retry after a concurrent write: tell the user what the colleague changed.
            answers_now = dict((state.answer or {}).get("answers") or {})
            if first_answers and first_answers[0] is not None and first_answers[0] != answers_now:
                session.say(self.conversation.describe_concurrent_change(first_answers[0], answers_now))
            elif not first_answers:
                first_answers.append(answers_now if state.answer is not None else None)
            await self.runner.run(turn_context, session, inp)
            session.user["reference"] = reference
            if session.switched:
                state.switch_answer(session.answer["answer_id"], other_as_read, session.other_etag)
                state.answer = session.answer
            elif state.answer is None and session.answer is not None:
                state.switch_answer(session.answer["answer_id"], session.answer, None)
            elif session.other is not None and session.other_id and _fingerprint(session.other) != seen_other:
                session.other_etag = await self.store.save_answer(session.other_id, session.other, session.other_etag)
            state.history = list(session.events)
            return session

        session = None
        for _attempt in range(SAVE_ATTEMPTS):
            try:
                session = await self.store.run(user_key, step)
                break
            except ETagConflict:
                continue
        if session is None:
            # The request's log context names the (hashed) user.
            log.warning("gave up after repeated write conflicts")
            await turn_context.send_activity(msg.BUSY)
            return None
        audit_turn(session.events)
        for code, purpose, answer_id in session.new_codes:
            await self.codes.store(code, purpose, answer_id, session.user_key, session.now.isoformat(timespec="seconds"))
        await self.send_replies(turn_context, session)
        for effect in session.effects:
            handler = self.effects.get(effect.kind)
            if handler is None:
                log.error("no handler for effect %s", effect.kind)
                continue
            await handler(turn_context, session, effect)
        return session

    async def read_beyond(self, session: Session, inp: UserInput | None) -> None:
        """Reads what a command needs beyond the user's own records (codes, the answer
        under review, the history), before the turn decides anything."""
        command = inp.command if inp else None
        if command in CODE_COMMANDS and inp is not None and inp.arg.strip():
            lookup = await self.codes.lookup(session.user_key, inp.arg, CODE_COMMANDS[command])
            session.code_lookup = lookup
            if lookup.info is not None:
                await self._load_other(session, lookup.info["answer_id"])
        elif command in ("approve", "return") and session.user.get("reviewing"):
            await self._load_other(session, session.user["reviewing"]["answer_id"])
        elif command == "history" and session.answer is not None:
            session.history = await self.history.read(session.answer["answer_id"], count=HISTORY_SHOWN)

    async def _load_other(self, session: Session, answer_id: str) -> None:
        other, etag = await self.store.load_answer(answer_id)
        if other is not None:
            session.other, session.other_id, session.other_etag = other, answer_id, etag

    async def send_replies(self, turn_context: TurnContext, session: Session) -> None:
        activities = [to_activity(r.text, r.attachments) for r in session.replies]
        if activities:
            await turn_context.send_activities(activities)

