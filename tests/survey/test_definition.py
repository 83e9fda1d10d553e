"""definition.yaml: verbatim seed wording, the shape of every item, and the loader's checks."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from bot.survey.engine import DefinitionError, load_survey
from bot.survey.model import KIND_MULTI, KIND_SINGLE, KIND_TEXT, KIND_YEARMONTH
from tests.shared_refs import shared_file

SEED = "seed/mhlw-kaigo-mynumber-survey-2307.txt"

ORDER = [
    "13", "1-1", "1-2", "2", "2_予定年月", "3", "4", "5", "6", "7-1", "7-2", "7-3", "7-4",
    "8-1", "8-1_概要", "8-2", "9", "10", "10_概要", "11", "12",
]


@pytest.fixture(scope="module")
def seed_joined() -> str:
    lines = shared_file(SEED).read_text(encoding="utf-8").splitlines()
    # The seed wraps some options over lines and prints bullets ("- ①"); texts in the
    # definition join wrapped lines, so compare against the lines joined without bullets.
    return "".join(re.sub(r"^\s*(?:- )?\s*", "", line) for line in lines)


def _texts():
    survey = load_survey()
    for item in survey.items:
        yield item.id, "prompt", item.prompt
        if item.on_sheet:
            yield item.id, "sheet_text", item.sheet_text
        for option in item.options:
            yield item.id, f"option {option.number}", option.text
        for number, text in enumerate(item.sheet_options, 1):
            yield item.id, f"sheet option {number}", text
        for index, note in enumerate(item.notes):
            yield item.id, f"note {index + 1}", note


@pytest.mark.parametrize("item_id,field,text", list(_texts()))
def test_wording_is_verbatim_from_the_seed(seed_joined: str, item_id: str, field: str, text: str) -> None:
    assert text in seed_joined, f"{item_id} {field} differs from the seed"


def test_doubt_rule_quotes_the_cover_letter(seed_joined: str) -> None:
    quote = "回答の選択に迷う場合や一部で対応できていない紐付け事務がある場合には、より紐付け業務について対応できていない選択肢を選択するなど、より慎重な選択肢を選択するようお願いいたします。"
    assert quote in seed_joined
    assert f"「{quote}」" in load_survey().doubt_rule


def test_known_causes_are_quoted_from_the_cover_letter(seed_joined: str) -> None:
    text = load_survey().glossary["紐付け誤りの原因"]
    quotes = re.findall(r"「([^」]+)」", text)
    assert len(quotes) == 2
    for quote in quotes:
        assert quote in seed_joined


def test_items_in_asking_order() -> None:
    assert [item.id for item in load_survey().items] == ORDER


@pytest.mark.parametrize(
    "item_id,kind,heading,n_options,parent,in_block",
    [
        ("13", KIND_MULTI, "Q13", 3, None, False),
        ("1-1", KIND_SINGLE, "Q1-1", 2, None, True),
        ("1-2", KIND_SINGLE, "Q1-2", 2, None, True),
        ("2", KIND_SINGLE, "Q2", 4, None, True),
        ("2_予定年月", KIND_YEARMONTH, "Q2 予定年月", 0, "2", True),
        ("3", KIND_SINGLE, "Q3", 2, None, True),
        ("4", KIND_SINGLE, "Q4", 3, None, True),
        ("5", KIND_SINGLE, "Q5", 2, None, True),
        ("6", KIND_MULTI, "Q6", 2, None, True),
        ("7-1", KIND_SINGLE, "Q7-1", 2, None, True),
        ("7-2", KIND_SINGLE, "Q7-2", 2, None, True),
        ("7-3", KIND_SINGLE, "Q7-3", 2, None, True),
        ("7-4", KIND_MULTI, "Q7-4", 5, None, True),
        ("8-1", KIND_SINGLE, "Q8-1", 3, None, True),
        ("8-1_概要", KIND_TEXT, "Q8-1 概要", 0, "8-1", True),
        ("8-2", KIND_SINGLE, "Q8-2", 2, None, True),
        ("9", KIND_SINGLE, "Q9", 4, None, True),
        ("10", KIND_SINGLE, "Q10", 4, None, True),
        ("10_概要", KIND_TEXT, "Q10 概要", 0, "10", True),
        ("11", KIND_SINGLE, "Q11", 3, None, True),
        ("12", KIND_SINGLE, "Q12", 3, None, True),
    ],
)
def test_item_shape(item_id, kind, heading, n_options, parent, in_block) -> None:
    item = load_survey().item(item_id)
    assert (item.kind, item.heading, len(item.options), item.parent, item.in_block) == (
        kind, heading, n_options, parent, in_block,
    )
    assert [o.number for o in item.options] == list(range(1, n_options + 1))


@pytest.mark.parametrize(
    "item_id,min_choices,allow_none",
    [("13", 1, False), ("7-4", 1, False), ("6", 0, True)],
)
def test_multi_select_limits(item_id, min_choices, allow_none) -> None:
    item = load_survey().item(item_id)
    assert (item.min_choices, item.allow_none) == (min_choices, allow_none)


# survey-rules.md, "rule for doubt", per item.
@pytest.mark.parametrize(
    "item_id,cautious_option",
    [
        ("1-1", 2), ("1-2", 2), ("4", 2), ("5", 2), ("7-1", 2), ("7-2", 1), ("7-3", 2),
        ("8-1", 2), ("8-2", 2), ("9", 4), ("2", 2), ("10", 4), ("13", 3),
        ("3", None), ("6", None), ("7-4", None), ("11", None), ("12", None),
    ],
)
def test_cautious_option(item_id, cautious_option) -> None:
    item = load_survey().item(item_id)
    assert item.cautious_option == cautious_option
    assert item.cautious  # every question explains its reading, even "answer from the facts"


@pytest.mark.parametrize(
    "term",
    [
        "完全一致", "住所表記のゆれ", "J-LIS照会", "住基ネット", "住基システム", "宛名管理システム",
        "住登外者", "住所地特例", "第二号被保険者", "マイナポータル閲覧対象事務", "別途の方法",
        "本人確認4情報", "紐付け", "事業主等", "広域連合等", "構成市町村", "番号制度主管課",
    ],
)
def test_glossary_has_term(term: str) -> None:
    assert load_survey().glossary[term].strip()


@pytest.mark.parametrize(
    "term,must_say",
    [
        ("完全一致", ["5丁目-4-3、5-4-3、5の4の3", "異体字", "旧字", "カナ", "方書", "慎重"]),
        ("別途の方法", ["例1 当初のマイナンバー照会の際には", "例2 住所として表示された場所に"]),
        ("広域連合等", ["「組織内の住基システム」を「構成市町村への照会」"]),
        # issue 9 (9): 事業主等 from the seed's own wording; family/agents not settled by it
        ("事業主等", ["「本人以外（事業主等）からマイナンバーを得ている場合", "調査票からは決まりません", "家族や代理人"]),
    ],
)
def test_glossary_content(term: str, must_say: list[str]) -> None:
    text = load_survey().glossary[term]
    for part in must_say:
        assert part in text


def test_jigyonushi_does_not_claim_what_the_seed_does_not_say() -> None:
    # The previous text named 介護施設・居宅介護支援事業者, which the seed does not mention.
    text = load_survey().glossary["事業主等"]
    for claim in ("介護施設", "居宅介護支援事業者", "雇用"):
        assert claim not in text


def test_q13_caution_states_no_linking_method_as_fact() -> None:
    # issue 9 (9): ③ is a linking method, not "both answer"; the advice says to check the facts.
    text = load_survey().item("13").cautious
    assert "③（構成市町村・広域連合等の双方が回答）を選んでください" not in text
    assert "広域連合等において構成市町村へマイナンバーを照会し、広域連合等において紐付けを実施している" in text
    assert "確かめ" in text and "このボットの読む" in text


@pytest.mark.parametrize("item_id,limit", [("2_予定年月", 20), ("8-1_概要", 2000), ("10_概要", 2000)])
def test_free_text_items_declare_their_limit(item_id: str, limit: int) -> None:
    assert load_survey().item(item_id).max_length == limit


def test_only_10_outline_is_off_the_sheet() -> None:
    assert [item.id for item in load_survey().items if not item.on_sheet] == ["10_概要"]


def test_default_survey_is_cached() -> None:
    assert load_survey() is load_survey()


# -- the loader's checks, on small definitions ----------------------------------

# What every small definition carries besides its items (the survey, who answers).
HEAD = """
survey:
  name: 小さな調査
  title: 小さな調査
  system: テスト
