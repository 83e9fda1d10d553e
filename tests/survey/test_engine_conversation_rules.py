"""Engine answers the conversation asks (issue 9): which unanswered item decides whether
an item applies, and what is still open, in survey order."""
from __future__ import annotations

from typing import Any

import pytest

from bot.survey.engine import load_survey
from bot.survey.model import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_UNION

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
