"""One entry of an answer's history (`{ns}:history:{answer_id}`), as a declared shape.

Entries are compact JSON objects written by the turn's own save script: the minute, who
(`by`: the user key, `name`: the Teams name; both erased at retention), what (`kind`, one
of `HistoryKind`) and the kind's own details (`item`, `old`, `new`, `reason`, an import's
`file` and counts …), kept as written. `HistoryEntry.from_json` reads one (RecordError
names the list and the field); `Session.log` refuses a kind that is not declared here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.stored_json import Fields


class HistoryKind(StrEnum):
    START = "start"
    FIELD = "field"  # a 回答者情報 field changed
    ANSWER = "answer"  # an item's answer changed
    NOT_APPLICABLE = "not_applicable"  # an answer set aside: its item no longer applies
    REQUEST = "request"  # 確認依頼
    WITHDRAW = "withdraw"  # a request withdrawn by a change
    OPEN_REVIEW = "open_review"  # 確認 CODE
    CONFIRM = "confirm"  # 承認
    RETURN = "return"  # 差し戻し
    SHARE = "share"  # 共有
    JOIN = "join"  # 参加
    UNDER_REVIEW = "under_review"  # answers marked 要確認 after 1-1/1-2 changed
    REVIEW_KEPT = "review_kept"  # a 要確認 answer kept as it was
    IMPORT = "import"  # 取込 of a workbook


_DECLARED = ("answer_id", "at", "by", "name", "kind")


@dataclass(frozen=True)
class HistoryEntry:
    at: str  # YYYY-MM-DDTHH:MM (JST)
    kind: HistoryKind
    by: str = ""  # the user key ('' once erased)
    name: str = ""  # the Teams name ('' once erased, or for entries older than names)
    details: dict[str, Any] = field(default_factory=dict)  # the kind's own fields, as written

    @classmethod
    def from_json(cls, data: Any, where: str) -> "HistoryEntry":
        fields = Fields(data, where)
        kind = HistoryKind(fields.one_of("kind", tuple(HistoryKind), ""))
        return cls(
            at=fields.required_text("at"), kind=kind, by=fields.text("by"), name=fields.text("name"),
            details=fields.rest(_DECLARED),
        )

    def get(self, key: str, default: Any = None) -> Any:
        """A detail of the entry (`item`, `old`, `reason` …)."""
        return self.details.get(key, default)


__all__ = ["HistoryEntry", "HistoryKind"]
