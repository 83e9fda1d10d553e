"""Floor: the least work a stateful Teams bot turn can cost here.

A bare aiohttp handler reads the activity, does one Redis GET and one SET, and
POSTs its reply to serviceUrl's /v3/conversations/{id}/activities/{replyToId}
through one shared ClientSession. No botbuilder, no auth.
"""
from __future__ import annotations

import argparse
import json
from urllib.parse import quote

import aiohttp
import redis.asyncio as redis
from aiohttp import web

HTTP_KEY = web.AppKey("http", aiohttp.ClientSession)
REDIS_KEY = web.AppKey("redis", redis.Redis)


async def messages(request: web.Request) -> web.Response:
    activity = await request.json()
    conversation_id = activity["conversation"]["id"]
    store = request.app[REDIS_KEY]
    key = f"floor:{conversation_id}"
    turns = int(await store.get(key) or 0) + 1
    await store.set(key, turns)
    reply = {
        "type": "message",
        "text": f"echo: {activity.get('text', '')}",
        "from": activity["recipient"],
        "recipient": activity["from"],
        "conversation": activity["conversation"],
        "replyToId": activity.get("id"),
    }
    url = (
        f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}"
        f"/activities/{quote(activity.get('id') or '', safe='')}"
    )
    async with request.app[HTTP_KEY].post(
        url, data=json.dumps(reply), headers={"Content-Type": "application/json"}
    ) as response:
        await response.read()
        response.raise_for_status()
    return web.Response(status=201)


def create_app(redis_url: str) -> web.Application:
    app = web.Application()

    async def open_clients(app: web.Application) -> None:
        app[HTTP_KEY] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        app[REDIS_KEY] = redis.Redis.from_url(redis_url)

    async def close_clients(app: web.Application) -> None:
        await app[HTTP_KEY].close()
        await app[REDIS_KEY].aclose()

    app.on_startup.append(open_clients)
    app.on_cleanup.append(close_clients)
    app.router.add_post("/api/messages", messages)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3979)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL")
    args = parser.parse_args(argv)
    web.run_app(create_app(args.redis), host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
