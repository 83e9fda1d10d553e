"""Working on an answer with others: the 回答責任者's confirmation (確認依頼, 確認 CODE,
承認, 差し戻し), colleagues sharing one answer (共有, 参加 CODE), and the history (履歴).

Codes, the answer a code names and the history are read by the bot before the turn
(Session.code_lookup / other / history); this module decides and changes plain state.
"""
from __future__ import annotations

from typing import Any, Callable

from bot import cards
from bot.dialogs.codes import PURPOSE_CONFIRM, PURPOSE_SHARE, NewCode, new_code
from bot.dialogs.effects import Notify, NotifyResponsible
from bot.dialogs.flow import Flow
from bot.dialogs.inputs import UserInput
from bot.dialogs.limits import return_reason_refusal
from bot.dialogs.records import Reviewing
from bot.dialogs.review import Review
from bot.dialogs.session import Session
from bot.history_entry import HistoryEntry, HistoryKind
from bot.messages import teamwork as msg
from bot.survey.engine import Survey
from bot.survey.model import RESPONDENT_FIELDS, AnswerRecord, Confirmation, ConfirmationStatus

CONFIRMED_AT_FORMAT = "%Y-%m-%d %H:%M"


def same_person(a: str, b: str) -> bool:
    """Teams shows 「山田 太郎」, the sheet may hold 「山田太郎」: compare without spaces."""
    squash = lambda t: "".join((t or "").split())  # noqa: E731
    return bool(squash(a)) and squash(a) == squash(b)


