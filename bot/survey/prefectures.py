"""The 47 prefectures with their JIS X 0401 codes, as the survey's 組織名 uses them."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PREFECTURES: tuple[tuple[str, str], ...] = (
    ("01", "北海道"), ("02", "青森県"), ("03", "岩手県"), ("04", "宮城県"), ("05", "秋田県"),
    ("06", "山形県"), ("07", "福島県"), ("08", "茨城県"), ("09", "栃木県"), ("10", "群馬県"),
    ("11", "埼玉県"), ("12", "千葉県"), ("13", "東京都"), ("14", "神奈川県"), ("15", "新潟県"),
    ("16", "富山県"), ("17", "石川県"), ("18", "福井県"), ("19", "山梨県"), ("20", "長野県"),
    ("21", "岐阜県"), ("22", "静岡県"), ("23", "愛知県"), ("24", "三重県"), ("25", "滋賀県"),
    ("26", "京都府"), ("27", "大阪府"), ("28", "兵庫県"), ("29", "奈良県"), ("30", "和歌山県"),
    ("31", "鳥取県"), ("32", "島根県"), ("33", "岡山県"), ("34", "広島県"), ("35", "山口県"),
    ("36", "徳島県"), ("37", "香川県"), ("38", "愛媛県"), ("39", "高知県"), ("40", "福岡県"),
    ("41", "佐賀県"), ("42", "長崎県"), ("43", "熊本県"), ("44", "大分県"), ("45", "宮崎県"),
    ("46", "鹿児島県"), ("47", "沖縄県"),
)

_ORG_CODE = re.compile(r"^(\d{2})")


@lru_cache(maxsize=1)
def _names_by_code() -> dict[str, str]:
    return dict(PREFECTURES)


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    """Full names and the short forms people type (東京, 大阪, 神奈川); 北海道 has no short form."""
    table: dict[str, str] = {}
    for code, name in PREFECTURES:
        table[name] = code
        if name != "北海道":
            table[name[:-1]] = code
    return table


def prefecture_name(code: str) -> str | None:
    """`"14"` (or `"１４"`, or `"1"` for 01) -> `"神奈川県"`."""
    text = unicodedata.normalize("NFKC", code or "").strip()
    if not text.isdigit() or len(text) > 2:
        return None
    return _names_by_code().get(text.zfill(2))


def prefecture_code(name: str) -> str | None:
    """`"神奈川県"` or `"神奈川"` -> `"14"`."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    return _codes_by_name().get(text)


def leading_prefecture(text: str) -> str | None:
    """The full prefecture name that `text` starts with, if any."""
    for _code, name in PREFECTURES:
        if text.startswith(name):
            return name
    return None


def prefecture_code_of_org(org_name: str) -> str | None:
    """The prefecture code of a stored 組織名 (`14神奈川県相模原市(広域)` -> `"14"`).

    The code and the name must agree; a name without a code still tells its prefecture.
    """
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", org_name or ""))
    match = _ORG_CODE.match(text)
    if match:
        code = match.group(1)
        name = _names_by_code().get(code)
        if name is None or not text[2:].startswith(name):
            return None
        return code
    name = leading_prefecture(text)
    return _codes_by_name()[name] if name else None


def resolve_prefecture(text: str) -> str | None:
    """What staff type after a command: `神奈川県`, `神奈川`, `14` or `１４` -> `"14"`."""
    code = prefecture_code(text)
    if code is None:
        name = prefecture_name(text)
        code = prefecture_code(name) if name else None
    return code
