"""Teams' rate limits for bots, kept on this process's side of the wire.

Every message the bot posts goes through one Pacer (bot.adapter's reply path). A reply
to what a user just typed is only counted: a person types at a human pace, and a reply
held back would look like a hang. Bulk sends (proactive notices, reminders: anything
inside `bulk_sends()`) wait for a slot that keeps the conversation and the tenant under
Teams' published limits, counting the replies too, so a burst of notices leaves room
for the people chatting at the same time:

- per bot and conversation: 7 messages a second, 8 in 2 s, 60 in 30 s;
- per bot and tenant: 50 requests a second.

The limits are per process: two replicas could together send twice as much; Teams then
answers 429, which the retry policy (bot/http/retry.py) honours.
"""
from __future__ import annotations

import asyncio
import bisect
import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Awaitable

Windows = tuple[tuple[float, int], ...]  # (seconds, at most this many sends in any such span)

CONVERSATION_WINDOWS: Windows = ((1.0, 7), (2.0, 8), (30.0, 60))
TENANT_WINDOWS: Windows = ((1.0, 50),)
# A slot sits this far after the moment the window allows, so that clock granularity
# on either side never makes a send land inside the window it was meant to leave.
MARGIN_S = 0.01
# Logs untouched for longer than every window are dropped, at most this often.
SWEEP_EVERY = 1024

_bulk: contextvars.ContextVar[bool] = contextvars.ContextVar("bulk_sends", default=False)


@contextlib.contextmanager
def bulk_sends() -> Iterator[None]:
    """Marks the sends made inside (in this task) as bulk: they wait for a slot."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


class _Logs:
    """Send times per key (a conversation or a tenant), sorted, trimmed to the windows."""

    def __init__(self, windows: Windows) -> None:
        self.windows = windows
        self.span = max(seconds for seconds, _ in windows)
        self._times: dict[str, list[float]] = {}
        self._inserts = 0

    def record(self, key: str, at: float) -> None:
        times = self._times.setdefault(key, [])
        bisect.insort(times, at)
        self._trim(times, at)
        self._inserts += 1
        if self._inserts % SWEEP_EVERY == 0:
            self._sweep(at)

    def earliest(self, key: str, now: float) -> float:
        """The first moment at or after `now` (and after every send already placed for
        `key`) at which one more send stays within every window."""
        times = self._times.get(key)
        if not times:
            return now
        slot = max(now, times[-1])
        for seconds, limit in self.windows:
            if len(times) >= limit:
                slot = max(slot, times[-limit] + seconds + MARGIN_S)
        return slot

    def _trim(self, times: list[float], now: float) -> None:
        cut = bisect.bisect_left(times, now - self.span - MARGIN_S)
        if cut:
            del times[:cut]

    def _sweep(self, now: float) -> None:
        stale = [key for key, times in self._times.items() if not times or times[-1] < now - self.span - MARGIN_S]
        for key in stale:
            del self._times[key]

    def __len__(self) -> int:
        return len(self._times)


class Pacer:
    def __init__(
        self,
        conversation_windows: Windows = CONVERSATION_WINDOWS,
        tenant_windows: Windows = TENANT_WINDOWS,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._conversations = _Logs(conversation_windows)
        self._tenants = _Logs(tenant_windows)
        self._clock = clock
        self._sleep = sleep

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    async def before_send(self, conversation_id: str, tenant_id: str) -> None:
        """Called right before each POST (each retry too: Teams counts every request)."""
        if not _bulk.get():
            now = self._now()
            self._conversations.record(conversation_id, now)
            self._tenants.record(tenant_id, now)
            return
        # First the conversation's own turn, then a place in the tenant's queue, taken
        # only once this send is ready: one busy chat never holds up the tenant's others.
        await self._wait(self._conversations, conversation_id)
        await self._wait(self._tenants, tenant_id)

    async def _wait(self, logs: _Logs, key: str) -> None:
        now = self._now()
        slot = logs.earliest(key, now)
        logs.record(key, slot)  # reserved before sleeping, so later callers queue behind
        if slot > now:
            await self._sleep(slot - now)

    def tracked(self) -> tuple[int, int]:
        """(conversations, tenants) currently remembered: bounded by the windows."""
        return len(self._conversations), len(self._tenants)
