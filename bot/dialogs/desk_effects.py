"""What the desk's commands do after the turn (bot/dialogs/desk.py decided who may): read
the prefecture's answers and files (進捗), keep its deadline (期限), send its 督促 once a
day, and keep the staff grants (職員追加 / 職員削除 / 職員一覧), each recorded in the audit
log; then tell the user what was done."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Sequence

from botbuilder.core import TurnContext

from bot import cards
from bot.audit import audit
from bot.config import JST, Config
from bot.delivery.collect import Collector, minute_text
from bot.dialogs.desk_input import is_user_id
from bot.dialogs.effects import Progress, Remind, SetDeadline, Staff, StaffOp, handles
from bot.dialogs.session import Session
from bot.dialogs.survey_bot import to_activity
from bot.export.list_sheets.progress import STATUS_ORDER, ProgressRow
from bot.logs import user_ref
from bot.messages import desk as msg
from bot.messages import list_sheets as sheet_msg
from bot.messages.dates import wareki_datetime
from bot.messages.deadlines import deadline_notice
from bot.notify import Notifier
from bot.reminders import answer_state_text
from bot.state.people import People, name_key
from bot.state.prefecture_deadlines import Chase, PrefectureDeadline, PrefectureDeadlines
from bot.state.staff import Grant, StaffGrants
from bot.survey.engine import Survey
from bot.survey.model import ROLE_PREFECTURE, ROLE_UNION
from bot.survey.organisations import Organisations
from bot.survey.prefectures import prefecture_name

log = logging.getLogger(__name__)


def _short_name(org_name: str, code: str) -> str:
    """`14神奈川県相模原市` -> `相模原市`: the card is about one prefecture."""
    prefix = f"{code}{prefecture_name(code) or ''}"
    return org_name[len(prefix):] if org_name.startswith(prefix) and org_name != prefix else org_name


def _short_time(updated: str) -> str:
    """`2023-07-10 14:05` -> `7/10 14:05`."""
    try:
        moment = datetime.strptime(updated, "%Y-%m-%d %H:%M")
    except ValueError:
        return updated
    return f"{moment.month}/{moment.day} {moment:%H:%M}"


def _row_text(row: ProgressRow, code: str, orgs: Organisations) -> str:
    name = _short_name(row.org_name, code)
    if row.note:
        name += msg.PROGRESS_NOT_IN_LIST
    elif orgs.is_role(row.org_type, ROLE_UNION):
        name += msg.PROGRESS_UNION
    updated = _short_time(row.progress.updated)
    template = msg.PROGRESS_ROW_UPDATED if updated else msg.PROGRESS_ROW
    return template.format(name=name, label=row.progress.label, updated=updated)


def progress_card(
    code: str, rows: Sequence[ProgressRow], deadline: datetime | None, orgs: Organisations
) -> dict[str, Any]:
    """進捗 for a phone: the counts per status, the deadline, then one section per status,
    most in need of chasing first (the first one open); a long section shows its first
    rows and sends the reader to the workbook's 進捗 sheet for the rest."""
    prefecture = prefecture_name(code) or code
    by_status: dict[str, list[ProgressRow]] = {status: [] for status in STATUS_ORDER}
    for row in rows:
        by_status[row.progress.status].append(row)
    counts = [(status, str(len(by_status[status]))) for status in STATUS_ORDER]
    line = (msg.PROGRESS_DEADLINE.format(deadline=wareki_datetime(deadline)) if deadline
            else msg.PROGRESS_NO_DEADLINE)
    sections = []
    budget = msg.PROGRESS_CARD_ROWS
    for status in STATUS_ORDER:
        found = by_status[status]
        if not found:
            continue
        shown = min(len(found), msg.PROGRESS_SECTION_ROWS, budget)
        budget -= shown
        texts = [_row_text(row, code, orgs) for row in found[:shown]]
        if shown < len(found):
            texts.append(msg.PROGRESS_MORE.format(count=len(found) - shown))
        sections.append((msg.PROGRESS_SECTION.format(status=status, count=len(found)), texts, not sections))
    notes = [msg.PROGRESS_HOW] + ([msg.PROGRESS_FILES] if by_status[sheet_msg.FILE_RECEIVED] else [])
    actions = [(msg.BUTTON_LIST, "collect", prefecture), (msg.BUTTON_REMIND, "remind")]
    title = msg.PROGRESS_TITLE.format(prefecture=prefecture, count=len(rows))
    return cards.progress_card(title, counts, [line], sections, notes, actions)


def _names(names: Sequence[str]) -> str:
    shown = msg.NAME_SEPARATOR.join(names[: msg.NAMES_SHOWN])
    if len(names) > msg.NAMES_SHOWN:
        shown += msg.NAME_SEPARATOR + msg.NAMES_MORE.format(count=len(names) - msg.NAMES_SHOWN)
    return shown


