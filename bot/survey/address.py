"""住所比較: whether two addresses are 完全一致 under the 住所表記のゆれ rule (survey-rules.md).

The seed only says 「住所表記のゆれ（例：5丁目-4-3、5-4-3、5の4の3）は完全一致とみなす」; the rest is the
project's reading, and every reason or note that rests on it says so. Only the notation of
the block numbers (丁目・番地・番・号 and what separates them, a trailing marker, digit forms)
may differ; a numeral that belongs to a town name (麻布十番, 一番町, 四谷) is part of the name;
when the bot cannot tell which it is, the answer is 不一致, and why.

Each address is read once, left to right, into (都道府県, name, block numbers, tail); every
step looks at a fixed number of neighbouring tokens, so the work is linear in the input,
which is also capped at MAX_ADDRESS_LENGTH characters: one message cannot hog the process.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.messages import address as msg
from bot.survey.prefectures import leading_prefecture

# A 住民票 address with 方書 stays well under a hundred characters; twice that leaves room
# for a pasted building name without letting a message of kilobytes through.
MAX_ADDRESS_LENGTH = 200

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERALS = "".join(_KANJI_DIGITS) + "".join(_KANJI_UNITS)
DASHES = "-‐‑‒–—―−ー－"
_MARKERS = ("丁目", "番地", "番", "号")
# The seed's own example separates with 丁目, - and の; everything else is our reading.
_SEED_SEPARATORS = ("丁目", "の", "-")
_MARKERS_ONLY = re.compile(r"(?:丁目|番地|番|号)+")
_TOKEN = re.compile(
    rf"(\d+)|([{_NUMERALS}]+)|((?:丁目|番地|番|号|の|[{re.escape(DASHES)}]| )+)|(.)", re.DOTALL
)
_SEPARATOR_PART = re.compile(rf"丁目|番地|番|号|の|[{re.escape(DASHES)}]| ")
_SEPARATORS_ONLY = re.compile(rf"(?:{_SEPARATOR_PART.pattern})+")
_TRAILING_MARKER = re.compile(r"(?<=\d)(丁目|番地|番|号)$")
_TOWN_NUMERAL = re.compile(rf"(\d+|[{_NUMERALS}]+)番?")
_SPACES = re.compile(r"\s+")
_KE = set("ヶケヵ")
# Where one part of a place name ends: used to show the word that differs, not a fragment.
_NAME_BOUNDARY = set("都道府県市区町村郡")
_ROOM = set("室棟館")

NUM, KAN, RUN, CHAR = "num", "kan", "run", "char"
_BLOCK, _NAME, _UNSURE = "block", "name", "unsure"


@dataclass
class AddressComparison:
    match: bool
    differences: list[str] = field(default_factory=list)
    normalized_a: str = ""
    normalized_b: str = ""
    notes: list[str] = field(default_factory=list)  # on a match: what was read as notation
    error: str = ""  # the input was refused (too long); no verdict


@dataclass
class _Token:
    kind: str
    text: str


@dataclass
class _Notes:
    """Which notation readings one address needed (shown on a match)."""

    width: bool = False
    space: bool = False
    space_separator: bool = False
    kanji: list[str] = field(default_factory=list)
    markers: set[str] = field(default_factory=set)
    trailing: set[str] = field(default_factory=set)
    dashes: set[str] = field(default_factory=set)


@dataclass
class _Reading:
    prefecture: str
    name: str  # after the prefecture, up to the block numbers, as written (NFKC)
    numbers: tuple[int, ...]
    tail: str  # building, room, … after the block numbers
    unsure: tuple[str, ...]  # numerals in the name that may be block numbers (四番 of 上野四番)
    notes: _Notes

    @property
    def key(self) -> tuple[str, str, tuple[int, ...], str]:
        return self.prefecture, self.name, self.numbers, self.tail

    @property
    def numbers_text(self) -> str:
        return "-".join(str(n) for n in self.numbers)

    @property
    def display(self) -> str:
        return f"{self.prefecture}{self.name}{self.numbers_text}{self.tail}"


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


def _numeral_value(text: str) -> int:
    return int(text) if text.isdigit() else _kanji_to_number(text)


def _is_kanji(ch: str) -> bool:
    return ch in "々ヶケヵ" or "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ch, "")


def _is_numeral_char(ch: str) -> bool:
    return ch.isdigit() or ch in _NUMERALS


def _compact(text: str, notes: _Notes) -> str:
    """NFKC; spaces dropped except one between two numbers (`5-4-3 101` keeps it)."""
    normal = unicodedata.normalize("NFKC", text or "")
    notes.width = normal != (text or "")
    stripped = normal.strip()

    def space(match: re.Match[str]) -> str:
        before = stripped[match.start() - 1] if match.start() else ""
        after = stripped[match.end()] if match.end() < len(stripped) else ""
        if before and after and _is_numeral_char(before) and _is_numeral_char(after):
            return " "
        notes.space = True
        return ""

    return _SPACES.sub(space, stripped)


def _tokenize(text: str) -> list[_Token]:
    return [_Token((NUM, KAN, RUN, CHAR)[m.lastindex - 1], m.group(0)) for m in _TOKEN.finditer(text)]


def _classify(tokens: list[_Token]) -> list[str | None]:
    """For each NUM/KAN token: a block number, part of a name, or (kanji only) unsure.

    Left to right, each token looks at its two neighbours on either side only.
    """
    kinds: list[str | None] = [None] * len(tokens)

    def at(i: int) -> _Token | None:
        return tokens[i] if 0 <= i < len(tokens) else None

    for i, token in enumerate(tokens):
        if token.kind not in (NUM, KAN):
            continue
        prev, nxt, after = at(i - 1), at(i + 1), at(i + 2)
        # Joined by a separator to the block number before it: 四 of 五丁目四番.
        joined = prev is not None and prev.kind == RUN and i >= 2 and kinds[i - 2] == _BLOCK
        if joined:
            kinds[i] = _BLOCK
        elif token.kind == NUM:
            kinds[i] = _num_kind(nxt, after)
        else:
            kinds[i] = _kanji_kind(nxt, after, at(i + 3))
    return kinds


def _num_kind(nxt: _Token | None, after: _Token | None) -> str:
    """Arabic digits are a block number unless a name goes on right after (北1条, 1番町)."""
    if nxt is not None and nxt.kind == CHAR and _is_kanji(nxt.text):
        return _NAME
    if nxt is not None and nxt.text == "番" and after is not None and after.kind == CHAR and _is_kanji(after.text):
        return _NAME
    return _BLOCK


def _kanji_kind(nxt: _Token | None, after: _Token | None, third: _Token | None) -> str:
    """A kanji numeral that starts a run of numbers: block, name or unsure (survey-rules.md 2.)."""
    if nxt is None:
        return _UNSURE  # 霞が関一: nothing marks it
    if nxt.kind == CHAR:
        return _NAME  # 四谷, 十日町, 八王子
    if nxt.kind != RUN:
        return _UNSURE  # 五3
    sep = nxt.text
    if sep == "番":
        if after is None:
            return _UNSURE  # 上野四番: block 4, or the town 四番?
        if after.kind in (CHAR, NUM):
            return _NAME  # 一番町; 麻布十番2-3-4 (survey-rules.md: a town name)
        if after.kind == KAN:
            # 一番三丁目: 番 cannot stand above 丁目, so 一番 is a town.
            if third is not None and third.kind == RUN and third.text.startswith("丁目"):
                return _NAME
            return _BLOCK  # 四番三号
        return _UNSURE
    if sep.startswith(("丁目", "番地")):
        return _BLOCK
    if sep.startswith("号"):
        if sep == "号" and after is not None and after.kind == CHAR and after.text in _ROOM:
            return _UNSURE  # 三号室
        return _BLOCK
    if sep.startswith("番"):
        return _BLOCK if after is not None and after.kind == KAN else _UNSURE
    # の, a dash or a space
    if after is None or after.kind == CHAR:
        return _NAME if after is not None else _UNSURE  # 一の宮 / 五の
    return _BLOCK  # 五の四


def _note_separator(run: str, notes: _Notes) -> None:
    for part in _SEPARATOR_PART.findall(run):
        if part in _SEED_SEPARATORS:
            continue
        if part in _MARKERS:
            notes.markers.add(part)
        elif part == " ":
            notes.space_separator = True
        else:
            notes.dashes.add(part)


def _read(text: str) -> _Reading:
    notes = _Notes()
    tokens = _tokenize(_compact(text, notes))
    kinds = _classify(tokens)
    start = next((i for i, kind in enumerate(kinds) if kind == _BLOCK), len(tokens))

    name_parts, unsure = [], []
    for i in range(start):
        name_parts.append(tokens[i].text)
        if kinds[i] == _UNSURE:
            follows = tokens[i + 1].text if i + 1 < len(tokens) and tokens[i + 1].text == "番" else ""
            unsure.append(tokens[i].text + follows)
    name = "".join(name_parts)

    numbers: list[int] = []
    i = start
    if i < len(tokens):
        numbers.append(_block_value(tokens[i], notes))
        i += 1
        while i + 1 < len(tokens) and tokens[i].kind == RUN and kinds[i + 1] == _BLOCK:
            _note_separator(tokens[i].text, notes)
            numbers.append(_block_value(tokens[i + 1], notes))
            i += 2
        if i < len(tokens) and tokens[i].kind == RUN and _MARKERS_ONLY.fullmatch(tokens[i].text):
            run, after = tokens[i].text, tokens[i + 1] if i + 1 < len(tokens) else None
            keeps = after is not None and after.kind == CHAR and (
                (run.endswith("号") and after.text in _ROOM) or (run == "番" and _is_kanji(after.text))
            )
            if not keeps:
                notes.trailing.add(run)
                i += 1
    tail = "".join(t.text for t in tokens[i:])
    trailing = _TRAILING_MARKER.search(tail)
    if trailing:
        notes.trailing.add(trailing.group(1))
        tail = tail[: trailing.start()]

    prefecture = leading_prefecture(name) or ""
    return _Reading(prefecture, name[len(prefecture):], tuple(numbers), tail, tuple(unsure), notes)


def _block_value(token: _Token, notes: _Notes) -> int:
    if token.kind == KAN:
        notes.kanji.append(token.text)
    return _numeral_value(token.text)


def normalize_address(text: str) -> str:
    """The form two addresses are compared in: `東京都千代田区霞が関一丁目二番二号` -> `東京都千代田区霞が関1-2-2`."""
    return _read(text).display


# --- what differs ---------------------------------------------------------------------


def _reading(text: str) -> str:
    return text + msg.READING


def _word(text: str, lo: int, hi: int) -> str:
    """text[lo:hi] widened to the place-name parts it touches (霞ヶ関, not ヶ)."""
    while lo > 0 and text[lo - 1] not in _NAME_BOUNDARY:
        lo -= 1
    while hi < len(text) and (hi == lo or text[hi - 1] not in _NAME_BOUNDARY):
        hi += 1
    return text[lo:hi]


def _name_reason(a: str, b: str) -> str:
    limit = min(len(a), len(b))
    p = 0
    while p < limit and a[p] == b[p]:
        p += 1
    s = 0
    while s < limit - p and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    mid_a, mid_b = a[p:len(a) - s], b[p:len(b) - s]
    word_a, word_b = _word(a, p, len(a) - s), _word(b, p, len(b) - s)
    if mid_a and mid_b and set(mid_a + mid_b) <= _KE:
        return _reading(msg.DIFF_KE.format(a=word_a, b=word_b))
    if not (mid_a and mid_b):
        extra, longer, end = (mid_a, a, len(a) - s) if mid_a else (mid_b, b, len(b) - s)
        if extra in ("大字", "字") or (extra == "大" and longer[end:end + 1] == "字"):
            return _reading(msg.DIFF_OAZA.format(a=word_a, b=word_b))
        if extra.endswith("郡") and len(extra) > 1:
            return _reading(msg.DIFF_GUN.format(gun=extra))
        return _reading(msg.DIFF_NAME_ONLY_ONE.format(extra=_word(longer, p, end)))
    numeral_a = all(ch in _NUMERALS for ch in mid_a) and mid_b.isdigit()
    numeral_b = all(ch in _NUMERALS for ch in mid_b) and mid_a.isdigit()
    if numeral_a or numeral_b:
        return _reading(msg.DIFF_PLACE_NUMERAL.format(a=word_a, b=word_b))
    return _reading(msg.DIFF_NAME.format(a=word_a, b=word_b))


def _numbers_reason(a: _Reading, b: _Reading) -> str:
    x, y = a.numbers, b.numbers
    if not x or not y:
        return msg.DIFF_NUMBER_ONLY_ONE.format(numbers=a.numbers_text or b.numbers_text)
    if len(x) == len(y):
        return msg.DIFF_NUMBER.format(a=a.numbers_text, b=b.numbers_text)
    if "".join(map(str, x)) == "".join(map(str, y)):
        return _reading(msg.DIFF_NUMBER_SPLIT.format(a=a.display, b=b.display))
    shorter, longer = (x, y) if len(x) < len(y) else (y, x)
    if longer[: len(shorter)] == shorter:
        return msg.DIFF_NUMBER_MISSING.format(a=a.numbers_text, b=b.numbers_text)
    return msg.DIFF_NUMBER.format(a=a.numbers_text, b=b.numbers_text)


def _town_numeral_reason(a: _Reading, b: _Reading) -> str | None:
    """熱田区一番3-1-2 / 熱田区1-3-1-2: the town's numeral written as the first block number."""
    for named, bare in ((a, b), (b, a)):
        if len(named.name) <= len(bare.name) or not named.name.startswith(bare.name):
            continue
        town = named.name[len(bare.name):]
        match = _TOWN_NUMERAL.fullmatch(town)
        if not match or bare.numbers[1:] != named.numbers:
            continue
        if bare.numbers[:1] != (_numeral_value(match.group(1)),):
            continue
        values = {"town": town, "number": bare.numbers[0], "a": a.display, "b": b.display}
        if any(text in town for text in named.unsure):
            return _reading(msg.DIFF_TOWN_NUMERAL_UNSURE.format(**values))
        return _reading(msg.DIFF_TOWN_NUMERAL.format(**values))
    return None


