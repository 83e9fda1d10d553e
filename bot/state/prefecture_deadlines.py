"""The deadlines prefectures set for their municipalities and 広域連合等 (期限), and the
once-a-day lock of their 督促.

`{ns}:deadlines:prefectures` is one hash, prefecture code -> JSON {"at": ISO datetime, "by", "set_at"}:
47 fields at most, so reminders read it whole once per round. `{ns}:chased:{code}:{day}`
holds who sent that prefecture's 督促 on that day (SET NX: one per day across processes).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import redis.asyncio

CHASE_LOCK_SECONDS = 2 * 24 * 3600  # past the end of its day whatever the time it was taken


@dataclass(frozen=True)
class PrefectureDeadline:
    code: str
    at: datetime
    by: str = ""  # the staff member's user key
    set_at: str = ""


@dataclass(frozen=True)
class Chase:
    """Who sent a prefecture's 督促 on a day, and when."""

    by: str
    name: str
    at: str  # HH:MM


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def decode_deadline(code: str, raw: bytes | str | None) -> PrefectureDeadline | None:
    if raw is None:
        return None
    try:
        data: Any = json.loads(raw)
        at = datetime.fromisoformat(data["at"])
    except (ValueError, TypeError, KeyError):
        return None  # not written by this module: as if no deadline were set
    return PrefectureDeadline(code, at, str(data.get("by") or ""), str(data.get("set_at") or ""))


class PrefectureDeadlines:
    def __init__(self, client: redis.asyncio.Redis, namespace: str) -> None:
        self._client = client
        self._ns = namespace
        self.key = f"{namespace}:deadlines:prefectures"
        self.writes = 0  # this process's changes, so that cached copies know they are old

    async def get(self, code: str) -> PrefectureDeadline | None:
        return decode_deadline(code, await self._client.hget(self.key, code))

    async def set(self, deadline: PrefectureDeadline) -> None:
        value = {"at": deadline.at.isoformat(timespec="minutes"), "by": deadline.by, "set_at": deadline.set_at}
        await self._client.hset(self.key, deadline.code, json.dumps(value, ensure_ascii=False))
        self.writes += 1

    async def clear(self, code: str) -> bool:
        cleared = bool(await self._client.hdel(self.key, code))
        self.writes += 1
        return cleared

    async def all(self) -> dict[str, PrefectureDeadline]:
        stored = await self._client.hgetall(self.key)
        found = {}
        for raw_code, raw in stored.items():
            code = _text(raw_code)
            deadline = decode_deadline(code, raw)
            if deadline is not None:
                found[code] = deadline
        return found

    def _chase_key(self, code: str, day: date) -> str:
        return f"{self._ns}:chased:{code}:{day.isoformat()}"

    async def claim_chase(self, code: str, day: date, chase: Chase) -> Chase | None:
        """Takes the prefecture's 督促 for `day`: None when taken now, else who took it."""
        key = self._chase_key(code, day)
        value = json.dumps({"by": chase.by, "name": chase.name, "at": chase.at}, ensure_ascii=False)
        if await self._client.set(key, value, nx=True, ex=CHASE_LOCK_SECONDS):
            return None
        raw = await self._client.get(key)
        try:
            data = json.loads(raw) if raw is not None else {}
        except ValueError:
            data = {}
        return Chase(str(data.get("by") or ""), str(data.get("name") or ""), str(data.get("at") or ""))
