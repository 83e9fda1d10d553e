"""What a turn needs to ask a 構成市町村 for its 広域連合等: whether it may be asked, and
which prefecture's known 広域連合等 to read before the turn (SurveyBot.read_beyond)."""
from __future__ import annotations

from bot.cards.common import ACTION_FORM, ACTION_UNION
from bot.dialogs.inputs import UserInput
from bot.dialogs.records import CursorKind
from bot.dialogs.session import Session
from bot.messages import union as msg
from bot.survey.model import ROLE_MEMBER, AnswerRecord
from bot.survey.organisations import Organisations
from bot.survey.prefectures import prefecture_code_of_org

EDIT_WORDS = frozenset({msg.LABEL, "広域連合等", "広域連合", "所属広域連合等"})


def linked_union(answer: AnswerRecord | None) -> str:
    """The 広域連合等 a 構成市町村 named (AnswerRecord.union), or ''."""
    return answer.union if answer is not None else ""


def needs_union(s: Session, orgs: Organisations) -> bool:
    """A 構成市町村 with its 組織名 and no 広域連合等 named yet."""
    return orgs.is_role(s.org_type, ROLE_MEMBER) and bool(s.record.respondent.get("org_name")) and not linked_union(s.answer)


def prefecture_to_read(s: Session, inp: UserInput | None, orgs: Organisations) -> str | None:
    """The prefecture whose known 広域連合等 this turn may offer: only for a 構成市町村
    who has not named one (or is changing it), from the stored 組織名 or the one
    being entered now."""
    if inp is None or s.answer is None:
        return None
    data = inp.data
    org_type = (data.get("org_type") if data.get("action") == ACTION_FORM else None) or s.org_type
    if not orgs.is_role(org_type, ROLE_MEMBER):
        return None
    editing = inp.command == "edit" and inp.arg.strip() in EDIT_WORDS
    answering = data.get("action") == ACTION_UNION or (
        not data and not inp.command and s.user.cursor is not None and s.user.cursor.kind is CursorKind.UNION)
    if linked_union(s.answer) and not (editing or answering):
        return None
    name = s.record.respondent.get("org_name") or ""
    if not name:
        cursor = s.user.cursor
        if data.get("action") == ACTION_FORM:
            name = str(data.get("org_name") or "")
        elif data.get("field") == "org_name":
            name = str(data.get("value") or "")
        elif not data and not inp.command and cursor is not None and cursor.key == "org_name":
            name = inp.text
    return prefecture_code_of_org(name)
