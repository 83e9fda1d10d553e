"""Read row 2 of the `一覧用` sheet of a workbook a municipality sent in.

Columns are found by header name (the survey's layout.position), never by position. A file
that cannot be read completely is rejected with a reason the prefecture can act on;
nothing is half-read.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook

from bot.messages import export as msg
from bot.survey.layout import SRC_ITEM, SRC_OPTION, SRC_ORG_TYPE, SRC_RESPONDENT, Layout

MAX_BYTES = 5 * 1024 * 1024
# Zip bombs, refused from the archive's directory before openpyxl opens anything
# (Python's zipfile, which openpyxl reads through, never inflates an entry past the
# size the directory declares, so these bounds hold for what is actually unpacked):
# an answer sheet unpacks to well under a megabyte, has a few dozen parts, and its XML
# compresses perhaps 10-30 times; deflate can reach about 1000.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # smaller parts cannot do harm whatever their ratio
# Compound-file magic: .xls and password-protected .xlsx both start with it.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A prefecture's list holds its municipalities and 広域連合等 (the largest, 北海道, 179 + a
# few dozen); the whole country's is about 1,800 rows.
MAX_LIST_ROWS = 2500
# A header row wider than this is not a 一覧用 sheet; stop reading instead of scanning it all.
_MAX_COLUMNS = 512


class ListFileError(Exception):
    """A sent-in file whose 一覧用 row cannot be used; reason is Japanese, for the user.

    `list_sheet` says what was wrong was the 一覧用 sheet only (missing, empty, headers):
    a 回答シート in the same file may still be read. `no_sheet`: the sheet is missing."""

    def __init__(self, filename: str, reason: str, list_sheet: bool = False, no_sheet: bool = False) -> None:
        super().__init__(msg.ERROR_WITH_NAME.format(filename=filename, reason=reason))
        self.filename = filename
        self.reason = reason
        self.list_sheet = list_sheet or no_sheet
        self.no_sheet = no_sheet


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: 1.0 → '1', None → ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _filled_by_respondent(layout: Layout) -> tuple[int, ...]:
    # A template arrives with 制度等/属性 typed in and status formulas computed, so
    # "row 2 is empty" means: nothing the respondent fills in.
    sources = (SRC_ORG_TYPE, SRC_RESPONDENT, SRC_ITEM, SRC_OPTION)
    return tuple(i for i, c in enumerate(layout.columns) if c.source in sources)


def check_workbook_package(data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuses (ListFileError) what is not an .xlsx package safe to hand to openpyxl:
    too large, .xls or encrypted, not a zip, not a workbook, or a zip bomb."""
    if len(data) > max_bytes:
        raise ListFileError(
            filename, msg.TOO_LARGE.format(size=msg.size_text(len(data)), limit=msg.size_text(max_bytes))
        )
    if data.startswith(_OLE_MAGIC):
        raise ListFileError(filename, msg.OLD_OR_ENCRYPTED)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ListFileError(filename, msg.NOT_A_ZIP)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise ListFileError(filename, msg.NOT_A_ZIP) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ListFileError(filename, msg.NOT_A_WORKBOOK)
    if len(infos) > MAX_ENTRIES:
        raise ListFileError(filename, msg.TOO_MANY_PARTS.format(count=len(infos), limit=MAX_ENTRIES))
    for info in infos:
        if info.file_size > RATIO_CHECKED_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ListFileError(filename, msg.COMPRESSION_TOO_HIGH.format(
                part=info.filename, ratio=info.file_size // max(info.compress_size, 1), limit=MAX_RATIO,
            ))
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ListFileError(filename, msg.TOO_LARGE_UNPACKED.format(limit=msg.size_text(MAX_UNPACKED_BYTES)))