organisations:
  - name: 市区町村
    role: municipality
  - name: 都道府県
    role: prefecture
"""

BASE = HEAD + """glossary: {{}}
items:
  - id: "1"
    kind: single
    heading: Q1
    prompt: p1
    sheet_text: s1
    options: [a, b]
  - id: "2"
    kind: multi
    heading: Q2
    prompt: p2
    sheet_text: s2
    options: [a, b, c]
    relevant: {rule2}
  - id: "3"
    kind: single
    heading: Q3
    prompt: p3
    sheet_text: s3
    options: [a, b]
    relevant: {rule3}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "definition.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_small_definition_loads(tmp_path: Path) -> None:
    survey = load_survey(_write(tmp_path, BASE.format(rule2="Q1 == 2", rule3="Q2 has 3")))
    assert survey.is_applicable("3", "市区町村", {"1": 2, "2": [3]})
    assert not survey.is_applicable("3", "市区町村", {"1": 1, "2": [3]})


@pytest.mark.parametrize(
    "rule2,rule3,names",
    [
        ("Q9 == 1", "true", ["item 2", "Q9"]),  # unknown item
        ("Q1 == 3", "true", ["item 2", "no option 3"]),  # option the item lacks
        ("Q1 has 1", "true", ["item 2", "Q1"]),  # has on a single item
        ("Q1 == 1", "Q2 == 1", ["item 3", "Q2"]),  # == on a multi item
        ("org in [町内会]", "true", ["item 2", "町内会"]),  # unknown org
        ("Q3 == 1", "true", ["item 2", "Q3"]),  # forward reference
        ("Q2 has 1", "true", ["item 2", "Q2"]),  # self reference
        ("applies(Q3)", "true", ["item 2", "Q3"]),  # forward applies()
        ("Q1 == 1 and Q1 == 2", "true", ["item 2"]),  # unreachable
        ("Q1 == 1", "Q2 has 1 and not applies(Q2)", ["item 3"]),  # unreachable via applies
        ("Q1 == 1 and", "true", ["item 2"]),  # syntax
        ("Q1 = 1", "true", ["item 2"]),  # syntax
    ],
)
def test_definition_errors_name_the_item(tmp_path: Path, rule2: str, rule3: str, names) -> None:
    path = _write(tmp_path, BASE.format(rule2=f'"{rule2}"', rule3=f'"{rule3}"'))
    with pytest.raises(DefinitionError) as caught:
        load_survey(path)
    for name in names:
        assert name in str(caught.value)


