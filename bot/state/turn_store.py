"""The state one conversation turn works on: one Redis round trip in, one out.

Key layout (inside the namespace, default "mn2307"; the same records RedisStorage
reads as "user:…" / "answer:…"):

    {ns}:user:{user_key}      the user's record: {"answer_id": str | None, "cursor": …,
                              "paused": bool, …, "e_tag": …}; user_key is the AAD
                              object id when Teams sends one, else the channel user id
    {ns}:answer:{answer_id}   the AnswerRecord JSON (bot/survey/model.py) + "e_tag"

The user record names the answer it works on, so `load` reads both in one Lua
call. A turn may also change one answer that is not the user's own (the answer a
回答責任者 confirms or returns, read with `load_answer` and handed to
`TurnState.track_other`). `save` writes whichever of these records changed, with an
e_tag check on each, in one Lua call (all or nothing), together with the turn's
history entries (`TurnState.history`, RPUSHed to `{ns}:history:{answer_id}` as
bot/state/history.py reads them): a turn is saved whole or not at all. A concurrent
turn of the same user, or a colleague writing either answer, makes `save` raise
ETagConflict; `run` then redoes the turn on fresh state, a bounded number of times.
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import redis.asyncio

from bot.state.redis_storage import (
    DEFAULT_NAMESPACE,
    ETAG_FIELD,
    MODE_ABSENT,
    MODE_MATCH,
    MODE_PRESENT,
    CasWrite,
    ETagConflict,
    RedisStorage,
    ListAppend,
    decode_record,
)

USER_PREFIX = "user:"
ANSWER_PREFIX = "answer:"
HISTORY_PREFIX = "history:"  # bot/state/history.py's lists of JSON entries
# Loads and saves of one turn, the first included: the one bound on redoing a turn.
SAVE_ATTEMPTS = 6

# KEYS[1]: the user key. ARGV[1]: the prefix of answer keys. The answer key is only
# known once the user record is decoded, so it is built here rather than declared
# in KEYS; fine on a single Redis server (not on Redis Cluster).
_LOAD_SCRIPT = """
local user = redis.call('GET', KEYS[1])
if not user then return {false, false} end
local ok, decoded = pcall(cjson.decode, user)
local answer = false
if ok and type(decoded) == 'table' and type(decoded['answer_id']) == 'string' then
  answer = redis.call('GET', ARGV[1] .. decoded['answer_id'])
