"""GET /healthz (is the process serving?) and GET /readyz (can it serve turns?)."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis.asyncio
from aiohttp import web

log = logging.getLogger(__name__)

REDIS_PING_TIMEOUT_S = 2.0


async def liveness(request: web.Request) -> web.Response:
    """Answers while the event loop runs; touches nothing else, so an orchestrator
    restarts the process only when the process itself is stuck."""
    return web.json_response({"status": "ok"})


async def readiness(client: redis.asyncio.Redis | None) -> dict[str, Any]:
    """The body of /readyz; `ready` decides 200 or 503. Further checks add their fields here."""
    redis_ok = client is not None and await _answers(client)
    return {"ready": redis_ok, "redis": "ok" if redis_ok else "unreachable"}


async def _answers(client: redis.asyncio.Redis) -> bool:
    try:
        return bool(await asyncio.wait_for(client.ping(), REDIS_PING_TIMEOUT_S))
    except (redis.RedisError, OSError, asyncio.TimeoutError) as error:
        log.warning("readiness: Redis does not answer: %s", type(error).__name__)
        return False


def readiness_response(body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=200 if body.get("ready") else 503)
