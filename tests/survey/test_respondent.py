"""回答者情報 validation: one row per rule of survey-rules.md (組織名, 役職) and the field formats."""
from __future__ import annotations

import pytest

from bot.messages import respondent as msg
from bot.survey.model import RESPONDENT_FIELDS, RESPONDENT_LABELS
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_TYPES, ORG_UNION, ORGS
from bot.survey.prefectures import (
    PREFECTURES,
    prefecture_code,
    prefecture_code_of_org,
    prefecture_name,
)
from bot.survey.respondent import (
    FieldResult,
    check_title,
    normalize_org_name,
    normalize_phone,
    FIELD_MAX_LENGTH,
    lg_code_check_digit,
    normalize_text,
    parse_field,
    parse_org_type,
    validate_email,
)

# --- prefectures ----------------------------------------------------------------


def test_prefecture_table_is_the_47_jis_codes_in_order():
    assert [code for code, _ in PREFECTURES] == [f"{n:02d}" for n in range(1, 48)]
    assert len({name for _, name in PREFECTURES}) == 47


@pytest.mark.parametrize(("code", "name"), PREFECTURES)
def test_prefecture_round_trip(code, name):
    assert prefecture_name(code) == name
    assert prefecture_code(name) == code
    assert prefecture_code_of_org(f"{code}{name}") == code


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("東京", "13"),
        ("東京都", "13"),
        ("京都", "26"),
        ("大阪", "27"),
        ("神奈川", "14"),
        ("北海", None),
        ("北海道", "01"),
        ("とうきょう", None),
        ("", None),
    ],
)
def test_prefecture_code_accepts_short_names(given, expected):
    assert prefecture_code(given) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("１４", "神奈川県"), ("1", "北海道"), ("00", None), ("48", None), ("abc", None), ("", None)],
)
def test_prefecture_name_edge_codes(code, expected):
    assert prefecture_name(code) == expected


@pytest.mark.parametrize(
    ("org_name", "expected"),
    [
        ("14神奈川県相模原市(広域)", "14"),
        ("14神奈川県相模原市", "14"),
        ("１３東京都　千代田区", "13"),
        ("40福岡県介護保険広域連合", "40"),
        ("神奈川県相模原市", "14"),
        ("13神奈川県相模原市", None),  # code and name disagree
        ("99架空県", None),
        ("相模原市", None),
    ],
)
def test_prefecture_code_of_org(org_name, expected):
    assert prefecture_code_of_org(org_name) == expected


# --- 組織区分 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1", ORG_MUNICIPALITY),
        ("２", ORG_MEMBER),
        ("③", ORG_UNION),
        ("4", ORG_PREFECTURE),
        ("市区町村", ORG_MUNICIPALITY),
        ("市区町村（広域連合等の構成市町村）", ORG_MEMBER),
        ("市区町村(広域連合等の構成市町村)", ORG_MEMBER),
        ("広域連合等", ORG_UNION),
        ("都道府県", ORG_PREFECTURE),
        ("市町村", ORG_MUNICIPALITY),
        ("構成市町村", ORG_MEMBER),
        ("（広域）", ORG_MEMBER),
        ("広域連合", ORG_UNION),
        ("一部事務組合", ORG_UNION),
        ("県", ORG_PREFECTURE),
        ("都道", ORG_PREFECTURE),  # unambiguous start of a label
        ("市区町村（広域", ORG_MEMBER),
        (" 市区町村 ", ORG_MUNICIPALITY),
        # issue 9 (12): what people call their own organisation
        ("政令市", ORG_MUNICIPALITY),
        ("政令指定都市", ORG_MUNICIPALITY),
        ("指定都市", ORG_MUNICIPALITY),
        ("中核市", ORG_MUNICIPALITY),
        ("特別区", ORG_MUNICIPALITY),
        ("町", ORG_MUNICIPALITY),
        ("村", ORG_MUNICIPALITY),
        ("町村", ORG_MUNICIPALITY),
        ("市", ORG_MUNICIPALITY),
    ],
)
def test_parse_org_type_accepts(given, expected):
    assert parse_org_type(given, ORGS) == FieldResult(ok=True, value=expected)


