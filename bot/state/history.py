"""Append-only history of an answer: every change, request, confirmation and return.

A Redis stream per answer: entries are never rewritten, and XRANGE gives them in order.
"""
from __future__ import annotations

import json
from typing import Any

import redis.asyncio


class History:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = "mn2307") -> None:
        self._client = client
        self._namespace = namespace

    def _key(self, answer_id: str) -> str:
        return f"{self._namespace}:history:{answer_id}"

    async def append_events(self, events: list[dict[str, Any]]) -> None:
        """Events of one turn, each to the history of the answer it names."""
        async with self._client.pipeline(transaction=False) as pipe:
            for entry in events:
                if entry.get("answer_id"):
                    pipe.xadd(self._key(entry["answer_id"]), {"e": json.dumps(entry, ensure_ascii=False)})
            await pipe.execute()

    async def read(self, answer_id: str, count: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; with `count`, the newest `count` entries."""
        if count:
            raw = list(reversed(await self._client.xrevrange(self._key(answer_id), count=count)))
        else:
            raw = await self._client.xrange(self._key(answer_id))
        return [json.loads(fields[b"e"] if b"e" in fields else fields["e"]) for _id, fields in raw]
