"""住所比較 under load: how long a maximal comparison takes, and what it does to other turns.

1. In this process: compare_addresses on the slowest inputs at the limit (each address
   MAX_ADDRESS_LENGTH characters), the refusal of issue 8's payloads, and for reference
   difflib.SequenceMatcher (the old algorithm's core) on the same maximal pair.
2. Against `python -m bot` on a real redis-server (loopback, fake connector in this
   process): one user's turns (a walk through the survey), alone, while other users keep
   sending ヘルプ (what sharing the process costs anyway), and while they keep sending
   maximal 住所比較 messages instead.

    python bench/address.py              # about 30 s
    python bench/address.py --quick      # a few seconds
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

# Run as `python bench/address.py`: make the repo root importable.
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bot.survey.address import MAX_ADDRESS_LENGTH, compare_addresses  # noqa: E402

HALF = MAX_ADDRESS_LENGTH // 2
# Pairs at the limit, each made to give the reading a decision at every token.
MAXIMAL_PAIRS = {
    "一番… / 1-…": ("一番" * HALF, "1-" * HALF),
    "番地… / 番…": ("番地" * HALF, "番" * MAX_ADDRESS_LENGTH),
    "五の… / 5の…": ("五の" * HALF, "5の" * HALF),
    "1-… / 1 …": ("1-" * HALF, "1 " * HALF),
    "一… / 1…": ("一" * MAX_ADDRESS_LENGTH, "1" * MAX_ADDRESS_LENGTH),
    "あ… / い…": ("あ" * MAX_ADDRESS_LENGTH, "い" * MAX_ADDRESS_LENGTH),
}
# issue 8: about 9 KB stalled the bot for ~30 s; 100 KB for over ten minutes.
ATTACKS = {
    "番地×1000 / 番×1000": ("番地" * 1000, "番" * 1000),
    "番地×16000 / 番×16000 (~100 KB)": ("番地" * 16_000, "番" * 16_000),
}


def _time_ms(run, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def in_process(repeat: int) -> list[str]:
    lines = [f"## compare_addresses (each address at most {MAX_ADDRESS_LENGTH} characters), {repeat} runs", "",
             "| input | median ms | max ms |", "|---|---:|---:|"]
    for name, (a, b) in MAXIMAL_PAIRS.items():
        median, worst = _time_ms(lambda: compare_addresses(a, b), repeat)
        lines.append(f"| {name} ({len(a)}+{len(b)} characters) | {median:.3f} | {worst:.3f} |")
    for name, (a, b) in ATTACKS.items():
        median, worst = _time_ms(lambda: compare_addresses(a, b), repeat)
        assert compare_addresses(a, b).error, "an attack payload must be refused"
        lines.append(f"| {name}: refused | {median:.3f} | {worst:.3f} |")
    # The old comparison's core grows much faster than the input (issue 8: ~30 s at 9 KB).
    for a, b in (MAXIMAL_PAIRS["番地… / 番…"], ("番地" * 250, "番" * 250)):
        median, worst = _time_ms(lambda: SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), 3)
        lines.append(
            f"| for reference, the old algorithm (difflib.SequenceMatcher) on 番地… / 番… "
            f"({len(a)}+{len(b)} characters) | {median:.3f} | {worst:.3f} |"
        )
    return lines


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{statistics.median(ordered):.1f} | {p95:.1f} | {ordered[-1]:.1f}"


async def _walk(client, steps, latencies: list[float]) -> None:
    for step in steps:
        began = time.perf_counter()
        await (client.say(step.send) if isinstance(step.send, str) else client.submit(step.send))
        latencies.append((time.perf_counter() - began) * 1000)


async def against_the_bot(flooders: int, walks: int) -> list[str]:
    import aiohttp

    from tests.e2e.harness import BotProcess
    from tests.e2e.transcripts import MUNICIPALITY_LONGEST
    from tests.fakes.connector import FakeConnector
    from tests.fakes.teams import TeamsClient, TeamsUser
    from tests.redis_server import RedisServerProcess

    maximal = "住所比較 {} / {}".format(*MAXIMAL_PAIRS["一番… / 1-…"])
    attack = "住所比較 {} / {}".format(*ATTACKS["番地×1000 / 番×1000"])
    steps = MUNICIPALITY_LONGEST.steps()
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-address-") as tmp, RedisServerProcess() as redis_server:
        env = {"REDIS_URL": redis_server.url, "REDIS_NAMESPACE": "bench-address", "LOG_LEVEL": "WARNING",
               "REMINDER_INTERVAL_SECONDS": "0", "DATA_DIR": tmp}
        bot = BotProcess(env=env, log_path=Path(tmp) / "bot.log")
        connector = await FakeConnector(keep_activities=False).start()
        await bot.start()
        try:
            async with aiohttp.ClientSession() as session:
                def client(name: str) -> TeamsClient:
                    return TeamsClient(bot.url, connector, TeamsUser(name=name), session=session)

                alone: list[float] = []
                for n in range(walks):
                    await _walk(client(f"単独 {n}"), steps, alone)

                async def during_flood(messages: tuple[str, ...]) -> tuple[list[float], list[float]]:
                    walked: list[float] = []
                    flooded: list[float] = []
                    stop = asyncio.Event()

                    async def flood(n: int) -> None:
                        chat = client(f"同時 {n}")
                        round_ = 0
                        while not stop.is_set():
                            began = time.perf_counter()
                            await chat.say(messages[round_ % len(messages)])
                            flooded.append((time.perf_counter() - began) * 1000)
                            round_ += 1

                    tasks = [asyncio.create_task(flood(n)) for n in range(flooders)]
                    await asyncio.sleep(0.2)  # the flood is under way
                    for n in range(walks):
                        await _walk(client(f"回答 {n}"), steps, walked)
                    stop.set()
                    await asyncio.gather(*tasks)
                    return walked, flooded

                # The same number of users sending a cheap command: what sharing the
                # process costs anyway, to compare the 住所比較 flood with.
                during_help, help_flood = await during_flood(("ヘルプ",))
                during, flood_latencies = await during_flood((maximal, attack))
        finally:
            await bot.stop()
            await connector.close()
    lines += [
        f"## a user's turns (a survey walk), alone and while {flooders} other users send messages back to back",
        "",
        "| | turns | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
        f"| walk alone | {len(alone)} | {_percentiles(alone)} |",
        f"| walk while {flooders} users send ヘルプ back to back | {len(during_help)} | {_percentiles(during_help)} |",
        f"| walk while {flooders} users send maximal 住所比較 back to back | {len(during)} | {_percentiles(during)} |",
        f"| their ヘルプ turns | {len(help_flood)} | {_percentiles(help_flood)} |",
        f"| their 住所比較 turns (maximal / refused, alternating) | {len(flood_latencies)} | {_percentiles(flood_latencies)} |",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per in-process input (default 1000)")
    parser.add_argument("--flooders", type=int, default=4, help="users sending maximal 住所比較 (default 4)")
    parser.add_argument("--walks", type=int, default=None, help="survey walks measured in each phase (default 5)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (100 if args.quick else 1000)
    walks = args.walks or (1 if args.quick else 5)
    for line in in_process(repeat):
        print(line, flush=True)
    print(flush=True)
    for line in asyncio.run(against_the_bot(args.flooders, walks)):
        print(line, flush=True)


if __name__ == "__main__":
    main()