def _differences(a: _Reading, b: _Reading) -> list[str]:
    found: list[str] = []
    if a.prefecture != b.prefecture:
        if a.prefecture and b.prefecture:
            found.append(msg.DIFF_PREFECTURE.format(a=a.prefecture, b=b.prefecture))
        else:
            found.append(_reading(msg.DIFF_PREFECTURE_MISSING.format(name=a.prefecture or b.prefecture)))
    combined = None
    if a.name != b.name and a.numbers != b.numbers:
        combined = _town_numeral_reason(a, b)
    if combined:
        found.append(combined)
    else:
        if a.name != b.name:
            found.append(_name_reason(a.name, b.name))
        if a.numbers != b.numbers:
            found.append(_numbers_reason(a, b))
    if a.tail != b.tail:
        extra = a.tail or b.tail
        if a.tail and b.tail:
            found.append(_reading(msg.DIFF_BUILDING.format(a=a.tail, b=b.tail)))
        elif _SEPARATORS_ONLY.fullmatch(extra):
            found.append(_reading(msg.DIFF_NAME_ONLY_ONE.format(extra=extra)))  # 5-4-3- : a stray mark
        else:
            found.append(_reading(msg.DIFF_BUILDING_ONLY_ONE.format(extra=extra)))
    return list(dict.fromkeys(found))


