"""Deadline reminders: on each reminder day, one proactive message per unfinished or
unconfirmed answer — exactly once, however many bot processes run (a Redis SET NX).

Days are counted to the answer's own deadline: the one its prefecture set (期限) for a
municipality or 広域連合等, else the ministry's (the DEADLINE setting)."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

import redis.asyncio

from bot.config import JST, Config
from bot.messages import teamwork as msg
from bot.messages.deadlines import deadline_notice
from bot.notify import Notifier
from bot.scheduler import claim, repeat
from bot.state.prefecture_deadlines import PrefectureDeadline, PrefectureDeadlines
from bot.state.redis_storage import decode_record
from bot.survey.engine import Survey
from bot.survey.model import ROLE_PREFECTURE, ConfirmationStatus
from bot.survey.prefectures import prefecture_code_of_org

log = logging.getLogger(__name__)
SCAN_BATCH = 500
LOCK_SECONDS = 8 * 24 * 3600


class Reminders:
    def __init__(
        self,
        config: Config,
        client: redis.asyncio.Redis,
        survey: Survey,
        notifier: Notifier,
        clock: Callable[[], datetime] = lambda: datetime.now(JST),
        deadlines: PrefectureDeadlines | None = None,
    ) -> None:
        self.config = config
        self.client = client
        self.survey = survey
        self.notifier = notifier
        self.clock = clock
        self.deadlines = deadlines  # set by prefectures (期限); None: the ministry's for all
        # The ministry's deadline: DEADLINE, else the definition's.
        deadline = config.deadline or survey.texts.deadline
        assert deadline is not None, "create_app resolves the deadline (Config.for_survey)"
        self.deadline = deadline

    async def run_forever(self) -> None:
        await repeat(self.run_once, self.config.reminder_interval, "reminder")

    def days_left(self, now: datetime, deadline: datetime | None = None) -> int:
        moment = deadline or self.deadline
        return (moment.astimezone(JST).date() - now.astimezone(JST).date()).days

    async def run_once(self, now: datetime | None = None) -> int:
        """Sends today's reminders not yet sent by any process; returns how many."""
        now = now or self.clock()
        set_by = await self.deadlines.all() if self.deadlines is not None else {}
        deadlines = [self.deadline, *(d.at for d in set_by.values())]
        if not {self.days_left(now, d) for d in deadlines} & set(self.config.reminder_days):
            return 0  # no deadline has a reminder today: nothing to read
        ns = self.config.redis_namespace
        sent = 0
        batch: list[bytes] = []
        async for key in self.client.scan_iter(match=f"{ns}:answer:*", count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                sent += await self._remind(batch, now, set_by)
                batch = []
        if batch:
            sent += await self._remind(batch, now, set_by)
        return sent

    async def _remind(self, keys: list[bytes], now: datetime, set_by: dict[str, PrefectureDeadline]) -> int:
        sent = 0
        for raw in await self.client.mget(keys):
            if raw is None:
                continue
            answer = decode_record(raw)
            state = answer_state_text(self.survey, answer)
            if state is None:
                continue
            own = self._prefecture_deadline(answer, set_by)
            deadline = (own or self.deadline).astimezone(JST)
            days = self.days_left(now, deadline)
            if days not in self.config.reminder_days:
                continue
            lock = f"{self.config.redis_namespace}:reminded:{answer['answer_id']}:{deadline.date()}:{days}"
            if not await claim(self.client, lock, LOCK_SECONDS):
                continue
            text = msg.REMINDER.format(survey=self.survey.texts.name, deadline=self._deadline_text(answer, own, days), state=state)
            await self.notifier.send(answer.get("members") or [], text)
            sent += 1
        return sent

    def _prefecture_deadline(self, answer: dict, set_by: dict[str, PrefectureDeadline]) -> datetime | None:
        """The deadline the answer's prefecture set for it (never for the prefecture's own answer)."""
        respondent = answer.get("respondent") or {}
        if self.survey.orgs.is_role(respondent.get("org_type"), ROLE_PREFECTURE):
            return None
        code = prefecture_code_of_org(respondent.get("org_name", ""))
        found = set_by.get(code) if code else None
        return found.at if found else None

    def _deadline_text(self, answer: dict, own: datetime | None, days: int) -> str:
        """A prefecture's answer sees the ministry's date; any other, its prefecture's date
        when one is set, else its prefecture's instructions (never the ministry's date)."""
        org_type = (answer.get("respondent") or {}).get("org_type")
        for_prefecture = self.survey.orgs.is_role(org_type, ROLE_PREFECTURE)
        return deadline_notice(for_prefecture, self.deadline, own, days_left=days)


def answer_state_text(survey: Survey, answer: dict) -> str | None:
    """What is left to do on an answer, or None when it is confirmed."""
    if (answer.get("confirmation") or {}).get("status") == ConfirmationStatus.CONFIRMED:
        return None
    respondent = answer.get("respondent") or {}
    st = survey.status(respondent.get("org_type"), answer.get("answers") or {}, respondent,
                       answer.get("notes") or {}, under_review=answer.get("under_review") or {})
    if st.info_missing or st.unanswered_flag:
        return msg.REMINDER_UNFINISHED.format(open=len(st.unanswered) + len(st.pending))
    if st.under_review:
        return msg.REMINDER_UNDER_REVIEW.format(n=len(st.under_review))
    return msg.REMINDER_UNCONFIRMED
