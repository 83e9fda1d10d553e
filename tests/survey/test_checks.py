"""The desk's checks, one row per rule, on the bot's answers and on hand-filled rows alike."""
from __future__ import annotations

import pytest

from bot.export.columns import row_for
from bot.export.record_reader import bot_entry, file_entry, record_from_list_row
from bot.messages import checks as msg
from bot.messages import survey as survey_msg
from bot.survey.checks import (
    KIND_DUPLICATE,
    KIND_FLAGS,
    KIND_NOT_APPLICABLE,
    KIND_ORG_NAME,
    KIND_PREFECTURE,
    KIND_RESPONDENT,
    KIND_TITLE,
    KIND_UNANSWERED,
    KIND_VALUE,
    check_entries,
    check_entry,
    rule_text,
)
from bot.survey.engine import load_survey
from tests.survey_2307 import HEADERS, ORG_MEMBER, ORG_UNION
from tests.export.records import FULL_BLOCK, block, record


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def file_row(rec=None, **changes: str):
    """A hand-filled file's entry: the bot's row for `rec`, with cells changed by hand."""
    survey = load_survey()
    cells = dict(zip(HEADERS, row_for(survey, rec or record())))
    cells.update(changes)
    read = record_from_list_row(survey, [cells[h] for h in HEADERS], filename="手入力.xlsx")
    return file_entry(read)


def found(survey, entry, prefecture="14"):
    return [(f.kind, f.item, f.value) for f in check_entry(survey, entry, prefecture)]


Q3_NO = "Q3 ②「求めていない。（Q6へ）」"
MARK = "○"

# (case, entry, expected (kind, item, value) in order, words expected in the first finding's rule)
CASES = [
    ("bot-complete", lambda: bot_entry(load_survey(), record()), [], ""),
    ("bot-stale-answers-after-q5-1", lambda: bot_entry(load_survey(), record(answers=block(**{"5": 1}))), [], ""),
    ("bot-member-block-out", lambda: bot_entry(load_survey(), record(ORG_MEMBER, "14神奈川県愛川町(広域)", answers={**FULL_BLOCK, "13": [2]})), [], ""),
    (
        "bot-unanswered",
        lambda: bot_entry(load_survey(), record(answers={"1-1": 2, "2": 1, "3": 1})),
        [(KIND_UNANSWERED, h, "") for h in ("Q4", "Q5", "Q10", "Q11", "Q12")],
        "別添の調査票の内容について御回答ください。",
    ),
    ("bot-title-below", lambda: bot_entry(load_survey(), record(title="係長")), [(KIND_TITLE, "回答責任者役職", "係長")], "課長級以上"),
    ("bot-title-unsure", lambda: bot_entry(load_survey(), record(title="主幹")), [(KIND_TITLE, "回答責任者役職", "主幹")], "課長級以上"),
    ("bot-other-prefecture", lambda: bot_entry(load_survey(), record(org_name="13東京都府中市")),
     [(KIND_PREFECTURE, "組織名", "13東京都府中市")], "管内市町村"),
    ("bot-city-not-in-prefecture", lambda: bot_entry(load_survey(), record(org_name="14神奈川県府中市")),
     [(KIND_PREFECTURE, "組織名", "14神奈川県府中市")], "管内市町村"),
    ("bot-empty-field", lambda: bot_entry(load_survey(), record(email="")), [(KIND_RESPONDENT, "メールアドレス", "")], "回答者情報"),
    ("file-complete", lambda: file_row(), [], ""),
    ("file-q4-after-q3-2", lambda: file_row(record(answers=block(**{"3": 2, "4": None, "5": None})), **{"4": "①事業主等から…"}),
     [(KIND_NOT_APPLICABLE, "Q4", "①事業主等から…")], Q3_NO),
    ("file-7-4-without-7-3-1", lambda: file_row(record(answers=block(**{"7-3": 2, "7-4": None})), **{"7-4_①": MARK, "7-4_⑤": MARK}),
     [(KIND_NOT_APPLICABLE, "Q7-4", "①⑤")], "【Q7-3において①と回答した場合】"),
    ("file-member-block-out", lambda: file_row(record(ORG_MEMBER, "14神奈川県愛川町(広域)", answers={"13": [2]}),
                                               **{"1-1": "①該当の機能", "3": "①求めている。", "6_①": MARK}),
     [(KIND_NOT_APPLICABLE, "Q1-1〜Q12", "")], "Q13で②に該当がある場合"),
    ("file-applicable-empty", lambda: file_row(**{"9": ""}),
     [(KIND_UNANSWERED, "Q9", ""), (KIND_FLAGS, "未回答", "")], "別添の調査票"),
    ("file-applicable-marked-na", lambda: file_row(**{"9": "対象外", "未回答": "未回答あり"}), [(KIND_UNANSWERED, "Q9", "対象外")], "別添の調査票"),
    ("file-two-marks", lambda: file_row(**{"9": "①④"}), [(KIND_VALUE, "Q9", "①④")], "エクセルの入力規則"),
    ("file-not-an-option", lambda: file_row(**{"4": "④"}), [(KIND_VALUE, "Q4", "④")], "エクセルの入力規則"),
    ("file-bad-mark", lambda: file_row(**{"7-4_②": "×"}), [(KIND_VALUE, "Q7-4", "×")], "(該当箇所全てに「○」を入れてください)"),
    ("file-sub-item-empty", lambda: file_row(**{"2_予定年月": "", "未回答": "未回答あり"}),
     [(KIND_UNANSWERED, "Q2 予定年月", "")], "③を選択の場合、予定年月を記載してください。"),
    ("file-yearmonth-not-a-date", lambda: file_row(**{"2_予定年月": "未定"}), [(KIND_VALUE, "Q2 予定年月", "未定")], "予定年月を記載"),
    ("file-org-name-gun", lambda: file_row(record(org_name="14神奈川県中井町"), **{"組織名": "14神奈川県足柄上郡中井町"}),
     [(KIND_ORG_NAME, "組織名", "14神奈川県足柄上郡中井町")], "郡名は省略"),
    ("file-org-name-unknown-form", lambda: file_row(**{"組織名": "相模原市"}), [(KIND_ORG_NAME, "組織名", "相模原市")], "都道府県コード"),
    ("file-org-name-one-digit", lambda: file_row(record(org_name="01北海道札幌市"), **{"組織名": "1北海道札幌市"}),
     [(KIND_ORG_NAME, "組織名", "1北海道札幌市"), (KIND_PREFECTURE, "組織名", "1北海道札幌市")], "都道府県コード"),
    ("file-union-name-not-checked-against-list", lambda: file_row(record(ORG_UNION, "14神奈川県介護保険組合", answers={"13": [1]})), [], ""),
    ("file-union-named-as-a-city", lambda: file_row(record(ORG_UNION, "14神奈川県相模原市", answers={"13": [1]})),
     [(KIND_ORG_NAME, "組織名", "14神奈川県相模原市")], "都道府県コード"),
    ("file-union-named-as-a-section", lambda: file_row(record(ORG_UNION, "14神奈川県介護保険課", answers={"13": [1]})),
     [(KIND_ORG_NAME, "組織名", "14神奈川県介護保険課")], "都道府県コード"),
    ("file-title-below", lambda: file_row(**{"回答責任者役職": "課長補佐"}), [(KIND_TITLE, "回答責任者役職", "課長補佐")], "課長級以上"),
    ("file-phone-invalid", lambda: file_row(**{"電話番号": "内線"}), [(KIND_RESPONDENT, "電話番号", "内線")], "回答者情報"),
    ("file-info-flag-wrong", lambda: file_row(**{"情報未入力": "情報未入力あり"}), [(KIND_FLAGS, "情報未入力", "情報未入力あり")], "関数"),
    ("file-unanswered-flag-missing", lambda: file_row(record(answers=block(**{"12": None})), **{"未回答": ""}),
     [(KIND_UNANSWERED, "Q12", ""), (KIND_FLAGS, "未回答", "")], "別添の調査票"),
]


