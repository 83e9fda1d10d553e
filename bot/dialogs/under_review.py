"""Answers under review (要確認): kept, but to be confirmed one by one because an earlier
answer changed whom they are about (1-1/1-2 between ① and ②; the engine says which
items, from `review_later` in definition.yaml).

Stored on the answer record as explicit JSON, `"under_review": {"2": "1-1", …}` (item ->
the item whose change put it there), and absent when nothing is under review.
"""
from __future__ import annotations

from typing import Iterable

from bot.dialogs.session import Session

FIELD = "under_review"

# Typed instead of the button: keep the stored answer of the item under review.
KEEP_WORDS = frozenset({"そのまま", "このまま", "変更なし", "変えない", "このままにする", "そのままにする"})


def marked(s: Session) -> dict[str, str]:
    """Item id -> the item whose change put it under review (empty when none)."""
    if s.answer is None:
        return {}
    value = s.answer.get(FIELD)
    return dict(value) if isinstance(value, dict) else {}


def mark(s: Session, item_ids: Iterable[str], because: str) -> None:
    assert s.answer is not None
    current = marked(s)
    current.update({item_id: because for item_id in item_ids})
    if current:
        s.answer[FIELD] = current


def clear(s: Session, item_ids: Iterable[str]) -> list[str]:
    """Takes items off the review; returns those that were on it."""
    current = marked(s)
    gone = [item_id for item_id in item_ids if current.pop(item_id, None) is not None]
    if gone and s.answer is not None:
        if current:
            s.answer[FIELD] = current
        else:
            s.answer.pop(FIELD, None)
    return gone


def is_keep_word(text: str) -> bool:
    return "".join(text.split()).rstrip("。.") in KEEP_WORDS
