"""Typed-answer normalisation: what a user types, read as an answer value.

Users type on phones and PCs with Japanese IMEs, so full-width digits, circled numbers,
brackets, 和暦 and separators like 「、」「・」 are all read. A bad answer never raises:
it comes back as Parsed(ok=False, error=<short Japanese reason>).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..messages import survey as msg
from ..messages.dates import era_name, western_year, within_era
from .model import (
    CIRCLED,
    KIND_MULTI,
    KIND_SINGLE,
    KIND_TEXT,
    KIND_YEARMONTH,
    Item,
    circled,
)

YEAR_FIRST, YEAR_LAST = 2000, 2100

_TRAILING_PUNCT = "。.．、,"
_DASHES = "‐‑‒–—―−－"
_SEPARATORS = re.compile(r"[,、，・/／;；\s]+")


@dataclass(frozen=True)
class Parsed:
    ok: bool
    value: Any
    error: str = ""


def _fail(error: str) -> Parsed:
    return Parsed(False, None, error)


def squash(text: str) -> str:
    """NFKC and no whitespace: the form typed answers are compared in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _range_hint(item: Item) -> str:
    first, last = circled(item.options[0].number), circled(item.options[-1].number)
    if len(item.options) == 2:
        return msg.CHOOSE_SINGLE_TWO.format(first=first, last=last)
    return msg.CHOOSE_SINGLE.format(first=first, last=last)


def _number_of(item: Item, token: str) -> tuple[int | None, list[int]]:
    """One option from one token: (number, []) or (None, ambiguous candidates)."""
    match = re.fullmatch(r"[(\[]?([0-9]+)[)\]]?[.。番]?(.*)", token)
    numbers = {opt.number for opt in item.options}
    if match:
        number, rest = int(match.group(1)), match.group(2)
        if number in numbers and (not rest or squash(item.option(number).text).startswith(rest)):
            return number, []
        if not rest:
            return None, []
    # The option's wording, or an unambiguous start of it.
    wanted = token.rstrip(_TRAILING_PUNCT)
    if not wanted:
        return None, []
    exact = [o.number for o in item.options if squash(o.text).rstrip(_TRAILING_PUNCT) == wanted]
    if len(exact) == 1:
        return exact[0], []
    starts = [o.number for o in item.options if squash(o.text).startswith(wanted)]
    if len(starts) == 1:
        return starts[0], []
    return None, starts


def _circled_to_digits(text: str) -> str:
    # NFKC turns ①③ into "13", which would read as thirteen; keep them apart.
    return "".join(f" {CIRCLED.index(ch) + 1} " if ch in CIRCLED else ch for ch in text)


def parse_single(item: Item, text: str) -> Parsed:
    token = squash(_circled_to_digits(text))
    if not token:
        return _fail(msg.EMPTY_ANSWER)
    number, candidates = _number_of(item, token)
    if number is not None:
        return Parsed(True, number)
    if candidates:
        labels = "、".join(circled(n) for n in candidates)
        return _fail(msg.AMBIGUOUS_OPTION.format(given=text.strip(), candidates=labels))
    tokens = [t for t in _SEPARATORS.split(unicodedata.normalize("NFKC", _circled_to_digits(text))) if t]
    if len(tokens) > 1 and all(_number_of(item, t)[0] is not None for t in tokens):
        return _fail(msg.ONE_ONLY + _range_hint(item))
    return _fail(msg.NO_SUCH_OPTION.format(given=text.strip()) + _range_hint(item))


def parse_multi(item: Item, text: str) -> Parsed:
    whole = squash(_circled_to_digits(text))
    if not whole:
        return _fail(msg.EMPTY_ANSWER)
    hint = msg.CHOOSE_MULTI.format(
        first=circled(item.options[0].number), last=circled(item.options[-1].number)
    )
    if whole in msg.NONE_WORDS:
        if item.allow_none:
            return Parsed(True, [])
        return _fail(msg.NONE_NOT_ALLOWED + hint)
    # The whole text may be one option's wording, which can itself contain 「・」.
    number, _ = _number_of(item, whole)
    if number is not None:
        chosen = {number}
    else:
        chosen = set()
        spaced = unicodedata.normalize("NFKC", _circled_to_digits(text))
        for token in (t for t in _SEPARATORS.split(spaced) if t):
            number, candidates = _number_of(item, token)
            if number is None and re.fullmatch(r"[0-9]+", token) and len(item.options) < 10:
                # "13" on a three-option item can only mean ① and ③.
                digits = [int(d) for d in token]
                if all(any(o.number == d for o in item.options) for d in digits):
                    chosen.update(digits)
                    continue
            if number is None:
                if candidates:
                    labels = "、".join(circled(n) for n in candidates)
                    return _fail(msg.AMBIGUOUS_OPTION.format(given=token, candidates=labels))
                return _fail(msg.NO_SUCH_OPTION.format(given=token) + hint)
            chosen.add(number)
    if len(chosen) < max(item.min_choices, 1):
        return _fail(msg.AT_LEAST.format(count=max(item.min_choices, 1)) + hint)
    return Parsed(True, sorted(chosen))


def parse_yearmonth(text: str) -> Parsed:
    """`2023年9月`, `令和5年9月`, `R5.9`, `2023/9`, `令和元年10月`, … -> `2023年9月`."""
    token = squash(text).lower()
    if not token:
        return _fail(msg.EMPTY_ANSWER)
    token = re.sub(f"[{_DASHES}]", "-", token)
    match = re.fullmatch(r"(令和|平成|r|h)(元|[0-9]{1,2})[年./-]([0-9]{1,2})月?", token)
    if match:
        era_year = 1 if match.group(2) == "元" else int(match.group(2))
        month = int(match.group(3))
        if not 1 <= month <= 12:
            return _fail(msg.MONTH_RANGE)
        year = western_year(match.group(1), era_year)
        if era_year < 1 or not within_era(match.group(1), year, month):
            return _fail(msg.ERA_RANGE.format(era=era_name(match.group(1)), year=match.group(2), month=month))
    else:
        match = re.fullmatch(r"([0-9]{4})[年./-]([0-9]{1,2})月?", token)
        if not match:
            return _fail(msg.YEARMONTH_FORMAT)
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return _fail(msg.MONTH_RANGE)
    if not YEAR_FIRST <= year <= YEAR_LAST:
        return _fail(msg.YEAR_RANGE.format(first=YEAR_FIRST, last=YEAR_LAST))
    return Parsed(True, f"{year}年{month}月")


def parse_text(text: str) -> Parsed:
    value = (text or "").strip()
    if not value:
        return _fail(msg.EMPTY_ANSWER)
    return Parsed(True, value)


def parse(item: Item, text: str) -> Parsed:
    """Read `text` as an answer to `item`; free text over the item's max_length is refused
    before anything reads it."""
    length = len((text or "").strip())
    if item.max_length is not None and length > item.max_length:
        return _fail(msg.TEXT_TOO_LONG.format(limit=item.max_length, length=length))
    if item.kind == KIND_SINGLE:
        return parse_single(item, text)
    if item.kind == KIND_MULTI:
        return parse_multi(item, text)
    if item.kind == KIND_YEARMONTH:
        return parse_yearmonth(text)
    if item.kind == KIND_TEXT:
        return parse_text(text)
    raise ValueError(f"{item.id}: unknown kind {item.kind!r}")