def _match_notes(a: str, b: str, ra: _Reading, rb: _Reading) -> list[str]:
    if a == b:
        return [msg.NOTE_SAME]
    notes = [msg.NOTE_SEED_ONLY]
    na, nb = ra.notes, rb.notes
    if na.width or nb.width:
        notes.append(_reading(msg.NOTE_WIDTH))
    if na.space or nb.space:
        notes.append(_reading(msg.NOTE_SPACE))
    if na.space_separator or nb.space_separator:
        notes.append(_reading(msg.NOTE_SPACE_SEPARATOR))
    kanji = list(dict.fromkeys(na.kanji + nb.kanji))
    if kanji:
        notes.append(_reading(msg.NOTE_KANJI.format(examples="、".join(kanji[:5]))))
    markers = [m for m in _MARKERS if m in na.markers | nb.markers]
    if markers:
        notes.append(_reading(msg.NOTE_MARKERS.format(markers="」「".join(markers))))
    trailing = sorted(na.trailing | nb.trailing)
    if trailing:
        notes.append(_reading(msg.NOTE_TRAILING.format(markers="」「".join(trailing))))
    dashes = sorted(na.dashes | nb.dashes)
    if dashes:
        notes.append(_reading(msg.NOTE_DASHES.format(marks="・".join(dashes))))
    if len(notes) > 1:
        notes.pop(0)  # something beyond the seed's example was needed: say what, not that
    return notes


