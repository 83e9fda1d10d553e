"""Who the bot knows by name: Teams display names of users who have chatted with it,
so a 確認依頼 can reach the 回答責任者 named on the sheet."""
from __future__ import annotations

import redis.asyncio


def name_key(name: str) -> str:
    """「山田 太郎」 and 「山田太郎」 are the same person on the sheet."""
    return "".join((name or "").split())


class People:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = "mn2307") -> None:
        self._client = client
        self._ns = namespace

    def _key(self, name: str) -> str:
        return f"{self._ns}:name:{name_key(name)}"

    async def rename(self, user_key: str, old: str, new: str) -> None:
        async with self._client.pipeline(transaction=True) as pipe:
            if name_key(old):
                pipe.srem(self._key(old), user_key)
            if name_key(new):
                pipe.sadd(self._key(new), user_key)
            await pipe.execute()

    async def find(self, name: str) -> list[str]:
        if not name_key(name):
            return []
        members = await self._client.smembers(self._key(name))
        return sorted(m.decode() if isinstance(m, bytes) else m for m in members)
