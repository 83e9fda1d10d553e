"""Work on a timer, in every bot process, done once across processes.

Each replica runs the same loops (`repeat`); `claim` lets exactly one of them take a
piece of work: a Redis SET NX with a lifetime, so a replica that dies holding it
frees it when the lifetime ends. Reminders claim one key per answer and day (sent
once), retention one key per round (`Scheduler.claim_round`).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import redis.asyncio

log = logging.getLogger(__name__)

# A round lock never outlives a day, whatever the interval: a job is never stuck for longer.
MAX_LOCK_SECONDS = 24 * 3600


async def claim(client: redis.asyncio.Redis, key: str, seconds: float) -> bool:
    """True for the one caller that takes `key` until `seconds` pass; False for the others."""
    return bool(await client.set(key, b"1", nx=True, ex=max(1, int(seconds))))


async def repeat(job: Callable[[], Awaitable[object]], interval: float, name: str) -> None:
    """`job` every `interval` seconds until cancelled; a failed round is logged, not fatal."""
    while True:
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s round failed", name)
        await asyncio.sleep(interval)


class Scheduler:
    def __init__(self, client: redis.asyncio.Redis, namespace: str) -> None:
        self._client = client
        self._namespace = namespace

    def lock_key(self, job: str) -> str:
        return f"{self._namespace}:lock:{job}"

    async def claim_round(self, job: str, interval: float) -> bool:
        """True in one process per `interval`: that process runs this round of `job`."""
        return await claim(self._client, self.lock_key(job), min(interval, MAX_LOCK_SECONDS))
