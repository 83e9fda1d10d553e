"""Shared fixtures: a real redis-server for the whole session, a clean db per test."""
from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import redis.asyncio

from tests.redis_server import RedisServerProcess

pytest_plugins = ("pytester", "tests.shared_refs")

# An external REDIS_URL may hold someone's data: tests only ever touch this db.
EXTERNAL_TEST_DB = 15


def _with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    external = os.environ.get("REDIS_URL")
    if external:
        url = _with_db(external, EXTERNAL_TEST_DB)
        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        finally:
            client.close()
        yield url
        return
    with RedisServerProcess() as server:
        yield server.url


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=False)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()
