"""The summary of an answer (一覧, 確認依頼, the 回答責任者's review) and the progress (状況).

A phone shows about fifteen short rows on a screen; the whole answer is forty. So the
summary is the status lines and then sections the user opens (Action.ToggleVisibility):
回答者情報 and the items in groups. A section holding anything to do (未回答, 要確認)
starts open, so what needs the user is never hidden.
"""
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
    subtle_block,
    text_block,
    toggle_section,
)

SECTION_ROWS = 6  # items per section: a phone screen with the section's button
SECTION_ID = "section-{n}"


def review_card(
    respondent_rows: list[tuple[str, str]],
    answer_rows: list[tuple[str, str, str]],
    status_lines: list[str],
    actions: Sequence[ActionSpec],
) -> dict[str, Any]:
    """respondent_rows: (field name, value); answer_rows: (heading, value, state) where
    state is "" for an answered item, or msg.UNANSWERED / msg.NOT_APPLICABLE /
    msg.UNDER_REVIEW (answered, to be confirmed). Answers are one two-column row each so
    the state can be coloured, which a FactSet cannot do; 対象外 always reads 対象外,
    whatever value is kept in history."""
    body: list[dict[str, Any]] = [heading_block(msg.REVIEW_TITLE)]
    if status_lines:
        body.append(container([text_block(line) for line in status_lines]))
    sections: list[tuple[str, list[dict[str, Any]], bool]] = []
    if respondent_rows:
        respondent = [fact_set((name, value or msg.EMPTY_FIELD) for name, value in respondent_rows)]
        missing = any(not value or value == msg.UNANSWERED for _, value in respondent_rows)
        sections.append((msg.SECTION_RESPONDENT, respondent, missing))
    for group in _groups(answer_rows):
        title = msg.SECTION_ITEMS.format(first=group[0][0], last=_base(group[-1][0]))
        if _base(group[0][0]) == _base(group[-1][0]):
            title = group[0][0]
        to_do = [state for _, value, state in group if state in (msg.UNANSWERED, msg.UNDER_REVIEW) or (not state and not value)]
        if to_do:
            title += msg.SECTION_PENDING.format(n=len(to_do))
        sections.append((title, [_answer_row(*row) for row in group], bool(to_do)))
    if sections:
        body.append(subtle_block(msg.SECTION_HOW))
    for n, (title, items, open_) in enumerate(sections):
        body += toggle_section(SECTION_ID.format(n=n), title, items, open_)
    body += command_row(actions)
    return adaptive_card(body, fallback_text=msg.REVIEW_TITLE)


def _base(heading: str) -> str:
    """`Q8-1 概要` -> `Q8-1`: a sub-item belongs with its item."""
    return heading.split(" ")[0]


def _groups(rows: list[tuple[str, str, str]]) -> list[list[tuple[str, str, str]]]:
    """Rows in sections of at most SECTION_ROWS, an item and its sub-items (`Q8-1 概要`)
    always in the same section (one longer section only if they alone exceed it)."""
    units: list[list[tuple[str, str, str]]] = []
    for row in rows:
        if units and _base(row[0]) == _base(units[-1][0][0]):
            units[-1].append(row)
        else:
            units.append([row])
    groups: list[list[tuple[str, str, str]]] = []
    for unit in units:
        if groups and len(groups[-1]) + len(unit) <= SECTION_ROWS:
            groups[-1] += unit
        else:
            groups.append(list(unit))
    return groups


def _answer_row(heading: str, value: str, state: str) -> dict[str, Any]:
    if state == msg.NOT_APPLICABLE:
        shown = [text_block(msg.NOT_APPLICABLE, isSubtle=True, color="Accent")]
    elif state == msg.UNDER_REVIEW:
        shown = [text_block(msg.UNDER_REVIEW, color="Attention", weight="Bolder"), *_value_blocks(value)]
    elif state or not value:
        shown = [text_block(state or msg.UNANSWERED, color="Attention", weight="Bolder")]
    else:
        shown = _value_blocks(value, first_spacing=None)
    return {
        "type": "ColumnSet",
        "spacing": "Small",
        "columns": [
            {"type": "Column", "width": "auto", "items": [text_block(heading, weight="Bolder")]},
            {"type": "Column", "width": "stretch", "items": shown},
        ],
    }


def _value_blocks(value: str, first_spacing: str | None = "None") -> list[dict[str, Any]]:
    """One block per line (a multi-select's options): Teams drops single newlines."""
    blocks = []
    for n, line in enumerate(value.split("\n")):
        spacing = first_spacing if n == 0 else "None"
        blocks.append(text_block(line, spacing=spacing) if spacing else text_block(line))
    return blocks


def status_card(lines: list[str], actions: Sequence[ActionSpec] = ()) -> dict[str, Any]:
    body = [heading_block(msg.STATUS_TITLE)] + [text_block(line) for line in lines]
    body += command_row(actions)
    return adaptive_card(body, fallback_text=msg.STATUS_TITLE)
