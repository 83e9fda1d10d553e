"""APPLICATIONINSIGHTS_CONNECTION_STRING: off, the Azure Monitor distro is not imported
(redis-py itself imports the OpenTelemetry API where it is installed); on,
the bot's log records and request durations reach Azure Monitor's ingestion API,
played here by a server on loopback that speaks its protocol (POST /v2.1/track,
a JSON array of envelopes, gzip or plain)."""
from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web

from bot.logs import user_ref
from tests.e2e.harness import REPO_ROOT, free_port
from tests.fakes.teams import TeamsUser

USER = TeamsUser(name="山田 太郎", aad_object_id="0a1b0000-0000-0000-0000-00000000a1a1")


def test_off_without_a_connection_string_and_nothing_imported() -> None:
    script = (
        "import logging, sys, bot.__main__, bot.app\n"
        "from bot.logs import start_telemetry\n"
        "on = start_telemetry('')\n"
        "print(on, [m for m in sys.modules if m.startswith('azure.monitor')], logging.getLogger('bot').handlers)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False [] []", result.stderr


class FakeIngestion:
    """Azure Monitor's track endpoint: accepts every envelope and keeps it."""

    def __init__(self) -> None:
        self.envelopes: list[dict[str, Any]] = []
        self.port = free_port()
        self._changed = asyncio.Condition()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def track(self, request: web.Request) -> web.Response:
        if not request.path.endswith("/v2.1/track"):
            return web.Response(status=404)
        body = await request.read()
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        items = json.loads(body)
        async with self._changed:
            self.envelopes.extend(items)
            self._changed.notify_all()
        return web.json_response({"itemsReceived": len(items), "itemsAccepted": len(items), "errors": []})

    def of(self, base_type: str) -> list[dict[str, Any]]:
        return [e["data"]["baseData"] for e in self.envelopes if e.get("data", {}).get("baseType") == base_type]


@pytest.fixture
async def ingestion() -> AsyncIterator[FakeIngestion]:
    fake = FakeIngestion()
    app = web.Application()
    app.router.add_post("/{path:.*}", fake.track)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", fake.port).start()
    yield fake
    await runner.cleanup()


async def test_logs_and_durations_exported_to_azure_monitor(bot_factory, teams_client, ingestion) -> None:
    pytest.importorskip("azure.monitor.opentelemetry", reason="azure-monitor-opentelemetry not installed (requirements-azure.txt)")
    bot = await bot_factory(env={
        "APPLICATIONINSIGHTS_CONNECTION_STRING": (
            "InstrumentationKey=00000000-0000-0000-0000-000000000000;"
            f"IngestionEndpoint=http://127.0.0.1:{ingestion.port}/"
        ),
        # Loopback only: no statsbeat to Microsoft, no Azure VM metadata endpoint.
        "APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL": "true",
        "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS": "otel",
        "OTEL_BLRP_SCHEDULE_DELAY": "100",
        "OTEL_METRIC_EXPORT_INTERVAL": "300",
        "REMINDER_INTERVAL_SECONDS": "0",
    })
    client = teams_client(bot, USER)
    await client.say("開始")
    await client.say("kaigo@example.lg.jp 山田 太郎")

    def exported() -> bool:
        messages = [m.get("message", "") for m in ingestion.of("MessageData")]
        metrics = [m["name"] for data in ingestion.of("MetricData") for m in data["metrics"]]
        return sum("http_request" in m for m in messages) >= 2 and "mn2307.http.server.duration" in metrics

    try:
        await ingestion.wait_for(exported, 20.0)
    except TimeoutError:
        raise AssertionError(f"not exported: {json.dumps(ingestion.envelopes, ensure_ascii=False)[:3000]}")
    access = [m for m in ingestion.of("MessageData") if m.get("message") == "http_request"]
    properties = access[0]["properties"]
    assert properties["route"] == "/api/messages" and properties["outcome"] == "ok"
    assert properties["user"] == user_ref(USER.aad_object_id) and properties["request_id"]
    text = json.dumps(ingestion.envelopes, ensure_ascii=False)
    for secret in ("kaigo@example.lg.jp", USER.name, USER.aad_object_id):
        assert secret not in text
    started = [line for line in (json.loads(x) for x in bot.log_text(100000).splitlines() if x.startswith("{"))
               if line["event"] == "starting"]
    assert started and started[0]["telemetry"] is True
