"""The desk's cards as a phone shows them: the short risk card of 集計 (top patterns, most
found first)."""
from __future__ import annotations

from bot.delivery.collect import risk_card
from bot.export.list_sheets.attention import PatternSummary
from bot.messages import desk as msg
from bot.survey.engine import load_survey
from bot.survey.model import RISK
from tests.cards import walk


def _texts(attachment) -> list[str]:
    return [n["text"] for n in walk(attachment["content"]["body"]) if n.get("type") == "TextBlock"]


def test_risk_card_shows_the_most_found_risks_first() -> None:
    patterns = load_survey().risk_patterns
    risks = [p for p in patterns if p.kind == RISK]
    counts = {p.id: n for n, p in enumerate(patterns)}  # later patterns found more often
    attachment = risk_card([PatternSummary(p, counts[p.id]) for p in patterns])
    facts = [(f["title"], f["value"]) for n in walk(attachment["content"]["body"]) if n.get("type") == "FactSet" for f in n["facts"]]
    expected = sorted((p for p in risks if counts[p.id]), key=lambda p: -counts[p.id])[: msg.RISK_SHOWN]
    assert facts == [(p.title, msg.RISK_COUNT.format(count=counts[p.id])) for p in expected]
    texts = _texts(attachment)
    assert texts[0] == msg.RISK_TITLE and msg.RISK_WHERE in texts
    assert any(t.startswith(msg.RISK_SAFEGUARDS.split("{")[0]) for t in texts)


def test_risk_card_when_nothing_is_found() -> None:
    attachment = risk_card([PatternSummary(p, 0) for p in load_survey().risk_patterns])
    assert msg.RISK_NONE in _texts(attachment)
    assert not [n for n in walk(attachment["content"]["body"]) if n.get("type") == "FactSet"]
