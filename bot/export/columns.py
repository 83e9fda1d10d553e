"""The 42 columns of `一覧用` (answer-sheet.md): headers, where each value comes from,
header aliases for hand-filled files, and the row of one AnswerRecord.

Files are matched by header names, never by position, so the alias table is the one
place where a template whose headers are spelled slightly differently is accepted.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from bot.messages import export as msg
from bot.survey.model import (
    KIND_SINGLE,
    ORG_MEMBER,
    ORG_MUNICIPALITY,
    AnswerRecord,
    Item,
)

# Where a column's value comes from.
SRC_FIXED = "fixed"  # a constant (制度等, 属性)
SRC_ORG_TYPE = "org_type"  # 組織区分, with 構成市町村 exported as 市区町村
SRC_RESPONDENT = "respondent"  # a RESPONDENT_FIELDS key
SRC_ITEM = "item"  # single choice, YYYY年M月 or free text of an item / sub-item
SRC_OPTION = "option"  # one option's mark of a multi-select item
SRC_INFO_MISSING = "info_missing"  # survey.status(...).info_missing
SRC_UNANSWERED = "unanswered"  # survey.status(...).unanswered_flag
SRC_CONFIRMATION = "confirmation"  # 確認済 / 未確認
SRC_CONFIRMED_AT = "confirmed_at"  # YYYY-MM-DD HH:MM (JST) when confirmed


@dataclass(frozen=True)
class Column:
    header: str
    source: str
    key: str = ""  # respondent key or item id
    option: int = 0  # SRC_OPTION: the option number
    fixed: str = ""  # SRC_FIXED: the value
    project: bool = False  # the project's own column, absent from the Ministry's template


def _item(item_id: str) -> Column:
    return Column(item_id, SRC_ITEM, item_id)


def _marks(item_id: str, count: int) -> tuple[Column, ...]:
    return tuple(
        Column(f"{item_id}_{'①②③④⑤⑥⑦⑧⑨⑩'[n - 1]}", SRC_OPTION, item_id, option=n)
        for n in range(1, count + 1)
    )


COLUMNS: tuple[Column, ...] = (
    Column("制度等", SRC_FIXED, fixed=msg.SYSTEM_VALUE),
    Column("組織区分", SRC_ORG_TYPE, "org_type"),
    Column("属性", SRC_FIXED, fixed=msg.ATTRIBUTE_VALUE),
    Column("組織名", SRC_RESPONDENT, "org_name"),
    Column("担当部署名", SRC_RESPONDENT, "dept"),
    Column("回答責任者役職", SRC_RESPONDENT, "title"),
    Column("回答責任者氏名", SRC_RESPONDENT, "responsible_name"),
    Column("連絡先氏名", SRC_RESPONDENT, "contact_name"),
    Column("電話番号", SRC_RESPONDENT, "phone"),
    Column("メールアドレス", SRC_RESPONDENT, "email"),
    _item("1-1"),
    _item("1-2"),
    _item("2"),
    _item("2_予定年月"),
    _item("3"),
    _item("4"),
    _item("5"),
    *_marks("6", 2),
    _item("7-1"),
    _item("7-2"),
    _item("7-3"),
    *_marks("7-4", 5),
    _item("8-1"),
    _item("8-1_概要"),
    _item("8-2"),
    _item("9"),
    _item("10"),
    _item("11"),
    _item("12"),
    *_marks("13", 3),
    Column("情報未入力", SRC_INFO_MISSING),
    Column("未回答", SRC_UNANSWERED),
    Column("10_概要", SRC_ITEM, "10_概要", project=True),
    Column("回答責任者確認", SRC_CONFIRMATION, project=True),
    Column("確認日時", SRC_CONFIRMED_AT, project=True),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
ORG_COLUMN = HEADERS.index("組織名")

# Spellings seen (or likely) in hand-made templates that header_key() alone does not
# bring together. Width, spaces, a leading Q, `6①` / `6-①` / `6_①` and dash variants
# are handled by header_key(); list here only genuinely different words.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "制度等": ("制度",),
    "組織区分": ("区分",),
    "組織名": ("団体名", "自治体名"),
    "担当部署名": ("担当部署", "部署名"),
    "回答責任者役職": ("責任者役職",),
    "回答責任者氏名": ("責任者氏名",),
    "連絡先氏名": ("連絡先", "担当者氏名"),
    "電話番号": ("電話", "TEL", "連絡先電話番号"),
    "メールアドレス": ("メール", "E-mail", "Eメール", "Eメールアドレス", "mail"),
    "2_予定年月": ("予定年月", "2_予定", "2年月"),
    "8-1_概要": ("8-1_別途の方法の概要", "別途の方法の概要", "8-1_自由記載"),
    "情報未入力": ("情報未入力あり", "情報未入力チェック"),
    "未回答": ("未回答あり", "未回答チェック"),
    "10_概要": ("10_事例の概要", "事例の概要"),
    "回答責任者確認": ("責任者確認", "確認状況"),
    "確認日時": ("回答責任者確認日時", "確認日"),
}

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)[-‐‑‒–—―−ー－_](?=\d)")
_LEADING_Q = re.compile(r"^q(?=\d)")
_BEFORE_OPTION = re.compile(r"[-_](?=#)")


def header_key(text: str) -> str:
    """A spelling-insensitive key: `６＿①`, `6①`, `Q6-①` and `6_①` all give `6#1`."""
    # Circled numbers become a marker first: NFKC would turn them into plain digits.
    marked = "".join(f"#{_CIRCLED.index(ch) + 1}" if ch in _CIRCLED else ch for ch in text)
    key = unicodedata.normalize("NFKC", marked).casefold()
    key = re.sub(r"\s+", "", key)
    key = _LEADING_Q.sub("", key)
    key = _DASH_BETWEEN_DIGITS.sub("-", key)
    key = _BEFORE_OPTION.sub("", key)
    return key.replace("_", "")


@lru_cache(maxsize=1)
def _index_by_key() -> dict[str, int]:
    index: dict[str, int] = {}
    for position, header in enumerate(HEADERS):
        for spelling in (header, *HEADER_ALIASES.get(header, ())):
            key = header_key(spelling)
            if index.setdefault(key, position) != position:
                raise ValueError(f"header alias {spelling!r} is ambiguous")
    return index


def column_index(header: str) -> int | None:
    """Position (0-based) of the 一覧用 column a header found in a file stands for."""
    return _index_by_key().get(header_key(header))


class SurveyLike(Protocol):
    """The part of the engine's Survey that the export needs."""

    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item: ...

    def status(
        self,
        org_type: str | None,
        answers: dict[str, Any],
        respondent: dict[str, str],
        notes: dict[str, str],
    ) -> Any: ...  # engine.Status: not_applicable, info_missing, unanswered_flag


