"""The loader's checks of the sections beside the items (survey, organisations, notes,
agreement, substitution, help, workbook): a definition that cannot work is refused when
it is loaded, and the message names the section (and the entry) to fix."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.survey.engine import DEFAULT_PATH, DEFINITIONS, DefinitionError, load_survey

EXAMPLE = DEFINITIONS / "example-shougai.yaml"


def _load(tmp_path: Path, source: Path, old: str, new: str):
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "survey.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_survey(path)


# (source, text in it, replacement, what the error names)
ERRORS = [
    ("survey-name", EXAMPLE, "  name: 【例】障害福祉 マイナンバー調査\n", "", ["survey: name"]),
    ("survey-deadline", EXAMPLE, '"2024-03-29T17:00+09:00"', '"someday"', ["survey.deadline", "someday"]),
    ("survey-example-flag", EXAMPLE, "example: true", "example: maybe", ["survey.example"]),
    ("org-role", EXAMPLE, "role: municipality", "role: village", ["organisation 市区町村", "role"]),
    ("org-twice", EXAMPLE, "  - name: 都道府県\n    role: prefecture", "  - name: 市区町村\n    role: prefecture",
     ["organisations", "name", "市区町村"]),
    ("org-role-twice", EXAMPLE, "role: prefecture", "role: municipality", ["organisations", "role"]),
    ("org-unknown-in-rule", EXAMPLE, "relevant: org in [都道府県]", "relevant: org in [広域連合等]", ["item 4", "広域連合等"]),
    ("member-without-question", DEFAULT_PATH, "    union_question: 構成市町村として", "    note: 構成市町村として",
     ["organisation 構成市町村", "union_question"]),
    ("member-without-agreement", DEFAULT_PATH, 'agreement:\n  item: "13"\n  between: [構成市町村, 広域連合等]\n', "",
     ["agreement", "構成市町村"]),
    ("agreement-between", DEFAULT_PATH, "between: [構成市町村, 広域連合等]", "between: [市区町村, 広域連合等]",
     ["agreement", "between"]),
    ("agreement-item", DEFAULT_PATH, 'agreement:\n  item: "13"', 'agreement:\n  item: "14"', ["agreement", "14"]),
    ("substitution-org", DEFAULT_PATH, "substitution:\n  org: 広域連合等", "substitution:\n  org: 町内会", ["substitution", "町内会"]),
    ("substitution-note", DEFAULT_PATH, "  note: 広域連合等の回答のため", "  memo: 広域連合等の回答のため", ["substitution", "note must"]),
    ("note-place", EXAMPLE, "    items: [\"2\"]\n", "", ["note all_that_apply", "items, after or at"]),
    ("note-item", EXAMPLE, 'items: ["2"]', 'items: ["9"]', ["note all_that_apply", "unknown item 9"]),
    ("note-rule", EXAMPLE, "relevant: Q5 == 2", "relevant: Q5 == 3", ["note case_outline", "no option 3"]),
    ("note-at", EXAMPLE, "at: finish", "at: start", ["note case_outline", "finish"]),
    ("help-example-item", EXAMPLE, 'edit_example: "3"', 'edit_example: "9"', ["help.edit_example", "9"]),
    ("help-terms", EXAMPLE, "explain_terms: [J-LIS照会, 支給決定]", "explain_terms: [住所地特例]", ["help.explain_terms"]),
    ("help-submit-deadline", EXAMPLE, "{deadline}までに survey@example.jp", "期限までに survey@example.jp",
     ["help.submit.prefecture", "{deadline}"]),
    ("workbook-file-name", EXAMPLE, "file_name: 【{name}】例示 障害福祉調査回答", "file_name: 例示 障害福祉調査回答",
     ["workbook.file_name", "{name}"]),
    ("workbook-item-missing", EXAMPLE, '    - {item: "5"}\n', "", ["workbook.columns", "missing 5"]),
    ("workbook-field-missing", EXAMPLE, "    - {field: phone, width: 14}\n", "", ["workbook.columns", "電話番号"]),
    ("workbook-flag-missing", EXAMPLE, "    - {value: unanswered}\n", "", ["workbook.columns", "未回答"]),
    ("workbook-marks-for-single", EXAMPLE, '    - {item: "1"}', '    - {marks: "1"}', ["workbook column #11", "item 1 takes item"]),
    ("workbook-item-for-multi", EXAMPLE, '    - {marks: "2"}', '    - {item: "2"}', ["workbook column #12", "marks"]),
    ("workbook-unknown-item", EXAMPLE, '    - {item: "4"}', '    - {item: "9"}', ["workbook column", "no item 9"]),
    ("workbook-twice", EXAMPLE, '    - {item: "5"}', '    - {item: "5"}\n    - {item: "5"}', ["workbook.columns", "5 is given twice"]),
    ("workbook-alias-clash", EXAMPLE, "aliases: [確認の手順]", "aliases: [組織名]", ["workbook.columns", "組織名"]),
    ("workbook-sheets-same", EXAMPLE, "list_row: 集計用", "list_row: 回答票", ["workbook.sheets"]),
    ("workbook-sheet-key", EXAMPLE, "list: 一覧表}", "list: 一覧表, extra: x}", ["workbook.sheets"]),
    ("workbook-org-choices", DEFAULT_PATH, "org_choices: [都道府県, 市区町村, 広域連合等]", "org_choices: [都道府県, 市区町村]",
     ["workbook.org_choices"]),
]


@pytest.mark.parametrize(("source", "old", "new", "names"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_a_section_that_cannot_work_is_refused(tmp_path: Path, source: Path, old: str, new: str, names: list[str]) -> None:
    with pytest.raises(DefinitionError) as refused:
        _load(tmp_path, source, old, new)
    for name in names:
        assert name in str(refused.value)


def test_the_workbook_section_may_be_left_out(tmp_path: Path) -> None:
    """Without `workbook:` the template's sheet names and column order, the survey's name."""
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "survey.yaml"
    path.write_text(text[: text.index("workbook:")], encoding="utf-8")
    survey = load_survey(path)
    layout = survey.layout
    assert (layout.sheets.answer, layout.sheets.list_row, layout.sheets.list) == ("回答シート", "一覧用", "一覧")
    assert layout.file("14神奈川県") == "【14神奈川県】【例】障害福祉 マイナンバー調査回答.xlsx"
    assert layout.headers == (
        "制度等", "組織区分", "属性", "組織名", "担当部署名", "回答責任者役職", "回答責任者氏名", "連絡先氏名", "電話番号",
        "メールアドレス", "1", "2_①", "2_②", "2_③", "3", "3_手順", "4", "5", "情報未入力", "未回答", "回答責任者確認", "確認日時",
    )


def test_the_2307_columns_are_its_default_order_too() -> None:
    """2307 lists its columns explicitly; they are the order the default would give."""
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    survey = load_survey(DEFAULT_PATH)
    from bot.survey.layout import build_layout

    default = build_layout(
        {}, list(survey.items), name=survey.texts.name, title=survey.texts.title, system=survey.texts.system,
        org_sheet_labels=[o.sheet_label for o in survey.orgs.types],
    )
    assert "columns:" in text and default.headers == survey.layout.headers


@pytest.mark.parametrize(
    ("source", "code", "shown"),
    [
        (EXAMPLE, 0, ["OK", "【例】障害福祉 マイナンバー調査", "Q3 手順 (text)  [Q3 in [1, 2]]", "都道府県 (prefecture)",
                      "file: 【{name}】例示 障害福祉調査回答.xlsx"]),
        (DEFAULT_PATH, 0, ["OK", "2307 マイナンバー調査", "Q13 (multi)", "columns of 一覧用: 制度等"]),
        (Path("missing.yaml"), 1, ["NG missing.yaml"]),
    ],
    ids=["example", "2307", "missing"],
)
def test_the_check_command(source: Path, code: int, shown: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """python -m bot.survey PATH: what a definition's writer runs before handing it over."""
    from bot.survey.__main__ import main

    assert main([str(source)]) == code
    out = capsys.readouterr()
    for part in shown:
        assert part in out.out + out.err


def test_the_check_command_names_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.survey.__main__ import main

    path = tmp_path / "survey.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("relevant: Q1 == 1", "relevant: Q9 == 1"), encoding="utf-8")
    assert main([str(path)]) == 1
    assert "item 2: its rule refers to unknown item Q9" in capsys.readouterr().err


def _keys_used() -> set[str]:
    """Every key the shipped definitions use: top level, items, organisations, help, workbook."""
    import yaml

    keys: set[str] = set()
    for path in sorted(DEFINITIONS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        keys |= set(data)
        for section in ("items", "organisations", "notes", "risk_patterns"):
            keys |= {k for entry in data.get(section) or [] for k in entry}
        for section in ("survey", "help", "workbook", "block", "agreement", "substitution", "doubt_rule"):
            keys |= set(data.get(section) or {})
        keys |= {k for column in (data.get("workbook") or {}).get("columns") or [] for k in column}
    return keys


@pytest.mark.parametrize("key", sorted(_keys_used()))
def test_every_key_the_definitions_use_is_documented(key: str) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "survey-definition.md").read_text(encoding="utf-8")
    assert f"`{key}`" in doc or f"{key}:" in doc
