"""One turn's view of the stored state: the user's link and the answer they work on."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.config import JST
from bot.survey.model import AnswerRecord


@dataclass
class Reply:
    text: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Effect:
    """Work done after the state is saved (never repeated by a save retry)."""

    kind: str  # e.g. "export", "notify"
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Session:
    """Mutable, JSON-backed state of one turn. `user` and `answer` are the stored dicts."""

    user_key: str
    user_name: str
    conversation_id: str
    conversation_type: str
    user: dict[str, Any]
    answer: dict[str, Any] | None
    now: datetime = field(default_factory=lambda: datetime.now(JST))
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # history entries of this turn
    # Read before the turn by the bot (async), for commands that reach beyond the user's
    # own answer: a code's record, the answer it names, the history.
    code_lookup: Any = None  # state.codes.CodeLookup
    other: dict[str, Any] | None = None  # an answer the user reviews or joins
    other_id: str | None = None
    other_etag: str | None = None
    history: list[dict[str, Any]] | None = None
    switched: bool = False  # the user now works on `other` (参加)
    new_codes: list[tuple[str, str, str]] = field(default_factory=list)  # (code, purpose, answer_id)
    # The prefecture code when the user is prefecture staff (PREFECTURE_STAFF, or granted
    # by an administrator in the chat).
    staff_prefecture: str | None = None
    admin: bool = False  # the user is an administrator (ADMINS)
    # The deadline the prefecture of the user's answer set for it (期限), if any.
    prefecture_deadline: datetime | None = None
    # The 広域連合等 of the user's prefecture the bot knows (組織名s), read when a
    # 構成市町村 may be asked to name its own.
    known_unions: list[str] | None = None
    # The 回答シート dropped with this message, fetched and read before the turn when it is
    # to be offered for import (bot/dialogs/import_flow.DroppedFile).
    dropped_file: Any = None

    # --- the answer record ---------------------------------------------------
    def record(self) -> AnswerRecord:
        assert self.answer is not None
        return AnswerRecord.from_json(self.answer)

    def save_record(self, record: AnswerRecord) -> None:
        assert self.answer is not None
        self.answer.update(record.to_json())
        self.answer["updated_at"] = self.now.isoformat(timespec="seconds")

    @property
    def respondent(self) -> dict[str, str]:
        assert self.answer is not None
        return self.answer.setdefault("respondent", {})

    @property
    def answers(self) -> dict[str, Any]:
        assert self.answer is not None
        return self.answer.setdefault("answers", {})

    @property
    def notes(self) -> dict[str, str]:
        assert self.answer is not None
        return self.answer.setdefault("notes", {})

    @property
    def org_type(self) -> str | None:
        return self.respondent.get("org_type") if self.answer else None

    @property
    def confirmation(self) -> dict[str, Any]:
        assert self.answer is not None
        return self.answer.setdefault("confirmation", {})

    # --- the user's position -------------------------------------------------
    @property
    def cursor(self) -> dict[str, str] | None:
        return self.user.get("cursor")

    @cursor.setter
    def cursor(self, value: dict[str, str] | None) -> None:
        self.user["cursor"] = value

    @property
    def pending(self) -> dict[str, Any] | None:
        return self.user.get("pending")

    @pending.setter
    def pending(self, value: dict[str, Any] | None) -> None:
        if value is None:
            self.user.pop("pending", None)
        else:
            self.user["pending"] = value

    def say(self, text: str = "", *attachments: dict[str, Any]) -> None:
        self.replies.append(Reply(text=text, attachments=list(attachments)))

    def log(self, kind: str, answer_id: str | None = None, **details: Any) -> None:
        """A history entry, for the user's answer unless another `answer_id` is named."""
        target = answer_id or (self.answer or {}).get("answer_id")
        self.events.append(
            {"answer_id": target, "at": self.now.strftime("%Y-%m-%dT%H:%M"), "by": self.user_key,
             "name": self.user_name, "kind": kind, **details}
        )
