"""Cards that only tell: help, term explanations, a generic message, the offer to resume."""
from __future__ import annotations

from typing import Any, Sequence

from bot.messages import cards as msg

from .common import (
    ActionSpec,
    adaptive_card,
    command_row,
    container,
    fact_set,
    heading_block,
    text_block,
)


Paragraph = str | Sequence[str]  # one text, or lines kept together (an address)


def help_card(
    title: str, lines: list[tuple[str, str]], sections: Sequence[tuple[str, Sequence[Paragraph]]] = ()
) -> dict[str, Any]:
    """lines: (command or topic, what it does); a FactSet keeps the pairs aligned.
    sections: (heading, paragraphs) below it. A card's text does not break at a single
    newline, so the lines of a paragraph are blocks without spacing between them."""
    body = [heading_block(title), fact_set(lines)]
    for heading, paragraphs in sections:
        body.append(text_block(heading, weight="Bolder", separator=True))
        for paragraph in paragraphs:
            first, *rest = [paragraph] if isinstance(paragraph, str) else list(paragraph)
            body.append(text_block(first))
            body += [text_block(line, spacing="None") for line in rest]
    return adaptive_card(body, fallback_text=title)


def explain_card(
    heading: str, terms: list[tuple[str, str]], rule: str | None = None, actions: Sequence[ActionSpec] = ()
) -> dict[str, Any]:
    """説明 / 迷っている: the glossary entries of the item, and the rule for doubt when given."""
    body: list[dict[str, Any]] = [heading_block(heading)]
    for term, explanation in terms:
        body.append(text_block(term, weight="Bolder", separator=True))
        body.append(text_block(explanation))
    if rule:
        body.append(
            container([text_block(msg.EXPLAIN_RULE_TITLE, weight="Bolder"), text_block(rule)])
        )
    body += command_row(actions)
    return adaptive_card(body, fallback_text=heading)


def message_card(title: str, lines: list[str], actions: Sequence[ActionSpec] = ()) -> dict[str, Any]:
    body = [heading_block(title)] + [text_block(line) for line in lines]
    body += command_row(actions)
    return adaptive_card(body, fallback_text=title)


def resume_card(progress_text: str, next_heading: str) -> dict[str, Any]:
    body = [
        heading_block(msg.RESUME_TITLE),
        text_block(progress_text),
        text_block(msg.RESUME_NEXT.format(heading=next_heading)),
    ]
    body += command_row(msg.RESUME_ACTIONS)
    return adaptive_card(body, fallback_text=msg.RESUME_TITLE)
