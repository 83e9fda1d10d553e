"""Short codes a person hands to another (共有, 確認依頼): what a code looks like, a new one,
a typed one read back, and the record a code names. Pure: bot/state/codes.py keeps them in
Redis and counts wrong guesses; the conversation makes codes and reads a lookup done
before the turn.

A code is 8 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I):
40 random bits, shown as XXXX-XXXX. Each code has one purpose and expires.
"""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.stored_json import Fields

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Purpose(StrEnum):
    SHARE = "share"  # 共有 -> 参加
    CONFIRM = "confirm"  # 確認依頼 -> 確認


PURPOSE_SHARE = Purpose.SHARE
PURPOSE_CONFIRM = Purpose.CONFIRM


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str | None:
    """`abcd efgh`, `ＡＢＣＤ－ＥＦＧＨ` -> `ABCD-EFGH`; None when it cannot be a code."""
    flat = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())
    if len(flat) != 8 or any(ch not in ALPHABET for ch in flat):
        return None
    return f"{flat[:4]}-{flat[4:]}"


@dataclass(frozen=True)
class CodeRecord:
    """What `code:{CODE}` holds: the answer the code opens, for what, who made it and when."""

    purpose: Purpose
    answer_id: str
    by: str = ""
    created_at: str = ""

    @classmethod
    def from_json(cls, data: Any, where: str = "code") -> "CodeRecord":
        f = Fields(data, where)
        purpose = f.one_of("purpose", [p.value for p in Purpose], "")
        return cls(Purpose(purpose), f.required_text("answer_id"), f.text("by"), f.text("created_at"))

    def to_json(self) -> dict[str, str]:
        return {"purpose": self.purpose.value, "answer_id": self.answer_id, "by": self.by, "created_at": self.created_at}


@dataclass
class CodeLookup:
    """A code a 参加 / 確認 names, looked up before the turn."""

    info: CodeRecord | None  # the code's record when the code is valid for the command
    refused: bool = False  # too many wrong codes: not even looked up
    code: str | None = None  # the code as normalised


@dataclass(frozen=True)
class NewCode:
    """A code the turn handed out, stored in the turn's own save (bot/state/codes.py)."""

    code: str
    purpose: Purpose
    answer_id: str


__all__ = [
    "ALPHABET", "CodeLookup", "CodeRecord", "NewCode", "PURPOSE_CONFIRM", "PURPOSE_SHARE", "Purpose",
    "new_code", "normalise_code",
]
