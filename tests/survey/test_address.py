"""住所比較: survey-rules.md "Address variants (住所表記のゆれ)", one row per rule."""
from __future__ import annotations

import itertools

import pytest

from bot.messages import respondent as msg
from bot.survey.address import (
    AddressComparison,
    compare_addresses,
    format_comparison,
    normalize_address,
    split_address_pair,
)

# The seed's own example (Q7-1 ※), with the town in front as a 住民票 would have it.
SEED_VARIANTS = ("霞が関5丁目-4-3", "霞が関5-4-3", "霞が関5の4の3")


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(SEED_VARIANTS, 2)))
def test_seed_variants_match_each_other(a, b):
    result = compare_addresses(a, b)
    assert result.match and result.differences == []
    assert result.normalized_a == result.normalized_b == "霞が関5-4-3"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # 1. NFKC and spaces
        ("５－４－３", "5-4-3"),
        ("霞が関 ５丁目　４番 ３号", "霞が関5-4-3"),
        # 3. any run of markers / の / dashes between two numbers is one separator
        ("5丁目-4-3", "5-4-3"),
        ("5の4の3", "5-4-3"),
        ("5丁目4番地3", "5-4-3"),
        ("5丁目4番3号", "5-4-3"),
        ("5‐4−3", "5-4-3"),
        ("5―4ー3", "5-4-3"),
        ("5－4—3", "5-4-3"),
        ("5番地の4", "5-4"),
        # 2. kanji numerals followed by a marker are block numbers
        ("五丁目四番三号", "5-4-3"),
        ("二十三番地", "23番地"),
        ("百五番地", "105番地"),
        ("千二百番地", "1200番地"),
        ("一〇一号", "101"),
        ("十丁目", "10丁目"),
        # 2. between two separators, or joined to a block number by a separator
        ("5-四-3", "5-4-3"),
        ("五の四の三", "5-4-3"),
        # …but two bare numerals joined by の carry no mark of a block number (一の宮 looks the same)
        ("中井町五の四", "中井町五の四"),
        ("中井町五の四番", "中井町5-4番"),
        # a trailing 号 is dropped; 号 of a room or building stays
        ("1-2-3号", "1-2-3"),
        ("1-2-3号101号室", "1-2-3-101号室"),
        ("3号棟", "3号棟"),
        # numerals inside place names stay
        ("千代田区一番町5-4-3", "千代田区一番町5-4-3"),
        ("千代田区三番町", "千代田区三番町"),
        ("仙台市青葉区一番町四丁目", "仙台市青葉区一番町4丁目"),
        ("新宿区四谷一丁目", "新宿区四谷1丁目"),
        ("一宮市一の宮5の4", "一宮市一の宮5-4"),
        ("九段南一丁目二番一号", "九段南1-2-1"),
        ("八王子市", "八王子市"),
        ("千葉市", "千葉市"),
        ("二の丸3", "二の丸3"),
        # notation the rule does not touch
        ("霞ヶ関", "霞ヶ関"),
        ("大字上溝", "大字上溝"),
    ],
)
def test_normalize_address(given, expected):
    assert normalize_address(given) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("東京都千代田区霞が関1丁目2番2号", "東京都千代田区霞が関一丁目二番二号"),
        ("東京都千代田区霞が関1-2-2", "東京都千代田区霞が関１－２－２"),
        ("相模原市中央区中央2丁目11番15号", "相模原市中央区中央2の11の15"),
        ("x町二十三番地", "x町23番地"),
        ("a町五の四の三", "a町5-4-3"),
        ("5丁目4番地3", "5-4-3号"),
        ("千代田区一番町5-4-3", "千代田区一番町五丁目四番三号"),
    ],
)
def test_notation_variants_match(a, b):
    assert compare_addresses(a, b).match


