"""The admin tool's Redis: the one the bot uses, found the same way (REDIS_URL, else the
embedded redis-server under DATA_DIR, reused if the bot has it running)."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio

from bot.config import Config
from bot.state.embedded_redis import start_embedded_redis
from bot.state.redis_client import connect


@asynccontextmanager
async def open_redis(config: Config) -> AsyncIterator[redis.asyncio.Redis]:
    """An embedded redis-server started here (no bot running) is stopped again at the end;
    one a running bot started is left running."""
    embedded = None
    url = config.redis_url
    if not url:
        embedded = await asyncio.to_thread(start_embedded_redis, config.data_dir / "redis")
        url = embedded.url
    client = connect(url)
    try:
        await client.ping()
        yield client
    finally:
        await client.aclose()
        if embedded is not None and not embedded.reused:
            await embedded.astop()
