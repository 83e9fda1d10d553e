"""What follows from a changed answer, whoever changed it (typed, the form, an import):
answers that no longer apply set aside (the engine says which), later answers put under
review (要確認), and a request for confirmation withdrawn."""
from __future__ import annotations

from typing import Any, Collection

from bot.dialogs import under_review
from bot.dialogs.review import answer_status, headings
from bot.dialogs.session import Session
from bot.messages import conversation as msg
from bot.messages import teamwork as teamwork_msg
from bot.survey.engine import Survey
from bot.survey.model import ConfirmationStatus, circled


def set_aside_not_applicable(
    survey: Survey, s: Session, before: dict[str, Any], report: bool, before_org: str | None = None
) -> list[str]:
    """Apply the rules after an answer: answers that no longer apply leave the record
    (the history keeps them) and the user is told; on an edit (`report`), items that
    newly apply are named too. Items whose applicability waits on an unanswered
    earlier item keep their answers until that item is answered. `before_org`: the
    組織区分 `before` was answered under, when it changed."""
    record = s.record
    not_applicable = set(answer_status(survey, record).not_applicable)
    dropped = [i for i in record.answers if i in not_applicable]
    for item_id in dropped:
        old = record.answers.pop(item_id)
        record.notes.pop(item_id, None)
        s.log("not_applicable", item=item_id, old=old)
    under_review.clear(s, dropped)
    if not report and not dropped:
        return []
    changes = survey.changes(s.org_type, before, record.answers, before_org=before_org)
    lines = []
    if changes.now_excluded:
        lines.append(msg.NOW_NOT_APPLICABLE.format(items=headings(survey, changes.now_excluded)))
    if dropped:
        lines.append(msg.ANSWERS_SET_ASIDE.format(items=headings(survey, [i.id for i in survey.items if i.id in dropped])))
    if changes.now_applicable and report:
        lines.append(msg.NOW_APPLICABLE.format(items=headings(survey, changes.now_applicable)))
    return lines


def put_under_review(
    survey: Survey, s: Session, item_id: str, old: Any, new: Any, answered_anew: Collection[str] = ()
) -> list[str]:
    """Later answers about other people now (the engine says which): kept, 要確認;
    except those given anew with the change (an imported file's own answers)."""
    record = s.record
    flagged = survey.review_after_change(item_id, old, new, s.org_type, record.answers, record.notes)
    flagged = [i for i in flagged if i not in answered_anew]
    if not flagged:
        return []
    under_review.mark(s, flagged, because=item_id)
    item = survey.item(item_id)
    items = headings(survey, flagged)
    s.log("under_review", item=item.heading, new=items)
    return [
        msg.REVIEW_MARKED.format(heading=item.heading, old=circled(old), new=circled(new), items=items),
        item.review_later_reason,
        msg.REVIEW_WALK,
    ]


def withdraw_on_change(s: Session) -> str:
    """An edit while the 回答責任者 is asked to confirm withdraws the request: they must
    never confirm answers other than the ones they were shown."""
    if s.answer is not None and s.answer.confirmation.status is ConfirmationStatus.REQUESTED:
        s.answer.confirmation.status = ConfirmationStatus.DRAFT
        s.answer.confirmation.code = None
        s.log("withdraw")
        return teamwork_msg.WITHDRAWN_BY_EDIT
    return ""


__all__ = ["put_under_review", "set_aside_not_applicable", "withdraw_on_change"]
