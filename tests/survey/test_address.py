"""住所比較: survey-rules.md "Address variants (住所表記のゆれ)", one row per rule and example."""
from __future__ import annotations

import itertools

import pytest

from bot.messages import address as msg
from bot.survey.address import (
    MAX_ADDRESS_LENGTH,
    AddressComparison,
    compare_addresses,
    format_comparison,
    normalize_address,
    split_address_pair,
)

R = msg.READING

# The seed's own example (Q7-1 ※), with the town in front as a 住民票 would have it.
SEED_VARIANTS = ("霞が関5丁目-4-3", "霞が関5-4-3", "霞が関5の4の3")


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(SEED_VARIANTS, 2)))
def test_seed_variants_match_each_other_as_the_seed_says(a, b):
    result = compare_addresses(a, b)
    assert result.match and result.differences == []
    assert result.normalized_a == result.normalized_b == "霞が関5-4-3"
    assert result.notes == [msg.NOTE_SEED_ONLY]  # nothing of the bot's own reading was needed


# --- every example of survey-rules.md's table --------------------------------------------

MATCH = "一致"
MISMATCH = "不一致"


@pytest.mark.parametrize(
    ("a", "b", "verdict", "reason"),
    [
        ("5丁目-4-3", "5の4の3", MATCH, None),
        ("五丁目四番三号", "５－４－３", MATCH, None),
        ("大手町二十三番地の五", "大手町23-5", MATCH, None),
        ("上野1234番地", "上野1234", MATCH, None),
        ("5丁目4番", "5-4", MATCH, None),
        ("5-4-3", "5-4-4", MISMATCH, msg.DIFF_NUMBER.format(a="5-4-3", b="5-4-4")),
        ("5-4-3", "5-4", MISMATCH, msg.DIFF_NUMBER_MISSING.format(a="5-4-3", b="5-4")),
        ("5-4-3", "5-4-3 ハイツ中央101号室", MISMATCH,
         msg.DIFF_BUILDING_ONLY_ONE.format(extra="ハイツ中央101号室") + R),
        ("5-4-3 101", "5-4-3101", MISMATCH,
         msg.DIFF_NUMBER_SPLIT.format(a="5-4-3-101", b="5-4-3101") + R),
        ("麻布十番2-3-4", "麻布10-2-3-4", MISMATCH,
         msg.DIFF_TOWN_NUMERAL.format(town="十番", number=10, a="麻布十番2-3-4", b="麻布10-2-3-4") + R),
        ("熱田区一番3-1-2", "熱田区1-3-1-2", MISMATCH,
         msg.DIFF_TOWN_NUMERAL.format(town="一番", number=1, a="熱田区一番3-1-2", b="熱田区1-3-1-2") + R),
        ("霞ヶ関1-2", "霞ケ関1-2", MISMATCH, msg.DIFF_KE.format(a="霞ヶ関", b="霞ケ関") + R),
    ],
)
def test_survey_rules_table(a, b, verdict, reason):
    for first, second in ((a, b), (b, a)):  # the verdict does not depend on the order
        result = compare_addresses(first, second)
        assert result.match is (verdict == MATCH)
        assert format_comparison(result).splitlines()[0].startswith(verdict)
    result = compare_addresses(a, b)
    if reason is None:
        assert result.differences == [] and result.notes
    else:
        assert result.differences == [reason]


# --- our own cases: notation that matches ------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("東京都千代田区霞が関1丁目2番2号", "東京都千代田区霞が関一丁目二番二号"),
        ("東京都千代田区霞が関1-2-2", "東京都千代田区霞が関１－２－２"),
        ("相模原市中央区中央2丁目11番15号", "相模原市中央区中央2の11の15"),
        ("a町五の四の三", "a町5-4-3"),
        ("5丁目4番地3", "5-4-3号"),
        ("千代田区一番町5-4-3", "千代田区一番町五丁目四番三号"),  # 一番町 stays a name on both sides
        ("新宿区四谷一丁目二番", "新宿区四谷1-2"),  # trailing 番 dropped
        ("x町123番地", "x町123"),
        ("5-4-3 101", "5-4-3-101"),  # a space between two numbers separates them
        ("霞が関 5丁目 4番 3号", "霞が関5-4-3"),
        ("5―4ー3", "5-4-3"),
        ("一宮市一の宮5の4", "一宮市一の宮5-4"),
        ("仙台市青葉区一番町四丁目", "仙台市青葉区一番町4"),
        ("札幌市中央区北1条西2丁目1-1", "札幌市中央区北1条西2-1-1"),
        ("5-4-3 ハイツ中央101号", "5-4-3ハイツ中央101"),  # the last 号 of the address is dropped
    ],
)
def test_notation_variants_match(a, b):
    assert compare_addresses(a, b).match
    assert compare_addresses(b, a).match


