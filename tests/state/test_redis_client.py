"""The bot's Redis client outlives a restart of the server: the first command after it
goes through on a fresh connection instead of failing the turn it serves."""
from __future__ import annotations

from bot.state.redis_client import connect
from tests.redis_server import RedisServerProcess


async def test_a_command_after_a_restart_reconnects() -> None:
    server = RedisServerProcess().start()
    client = connect(server.url)
    try:
        await client.set("k", "before")
        port = server.port
        server.stop()  # every pooled connection is now stale
        server = RedisServerProcess(port=port).start()
        assert await client.set("k", "after")
        assert await client.get("k") == b"after"
    finally:
        await client.aclose()
        server.stop()


async def test_a_plain_client_fails_where_the_bot_client_does_not() -> None:
    """The case the retry is for: without it the first command after a restart fails."""
    import redis.asyncio
    from redis.exceptions import ConnectionError as RedisConnectionError

    server = RedisServerProcess().start()
    plain = redis.asyncio.Redis.from_url(server.url)
    try:
        await plain.ping()
        port = server.port
        server.stop()
        server = RedisServerProcess(port=port).start()
        try:
            await plain.ping()
        except RedisConnectionError:
            failed = True
        else:
            failed = False
        assert failed
    finally:
        await plain.aclose()
        server.stop()