@pytest.mark.parametrize("given", ["", "0", "5", "⑤", "会社", "広域", "市区町村X"])
def test_parse_org_type_rejects(given):
    result = parse_org_type(given, ORGS)
    assert not result.ok and result.error and not result.value


def test_parse_org_type_ambiguous_names_both_candidates():
    error = parse_org_type("広域", ORGS).error
    assert ORG_MEMBER in error and ORG_UNION in error


# --- 組織名 -----------------------------------------------------------------------

CONFIRM = "confirm"
OK = "ok"


@pytest.mark.parametrize(
    ("org_type", "given", "outcome", "value", "must_say"),
    [
        # 市区町村
        (ORG_MUNICIPALITY, "14神奈川県相模原市", OK, "14神奈川県相模原市", ""),
        (ORG_MUNICIPALITY, "１４神奈川県　相模原市", OK, "14神奈川県相模原市", ""),
        (ORG_MUNICIPALITY, " 14 神奈川県 相模原市 ", OK, "14神奈川県相模原市", ""),
        (ORG_MUNICIPALITY, "14神奈川県足柄上郡中井町", CONFIRM, "14神奈川県中井町", "足柄上郡"),
        (ORG_MUNICIPALITY, "01北海道余市郡余市町", CONFIRM, "01北海道余市町", "余市郡"),
        (ORG_MUNICIPALITY, "46鹿児島県大島郡大和村", CONFIRM, "46鹿児島県大和村", "大島郡"),
        (ORG_MUNICIPALITY, "07福島県郡山市", OK, "07福島県郡山市", ""),
        (ORG_MUNICIPALITY, "21岐阜県郡上市", OK, "21岐阜県郡上市", ""),
        (ORG_MUNICIPALITY, "14神奈川県横浜市中区", CONFIRM, "14神奈川県横浜市", "中区"),
        (ORG_MUNICIPALITY, "11埼玉県さいたま市浦和区", CONFIRM, "11埼玉県さいたま市", "浦和区"),
        (ORG_MUNICIPALITY, "27大阪府堺市堺区", CONFIRM, "27大阪府堺市", "堺区"),
        (ORG_MUNICIPALITY, "14神奈川県横浜市", OK, "14神奈川県横浜市", ""),
        (ORG_MUNICIPALITY, "27大阪府東大阪市", OK, "27大阪府東大阪市", ""),
        (ORG_MUNICIPALITY, "13東京都千代田区", OK, "13東京都千代田区", ""),
        (ORG_MUNICIPALITY, "1北海道札幌市", CONFIRM, "01北海道札幌市", "01北海道札幌市"),
        (ORG_MUNICIPALITY, "１北海道札幌市中央区", CONFIRM, "01北海道札幌市", "中央区"),
        (ORG_MUNICIPALITY, "神奈川県相模原市", CONFIRM, "14神奈川県相模原市", "14"),
        # 団体コード typed with the name: its first two digits are the prefecture (issue 9 (12))
        (ORG_MUNICIPALITY, "141003 横浜市", CONFIRM, "14神奈川県横浜市", "団体コード（141003）"),
        (ORG_MUNICIPALITY, "１４１００３　横浜市", CONFIRM, "14神奈川県横浜市", "団体コード（141003）"),
        (ORG_MUNICIPALITY, "141003横浜市", CONFIRM, "14神奈川県横浜市", "団体コード（141003）"),
        (ORG_MUNICIPALITY, "141003 神奈川県横浜市", CONFIRM, "14神奈川県横浜市", "団体コード（141003）"),
        (ORG_MUNICIPALITY, "141011 横浜市鶴見区", CONFIRM, "14神奈川県横浜市", "鶴見区"),
        (ORG_MUNICIPALITY, "14100 横浜市", CONFIRM, "14神奈川県横浜市", "団体コード（14100）"),
        (ORG_MUNICIPALITY, "131016 千代田区", CONFIRM, "13東京都千代田区", "団体コード（131016）"),
        (ORG_MUNICIPALITY, "011002 札幌市", CONFIRM, "01北海道札幌市", "団体コード（011002）"),
        (ORG_MEMBER, "143618 中井町", CONFIRM, "14神奈川県中井町(広域)", "団体コード（143618）"),
        (ORG_PREFECTURE, "140007 神奈川県", CONFIRM, "14神奈川県", "団体コード（140007）"),
        # 構成市町村
        (ORG_MEMBER, "14神奈川県相模原市(広域)", OK, "14神奈川県相模原市(広域)", ""),
        (ORG_MEMBER, "14神奈川県相模原市（広域）", OK, "14神奈川県相模原市(広域)", ""),
        (ORG_MEMBER, "14神奈川県相模原市", OK, "14神奈川県相模原市(広域)", ""),
        (ORG_MEMBER, "14神奈川県足柄上郡中井町（広域）", CONFIRM, "14神奈川県中井町(広域)", "足柄上郡"),
        # 広域連合等
        (ORG_UNION, "40福岡県介護保険広域連合", OK, "40福岡県介護保険広域連合", ""),
        (ORG_UNION, "４０福岡県 介護保険広域連合", OK, "40福岡県介護保険広域連合", ""),
        # 都道府県
        (ORG_PREFECTURE, "14神奈川県", OK, "14神奈川県", ""),
        (ORG_PREFECTURE, "１３東京都", OK, "13東京都", ""),
        (ORG_PREFECTURE, "1北海道", CONFIRM, "01北海道", "01北海道"),
    ],
)
def test_normalize_org_name_accepts(org_type, given, outcome, value, must_say):
    result = normalize_org_name(ORGS.role(org_type), given)
    assert result.ok and not result.error
    assert result.value == value
    if outcome == CONFIRM:
        assert value in result.confirm and must_say in result.confirm
    else:
        assert result.confirm == ""