# --- our own cases: what does not match, with the right reason ----------------------------

BASE = "神奈川県相模原市中央区中央2-11-15"


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        # another number, a number missing: facts, not a reading
        (BASE, "神奈川県相模原市中央区中央2-11-16", msg.DIFF_NUMBER.format(a="2-11-15", b="2-11-16")),
        ("霞が関5-4-3", "霞が関5-4-31", msg.DIFF_NUMBER.format(a="5-4-3", b="5-4-31")),
        (BASE, BASE + "-101", msg.DIFF_NUMBER_MISSING.format(a="2-11-15", b="2-11-15-101")),
        ("上野", "上野1234", msg.DIFF_NUMBER_ONLY_ONE.format(numbers="1234")),
        # building or room present in one only, or written otherwise
        (BASE, BASE + "○○マンション101", msg.DIFF_BUILDING_ONLY_ONE.format(extra="○○マンション101") + R),
        (BASE + " ○○ハイツ", BASE, msg.DIFF_BUILDING_ONLY_ONE.format(extra="○○ハイツ") + R),
        ("5-4-3-101号室", "5-4-3-101", msg.DIFF_BUILDING_ONLY_ONE.format(extra="号室") + R),
        ("5-4-3ハイツ101", "5-4-3ハイツ102", msg.DIFF_BUILDING.format(a="ハイツ101", b="ハイツ102") + R),
        ("5-4-3-", "5-4-3", msg.DIFF_NAME_ONLY_ONE.format(extra="-") + R),
        # 大字 / 字
        ("相模原市大字上溝1", "相模原市上溝1", msg.DIFF_OAZA.format(a="大字上溝", b="上溝") + R),
        ("相模原市大字上溝1", "相模原市字上溝1", msg.DIFF_OAZA.format(a="大字上溝", b="字上溝") + R),
        # ヶ / ケ (half-width ｹ is ケ after NFKC)
        ("千代田区霞ヶ関1-2", "千代田区霞ｹ関1-2", msg.DIFF_KE.format(a="霞ヶ関", b="霞ケ関") + R),
        # missing or other 都道府県名
        (BASE, "相模原市中央区中央2-11-15", msg.DIFF_PREFECTURE_MISSING.format(name="神奈川県") + R),
        ("東京都府中市1", "京都府府中市1", msg.DIFF_PREFECTURE.format(a="東京都", b="京都府")),
        # missing 郡, missing city
        ("神奈川県足柄上郡中井町比奈窪56", "神奈川県中井町比奈窪56", msg.DIFF_GUN.format(gun="足柄上郡") + R),
        ("相模原市中央区中央1", "中央区中央1", msg.DIFF_NAME_ONLY_ONE.format(extra="相模原市") + R),
        # another town
        (BASE, "神奈川県相模原市中央区富士見2-11-15", msg.DIFF_NAME.format(a="中央", b="富士見") + R),
        ("千代田区霞が関1-2", "千代田区霞ヶ関1-2", msg.DIFF_NAME.format(a="霞が関", b="霞ヶ関") + R),
        # numerals inside a place name are not notation
        ("千代田区一番町5-4-3", "千代田区1番町5-4-3", msg.DIFF_PLACE_NUMERAL.format(a="一番町", b="1番町") + R),
        ("千代田区三番町", "千代田区3番町", msg.DIFF_PLACE_NUMERAL.format(a="三番町", b="3番町") + R),
        ("札幌市中央区北一条西2", "札幌市中央区北1条西2", msg.DIFF_PLACE_NUMERAL.format(a="北一条西", b="北1条西") + R),
        # the bot cannot tell: 四番 after a name with nothing else is a town or block 4
        ("上野四番", "上野4番",
         msg.DIFF_TOWN_NUMERAL_UNSURE.format(town="四番", number=4, a="上野四番", b="上野4") + R),
        ("港区麻布十番", "港区麻布10番",
         msg.DIFF_TOWN_NUMERAL_UNSURE.format(town="十番", number=10, a="港区麻布十番", b="港区麻布10") + R),
        # a town numeral (一番) read as block 1 in the other, with 丁目 after it
        ("熱田区一番三丁目", "熱田区1-3",
         msg.DIFF_TOWN_NUMERAL.format(town="一番", number=1, a="熱田区一番3", b="熱田区1-3") + R),
    ],
)
def test_must_not_match(a, b, reason):
    result = compare_addresses(a, b)
    assert not result.match
    assert reason in result.differences, result.differences
    assert compare_addresses(b, a).match is False  # symmetric verdict


