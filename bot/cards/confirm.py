"""A yes/no question (e.g. 該当なし for Q6, a 役職 below 課長級, padding a one-digit code)."""
from __future__ import annotations

from typing import Any

from bot.messages import cards as msg

from .common import action_set, adaptive_card, confirm_data, submit, text_block


def confirm_card(text: str, topic: str, yes_title: str = msg.YES, no_title: str = msg.NO) -> dict[str, Any]:
    """`topic` names what is being confirmed, so a late click on an old card can be told apart."""
    buttons = [
        submit(yes_title, confirm_data(topic, yes=True), with_inputs=False),
        submit(no_title, confirm_data(topic, yes=False), with_inputs=False),
    ]
    return adaptive_card([text_block(text), action_set(buttons)], fallback_text=text)