@pytest.mark.parametrize(
    ("org_type", "given", "must_say"),
    [
        (ORG_MUNICIPALITY, "13神奈川県相模原市", "神奈川県のコードは14です。"),
        (ORG_MUNICIPALITY, "2北海道札幌市", "北海道のコードは01です。"),
        (ORG_MUNICIPALITY, "14神奈川県相模原市(広域)", ORG_MEMBER),
        (ORG_MUNICIPALITY, "14神奈川県", "市区町村名"),
        (ORG_MUNICIPALITY, "14神奈川県中区", "東京都の特別区"),
        (ORG_MUNICIPALITY, "14神奈川県相模原", "市・区・町・村"),
        (ORG_MUNICIPALITY, "14相模原市", "14神奈川県相模原市"),
        (ORG_MUNICIPALITY, "相模原市", "都道府県名"),
        (ORG_MUNICIPALITY, "114神奈川県相模原市", "2桁"),
        (ORG_MUNICIPALITY, "141004 横浜市", "検査数字"),  # a typo in the 団体コード
        (ORG_MUNICIPALITY, "991003 横浜市", "99"),
        (ORG_MUNICIPALITY, "131016 神奈川県千代田区", "東京都（13）のコード"),
        (ORG_MUNICIPALITY, "1410031 神奈川県横浜市", "2桁"),
        (ORG_MUNICIPALITY, "", "組織名"),
        (ORG_UNION, "40福岡県介護保険広域連合(広域)", ORG_MEMBER),
        (ORG_UNION, "40福岡県", "正式名称"),
        (ORG_PREFECTURE, "14神奈川県相模原市", ORG_MUNICIPALITY),
        (ORG_PREFECTURE, "14神奈川県(広域)", ORG_MEMBER),
        (ORG_PREFECTURE, "15神奈川県", "神奈川県のコードは14です。"),
        (None, "14神奈川県相模原市", "組織区分"),
    ],
)
def test_normalize_org_name_rejects(org_type, given, must_say):
    result = normalize_org_name(ORGS.role(org_type), given)
    assert not result.ok and not result.value
    assert must_say in result.error


