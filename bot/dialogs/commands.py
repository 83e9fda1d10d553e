"""The conversation's own commands: 開始, 再開, 質問に戻る, 中断, ヘルプ, 説明, 迷っている, 戻る,
修正, 状況, 住所比較, 一覧, まとめて入力, 出力, 集計. Teamwork, 削除依頼 and 取込 register
theirs beside these (bot/dialogs/conversation.py)."""
from __future__ import annotations

from typing import Callable

from bot import cards
from bot.dialogs import desk, union_link
from bot.dialogs.effects import Collect, Export
from bot.dialogs.flow import FIELD_KEYS, Flow
from bot.dialogs.inputs import UserInput, dropped_files
from bot.dialogs.records import CursorKind
from bot.dialogs.review import Review, confirmation_line
from bot.dialogs.session import Session
from bot.messages import conversation as msg
from bot.messages import deadlines
from bot.survey.address import compare_addresses, format_comparison, split_address_pair
from bot.survey.engine import Survey
from bot.survey.model import RESPONDENT_FIELDS, ROLE_MEMBER

Command = Callable[[Session, UserInput], None]


def field_key(text: str) -> str | None:
    """A 回答者情報 field named by its label or key (修正 電話番号)."""
    for key, label in RESPONDENT_FIELDS:
        if text == label or text == key:
            return key
    return None


