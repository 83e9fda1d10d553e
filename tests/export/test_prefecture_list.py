"""The prefecture's list: one sheet 一覧, headers, rows by 組織名, every cell text."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.export.answer_workbook import build_answer_workbook
from bot.export.columns import row_for
from bot.export.list_reader import read_list_row
from bot.export.prefecture_list import (
    build_prefecture_workbook,
    prefecture_file_name,
    prefecture_subject,
    summarise,
)
from bot.survey.engine import load_survey
from tests.survey_2307 import HEADERS, LAYOUT, ORG_MEMBER, SURVEY
from tests.export.records import FULL_BLOCK, record

ORG = HEADERS.index("組織名")


def _row(org_name: str, **values: str) -> list[str]:
    row = [""] * len(HEADERS)
    row[ORG] = org_name
    for header, value in values.items():
        row[HEADERS.index(header)] = value
    return row


def _read(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["一覧"]
    return list(workbook["一覧"].iter_rows())


@pytest.mark.parametrize(
    ("names", "ordered"),
    [
        (["14神奈川県横浜市", "14神奈川県川崎市", "14神奈川県相模原市"], ["14神奈川県川崎市", "14神奈川県横浜市", "14神奈川県相模原市"]),
        (["14神奈川県中井町", "14神奈川県", "14神奈川県中井町(広域)"], ["14神奈川県", "14神奈川県中井町", "14神奈川県中井町(広域)"]),
        (["14神奈川県大井町"], ["14神奈川県大井町"]),
    ],
)
def test_rows_ordered_by_org_name(names, ordered):
    rows = [_row(n, **{"担当部署名": f"from {n}"}) for n in names]
    read = _read(build_prefecture_workbook(SURVEY, "神奈川県", rows))
    assert tuple(c.value for c in read[0]) == HEADERS
    assert [r[ORG].value for r in read[1:]] == ordered
    # each row travels whole, not just its 組織名
    assert [r[HEADERS.index("担当部署名")].value for r in read[1:]] == [f"from {n}" for n in ordered]


@pytest.mark.parametrize("text", ["=SUM(A1)", "+81", "-1", "@x", "#N/A", "0465", "2023-07-10 14:05"])
def test_every_cell_is_text(text):
    # plain text right after the formula-like value must keep its own place and value
    row = _row("14神奈川県大井町", **{"電話番号": text, "メールアドレス": "m@example.jp", "8-1_概要": text, "8-2": "②"})
    read = _read(build_prefecture_workbook(SURVEY, "神奈川県", [_row("14神奈川県松田町", **{"1-1": text}), row]))
    for cell in [*read[0], *read[1], *read[2]]:
        if cell.value is not None:
            assert cell.data_type == "s" and isinstance(cell.value, str)
    assert [c.value if c.value is not None else "" for c in read[1]] == row
    assert read[2][HEADERS.index("1-1")].value == text


def test_list_from_stored_answers_and_sent_files():
    survey = load_survey()
    stored = [
        record(org_name="14神奈川県相模原市"),
        record(ORG_MEMBER, "14神奈川県愛川町(広域)", answers={**FULL_BLOCK, "13": [2]}, confirmation={}),
    ]
    sent = read_list_row(LAYOUT, build_answer_workbook(survey, record(org_name="14神奈川県厚木市")), "厚木.xlsx")
    rows = [row_for(survey, r) for r in stored] + [sent]
    read = _read(build_prefecture_workbook(SURVEY, "神奈川県", rows))
    values = [[c.value if c.value is not None else "" for c in r] for r in read[1:]]
    assert values == sorted(rows, key=lambda r: r[ORG])
    summary = summarise(LAYOUT, rows[:2], [sent], [("大井町.xlsx", "「一覧用」シートがありません。")])
    assert (summary.confirmed, summary.unconfirmed, summary.from_files, summary.total) == (1, 1, 1, 3)
    assert summary.rejected == [("大井町.xlsx", "「一覧用」シートがありません。")]


@pytest.mark.parametrize(
    ("name", "file_name", "subject"),
    [
        ("神奈川県", "【神奈川県】2307 マイナンバー調査回答.xlsx", "【神奈川県】2307 マイナンバー調査回答"),
        ("北海道", "【北海道】2307 マイナンバー調査回答.xlsx", "【北海道】2307 マイナンバー調査回答"),
    ],
)
def test_file_name_and_subject(name, file_name, subject):
    assert prefecture_file_name(SURVEY, name) == file_name
    assert prefecture_subject(SURVEY, name) == subject
