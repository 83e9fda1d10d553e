"""Engine answers the conversation asks (issue 9): which unanswered item decides whether
an item applies, and what is still open, in survey order."""
from __future__ import annotations

from typing import Any

import pytest

from bot.survey.engine import load_survey
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION

RESPONDENT = {"org_type": "x"}


@pytest.mark.parametrize(
    ("org", "answers", "item", "decider"),
    [
        (ORG_MEMBER, {}, "1-1", "13"),  # a 構成市町村 before Q13: Q13 decides the block
        (ORG_MEMBER, {}, "12", "13"),
        (ORG_UNION, {}, "2", "13"),
        (ORG_MEMBER, {"13": [2]}, "1-1", None),  # decided: 対象外
        (ORG_MEMBER, {"13": [1]}, "1-1", None),  # decided: applies
        (ORG_MUNICIPALITY, {"1-1": 2, "2": 1}, "4", "3"),  # 4 waits on 3
        (ORG_MUNICIPALITY, {"1-1": 2, "2": 1}, "7-3", "3"),  # through 7-2, which waits on 3
        (ORG_MUNICIPALITY, {"1-1": 2, "2": 1, "3": 1}, "6", "5"),
        (ORG_MUNICIPALITY, {"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 1}, "8-2", "7-2"),
        (ORG_MUNICIPALITY, {"1-1": 2, "2": 1, "3": 2}, "4", None),  # 3=②: 4 is 対象外, nothing decides it
        (ORG_MUNICIPALITY, {}, "1-2", None),  # never for a 市区町村
        (ORG_PREFECTURE, {}, "2", None),  # applies
        (None, {}, "13", None),  # no 組織区分 yet: nothing unanswered decides it
    ],
)
def test_deciding_item(org: str | None, answers: dict[str, Any], item: str, decider: str | None) -> None:
    assert load_survey().deciding_item(item, org, answers) == decider


@pytest.mark.parametrize(
    ("org", "answers", "open_items"),
    [
        (ORG_MUNICIPALITY, {"1-1": 2, "2": 1, "3": 1},
         ["4", "5", "6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-1_概要", "8-2", "9", "10", "10_概要", "11", "12"]),
        (ORG_MEMBER, {}, ["13", "1-1", "2", "2_予定年月", "3", "4", "5", "6", "7-1", "7-2", "7-3", "7-4", "8-1",
                          "8-1_概要", "8-2", "9", "10", "10_概要", "11", "12"]),
        (ORG_MEMBER, {"13": [2]}, []),
    ],
)
def test_open_items_in_survey_order(org: str, answers: dict[str, Any], open_items: list[str]) -> None:
    survey = load_survey()
    assert survey.open_items(survey.status(org, answers, RESPONDENT)) == open_items


# --- 要確認: a change between ① and ② of 1-1 / 1-2 ------------------------------------------

SHORT = {"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 2, "7-2": 2, "9": 4, "10": 1, "11": 3, "12": 3}
SHORT_LATER = ["2", "3", "6", "7-1", "7-2", "9", "10", "11", "12"]


@pytest.mark.parametrize(
    ("org", "item", "old", "new", "answers", "flagged"),
    [
        (ORG_MUNICIPALITY, "1-1", 2, 1, SHORT, SHORT_LATER),
        (ORG_MUNICIPALITY, "1-1", 1, 2, SHORT, SHORT_LATER),
        (ORG_MEMBER, "1-1", 2, 1, {"13": [1], **SHORT}, SHORT_LATER),  # 13 comes before 1-1: never flagged
        (ORG_UNION, "1-1", 2, 1, {"13": [3], **SHORT}, SHORT_LATER),
        (ORG_PREFECTURE, "1-2", 1, 2, {"1-2": 1, "2": 3, "2_予定年月": "2023年9月", "3": 2}, ["2", "2_予定年月", "3"]),
        (ORG_MUNICIPALITY, "1-1", 2, 2, SHORT, []),  # no change
        (ORG_MUNICIPALITY, "1-1", None, 1, SHORT, []),  # first answer: nothing was answered under another 1-1
        (ORG_MUNICIPALITY, "1-1", 2, 1, {"1-1": 1}, []),  # nothing later answered
        (ORG_MUNICIPALITY, "3", 2, 1, SHORT, []),  # 3 declares no review
        (ORG_MUNICIPALITY, "1-1", 2, 1, {**SHORT, "4": 1}, SHORT_LATER),  # 4 is 対象外 (3=②): its kept value is not
        # 3=① with 5 unanswered: 6 … 9 wait on 5 and keep answers that are reviewed too.
        (ORG_MUNICIPALITY, "1-1", 2, 1, {**SHORT, "3": 1}, SHORT_LATER),
    ],
)
def test_review_after_change(
    org: str, item: str, old: Any, new: Any, answers: dict[str, Any], flagged: list[str]
) -> None:
    after = {**answers, item: new}
    assert load_survey().review_after_change(item, old, new, org, after) == flagged


@pytest.mark.parametrize(
    ("under_review", "expected_next", "in_status"),
    [
        ({}, None, []),
        ({"9": "1-1", "3": "1-1"}, "3", ["3", "9"]),  # in survey order
        ({"4": "1-1"}, None, []),  # 対象外: nothing to review
        ({"12": "1-1"}, "12", ["12"]),
    ],
)
def test_items_under_review_are_asked_and_counted(
    under_review: dict[str, str], expected_next: str | None, in_status: list[str]
) -> None:
    survey = load_survey()
    nxt = survey.next_item(ORG_MUNICIPALITY, SHORT, under_review=under_review)
    assert (nxt.id if nxt else None) == expected_next
    status = survey.status(ORG_MUNICIPALITY, SHORT, RESPONDENT, under_review=under_review)
    assert status.under_review == in_status
    assert status.answered == ["1-1", *SHORT_LATER]  # still answered: kept, not erased


def test_unanswered_items_still_come_in_survey_order_with_reviewed_ones() -> None:
    answers = {"1-1": 1, "2": 1}
    nxt = load_survey().next_item(ORG_MUNICIPALITY, answers, under_review={"2": "1-1"})
    assert nxt is not None and nxt.id == "2"
    nxt = load_survey().next_item(ORG_MUNICIPALITY, answers, under_review={})
    assert nxt is not None and nxt.id == "3"


def test_the_definition_declares_which_items_put_later_answers_under_review() -> None:
    survey = load_survey()
    declared = {item.id: item.review_later_between for item in survey.items if item.review_later_between}
    assert declared == {"1-1": (1, 2), "1-2": (1, 2)}
    assert all(survey.item(i).review_later_reason for i in declared)


# --- review_later in definition.yaml: the loader's checks ---------------------------------

from pathlib import Path  # noqa: E402

from bot.survey.engine import DefinitionError  # noqa: E402
from tests.survey.test_definition import BASE, _write  # noqa: E402

ITEM_1 = "    options: [a, b]\n  - id: \"2\""


@pytest.mark.parametrize(
    ("review_later", "error"),
    [
        ("{between: [1, 2], reason: 理由}", None),
        ("{between: [1, 3], reason: 理由}", "no option 3"),
        ("{between: [1], reason: 理由}", "at least two"),
        ("{between: [1, 2]}", "reason"),
        ("{between: [1, 2], reason: ''}", "reason"),
        ("[1, 2]", "review_later"),
    ],
)
def test_review_later_is_checked_when_loaded(tmp_path: Path, review_later: str, error: str | None) -> None:
    text = BASE.format(rule2='"true"', rule3='"true"')
    assert ITEM_1 in text
    path = _write(tmp_path, text.replace(ITEM_1, f"    options: [a, b]\n    review_later: {review_later}\n  - id: \"2\"", 1))
    if error is None:
        survey = load_survey(path)
        assert survey.item("1").review_later_between == (1, 2)
        assert survey.review_after_change("1", 1, 2, ORG_MUNICIPALITY, {"1": 2, "2": [1], "3": 1}) == ["2", "3"]
        return
    with pytest.raises(DefinitionError) as caught:
        load_survey(path)
    assert "item 1" in str(caught.value) and error in str(caught.value)


def test_review_later_fits_only_a_single_choice(tmp_path: Path) -> None:
    text = BASE.format(rule2='"true"', rule3='"true"').replace(
        "    options: [a, b, c]\n", "    options: [a, b, c]\n    review_later: {between: [1, 2], reason: r}\n", 1)
    with pytest.raises(DefinitionError, match="item 2"):
        load_survey(_write(tmp_path, text))
