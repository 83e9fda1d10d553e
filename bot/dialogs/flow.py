"""What comes next, and how it is asked: the next empty 回答者情報 field, a 構成市町村's
広域連合等, the next item the engine names, or the summary; the question cards; where the
user stands. Every other part of the conversation moves on through `go_next_with`."""
from __future__ import annotations

import secrets
from typing import Callable

from bot import cards
from bot.dialogs import under_review, union_link
from bot.dialogs.records import REVIEW_CURSOR, UNION_CURSOR, Cursor, CursorKind
from bot.dialogs.review import Review
from bot.dialogs.session import Session
from bot.messages import conversation as msg
from bot.messages import union as union_msg
from bot.survey.engine import Survey
from bot.survey.model import RESPONDENT_FIELDS, RESPONDENT_LABELS, ROLE_MEMBER, AnswerRecord
from bot.survey.prefectures import prefecture_code_of_org, prefecture_name

FIELD_KEYS = [key for key, _ in RESPONDENT_FIELDS]


class Flow:
    def __init__(self, survey: Survey, review: Review, new_id: Callable[[], str] | None = None) -> None:
        self.survey = survey
        self.review = review
        self._new_id = new_id or (lambda: secrets.token_hex(12))

    # --- the answer ------------------------------------------------------------------------
    def open_answer(self, s: Session) -> None:
        """A new answer for a user who has none (開始, or an import into a new chat)."""
        answer_id = self._new_id()
        s.answer = AnswerRecord.new(answer_id, s.user_key, s.now.isoformat(timespec="seconds"))
        s.user.answer_id = answer_id
        s.user.paused = False

    def locked(self, s: Session) -> bool:
        """A confirmed answer is changed by nobody: says so."""
        if s.answer is not None and s.answer.confirmed:
            s.say(msg.LOCKED)
            return True
        return False

    # --- what comes next --------------------------------------------------------------------
    def next_target(self, s: Session) -> Cursor:
        respondent = s.record.respondent
        for key in FIELD_KEYS:
            if not respondent.get(key):
                return Cursor.at_field(key)
            if key == "org_name" and union_link.needs_union(s, self.survey.orgs):
                return UNION_CURSOR
        item = self.survey.next_item(s.org_type, s.record.answers, s.record.notes, under_review=under_review.marked(s))
        if item is not None:
            return Cursor.at_item(item.id)
        return REVIEW_CURSOR

    def heading_of(self, target: Cursor) -> str:
        if target.kind is CursorKind.FIELD:
            return RESPONDENT_LABELS[target.key]
        if target.kind is CursorKind.ITEM:
            return self.survey.item(target.id).heading
        if target.kind is CursorKind.UNION:
            return union_msg.LABEL
        return msg.REVIEW_HEADING

    def go_next(self, s: Session) -> None:
        self.go_next_with(s, "")

    def go_next_with(self, s: Session, note: str) -> None:
        """The acknowledgement and the next question in one message."""
        target = self.next_target(s)
        if target.kind is CursorKind.ITEM:
            self.ask_item(s, target.id, note=note)
        elif target.kind is CursorKind.FIELD:
            self.ask_field(s, target.key, note=note)
        elif target.kind is CursorKind.UNION:
            self.ask_union(s, note=note)
        else:
            self.review.show(s, note=note)

    def ask_current(self, s: Session) -> None:
        """The question the user is at, asked again (or what comes next)."""
        cursor = s.user.cursor
        if s.answer is None:
            self.welcome(s)
        elif cursor is not None and cursor.kind is CursorKind.FIELD:
            self.ask_field(s, cursor.key)
        elif cursor is not None and cursor.kind is CursorKind.UNION and self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
            self.ask_union(s)
        elif (cursor is not None and cursor.kind is CursorKind.ITEM
              and self.survey.is_applicable(cursor.id, s.org_type, s.record.answers)):
            self.ask_item(s, cursor.id)
        else:
            self.go_next(s)

    def offer_deciding_item(self, s: Session, item_id: str) -> bool:
        """An item not decided yet (a 構成市町村's 1-1 before Q13): the engine names the
        unanswered item that decides it, and that item is asked."""
        decider = self.survey.deciding_item(item_id, s.org_type, s.record.answers, s.record.notes)
        if decider is None:
            return False
        note = msg.EDIT_DECIDED_BY.format(
            heading=self.survey.item(item_id).heading, decider=self.survey.item(decider).heading)
        self.ask_item(s, decider, note=note)
        return True

    # --- greeting and resuming ----------------------------------------------------------------
    def welcome(self, s: Session) -> None:
        texts = self.survey.texts
        lines = [*([msg.EXAMPLE_NOTE] if texts.example else []), *filter(None, [texts.intro]), *msg.WELCOME_LINES]
        s.say("", cards.message_card(texts.title, lines, [(msg.BUTTON_START, "start"), (msg.BUTTON_HELP, "help")]))

    def offer_resume(self, s: Session) -> None:
        heading = self.heading_of(self.next_target(s))
        s.say("", cards.resume_card(self.progress_text(s), heading))
        self.go_next(s)

    def progress_text(self, s: Session) -> str:
        st = self.review.status(s)
        info_done = sum(1 for k in FIELD_KEYS if s.record.respondent.get(k))
        return (msg.PROGRESS_REVIEW if st.under_review else msg.PROGRESS).format(
            info=info_done, info_total=len(FIELD_KEYS), answered=len(st.answered),
            open=len(st.unanswered) + len(st.pending), na=len(st.not_applicable), review=len(st.under_review),
        )

    # --- the questions --------------------------------------------------------------------------
    def ask_field(self, s: Session, key: str, note: str = "") -> None:
        s.user.cursor = Cursor.at_field(key)
        position = (FIELD_KEYS.index(key) + 1, len(FIELD_KEYS))
        current = s.record.respondent.get(key) or None
        hint = msg.field_hint(key, self.survey.orgs.labels, self.survey.orgs.role(s.org_type))
        if key == "org_type":
            card = cards.org_type_card(hint, current, position, self.survey.orgs.labels)
        else:
            card = cards.field_card(key, RESPONDENT_LABELS[key], hint, current, position)
        s.say(note, card)

    def ask_union(self, s: Session, note: str = "") -> None:
        """A 構成市町村's 広域連合等: the known ones of its prefecture (read before the turn)."""
        s.user.cursor = UNION_CURSOR
        known = list(s.known_unions or [])
        prefecture = prefecture_name(prefecture_code_of_org(s.record.respondent.get("org_name", "")) or "") or ""
        member = self.survey.orgs.with_role(ROLE_MEMBER)
        hint = union_msg.HINT.format(question=member.union_question if member else "", item=self.survey.agreed_heading)
        lines = [hint, (union_msg.KNOWN if known else union_msg.NONE_KNOWN).format(prefecture=prefecture)]
        card = cards.union_card(
            union_msg.LABEL, lines, known, union_link.linked_union(s.answer) or None, union_msg.TYPE_IT,
            union_msg.INPUT_LABEL, union_msg.PLACEHOLDER, union_msg.SUBMIT,
        )
        s.say(note, card)

    def ask_item(self, s: Session, item_id: str, note: str = "") -> None:
        s.user.cursor = Cursor.at_item(item_id)
        survey, org, record = self.survey, s.org_type, s.record
        item = survey.item(item_id)
        current = record.answers.get(item_id)
        current_text = None
        if current is not None and (current != [] or record.has_note_none(item_id)):
            current_text = survey.describe_value(item_id, current)
        source = under_review.marked(s).get(item_id)
        review_note = msg.REVIEW_ITEM.format(source=survey.item(source).heading) if source else None
        card = cards.question_card(
            item, survey.prompt_text(item_id, org), survey.progress(item_id, org, record.answers),
            survey.reminders(item_id, org, record.answers), current_text,
            options=survey.options_for(item_id, org), review_note=review_note,
        )
        s.say(note, card)


__all__ = ["FIELD_KEYS", "Flow"]
