"""Append-only history of an answer: every change, request, confirmation and return.

A Redis list per answer (`{ns}:history:{answer_id}`), appended to only by the turn's own
save script (bot/state/turn_store.py), so an entry exists exactly when its change does.
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

    async def read(self, answer_id: str, count: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; with `count`, the newest `count` entries."""
        raw = await self._client.lrange(self._key(answer_id), -count if count else 0, -1)
        return [json.loads(entry) for entry in raw]
