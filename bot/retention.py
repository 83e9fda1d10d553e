"""Retention: RETAIN_DAYS_AFTER_DEADLINE days after the deadline, the bot forgets people.

From then on, each round (one process per RETENTION_INTERVAL_SECONDS, through
bot/scheduler.py):

- every answer loses its personal fields (回答責任者氏名・連絡先氏名・電話番号・メールアドレス
  become 「（削除済）」, so a complete answer stays complete; who requested, confirmed or
  returned it and its members' ids go) and its history loses who did what (Teams
  names and ids, and the old/new values of those fields); the
  organisation, its 組織区分・担当部署・役職, every survey answer and the
  confirmation's state and time stay, so the prefecture's and the ministry's
  figures still add up;
- every key that names or identifies a person is deleted (bot/keyspace.py, DELETE):
  user records, the name index, codes, guess counters, kept list rows, consent files.

Unset, nothing is ever erased (the survey's default deadline lies in the past, so no
default could be safe). Each answer erased is one audit event, with counts only.
An answer keeps an "erased" mark with how much of its history is done, so a later
round only looks at what was added since (a change after the date is erased too).
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import redis.asyncio

from bot.audit import audit
from bot.config import JST, Config
from bot.keyspace import DELETE, KEY_KINDS
from bot.messages.retention import ERASED as ERASED_TEXT
from bot.scheduler import Scheduler, repeat
from bot.state.redis_storage import ETAG_FIELD, decode_record, encode_record, new_etag
from bot.survey.model import RESPONDENT_LABELS

log = logging.getLogger(__name__)

PERSONAL_FIELDS = ("responsible_name", "contact_name", "phone", "email")
PERSONAL_LABELS = frozenset(RESPONDENT_LABELS[key] for key in PERSONAL_FIELDS)
# Who asked, confirmed or returned: names and user keys.
CONFIRMATION_PEOPLE = ("requested_by", "requested_by_name", "confirmed_by", "confirmer_key", "returned_by", "name_differs")
ANSWER_PEOPLE = ("members", "created_by", "reviewers")
HISTORY_PEOPLE = ("by", "name", "name_differs")
ERASED = "erased"  # {"at": ISO time, "history": entries erased so far}
SCAN_BATCH = 500
ROUND = "retention"

# KEYS: answer, history. ARGV[1]: the e_tag the answer was read with, ARGV[2]: the
# erased answer; then (index, entry) pairs. History is append-only, so the entries
# read stay at their index; the answer's e_tag guards against a colleague's save.
_ERASE_SCRIPT = """
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, record = pcall(cjson.decode, raw)
if not ok or type(record) ~= 'table' or record['e_tag'] ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[2])
for i = 3, #ARGV, 2 do redis.call('LSET', KEYS[2], tonumber(ARGV[i]), ARGV[i + 1]) end
return 1
"""


def erase_from(config: Config) -> datetime | None:
    """When personal fields go; None when RETAIN_DAYS_AFTER_DEADLINE is unset."""
    if config.retain_days_after_deadline is None:
        return None
    return config.deadline.astimezone(JST) + timedelta(days=config.retain_days_after_deadline)


def start_notice(config: Config) -> str:
    """What the bot logs at start about retention."""
    when = erase_from(config)
    if when is None:
        return "RETAIN_DAYS_AFTER_DEADLINE is unset: personal data is kept without limit, nothing is erased"
    return (f"personal data is erased from {when.isoformat(timespec='minutes')} "
            f"({config.retain_days_after_deadline} days after the deadline)")


def _personal(value: Any) -> bool:
    return bool(value) and value != ERASED_TEXT


def erase_answer(answer: dict[str, Any]) -> int:
    """Erases the answer's personal fields in place; returns how many held something.
    A field that held something now holds ERASED_TEXT (an empty one stays empty)."""
    erased = 0
    respondent = answer.get("respondent") or {}
    for key in PERSONAL_FIELDS:
        if _personal(respondent.get(key)):
            respondent[key] = ERASED_TEXT
            erased += 1
    confirmation = answer.get("confirmation") or {}
    for key in CONFIRMATION_PEOPLE:
        if confirmation.pop(key, None):
            erased += 1
    for key in ANSWER_PEOPLE:
        if answer.pop(key, None):
            erased += 1
    answer["members"] = []  # kept as an empty list: readers expect one
    return erased


def erase_entry(entry: dict[str, Any]) -> bool:
    """Erases who made a history entry, and personal values it records; True if changed."""
    changed = False
    for key in HISTORY_PEOPLE:
        if key in entry:
            del entry[key]
            changed = True
    if entry.get("kind") == "field" and entry.get("item") in PERSONAL_LABELS:
        for key in ("old", "new"):
            if _personal(entry.get(key)):
                entry[key] = ERASED_TEXT
                changed = True
    return changed


def _has_people(answer: dict[str, Any]) -> bool:
    respondent = answer.get("respondent") or {}
    confirmation = answer.get("confirmation") or {}
    return (any(_personal(respondent.get(k)) for k in PERSONAL_FIELDS) or any(confirmation.get(k) for k in CONFIRMATION_PEOPLE)
            or any(answer.get(k) for k in ANSWER_PEOPLE))


@dataclass
class RoundResult:
    answers: int = 0  # answers that had something erased
    fields: int = 0
    history_entries: int = 0
    deleted: Counter[str] = field(default_factory=Counter)  # keys deleted, by kind


class Retention:
    def __init__(
        self,
        config: Config,
        client: redis.asyncio.Redis,
        clock: Callable[[], datetime] = lambda: datetime.now(JST),
    ) -> None:
        self.config = config
        self.client = client
        self.clock = clock
        self.scheduler = Scheduler(client, config.redis_namespace)
        self._erase = client.register_script(_ERASE_SCRIPT)
        self._ns = config.redis_namespace

    async def run_forever(self) -> None:
        await repeat(self.tick, self.config.retention_interval, ROUND)

    async def tick(self) -> RoundResult | None:
        """One round, in the one process that claims it; None elsewhere or before the date."""
        when = erase_from(self.config)
        if when is None or self.clock() < when:
            return None
        if not await self.scheduler.claim_round(ROUND, self.config.retention_interval):
            return None
        return await self.run_once()

    async def run_once(self) -> RoundResult:
        """Erases and deletes whatever personal data is stored now (idempotent)."""
        result = RoundResult()
        batch: list[bytes] = []
        async for key in self.client.scan_iter(match=f"{self._ns}:answer:*", count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                await self._erase_batch(batch, result)
                batch = []
        if batch:
            await self._erase_batch(batch, result)
        for kind in KEY_KINDS:
            if kind.at_retention == DELETE:
                deleted = await self._delete_all(kind.prefix)
                if deleted:
                    result.deleted[kind.name] = deleted
        if result.deleted:
            audit("retention_deleted", **dict(result.deleted))
        return result

    async def _erase_batch(self, keys: list[bytes], result: RoundResult) -> None:
        raws = await self.client.mget(keys)
        async with self.client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.llen(self._history_key(key))
            lengths = await pipe.execute()
        for key, raw, length in zip(keys, raws, lengths):
            if raw is None:
                continue
            try:
                answer = decode_record(raw)
            except ValueError:
                log.warning("retention: %r is not an answer record; left as it is", key)
                continue
            done = int((answer.get(ERASED) or {}).get("history", 0))
            if _has_people(answer) or length > done:
                await self._erase_one(key, result)

    def _history_key(self, answer_key: bytes | str) -> str:
        text = answer_key.decode("utf-8") if isinstance(answer_key, bytes) else answer_key
        return text.replace(f"{self._ns}:answer:", f"{self._ns}:history:", 1)

    async def _erase_one(self, key: bytes, result: RoundResult, attempts: int = 3) -> None:
        history_key = self._history_key(key)
        for _ in range(attempts):
            raw = await self.client.get(key)
            if raw is None:
                return
            answer = decode_record(raw)
            etag = str(answer.pop(ETAG_FIELD, ""))
            done = int((answer.get(ERASED) or {}).get("history", 0))
            entries = await self.client.lrange(history_key, done, -1)
            fields = erase_answer(answer)
            changes: list[str | int] = []
            for index, entry_raw in enumerate(entries, done):
                try:
                    entry = json.loads(entry_raw)
                except ValueError:
                    continue  # not written by the bot: nothing of ours to erase in it
                if isinstance(entry, dict) and erase_entry(entry):
                    changes += [index, json.dumps(entry, ensure_ascii=False, separators=(",", ":"))]
            answer[ERASED] = {"at": self.clock().isoformat(timespec="seconds"), "history": done + len(entries)}
            status = await self._erase(keys=[key, history_key], args=[etag, encode_record(answer, new_etag()), *changes])
            if int(status) == 1:
                result.answers += 1
                result.fields += fields
                result.history_entries += len(changes) // 2
                audit("retention_erased", answer_id=answer.get("answer_id"), fields=fields, history_entries=len(changes) // 2)
                return
            if int(status) == 0:
                return  # deleted meanwhile
        log.warning("retention: %s kept changing; erased next round", key)

    async def _delete_all(self, prefix: str) -> int:
        deleted = 0
        batch: list[bytes] = []
        async for key in self.client.scan_iter(match=f"{self._ns}:{prefix}*", count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                deleted += await self.client.unlink(*batch)
                batch = []
        if batch:
            deleted += await self.client.unlink(*batch)
        return deleted
