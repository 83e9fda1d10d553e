"""One turn's state: the user's record and the answer they work on (declared shapes, read
from their JSON before the turn), what the bot read beyond them, and what the turn says,
logs and asks to be done after the save."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.dialogs.codes import CodeLookup, NewCode
from bot.dialogs.effects import Effect
from bot.dialogs.records import UserRecord
from bot.history_entry import HistoryEntry, HistoryKind
from bot.jst import JST
from bot.survey.model import AnswerRecord

if TYPE_CHECKING:
    from bot.export.record_reader import ReadRecord


@dataclass
class Reply:
    text: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class DroppedFile:
    """A 回答シート dropped with the message, fetched and read before the turn
    (bot/delivery/import_files.py): the reader's record, or why not."""

    filename: str
    read: "ReadRecord | None" = None
    error: str = ""  # the downloader's one message, or the reader's reason


@dataclass
class Session:
    """What one turn works on. `user` and `answer` are changed in place; the bot writes
    them back as JSON after the turn (bot/dialogs/survey_bot.py)."""

    user_key: str
    user_name: str
    conversation_id: str
    conversation_type: str
    user: UserRecord
    answer: AnswerRecord | None
    now: datetime = field(default_factory=lambda: datetime.now(JST))
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # history entries of this turn
    # Read before the turn by the bot, for commands that reach beyond the user's own
    # answer: a code's record, the answer it names (or the one under review), the history.
    code_lookup: CodeLookup | None = None
    other: AnswerRecord | None = None  # an answer the user reviews or joins
    history: list[HistoryEntry] | None = None
    switched: bool = False  # the user now works on `other` (参加)
    new_codes: list[NewCode] = field(default_factory=list)  # stored in the turn's save
    # The prefecture code when the user is prefecture staff (PREFECTURE_STAFF, or granted
    # by an administrator in the chat).
    staff_prefecture: str | None = None
    admin: bool = False  # the user is an administrator (ADMINS)
    ministry: bool = False  # the user is the ministry's staff (MINISTRY_STAFF): 集計 全国
    # The deadline the prefecture of the user's answer set for it (期限), if any.
    prefecture_deadline: datetime | None = None
    # The 広域連合等 of the user's prefecture the bot knows (組織名s), read when a
    # 構成市町村 may be asked to name its own.
    known_unions: list[str] | None = None
    # The 回答シート dropped with this message, when it is to be offered for import.
    dropped_file: DroppedFile | None = None

    @property
    def record(self) -> AnswerRecord:
        """The answer the user works on; for steps that run only when there is one."""
        assert self.answer is not None, "this step needs the user's answer"
        return self.answer

    @property
    def org_type(self) -> str | None:
        return self.answer.org_type if self.answer is not None else None

    def say(self, text: str = "", *attachments: dict[str, Any]) -> None:
        self.replies.append(Reply(text=text, attachments=list(attachments)))

    def log(self, kind: str, answer_id: str | None = None, **details: Any) -> None:
        """A history entry (bot/history_entry.py), for the user's answer unless another
        `answer_id` is named. A kind that is not declared there is a programming error."""
        kind = HistoryKind(kind).value
        target = answer_id or (self.answer.answer_id if self.answer is not None else None)
        self.events.append(
            {"answer_id": target, "at": self.now.strftime("%Y-%m-%dT%H:%M"), "by": self.user_key,
             "name": self.user_name, "kind": kind, **details}
        )