class DeskEffects:
    def __init__(
        self,
        config: Config,
        survey: Survey,
        collector: Collector,
        grants: StaffGrants,
        deadlines: PrefectureDeadlines,
        people: People,
        notifier: Notifier,
    ) -> None:
        self.config = config
        self.survey = survey
        self.collector = collector
        self.grants = grants
        self.deadlines = deadlines
        self.people = people
        self.notifier = notifier

    # --- 進捗 ---------------------------------------------------------------------------
    @handles(Progress)
    async def progress(self, turn_context: TurnContext, session: Session, effect: Progress) -> None:
        code = effect.prefecture
        rows = await self.collector.progress(code, session.user_key)
        deadline = await self.deadlines.get(code)
        card = progress_card(code, rows, deadline.at if deadline else None, self.survey.orgs)
        await turn_context.send_activity(to_activity("", [card]))

    # --- 期限 ---------------------------------------------------------------------------
    @handles(SetDeadline)
    async def deadline(self, turn_context: TurnContext, session: Session, effect: SetDeadline) -> None:
        code = effect.prefecture
        prefecture = prefecture_name(code) or code
        if effect.clear:
            cleared = await self.deadlines.clear(code)
            if cleared:
                audit("prefecture_deadline", prefecture=code, by=user_ref(session.user_key), at=None)
            text = (msg.DEADLINE_CLEARED if cleared else msg.DEADLINE_NOTHING_TO_CLEAR).format(prefecture=prefecture)
        elif effect.at:
            at = datetime.fromisoformat(effect.at)
            await self.deadlines.set(PrefectureDeadline(code, at, session.user_key, minute_text(session.now)))
            audit("prefecture_deadline", prefecture=code, by=user_ref(session.user_key), at=at.isoformat(timespec="minutes"))
            lines = [msg.DEADLINE_SET.format(prefecture=prefecture, deadline=wareki_datetime(at))]
            text = "\n".join(lines + ([msg.DEADLINE_PAST] if effect.past else []))
        else:
            current = await self.deadlines.get(code)
            shown = (msg.DEADLINE_CURRENT.format(prefecture=prefecture, deadline=wareki_datetime(current.at))
                     if current else msg.DEADLINE_NONE.format(prefecture=prefecture))
            text = "\n".join([shown, msg.DEADLINE_USAGE])
        await turn_context.send_activity(to_activity(text, []))

    # --- 督促 ---------------------------------------------------------------------------
    @handles(Remind)
    async def remind(self, turn_context: TurnContext, session: Session, effect: Remind) -> None:
        """One proactive message to the members of every answer of the prefecture that is
        unfinished or unconfirmed (its own answer as a 都道府県 aside), at most once a day
        for the prefecture; the staff member is told who was reached and who could not be."""
        code = effect.prefecture
        prefecture = prefecture_name(code) or code
        answers = await self.collector.stored_answers(code)
        targets = [
            (answer, state) for answer in answers
            if not self.survey.orgs.is_role((answer.get("respondent") or {}).get("org_type"), ROLE_PREFECTURE)
            and (state := answer_state_text(self.survey, answer)) is not None
        ]
        rows = await self.collector.progress(code, session.user_key)
        never = [_short_name(r.org_name, code) for r in rows if r.progress.status == sheet_msg.NOT_STARTED]
        files = [r for r in rows if r.progress.status == sheet_msg.FILE_RECEIVED]
        if not targets:
            lines = [msg.REMIND_NOTHING.format(prefecture=prefecture)]
            await turn_context.send_activity(to_activity("\n".join(lines + self._unreached_lines([], never, files)), []))
            return
        now = session.now.astimezone(JST)
        taken = await self.deadlines.claim_chase(code, now.date(), Chase(session.user_key, session.user_name, f"{now:%H:%M}"))
        if taken is not None:
            text = msg.REMIND_ALREADY.format(prefecture=prefecture, name=taken.name or taken.by, at=taken.at)
            await turn_context.send_activity(to_activity(text, []))
            return
        own = await self.deadlines.get(code)
        deadline_text = ""  # no date set: the prefecture's own message says nothing of one
        if own is not None:
            days = (own.at.astimezone(JST).date() - now.date()).days
            deadline_text = deadline_notice(False, self.config.deadline, own.at, days_left=days if days >= 0 else None)
        reached_orgs, people, unreached = 0, 0, []
        for answer, state in targets:
            text = msg.REMIND_TEXT.format(prefecture=prefecture, survey=self.survey.texts.name, deadline=deadline_text, state=state)
            # One answer after another through the Notifier: it paces and retries the sends.
            reached = await self.notifier.send(answer.get("members") or [], text)
            if reached:
                reached_orgs += 1
                people += len(reached)
            else:
                unreached.append(_short_name((answer.get("respondent") or {}).get("org_name", ""), code))
        audit("remind", prefecture=code, by=user_ref(session.user_key), answers=len(targets), reached=people)
        lines = [msg.REMIND_DONE.format(prefecture=prefecture, orgs=reached_orgs, people=people)]
        await turn_context.send_activity(to_activity("\n".join(lines + self._unreached_lines(unreached, never, files)), []))

    @staticmethod
    def _unreached_lines(unreached: list[str], never: list[str], files: list[ProgressRow]) -> list[str]:
        lines = []
        if unreached:
            lines.append(msg.REMIND_UNREACHED.format(count=len(unreached), names=_names(unreached)))
        if never:
            lines.append(msg.REMIND_NEVER_CHATTED.format(count=len(never), names=_names(never)))
        if unreached or never:
            lines.append(msg.REMIND_OTHER_WAYS)
        if files:
            lines.append(msg.REMIND_FILES.format(count=len(files)))
        return lines

    # --- 職員追加 / 職員削除 / 職員一覧 ----------------------------------------------------
    @handles(Staff)
    async def staff(self, turn_context: TurnContext, session: Session, effect: Staff) -> None:
        if effect.op == StaffOp.LIST:
            await turn_context.send_activity(to_activity("", [await self._staff_list()]))
            return
        who = effect.who
        if effect.op == StaffOp.ADD:
            text = await self._grant(session, who, effect.prefecture)
        else:
            text = await self._revoke(session, who)
        await turn_context.send_activity(to_activity(text, []))

    async def _names_of(self, keys: Sequence[str]) -> dict[str, str]:
        return {key: str(record.get("name") or "") for key, record in (await self.notifier.users(keys)).items()}

    def _who(self, key: str, name: str) -> str:
        return msg.STAFF_WHO.format(name=name, key=key) if name else msg.STAFF_WHO_ID.format(key=key)

    async def _person(self, who: str, among: Sequence[Grant] = ()) -> tuple[str | None, str]:
        """(the user key, or None with the reason) for a typed name or id. A name is looked
        up among the people who chatted with the bot and, for a revocation, the grants."""
        if is_user_id(who):
            return who, ""
        keys = set(await self.people.find(who))
        keys |= {g.user_key for g in among if name_key(g.name) == name_key(who)}
        if not keys:
            return None, msg.STAFF_NAME_UNKNOWN.format(name=who)
        if len(keys) > 1:
            return None, msg.STAFF_NAME_AMBIGUOUS.format(name=who, count=len(keys), keys="、".join(sorted(keys)))
        return keys.pop(), ""

    async def _grant(self, session: Session, who: str, code: str) -> str:
        key, reason = await self._person(who)
        if key is None:
            return reason
        name = (await self._names_of([key])).get(key, "")
        shown, prefecture = self._who(key, name), prefecture_name(code) or code
        configured = self.grants.from_settings(key)
        if configured is not None:
            return msg.STAFF_IN_SETTINGS.format(who=shown, prefecture=prefecture_name(configured) or configured)
        grant = Grant(key, code, name, session.user_key, minute_text(session.now))
        old = await self.grants.grant(grant)
        if old is not None and old.code == code:
            return msg.STAFF_ALREADY.format(who=shown, prefecture=prefecture)
        audit("staff_grant", user=user_ref(key), prefecture=code, by=user_ref(session.user_key),
              previous=old.code if old else None)
        await self.notifier.send([key], msg.STAFF_GRANTED_NOTICE.format(prefecture=prefecture, by=session.user_name))
        if old is not None:
            return msg.STAFF_MOVED.format(who=shown, old=prefecture_name(old.code) or old.code, prefecture=prefecture)
        return msg.STAFF_ADDED.format(who=shown, prefecture=prefecture)

    async def _revoke(self, session: Session, who: str) -> str:
        grants = [g for g in await self.grants.all() if not g.from_settings]
        key, reason = await self._person(who, among=grants)
        if key is None:
            return reason
        name = (await self._names_of([key])).get(key, "")
        shown = self._who(key, name)
        configured = self.grants.from_settings(key)
        if configured is not None:
            return msg.STAFF_IN_SETTINGS.format(who=shown, prefecture=prefecture_name(configured) or configured)
        old = await self.grants.revoke(key)
        if old is None:
            return msg.STAFF_NOT_STAFF.format(who=shown)
        audit("staff_revoke", user=user_ref(key), prefecture=old.code, by=user_ref(session.user_key))
        return msg.STAFF_REMOVED.format(who=self._who(key, name or old.name), prefecture=prefecture_name(old.code) or old.code)

    async def _staff_list(self) -> dict[str, Any]:
        grants = await self.grants.all()
        if not grants:
            return cards.message_card(msg.STAFF_LIST_TITLE, [msg.STAFF_LIST_NONE])
        names = await self._names_of([g.user_key for g in grants])
        lines = []
        for code in dict.fromkeys(g.code for g in grants):
            people = [
                self._who(g.user_key, names.get(g.user_key) or g.name)
                + (msg.STAFF_LIST_SETTINGS if g.from_settings else msg.STAFF_LIST_GRANTED.format(at=g.at))
                for g in grants if g.code == code
            ]
            heading = msg.STAFF_LIST_PREFECTURE.format(code=code, prefecture=prefecture_name(code) or code)
            lines.append(msg.STAFF_LIST_LINE.format(prefecture=heading, people=msg.STAFF_LIST_SEPARATOR.join(people)))
        return cards.message_card(msg.STAFF_LIST_TITLE, lines)
