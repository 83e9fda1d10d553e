"""Working on an answer with others: the 回答責任者's confirmation (確認依頼, 確認 CODE,
承認, 差し戻し), colleagues sharing one answer (共有, 参加 CODE), and the history (履歴).

Codes, the answer a code names and the history are read by the bot before the turn
(Session.code_lookup / other / history); this module decides and changes plain state.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from bot import cards
from bot.dialogs import under_review as review
from bot.dialogs.inputs import UserInput
from bot.dialogs.limits import return_reason_refusal
from bot.dialogs.session import Effect, Session
from bot.messages import teamwork as msg
from bot.state.codes import PURPOSE_CONFIRM, PURPOSE_SHARE, new_code
from bot.survey.model import RESPONDENT_FIELDS, RESPONDENT_LABELS

if TYPE_CHECKING:
    from bot.dialogs.conversation import Conversation

CONFIRMED_AT_FORMAT = "%Y-%m-%d %H:%M"


def same_person(a: str, b: str) -> bool:
    """Teams shows 「山田 太郎」, the sheet may hold 「山田太郎」: compare without spaces."""
    squash = lambda t: "".join((t or "").split())  # noqa: E731
    return bool(squash(a)) and squash(a) == squash(b)


class Teamwork:
    def __init__(self, conversation: "Conversation") -> None:
        self.conversation = conversation
        self.survey = conversation.survey

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
        if s.answer is None:
            s.say(msg.NO_ANSWER)
            return
        status = s.confirmation.get("status")
        if status == "confirmed":
            s.say(msg.ALREADY_CONFIRMED)
            return
        st = self.survey.status(s.org_type, s.answers, s.respondent, s.notes, under_review=review.marked(s))
        refused = []
        if st.info_missing or st.unanswered_flag:
            missing = [label for key, label in RESPONDENT_FIELDS if not s.respondent.get(key)]
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
        answer_id = s.answer["answer_id"]
        s.confirmation.clear()
        s.confirmation.update(
            status="requested", code=code, requested_at=s.now.isoformat(timespec="seconds"),
            requested_by=s.user_key, requested_by_name=s.user_name,
        )
        s.new_codes.append((code, PURPOSE_CONFIRM, answer_id))
        s.log("request")
        responsible = s.respondent.get("responsible_name", "")
        card = self.conversation.review_card(s.answer, [])
        s.say(msg.REQUESTED.format(code=code, name=responsible, org=s.respondent.get("org_name", "")), card)
        s.effects.append(Effect("notify_responsible", {
            "answer_id": answer_id, "name": responsible, "code": code,
            "org": s.respondent.get("org_name", ""), "members": list(s.answer.get("members") or []),
        }))

    def share(self, s: Session, inp: UserInput) -> None:
        if s.answer is None:
            s.say(msg.NO_ANSWER)
            return
        code = new_code()
        s.new_codes.append((code, PURPOSE_SHARE, s.answer["answer_id"]))
        s.log("share")
        s.say(msg.SHARE_CODE.format(code=code, org=s.respondent.get("org_name", "") or msg.NO_ORG_YET))

    def join(self, s: Session, inp: UserInput) -> None:
        other = self._answer_by_code(s, inp)
        if other is None:
            return
        members = other.setdefault("members", [])
        if s.answer is not None and s.answer.get("answer_id") == other["answer_id"]:
            s.say(msg.ALREADY_MEMBER)
            return
        if s.user_key not in members:
            members.append(s.user_key)
        previous = s.answer
        if previous is not None and previous.get("answers"):
            s.user.setdefault("previous_answers", []).append(previous["answer_id"])
        s.answer = other
        s.user["answer_id"] = other["answer_id"]
        s.switched = True
        s.user["paused"] = False
        s.cursor = None
        s.log("join")
        others = [m for m in members if m != s.user_key]
        s.effects.append(Effect("notify", {"user_keys": others, "text": msg.JOINED_NOTICE.format(
            name=s.user_name, org=other.get("respondent", {}).get("org_name", ""))}))
        note = msg.JOINED.format(org=other.get("respondent", {}).get("org_name", "") or msg.NO_ORG_YET)
        if previous is not None and previous.get("answers"):
            note += "\n" + msg.LEFT_PREVIOUS
        self.conversation.go_next_with(s, note)

    # --- the 回答責任者 ---------------------------------------------------------------
    def open_review(self, s: Session, inp: UserInput) -> None:
        other = self._answer_by_code(s, inp)
        if other is None:
            return
        conf = other.setdefault("confirmation", {})
        if s.user_key in (other.get("members") or []):
            s.say(msg.SELF_CONFIRM)
            return
        if conf.get("status") == "confirmed":
            s.say(msg.ALREADY_CONFIRMED_OTHER.format(at=conf.get("confirmed_at", "")))
            return
        if conf.get("status") != "requested" or conf.get("code") != (s.code_lookup and s.code_lookup.code):
            s.say(msg.REQUEST_WITHDRAWN)
            return
        reviewers = other.setdefault("reviewers", [])
        if s.user_key not in reviewers:
            reviewers.append(s.user_key)
        s.user["reviewing"] = {"answer_id": other["answer_id"], "code": conf["code"]}
        respondent = other.get("respondent") or {}
        lines = [msg.REVIEW_FOR_CONFIRMER.format(org=respondent.get("org_name", ""), by=conf.get("requested_by_name", ""))]
        if not same_person(s.user_name, respondent.get("responsible_name", "")):
            lines.append(msg.NAME_DIFFERS.format(teams=s.user_name, sheet=respondent.get("responsible_name", "")))
        s.log("open_review", answer_id=other["answer_id"])
        actions = [(msg.BUTTON_APPROVE, "承認"), (msg.BUTTON_RETURN, "差し戻し")]
        s.say("\n".join(lines), self.conversation.review_card(other, actions))

    def approve(self, s: Session, inp: UserInput) -> None:
        other = self._reviewed(s)
        if other is None:
            return
        conf = other["confirmation"]
        respondent = other.get("respondent") or {}
        conf.update(
            status="confirmed", confirmed_at=s.now.strftime(CONFIRMED_AT_FORMAT), confirmed_by=s.user_name,
            confirmer_key=s.user_key,
        )
        conf.pop("code", None)
        lines = [msg.APPROVED.format(org=respondent.get("org_name", ""), at=conf["confirmed_at"])]
        if not same_person(s.user_name, respondent.get("responsible_name", "")):
            conf["name_differs"] = {"teams": s.user_name, "sheet": respondent.get("responsible_name", "")}
            lines.append(msg.NAME_DIFFERS_RECORDED.format(teams=s.user_name, sheet=respondent.get("responsible_name", "")))
        s.user.pop("reviewing", None)
        s.log("confirm", answer_id=other["answer_id"], confirmed_at=conf["confirmed_at"],
              name_differs=conf.get("name_differs") or {})
        s.say("\n".join(lines))
        s.effects.append(Effect("notify", {
            "user_keys": list(other.get("members") or []), "answer_id": other["answer_id"], "deliver": True,
            "text": msg.APPROVED_NOTICE.format(name=s.user_name, at=conf["confirmed_at"]),
        }))

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
        conf = other["confirmation"]
        conf.update(status="returned", returned_at=s.now.strftime(CONFIRMED_AT_FORMAT), returned_by=s.user_name,
                    return_reason=reason)
        conf.pop("code", None)
        s.user.pop("reviewing", None)
        s.log("return", answer_id=other["answer_id"], reason=reason)
        s.say(msg.RETURNED.format(org=(other.get("respondent") or {}).get("org_name", "")))
        s.effects.append(Effect("notify", {
            "user_keys": list(other.get("members") or []),
            "text": msg.RETURNED_NOTICE.format(name=s.user_name, reason=reason),
        }))

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

    def _history_line(self, entry: dict[str, Any]) -> str:
        when = str(entry.get("at", ""))[5:16].replace("T", " ")
        who = entry.get("name") or entry.get("by", "")
        kind = entry.get("kind", "")
        item = entry.get("item", "")
        old, new = entry.get("old"), entry.get("new")
        if kind in ("answer", "not_applicable") and self.survey.resolve_item_id(item) == item:
            # Stored raw (2, [1, 3]) to keep the history small; shown as on the sheet.
            old = self.survey.format_value(item, old) if old not in (None, "") else old
            new = self.survey.format_value(item, new) if new not in (None, "") else new
            item = self.survey.item(item).heading
        template = msg.HISTORY_KINDS.get(kind, "{kind}")
        line = f"{when} {who}: " + template.format(**{
            **entry,  # an entry's own details (an import's file and counts)
            "kind": kind, "item": item, "old": old or msg.EMPTY, "new": new or msg.EMPTY,
            "reason": entry.get("reason", ""), "at": entry.get("confirmed_at", ""),
        })
        differs = entry.get("name_differs")
        if isinstance(differs, dict) and differs:
            # The confirmer was not the person the sheet names: keep that visible.
            line += msg.HISTORY_NAME_DIFFERS.format(teams=differs.get("teams", ""), sheet=differs.get("sheet", ""))
        return line

    # --- shared checks -----------------------------------------------------------------
    def _answer_by_code(self, s: Session, inp: UserInput) -> dict[str, Any] | None:
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

    def _reviewed(self, s: Session) -> dict[str, Any] | None:
        reviewing = s.user.get("reviewing")
        other = s.other
        if not reviewing or other is None:
            s.say(msg.NOTHING_TO_REVIEW)
            return None
        conf = other.setdefault("confirmation", {})
        if s.user_key in (other.get("members") or []):
            s.say(msg.SELF_CONFIRM)
            return None
        if conf.get("status") == "confirmed":
            s.user.pop("reviewing", None)
            s.say(msg.ALREADY_CONFIRMED_OTHER.format(at=conf.get("confirmed_at", "")))
            return None
        if conf.get("status") != "requested" or conf.get("code") != reviewing.get("code"):
            s.user.pop("reviewing", None)
            s.say(msg.REQUEST_WITHDRAWN)
            return None
        return other


def withdraw_on_change(s: Session) -> str:
    """An edit while the 回答責任者 is asked to confirm withdraws the request: they must
    never confirm answers other than the ones they were shown."""
    if s.answer is not None and s.confirmation.get("status") == "requested":
        s.confirmation.update(status="draft")
        s.confirmation.pop("code", None)
        s.log("withdraw")
        return msg.WITHDRAWN_BY_EDIT
    return ""


__all__ = ["Teamwork", "withdraw_on_change", "same_person", "RESPONDENT_LABELS"]