end
return {user, answer}
"""

Result = TypeVar("Result")


def _snapshot(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """An independent copy to compare with at save (dict equality is cheaper than
    serialising both sides with sorted keys)."""
    return None if data is None else json.loads(json.dumps(data, ensure_ascii=False))


def _history_entry(entry: dict[str, Any]) -> ListAppend:
    # The list's key names the answer; repeating it in all of an answer's
    # entries was a quarter of their bytes.
    body = {k: v for k, v in entry.items() if k != "answer_id"}
    value = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return ListAppend(HISTORY_PREFIX + str(entry["answer_id"]), value)


def _split_etag(record: dict[str, Any] | None) -> tuple[dict[str, Any] | None, str | None]:
    if record is None:
        return None, None
    etag = record.pop(ETAG_FIELD, None)
    return record, etag


@dataclass
class TurnState:
    """What a turn reads and changes. `user` and `answer` hold no e_tag themselves.

    To make the user work on another answer (a new one, or a colleague's), call
    `switch_answer`, so that the answer's e_tag follows it. An answer the turn reads
    beyond the user's own is given to `track_other`: changed, it is saved with the
    rest; joined (参加), `adopt_other` makes it the user's answer.
    """

    user_key: str
    user: dict[str, Any]
    answer: dict[str, Any] | None
    user_etag: str | None = None
    answer_etag: str | None = None
    loaded_answer_id: str | None = None
    # History entries (each naming its "answer_id") appended with the save, in the
    # same script: they exist exactly when the state they describe was written.
    history: list[dict[str, Any]] = field(default_factory=list)
    other_id: str | None = None
    other: dict[str, Any] | None = None
    other_etag: str | None = None
    # Records the turn creates beside its own (the codes of 共有 and 確認依頼), written in
    # the same script, each only if its key is free: `create`.
    created: list[CasWrite] = field(default_factory=list)
    # What was loaded (or last saved): save writes only what differs from it.
    _user_seen: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    _answer_seen: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    _other_seen: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def answer_id(self) -> str | None:
        return self.user.get("answer_id")

    def switch_answer(self, answer_id: str, answer: dict[str, Any] | None, etag: str | None) -> None:
        """Point the user at `answer_id`; `answer`/`etag` as from `TurnStore.load_answer`
        (or a new record and None to create it)."""
        self.user["answer_id"] = answer_id
        self.answer = answer
        self.answer_etag = etag
        self.loaded_answer_id = answer_id
        # A record read from Redis is written back only if changed; a new one always.
        self._answer_seen = _snapshot(answer) if etag is not None else None

    def track_other(self, answer_id: str, answer: dict[str, Any], etag: str | None) -> None:
        """An answer other than the user's own, as from `TurnStore.load_answer`; what the
        turn changes in `answer` is saved with the user's records, in the same call."""
        if answer_id == self.answer_id:
            raise ValueError(f"{self.user_key}: {answer_id!r} is the user's own answer, not another")
        self.other_id, self.other, self.other_etag = answer_id, answer, etag
        self._other_seen = _snapshot(answer)

    def create(self, key: str, data: dict[str, Any], ttl_s: int = 0) -> None:
        """A record (key relative to the namespace) saved with the turn, only if no record
        has the key: a taken key is a conflict, and the turn is redone."""
        self.created.append(CasWrite(key, data, MODE_ABSENT, ttl_s=ttl_s))

    def adopt_other(self) -> None:
        """The user now works on the tracked answer (参加): it is saved as theirs."""
        if self.other_id is None or self.other is None:
            raise ValueError(f"{self.user_key}: no other answer to adopt")
        self.user["answer_id"] = self.loaded_answer_id = self.other_id
        self.answer, self.answer_etag, self._answer_seen = self.other, self.other_etag, self._other_seen
        self.other_id = self.other = self.other_etag = self._other_seen = None


class TurnStore:
    def __init__(self, client: redis.asyncio.Redis, namespace: str = DEFAULT_NAMESPACE):
        self._storage = RedisStorage(client, namespace)
        self._load = client.register_script(_LOAD_SCRIPT)

    @property
    def storage(self) -> RedisStorage:
        return self._storage

    async def load(self, user_key: str) -> TurnState:
        """The user's record and the answer it names; an empty user record if new."""
        raw_user, raw_answer = await self._load(
            keys=[self._storage.redis_key(USER_PREFIX + user_key)],
            args=[self._storage.redis_key(ANSWER_PREFIX)],
        )
        user, user_etag = _split_etag(decode_record(raw_user) if raw_user is not None else None)
        answer, answer_etag = _split_etag(decode_record(raw_answer) if raw_answer is not None else None)
        # Decoding again is the cheapest independent copy of what was read.
        user_seen = _split_etag(decode_record(raw_user))[0] if raw_user is not None else {}
        answer_seen = _split_etag(decode_record(raw_answer))[0] if raw_answer is not None else None
        user = user if user is not None else {}
        return TurnState(
            user_key=user_key,
            user=user,
            answer=answer,
            user_etag=user_etag,
            answer_etag=answer_etag,
            loaded_answer_id=user.get("answer_id") if answer is not None else None,
            _user_seen=user_seen,
            _answer_seen=answer_seen,
        )

    async def save(self, state: TurnState, reuse: bool = True) -> None:
        """Write what changed since load (nothing: no round trip). Raises ETagConflict.
        With `reuse`, the state is ready for another save; `run` discards it instead."""
        writes: list[CasWrite] = []
        targets: list[str] = []
        if state.user != state._user_seen:
            writes.append(self._conditional(USER_PREFIX + state.user_key, state.user, state.user_etag))
            targets.append("user")
        answer_id = state.answer_id
        if state.answer is not None and state.answer != state._answer_seen:
            if answer_id is None or answer_id != state.loaded_answer_id:
                raise ValueError(
                    f"{state.user_key}: the answer does not belong to the user's answer_id "
                    f"{answer_id!r}; use TurnState.switch_answer"
                )
            if state.answer.get("answer_id", answer_id) != answer_id:
                raise ValueError(f"{state.user_key}: answer record names {state.answer.get('answer_id')!r}, user names {answer_id!r}")
            writes.append(self._conditional(ANSWER_PREFIX + answer_id, state.answer, state.answer_etag))
            targets.append("answer")
        if state.other is not None and state.other_id is not None and state.other != state._other_seen:
            if state.other_id == answer_id:
                raise ValueError(f"{state.user_key}: the other answer {answer_id!r} became the user's; use adopt_other")
            writes.append(self._conditional(ANSWER_PREFIX + state.other_id, state.other, state.other_etag))
            targets.append("other")
        writes += state.created
        entries = [entry for entry in state.history if entry.get("answer_id")]
        if not writes and not entries:
            return
        # An answer's history is appended only while the answer exists: a turn that read it
        # before its deletion must not recreate the list the deletion removed.
        written = {write.key for write in writes}
        for answer_key in dict.fromkeys(ANSWER_PREFIX + str(entry["answer_id"]) for entry in entries):
            if answer_key not in written:
                writes.append(CasWrite(answer_key, {}, MODE_PRESENT))
        appends = [_history_entry(entry) for entry in entries]
        etags = await self._storage.compare_and_set(writes, appends)
        state.history = []
        state.created = []
        for target, etag in zip(targets, etags):
            if target == "user":
                state.user_etag = etag
                state._user_seen = _snapshot(state.user) if reuse else None
            elif target == "answer":
                state.answer_etag = etag
                state._answer_seen = _snapshot(state.answer) if reuse else None
            else:
                state.other_etag = etag
                state._other_seen = _snapshot(state.other) if reuse else None

    async def load_answer(self, answer_id: str) -> tuple[dict[str, Any] | None, str | None]:
        """(the answer record without its e_tag, the e_tag); (None, None) if there is none."""
        records = await self._storage.read([ANSWER_PREFIX + answer_id])
        answer, etag = _split_etag(records.get(ANSWER_PREFIX + answer_id))
        return answer, etag

    async def save_answer(self, answer_id: str, data: dict[str, Any], etag: str | None) -> str:
        """Write one answer record (etag None: it must not exist yet); returns the new e_tag.

        Outside turns only (seeding, tools): a turn hands an answer that is not the
        user's to `TurnState.track_other`, so that it is saved with the rest.
        """
        (new_etag,) = await self._storage.compare_and_set([self._conditional(ANSWER_PREFIX + answer_id, data, etag)])
        return new_etag

    async def run(
        self,
        user_key: str,
        fn: Callable[[TurnState], Awaitable[Result]],
        attempts: int = SAVE_ATTEMPTS,
    ) -> Result:
        """load, `await fn(state)`, save; on a conflict redo all three, `attempts` times
        in all, then let the ETagConflict through.

        `fn` may run more than once: it should only change `state` and return what the
        turn is to do (e.g. the replies), and leave sending them to the caller.
        """
        for attempt in range(1, attempts + 1):
            state = await self.load(user_key)
            result = await fn(state)
            try:
                await self.save(state, reuse=False)
                return result
            except ETagConflict:
                if attempt >= attempts:
                    raise
        raise ValueError(f"attempts must be at least 1, not {attempts}")

    @staticmethod
    def _conditional(key: str, data: dict[str, Any], etag: str | None) -> CasWrite:
        if etag is None:
            return CasWrite(key, data, MODE_ABSENT)
        return CasWrite(key, data, MODE_MATCH, etag)
