"""Invokes the bot offers nothing for get a well-formed InvokeResponse (SDK models, as
Teams expects), never the turn-error apology, and never a 5xx."""
from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import pytest
from botbuilder.schema import Activity
from msrest.serialization import Model

from bot.http.invokes import unsupported_invokes
from bot.messages import adapter as msg

CARD_ERROR = {
    "statusCode": 400,
    "type": "application/vnd.microsoft.error",
    "value": {"code": "BadRequest", "message": msg.CARD_ACTION_MALFORMED},
}
NOT_SUPPORTED = {"code": "NotSupported", "message": msg.INVOKE_UNSUPPORTED}
EXECUTE = {"action": {"type": "Action.Execute", "verb": "approve", "data": {"answer_id": "a1"}}, "trigger": "manual"}

CASES = [
    ("signin/tokenExchange", {"id": "oauth-1", "connectionName": "aad", "token": "eyJ"}, 412,
     {"id": "oauth-1", "connectionName": "aad", "failureDetail": msg.SIGN_IN_UNSUPPORTED}),
    ("signin/tokenExchange", "junk", 412, {"failureDetail": msg.SIGN_IN_UNSUPPORTED}),
    ("signin/tokenExchange", {"id": 5, "connectionName": ["x"]}, 412, {"failureDetail": msg.SIGN_IN_UNSUPPORTED}),
    ("signin/verifyState", {"state": "123456"}, 400, NOT_SUPPORTED),
    ("composeExtension/query", {"commandId": "search"}, 400, NOT_SUPPORTED),
    ("task/fetch", {"data": {}}, 400, NOT_SUPPORTED),
    ("config/fetch", {}, 400, NOT_SUPPORTED),
    ("no/such/invoke", None, 400, NOT_SUPPORTED),
    ("adaptiveCard/action", EXECUTE, 200,
     {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": msg.CARD_ACTION_UNSUPPORTED}),
    ("adaptiveCard/action", None, 400, CARD_ERROR),
    ("adaptiveCard/action", [], 400, CARD_ERROR),
    ("adaptiveCard/action", "Action.Execute", 400, CARD_ERROR),
    ("adaptiveCard/action", {"action": "approve"}, 400, CARD_ERROR),
    ("adaptiveCard/action", {"action": []}, 400, CARD_ERROR),
    ("adaptiveCard/action", {"action": {"type": "Action.Submit"}}, 400, CARD_ERROR),
    ("adaptiveCard/action", {"action": {"verb": "x"}, "trigger": 5}, 400, CARD_ERROR),
]


@pytest.mark.parametrize(("name", "value", "status", "body"), CASES, ids=[f"{c[0]} {c[1]!r:.30}" for c in CASES])
async def test_unknown_invoke_is_answered_without_the_apology(
    serve, teams_client, caplog, name: str, value: Any, status: int, body: Any
) -> None:
    url, _ = await serve()
    client = teams_client(url)
    caplog.set_level(logging.INFO)
    result = await client.invoke(name, value)
    assert (result.status, result.body) == (status, body)
    assert msg.TURN_ERROR not in result.replies.texts
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_invoke_without_a_name_is_not_supported(serve, teams_client) -> None:
    url, _ = await serve()
    client = teams_client(url)
    activity = client.base_activity("invoke")
    result = await client.send(activity)
    assert (result.status, result.body, result.replies.texts) == (400, NOT_SUPPORTED, [])


@pytest.mark.parametrize("name", sorted(unsupported_invokes()))
@pytest.mark.parametrize("value", [None, "junk", {"action": {"type": "Action.Execute"}}, {"id": "1"}])
async def test_handlers_answer_with_sdk_models(name: str, value: Any) -> None:
    """A plain dict body crashes botbuilder 4.17.1's aiohttp integration."""
    response = await unsupported_invokes()[name](SimpleNamespace(activity=Activity(type="invoke", name=name, value=value)))
    assert isinstance(response.body, Model) and (response.status == 200 or 400 <= response.status < 500)
