"""Which answers belong to which prefecture: `{ns}:pref:{code}` is a set of answer ids.

Kept up to date from the conversation's "index" effect whenever an answer's 組織名
changes, so that 集計 reads one set and one MGET instead of scanning every answer.
"""
from __future__ import annotations

import redis.asyncio

from bot.survey.prefectures import prefecture_code_of_org


class AnswerIndex:
    def __init__(self, client: redis.asyncio.Redis, namespace: str) -> None:
        self._client = client
        self._namespace = namespace

    def key(self, code: str) -> str:
        return f"{self._namespace}:pref:{code}"

    async def update(self, answer_id: str, old_org_name: str, new_org_name: str) -> None:
        """Move the answer from the old 組織名's prefecture to the new one's (either may be none)."""
        old_code = prefecture_code_of_org(old_org_name or "")
        new_code = prefecture_code_of_org(new_org_name or "")
        async with self._client.pipeline(transaction=True) as pipe:
            if old_code and old_code != new_code:
                pipe.srem(self.key(old_code), answer_id)
            if new_code:
                pipe.sadd(self.key(new_code), answer_id)
            await pipe.execute()

    async def answer_ids(self, code: str) -> list[str]:
        """The prefecture's answer ids, sorted (the list itself is ordered by 組織名 later)."""
        members = await self._client.smembers(self.key(code))
        return sorted(m.decode() if isinstance(m, bytes) else m for m in members)
