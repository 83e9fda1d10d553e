"""The summary of an answer (確認依頼, 出力 preview) and the progress (状況)."""
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


def review_card(
    respondent_rows: list[tuple[str, str]],
    answer_rows: list[tuple[str, str, str]],
    status_lines: list[str],
    actions: Sequence[ActionSpec],
) -> dict[str, Any]:
    """respondent_rows: (field name, value); answer_rows: (heading, value, state) where
    state is "" for an answered item, or msg.UNANSWERED / msg.NOT_APPLICABLE.
    Answers are one two-column row each so the state can be coloured, which a
    FactSet cannot do; 対象外 always reads 対象外, whatever value is kept in history."""
    body: list[dict[str, Any]] = [heading_block(msg.REVIEW_TITLE)]
    if status_lines:
        body.append(container([text_block(line) for line in status_lines]))
    body.append(text_block(msg.REVIEW_RESPONDENT, weight="Bolder", separator=True))
    body.append(fact_set((name, value or msg.EMPTY_FIELD) for name, value in respondent_rows))
    body.append(text_block(msg.REVIEW_ANSWERS, weight="Bolder", separator=True))
    body += [_answer_row(*row) for row in answer_rows]
    body += command_row(actions)
    return adaptive_card(body, fallback_text=msg.REVIEW_TITLE)


def _answer_row(heading: str, value: str, state: str) -> dict[str, Any]:
    if state == msg.NOT_APPLICABLE:
        shown = text_block(msg.NOT_APPLICABLE, isSubtle=True, color="Accent")
    elif state or not value:
        shown = text_block(state or msg.UNANSWERED, color="Attention", weight="Bolder")
    else:
        shown = text_block(value)
    return {
        "type": "ColumnSet",
        "spacing": "Small",
        "columns": [
            {"type": "Column", "width": "auto", "items": [text_block(heading, weight="Bolder")]},
            {"type": "Column", "width": "stretch", "items": [shown]},
        ],
    }


def status_card(lines: list[str], actions: Sequence[ActionSpec] = ()) -> dict[str, Any]:
    body = [heading_block(msg.STATUS_TITLE)] + [text_block(line) for line in lines]
    body += command_row(actions)
    return adaptive_card(body, fallback_text=msg.STATUS_TITLE)
