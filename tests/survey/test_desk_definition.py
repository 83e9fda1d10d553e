"""definition.yaml's desk sections: the rules in the survey's words and the risk patterns."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from bot.survey.conditions import parse_rule
from bot.survey.engine import DefinitionError, RULE_WORD_CHECKS, load_survey
from bot.survey.model import RISK, SAFEGUARD
from tests.survey.test_definition import HEAD
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY
from tests.export.records import FULL_BLOCK, block

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "mhlw-kaigo-mynumber-survey-2307.txt"


@pytest.fixture(scope="module")
def seed_joined() -> str:
    if not SEED.exists():
        pytest.skip(f"seed text not found at ../shared/seed/{SEED.name}")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return "".join(re.sub(r"^\s*(?:- )?\s*", "", line) for line in lines)


def _quotes():
    survey = load_survey()
    for key in [item.id for item in survey.items] + list(RULE_WORD_CHECKS):
        for quote in survey.rule_words(key):
            yield key, quote.text
    for pattern in survey.risk_patterns:
        yield pattern.id, pattern.seed


@pytest.mark.parametrize(("key", "text"), list(_quotes()))
def test_quotes_are_verbatim_from_the_seed(seed_joined, key, text):
    assert text in seed_joined, f"{key}: not the seed's words"


def test_every_skip_rule_and_check_has_words():
    survey = load_survey()
    for item in survey.items:
        if item.relevant:
            assert survey.rule_words(item.id), f"{item.id} has a rule but no words"
    for key in RULE_WORD_CHECKS:
        assert survey.rule_words(key), key


def test_quote_places():
    quotes = load_survey().rule_words("8-1")
    assert [q.place for q in quotes] == ["Q7-2 ②", "Q5 ①"]
    assert load_survey().rule_words("7-4")[0].place == ""


def test_patterns_are_labelled():
    patterns = load_survey().risk_patterns
    assert len({p.id for p in patterns}) == len(patterns) >= 8
    assert {p.kind for p in patterns} == {RISK, SAFEGUARD}
    for pattern in patterns:
        assert "このボットは読みます" in pattern.reading, pattern.id


# (case, org type, answers, matching pattern ids)
PATTERNS = [
    ("longest-path", ORG_MUNICIPALITY, FULL_BLOCK, ["partial_without_address", "cases_found", "several_hits_by_method"]),
    ("kana-and-birth-only", ORG_MUNICIPALITY, block(**{"7-4": [2, 3], "10": 1, "10_概要": None}),
     ["kana_birth_only", "partial_without_address", "several_hits_by_method"]),
    ("kana-birth-and-sex", ORG_MUNICIPALITY, block(**{"7-4": [2, 3, 4], "10": 1}),
     ["kana_birth_only", "partial_without_address", "several_hits_by_method"]),
    ("with-address", ORG_MUNICIPALITY, block(**{"7-4": [2, 3, 5], "10": 1}), ["several_hits_by_method"]),
    ("undecided", ORG_MUNICIPALITY, block(**{"7-3": 2, "7-4": None, "10": 1}), ["partial_undecided", "several_hits_by_method"]),
    ("left-to-staff", ORG_MUNICIPALITY, block(**{"8-1": 2, "10": 1}), ["partial_without_address", "several_hits_left_to_staff"]),
    ("unidentified", ORG_MUNICIPALITY, block(**{"8-2": 2, "10": 1}), ["partial_without_address", "unidentified_linked"]),
    ("nobody-checks", ORG_MUNICIPALITY, block(**{"7-2": 2, "9": 4, "10": 1}), ["no_check_no_record", "four_items_or_none"]),
    ("cases-not-improved", ORG_MUNICIPALITY, block(**{"7-2": 2, "10": 4}), ["cases_found", "cases_not_improved", "four_items_or_none"]),
    ("documents-always", ORG_MUNICIPALITY, block(**{"5": 1, "10": 1}), ["documents_always"]),
    # 対象外 answers do not count: Q5 ① leaves 7-4, 8-1, 8-2, 9 out, whatever they hold.
    ("stale-answers-ignored", ORG_MUNICIPALITY, block(**{"5": 1, "7-4": [2, 3], "9": 4, "10": 1}), ["documents_always"]),
    ("member-not-answering-block", ORG_MEMBER, {**FULL_BLOCK, "13": [2]}, []),
    ("waiting-for-answers", ORG_MUNICIPALITY, {"1-1": 1, "2": 1, "3": 1}, []),
]


@pytest.mark.parametrize(("org", "answers", "ids"), [c[1:] for c in PATTERNS], ids=[c[0] for c in PATTERNS])
def test_matching_patterns(org, answers, ids):
    survey = load_survey()
    assert [p.id for p in survey.matching_patterns(org, answers)] == ids
    flags = survey.applicability(org, answers)
    assert [p.id for p in survey.matching_patterns(org, answers, flags)] == ids


@pytest.mark.parametrize(
    ("rule", "answers", "expected"),
    [
        ("Q3 == 1", {"3": 1}, True),
        ("Q4 == 2", {"3": 2, "4": 2}, False),  # 4 is 対象外: its old answer does not count
        ("Q4 == 2", {"3": 1}, None),  # 4 applies, unanswered
        ("org in [市区町村]", {}, True),
    ],
)
def test_evaluate(rule, answers, expected):
    survey = load_survey()
    assert survey.evaluate(parse_rule(rule, survey.orgs.rule_names()), ORG_MUNICIPALITY, answers) is expected


# -- the loader's checks ------------------------------------------------------------

BASE = HEAD + """
glossary: {}
items:
  - id: "1"
    kind: single
    heading: Q1
    prompt: p1
    sheet_text: s1
    options: [はい（Q3へ）, いいえ]
  - id: "2"
    kind: multi
    heading: Q2
    prompt: p2
    sheet_text: s2
    options: [a, b, c]
    relevant: Q1 == 2
