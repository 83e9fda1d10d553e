"""Deleting one answer and everything that names it, in one Lua script.

The answer record, its history, its place in the prefecture index and on the Q13
board, the codes that lead to it (共有, 確認依頼) and workbooks of it waiting on a
FileConsentCard go together or not at all, and only if the answer still carries the
e_tag it was checked with (unconfirmed, or the caller is an administrator): a
colleague's write in between makes the script refuse, and the check is made again on
the fresh record.

Users' records are not touched: one that still names the answer finds none on its
next turn (TurnStore.load reads no answer) and is offered to start afresh, as after
any other deletion. A turn that read the answer before the deletion cannot write it
back, nor add to its history: its save expects the old e_tag (or, for history alone,
the record) and finds no record.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis.asyncio

from bot.state.redis_storage import ETAG_FIELD, decode_record

DELETED = "deleted"
MISSING = "missing"  # no such answer (deleted already)
REFUSED = "refused"  # `allowed` said no (e.g. confirmed meanwhile)
CHANGED = "changed"  # written by others on every attempt
DEFAULT_ATTEMPTS = 5

# KEYS: answer, history, then P prefecture sets, Q Q13 boards and 広域連合等 lists, C codes,
# F consent files.
# ARGV: expected e_tag, answer id, P, Q, C. Returns {1 | 0 (no answer) | -1 (e_tag
# differs), history entries, index entries, codes, files}. Codes and boards are
# re-checked here: only those still naming this answer go.
_DELETE_SCRIPT = """
local raw = redis.call('GET', KEYS[1])
if not raw then return {0, 0, 0, 0, 0} end
local ok, record = pcall(cjson.decode, raw)
local etag = (ok and type(record) == 'table' and type(record['e_tag']) == 'string') and record['e_tag'] or ''
if etag ~= ARGV[1] then return {-1, 0, 0, 0, 0} end
local id = ARGV[2]
local p, q, c = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local history = redis.call('LLEN', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
local index = 0
for i = 3, 2 + p do index = index + redis.call('SREM', KEYS[i], id) end
local function names_answer(text)
  if text == id then return true end  -- unions: 組織名 -> answer id
  local fine, value = pcall(cjson.decode, text)
  return fine and type(value) == 'table' and value['answer_id'] == id
end
for i = 3 + p, 2 + p + q do
  local board = redis.call('HGETALL', KEYS[i])
  for j = 1, #board, 2 do
    if names_answer(board[j + 1]) then index = index + redis.call('HDEL', KEYS[i], board[j]) end
  end
end
local codes = 0
for i = 3 + p + q, 2 + p + q + c do
  local code = redis.call('GET', KEYS[i])
  if code and names_answer(code) then codes = codes + redis.call('DEL', KEYS[i]) end
end
local files = 0
for i = 3 + p + q + c, #KEYS do
  if redis.call('HGET', KEYS[i], 'subject') == id then files = files + redis.call('DEL', KEYS[i]) end
end
return {1, history, index, codes, files}
"""


@dataclass(frozen=True)
class Deletion:
    outcome: str  # DELETED / MISSING / REFUSED / CHANGED
    record: dict[str, Any] | None = None  # the answer as last read (without e_tag)
    history_entries: int = 0
    index_entries: int = 0
    codes: int = 0
    files: int = 0


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else raw


class AnswerDeletion:
    def __init__(self, client: redis.asyncio.Redis, namespace: str) -> None:
        self._client = client
        self._ns = namespace
        self._script = client.register_script(_DELETE_SCRIPT)

    def _key(self, relative: str) -> str:
        return f"{self._ns}:{relative}"

    async def _keys(self, prefix: str) -> list[str]:
        return sorted({_text(k) async for k in self._client.scan_iter(match=self._key(prefix) + "*", count=1000)})

    async def _linked(self, answer_id: str) -> tuple[list[str], list[str], list[str], list[str]]:
        """The index keys to clean, and the codes and consent files that name the answer
        (found by scanning: both live a week at most, and deletion is rare)."""
        prefs = await self._keys("pref:")
        boards = await self._keys("q13:") + await self._keys("unions:")
        codes = []
        code_keys = await self._keys("code:")
        for key, raw in zip(code_keys, await self._client.mget(code_keys) if code_keys else []):
            try:
                if raw is not None and json.loads(raw).get("answer_id") == answer_id:
                    codes.append(key)
            except (ValueError, AttributeError):
                continue
        files = []
        for key in await self._keys("file:"):
            subject = await self._client.hget(key, "subject")
            if subject is not None and _text(subject) == answer_id:
                files.append(key)
        return prefs, boards, codes, files

    async def delete(
        self,
        answer_id: str,
        allowed: Callable[[dict[str, Any]], bool] = lambda record: True,
        attempts: int = DEFAULT_ATTEMPTS,
    ) -> Deletion:
        """Deletes the answer if `allowed(record)` holds for it as it is at that moment."""
        record: dict[str, Any] | None = None
        for _ in range(attempts):
            raw = await self._client.get(self._key(f"answer:{answer_id}"))
            if raw is None:
                return Deletion(MISSING, record)
            record = decode_record(raw)
            etag = str(record.pop(ETAG_FIELD, ""))
            if not allowed(record):
                return Deletion(REFUSED, record)
            prefs, boards, codes, files = await self._linked(answer_id)
            keys = [self._key(f"answer:{answer_id}"), self._key(f"history:{answer_id}"), *prefs, *boards, *codes, *files]
            args = [etag, answer_id, len(prefs), len(boards), len(codes)]
            status, history, index, code_count, file_count = (int(n) for n in await self._script(keys=keys, args=args))
            if status == 1:
                return Deletion(DELETED, record, history, index, code_count, file_count)
            if status == 0:
                return Deletion(MISSING, record)
        return Deletion(CHANGED, record)
