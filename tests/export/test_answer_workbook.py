"""answers → answer workbook → read back: 一覧用 row, 回答シート layout, formula safety."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from bot.export.answer_workbook import (
    answer_file_name,
    build_answer_workbook,
    build_answer_workbook_async,
)
from bot.export.columns import column_index, header_key, row_for
from bot.export.list_reader import read_list_row
from bot.survey.engine import load_survey
from tests.survey_2307 import HEADERS, LAYOUT, ORG_MEMBER, ORG_PREFECTURE, ORG_UNION, SURVEY
from tests.export.records import CONFIRMED, FULL_BLOCK, block, record

NA = "対象外"
BLOCK_COLUMNS = [h for h in HEADERS[10:37] if not h.startswith("13_")] + ["10_概要"]


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def _prefecture_block(**changes):
    answers = block(**changes)
    answers.pop("1-1")
    answers["1-2"] = 2
    return answers


# (case id, record, expected values by header; headers not listed are checked by the
# round trip only). One row per skip path and respondent type of survey-rules.md.
CASES = [
    (
        "municipality-longest-path",
        record(),
        {
            "制度等": "福祉・介護(介護保険)",
            "組織区分": "市区町村",
            "属性": "なし",
            "1-2": NA,
            "2": "③定める予定である（ 年 月）。",
            "2_予定年月": "2023年9月",
            "6_①": "○",
            "6_②": "○",
            "7-4_①": "○",
            "7-4_②": "",
            "7-4_③": "○",
            "7-4_④": "",
            "7-4_⑤": "",
            "8-1_概要": "複数職員で4情報を確認する",
            "10_概要": "2019年に1件",
            "13_①": NA,
            "13_②": NA,
            "13_③": NA,
            "情報未入力": "",
            "未回答": "",
            "回答責任者確認": "確認済",
            "確認日時": "2023-07-10 14:05",
        },
    ),
    (
        "q3-no-skips-4-5",
        record(answers=block(**{"3": 2, "4": None, "5": None})),
        {"3": "②求めていない。（Q6へ）", "4": NA, "5": NA, "6_①": "○", "7-1": "①取得している。", "未回答": ""},
    ),
    (
        "q5-always-skips-to-10",
        record(answers=block(**{"5": 1})),  # old answers of 6…9 are kept but not exported
        {
            **{h: NA for h in ("6_①", "6_②", "7-1", "7-2", "7-3", "7-4_①", "7-4_⑤", "8-1", "8-1_概要", "8-2", "9")},
            "10": "②事例はある。原因も特定されており、改善されている(概要を添付してください。)",
            "未回答": "",
        },
    ),
    (
        "q7-2-no-skips-to-9",
        record(answers=block(**{"7-2": 2})),
        {"7-2": "②紐付けを行わない。（Q9へ）", "7-3": NA, "7-4_①": NA, "8-1": NA, "8-1_概要": NA, "8-2": NA, "9": "①複数職員で確認している。"},
    ),
    (
        "q7-3-undecided-skips-7-4",
        record(answers=block(**{"7-3": 2, "7-4": None})),
        {"7-3": "②決めていない。", **{f"7-4_{c}": NA for c in "①②③④⑤"}, "8-1": "①組織で定めた別途の方法（※）に基づき対応している。（別途の方法の概要（マニュアルの有無、別途の方法で特定した場合の確認方法等）を記載のうえ補足資料があれば提出をお願いします。)"},
    ),
    (
        "q8-1-left-to-staff",
        record(answers=block(**{"8-1": 2, "8-1_概要": None, "8-2": None})),
        {"8-1_概要": NA, "8-2": NA, "未回答": ""},
    ),
    (
        "q2-no-plan-no-yearmonth-q10-none",
        record(answers=block(**{"2": 1, "2_予定年月": None, "10": 1, "10_概要": None})),
        {"2_予定年月": NA, "10_概要": NA, "未回答": ""},
    ),
    (
        "q6-neither-applies",
        record(answers=block(**{"6": []}), notes={"6": "none"}),
        {"6_①": "", "6_②": "", "未回答": ""},
    ),
    (
        "q6-empty-without-confirmation-is-unanswered",
        record(answers=block(**{"6": []})),
        {"6_①": "", "6_②": "", "未回答": "未回答あり"},
    ),
    (
        "member-13-1-answers-block",
        record(ORG_MEMBER, "14神奈川県相模原市(広域)", answers={**FULL_BLOCK, "13": [1]}),
        {"組織区分": "市区町村", "組織名": "14神奈川県相模原市(広域)", "13_①": "○", "13_②": "", "13_③": "", "1-1": "①該当の機能を導入している（Q2以降は上記以外の者（住登外者等）に対する調査としてご回答ください。）。", "1-2": NA},
    ),
    (
        "member-13-2-block-not-applicable",
        record(ORG_MEMBER, "14神奈川県愛川町(広域)", answers={**FULL_BLOCK, "13": [2]}),
        {"組織区分": "市区町村", "13_②": "○", **{h: NA for h in BLOCK_COLUMNS}, "未回答": ""},
    ),
    (
        "union-13-3-answers-block",
        record(ORG_UNION, "40福岡県介護保険広域連合", answers={**FULL_BLOCK, "13": [1, 3]}),
        {"組織区分": "広域連合等", "13_①": "○", "13_②": "", "13_③": "○", "1-2": NA, "2": "③定める予定である（ 年 月）。"},
    ),
    (
        "union-13-1-block-not-applicable",
        record(ORG_UNION, "40福岡県介護保険広域連合", answers={"13": [1]}),
        {"組織区分": "広域連合等", **{h: NA for h in BLOCK_COLUMNS}, "未回答": ""},
    ),
    (
        "prefecture-answers-1-2",
        record(ORG_PREFECTURE, "14神奈川県", answers=_prefecture_block()),
        {"組織区分": "都道府県", "1-1": NA, "1-2": "②上記機能を導入していない（業務システムを導入していない場合を含む。）。", "13_①": NA, "未回答": ""},
    ),
    (
        "unanswered-and-info-missing-unconfirmed",
        record(answers={"1-1": 2, "2": 1, "3": 1}, email="", confirmation={"status": "requested", "confirmed_at": "2023-07-10 14:05"}),
        {
            "メールアドレス": "",
            "1-1": "②上記機能を導入していない（業務システムを導入していない場合を含む。）。",
            "4": "",
            "5": "",
            "6_①": "",  # may still apply (5 unanswered): empty, never 対象外
            "7-3": "",
            "情報未入力": "情報未入力あり",
            "未回答": "未回答あり",
            "回答責任者確認": "未確認",
            "確認日時": "",
        },
    ),
    (
        "draft-without-confirmation",
        record(confirmation={}),
        {"回答責任者確認": "未確認", "確認日時": ""},
    ),
]


def _sheet_rows(data: bytes, sheet: str, data_only: bool = False):
    workbook = load_workbook(io.BytesIO(data), data_only=data_only)
    return workbook, [list(r) for r in workbook[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize(("record_", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_row_and_round_trip(survey, record_, expected):
    row = row_for(survey, record_)
    assert len(row) == len(HEADERS) == 42
    values = dict(zip(HEADERS, row))
    assert {h: values[h] for h in expected} == expected

    data = build_answer_workbook(survey, record_)
    workbook, rows = _sheet_rows(data, "一覧用")
    assert workbook.sheetnames[:2] == ["回答シート", "一覧用"]
    assert len(rows) == 2, "一覧用 holds row 1 headers and row 2 values, nothing else"
    assert tuple(rows[0]) == HEADERS
    assert [v if v is not None else "" for v in rows[1]] == row
    assert read_list_row(LAYOUT, data, "x.xlsx") == row


def test_headers_exactly():
    assert HEADERS == (
        "制度等", "組織区分", "属性", "組織名", "担当部署名", "回答責任者役職", "回答責任者氏名",
        "連絡先氏名", "電話番号", "メールアドレス", "1-1", "1-2", "2", "2_予定年月", "3", "4", "5",
        "6_①", "6_②", "7-1", "7-2", "7-3", "7-4_①", "7-4_②", "7-4_③", "7-4_④", "7-4_⑤",
        "8-1", "8-1_概要", "8-2", "9", "10", "11", "12", "13_①", "13_②", "13_③",
        "情報未入力", "未回答", "10_概要", "回答責任者確認", "確認日時",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("spelling", "header"),
    [
        ("6①", "6_①"),
        ("６＿①", "6_①"),
        ("Q6-①", "6_①"),
        ("7-4①", "7-4_①"),
        ("7－４⑤", "7-4_⑤"),
        ("Q7-4_③", "7-4_③"),
        ("13_①", "13_①"),
        ("13③", "13_③"),
        ("Q1-1", "1-1"),
        ("Ｑ１－２", "1-2"),
        ("1_1", "1-1"),
        ("Q2 予定年月", "2_予定年月"),
        ("予定年月", "2_予定年月"),
        ("8-1 概要", "8-1_概要"),
        ("Q10", "10"),
        ("１１", "11"),
        ("メール アドレス", "メールアドレス"),
        ("E-mail", "メールアドレス"),
        ("電話", "電話番号"),
        ("未回答あり", "未回答"),
        ("情報未入力あり", "情報未入力"),
        ("組織名 ", "組織名"),
    ],
)
def test_header_aliases(spelling, header):
    assert HEADERS[column_index(LAYOUT, spelling)] == header


@pytest.mark.parametrize("spelling", ["1", "6_③", "7-4_⑥", "14", "備考", "61"])
def test_unknown_headers_do_not_map(spelling):
    assert column_index(LAYOUT, spelling) is None, header_key(spelling)


FORMULA_LIKE = ["=SUM(A1)", "+81", "-1", "@x", "=1+1", "#N/A"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_reads_back_literally(survey, text):
    record_ = record(answers=block(**{"8-1_概要": text}), dept=text)
    data = build_answer_workbook(survey, record_)
    for data_only in (False, True):
        workbook = load_workbook(io.BytesIO(data), data_only=data_only)
        list_cells = {c.value: c for c in workbook["一覧用"][2] if c.value is not None}
        answer_cells = [c for r in workbook["回答シート"].iter_rows() for c in r if c.value == text]
        for cell in (list_cells[text], *answer_cells):
            assert cell.value == text and cell.data_type == "s"
        assert len(answer_cells) == 2  # 担当部署名 and the 8-1 概要 row
        assert workbook["一覧用"].cell(2, HEADERS.index("担当部署名") + 1).value == text
        assert workbook["一覧用"].cell(2, HEADERS.index("8-1_概要") + 1).value == text
    assert read_list_row(LAYOUT, data, "x.xlsx")[HEADERS.index("8-1_概要")] == text


def _choice_lists(workbook):
    """cell coordinate on 回答シート → list of allowed values."""
    choices = workbook["選択肢"]
    result = {}
    for validation in workbook["回答シート"].data_validations.dataValidation:
        formula = validation.formula1
        match = re.fullmatch(r"'?選択肢'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
        if match:
            column, first, _, last = match.groups()
            allowed = [choices[f"{column}{r}"].value for r in range(int(first), int(last) + 1)]
        else:
            allowed = formula.strip('"').split(",")
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            for coord in cell_range.cells:
                result[coord] = allowed
    return result


def _answer_rows(sheet):
    """項番 or option label (column A/B) → row number of the 回答 table."""
    rows, current = {}, None
    start = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "項番")
    for r in range(start + 1, sheet.max_row + 1):
        number, question = sheet.cell(r, 1).value, sheet.cell(r, 2).value
        if number:
            current = number
            rows[number] = r
        else:
            rows[f"{current}:{question}"] = r
    return rows


@pytest.mark.parametrize(
    "item_id",
    ["1-1", "1-2", "2", "3", "4", "5", "7-1", "7-2", "7-3", "8-1", "8-2", "9", "10", "11", "12"],
)
def test_single_choice_cells_validate_against_option_labels(survey, item_id):
    workbook = load_workbook(io.BytesIO(build_answer_workbook(survey, record())))
    sheet = workbook["回答シート"]
    assert workbook["選択肢"].sheet_state == "hidden"
    row = _answer_rows(sheet)[item_id]
    assert sheet.cell(row, 2).value == survey.item(item_id).sheet_text
    allowed = _choice_lists(workbook)[(row, 3)]
    assert allowed == [o.label for o in survey.item(item_id).options]


@pytest.mark.parametrize("item_id", ["6", "7-4", "13"])
def test_multi_select_rows_one_per_option_with_mark_list(survey, item_id):
    record_ = record(ORG_UNION, "40福岡県介護保険広域連合", answers={**FULL_BLOCK, "13": [2, 3]})
    workbook = load_workbook(io.BytesIO(build_answer_workbook(survey, record_)))
    sheet = workbook["回答シート"]
    rows = _answer_rows(sheet)
    lists = _choice_lists(workbook)
    item = survey.item(item_id)
    assert sheet.cell(rows[item_id], 2).value == item.sheet_text
    for option in item.options:
        r = rows[f"{item_id}:{item.sheet_option_label(option.number)}"]
        assert lists[(r, 3)] == ["○"]
        expected = "○" if option.number in record_.answers[item_id] else None
        assert sheet.cell(r, 3).value == expected


@pytest.mark.parametrize(
    ("record_", "present", "absent"),
    [
        (record(), ["回答責任者確認: 確認済（2023-07-10 14:05 相模 太郎）"], ["情報未入力あり", "未回答あり", "回答責任者確認: 未確認"]),
        (
            record(answers={"1-1": 1}, email="", confirmation={"status": "returned"}),
            ["情報未入力あり", "未回答あり", "回答責任者確認: 未確認"],
            ["回答責任者確認: 確認済"],
        ),
    ],
    ids=["complete-confirmed", "incomplete-unconfirmed"],
)
def test_answer_sheet_status_and_confirmation_lines(survey, record_, present, absent):
    _, rows = _sheet_rows(build_answer_workbook(survey, record_), "回答シート")
    column_a = [r[0] for r in rows]
    for text in present:
        assert text in column_a
    for text in absent:
        assert not any(str(v).startswith(text) for v in column_a if v)


SEED_FIELDS = [
    ("制度等", "福祉・介護(介護保険)", "◆リストから選択(厚労省で入力)"),
    ("組織区分", "市区町村", "◆リストから選択"),
    ("属性", "なし", "◆マイナポータル閲覧対象事務において、同制度内に、マイナンバーと紐付ける管理情報が複数ある場合等(厚労省で入力)"),
    ("組織名", "14神奈川県相模原市(広域)", "◆入力 ※自治体の場合は都道府県コード・都道府県名・市区町村名を空白を入れず入力。郡名は省略。(例:14神奈川県相模原市)"),
    ("担当部署名", "介護保険課", "◆入力"),
    ("回答責任者役職", "課長", "◆入力 ※課長級以上の役職の方が回答責任者となり、回答内容に担当者ごとのバラつきがないようにお願いいたします。"),
    ("回答責任者氏名", "相模 太郎", "◆入力"),
    ("連絡先氏名", "原 花子", "◆入力 ※不明点がある場合の問い合わせ先の記入をお願いいたします。"),
    ("電話番号", "042-754-1111", "◆入力"),
    ("メールアドレス", "kaigo@example.lg.jp", "◆入力"),
]


def test_answer_sheet_respondent_block_follows_the_seed(survey):
    record_ = record(ORG_MEMBER, "14神奈川県相模原市(広域)", answers={**FULL_BLOCK, "13": [1]})
    workbook, rows = _sheet_rows(build_answer_workbook(survey, record_), "回答シート")
    assert rows[0][0] == "マイナンバー情報連携関係実態調査 調査項目回答シート"
    start = [r[0] for r in rows].index("回答者情報") + 1
    assert [tuple(r[:3]) for r in rows[start : start + len(SEED_FIELDS)]] == SEED_FIELDS
    assert ("項番", "質問", "回答をリストから選択 (一部自由記載)") in [tuple(r[:3]) for r in rows]
    org_row = start + 2  # 1-based row of 組織区分 (after 制度等)
    assert _choice_lists(workbook)[(org_row, 2)] == ["都道府県", "市区町村", "広域連合等"]


def test_sheet_lists_items_in_seed_order_with_sub_items(survey):
    _, rows = _sheet_rows(build_answer_workbook(survey, record()), "回答シート")
    start = [r[0] for r in rows].index("項番") + 1
    numbers = [r[0] for r in rows[start:] if r[0]]
    assert numbers == ["1-1", "1-2", "2", "3", "4", "5", "6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-2", "9", "10", "11", "12", "13"]
    questions = [r[1] for r in rows[start:]]
    for sub_id, parent in [("2_予定年月", "2"), ("8-1_概要", "8-1")]:
        parent_row = next(i for i, r in enumerate(rows[start:]) if r[0] == parent)
        assert questions[parent_row + 1] == survey.item(sub_id).sheet_text


def test_no_attach_row_under_10_on_the_sheet_but_the_outline_is_in_the_list(survey):
    # issue 9 (10): the seed's answer sheet has no row under 10; the chat asks for the attachment.
    record_ = record()
    workbook, rows = _sheet_rows(build_answer_workbook(survey, record_), "回答シート")
    start = [r[0] for r in rows].index("項番") + 1
    after_10 = next(i for i, r in enumerate(rows[start:]) if r[0] == "10") + 1
    assert rows[start + after_10][0] == "11"
    assert not any("概要を添付してください。" == r[1] for r in rows)
    assert record_.answers["10_概要"] not in [r[2] for r in rows]
    assert read_list_row(LAYOUT, build_answer_workbook(survey, record_), "a.xlsx")[HEADERS.index("10_概要")] == record_.answers["10_概要"]


# issue 9 (10): option rows use the answer sheet's own wording (the seed's 回答シート table).
SHEET_OPTION_ROWS = {
    "6": ["①住基ネットの利用(J-LIS照会)により確認している。", "②組織内の住基システム等により確認している。"],
    "7-4": ["①漢字氏名", "②カナ氏名", "③生年月日", "④性別", "⑤住所"],
    "13": [
        "①構成市町村において紐付けを実施し、その情報が自動的に連携されている。 →構成市町村がQ1~12を回答してください",
        "②広域連合において住基ネット(J-LIS照会)へマイナンバーを照会し、広域連合において紐付けを実施している。 →広域連合がQ1~12を回答してください",
        "③広域連合において構成市町村へマイナンバーを照会し、広域連合において紐付けを実施している。 →構成市町村及び広域連合の双方がQ1~12を回答してください",
    ],
}


@pytest.mark.parametrize("item_id", list(SHEET_OPTION_ROWS))
def test_option_rows_use_the_answer_sheets_wording(survey, item_id):
    _, rows = _sheet_rows(build_answer_workbook(survey, record()), "回答シート")
    start = next(i for i, r in enumerate(rows) if r[0] == item_id) + 1
    assert [r[1] for r in rows[start : start + len(SHEET_OPTION_ROWS[item_id])]] == SHEET_OPTION_ROWS[item_id]


# --- the sheet prints (issue 9 (10)): A4 portrait, one page wide, borders, header repeated ---


def _answer_sheet(survey, record_):
    return load_workbook(io.BytesIO(build_answer_workbook(survey, record_)))["回答シート"]


def test_answer_sheet_page_setup(survey):
    sheet = _answer_sheet(survey, record())
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "portrait")  # A4 portrait
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)  # one page wide, as tall as needed
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "項番")
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.print_area == f"'回答シート'!$A$1:$C${sheet.max_row}"
    assert "&P" in sheet.oddFooter.center.text


def test_answer_table_cells_are_framed_and_wrapped(survey):
    sheet = _answer_sheet(survey, record())
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "項番")
    for row in range(header, sheet.max_row + 1):
        for column in (1, 2, 3):
            cell = sheet.cell(row, column)
            assert cell.border.left.style == cell.border.bottom.style == "thin", cell.coordinate
            assert cell.alignment.wrap_text, cell.coordinate


def test_long_rows_get_a_height_that_shows_their_text(survey):
    sheet = _answer_sheet(survey, record())
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "1-2")
    height = sheet.row_dimensions[row].height
    assert height and height >= 5 * 15  # 1-2's question wraps over five lines at least


def test_a_long_outline_goes_on_continuation_rows_that_each_fit_a_row(survey):
    outline = ("マニュアルあり。複数職員で4情報を確認し、確認した記録を残す。" * 100)[:2000]
    sheet = _answer_sheet(survey, record(answers={**FULL_BLOCK, "8-1": 1, "8-1_概要": outline}))
    first = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == survey.item("8-1_概要").sheet_text)
    rows = [first]
    while sheet.cell(rows[-1] + 1, 2).value == "（前の行の続き）":
        rows.append(rows[-1] + 1)
    assert len(rows) > 1
    assert "".join(sheet.cell(r, 3).value for r in rows) == outline
    assert all(sheet.row_dimensions[r].height <= 409 for r in rows)  # Excel's tallest row


@pytest.mark.parametrize(
    ("org_name", "file_name"),
    [
        ("14神奈川県相模原市", "【14神奈川県相模原市】2307 マイナンバー調査回答.xlsx"),
        ("14神奈川県相模原市(広域)", "【14神奈川県相模原市(広域)】2307 マイナンバー調査回答.xlsx"),
    ],
)
def test_answer_file_name(org_name, file_name):
    assert answer_file_name(SURVEY, org_name) == file_name


async def test_async_builder_gives_the_same_list_row(survey):
    record_ = record(confirmation=CONFIRMED)
    data = await build_answer_workbook_async(survey, record_)
    assert read_list_row(LAYOUT, data, "a.xlsx") == row_for(survey, record_)