"""

GOOD_PATTERN = """
risk_patterns:
  - id: p1
    kind: risk
    title: t
    when: Q1 == 1
    seed: s
    reading: r
"""


def _load(tmp_path: Path, extra: str):
    path = tmp_path / "definition.yaml"
    path.write_text(textwrap.dedent(BASE) + textwrap.dedent(extra), encoding="utf-8")
    return load_survey(path)


def test_small_definition_with_desk_sections(tmp_path):
    survey = _load(tmp_path, GOOD_PATTERN + '\nrule_words:\n  "2":\n    - {item: "1", option: 1, quote: （Q3へ）}\n')
    assert [p.id for p in survey.risk_patterns] == ["p1"]
    assert survey.rule_words("2")[0].place == "Q1 ①"


@pytest.mark.parametrize(
    ("extra", "names"),
    [
        (GOOD_PATTERN.replace("Q1 == 1", "Q9 == 1"), ["risk pattern p1", "Q9"]),
        (GOOD_PATTERN.replace("Q1 == 1", "Q1 == 3"), ["risk pattern p1", "no option 3"]),
        (GOOD_PATTERN.replace("Q1 == 1", "Q2 == 1"), ["risk pattern p1", "has"]),
        (GOOD_PATTERN.replace("Q1 == 1", "Q1 =="), ["risk pattern p1"]),
        (GOOD_PATTERN.replace("kind: risk", "kind: danger"), ["risk pattern p1", "kind"]),
        (GOOD_PATTERN.replace("seed: s", "seed: ''"), ["risk pattern p1", "seed"]),
        (GOOD_PATTERN + GOOD_PATTERN.replace("risk_patterns:\n", ""), ["risk pattern p1", "twice"]),
        ('\nrule_words:\n  "9":\n    - quote: q\n', ["rule_words 9"]),
        ('\nrule_words:\n  "2":\n    - {item: "1", option: 3, quote: q}\n', ["rule_words 2", "no option 3"]),
        ('\nrule_words:\n  "2":\n    - {item: "1", option: 1, quote: いいえ}\n', ["rule_words 2", "wording"]),
        ('\nrule_words:\n  "2":\n    - {item: "7", quote: q}\n', ["rule_words 2", "Q7"]),
        ('\nrule_words:\n  "2": []\n', ["rule_words 2"]),
    ],
)
def test_desk_errors_name_the_pattern_or_key(tmp_path, extra, names):
    with pytest.raises(DefinitionError) as caught:
        _load(tmp_path, extra)
    for name in names:
        assert name in str(caught.value)
