"""The harness, the fake Teams pieces and bot.adapter, proven over real HTTP."""
from __future__ import annotations

import asyncio
import hashlib
import signal
import ssl
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.adapter import CachingBotFrameworkAuthentication, FastCloudAdapter, create_adapter
from bot.messages.adapter import INVOKE_UNSUPPORTED, TURN_ERROR
from tests.e2e.echo_app import FILE_BYTES, create_echo_app
from tests.e2e.harness import ECHO_COMMAND, BotProcess, free_port
from tests.fakes.connector import FakeConnector
from tests.fakes.file_host import TestCA
from tests.fakes.teams import FILE_CONSENT_CARD, TeamsClient, TeamsUser


@pytest.fixture(scope="module")
async def echo_bot(ca: TestCA) -> AsyncIterator[BotProcess]:
    # Trusts the connector's HTTPS listener, where FileConsent uploads go.
    async with BotProcess(ECHO_COMMAND, env={"SSL_CERT_FILE": str(ca.cert_file)}) as bot:
        yield bot


@pytest.fixture
def client(echo_bot: BotProcess, teams_client) -> TeamsClient:
    return teams_client(echo_bot)


# --- messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conversation_type", "text", "expected"),
    [
        ("personal", "こんにちは", "echo: こんにちは"),
        ("groupChat", "こんにちは", "echo: こんにちは"),  # the @mention is stripped by the bot
        ("channel", "Q7-2", "echo: Q7-2"),
        ("personal", "boom", TURN_ERROR),  # on_turn_error apologises, the process lives on
    ],
)
async def test_message_is_answered_through_service_url(
    echo_bot: BotProcess, teams_client, fake_connector: FakeConnector, conversation_type: str, text: str, expected: str
) -> None:
    client = teams_client(echo_bot, conversation_type=conversation_type)
    replies = await client.say(text)
    assert replies.texts == [expected]
    sent = fake_connector.activities[-1]
    assert sent.conversation_id == client.conversation_id
    assert sent.reply_to_id is not None  # a reply to the user's activity, as Teams threads it
    assert echo_bot.is_running()


async def test_submit_sends_value_without_text(client: TeamsClient) -> None:
    replies = await client.submit({"answer": 2, "item": "7-2"})
    assert replies.texts == ['submitted: {"answer": 2, "item": "7-2"}']


async def test_conversation_update_adds_the_bot(client: TeamsClient) -> None:
    assert (await client.conversation_update()).texts == ["welcome 1"]


async def test_member_lookup_returns_the_teams_account(client: TeamsClient) -> None:
    replies = await client.say("whoami")
    assert replies.texts == [f"you are {client.user.name} {client.user.member()['email']}"]


async def test_proactive_message_goes_to_a_created_conversation(
    client: TeamsClient, fake_connector: FakeConnector
) -> None:
    replies = await client.say("proactive")
    assert replies.texts == ["proactive sent"]
    [created] = fake_connector.created_conversations
    assert created["members"] == [{"id": client.user.id}]
    assert [a["text"] for a in fake_connector.replies(created["id"])] == ["proactive hello"]


async def test_new_conversation_keeps_the_user(client: TeamsClient) -> None:
    other = client.new_conversation()
    assert (other.user, other.conversation_id != client.conversation_id) == (client.user, True)
    assert (await other.say("x")).texts == ["echo: x"]


# --- invokes (SDK models and dicts, no is_xml_model crash) ------------------------------


@pytest.mark.parametrize(
    ("name", "value", "status", "body"),
    [
        (
            "adaptiveCard/action",
            {"action": {"type": "Action.Execute", "verb": "message", "data": {}}, "trigger": "manual"},
            200,
            {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "done message"},
        ),
        (
            "adaptiveCard/action",
            {"action": {"type": "Action.Execute", "verb": "go", "data": {"a": 1}}, "trigger": "manual"},
            200,
            {
                "statusCode": 200,
                "type": "application/vnd.microsoft.card.adaptive",
                "value": {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "done go"}]},
            },
        ),
        ("test/dict", {"n": 1}, 200, {"ok": True, "echo": {"n": 1}}),
        # Unhandled: 400 NotSupported, not the SDK's 501 (bot/http/invokes.py).
        ("no/such/invoke", {}, 400, {"code": "NotSupported", "message": INVOKE_UNSUPPORTED}),
    ],
)
async def test_invoke_answers_with_a_json_body(client: TeamsClient, name: str, value: dict, status: int, body) -> None:
    assert tuple(await client.invoke(name, value)) == (status, body)


