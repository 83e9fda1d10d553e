"""The municipality list: the 2023 count, the 政令市 as cities, lookups by name and code."""
from __future__ import annotations

import socket
from collections import Counter

import pytest

from bot.survey import municipalities as m


def test_count_matches_the_survey_date():
    # 2023-07 (the survey): 1,718 市町村 + 23 特別区 = 1,741; unchanged since 2014-04-05.
    everything = m.all_municipalities()
    assert len(everything) == 1741
    assert Counter(x.kind for x in everything) == {"市": 792, "町": 743, "村": 183, "特別区": 23}
    assert len({x.code for x in everything}) == 1741
    assert {x.prefecture_code for x in everything} == {f"{n:02d}" for n in range(1, 48)}


@pytest.mark.parametrize(
    ("code", "count"), [("01", 179), ("13", 62), ("14", 33), ("27", 43), ("40", 60), ("47", 41)]
)
def test_count_per_prefecture(code, count):
    assert len(m.municipalities(code)) == count
    assert all(x.prefecture_code == code for x in m.municipalities(code))


DESIGNATED = [
    ("011002", "01北海道札幌市"), ("041009", "04宮城県仙台市"), ("111007", "11埼玉県さいたま市"),
    ("121002", "12千葉県千葉市"), ("141003", "14神奈川県横浜市"), ("141305", "14神奈川県川崎市"),
    ("141500", "14神奈川県相模原市"), ("151009", "15新潟県新潟市"), ("221007", "22静岡県静岡市"),
    ("221309", "22静岡県浜松市"), ("231002", "23愛知県名古屋市"), ("261009", "26京都府京都市"),
    ("271004", "27大阪府大阪市"), ("271403", "27大阪府堺市"), ("281000", "28兵庫県神戸市"),
    ("331007", "33岡山県岡山市"), ("341002", "34広島県広島市"), ("401005", "40福岡県北九州市"),
    ("401307", "40福岡県福岡市"), ("431001", "43熊本県熊本市"),
]  # fmt: skip


def test_designated_cities_are_cities_with_their_own_codes():
    found = [(x.code, x.org_name) for x in m.all_municipalities() if x.designated]
    assert found == DESIGNATED
    assert not any(x.name.endswith("区") and x.prefecture_code != "13" for x in m.all_municipalities())
    assert len(m.find("14", "横浜市").wards) == 18


@pytest.mark.parametrize(
    ("code", "org_name", "kind"),
    [
        ("131016", "13東京都千代田区", "特別区"),
        ("014231", "01北海道南幌町", "町"),  # postal: 空知郡南幌町
        ("133817", "13東京都三宅村", "村"),  # postal: 三宅島三宅村
        ("134015", "13東京都八丈町", "町"),
        ("394050", "39高知県梼原町", "町"),  # postal: 檮原町
        ("403440", "40福岡県須恵町", "町"),  # postal: 須惠町
        ("072036", "07福島県郡山市", "市"),  # 郡 that is part of the name stays
        ("212199", "21岐阜県郡上市", "市"),
        ("402311", "40福岡県那珂川市", "市"),  # 2018: 町 -> 市, new code
        ("143618", "14神奈川県中井町", "町"),
    ],
)
def test_entries(code, org_name, kind):
    found = m.by_code(code)
    assert found is not None and (found.org_name, found.kind) == (org_name, kind)
    assert m.by_code(code[:5]) == found


@pytest.mark.parametrize(
    ("prefecture", "typed", "org_name"),
    [
        ("14", "相模原市", "14神奈川県相模原市"),
        ("14", "横浜市中区", "14神奈川県横浜市"),  # a ward -> its city
        ("14", "足柄上郡中井町", "14神奈川県中井町"),
        ("14", "中井町", "14神奈川県中井町"),
        ("14", "相模原市 ", "14神奈川県相模原市"),
        ("13", "三宅島三宅村", "13東京都三宅村"),
        ("39", "檮原町", "39高知県梼原町"),
        ("03", "金ヶ崎町", "03岩手県金ケ崎町"),  # ヶ and ケ
        ("22", "浜松市天竜区", "22静岡県浜松市"),
        ("13", "府中市", "13東京都府中市"),
        ("34", "府中市", "34広島県府中市"),
        ("14", "府中市", None),
        ("14", "横浜区", None),
        ("14", "", None),
    ],
)
def test_find_within_prefecture(prefecture, typed, org_name):
    found = m.find(prefecture, typed)
    assert (found.org_name if found else None) == org_name


@pytest.mark.parametrize(
    ("typed", "org_names"),
    [
        ("府中市", ["13東京都府中市", "34広島県府中市"]),
        ("伊達市", ["01北海道伊達市", "07福島県伊達市"]),
        ("相模原市", ["14神奈川県相模原市"]),
        ("仙台市青葉区", ["04宮城県仙台市"]),
        ("どこでも市", []),
    ],
)
def test_find_everywhere(typed, org_names):
    assert [x.org_name for x in m.find_everywhere(typed)] == org_names


@pytest.mark.parametrize(
    ("code5", "digit"),
    [("13101", "6"), ("14150", "0"), ("01100", "2"), ("28100", "0"), ("40231", "1"), ("47382", "1")],
)
def test_check_digit(code5, digit):
    assert m.check_digit(code5) == digit


@pytest.mark.parametrize("code", ["1410", "141500", "abcde", ""])
def test_check_digit_refuses_other_shapes(code):
    with pytest.raises(ValueError):
        m.check_digit(code)


@pytest.mark.parametrize("code", ["141501", "99999", "", "1415"])
def test_by_code_unknown(code):
    assert m.by_code(code) is None


def test_unexpected_postal_record_is_an_error():
    with pytest.raises(m.MunicipalityDataError):
        m.build_table([("14150", "東京都", "相模原市")])


def test_loading_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the municipality list must not use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    table = m.build_table(m._postal_rows(m._postal_db()))
    assert len(table) == 1741
