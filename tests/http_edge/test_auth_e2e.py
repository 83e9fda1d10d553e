"""Authentication end to end, offline: `python -m bot` with an app id, pointed through
the SDK's own settings at a local OpenID issuer and token endpoint (HTTPS on loopback,
keys and CA made here). A valid channel token gets the turn and a reply carrying the
bot's bearer token from the local endpoint; every kind of bad token gets 401 with
nothing stored and nothing sent."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.messages import adapter as msg
from tests.e2e.harness import BotProcess
from tests.fakes.connector import FakeConnector
from tests.fakes.identity import CHANNEL_ISSUER, FakeIdentityProvider, _rsa_key
from tests.fakes.teams import DEFAULT_BOT_APP_ID, TeamsClient, TeamsUser

APP_PASSWORD = "local-test-app-password"
SKEW = 5 * 60  # botframework-connector's clock tolerance for channel tokens
OTHER_KEY = _rsa_key()


@pytest.fixture(scope="module")
async def idp() -> AsyncIterator[FakeIdentityProvider]:
    async with FakeIdentityProvider(DEFAULT_BOT_APP_ID, APP_PASSWORD) as provider:
        yield provider


@pytest.fixture(scope="module")
async def secured_bot(idp: FakeIdentityProvider, redis_url: str, tmp_path_factory) -> AsyncIterator[BotProcess]:
    env = {**idp.bot_env(), "REDIS_URL": redis_url, "REMINDER_INTERVAL_SECONDS": "0", "LOG_LEVEL": "INFO"}
    log_path = tmp_path_factory.mktemp("secured") / "bot.log"
    async with BotProcess(env=env, log_path=log_path) as bot:
        yield bot


async def _snapshot(redis_client) -> dict[bytes, bytes]:
    return {key: await redis_client.dump(key) for key in sorted(await redis_client.keys("*"))}


async def test_valid_token_is_served_and_the_reply_carries_the_bots_own_token(
    secured_bot: BotProcess, idp: FakeIdentityProvider, teams_client, fake_connector: FakeConnector, redis_client
) -> None:
    client: TeamsClient = teams_client(secured_bot)
    client.auth_header = f"Bearer {idp.channel_token(client.service_url)}"
    result = await client.send(client.message_activity("開始"))
    assert result.status == 201
    assert result.replies.texts and result.replies.texts[0].startswith("回答を始めます")
    [sent] = fake_connector.activities
    assert sent.authorization in {f"Bearer {token}" for token in idp.issued_tokens}
    [request] = idp.token_requests  # one token, from the configured endpoint, for the configured scope
    assert (request.form["client_id"], request.form["scope"]) == (DEFAULT_BOT_APP_ID, "https://api.botframework.test/.default")
    assert await redis_client.keys("*")  # the turn was stored
    # Within the SDK's clock tolerance a token is still accepted (the 401s below are not for nothing).
    client.auth_header = f"Bearer {idp.channel_token(client.service_url, exp=int(time.time()) - 60)}"
    assert (await client.send(client.message_activity("状況"))).status == 201


def _now() -> int:
    return int(time.time())


BAD_TOKENS = [
    # (case, Authorization header built from (idp, serviceUrl), channelId)
    ("no header", lambda idp, url: None, "msteams"),
    ("empty header", lambda idp, url: "", "msteams"),
    ("wrong scheme", lambda idp, url: f"Basic {idp.channel_token(url)}", "msteams"),
    ("bearer without token", lambda idp, url: "Bearer", "msteams"),
    ("garbage", lambda idp, url: "Bearer not.a.jwt", "msteams"),
    ("another key, unknown kid", lambda idp, url: f"Bearer {idp.channel_token(url, key=OTHER_KEY, kid='other')}", "msteams"),
    ("another key, the known kid", lambda idp, url: f"Bearer {idp.channel_token(url, key=OTHER_KEY)}", "msteams"),
    ("expired beyond the skew", lambda idp, url: f"Bearer {idp.channel_token(url, nbf=_now() - 7200, exp=_now() - SKEW - 60)}", "msteams"),
    ("not yet valid", lambda idp, url: f"Bearer {idp.channel_token(url, nbf=_now() + SKEW + 60)}", "msteams"),
    ("alg none", lambda idp, url: f"Bearer {idp.channel_token(url, algorithm='none')}", "msteams"),
    ("HS256 with the public key", lambda idp, url: f"Bearer {idp.channel_token(url, algorithm='HS256')}", "msteams"),
    ("wrong audience", lambda idp, url: f"Bearer {idp.channel_token(url, aud='11111111-2222-3333-4444-555555555555')}", "msteams"),
    ("no audience", lambda idp, url: f"Bearer {idp.channel_token(url, aud=None)}", "msteams"),
    ("wrong issuer", lambda idp, url: f"Bearer {idp.channel_token(url, iss='https://attacker.example')}", "msteams"),
    ("issuer of another cloud", lambda idp, url: f"Bearer {idp.channel_token(url, iss=CHANNEL_ISSUER + '/')}", "msteams"),
    ("serviceurl claim differs", lambda idp, url: f"Bearer {idp.channel_token('https://smba.trafficmanager.net/jp/')}", "msteams"),
    ("serviceurl claim missing", lambda idp, url: f"Bearer {idp.channel_token(url, serviceurl=None)}", "msteams"),
    ("channel the key does not endorse", lambda idp, url: f"Bearer {idp.channel_token(url)}", "slack"),
]


@pytest.mark.parametrize(("case", "header", "channel"), BAD_TOKENS, ids=[c[0] for c in BAD_TOKENS])
async def test_bad_token_is_401_with_nothing_stored_or_sent(
    secured_bot: BotProcess, idp: FakeIdentityProvider, teams_client, fake_connector: FakeConnector, redis_client,
    case: str, header, channel: str,
) -> None:
    client: TeamsClient = teams_client(secured_bot)
    client.auth_header = header(idp, client.service_url)
    before = await _snapshot(redis_client)
    log_before = len(secured_bot.log_text(10**7))
    activity = client.message_activity("開始")
    activity["channelId"] = channel

    result = await client.send(activity)

    assert (result.status, result.body) == (401, msg.UNAUTHORIZED)
    assert await _snapshot(redis_client) == before
    assert fake_connector.posted_count == 0 and result.replies == []
    new_log = secured_bot.log_text(10**7)[log_before:]
    assert new_log.count("refused POST /api/messages: 401") == 1 and "Traceback" not in new_log
    assert secured_bot.is_running()


async def test_the_sdk_fetched_the_local_metadata(secured_bot: BotProcess, idp: FakeIdentityProvider) -> None:
    # Fetched once (the SDK caches keys for a day), from loopback: nothing went elsewhere.
    assert idp.metadata_requests == 1


async def test_a_slow_key_fetch_stalls_no_one_else(redis_url: str, teams_client, fake_connector: FakeConnector, tmp_path) -> None:
    """The SDK fetches the channel's keys on the first authenticated request. While
    login.botframework.com (here: a local issuer holding its answer) takes its time,
    the bot still answers /healthz, and the turns waiting for the keys share one fetch."""
    async with FakeIdentityProvider(DEFAULT_BOT_APP_ID, APP_PASSWORD) as slow_idp:
        slow_idp.metadata_gate = asyncio.Event()
        env = {**slow_idp.bot_env(), "REDIS_URL": redis_url, "REMINDER_INTERVAL_SECONDS": "0"}
        async with BotProcess(env=env, log_path=tmp_path / "bot.log") as bot:
            clients = [teams_client(bot, TeamsUser()) for _ in range(2)]
            for client in clients:
                client.auth_header = f"Bearer {slow_idp.channel_token(client.service_url)}"
            turns = [asyncio.create_task(client.send(client.message_activity("開始"))) for client in clients]
            async with asyncio.timeout(30):
                while slow_idp.metadata_requests == 0:
                    await asyncio.sleep(0.05)

            async with aiohttp.ClientSession() as http, asyncio.timeout(10):
                async with http.get(f"{bot.url}/healthz") as response:
                    assert response.status == 200  # answered while the keys are still on their way
            assert not any(turn.done() for turn in turns)

            slow_idp.metadata_gate.set()
            assert [(await turn).status for turn in turns] == [201, 201]
            assert slow_idp.metadata_requests == 1


async def test_keys_out_of_reach_are_503_and_the_bot_stays_up(redis_url: str, teams_client, fake_connector: FakeConnector, tmp_path) -> None:
    """The bot's side failing (the issuer unreachable) is not the caller's fault: 503
    (with Retry-After, bot.http.auth), which Bot Framework retries; nothing sent."""
    async with FakeIdentityProvider(DEFAULT_BOT_APP_ID, APP_PASSWORD) as gone:
        env = {**gone.bot_env(), "REDIS_URL": redis_url, "REMINDER_INTERVAL_SECONDS": "0"}
        token = gone.channel_token
    async with BotProcess(env=env, log_path=tmp_path / "bot.log") as bot:
        client = teams_client(bot)
        client.auth_header = f"Bearer {token(client.service_url)}"
        result = await client.send(client.message_activity("開始"))
        assert (result.status, result.body, fake_connector.posted_count) == (503, msg.AUTH_UNAVAILABLE, 0)
        assert bot.is_running() and "OpenID metadata unavailable: ConnectionError" in bot.log_text(10**7)
