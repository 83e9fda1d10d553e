"""Fixtures for end-to-end tests: the fake connector, bot processes, Teams clients."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

import aiohttp
import pytest

from tests.e2e.harness import BOT_COMMAND, BotProcess
from tests.fakes.connector import FakeConnector
from tests.fakes.file_host import TestCA
from tests.fakes.teams import TeamsClient, TeamsUser

BotFactory = Callable[..., Awaitable[BotProcess]]
TeamsFactory = Callable[..., TeamsClient]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Lets teardown know whether the test failed, to show the bot's log then.
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    """The one CA of the suite's TLS fakes (OneDrive's uploads, SharePoint's downloads):
    a bot process trusts one SSL_CERT_FILE."""
    return TestCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="session")
async def _connector_server(ca: TestCA) -> AsyncIterator[FakeConnector]:
    async with FakeConnector(tls=ca.server_context(["localhost", "127.0.0.1"], "onedrive")) as connector:
        yield connector


@pytest.fixture
async def fake_connector(_connector_server: FakeConnector) -> FakeConnector:
    """The session's FakeConnector, emptied for this test."""
    _connector_server.clear()
    return _connector_server


@pytest.fixture(scope="session")
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def bot_factory(request: pytest.FixtureRequest, tmp_path: Any) -> AsyncIterator[BotFactory]:
    """`await bot_factory(command=..., env={...}, redis=True)` starts a bot process
    (REDIS_URL from the session's redis_url unless redis=False); all are stopped
    at the end of the test, and their logs printed if it failed."""
    started: list[BotProcess] = []
    connector: FakeConnector = request.getfixturevalue("_connector_server")
    trusted: TestCA = request.getfixturevalue("ca")

    async def start(
        command: Sequence[str] = BOT_COMMAND, env: Mapping[str, str] | None = None, redis: bool = True
    ) -> BotProcess:
        full_env = dict(env or {})
        # FileConsent uploads go to the connector's HTTPS listener, which the bot must
        # trust and allow as it would OneDrive (*.sharepoint.com).
        full_env.setdefault("SSL_CERT_FILE", str(trusted.cert_file))
        full_env["DOWNLOAD_HOSTS"] = ",".join(filter(None, (full_env.get("DOWNLOAD_HOSTS"), connector.upload_host)))
        if redis:
            full_env.setdefault("REDIS_URL", request.getfixturevalue("redis_url"))
        bot = BotProcess(command, env=full_env, log_path=tmp_path / f"bot-{len(started)}.log")
        started.append(bot)
        return await bot.start()

    yield start
    for bot in started:
        await bot.stop()
    report = getattr(request.node, "_report_call", None)
    if report is not None and report.failed:
        for bot in started:
            print(f"===== log of {' '.join(bot.command)} =====\n{bot.log_text(20000)}")


@pytest.fixture
def teams_client(fake_connector: FakeConnector, http_session: aiohttp.ClientSession) -> TeamsFactory:
    """`teams_client(bot, user=None, conversation_type="personal")` -> TeamsClient."""

    def make(
        bot: BotProcess | str, user: TeamsUser | None = None, conversation_type: str = "personal", **kwargs: Any
    ) -> TeamsClient:
        url = bot.url if isinstance(bot, BotProcess) else bot
        return TeamsClient(
            url, fake_connector, user, session=http_session, conversation_type=conversation_type, **kwargs
        )

    return make