BASE = "神奈川県相模原市中央区中央2-11-15"


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        # another number
        (BASE, "神奈川県相模原市中央区中央2-11-16", msg.ADDRESS_DIFF_NUMBER.format(a="15", b="16")),
        ("霞が関5-4-3", "霞が関5-5-3", msg.ADDRESS_DIFF_NUMBER.format(a="4", b="5")),
        ("霞が関5-4-3", "霞が関5-4-31", msg.ADDRESS_DIFF_NUMBER.format(a="3", b="31")),
        # building or room present in one only
        (BASE, BASE + "○○マンション101", msg.ADDRESS_DIFF_BUILDING.format(extra="○○マンション101")),
        (BASE + " ○○ハイツ", BASE, msg.ADDRESS_DIFF_BUILDING.format(extra="○○ハイツ")),
        (BASE, BASE + "-101", msg.ADDRESS_DIFF_NUMBER_TAIL.format(extra="-101")),
        # 大字 / 字
        ("相模原市大字上溝1", "相模原市上溝1", msg.ADDRESS_DIFF_OAZA),
        ("相模原市大字上溝1", "相模原市字上溝1", msg.ADDRESS_DIFF_OAZA),
        ("相模原市字上溝1", "相模原市上溝1", msg.ADDRESS_DIFF_OAZA),
        # ヶ / ケ
        ("千代田区霞ヶ関1-2", "千代田区霞ケ関1-2", msg.ADDRESS_DIFF_KE),
        ("千代田区霞ヶ関1-2", "千代田区霞ｹ関1-2", msg.ADDRESS_DIFF_KE),
        # missing or other 都道府県名
        (BASE, "相模原市中央区中央2-11-15", msg.ADDRESS_DIFF_PREFECTURE_MISSING.format(name="神奈川県")),
        ("中井町1", "神奈川県中井町1", msg.ADDRESS_DIFF_PREFECTURE_MISSING.format(name="神奈川県")),
        ("東京都府中市1", "京都府府中市1", msg.ADDRESS_DIFF_PREFECTURE.format(a="東京都", b="京都府")),
        # missing 郡
        ("神奈川県足柄上郡中井町比奈窪56", "神奈川県中井町比奈窪56", msg.ADDRESS_DIFF_GUN.format(gun="足柄上郡")),
        # another town
        (BASE, "神奈川県相模原市中央区富士見2-11-15", msg.ADDRESS_DIFF_TEXT.format(a="中央", b="富士見")),
        # numerals inside a place name are not notation
        ("千代田区一番町5-4-3", "千代田区1番町5-4-3", msg.ADDRESS_DIFF_PLACE_NUMERAL.format(a="一番町", b="1番町")),
        ("千代田区三番町", "千代田区3番町", msg.ADDRESS_DIFF_PLACE_NUMERAL.format(a="三番町", b="3番町")),
        # only a trailing 号 is dropped; a trailing 番 / 番地 still counts
        ("新宿区四谷一丁目二番", "新宿区四谷1-2", msg.ADDRESS_DIFF_MARKER.format(extra="番")),
        ("x町123番地", "x町123", msg.ADDRESS_DIFF_MARKER.format(extra="番地")),
    ],
)
def test_must_not_match(a, b, reason):
    result = compare_addresses(a, b)
    assert not result.match
    assert reason in result.differences
    assert compare_addresses(b, a).match is False  # symmetric verdict


def test_only_the_differing_part_is_reported():
    result = compare_addresses("東京都" + "霞が関5丁目4番3号", "霞が関5-4-3")
    assert result.differences == [msg.ADDRESS_DIFF_PREFECTURE_MISSING.format(name="東京都")]


@pytest.mark.parametrize(("a", "b"), [("", "霞が関5-4-3"), ("霞が関5-4-3", "　"), ("", "")])
def test_empty_address_is_not_a_match(a, b):
    assert compare_addresses(a, b) == AddressComparison(
        False, [msg.ADDRESS_EMPTY], normalize_address(a), normalize_address(b)
    )


@pytest.mark.parametrize(
    ("a", "b", "first_line"),
    [
        ("霞が関5丁目-4-3", "霞が関5の4の3", "一致"),
        ("霞が関5-4-3", "霞が関5-4-4", "不一致"),
        ("相模原市大字上溝1", "相模原市上溝1", "不一致"),
    ],
)
def test_format_comparison_first_line(a, b, first_line):
    result = compare_addresses(a, b)
    lines = format_comparison(result).splitlines()
    assert lines[0].startswith(first_line)
    assert not lines[0].startswith("不一致") or first_line == "不一致"
    for reason in result.differences:
        assert msg.ADDRESS_REASON.format(reason=reason) in lines
    assert msg.ADDRESS_NORMALIZED.format(a=result.normalized_a, b=result.normalized_b) in lines
    assert len(lines) == 2 + len(result.differences)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("霞が関5-4-3 / 霞が関5の4の3", ("霞が関5-4-3", "霞が関5の4の3")),
        ("霞が関5-4-3／霞が関5の4の3", ("霞が関5-4-3", "霞が関5の4の3")),
        ("霞が関5-4-3", None),
        ("a / b / c", None),
        (" / b", None),
    ],
)
def test_split_address_pair(text, expected):
    assert split_address_pair(text) == expected