@pytest.mark.parametrize(
    ("first_five", "digit"),
    [("14100", "3"), ("13101", "6"), ("01100", "2"), ("14000", "7"), ("14361", "8"), ("27140", "3")],
)
def test_lg_code_check_digit(first_five, digit):
    assert lg_code_check_digit(first_five) == digit


def test_wrong_code_error_suggests_the_corrected_name():
    error = normalize_org_name(ORGS.role(ORG_MEMBER), "13神奈川県相模原市").error
    assert "「14神奈川県相模原市(広域)」" in error


# --- 回答責任者役職 -----------------------------------------------------------------

REFUSED = "refused"  # not stored; the reason and an example
ACCEPTED = "accepted"
DEPENDS = "depends"  # 課長級 in some organisations: warned, stored on a yes
UNKNOWN = "unknown"  # not recognised: warned, stored on a yes


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # survey-rules.md: clearly below 課長級
        ("課長補佐", REFUSED),
        ("介護保険課長補佐", REFUSED),
        ("総括課長補佐", REFUSED),
        ("課長代理", REFUSED),
        ("統括課長代理", REFUSED),
        ("副課長", REFUSED),
        ("係長", REFUSED),
        ("介護保険係長", REFUSED),
        ("担当係長", REFUSED),
        ("主査", REFUSED),
        ("主任", REFUSED),
        ("主事", REFUSED),
        ("主任主事", REFUSED),
        ("担当", REFUSED),
        ("介護保険担当", REFUSED),
        ("担当者", REFUSED),
        ("係員", REFUSED),
        # …and the like
        ("主事補", REFUSED),
        ("技師", REFUSED),
        ("副係長", REFUSED),
        ("室長補佐", REFUSED),
        ("会計年度任用職員", REFUSED),
        ("課長補佐兼係長", REFUSED),
        ("係長（介護保険担当）", REFUSED),
        ("課長補佐級", REFUSED),  # the rank named instead of the title
        # 課長級 or above: a title ending in one of these, not after 副, not before 補佐/代理
        ("課長", ACCEPTED),
        ("介護保険課長", ACCEPTED),
        ("担当課長", ACCEPTED),
        ("介護保険担当課長", ACCEPTED),
        ("室長", ACCEPTED),
        ("所長", ACCEPTED),
        ("参事", ACCEPTED),
        ("参事（介護保険担当）", ACCEPTED),
        ("次長", ACCEPTED),
        ("部長", ACCEPTED),
        ("福祉部長", ACCEPTED),
        ("担当部長", ACCEPTED),
        ("局長", ACCEPTED),
        ("事務局長", ACCEPTED),
        ("理事", ACCEPTED),
        ("副市長", ACCEPTED),
        ("副町長", ACCEPTED),
        ("副村長", ACCEPTED),
        ("市長", ACCEPTED),
        ("知事", ACCEPTED),
        ("副知事", ACCEPTED),
        ("高齢福祉課長兼介護保険課長", ACCEPTED),
        ("介護保険 課長", ACCEPTED),
        ("課長級", ACCEPTED),
        ("部長相当", ACCEPTED),
        # survey-rules.md: 課長級 in some organisations only
        ("主幹", DEPENDS),
        ("介護保険課主幹", DEPENDS),
        ("副参事", DEPENDS),
        ("専門監", DEPENDS),
        ("副所長", DEPENDS),
        ("副室長", DEPENDS),
        ("センター長", DEPENDS),
        ("地域包括支援センター長", DEPENDS),
        ("副センター長", DEPENDS),
        ("所長代理", DEPENDS),
        ("室長代理", DEPENDS),
        ("副部長", DEPENDS),
        ("副局長", DEPENDS),
        ("館長", DEPENDS),
        ("主幹兼係長", DEPENDS),  # 「A兼B」: its highest part
        # anything unrecognised: never a silent accept
        ("システム管理者", UNKNOWN),
        ("参与", UNKNOWN),
        ("グループリーダー", UNKNOWN),
        ("マネージャー", UNKNOWN),
        ("級", UNKNOWN),
        ("保健師", UNKNOWN),
    ],
)
def test_check_title(title, expected):
    result = check_title(title)
    if expected == REFUSED:
        assert result == FieldResult(ok=False, error=msg.TITLE_REFUSED.format(title=title))
        assert "課長級以上の役職の方が回答責任者となり" in result.error  # the reason, from the seed
        assert "例：介護保険課長" in result.error  # and an example
        return
    assert result.ok and result.value == title and not result.error
    confirm = {ACCEPTED: "", DEPENDS: msg.TITLE_DEPENDS, UNKNOWN: msg.TITLE_UNKNOWN}[expected]
    assert result.confirm == (confirm.format(title=title) if confirm else "")


