"""Length limits on what the conversation reads besides the survey's own answers.

Answers and 回答者情報 carry their own limits (definition.yaml max_length, FIELD_MAX_LENGTH);
the 住所比較 addresses theirs (address.MAX_ADDRESS_LENGTH). Here: a 差し戻し reason, and the
whole message as a backstop, so that no command argument or card value of any size is read,
stored or logged. A refused message changes nothing.
"""
from __future__ import annotations

from typing import Any

from bot.dialogs.inputs import UserInput
from bot.messages import limits as msg

# Above the longest answer (a 概要: 2,000 characters) with room for a command word or a
# card's other fields, far below what would make a turn slow.
MESSAGE_MAX_LENGTH = 5000
# A few sentences for the respondent to act on.
RETURN_REASON_MAX_LENGTH = 500
# A card submit nested deeper than this is not a card of ours; its size counts as too big.
_MAX_DEPTH = 8


def _submitted_length(data: Any, limit: int) -> int:
    """Characters in a card submit's keys and values; stops counting once over `limit`."""
    total, stack = 0, [(data, 0)]
    while stack and total <= limit:
        value, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return limit + 1
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                total += len(str(key))
                stack.append((item, depth + 1))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, depth + 1) for item in value)
    return total


def message_refusal(inp: UserInput | None) -> str:
    """The refusal for a message over MESSAGE_MAX_LENGTH (its text and card values), or ""."""
    if inp is None:
        return ""
    length = len(inp.text) + _submitted_length(inp.data, MESSAGE_MAX_LENGTH)
    if length <= MESSAGE_MAX_LENGTH:
        return ""
    return msg.MESSAGE_TOO_LONG.format(limit=MESSAGE_MAX_LENGTH, length=length)


def return_reason_refusal(reason: str) -> str:
    """The refusal for a 差し戻し reason over RETURN_REASON_MAX_LENGTH, or ""."""
    if len(reason) <= RETURN_REASON_MAX_LENGTH:
        return ""
    return msg.RETURN_REASON_TOO_LONG.format(limit=RETURN_REASON_MAX_LENGTH, length=len(reason))
