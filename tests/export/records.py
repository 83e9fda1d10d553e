"""AnswerRecords for the export tests: one per respondent type and skip path."""
from __future__ import annotations

from typing import Any

from bot.survey.model import AnswerRecord, Confirmation
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION

RESPONDENT = {
    "org_type": ORG_MUNICIPALITY,
    "org_name": "14神奈川県相模原市",
    "dept": "介護保険課",
    "title": "課長",
    "responsible_name": "相模 太郎",
    "contact_name": "原 花子",
    "phone": "042-754-1111",
    "email": "kaigo@example.lg.jp",
}

# Every block item answered on the longest path (3=①, 5=②, 7-2=①, 7-3=①, 8-1=①).
FULL_BLOCK: dict[str, Any] = {
    "1-1": 1,
    "2": 3,
    "2_予定年月": "2023年9月",
    "3": 1,
    "4": 1,
    "5": 2,
    "6": [1, 2],
    "7-1": 1,
    "7-2": 1,
    "7-3": 1,
    "7-4": [1, 3],
    "8-1": 1,
    "8-1_概要": "複数職員で4情報を確認する",
    "8-2": 1,
    "9": 1,
    "10": 2,
    "10_概要": "2019年に1件",
    "11": 1,
    "12": 2,
}

CONFIRMED = {"status": "confirmed", "confirmed_at": "2023-07-10 14:05", "confirmed_by": "相模 太郎"}


def record(
    org_type: str = ORG_MUNICIPALITY,
    org_name: str = "14神奈川県相模原市",
    answers: dict[str, Any] | None = None,
    notes: dict[str, str] | None = None,
    confirmation: dict[str, str] | None = None,  # as stored (JSON)
    **respondent: str,
) -> AnswerRecord:
    fields = {**RESPONDENT, "org_type": org_type, "org_name": org_name, **respondent}
    return AnswerRecord(
        answer_id=f"a-{org_name}",
        respondent={k: v for k, v in fields.items() if v is not None},
        answers=dict(FULL_BLOCK if answers is None else answers),
        notes=dict(notes or {}),
        confirmation=Confirmation.from_json(CONFIRMED if confirmation is None else confirmation),
    )


def block(**changes: Any) -> dict[str, Any]:
    """FULL_BLOCK with changes; a value of None removes the item's answer."""
    answers = {**FULL_BLOCK, **changes}
    return {k: v for k, v in answers.items() if v is not None}


ORGS = {
    "municipality": ORG_MUNICIPALITY,
    "member": ORG_MEMBER,
    "union": ORG_UNION,
    "prefecture": ORG_PREFECTURE,
}