@pytest.mark.parametrize(("make", "expected", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check(survey, make, expected, words):
    entry = make()
    findings = check_entry(survey, entry, "14")
    assert [(f.kind, f.item, f.value) for f in findings] == expected
    if expected:
        assert words in findings[0].rule
        assert all(f.rule and f.problem and f.org == entry.org for f in findings)


def test_file_problems_carry_the_engines_reason(survey):
    [finding] = check_entry(survey, file_row(**{"9": "①④"}), "14")
    assert finding.problem.startswith(survey_msg.ONE_ONLY) and finding.severity == msg.FIX
    assert finding.source == "手入力.xlsx"


def test_city_elsewhere_is_named(survey):
    [finding] = check_entry(survey, bot_entry(survey, record(org_name="14神奈川県府中市")), "14")
    assert finding.problem == "「府中市」は神奈川県の市区町村にありません（東京都・広島県にあります）。"


def test_rule_words_in_force_follow_the_answers(survey):
    assert rule_text(survey, "8-1", {"5": 1}) == "Q5 ①「必ず上記方法により取得しており、確認書類が揃わないこと等によりマイナンバーを取得できない場合は紐付けない。（Q10へ）」"
    assert rule_text(survey, "8-1", {"5": 2, "7-2": 2}) == "Q7-2 ②「紐付けを行わない。（Q9へ）」"
    assert "／" in rule_text(survey, "8-1", {})


def test_duplicates_keep_the_newer_and_name_both(survey):
    older = bot_entry(survey, record(title="係長"), updated="2023-07-10 10:00")
    newer = file_row(**{"回答責任者役職": "介護保険課長"})
    newer.updated = "2023-07-11 09:00"
    other = bot_entry(survey, record(org_name="14神奈川県厚木市"), updated="2023-07-01")
    checked = check_entries(survey, [older, newer, other], "14")
    assert [e.source for e in checked.kept] == ["手入力.xlsx", msg.FROM_BOT]
    [duplicate] = [f for f in checked.findings if f.kind == KIND_DUPLICATE]
    assert duplicate.org == "14神奈川県相模原市"
    assert "ボットの回答" in duplicate.problem and "手入力.xlsx" in duplicate.problem
    assert not any(f.kind == KIND_TITLE for f in checked.findings)  # the dropped row is not checked
    assert checked.counts() == {KIND_DUPLICATE: 1}


def test_duplicates_with_equal_times_keep_the_later_row(survey):
    first = bot_entry(survey, record())
    second = file_row()
    checked = check_entries(survey, [first, second], "14")
    assert [e.source for e in checked.kept] == ["手入力.xlsx"]


def test_findings_grouped_by_org(survey):
    checked = check_entries(
        survey,
        [bot_entry(survey, record(title="係長")), bot_entry(survey, record(org_name="14神奈川県厚木市", email=""))],
        "14",
    )
    assert sorted(checked.by_org()) == ["14神奈川県厚木市", "14神奈川県相模原市"]
