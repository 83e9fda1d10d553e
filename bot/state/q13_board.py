"""Q13 as each 広域連合等 and 構成市町村 of a prefecture answered it: one small hash per
prefecture, so comparing the two sides never reads whole answers."""
from __future__ import annotations

import json
from typing import Any

import redis.asyncio


class Q13Board:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = "mn2307") -> None:
        self._client = client
        self._ns = namespace

    def _key(self, prefecture_code: str) -> str:
        return f"{self._ns}:q13:{prefecture_code}"

    async def post(self, prefecture_code: str, answer_id: str, org_type: str, org_name: str, q13: list[int]) -> dict[str, dict[str, Any]]:
        """Records this organisation's Q13 (one entry per 組織名: the latest answer counts)
        and returns every organisation's entry of the prefecture, by 組織名."""
        entry = json.dumps({"type": org_type, "answer_id": answer_id, "q13": sorted(q13)}, ensure_ascii=False)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hset(self._key(prefecture_code), org_name, entry)
            pipe.hgetall(self._key(prefecture_code))
            _, board = await pipe.execute()
        return {(k.decode() if isinstance(k, bytes) else k): json.loads(v) for k, v in board.items()}