async def test_expect_replies_comes_back_in_the_http_body(client: TeamsClient, fake_connector: FakeConnector) -> None:
    activity = client.message_activity("buffered")
    activity["deliveryMode"] = "expectReplies"
    result = await client.send(activity)
    assert result.status == 200
    assert [a["text"] for a in result.body["activities"]] == ["echo: buffered"]
    assert result.replies == []


@pytest.mark.parametrize(("action", "expected"), [("accept", "uploaded 回答.xlsx 201"), ("decline", "declined 回答.xlsx")])
async def test_file_consent(client: TeamsClient, fake_connector: FakeConnector, action: str, expected: str) -> None:
    offered = await client.say("file 回答.xlsx")
    assert [a["name"] for a in offered.attachments(FILE_CONSENT_CARD)] == ["回答.xlsx"]
    status, body = result = await client.file_consent(action)
    assert (status, body, result.replies.texts) == (200, None, [expected])
    uploaded = fake_connector.uploads.get("回答.xlsx")
    assert (bytes(uploaded.data) if uploaded else None) == (FILE_BYTES if action == "accept" else None)


async def test_attachment_is_downloaded_from_download_url(client: TeamsClient, fake_connector: FakeConnector) -> None:
    data = b"PK\x03\x04 workbook bytes"
    url = fake_connector.add_download("北海道.xlsx", data)
    replies = await client.send_attachment("北海道.xlsx", url)
    assert replies.texts == [f"downloaded 北海道.xlsx {len(data)} {hashlib.sha256(data).hexdigest()[:12]}"]
    assert fake_connector.download_requests == ["北海道.xlsx"]


# --- connector client reuse ----------------------------------------------------------------


async def test_connector_client_is_reused_per_service_url(
    echo_bot: BotProcess, teams_client, http_session: aiohttp.ClientSession
) -> None:
    first = teams_client(echo_bot)
    async with FakeConnector() as elsewhere:
        other = TeamsClient(echo_bot.url, elsewhere, first.user, session=http_session)
        ids = [
            (await first.say("client")).texts[0].split()[1],
            (await first.new_conversation().say("client")).texts[0].split()[1],
            (await other.say("client")).texts[0].split()[1],
        ]
    assert ids[0] == ids[1] != ids[2]


@pytest.fixture
async def in_process_bot() -> AsyncIterator[tuple[str, FastCloudAdapter]]:
    adapter = create_adapter()
    runner = web.AppRunner(create_echo_app(adapter))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", adapter
    await runner.cleanup()


async def test_cached_clients_are_the_same_objects_and_closed_on_shutdown(
    in_process_bot, fake_connector: FakeConnector, http_session: aiohttp.ClientSession
) -> None:
    url, adapter = in_process_bot
    auth = adapter.bot_framework_authentication
    factory = auth.create_connector_factory(adapter.create_claims_identity(""))
    user = TeamsUser()
    for _ in range(3):
        await TeamsClient(url, fake_connector, user, session=http_session).say("hi")
    assert adapter.connector_cache_size() == 1
    client = await factory.create(fake_connector.url, None)
    assert await factory.create(fake_connector.url, None) is client
    assert await factory.create("http://127.0.0.1:9/", None) is not client
    claims = adapter.create_claims_identity("")
    assert await auth.create_user_token_client(claims) is await auth.create_user_token_client(claims)
    await adapter.close()
    assert adapter.connector_cache_size() == 0


@pytest.mark.parametrize("max_clients", [1, 2, 3])
async def test_connector_cache_is_bounded(max_clients: int) -> None:
    adapter = create_adapter()
    auth = CachingBotFrameworkAuthentication(adapter.bot_framework_authentication._inner, max_clients=max_clients)
    factory = auth.create_connector_factory(adapter.create_claims_identity(""))
    first = await factory.create("http://127.0.0.1:1/", None)
    for port in range(2, 6):
        await factory.create(f"http://127.0.0.1:{port}/", None)
    assert len(auth._connectors) == max_clients
    assert (await factory.create("http://127.0.0.1:1/", None) is first) is False
    await auth.close()


# --- process lifecycle -------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
async def test_restart_after_kill_or_stop(bot_factory, teams_client, sig: int) -> None:
    bot = await bot_factory(ECHO_COMMAND, redis=False)
    client = teams_client(bot)
    before = (await client.say("client")).texts[0].split()[3]
    await bot.restart(sig=sig)
    after = (await client.say("client")).texts[0].split()[3]
    assert (bot.starts, before != after, after == str(bot.pid)) == (2, True, True)


