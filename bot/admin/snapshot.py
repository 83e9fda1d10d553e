"""Every exported key of the namespace, read at one instant.

One Lua script reads them all: Redis runs a script with nothing in between, and a
turn's save is itself one script, so the snapshot holds each turn entirely or not at
all (an answer with exactly its history, a user with the answer it names, the
indexes as they were), while the bot keeps serving. The price is that Redis answers
nobody else while the script runs: bench/export.py measures about a third of a second
for 2,000 answers on the project's 2-core machine. Turns arriving meanwhile wait that
long; none fails or is lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis.asyncio

from bot.keyspace import EXPORTED, KeyKind, kind_of

# ARGV[1]: the namespace with its colon (glob-escaped); then per exported kind: its
# prefix, its Redis type, "1" if its keys have a TTL. Returns the server time
# (seconds, microseconds), then per key: key, PTTL (-1: none; -3: the key is not of
# its kind's type, and the value is the type it has), value (string: bytes; list:
# elements; set: members; hash: field, value, ...). The catalogue knows each kind's
# type, so a key costs one read (two with a TTL): the script's time is what Redis
# spends away from the bot's turns.
_SNAPSHOT_SCRIPT = """
local ns = ARGV[1]
local readers = {string = 'GET', set = 'SMEMBERS', hash = 'HGETALL'}
local now = redis.call('TIME')
local out = {now[1], now[2]}
for i = 2, #ARGV, 3 do
  local prefix, kind, with_ttl = ARGV[i], ARGV[i + 1], ARGV[i + 2] == '1'
  for _, key in ipairs(redis.call('KEYS', ns .. prefix .. '*')) do
    local value
    if kind == 'list' then value = redis.pcall('LRANGE', key, 0, -1) else value = redis.pcall(readers[kind], key) end
    out[#out + 1] = key
    if type(value) == 'table' and value['err'] then
      out[#out + 1] = -3
      out[#out + 1] = redis.call('TYPE', key)['ok']
    else
      out[#out + 1] = with_ttl and redis.call('PTTL', key) or -1
      out[#out + 1] = value
    end
  end
end
return out
"""
WRONG_TYPE = -3

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


def _glob_escaped(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


async def take_snapshot(client: redis.asyncio.Redis, namespace: str) -> Snapshot:
    script = client.register_script(_SNAPSHOT_SCRIPT)
    args: list[str] = [_glob_escaped(f"{namespace}:")]
    for kind in EXPORTED:
        args += [_glob_escaped(kind.prefix), kind.redis_type, "1" if kind.ttl_seconds is not None else "0"]
    reply: list[Any] = await script(keys=[], args=args)
    taken_at_ms = int(reply[0]) * 1000 + int(reply[1]) // 1000
    entries: list[Entry] = []
    skipped: list[str] = []
    skip = len(namespace) + 1
    for index in range(2, len(reply), 3):
        key, pttl, raw = _text(reply[index])[skip:], int(reply[index + 1]), reply[index + 2]
        kind = kind_of(key)
        if kind is None or pttl == WRONG_TYPE:
            skipped.append(f"{namespace}:{key} ({_text(raw) if pttl == WRONG_TYPE else '?'})")
            continue  # not the bot's: named, not exported
        value: RedisValue
        if kind.redis_type == "hash":
            value = dict(zip(raw[::2], raw[1::2]))
        elif kind.redis_type == "set":
            value = sorted(raw)
        else:
            value = raw
        expires = taken_at_ms + pttl if pttl >= 0 else None
        entries.append(Entry(kind, key[len(kind.prefix):], value, expires))
    order = {kind.name: position for position, kind in enumerate(EXPORTED)}
    entries.sort(key=lambda e: (order[e.kind.name], e.id))
    return Snapshot(taken_at_ms, entries, skipped)
