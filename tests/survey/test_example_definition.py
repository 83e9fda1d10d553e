"""The example definition (bot/survey/definitions/example-shougai.yaml): an invented survey
that shows the format. It loads, it says it is an example, and it has each part the format
offers: two organisation types, a skip rule, a multi-select, a sub-item, a note, a workbook
layout. Its rules are run by the same engine as 2307's."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from bot.export.answer_workbook import answer_file_name
from bot.export.prefecture_list import prefecture_subject
from bot.survey.engine import Survey, load_survey
from bot.survey.model import KIND_MULTI, KIND_TEXT, ROLE_MUNICIPALITY, ROLE_PREFECTURE
from tests.e2e.example_transcripts import EXAMPLE, FILE_SUFFIX, LIST_SHEET, SHEETS

MUNI, PREF = "市区町村", "都道府県"


@pytest.fixture(scope="module")
def survey() -> Survey:
    return load_survey(EXAMPLE)


def test_the_file_says_it_is_an_example(survey: Survey) -> None:
    assert EXAMPLE.read_text(encoding="utf-8").startswith("# AN EXAMPLE, NOT A REAL SURVEY.")
    assert survey.texts.example is True
    assert "【例】" in survey.texts.name and "【例】" in survey.texts.title


# What the format offers, and where the example shows it.
PARTS: list[tuple[str, Callable[[Survey], Any], Any]] = [
    ("two-organisation-types", lambda s: [(o.label, o.role) for o in s.orgs.types],
     [(MUNI, ROLE_MUNICIPALITY), (PREF, ROLE_PREFECTURE)]),
    ("a-skip-rule", lambda s: s.item("2").relevant, "Q1 == 1"),
    ("an-org-only-item", lambda s: s.item("4").relevant, "org in [都道府県]"),
    ("a-multi-select", lambda s: (s.item("2").kind, s.item("2").min_choices), (KIND_MULTI, 1)),
    ("a-sub-item", lambda s: (s.item("3_手順").kind, s.item("3_手順").parent, s.item("3_手順").heading),
     (KIND_TEXT, "3", "Q3 手順")),
    ("a-note-with-an-item", lambda s: s.reminders("2", MUNI, {"1": 1}), ["該当するものをすべて選んでください。"]),
    ("a-note-at-the-finish", lambda s: [bool(s.finish_notes(MUNI, {"5": 2})), s.finish_notes(MUNI, {"5": 1})], [True, []]),
    ("a-cautious-option", lambda s: s.item("3").cautious_option, 2),
    ("no-agreement", lambda s: s.agreed_item, None),
    ("its-own-sheets", lambda s: [s.layout.sheets.answer, s.layout.sheets.list_row, s.layout.sheets.choices,
                                  s.layout.sheets.list], [*SHEETS, LIST_SHEET]),
    ("its-own-file-name", lambda s: answer_file_name(s, "14神奈川県相模原市"), f"【14神奈川県相模原市】{FILE_SUFFIX}.xlsx"),
    ("its-own-subject", lambda s: prefecture_subject(s, "神奈川県"), f"【神奈川県】{FILE_SUFFIX}"),
    ("its-columns", lambda s: s.layout.headers[10:],
     ("1", "2_①", "2_②", "2_③", "3", "3_手順", "4", "5", "情報未入力", "未回答", "回答責任者確認", "確認日時")),
    ("its-system", lambda s: s.layout.columns[0].fixed, "福祉・介護(障害福祉)【例】"),
    ("its-aliases", lambda s: s.layout.headers[s.layout.position("確認の手順")], "3_手順"),
]


@pytest.mark.parametrize(("get", "expected"), [p[1:] for p in PARTS], ids=[p[0] for p in PARTS])
def test_the_example_shows_each_part(survey: Survey, get: Callable[[Survey], Any], expected: Any) -> None:
    assert get(survey) == expected


@pytest.mark.parametrize(
    ("org", "answers", "applicable"),
    [
        (MUNI, {}, ["1", "3", "5"]),  # 2 waits for Q1, 3_手順 for Q3
        (MUNI, {"1": 1, "3": 1}, ["1", "2", "3", "3_手順", "5"]),
        (MUNI, {"1": 2, "3": 3}, ["1", "3", "5"]),
        (PREF, {"1": 1, "3": 2}, ["1", "2", "3", "3_手順", "4", "5"]),
        (PREF, {"1": 2, "3": 3}, ["1", "3", "4", "5"]),
    ],
)
def test_who_answers_what(survey: Survey, org: str, answers: dict[str, Any], applicable: list[str]) -> None:
    assert [i.id for i in survey.applicable_items(org, answers)] == applicable


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", MUNI), ("2", PREF), ("県", PREF), ("市", MUNI), ("都道府県", PREF), ("3", None), ("広域連合等", None)],
)
def test_organisation_types_are_typed_as_declared(survey: Survey, text: str, expected: str | None) -> None:
    from bot.survey.respondent import parse_org_type

    result = parse_org_type(text, survey.orgs)
    assert (result.value if result.ok else None) == expected
    if not result.ok:
        assert result.error.startswith("組織区分を1〜2の番号で選んでください。\n1 市区町村\n2 都道府県")
