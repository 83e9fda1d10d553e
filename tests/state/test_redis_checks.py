"""bot/state/redis_checks.py against real redis-servers configured as a deployment
might find them: clustered, evicting, without persistence, with CONFIG (or INFO)
refused as managed services do; and REDIS_URLs as operators write them."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio
from aiohttp.test_utils import TestServer
from redis.crc import key_slot

from bot.app import create_app
from bot.config import Config
from bot.state.redis_checks import (
    CLUSTER_PROBE_KEYS,
    RedisRefused,
    check_redis_server,
    connect_problem,
    readiness_fields,
    redacted,
    redis_url_problem,
)
from tests.redis_server import RedisServerProcess

REPO = Path(__file__).resolve().parents[2]
KEY = "Ab3/x+Yz9=Qw/Er+Ty=="  # an access key as Azure prints it
PARTS_OF_KEY = ("Ab3", "x+Yz9", "Qw", "Er+Ty", "Yz9=Qw")

# --- REDIS_URL -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        pytest.param("redis://127.0.0.1:6379/0", None, id="plain"),
        pytest.param("rediss://:Ab3%2Fx%2BYz9%3DQw%2FEr%2BTy%3D%3D@x.japaneast.redis.azure.net:10000/0", None, id="encoded-key"),
        pytest.param("rediss://default:p%40ss@x.redis.azure.net:10000", None, id="acl-user"),
        pytest.param("redis://:pw@127.0.0.1:6379/0?socket_timeout=5", None, id="option"),
        pytest.param("unix:///var/run/redis.sock?db=0", None, id="unix-socket"),
        pytest.param(f"rediss://:{KEY}@x.redis.azure.net:10000/0", "not a port number", id="slash-in-key"),
        pytest.param("rediss://:Ab3#x@x.redis.azure.net:10000/0", "not a port number", id="hash-in-key"),
        pytest.param("redis://:Ab3?x=1@host:6379/0", "not a port number", id="question-mark-in-key"),
        pytest.param("redis://host:6379/0#Ab3", "'#'", id="fragment"),
        pytest.param("redis://host:6379/Ab3", "must be a number such as /0", id="bad-db"),
        pytest.param("redis://host:6379/0?Ab3=x", "option after '?'", id="unknown-option"),
        pytest.param("redis://:Ab3@:6379/0", "names no host", id="no-host"),
        pytest.param("http://host:6379", "must start with redis://", id="scheme"),
        pytest.param("unix://", "socket path", id="unix-without-path"),
    ],
)
def test_redis_url(url: str, problem: str | None) -> None:
    found = redis_url_problem(url)
    if problem is None:
        assert found is None
        return
    assert found is not None and problem in found
    assert "Ab3" not in found and all(part not in found for part in PARTS_OF_KEY)
    if "key" in url or "@" in url:
        assert "percent-encode" in found


def test_redis_py_itself_leaks_the_key_this_check_prevents() -> None:
    # Why the check exists: the client's own parser quotes part of the key.
    with pytest.raises(ValueError) as raised:
        redis.asyncio.Redis.from_url(f"rediss://:{KEY}@x.redis.azure.net:10000/0")
    assert "Ab3" in str(raised.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rediss://:Ab3%2Fx@x.redis.azure.net:10000/0", "rediss://:***@x.redis.azure.net:10000/0"),
        ("redis://bot:pw@127.0.0.1:6380/2", "redis://bot:***@127.0.0.1:6380/2"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ],
)
def test_redacted(url: str, shown: str) -> None:
    assert redacted(url) == shown


def test_connection_failure_message_keeps_the_password_out() -> None:
    url = "redis://:Ab3%2Fx@127.0.0.1:1/0"
    message = connect_problem(ConnectionError("auth Ab3/x failed for Ab3%2Fx"), url)
    assert "Ab3" not in message and "127.0.0.1:1" in message


# --- the server --------------------------------------------------------------------


def test_probe_keys_fall_in_different_slots() -> None:
    # The cluster probe is only a probe if its two keys cannot share a slot.
    assert len({key_slot(f"mn2307:{key}".encode()) for key in CLUSTER_PROBE_KEYS}) == 2


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[RedisServerProcess]:
    with RedisServerProcess(extra_args=tuple(request.param)) as started:
        yield started


async def _check(url: str) -> object:
    client = redis.asyncio.Redis.from_url(url)
    try:
        return await check_redis_server(client, "mn2307")
    finally:
        await client.aclose()


NO_CONFIG = ("--rename-command", "CONFIG", "")  # as managed services refuse CONFIG
NO_INFO = ("--rename-command", "INFO", "")


@pytest.mark.parametrize(
    ("server", "policy", "persistence", "warned"),
    [
        pytest.param(["--appendonly", "yes"], "noeviction", "aof", [], id="production-settings"),
        # Three words: "900 1" as one argv word would leave snapshots off.
        pytest.param(["--save", "900", "1"], "noeviction", "rdb", [], id="rdb-only"),
        pytest.param([], "noeviction", "none", ["keeps nothing on disk"], id="no-persistence"),
        pytest.param(["--appendonly", "yes", "--maxmemory-policy", "volatile-lru"], "volatile-lru", "aof",
                     ["maxmemory-policy volatile-lru"], id="azure-default-eviction"),
        pytest.param(["--appendonly", "yes", "--maxmemory-policy", "allkeys-lru", *NO_CONFIG], "allkeys-lru", "aof",
                     ["maxmemory-policy allkeys-lru"], id="eviction-seen-without-config"),
        pytest.param(["--maxmemory-policy", "volatile-ttl", *NO_INFO], "volatile-ttl", "unknown",
                     ["maxmemory-policy volatile-ttl"], id="eviction-seen-without-info"),
        pytest.param([*NO_INFO, *NO_CONFIG], None, "unknown", [], id="nothing-readable"),
    ],
    indirect=["server"],
)
async def test_server_report(server: RedisServerProcess, policy: str | None, persistence: str, warned: list[str]) -> None:
    report = await _check(server.url)
    assert (report.eviction_policy, report.persistence) == (policy, persistence)
    assert len(report.warnings) == len(warned)
    for text, warning in zip(warned, report.warnings):
        assert text in warning
    assert report.readiness()["redis_eviction_policy"] == (policy or "unknown")


@pytest.mark.parametrize(
    "server",
    [
        pytest.param(["--cluster-enabled", "yes"], id="cluster-in-info"),
        pytest.param(["--cluster-enabled", "yes", *NO_INFO], id="cluster-hidden-from-info"),
    ],
    indirect=True,
)
async def test_clustered_redis_is_refused_naming_the_fix(server: RedisServerProcess) -> None:
    client = redis.asyncio.Redis.from_url(server.url)
    try:
        # One node serving every slot: keys work, but not two slots in one script.
        await client.execute_command("CLUSTER", "ADDSLOTS", *range(16384))
        with pytest.raises(RedisRefused, match="Non-clustered clustering policy"):
            await check_redis_server(client, "mn2307")
    finally:
        await client.aclose()


# --- at start ------------------------------------------------------------------------


@pytest.mark.parametrize("server", [["--appendonly", "yes", "--maxmemory-policy", "volatile-lru"]], indirect=True)
async def test_app_start_reports_eviction_for_readyz(server: RedisServerProcess, tmp_path: Path) -> None:
    app = create_app(Config(redis_url=server.url, data_dir=tmp_path, reminder_interval=0))
    assert readiness_fields(app) == {}
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    try:
        fields = readiness_fields(app)
        assert fields["redis_eviction_policy"] == "volatile-lru"
        assert fields["redis_persistence"] == "aof"
        assert any("noeviction" in w for w in fields["warnings"])
    finally:
        await test_server.close()


def _run_bot(env: dict[str, str], tmp_path: Path) -> tuple[int, list[dict]]:
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PORT": "0", "DATA_DIR": str(tmp_path), "REMINDER_INTERVAL_SECONDS": "0", **env},
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.stderr == "", result.stderr
    return result.returncode, lines


@pytest.mark.parametrize("server", [["--cluster-enabled", "yes"]], indirect=True)
def test_bot_refuses_to_start_on_a_cluster(server: RedisServerProcess, tmp_path: Path) -> None:
    code, lines = _run_bot({"REDIS_URL": server.url}, tmp_path)
    assert code == 2
    refused = [line for line in lines if line["event"] == "start_refused"]
    assert len(refused) == 1 and refused[0]["level"] == "CRITICAL"
    assert "clusteringPolicy NoCluster" in refused[0]["message"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REDIS_URL": f"rediss://:{KEY}@127.0.0.1:1/0"}, "percent-encode"),
        ({"MicrosoftAppId": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "MicrosoftAppPassword": "pw",
          "MicrosoftAppTenantId": "t"}, "EMBEDDED_REDIS=1"),
        ({"REDIS_URL": "redis://:Ab3%2Fx@127.0.0.1:1/0"}, "cannot use Redis at redis://:***@127.0.0.1:1/0"),
    ],
)
def test_bot_refuses_to_start_with_one_clear_line(env: dict[str, str], message: str, tmp_path: Path) -> None:
    code, lines = _run_bot(env, tmp_path)
    assert code == 2
    assert [line["event"] for line in lines if line["level"] == "CRITICAL"] == ["start_refused"]
    text = json.dumps(lines, ensure_ascii=False)
    assert message in text
    assert "Ab3" not in text and "Traceback" not in text
