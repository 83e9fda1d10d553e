"""Client errors are 4xx, never 500: one row per malformed request, each answered with
its status and short Japanese body, one log line and no traceback, nothing stored,
nothing sent."""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from bot.http.activity_body import ID_CHARS, MAX_BODY_BYTES, MAX_DEPTH, NAME_CHARS
from bot.messages import adapter as msg
from tests.fakes.connector import FakeConnector
from tests.fakes.teams import TeamsClient

JSON = "application/json; charset=utf-8"


def activity(client: TeamsClient) -> dict[str, Any]:
    return client.message_activity("開始")


def changed(**fields: Any) -> Callable[[TeamsClient], bytes]:
    """The valid message with fields replaced (dotted paths; None deletes)."""

    def build(client: TeamsClient) -> bytes:
        body = activity(client)
        for path, value in fields.items():
            *parents, last = path.split("__")
            target = body
            for name in parents:
                target = target[name]
            if value is _DELETE:
                target.pop(last, None)
            else:
                target[last] = value
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    return build


def raw(data: bytes) -> Callable[[TeamsClient], bytes]:
    return lambda client: data


def spliced(before: str, after: str) -> Callable[[TeamsClient], bytes]:
    """The valid message's JSON with `before` (first occurrence) replaced by `after`."""
    return lambda client: json.dumps(activity(client), ensure_ascii=False).replace(before, after, 1).encode("utf-8")


_DELETE = object()
LONG_ID = "x" * (ID_CHARS + 1)
LONG_NAME = "名" * (NAME_CHARS + 1)
DEEP = b'{"type":"message","value":' + b"[" * 1000 + b"]" * 1000 + b"}"
JUST_TOO_DEEP = b'{"type":"message","value":' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}"


def _field(name: str) -> str:
    return msg.BAD_FIELD.format(field=name)


def _long(name: str, limit: int) -> str:
    return msg.TOO_LONG.format(field=name, limit=limit)


