"""Deadline reminders: on each reminder day, one proactive message per unfinished or
unconfirmed answer — exactly once, however many bot processes run (a Redis SET NX)."""
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
from bot.state.redis_storage import decode_record
from bot.survey.engine import Survey
from bot.survey.model import ROLE_PREFECTURE

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
    ) -> None:
        self.config = config
        self.client = client
        self.survey = survey
        self.notifier = notifier
        self.clock = clock
        # The ministry's deadline: DEADLINE, else the definition's.
        deadline = config.deadline or survey.texts.deadline
        assert deadline is not None, "create_app resolves the deadline (Config.for_survey)"
        self.deadline = deadline

    async def run_forever(self) -> None:
        await repeat(self.run_once, self.config.reminder_interval, "reminder")

    def days_left(self, now: datetime) -> int:
        return (self.deadline.astimezone(JST).date() - now.astimezone(JST).date()).days

    async def run_once(self, now: datetime | None = None) -> int:
        """Sends today's reminders not yet sent by any process; returns how many."""
        now = now or self.clock()
        days = self.days_left(now)
        if days not in self.config.reminder_days:
            return 0
        ns = self.config.redis_namespace
        sent = 0
        batch: list[bytes] = []
        async for key in self.client.scan_iter(match=f"{ns}:answer:*", count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                sent += await self._remind(batch, days)
                batch = []
        if batch:
            sent += await self._remind(batch, days)
        return sent

    async def _remind(self, keys: list[bytes], days: int) -> int:
        sent = 0
        deadline = self.deadline.astimezone(JST)
        for raw in await self.client.mget(keys):
            if raw is None:
                continue
            answer = decode_record(raw)
            state = self._state_text(answer)
            if state is None:
                continue
            lock = f"{self.config.redis_namespace}:reminded:{answer['answer_id']}:{deadline.date()}:{days}"
            if not await claim(self.client, lock, LOCK_SECONDS):
                continue
            text = msg.REMINDER.format(survey=self.survey.texts.name, deadline=self._deadline_text(answer, days), state=state)
            await self.notifier.send(answer.get("members") or [], text)
            sent += 1
        return sent

    def _deadline_text(self, answer: dict, days: int) -> str:
        """A prefecture's answer sees the ministry's date; any other, its prefecture's
        instructions (the days are counted to the ministry's date, not theirs)."""
        org_type = (answer.get("respondent") or {}).get("org_type")
        return deadline_notice(self.survey.orgs.is_role(org_type, ROLE_PREFECTURE), self.deadline, days_left=days)

    def _state_text(self, answer: dict) -> str | None:
        """What is left to do, or None when the answer is confirmed."""
        if (answer.get("confirmation") or {}).get("status") == "confirmed":
            return None
        respondent = answer.get("respondent") or {}
        st = self.survey.status(respondent.get("org_type"), answer.get("answers") or {}, respondent,
                                answer.get("notes") or {}, under_review=answer.get("under_review") or {})
        if st.info_missing or st.unanswered_flag:
            return msg.REMINDER_UNFINISHED.format(open=len(st.unanswered) + len(st.pending))
        if st.under_review:
            return msg.REMINDER_UNDER_REVIEW.format(n=len(st.under_review))
        return msg.REMINDER_UNCONFIRMED
