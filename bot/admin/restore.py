"""Writing an export back: all of it in one MULTI/EXEC, so a restore is whole or absent.

Into an empty namespace by default. With `merge`, over existing data: the file wins for
each key it holds (answers, users, histories, codes: replaced), while sets and hashes
(the indexes) gain the file's members and fields and keep their own. Records get fresh
e_tags, so a turn that read the old record before a merge redoes itself on the new one.
Keys whose TTL ran out since the export are not restored.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import redis.asyncio

from bot.admin.snapshot import Entry
from bot.keyspace import kind_of


class NotEmpty(RuntimeError):
    def __init__(self, example: str) -> None:
        super().__init__(example)
        self.example = example


@dataclass
class Restored:
    written: Counter[str] = field(default_factory=Counter)  # by kind
    expired: int = 0
    replaced: int = 0  # keys that existed already (merge)


async def existing_key(client: redis.asyncio.Redis, namespace: str) -> str | None:
    """A key of a kind backups carry, if the namespace holds one. Scheduler locks, guess
    counters and consent files don't count: a stopped bot may leave them behind."""
    async for raw in client.scan_iter(match=f"{namespace}:*", count=1000):
        key = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        kind = kind_of(key[len(namespace) + 1:])
        if kind is not None and kind.exported:
            return key
    return None


async def _server_ms(client: redis.asyncio.Redis) -> int:
    seconds, micros = await client.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def restore(
    client: redis.asyncio.Redis, namespace: str, entries: Sequence[Entry], merge: bool = False
) -> Restored:
    """Raises NotEmpty (nothing written) when the namespace holds data and not `merge`."""
    if not merge:
        example = await existing_key(client, namespace)
        if example is not None:
            raise NotEmpty(example)
    now_ms = await _server_ms(client)
    current = [e for e in entries if e.expires_at_ms is None or e.expires_at_ms > now_ms]
    result = Restored(expired=len(entries) - len(current))
    # Redis holds no empty list, set or hash: such an entry restores to nothing.
    live = [e for e in current if e.kind.redis_type == "string" or e.value]
    keys = [f"{namespace}:{e.relative_key}" for e in live]
    if merge and keys:
        async with client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.exists(key)
            result.replaced = sum(await pipe.execute())
    async with client.pipeline(transaction=True) as pipe:
        for entry, key in zip(live, keys):
            redis_type = entry.kind.redis_type
            if redis_type == "string":
                pipe.set(key, entry.value)  # type: ignore[arg-type]
            elif redis_type == "list":
                pipe.delete(key)
                pipe.rpush(key, *entry.value)
            elif redis_type == "set":
                pipe.sadd(key, *entry.value)
            else:
                pipe.hset(key, mapping=entry.value)  # type: ignore[arg-type]
            if entry.expires_at_ms is not None:
                pipe.pexpireat(key, entry.expires_at_ms)
            result.written[entry.kind.name] += 1
        await pipe.execute()
    return result