async def test_killed_bot_refuses_connections(bot_factory, teams_client) -> None:
    bot = await bot_factory(ECHO_COMMAND, redis=False)
    assert await bot.kill() == -signal.SIGKILL
    with pytest.raises(aiohttp.ClientConnectionError):
        await teams_client(bot).say("hello")


async def test_startup_failure_quotes_the_log(tmp_path) -> None:
    bot = BotProcess(["python3", "-c", "import sys; print('no config'); sys.exit(3)"], log_path=tmp_path / "b.log")
    with pytest.raises(RuntimeError, match="no config"):
        await bot.start()


# --- the fake connector's upload endpoint ------------------------------------------------


@pytest.mark.parametrize(
    ("chunks", "statuses", "stored"),
    [
        ([("bytes 0-4/5", b"hello")], [201], b"hello"),
        ([("bytes 0-2/5", b"hel"), ("bytes 3-4/5", b"lo")], [202, 201], b"hello"),
        ([("bytes 0-4/5", b"hell")], [400], None),  # header and body disagree
        ([("", b"hello")], [400], None),  # no Content-Range
        ([("bytes 0-4/4", b"hello")], [400], None),  # end beyond total
        ([("bytes 0-2/5", b"hel"), ("bytes 4-4/5", b"o")], [202, 416], b"hel"),  # a gap
    ],
)
async def test_upload_endpoint_checks_content_range(
    fake_connector: FakeConnector, http_session: aiohttp.ClientSession, ca: TestCA, chunks, statuses, stored
) -> None:
    got = []
    trusting = ssl.create_default_context(cafile=ca.cert_file)
    for header, body in chunks:
        headers = {"Content-Range": header} if header else {}
        async with http_session.put(fake_connector.upload_url("a.xlsx"), data=body, headers=headers, ssl=trusting) as response:
            got.append(response.status)
    upload = fake_connector.uploads.get("a.xlsx")
    assert (got, bytes(upload.data) if upload else None) == (statuses, stored)


async def test_wait_for_wakes_on_a_recorded_activity(fake_connector: FakeConnector, client: TeamsClient) -> None:
    waiter = asyncio.ensure_future(fake_connector.wait_for(lambda: fake_connector.replies(client.conversation_id)))
    await client.say("late")
    assert [a["text"] for a in await waiter] == ["echo: late"]
    with pytest.raises(TimeoutError):
        await fake_connector.wait_for(lambda: False, timeout=0.05)


async def test_injected_failure_reaches_the_bot(fake_connector: FakeConnector, client: TeamsClient) -> None:
    # 500 is not among the statuses Teams asks bots to retry (tests/http_edge/test_throttling.py).
    fake_connector.fail_next("POST", r"/activities", status=500)
    result = await client.send(client.message_activity("x"))
    # The echo's POST fails; on_turn_error's apology (the next POST) gets through.
    assert (result.status, result.replies.texts) == (201, [TURN_ERROR])


# --- the benchmark baselines answer as the bot does ----------------------------------------


@pytest.mark.parametrize("script", ["bench/echo_bot.py", "bench/floor.py"])
async def test_bench_baselines_echo_through_the_connector(
    request: pytest.FixtureRequest, teams_client, tmp_path, script: str
) -> None:
    port = free_port()
    command = [sys.executable, script, "--port", str(port)]
    if script.endswith("floor.py"):
        command += ["--redis", request.getfixturevalue("redis_url")]
    async with BotProcess(command, port=port, log_path=tmp_path / "bench.log") as bot:
        client = teams_client(bot)
        assert [(await client.say(t)).texts for t in ("一", "二")] == [["echo: 一"], ["echo: 二"]]


async def test_bench_fake_connector_counts_posts(tmp_path, http_session: aiohttp.ClientSession) -> None:
    port = free_port()
    command = [sys.executable, "bench/fake_connector.py", "--port", str(port)]
    async with BotProcess(command, port=port, log_path=tmp_path / "fc.log") as server:
        url = f"{server.url}/v3/conversations/a%3A1/activities/5"
        async with http_session.post(url, json={"type": "message", "text": "x"}) as response:
            assert response.status == 201
        async with http_session.get(f"{server.url}/_fake/stats") as response:
            assert await response.json() == {"posted": 1}