class Teamwork:
    def __init__(self, survey: Survey, flow: Flow, review: Review) -> None:
        self.survey = survey
        self.flow = flow
        self.review = review

    def commands(self) -> dict[str, Callable[[Session, UserInput], None]]:
        return {
            "request": self.request,
            "share": self.share,
            "join": self.join,
            "open_review": self.open_review,
            "approve": self.approve,
            "return": self.return_,
            "history": self.history,
        }

    # --- the respondent -----------------------------------------------------------
    def request(self, s: Session, inp: UserInput) -> None:
        answer = s.answer
        if answer is None:
            s.say(msg.NO_ANSWER)
            return
        if answer.confirmed:
            s.say(msg.ALREADY_CONFIRMED)
            return
        respondent = answer.respondent
        st = self.review.status(s)
        refused = []
        if st.info_missing or st.unanswered_flag:
            missing = [label for key, label in RESPONDENT_FIELDS if not respondent.get(key)]
            missing += [self.survey.item(i).heading for i in self.survey.open_items(st)]
            refused.append(msg.REQUEST_INCOMPLETE.format(items="、".join(missing)))
        if st.under_review:
            # Answers about other people since 1-1/1-2 changed: never sent for confirmation unseen.
            headings = "、".join(self.survey.item(i).heading for i in st.under_review)
            refused.append(msg.REQUEST_UNDER_REVIEW.format(items=headings))
        if refused:
            s.say("\n".join(refused))
            return
        code = new_code()
        answer.confirmation = Confirmation(
            ConfirmationStatus.REQUESTED, code=code, requested_at=s.now.isoformat(timespec="seconds"),
            requested_by=s.user_key, requested_by_name=s.user_name,
        )
        s.new_codes.append(NewCode(code, PURPOSE_CONFIRM, answer.answer_id))
        s.log("request")
        responsible = respondent.get("responsible_name", "")
        card = self.review.card(answer, [])
        s.say(msg.REQUESTED.format(code=code, name=responsible, org=respondent.get("org_name", "")), card)
        s.effects.append(NotifyResponsible(
            answer.answer_id, responsible, code, respondent.get("org_name", ""), list(answer.members)))

    def share(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER)
            return
        code = new_code()
        s.new_codes.append(NewCode(code, PURPOSE_SHARE, s.answer.answer_id))
        s.log("share")
        s.say(msg.SHARE_CODE.format(code=code, org=s.answer.respondent.get("org_name", "") or msg.NO_ORG_YET))

    def join(self, s: Session, inp: UserInput) -> None:
        other = self._answer_by_code(s, inp)
        if other is None:
            return
        if s.answer is not None and s.answer.answer_id == other.answer_id:
            s.say(msg.ALREADY_MEMBER)
            return
        if s.user_key not in other.members:
            other.members.append(s.user_key)
        previous = s.answer
        if previous is not None and previous.answers:
            s.user.previous_answers.append(previous.answer_id)
        s.answer = other
        s.user.answer_id = other.answer_id
        s.switched = True
        s.user.paused = False
        s.user.cursor = None
        s.log("join")
        others = [m for m in other.members if m != s.user_key]
        org = other.respondent.get("org_name", "")
        s.effects.append(Notify(others, msg.JOINED_NOTICE.format(name=s.user_name, org=org)))
        note = msg.JOINED.format(org=org or msg.NO_ORG_YET)
        if previous is not None and previous.answers:
            note += "\n" + msg.LEFT_PREVIOUS
        self.flow.go_next_with(s, note)

    # --- the 回答責任者 ---------------------------------------------------------------
    def open_review(self, s: Session, inp: UserInput) -> None:
        other = self._answer_by_code(s, inp)
        if other is None:
            return
        conf = other.confirmation
        if s.user_key in other.members:
            s.say(msg.SELF_CONFIRM)
            return
        if conf.confirmed:
            s.say(msg.ALREADY_CONFIRMED_OTHER.format(at=conf.confirmed_at or ""))
            return
        if not conf.requested or conf.code != (s.code_lookup and s.code_lookup.code):
            s.say(msg.REQUEST_WITHDRAWN)
            return
        if s.user_key not in other.reviewers:
            other.reviewers.append(s.user_key)
        s.user.reviewing = Reviewing(other.answer_id, conf.code or "")
        respondent = other.respondent
        lines = [msg.REVIEW_FOR_CONFIRMER.format(org=respondent.get("org_name", ""), by=conf.requested_by_name or "")]
        if not same_person(s.user_name, respondent.get("responsible_name", "")):
            lines.append(msg.NAME_DIFFERS.format(teams=s.user_name, sheet=respondent.get("responsible_name", "")))
        s.log("open_review", answer_id=other.answer_id)
        actions = [(msg.BUTTON_APPROVE, "approve"), (msg.BUTTON_RETURN, "return")]
        s.say("\n".join(lines), self.review.card(other, actions))

    def approve(self, s: Session, inp: UserInput) -> None:
        other = self._reviewed(s)
        if other is None:
            return
        conf = other.confirmation
        respondent = other.respondent
        conf.status = ConfirmationStatus.CONFIRMED
        conf.confirmed_at = s.now.strftime(CONFIRMED_AT_FORMAT)
        conf.confirmed_by, conf.confirmer_key, conf.code = s.user_name, s.user_key, None
        lines = [msg.APPROVED.format(org=respondent.get("org_name", ""), at=conf.confirmed_at)]
        if not same_person(s.user_name, respondent.get("responsible_name", "")):
            conf.name_differs = {"teams": s.user_name, "sheet": respondent.get("responsible_name", "")}
            lines.append(msg.NAME_DIFFERS_RECORDED.format(teams=s.user_name, sheet=respondent.get("responsible_name", "")))
        s.user.reviewing = None
        s.log("confirm", answer_id=other.answer_id, confirmed_at=conf.confirmed_at,
              name_differs=conf.name_differs or {})
        s.say("\n".join(lines))
        s.effects.append(Notify(
            list(other.members), msg.APPROVED_NOTICE.format(name=s.user_name, at=conf.confirmed_at),
            answer_id=other.answer_id, deliver=True,
        ))

    def return_(self, s: Session, inp: UserInput) -> None:
        reason = inp.arg.strip()
        if not reason:
            s.say(msg.RETURN_NEEDS_REASON)
            return
        refusal = return_reason_refusal(reason)
        if refusal:
            s.say(refusal)
            return
        other = self._reviewed(s)
        if other is None:
            return
        conf = other.confirmation
        conf.status = ConfirmationStatus.RETURNED
        conf.returned_at, conf.returned_by, conf.return_reason = s.now.strftime(CONFIRMED_AT_FORMAT), s.user_name, reason
        conf.code = None
        s.user.reviewing = None
        s.log("return", answer_id=other.answer_id, reason=reason)
        s.say(msg.RETURNED.format(org=other.respondent.get("org_name", "")))
        s.effects.append(Notify(list(other.members), msg.RETURNED_NOTICE.format(name=s.user_name, reason=reason)))

    # --- history ---------------------------------------------------------------------
    def history(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER)
            return
        entries = s.history or []
        if not entries:
            s.say(msg.NO_HISTORY)
            return
        lines = [self._history_line(e) for e in entries]
        s.say("", cards.message_card(msg.HISTORY_TITLE, lines))

    def _history_line(self, entry: HistoryEntry) -> str:
        when = entry.at[5:16].replace("T", " ")
        who = entry.name or entry.by
        item = entry.get("item", "")
        old, new = entry.get("old"), entry.get("new")
        if entry.kind in (HistoryKind.ANSWER, HistoryKind.NOT_APPLICABLE) and self.survey.resolve_item_id(item) == item:
            # Stored raw (2, [1, 3]) to keep the history small; shown as on the sheet.
            old = self.survey.format_value(item, old) if old not in (None, "") else old
            new = self.survey.format_value(item, new) if new not in (None, "") else new
            item = self.survey.item(item).heading
        template = msg.HISTORY_KINDS[entry.kind]
        line = f"{when} {who}: " + template.format(**{
            **entry.details,  # an entry's own details (an import's file and counts)
            "kind": entry.kind.value, "item": item, "old": old or msg.EMPTY, "new": new or msg.EMPTY,
            "reason": entry.get("reason", ""), "at": entry.get("confirmed_at", ""),
        })
        differs = entry.get("name_differs")
        if isinstance(differs, dict) and differs:
            # The confirmer was not the person the sheet names: keep that visible.
            line += msg.HISTORY_NAME_DIFFERS.format(teams=differs.get("teams", ""), sheet=differs.get("sheet", ""))
        return line

    # --- shared checks -----------------------------------------------------------------
    def _answer_by_code(self, s: Session, inp: UserInput) -> AnswerRecord | None:
        lookup = s.code_lookup
        if not inp.arg.strip():
            s.say(msg.CODE_USAGE)
            return None
        if lookup is not None and lookup.refused:
            s.say(msg.TOO_MANY_GUESSES)
            return None
        if lookup is None or lookup.info is None or s.other is None:
            s.say(msg.CODE_INVALID)
            return None
        return s.other

    def _reviewed(self, s: Session) -> AnswerRecord | None:
        reviewing = s.user.reviewing
        other = s.other
        if reviewing is None or other is None:
            s.say(msg.NOTHING_TO_REVIEW)
            return None
        conf = other.confirmation
        if s.user_key in other.members:
            s.say(msg.SELF_CONFIRM)
            return None
        if conf.confirmed:
            s.user.reviewing = None
            s.say(msg.ALREADY_CONFIRMED_OTHER.format(at=conf.confirmed_at or ""))
            return None
        if not conf.requested or conf.code != reviewing.code:
            s.user.reviewing = None
            s.say(msg.REQUEST_WITHDRAWN)
            return None
        return other


__all__ = ["Teamwork", "same_person"]