@pytest.mark.parametrize(
    "bad,replacement,names",
    [
        ("kind: multi", "kind: choice", ["item 2", "kind"]),
        ('id: "3"', 'id: "2"', ["item 2", "twice"]),
        ("options: [a, b]\n    relevant", "options: [a]\n    relevant", ["item 3"]),
        ("prompt: p3", "prompt: ''", ["item 3", "prompt"]),
        ("sheet_text: s3", "sheet_text: ''", ["item 3", "sheet_text"]),
        ("options: [a, b, c]", "options: [a, b, c]\n    max_length: 10", ["item 2", "max_length"]),
        ("options: [a, b, c]", "options: [a, b, c]\n    sheet_options: [x, y]", ["item 2", "sheet_options"]),
        ("options: [a, b, c]", "options: [a, b, c]\n    on_sheet: maybe", ["item 2", "on_sheet"]),
        ("options: [a, b, c]", "options: [a, b, c]\n    why: w", ["item 2", "known_causes"]),
    ],
)
def test_shape_errors_name_the_item(tmp_path: Path, bad: str, replacement: str, names) -> None:
    text = BASE.format(rule2='"true"', rule3='"true"')
    assert bad in text
    path = _write(tmp_path, text.replace(bad, replacement, 1))
    with pytest.raises(DefinitionError) as caught:
        load_survey(path)
    for name in names:
        assert name in str(caught.value)


TEXT_ITEM = """
  - id: "4"
    kind: text
    heading: Q4
    prompt: p4
    sheet_text: s4
"""


@pytest.mark.parametrize(
    "limit,ok",
    [("", False), ("max_length: 0", False), ("max_length: many", False), ("max_length: 40000", False),
     ("max_length: true", False), ("max_length: 500", True)],
)
def test_text_items_must_declare_a_limit(tmp_path: Path, limit: str, ok: bool) -> None:
    text = BASE.format(rule2='"true"', rule3='"true"') + TEXT_ITEM + (f"    {limit}\n" if limit else "")
    path = _write(tmp_path, text)
    if ok:
        assert load_survey(path).item("4").max_length == 500
        return
    with pytest.raises(DefinitionError) as caught:
        load_survey(path)
    assert "item 4" in str(caught.value) and "max_length" in str(caught.value)


def test_block_rule_applies_to_block_items(tmp_path: Path) -> None:
    text = BASE.format(rule2='"true"', rule3='"true"').replace(
        "glossary: {}", 'glossary: {}\nblock:\n  relevant: "Q1 == 1"'
    ).replace("    prompt: p3", "    block: true\n    prompt: p3")
    survey = load_survey(_write(tmp_path, text))
    assert survey.is_applicable("3", "市区町村", {"1": 1})
    assert not survey.is_applicable("3", "市区町村", {"1": 2})
    assert survey.is_applicable("2", "市区町村", {"1": 2})
