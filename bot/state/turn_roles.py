"""What a turn needs to know about the user's role and deadline before the pure
conversation step: whether they are prefecture staff (the setting or an administrator's
grant), and the deadline their prefecture set for their answer's organisation (期限).

Both come from two small hashes (staff grants: tens to hundreds of entries; deadlines:
47 at most), which change a few times a day. Each process keeps a copy for
`max_age` seconds instead of reading them on every turn (that read was a Redis round
trip in every turn, a tenth of a turn's time): a change made in this process is seen at
once (the stores count their writes), one made in another replica within `max_age`.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import redis.asyncio

from bot.state.prefecture_deadlines import PrefectureDeadlines, decode_deadline
from bot.state.staff import StaffGrants, decode_grant

ROLE_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class TurnRoles:
    staff_prefecture: str | None = None
    prefecture_deadline: datetime | None = None


@dataclass(frozen=True)
class _Tables:
    read_at: float
    writes: tuple[int, int]  # the stores' write counts when read
    grants: dict[bytes, bytes]
    deadlines: dict[bytes, bytes]


class RoleReads:
    def __init__(
        self,
        client: redis.asyncio.Redis,
        grants: StaffGrants,
        deadlines: PrefectureDeadlines,
        max_age: float = ROLE_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self.grants = grants
        self.deadlines = deadlines
        self._max_age = max_age
        self._clock = clock
        self._tables: _Tables | None = None
        self._lock = asyncio.Lock()

    def _fresh(self, tables: _Tables | None) -> bool:
        return (
            tables is not None
            and self._clock() - tables.read_at < self._max_age
            and tables.writes == (self.grants.writes, self.deadlines.writes)
        )

    async def _read(self) -> _Tables:
        if self._fresh(self._tables):
            return self._tables  # type: ignore[return-value]
        async with self._lock:  # one read for all the turns that find the copy old
            if not self._fresh(self._tables):
                writes = (self.grants.writes, self.deadlines.writes)
                async with self._client.pipeline(transaction=False) as pipe:
                    pipe.hgetall(self.grants.key)
                    pipe.hgetall(self.deadlines.key)
                    grants, deadlines = await pipe.execute()
                self._tables = _Tables(self._clock(), writes, grants, deadlines)
            return self._tables  # type: ignore[return-value]

    async def for_turn(self, user_key: str, prefecture_code: str | None) -> TurnRoles:
        """`prefecture_code`: the prefecture of the answer the user works on, if any."""
        configured = self.grants.from_settings(user_key)
        if configured is not None and prefecture_code is None:
            return TurnRoles(configured)
        tables = await self._read()
        grant = decode_grant(user_key, tables.grants.get(user_key.encode()))
        staff = configured if configured is not None else (grant.code if grant else None)
        raw_deadline = tables.deadlines.get(prefecture_code.encode()) if prefecture_code else None
        deadline = decode_deadline(prefecture_code, raw_deadline) if prefecture_code else None
        return TurnRoles(staff, deadline.at if deadline else None)