def export_org_type(org_type: str | None) -> str:
    # The Ministry's list knows three 組織区分; a 構成市町村 is a 市区町村 there.
    if org_type == ORG_MEMBER:
        return ORG_MUNICIPALITY
    return org_type or ""


def item_value(item: Item, value: Any) -> str:
    """The cell text of an applicable item's answer ('' when unanswered)."""
    if value is None or value == "":
        return ""
    if item.kind == KIND_SINGLE:
        return item.option(int(value)).label
    return str(value)


def row_for(survey: SurveyLike, record: AnswerRecord) -> list[str]:
    """The 42 values of 一覧用 row 2 for one stored answer, all as text."""
    org_type = record.org_type
    answers = record.answers
    status = survey.status(org_type, answers, record.respondent, record.notes)
    # Only items that certainly do not apply are 対象外; an item that may still apply
    # (its rule waits for an unanswered item: status.pending) stays empty, like 未回答.
    not_applicable = set(status.not_applicable)

    row: list[str] = []
    for column in COLUMNS:
        source = column.source
        if source == SRC_FIXED:
            value = column.fixed
        elif source == SRC_ORG_TYPE:
            value = export_org_type(org_type)
        elif source == SRC_RESPONDENT:
            value = record.respondent.get(column.key) or ""
        elif source in (SRC_ITEM, SRC_OPTION):
            if column.key in not_applicable:
                value = msg.NOT_APPLICABLE
            elif source == SRC_ITEM:
                value = item_value(survey.item(column.key), answers.get(column.key))
            else:
                chosen = answers.get(column.key)
                value = msg.MARK if isinstance(chosen, list) and column.option in chosen else ""
        elif source == SRC_INFO_MISSING:
            value = msg.INFO_MISSING if status.info_missing else ""
        elif source == SRC_UNANSWERED:
            value = msg.UNANSWERED if status.unanswered_flag else ""
        elif source == SRC_CONFIRMATION:
            value = msg.CONFIRMED if record.confirmed else msg.UNCONFIRMED
        elif source == SRC_CONFIRMED_AT:
            value = (record.confirmation.confirmed_at or "") if record.confirmed else ""
        else:  # pragma: no cover - COLUMNS is a closed table
            raise ValueError(source)
        row.append(value)
    return row
