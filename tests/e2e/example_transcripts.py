"""Walks through the example definition (bot/survey/definitions/example-shougai.yaml, an
invented survey that shows the format), shared by the conversation test (in memory) and
the end-to-end test (`python -m bot` with SURVEY_DEFINITION set).

Every step pins the heading the turn ends on, so a skip rule of the example that the
engine got wrong fails the step where it happens.
"""
from __future__ import annotations

from typing import Any

from bot.survey.engine import DEFINITIONS
from tests.e2e.transcripts import REVIEW, Step, step

EXAMPLE = DEFINITIONS / "example-shougai.yaml"
FILE_SUFFIX = "例示 障害福祉調査回答"  # workbook.file_name: 【{name}】例示 障害福祉調査回答
SHEETS = ["回答票", "集計用", "選択肢"]  # workbook.sheets of the respondent's file
LIST_SHEET = "一覧表"
NOTE_Q2 = "該当するものをすべて選んでください。"  # notes: items ["2"]
NOTE_CASES = "事例の概要をまとめた資料"  # notes: at finish, when Q5 == 2


def _respondent(org_type: str, org_name: str, first_item: str, email: str) -> list[Step]:
    return [
        step("開始", "組織区分", "市区町村／都道府県"),
        step(org_type, "組織名"),
        step(org_name, "担当部署名"),
        step("障害福祉課", "回答責任者役職"),
        step("障害福祉課長", "回答責任者氏名"),
        step("相模 一郎", "連絡先氏名"),
        step("鈴木 花子", "電話番号"),
        step("042-754-1111", "メールアドレス"),
        step(email, first_item),
    ]


def respondent(org_type: str, org_name: str, email: str) -> dict[str, str]:
    return {
        "org_type": org_type, "org_name": org_name, "dept": "障害福祉課", "title": "障害福祉課長",
        "responsible_name": "相模 一郎", "contact_name": "鈴木 花子", "phone": "042-754-1111", "email": email,
    }


MUNICIPALITY_NAME = "14神奈川県相模原市"
PREFECTURE_NAME = "14神奈川県"
OUTLINE = "二人の職員で確認し、確認票に記録する。"

# A 市区町村: Q1 ① asks the multi-select Q2 (with its note), Q3 ② its sub-item; Q4 is the
# prefecture's only.
MUNICIPALITY: list[Step] = [
    *_respondent("市区町村", MUNICIPALITY_NAME, "Q1", "shougai@example.lg.jp"),
    step("1", "Q2", NOTE_Q2),
    step("1,3", "Q3"),
    step("2", "Q3 手順"),
    step(OUTLINE, "Q5"),
    Step("1", REVIEW, absent=(NOTE_CASES,)),
]
MUNICIPALITY_ANSWERS: dict[str, Any] = {"1": 1, "2": [1, 3], "3": 2, "3_手順": OUTLINE, "5": 1}

# 修正: Q1 ① → ② makes Q2 対象外 (the skip rule), and the answer goes straight back to the review.
EDIT: list[Step] = [
    step("修正 Q1", "Q1", "現在の回答: ①求めている。"),
    step("2", REVIEW, "次の項目が対象外になりました: Q2"),
]
EDITED_ANSWERS: dict[str, Any] = {"1": 2, "3": 2, "3_手順": OUTLINE, "5": 1}

# A 都道府県 by number: Q2 and Q3 手順 skipped, Q4 asked; Q5 ② brings the note at the finish.
PREFECTURE: list[Step] = [
    *_respondent("2", PREFECTURE_NAME, "Q1", "ken@example.lg.jp"),
    step("2", "Q3", absent=(NOTE_Q2,)),
    step("3", "Q4"),
    step("1", "Q5"),
    step("2", REVIEW, NOTE_CASES),
]
PREFECTURE_ANSWERS: dict[str, Any] = {"1": 2, "3": 3, "4": 1, "5": 2}
