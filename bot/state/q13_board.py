"""The agreed item (the definition's `agreement:`; 2307's Q13) as each 広域連合等 and
構成市町村 of a prefecture answered it: one small hash per prefecture, so comparing the two
sides never reads whole answers. Beside it, the prefecture's 広域連合等 the bot knows (by
組織名), offered to a 構成市町村 that names its own.

The key kind and the entry's value field keep the name they were stored under (`q13`):
renaming them would orphan the boards already kept."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import redis.asyncio

from bot.stored_json import Fields, RecordError
from bot.survey.prefectures import prefecture_code_of_org

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BoardEntry:
    """One organisation's agreed item on the board (the hash field is its 組織名)."""

    org_type: str
    answer_id: str
    values: tuple[int, ...]  # the options it marked, sorted
    union: str = ""  # a 構成市町村's 広域連合等, by 組織名

    def to_json(self) -> str:
        data: dict[str, Any] = {"type": self.org_type, "answer_id": self.answer_id, "q13": list(self.values)}
        if self.union:
            data["union"] = self.union
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: Any, where: str) -> "BoardEntry":
        fields = Fields(data, where)
        return cls(
            org_type=fields.required_text("type"), answer_id=fields.required_text("answer_id"),
            values=tuple(sorted(fields.number_list("q13"))), union=fields.text("union"),
        )


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
    ) -> dict[str, BoardEntry]:
        """Records this organisation's Q13 (one entry per 組織名: the latest answer counts;
        a 構成市町村's entry names its 広域連合等) and returns every organisation's entry of
        the prefecture, by 組織名 (an entry not of the declared shape is left out, logged)."""
        entry = BoardEntry(org_type, answer_id, tuple(sorted(q13)), union)
        key = self._key(prefecture_code)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hset(key, org_name, entry.to_json())
            pipe.hgetall(key)
            _, board = await pipe.execute()
        entries = {}
        for raw_name, raw in board.items():
            name = _text(raw_name)
            try:
                entries[name] = BoardEntry.from_json(json.loads(raw), f"{key}[{name}]")
            except (ValueError, RecordError) as error:
                log.warning("board entry skipped: %s", error)
        return entries

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
