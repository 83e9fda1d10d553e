"""The prefecture's desk in the chat: 進捗 都道府県名, 期限, 督促 for prefecture staff, and
職員追加 / 職員削除 / 職員一覧 for administrators (集計 stays the conversation's command).

Who may is decided here on what the bot read before the turn (Session.staff_prefecture:
the PREFECTURE_STAFF setting or an administrator's grant; Session.admin: ADMINS); the
reading and writing of Redis, and the replies that report it, are effects run after the
turn (bot/dialogs/desk_effects.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from bot.dialogs.desk_input import parse_deadline, parse_staff_grant, parse_staff_revoke
from bot.dialogs.inputs import UserInput
from bot.dialogs.effects import Progress, Remind, SetDeadline, Staff, StaffOp
from bot.dialogs.session import Session
from bot.messages import desk as msg
from bot.messages.conversation import command_word
from bot.survey.prefectures import resolve_prefecture

Handler = Callable[[Session, UserInput], None]


def _said_progress(inp: UserInput) -> bool:
    return inp.text.strip() in msg.PROGRESS_WORDS


def help_lines(s: Session) -> list[tuple[str, str]]:
    """The desk's lines of ヘルプ, for those who may use them."""
    lines = list(msg.HELP_STAFF) if s.staff_prefecture else []
    lines += list(msg.HELP_MINISTRY) if s.ministry else []
    return lines + (list(msg.HELP_ADMIN) if s.admin else [])


class Desk:
    def __init__(self, deadline: datetime, status: Handler) -> None:
        self.deadline = deadline  # the ministry's: no municipality's deadline may be later
        self._status = status  # the conversation's own 状況

    def commands(self) -> dict[str, Handler]:
        return {
            "status": self.status,
            "deadline": self.set_deadline,
            "remind": self.remind,
            "staff_add": self.staff_add,
            "staff_remove": self.staff_remove,
            "staff_list": self.staff_list,
        }

    # --- prefecture staff ---------------------------------------------------------------
    def status(self, s: Session, inp: UserInput) -> None:
        """状況 / 進捗: the user's own answer; with a prefecture (進捗 神奈川県), its progress,
        for that prefecture's staff, as 進捗 alone (or 状況 from staff with no answer of their
        own) is. Anything else after the word is the user's own 状況, as it always was, except
        for staff, who are told the prefecture is not known."""
        requested = inp.arg.strip()
        if not requested and s.staff_prefecture is not None and (s.answer is None or _said_progress(inp)):
            # Staff with no answer of their own, or who said 進捗: their prefecture's progress.
            s.effects.append(Progress(s.staff_prefecture))
            return
        code = resolve_prefecture(requested) if requested else None
        if code is None and (not requested or s.staff_prefecture is None):
            self._status(s, inp)
            return
        if code is None:
            s.say(msg.UNKNOWN_PREFECTURE.format(text=requested))
            return
        if s.staff_prefecture != code:
            s.say(msg.STAFF_ONLY.format(command=msg.PROGRESS_COMMAND) + msg.PROGRESS_OWN_HINT)
            return
        s.effects.append(Progress(code))

    def _staff_code(self, s: Session, command: str) -> str | None:
        """The staff member's prefecture, or None after saying they may not."""
        if s.staff_prefecture is None:
            s.say(msg.STAFF_ONLY.format(command=command_word(command)))
            return None
        return s.staff_prefecture

    def set_deadline(self, s: Session, inp: UserInput) -> None:
        code = self._staff_code(s, "deadline")
        if code is None:
            return
        text = inp.arg.strip()
        if not text:
            s.effects.append(SetDeadline(code))
            return
        if text in msg.DEADLINE_CLEAR_WORDS:
            s.effects.append(SetDeadline(code, clear=True))
            return
        parsed = parse_deadline(text, self.deadline)
        if not parsed.ok:
            s.say("\n".join(dict.fromkeys([parsed.error, msg.DEADLINE_USAGE])))
            return
        assert parsed.at is not None
        s.effects.append(SetDeadline(code, at=parsed.at.isoformat(timespec="minutes"), past=parsed.at < s.now))

    def remind(self, s: Session, inp: UserInput) -> None:
        code = self._staff_code(s, "remind")
        if code is None:
            return
        requested = inp.arg.strip()
        if requested and resolve_prefecture(requested) != code:
            s.say(msg.STAFF_ONLY.format(command=command_word("remind")))
            return
        s.effects.append(Remind(code))

    # --- administrators -----------------------------------------------------------------
    def _admin(self, s: Session, command: str) -> bool:
        if not s.admin:
            s.say(msg.ADMIN_ONLY.format(command=command_word(command)))
        return s.admin

    def staff_add(self, s: Session, inp: UserInput) -> None:
        if not self._admin(s, "staff_add"):
            return
        target = parse_staff_grant(inp.arg)
        if target.error:
            s.say(target.error)
            return
        s.effects.append(Staff(StaffOp.ADD, target.who, target.code))

    def staff_remove(self, s: Session, inp: UserInput) -> None:
        if not self._admin(s, "staff_remove"):
            return
        target = parse_staff_revoke(inp.arg)
        if target.error:
            s.say(target.error)
            return
        s.effects.append(Staff(StaffOp.REMOVE, target.who))

    def staff_list(self, s: Session, inp: UserInput) -> None:
        if self._admin(s, "staff_list"):
            s.effects.append(Staff(StaffOp.LIST))
