"""A survey's workbook layout (its definition's `workbook:`): file and sheet names, the
`一覧用` columns in the template's order, the header spellings a hand-made file may use,
and the prefecture list's column widths.

Columns of the 回答者情報 and of the status flags are the skeleton the 総点検 templates
share: the definition places them, their headers are the sheet's own words. Item columns
are headed by the item id (a multi-select item: one column per option, `6_①`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable, Mapping

from bot.messages import export as msg

from .model import KIND_MULTI, RESPONDENT_FIELDS, RESPONDENT_LABELS, DefinitionError, Item, circled, definition_text

# Where a column's value comes from.
SRC_FIXED = "fixed"  # a constant (制度等, 属性)
SRC_ORG_TYPE = "org_type"  # 組織区分, as the organisation type's sheet label
SRC_RESPONDENT = "respondent"  # a RESPONDENT_FIELDS key
SRC_ITEM = "item"  # single choice, YYYY年M月 or free text of an item / sub-item
SRC_OPTION = "option"  # one option's mark of a multi-select item
SRC_INFO_MISSING = "info_missing"  # survey.status(...).info_missing
SRC_UNANSWERED = "unanswered"  # survey.status(...).unanswered_flag
SRC_CONFIRMATION = "confirmation"  # 確認済 / 未確認
SRC_CONFIRMED_AT = "confirmed_at"  # YYYY-MM-DD HH:MM (JST) when confirmed

# `value:` columns of the definition: (source, header). 制度等 and 属性 hold the
# definition's survey.system and workbook.attribute.
_VALUE_COLUMNS: dict[str, tuple[str, str]] = {
    "system": (SRC_FIXED, msg.SYSTEM_LABEL),
    "attribute": (SRC_FIXED, msg.ATTRIBUTE_LABEL),
    "info_missing": (SRC_INFO_MISSING, msg.INFO_FLAG_HEADER),
    "unanswered": (SRC_UNANSWERED, msg.UNANSWERED_FLAG_HEADER),
    "confirmation": (SRC_CONFIRMATION, msg.CONFIRMATION_HEADER),
    "confirmed_at": (SRC_CONFIRMED_AT, msg.CONFIRMED_AT_HEADER),
}
# Columns every layout has exactly once: what the readers and the desk's checks rely on.
_REQUIRED_VALUES = ("info_missing", "unanswered", "confirmation", "confirmed_at")
_DEFAULT_WIDTH = 9.0
_SHEET_KEYS = ("answer", "list_row", "choices", "list")


@dataclass(frozen=True)
class Column:
    header: str
    source: str
    key: str = ""  # respondent key or item id
    option: int = 0  # SRC_OPTION: the option number
    fixed: str = ""  # SRC_FIXED: the value
    project: bool = False  # the project's own column, absent from the Ministry's template
    width: float = _DEFAULT_WIDTH  # characters, in the prefecture's list
    aliases: tuple[str, ...] = ()  # other spellings a hand-made file may use for the header


@dataclass(frozen=True)
class Sheets:
    answer: str  # 回答シート
    list_row: str  # 一覧用: row 1 the headers, row 2 the values
    choices: str  # the hidden sheet the choice cells' lists point at
    list: str  # the prefecture list's one sheet


@dataclass(frozen=True)
class Layout:
    file_name: str  # `【{name}】… ` without .xlsx: the answer's (組織名) and the list's (都道府県名)
    title: str  # the 回答シート's first line
    sheets: Sheets
    columns: tuple[Column, ...]
    org_choices: tuple[str, ...]  # 組織区分 as the 回答シート's list offers it
    attribute: str = msg.ATTRIBUTE_VALUE  # 属性

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def index(self, header: str) -> int:
        return self.headers.index(header)

    def header_of(self, source: str) -> str:
        """The header of the column a skeleton source is written in (情報未入力, 確認日時 …)."""
        return next(c.header for c in self.columns if c.source == source)

    @cached_property
    def _positions(self) -> dict[str, int]:
        # The loader made sure no spelling stands for two columns.
        return {
            header_key(spelling): position
            for position, column in enumerate(self.columns)
            for spelling in (column.header, *column.aliases)
        }

    def position(self, header: str) -> int | None:
        """Position (0-based) of the column a header found in a file stands for: width,
        spaces, a leading Q, `6①` / `6-①` / `6_①` and the column's aliases all match."""
        return self._positions.get(header_key(header))

    @property
    def org_column(self) -> int:
        return self.index(RESPONDENT_LABELS["org_name"])

    def subject(self, name: str) -> str:
        """`【神奈川県】2307 マイナンバー調査回答`: the list's e-mail subject (seed 3.(1))."""
        return self.file_name.format(name=name)

    def file(self, name: str) -> str:
        return self.subject(name) + ".xlsx"


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


