"""回答者情報 validation: each typed field becomes a value to store, an error, or a question.

A FieldResult with `confirm` set is not stored yet: the conversation asks `confirm` and
stores `value` only when the user says yes. Rules are survey-rules.md "組織名" and
"回答責任者役職"; the answer sheet keeps phone numbers "as entered after normalising to
half-width", so nothing here reformats more than the rule asks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.messages import respondent as msg
from bot.survey.model import (
    RESPONDENT_LABELS,
    ROLE_MEMBER,
    ROLE_MUNICIPALITY,
    ROLE_PREFECTURE,
    ROLE_UNION,
    ROLES,
)
from bot.survey.organisations import Organisations
from bot.survey.prefectures import leading_prefecture, prefecture_code, prefecture_name

KOUIKI = "(広域)"

# 指定都市 and their prefecture codes: a ward of one of these is stored as the city.
DESIGNATED_CITIES: tuple[tuple[str, str], ...] = (
    ("01", "札幌市"), ("04", "仙台市"), ("11", "さいたま市"), ("12", "千葉市"),
    ("14", "横浜市"), ("14", "川崎市"), ("14", "相模原市"), ("15", "新潟市"),
    ("22", "静岡市"), ("22", "浜松市"), ("23", "名古屋市"), ("26", "京都市"),
    ("27", "大阪市"), ("27", "堺市"), ("28", "神戸市"), ("33", "岡山市"),
    ("34", "広島市"), ("40", "北九州市"), ("40", "福岡市"), ("43", "熊本市"),
)
TOKYO_CODE = "13"


@dataclass
class FieldResult:
    ok: bool
    value: str = ""
    error: str = ""
    confirm: str = ""  # asked before `value` is stored; store only on yes


def _fail(error: str) -> FieldResult:
    return FieldResult(ok=False, error=error)


def _nfkc_compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# --- 組織区分 -----------------------------------------------------------------

def parse_org_type(text: str, orgs: Organisations) -> FieldResult:
    """`"1"`, `"①"`, `"１"`, a label, its name or shorthand (the definition's `typed`) -> one
    of the survey's 組織区分 labels; a word two types share is ambiguous (「広域」)."""
    given = _nfkc_compact(text)  # NFKC also turns ① into 1 and （） into ()
    labels = orgs.labels
    choose = msg.ORG_TYPE_CHOOSE.format(
        count=len(labels), choices="\n".join(f"{n} {label}" for n, label in enumerate(labels, start=1)))
    if not given:
        return _fail(choose)
    if given.isdigit():
        number = int(given)
        if 1 <= number <= len(labels):
            return FieldResult(ok=True, value=labels[number - 1])
        return _fail(choose)
    exact = {_nfkc_compact(label): label for label in labels}
    if given in exact:
        return FieldResult(ok=True, value=exact[given])
    candidates = orgs.typed_words().get(given) or tuple(label for key, label in exact.items() if key.startswith(given))
    if len(candidates) == 1:
        return FieldResult(ok=True, value=candidates[0])
    if candidates:
        listed = "・".join(f"「{c}」" for c in candidates)
        return _fail(msg.ORG_TYPE_AMBIGUOUS.format(given=text.strip(), candidates=listed, count=len(labels)))
    return _fail(choose)


# --- 組織名 -------------------------------------------------------------------

# A 郡 is dropped only when what follows it is a whole 町/村 name: the lazy match takes
# the first 郡 that has something before it, so 郡山市 / 郡上市 (郡 first, ending in 市)
# never match.
_GUN_BEFORE_TOWN = re.compile(r"^(.+?郡)(.+[町村])$")
_MUNICIPALITY_END = ("市", "区", "町", "村")


def _split_code(text: str) -> tuple[str, str]:
    match = re.match(r"^(\d*)(.*)$", text)
    assert match  # the pattern matches every string
    return match.group(1), match.group(2)


def _municipality_body(code: str, body: str, notes: list[str]) -> tuple[str, str]:
    """(normalised body, error) for a 市区町村 name following the prefecture."""
    gun = _GUN_BEFORE_TOWN.match(body)
    if gun:
        notes.append(msg.ORG_NAME_GUN_REMOVED.format(gun=gun.group(1)))
        body = gun.group(2)
    for city_code, city in DESIGNATED_CITIES:
        if city_code == code and body.startswith(city) and body != city:
            ward = body[len(city):]
            if ward.endswith("区"):
                notes.append(msg.ORG_NAME_WARD_REMOVED.format(ward=ward))
                body = city
            break
    if not body.endswith(_MUNICIPALITY_END) or len(body) < 2:
        return body, msg.ORG_NAME_NOT_MUNICIPALITY.format(body=body)
    if body.endswith("区") and code != TOKYO_CODE:
        return body, msg.ORG_NAME_WARD_OUTSIDE_TOKYO
    return body, ""


def lg_code_check_digit(first_five: str) -> str:
    """The 全国地方公共団体コード's sixth digit (JIS X 0402): weights 6..2, 11 - sum mod 11, last digit."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def _from_lg_code(lg_code: str, rest: str) -> tuple[str, str, str]:
    """(`14`, rest with the prefecture name, error) for `141003` + `横浜市`: the code's first
    two digits are the prefecture; six digits carry a check digit."""
    code = lg_code[:2]
    name = prefecture_name(code)
    if name is None:
        return "", rest, msg.ORG_NAME_LG_CODE_NO_PREFECTURE.format(lg_code=lg_code, code=code)
    if len(lg_code) == 6 and lg_code_check_digit(lg_code[:5]) != lg_code[5]:
        return "", rest, msg.ORG_NAME_LG_CODE_CHECK_DIGIT.format(lg_code=lg_code)
    typed = leading_prefecture(rest)
    if typed is not None and typed != name:
        return "", rest, msg.ORG_NAME_LG_CODE_OTHER_PREFECTURE.format(lg_code=lg_code, code=code, name=name, typed=typed)
    return code, rest if typed else name + rest, ""


def normalize_org_name(role: str | None, text: str) -> FieldResult:
    """A typed 組織名 -> the stored form (`14神奈川県相模原市`, `…(広域)`, `14神奈川県`), by
    the role of the 組織区分 (model.ROLE_*: Organisations.role of the stored label).

    A name typed without any code gets the code added behind a confirmation (the
    prefecture name tells it unambiguously), like a one-digit code gets padded; a
    団体コード (`141003 横浜市`) gives the prefecture by its first two digits, also
    behind a confirmation.
    """
    if role not in ROLES:
        return _fail(msg.ORG_NAME_NEED_TYPE)
    compact = _nfkc_compact(text)
    if not compact:
        return _fail(msg.ORG_NAME_EMPTY)
    has_kouiki = compact.endswith(KOUIKI)
    if has_kouiki:
        compact = compact[: -len(KOUIKI)]
    typed_code, rest = _split_code(compact)
    notes: list[str] = []
    if len(typed_code) in (5, 6):
        lg_code = typed_code
        typed_code, rest, error = _from_lg_code(lg_code, rest)
        if error:
            return _fail(error)
        notes.append(msg.ORG_NAME_FROM_LG_CODE.format(lg_code=lg_code, code=typed_code))
    name = leading_prefecture(rest)
    if name is None:
        known = prefecture_name(typed_code) if len(typed_code) == 2 else None
        if known and rest:
            suggestion = f"{typed_code}{known}{rest}"
            return _fail(msg.ORG_NAME_MISSING_PREFECTURE.format(suggestion=suggestion))
        return _fail(msg.ORG_NAME_NO_PREFECTURE_UNION if role == ROLE_UNION else msg.ORG_NAME_NO_PREFECTURE)
    code = prefecture_code(name)
    assert code is not None
    body = rest[len(name):]

    if role == ROLE_PREFECTURE:
        if has_kouiki:
            return _fail(msg.ORG_NAME_KOUIKI_NOT_ALLOWED)
        if body:
            return _fail(msg.ORG_NAME_PREFECTURE_ONLY.format(example=code + name))
        suffix = ""
    elif role == ROLE_UNION:
        if has_kouiki:
            return _fail(msg.ORG_NAME_KOUIKI_NOT_ALLOWED)
        if not body:
            return _fail(msg.ORG_NAME_UNION_NEEDS_NAME)
        suffix = ""
    else:
        if has_kouiki and role == ROLE_MUNICIPALITY:
            return _fail(msg.ORG_NAME_KOUIKI_NOT_ALLOWED)
        if not body:
            example = f"{code}{name}…{'市' if code != TOKYO_CODE else '区'}"
            return _fail(msg.ORG_NAME_NEED_MUNICIPALITY.format(example=example))
        body, error = _municipality_body(code, body, notes)
        if error:
            return _fail(error)
        # seed 3.(3): the bot adds the suffix a 構成市町村 left out.
        suffix = KOUIKI if role == ROLE_MEMBER else ""

    value = f"{code}{name}{body}{suffix}"
    if len(typed_code) == 2:
        if typed_code != code:
            return _fail(msg.ORG_NAME_WRONG_CODE.format(name=name, code=code, suggestion=value))
    elif len(typed_code) == 1:
        if typed_code.zfill(2) != code:
            return _fail(msg.ORG_NAME_WRONG_CODE.format(name=name, code=code, suggestion=value))
        notes.insert(0, msg.ORG_NAME_PAD_CODE)
    elif not typed_code:
        notes.insert(0, msg.ORG_NAME_ADD_CODE.format(code=code))
    else:
        return _fail(msg.ORG_NAME_BAD_CODE)
    confirm = "".join(notes) + msg.ORG_NAME_CONFIRM.format(value=value) if notes else ""
    return FieldResult(ok=True, value=value, confirm=confirm)


# --- 回答責任者役職 -------------------------------------------------------------

# survey-rules.md "回答責任者役職". A title is judged by how it ends (介護保険課長 ends in 課長),
# the longest listed ending winning, so 課長補佐 is never read as 課長 and 副所長 never as 所長:
# no substring can let a title through.
TITLE_BELOW: tuple[str, ...] = (
    # listed in survey-rules.md
    "課長補佐", "課長代理", "副課長", "係長", "主査", "主任", "主事", "担当", "係員",
    # and the like: ranks below those, or the same rank spelled otherwise
    "担当者", "副係長", "係長代理", "主査補", "副主査", "主事補", "室長補佐", "技師", "技師補",
    "技術員", "事務員", "職員",
)
TITLE_AT_LEAST: tuple[str, ...] = (
    "課長", "担当課長", "室長", "所長", "参事", "次長", "部長", "担当部長", "局長", "理事",
    "副市長", "副町長", "副村長", "副区長", "副知事", "市長", "町長", "村長", "区長", "知事",
)
# 課長級 in some organisations only: warned and confirmed, never refused or let through.
TITLE_DEPENDS: tuple[str, ...] = (
    "主幹", "副参事", "専門監", "副所長", "副室長", "センター長", "副センター長", "所長代理",
    "所長補佐", "室長代理", "副部長", "副局長", "副次長", "副理事", "館長", "園長", "院長",
    "場長", "事務長",
)
_BELOW, _AT_LEAST, _DEPENDS, _UNKNOWN = "below", "at_least", "depends", "unknown"
_TITLE_ENDINGS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [(word, _BELOW) for word in TITLE_BELOW]
        + [(word, _AT_LEAST) for word in TITLE_AT_LEAST]
        + [(word, _DEPENDS) for word in TITLE_DEPENDS],
        key=lambda entry: -len(entry[0]),
    )
)
_TITLE_RANK = {_BELOW: 0, _UNKNOWN: 1, _DEPENDS: 2, _AT_LEAST: 3}
# 「参事（介護保険担当）」: what is in brackets says the duty, not the rank.
_RANK_SUFFIX = re.compile(r"(?:級|相当)$")
_BRACKETED = re.compile(r"[(（\[［【〔][^)）\]］】〕]*[)）\]］】〕]")


def _title_level(part: str) -> str:
    part = _RANK_SUFFIX.sub("", part)  # 課長補佐級, 課長相当: the rank named
    for word, level in _TITLE_ENDINGS:
        if part.endswith(word):
            # 副部長, 副局長…: 副 before a 課長級 word makes it another, uncertain rank.
            if level == _AT_LEAST and part[: -len(word)].endswith("副"):
                return _DEPENDS
            return level
    return _UNKNOWN


def title_level(title: str) -> str:
    """below / depends / unknown / at_least for a typed 役職; 「A兼B」 counts its highest part."""
    compact = _BRACKETED.sub("", _nfkc_compact(title))
    parts = [part for part in re.split(r"兼務?", compact) if part] or [compact]
    return max((_title_level(part) for part in parts), key=_TITLE_RANK.__getitem__)


def check_title(text: str) -> FieldResult:
    """回答責任者役職 must be 課長級以上: below it refused; uncertain or unknown confirmed."""
    cleaned = normalize_text(text, FIELD_MAX_LENGTH["title"], RESPONDENT_LABELS["title"])
    if not cleaned.ok:
        return _fail(cleaned.error if text.strip() else msg.TITLE_EMPTY)
    title = cleaned.value
    level = title_level(title)
    if level == _BELOW:
        return _fail(msg.TITLE_REFUSED.format(title=title))
    if level == _DEPENDS:
        return FieldResult(ok=True, value=title, confirm=msg.TITLE_DEPENDS.format(title=title))
    if level == _UNKNOWN:
        return FieldResult(ok=True, value=title, confirm=msg.TITLE_UNKNOWN.format(title=title))
    return FieldResult(ok=True, value=title)


# --- 電話番号 -------------------------------------------------------------------

_DASHES = "-‐‑‒–—―−ー－﹣"
# Words staff write next to the number; kept as typed, not part of the number.
_PHONE_BRACKETS = re.compile(r"[(\[【〔<]([^)\]】〕>]*)[)\]】〕>]")
_PHONE_EXTENSION = re.compile(r"(?:内線|内|ext\.?|x)\s*[:.]?\s*\d{1,6}", re.IGNORECASE)
_PHONE_LABELS = re.compile(r"代表|直通|直")
_PHONE_NUMBER = re.compile(r"\+?[\d\s-]+")
_DASH_BETWEEN_DIGITS = re.compile(rf"(?<=\d)\s*[{_DASHES}]\s*(?=\d)")


def _phone_as_typed(text: str) -> str:
    """What is stored: as typed, with full-width digits, letters and dashes between digits
    made half-width (answer-sheet.md), and spaces collapsed."""
    folded = re.sub(r"\s+", " ", text.translate(_FULLWIDTH_ALNUM)).strip()
    return _DASH_BETWEEN_DIGITS.sub("-", folded)


def normalize_phone(text: str) -> FieldResult:
    """A phone number as municipal staff write it (`03-5253-1111（内線2164）`, `(代表)`,
    `（直通）`, `内線2164`, `03(5253)1111`): checked on its digits, kept as typed."""
    typed = _phone_as_typed(text or "")
    if not typed:
        return _fail(msg.PHONE_EMPTY)
    if "@" in typed or "＠" in typed:
        return _fail(msg.PHONE_BAD_CHARS)
    given = unicodedata.normalize("NFKC", typed)

    def bracket(match: re.Match[str]) -> str:
        inner = match.group(1)
        # (03)5253-1111: digits in brackets are part of the number; words are a note.
        return f"-{inner}-" if re.fullmatch(r"[\d\s-]+", inner) else " "

    number = _PHONE_BRACKETS.sub(bracket, given)
    number = _PHONE_EXTENSION.sub(" ", number)
    number = _PHONE_LABELS.sub(" ", number)
    for dash in _DASHES:
        number = number.replace(dash, "-")
    number = number.strip(" -:：")
    if not _PHONE_NUMBER.fullmatch(number):
        return _fail(msg.PHONE_BAD_CHARS)
    digits = re.sub(r"\D", "", number)
    if number.startswith("+"):
        if not digits.startswith("81"):
            return _fail(msg.PHONE_NO_LEADING_ZERO)
        digits = "0" + digits[2:]
    if not digits.startswith("0"):
        return _fail(msg.PHONE_NO_LEADING_ZERO)
    if not 10 <= len(digits) <= 11:
        return _fail(msg.PHONE_BAD_LENGTH.format(count=len(digits)))
    return FieldResult(ok=True, value=typed)


# --- メールアドレス ----------------------------------------------------------------

_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)


def validate_email(text: str) -> FieldResult:
    """A sane local@domain.tld; the domain is lowercased, the local part kept as typed."""
    given = unicodedata.normalize("NFKC", text or "").strip()
    if given.lower().startswith("mailto:"):
        given = given[len("mailto:"):]
    if not given:
        return _fail(msg.EMAIL_EMPTY)
    match = _EMAIL.match(given)
    if not match or len(given) > 254 or len(match.group("local")) > 64:
        return _fail(msg.EMAIL_INVALID)
    return FieldResult(ok=True, value=f"{match.group('local')}@{match.group('domain').lower()}")


# --- 担当部署名・氏名 -------------------------------------------------------------

# Only full-width ASCII letters/digits and the ideographic space are folded: full NFKC
# would also turn half-width kana into full-width and ㈱ into (株), changing what was typed.
_FULLWIDTH_ALNUM = {
    **{code: code - 0xFEE0 for code in range(ord("０"), ord("９") + 1)},
    **{code: code - 0xFEE0 for code in range(ord("Ａ"), ord("Ｚ") + 1)},
    **{code: code - 0xFEE0 for code in range(ord("ａ"), ord("ｚ") + 1)},
    0x3000: 0x20,
}


def normalize_text(text: str, max_len: int = 100, label: str = "") -> FieldResult:
    """担当部署名 / 氏名: full-width alnum and spaces to half-width, spaces collapsed."""
    name = label or msg.TEXT_DEFAULT_LABEL
    value = re.sub(r"\s+", " ", (text or "").translate(_FULLWIDTH_ALNUM)).strip()
    if not value:
        return _fail(msg.TEXT_EMPTY.format(label=name))
    if len(value) > max_len:
        return _fail(msg.TEXT_TOO_LONG.format(label=name, limit=max_len, length=len(value)))
    return FieldResult(ok=True, value=value)


def _has_letter(text: str) -> bool:
    # Lo/Lu/Ll/Lt: kanji, kana, latin letters; not ー or 々 alone (Lm), not marks.
    return any(unicodedata.category(ch) in ("Lo", "Lu", "Ll", "Lt") for ch in text)


def check_person_name(text: str, key: str) -> FieldResult:
    """回答責任者氏名 / 連絡先氏名: a person's name, not a phone number, an address or marks."""
    label = RESPONDENT_LABELS[key]
    result = normalize_text(text, FIELD_MAX_LENGTH[key], label)
    if not result.ok:
        return result
    if any(ch.isdigit() for ch in result.value):
        return _fail(msg.NAME_HAS_DIGITS.format(label=label))
    if "@" in result.value or "＠" in result.value:
        return _fail(msg.NAME_HAS_AT.format(label=label))
    if not _has_letter(result.value):
        return _fail(msg.NAME_ONLY_MARKS.format(label=label))
    return result


def check_dept(text: str) -> FieldResult:
    """担当部署名: a department's name (第2係 has a digit, `2` or an e-mail address is none)."""
    result = normalize_text(text, FIELD_MAX_LENGTH["dept"], RESPONDENT_LABELS["dept"])
    if result.ok and ("@" in result.value or "＠" in result.value or not _has_letter(result.value)):
        return _fail(msg.DEPT_NOT_A_NAME)
    return result


# --- dispatch ---------------------------------------------------------------------

# Characters each field may hold, checked before anything else reads the text: long enough
# for any real value (a 広域連合's formal name, a department with its section), short
# enough that nothing pasted by mistake is stored or parsed.
FIELD_MAX_LENGTH: dict[str, int] = {
    "org_type": 40,
    "org_name": 80,
    "dept": 100,
    "title": 50,
    "responsible_name": 50,
    "contact_name": 50,
    "phone": 40,
    "email": 254,
}


def parse_field(key: str, text: str, org_type: str | None = None, orgs: Organisations | None = None) -> FieldResult:
    """Validate one RESPONDENT_FIELDS value by its key; KeyError for an unknown key. 組織区分
    and 組織名 are read by the survey's organisation types (`orgs`, needed for those two)."""
    if key not in FIELD_MAX_LENGTH:
        raise KeyError(f"unknown respondent field: {key}")
    limit, length = FIELD_MAX_LENGTH[key], len((text or "").strip())
    if length > limit:
        return _fail(msg.TEXT_TOO_LONG.format(label=RESPONDENT_LABELS[key], limit=limit, length=length))
    if key in ("org_type", "org_name") and orgs is None:
        raise ValueError(f"{key} is read by the survey's organisation types")
    if key == "org_type":
        assert orgs is not None
        return parse_org_type(text, orgs)
    if key == "org_name":
        assert orgs is not None
        return normalize_org_name(orgs.role(org_type), text)
    if key == "title":
        return check_title(text)
    if key == "phone":
        return normalize_phone(text)
    if key == "email":
        return validate_email(text)
    if key in ("responsible_name", "contact_name"):
        return check_person_name(text, key)
    if key == "dept":
        return check_dept(text)
    return normalize_text(text, limit, RESPONDENT_LABELS[key])
