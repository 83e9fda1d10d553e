"""Config.from_env: the settings checked together at start, with messages that name
the setting to fix and never repeat a secret."""
from __future__ import annotations

import pytest

from bot.config import Config, ConfigError

APP = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
# An Azure-style access key: base64 with / + =, the characters that broke REDIS_URL.
KEY = "Ab3/x+Yz9=Qw/Er+Ty=="
ENCODED_KEY = "Ab3%2Fx%2BYz9%3DQw%2FEr%2BTy%3D%3D"
SINGLE = {"MicrosoftAppId": APP, "MicrosoftAppPassword": "pw-secret", "MicrosoftAppTenantId": TENANT}
REDIS = {"REDIS_URL": f"rediss://:{ENCODED_KEY}@mn2307.japaneast.redis.azure.net:10000/0"}


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ({}, "app_type", "SingleTenant"),
        ({"MicrosoftAppType": "userassignedmsi", "MicrosoftAppId": APP, "MicrosoftAppTenantId": TENANT, **REDIS},
         "app_type", "UserAssignedMSI"),
        ({**SINGLE, **REDIS}, "redis_url", REDIS["REDIS_URL"]),
        ({**SINGLE, "EMBEDDED_REDIS": "1"}, "embedded_redis", True),
        ({}, "embedded_redis", False),
        ({}, "shutdown_timeout", 20.0),
        ({"SHUTDOWN_TIMEOUT_SECONDS": "8"}, "shutdown_timeout", 8.0),
        ({"LOG_LEVEL": "debug"}, "log_level", "DEBUG"),
        ({"APPLICATIONINSIGHTS_CONNECTION_STRING": "InstrumentationKey=x"}, "appinsights_connection_string",
         "InstrumentationKey=x"),
    ],
)
def test_setting_read(env: dict, field: str, expected: object) -> None:
    assert getattr(Config.from_env(env), field) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param(SINGLE, "REDIS_URL is not set while MicrosoftAppId is", id="app-id-without-redis"),
        pytest.param({**SINGLE, "EMBEDDED_REDIS": "0"}, "EMBEDDED_REDIS=1", id="embedded-off-explicitly"),
        pytest.param({**SINGLE, "EMBEDDED_REDIS": "maybe"}, "EMBEDDED_REDIS: 'maybe' is not 1/0", id="embedded-flag"),
        pytest.param({**REDIS, "MicrosoftAppId": APP, "MicrosoftAppPassword": "pw-secret"},
                     "MicrosoftAppTenantId is required", id="single-tenant-without-tenant"),
        pytest.param({**SINGLE, "REDIS_URL": f"rediss://:{KEY}@host.redis.azure.net:10000/0"},
                     "percent-encode", id="unencoded-access-key"),
        pytest.param({**SINGLE, "REDIS_URL": "http://host:6379"}, "must start with redis://", id="scheme"),
        pytest.param({**SINGLE, **REDIS, "SHUTDOWN_TIMEOUT_SECONDS": "-1"}, "SHUTDOWN_TIMEOUT_SECONDS", id="timeout"),
    ],
)
def test_settings_refused_at_start(env: dict, message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        Config.from_env(env)
    assert message in str(refused.value)
    for secret in ("pw-secret", KEY, KEY[:6], ENCODED_KEY[:8]):
        assert secret not in str(refused.value)


def test_every_problem_is_named_at_once() -> None:
    env = {"MicrosoftAppId": APP, "MicrosoftAppType": "UserAssignedMSI"}
    with pytest.raises(ConfigError) as refused:
        Config.from_env(env)
    assert "MicrosoftAppTenantId is required" in str(refused.value)
    assert "REDIS_URL is not set" in str(refused.value)


def test_local_use_needs_no_redis_url_nor_identity() -> None:
    config = Config.from_env({})
    assert (config.app_id, config.redis_url) == ("", None)


def test_start_summary_holds_no_secret() -> None:
    config = Config.from_env({**SINGLE, **REDIS})
    summary = config.summary()
    assert summary["redis"] == "rediss://:***@mn2307.japaneast.redis.azure.net:10000/0"
    assert "pw-secret" not in str(summary) and ENCODED_KEY not in str(summary)
    assert summary["app_type"] == "SingleTenant"


@pytest.mark.parametrize(
    ("env", "gaps"),
    [
        ({}, []),
        ({**SINGLE, **REDIS}, ["BOT_PUBLIC_URL", "ALLOWED_TENANTS"]),
        ({**SINGLE, **REDIS, "BOT_PUBLIC_URL": "https://bot.pref.example.jp", "ALLOWED_TENANTS": TENANT}, []),
    ],
)
def test_production_gaps_are_named(env: dict, gaps: list[str]) -> None:
    assert Config.from_env(env).production_gaps() == gaps
