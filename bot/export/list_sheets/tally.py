"""集計: per choice item, how many organisations of the prefecture chose each option, with a
native Excel bar chart per item (the file stays a plain workbook the ministry can open)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.utils import get_column_letter

from bot.export.list_sheets.style import (
    BOLD,
    TITLE_FONT,
    header_cells,
    print_a4_landscape,
    set_row_height,
    styled_cell,
    wrapped_height,
)
from bot.messages import list_sheets as msg
from bot.survey.engine import Survey
from bot.survey.model import KIND_MULTI, KIND_SINGLE, AnswerRecord, Item, circled

_ROW_CM = 0.53  # Excel's default row height (15 pt)
_CHART_WIDTH_CM = 13.0
_CHART_COLUMN = 6  # F: the chart stands right of the table
_LAST_PRINT_COLUMN = 14  # N: the chart's right edge, so printing keeps it whole
_TEXT_WIDTH = 60
# Rows of the sheet that fit on one printed page at the fit-to-width scale (A4 landscape,
# default margins, columns A..N): a block never straddles a page, so no chart is cut.
_PAGE_POINTS = 780.0



@dataclass(frozen=True)
class ItemTally:
    item: Item
    counts: tuple[int, ...]  # per option, in option order
    unanswered: int  # the item applies, no answer
    not_applicable: int
    respondents: int  # organisations the item applies to

    def share(self, count: int) -> float:
        return count / self.respondents if self.respondents else 0.0


def tally(survey: Survey, records: Sequence[AnswerRecord]) -> list[ItemTally]:
    """Counts of every single and multi item over the records (対象外 answers never count)."""
    items = [i for i in survey.items if i.kind in (KIND_SINGLE, KIND_MULTI)]
    counts = {i.id: [0] * len(i.options) for i in items}
    unanswered = dict.fromkeys(counts, 0)
    not_applicable = dict.fromkeys(counts, 0)
    applies = dict.fromkeys(counts, 0)
    for record in records:
        flags = survey.applicability(record.org_type, record.answers)
        for item in items:
            if flags[item.id] is False:
                not_applicable[item.id] += 1
                continue
            applies[item.id] += 1
            value = record.answers.get(item.id)
            chosen = value if isinstance(value, list) else [value] if isinstance(value, int) else []
            none_confirmed = value == [] and record.has_note_none(item.id)
            if not chosen and not none_confirmed:
                unanswered[item.id] += 1
            for number in chosen:
                if 1 <= number <= len(item.options):
                    counts[item.id][number - 1] += 1
    ordered = sorted(items, key=lambda i: tuple(int(p) for p in i.id.split("-")))
    return [
        ItemTally(i, tuple(counts[i.id]), unanswered[i.id], not_applicable[i.id], applies[i.id]) for i in ordered
    ]


def _block_rows(item: Item) -> int:
    chart_rows = math.ceil(_chart_height_cm(item) / _ROW_CM) + 1
    return max(len(item.options) + 5, chart_rows)


_ROW_POINTS = 15.0


def _block_points(item: Item) -> float:
    """The printed height of an item's block, rows of wrapped text included."""
    texts = [item.sheet_text + msg.TALLY_MULTI_NOTE, *(o.text for o in item.options)]
    extra = sum((wrapped_height([(t, _TEXT_WIDTH)]) or _ROW_POINTS) - _ROW_POINTS for t in texts)
    return _block_rows(item) * _ROW_POINTS + extra


def _chart_height_cm(item: Item) -> float:
    return max(5.0, 1.1 * len(item.options) + 3.0)


def write_tally_sheet(workbook: Any, survey: Survey, prefecture: str, records: Sequence[AnswerRecord]) -> list[ItemTally]:
    sheet = workbook.create_sheet(msg.SHEET_TALLY)
    for column, width in zip("ABCDE", (6, _TEXT_WIDTH, 8, 8, 2)):
        sheet.column_dimensions[column].width = width
    tallies = tally(survey, records)
    # A write-only sheet writes its properties with the first row: print setup comes first.
    last_row = 1 + sum(_block_rows(t.item) for t in tallies)
    print_a4_landscape(sheet, header_row=1, columns=_LAST_PRINT_COLUMN, last_row=last_row)
    sheet.freeze_panes = "A2"
    sheet.append([styled_cell(sheet, msg.TALLY_TITLE.format(prefecture=prefecture, count=len(records)), font=TITLE_FONT)])
    row = 1  # the last row written
    used = _ROW_POINTS
    for item_tally in tallies:
        height = _block_points(item_tally.item)
        if used + height > _PAGE_POINTS:
            sheet.row_breaks.append(Break(id=row))
            used = 0.0
        used += height
        row = _write_block(sheet, item_tally, row + 1)
    return tallies


def _write_block(sheet: Any, item_tally: ItemTally, start: int) -> int:
    """The item's title, table and chart from row `start`; returns the block's last row."""
    item = item_tally.item
    note = msg.TALLY_MULTI_NOTE if item.kind == KIND_MULTI else ""
    sheet.append([None])  # a blank row between blocks (row start)
    question = item.sheet_text + note
    set_row_height(sheet, start + 1, [(question, _TEXT_WIDTH)])
    sheet.append([styled_cell(sheet, item.heading, font=BOLD), styled_cell(sheet, question, wrap=True)])
    sheet.append(header_cells(sheet, msg.TALLY_HEADERS))
    header_row = start + 2
    for row, (option, count) in enumerate(zip(item.options, item_tally.counts), header_row + 1):
        set_row_height(sheet, row, [(option.text, _TEXT_WIDTH)])
        sheet.append([
            styled_cell(sheet, circled(option.number)), styled_cell(sheet, option.text, wrap=True),
            styled_cell(sheet, count), _share_cell(sheet, item_tally.share(count)),
        ])
    last_option = header_row + len(item.options)
    sheet.append([None, msg.TALLY_UNANSWERED, item_tally.unanswered, None])
    sheet.append([None, msg.TALLY_NOT_APPLICABLE, item_tally.not_applicable, None])
    written = last_option + 2
    end = start + _block_rows(item) - 1  # the block's last row: the chart fits above it
    for _ in range(written, end):
        sheet.append([None])

    chart = BarChart()
    chart.type = "bar"  # horizontal: option numbers read down the side like the table
    chart.style = 10
    chart.title = item.heading
    chart.y_axis.title = msg.CHART_Y_TITLE
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorUnit = max(1, math.ceil(max(item_tally.counts, default=0) / 5))
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # ① at the top, as in the table
    chart.legend = None
    data = Reference(sheet, min_col=3, min_row=header_row, max_row=last_option)
    categories = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_option)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(chart.dataLabels, flag, False)
    chart.width = _CHART_WIDTH_CM
    chart.height = _chart_height_cm(item)
    sheet.add_chart(chart, f"{get_column_letter(_CHART_COLUMN)}{start + 1}")
    return end


def _share_cell(sheet: Any, share: float) -> Any:
    cell = styled_cell(sheet, share)
    cell.number_format = "0%"
    return cell
