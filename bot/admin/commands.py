"""export / import / delete: each takes a Redis client and prints what it did.

Each returns the process exit status: 0 done, 1 refused (nothing changed).
"""
from __future__ import annotations

import json
import getpass
import os
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import redis.asyncio

from bot.admin.data_file import DataFileError, iso_time, read_lines, write_lines
from bot.admin.restore import NotEmpty, restore
from bot.admin.snapshot import take_snapshot
from bot.audit import audit
from bot.messages import admin as msg
from bot.state.answer_deletion import CHANGED, DELETED, AnswerDeletion
from bot.state.redis_storage import ETAG_FIELD

Print = Callable[[str], None]
SCAN_BATCH = 500


def operator() -> str:
    """Who ran the tool, for the audit log (the login name on the host)."""
    try:
        return "admin:" + getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return f"admin:{os.getuid()}"


def _counts(counter: Counter[str]) -> str:
    return "、".join(msg.COUNT.format(kind=kind, count=n) for kind, n in counter.items()) or msg.NOTHING


def _write(path: Path, lines: Iterable[str]) -> None:
    temporary = path.with_name(path.name + ".partial")
    # Personal data: readable by the owner only; renamed into place once complete.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


async def export_data(client: redis.asyncio.Redis, namespace: str, path: Path, out: Print = print) -> int:
    snapshot = await take_snapshot(client, namespace)
    try:
        _write(path, write_lines(snapshot, namespace))
    except OSError as error:
        out(msg.CANNOT_WRITE.format(path=path, error=error.strerror or error))
        return 1
    counts = Counter(entry.kind.name for entry in snapshot.entries)
    audit("data_exported", by=operator(), records=len(snapshot.entries), kinds=dict(counts))
    out(msg.EXPORTED.format(path=path, counts=_counts(counts), taken_at=iso_time(snapshot.taken_at_ms)))
    if snapshot.skipped:
        out(msg.EXPORT_SKIPPED.format(keys="、".join(snapshot.skipped)))
    return 0


async def import_data(client: redis.asyncio.Redis, namespace: str, path: Path, merge: bool, out: Print = print) -> int:
    try:
        with path.open(encoding="utf-8") as handle:
            data = read_lines(handle)
    except OSError as error:
        out(msg.NO_FILE.format(path=path, error=error.strerror or error))
        return 1
    except UnicodeDecodeError:
        out(msg.BAD_FILE.format(path=path, reason=msg.NOT_JSON))
        return 1
    except DataFileError as error:
        out(msg.BAD_FILE.format(path=path, reason=error))
        return 1
    try:
        restored = await restore(client, namespace, data.entries, merge=merge)
    except NotEmpty as refused:
        out(msg.NOT_EMPTY.format(namespace=namespace, example=refused.example))
        return 1
    audit("data_imported", by=operator(), records=sum(restored.written.values()), kinds=dict(restored.written),
          merge=merge, replaced=restored.replaced, expired=restored.expired, taken_at=data.taken_at)
    lines = [msg.IMPORTED.format(path=path, counts=_counts(restored.written))]
    if restored.expired:
        lines.append(msg.IMPORT_EXPIRED.format(count=restored.expired))
    if restored.replaced:
        lines.append(msg.IMPORT_REPLACED.format(count=restored.replaced))
    out("\n".join(lines))
    return 0


def org_key(name: str) -> str:
    """「１４神奈川県 相模原市」 and 「14神奈川県相模原市」 name the same organisation."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


async def answers_of(client: redis.asyncio.Redis, namespace: str, org_name: str) -> list[dict[str, Any]]:
    """Every stored answer whose 組織名 is `org_name`, oldest first."""
    wanted = org_key(org_name)
    found: list[dict[str, Any]] = []
    batch: list[bytes] = []

    async def check(keys: list[bytes]) -> None:
        for raw in await client.mget(keys):
            if raw is None:
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                continue  # not a record the bot wrote: the export names such keys
            if isinstance(record, dict) and org_key((record.get("respondent") or {}).get("org_name", "")) == wanted:
                record.pop(ETAG_FIELD, None)
                found.append(record)

    async for key in client.scan_iter(match=f"{namespace}:answer:*", count=SCAN_BATCH):
        batch.append(key)
        if len(batch) >= SCAN_BATCH:
            await check(batch)
            batch = []
    if batch:
        await check(batch)
    return sorted(found, key=lambda r: (str(r.get("created_at", "")), str(r.get("answer_id"))))


def _state(record: dict[str, Any] | None) -> str:
    confirmed = ((record or {}).get("confirmation") or {}).get("status") == "confirmed"
    return msg.STATE_CONFIRMED if confirmed else msg.STATE_UNCONFIRMED


async def delete_organisation(
    client: redis.asyncio.Redis,
    namespace: str,
    org_name: str,
    answer_id: str | None = None,
    every: bool = False,
    out: Print = print,
) -> int:
    """An administrator's deletion: confirmed answers too, nothing asked."""
    candidates = await answers_of(client, namespace, org_name)
    if answer_id is not None:
        candidates = [r for r in candidates if r.get("answer_id") == answer_id]
    if not candidates:
        out(msg.NOT_FOUND.format(org=org_name))
        return 1
    if len(candidates) > 1 and not every:
        out(msg.SEVERAL.format(org=org_name, count=len(candidates)))
        for record in candidates:
            out(msg.SEVERAL_LINE.format(answer_id=record["answer_id"], state=_state(record),
                                        updated_at=record.get("updated_at", "")))
        return 1
    deletion = AnswerDeletion(client, namespace)
    status = 0
    for candidate in candidates:
        done = await deletion.delete(str(candidate["answer_id"]))
        if done.outcome == CHANGED:
            out(msg.CHANGED.format(answer_id=candidate["answer_id"]))
            status = 1
            continue
        if done.outcome != DELETED:
            continue  # deleted meanwhile by someone else: nothing left to do
        audit("answer_deleted", answer_id=candidate["answer_id"], by=operator(), via="admin",
              organisation=org_key(org_name), confirmed=_state(done.record) == msg.STATE_CONFIRMED,
              history_entries=done.history_entries, codes=done.codes, index_entries=done.index_entries,
              files=done.files)
        stored_name = ((done.record or {}).get("respondent") or {}).get("org_name") or org_name
        out(msg.DELETED.format(org=stored_name, answer_id=candidate["answer_id"], state=_state(done.record),
                               history=done.history_entries, codes=done.codes))
    return status
