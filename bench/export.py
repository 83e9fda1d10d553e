"""Time the backup: the export's snapshot script (Redis serves nobody else meanwhile),
the whole export to a file, and the import into an empty Redis.

The answers are shaped as the bot writes them: a completed answer, two users, a history
of about 30 entries, the name and prefecture indexes; a real redis-server on loopback.
While snapshots run, a second client PINGs without pause: its slowest round trip is the
stall the bot's turns would see.

    python -m bench.export [--answers 2000] [--runs 5]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

import redis
import redis.asyncio

from bot.admin.commands import export_data, import_data
from bot.admin.snapshot import take_snapshot
from bot.state.turn_store import TurnStore
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, stored_respondent
from tests.redis_server import RedisServerProcess

NS = "mn2307"


async def fill(client: redis.asyncio.Redis, answers: int) -> None:
    store = TurnStore(client, NS)
    respondent = stored_respondent(MUNICIPALITY_LONGEST.org_type)
    for index in range(answers):
        answer_id = f"bench{index:05d}"
        users = [f"user-{index}-a", f"user-{index}-b"]
        record = {
            "answer_id": answer_id, "respondent": {**respondent, "org_name": f"14神奈川県市{index:04d}"},
            "answers": dict(MUNICIPALITY_LONGEST.answers), "notes": {}, "members": users, "created_by": users[0],
            "confirmation": {"status": "confirmed", "confirmed_at": "2023-07-10 14:05", "confirmed_by": "相模 一郎"},
            "created_at": "2023-07-10T09:00:00+09:00", "updated_at": "2023-07-10T14:05:00+09:00",
        }
        entries = [{"at": "2023-07-10T09:00", "by": users[0], "name": "山田 太郎", "kind": "start"}]
        entries += [{"at": "2023-07-10T09:10", "by": users[i % 2], "name": "山田 太郎", "kind": "answer", "item": item,
                     "old": None, "new": value} for i, (item, value) in enumerate(record["answers"].items())]
        entries += [{"at": "2023-07-10T09:01", "by": users[0], "name": "山田 太郎", "kind": "field", "item": key,
                     "old": "", "new": value} for key, value in respondent.items()]
        await store.save_answer(answer_id, record, None)
        async with client.pipeline(transaction=False) as pipe:
            pipe.rpush(f"{NS}:history:{answer_id}", *(json.dumps(e, ensure_ascii=False) for e in entries))
            for user in users:
                pipe.set(f"{NS}:user:{user}", json.dumps({
                    "answer_id": answer_id, "cursor": {"kind": "review"}, "name": "山田 太郎", "conversation_id": "a:1" + "x" * 60,
                    "reference": {"serviceUrl": "https://smba.trafficmanager.net/jp/", "channelId": "msteams",
                                  "user": {"id": "29:1" + "x" * 60, "name": "山田 太郎"}, "conversation": {"id": "a:1" + "x" * 60}},
                    "e_tag": "0123456789abcdef"}, ensure_ascii=False))
                pipe.sadd(f"{NS}:name:山田太郎{index}", user)
            pipe.sadd(f"{NS}:pref:14", answer_id)
            await pipe.execute()


def pinger(url: str, stop: threading.Event, times: list[float]) -> None:
    """PINGs from another thread (its own connection and loop-free client), so that the
    snapshot's reply being parsed in this process does not delay it: what it sees is Redis."""
    client = redis.Redis.from_url(url)
    try:
        while not stop.is_set():
            start = time.perf_counter()
            client.ping()
            times.append((time.perf_counter() - start) * 1000)
    finally:
        client.close()


async def main(answers: int, runs: int) -> None:
    with RedisServerProcess() as server:
        client = redis.asyncio.Redis.from_url(server.url)
        await fill(client, answers)
        keys = await client.dbsize()
        memory = (await client.info("memory"))["used_memory_dataset"]
        print(f"data: {answers} answers, {keys} keys, used_memory_dataset {memory / 1024 / 1024:.1f} MiB")

        # Every command is logged (the PINGs too, hence the length): the script is found among them.
        await client.config_set("slowlog-log-slower-than", 0)
        await client.config_set("slowlog-max-len", 1_000_000)
        await client.slowlog_reset()
        times, pings, script_ms = [], [], []
        for _ in range(runs):
            stop = threading.Event()
            thread = threading.Thread(target=pinger, args=(server.url, stop, pings))
            thread.start()
            await asyncio.sleep(0.05)
            start = time.perf_counter()
            snapshot = await take_snapshot(client, NS)
            times.append((time.perf_counter() - start) * 1000)
            stop.set()
            await asyncio.to_thread(thread.join)
            # SLOWLOG records how long Redis itself ran each command: the script's own time.
            script_ms += [e["duration"] / 1000 for e in await client.slowlog_get(-1) if e["command"].startswith(b"EVAL")]
            await client.slowlog_reset()
        print(f"snapshot: {len(snapshot.entries)} keys read in one script; Redis busy with it median "
              f"{statistics.median(script_ms):.1f} ms, max {max(script_ms):.1f} ms over {runs} runs")
        print(f"snapshot as the export sees it (script + reply parsed): median {statistics.median(times):.0f} ms")
        print(f"slowest PING of another client during the snapshots: {max(pings):.1f} ms "
              f"(median {statistics.median(pings):.2f} ms over {len(pings)} pings)")

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "backup.jsonl"
            start = time.perf_counter()
            await export_data(client, NS, path, lambda _: None)
            exported = (time.perf_counter() - start) * 1000
            size = path.stat().st_size
            await client.flushdb()
            start = time.perf_counter()
            await import_data(client, NS, path, merge=False, out=lambda _: None)
            imported = (time.perf_counter() - start) * 1000
        print(f"export to file: {exported:.0f} ms, {size / 1024 / 1024:.1f} MiB ({size // answers} B per answer)")
        print(f"import into an empty Redis: {imported:.0f} ms ({await client.dbsize()} keys)")
        await client.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.answers, arguments.runs))