def test_check_title_normalises_and_rejects_empty():
    assert check_title("　介護保険課長　").value == "介護保険課長"
    assert check_title(" ") == FieldResult(ok=False, error=msg.TITLE_EMPTY)


# --- 電話番号 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # kept as typed (issue 9): the notes staff write next to the number stay
        ("03-5253-1111", "03-5253-1111"),
        ("03-5253-1111（内線2164）", "03-5253-1111（内線2164）"),
        ("03-5253-1111（内線：2164）", "03-5253-1111（内線：2164）"),  # the seed's own way
        ("03-5253-1111 内線2164", "03-5253-1111 内線2164"),
        ("03-5253-1111内線2164", "03-5253-1111内線2164"),
        ("03-5253-1111 内線 2164", "03-5253-1111 内線 2164"),
        ("045-123-4567(代表)", "045-123-4567(代表)"),
        ("045-123-4567（代表）", "045-123-4567（代表）"),
        ("045-123-4567（直通）", "045-123-4567（直通）"),
        ("045-123-4567 代表", "045-123-4567 代表"),
        ("03-5253-1111 ext.2164", "03-5253-1111 ext.2164"),
        ("03(5253)1111", "03(5253)1111"),
        ("(03)5253-1111", "(03)5253-1111"),
        ("03 5253 1111", "03 5253 1111"),
        ("0352531111", "0352531111"),
        ("090-1234-5678", "090-1234-5678"),
        ("+81 3-5253-1111", "+81 3-5253-1111"),
        # …after full-width digits, letters and dashes between digits are made half-width
        ("０３－５２５３－１１１１", "03-5253-1111"),
        ("０３－５２５３－１１１１（内線２１６４）", "03-5253-1111（内線2164）"),
        ("03ー5253ー1111", "03-5253-1111"),
        ("　03-5253-1111　", "03-5253-1111"),
    ],
)
def test_normalize_phone_accepts(given, expected):
    assert normalize_phone(given) == FieldResult(ok=True, value=expected)


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("", msg.PHONE_EMPTY),
        ("5253-1111", msg.PHONE_NO_LEADING_ZERO),
        ("+1 212-555-0100", msg.PHONE_NO_LEADING_ZERO),
        ("03-5253-111", msg.PHONE_BAD_LENGTH.format(count=9)),
        ("03-5253-1111-22", msg.PHONE_BAD_LENGTH.format(count=12)),
        ("03-5253-1111（045-123-4567）", msg.PHONE_BAD_LENGTH.format(count=20)),
        ("03-5253-abcd", msg.PHONE_BAD_CHARS),
        ("電話ください", msg.PHONE_BAD_CHARS),
        ("kaigo@example.jp", msg.PHONE_BAD_CHARS),
        ("03-5253-1111、03-5253-1112", msg.PHONE_BAD_CHARS),
    ],
)
def test_normalize_phone_rejects(given, error):
    assert normalize_phone(given) == FieldResult(ok=False, error=error)


