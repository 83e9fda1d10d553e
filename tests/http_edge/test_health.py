"""/healthz is liveness without Redis; /readyz checks Redis and answers 503 with a small
JSON body while it is down, 200 again once it is back."""
from __future__ import annotations

import aiohttp

from tests.redis_server import RedisServerProcess


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, object]:
    async with session.get(url) as response:
        return response.status, await response.json()


async def test_health_and_readiness_follow_redis(bot_factory, http_session: aiohttp.ClientSession) -> None:
    redis_server = RedisServerProcess().start()
    try:
        bot = await bot_factory(env={"REDIS_URL": redis_server.url, "REMINDER_INTERVAL_SECONDS": "0"}, redis=False)
        up = [await _get(http_session, f"{bot.url}/healthz"), await _get(http_session, f"{bot.url}/readyz")]
        port = redis_server.port
        redis_server.stop()
        down = [await _get(http_session, f"{bot.url}/healthz"), await _get(http_session, f"{bot.url}/readyz")]
        redis_server = RedisServerProcess(port=port).start()
        back = await _get(http_session, f"{bot.url}/readyz")
    finally:
        redis_server.stop()
    # The start-up check's report rides along (bot.state.redis_checks): this test Redis
    # keeps nothing on disk, which /readyz warns about without failing readiness.
    report = {"redis_eviction_policy": "noeviction", "redis_persistence": "none"}
    assert [(status, {k: body[k] for k in body if k != "warnings"}) for status, body in up] == [
        (200, {"status": "ok"}), (200, {"ready": True, "redis": "ok", **report})]
    assert "keeps nothing on disk" in up[1][1]["warnings"][0]
    assert down[0] == (200, {"status": "ok"})
    assert (down[1][0], down[1][1]["ready"], down[1][1]["redis"]) == (503, False, "unreachable")
    assert (back[0], back[1]["ready"], back[1]["redis"]) == (200, True, "ok")
    assert bot.is_running() and "Traceback" not in bot.log_text(20000)
