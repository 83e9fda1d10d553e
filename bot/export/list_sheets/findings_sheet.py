"""点検結果: every finding of the checks, one row each: organisation, item, problem, and the
rule in the survey's words."""
from __future__ import annotations

from typing import Any, Sequence

from bot.export.list_sheets.style import CHECK_FILL, FIX_FILL, header_cells, set_row_height, setup_table, styled_cell

_WIDTHS = (26, 18, 8, 12, 22, 44, 52)
from bot.messages import checks as checks_msg
from bot.messages import list_sheets as msg
from bot.survey.checks import Finding


def write_findings_sheet(workbook: Any, findings: Sequence[Finding]) -> None:
    sheet = workbook.create_sheet(msg.SHEET_FINDINGS)
    setup_table(sheet, _WIDTHS, header_row=1, rows=len(findings), freeze_column=1)
    sheet.append(header_cells(sheet, msg.FINDINGS_HEADERS))
    if not findings:
        sheet.append([msg.FINDINGS_NONE])
        return
    for row, finding in enumerate(findings, 2):
        texts = (finding.org, finding.source, finding.severity, finding.item, finding.value, finding.problem, finding.rule)
        set_row_height(sheet, row, list(zip(texts, _WIDTHS)))
        fill = FIX_FILL if finding.severity == checks_msg.FIX else CHECK_FILL
        sheet.append([
            styled_cell(sheet, finding.org),
            styled_cell(sheet, finding.source, wrap=True),
            styled_cell(sheet, finding.severity, fill=fill),
            styled_cell(sheet, finding.item),
            styled_cell(sheet, finding.value, wrap=True) if finding.value else None,
            styled_cell(sheet, finding.problem, wrap=True),
            styled_cell(sheet, finding.rule, wrap=True),
        ])
