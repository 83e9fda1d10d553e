"""The bot's own redis-server: durable (AOF and RDB snapshots), reusable after the bot
is SIGKILLed, started again when it dies."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import redis.asyncio

from bot.state.embedded_redis import (
    PIDFILE_NAME,
    SNAPSHOTS,
    URLFILE_NAME,
    EmbeddedRedis,
    _alive,
    start_embedded_redis,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

Start = Callable[[Path], EmbeddedRedis]

# Plays a bot process: starts the embedded server, stores a write, reports, then
# waits to be killed.
OWNER_SCRIPT = """
import sys
from pathlib import Path
import redis
from bot.state.embedded_redis import start_embedded_redis
server = start_embedded_redis(Path(sys.argv[1]))
redis.Redis.from_url(server.url).set("written-by", "owner")
print(server.pid, server.url, flush=True)
sys.stdin.read()
"""


def client_for(server: EmbeddedRedis) -> redis.Redis:
    return redis.Redis.from_url(server.url, decode_responses=True)


def case_starts_on_private_socket_with_durable_config(start: Start, tmp_path: Path) -> None:
    server = start(tmp_path / "redis")
    client = client_for(server)
    assert server.url == f"unix://{tmp_path / 'redis' / 'redis.sock'}?db=0"
    assert (server.reused, client.ping()) == (False, True)
    assert client.config_get("appendonly") == {"appendonly": "yes"}
    assert client.config_get("appendfsync") == {"appendfsync": "always"}
    assert client.config_get("port") == {"port": "0"}  # no TCP listener
    assert client.config_get("save") == {"save": " ".join(f"{s} {c}" for s, c in SNAPSHOTS)} == {"save": "3600 1 300 100"}
    client.close()
    server.stop()
    assert not _alive(server.pid)
    assert (tmp_path / "redis" / "dump.rdb").exists()  # with snapshot rules, a shutdown writes one


def case_restarted_after_it_dies_at_the_same_address(start: Start, tmp_path: Path) -> None:
    server = start(tmp_path)
    client_for(server).set("k", "acknowledged")
    assert server.restart_if_gone() is False  # alive: left alone
    first_pid, url = server.pid, server.url
    os.kill(first_pid, signal.SIGKILL)
    server._process.wait()
    assert server.restart_if_gone() is True
    assert (server.url, server.pid != first_pid, server.running()) == (url, True, True)
    assert client_for(server).get("k") == "acknowledged"


def case_tcp_server_restarted_on_the_same_port(start: Start, tmp_path: Path) -> None:
    server = start(tmp_path / ("d" * 60) / ("e" * 60))
    url = server.url
    os.kill(server.pid, signal.SIGKILL)
    server._process.wait()
    assert (server.restart_if_gone(), server.url, client_for(server).ping()) == (True, url, True)


def case_not_restarted_after_stop(start: Start, tmp_path: Path) -> None:
    server = start(tmp_path)
    server.stop()
    assert (server.restart_if_gone(), server.running()) == (False, False)


def case_restart_reuses_a_server_another_bot_started(start: Start, tmp_path: Path) -> None:
    mine, theirs = start(tmp_path), start(tmp_path)  # two bots on one data dir, one server
    os.kill(mine.pid, signal.SIGKILL)
    mine._process.wait()
    assert theirs.restart_if_gone() is True  # the other bot notices first
    assert (mine.restart_if_gone(), mine.pid, mine.reused) == (True, theirs.pid, True)


def case_keeps_data_across_stop_and_start(start: Start, tmp_path: Path) -> None:
    first = start(tmp_path)
    client_for(first).set("回答", "②定めていない。")
    first.stop()
    second = start(tmp_path)
    assert (second.reused, client_for(second).get("回答")) == (False, "②定めていない。")


def case_keeps_acknowledged_write_when_server_is_sigkilled(start: Start, tmp_path: Path) -> None:
    first = start(tmp_path)
    client_for(first).set("k", "acknowledged")
    os.kill(first.pid, signal.SIGKILL)
    first._process.wait()
    second = start(tmp_path)
    assert (second.reused, second.pid != first.pid) == (False, True)
    assert client_for(second).get("k") == "acknowledged"


def case_second_start_reuses_running_server(start: Start, tmp_path: Path) -> None:
    first = start(tmp_path)
    second = start(tmp_path)
    assert (second.reused, second.pid, second.url) == (True, first.pid, first.url)


def case_reuses_server_of_sigkilled_owner(start: Start, tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER_SCRIPT, str(tmp_path)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        pid_text, url = owner.stdout.readline().split()
    finally:
        owner.kill()  # SIGKILL: the owner gets no chance to stop its server
        owner.wait()
        owner.stdout.close()
        owner.stdin.close()
    server = start(tmp_path)
    assert (server.reused, server.pid, server.url) == (True, int(pid_text), url)
    assert client_for(server).get("written-by") == "owner"
    server.stop()
    assert not _alive(server.pid)


def case_stale_pidfile_of_other_process_is_left_alone(start: Start, tmp_path: Path) -> None:
    # After a reboot the pid in the file may belong to anything: here, this test process.
    (tmp_path / PIDFILE_NAME).write_text(f"{os.getpid()}\n")
    (tmp_path / URLFILE_NAME).write_text(f"unix://{tmp_path / 'redis.sock'}?db=0\n")
    server = start(tmp_path)
    assert (server.reused, server.pid != os.getpid(), client_for(server).ping()) == (False, True, True)


def case_long_path_listens_on_loopback_tcp(start: Start, tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    server = start(deep)
    assert server.url.startswith("redis://127.0.0.1:")
    assert client_for(server).config_get("bind") == {"bind": "127.0.0.1"}


CASES = [
    case_starts_on_private_socket_with_durable_config,
    case_keeps_data_across_stop_and_start,
    case_keeps_acknowledged_write_when_server_is_sigkilled,
    case_second_start_reuses_running_server,
    case_reuses_server_of_sigkilled_owner,
    case_stale_pidfile_of_other_process_is_left_alone,
    case_long_path_listens_on_loopback_tcp,
    case_restarted_after_it_dies_at_the_same_address,
    case_tcp_server_restarted_on_the_same_port,
    case_not_restarted_after_stop,
    case_restart_reuses_a_server_another_bot_started,
]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """start_embedded_redis, with every server still running stopped at the end."""
    servers: list[EmbeddedRedis] = []

    def starting(data_dir: Path) -> EmbeddedRedis:
        server = start_embedded_redis(data_dir)
        servers.append(server)
        return server

    yield starting
    for server in reversed(servers):
        server.stop()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.removeprefix("case_"))
def test_embedded_redis(case: Callable[[Start, Path], None], start: Start, tmp_path: Path) -> None:
    case(start, tmp_path)


async def test_supervise_restarts_a_killed_server(start: Start, tmp_path: Path) -> None:
    server = start(tmp_path)
    first_pid = server.pid
    client = redis.asyncio.Redis.from_url(server.url)
    await client.set("k", "v")
    supervisor = asyncio.create_task(server.supervise(interval=0.05))
    try:
        os.kill(first_pid, signal.SIGKILL)
        async with asyncio.timeout(30):
            while server.pid == first_pid:
                await asyncio.sleep(0.05)
        assert await client.get("k") == b"v"  # the same client, reconnected
    finally:
        supervisor.cancel()
        await client.aclose()
