"""回答者情報: the eight fields typed one by one or on the form, each checked (a value that
needs a yes waits for it), what a change brings with it (the prefecture index, a withdrawn
request, the rules again after 組織区分), and a 構成市町村's 広域連合等."""
from __future__ import annotations

from typing import Any, Mapping

from bot import cards
from bot.dialogs import union_link
from bot.dialogs.after_change import set_aside_not_applicable, withdraw_on_change
from bot.dialogs.effects import CheckAgreement, IndexAnswer, RegisterUnion
from bot.dialogs.flow import Flow
from bot.dialogs.records import Cursor, FieldConfirmation, confirm_topic
from bot.dialogs.session import Session
from bot.messages import conversation as msg
from bot.messages import union as union_msg
from bot.survey.engine import Survey
from bot.survey.listed_org import parse_listed_field
from bot.survey.model import RESPONDENT_FIELDS, RESPONDENT_LABELS, ROLE_MEMBER, ROLE_UNION
from bot.survey.prefectures import prefecture_code_of_org
from bot.survey.respondent import parse_field
from bot.survey.union_link import read_union_name


class RespondentInfo:
    def __init__(self, survey: Survey, flow: Flow) -> None:
        self.survey = survey
        self.flow = flow

    # --- one field -----------------------------------------------------------------------------
    def answer_field(self, s: Session, key: str, text: str) -> None:
        if key not in RESPONDENT_LABELS:
            s.say(msg.UNKNOWN_SUBMIT)
            self.flow.ask_current(s)
            return
        if self.flow.locked(s):
            return
        result = parse_listed_field(key, text, s.org_type, self.survey.orgs)
        if not result.ok:
            s.say(result.error)
            self.flow.ask_field(s, key)
            return
        if result.confirm:
            s.user.cursor = Cursor.at_field(key)
            pending = FieldConfirmation(key, result.value, result.confirm)
            s.user.pending = pending
            s.say("", cards.confirm_card(result.confirm, confirm_topic(pending)))
            return
        self.flow.go_next_with(s, "\n".join(filter(None, self._set_field(s, key, result.value))))

    def resolve(self, s: Session, pending: FieldConfirmation, yes: bool) -> None:
        """The yes/no to a value that waited for it; the next waiting value is asked then."""
        key, queued = pending.key, list(pending.then)
        if yes:
            lines = self._set_field(s, key, pending.value)
        elif queued:  # more values wait for a yes: this field is asked later, when empty
            lines = [msg.FIELD_NOT_STORED.format(label=RESPONDENT_LABELS[key])]
        else:
            s.say(msg.ENTER_AGAIN)
            self.flow.ask_field(s, key)
            return
        self.ask_confirmations(s, "\n".join(filter(None, lines)), queued)

    # --- the form, and values from elsewhere -----------------------------------------------------
    def answer_form(self, s: Session, data: Mapping[str, Any]) -> None:
        """Every field of the form, checked exactly as if typed one by one (take_fields)."""
        if self.flow.locked(s):
            return
        stored, problems, confirms = self.take_fields(s, data)
        lines = [msg.FORM_STORED, *stored] if stored else []
        lines += problems
        if not stored and not problems and not confirms:
            lines.append(msg.FORM_EMPTY)
        self.ask_confirmations(s, "\n".join(filter(None, lines)), confirms)

    def take_fields(
        self, s: Session, values: Mapping[str, Any]
    ) -> tuple[list[str], list[str], list[FieldConfirmation]]:
        """回答者情報 values (the form's, an imported file's) checked exactly as if typed one
        by one: valid ones are stored, with what follows from each change; an error leaves
        the field as it was (asked later when empty); a value that needs a yes (a 役職
        whose rank depends on the organisation, a code added to 組織名) waits for it.
        Returns (stored lines, errors and consequences, confirmations to ask)."""
        stored: list[str] = []
        problems: list[str] = []
        confirms: list[FieldConfirmation] = []
        respondent = s.record.respondent
        before = dict(respondent)
        for key, label in RESPONDENT_FIELDS:
            text = str(values.get(key, "") or "").strip()
            if not text or text == respondent.get(key):
                continue
            result = parse_listed_field(key, text, respondent.get("org_type"), self.survey.orgs)
            if not result.ok:
                problems.append(msg.FORM_NOT_STORED.format(label=label, error=result.error))
            elif result.confirm:
                confirms.append(FieldConfirmation(key, result.value, result.confirm))
            else:
                respondent[key] = result.value
                stored.append(msg.FORM_FIELD.format(label=label, value=result.value))
        for key, _ in RESPONDENT_FIELDS:
            if respondent.get(key) != before.get(key):
                self._field_changed(s, key, before.get(key, ""), problems)
        return stored, problems, confirms

    def ask_confirmations(self, s: Session, note: str, confirms: list[FieldConfirmation]) -> None:
        """The first value waiting for a yes is asked (the others after it, one by one),
        or, with none waiting, what comes next."""
        if not confirms:
            self.flow.go_next_with(s, note)
            return
        first, *rest = confirms
        s.user.cursor = Cursor.at_field(first.key)
        pending = FieldConfirmation(first.key, first.value, first.text, tuple(rest))
        s.user.pending = pending
        s.say(note, cards.confirm_card(first.text, confirm_topic(pending)))

    # --- a stored value and what follows ---------------------------------------------------------
    def _set_field(self, s: Session, key: str, value: str) -> list[str]:
        respondent = s.record.respondent
        old = respondent.get(key, "")
        respondent[key] = value
        lines = [msg.FIELD_STORED.format(label=RESPONDENT_LABELS[key], value=value)]
        if old != value:
            self._field_changed(s, key, old, lines)
        return lines

    def _field_changed(self, s: Session, key: str, old: str, lines: list[str]) -> None:
        """History, the prefecture index, a withdrawn request, and for 組織区分 the rules."""
        record = s.record
        value = record.respondent.get(key, "")
        before = {**record.respondent, key: old}
        s.log("field", item=RESPONDENT_LABELS[key], old=old, new=value)
        if key == "org_name":
            s.effects.append(IndexAnswer(record.answer_id, old, value))
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

        record = s.record
        old_union, new_union = union_name(before), union_name(record.respondent)
        if old_union != new_union:
            s.effects.append(RegisterUnion(record.answer_id, old_union, new_union))
        linked = union_link.linked_union(record)
        code = prefecture_code_of_org(record.respondent.get("org_name", ""))
        member = self.survey.orgs.is_role(s.org_type, ROLE_MEMBER)
        if linked and (not member or (code and prefecture_code_of_org(linked) != code)):
            record.union = ""
            s.log("field", item=union_msg.LABEL, old=linked, new="")
            return [union_msg.LINK_DROPPED.format(value=linked)]
        return []

    def _org_type_changed(self, s: Session, old: str, new: str) -> list[str]:
        record = s.record
        lines = []
        name = record.respondent.get("org_name")
        if name:
            check = parse_field("org_name", name, new, self.survey.orgs)
            if not check.ok or check.confirm or check.value != name:
                record.respondent["org_name"] = ""
                s.effects.append(IndexAnswer(record.answer_id, name, ""))
                lines.append(msg.ORG_NAME_AGAIN.format(org_type=new))
        # Applicability was computed for the old 組織区分: re-apply the rules.
        return lines + set_aside_not_applicable(
            self.survey, s, dict(record.answers), report=bool(record.answers), before_org=old or None)

    # --- a 構成市町村's 広域連合等 ------------------------------------------------------------------
    def answer_union(self, s: Session, text: str) -> None:
        if self.flow.locked(s):
            return
        if not self.survey.orgs.is_role(s.org_type, ROLE_MEMBER):
            s.say(msg.UNKNOWN_SUBMIT)
            self.flow.ask_current(s)
            return
        record = s.record
        result = read_union_name(
            text, record.respondent.get("org_name", ""), s.known_unions or (), self.survey.agreed_heading)
        if not result.ok:
            self.flow.ask_union(s, note=result.error)
            return
        old = union_link.linked_union(record)
        record.union = result.value
        lines = [union_msg.STORED.format(value=result.value)]
        if old != result.value:
            s.log("field", item=union_msg.LABEL, old=old, new=result.value)
            if record.answers.get(self.survey.agreed_item or ""):
                s.effects.append(CheckAgreement(record.answer_id))
        self.flow.go_next_with(s, "\n".join(lines))


__all__ = ["RespondentInfo"]
