"""A longer fuzz run against `python -m bot` on a real redis-server (loopback only).

    python bench/fuzz.py                      # 20,000 cases, seed 1
    python bench/fuzz.py --cases 3000 --seed 7 --concurrency 16

A victim answers half the survey; 40 other users then send the generated cases of
tests/fuzz/cases.py (broken JSON, wrong types, huge and deep values, control and bidi
characters, unknown invokes, card submits naming the victim's answer, odd commands).
Printed: cases, status counts (all and per kind), crashes (the process gone, requests
unanswered, 5xx), turns that failed inside, state changes outside the
senders' own records, and the bot's RSS before / peak / after.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import aiohttp  # noqa: E402
import redis.asyncio  # noqa: E402

from tests.e2e.harness import BotProcess  # noqa: E402
from tests.fakes.connector import FakeConnector  # noqa: E402
from tests.fuzz.runner import fuzz  # noqa: E402
from tests.redis_server import RedisServerProcess  # noqa: E402

NS = "fuzzbench"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


async def run(cases: int, seed: int, concurrency: int) -> list[str]:
    log_path = Path(tempfile.mkstemp(prefix="fuzz-bot-", suffix=".log")[1])
    with RedisServerProcess() as redis_server:
        async with FakeConnector(keep_activities=False) as connector, aiohttp.ClientSession() as session:
            env = {"REDIS_URL": redis_server.url, "REDIS_NAMESPACE": NS, "REMINDER_INTERVAL_SECONDS": "0"}
            bot = await BotProcess(env=env, log_path=log_path).start()
            client = redis.asyncio.Redis.from_url(redis_server.url)
            try:
                result = await fuzz(
                    bot.url, connector, session, client, NS, seed=seed, count=cases, pid=bot.pid, concurrency=concurrency
                )
                alive = bot.is_running()
                async with session.get(f"{bot.url}/healthz") as response:
                    healthy = response.status == 200
            finally:
                await client.aclose()
                await bot.stop()
    outcome = result.outcome
    log = log_path.read_text(encoding="utf-8", errors="replace")
    lines = [
        f"cases: {outcome.cases} (seed {seed}, {concurrency} at a time)",
        "status counts: " + ", ".join(f"{status}: {n}" for status, n in sorted(outcome.statuses.items())),
    ]
    for kind, statuses in sorted(outcome.by_kind.items()):
        lines.append(f"  {kind:<18} " + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())))
    lines += [
        f"crashes: process {'alive' if alive else 'GONE'}, /healthz {'200' if healthy else 'failing'}, "
        f"{len(outcome.unanswered)} unanswered, {len(outcome.server_errors)} responses >= 500",
        f"turns that failed inside: {log.count('turn failed')} ({log.count('a reply could not be posted')} of them "
        "a reply the Connector did not take, e.g. an unreachable serviceUrl)",
        f"refusal log lines: {log.count('refused POST')}, tracebacks in the log: {log.count('Traceback')}",
        f"state changes outside the sender's own records: {len(result.changes)}"
        + (f" ({', '.join(result.changes[:5])})" if result.changes else ""),
        f"victim's records (user, answer, history) changed: {len(result.victim_changed)} of {len(result.victim_keys)}",
        f"RSS: before {_mib(outcome.rss_before_kib)}, peak {_mib(outcome.rss_peak_kib)}, after {_mib(outcome.rss_after_kib)}",
        f"bot log: {log_path}",
    ]
    lines += [f"  5xx: {line}" for line in outcome.server_errors[:10]]
    lines += [f"  unanswered: {line}" for line in outcome.unanswered[:10]]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    for line in asyncio.run(run(args.cases, args.seed, args.concurrency)):
        print(line)


if __name__ == "__main__":
    main()
