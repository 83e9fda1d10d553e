"""The prefecture desk's cards: 進捗 (counts, then one section per status the user opens)
and the top risk patterns that come with 集計's list."""
from __future__ import annotations

from typing import Any, Sequence

from .common import (
    ActionSpec,
    adaptive_card,
    command_row,
    fact_set,
    heading_block,
    subtle_block,
    text_block,
    toggle_section,
)

Section = tuple[str, Sequence[str], bool]  # (title, rows, open at first)


def progress_card(
    title: str,
    counts: Sequence[tuple[str, str]],
    lines: Sequence[str],
    sections: Sequence[Section],
    notes: Sequence[str] = (),
    actions: Sequence[ActionSpec] = (),
) -> dict[str, Any]:
    """counts: (status, count) as a FactSet; lines: under it (the deadline); sections: one per
    status, most in need of chasing first, each a button that opens its rows."""
    body: list[dict[str, Any]] = [heading_block(title), fact_set(counts)]
    body += [text_block(line) for line in lines]
    for n, (section_title, rows, open_) in enumerate(sections):
        items = [text_block(row, spacing="None") for row in rows]
        body += toggle_section(f"progress-{n}", section_title, items, open_)
    body += [subtle_block(note) for note in notes]
    body += command_row(actions)
    return adaptive_card(body, fallback_text=title)


def risk_card(
    title: str, intro: str, risks: Sequence[tuple[str, str]], lines: Sequence[str] = (), notes: Sequence[str] = ()
) -> dict[str, Any]:
    """risks: (pattern title, how many organisations); lines under them; notes in small print."""
    body: list[dict[str, Any]] = [heading_block(title), text_block(intro)]
    if risks:
        body.append(fact_set(risks))
    body += [text_block(line) for line in lines]
    body += [subtle_block(note) for note in notes]
    return adaptive_card(body, fallback_text=title)
