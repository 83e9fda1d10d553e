"""A sheet people can work in: frozen header row and name column, autofilter, sized columns,
wrapped headers, A4 landscape one page wide with the header row on every page.

Works on write-only sheets (the list can hold thousands of rows): everything is set before
the rows are appended, and headers are styled cells.
"""
from __future__ import annotations

import weakref
from copy import copy
from typing import Any, Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.export.text_cells import clean_text

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FIX_FILL = PatternFill("solid", fgColor="FCE4D6")  # a cell with a problem to fix
CHECK_FILL = PatternFill("solid", fgColor="FFF2CC")  # a cell to look at
SAFE_FILL = PatternFill("solid", fgColor="E2EFDA")  # a safeguard
TITLE_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
_THIN = Side(style="thin", color="9BC2E6")
HEADER_BORDER = Border(bottom=_THIN)


def header_cells(sheet: Any, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=clean_text(header))
        cell.data_type = "s"
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = HEADER_BORDER
        cells.append(cell)
    return cells


# workbook -> (fill, font, wrap) -> the resolved style (indexes into that workbook's tables)
_STYLES: "weakref.WeakKeyDictionary[Any, dict[tuple[Any, Any, bool], Any]]" = weakref.WeakKeyDictionary()


def styled_cell(sheet: Any, value: Any, fill: PatternFill | None = None, font: Font | None = None,
                wrap: bool = False) -> WriteOnlyCell:
    """A write-only cell, top-aligned (wrapped if asked); strings stay strings."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    # Setting styles looks them up in the workbook's tables on every cell; a list sheet has
    # thousands of cells in a handful of styles, so each style is resolved once per workbook.
    styles = _STYLES.setdefault(sheet.parent, {})
    key = (fill, font, wrap)
    style = styles.get(key)
    if style is None:
        if fill is not None:
            cell.fill = fill
        if font is not None:
            cell.font = font
        cell.alignment = WRAP_TOP if wrap else TOP
        styles[key] = copy(cell._style)
    else:
        cell._style = copy(style)
    return cell


def setup_table(
    sheet: Any,
    widths: Sequence[float],
    header_row: int,
    rows: int,
    freeze_column: int | None,
    print_columns: int | None = None,
) -> None:
    """Freeze, filter, size and print a table whose headers are on `header_row` (1-based)
    followed by `rows` rows; `freeze_column` (1-based) is the last column kept in view."""
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_column = get_column_letter(len(widths))
    first_free = get_column_letter((freeze_column or 0) + 1)
    sheet.freeze_panes = f"{first_free}{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(rows, 1)}"
    print_a4_landscape(sheet, header_row, print_columns or len(widths), header_row + max(rows, 1))


def print_a4_landscape(sheet: Any, header_row: int, columns: int, last_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{get_column_letter(columns)}{max(last_row, header_row)}"
    sheet.print_options.gridLines = False


# Column width is counted in half-width characters; a full-width (Japanese) character takes
# about two. Rows of wrapped text get their height set before they are written, because a
# write-only sheet cannot be measured afterwards and viewers do not all fit rows on opening.
_LINE_POINTS = 15.0


def text_width(text: str) -> float:
    narrow = len(text.encode("latin-1", "ignore"))
    return narrow + 2.0 * (len(text) - narrow)


def wrapped_height(cells: Sequence[tuple[str, float]]) -> float | None:
    """The row height (points) that shows every (text, column width) cell whole, or None
    when one line is enough."""
    lines = 1
    for text, width in cells:
        per_line = max(int(width) - 1, 1)
        count = sum(max(1, -(-int(text_width(part)) // per_line)) for part in (text or "").split("\n"))
        lines = max(lines, count)
    return lines * _LINE_POINTS if lines > 1 else None


def set_row_height(sheet: Any, row: int, cells: Sequence[tuple[str, float]]) -> None:
    height = wrapped_height(cells)
    if height is not None:
        sheet.row_dimensions[row].height = height