CASES = [
    # (case, body, content type, status, body text)
    ("not JSON", raw(b"{not json"), JSON, 400, msg.NOT_JSON),
    ("empty body", raw(b""), JSON, 400, msg.NOT_JSON),
    ("not UTF-8", raw('{"type": "message", "text": "開始"}'.encode("shift_jis")), JSON, 400, msg.NOT_UTF8),
    ("JSON null", raw(b"null"), JSON, 400, msg.NOT_AN_ACTIVITY),
    ("JSON array", raw(b'[{"type": "message"}]'), JSON, 400, msg.NOT_AN_ACTIVITY),
    ("JSON string", raw(b'"message"'), JSON, 400, msg.NOT_AN_ACTIVITY),
    ("nested 1,000 deep", raw(DEEP), JSON, 400, msg.TOO_DEEP.format(limit=MAX_DEPTH)),
    ("nested one level too deep", raw(JUST_TOO_DEEP), JSON, 400, msg.TOO_DEEP.format(limit=MAX_DEPTH)),
    ("NaN", spliced('"text": "開始"', '"text": NaN'), JSON, 400, msg.NOT_JSON),
    ("unpaired surrogate", spliced('"text": "開始"', '"text": "\\ud800"'), JSON, 400, msg.NOT_UTF8),
    ("type missing", changed(type=_DELETE), JSON, 400, msg.MISSING_FIELD.format(field="type")),
    ("type empty", changed(type=""), JSON, 400, msg.MISSING_FIELD.format(field="type")),
    ("type a number", changed(type=5), JSON, 400, _field("type")),
    ("from missing", changed(**{"from": _DELETE}), JSON, 400, msg.MISSING_FIELD.format(field="from")),
    ("from a string", changed(**{"from": "29:1abc"}), JSON, 400, _field("from")),
    ("from.id a number", changed(from__id=5), JSON, 400, _field("from.id")),
    ("from.id missing", changed(from__id=_DELETE), JSON, 400, msg.MISSING_FIELD.format(field="from.id")),
    ("conversation an array", changed(conversation=[]), JSON, 400, _field("conversation")),
    ("conversation.id null", changed(conversation__id=None), JSON, 400, msg.MISSING_FIELD.format(field="conversation.id")),
    ("conversation.isGroup a string", changed(conversation__isGroup="yes"), JSON, 400, _field("conversation.isGroup")),
    ("serviceUrl missing", changed(serviceUrl=_DELETE), JSON, 400, msg.MISSING_FIELD.format(field="serviceUrl")),
    ("serviceUrl a number", changed(serviceUrl=5), JSON, 400, _field("serviceUrl")),
    ("serviceUrl not http", changed(serviceUrl="file:///etc/passwd"), JSON, 400, _field("serviceUrl")),
    ("text a number", changed(text=7), JSON, 400, _field("text")),
    ("text an object", changed(text={"a": 1}), JSON, 400, _field("text")),
    ("attachments an object", changed(attachments={}), JSON, 400, _field("attachments")),
    ("attachment a number", changed(attachments=[5]), JSON, 400, _field("attachments[0]")),
    ("attachment contentUrl a list", changed(attachments=[{"contentUrl": []}]), JSON, 400, _field("attachments[0].contentUrl")),
    ("entities a string", changed(entities="mention"), JSON, 400, _field("entities")),
    ("mention of a string", changed(entities=[{"type": "mention", "mentioned": "bot"}]), JSON, 400, _field("entities[0].mentioned")),
    ("mention without mentioned", changed(entities=[{"type": "mention", "text": "<at>bot</at>"}]), JSON, 400,
     msg.MISSING_FIELD.format(field="entities[0].mentioned")),
    ("mention, text null", changed(text=None, entities=[{"type": "mention", "mentioned": {"id": "28:b"}}]), JSON, 400,
     msg.MISSING_FIELD.format(field="text")),
    ("recipient missing", changed(recipient=_DELETE), JSON, 400, msg.MISSING_FIELD.format(field="recipient")),
    ("recipient without id", changed(recipient={"name": "bot"}), JSON, 400, msg.MISSING_FIELD.format(field="recipient.id")),
    ("membersAdded of numbers", changed(membersAdded=[1, 2]), JSON, 400, _field("membersAdded[0]")),
    ("channelData an array", changed(channelData=[]), JSON, 400, _field("channelData")),
    ("channelData.tenant a string", changed(channelData__tenant="t"), JSON, 400, _field("channelData.tenant")),
    ("timestamp not a time", changed(timestamp="yesterday"), JSON, 400, msg.NOT_AN_ACTIVITY),
    ("locale a boolean", changed(locale=True), JSON, 400, _field("locale")),
    # ids and names: at most 256 characters
    ("activity id 257", changed(id=LONG_ID), JSON, 400, _long("id", ID_CHARS)),
    ("replyToId 257", changed(replyToId=LONG_ID), JSON, 400, _long("replyToId", ID_CHARS)),
    ("conversation.id 257", changed(conversation__id=LONG_ID), JSON, 400, _long("conversation.id", ID_CHARS)),
    ("from.id 257", changed(from__id=LONG_ID), JSON, 400, _long("from.id", ID_CHARS)),
    ("aadObjectId 257", changed(from__aadObjectId=LONG_ID), JSON, 400, _long("from.aadObjectId", ID_CHARS)),
    ("recipient.id 257", changed(recipient__id=LONG_ID), JSON, 400, _long("recipient.id", ID_CHARS)),
    ("tenantId 257", changed(conversation__tenantId=LONG_ID), JSON, 400, _long("conversation.tenantId", ID_CHARS)),
    ("from.name 257", changed(from__name=LONG_NAME), JSON, 400, _long("from.name", NAME_CHARS)),
    ("recipient.name 257", changed(recipient__name=LONG_NAME), JSON, 400, _long("recipient.name", NAME_CHARS)),
    ("conversation.name 257", changed(conversation__name=LONG_NAME), JSON, 400, _long("conversation.name", NAME_CHARS)),
    # content types and sizes
    ("text/plain", changed(), "text/plain", 415, msg.UNSUPPORTED_MEDIA_TYPE),
    ("form", changed(), "application/x-www-form-urlencoded", 415, msg.UNSUPPORTED_MEDIA_TYPE),
    ("JSON in UTF-16", changed(), "application/json; charset=utf-16", 415, msg.UNSUPPORTED_MEDIA_TYPE),
    ("over the limit", changed(text="あ" * (MAX_BODY_BYTES // 3 + 1)), JSON, 413, msg.TOO_LARGE.format(limit_kib=MAX_BODY_BYTES // 1024)),
]


async def post(url: str, session: aiohttp.ClientSession, data: bytes, content_type: str | None, **headers: str) -> tuple[int, str]:
    if content_type is not None:
        headers["Content-Type"] = content_type
    async with session.post(f"{url}/api/messages", data=data, headers=headers) as response:
        return response.status, await response.text()


def refusal_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.http" and r.getMessage().startswith("refused")]


@pytest.mark.parametrize(("case", "body", "content_type", "status", "text"), CASES, ids=[c[0] for c in CASES])
async def test_malformed_request_is_refused_with_4xx(
    serve, teams_client, fake_connector: FakeConnector, http_session, redis_client, caplog, case, body, content_type, status, text
) -> None:
    url, _ = await serve()
    client = teams_client(url)
    await client.say("開始")  # the server is up and the user exists: nothing below may change that
    keys_before = sorted(await redis_client.keys("*"))
    values_before = [await redis_client.dump(k) for k in keys_before]
    posted_before = fake_connector.posted_count
    caplog.clear()
    caplog.set_level(logging.INFO)

    got = await post(url, http_session, body(client), content_type)

    assert got == (status, text)
    [line] = refusal_lines(caplog)
    assert f": {status} " in line.getMessage() and len(line.getMessage()) < 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert sorted(await redis_client.keys("*")) == keys_before
    assert [await redis_client.dump(k) for k in keys_before] == values_before
    assert fake_connector.posted_count == posted_before


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        ("ids of 256", {"id": "i" * ID_CHARS, "conversation__id": "c" * ID_CHARS, "from__id": "f" * ID_CHARS,
                        "from__aadObjectId": "a" * ID_CHARS, "recipient__id": "r" * ID_CHARS}),
        ("names of 256", {"from__name": "名" * NAME_CHARS, "recipient__name": "ボ" * NAME_CHARS}),
        ("unknown fields kept", {"futureField": {"nested": [1, 2, 3]}, "channelData__newThing": True}),
        ("null optional fields", {"locale": None, "entities": None, "channelData": None}),
    ],
)
async def test_limits_are_inclusive_and_unknown_fields_pass(
    serve, teams_client, fake_connector: FakeConnector, http_session, case, fields
) -> None:
    url, _ = await serve()
    client = teams_client(url)
    status, _ = await post(url, http_session, changed(**fields)(client), JSON)
    assert status == 201
    assert fake_connector.posted_count >= 1


async def test_chunked_body_over_the_limit_is_413(serve, http_session) -> None:
    url, _ = await serve()

    async def chunks():
        yield b'{"type": "message", "text": "'
        for _ in range(MAX_BODY_BYTES // 4096 + 1):
            yield b"a" * 4096
        yield b'"}'

    status, text = await post(url, http_session, chunks(), JSON)  # type: ignore[arg-type]
    assert (status, text) == (413, msg.TOO_LARGE.format(limit_kib=MAX_BODY_BYTES // 1024))


@pytest.mark.parametrize(
    ("case", "body", "headers"),
    [
        ("no header, not JSON", b"{not json", {}),
        ("no header, over the limit", b"x" * (MAX_BODY_BYTES + 1), {}),
        ("garbage token, array", b"[]", {"Authorization": "Bearer garbage"}),
        ("wrong scheme", b"null", {"Authorization": "Basic dXNlcjpwYXNz"}),
    ],
)
async def test_with_an_app_id_the_token_is_checked_before_the_body(
    serve, http_session, caplog, case, body, headers
) -> None:
    """A caller without a valid token learns nothing about the body's checks."""
    url, _ = await serve(app_id="00000000-0000-0000-0000-00000000b07a", app_password="secret")
    caplog.set_level(logging.INFO)
    async with http_session.post(f"{url}/api/messages", data=body, headers={"Content-Type": JSON, **headers}) as response:
        got = (response.status, await response.text(), response.headers.get("WWW-Authenticate"))
    assert got == (401, msg.UNAUTHORIZED, "Bearer")
    [line] = refusal_lines(caplog)
    assert "401 token refused" in line.getMessage()
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_body_cut_short_is_one_log_line(serve, caplog) -> None:
    """A careless network: the caller announces 1,000 bytes, sends 8 and hangs up."""
    url, _ = await serve()
    caplog.set_level(logging.INFO)
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"type":'
    )
    await writer.drain()
    writer.write_eof()
    await reader.read()
    writer.close()
    for _ in range(500):  # the server notices the lost connection on its own schedule (busy CI: seconds)
        if refusal_lines(caplog):
            break
        await asyncio.sleep(0.02)
    [line] = refusal_lines(caplog)
    assert "body incomplete" in line.getMessage()
    assert not [r for r in caplog.records if r.exc_info]
