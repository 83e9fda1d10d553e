"""Runs a conversation against the pure Conversation, with the state in plain dicts.

No Redis, no HTTP, no botbuilder turn: each call is one turn of `Conversation.handle`
on the stored user and answer JSON (read through their declared shapes, written back
as JSON), as SurveyBot would run it. The replies come back
as the same `Replies` the end-to-end TeamsClient returns, so one transcript reads the
same in both suites.
"""
from __future__ import annotations

import copy
import itertools
from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable

from bot.delivery.download import MAX_BYTES
from bot.delivery.import_files import read_workbook
from bot.dialogs.conversation import Conversation
from bot.dialogs.import_flow import FILE_DOWNLOAD_INFO, DroppedFile, file_to_read, union_prefecture
from bot.dialogs.inputs import UserInput, read_input
from bot.dialogs.records import UserRecord
from bot.dialogs.session import Session
from bot.dialogs.union_link import prefecture_to_read
from bot.survey.engine import Survey, load_survey
from bot.survey.model import AnswerRecord
from bot.history_entry import HistoryEntry
from tests.cards import walk
from tests.e2e.transcripts import Step, check_step
from tests.fakes.teams import Replies

_ids = itertools.count(1)


@lru_cache(maxsize=1)
def survey() -> Survey:
    return load_survey()


