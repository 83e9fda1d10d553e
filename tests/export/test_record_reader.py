"""Workbook / list row -> AnswerRecord with problems: round trips, each item type, each refusal."""
from __future__ import annotations

import copy
import io

import pytest
from openpyxl import Workbook, load_workbook

from bot.export.answer_workbook import build_answer_workbook
from bot.export.columns import row_for
from bot.export.list_reader import ListFileError
from bot.export.record_reader import (
    Change,
    ConfirmedAnswerError,
    import_changes,
    importable,
    merge_import,
    read_answer_workbook,
    record_from_cells,
    record_from_list_row,
)
from bot.messages import checks as msg
from bot.messages import export as export_msg
from bot.messages import respondent as respondent_msg
from bot.messages import survey as survey_msg
from bot.survey.engine import load_survey
from bot.survey.model import Confirmation, ConfirmationStatus
from tests.survey_2307 import HEADERS, ORG_MEMBER, ORG_MUNICIPALITY, ORG_UNION
from tests.export.records import RESPONDENT, block, record
from tests.export.test_answer_workbook import CASES


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def exported(survey, rec):
    """What a record's export shows: answers of items that are not 対象外, no empty fields."""
    flags = survey.applicability(rec.org_type, rec.answers)
    answers = {
        k: v for k, v in rec.answers.items()
        if flags[k] is not False and not (v == [] and rec.notes.get(k) != "none")
    }
    return {k: v for k, v in rec.respondent.items() if v}, answers, rec.notes


