"""The engine: skip rules, asking order, status, changes after edits, texts."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.messages import survey as msg
from bot.survey.engine import load_survey
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION

MUNI, MEMBER, UNION, PREF = ORG_MUNICIPALITY, ORG_MEMBER, ORG_UNION, ORG_PREFECTURE
BLOCK = [
    "1-1", "1-2", "2", "2_予定年月", "3", "4", "5", "6", "7-1", "7-2", "7-3", "7-4",
    "8-1", "8-1_概要", "8-2", "9", "10", "10_概要", "11", "12",
]
RESPONDENT = {
    "org_type": MUNI, "org_name": "14神奈川県相模原市", "dept": "介護保険課", "title": "課長",
    "responsible_name": "山田太郎", "contact_name": "鈴木花子", "phone": "042-000-0000",
    "email": "a@example.jp",
}


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def walk(survey, org, script: dict) -> list[str]:
    """Answer whatever the engine asks from `script`; the ids in the order asked."""
    answers: dict = {}
    asked: list[str] = []
    while (item := survey.next_item(org, answers)) is not None:
        assert item.id not in asked, f"{item.id} asked twice"
        asked.append(item.id)
        assert item.id in script, f"asked {item.id}, which the script does not expect"
        answers[item.id] = script[item.id]
    return asked


# -- survey-rules.md skip table, one row per rule ---------------------------------

# (item, answers, applies) for a 市区町村 (the block always applies).
SKIP_TABLE = [
    ("1-1", {}, True),
    ("2", {}, True), ("3", {}, True), ("10", {}, True), ("11", {}, True), ("12", {}, True),
    ("4", {"3": 1}, True), ("4", {"3": 2}, False),
    ("5", {"3": 1}, True), ("5", {"3": 2}, False),
    *[(i, {"3": 1, "5": 1}, False) for i in ("6", "7-1", "7-2", "9")],
    *[(i, {"3": 1, "5": 2}, True) for i in ("6", "7-1", "7-2", "9")],
    *[(i, {"3": 2}, True) for i in ("6", "7-1", "7-2", "9")],
    *[(i, {"3": 2, "5": 1}, True) for i in ("6", "7-1", "7-2", "9")],  # stale 5 is ignored
    *[(i, {"3": 1}, False) for i in ("6", "7-1", "7-2", "9")],  # not yet: 5 is asked first
    ("7-3", {"3": 2, "7-2": 1}, True), ("7-3", {"3": 2, "7-2": 2}, False),
    ("7-3", {"3": 1, "5": 1, "7-2": 1}, False),  # 7-2 itself does not apply
    ("7-4", {"3": 2, "7-2": 1, "7-3": 1}, True), ("7-4", {"3": 2, "7-2": 1, "7-3": 2}, False),
    ("7-4", {"3": 2, "7-2": 2, "7-3": 1}, False),  # 7-3 does not apply
    ("8-1", {"3": 2, "7-2": 1}, True), ("8-1", {"3": 2, "7-2": 2}, False),
    ("8-1", {"3": 1, "5": 1, "7-2": 1}, False),
    ("8-2", {"3": 2, "7-2": 1, "8-1": 1}, True),
    ("8-2", {"3": 2, "7-2": 1, "8-1": 2}, False), ("8-2", {"3": 2, "7-2": 1, "8-1": 3}, False),
    ("8-2", {"3": 2, "7-2": 2, "8-1": 1}, False),  # 8-1 does not apply
    ("2_予定年月", {"2": 3}, True), ("2_予定年月", {"2": 1}, False),
    ("2_予定年月", {"2": 2}, False), ("2_予定年月", {"2": 4}, False),
    ("8-1_概要", {"3": 2, "7-2": 1, "8-1": 1}, True),
    ("8-1_概要", {"3": 2, "7-2": 1, "8-1": 2}, False),
    ("8-1_概要", {"3": 2, "7-2": 2, "8-1": 1}, False),
    ("10_概要", {"10": 1}, False), ("10_概要", {"10": 2}, True),
    ("10_概要", {"10": 3}, True), ("10_概要", {"10": 4}, True),
]


@pytest.mark.parametrize("item_id,answers,applies", SKIP_TABLE)
def test_skip_table(survey, item_id, answers, applies) -> None:
    assert survey.is_applicable(item_id, MUNI, answers) is applies


# -- respondent types -------------------------------------------------------------

@pytest.mark.parametrize(
    "org,answers,expected",
    [
        (MUNI, {}, {"1-1": True, "1-2": False, "13": False, "2": True}),
        (PREF, {}, {"1-1": False, "1-2": True, "13": False, "2": True}),
        (MEMBER, {}, {"13": True, "1-1": False, "2": False}),  # not until 13 is answered
        (MEMBER, {"13": [1]}, {"13": True, "1-1": True, "1-2": False, "2": True}),
        (MEMBER, {"13": [2]}, {"1-1": False, "2": False, "12": False}),
        (MEMBER, {"13": [3]}, {"1-1": True, "2": True}),
        (MEMBER, {"13": [1, 2]}, {"1-1": True, "2": True}),
        (UNION, {"13": [1]}, {"13": True, "1-1": False, "2": False, "12": False}),
        (UNION, {"13": [2]}, {"1-1": True, "1-2": False, "2": True}),
        (UNION, {"13": [3]}, {"1-1": True, "2": True}),
        (UNION, {"13": [1, 2]}, {"1-1": True, "2": True}),
        (None, {}, {"13": False, "1-1": False, "2": False}),
    ],
)
def test_respondent_types(survey, org, answers, expected) -> None:
    got = {item_id: survey.is_applicable(item_id, org, answers) for item_id in expected}
    assert got == expected


# -- "Qn へ" jumps: the item asked right after the answer --------------------------

@pytest.mark.parametrize(
    "answers,after",
    [
        ({"1-1": 2, "2": 1, "3": 2}, "6"),  # 3=② → Q6へ
        ({"1-1": 2, "2": 1, "3": 1, "4": 1, "5": 1}, "10"),  # 5=① → Q10へ
        ({"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 1, "7-2": 2}, "9"),  # 7-2=② → Q9へ
        ({"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 1, "7-2": 1, "7-3": 2, "8-1": 2}, "9"),
        ({"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 1, "7-2": 1, "7-3": 2, "8-1": 3}, "9"),
        ({"1-1": 2, "2": 3}, "2_予定年月"),
        ({"1-1": 2, "2": 2}, "3"),
    ],
)
def test_jumps(survey, answers, after) -> None:
    assert survey.next_item(MUNI, answers).id == after


# -- whole walks --------------------------------------------------------------------

FULL = {
    "1-1": 1, "1-2": 1, "2": 3, "2_予定年月": "2023年9月", "3": 2, "4": 1, "5": 2, "6": [1, 2],
    "7-1": 1, "7-2": 1, "7-3": 1, "7-4": [1, 3], "8-1": 1, "8-1_概要": "x", "8-2": 1,
    "9": 1, "10": 2, "10_概要": "y", "11": 1, "12": 3,
}


@pytest.mark.parametrize(
    "org,script,expected",
    [
        (MUNI, FULL, ["1-1", "2", "2_予定年月", "3", "6", "7-1", "7-2", "7-3", "7-4", "8-1",
                      "8-1_概要", "8-2", "9", "10", "10_概要", "11", "12"]),
        (PREF, FULL, ["1-2", "2", "2_予定年月", "3", "6", "7-1", "7-2", "7-3", "7-4", "8-1",
                      "8-1_概要", "8-2", "9", "10", "10_概要", "11", "12"]),
        (MUNI, {**FULL, "2": 1, "3": 1, "5": 1, "10": 1},
         ["1-1", "2", "3", "4", "5", "10", "11", "12"]),
        (MUNI, {**FULL, "3": 1, "4": 3, "5": 2, "7-2": 2, "10": 1},
         ["1-1", "2", "2_予定年月", "3", "4", "5", "6", "7-1", "7-2", "9", "10", "11", "12"]),
        (MUNI, {**FULL, "7-3": 2, "8-1": 2},
         ["1-1", "2", "2_予定年月", "3", "6", "7-1", "7-2", "7-3", "8-1", "9", "10",
          "10_概要", "11", "12"]),
        (UNION, {**FULL, "13": [1]}, ["13"]),
        (MEMBER, {**FULL, "13": [2]}, ["13"]),
        (UNION, {**FULL, "13": [2, 3], "2": 1, "3": 1, "5": 1, "10": 1},
         ["13", "1-1", "2", "3", "4", "5", "10", "11", "12"]),
        (MEMBER, {**FULL, "13": [1], "2": 4, "3": 2, "7-2": 2, "10": 4},
         ["13", "1-1", "2", "3", "6", "7-1", "7-2", "9", "10", "10_概要", "11", "12"]),
    ],
)
def test_walks(survey, org, script, expected) -> None:
    assert walk(survey, org, script) == expected


def test_walk_ends_with_nothing_to_ask(survey) -> None:
    answers = {k: FULL[k] for k in walk(survey, MUNI, FULL)}
    assert survey.next_item(MUNI, answers) is None


# -- edits -------------------------------------------------------------------------

BASE_ANSWERS = {"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 1, "7-2": 1, "7-3": 1, "7-4": [1],
                "8-1": 1, "8-1_概要": "x", "8-2": 1, "9": 1, "10": 1, "11": 1, "12": 1}


@pytest.mark.parametrize(
    "org,before,edit,gone,new",
    [
        (MUNI, BASE_ANSWERS, {"7-2": 2}, ["7-3", "7-4", "8-1", "8-1_概要", "8-2"], []),
        (MUNI, BASE_ANSWERS, {"8-1": 3}, ["8-1_概要", "8-2"], []),
        (MUNI, BASE_ANSWERS, {"7-3": 2}, ["7-4"], []),
        (MUNI, BASE_ANSWERS, {"3": 1}, ["6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-1_概要",
                                         "8-2", "9"], ["4", "5"]),
        (MUNI, {**BASE_ANSWERS, "3": 1, "4": 1, "5": 1}, {"5": 2}, [],
         ["6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-1_概要", "8-2", "9"]),
        (MUNI, BASE_ANSWERS, {"2": 3}, [], ["2_予定年月"]),
        (MUNI, BASE_ANSWERS, {"10": 2}, [], ["10_概要"]),
        (MUNI, {**BASE_ANSWERS, "10": 4, "10_概要": "z"}, {"10": 1}, ["10_概要"], []),
        (MEMBER, {**BASE_ANSWERS, "13": [1]}, {"13": [2]},
         ["1-1", "2", "3", "6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-1_概要", "8-2", "9",
          "10", "11", "12"], []),
        (UNION, {**BASE_ANSWERS, "13": [1]}, {"13": [2]}, [],
         ["1-1", "2", "3", "6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-1_概要", "8-2", "9",
          "10", "11", "12"]),
        (MUNI, BASE_ANSWERS, {"11": 2}, [], []),
    ],
)
def test_changes_after_edit(survey, org, before, edit, gone, new) -> None:
    changes = survey.changes(org, before, {**before, **edit})
    assert (changes.now_not_applicable, changes.now_applicable) == (gone, new)


def test_newly_applicable_items_are_asked_next(survey) -> None:
    after = {**BASE_ANSWERS, "3": 1}  # 4 and 5 now apply, without answers
    assert survey.next_item(MUNI, after).id == "4"


# -- status ------------------------------------------------------------------------

def test_status_complete(survey) -> None:
    status = survey.status(MUNI, BASE_ANSWERS, RESPONDENT, {})
    assert status.answered == [i for i in BLOCK if i in BASE_ANSWERS]
    assert status.unanswered == [] and status.pending == []
    assert status.not_applicable == ["13", "1-2", "2_予定年月", "4", "5", "10_概要"]
    assert (status.info_missing, status.unanswered_flag) == (False, False)


@pytest.mark.parametrize(
    "answers,notes,unanswered,flag",
    [
        ({**BASE_ANSWERS, "6": []}, {"6": "none"}, [], False),  # 6: neither applies, confirmed
        ({**BASE_ANSWERS, "6": []}, {}, ["6"], True),  # [] without the confirmation note
        ({k: v for k, v in BASE_ANSWERS.items() if k != "6"}, {}, ["6"], True),
        ({**BASE_ANSWERS, "2": 3}, {}, ["2_予定年月"], True),  # a sub-item counts too
        ({**BASE_ANSWERS, "8-1_概要": ""}, {}, ["8-1_概要"], True),
        ({**BASE_ANSWERS, "7-2": 2}, {}, [], False),  # stale 7-3… are 対象外, not missing
    ],
)
def test_status_unanswered(survey, answers, notes, unanswered, flag) -> None:
    status = survey.status(MUNI, answers, RESPONDENT, notes)
    assert (status.unanswered, status.unanswered_flag) == (unanswered, flag)


def test_status_stale_answers_are_not_counted(survey) -> None:
    status = survey.status(MUNI, {**BASE_ANSWERS, "7-2": 2}, RESPONDENT, {})
    assert "7-3" in status.not_applicable and "7-3" not in status.answered


def test_status_pending_until_13(survey) -> None:
    status = survey.status(MEMBER, {}, {**RESPONDENT, "org_type": MEMBER}, {})
    assert status.unanswered == ["13"]
    assert "2" in status.pending and "1-2" in status.not_applicable
    assert status.unanswered_flag


@pytest.mark.parametrize("field", ["org_type", "org_name", "dept", "title", "responsible_name",
                                   "contact_name", "phone", "email"])
def test_info_missing(survey, field) -> None:
    for empty in ("", "  ", None):
        status = survey.status(MUNI, BASE_ANSWERS, {**RESPONDENT, field: empty}, {})
        assert status.info_missing


# -- navigation --------------------------------------------------------------------

@pytest.mark.parametrize(
    "item_id,answers,previous",
    [
        ("1-1", {}, None),
        ("2", {"1-1": 1}, "1-1"),
        ("6", {"1-1": 1, "2": 1, "3": 2}, "3"),
        ("10", {"1-1": 1, "2": 1, "3": 1, "4": 1, "5": 1}, "5"),
        ("9", {"1-1": 1, "2": 1, "3": 2, "6": [1], "7-1": 1, "7-2": 2}, "7-2"),
        ("3", {"1-1": 1, "2": 3, "2_予定年月": "2023年9月"}, "2_予定年月"),
    ],
)
def test_previous_item(survey, item_id, answers, previous) -> None:
    got = survey.previous_item(item_id, MUNI, answers)
    assert (got.id if got else None) == previous


@pytest.mark.parametrize(
    "org,item_id,answers,expected",
    [
        (MUNI, "1-1", {}, (1, 19)),  # everything but 13 and 1-2 may still apply
        (MUNI, "3", {"1-1": 1, "2": 1}, (3, 18)),  # 2 = ① rules out 2_予定年月
        (MUNI, "10", {"1-1": 1, "2": 1, "3": 1, "4": 1, "5": 1}, (6, 9)),
        (UNION, "13", {}, (1, 20)),
    ],
)
def test_progress(survey, org, item_id, answers, expected) -> None:
    assert survey.progress(item_id, org, answers) == expected


@pytest.mark.parametrize(
    "typed,item_id",
    [
        ("Q7-2", "7-2"), ("q7-2", "7-2"), ("７－２", "7-2"), ("Ｑ７－２", "7-2"), ("7-2", "7-2"),
        ("Q2 予定年月", "2_予定年月"), ("Q2予定年月", "2_予定年月"), ("2_予定年月", "2_予定年月"),
        ("Q8-1 概要", "8-1_概要"), ("Q10 概要", "10_概要"), ("Q13", "13"), ("Ｑ１３", "13"),
        ("Q14", None), ("Q7", None), ("", None), ("Q7-9", None),
    ],
)
def test_resolve_item_id(survey, typed, item_id) -> None:
    assert survey.resolve_item_id(typed) == item_id


@pytest.mark.parametrize(
    "item_id,value,shown",
    [
        ("2", 2, "②定めていない。"),
        ("7-4", [1, 3], "①③"),
        ("6", [], "該当なし"),
        ("2_予定年月", "2023年9月", "2023年9月"),
        ("8-1_概要", "=SUM(A1)", "=SUM(A1)"),
        ("3", None, ""),
    ],
)
def test_format_value(survey, item_id, value, shown) -> None:
    assert survey.format_value(item_id, value) == shown


# -- texts: 読み替え, reminders, explanations ---------------------------------------

SUBSTITUTED = {"6", "7-1", "8-1", "9"}


@pytest.mark.parametrize("item_id", BLOCK + ["13"])
def test_union_substitution(survey, item_id) -> None:
    item = survey.item(item_id)
    shown = [survey.prompt_text(item_id, UNION), *(o.text for o in survey.options_for(item_id, UNION))]
    assert not any("組織内の住基システム" in text for text in shown)
    substituted = any("構成市町村への照会" in t for t in shown) and item_id in SUBSTITUTED
    assert substituted is (item_id in SUBSTITUTED)
    assert survey.is_substituted(item_id, UNION) is (item_id in SUBSTITUTED)
    # everyone else sees the seed's wording unchanged
    assert survey.prompt_text(item_id, MEMBER) == item.prompt
    assert survey.options_for(item_id, MUNI) == item.options


def test_substitution_of_option_6_2(survey) -> None:
    assert survey.options_for("6", UNION)[1].text == "構成市町村への照会等により確認している。"


@pytest.mark.parametrize(
    "org,item_id,answers,expected_keys",
    [
        (MEMBER, "13", {}, ["before_13"]),
        (MUNI, "1-1", {}, []),
        (MUNI, "2", {"1-1": 1}, ["jutogai_1_1"]),
        (MUNI, "12", {"1-1": 1}, ["jutogai_1_1"]),
        (MUNI, "2", {"1-1": 2}, []),
        (PREF, "5", {"1-2": 1}, ["jutogai_1_2"]),
        (PREF, "5", {"1-2": 2}, []),
        (UNION, "7-1", {"13": [2], "1-1": 1}, ["jutogai_1_1", "substituted"]),
        (UNION, "7-2", {"13": [2], "1-1": 2}, []),
        (MUNI, "8-1_概要", {"1-1": 2}, ["attach_8_1"]),
        (MUNI, "10_概要", {"1-1": 2}, ["attach_10"]),
    ],
)
def test_reminders(survey, org, item_id, answers, expected_keys) -> None:
    texts = survey._reminders
    assert survey.reminders(item_id, org, answers) == [texts[k] for k in expected_keys]


@pytest.mark.parametrize(
    "key,must_say",
    [
        ("jutogai_1_1", ["住登外者等"]),
        ("jutogai_1_2", ["上記以外の者"]),
        ("before_13", ["調整", "Q1〜12"]),
        ("substituted", ["「組織内の住基システム」", "「構成市町村への照会」"]),
    ],
)
def test_reminder_texts(survey, key, must_say) -> None:
    for part in must_say:
        assert part in survey._reminders[key]


@pytest.mark.parametrize("item", load_survey().items, ids=lambda i: i.id)
def test_explain_covers_every_term(survey, item) -> None:
    pairs = survey.explain(item.id)
    why = [msg.WHY_HEADING] if item.why else []
    assert [term for term, _ in pairs] == why + list(item.terms)
    assert all(text for _, text in pairs)


# issue 9 (9): the Digital Agency's known causes of wrong links, quoted, as the reason
# these items matter; the quotes are checked against the seed in test_definition.py.
KNOWN_CAUSE_QUOTES = (
    "「①紐付け実施機関が住基ネットの利用（J-LIS 照会）等により、対象者のマイナンバーを取得する際に住所を含まないカナ氏名及び生年月日のみを用いて照会を行い、マイナンバーを取得していた。」",
    "「住基ネットの利用（J-LIS 照会）等により同姓同名の情報が出力された場合、カナ氏名及び生年月日に加え、氏名、住所情報等を活用してマイナンバーを特定する必要があるが、十分な確認が行われないうまま、個人情報にマイナンバーが紐付けられていた。」",
)


@pytest.mark.parametrize(
    "item_id,says",
    [
        ("7-3", "住所を含まないカナ氏名と生年月日だけで照会"),
        ("7-4", "住所を含まないカナ氏名と生年月日だけで照会"),
        ("8-1", "同姓同名"),
        ("8-2", "十分な確認が行われないまま"),
        ("9", "十分な確認が行われないまま"),
    ],
)
def test_explain_quotes_the_known_causes_where_they_matter(survey, item_id, says) -> None:
    heading, text = survey.explain(item_id)[0]
    assert heading == msg.WHY_HEADING
    assert says in text
    for quote in KNOWN_CAUSE_QUOTES:
        assert quote in text


@pytest.mark.parametrize("item_id", ["13", "1-1", "2", "4", "7-1", "7-2", "10", "12"])
def test_items_without_a_known_cause_do_not_quote_them(survey, item_id) -> None:
    assert msg.WHY_HEADING not in dict(survey.explain(item_id))


def test_known_causes_can_be_looked_up_as_a_term(survey) -> None:
    assert all(quote in survey.glossary[msg.KNOWN_CAUSES_TERM] for quote in KNOWN_CAUSE_QUOTES)


def test_explain_7_1_has_complete_match(survey) -> None:
    assert "完全一致" in dict(survey.explain("7-1"))


@pytest.mark.parametrize("typed,value", [("2", 2), ("①③", [1, 3]), ("R5.9", "2023年9月")])
def test_parse_answer_dispatches_on_kind(survey, typed, value) -> None:
    item_id = {int: "2", list: "13", str: "2_予定年月"}[type(value)]
    assert survey.parse_answer(item_id, typed).value == value


def test_survey_package_imports_no_framework() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bot.survey.engine, bot.survey.answers, bot.survey.conditions;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('botbuilder', 'aiohttp', 'redis')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