# --- メールアドレス -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("kaigo@city.sagamihara.kanagawa.jp", "kaigo@city.sagamihara.kanagawa.jp"),
        ("  Kaigo.Hoken@City.Example.LG.JP ", "Kaigo.Hoken@city.example.lg.jp"),
        ("ｋａｉｇｏ＠ｃｉｔｙ．ｅｘａｍｐｌｅ．ｊｐ", "kaigo@city.example.jp"),
        ("a+b_c-d@example.co.jp", "a+b_c-d@example.co.jp"),
        ("mailto:kaigo@example.jp", "kaigo@example.jp"),
    ],
)
def test_validate_email_accepts(given, expected):
    assert validate_email(given) == FieldResult(ok=True, value=expected)


@pytest.mark.parametrize(
    "given",
    [
        "kaigo",
        "kaigo@",
        "@example.jp",
        "kaigo@example",
        "kaigo@@example.jp",
        "kai go@example.jp",
        ".kaigo@example.jp",
        "kaigo..hoken@example.jp",
        "kaigo@-example.jp",
        "kaigo@example.j",
        "介護@example.jp",
    ],
)
def test_validate_email_rejects(given):
    assert validate_email(given) == FieldResult(ok=False, error=msg.EMAIL_INVALID)


def test_validate_email_empty():
    assert validate_email(" ") == FieldResult(ok=False, error=msg.EMAIL_EMPTY)


# --- 担当部署名・氏名 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("介護保険課", "介護保険課"),
        ("　厚労　太郎　", "厚労 太郎"),
        ("厚労  \t太郎", "厚労 太郎"),
        ("第１係", "第1係"),
        ("ＩＴ推進室", "IT推進室"),
        ("ｺｳﾛｳ ﾀﾛｳ", "ｺｳﾛｳ ﾀﾛｳ"),  # half-width kana stay as typed
        ("㈱髙橋", "㈱髙橋"),  # no wider NFKC folding, 異体字 kept
        ("－", "－"),  # only alnum and spaces are folded
    ],
)
def test_normalize_text(given, expected):
    assert normalize_text(given) == FieldResult(ok=True, value=expected)


@pytest.mark.parametrize(
    ("given", "max_len", "ok"),
    [("", 100, False), ("　 ", 100, False), ("あ" * 100, 100, True), ("あ" * 101, 100, False), ("あいう", 2, False)],
)
def test_normalize_text_limits(given, max_len, ok):
    result = normalize_text(given, max_len=max_len)
    assert result.ok is ok and bool(result.error) is not ok


# --- dispatch -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "org_type", "expected"),
    [
        ("org_type", "2", None, ORG_MEMBER),
        ("org_name", "14神奈川県相模原市", ORG_MEMBER, "14神奈川県相模原市(広域)"),
        ("dept", "介護保険課　", None, "介護保険課"),
        ("title", "介護保険課長", None, "介護保険課長"),
        ("responsible_name", "厚労　太郎", None, "厚労 太郎"),
        ("contact_name", "厚労　花子", None, "厚労 花子"),
        ("phone", "０３(5253)1111", None, "03(5253)1111"),
        ("email", "Kaigo@Example.JP", None, "Kaigo@example.jp"),
    ],
)
def test_parse_field_dispatches_every_field(key, text, org_type, expected):
    assert parse_field(key, text, org_type, ORGS).value == expected


# --- 回答責任者氏名・連絡先氏名 -------------------------------------------------------------


