"""Closed by default: without an app id the bot listens on loopback and says so once;
a wider bind needs ALLOW_UNAUTHENTICATED=1; a short FILE_LINK_SECRET is refused."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.config import Config, ConfigError
from bot.http.exposure import bind_host
from tests.e2e.harness import BotProcess

APP_ID = "00000000-0000-0000-0000-00000000b07a"
AUTHENTICATED = {  # a SingleTenant bot with its Redis (bot.config.Config.checked)
    "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "pw", "MicrosoftAppTenantId": "00000000-0000-0000-0000-0000000074e7",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "127.0.0.1"),
        ({"HOST": "127.0.0.1"}, "127.0.0.1"),
        ({"HOST": "::1"}, "::1"),
        ({"HOST": "localhost"}, "localhost"),
        ({"HOST": "0.0.0.0"}, ConfigError),
        ({"HOST": "192.0.2.10"}, ConfigError),
        ({"HOST": "bot.example.lg.jp"}, ConfigError),  # a name may resolve anywhere
        ({"HOST": "0.0.0.0", "ALLOW_UNAUTHENTICATED": "1"}, "0.0.0.0"),
        ({"HOST": "0.0.0.0", "ALLOW_UNAUTHENTICATED": "0"}, ConfigError),
        ({**AUTHENTICATED}, "0.0.0.0"),
        ({**AUTHENTICATED, "HOST": "10.0.0.4"}, "10.0.0.4"),
    ],
)
def test_bind_address(env: dict[str, str], expected) -> None:
    config = Config.from_env(env)
    if expected is ConfigError:
        with pytest.raises(ConfigError, match="ALLOW_UNAUTHENTICATED=1"):
            bind_host(config)
    else:
        assert bind_host(config) == expected


@pytest.mark.parametrize(
    ("env", "accepted"),
    [
        ({"FILE_LINK_SECRET": "x"}, False),
        ({"FILE_LINK_SECRET": "s" * 31}, False),
        ({"FILE_LINK_SECRET": "秘密の鍵" * 2 + "k" * 7}, False),  # 31 bytes: bytes count, not characters
        ({"FILE_LINK_SECRET": "s" * 32}, True),
        ({}, True),  # unset: 32 random bytes generated and kept in Redis
        ({"ALLOW_UNAUTHENTICATED": "maybe"}, False),
        ({"VALIDATE_AUTHORITY": "false"}, True),
    ],
)
def test_settings_checked_at_start(env: dict[str, str], accepted: bool) -> None:
    if accepted:
        Config.from_env(env)
    else:
        with pytest.raises(ConfigError):
            Config.from_env(env)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of LISTEN sockets on `port`, from the kernel's tables."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if int(port_hex, 16) != port or fields[3] != "0A":
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order.
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, words))
    return found


async def test_without_app_id_the_bot_listens_on_loopback_and_warns_once(bot_factory) -> None:
    bot = await bot_factory(env={"HOST": ""})
    if Path("/proc/net/tcp").exists():
        assert _listening_addresses(bot.port) == {"127.0.0.1"}
    log = bot.log_text(20000)
    assert log.count("WITHOUT authentication") == 1
    assert f"listening on 127.0.0.1:{bot.port}" in log


async def test_allow_unauthenticated_opens_the_bind_with_the_warning(bot_factory) -> None:
    bot = await bot_factory(env={"HOST": "0.0.0.0", "ALLOW_UNAUTHENTICATED": "1"})
    if Path("/proc/net/tcp").exists():
        assert _listening_addresses(bot.port) == {"0.0.0.0"}
    assert bot.log_text(20000).count("WITHOUT authentication") == 1


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"HOST": "0.0.0.0"}, "ALLOW_UNAUTHENTICATED=1"),
        ({"FILE_LINK_SECRET": "x"}, "FILE_LINK_SECRET has 1 bytes"),
    ],
)
async def test_refuses_to_start_with_a_message(redis_url: str, tmp_path, env: dict[str, str], said: str) -> None:
    bot = BotProcess(env={"REDIS_URL": redis_url, **env}, log_path=tmp_path / "bot.log", startup_timeout=30)
    with pytest.raises(RuntimeError, match="exited with 2") as refused:
        await bot.start()
    message = str(refused.value)
    assert "not started:" in message and said in message
    assert "Traceback" not in message
