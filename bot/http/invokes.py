"""Answers to invokes the bot offers nothing for, as SDK models (a plain dict body crashes
botbuilder 4.17.1's aiohttp integration), never the turn-error apology.

- `adaptiveCard/action`: the bot's cards use Action.Submit only; an Action.Execute from
  an old or foreign card gets a message response (Teams shows it), anything that is not
  a well-formed Action.Execute a 400 error response, as the SDK's own checks intend.
- `signin/tokenExchange`: the bot has no OAuth connection; 412 with a
  TokenExchangeInvokeResponse is how Teams is told that single sign-on did not happen.
  (botbuilder's plain ActivityHandler calls a method only TeamsActivityHandler has.)

Every other name no handler takes gets 400 with an Error "NotSupported" (bot.adapter
turns the SDK's 501 into it), as the SDK itself answers an unsupported card action:
5xx stays reserved for faults of this server, where monitoring looks for them.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import AdaptiveCardInvokeResponse, Error, TokenExchangeInvokeResponse

from bot.messages import adapter as msg

MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
ERROR_RESPONSE = "application/vnd.microsoft.error"


async def card_action(turn_context: TurnContext) -> InvokeResponse:
    value = turn_context.activity.value
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict) or action.get("type") != "Action.Execute":
        error = Error(code="BadRequest", message=msg.CARD_ACTION_MALFORMED)
        body = AdaptiveCardInvokeResponse(status_code=HTTPStatus.BAD_REQUEST, type=ERROR_RESPONSE, value=error)
        return InvokeResponse(status=HTTPStatus.BAD_REQUEST, body=body)
    body = AdaptiveCardInvokeResponse(status_code=HTTPStatus.OK, type=MESSAGE_RESPONSE, value=msg.CARD_ACTION_UNSUPPORTED)
    return InvokeResponse(status=HTTPStatus.OK, body=body)


async def token_exchange(turn_context: TurnContext) -> InvokeResponse:
    value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
    body = TokenExchangeInvokeResponse(
        id=_text(value.get("id")), connection_name=_text(value.get("connectionName")), failure_detail=msg.SIGN_IN_UNSUPPORTED
    )
    return InvokeResponse(status=HTTPStatus.PRECONDITION_FAILED, body=body)


def unsupported_invoke() -> InvokeResponse:
    return InvokeResponse(
        status=HTTPStatus.BAD_REQUEST, body=Error(code="NotSupported", message=msg.INVOKE_UNSUPPORTED)
    )


def _text(value: Any) -> str | None:
    return value[:256] if isinstance(value, str) else None


def unsupported_invokes() -> dict[str, Callable[[TurnContext], Awaitable[InvokeResponse]]]:
    """Handlers by invoke name, for SurveyBot's `invokes`."""
    return {"adaptiveCard/action": card_action, "signin/tokenExchange": token_exchange}
