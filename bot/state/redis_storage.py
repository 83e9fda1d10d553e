"""botbuilder `Storage` on Redis, with e_tag compare-and-set in one Lua script.

Every record is a JSON object stored as a Redis string under `{namespace}:{key}`,
carrying its own "e_tag". The same layout and the same script serve
`turn_store.py` (keys `user:…` and `answer:…`), so a record written by one can be
read by the other.

JSON only (no pickle): what sits in Redis stays readable by people and by other
tools, and a code change can never turn stored state into something unloadable.
botbuilder's own state objects (a DialogState stored through ConversationState, the
prompts' options, schema models) are converted to and from tagged JSON by
`sdk_json.py`; plain records are written and read exactly as before.
"""
from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio
from botbuilder.core import Storage, StoreItem

from bot.state.sdk_json import TYPED_KEY, TYPED_PREFIX, TYPED_PREFIX_BYTES, dumps_typed, loads_typed

DEFAULT_NAMESPACE = "mn2307"
ETAG_FIELD = "e_tag"
ANY_ETAG = "*"

# How a write is conditioned on the stored record's e_tag.
MODE_ANY = "any"  # unconditional
MODE_ABSENT = "absent"  # the key must not exist (creating a record)
MODE_MATCH = "match"  # the key must exist with exactly this e_tag
MODE_LENIENT = "lenient"  # MemoryStorage's rule: only a stored e_tag that differs conflicts
MODE_PRESENT = "present"  # the key must exist; it is not written (a guard for list entries)

# KEYS: the keys written, then the lists appended to. ARGV[1]: how many keys are
# written; then one (mode, expected e_tag, payload, lifetime in seconds or 0) quadruple
# per written key; then one value per list entry. All keys are checked before any is
# written, so a write of several keys (and its list entries) is all or nothing. Returns
# 0, or the 1-based index of the first key whose check failed.
_CAS_SCRIPT = """
local function stored_etag(raw)
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' and type(value['e_tag']) == 'string' then
    return value['e_tag']
  end
  return nil
end
local n = tonumber(ARGV[1])
for i = 1, n do
  local key = KEYS[i]
  local mode = ARGV[4 * i - 2]
  if mode ~= 'any' then
    local raw = redis.call('GET', key)
    if mode == 'absent' then
      if raw then return i end
    elseif mode == 'present' then
      if not raw then return i end
    else
      local expected = ARGV[4 * i - 1]
      if raw then
        local current = stored_etag(raw)
        if mode == 'match' then
          if current ~= expected then return i end
        elseif current and current ~= expected then
          return i
        end
      elseif mode == 'match' then
        return i
      end
    end
  end
end
for i = 1, n do
  if ARGV[4 * i - 2] ~= 'present' then
    local ttl = tonumber(ARGV[4 * i + 1])
    if ttl > 0 then
      redis.call('SET', KEYS[i], ARGV[4 * i], 'EX', ttl)
    else
      redis.call('SET', KEYS[i], ARGV[4 * i])
    end
  end
end
for j = n + 1, #KEYS do
  redis.call('RPUSH', KEYS[j], ARGV[4 * n + 1 + (j - n)])
end
return 0
"""


class ETagConflict(KeyError):
    """A write found the record changed (or created, or gone) since it was read.

    A KeyError, like MemoryStorage's conflict, so code written against either catches it.
    """

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"e_tag conflict on {self.key!r}: the record changed since it was read"


@dataclass(frozen=True)
class CasWrite:
    """One record of a compare-and-set write; `key` is relative to the namespace."""

    key: str
    data: Mapping[str, Any]
    mode: str = MODE_ANY
    expected_etag: str = ""
    ttl_s: int = 0  # a lifetime for the key (e.g. a code's 7 days); 0: none


@dataclass(frozen=True)
class ListAppend:
    """One RPUSH of a compare-and-set call; `key` is relative to the namespace.
    (A list, not a stream: an answer's history costs a quarter less memory.)"""

    key: str
    value: str


def new_etag() -> str:
    # Random rather than a counter: no extra key to keep, and tags from two
    # namespaces or two servers can never be mistaken for each other.
    return secrets.token_hex(8)


class _NotPlain(Exception):
    pass


def _not_plain(value: object) -> object:
    raise _NotPlain


def encode_record(data: Mapping[str, Any], etag: str, key: str = "") -> str:
    """Compact UTF-8 JSON; a record holding botbuilder state objects is written in
    sdk_json's tagged form instead (tried only once plain JSON has failed, so the
    bot's own plain records cost what they always did)."""
    record = dict(data)
    record[ETAG_FIELD] = etag
    if TYPED_KEY in record:
        raise TypeError(f"{key or 'record'}: {TYPED_KEY!r} is a reserved key")
    try:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_not_plain)
    except _NotPlain:
        return dumps_typed(record, key or "record")