def compare_addresses(a: str, b: str) -> AddressComparison:
    """完全一致 when both read the same; otherwise say what differs. Each address is capped
    at MAX_ADDRESS_LENGTH characters (error set, no verdict)."""
    a, b = (a or "").strip(), (b or "").strip()
    longest = max(len(a), len(b))
    if longest > MAX_ADDRESS_LENGTH:
        return AddressComparison(False, error=msg.TOO_LONG.format(limit=MAX_ADDRESS_LENGTH, length=longest))
    ra, rb = _read(a), _read(b)
    norm_a, norm_b = ra.display, rb.display
    if not norm_a or not norm_b:
        return AddressComparison(False, [msg.EMPTY], norm_a, norm_b)
    if ra.key == rb.key:
        return AddressComparison(True, [], norm_a, norm_b, notes=_match_notes(a, b, ra, rb))
    return AddressComparison(False, _differences(ra, rb), norm_a, norm_b)


def format_comparison(result: AddressComparison) -> str:
    """The reply to 住所比較: first line starts with 一致 or 不一致, then the reasons."""
    if result.error:
        return result.error
    lines = [msg.MATCH if result.match else msg.MISMATCH]
    lines += [msg.REASON.format(reason=reason) for reason in (result.notes if result.match else result.differences)]
    if result.normalized_a and result.normalized_b:
        lines.append(msg.NORMALIZED.format(a=result.normalized_a, b=result.normalized_b))
    if any(msg.READING in line for line in lines):
        lines.append(msg.FOOTNOTE)
    return "\n".join(lines)


def split_address_pair(text: str) -> tuple[str, str] | None:
    """`住所A / 住所B` (after the 住所比較 command) -> (A, B); None unless exactly two parts."""
    parts = [part.strip() for part in re.split(r"[/／]", text or "")]
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]
