"""The Teams-facing bot: reads an activity, runs one survey turn on Redis state, saves
once, then sends the replies through the connector (serviceUrl)."""
from __future__ import annotations

import copy
import gc
import logging
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping, Protocol

from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, ChannelAccount

from bot.adapter import model_as_json
from bot.audit import audit_turn
from bot.config import Config
from bot.dialogs.conversation import Conversation
from bot.dialogs.effects import Effect, Handler, check_table
from bot.dialogs.inputs import UserInput, read_input
from bot.dialogs.records import UserRecord
from bot.dialogs.session import Session
from bot.dialogs.import_flow import union_prefecture
from bot.dialogs.union_link import prefecture_to_read
from bot.dialogs.survey_dialog import SurveyDialogRunner
from bot.messages import conversation as msg
from bot.state.codes import PURPOSE_CONFIRM, PURPOSE_SHARE, CodeLookup, Codes
from bot.state.history import History
from bot.state.redis_storage import ETagConflict
from bot.state.turn_roles import RoleReads
from bot.state.turn_store import ANSWER_PREFIX, USER_PREFIX, TurnState, TurnStore
from bot.stored_json import RecordError
from bot.survey.model import AnswerRecord
from bot.survey.prefectures import prefecture_code_of_org

log = logging.getLogger(__name__)

HISTORY_SHOWN = 50
CODE_COMMANDS = {"join": PURPOSE_SHARE, "open_review": PURPOSE_CONFIRM}


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


# An effect's handler: (the turn's context, the saved turn's session, the effect).
EffectHandler = Callable[[TurnContext, Session, Effect], Awaitable[None]]
InvokeHandler = Callable[[TurnContext], Awaitable[InvokeResponse]]


class KnownUnions(Protocol):
    async def unions(self, prefecture_code: str) -> list[str]: ...


class DroppedFileReader(Protocol):
    """bot/delivery/import_files.ImportFiles: a message's dropped 回答シート, read once."""

    def for_message(self, inp: UserInput | None) -> Any: ...


@dataclass
class _Other:
    """An answer read beyond the user's own (the one a code names, or the one under
    review), as read: its JSON and e_tag, for the save."""

    answer_id: str
    data: dict[str, Any]
    etag: str | None


