"""Whole walks through the survey, one per respondent type and per skip path, on the
pure Conversation: every turn's heading, then what ends up stored."""
from __future__ import annotations

import pytest

from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import ALL_WALKS, Walk, stored_respondent


@pytest.mark.parametrize("walk", ALL_WALKS, ids=str)
def test_walk(walk: Walk) -> None:
    t = Transcript()
    t.play(walk.steps())
    assert t.respondent == stored_respondent(walk.org_type)
    assert t.answers == walk.answers