def item_columns(item: Item) -> list[str]:
    """The 一覧用 headers an item's value is written in (one per option of a multi item)."""
    if item.kind == KIND_MULTI:
        return [f"{item.id}_{circled(o.number)}" for o in item.options]
    return [item.id]


def _number_key(item_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", item_id))


def sheet_order(items: Iterable[Item]) -> list[Item]:
    """Items as the answer sheet lists them: by their numbers, each sub-item after its item
    (the asking order may differ: 2307 asks 13 first)."""
    items = list(items)
    children: dict[str, list[Item]] = {}
    for item in items:
        if item.parent:
            children.setdefault(item.parent, []).append(item)
    ordered: list[Item] = []
    for item in sorted((i for i in items if not i.parent), key=lambda i: _number_key(i.id)):
        ordered.append(item)
        ordered.extend(children.get(item.id, ()))
    return ordered


def _default_columns(items: list[Item]) -> list[dict[str, Any]]:
    """The template's order when the definition gives none: 制度等, 組織区分, 属性, the other
    回答者情報, the items in sheet order, the flags, then items not on the sheet and the
    confirmation as the project's own columns."""
    fields = [{"field": key} for key, _ in RESPONDENT_FIELDS]
    head = [{"value": "system"}, fields[0], {"value": "attribute"}, *fields[1:]]
    on_sheet = [i for i in sheet_order(items) if i.on_sheet]
    off_sheet = [i for i in sheet_order(items) if not i.on_sheet]

    def entry(item: Item, project: bool = False) -> dict[str, Any]:
        return {"marks" if item.kind == KIND_MULTI else "item": item.id, "project": project}

    return [
        *head, *(entry(i) for i in on_sheet), {"value": "info_missing"}, {"value": "unanswered"},
        *(entry(i, True) for i in off_sheet),
        {"value": "confirmation", "project": True}, {"value": "confirmed_at", "project": True},
    ]


def build_layout(
    raw: Any, items: list[Item], *, name: str, title: str, system: str, org_sheet_labels: Iterable[str]
) -> Layout:
    """`workbook:` -> Layout; every key may be left out (the survey's name and title, the
    総点検 template's sheet names, the default column order). DefinitionError names what is
    wrong."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise DefinitionError("workbook: needs a mapping")
    by_id = {item.id: item for item in items}
    attribute = definition_text(raw, "attribute", "workbook", default=msg.ATTRIBUTE_VALUE)
    entries = raw.get("columns")
    if entries is None:
        entries = _default_columns(items)
    if not isinstance(entries, list) or not entries:
        raise DefinitionError("workbook.columns: needs a list of columns")
    columns: list[Column] = []
    for index, entry in enumerate(entries):
        columns += _columns(entry, index, by_id, {"system": system, "attribute": attribute})
    _check_columns(columns, items)
    sheets = raw.get("sheets") or {}
    if not isinstance(sheets, dict) or set(sheets) - set(_SHEET_KEYS):
        raise DefinitionError(f"workbook.sheets: names only {', '.join(_SHEET_KEYS)}")
    defaults = (msg.SHEET_ANSWER, msg.SHEET_LIST_ROW, msg.SHEET_CHOICES, msg.SHEET_PREFECTURE_LIST)
    named = [definition_text(sheets, key, "workbook.sheets", default=default) for key, default in zip(_SHEET_KEYS, defaults)]
    if len(set(named)) != len(named):
        raise DefinitionError("workbook.sheets: each sheet needs its own name")
    file_name = definition_text(raw, "file_name", "workbook", default="【{name}】" + name.replace("{", "{{").replace("}", "}}") + "回答")
    try:
        named_file = "{name}" in file_name and file_name.format(name="") is not None
    except (KeyError, IndexError, ValueError):
        named_file = False
    if not named_file:
        raise DefinitionError("workbook.file_name: needs {name} (the 組織名 or the 都道府県名) and no other {…}")
    known = list(dict.fromkeys(org_sheet_labels))
    choices = raw.get("org_choices", known)
    if not isinstance(choices, list) or sorted(choices) != sorted(known):
        raise DefinitionError(f"workbook.org_choices: must list the organisations' sheet labels: {'、'.join(known)}")
    return Layout(
        file_name=file_name, title=definition_text(raw, "title", "workbook", default=title), sheets=Sheets(*named),
        columns=tuple(columns), org_choices=tuple(choices), attribute=attribute,
    )


def _columns(entry: Any, index: int, by_id: Mapping[str, Item], fixed: Mapping[str, str]) -> list[Column]:
    where = f"workbook column #{index + 1}"
    kinds = [k for k in ("field", "item", "marks", "value") if isinstance(entry, dict) and k in entry]
    if len(kinds) != 1:
        raise DefinitionError(f"{where}: needs one of field, item, marks or value")
    kind, key = kinds[0], str(entry[kinds[0]])
    project = entry.get("project", False)
    width = entry.get("width", _DEFAULT_WIDTH)
    aliases = entry.get("aliases") or []
    if not isinstance(project, bool) or not isinstance(width, (int, float)) or isinstance(width, bool) or width <= 0:
        raise DefinitionError(f"{where}: project is true/false, width a number of characters")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise DefinitionError(f"{where}: aliases must list header spellings")
    common = {"project": project, "width": float(width), "aliases": tuple(aliases)}
    if kind == "field":
        if key not in RESPONDENT_LABELS:
            raise DefinitionError(f"{where}: no 回答者情報 field {key!r} ({', '.join(RESPONDENT_LABELS)})")
        source = SRC_ORG_TYPE if key == RESPONDENT_FIELDS[0][0] else SRC_RESPONDENT
        return [Column(RESPONDENT_LABELS[key], source, key, **common)]
    if kind == "value":
        if key not in _VALUE_COLUMNS:
            raise DefinitionError(f"{where}: no value column {key!r} ({', '.join(_VALUE_COLUMNS)})")
        source, header = _VALUE_COLUMNS[key]
        return [Column(header, source, fixed=fixed.get(key, ""), **common)]
    item = by_id.get(key)
    if item is None:
        raise DefinitionError(f"{where}: no item {key}")
    if (kind == "marks") != (item.kind == KIND_MULTI):
        raise DefinitionError(f"{where}: item {key} takes {'marks' if item.kind == KIND_MULTI else 'item'}")
    if kind == "item":
        return [Column(key, SRC_ITEM, key, **common)]
    if aliases:
        raise DefinitionError(f"{where}: marks columns are matched by their option numbers; no aliases")
    return [Column(header, SRC_OPTION, key, option=o.number, **common)
            for o, header in zip(item.options, item_columns(item))]


def _check_columns(columns: list[Column], items: list[Item]) -> None:
    headers = [c.header for c in columns]
    twice = sorted({h for h in headers if headers.count(h) > 1})
    if twice:
        raise DefinitionError(f"workbook.columns: {twice[0]} is given twice")
    missing = [label for key, label in RESPONDENT_FIELDS if label not in headers]
    missing += [_VALUE_COLUMNS[key][1] for key in _REQUIRED_VALUES if _VALUE_COLUMNS[key][1] not in headers]
    written = {c.key for c in columns if c.source in (SRC_ITEM, SRC_OPTION)}
    missing += [item.id for item in items if item.id not in written]
    if missing:
        raise DefinitionError(f"workbook.columns: missing {', '.join(missing)}")
    seen: dict[str, str] = {}
    for column in columns:
        for spelling in (column.header, *column.aliases):
            other = seen.setdefault(header_key(spelling), column.header)
            if other != column.header:
                raise DefinitionError(f"workbook.columns: {spelling!r} could mean {other} or {column.header}")
