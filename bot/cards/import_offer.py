"""The offer to import a dropped 回答シート: what was found, what cannot be taken, what
would change, and the choices as buttons (each also a word that can be typed)."""
from __future__ import annotations

from typing import Any, Sequence

from .common import ActionSpec, adaptive_card, command_row, heading_block, text_block


def import_offer_card(
    title: str,
    intro: Sequence[str],
    sections: Sequence[tuple[str, Sequence[str]]],
    closing: Sequence[str],
    buttons: Sequence[ActionSpec],
) -> dict[str, Any]:
    """sections: (heading, lines) such as the values not taken and the changes, old → new;
    the lines of one section stay together, as one list."""
    body = [heading_block(title)] + [text_block(line) for line in intro]
    for heading, lines in sections:
        body.append(text_block(heading, weight="Bolder", separator=True))
        body += [text_block(line, spacing="None") for line in lines]
    body += [text_block(line, separator=index == 0) for index, line in enumerate(closing)]
    body += command_row(buttons)
    return adaptive_card(body, fallback_text=title)
