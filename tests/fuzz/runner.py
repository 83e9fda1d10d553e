"""Runs generated cases against a bot server and judges what happened: statuses, the
process, its memory, and the state in Redis (shared by tests/fuzz and bench/fuzz.py)."""
from __future__ import annotations

import asyncio
import json
import re
import socket
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import redis.asyncio

from tests.e2e.transcripts import MUNICIPALITY_LONGEST
from tests.fakes.connector import FakeConnector
from tests.fakes.teams import TeamsClient, TeamsUser
from tests.fuzz.cases import Case, Generator, Target

# 回答者情報 and the first items of the longest walk: an answer half done.
HALF_WALK = MUNICIPALITY_LONGEST.steps()[:14]


async def half_answer(client: TeamsClient) -> None:
    for step in HALF_WALK:
        await (client.say(step.send) if isinstance(step.send, str) else client.submit(step.send))


def rss_kib(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(match[1]) if match else 0


async def snapshot(client: redis.asyncio.Redis, namespace: str) -> dict[bytes, tuple[bytes, Any]]:
    """Every key of the namespace with its type and value (sets as frozensets)."""
    out: dict[bytes, tuple[bytes, Any]] = {}
    async for key in client.scan_iter(match=f"{namespace}:*", count=1000):
        kind = await client.type(key)
        if kind == b"string":
            value: Any = await client.get(key)
        elif kind == b"list":
            value = tuple(await client.lrange(key, 0, -1))
        elif kind == b"set":
            value = frozenset(await client.smembers(key))
        elif kind == b"hash":
            value = await client.hgetall(key)
        elif kind == b"zset":
            value = tuple(await client.zrange(key, 0, -1, withscores=True))
        else:
            value = await client.dump(key)
        out[key] = (kind, value)
    return out


def changes_outside(before: dict[bytes, tuple[bytes, Any]], after: dict[bytes, tuple[bytes, Any]]) -> list[str]:
    """Keys that existed before and were changed since. Only the fuzz users wrote in
    between, and every key they own was created by them; a set (an index) may gain
    their members but must keep everyone else's."""
    changed = []
    for key, (kind, value) in before.items():
        now = after.get(key)
        if now is None:
            changed.append(f"{key.decode(errors='replace')}: deleted")
        elif kind == b"set" and now[0] == b"set":
            if not value <= now[1]:
                changed.append(f"{key.decode(errors='replace')}: members removed")
        elif now != (kind, value):
            changed.append(f"{key.decode(errors='replace')}: changed")
    return changed


@dataclass
class Outcome:
    statuses: Counter = field(default_factory=Counter)
    by_kind: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    unanswered: list[str] = field(default_factory=list)  # connection failures, timeouts
    server_errors: list[str] = field(default_factory=list)  # responses >= 500
    rss_before_kib: int = 0
    rss_peak_kib: int = 0
    rss_after_kib: int = 0

    @property
    def cases(self) -> int:
        return sum(self.statuses.values()) + len(self.unanswered)


async def run_cases(
    url: str,
    cases: Sequence[Case],
    session: aiohttp.ClientSession,
    pid: int | None = None,
    concurrency: int = 8,
    timeout_s: float = 60.0,
) -> Outcome:
    outcome = Outcome()
    queue: asyncio.Queue[Case] = asyncio.Queue()
    for case in cases:
        queue.put_nowait(case)
    if pid is not None:
        outcome.rss_before_kib = outcome.rss_peak_kib = rss_kib(pid)

    async def worker() -> None:
        while not queue.empty():
            case = queue.get_nowait()
            headers = {"Content-Type": case.content_type} if case.content_type else {}
            try:
                async with session.post(
                    f"{url}/api/messages", data=case.body, headers=headers,
                    timeout=aiohttp.ClientTimeout(total=timeout_s), skip_auto_headers=["Content-Type"],
                ) as response:
                    body = await response.read()
                    status = response.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                outcome.unanswered.append(f"{case.kind}: {type(error).__name__}")
                continue
            outcome.statuses[status] += 1
            outcome.by_kind[case.kind][status] += 1
            if status >= 500:
                outcome.server_errors.append(f"{case.kind}: {status} {body[:200]!r} for {case.body[:200]!r}")

    async def sample_rss() -> None:
        while pid is not None:
            outcome.rss_peak_kib = max(outcome.rss_peak_kib, rss_kib(pid))
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample_rss())
    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        sampler.cancel()
    if pid is not None:
        outcome.rss_after_kib = rss_kib(pid)
        outcome.rss_peak_kib = max(outcome.rss_peak_kib, outcome.rss_after_kib)
    return outcome


TENANTS = ["72f988bf-86f1-41af-91ab-2d7cd011db47", "0b5b1d2e-0000-4000-8000-000000000001", "0b5b1d2e-0000-4000-8000-000000000002"]
CONVERSATION_KINDS = ["personal", "personal", "groupChat", "channel"]


@dataclass
class FuzzRun:
    outcome: Outcome
    changes: list[str]  # keys that existed before and changed against the rules
    victim_keys: list[bytes]
    victim_changed: list[bytes]
    victim: TeamsClient


async def fuzz(
    url: str,
    connector: FakeConnector,
    session: aiohttp.ClientSession,
    client: redis.asyncio.Redis,
    namespace: str,
    *,
    seed: int,
    count: int,
    pid: int | None = None,
    users: int = 40,
    concurrency: int = 8,
) -> FuzzRun:
    """A victim answers half the survey; `users` others send `count` generated cases."""
    victim = TeamsClient(url, connector, TeamsUser(name="被害 花子"), session=session)
    await half_answer(victim)
    before = await snapshot(client, namespace)
    answer_id = json.loads(before[f"{namespace}:user:{victim.user.aad_object_id}".encode()][1])["answer_id"]
    target = Target(answer_id=answer_id, user_key=victim.user.aad_object_id)
    senders = [
        TeamsClient(
            url, connector, TeamsUser(name=f"試験 利用者{i}"), session=session,
            conversation_type=CONVERSATION_KINDS[i % len(CONVERSATION_KINDS)], tenant_id=TENANTS[i % len(TENANTS)],
        )
        for i in range(users)
    ]
    with socket.socket() as probe:  # a port nothing listens on: an unreachable serviceUrl
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    cases = Generator(seed, senders, target, dead).cases(count)
    outcome = await run_cases(url, cases, session, pid=pid, concurrency=concurrency)
    after = await snapshot(client, namespace)
    victim_keys = [k for k in before if answer_id.encode() in k or target.user_key.encode() in k]
    return FuzzRun(
        outcome=outcome,
        changes=changes_outside(before, after),
        victim_keys=victim_keys,
        victim_changed=[k for k in victim_keys if after.get(k) != before[k]],
        victim=victim,
    )
