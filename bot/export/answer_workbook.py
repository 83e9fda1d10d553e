"""One respondent's answer workbook: `回答シート` laid out like the seed's answer sheet,
`一覧用` (row 1 headers, row 2 values) and a hidden `選択肢` sheet that the choice
cells' data-validation lists point at.
"""
from __future__ import annotations

import asyncio
import io
import math
import unicodedata
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.export.columns import SurveyLike, item_value, row_for
from bot.export.text_cells import write_text
from bot.messages import export as msg
from bot.survey.layout import sheet_order
from bot.survey.model import (
    KIND_MULTI,
    KIND_SINGLE,
    RESPONDENT_FIELDS,
    AnswerRecord,
)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WARNING = Font(bold=True, color="C00000")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# The sheet goes on paper for the 課長's 決裁: A4 portrait, one page wide. Widths are in
# Excel's character units; together they fill the printable width at about 100 %.
_WIDTHS = {"A": 15.0, "B": 55.0, "C": 33.0}
_PAPER_A4 = 9
# Row heights are set from the text, because a row without one is not grown to fit its
# wrapped text everywhere (LibreOffice does, Excel's print path does not always).
_LINE_POINTS = 15.0
_PADDING_POINTS = 3.0
# Excel's tallest row is 409 points; a longer free text goes on continuation rows.
_MAX_LINES = 25


def answer_file_name(survey: SurveyLike, org_name: str) -> str:
    """`【{組織名}】2307 マイナンバー調査回答.xlsx`: the definition's workbook.file_name (the
    seed names only the prefecture's file; the respondent's follows it)."""
    return survey.layout.file(org_name)


class _Choices:
    """The hidden 選択肢 sheet: one column per list, referenced by data validations.

    Inline lists are limited to 255 characters and cannot hold commas, and the
    options' wording is longer than that, so every list lives on this sheet.
    """

    def __init__(self, workbook: Workbook, title: str) -> None:
        self.sheet = workbook.create_sheet(title)
        self.sheet.sheet_state = "hidden"
        self._ranges: dict[tuple[str, ...], str] = {}

    def range_for(self, labels: tuple[str, ...]) -> str:
        if labels not in self._ranges:
            column = len(self._ranges) + 1
            for row, label in enumerate(labels, 1):
                write_text(self.sheet, row, column, label)
            letter = get_column_letter(column)
            self._ranges[labels] = (
                f"{quote_sheetname(self.sheet.title)}!${letter}$1:${letter}${len(labels)}"
            )
        return self._ranges[labels]