def decode_record(raw: bytes | str) -> dict[str, Any]:
    # One prefix test (no call) tells the records with SDK objects from the bot's own.
    typed = raw.startswith(TYPED_PREFIX_BYTES if isinstance(raw, bytes) else TYPED_PREFIX)
    value = loads_typed(raw) if typed else json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("stored record is not a JSON object")
    return value


def item_as_dict(item: Any) -> dict[str, Any]:
    """A change as botbuilder passes it (dict or StoreItem) as a plain dict."""
    if isinstance(item, Mapping):
        return dict(item)
    if hasattr(item, "__dict__"):
        return dict(vars(item))
    raise TypeError(f"cannot store {type(item).__name__}: expected a dict or a StoreItem")


class RedisStorage(Storage):
    """MemoryStorage's contract on Redis: reads in one MGET, writes in one script call.

    Unlike MemoryStorage, every write assigns a fresh e_tag (also to records that had
    none), and the caller's dict / StoreItem is given the new e_tag, so that the same
    holder (e.g. a BotState saving twice in a turn) can write again without conflict.
    """

    def __init__(self, client: redis.asyncio.Redis, namespace: str = DEFAULT_NAMESPACE):
        super().__init__()
        self._client = client
        self._namespace = namespace
        self._cas = client.register_script(_CAS_SCRIPT)

    @property
    def client(self) -> redis.asyncio.Redis:
        return self._client

    @property
    def namespace(self) -> str:
        return self._namespace

    def redis_key(self, key: str) -> str:
        return f"{self._namespace}:{key}"

    async def read(self, keys: Sequence[str] | None) -> dict[str, dict[str, Any]]:
        if keys is None:
            # What botbuilder-testing's StorageBaseTests ask of a storage other than
            # MemoryStorage / Cosmos (the words are theirs).
            raise ValueError("Keys are required when reading")
        if not keys:
            return {}
        keys = list(keys)
        raws = await self._client.mget([self.redis_key(key) for key in keys])
        return {key: decode_record(raw) for key, raw in zip(keys, raws) if raw is not None}

    async def write(self, changes: Mapping[str, Any] | None) -> None:
        if changes is None:
            raise ValueError("Changes are required when writing")
        if not changes:
            return
        writes = []
        for key, change in changes.items():
            data = item_as_dict(change)
            expected = data.get(ETAG_FIELD)
            if expected == "":
                raise ValueError(f"{key}: e_tag is empty (use None or '*' for an unconditional write)")
            if expected is None or expected == ANY_ETAG:
                writes.append(CasWrite(key, data))
            else:
                writes.append(CasWrite(key, data, MODE_LENIENT, str(expected)))
        new_etags = await self.compare_and_set(writes)
        for (key, change), etag in zip(changes.items(), new_etags):
            if isinstance(change, dict):
                change[ETAG_FIELD] = etag
            elif isinstance(change, StoreItem) or hasattr(change, "__dict__"):
                setattr(change, ETAG_FIELD, etag)

    async def delete(self, keys: Iterable[str] | None) -> None:
        redis_keys = [self.redis_key(key) for key in keys or ()]
        if redis_keys:
            await self._client.delete(*redis_keys)

    async def compare_and_set(
        self, writes: Sequence[CasWrite], appends: Sequence[ListAppend] = ()
    ) -> list[str]:
        """Write all records or none; returns the new e_tag of each, in order (a
        MODE_PRESENT guard's is meaningless: nothing is written).

        `appends` are added to their lists in the same call, only if the writes
        are made: a turn's history goes with the state it describes, in one round trip.
        Raises ETagConflict naming the first key whose condition failed.
        """
        if not writes and not appends:
            return []
        etags = [new_etag() for _ in writes]
        args: list[str] = [str(len(writes))]
        for write, etag in zip(writes, etags):
            payload = "" if write.mode == MODE_PRESENT else encode_record(write.data, etag, write.key)
            args += [write.mode, write.expected_etag, payload, str(write.ttl_s)]
        for entry in appends:
            args.append(entry.value)
        keys = [self.redis_key(write.key) for write in writes] + [self.redis_key(entry.key) for entry in appends]
        failed = await self._cas(keys=keys, args=args)
        if failed:
            raise ETagConflict(writes[int(failed) - 1].key)
        return etags
