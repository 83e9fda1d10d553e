"""The survey conversation: what to say to one input, given the stored state.

Plain code over JSON state: no I/O here, so a turn can be re-run on a fresh read when a
concurrent write wins (the caller saves, then sends the replies). Every skip rule is the
engine's; this module only asks it what comes next.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Callable, Collection, Mapping

from bot import cards
from bot.cards.common import ACTION_FORM, ACTION_KEEP, ACTION_UNION
from bot.dialogs.deletion import Deletion
from bot.dialogs.import_flow import ImportFlow
from bot.dialogs.inputs import UserInput
from bot.dialogs.limits import message_refusal
from bot.dialogs.session import Effect, Session
from bot.dialogs import desk
from bot.dialogs import under_review as review
from bot.dialogs import union_link
from bot.dialogs.teamwork import Teamwork, withdraw_on_change
from bot.messages import conversation as msg
from bot.messages import deadlines
from bot.messages import union as union_msg
from bot.messages.dates import wareki_datetime
from bot.messages.deadlines import deadline_notice
from bot.survey.address import compare_addresses, format_comparison, split_address_pair
from bot.survey.engine import Status, Survey
from bot.survey.model import (
    KIND_MULTI,
    ROLE_MEMBER,
    ROLE_PREFECTURE,
    ROLE_UNION,
    circled,
    RESPONDENT_FIELDS,
    RESPONDENT_LABELS,
)
from bot.survey.prefectures import prefecture_code_of_org, prefecture_name
from bot.survey.listed_org import parse_listed_field
from bot.survey.respondent import parse_field
from bot.survey.union_link import read_union_name

FIELD_KEYS = [key for key, _ in RESPONDENT_FIELDS]
UNION = union_link.CURSOR  # cursor kind: a 構成市町村 naming its 広域連合等


def new_answer(answer_id: str, user_key: str, now_iso: str) -> dict[str, Any]:
    return {
        "answer_id": answer_id,
        "respondent": {},
        "answers": {},
        "notes": {},
        "confirmation": {"status": "draft"},
        "members": [user_key],
        "created_by": user_key,
        "created_at": now_iso,
        "updated_at": now_iso,
    }


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
        self.deadline = deadline or survey.texts.deadline
        self._new_id = new_id or (lambda: secrets.token_hex(12))
        self._commands: dict[str, Callable[[Session, UserInput], None]] = {
            "start": self._cmd_start,
            "resume": self._cmd_resume,
            "question": self._cmd_question,
            "help": self._cmd_help,
            "explain": self._cmd_explain,
            "doubt": self._cmd_doubt,
            "back": self._cmd_back,
            "edit": self._cmd_edit,
            "status": self._cmd_status,
            "pause": self._cmd_pause,
            "address": self._cmd_address,
            "review": self._cmd_review,
            "form": self._cmd_form,
            "export": self._cmd_export,
            "collect": self._cmd_collect,
        }
        self._commands.update(Teamwork(self).commands())
        self._commands.update(desk.Desk(self.deadline, status=self._cmd_status).commands())
        deletion = Deletion(self, admins)
        self._commands.update(deletion.commands())
        # Yes/no questions asked by other modules, answered by them (by pending topic).
        self._resolvers = deletion.resolvers()
        self._imports = ImportFlow(self)
        self._commands.update(self._imports.commands())

    # ------------------------------------------------------------------ entry
    def handle(self, s: Session, inp: UserInput) -> None:
        refusal = message_refusal(inp)
        if refusal:  # nothing of an oversized message is read, stored or logged
            s.say(refusal)
            return
        new_chat = bool(s.user.get("conversation_id")) and s.user.get("conversation_id") != s.conversation_id
        s.user["conversation_id"] = s.conversation_id
        if s.user.get("name") != s.user_name:
            s.effects.append(Effect("index_name", {"old": s.user.get("name", ""), "new": s.user_name}))
            s.user["name"] = s.user_name
        if self._imports.intercept(s, inp):  # a dropped 回答シート, or a yes/no to its offer
            return

        if inp.command:
            handler = self._commands.get(inp.command)
            if handler is None:
                s.say(msg.NOT_AVAILABLE.format(command=inp.text or inp.command))
                return
            s.pending = None
            handler(s, inp)
            return

        if _files(inp):
            # Hand-filled workbooks dropped into the chat, for the prefecture list.
            s.effects.append(Effect("receive_files", {"attachments": _files(inp)}))
            return

        if s.answer is None:
            self._welcome(s)
            return

        if s.pending is not None:
            if inp.data.get("action") == "confirm" or (not inp.data and inp.yes_no() is not None):
                self._resolve_pending(s, inp)
                return
            # Anything else answers the question afresh; a stale "yes" must never land later.
            s.pending = None

        if not inp.data and (s.user.get("paused") or new_chat):
            s.user["paused"] = False
            self._offer_resume(s)
            return

        action = inp.data.get("action")
        if action == "answer":
            self._answer_item(s, str(inp.data.get("item", "")), str(inp.data.get("value", "") or ""))
        elif action == "field":
            self._answer_field(s, str(inp.data.get("field", "")), str(inp.data.get("value", "") or ""))
        elif action == ACTION_FORM:
            self._answer_form(s, inp.data)
        elif action == ACTION_UNION:
            self._answer_union(s, str(inp.data.get("value", "") or ""))
        elif action == ACTION_KEEP:
            self._keep_item(s, str(inp.data.get("item", "")))
        elif action == "confirm":
            s.say(msg.CONFIRM_EXPIRED)
            self._ask_current(s)
        elif inp.data:
            s.say(msg.UNKNOWN_SUBMIT)
            self._ask_current(s)
        elif not inp.text:
            s.say(msg.EMPTY_INPUT)
            self._ask_current(s)
        else:
            self._answer_at_cursor(s, inp.text)

    def welcome(self, s: Session) -> None:
        """Greeting for a new chat (conversationUpdate), resuming when there is an answer."""
        if s.answer is None:
            self._welcome(s)
        else:
            s.user["conversation_id"] = s.conversation_id
            self._offer_resume(s)

    # --------------------------------------------------------------- commands
    def open_answer(self, s: Session) -> None:
        """A new answer for a user who has none (開始, or an import into a new chat)."""
        answer_id = self._new_id()
        s.answer = new_answer(answer_id, s.user_key, s.now.isoformat(timespec="seconds"))
        s.user["answer_id"] = answer_id
        s.user["paused"] = False

    def _cmd_start(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            self.open_answer(s)
            s.log("start")
            self._go_next_with(s, msg.STARTED)
            return
        s.user["paused"] = False
        self._go_next_with(s, msg.CONTINUING.format(progress=self._progress_text(s)))

    def _cmd_resume(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NOTHING_TO_RESUME)
            self._welcome(s)
            return
        s.user["paused"] = False
        self._go_next_with(s, msg.RESUMED.format(progress=self._progress_text(s)))

    def _cmd_question(self, s: Session, inp: UserInput) -> None:
        """Back to the question after 説明 / 迷っている: the question, without a word."""
        s.user["paused"] = False
        self._ask_current(s)

    def _cmd_pause(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NOTHING_TO_PAUSE)
            return
        s.user["paused"] = True
        s.say(msg.PAUSED.format(progress=self._progress_text(s)))

    def _cmd_help(self, s: Session, inp: UserInput) -> None:
        texts = self.survey.texts
        lines = [*msg.help_lines(texts.edit_example, texts.explain_terms, texts.doubt_source), *desk.help_lines(s),
                 (deadlines.TITLE, self._deadline(s)), (msg.WHERE_TITLE, self._where(s))]
        notes = [msg.NOTE_QUOTE.format(text=text) for text in texts.notes] + [texts.notes_reading]
        contacts = [(c.who, *c.lines) for c in texts.contacts]
        sections = [(texts.notes_title, list(filter(None, notes))), (msg.CONTACTS_TITLE, contacts)]
        sections = [(title, rows) for title, rows in sections if rows]
        s.say("", cards.help_card(msg.HELP_TITLE, lines, sections))

    def _cmd_explain(self, s: Session, inp: UserInput) -> None:
        if inp.arg:
            term = self._find_term(inp.arg)
            if term is None:
                s.say(msg.UNKNOWN_TERM.format(term=inp.arg, terms="、".join(self.survey.glossary)))
                return
            s.say("", cards.explain_card(msg.EXPLAIN_TITLE, [(term, self.survey.glossary[term])]))
            return
        cursor = s.cursor if s.answer else None
        if cursor and cursor.get("kind") == "item":
            item = self.survey.item(cursor["id"])
            terms = self.survey.explain(item.id)
            if not terms:
                s.say(msg.NO_TERMS.format(heading=item.heading, terms="、".join(self.survey.glossary)))
                return
            s.say("", cards.explain_card(
                msg.EXPLAIN_ITEM_TITLE.format(heading=item.heading), terms, actions=self._item_actions()))
            return
        if cursor and cursor.get("kind") == "field":
            s.say(msg.field_hint(cursor["key"], self.survey.orgs.labels))
            return
        s.say(msg.EXPLAIN_WHICH.format(terms="、".join(self.survey.glossary)))

    def _find_term(self, text: str) -> str | None:
        key = text.strip().replace(" ", "")
        if key in self.survey.glossary:
            return key
        matches = [t for t in self.survey.glossary if key in t or t in key]
        return matches[0] if len(matches) == 1 else None

    def _cmd_doubt(self, s: Session, inp: UserInput) -> None:
        cursor = s.cursor if s.answer else None
        lines = list(self.survey.doubt_parts)
        if cursor and cursor.get("kind") == "item":
            item = self.survey.item(cursor["id"])
            if item.cautious:
                lines.append(msg.DOUBT_ITEM.format(heading=item.heading, text=item.cautious))
            if item.cautious_option:
                label = self.survey.options_for(item.id, s.org_type)[item.cautious_option - 1].label
                lines.append(msg.DOUBT_OPTION.format(label=label))
            lines.append(msg.DOUBT_YOU_DECIDE)
        s.say("", cards.message_card(msg.DOUBT_TITLE, lines, self._item_actions()))

    def _cmd_back(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            self._welcome(s)
            return
        cursor = s.cursor or {}
        if cursor.get("kind") == "item":
            prev = self.survey.previous_item(cursor["id"], s.org_type, s.answers)
            if prev is not None:
                self._ask_item(s, prev.id)
                return
            self._ask_field(s, FIELD_KEYS[-1])
            return
        if cursor.get("kind") == UNION:
            self._ask_field(s, "org_name")
            return
        if cursor.get("kind") == "field":
            index = FIELD_KEYS.index(cursor["key"])
            if index == 0:
                s.say(msg.AT_START)
                self._ask_field(s, FIELD_KEYS[0])
                return
            if FIELD_KEYS[index - 1] == "org_name" and self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
                self._ask_union(s)
                return
            self._ask_field(s, FIELD_KEYS[index - 1])
            return
        applicable = self.survey.applicable_items(s.org_type, s.answers)
        if applicable:
            self._ask_item(s, applicable[-1].id)
        else:
            self._ask_field(s, FIELD_KEYS[-1])

    def _cmd_edit(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            self._welcome(s)
            return
        target = inp.arg.strip()
        if not target:
            s.say(msg.EDIT_USAGE.format(example=self.survey.texts.edit_example))
            return
        if self._locked(s):
            return
        field_key = _field_key(target)
        if field_key:
            self._ask_field(s, field_key)
            return
        if target in union_link.EDIT_WORDS and self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
            self._ask_union(s)
            return
        item_id = self.survey.resolve_item_id(target)
        if item_id is None:
            s.say(msg.EDIT_UNKNOWN.format(target=target, example=self.survey.texts.edit_example))
            return
        if not self.survey.is_applicable(item_id, s.org_type, s.answers):
            if not self._offer_deciding_item(s, item_id):
                s.say(msg.EDIT_NOT_APPLICABLE.format(heading=self.survey.item(item_id).heading))
            return
        self._ask_item(s, item_id)

    def _offer_deciding_item(self, s: Session, item_id: str) -> bool:
        """An item not decided yet (a 構成市町村's 1-1 before Q13): the engine names the
        unanswered item that decides it, and that item is asked."""
        decider = self.survey.deciding_item(item_id, s.org_type, s.answers, s.notes)
        if decider is None:
            return False
        note = msg.EDIT_DECIDED_BY.format(
            heading=self.survey.item(item_id).heading, decider=self.survey.item(decider).heading)
        self._ask_item(s, decider, note=note)
        return True

    def _cmd_status(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER_YET)
            return
        st = self._status(s)
        info_done = sum(1 for k in FIELD_KEYS if s.respondent.get(k))
        heading = lambda ids: "、".join(self.survey.item(i).heading for i in ids) or msg.NONE  # noqa: E731
        still_open = self.survey.open_items(st)
        lines = [
            msg.STATUS_INFO.format(done=info_done, total=len(FIELD_KEYS)),
            msg.STATUS_ANSWERED.format(n=len(st.answered)),
            msg.STATUS_UNANSWERED.format(n=len(still_open), items=heading(still_open)),
            msg.STATUS_UNDER_REVIEW.format(n=len(st.under_review), items=heading(st.under_review)) if st.under_review else "",
            msg.STATUS_NA.format(n=len(st.not_applicable), items=heading(st.not_applicable)),
            confirmation_line(s.confirmation),
            self._deadline(s),
        ]
        lines = [line for line in lines if line]
        if s.user.get("paused"):
            lines.append(msg.STATUS_PAUSED)
        s.say("", cards.status_card(lines, [(msg.BUTTON_RESUME, "再開"), (msg.BUTTON_REVIEW, "一覧")]))

    def _cmd_address(self, s: Session, inp: UserInput) -> None:
        parts = split_address_pair(inp.arg)
        if parts is None:
            s.say(msg.ADDRESS_USAGE)
            return
        s.say(format_comparison(compare_addresses(*parts)))

    def _cmd_review(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            self._welcome(s)
            return
        self._show_review(s)

    def _cmd_form(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER_YET)
            return
        s.say("", cards.respondent_form_card(dict(s.respondent), self.survey.orgs.labels))

    def _cmd_export(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER_YET)
            return
        st = self._status(s)
        info_open = sum(1 for k in FIELD_KEYS if not s.respondent.get(k))
        parts = [
            msg.EXPORT_OPEN_INFO.format(n=info_open) if info_open else "",
            msg.EXPORT_OPEN_ITEMS.format(n=len(self.survey.open_items(st))) if self.survey.open_items(st) else "",
            msg.EXPORT_UNDER_REVIEW.format(n=len(st.under_review)) if st.under_review else "",
        ]
        parts = [p for p in parts if p]
        lines = [msg.EXPORT_UNFINISHED.format(parts="、".join(parts))] if parts else []
        lines += self.survey.finish_notes(s.org_type, s.answers)
        if lines:
            s.say("\n".join(lines))
        s.effects.append(Effect("export", {"answer_id": s.answer["answer_id"]}))

    def _cmd_collect(self, s: Session, inp: UserInput) -> None:
        s.effects.append(Effect("collect", {"prefecture": inp.arg.strip(), "attachments": _files(inp)}))

    # ------------------------------------------------------------------ flows
    def _welcome(self, s: Session) -> None:
        texts = self.survey.texts
        lines = [*([msg.EXAMPLE_NOTE] if texts.example else []), *filter(None, [texts.intro]), *msg.WELCOME_LINES]
        s.say("", cards.message_card(texts.title, lines, [(msg.BUTTON_START, "開始"), (msg.BUTTON_HELP, "ヘルプ")]))

    def _offer_resume(self, s: Session) -> None:
        nxt = self._next_target(s)
        heading = self._target_heading(nxt)
        s.say("", cards.resume_card(self._progress_text(s), heading))
        self._go_next(s)

    def _locked(self, s: Session) -> bool:
        if s.answer is not None and s.confirmation.get("status") == "confirmed":
            s.say(msg.LOCKED)
            return True
        return False

    def _next_target(self, s: Session) -> dict[str, str]:
        for key in FIELD_KEYS:
            if not s.respondent.get(key):
                return {"kind": "field", "key": key}
            if key == "org_name" and union_link.needs_union(s, self.survey.orgs):
                return {"kind": UNION}
        item = self.survey.next_item(s.org_type, s.answers, s.notes, under_review=review.marked(s))
        if item is not None:
            return {"kind": "item", "id": item.id}
        return {"kind": "review"}

    def _target_heading(self, target: dict[str, str]) -> str:
        if target["kind"] == "field":
            return RESPONDENT_LABELS[target["key"]]
        if target["kind"] == "item":
            return self.survey.item(target["id"]).heading
        if target["kind"] == UNION:
            return union_msg.LABEL
        return msg.REVIEW_HEADING

    def _go_next(self, s: Session) -> None:
        self._go_next_with(s, "")

    def _ask_current(self, s: Session) -> None:
        cursor = s.cursor
        if s.answer is None:
            self._welcome(s)
        elif cursor and cursor.get("kind") == "field":
            self._ask_field(s, cursor["key"])
        elif cursor and cursor.get("kind") == UNION and self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
            self._ask_union(s)
        elif cursor and cursor.get("kind") == "item" and self.survey.is_applicable(cursor["id"], s.org_type, s.answers):
            self._ask_item(s, cursor["id"])
        else:
            self._go_next(s)

    def _status(self, s: Session) -> Status:
        return self.survey.status(s.org_type, s.answers, s.respondent, s.notes, under_review=review.marked(s))

    def _progress_text(self, s: Session) -> str:
        st = self._status(s)
        info_done = sum(1 for k in FIELD_KEYS if s.respondent.get(k))
        return (msg.PROGRESS_REVIEW if st.under_review else msg.PROGRESS).format(
            info=info_done, info_total=len(FIELD_KEYS), answered=len(st.answered),
            open=len(st.unanswered) + len(st.pending), na=len(st.not_applicable), review=len(st.under_review),
        )

    # --- 回答者情報 -----------------------------------------------------------
    def _ask_field(self, s: Session, key: str, note: str = "") -> None:
        s.cursor = {"kind": "field", "key": key}
        position = (FIELD_KEYS.index(key) + 1, len(FIELD_KEYS))
        current = s.respondent.get(key) or None
        hint = msg.field_hint(key, self.survey.orgs.labels)
        if key == "org_type":
            card = cards.org_type_card(hint, current, position, self.survey.orgs.labels)
        else:
            card = cards.field_card(key, RESPONDENT_LABELS[key], hint, current, position)
        s.say(note, card)

    def _answer_field(self, s: Session, key: str, text: str) -> None:
        if key not in RESPONDENT_LABELS:
            s.say(msg.UNKNOWN_SUBMIT)
            self._ask_current(s)
            return
        if self._locked(s):
            return
        result = parse_listed_field(key, text, s.org_type, self.survey.orgs)
        if not result.ok:
            s.say(result.error)
            self._ask_field(s, key)
            return
        if result.confirm:
            s.cursor = {"kind": "field", "key": key}
            s.pending = {"topic": "field", "key": key, "value": result.value, "text": result.confirm}
            s.say("", cards.confirm_card(result.confirm, f"field:{key}"))
            return
        self._store_field(s, key, result.value)

    def _answer_form(self, s: Session, data: dict[str, Any]) -> None:
        """Every field of the form, checked exactly as if typed one by one (take_fields)."""
        if self._locked(s):
            return
        stored, problems, confirms = self.take_fields(s, data)
        lines = [msg.FORM_STORED, *stored] if stored else []
        lines += problems
        if not stored and not problems and not confirms:
            lines.append(msg.FORM_EMPTY)
        self.ask_confirmations(s, "\n".join(filter(None, lines)), confirms)

    def take_fields(self, s: Session, values: Mapping[str, Any]) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """回答者情報 values (the form's, an imported file's) checked exactly as if typed one
        by one: valid ones are stored, with what follows from each change; an error leaves
        the field as it was (asked later when empty); a value that needs a yes (a 役職
        whose rank depends on the organisation, a code added to 組織名) waits for it.
        Returns (stored lines, errors and consequences, confirmations to ask)."""
        stored, problems, confirms = [], [], []
        before = dict(s.respondent)
        for key, label in RESPONDENT_FIELDS:
            text = str(values.get(key, "") or "").strip()
            if not text or text == s.respondent.get(key):
                continue
            result = parse_listed_field(key, text, s.respondent.get("org_type"), self.survey.orgs)
            if not result.ok:
                problems.append(msg.FORM_NOT_STORED.format(label=label, error=result.error))
            elif result.confirm:
                confirms.append({"topic": "field", "key": key, "value": result.value, "text": result.confirm})
            else:
                s.respondent[key] = result.value
                stored.append(msg.FORM_FIELD.format(label=label, value=result.value))
        for key, _ in RESPONDENT_FIELDS:
            if s.respondent.get(key) != before.get(key):
                self._field_changed(s, key, before.get(key, ""), problems)
        return stored, problems, confirms

    def ask_confirmations(self, s: Session, note: str, confirms: list[dict[str, Any]]) -> None:
        """The first value waiting for a yes is asked (the others after it, one by one),
        or, with none waiting, what comes next."""
        if not confirms:
            self._go_next_with(s, note)
            return
        first, *rest = confirms
        s.cursor = {"kind": "field", "key": first["key"]}
        s.pending = {**first, "then": rest} if rest else first
        s.say(note, cards.confirm_card(first["text"], f"field:{first['key']}"))

    def _store_field(self, s: Session, key: str, value: str) -> None:
        self._go_next_with(s, "\n".join(filter(None, self._set_field(s, key, value))))

    def _set_field(self, s: Session, key: str, value: str) -> list[str]:
        old = s.respondent.get(key, "")
        s.respondent[key] = value
        lines = [msg.FIELD_STORED.format(label=RESPONDENT_LABELS[key], value=value)]
        if old != value:
            self._field_changed(s, key, old, lines)
        return lines

    def _field_changed(self, s: Session, key: str, old: str, lines: list[str]) -> None:
        """History, the prefecture index, a withdrawn request, and for 組織区分 the rules."""
        value = s.respondent.get(key, "")
        before = {**s.respondent, key: old}
        s.log("field", item=RESPONDENT_LABELS[key], old=old, new=value)
        if key == "org_name":
            s.effects.append(Effect("index", {"answer_id": s.answer["answer_id"], "old": old, "new": value}))
        lines.append(withdraw_on_change(s))
        if key == "org_type":
            lines += self._org_type_changed(s, old, value)
        if key in ("org_type", "org_name"):
            lines += self._organisation_changed(s, before)

    def _organisation_changed(self, s: Session, before: dict[str, str]) -> list[str]:
        """A 広域連合等's name is offered to its 構成市町村 (the registry of known ones);
        a 構成市町村's link to its 広域連合等 holds only within its prefecture."""
        def union_name(respondent: dict[str, str]) -> str:
            return respondent.get("org_name", "") if self.survey.orgs.is_role(respondent.get("org_type"), ROLE_UNION) else ""

        old_union, new_union = union_name(before), union_name(s.respondent)
        if old_union != new_union:
            s.effects.append(Effect("register_union", {
                "answer_id": s.answer["answer_id"], "old": old_union, "new": new_union}))
        linked = union_link.linked_union(s.answer)
        code = prefecture_code_of_org(s.respondent.get("org_name", ""))
        member = self.survey.orgs.is_role(s.org_type, ROLE_MEMBER)
        if linked and (not member or (code and prefecture_code_of_org(linked) != code)):
            s.answer.pop(union_link.FIELD, None)
            s.log("field", item=union_msg.LABEL, old=linked, new="")
            return [union_msg.LINK_DROPPED.format(value=linked)]
        return []

    def _org_type_changed(self, s: Session, old: str, new: str) -> list[str]:
        lines = []
        name = s.respondent.get("org_name")
        if name:
            check = parse_field("org_name", name, new, self.survey.orgs)
            if not check.ok or check.confirm or check.value != name:
                s.respondent["org_name"] = ""
                s.effects.append(Effect("index", {"answer_id": s.answer["answer_id"], "old": name, "new": ""}))
                lines.append(msg.ORG_NAME_AGAIN.format(org_type=new))
        # Applicability was computed for the old 組織区分: re-apply the rules.
        return lines + self._drop_not_applicable(s, dict(s.answers), report=bool(s.answers), before_org=old or None)

    # --- a 構成市町村's 広域連合等 ------------------------------------------------------
    def _ask_union(self, s: Session, note: str = "") -> None:
        s.cursor = {"kind": UNION}
        known = list(s.known_unions or [])
        prefecture = prefecture_name(prefecture_code_of_org(s.respondent.get("org_name", "")) or "") or ""
        member = self.survey.orgs.with_role(ROLE_MEMBER)
        hint = union_msg.HINT.format(question=member.union_question if member else "", item=self.survey.agreed_heading)
        lines = [hint, (union_msg.KNOWN if known else union_msg.NONE_KNOWN).format(prefecture=prefecture)]
        card = cards.union_card(
            union_msg.LABEL, lines, known, union_link.linked_union(s.answer) or None, union_msg.TYPE_IT,
            union_msg.INPUT_LABEL, union_msg.PLACEHOLDER, union_msg.SUBMIT,
        )
        s.say(note, card)

    def _answer_union(self, s: Session, text: str) -> None:
        if self._locked(s):
            return
        if not self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
            s.say(msg.UNKNOWN_SUBMIT)
            self._ask_current(s)
            return
        result = read_union_name(text, s.respondent.get("org_name", ""), s.known_unions or (), self.survey.agreed_heading)
        if not result.ok:
            self._ask_union(s, note=result.error)
            return
        old = union_link.linked_union(s.answer)
        s.answer[union_link.FIELD] = result.value
        lines = [union_msg.STORED.format(value=result.value)]
        if old != result.value:
            s.log("field", item=union_msg.LABEL, old=old, new=result.value)
            if s.answers.get(self.survey.agreed_item or ""):
                s.effects.append(Effect("check_agreement", {"answer_id": s.answer["answer_id"]}))
        self._go_next_with(s, "\n".join(lines))

    # --- items ------------------------------------------------------------------
    def _ask_item(self, s: Session, item_id: str, note: str = "") -> None:
        s.cursor = {"kind": "item", "id": item_id}
        survey, org = self.survey, s.org_type
        item = survey.item(item_id)
        current = s.answers.get(item_id)
        current_text = None
        if current is not None and (current != [] or s.notes.get(item_id) == "none"):
            current_text = survey.format_value(item_id, current)
        source = review.marked(s).get(item_id)
        review_note = msg.REVIEW_ITEM.format(source=survey.item(source).heading) if source else None
        card = cards.question_card(
            item, survey.prompt_text(item_id, org), survey.progress(item_id, org, s.answers),
            survey.reminders(item_id, org, s.answers), current_text,
            options=survey.options_for(item_id, org), review_note=review_note,
        )
        s.say(note, card)

    def _answer_at_cursor(self, s: Session, text: str) -> None:
        cursor = s.cursor or self._next_target(s)
        if cursor["kind"] == "field":
            self._answer_field(s, cursor["key"], text)
        elif cursor["kind"] == UNION:
            self._answer_union(s, text)
        elif cursor["kind"] == "item" and cursor["id"] in review.marked(s) and review.is_keep_word(text):
            self._keep_item(s, cursor["id"])
        elif cursor["kind"] == "item":
            self._answer_item(s, cursor["id"], text)
        elif self._next_target(s)["kind"] != "review":
            # Typed at the summary while something is still open: that next, not "all done".
            self._go_next_with(s, msg.STILL_OPEN_HINT)
        else:
            self._show_review(s, note=msg.ALL_ANSWERED_HINT)

    def _answer_item(self, s: Session, item_id: str, text: str) -> None:
        survey = self.survey
        try:
            item = survey.item(item_id)
        except KeyError:
            s.say(msg.UNKNOWN_SUBMIT)
            self._ask_current(s)
            return
        if self._locked(s):
            return
        if any(not s.respondent.get(k) for k in FIELD_KEYS):
            s.say(msg.INFO_FIRST)
            self._go_next(s)
            return
        if not survey.is_applicable(item_id, s.org_type, s.answers):
            if not self._offer_deciding_item(s, item_id):
                s.say(msg.ITEM_NOT_APPLICABLE.format(heading=item.heading))
                self._ask_current(s)
            return
        parsed = survey.parse_answer(item_id, text)
        if not parsed.ok:
            self._ask_item(s, item_id, note=msg.BAD_ANSWER.format(heading=item.heading, error=parsed.error))
            return
        if item.kind == KIND_MULTI and parsed.value == []:
            s.cursor = {"kind": "item", "id": item_id}
            s.pending = {"topic": "none", "item": item_id}
            marks = "".join(circled(o.number) for o in item.options)
            s.say("", cards.confirm_card(msg.CONFIRM_NONE.format(heading=item.heading, marks=marks), f"none:{item_id}"))
            return
        self._store_item(s, item_id, parsed.value)

    def _keep_item(self, s: Session, item_id: str) -> None:
        """要確認: one tap keeps the stored answer."""
        if self._locked(s):
            return
        if item_id not in review.marked(s) or item_id not in s.answers:
            heading = self.survey.item(item_id).heading if self.survey.resolve_item_id(item_id) == item_id else item_id
            s.say(msg.REVIEW_NOT_MARKED.format(heading=heading))
            self._ask_current(s)
            return
        review.clear(s, [item_id])
        heading = self.survey.item(item_id).heading
        s.log("review_kept", item=heading)
        value = self.survey.format_value(item_id, s.answers[item_id])
        self._go_next_with(s, msg.REVIEW_KEPT.format(heading=heading, value=value))

    def _store_item(self, s: Session, item_id: str, value: Any) -> None:
        survey = self.survey
        item = survey.item(item_id)
        before = dict(s.answers)
        old = s.answers.get(item_id)
        s.answers[item_id] = value
        if value == [] and item.allow_none:
            s.notes[item_id] = "none"
        else:
            s.notes.pop(item_id, None)
        if old != value:
            s.log("answer", item=item_id, old=old, new=value)
        review.clear(s, [item_id])  # answered anew: reviewed
        lines = [msg.ANSWER_STORED.format(heading=item.heading, value=survey.format_value(item_id, value))]
        lines += self._drop_not_applicable(s, before, report=old is not None and old != value)
        lines += self.put_under_review(s, item_id, old, value)
        if old != value:
            lines.append(withdraw_on_change(s))
            if item_id == self.survey.agreed_item:
                s.effects.append(Effect("check_agreement", {"answer_id": s.answer["answer_id"]}))
        self._go_next_with(s, "\n".join(filter(None, lines)))

    def put_under_review(
        self, s: Session, item_id: str, old: Any, new: Any, answered_anew: Collection[str] = ()
    ) -> list[str]:
        """Later answers about other people now (the engine says which): kept, 要確認;
        except those given anew with the change (an imported file's own answers)."""
        survey = self.survey
        flagged = survey.review_after_change(item_id, old, new, s.org_type, s.answers, s.notes)
        flagged = [i for i in flagged if i not in answered_anew]
        if not flagged:
            return []
        review.mark(s, flagged, because=item_id)
        item = survey.item(item_id)
        items = _headings(survey, flagged)
        s.log("under_review", item=item.heading, new=items)
        return [
            msg.REVIEW_MARKED.format(heading=item.heading, old=circled(old), new=circled(new), items=items),
            item.review_later_reason,
            msg.REVIEW_WALK,
        ]

    def _drop_not_applicable(
        self, s: Session, before: dict[str, Any], report: bool, before_org: str | None = None
    ) -> list[str]:
        """Apply the rules after an answer: answers that no longer apply leave the record
        (the history keeps them) and the user is told; on an edit (`report`), items that
        newly apply are named too. Items whose applicability waits on an unanswered
        earlier item keep their answers until that item is answered."""
        survey = self.survey
        was = {i.id for i in survey.applicable_items(before_org or s.org_type, before)}
        not_applicable = set(self._status(s).not_applicable)
        dropped = [i for i in s.answers if i in not_applicable]
        for item_id in dropped:
            old = s.answers.pop(item_id)
            s.notes.pop(item_id, None)
            s.log("not_applicable", item=item_id, old=old)
        review.clear(s, dropped)
        if not report and not dropped:
            return []
        now = {i.id for i in survey.applicable_items(s.org_type, s.answers)}
        now_na = [i.id for i in survey.items if i.id in was and i.id in not_applicable]
        now_applicable = [i.id for i in survey.items if i.id in now and i.id not in was]
        lines = []
        if now_na:
            lines.append(msg.NOW_NOT_APPLICABLE.format(items=_headings(survey, now_na)))
        if dropped:
            lines.append(msg.ANSWERS_SET_ASIDE.format(items=_headings(survey, [i.id for i in survey.items if i.id in dropped])))
        if now_applicable and report:
            lines.append(msg.NOW_APPLICABLE.format(items=_headings(survey, now_applicable)))
        return lines

    def describe_concurrent_change(self, before: dict[str, Any], after: dict[str, Any]) -> str:
        """What a colleague's simultaneous write changed, for the user whose turn was redone."""
        changed = []
        for item in self.survey.items:
            old, new = before.get(item.id), after.get(item.id)
            if old != new:
                changed.append(msg.CHANGE_LINE.format(
                    heading=item.heading, old=_shown(self.survey, item.id, old) or msg.NONE,
                    new=_shown(self.survey, item.id, new) or msg.NONE))
        return msg.CONCURRENT_CHANGE.format(changes="、".join(changed) or msg.NONE)

    def go_next_with(self, s: Session, note: str) -> None:
        self._go_next_with(s, note)

    def _go_next_with(self, s: Session, note: str) -> None:
        """The acknowledgement and the next question in one message."""
        target = self._next_target(s)
        if target["kind"] == "item":
            self._ask_item(s, target["id"], note=note)
        elif target["kind"] == "field":
            self._ask_field(s, target["key"], note=note)
        elif target["kind"] == UNION:
            self._ask_union(s, note=note)
        else:
            self._show_review(s, note=note)

    # --- confirmations -------------------------------------------------------------
    def _resolve_pending(self, s: Session, inp: UserInput) -> None:
        pending = s.pending or {}
        resolver = self._resolvers.get(str(pending.get("topic")))
        if resolver is not None:
            resolver(s, inp)
            return
        yes = inp.yes_no()
        topic = str(inp.data.get("topic", "")) if inp.data else ""
        expected = f"field:{pending.get('key')}" if pending.get("topic") == "field" else f"none:{pending.get('item')}"
        if topic and topic != expected:
            s.say(msg.CONFIRM_EXPIRED)
            self._ask_current(s)
            return
        s.pending = None
        if self._locked(s):  # confirmed since the question was asked
            return
        if pending.get("topic") == "field":
            key, queued = pending["key"], list(pending.get("then") or [])
            if yes:
                lines = self._set_field(s, key, pending["value"])
            elif queued:  # more values wait for a yes: this field is asked later, when empty
                lines = [msg.FIELD_NOT_STORED.format(label=RESPONDENT_LABELS[key])]
            else:
                s.say(msg.ENTER_AGAIN)
                self._ask_field(s, key)
                return
            self.ask_confirmations(s, "\n".join(filter(None, lines)), queued)
        elif pending.get("topic") == "none":
            item_id = pending["item"]
            if yes:
                self._store_item(s, item_id, [])
            else:
                self._ask_item(s, item_id)
        else:
            self._ask_current(s)

    # --- review ----------------------------------------------------------------------
    def _show_review(self, s: Session, note: str = "") -> None:
        s.cursor = {"kind": "review"}
        actions = [(msg.BUTTON_REQUEST, "確認依頼"), (msg.BUTTON_EXPORT, "出力"), (msg.BUTTON_HELP, "ヘルプ")]
        st = self._status(s)
        lines = [note, msg.REVIEW_INTRO.format(example=self.survey.texts.edit_example)]
        if not (st.info_missing or st.unanswered_flag or st.under_review):
            # The finished answer says where it goes (survey-rules.md), and what the sheet
            # cannot carry (the definition's notes at: finish).
            lines += [msg.REVIEW_DONE, *self.survey.finish_notes(s.org_type, s.answers), self._where(s), self._deadline(s)]
        s.say("\n".join(filter(None, lines)), self.review_card(s.answer or {}, actions))

    def _for_prefecture(self, s: Session) -> bool:
        """Prefecture staff and a prefecture's own answer see the ministry's deadline."""
        return bool(s.staff_prefecture) or (
            s.answer is not None and self.survey.orgs.is_role(s.org_type, ROLE_PREFECTURE))

    def _deadline(self, s: Session) -> str:
        return deadline_notice(self._for_prefecture(s), self.deadline, s.prefecture_deadline)

    def _where(self, s: Session) -> str:
        texts = self.survey.texts
        if self._for_prefecture(s):
            return (texts.submit_prefecture or msg.WHERE_PREFECTURE).format(deadline=wareki_datetime(self.deadline))
        return texts.submit_municipality or msg.WHERE_MUNICIPALITY

    def review_card(self, answer: dict[str, Any], actions: list[tuple[str, str]]) -> dict[str, Any]:
        """Every item of one answer, 対象外 marked, with the status lines: for the
        respondent's review and for the 回答責任者's confirmation."""
        survey = self.survey
        respondent = answer.get("respondent") or {}
        answers = answer.get("answers") or {}
        notes = answer.get("notes") or {}
        org = respondent.get("org_type")
        st = survey.status(org, answers, respondent, notes, under_review=answer.get(review.FIELD) or {})
        na = set(st.not_applicable)
        rows = []
        for item in survey.items:
            if item.id in na:
                rows.append((item.heading, "", msg.NOT_APPLICABLE))
            elif item.id in answers and (answers[item.id] != [] or notes.get(item.id) == "none"):
                state = msg.UNDER_REVIEW if item.id in st.under_review else ""
                rows.append((item.heading, survey.format_value(item.id, answers[item.id]), state))
            else:
                rows.append((item.heading, "", msg.UNANSWERED))
        respondent_rows = [(label, respondent.get(key, "") or msg.UNANSWERED) for key, label in RESPONDENT_FIELDS]
        status_lines = []
        if st.info_missing:
            status_lines.append(msg.INFO_MISSING)
        if st.unanswered_flag:
            status_lines.append(msg.UNANSWERED_FLAG)
        if st.under_review:
            status_lines.append(msg.REVIEW_FLAG.format(items=_headings(survey, st.under_review)))
        if not status_lines:
            status_lines.append(msg.ALL_DONE)
        status_lines.append(confirmation_line(answer.get("confirmation") or {}))
        return cards.review_card(respondent_rows, rows, status_lines, actions)

    def _item_actions(self) -> list[tuple[str, str]]:
        return [(msg.BUTTON_BACK_TO_QUESTION, msg.COMMAND_WORDS["question"][0])]


# ------------------------------------------------------------------------- helpers
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


def _files(inp: UserInput) -> list[dict[str, Any]]:
    return [a for a in inp.attachments if a.get("contentType") == FILE_DOWNLOAD_INFO]


def _field_key(text: str) -> str | None:
    for key, label in RESPONDENT_FIELDS:
        if text == label or text == key:
            return key
    return None


def confirmation_line(confirmation: dict[str, Any]) -> str:
    state = msg.CONFIRMATION_STATES.get(confirmation.get("status") or "draft", "")
    if confirmation.get("status") == "confirmed":
        state += msg.CONFIRMED_DETAIL.format(at=confirmation.get("confirmed_at", ""), by=confirmation.get("confirmed_by", ""))
    return msg.STATUS_CONFIRMATION.format(state=state)


def _headings(survey: Survey, ids: list[str]) -> str:
    return "、".join(survey.item(i).heading for i in ids)


def _shown(survey: Survey, item_id: str, value: Any) -> str:
    if value is None:
        return ""
    return survey.format_value(item_id, value)


__all__ = ["Conversation", "new_answer", "confirmation_line"]
