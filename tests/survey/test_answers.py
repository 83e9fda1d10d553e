"""Typed-answer normalisation, one row per way of typing."""
from __future__ import annotations

import pytest

from bot.messages import survey as msg
from bot.survey.answers import Parsed, parse, parse_text, parse_yearmonth
from bot.survey.engine import load_survey


def item(item_id: str):
    return load_survey().item(item_id)


@pytest.mark.parametrize(
    "item_id,typed,value",
    [
        ("2", "2", 2), ("2", "２", 2), ("2", "②", 2), ("2", "(2)", 2), ("2", "（２）", 2),
        ("2", "2.", 2), ("2", "２．", 2), ("2", " 2 ", 2), ("2", "2番", 2),
        ("2", "定めていない。", 2), ("2", "定めていない", 2),  # exact wording beats 「…が、」
        ("2", "②定めていない。", 2), ("2", "定める予定", 3), ("2", "定めていないが", 4),
        ("3", "求めている", 1), ("3", "求めていない。（Q6へ）", 2),
        ("7-2", "紐付けを行わない", 2), ("7-2", "氏名", 1),
        ("4", "本人以外", 3), ("12", "その他", 3), ("10", "事例はない", 1),
        ("11", "第 二号", 1),  # whitespace removed
        ("1-1", "該当の機能", 1), ("1-1", "上記", 2),
    ],
)
def test_single_accepts(item_id, typed, value) -> None:
    parsed = parse(item(item_id), typed)
    assert (parsed.ok, parsed.value, parsed.error) == (True, value, "")


@pytest.mark.parametrize(
    "item_id,typed,error_says",
    [
        ("2", "", ["入力されていません"]),
        ("2", "   ", ["入力されていません"]),
        ("2", "5", ["「5」", "①〜④の番号で答えてください。"]),
        ("2", "0", ["①〜④"]),
        ("3", "3", ["①か②の番号で答えてください。"]),
        ("2", "定め", ["複数", "①、②、③、④"]),
        ("10", "事例はある", ["複数", "②、③、④"]),
        ("2", "1,2", ["1つだけ"]),
        ("2", "①②", ["1つだけ"]),
        ("2", "わからない", ["「わからない」"]),
    ],
)
def test_single_rejects(item_id, typed, error_says) -> None:
    parsed = parse(item(item_id), typed)
    assert not parsed.ok and parsed.value is None
    for part in error_says:
        assert part in parsed.error


@pytest.mark.parametrize(
    "item_id,typed,value",
    [
        ("7-4", "1,2", [1, 2]), ("7-4", "①③", [1, 3]), ("7-4", "1 3", [1, 3]),
        ("7-4", "１、２", [1, 2]), ("7-4", "1・2", [1, 2]), ("7-4", "3,1,3", [1, 3]),
        ("7-4", "⑤", [5]), ("7-4", "５", [5]), ("7-4", "135", [1, 3, 5]),
        ("7-4", "漢字氏名、住所", [1, 5]), ("7-4", "カナ氏名", [2]), ("7-4", "(1)(2)", None),
        ("13", "13", [1, 3]), ("13", "①②③", [1, 2, 3]), ("13", "2", [2]),
        ("6", "1,2", [1, 2]), ("6", "②", [2]),
        ("6", "なし", []), ("6", "該当なし", []), ("6", "０", []), ("6", "0", []),
    ],
)
def test_multi(item_id, typed, value) -> None:
    parsed = parse(item(item_id), typed)
    if value is None:
        assert not parsed.ok
    else:
        assert (parsed.ok, parsed.value) == (True, value)


@pytest.mark.parametrize(
    "item_id,typed,error_says",
    [
        ("7-4", "なし", ["該当なし", "①〜⑤"]),
        ("13", "なし", ["該当なし"]),
        ("7-4", "", ["入力されていません"]),
        ("7-4", "1,6", ["「6」"]),
        ("13", "4", ["「4」", "①〜③"]),
        ("13", "広域連合等", ["複数", "②、③"]),
    ],
)
def test_multi_rejects(item_id, typed, error_says) -> None:
    parsed = parse(item(item_id), typed)
    assert not parsed.ok
    for part in error_says:
        assert part in parsed.error


@pytest.mark.parametrize(
    "typed,value",
    [
        ("2023年9月", "2023年9月"), ("２０２３年９月", "2023年9月"), ("2023年09月", "2023年9月"),
        ("令和5年9月", "2023年9月"), ("令和５年９月", "2023年9月"), ("R5.9", "2023年9月"),
        ("r5.9", "2023年9月"), ("R5/9", "2023年9月"), ("Ｒ５．９", "2023年9月"),
        ("2023/9", "2023年9月"), ("2023-09", "2023年9月"), ("2023.9", "2023年9月"),
        ("2023 年 12 月", "2023年12月"), ("令和元年10月", "2019年10月"), ("令和元年5月", "2019年5月"),
        ("平成30年4月", "2018年4月"), ("H30.4", "2018年4月"), ("令和6年1月", "2024年1月"),
    ],
)
def test_yearmonth_accepts(typed, value) -> None:
    assert parse_yearmonth(typed).value == value
    assert parse(item("2_予定年月"), typed).ok


@pytest.mark.parametrize(
    "typed,error_says",
    [
        ("", "入力されていません"), ("来年", "2023年9月"), ("2023", "2023年9月"),
        ("9月", "2023年9月"), ("2023年13月", "1〜12"), ("2023年0月", "1〜12"),
        ("R5.13", "1〜12"), ("令和元年4月", "ありません"), ("令和0年9月", "ありません"),
        ("平成31年5月", "ありません"), ("1999年1月", "2000年"), ("2023年9月1日", "2023年9月"),
        ("S60.1", "2023年9月"),
    ],
)
def test_yearmonth_rejects(typed, error_says) -> None:
    parsed = parse_yearmonth(typed)
    assert not parsed.ok and error_says in parsed.error


@pytest.mark.parametrize(
    "typed,ok,value",
    [
        ("  マニュアルあり  ", True, "マニュアルあり"),
        ("一行目\n二行目", True, "一行目\n二行目"),
        ("=SUM(A1)", True, "=SUM(A1)"),
        ("", False, None), (" \n\u3000", False, None),
    ],
)
def test_free_text(typed, ok, value) -> None:
    parsed = parse_text(typed)
    assert (parsed.ok, parsed.value) == (ok, value)
    assert parse(item("8-1_概要"), typed).ok is ok


# issue 8: every free-text item declares its limit (definition.yaml max_length); over it the
# answer is refused with the limit named, whatever the text, before anything reads it.
@pytest.mark.parametrize(
    "item_id,limit,fits",
    [("2_予定年月", 20, "令和5年9月"), ("8-1_概要", 2000, "マニュアルあり。" * 200), ("10_概要", 2000, "誤り" * 1000)],
)
def test_free_text_limits(item_id, limit, fits) -> None:
    target = item(item_id)
    assert target.max_length == limit
    assert parse(target, fits).ok
    for length in (limit + 1, 100_000):
        parsed = parse(target, "9" * length)
        assert parsed == Parsed(False, None, msg.TEXT_TOO_LONG.format(limit=limit, length=length))
        assert str(limit) in parsed.error
    assert parse(target, "  " + fits + "  \n").ok  # surrounding spaces do not count