def _without_sheet(data: bytes, name: str) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    del workbook[name]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOORS = ["workbook", "list-sheet-only", "answer-sheet-only", "list-row"]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(("rec", "_expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bot_workbook_round_trips(survey, rec, _expected, door):
    data = build_answer_workbook(survey, rec)
    if door == "list-row":
        read = record_from_list_row(survey, row_for(survey, rec))
    elif door == "list-sheet-only":
        read = read_answer_workbook(survey, _without_sheet(data, "回答シート"), "x.xlsx")
    elif door == "answer-sheet-only":
        read = read_answer_workbook(survey, _without_sheet(data, "一覧用"), "x.xlsx")
    else:
        read = read_answer_workbook(survey, data, "x.xlsx")
    respondent, answers, notes = exported(survey, rec)
    if door == "answer-sheet-only":
        # Items the 回答シート has no row for (10_概要: sent as an attachment) live in 一覧用 only.
        off_sheet = {item.id for item in survey.items if not item.on_sheet}
        answers = {k: v for k, v in answers.items() if k not in off_sheet}
        rec = copy.deepcopy(rec)
        rec.answers = {k: v for k, v in rec.answers.items() if k not in off_sheet}
    if door in ("list-sheet-only", "list-row") and rec.notes.get("6") == "none" and row_for(survey, rec)[38]:
        pytest.skip("a row alone cannot tell 6 'neither applies' from unanswered when 未回答 is set")
    assert read.problems == []
    assert read.record.respondent == respondent
    assert read.record.answers == answers
    assert read.record.notes == notes
    assert read.record.confirmation == Confirmation()  # a file never confirms
    if door != "answer-sheet-only":
        assert read.claimed_confirmation == (
            Confirmation(ConfirmationStatus.CONFIRMED, confirmed_at=rec.confirmation.confirmed_at)
            if rec.confirmed else Confirmation()
        )
    read.record.confirmation = rec.confirmation
    assert row_for(survey, read.record) == row_for(survey, rec)


def _cells(**values: str) -> dict[str, str]:
    cells = dict(zip(HEADERS, row_for(load_survey(), record())))
    cells.update(values)
    return cells


ONE_ONLY = survey_msg.ONE_ONLY
# (case, cells changed, answers expected (item -> value, None = absent), problems (header, value, reason start))
MAPPING = [
    ("single-label", {"2": "②定めていない。", "2_予定年月": "対象外"}, {"2": 2}, []),
    ("single-digit", {"2": "2", "2_予定年月": ""}, {"2": 2}, []),
    ("single-full-width", {"2": "２", "2_予定年月": ""}, {"2": 2}, []),
    ("single-wording", {"2": "定めている。", "2_予定年月": ""}, {"2": 1}, []),
    ("single-first-character", {"2": "②定めてない", "2_予定年月": ""}, {"2": 2}, []),
    ("single-sheet-wording-13", {"13_①": "", "12": "③その他の方法"}, {"12": 3}, []),
    ("single-two-marks", {"2": "①②", "2_予定年月": ""}, {"2": None}, [("2", "①②", ONE_ONLY)]),
    ("single-two-marks-separated", {"9": "①、④"}, {"9": None}, [("9", "①、④", ONE_ONLY)]),
    ("single-two-digits", {"9": "1,4"}, {"9": None}, [("9", "1,4", ONE_ONLY)]),
    ("single-not-an-option", {"4": "⑤"}, {"4": None}, [("4", "⑤", "「⑤」という選択肢はありません。")]),
    ("single-mark", {"4": "○"}, {"4": None}, [("4", "○", "「○」という選択肢はありません。")]),
    ("single-option-wording-with-circled", {"5": "②①以外の方法により取得している。"}, {"5": 2}, []),
    ("multi-marks", {"7-4_①": "", "7-4_②": "〇", "7-4_③": "1", "7-4_⑤": "✓"}, {"7-4": [2, 3, 5]}, []),
    ("multi-bad-mark", {"7-4_④": "×"}, {"7-4": [1, 3]}, [("7-4_④", "×", "「×」は印として読めません。")]),
    ("multi-none-marked-6", {"6_①": "", "6_②": ""}, {"6": []}, []),
    ("multi-none-marked-6-unanswered", {"6_①": "", "6_②": "", "未回答": "未回答あり"}, {"6": None}, []),
    ("yearmonth-era", {"2_予定年月": "令和5年9月"}, {"2_予定年月": "2023年9月"}, []),
    ("yearmonth-date-cell", {"2_予定年月": "2023-09-01 00:00"}, {"2_予定年月": "2023年9月"}, []),
    ("yearmonth-slash", {"2_予定年月": "2023/9"}, {"2_予定年月": "2023年9月"}, []),
    ("yearmonth-not-a-date", {"2_予定年月": "来年度"}, {"2_予定年月": None}, [("2_予定年月", "来年度", survey_msg.YEARMONTH_FORMAT)]),
    ("yearmonth-bad-month", {"2_予定年月": "2023年13月"}, {"2_予定年月": None}, [("2_予定年月", "2023年13月", survey_msg.MONTH_RANGE)]),
    ("text-too-long", {"8-1_概要": "あ" * 2001}, {"8-1_概要": None}, [("8-1_概要", "あ" * 2001, "2000文字以内")]),
    ("text-formula-like", {"8-1_概要": "=SUM(A1)"}, {"8-1_概要": "=SUM(A1)"}, []),
]


@pytest.mark.parametrize(("changes", "answers", "problems"), [m[1:] for m in MAPPING], ids=[m[0] for m in MAPPING])
def test_cell_mapping(survey, changes, answers, problems):
    rec, found = record_from_cells(survey, _cells(**changes))
    for item_id, value in answers.items():
        assert rec.answers.get(item_id) == value, item_id
    assert [(p.item, p.value) for p in found] == [(h, v) for h, v, _ in problems]
    for problem, (_, _, reason) in zip(found, problems):
        assert problem.reason.startswith(reason) or reason in problem.reason


# (case, 回答者情報 cells changed, respondent expected (key -> value, None = absent), problem headers)
RESPONDENT_MAPPING = [
    ("as-stored", {}, {"org_type": ORG_MUNICIPALITY, "org_name": "14神奈川県相模原市", "phone": "042-754-1111"}, []),
    ("member-by-kouiki", {"組織名": "14神奈川県愛川町(広域)"}, {"org_type": ORG_MEMBER, "org_name": "14神奈川県愛川町(広域)"}, []),
    ("member-full-width-kouiki", {"組織名": "14神奈川県愛川町（広域）"}, {"org_type": ORG_MEMBER, "org_name": "14神奈川県愛川町(広域)"}, []),
    ("union", {"組織区分": "広域連合等", "組織名": "40福岡県介護保険広域連合"}, {"org_type": ORG_UNION}, []),
    ("gun-kept-as-typed", {"組織名": "14神奈川県足柄上郡中井町"}, {"org_name": "14神奈川県足柄上郡中井町"}, []),
    ("unknown-org-name-form", {"組織名": "相模原市役所"}, {"org_name": None}, ["組織名"]),
    ("wrong-code", {"組織名": "13神奈川県相模原市"}, {"org_name": None}, ["組織名"]),
    ("unknown-org-type", {"組織区分": "町内会"}, {"org_type": None}, ["組織区分"]),
    ("title-below-refused", {"回答責任者役職": "係長"}, {"title": None}, ["回答責任者役職"]),
    ("title-unsure-kept-for-the-question", {"回答責任者役職": "システム管理者"}, {"title": "システム管理者"}, []),
    ("phone-kept-as-typed", {"電話番号": "０４２（７５４）１１１１"}, {"phone": "042（754）1111"}, []),
    ("phone-invalid", {"電話番号": "内線のみ"}, {"phone": None}, ["電話番号"]),
    ("email-invalid", {"メールアドレス": "kaigo@"}, {"email": None}, ["メールアドレス"]),
    ("empty-field", {"担当部署名": ""}, {"dept": None}, []),
]


@pytest.mark.parametrize(("changes", "expected", "headers"), [m[1:] for m in RESPONDENT_MAPPING], ids=[m[0] for m in RESPONDENT_MAPPING])
def test_respondent_mapping(survey, changes, expected, headers):
    rec, found = record_from_cells(survey, _cells(**changes))
    for key, value in expected.items():
        assert rec.respondent.get(key) == value, key
    assert [p.item for p in found] == headers


def test_unknown_org_name_reason_is_the_respondent_check(survey):
    _, found = record_from_cells(survey, _cells(**{"組織名": "相模原市役所"}))
    assert found[0].reason == respondent_msg.ORG_NAME_NO_PREFECTURE


def _sheet_bytes(rows, sheets=("回答シート",)) -> bytes:
    workbook = Workbook()
    workbook.active.title = sheets[0]
    for row in rows:
        workbook.active.append(list(row))
    for name in sheets[1:]:
        workbook.create_sheet(name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A hand-made 回答シート: shifted one column, Q-prefixed numbers, marks typed in the item's
# own cell, the template's option texts left in a multi item's cell, a repeated header.
HAND_SHEET = [
    (None, "マイナンバー情報連携関係実態調査 調査項目回答シート"),
    (None, "回答者情報"),
    (None, "制度等", "福祉・介護(介護保険)", "◆リストから選択(厚労省で入力)"),
    (None, "組織区分", "市区町村", "◆リストから選択"),
    (None, "組織名", "14神奈川県中井町", "◆入力"),
    (None, "担当部署名", "健康課", "◆入力"),
    (None, "回答責任者役職", "健康課長", "◆入力"),
    (None, "回答責任者氏名", "中井 一郎"),
    (None, "連絡先氏名", None, "◆入力 ※不明点がある場合の問い合わせ先の記入をお願いいたします。"),
    (None, "電話番号", "0465-81-1111"),
    (None, "メールアドレス", "kenko@example.lg.jp"),
    (None, "情報未入力あり"),
    (None, "項番", "質問", "回答をリストから選択 (一部自由記載)"),
    (None, "Q1-1", "(市町村の場合のみ回答) …", "②上記機能を導入していない"),
    (None, "1-2", "(都道府県の場合のみ回答) …", "対象外"),
    (None, "2", "マニュアル", "③定める予定である（ 年 月）。"),
    (None, None, "③を選択の場合、予定年月を記載してください。", "R6.4"),
    (None, "3", "…", "②求めていない。（Q6へ）"),
    (None, "6", "…", "①住基ネットの利用(J-LIS照会)により確認している。 ②組織内の住基システム等により確認している。"),
    (None, None, "①住基ネットの利用(J-LIS照会)により確認している。", "○"),
    (None, None, "②組織内の住基システム等により確認している。", None),
    (None, "7-1", "…", "①取得している。"),
    (None, "7-2", "…", "①"),
    (None, "7-3", "…", "①決めている。"),
    (None, "7-4", "…", "②③⑤"),
    (None, "項番", "質問", "回答をリストから選択 (一部自由記載)"),
    (None, "8-1", "…", "②具体的に定めた方法はなく、担当者に事実上任されている。(Q9へ)"),
    (None, None, "①を選択の場合、「別途の方法」の概要を記載してください。 (マニュアルの有無、別途の方法で特定した場合の確認方法等)", None),
    (None, "9", "…", "④特に記録を残したり、別の職員が確認したりしていない。"),
    (None, "10", "…", "①事例はない。"),
    (None, "11", "…", "③紐付けは行っていない。"),
    (None, "12", "…", "③その他"),
]


def test_hand_made_answer_sheet(survey):
    read = read_answer_workbook(survey, _sheet_bytes(HAND_SHEET), "【14神奈川県中井町】.xlsx")
    assert read.sheet == "回答シート" and read.problems == []
    assert read.record.respondent == {
        "org_type": ORG_MUNICIPALITY, "org_name": "14神奈川県中井町", "dept": "健康課", "title": "健康課長",
        "responsible_name": "中井 一郎", "phone": "0465-81-1111", "email": "kenko@example.lg.jp",
    }
    assert read.record.answers == {
        "1-1": 2, "2": 3, "2_予定年月": "2024年4月", "3": 2, "6": [1], "7-1": 1, "7-2": 1, "7-3": 1,
        "7-4": [2, 3, 5], "8-1": 2, "9": 4, "10": 1, "11": 3, "12": 3,
    }
    assert read.cells["情報未入力"] == "情報未入力あり"
    assert (read.field_count, read.answer_count) == (7, 14)


def test_sheets_that_disagree_name_both_values(survey):
    rec = record()
    data = build_answer_workbook(survey, rec)
    workbook = load_workbook(io.BytesIO(data))
    workbook["一覧用"].cell(2, HEADERS.index("9") + 1).value = "④特に記録を残したり、別の職員が確認したりしていない。"
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = read_answer_workbook(survey, buffer.getvalue(), "x.xlsx")
    assert read.record.answers["9"] == 1  # the 回答シート, where people type
    assert [(p.item, p.value) for p in read.problems] == [("9", "①複数職員で確認している。")]
    assert "④特に記録を残したり" in read.problems[0].reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a workbook", export_msg.NOT_A_ZIP),
        (_sheet_bytes([("a", "b")], sheets=("Sheet1",)), msg.NO_ANSWER_SHEET.format(answer="回答シート", list="一覧用")),
        (_sheet_bytes([("回答者情報",)], sheets=("回答シート",)), msg.NO_ANSWER_SHEET.format(answer="回答シート", list="一覧用")),
    ],
    ids=["not-a-zip", "neither-sheet", "empty-answer-sheet"],
)
def test_unreadable_files_say_why(survey, data, reason):
    with pytest.raises(ListFileError) as raised:
        read_answer_workbook(survey, data, "x.xlsx")
    assert raised.value.reason == reason


def test_list_sheet_with_missing_headers_falls_back_to_the_answer_sheet(survey):
    data = build_answer_workbook(survey, record())
    workbook = load_workbook(io.BytesIO(data))
    workbook["一覧用"].delete_cols(11, 5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = read_answer_workbook(survey, buffer.getvalue(), "x.xlsx")
    assert read.sheet == "回答シート" and read.problems == []
    assert read.record.answers["1-1"] == 1


# (case, org type, org name, answers as found, dropped items, words in the reason)
IMPORTS = [
    ("7-4-without-7-3-1", ORG_MUNICIPALITY, "14神奈川県相模原市", block(**{"7-3": 2}), ["7-4"], "【Q7-3において①と回答した場合】"),
    ("q4-after-q3-2", ORG_MUNICIPALITY, "14神奈川県相模原市", block(**{"3": 2}), ["4", "5"], "Q3 ②「求めていない。（Q6へ）」"),
    ("member-block-out", ORG_MEMBER, "14神奈川県愛川町(広域)", {"13": [2], "1-1": 1, "3": 1},
     ["1-1", "3"], "Q13で①に該当がある場合"),
    ("nothing-to-drop", ORG_MUNICIPALITY, "14神奈川県相模原市", block(), [], ""),
]


@pytest.mark.parametrize(("org_type", "org_name", "answers", "dropped", "words"), [c[1:] for c in IMPORTS], ids=[c[0] for c in IMPORTS])
def test_import_drops_answers_to_not_applicable_items(survey, org_type, org_name, answers, dropped, words):
    rec = record(org_type, org_name, answers=answers)
    read = record_from_list_row(survey, [_shown(survey, rec, h) for h in HEADERS])
    taken, problems = importable(survey, read)
    assert [p.item for p in problems] == dropped
    assert all(words in p.reason and p.reason.endswith("この値は取り込みません。") for p in problems)
    assert not set(dropped) & set(taken.answers)
    assert read.record.answers.keys() >= set(dropped)  # the read record itself is untouched


def _shown(survey, rec, header):
    """A hand-filled row that writes every answer, applicable or not."""
    row = dict(zip(HEADERS, row_for(survey, rec)))
    base = header.split("_")[0] if "_" in header and header[-1] in "①②③④⑤" else header
    if row[header] == "対象外" and base in rec.answers:
        value = rec.answers[base]
        if isinstance(value, list):
            return "○" if "①②③④⑤".index(header[-1]) + 1 in value else ""
        return survey.format_value(base, value)
    return row[header]


def test_fields_and_answers_counted(survey):
    read = record_from_list_row(survey, row_for(survey, record(dept="")))
    assert read.field_count == len(RESPONDENT) - 1
    assert read.answer_count == len(block())


# -- an import into an existing answer ---------------------------------------------------------


def test_import_changes_item_by_item(survey):
    current = record(answers={"1-1": 1, "2": 1, "3": 1}, confirmation={}, dept="介護課")
    incoming = record(answers={"1-1": 1, "2": 3, "2_予定年月": "2024年4月", "6": []}, notes={"6": "none"}, confirmation={})
    incoming.respondent.pop("phone")
    assert import_changes(survey, current, incoming) == [
        Change("dept", "担当部署名", "介護課", "介護保険課"),
        Change("2", "Q2", "①定めている。", "③定める予定である（ 年 月）。"),
        Change("2_予定年月", "Q2 予定年月", "", "2024年4月"),
        Change("6", "Q6", "", "該当なし"),
    ]


@pytest.mark.parametrize(
    ("fill_gaps_only", "answers", "dept"),
    [
        (False, {"1-1": 1, "2": 3, "2_予定年月": "2024年4月", "3": 1}, "介護保険課"),
        (True, {"1-1": 1, "2": 1, "2_予定年月": "2024年4月", "3": 1}, "介護課"),
    ],
    ids=["take-the-files", "fill-gaps-only"],
)
def test_merge_import(fill_gaps_only, answers, dept):
    current = record(answers={"1-1": 1, "2": 1, "3": 1}, confirmation={}, dept="介護課")
    incoming = record(answers={"2": 3, "2_予定年月": "2024年4月"}, confirmation={})
    merged = merge_import(current, incoming, fill_gaps_only)
    assert merged.answers == answers  # nothing the file lacks is removed
    assert merged.respondent["dept"] == dept
    assert current.answers == {"1-1": 1, "2": 1, "3": 1}  # the current record is untouched


def test_confirmed_answer_is_never_overwritten():
    with pytest.raises(ConfirmedAnswerError):
        merge_import(record(), record(answers={"2": 2}), fill_gaps_only=True)
