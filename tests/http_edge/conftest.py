"""The e2e fixtures (fake connector, bot processes, Teams clients), and the bot served
in this process (create_app on a loopback port) where a test reads its logs."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web

from bot.app import create_app
from bot.config import Config
from tests.e2e.conftest import (  # noqa: F401  (fixtures, re-exported for this directory)
    _connector_server,
    ca,
    bot_factory,
    fake_connector,
    http_session,
    pytest_runtest_makereport,
    teams_client,
)

NS = "httptest"
ServedApp = tuple[str, web.Application]


TENANT_ID = "00000000-0000-0000-0000-0000000074e7"


@pytest.fixture
async def serve(redis_url: str, redis_client: Any) -> AsyncIterator[Callable[..., Awaitable[ServedApp]]]:
    """`url, app = await serve(**config_fields)`: create_app on 127.0.0.1, real Redis."""
    runners: list[web.AppRunner] = []

    async def start(**fields: Any) -> ServedApp:
        # A SingleTenant bot (the default type) names its tenant whenever it has an app id.
        base = Config(redis_url=redis_url, redis_namespace=NS, reminder_interval=0, app_tenant_id=TENANT_ID)
        config = replace(base, **fields)
        app = create_app(config)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}", app

    yield start
    for runner in runners:
        await runner.cleanup()