class SurveyBot(ActivityHandler):
    """`effects` run after the turn's state is saved (file delivery, notifications, the
    prefecture index), one handler per kind (bot/dialogs/effects.effect_table); without
    them (tests of the turn alone) effects are only recorded on the session. `invokes`
    answer invoke activities by name (fileConsent/invoke)."""

    def __init__(
        self,
        config: Config,
        store: TurnStore,
        conversation: Conversation,
        history: History,
        codes: Codes,
        effects: Mapping[str, Handler] | None = None,
        invokes: Mapping[str, InvokeHandler] | None = None,
        unions: KnownUnions | None = None,
        imports: DroppedFileReader | None = None,
        roles: RoleReads | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.conversation = conversation
        self.history = history
        if effects is not None:
            check_table(effects)
        self.effects = dict(effects) if effects is not None else None
        self.invokes = dict(invokes or {})
        self.codes = codes
        self.unions = unions  # the known 広域連合等 of a prefecture (Q13Board)
        self.imports = imports  # a dropped 回答シート to import, fetched and read before the turn
        self.roles = roles  # staff grants and prefecture deadlines; None: the settings only
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
        # Once per turn, not per attempt: a wrong code counts as one guess.
        code_lookup = await self.look_up_code(user_key, inp)
        dropped = self.imports.for_message(inp) if self.imports is not None else None

        async def step(state: TurnState) -> Session:
            # The records as declared (RecordError if not), and as read, normalised: only
            # what the turn changed is written back.
            user = UserRecord.from_json(state.user, "user")  # the log context names the (hashed) user
            answer = AnswerRecord.from_json(state.answer, ANSWER_PREFIX + str(state.answer_id)) if state.answer is not None else None
            read_user, read_answer = user.to_json(), answer.to_json() if answer is not None else None
            session = Session(
                user_key=user_key,
                user_name=sender.name or "",
                conversation_id=conversation.id if conversation else "",
                conversation_type=(conversation.conversation_type if conversation else None) or "personal",
                user=user,
                answer=answer,
            )
            other = await self.read_beyond(session, inp, code_lookup)
            if dropped is not None:  # fetched on the first attempt that offers it, then kept
                session.dropped_file = await dropped.read(session)
            read_other = None
            if other is not None and session.other is not None and other.answer_id != state.answer_id:
                # Saved with the user's records in one call: a confirmation, its history
                # entry and the reviewer's own record exist together or not at all.
                state.track_other(other.answer_id, other.data, other.etag)
                read_other = session.other.to_json()
            # A retry after a concurrent write: tell the user what the colleague changed.
            answers_now = dict((state.answer or {}).get("answers") or {})
            if first_answers and first_answers[0] is not None and first_answers[0] != answers_now:
                session.say(self.conversation.describe_concurrent_change(first_answers[0], answers_now))
            elif not first_answers:
                first_answers.append(answers_now if state.answer is not None else None)
            await self.runner.run(turn_context, session, inp)
            session.user.reference = reference
            self._write_back(state, session, read_user, read_answer, read_other)
            state.history = list(session.events)
            created_at = session.now.isoformat(timespec="seconds")
            for new in session.new_codes:
                state.create(*self.codes.new_record(new, session.user_key, created_at))
            return session

        try:
            session = await self.store.run(user_key, step)
        except RecordError as error:
            # A stored record that is not what its kind should hold: nothing is written,
            # the operator is told which record and field, the user that it was not them.
            log.error("stored record unreadable: %s", error)
            await turn_context.send_activity(msg.RECORD_UNREADABLE)
            return None
        except ETagConflict as conflict:
            # The request's log context names the (hashed) user.
            log.warning("gave up after repeated write conflicts")
            # Only the user's own turns write their user record: then it was their own messages.
            await turn_context.send_activity(msg.BUSY_OWN if conflict.key == USER_PREFIX + user_key else msg.BUSY)
            return None
        audit_turn(session.events)
        await self.send_replies(turn_context, session)
        if self.effects is not None:
            for effect in session.effects:
                await self.effects[effect.kind](turn_context, session, effect)
        return session

    @staticmethod
    def _write_back(
        state: TurnState,
        session: Session,
        read_user: dict[str, Any],
        read_answer: dict[str, Any] | None,
        read_other: dict[str, Any] | None,
    ) -> None:
        """The turn's records as JSON into the state the store saves, each only if the
        turn changed it (a record stored in an older form is left as it is)."""
        user = session.user.to_json()
        if user != read_user:
            state.user = user
        if session.other is not None and read_other is not None:
            other = session.other.to_json()
            if other != read_other:
                state.other = other
        if session.switched:
            state.adopt_other()  # 参加: the joined answer, as read and changed, becomes the user's
        elif session.answer is not None and state.answer is None:
            state.switch_answer(session.answer.answer_id, session.answer.to_json(), None)
        elif session.answer is not None:
            answer = session.answer.to_json()
            if answer != read_answer:
                state.answer = answer

    async def look_up_code(self, user_key: str, inp: UserInput | None) -> CodeLookup | None:
        """The code a 参加 / 確認 command names, if it names one."""
        command = inp.command if inp else None
        if command in CODE_COMMANDS and inp is not None and inp.arg.strip():
            return await self.codes.lookup(user_key, inp.arg, CODE_COMMANDS[command])
        return None

    async def read_beyond(self, session: Session, inp: UserInput | None, code_lookup: CodeLookup | None) -> _Other | None:
        """Reads what a command needs beyond the user's own records (the answer a code
        names or the one under review, the history), before the turn decides anything;
        again on every attempt, so that a redone turn decides on fresh records. Returns
        the other answer as read, if one was."""
        command = inp.command if inp else None
        await self._read_roles(session)
        other = None
        if code_lookup is not None:
            session.code_lookup = code_lookup
            if code_lookup.info is not None:
                other = await self._load_other(session, code_lookup.info.answer_id)
        elif command in ("approve", "return") and session.user.reviewing is not None:
            other = await self._load_other(session, session.user.reviewing.answer_id)
        elif command == "history" and session.answer is not None:
            session.history = await self.history.read(session.answer.answer_id, count=HISTORY_SHOWN)
        orgs = self.conversation.survey.orgs
        prefecture = (
            (prefecture_to_read(session, inp, orgs) or union_prefecture(session, inp, orgs)) if self.unions is not None else None
        )
        if prefecture is not None:
            session.known_unions = await self.unions.unions(prefecture)
        return other

    async def _read_roles(self, session: Session) -> None:
        """Whether the user is an administrator, prefecture staff (setting or grant), and
        the deadline their answer's prefecture set: every turn, one round trip."""
        session.admin = session.user_key in self.config.admins
        session.ministry = session.user_key in self.config.ministry_staff
        if self.roles is None:
            session.staff_prefecture = self.config.prefecture_staff.get(session.user_key)
            return
        org_name = session.answer.respondent.get("org_name", "") if session.answer is not None else ""
        roles = await self.roles.for_turn(session.user_key, prefecture_code_of_org(org_name))
        session.staff_prefecture, session.prefecture_deadline = roles.staff_prefecture, roles.prefecture_deadline

    async def _load_other(self, session: Session, answer_id: str) -> _Other | None:
        data, etag = await self.store.load_answer(answer_id)
        if data is None:
            return None
        session.other = AnswerRecord.from_json(data, ANSWER_PREFIX + answer_id)
        return _Other(answer_id, data, etag)

    async def send_replies(self, turn_context: TurnContext, session: Session) -> None:
        activities = [to_activity(r.text, r.attachments) for r in session.replies]
        if activities:
            await turn_context.send_activities(activities)