@pytest.mark.parametrize(
    ("a", "b", "wrong"),
    [
        # the old reasons the issue quotes: a missing 号 is not 「地名・表記が違います（-3 と 番）」
        ("5丁目4番", "5-4-3", "地名"),
        ("熱田区一番3-1-2", "熱田区1-3-1-2", "番地の数字が違います"),
    ],
)
def test_reasons_are_not_misleading(a, b, wrong):
    assert not any(wrong in reason for reason in compare_addresses(a, b).differences)


def test_a_missing_number_after_a_marker_is_a_missing_number():
    assert compare_addresses("5丁目4番", "5-4-3").differences == [msg.DIFF_NUMBER_MISSING.format(a="5-4", b="5-4-3")]


def test_only_the_differing_part_is_reported():
    result = compare_addresses("東京都霞が関5丁目4番3号", "霞が関5-4-3")
    assert result.differences == [msg.DIFF_PREFECTURE_MISSING.format(name="東京都") + R]


# --- the normal form (shown as 比べた形) ---------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # 1. NFKC and spaces; a space between two numbers separates them
        ("５－４－３", "5-4-3"),
        ("霞が関 ５丁目　４番 ３号", "霞が関5-4-3"),
        ("5-4-3 101", "5-4-3-101"),
        # 3. any run of markers / の / dashes between two numbers is one separator
        ("5丁目-4-3", "5-4-3"),
        ("5の4の3", "5-4-3"),
        ("5丁目4番地3", "5-4-3"),
        ("5‐4−3", "5-4-3"),
        ("5－4—3", "5-4-3"),
        ("5番地の4", "5-4"),
        # 3. a trailing marker after the last number is dropped
        ("上野1234番地", "上野1234"),
        ("5丁目4番", "5-4"),
        ("十丁目", "10"),
        ("1-2-3号", "1-2-3"),
        # 2. kanji numerals of block numbers are digits
        ("五丁目四番三号", "5-4-3"),
        ("二十三番地", "23"),
        ("百五番地", "105"),
        ("千二百番地", "1200"),
        ("一〇一号", "101"),
        ("5-四-3", "5-4-3"),
        ("五の四の三", "5-4-3"),
        ("中井町五の四", "中井町5-4"),
        # 号 of a room or building stays
        ("1-2-3号101号室", "1-2-3-101号室"),
        ("3号棟", "3号棟"),
        # 2. numerals inside place names stay
        ("千代田区一番町5-4-3", "千代田区一番町5-4-3"),
        ("千代田区三番町", "千代田区三番町"),
        ("麻布十番2-3-4", "麻布十番2-3-4"),
        ("熱田区一番3-1-2", "熱田区一番3-1-2"),
        ("新宿区四谷一丁目", "新宿区四谷1"),
        ("一宮市一の宮5の4", "一宮市一の宮5-4"),
        ("十日町市", "十日町市"),
        ("八王子市", "八王子市"),
        ("千葉市", "千葉市"),
        ("二の丸3", "二の丸3"),
        ("北1条西2丁目", "北1条西2"),
        # notation the rule does not touch
        ("霞ヶ関", "霞ヶ関"),
        ("大字上溝", "大字上溝"),
        ("", ""),
    ],
)
def test_normalize_address(given, expected):
    assert normalize_address(given) == expected