@pytest.mark.parametrize("key", ["responsible_name", "contact_name"])
@pytest.mark.parametrize(
    ("given", "expected", "error"),
    [
        ("厚労 花子", "厚労 花子", None),
        ("厚労　花子", "厚労 花子", None),
        ("ｺｳﾛｳ ﾊﾅｺ", "ｺｳﾛｳ ﾊﾅｺ", None),
        ("髙橋 一郎", "髙橋 一郎", None),  # kanji numerals are part of names
        ("Hanako KORO", "Hanako KORO", None),
        ("厚労・花子", "厚労・花子", None),
        ("045-123-4567", None, msg.NAME_HAS_DIGITS),  # issue 9: a phone number as a name
        ("厚労 花子 内線2164", None, msg.NAME_HAS_DIGITS),
        ("厚労花子（０４５）", None, msg.NAME_HAS_DIGITS),
        ("②", None, msg.NAME_HAS_DIGITS),
        ("kaigo@example.jp", None, msg.NAME_HAS_AT),
        ("厚労＠介護保険課", None, msg.NAME_HAS_AT),
        ("－", None, msg.NAME_ONLY_MARKS),
        ("・・・", None, msg.NAME_ONLY_MARKS),
        ("ー", None, msg.NAME_ONLY_MARKS),
        ("（　）", None, msg.NAME_ONLY_MARKS),
    ],
)
def test_person_names(key, given, expected, error):
    result = parse_field(key, given)
    label = RESPONDENT_LABELS[key]
    if error is None:
        assert result == FieldResult(ok=True, value=expected)
    else:
        assert result == FieldResult(ok=False, error=error.format(label=label))


# --- 担当部署名 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("介護保険課", "介護保険課"),
        ("介護保険課　第２係", "介護保険課 第2係"),  # a digit inside a name is fine
        ("ｶｲｺﾞﾎｹﾝｶ", "ｶｲｺﾞﾎｹﾝｶ"),
        ("2", None),  # a button's number typed after 状況
        ("②", None),
        ("0465-81-1111", None),
        ("kaigo@example.jp", None),
        ("－－", None),
    ],
)
def test_dept(given, expected):
    result = parse_field("dept", given)
    if expected is None:
        assert result == FieldResult(ok=False, error=msg.DEPT_NOT_A_NAME)
    else:
        assert result == FieldResult(ok=True, value=expected)


# --- length limits: each field refused above its limit, the limit named ------------------------


@pytest.mark.parametrize("key", [key for key, _ in RESPONDENT_FIELDS])
def test_every_field_has_a_limit_named_in_its_refusal(key):
    limit = FIELD_MAX_LENGTH[key]
    result = parse_field(key, "あ" * (limit + 1), ORG_MUNICIPALITY, ORGS)
    assert result == FieldResult(
        ok=False, error=msg.TEXT_TOO_LONG.format(label=RESPONDENT_LABELS[key], limit=limit, length=limit + 1)
    )
    assert parse_field(key, "あ" * 100_000, ORG_MUNICIPALITY, ORGS).error.startswith(RESPONDENT_LABELS[key])


@pytest.mark.parametrize(
    ("key", "longest_real"),
    [
        ("org_name", "46鹿児島県大島郡与論町"),
        ("org_name", "01北海道後志広域連合"),
        ("dept", "健康福祉局高齢健康福祉部介護保険課介護保険事業担当"),
        ("title", "健康福祉局高齢健康福祉部介護保険課担当課長"),
        ("phone", "03-5253-1111（内線2164）（直通）"),
        ("email", "kaigo-hoken.jigyo-tanto@city.sagamihara.kanagawa.lg.jp"),
    ],
)
def test_limits_fit_real_values(key, longest_real):
    assert len(longest_real) <= FIELD_MAX_LENGTH[key]


def test_parse_field_covers_all_respondent_fields_and_names_them_in_errors():
    for key, label in RESPONDENT_FIELDS:
        result = parse_field(key, "", ORG_MUNICIPALITY, ORGS)
        assert not result.ok and result.error
        if key in ("dept", "responsible_name", "contact_name"):
            assert label in result.error
    with pytest.raises(KeyError):
        parse_field("fax", "03-5253-1111")


def test_org_types_are_the_model_ones():
    assert {parse_org_type(str(n), ORGS).value for n in range(1, 5)} == set(ORG_TYPES)
