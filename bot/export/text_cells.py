"""Writing values as literal text, whatever they begin with.

openpyxl turns a string that starts with `=` into a formula and `#N/A` into an error;
a free-text answer must come back from the file as the string that was typed.
"""
from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet


def clean_text(value: Any) -> str:
    # Control characters (pasted from other tools) make openpyxl refuse the whole file.
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def set_text(cell: Cell, value: Any) -> Cell:
    """Store value in cell as a string cell ('' leaves the cell blank)."""
    text = clean_text(value)
    if not text:
        cell.value = None
        return cell
    cell.value = text
    cell.data_type = "s"
    return cell


def write_text(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    return set_text(sheet.cell(row=row, column=column), value)


def needs_forced_text(text: str) -> bool:
    """Would openpyxl store this string as something other than a string?"""
    return (len(text) > 1 and text.startswith("=")) or text in ERROR_CODES


def text_row(sheet: Any, values: list[str]) -> list[WriteOnlyCell | str | None]:
    """A write-only row where every non-empty value is stored as a string.

    Plain strings already are; only formula- or error-like ones get a cell object
    with the type forced, because building a cell per value doubles the write time.
    """
    row: list[WriteOnlyCell | str | None] = []
    for value in values:
        text = clean_text(value)
        if not text:
            row.append(None)
        elif needs_forced_text(text):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(text)
    return row
