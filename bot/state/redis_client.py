"""The one way the bot (and its admin tool) opens its Redis client.

A pooled connection goes stale when Redis restarts (the embedded server started again
by the bot, a managed Redis patched or failed over): without a retry, the first
command on each stale connection fails the turn it serves. The retry reconnects and
sends the command again, a few times, with a short backoff. A stale socket fails on
sending, before Redis ran anything. Only a server that dies in the middle of a command
can have run a write whose reply is lost; its repetition then finds the e_tag changed
(every write is conditioned on one) and the turn is redone on what was stored, like a
turn that lost a race.
"""
from __future__ import annotations

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRIES = 3
BACKOFF_CAP_S = 1.0
BACKOFF_BASE_S = 0.05


def connect(url: str) -> redis.asyncio.Redis:
    """A client for `url` (bytes in and out); nothing is sent until first use."""
    return redis.asyncio.Redis.from_url(
        url,
        decode_responses=False,
        retry=Retry(ExponentialBackoff(cap=BACKOFF_CAP_S, base=BACKOFF_BASE_S), RETRIES),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