class Commands:
    def __init__(self, survey: Survey, flow: Flow, review: Review) -> None:
        self.survey = survey
        self.flow = flow
        self.review = review

    def commands(self) -> dict[str, Command]:
        return {
            "start": self.start,
            "resume": self.resume,
            "question": self.question,
            "help": self.help,
            "explain": self.explain,
            "doubt": self.doubt,
            "back": self.back,
            "edit": self.edit,
            "status": self.status,
            "pause": self.pause,
            "address": self.address,
            "review": self.show_review,
            "form": self.form,
            "export": self.export,
            "collect": self.collect,
        }

    # --- moving about ------------------------------------------------------------------------
    def start(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            self.flow.open_answer(s)
            s.log("start")
            self.flow.go_next_with(s, msg.STARTED)
            return
        s.user.paused = False
        self.flow.go_next_with(s, msg.CONTINUING.format(progress=self.flow.progress_text(s)))

    def resume(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NOTHING_TO_RESUME)
            self.flow.welcome(s)
            return
        s.user.paused = False
        self.flow.go_next_with(s, msg.RESUMED.format(progress=self.flow.progress_text(s)))

    def question(self, s: Session, inp: UserInput) -> None:
        """Back to the question after 説明 / 迷っている: the question, without a word."""
        s.user.paused = False
        self.flow.ask_current(s)

    def pause(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NOTHING_TO_PAUSE)
            return
        s.user.paused = True
        s.say(msg.PAUSED.format(progress=self.flow.progress_text(s)))

    def back(self, s: Session, inp: UserInput) -> None:
        flow = self.flow
        if s.answer is None:
            flow.welcome(s)
            return
        cursor = s.user.cursor
        kind = cursor.kind if cursor is not None else None
        if cursor is not None and kind is CursorKind.ITEM:
            prev = self.survey.previous_item(cursor.id, s.org_type, s.record.answers)
            if prev is not None:
                flow.ask_item(s, prev.id)
                return
            flow.ask_field(s, FIELD_KEYS[-1])
            return
        if kind is CursorKind.UNION:
            flow.ask_field(s, "org_name")
            return
        if cursor is not None and kind is CursorKind.FIELD:
            index = FIELD_KEYS.index(cursor.key)
            if index == 0:
                s.say(msg.AT_START)
                flow.ask_field(s, FIELD_KEYS[0])
                return
            if FIELD_KEYS[index - 1] == "org_name" and self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
                flow.ask_union(s)
                return
            flow.ask_field(s, FIELD_KEYS[index - 1])
            return
        applicable = self.survey.applicable_items(s.org_type, s.record.answers)
        if applicable:
            flow.ask_item(s, applicable[-1].id)
        else:
            flow.ask_field(s, FIELD_KEYS[-1])

    def edit(self, s: Session, inp: UserInput) -> None:
        flow = self.flow
        if s.answer is None:
            flow.welcome(s)
            return
        target = inp.arg.strip()
        if not target:
            s.say(msg.EDIT_USAGE.format(example=self.survey.texts.edit_example))
            return
        if flow.locked(s):
            return
        key = field_key(target)
        if key:
            flow.ask_field(s, key)
            return
        if target in union_link.EDIT_WORDS and self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
            flow.ask_union(s)
            return
        item_id = self.survey.resolve_item_id(target)
        if item_id is None:
            s.say(msg.EDIT_UNKNOWN.format(target=target, example=self.survey.texts.edit_example))
            return
        if not self.survey.is_applicable(item_id, s.org_type, s.record.answers):
            if not flow.offer_deciding_item(s, item_id):
                s.say(msg.EDIT_NOT_APPLICABLE.format(heading=self.survey.item(item_id).heading))
            return
        flow.ask_item(s, item_id)

    # --- help -----------------------------------------------------------------------------------
    def help(self, s: Session, inp: UserInput) -> None:
        review, texts = self.review, self.survey.texts
        lines = [*msg.help_lines(texts.edit_example, texts.explain_terms, texts.doubt_source), *desk.help_lines(s),
                 (deadlines.TITLE, review.deadline_text(s)), (msg.WHERE_TITLE, review.where(s))]
        notes = [msg.NOTE_QUOTE.format(text=text) for text in texts.notes] + [texts.notes_reading]
        contacts = [(c.who, *c.lines) for c in texts.contacts]
        sections = [(texts.notes_title, list(filter(None, notes))), (msg.CONTACTS_TITLE, contacts)]
        sections = [(title, rows) for title, rows in sections if rows]
        s.say("", cards.help_card(msg.HELP_TITLE, lines, sections))

    def explain(self, s: Session, inp: UserInput) -> None:
        glossary = self.survey.glossary
        if inp.arg:
            term = self._find_term(inp.arg)
            if term is None:
                s.say(msg.UNKNOWN_TERM.format(term=inp.arg, terms="、".join(glossary)))
                return
            s.say("", cards.explain_card(msg.EXPLAIN_TITLE, [(term, glossary[term])]))
            return
        cursor = s.user.cursor if s.answer is not None else None
        if cursor is not None and cursor.kind is CursorKind.ITEM:
            item = self.survey.item(cursor.id)
            terms = self.survey.explain(item.id)
            if not terms:
                s.say(msg.NO_TERMS.format(heading=item.heading, terms="、".join(glossary)))
                return
            s.say("", cards.explain_card(
                msg.EXPLAIN_ITEM_TITLE.format(heading=item.heading), terms, actions=self._item_actions()))
            return
        if cursor is not None and cursor.kind is CursorKind.FIELD:
            s.say(msg.field_hint(cursor.key, self.survey.orgs.labels, self.survey.orgs.role(s.org_type)))
            return
        s.say(msg.EXPLAIN_WHICH.format(terms="、".join(glossary)))

    def _find_term(self, text: str) -> str | None:
        key = text.strip().replace(" ", "")
        if key in self.survey.glossary:
            return key
        matches = [t for t in self.survey.glossary if key in t or t in key]
        return matches[0] if len(matches) == 1 else None

    def doubt(self, s: Session, inp: UserInput) -> None:
        cursor = s.user.cursor if s.answer is not None else None
        lines = list(self.survey.doubt_parts)
        if cursor is not None and cursor.kind is CursorKind.ITEM:
            item = self.survey.item(cursor.id)
            if item.cautious:
                lines.append(msg.DOUBT_ITEM.format(heading=item.heading, text=item.cautious))
            if item.cautious_option:
                label = self.survey.options_for(item.id, s.org_type)[item.cautious_option - 1].label
                lines.append(msg.DOUBT_OPTION.format(label=label))
            lines.append(msg.DOUBT_YOU_DECIDE)
        s.say("", cards.message_card(msg.DOUBT_TITLE, lines, self._item_actions()))

    @staticmethod
    def _item_actions() -> list[tuple[str, str]]:
        return [(msg.BUTTON_BACK_TO_QUESTION, "question")]

    # --- where the answer stands ------------------------------------------------------------------
    def status(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER_YET)
            return
        st = self.review.status(s)
        info_done = sum(1 for k in FIELD_KEYS if s.record.respondent.get(k))
        heading = lambda ids: "、".join(self.survey.item(i).heading for i in ids) or msg.NONE  # noqa: E731
        still_open = self.survey.open_items(st)
        lines = [
            msg.STATUS_INFO.format(done=info_done, total=len(FIELD_KEYS)),
            msg.STATUS_ANSWERED.format(n=len(st.answered)),
            msg.STATUS_UNANSWERED.format(n=len(still_open), items=heading(still_open)),
            msg.STATUS_UNDER_REVIEW.format(n=len(st.under_review), items=heading(st.under_review)) if st.under_review else "",
            msg.STATUS_NA.format(n=len(st.not_applicable), items=heading(st.not_applicable)),
            confirmation_line(s.record.confirmation),
            self.review.deadline_text(s),
        ]
        lines = [line for line in lines if line]
        if s.user.paused:
            lines.append(msg.STATUS_PAUSED)
        s.say("", cards.status_card(lines, [(msg.BUTTON_RESUME, "resume"), (msg.BUTTON_REVIEW, "review")]))

    def show_review(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            self.flow.welcome(s)
            return
        self.review.show(s)

    def address(self, s: Session, inp: UserInput) -> None:
        parts = split_address_pair(inp.arg)
        if parts is None:
            s.say(msg.ADDRESS_USAGE)
            return
        s.say(format_comparison(compare_addresses(*parts)))

    def form(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER_YET)
            return
        s.say("", cards.respondent_form_card(dict(s.record.respondent), self.survey.orgs.labels))

    # --- files ----------------------------------------------------------------------------------
    def export(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER_YET)
            return
        st = self.review.status(s)
        info_open = sum(1 for k in FIELD_KEYS if not s.record.respondent.get(k))
        still_open = self.survey.open_items(st)
        parts = [
            msg.EXPORT_OPEN_INFO.format(n=info_open) if info_open else "",
            msg.EXPORT_OPEN_ITEMS.format(n=len(still_open)) if still_open else "",
            msg.EXPORT_UNDER_REVIEW.format(n=len(st.under_review)) if st.under_review else "",
        ]
        parts = [p for p in parts if p]
        lines = [msg.EXPORT_UNFINISHED.format(parts="、".join(parts))] if parts else []
        lines += self.survey.finish_notes(s.org_type, s.record.answers)
        if lines:
            s.say("\n".join(lines))
        s.effects.append(Export(s.record.answer_id))

    def collect(self, s: Session, inp: UserInput) -> None:
        s.effects.append(Collect(inp.arg.strip(), dropped_files(inp)))


__all__ = ["Command", "Commands", "field_key"]