class Transcript:
    """One user talking to the bot; `new_chat()` is the same user in another chat."""

    def __init__(
        self, user_key: str = "", user_name: str = "山田 太郎", *, deadline: datetime | None = None,
        staff_prefecture: str | None = None, admin: bool = False, prefecture_deadline: datetime | None = None,
        definition: Survey | None = None,
    ) -> None:
        self.user_key = user_key or f"user-{next(_ids)}"
        self.user_name = user_name
        self.conversation_id = f"chat-{next(_ids)}"
        self.conversation_type = "personal"
        extra = {"deadline": deadline} if deadline else {}
        self.survey = definition or survey()  # the 2307 survey unless another definition is given
        self.conversation = Conversation(self.survey, new_id=lambda: f"answer-{next(_ids)}", **extra)
        self.staff_prefecture = staff_prefecture  # as SurveyBot reads it (PREFECTURE_STAFF or a grant)
        self.admin = admin  # ADMINS
        self.prefecture_deadline = prefecture_deadline  # as SurveyBot reads it (期限 of the answer's prefecture)
        self.effects: list[Any] = []  # the last turn's effects (run by SurveyBot after the save)
        # The known 広域連合等 by prefecture code, as SurveyBot.read_beyond reads them (Q13Board).
        self.known_unions: dict[str, list[str]] = {}
        self.unions_read: list[str] = []  # the prefectures read, turn by turn
        self.files_read: list[str] = []  # the dropped files fetched and read before a turn
        self.history: list[dict[str, Any]] = []  # every turn's history entries, as saved
        self.user: dict[str, Any] = {}  # the user record's JSON, as saved
        self.stored: dict[str, Any] | None = None  # the answer record's JSON, as saved
        self.last = Replies()
        self.last_effects: list[Any] = []  # the effects of the last turn (run by SurveyBot after the save)

    # --- turns ---------------------------------------------------------------------
    def _turn(self, run: Any, inp: UserInput | None = None, dropped: bytes | str | None = None) -> Replies:
        # A turn works on copies and "saves" them at the end, like TurnStore does.
        session = Session(
            user_key=self.user_key,
            user_name=self.user_name,
            conversation_id=self.conversation_id,
            conversation_type=self.conversation_type,
            user=UserRecord.from_json(copy.deepcopy(self.user)),
            answer=AnswerRecord.from_json(copy.deepcopy(self.stored)) if self.stored is not None else None,
            staff_prefecture=self.staff_prefecture,
            admin=self.admin,
            prefecture_deadline=self.prefecture_deadline,
        )
        orgs = self.survey.orgs
        prefecture = prefecture_to_read(session, inp, orgs) or union_prefecture(session, inp, orgs)
        if prefecture is not None:
            self.unions_read.append(prefecture)
            session.known_unions = list(self.known_unions.get(prefecture, []))
        attachment = file_to_read(session, inp)
        if attachment is not None:
            # As SurveyBot has ImportFiles fetch and read it: the bytes, or why not (str).
            self.files_read.append(attachment["name"])
            name = attachment["name"]
            session.dropped_file = (
                read_workbook(self.survey, name, dropped, MAX_BYTES) if isinstance(dropped, bytes)
                else DroppedFile(name, error=str(dropped))
            )
        if inp is not None and inp.command == "history" and session.answer is not None:
            mine = [e for e in self.history if e["answer_id"] == session.answer.answer_id][-50:]
            session.history = [HistoryEntry.from_json(e, "history") for e in mine]  # as History.read gives them
        run(session)
        self.history += session.events
        self.last_effects = list(session.effects)
        self.user = session.user.to_json()
        self.stored = session.answer.to_json() if session.answer is not None else None
        self.effects = list(session.effects)
        self.last = Replies(
            {"type": "message", "text": reply.text, "attachments": reply.attachments} for reply in session.replies
        )
        return self.last

    def say(self, text: str) -> Replies:
        inp = read_input(text, None)
        return self._turn(lambda s: self.conversation.handle(s, inp), inp)

    def submit(self, data: dict[str, Any]) -> Replies:
        inp = read_input("", data)
        return self._turn(lambda s: self.conversation.handle(s, inp), inp)

    def click(self, title: str) -> Replies:
        """Clicks the button `title` of the last turn's cards."""
        return self.submit(dict(self.last.action(title)["data"]))

    def drop(self, *files: tuple[str, bytes | str], text: str = "") -> Replies:
        """Files dropped into the chat, (name, the bytes served or the download's failure
        message), with `text` typed beside them."""
        attachments = [
            {"contentType": FILE_DOWNLOAD_INFO, "name": name, "contentUrl": f"https://contoso.sharepoint.com/{name}",
             "content": {"downloadUrl": f"https://contoso.sharepoint.com/{name}", "fileType": "xlsx"}}
            for name, _ in files
        ]
        inp = read_input(text, None, attachments)
        served = files[0][1] if len(files) == 1 else None
        return self._turn(lambda s: self.conversation.handle(s, inp), inp, served)

    def welcome(self) -> Replies:
        """The bot added to a chat (conversationUpdate)."""
        return self._turn(self.conversation.welcome)

    def send(self, what: str | dict[str, Any]) -> Replies:
        return self.say(what) if isinstance(what, str) else self.submit(what)

    def new_chat(self) -> "Transcript":
        """The same user (same stored state) in a fresh conversation."""
        self.conversation_id = f"chat-{next(_ids)}"
        return self

    def play(self, steps: Iterable[Step]) -> Replies:
        for number, step in enumerate(steps, 1):
            check_step(step, self.send(step.send), number)
        return self.last

    # --- stored state ----------------------------------------------------------------
    @property
    def answers(self) -> dict[str, Any]:
        return copy.deepcopy((self.stored or {}).get("answers", {}))

    @property
    def respondent(self) -> dict[str, str]:
        return copy.deepcopy((self.stored or {}).get("respondent", {}))

    def snapshot(self) -> dict[str, Any]:
        """Everything stored about the answer (for before/after comparisons)."""
        record = copy.deepcopy(self.stored or {})
        record.pop("updated_at", None)
        return record


def review_rows(replies: Replies) -> dict[str, str]:
    """The review card's answer rows, wherever the card nests them: heading -> the texts
    of its value column joined by a space (「要確認 ①…」 for an item under review)."""

    rows: dict[str, str] = {}
    for card in replies.cards:
        for node in walk(card.get("body", [])):
            if node.get("type") == "ColumnSet" and len(node.get("columns", [])) == 2:
                heading_col, value_col = node["columns"]
                rows[heading_col["items"][0]["text"]] = " ".join(b["text"] for b in value_col["items"])
    return rows
