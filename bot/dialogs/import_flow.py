"""取込: a 回答シート dropped into the chat becomes the conversation's answers, once the user
says so.

The workbook is fetched and read before the turn (bot/delivery/import_files.py, for the
attachment `file_to_read` names) into `Session.dropped_file`; this module decides, offers
and applies on plain state, so that a redone turn decides again on fresh records.

Who is offered the import: whoever drops one `.xlsx` in a personal chat, or in any chat once
they have an answer. Prefecture staff keep 集計's behaviour (a file they drop is kept for
their prefecture's list); they import into their own answer with 「取込」 typed with the file.

What waits for the user's choice is kept in their own record, `user["import"]`
(records.ImportOffer): what the
file can give (explicit JSON; every value is bounded by the survey's own length limits, so
a few kB at most), the file name, the counts, the lines of what could not be taken
(at most MAX_PROBLEMS), a fingerprint of the chat's values the file would replace, and
when the offer ends (OFFER_MINUTES). The offering turn writes it in its one atomic save and
the accepting turn reads it with the user record in the same call: no other key to expire
or to clean up. When the chat's values the file would replace are no longer the ones shown
(a colleague's edit, a turn redone after a write conflict), the changes are shown again
and nothing is taken.
"""
from __future__ import annotations

import copy
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from bot import cards
from bot.dialogs import under_review, union_link
from bot.dialogs.after_change import put_under_review, withdraw_on_change
from bot.dialogs.effects import CheckAgreement
from bot.dialogs.flow import Flow
from bot.dialogs.inputs import FILE_DOWNLOAD_INFO, UserInput, dropped_files
from bot.dialogs.records import ImportOffer
from bot.dialogs.respondent_info import RespondentInfo
from bot.dialogs.session import DroppedFile, Session
from bot.export.record_reader import Change, importable, import_changes, merge_import
from bot.messages import import_file as msg
from bot.messages import union as union_msg
from bot.survey.checks import Problem
from bot.survey.engine import Survey
from bot.survey.listed_org import parse_listed_field
from bot.survey.model import CIRCLED, RESPONDENT_FIELDS, ROLE_MEMBER, AnswerRecord
from bot.survey.organisations import Organisations
from bot.survey.prefectures import prefecture_code_of_org

KEY = "import"  # on the user record (UserRecord.import_offer): the offer waiting for the user's choice
OFFER_MINUTES = 60
MAX_PROBLEMS = 10  # lines of what could not be taken, kept and shown (a card fits Teams); the rest counted
VALUE_SHOWN = 40  # characters of a value shown in the offer (a 概要 may hold 2,000)
FILE_NAME_SHOWN = 120

ACCEPT, TAKE, GAPS, CANCEL = "import_accept", "import_take", "import_gaps", "import_cancel"
CHOICES = frozenset({ACCEPT, TAKE, GAPS, CANCEL})
DOOR = "import"
MODE_TAKE, MODE_GAPS = "take", "gaps"  # in the history entry
# Logged by the conversation while the file's values are applied: one import entry holds them.
_FOLDED_KINDS = frozenset({"field", "answer", "not_applicable"})


def _through_import_door(s: Session, inp: UserInput) -> bool:
    """A message whose files are for the import; the others go to 集計 (prefecture or
    ministry staff only)."""
    if not dropped_files(inp):
        return False
    if inp.command == DOOR:
        return True
    return inp.command is None and not s.staff_prefecture and not s.ministry


def _refusal(s: Session) -> str:
    """Why no import can be offered or taken here, or ''."""
    if s.answer is None and s.conversation_type != "personal":
        return msg.PERSONAL_ONLY
    if s.answer is not None and s.answer.confirmed:
        return msg.CONFIRMED
    return ""


def file_to_read(s: Session, inp: UserInput | None) -> dict[str, Any] | None:
    """The one attachment to fetch and read before the turn: a file for the import, where
    an offer can be made; None for anything else (nothing is fetched)."""
    files = dropped_files(inp)
    if inp is None or len(files) != 1 or not _through_import_door(s, inp) or _refusal(s):
        return None
    return files[0]


