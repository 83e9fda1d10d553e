"""What a turn needs to know about the user's role and deadline, read before the pure
conversation step in one round trip: whether they are prefecture staff (the setting or
an administrator's grant), and the deadline their prefecture set for their answer's
organisation (期限)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import redis.asyncio

from bot.state.prefecture_deadlines import PrefectureDeadlines, decode_deadline
from bot.state.staff import StaffGrants, decode_grant


@dataclass(frozen=True)
class TurnRoles:
    staff_prefecture: str | None = None
    prefecture_deadline: datetime | None = None


class RoleReads:
    def __init__(self, client: redis.asyncio.Redis, grants: StaffGrants, deadlines: PrefectureDeadlines) -> None:
        self._client = client
        self.grants = grants
        self.deadlines = deadlines

    async def for_turn(self, user_key: str, prefecture_code: str | None) -> TurnRoles:
        """`prefecture_code`: the prefecture of the answer the user works on, if any."""
        configured = self.grants.from_settings(user_key)
        if configured is not None and prefecture_code is None:
            return TurnRoles(configured)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hget(self.grants.key, user_key)
            pipe.hget(self.deadlines.key, prefecture_code or "")
            raw_grant, raw_deadline = await pipe.execute()
        grant = decode_grant(user_key, raw_grant)
        staff = configured if configured is not None else (grant.code if grant else None)
        deadline = decode_deadline(prefecture_code, raw_deadline) if prefecture_code else None
        return TurnRoles(staff, deadline.at if deadline else None)
