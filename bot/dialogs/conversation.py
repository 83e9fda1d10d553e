"""The survey conversation: what to say to one input, given the stored state.

Plain code over the declared records: no I/O here, so a turn can be re-run on a fresh
read when a concurrent write wins (the caller saves, then sends the replies). What a turn
needs beyond the user's own records is read by the bot before it (Session). Every skip
rule is the engine's; the conversation only asks it what comes next.

This module reads a message and hands it to the part that owns it:

    commands.py         the conversation's own commands (開始, 修正, 状況, 出力 …)
    respondent_info.py  回答者情報, the form, a 構成市町村's 広域連合等
    answering.py        the items, "neither applies", 要確認 kept
    teamwork.py         確認依頼 / 確認 / 承認 / 差し戻し, 共有 / 参加, 履歴
    desk.py             the prefecture's desk: 進捗, 期限, 督促, 職員追加 / 職員削除 / 職員一覧
    deletion.py         削除依頼
    import_flow.py      取込: a dropped 回答シート offered and taken
    flow.py             what comes next and how it is asked (used by all of the above)
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from bot.cards.common import ACTION_CONFIRM, ACTION_FIELD, ACTION_FORM, ACTION_KEEP, ACTION_UNION, ACTION_ANSWER
from bot.dialogs import under_review
from bot.dialogs.answering import Answering
from bot.dialogs.commands import Commands
from bot.dialogs.deletion import Deletion
from bot.dialogs.desk import Desk
from bot.dialogs.effects import IndexName, ReceiveFiles
from bot.dialogs.flow import Flow
from bot.dialogs.import_flow import ImportFlow
from bot.dialogs.inputs import UserInput, dropped_files
from bot.dialogs.limits import message_refusal
from bot.dialogs.records import CursorKind, DeleteConfirmation, FieldConfirmation, NoneConfirmation, confirm_topic
from bot.dialogs.respondent_info import RespondentInfo
from bot.dialogs.review import Review
from bot.dialogs.session import Session
from bot.dialogs.teamwork import Teamwork
from bot.messages import conversation as msg
from bot.survey.engine import Survey
from bot.survey.model import AnswerValue

Command = Callable[[Session, UserInput], None]


class Conversation:
    def __init__(
        self,
        survey: Survey,
        new_id: Callable[[], str] | None = None,
        deadline: datetime | None = None,
        admins: frozenset[str] = frozenset(),
    ) -> None:
        self.survey = survey
        # The ministry's (the prefectures') deadline: Config.deadline, else the definition's.
        self.review = Review(survey, deadline or survey.texts.deadline)
        self.flow = Flow(survey, self.review, new_id)
        self.respondent_info = RespondentInfo(survey, self.flow)
        self.answering = Answering(survey, self.flow)
        self.deletion = Deletion(self.flow, admins)
        self.imports = ImportFlow(survey, self.flow, self.respondent_info)
        commands = Commands(survey, self.flow, self.review)
        self._commands: dict[str, Command] = {}
        # The desk's 状況 / 進捗 takes the word and hands the user's own 状況 back to commands.
        for part in (commands, Teamwork(survey, self.flow, self.review),
                     Desk(self.review.deadline, status=commands.status), self.deletion, self.imports):
            self._commands.update(part.commands())

    # ------------------------------------------------------------------ entry
    def handle(self, s: Session, inp: UserInput) -> None:
        refusal = message_refusal(inp)
        if refusal:  # nothing of an oversized message is read, stored or logged
            s.say(refusal)
            return
        user = s.user
        new_chat = bool(user.conversation_id) and user.conversation_id != s.conversation_id
        user.conversation_id = s.conversation_id
        if user.name != s.user_name:
            s.effects.append(IndexName(user.name or "", s.user_name))
            user.name = s.user_name
        if self.imports.intercept(s, inp):  # a dropped 回答シート, or a yes/no to its offer
            return

        if inp.command:
            handler = self._commands.get(inp.command)
            if handler is None:
                s.say(msg.NOT_AVAILABLE.format(command=inp.text or inp.command))
                return
            user.pending = None
            handler(s, inp)
            return

        files = dropped_files(inp)
        if files:
            # Hand-filled workbooks dropped into the chat, for the prefecture list.
            s.effects.append(ReceiveFiles(files))
            return

        if s.answer is None:
            self.flow.welcome(s)
            return

        if user.pending is not None:
            if inp.data.get("action") == ACTION_CONFIRM or (not inp.data and inp.yes_no() is not None):
                self._resolve_pending(s, inp)
                return
            # Anything else answers the question afresh; a stale "yes" must never land later.
            user.pending = None

        if not inp.data and (user.paused or new_chat):
            user.paused = False
            self.flow.offer_resume(s)
            return

        self._read(s, inp)

    def welcome(self, s: Session) -> None:
        """Greeting for a new chat (conversationUpdate), resuming when there is an answer."""
        if s.answer is None:
            self.flow.welcome(s)
        else:
            s.user.conversation_id = s.conversation_id
            self.flow.offer_resume(s)

    def describe_concurrent_change(self, before: dict[str, AnswerValue], after: dict[str, AnswerValue]) -> str:
        """What a colleague's simultaneous write changed, for the user whose turn was redone."""
        changed = []
        for item in self.survey.items:
            old, new = before.get(item.id), after.get(item.id)
            if old != new:
                changed.append(msg.CHANGE_LINE.format(
                    heading=item.heading, old=self._shown(item.id, old) or msg.NONE,
                    new=self._shown(item.id, new) or msg.NONE))
        return msg.CONCURRENT_CHANGE.format(changes="、".join(changed) or msg.NONE)

    # --- a card's submit, or text -----------------------------------------------------------
    def _read(self, s: Session, inp: UserInput) -> None:
        data = inp.data
        action = data.get("action")
        value = str(data.get("value", "") or "")
        if action == ACTION_ANSWER:
            self.answering.answer_item(s, str(data.get("item", "")), value)
        elif action == ACTION_FIELD:
            self.respondent_info.answer_field(s, str(data.get("field", "")), value)
        elif action == ACTION_FORM:
            self.respondent_info.answer_form(s, data)
        elif action == ACTION_UNION:
            self.respondent_info.answer_union(s, value)
        elif action == ACTION_KEEP:
            self.answering.keep_item(s, str(data.get("item", "")))
        elif action == ACTION_CONFIRM:
            s.say(msg.CONFIRM_EXPIRED)
            self.flow.ask_current(s)
        elif data:
            s.say(msg.UNKNOWN_SUBMIT)
            self.flow.ask_current(s)
        elif not inp.text:
            s.say(msg.EMPTY_INPUT)
            self.flow.ask_current(s)
        else:
            self._answer_at_cursor(s, inp.text)

    def _answer_at_cursor(self, s: Session, text: str) -> None:
        """Typed text answers what the user was asked last."""
        cursor = s.user.cursor or self.flow.next_target(s)
        if cursor.kind is CursorKind.FIELD:
            self.respondent_info.answer_field(s, cursor.key, text)
        elif cursor.kind is CursorKind.UNION:
            self.respondent_info.answer_union(s, text)
        elif cursor.kind is CursorKind.ITEM and cursor.id in under_review.marked(s) and under_review.is_keep_word(text):
            self.answering.keep_item(s, cursor.id)
        elif cursor.kind is CursorKind.ITEM:
            self.answering.answer_item(s, cursor.id, text)
        elif self.flow.next_target(s).kind is not CursorKind.REVIEW:
            # Typed at the summary while something is still open: that next, not "all done".
            self.flow.go_next_with(s, msg.STILL_OPEN_HINT)
        else:
            self.review.show(s, note=msg.ALL_ANSWERED_HINT)

    # --- the yes/no to a pending question ------------------------------------------------------
    def _resolve_pending(self, s: Session, inp: UserInput) -> None:
        pending = s.user.pending
        if isinstance(pending, DeleteConfirmation):
            self.deletion.resolve(s, pending, inp)
            return
        assert isinstance(pending, (FieldConfirmation, NoneConfirmation))
        topic = str(inp.data.get("topic", "")) if inp.data else ""
        if topic and topic != confirm_topic(pending):
            s.say(msg.CONFIRM_EXPIRED)
            self.flow.ask_current(s)
            return
        s.user.pending = None
        if self.flow.locked(s):  # confirmed since the question was asked
            return
        yes = bool(inp.yes_no())
        if isinstance(pending, FieldConfirmation):
            self.respondent_info.resolve(s, pending, yes)
        else:
            self.answering.resolve_none(s, pending, yes)

    def _shown(self, item_id: str, value: Any) -> str:
        return "" if value is None else self.survey.format_value(item_id, value)


__all__ = ["Conversation"]
