"""Retries of the bot's calls to the Bot Connector, as Teams asks: 429, 412, 502, 503 and
504 are retried with exponential backoff and jitter, honouring Retry-After, and bounded
(a few attempts, a total wait of seconds), so a reply is late rather than lost, and a
Connector that keeps refusing never holds a turn for long."""
from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({412, 429, 502, 503, 504})

# What one attempt reports: (HTTP status, its Retry-After header or None, body text).
Attempt = tuple[int, str | None, str]


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date);
    None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # the first try and three retries
    base_delay_s: float = 0.5  # the first backoff; doubled per retry
    max_delay_s: float = 8.0
    max_retry_after_s: float = 30.0  # a Connector asking for longer is not waited for
    budget_s: float = 30.0  # the most a send waits in total

    def delay(self, retry: int, retry_after: float | None, draw: Callable[[], float] = random.random) -> float | None:
        """The wait before retry number `retry` (0-based); None: give up. Jitter keeps
        replicas and conversations that failed together from retrying together."""
        backoff = min(self.max_delay_s, self.base_delay_s * 2**retry)
        if retry_after is None:
            return backoff / 2 + draw() * backoff / 2
        if retry_after > self.max_retry_after_s:
            return None
        return retry_after + draw() * self.base_delay_s

    async def run(
        self,
        attempt: Callable[[], Awaitable[Attempt]],
        what: str = "",
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> tuple[int, str]:
        """Calls `attempt` until its status is final, the attempts are used up or the
        budget would be exceeded; returns the last (status, body)."""
        waited = 0.0
        retry = 0
        while True:
            status, retry_after, body = await attempt()
            if status not in RETRY_STATUSES or retry + 1 >= self.attempts:
                return status, body
            delay = self.delay(retry, parse_retry_after(retry_after))
            if delay is None or waited + delay > self.budget_s:
                return status, body
            log.info("Connector answered %d to %s; retry %d in %.2f s", status, what, retry + 1, delay)
            await sleep(delay)
            waited += delay
            retry += 1
