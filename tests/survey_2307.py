"""The 2307 definition's organisation types and 一覧用 headers, for the tests written against it
(the code reads them from the definition: bot/survey/definitions/2307.yaml)."""
from __future__ import annotations

from bot.survey.engine import load_survey
from bot.survey.model import ROLE_MEMBER, ROLE_MUNICIPALITY, ROLE_PREFECTURE, ROLE_UNION

SURVEY = load_survey()
ORGS = SURVEY.orgs


def _label(role: str) -> str:
    label = ORGS.label_of(role)
    assert label is not None, role
    return label


ORG_MUNICIPALITY = _label(ROLE_MUNICIPALITY)
ORG_MEMBER = _label(ROLE_MEMBER)
ORG_UNION = _label(ROLE_UNION)
ORG_PREFECTURE = _label(ROLE_PREFECTURE)
ORG_TYPES = ORGS.labels
HEADERS = SURVEY.layout.headers
ORG_COLUMN = SURVEY.layout.org_column
LAYOUT = SURVEY.layout