def _validation(sheet: Worksheet, formula: str, error: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = True
    validation.errorTitle = msg.VALIDATION_ERROR_TITLE
    validation.error = error
    sheet.add_data_validation(validation)
    return validation


def _respondent_block(
    sheet: Worksheet, survey: SurveyLike, record: AnswerRecord, choices: _Choices, row: int
) -> int:
    write_text(sheet, row, 1, msg.RESPONDENT_BLOCK).font = _BOLD
    row += 1
    layout = survey.layout
    org_type = survey.orgs.sheet_label(record.org_type)
    fields: list[tuple[str, str]] = [(msg.SYSTEM_LABEL, survey.texts.system)]
    for key, label in RESPONDENT_FIELDS:
        value = org_type if key == "org_type" else record.respondent.get(key, "")
        fields.append((label, value))
        if key == "org_type":
            fields.append((msg.ATTRIBUTE_LABEL, layout.attribute))
    org_validation = _validation(sheet, choices.range_for(layout.org_choices), msg.VALIDATION_ERROR)
    for label, value in fields:
        write_text(sheet, row, 1, label).font = _BOLD
        write_text(sheet, row, 2, value)
        write_text(sheet, row, 3, msg.FIELD_GUIDANCE.get(label, ""))
        _frame_row(sheet, row)
        if label == RESPONDENT_FIELDS[0][1]:
            org_validation.add(sheet.cell(row=row, column=2))
        row += 1
    return row


def _status_lines(sheet: Worksheet, status: Any, record: AnswerRecord, row: int) -> int:
    row += 1
    write_text(sheet, row, 1, msg.INFO_MISSING if status.info_missing else "").font = _WARNING
    row += 1
    write_text(sheet, row, 1, msg.UNANSWERED if status.unanswered_flag else "").font = _WARNING
    row += 1
    if record.confirmed:
        line = msg.CONFIRMATION_LINE_AT.format(
            status=msg.CONFIRMED, at=record.confirmation.confirmed_at or "",
            by=record.confirmation.confirmed_by or "",
        )
        write_text(sheet, row, 1, line).font = _BOLD
    else:
        line = msg.CONFIRMATION_LINE.format(status=msg.UNCONFIRMED)
        write_text(sheet, row, 1, line).font = _WARNING
    return row + 1


def _text_width(text: str) -> int:
    # Full-width characters take two of Excel's character units.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines_needed(text: str, width: float) -> int:
    per_line = max(int(width) - 1, 1)
    return sum(max(1, math.ceil(_text_width(line) / per_line)) for line in str(text).split("\n"))


def _row_chunks(text: str, width: float) -> list[str]:
    """`text` cut where a row would outgrow _MAX_LINES wrapped lines (one pass)."""
    per_line = max(int(width) - 1, 1)
    chunks, start, lines, used = [], 0, 1, 0
    for index, ch in enumerate(text):
        step = 0 if ch == "\n" else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if ch == "\n" or used + step > per_line:
            lines, used = lines + 1, 0
        if lines > _MAX_LINES:
            chunks.append(text[start:index])
            start, lines, used = index, 1, 0
        used += step
    chunks.append(text[start:])
    return [chunk for chunk in chunks if chunk] or [""]


def _frame_row(sheet: Worksheet, row: int) -> None:
    """Borders and wrapping on the row's three cells, and a height that shows all its text."""
    lines = 1
    for column, letter in enumerate(_WIDTHS, 1):
        cell = sheet.cell(row=row, column=column)
        cell.border = _BOX
        cell.alignment = _WRAP
        if cell.value:
            lines = max(lines, _lines_needed(cell.value, _WIDTHS[letter]))
    if lines > 1:
        sheet.row_dimensions[row].height = lines * _LINE_POINTS + _PADDING_POINTS


def _answer_table(
    sheet: Worksheet,
    survey: SurveyLike,
    status: Any,
    record: AnswerRecord,
    choices: _Choices,
    row: int,
) -> tuple[int, int]:
    """Writes the 項番 / 質問 / 回答 table; returns (its header row, the row after it)."""
    row += 1
    write_text(sheet, row, 1, msg.ANSWERS_BLOCK).font = _BOLD
    row += 1
    header_row = row
    for column, header in enumerate(msg.TABLE_HEADERS, 1):
        cell = write_text(sheet, row, column, header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    _frame_row(sheet, row)
    row += 1

    not_applicable = set(status.not_applicable)
    mark_validation = _validation(sheet, f'"{msg.MARK}"', msg.VALIDATION_MARK_ERROR)
    validations: dict[str, DataValidation] = {}
    for item in sheet_order(survey.items):
        if not item.on_sheet:
            continue  # 10_概要: the seed asks for an attachment; the chat says so
        skipped = item.id in not_applicable
        value: Any = record.answers.get(item.id)
        write_text(sheet, row, 1, "" if item.parent else item.id)
        write_text(sheet, row, 2, item.sheet_text)
        answer_cell = sheet.cell(row=row, column=3)
        if item.kind == KIND_MULTI:
            none_chosen = value == [] and record.has_note_none(item.id)
            write_text(sheet, row, 3, msg.NOT_APPLICABLE if skipped else msg.NONE_CHOSEN if none_chosen else "")
            _frame_row(sheet, row)
            row += 1
            chosen = value if isinstance(value, list) else []
            for option in item.options:
                write_text(sheet, row, 2, item.sheet_option_label(option.number))
                mark = msg.NOT_APPLICABLE if skipped else msg.MARK if option.number in chosen else ""
                write_text(sheet, row, 3, mark)
                mark_validation.add(sheet.cell(row=row, column=3))
                _frame_row(sheet, row)
                row += 1
            continue
        shown = msg.NOT_APPLICABLE if skipped else item_value(item, value)
        first, *rest = _row_chunks(shown, _WIDTHS["C"])
        write_text(sheet, row, 3, first)
        if item.kind == KIND_SINGLE:
            if item.id not in validations:
                labels = tuple(option.label for option in item.options)
                validations[item.id] = _validation(sheet, choices.range_for(labels), msg.VALIDATION_ERROR)
            validations[item.id].add(answer_cell)
        _frame_row(sheet, row)
        row += 1
        for chunk in rest:  # a long 概要: on paper, no row can hold it whole
            write_text(sheet, row, 2, msg.CONTINUED)
            write_text(sheet, row, 3, chunk)
            _frame_row(sheet, row)
            row += 1
    return header_row, row


def _page_setup(sheet: Worksheet, header_row: int, last_row: int) -> None:
    """A4 portrait, one page wide (as many pages tall as needed), the table's header row
    repeated on every page, page numbers in the footer."""
    sheet.page_setup.paperSize = _PAPER_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:C{last_row}"
    sheet.oddFooter.center.text = msg.PAGE_FOOTER


def _answer_sheet(sheet: Worksheet, survey: SurveyLike, record: AnswerRecord, choices: _Choices) -> None:
    for letter, width in _WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    write_text(sheet, 1, 1, survey.layout.title).font = _TITLE
    status = survey.status(record.org_type, record.answers, record.respondent, record.notes)
    row = _respondent_block(sheet, survey, record, choices, 3)
    row = _status_lines(sheet, status, record, row)
    header_row, end = _answer_table(sheet, survey, status, record, choices, row)
    _page_setup(sheet, header_row, end - 1)


def _list_sheet(sheet: Worksheet, survey: SurveyLike, record: AnswerRecord) -> None:
    for column, (header, value) in enumerate(zip(survey.layout.headers, row_for(survey, record)), 1):
        write_text(sheet, 1, column, header)
        write_text(sheet, 2, column, value)
    # Printed with the workbook, its two rows stay on one page instead of six.
    sheet.page_setup.paperSize = _PAPER_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def build_answer_workbook(survey: SurveyLike, record: AnswerRecord) -> bytes:
    """The respondent's workbook as xlsx bytes; every value is stored as text."""
    workbook = Workbook()
    answer_sheet = workbook.active
    sheets = survey.layout.sheets
    answer_sheet.title = sheets.answer
    list_sheet = workbook.create_sheet(sheets.list_row)
    choices = _Choices(workbook, sheets.choices)
    _answer_sheet(answer_sheet, survey, record, choices)
    _list_sheet(list_sheet, survey, record)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def build_answer_workbook_async(survey: SurveyLike, record: AnswerRecord) -> bytes:
    """build_answer_workbook off the event loop (openpyxl is CPU-bound and synchronous)."""
    return await asyncio.to_thread(build_answer_workbook, survey, record)
