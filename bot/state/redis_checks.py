"""What the bot checks of its Redis before it serves anyone.

REDIS_URL first (`redis_url_problem`): an access key with `/`, `#` or `?` left
unencoded used to crash redis-py's parser, whose message quoted a piece of the key.
Nothing here ever repeats any part of the URL but its scheme.

Then the server (`check_redis_server`), with INFO and, where the service permits it,
CONFIG GET (Azure's managed Redis refuses CONFIG):
- cluster mode: refused. The turn's save script touches the user's and the answer's
  keys in one call, which a cluster refuses (CROSSSLOT) on the first turn. A proxy
  may hide the cluster from INFO, so a two-key script is tried as well.
- an eviction policy other than `noeviction`: a warning, at start and on /readyz.
  Azure's default `volatile-lru` may delete keys that carry a TTL under memory
  pressure, and a full Redis must refuse writes rather than lose answers.
- no persistence at all (no AOF, no RDB): a warning.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

import redis.asyncio
from aiohttp import web
from redis.connection import URL_QUERY_ARGUMENT_PARSERS, parse_url
from redis.exceptions import AskError, ClusterCrossSlotError, ClusterDownError, ResponseError

log = logging.getLogger(__name__)

SCHEMES = ("redis", "rediss", "unix")
ENCODING_HINT = (
    " If the password (access key) contains characters such as / + = # ? @ %, percent-encode it "
    "(/ → %2F, + → %2B, = → %3D, # → %23, ? → %3F, @ → %40, % → %25); see deployment/README.md, 'REDIS_URL'."
)
# What redis-py accepts after '?' besides its parsed options (passed on to the connection).
_PASSED_OPTIONS = frozenset({
    "ssl_cert_reqs", "ssl_ca_certs", "ssl_ca_path", "ssl_ca_data", "ssl_keyfile", "ssl_certfile",
    "ssl_password", "client_name", "lib_name", "lib_version", "username", "password",
})
KNOWN_OPTIONS = frozenset(URL_QUERY_ARGUMENT_PARSERS) | _PASSED_OPTIONS
NOEVICTION = "noeviction"
# Two keys whose hash tags fall in different slots (15495 and 3300).
CLUSTER_PROBE_KEYS = ("cluster-probe:{a}", "cluster-probe:{b}")
CLUSTER_REFUSAL = (
    "Redis runs in cluster mode: the bot saves a user and their answer in one script touching several keys, "
    "which a cluster refuses (CROSSSLOT) on the first turn. Use a non-clustered Redis: Azure Managed Redis with "
    "the Non-clustered clustering policy (clusteringPolicy NoCluster), Azure Cache for Redis without clustering, "
    "or a single redis-server (deployment/README.md, 'Redis')."
)


class RedisRefused(RuntimeError):
    """This Redis must not hold the answers; the message says what to change."""


def redis_url_problem(url: str) -> str | None:
    """Why REDIS_URL cannot be used, or None. The answer never contains the URL."""
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        return "REDIS_URL must start with redis://, rediss:// (TLS) or unix://."
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError:
        return "REDIS_URL does not parse: what follows the host is not a port number." + ENCODING_HINT
    if parts.fragment:
        return "REDIS_URL contains a '#', which ends a URL." + ENCODING_HINT
    if scheme.lower() == "unix":
        return None if parts.path else "REDIS_URL names no socket path (unix:///path/to/redis.sock)."
    if not host:
        return "REDIS_URL names no host." + ENCODING_HINT
    if parts.path not in ("", "/") and not re.fullmatch(r"/\d+", parts.path):
        return "REDIS_URL's database (after the host and port) must be a number such as /0." + ENCODING_HINT
    names = {pair.partition("=")[0] for pair in parts.query.split("&") if pair}
    if not names <= KNOWN_OPTIONS:
        return "REDIS_URL has an option after '?' that the Redis client does not know." + ENCODING_HINT
    try:
        parse_url(url)
    except Exception:  # whatever redis-py says may quote the URL: say nothing of it
        return "REDIS_URL does not parse." + ENCODING_HINT
    return None


def redacted(url: str) -> str:
    """The URL with its password replaced, for log lines (only for a URL that parses)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = quote(parts.username or "", safe="")
    host = parts.hostname or ""
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(SplitResult(parts.scheme, netloc, parts.path, parts.query, ""))


