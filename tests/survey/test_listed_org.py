"""組織名 against the municipality list: what the chat refuses or offers, and which
prefecture a hand-written 組織名 belongs to (a dropped file of another prefecture is
turned away, one that cannot be placed is listed and marked)."""
from __future__ import annotations

import pytest

from bot.messages import listed_org as msg
from bot.survey.listed_org import named_prefecture, parse_listed_field
from bot.survey.respondent import parse_field
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION, ORGS

FUCHU_OFFERS = "東京都の場合は「13東京都府中市」、広島県の場合は「34広島県府中市」"

# (case, 組織区分, typed, ok, stored value, error or confirm text expected in it)
CHAT = [
    ("listed", ORG_MUNICIPALITY, "14神奈川県相模原市", True, "14神奈川県相模原市", ""),
    ("listed, ward of a 政令市 (format's confirm kept)", ORG_MUNICIPALITY, "14神奈川県横浜市中区", True, "14神奈川県横浜市",
     "指定都市は区ではなく市で回答します"),
    ("listed, 郡 written", ORG_MUNICIPALITY, "14神奈川県足柄上郡中井町", True, "14神奈川県中井町", "郡名（足柄上郡）"),
    ("special ward of Tokyo", ORG_MUNICIPALITY, "13東京都千代田区", True, "13東京都千代田区", ""),
    ("another prefecture's city, offered there", ORG_MUNICIPALITY, "14神奈川県府中市", False, "",
     msg.LISTED_ELSEWHERE.format(name="府中市", prefecture="神奈川県", offers=FUCHU_OFFERS)),
    ("a 構成市町村 is offered with (広域)", ORG_MEMBER, "14神奈川県府中市", False, "", "「13東京都府中市(広域)」"),
    ("one other prefecture has it", ORG_MUNICIPALITY, "13東京都相模原市", False, "",
     "神奈川県の場合は「14神奈川県相模原市」と入力してください。"),
    ("nowhere", ORG_MUNICIPALITY, "14神奈川県どこか市", False, "", msg.NOT_LISTED.format(name="どこか市", prefecture="神奈川県")),
    ("ケ and ヶ are both official spellings", ORG_MUNICIPALITY, "02青森県鰺ケ沢町", True, "02青森県鰺ケ沢町", ""),
    ("a postal spelling is offered in the list's", ORG_MUNICIPALITY, "13東京都三宅島三宅村", True, "13東京都三宅村",
     msg.LIST_SPELLING.format(name="三宅村")),
    ("a 広域連合等 is not in the list", ORG_UNION, "14神奈川県どこか広域連合", True, "14神奈川県どこか広域連合", ""),
    ("a 一部事務組合", ORG_UNION, "14神奈川県県西部広域行政組合", True, "14神奈川県県西部広域行政組合", ""),
    ("a 広域連合等 named as a listed city", ORG_UNION, "14神奈川県相模原市", False, "",
     msg.UNION_IS_MUNICIPALITY.format(name="相模原市")),
    ("a 広域連合等 named as another prefecture's city", ORG_UNION, "14神奈川県府中市", False, "",
     msg.UNION_IS_MUNICIPALITY.format(name="府中市")),
    ("a 広域連合等 named as a section", ORG_UNION, "14神奈川県介護保険課", False, "",
     msg.NOT_A_UNION_NAME.format(name="介護保険課")),
    ("a prefecture is not in the list", ORG_PREFECTURE, "14神奈川県", True, "14神奈川県", ""),
    ("the format's refusal comes first", ORG_MUNICIPALITY, "神奈川県", False, "", "市区町村名を続けて入力してください"),
    ("a name alone, placed by the list", ORG_MUNICIPALITY, "相模原市", True, "14神奈川県相模原市",
     msg.PREFECTURE_FROM_LIST.format(name="相模原市", prefecture="神奈川県") + "都道府県コード（14）を補います。"),
    ("a 構成市町村's name alone gets (広域)", ORG_MEMBER, "中井町", True, "14神奈川県中井町(広域)", "「14神奈川県中井町(広域)」とします"),
    ("a name alone with its 郡: both notes", ORG_MUNICIPALITY, "足柄上郡中井町", True, "14神奈川県中井町", "郡名（足柄上郡）は省略"),
    ("a ward alone: the 政令市", ORG_MUNICIPALITY, "横浜市中区", True, "14神奈川県横浜市", "指定都市は区ではなく市で回答します"),
    ("a name several prefectures have", ORG_MUNICIPALITY, "府中市", False, "",
     msg.IN_SEVERAL_PREFECTURES.format(name="府中市", offers=FUCHU_OFFERS)),
    ("a name the list does not know", ORG_MUNICIPALITY, "介護保険課", False, "", "都道府県名が読み取れません"),
    ("a 広域連合等 is not placed by the list", ORG_UNION, "中井町", False, "", "都道府県名が読み取れません"),
]


@pytest.mark.parametrize(("org_type", "typed", "ok", "value", "text"), [c[1:] for c in CHAT], ids=[c[0] for c in CHAT])
def test_org_name_in_the_chat(org_type: str, typed: str, ok: bool, value: str, text: str) -> None:
    result = parse_listed_field("org_name", typed, org_type, ORGS)
    assert (result.ok, result.value) == (ok, value)
    assert text in (result.confirm if ok else result.error)
    if ok and not text:
        assert result.confirm == ""


@pytest.mark.parametrize(("key", "text"), [("title", "係長"), ("title", "介護保険課長"), ("phone", "0465811111"), ("dept", "介護保険課")])
def test_other_fields_are_only_the_format_check(key: str, text: str) -> None:
    assert parse_listed_field(key, text, ORG_MUNICIPALITY, ORGS) == parse_field(key, text, ORG_MUNICIPALITY, ORGS)


PLACED = [
    ("code and name", "14神奈川県中井町", "14"),
    ("the name wins over a wrong code", "13神奈川県中井町", "14"),
    ("one-digit code", "1北海道札幌市", "01"),
    ("prefecture only", "14神奈川県", "14"),
    ("no code", "神奈川県中井町", "14"),
    ("a city found in one prefecture only", "相模原市", "14"),
    ("a town with its 郡", "足柄上郡中井町", "14"),
    ("a city found in two prefectures", "府中市", None),
    ("a code alone", "14", "14"),
    ("an unknown code", "99どこか村", None),
    ("nothing", "", None),
]


@pytest.mark.parametrize(("org_name", "code"), [c[1:] for c in PLACED], ids=[c[0] for c in PLACED])
def test_named_prefecture(org_name: str, code: str | None) -> None:
    assert named_prefecture(org_name) == code
