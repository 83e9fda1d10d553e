"""The prefecture's list: one sheet `一覧`, row 1 the 一覧用 headers, then one row per
respondent ordered by 組織名 (answer-sheet.md, seed 3.(4)).

Rows come from row_for() (answers kept by the bot) and read_list_row() (files sent in);
this module only orders and writes them, in openpyxl's write-only mode because a
prefecture may hold a couple of thousand rows.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Iterable

from openpyxl import Workbook

from bot.export.columns import HEADERS, ORG_COLUMN
from bot.export.text_cells import text_row
from bot.messages import export as msg


def prefecture_subject(prefecture_name: str) -> str:
    """E-mail subject: `【神奈川県】2307 マイナンバー調査回答` (seed 3.(1))."""
    return msg.FILE_SUBJECT.format(name=prefecture_name)


def prefecture_file_name(prefecture_name: str) -> str:
    """`【神奈川県】2307 マイナンバー調査回答.xlsx` (seed 3.(2))."""
    return msg.FILE_NAME.format(name=prefecture_name)


def ordered_rows(rows: Iterable[list[str]]) -> list[list[str]]:
    """Rows sorted by 組織名 (stable: equal names keep their order), padded to 42."""
    width = len(HEADERS)
    padded = [list(row[:width]) + [""] * (width - len(row)) for row in rows]
    return sorted(padded, key=lambda row: row[ORG_COLUMN] or "")


def build_prefecture_workbook(prefecture_name: str, rows: list[list[str]]) -> bytes:
    """The list workbook as xlsx bytes; every cell is text.

    prefecture_name is accepted for symmetry with the file name; the sheet itself
    carries only the headers and the rows, as the seed asks.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(msg.SHEET_PREFECTURE_LIST)
    sheet.append(text_row(sheet, list(HEADERS)))
    for row in ordered_rows(rows):
        sheet.append(text_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ListSummary:
    """What went into a prefecture list, for the message that comes with it."""

    confirmed: int = 0
    unconfirmed: int = 0
    from_files: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (filename, reason)

    @property
    def total(self) -> int:
        return self.confirmed + self.unconfirmed + self.from_files


_CONFIRMATION_COLUMN = HEADERS.index("回答責任者確認")


def summarise(
    stored_rows: Iterable[list[str]],
    file_rows: Iterable[list[str]],
    rejected: Iterable[tuple[str, str]] = (),
) -> ListSummary:
    """Count the rows by origin; stored rows by their 回答責任者確認 column."""
    summary = ListSummary(rejected=list(rejected))
    for row in stored_rows:
        if row[_CONFIRMATION_COLUMN] == msg.CONFIRMED:
            summary.confirmed += 1
        else:
            summary.unconfirmed += 1
    summary.from_files = sum(1 for _ in file_rows)
    return summary
