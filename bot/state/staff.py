"""Who is prefecture staff: the PREFECTURE_STAFF setting, and the grants administrators
make in the chat (職員追加 / 職員削除), kept in one Redis hash `{ns}:staff`
(user key -> JSON {"code", "name", "by", "at"}).

The setting wins: a user it names is that prefecture's staff whatever the hash says, and
cannot be revoked in the chat (the setting is changed where it is kept).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

import redis.asyncio


@dataclass(frozen=True)
class Grant:
    user_key: str
    code: str  # JIS prefecture code
    name: str = ""  # the Teams name when the grant was made ('' for an id nobody chatted with)
    by: str = ""  # the administrator's user key
    at: str = ""  # YYYY-MM-DD HH:MM (JST)
    from_settings: bool = False

    def to_json(self) -> str:
        return json.dumps({"code": self.code, "name": self.name, "by": self.by, "at": self.at}, ensure_ascii=False)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def decode_grant(user_key: str, raw: bytes | str | None) -> Grant | None:
    """A stored grant; None for nothing or for a value this module did not write."""
    if raw is None:
        return None
    try:
        data: Any = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return None
    return Grant(user_key, data["code"], str(data.get("name") or ""), str(data.get("by") or ""), str(data.get("at") or ""))


class StaffGrants:
    def __init__(self, client: redis.asyncio.Redis, namespace: str, settings: Mapping[str, str]) -> None:
        self._client = client
        self.key = f"{namespace}:staff:grants"
        self.settings = dict(settings)
        self.writes = 0  # this process's changes, so that cached copies know they are old

    def from_settings(self, user_key: str) -> str | None:
        return self.settings.get(user_key)

    async def prefecture_of(self, user_key: str) -> str | None:
        """The prefecture `user_key` is staff of: the setting, else a grant."""
        configured = self.from_settings(user_key)
        if configured is not None:
            return configured
        grant = decode_grant(user_key, await self._client.hget(self.key, user_key))
        return grant.code if grant else None

    async def grant(self, grant: Grant) -> Grant | None:
        """Stores the grant; returns the one it replaced."""
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hget(self.key, grant.user_key)
            pipe.hset(self.key, grant.user_key, grant.to_json())
            old, _ = await pipe.execute()
        self.writes += 1
        return decode_grant(grant.user_key, old)

    async def revoke(self, user_key: str) -> Grant | None:
        """Removes the grant; returns it (None when there was none)."""
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hget(self.key, user_key)
            pipe.hdel(self.key, user_key)
            old, _ = await pipe.execute()
        self.writes += 1
        return decode_grant(user_key, old)

    async def all(self) -> list[Grant]:
        """Settings' staff and chat grants, by prefecture code, then user key."""
        stored = await self._client.hgetall(self.key)
        grants = {key: Grant(key, code, from_settings=True) for key, code in self.settings.items()}
        for raw_key, raw in stored.items():
            key = _text(raw_key)
            grant = decode_grant(key, raw)
            if grant is not None and key not in grants:
                grants[key] = grant
        return sorted(grants.values(), key=lambda g: (g.code, g.from_settings is False, g.user_key))