def _map_headers(layout: Layout, header_row: tuple[Any, ...], filename: str, sheet: str = "") -> dict[int, int]:
    """file column → 一覧用 column; every template column must be present exactly once."""
    mapping: dict[int, int] = {}
    seen: dict[int, str] = {}
    duplicates: list[str] = []
    for file_col, raw in enumerate(header_row):
        header = cell_text(raw).strip()
        if not header:
            continue
        position = layout.position(header)
        if position is None:
            continue  # extra columns (notes, a ministry-only field) are not ours to read
        if position in seen:
            duplicates.append(header)
            continue
        seen[position] = header
        mapping[file_col] = position
    sheet = sheet or layout.sheets.list_row
    if duplicates:
        reason = msg.DUPLICATE_HEADERS.format(sheet=sheet, headers=msg.HEADER_SEPARATOR.join(duplicates))
        raise ListFileError(filename, reason, list_sheet=True)
    # The project's own columns are optional: a Ministry template filled by hand lacks them.
    missing = [c.header for i, c in enumerate(layout.columns) if not c.project and i not in seen]
    if missing:
        reason = msg.MISSING_HEADERS.format(sheet=sheet, headers=msg.HEADER_SEPARATOR.join(missing))
        raise ListFileError(filename, reason, list_sheet=True)
    return mapping


def _sheet_rows(data: bytes, filename: str, max_bytes: int, sheet_name: str, max_row: int) -> list[tuple[Any, ...]]:
    """Rows 1..max_row of one sheet, as values (ListFileError when the file or sheet fails)."""
    check_workbook_package(data, filename, max_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged package
        raise ListFileError(filename, msg.NOT_A_WORKBOOK) from None
    try:
        if sheet_name not in workbook.sheetnames:
            raise ListFileError(filename, msg.NO_LIST_SHEET.format(sheet=sheet_name), no_sheet=True)
        try:
            return list(workbook[sheet_name].iter_rows(min_row=1, max_row=max_row, max_col=_MAX_COLUMNS, values_only=True))
        except Exception:
            raise ListFileError(filename, msg.NOT_A_WORKBOOK) from None
    finally:
        workbook.close()


def _row_values(layout: Layout, mapping: dict[int, int], values: tuple[Any, ...]) -> list[str]:
    result = [""] * len(layout.columns)
    for file_col, position in mapping.items():
        if file_col < len(values):
            result[position] = cell_text(values[file_col])
    return result


def _filled(layout: Layout, row: list[str]) -> bool:
    return any(row[i].strip() for i in _filled_by_respondent(layout))


def read_list_row(layout: Layout, data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> list[str]:
    """The values of the file's 一覧用 row 2, in the layout's column order, as text.

    Raises ListFileError(filename, reason) when the file cannot be used as a whole.
    """
    rows = _sheet_rows(data, filename, max_bytes, layout.sheets.list_row, 2)
    mapping = _map_headers(layout, rows[0] if rows else (), filename)
    result = _row_values(layout, mapping, rows[1] if len(rows) > 1 else ())
    if not _filled(layout, result):
        raise ListFileError(filename, msg.EMPTY_ROW.format(sheet=layout.sheets.list_row), list_sheet=True)
    return result


def read_list_rows(layout: Layout, data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> list[list[str]]:
    """Every filled row of a prefecture's list (its one sheet, `一覧`), in the layout's column
    order, as text; columns found by header as in read_list_row. A list longer than
    MAX_LIST_ROWS is refused whole rather than read in part."""
    rows = _sheet_rows(data, filename, max_bytes, layout.sheets.list, MAX_LIST_ROWS + 2)
    mapping = _map_headers(layout, rows[0] if rows else (), filename, layout.sheets.list)
    if len(rows) > MAX_LIST_ROWS + 1:
        raise ListFileError(filename, msg.TOO_MANY_ROWS.format(sheet=layout.sheets.list, limit=MAX_LIST_ROWS))
    found = [row for row in (_row_values(layout, mapping, values) for values in rows[1:]) if _filled(layout, row)]
    if not found:
        raise ListFileError(filename, msg.EMPTY_LIST.format(sheet=layout.sheets.list))
    return found
