"""The agreed item (the definition's `agreement:`; 2307's Q13) as each 広域連合等 and
構成市町村 of a prefecture answered it: one small hash per prefecture, so comparing the two
sides never reads whole answers. Beside it, the prefecture's 広域連合等 the bot knows (by
組織名), offered to a 構成市町村 that names its own.

The key kind and the entry's value field keep the name they were stored under (`q13`):
renaming them would orphan the boards already kept."""
from __future__ import annotations

import json
from typing import Any

import redis.asyncio

from bot.survey.prefectures import prefecture_code_of_org


class Q13Board:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = "mn2307") -> None:
        self._client = client
        self._ns = namespace

    def _key(self, prefecture_code: str) -> str:
        return f"{self._ns}:q13:{prefecture_code}"

    def _unions_key(self, prefecture_code: str) -> str:
        return f"{self._ns}:unions:{prefecture_code}"

    async def post(
        self, prefecture_code: str, answer_id: str, org_type: str, org_name: str, q13: list[int], union: str = ""
    ) -> dict[str, dict[str, Any]]:
        """Records this organisation's Q13 (one entry per 組織名: the latest answer counts;
        a 構成市町村's entry names its 広域連合等) and returns every organisation's entry of
        the prefecture, by 組織名."""
        entry: dict[str, Any] = {"type": org_type, "answer_id": answer_id, "q13": sorted(q13)}
        if union:
            entry["union"] = union
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hset(self._key(prefecture_code), org_name, json.dumps(entry, ensure_ascii=False))
            pipe.hgetall(self._key(prefecture_code))
            _, board = await pipe.execute()
        return {_text(k): json.loads(v) for k, v in board.items()}

    async def rename_union(self, answer_id: str, old_name: str, new_name: str) -> None:
        """A 広域連合等's 組織名 entered or changed (either may be empty)."""
        async with self._client.pipeline(transaction=False) as pipe:
            old_code = prefecture_code_of_org(old_name)
            if old_name and old_code:
                pipe.hdel(self._unions_key(old_code), old_name)
            new_code = prefecture_code_of_org(new_name)
            if new_name and new_code:
                pipe.hset(self._unions_key(new_code), new_name, answer_id)
            await pipe.execute()

    async def unions(self, prefecture_code: str) -> list[str]:
        """The prefecture's 広域連合等 the bot knows, by 組織名, sorted."""
        names = await self._client.hkeys(self._unions_key(prefecture_code))
        return sorted(_text(name) for name in names)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
