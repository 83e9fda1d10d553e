"""要注意: organisations by risk pattern (definition.yaml risk_patterns, the project's reading),
with the answers each pattern rests on."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from bot.export.list_sheets.style import FIX_FILL, SAFE_FILL, header_cells, set_row_height, setup_table, styled_cell

_WIDTHS = (34, 9, 26, 40, 48, 60)
from bot.messages import list_sheets as msg
from bot.survey.engine import Survey
from bot.survey.model import RISK, AnswerRecord, RiskPattern


@dataclass(frozen=True)
class PatternHit:
    pattern: RiskPattern
    org: str
    answers: str  # the answers the pattern rests on: "Q7-3 ①決めている。／Q7-4 ②③"


@dataclass(frozen=True)
class PatternSummary:
    pattern: RiskPattern
    count: int


def pattern_hits(survey: Survey, records: Sequence[AnswerRecord]) -> tuple[list[PatternSummary], list[PatternHit]]:
    """Every record's matching patterns; risks first, then safeguards, each in definition order."""
    hits: dict[str, list[PatternHit]] = {p.id: [] for p in survey.risk_patterns}
    for record in sorted(records, key=lambda r: r.respondent.get("org_name", "")):
        flags = survey.applicability(record.org_type, record.answers)
        for pattern in survey.matching_patterns(record.org_type, record.answers, flags):
            shown = msg.ANSWER_SEPARATOR.join(
                f"{survey.item(i).heading} {survey.format_value(i, record.answers[i])}"
                for i in survey.pattern_items(pattern)
                if flags[i] is True and record.answers.get(i) is not None
            )
            hits[pattern.id].append(PatternHit(pattern, record.respondent.get("org_name", ""), shown))
    ordered = sorted(survey.risk_patterns, key=lambda p: p.kind != RISK)
    summary = [PatternSummary(p, len(hits[p.id])) for p in ordered]
    return summary, [hit for p in ordered for hit in hits[p.id]]


def _kind(pattern: RiskPattern) -> str:
    return msg.KIND_RISK if pattern.kind == RISK else msg.KIND_SAFEGUARD


def write_attention_sheet(workbook: Any, survey: Survey, records: Sequence[AnswerRecord]) -> list[PatternSummary]:
    """One row per organisation and pattern; returns the counts per pattern (for the chat)."""
    sheet = workbook.create_sheet(msg.SHEET_ATTENTION)
    summary, hits = pattern_hits(survey, records)
    setup_table(sheet, _WIDTHS, header_row=1, rows=len(hits), freeze_column=3)
    sheet.append(header_cells(sheet, msg.ATTENTION_HEADERS))
    if not hits:
        sheet.append([msg.ATTENTION_NONE])
    for row, hit in enumerate(hits, 2):
        texts = (hit.pattern.title, "", hit.org, hit.answers, hit.pattern.seed, hit.pattern.reading)
        set_row_height(sheet, row, list(zip(texts, _WIDTHS)))
        fill = FIX_FILL if hit.pattern.kind == RISK else SAFE_FILL
        sheet.append([
            styled_cell(sheet, hit.pattern.title, wrap=True), styled_cell(sheet, _kind(hit.pattern), fill=fill),
            styled_cell(sheet, hit.org), styled_cell(sheet, hit.answers, wrap=True),
            styled_cell(sheet, hit.pattern.seed, wrap=True), styled_cell(sheet, hit.pattern.reading, wrap=True),
        ])
    return summary
