"""A 構成市町村's 広域連合等, as it names it: stored in the 広域連合等's own 組織名 form
(`14神奈川県介護保険広域連合`), so that its Q13 is compared with its own 広域連合等 only.

Kept on the answer record, never on the workbook (the sheet has no such column).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.messages import union as msg
from bot.survey.listed_org import union_name_problem
from bot.survey.model import ROLE_UNION
from bot.survey.prefectures import leading_prefecture, prefecture_code_of_org, prefecture_name
from bot.survey.respondent import normalize_org_name


@dataclass(frozen=True)
class UnionName:
    ok: bool
    value: str = ""
    error: str = ""


def read_union_name(
    text: str, member_org_name: str, known: list[str] | tuple[str, ...] = (), agreed: str = ""
) -> UnionName:
    """`介護保険広域連合`, `14神奈川県介護保険広域連合`, or the number of a known one ->
    the stored name. The member's prefecture is added when left out; another
    prefecture's 広域連合等 is refused (the agreed item, `agreed` its heading, is compared
    within a prefecture)."""
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not compact:
        return UnionName(False, error=msg.EMPTY)
    if compact.isdigit() and len(compact) <= 2 and known:
        number = int(compact)
        if 1 <= number <= len(known):
            return UnionName(True, known[number - 1])
        return UnionName(False, error=msg.NO_SUCH_NUMBER.format(n=len(known)))
    if compact.endswith(("(広域)", "（広域）")):
        return UnionName(False, error=msg.NOT_A_MEMBER_NAME)
    code = prefecture_code_of_org(member_org_name)
    if code is None:
        return UnionName(False, error=msg.NEED_ORG_NAME)
    candidate = compact
    digits = re.match(r"^\d*", compact).group(0)  # type: ignore[union-attr]
    if leading_prefecture(compact[len(digits):]) is None:
        if digits:
            return UnionName(False, error=msg.NEED_NAME)
        candidate = f"{code}{prefecture_name(code)}{compact}"
    result = normalize_org_name(ROLE_UNION, candidate)
    if not result.ok:
        return UnionName(False, error=result.error)
    if prefecture_code_of_org(result.value) != code:
        return UnionName(False, error=msg.OTHER_PREFECTURE.format(prefecture=prefecture_name(code), item=agreed))
    problem = union_name_problem(result.value)
    if problem is not None:
        return UnionName(False, error=problem)
    return UnionName(True, result.value)


def same_union(a: str, b: str) -> bool:
    """Names compared as stored, without spaces and width differences."""
    squash = lambda t: re.sub(r"\s+", "", unicodedata.normalize("NFKC", t or ""))  # noqa: E731
    return bool(squash(a)) and squash(a) == squash(b)
