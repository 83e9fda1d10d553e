"""Every exported key of the namespace, read at one instant.

One Lua script reads them all: Redis runs a script with nothing in between, and a
turn's save is itself one script, so the snapshot holds each turn entirely or not at
all (an answer with exactly its history, a user with the answer it names, the
indexes as they were), while the bot keeps serving. The price is that Redis answers
nobody else while the script runs: measured by bench/export.py (a few tens of
milliseconds for 2,000 answers), far less than a turn's retry budget.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis.asyncio

from bot.keyspace import EXPORTED, KeyKind, kind_of

# ARGV[1]: the namespace with its colon; ARGV[2..]: the exported prefixes. Returns the
# server time (seconds, microseconds), then per key: key, type, PTTL, value (string:
# bytes; list: elements; set: members; hash: field, value, ...). SCAN inside a script
# sees a keyspace nobody changes, so one full cycle meets every key (duplicates are
# possible and skipped).
_SNAPSHOT_SCRIPT = """
local ns = ARGV[1]
local wanted = {}
for i = 2, #ARGV do wanted[#wanted + 1] = ns .. ARGV[i] end
local function exported(key)
  for _, prefix in ipairs(wanted) do
    if string.sub(key, 1, #prefix) == prefix then return true end
  end
  return false
end
local now = redis.call('TIME')
local out = {now[1], now[2]}
local seen = {}
local cursor = '0'
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', ns .. '*', 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    if not seen[key] and exported(key) then
      seen[key] = true
      local kind = redis.call('TYPE', key)['ok']
      local value = nil
      if kind == 'string' then value = redis.call('GET', key)
      elseif kind == 'list' then value = redis.call('LRANGE', key, 0, -1)
      elseif kind == 'set' then value = redis.call('SMEMBERS', key)
      elseif kind == 'hash' then value = redis.call('HGETALL', key)
      end
      if value then
        out[#out + 1] = key
        out[#out + 1] = kind
        out[#out + 1] = redis.call('PTTL', key)
        out[#out + 1] = value
      end
    end
  end
until cursor == '0'
return out
"""

RedisValue = bytes | list[bytes] | dict[bytes, bytes]


@dataclass(frozen=True)
class Entry:
    """One key as Redis holds it, relative to the namespace."""

    kind: KeyKind
    id: str  # the key after the kind's prefix
    value: RedisValue  # string: bytes; list: elements in order; set: sorted members; hash: dict
    expires_at_ms: int | None = None  # epoch milliseconds; None: no TTL

    @property
    def relative_key(self) -> str:
        return self.kind.prefix + self.id


@dataclass(frozen=True)
class Snapshot:
    taken_at_ms: int  # Redis server time when the script ran
    entries: list[Entry]
    skipped: list[str]  # keys under an exported prefix that the bot would not have written


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else raw


async def take_snapshot(client: redis.asyncio.Redis, namespace: str) -> Snapshot:
    script = client.register_script(_SNAPSHOT_SCRIPT)
    reply: list[Any] = await script(keys=[], args=[f"{namespace}:", *(kind.prefix for kind in EXPORTED)])
    taken_at_ms = int(reply[0]) * 1000 + int(reply[1]) // 1000
    entries: list[Entry] = []
    skipped: list[str] = []
    skip = len(namespace) + 1
    for index in range(2, len(reply), 4):
        key, redis_type, pttl, raw = _text(reply[index])[skip:], _text(reply[index + 1]), int(reply[index + 2]), reply[index + 3]
        kind = kind_of(key)
        if kind is None or kind.redis_type != redis_type:
            skipped.append(f"{namespace}:{key} ({redis_type})")  # not the bot's: named, not exported
            continue
        value: RedisValue
        if redis_type == "hash":
            value = dict(zip(raw[::2], raw[1::2]))
        elif redis_type == "set":
            value = sorted(raw)
        else:
            value = raw
        expires = taken_at_ms + pttl if pttl >= 0 else None
        entries.append(Entry(kind, key[len(kind.prefix):], value, expires))
    order = {kind.name: position for position, kind in enumerate(EXPORTED)}
    entries.sort(key=lambda e: (order[e.kind.name], e.id))
    return Snapshot(taken_at_ms, entries, skipped)