@dataclass(frozen=True)
class RedisReport:
    """What the start-up check found; `readiness()` is what /readyz adds to its JSON."""

    eviction_policy: str | None  # None: the server would not say
    persistence: str  # "aof", "rdb", "aof+rdb", "none" or "unknown"
    warnings: tuple[str, ...] = ()

    def readiness(self) -> dict[str, Any]:
        return {
            "redis_eviction_policy": self.eviction_policy or "unknown",
            "redis_persistence": self.persistence,
            "warnings": list(self.warnings),
        }


REDIS_REPORT = web.AppKey("redis_report", RedisReport)


def readiness_fields(app: Mapping[Any, Any]) -> dict[str, Any]:
    """The fields /readyz adds to its JSON body: the eviction policy, persistence and
    the start-up warnings (an empty dict before the check has run)."""
    report = app.get(REDIS_REPORT)
    return report.readiness() if report is not None else {}


async def _info(client: redis.asyncio.Redis, section: str) -> dict[str, Any] | None:
    try:
        return await client.info(section)
    except ResponseError:  # INFO disabled or not permitted: judge by what else answers
        return None


async def _config(client: redis.asyncio.Redis, name: str) -> str | None:
    try:
        found = await client.config_get(name)
    except ResponseError:
        return None
    value = found.get(name, found.get(name.encode())) if isinstance(found, dict) else None
    return value.decode() if isinstance(value, bytes) else value


def _text(value: Any) -> str | None:
    return value.decode() if isinstance(value, bytes) else (None if value is None else str(value))


# How INFO writes a flag (cluster_enabled, aof_enabled).
_ON, _OFF = "1", "0"


async def _refuse_cluster(client: redis.asyncio.Redis, namespace: str) -> None:
    cluster = await _info(client, "cluster")
    if cluster is not None and str(cluster.get("cluster_enabled", _OFF)) == _ON:
        raise RedisRefused(CLUSTER_REFUSAL)
    keys = [f"{namespace}:{key}" for key in CLUSTER_PROBE_KEYS]
    try:
        await client.eval("return redis.call('EXISTS', KEYS[1], KEYS[2])", 2, *keys)
    except (ClusterCrossSlotError, ClusterDownError, AskError):  # AskError covers MOVED
        raise RedisRefused(CLUSTER_REFUSAL) from None


async def _eviction_policy(client: redis.asyncio.Redis) -> str | None:
    memory = await _info(client, "memory")
    policy = _text((memory or {}).get("maxmemory_policy"))
    return policy or await _config(client, "maxmemory-policy")


async def _persistence(client: redis.asyncio.Redis) -> str:
    info = await _info(client, "persistence")
    aof = None if info is None else str(info.get("aof_enabled", _OFF)) == _ON
    save = await _config(client, "save")
    rdb = None if save is None else bool(save.strip())
    kinds = [name for name, on in (("aof", aof), ("rdb", rdb)) if on]
    if kinds:
        return "+".join(kinds)
    return "none" if aof is False and rdb is False else "unknown"


async def check_redis_server(client: redis.asyncio.Redis, namespace: str) -> RedisReport:
    """Raises RedisRefused for a clustered Redis; returns the report (with warnings
    already logged) otherwise."""
    await _refuse_cluster(client, namespace)
    policy = await _eviction_policy(client)
    persistence = await _persistence(client)
    warnings: list[str] = []
    if policy is not None and policy != NOEVICTION:
        warnings.append(
            f"Redis evicts keys when its memory is full (maxmemory-policy {policy}): answers could be deleted. "
            "Set maxmemory-policy noeviction (Azure Managed Redis: evictionPolicy NoEviction)."
        )
    if persistence == "none":
        warnings.append(
            "Redis keeps nothing on disk (no AOF, no RDB snapshots): every answer is lost when it restarts. "
            "Turn on appendonly (Azure Managed Redis: persistence)."
        )
    for warning in warnings:
        log.warning(warning, extra={"event": "redis_check_warning"})
    return RedisReport(policy, persistence, tuple(warnings))


def connect_problem(error: Exception, url: str) -> str:
    """A start-up connection failure in words that name the server but not the password."""
    password = urlsplit(url).password if redis_url_problem(url) is None else None
    detail = str(error)
    for secret in filter(None, {password, unquote(password or "")}):
        detail = detail.replace(secret, "***")
    where = redacted(url) if redis_url_problem(url) is None else "REDIS_URL"
    return f"cannot use Redis at {where}: {type(error).__name__}: {detail}"
