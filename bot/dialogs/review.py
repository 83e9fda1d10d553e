"""The summary of one answer (一覧): every item with 対象外 marked and the status lines, for
the respondent's own review and for the 回答責任者's confirmation; where and by when the
finished answer goes."""
from __future__ import annotations

from datetime import datetime

from bot import cards
from bot.dialogs.records import REVIEW_CURSOR
from bot.dialogs.session import Session
from bot.messages import conversation as msg
from bot.messages.dates import wareki_datetime
from bot.messages.deadlines import deadline_notice
from bot.survey.engine import Status, Survey
from bot.survey.model import RESPONDENT_FIELDS, ROLE_PREFECTURE, AnswerRecord, Confirmation, ConfirmationStatus

# A button as the cards take it: (title, command id).
Action = tuple[str, str]


def confirmation_line(confirmation: Confirmation) -> str:
    state = msg.CONFIRMATION_STATES.get(confirmation.status, "")
    if confirmation.status is ConfirmationStatus.CONFIRMED:
        state += msg.CONFIRMED_DETAIL.format(at=confirmation.confirmed_at or "", by=confirmation.confirmed_by or "")
    return msg.STATUS_CONFIRMATION.format(state=state)


def headings(survey: Survey, item_ids: list[str]) -> str:
    return "、".join(survey.item(i).heading for i in item_ids)


def answer_status(survey: Survey, answer: AnswerRecord) -> Status:
    """The engine's status of an answer, its items under review (要確認) included."""
    return survey.status(answer.org_type, answer.answers, answer.respondent, answer.notes, under_review=answer.under_review)


class Review:
    def __init__(self, survey: Survey, deadline: datetime) -> None:
        self.survey = survey
        self.deadline = deadline  # the ministry's (the prefectures') deadline: Config.deadline

    def status(self, s: Session) -> Status:
        return answer_status(self.survey, s.record)

    def show(self, s: Session, note: str = "") -> None:
        s.user.cursor = REVIEW_CURSOR
        actions = [(msg.BUTTON_REQUEST, "request"), (msg.BUTTON_EXPORT, "export"), (msg.BUTTON_HELP, "help")]
        st = self.status(s)
        lines = [note, msg.REVIEW_INTRO.format(example=self.survey.texts.edit_example)]
        if not (st.info_missing or st.unanswered_flag or st.under_review):
            # The finished answer says where it goes (survey-rules.md), and what the sheet
            # cannot carry (the definition's notes at: finish).
            lines += [msg.REVIEW_DONE, *self.survey.finish_notes(s.org_type, s.record.answers), self.where(s),
                      self.deadline_text(s)]
        s.say("\n".join(filter(None, lines)), self.card(s.record, actions))

    def for_prefecture(self, s: Session) -> bool:
        """Prefecture staff and a prefecture's own answer see the ministry's deadline."""
        return bool(s.staff_prefecture) or (
            s.answer is not None and self.survey.orgs.is_role(s.org_type, ROLE_PREFECTURE))

    def deadline_text(self, s: Session) -> str:
        return deadline_notice(self.for_prefecture(s), self.deadline, s.prefecture_deadline)

    def where(self, s: Session) -> str:
        texts = self.survey.texts
        if self.for_prefecture(s):
            return (texts.submit_prefecture or msg.WHERE_PREFECTURE).format(deadline=wareki_datetime(self.deadline))
        return texts.submit_municipality or msg.WHERE_MUNICIPALITY

    def card(self, answer: AnswerRecord, actions: list[Action]) -> dict:
        """Every item of one answer, 対象外 marked, with the status lines: for the
        respondent's review and for the 回答責任者's confirmation."""
        survey = self.survey
        respondent, answers = answer.respondent, answer.answers
        st = answer_status(survey, answer)
        na = set(st.not_applicable)
        rows = []
        for item in survey.items:
            if item.id in na:
                rows.append((item.heading, "", msg.NOT_APPLICABLE))
            elif item.id in answers and (answers[item.id] != [] or answer.has_note_none(item.id)):
                state = msg.UNDER_REVIEW if item.id in st.under_review else ""
                rows.append((item.heading, survey.describe_value(item.id, answers[item.id], "\n"), state))
            else:
                rows.append((item.heading, "", msg.UNANSWERED))
        respondent_rows = [(label, respondent.get(key, "") or msg.UNANSWERED) for key, label in RESPONDENT_FIELDS]
        status_lines = []
        if st.info_missing:
            status_lines.append(msg.INFO_MISSING)
        if st.unanswered_flag:
            status_lines.append(msg.UNANSWERED_FLAG)
        if st.under_review:
            status_lines.append(msg.REVIEW_FLAG.format(items=headings(survey, st.under_review)))
        if not status_lines:
            status_lines.append(msg.ALL_DONE)
        status_lines.append(confirmation_line(answer.confirmation))
        return cards.review_card(respondent_rows, rows, status_lines, actions)


__all__ = ["Review", "answer_status", "confirmation_line", "headings"]
