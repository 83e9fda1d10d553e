"""住所比較: whether two addresses are 完全一致 under the 住所表記のゆれ rule (survey-rules.md).

Only notation is normalised; everything else that differs is reported, in plain Japanese,
so that the user sees why two addresses do not count as the same. Only a trailing 号 is
dropped (the rule says so); a trailing 番 / 番地 / 丁目 is kept, so `1-2番` and `1-2` differ.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from bot.messages import respondent as msg
from bot.survey.prefectures import leading_prefecture

# The spec lists 一…九, 十, 百, 〇; 千 is added so that 千二百番地 reads as 1200.
# Place names that start with 千 (千代田, 千葉, 千住) are never followed by a marker.
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_CHARS = "".join(_KANJI_DIGITS) + "".join(_KANJI_UNITS)
DASHES = "-‐‑‒–—―−ー－"
_MARKERS = ("丁目", "番地", "番", "号")
_SEPARATOR_RUN = f"(?:丁目|番地|番|号|の|[{re.escape(DASHES)}])+"
_TOKEN = re.compile(rf"(\d+)|([{_NUMERAL_CHARS}]+)|({_SEPARATOR_RUN})|(.)", re.DOTALL)
_BETWEEN_NUMBERS = re.compile(rf"(?<=\d){_SEPARATOR_RUN}(?=\d)")
# 号 closing a block number is dropped; before 室/棟/館 it belongs to a room or building.
_TRAILING_GOU = re.compile(r"(?<=\d)号(?![室棟館])")
_DIGITS_ONLY_TAIL = re.compile(r"^-?\d+(?:-\d+)*$")


@dataclass
class AddressComparison:
    match: bool
    differences: list[str] = field(default_factory=list)
    normalized_a: str = ""
    normalized_b: str = ""


@dataclass
class _Token:
    kind: str  # "num" (ASCII digits), "kan" (kanji numeral run), "sep", "other"
    text: str
    block: bool = False  # a "kan" token read as a block number


def _kanji_to_number(run: str) -> int:
    """二十三 -> 23, 百五 -> 105; a run without 十/百/千 reads digit by digit (一〇一 -> 101)."""
    if not any(ch in _KANJI_UNITS for ch in run):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in run))
    total, current = 0, 0
    for ch in run:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        else:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
    return total + current


def _is_name_char(ch: str) -> bool:
    """A character that continues a place name: a kanji that is not a numeral, or 々/ヶ/ケ."""
    if ch in _NUMERAL_CHARS or ch == "号":
        return False
    return ch in "々ヶケヵ" or "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ch, "")


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = ("num", "kan", "sep", "other")[match.lastindex - 1]
        tokens.append(_Token(kind, match.group(0)))
    return tokens


def _followed_by_marker(tokens: list[_Token], index: int) -> bool:
    """The numeral is directly followed by 丁目/番地/番/号 — unless it is 番 + a name kanji.

    「一番町」 is 一 + 番 + 町: the 番 is followed by a kanji of a name, so it is a place
    name, not block 1. 「四番三号」, 「四番」 at the end, 「四番-」 stay block numbers.
    """
    if index + 1 >= len(tokens) or tokens[index + 1].kind != "sep":
        return False
    sep = tokens[index + 1].text
    if not sep.startswith(_MARKERS):
        return False
    if sep == "番" and index + 2 < len(tokens):
        after = tokens[index + 2]
        if after.kind == "other" and _is_name_char(after.text):
            return False
    return True


def _is_number(token: _Token | None) -> bool:
    return token is not None and (token.kind == "num" or (token.kind == "kan" and token.block))


def _is_sep(token: _Token | None) -> bool:
    return token is not None and token.kind == "sep"


def _mark_block_numerals(tokens: list[_Token]) -> None:
    """Mark kanji numeral runs that are block numbers.

    A run is a block number when (a) it is followed by a marker (see _followed_by_marker),
    (b) it stands between two separators, or (c) a separator joins it to another block
    number, so that every number of 五の四の三 is read once one of them is; repeated until
    nothing changes. A run touching a name on both sides (四谷, 一の宮) is none of these.
    """
    def at(i: int) -> _Token | None:
        return tokens[i] if 0 <= i < len(tokens) else None

    changed = True
    while changed:
        changed = False
        for i, token in enumerate(tokens):
            if token.kind != "kan" or token.block:
                continue
            prev_sep = _is_sep(at(i - 1))
            next_sep = _is_sep(at(i + 1))
            if (
                _followed_by_marker(tokens, i)
                or (prev_sep and next_sep)
                or (prev_sep and _is_number(at(i - 2)))
                or (next_sep and _is_number(at(i + 2)))
            ):
                token.block = True
                changed = True


def normalize_address(text: str) -> str:
    """The notation-only normal form: `東京都千代田区霞が関一丁目二番二号` -> `東京都千代田区霞が関1-2-2`."""
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    tokens = _tokenize(compact)
    _mark_block_numerals(tokens)
    read = "".join(
        str(_kanji_to_number(t.text)) if t.kind == "kan" and t.block else t.text for t in tokens
    )
    read = _BETWEEN_NUMBERS.sub("-", read)
    return _TRAILING_GOU.sub("", read)


def _digit_run(text: str, start: int, end: int) -> str:
    """The segment text[start:end] widened to whole digit runs on both sides."""
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    while end < len(text) and text[end].isdigit():
        end += 1
    return text[start:end]


def _classify(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> str:
    seg_a, seg_b = a[i1:i2], b[j1:j2]
    extra = seg_a or seg_b
    longer, end = (a, i2) if seg_a else (b, j2)
    if seg_a and seg_b and set(seg_a + seg_b) <= set("ヶケヵカ"):
        return msg.ADDRESS_DIFF_KE
    if not (seg_a and seg_b):
        if extra in ("大字", "字") or (extra == "大" and longer[end:end + 1] == "字"):
            return msg.ADDRESS_DIFF_OAZA
        if extra.endswith("郡") and len(extra) > 1:
            return msg.ADDRESS_DIFF_GUN.format(gun=extra)
    num_a, num_b = _digit_run(a, i1, i2), _digit_run(b, j1, j2)
    if num_a.isdigit() and num_b.isdigit():
        return msg.ADDRESS_DIFF_NUMBER.format(a=num_a, b=num_b)
    if seg_a and seg_b:
        kanji_vs_digit = (
            all(ch in _NUMERAL_CHARS for ch in seg_a) and seg_b.isdigit()
        ) or (all(ch in _NUMERAL_CHARS for ch in seg_b) and seg_a.isdigit())
        if kanji_vs_digit:
            context = a[i2:i2 + 2]
            return msg.ADDRESS_DIFF_PLACE_NUMERAL.format(a=seg_a + context, b=seg_b + context)
        return msg.ADDRESS_DIFF_TEXT.format(a=seg_a, b=seg_b)
    if extra in _MARKERS and longer[:end - len(extra)][-1:].isdigit():
        return msg.ADDRESS_DIFF_MARKER.format(extra=extra)
    if end == len(longer):
        if _DIGITS_ONLY_TAIL.match(extra):
            return msg.ADDRESS_DIFF_NUMBER_TAIL.format(extra=extra)
        return msg.ADDRESS_DIFF_BUILDING.format(extra=extra)
    return msg.ADDRESS_DIFF_ONLY_ONE.format(extra=extra)


def _differences(a: str, b: str) -> list[str]:
    found: list[str] = []
    pref_a, pref_b = leading_prefecture(a), leading_prefecture(b)
    if pref_a != pref_b:
        if pref_a and pref_b:
            found.append(msg.ADDRESS_DIFF_PREFECTURE.format(a=pref_a, b=pref_b))
        else:
            found.append(msg.ADDRESS_DIFF_PREFECTURE_MISSING.format(name=pref_a or pref_b))
    rest_a = a[len(pref_a or ""):]
    rest_b = b[len(pref_b or ""):]
    matcher = SequenceMatcher(None, rest_a, rest_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            found.append(_classify(rest_a, rest_b, i1, i2, j1, j2))
    return list(dict.fromkeys(found))


def compare_addresses(a: str, b: str) -> AddressComparison:
    """完全一致 when equal after normalize_address; otherwise say what differs."""
    norm_a, norm_b = normalize_address(a), normalize_address(b)
    if not norm_a or not norm_b:
        return AddressComparison(False, [msg.ADDRESS_EMPTY], norm_a, norm_b)
    if norm_a == norm_b:
        return AddressComparison(True, [], norm_a, norm_b)
    return AddressComparison(False, _differences(norm_a, norm_b), norm_a, norm_b)


def format_comparison(result: AddressComparison) -> str:
    """The reply to 住所比較: first line starts with 一致 or 不一致, then the reasons."""
    lines = [msg.ADDRESS_MATCH if result.match else msg.ADDRESS_MISMATCH]
    lines += [msg.ADDRESS_REASON.format(reason=reason) for reason in result.differences]
    if result.normalized_a and result.normalized_b:
        lines.append(msg.ADDRESS_NORMALIZED.format(a=result.normalized_a, b=result.normalized_b))
    return "\n".join(lines)


def split_address_pair(text: str) -> tuple[str, str] | None:
    """`住所A / 住所B` (after the 住所比較 command) -> (A, B); None unless exactly two parts."""
    parts = [part.strip() for part in re.split(r"[/／]", text or "")]
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]
