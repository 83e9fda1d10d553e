"""Runs the bot as a real server process for end-to-end tests."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BOT_COMMAND: tuple[str, ...] = (sys.executable, "-m", "bot")
ECHO_COMMAND: tuple[str, ...] = (sys.executable, "-m", "tests.e2e.echo_app")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    """One bot server process on 127.0.0.1.

    The port is chosen once and kept across restart(), so that URLs given to the
    bot or held by clients stay valid. stdout and stderr go to one log file that
    failure messages quote.
    """

    def __init__(
        self,
        command: Sequence[str] = BOT_COMMAND,
        *,
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        log_path: Path | None = None,
        cwd: Path = REPO_ROOT,
        startup_timeout: float = 30.0,
    ) -> None:
        self.command = list(command)
        self.port = port or free_port()
        self.cwd = cwd
        self.startup_timeout = startup_timeout
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="bot-", suffix=".log")[1])
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PORT": str(self.port),
            "BOT_PUBLIC_URL": self.url,
            **(env or {}),
        }
        self._process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def messages_url(self) -> str:
        return f"{self.url}/api/messages"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def returncode(self) -> int | None:
        return self._process.poll() if self._process else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_text(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-tail:]
        except OSError:
            return ""

    async def wait_for_log(self, text: str, timeout: float = 20.0) -> bool:
        """Whether `text` shows up anywhere in the log within `timeout` seconds (a
        line is written after the work it reports, so it may trail the reply)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while text not in self.log_text(10_000_000):
            if loop.time() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    def log_events(self, event: str) -> list[dict[str, Any]]:
        """The JSON log lines (bot/logs.py) whose `event` is `event`."""
        found = []
        for line in self.log_text(10_000_000).splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                if record.get("event") == event:
                    found.append(record)
        return found

    async def start(self) -> "BotProcess":
        if self.is_running():
            raise RuntimeError(f"bot already running (pid {self.pid})")
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"--- start #{self.starts}: {' '.join(self.command)} (port {self.port})\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        await self._wait_until_listening()
        return self

    async def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if not self.is_running():
                raise RuntimeError(f"bot exited with {self.returncode} before listening:\n{self.log_text()}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                if time.monotonic() > deadline:
                    await self.kill()
                    raise TimeoutError(
                        f"bot did not listen on {self.port} within {self.startup_timeout}s:\n{self.log_text()}"
                    )
                # Nothing to await: the process gives no signal when it binds.
                await asyncio.sleep(0.05)
                continue
            writer.close()
            await writer.wait_closed()
            return

    async def _wait_exit(self, timeout: float) -> int | None:
        assert self._process is not None
        try:
            return await asyncio.to_thread(self._process.wait, timeout)
        except subprocess.TimeoutExpired:
            return None

    async def kill(self, sig: int = signal.SIGKILL) -> int | None:
        """Sends `sig`; for SIGKILL waits for the process to be gone."""
        if not self.is_running():
            return self.returncode
        assert self._process is not None
        self._process.send_signal(sig)
        if sig == signal.SIGKILL:
            return await self._wait_exit(10.0)
        return None

    async def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL if it has not exited within `timeout`."""
        if not self.is_running():
            return self.returncode
        assert self._process is not None
        self._process.terminate()
        code = await self._wait_exit(timeout)
        if code is None:
            return await self.kill()
        return code

    async def restart(self, sig: int = signal.SIGTERM) -> "BotProcess":
        """Stops (gracefully, or abruptly with sig=SIGKILL) and starts again on the same port."""
        if sig == signal.SIGKILL:
            await self.kill()
        else:
            await self.stop()
        return await self.start()

    async def __aenter__(self) -> "BotProcess":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
