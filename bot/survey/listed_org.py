"""組織名 against the municipality list (全国地方公共団体コード, bot/survey/municipalities.py).

respondent.py checks the seed's format (code, prefecture, no 郡, the 政令市 as the city);
this module adds what only the list knows: whether the municipality is in the prefecture
the name gives, and which prefecture a hand-filled file's 組織名 belongs to.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.messages import respondent as respondent_msg
from bot.messages import listed_org as msg
from bot.survey import municipalities
from bot.survey.model import ROLE_MEMBER, ROLE_MUNICIPALITY, ROLE_UNION
from bot.survey.organisations import Organisations
from bot.survey.prefectures import leading_prefecture, prefecture_code, prefecture_code_of_org, prefecture_name
from bot.survey.respondent import KOUIKI, FieldResult, parse_field


def _body(value: str, code: str) -> str:
    """`14神奈川県相模原市(広域)` -> `相模原市`."""
    body = value[len(code) + len(prefecture_name(code) or ""):]
    return body[: -len(KOUIKI)] if body.endswith(KOUIKI) else body


@dataclass(frozen=True)
class Placement:
    """Where the list puts a 市区町村's 組織名: `listed` in the prefecture the name gives,
    else `elsewhere` (the other prefectures with a municipality of that name)."""

    body: str  # the municipality's name as written, without code, prefecture or (広域)
    listed: municipalities.Municipality | None
    elsewhere: tuple[municipalities.Municipality, ...]


def place(org_name: str, code: str) -> Placement:
    """The list's reading of a formatted 組織名 (`14神奈川県相模原市(広域)`) whose code is `code`:
    the chat (check_listed) and the prefecture's checks (checks.py) word what it finds."""
    body = _body(org_name, code)
    listed = municipalities.find(code, body)
    if listed is not None:
        return Placement(body, listed, ())
    return Placement(body, None, tuple(m for m in municipalities.find_everywhere(body) if m.prefecture_code != code))


# 地方自治法's 広域連合 and 一部事務組合: every formal name carries one of these words.
UNION_NAME_WORDS = ("連合", "組合")


def union_name_problem(union_org_name: str) -> str | None:
    """Why a 広域連合等's stored 組織名 (`14神奈川県介護保険広域連合`) cannot be one: it is a
    listed municipality's name, or has neither 連合 nor 組合. None when it can be."""
    code = prefecture_code_of_org(union_org_name)
    if code is None:
        return None
    body = _body(union_org_name, code)
    if municipalities.find(code, body) is not None or municipalities.find_everywhere(body):
        return msg.UNION_IS_MUNICIPALITY.format(name=body)
    if not any(word in body for word in UNION_NAME_WORDS):
        return msg.NOT_A_UNION_NAME.format(name=body)
    return None


def check_listed(role: str | None, result: FieldResult) -> FieldResult:
    """A 組織名 that passed the format check (`result`), checked against the list: a
    市区町村 not in that prefecture is refused, naming the prefectures that have it; a name
    the list spells otherwise (三宅島三宅村 for 三宅村) is offered in the list's spelling. ケ and
    ヶ are both written in official names and not told apart here. `role`: the 組織区分's
    (model.ROLE_*), as Organisations.role gives it."""
    if result.ok and role == ROLE_UNION:
        problem = union_name_problem(result.value)
        return result if problem is None else FieldResult(ok=False, error=problem)
    if not result.ok or role not in (ROLE_MUNICIPALITY, ROLE_MEMBER):
        return result
    code = prefecture_code_of_org(result.value)
    if code is None:
        return result
    placement = place(result.value, code)
    body, found = placement.body, placement.listed
    suffix = KOUIKI if role == ROLE_MEMBER else ""
    if found is None:
        prefecture = prefecture_name(code) or code
        if not placement.elsewhere:
            return FieldResult(ok=False, error=msg.NOT_LISTED.format(name=body, prefecture=prefecture))
        offers = msg.OFFER_SEPARATOR.join(
            msg.OFFER.format(prefecture=m.prefecture, value=m.org_name + suffix) for m in placement.elsewhere
        )
        return FieldResult(ok=False, error=msg.LISTED_ELSEWHERE.format(name=body, prefecture=prefecture, offers=offers))
    listed = found.org_name + suffix
    if municipalities.name_key(found.name) == municipalities.name_key(body):
        return result
    earlier = result.confirm.replace(respondent_msg.ORG_NAME_CONFIRM.format(value=result.value), "")
    note = msg.LIST_SPELLING.format(name=found.name)
    return FieldResult(ok=True, value=listed, confirm=earlier + note + respondent_msg.ORG_NAME_CONFIRM.format(value=listed))


def parse_listed_field(
    key: str, text: str, org_type: str | None = None, orgs: Organisations | None = None
) -> FieldResult:
    """respondent.parse_field, with 組織名 also checked against the municipality list: what
    the chat uses for a typed or submitted 回答者情報 field."""
    result = parse_field(key, text, org_type, orgs)
    if key != "org_name":
        return result
    role = orgs.role(org_type) if orgs else None
    if result.error == respondent_msg.ORG_NAME_NO_PREFECTURE:
        result = _placed_by_list(key, text, org_type, orgs, role) or result
    return check_listed(role, result)


def _placed_by_list(
    key: str, text: str, org_type: str | None, orgs: Organisations | None, role: str | None
) -> FieldResult | None:
    """A 市区町村名 typed alone (`中井町`, `足柄上郡中井町`): the prefecture the list gives,
    behind the same confirmation as any added code; a name several prefectures have is
    answered with each of them. None when the list does not know the name."""
    if role not in (ROLE_MUNICIPALITY, ROLE_MEMBER):
        return None
    typed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    kouiki = typed.endswith(KOUIKI)
    body = typed[: -len(KOUIKI)] if kouiki else typed
    if not body or body[0].isdigit():
        return None
    found = municipalities.find_everywhere(body)
    if len(found) > 1:
        suffix = KOUIKI if role == ROLE_MEMBER else ""
        offers = msg.OFFER_SEPARATOR.join(
            msg.OFFER.format(prefecture=m.prefecture, value=m.org_name + suffix) for m in found
        )
        return FieldResult(ok=False, error=msg.IN_SEVERAL_PREFECTURES.format(name=body, offers=offers))
    if not found:
        return None
    placed = parse_field(key, found[0].prefecture + typed, org_type, orgs)
    if not placed.ok:
        return None
    note = msg.PREFECTURE_FROM_LIST.format(name=body, prefecture=found[0].prefecture)
    return FieldResult(ok=True, value=placed.value, confirm=note + placed.confirm)


_LEADING_CODE = re.compile(r"^\d*")


def named_prefecture(org_name: str) -> str | None:
    """The prefecture a hand-written 組織名 names, however it is written: by the prefecture's
    name (even beside a wrong code), else its code, else a municipality name found in one
    prefecture only (`相模原市`). None when it cannot be told."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", org_name or ""))
    if not text:
        return None
    digits = _LEADING_CODE.match(text).group(0)  # type: ignore[union-attr]  # matches every string
    rest = text[len(digits):]
    name = leading_prefecture(rest)
    if name is not None:
        return prefecture_code(name)
    if len(digits) == 2 and prefecture_name(digits):
        return digits
    body = rest[: -len(KOUIKI)] if rest.endswith(KOUIKI) else rest
    places = {m.prefecture_code for m in municipalities.find_everywhere(body)}
    return places.pop() if len(places) == 1 else None
