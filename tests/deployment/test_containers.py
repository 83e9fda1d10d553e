"""deployment/compose.yaml, the Dockerfile, .dockerignore, .env.example and the lock
file, checked offline: no image can be pulled or built here, but the Redis command of
the compose file runs on the local redis-server, and `docker compose config` runs
where a compose CLI exists."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import redis
import redis.asyncio
import yaml
from packaging.requirements import Requirement

from bot.state.embedded_redis import redis_server_executable, wait_ready
from bot.state.redis_checks import check_redis_server
from tests.deployment.settings import bot_settings
from tests.redis_server import free_tcp_port

REPO = Path(__file__).resolve().parents[2]
DEPLOYMENT = REPO / "deployment"
PASSWORD = "0123456789abcdef0123456789abcdef"


def compose() -> dict:
    return yaml.safe_load((DEPLOYMENT / "compose.yaml").read_text(encoding="utf-8"))


def _interpolated(word: str) -> str:
    return re.sub(r"\$\{REDIS_PASSWORD[^}]*\}", PASSWORD, word)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("services/redis/volumes", ["redis-data:/data"]),
        ("volumes", {"redis-data": None}),
        ("services/redis/restart", "unless-stopped"),
        ("services/bot/restart", "unless-stopped"),
        ("services/bot/env_file", ".env"),
        ("services/bot/depends_on", {"redis": {"condition": "service_healthy"}}),
        ("services/bot/build", {"context": "..", "dockerfile": "deployment/Dockerfile"}),
        ("services/bot/ports", ["127.0.0.1:3978:3978"]),
    ],
)
def test_compose_shape(path: str, expected: object) -> None:
    value = compose()
    for key in path.split("/"):
        value = value[key]
    assert value == expected


def test_bot_health_check_asks_healthz_and_readyz() -> None:
    test = " ".join(compose()["services"]["bot"]["healthcheck"]["test"])
    assert "/healthz" in test and "/readyz" in test
    assert "ping" in " ".join(compose()["services"]["redis"]["healthcheck"]["test"])


def _seconds(text: str) -> float:
    return float(text.rstrip("s"))


def test_stop_grace_is_longer_than_the_bots_shutdown_timeout() -> None:
    bot = compose()["services"]["bot"]
    assert _seconds(bot["stop_grace_period"]) > float(bot["environment"]["SHUTDOWN_TIMEOUT_SECONDS"])
    dockerfile = (DEPLOYMENT / "Dockerfile").read_text(encoding="utf-8")
    assert "SHUTDOWN_TIMEOUT_SECONDS=20" in dockerfile


async def test_compose_redis_command_runs_as_intended(tmp_path: Path) -> None:
    """The compose file's redis-server arguments on the local redis-server: AOF on,
    snapshots on, noeviction, a password; the bot's own check has nothing to warn about."""
    command = [_interpolated(str(word)) for word in compose()["services"]["redis"]["command"]]
    assert command[0] == "redis-server"
    port = free_tcp_port()
    process = subprocess.Popen(
        [redis_server_executable(), *command[1:], "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    try:
        wait_ready(url, 10.0, lambda: process.poll() is None)
        with redis.Redis.from_url(f"redis://127.0.0.1:{port}/0") as anonymous:
            with pytest.raises(redis.AuthenticationError):
                anonymous.ping()
        client = redis.asyncio.Redis.from_url(url, decode_responses=True)
        try:
            settings = {name: (await client.config_get(name))[name] for name in ("appendonly", "save", "maxmemory-policy")}
            assert settings == {"appendonly": "yes", "save": "900 1 300 10", "maxmemory-policy": "noeviction"}
            report = await check_redis_server(client, "mn2307")
            assert (report.persistence, report.warnings) == ("aof+rdb", ())
        finally:
            await client.aclose()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    cli = _compose_cli()
    if cli is None:
        pytest.skip("no docker compose CLI (docker compose / docker-compose) on this machine")
    work = tmp_path / "deployment"
    work.mkdir()
    shutil.copy(DEPLOYMENT / "compose.yaml", work / "compose.yaml")
    example = (DEPLOYMENT / ".env.example").read_text(encoding="utf-8")
    (work / ".env").write_text(example.replace("REDIS_PASSWORD=\n", f"REDIS_PASSWORD={PASSWORD}\n"), encoding="utf-8")
    result = subprocess.run([*cli, "-f", str(work / "compose.yaml"), "config"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"redis://:{PASSWORD}@redis:6379/0" in result.stdout
    # Without the password the file refuses to start anything, naming the setting.
    (work / ".env").write_text(example, encoding="utf-8")
    refused = subprocess.run([*cli, "-f", str(work / "compose.yaml"), "config"], capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "REDIS_PASSWORD" in refused.stderr


def test_env_example_names_only_settings_the_bot_reads() -> None:
    names = {line.split("=", 1)[0] for line in (DEPLOYMENT / ".env.example").read_text().splitlines()
             if line and not line.startswith("#")}
    assert names - {"REDIS_PASSWORD"} <= bot_settings()
    assert {"MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "ALLOWED_TENANTS"} <= names


def test_env_file_is_ignored_by_git() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "-q", "deployment/.env"], cwd=REPO).returncode
    assert ignored == 0
    example = subprocess.run(["git", "check-ignore", "-q", "deployment/.env.example"], cwd=REPO).returncode
    assert example == 1


# --- image --------------------------------------------------------------------------


def test_dockerfile_pins_the_base_image_and_installs_from_the_lock() -> None:
    text = (DEPLOYMENT / "Dockerfile").read_text(encoding="utf-8")
    [base] = re.findall(r"^FROM (\S+)", text, re.M)
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", base), base
    assert "pip install --no-deps --require-hashes -r requirements.lock" in text
    assert re.search(r"^USER mn2307$", text, re.M)


def test_dockerignore_lets_in_only_what_the_image_copies() -> None:
    lines = [l for l in (REPO / ".dockerignore").read_text().splitlines() if l and not l.startswith("#")]
    assert lines[0] == "*"
    allowed = {l[1:].rstrip("/") for l in lines if l.startswith("!")}
    copied = set(re.findall(r"^COPY (\S+)", (DEPLOYMENT / "Dockerfile").read_text(), re.M))
    assert {c.rstrip("/") for c in copied} == allowed


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of requirements.lock."""
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if match:
            found[match[1].lower().replace("_", "-")] = (match[2], re.findall(r"--hash=sha256:[0-9a-f]{64}", block))
    return found


def _top_level() -> list[Requirement]:
    out = []
    for name in ("requirements.txt", "requirements-azure.txt"):
        for line in (REPO / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                out.append(Requirement(line))
    return out


@pytest.mark.parametrize("requirement", _top_level(), ids=str)
def test_lock_pins_each_requirement_with_hashes(requirement: Requirement) -> None:
    locked = _locked()
    name = requirement.name.lower().replace("_", "-")
    assert name in locked, f"{name} is not in requirements.lock: regenerate it"
    version, hashes = locked[name]
    assert requirement.specifier.contains(version, prereleases=True), f"{name}=={version} breaks {requirement}"
    assert hashes


def test_every_locked_package_has_hashes() -> None:
    locked = _locked()
    assert len(locked) > 20 and all(hashes for _, hashes in locked.values())
