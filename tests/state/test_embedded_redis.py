"""The bot's own redis-server: durable, reusable after the bot is SIGKILLed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from bot.state.embedded_redis import PIDFILE_NAME, URLFILE_NAME, EmbeddedRedis, _alive, start_embedded_redis

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
    client.close()
    server.stop()
    assert not _alive(server.pid)


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
