"""Answers under review (要確認): kept, but to be confirmed one by one because an earlier
answer changed whom they are about (1-1/1-2 between ① and ②; the engine says which
items, from `review_later` in definition.yaml).

Stored on the answer record as `"under_review": {"2": "1-1", …}` (item -> the item whose
change put it there; AnswerRecord.under_review), absent when nothing is under review.
"""
from __future__ import annotations

from typing import Iterable

from bot.dialogs.session import Session

FIELD = "under_review"  # the answer record's key

# Typed instead of the button: keep the stored answer of the item under review.
KEEP_WORDS = frozenset({"そのまま", "このまま", "変更なし", "変えない", "このままにする", "そのままにする"})


def marked(s: Session) -> dict[str, str]:
    """Item id -> the item whose change put it under review (empty when none)."""
    return dict(s.answer.under_review) if s.answer is not None else {}


def mark(s: Session, item_ids: Iterable[str], because: str) -> None:
    s.record.under_review.update({item_id: because for item_id in item_ids})


def clear(s: Session, item_ids: Iterable[str]) -> list[str]:
    """Takes items off the review; returns those that were on it."""
    if s.answer is None:
        return []
    current = s.answer.under_review
    return [item_id for item_id in item_ids if current.pop(item_id, None) is not None]


def is_keep_word(text: str) -> bool:
    return "".join(text.split()).rstrip("。.") in KEEP_WORDS