def union_prefecture(s: Session, inp: UserInput | None, orgs: Organisations) -> str | None:
    """Taking a 構成市町村's file asks for its 広域連合等 next (it is not on the sheet): the
    prefecture whose known 広域連合等 to read before the turn, as union_link does for typing."""
    offer = s.user.import_offer
    if inp is None or inp.command not in CHOICES - {CANCEL} or offer is None:
        return None
    if union_link.linked_union(s.answer):
        return None
    sides = [offer.respondent, s.answer.respondent if s.answer is not None else {}]
    if not any(orgs.is_role(side.get("org_type"), ROLE_MEMBER) for side in sides):
        return None
    return next(filter(None, (prefecture_code_of_org(side.get("org_name") or "") for side in sides)), None)


def file_name(attachment: dict[str, Any]) -> str:
    return str(attachment.get("name") or "")[:FILE_NAME_SHOWN] or msg.UNNAMED_FILE


# --- the answer after an import (pure) ------------------------------------------------------


def _answered(record: AnswerRecord, item_id: str) -> bool:
    value = record.answers.get(item_id)
    return value not in (None, "") and not (value == [] and not record.has_note_none(item_id))


@dataclass
class Plan:
    """The answers after an import, with the survey's rules applied to the result."""

    answers: dict[str, Any]
    notes: dict[str, str]
    filled: list[str]  # items without an answer in the chat, given by the file
    replaced: list[str]  # items whose answer in the chat the file's replaces
    set_aside: list[str]  # answers in the chat that are 対象外 afterwards
    not_taken: list[str]  # answers in the file that are 対象外 afterwards


def plan_answers(
    survey: Survey, current: AnswerRecord, incoming: AnswerRecord, fill_gaps_only: bool, org_type: str | None = None
) -> Plan:
    """`incoming` merged into `current` (merge_import), then every answer to an item that is
    対象外 under the result (the engine's status) left out. `org_type`: the 組織区分 the
    result will have (by default the merged one). Raises ConfirmedAnswerError."""
    merged = merge_import(current, incoming, fill_gaps_only)
    org = org_type if org_type is not None else merged.org_type
    not_applicable = set(survey.status(org, merged.answers, merged.respondent, merged.notes).not_applicable)
    answers = {k: v for k, v in merged.answers.items() if k not in not_applicable}
    notes = {k: v for k, v in merged.notes.items() if k not in not_applicable}
    result = AnswerRecord(current.answer_id, answers=answers, notes=notes)
    ids = [item.id for item in survey.items]
    changed = [
        i for i in ids
        if (answers.get(i), notes.get(i)) != (current.answers.get(i), current.notes.get(i)) and _answered(result, i)
    ]
    return Plan(
        answers=answers,
        notes=notes,
        filled=[i for i in changed if not _answered(current, i)],
        replaced=[i for i in changed if _answered(current, i)],
        set_aside=[i for i in ids if _answered(current, i) and not _answered(result, i)],
        not_taken=[i for i in ids if i in incoming.answers and i in not_applicable],
    )


def _fingerprint(changes: list[Change]) -> str:
    """What the user decides on: the values in the chat the file's would replace."""
    conflicts = [[c.key, c.old, c.new] for c in changes if c.old]
    return hashlib.sha256(json.dumps(conflicts, ensure_ascii=False).encode()).hexdigest()[:16]


def _expired(offer: ImportOffer, now: datetime) -> bool:
    try:
        return datetime.fromisoformat(offer.until) <= now
    except (TypeError, ValueError):
        return True


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


