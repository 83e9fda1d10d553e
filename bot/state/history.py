"""Append-only history of an answer: every change, request, confirmation and return.

A Redis list per answer (`{ns}:history:{answer_id}`), appended to only by the turn's own
save script (bot/state/turn_store.py), so an entry exists exactly when its change does.
"""
from __future__ import annotations

import json
import logging

import redis.asyncio

from bot.history_entry import HistoryEntry
from bot.stored_json import RecordError

log = logging.getLogger(__name__)


class History:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = "mn2307") -> None:
        self._client = client
        self._namespace = namespace

    def _key(self, answer_id: str) -> str:
        return f"{self._namespace}:history:{answer_id}"

    async def read(self, answer_id: str, count: int | None = None) -> list[HistoryEntry]:
        """Oldest first; with `count`, the newest `count` entries. An entry that is not a
        history entry is left out and logged (the rest of the history is still shown)."""
        key = self._key(answer_id)
        raw = await self._client.lrange(key, -count if count else 0, -1)
        entries = []
        for index, text in enumerate(raw):
            try:
                entries.append(HistoryEntry.from_json(json.loads(text), f"history:{answer_id}[{index}]"))
            except (ValueError, RecordError) as error:  # RecordError is a ValueError too
                log.warning("history entry left out: %s", str(error)[:200])
        return entries