# --- what a match says it read ------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "notes"),
    [
        ("霞が関5-4-3", "霞が関5-4-3", [msg.NOTE_SAME]),
        ("5丁目-4-3", "5の4の3", [msg.NOTE_SEED_ONLY]),
        ("上野1234番地", "上野1234", [msg.NOTE_TRAILING.format(markers="番地") + R]),
        ("大手町二十三番地の五", "大手町23-5", [
            msg.NOTE_KANJI.format(examples="二十三、五") + R,
            msg.NOTE_MARKERS.format(markers="番地") + R,
        ]),
        ("５－４－３", "5-4-3", [msg.NOTE_WIDTH + R]),
        ("5ー4ー3", "5-4-3", [msg.NOTE_DASHES.format(marks="ー") + R]),
        ("霞が関 5-4-3", "霞が関5-4-3", [msg.NOTE_SPACE + R]),
        ("5-4-3 101", "5-4-3-101", [msg.NOTE_SPACE_SEPARATOR + R]),
    ],
)
def test_a_match_says_which_parts_are_the_bots_reading(a, b, notes):
    result = compare_addresses(a, b)
    assert result.match and result.notes == notes
    text = format_comparison(result)
    assert (msg.FOOTNOTE in text) is any(R in note for note in notes)


# --- limits and edge input --------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [("", "霞が関5-4-3"), ("霞が関5-4-3", "　"), ("", "")])
def test_empty_address_is_not_a_match(a, b):
    assert compare_addresses(a, b) == AddressComparison(
        False, [msg.EMPTY], normalize_address(a), normalize_address(b)
    )


@pytest.mark.parametrize(
    ("a", "b", "refused"),
    [
        ("あ" * MAX_ADDRESS_LENGTH, "い" * MAX_ADDRESS_LENGTH, False),
        ("あ" * (MAX_ADDRESS_LENGTH + 1), "い", True),
        ("い", "番" * (MAX_ADDRESS_LENGTH + 1), True),
        # issue 8: 「番地」×1000 / 「番」×1000 stalled the bot for 30 s
        ("番地" * 1000, "番" * 1000, True),
        (" " * 500 + "霞が関5-4-3", "霞が関5-4-3", False),  # surrounding spaces do not count
    ],
)
def test_each_address_is_capped(a, b, refused):
    result = compare_addresses(a, b)
    if refused:
        longest = max(len(a.strip()), len(b.strip()))
        assert result.error == msg.TOO_LONG.format(limit=MAX_ADDRESS_LENGTH, length=longest)
        assert not result.match and not result.differences
        assert format_comparison(result) == result.error  # a refusal, not a verdict
        assert str(MAX_ADDRESS_LENGTH) in result.error
    else:
        assert not result.error


@pytest.mark.parametrize(
    "a,b",
    [
        ("番地" * 100, "番" * 200),
        ("1-" * 100, "1 " * 100),
        ("一番" * 100, "1-" * 100),
        ("五の" * 100, "5の" * 100),
        ("一" * 200, "1" * 200),
        ("１" * 200, "1" * 199 + "2"),
    ],
)
def test_maximal_inputs_get_a_verdict(a, b):
    result = compare_addresses(a, b)
    assert not result.error
    assert format_comparison(result).splitlines()[0].startswith(("一致", "不一致"))


@pytest.mark.parametrize(
    ("a", "b", "first_line"),
    [
        ("霞が関5丁目-4-3", "霞が関5の4の3", "一致"),
        ("霞が関5-4-3", "霞が関5-4-4", "不一致"),
        ("相模原市大字上溝1", "相模原市上溝1", "不一致"),
    ],
)
def test_format_comparison(a, b, first_line):
    result = compare_addresses(a, b)
    lines = format_comparison(result).splitlines()
    assert lines[0] == (msg.MATCH if first_line == "一致" else msg.MISMATCH)
    for reason in result.notes if result.match else result.differences:
        assert msg.REASON.format(reason=reason) in lines
    assert msg.NORMALIZED.format(a=result.normalized_a, b=result.normalized_b) in lines
    assert (lines[-1] == msg.FOOTNOTE) is any(R in line for line in lines[:-1])


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