class ImportFlow:
    """The offer and the choice, registered with the conversation like Teamwork."""

    def __init__(self, survey: Survey, flow: Flow, respondent_info: RespondentInfo) -> None:
        self.survey = survey
        self.flow = flow
        self.respondent_info = respondent_info

    def commands(self) -> dict[str, Callable[[Session, UserInput], None]]:
        def choice(name: str) -> Callable[[Session, UserInput], None]:
            return lambda s, inp: self._choose(s, name, inp.arg)  # arg: the offer's id, from a button

        return {DOOR: self.import_, **{name: choice(name) for name in (ACCEPT, TAKE, GAPS, CANCEL)}}

    # --- before the conversation reads a message ---------------------------------------------
    def intercept(self, s: Session, inp: UserInput) -> bool:
        """Takes the message when it drops files for the import, or answers the offer just
        made with a typed yes/no; True when it did."""
        offer = s.user.import_offer
        if offer is not None and inp.command not in CHOICES | {DOOR}:
            if _expired(offer, s.now):
                s.user.import_offer = None
            elif offer.open and not inp.command and not inp.data and s.user.pending is None and not dropped_files(inp):
                yes = inp.yes_no()
                if yes is not None:
                    self._choose(s, ACCEPT if yes else CANCEL, "")
                    return True
            if s.user.import_offer is not None:
                # Anything else moves on: the buttons still work, a bare はい no longer does.
                offer.open = False
        if inp.command is None and _through_import_door(s, inp):
            self._offer(s, inp)
            return True
        return False

    # --- 取込 ------------------------------------------------------------------------------------
    def import_(self, s: Session, inp: UserInput) -> None:
        if dropped_files(inp):
            self._offer(s, inp)
            return
        offer = s.user.import_offer
        if offer is not None and not _expired(offer, s.now):
            offer.open = True
            self._show(s, offer)
            return
        s.user.import_offer = None
        s.say(msg.USAGE)

    def _offer(self, s: Session, inp: UserInput) -> None:
        files = dropped_files(inp)
        if len(files) > 1:
            s.say(msg.ONE_FILE)
            return
        refusal = _refusal(s)
        if refusal:
            s.say(refusal)
            return
        name = file_name(files[0])
        dropped = s.dropped_file
        if not isinstance(dropped, DroppedFile) or dropped.read is None:
            reason = dropped.error if isinstance(dropped, DroppedFile) and dropped.error else msg.NOT_READ_NOW
            s.say(msg.NOT_READ.format(file=name, reason=reason))
            return
        taken, problems = importable(self.survey, dropped.read)
        lines = [self._problem_line(p) for p in problems]
        fields = sum(1 for key, _ in RESPONDENT_FIELDS if taken.respondent.get(key))
        answers = sum(1 for item in self.survey.items if _answered(taken, item.id))
        if not fields and not answers:
            s.say("\n".join([msg.NOTHING_FOUND.format(file=name), *lines]))
            return
        offer = ImportOffer(
            id=secrets.token_hex(4),
            file=name,
            sheet=dropped.read.sheet,
            until=(s.now + timedelta(minutes=OFFER_MINUTES)).isoformat(timespec="seconds"),
            respondent=taken.respondent,
            answers=taken.answers,
            notes=taken.notes,
            field_count=fields,
            answer_count=answers,
            problems=lines[:MAX_PROBLEMS],
            more=max(0, len(lines) - MAX_PROBLEMS),
        )
        changes = self._changes(s, offer)
        if s.answer is not None and not changes:
            s.user.import_offer = None
            s.say(msg.SAME.format(file=name))
            return
        offer.basis = _fingerprint(changes)
        s.user.import_offer = offer
        s.user.pending = None  # a new topic: a yes/no asked before no longer stands
        self._show(s, offer)

    def _problem_line(self, problem: Problem) -> str:
        return msg.NOT_TAKEN_LINE.format(where=self._where(problem.item), value=_short(problem.value), reason=problem.reason)

    def _where(self, header: str) -> str:
        """A 一覧用 header as the user knows it: Q2 予定年月, Q7-4 ④, 組織名."""
        if self.survey.resolve_item_id(header) == header:
            return self.survey.item(header).heading
        base, _, option = header.rpartition("_")
        if base and option and option in CIRCLED and self.survey.resolve_item_id(base) == base:
            return f"{self.survey.item(base).heading} {option}"
        return header

    # --- what the file would change ------------------------------------------------------------
    def _incoming(self, s: Session, offer: ImportOffer) -> AnswerRecord:
        answer_id = s.answer.answer_id if s.answer is not None else ""
        return AnswerRecord(
            answer_id, respondent=dict(offer.respondent), answers=copy.deepcopy(offer.answers), notes=dict(offer.notes))

    def _current(self, s: Session) -> AnswerRecord:
        return s.answer.copy() if s.answer is not None else AnswerRecord(answer_id="")

    def _changes(self, s: Session, offer: ImportOffer) -> list[Change]:
        return import_changes(self.survey, self._current(s), self._incoming(s, offer))

    def _show(self, s: Session, offer: ImportOffer, note: str = "") -> None:
        survey = self.survey
        current, incoming = self._current(s), self._incoming(s, offer)
        changes = import_changes(survey, current, incoming)
        conflicts = [c for c in changes if c.old]
        fills = [c for c in changes if not c.old]
        intro = [
            msg.READ.format(file=offer.file, sheet=offer.sheet),
            msg.FOUND.format(fields=offer.field_count, answers=offer.answer_count),
        ]
        sections: list[tuple[str, list[str]]] = []
        problems = list(offer.problems)
        if problems:
            more = offer.more
            shown = problems + ([msg.MORE.format(count=more)] if more else [])
            sections.append((msg.NOT_TAKEN_TITLE.format(count=len(problems) + more), shown))
        if conflicts:
            lines = [msg.CHANGE_LINE.format(label=c.label, old=_short(c.old), new=_short(c.new)) for c in conflicts]
            sections.append((msg.CHANGES_TITLE.format(count=len(conflicts)), lines))
        closing = []
        if conflicts and fills:
            closing.append(msg.FILLS.format(count=len(fills), items=msg.SEPARATOR.join(c.label for c in fills)))
        set_aside = plan_answers(survey, current, incoming, fill_gaps_only=False).set_aside
        if set_aside:
            closing.append(msg.SET_ASIDE.format(items=self._headings(set_aside)))
        not_filled = plan_answers(survey, current, incoming, fill_gaps_only=True).not_taken
        if conflicts and not_filled:
            closing.append(msg.NOT_FILLED.format(items=self._headings(not_filled)))
        to_confirm = self._to_confirm(current, incoming)
        if to_confirm:
            closing.append(msg.TO_CONFIRM.format(labels=msg.SEPARATOR.join(to_confirm)))
        if s.answer is not None and s.answer.confirmation.requested:
            closing.append(msg.WITHDRAWS)
        closing += [msg.HOW_CHOOSE if conflicts else msg.HOW_ACCEPT, msg.NOTHING_YET.format(minutes=OFFER_MINUTES)]
        if conflicts:
            buttons = [(msg.BUTTON_TAKE, TAKE, offer.id), (msg.BUTTON_GAPS, GAPS, offer.id)]
        else:
            buttons = [(msg.BUTTON_ACCEPT, ACCEPT, offer.id)]
        buttons.append((msg.BUTTON_CANCEL, CANCEL, offer.id))
        s.say(note, cards.import_offer_card(msg.TITLE, intro, sections, closing, buttons))

    def _to_confirm(self, current: AnswerRecord, incoming: AnswerRecord) -> list[str]:
        """回答者情報 from the file that the field checks will ask a yes for."""
        org_type = incoming.org_type or current.org_type
        return [
            label for key, label in RESPONDENT_FIELDS
            if incoming.respondent.get(key) and incoming.respondent[key] != current.respondent.get(key)
            and parse_listed_field(key, incoming.respondent[key], org_type, self.survey.orgs).confirm
        ]

    def _headings(self, item_ids: list[str]) -> str:
        return msg.SEPARATOR.join(self.survey.item(i).heading for i in item_ids)

    # --- the choice ------------------------------------------------------------------------------
    def _choose(self, s: Session, choice: str, offer_id: str) -> None:
        offer = s.user.import_offer
        if offer is None:
            s.say(msg.NO_OFFER)
            return
        if _expired(offer, s.now):
            s.user.import_offer = None
            s.say(msg.EXPIRED.format(minutes=OFFER_MINUTES))
            return
        if offer_id.strip() and offer_id.strip() != offer.id:
            s.say(msg.STALE)
            return
        if choice == CANCEL:
            s.user.import_offer = None
            if s.answer is None:
                s.say(msg.CANCELLED)
            else:
                self.flow.go_next_with(s, msg.CANCELLED)
            return
        refusal = _refusal(s)
        if refusal:  # confirmed since the offer was made
            s.user.import_offer = None
            s.say(refusal)
            return
        changes = self._changes(s, offer)
        if not changes:
            s.user.import_offer = None
            s.say(msg.SAME.format(file=offer.file))
            return
        if offer.basis != _fingerprint(changes):  # the chat changed what the file would replace
            offer.basis, offer.open = _fingerprint(changes), True
            self._show(s, offer, note=msg.CHANGED_SINCE)
            return
        if choice == ACCEPT and any(c.old for c in changes):
            offer.open = True
            self._show(s, offer, note=msg.CHOOSE_FIRST)
            return
        self._apply(s, offer, fill_gaps_only=choice == GAPS)

    def _apply(self, s: Session, offer: ImportOffer, fill_gaps_only: bool) -> None:
        """The file's values through the conversation's own checks: 回答者情報 as if typed
        (a warning asked, a refusal left empty and asked), answers under the survey's rules."""
        s.user.import_offer = None
        if s.answer is None:
            self.flow.open_answer(s)
        record = s.record
        mark = len(s.events)
        before = _values(s)
        kept = sum(1 for c in self._changes(s, offer) if c.old) if fill_gaps_only else 0
        incoming = self._incoming(s, offer)
        merged = merge_import(record.copy(), incoming, fill_gaps_only)
        values = {k: v for k, v in merged.respondent.items() if v != record.respondent.get(k)}
        stored, field_lines, confirms = self.respondent_info.take_fields(s, values)

        current = record.copy()
        plan = plan_answers(self.survey, current, incoming, fill_gaps_only, org_type=s.org_type)
        record.answers.clear()
        record.answers.update(plan.answers)
        record.notes.clear()
        record.notes.update(plan.notes)
        under_review.clear(s, plan.set_aside + plan.replaced)  # 対象外 now, or answered anew
        taken = len(plan.filled) + len(plan.replaced)
        lines = [msg.IMPORTED.format(file=offer.file, fields=len(stored), answers=taken)]
        if kept:
            lines.append(msg.KEPT_CHAT.format(count=kept))
        lines += field_lines
        if plan.set_aside:
            lines.append(msg.SET_ASIDE_DONE.format(items=self._headings(plan.set_aside)))
        if plan.not_taken:
            lines.append(msg.NOT_FILLED_DONE.format(items=self._headings(plan.not_taken)))
        from_file = [i for i, value in incoming.answers.items() if plan.answers.get(i) == value]
        for item in self.survey.items:
            old, new = current.answers.get(item.id), plan.answers.get(item.id)
            if item.review_later_between and old is not None and new is not None:
                lines += put_under_review(self.survey, s, item.id, old, new, answered_anew=from_file)
        if plan.filled or plan.replaced or plan.set_aside:
            lines.append(withdraw_on_change(s))
            if self.survey.agreed_item in plan.filled + plan.replaced + plan.set_aside:
                s.effects.append(CheckAgreement(record.answer_id))
        waiting = {c.key for c in confirms}
        if any(not record.respondent.get(key) and key not in waiting for key, _ in RESPONDENT_FIELDS):
            lines.append(msg.FIELDS_TO_ASK)
        self._log(s, mark, before, offer, fields=len(stored), answers=taken, mode=MODE_GAPS if fill_gaps_only else MODE_TAKE)
        s.user.paused = False
        self.respondent_info.ask_confirmations(s, "\n".join(filter(None, lines)), confirms)

    def _log(self, s: Session, mark: int, before: dict[str, Any], offer: ImportOffer, **counts: Any) -> None:
        """One history entry for the import, holding every value it changed (old → new);
        what the conversation logged for those values on the way is folded into it."""
        after = _values(s)
        changes = []
        for key, label in RESPONDENT_FIELDS:
            if before["respondent"].get(key, "") != after["respondent"].get(key, ""):
                changes.append({"item": label, "old": before["respondent"].get(key, ""), "new": after["respondent"].get(key, "")})
        if before["union"] != after["union"]:
            changes.append({"item": union_msg.LABEL, "old": before["union"], "new": after["union"]})
        for item in self.survey.items:
            old = (before["answers"].get(item.id), before["notes"].get(item.id))
            new = (after["answers"].get(item.id), after["notes"].get(item.id))
            if old != new:
                changes.append({"item": item.id, "old": old[0], "new": new[0]})
        s.events[mark:] = [e for e in s.events[mark:] if e.get("kind") not in _FOLDED_KINDS]
        s.log(DOOR, file=offer.file, changes=changes, **counts)
        s.events.insert(mark, s.events.pop())


def _values(s: Session) -> dict[str, Any]:
    record = s.record
    return copy.deepcopy({
        "respondent": dict(record.respondent), "answers": dict(record.answers), "notes": dict(record.notes),
        "union": union_link.linked_union(record),
    })


__all__ = [
    "DroppedFile", "FILE_DOWNLOAD_INFO", "ImportFlow", "KEY", "OFFER_MINUTES", "Plan", "dropped_files", "file_name",
    "file_to_read", "plan_answers", "union_prefecture",
]
