"""The desk's cards as a phone shows them: 進捗 with every status counted but a bounded
number of rows, and the short risk card of 集計 (top patterns, most found first)."""
from __future__ import annotations

from bot.delivery.collect import risk_card
from bot.export.list_sheets.attention import PatternSummary
from bot.messages import desk as msg
from bot.survey.engine import load_survey
from bot.survey.model import RISK
from tests.cards import DESK_CARDS, walk


def _texts(attachment) -> list[str]:
    return [n["text"] for n in walk(attachment["content"]["body"]) if n.get("type") == "TextBlock"]


def _sections(attachment) -> list[list[str]]:
    return [[b["text"] for b in n["items"]] for n in walk(attachment["content"]["body"])
            if n.get("type") == "Container" and "isVisible" in n]


def test_progress_rows_are_bounded_and_the_rest_counted() -> None:
    attachment = dict(DESK_CARDS)["progress-every-status-long-names"]()  # 5 statuses x 60
    sections = _sections(attachment)
    shown = [[row for row in rows if not row.startswith("ほか")] for rows in sections]
    assert [len(rows) for rows in shown] == [30, 30, 20, 0, 0]  # 80 rows in all
    assert [rows[-1] for rows in sections] == [msg.PROGRESS_MORE.format(count=n) for n in (30, 30, 40, 60, 60)]
    facts = [f["value"] for n in walk(attachment["content"]["body"]) if n.get("type") == "FactSet" for f in n["facts"]]
    assert facts == ["60"] * 5


def test_one_prefecture_all_not_started() -> None:
    attachment = dict(DESK_CARDS)["progress-hokkaido-not-started"]()
    [rows] = _sections(attachment)
    assert rows[0] == "札幌市0: 未着手（7/10 14:05）" and rows[-1] == msg.PROGRESS_MORE.format(count=149)
    assert msg.PROGRESS_NO_DEADLINE in _texts(attachment)


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
