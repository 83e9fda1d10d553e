"""One respondent's answer workbook: `回答シート` laid out like the seed's answer sheet,
`一覧用` (row 1 headers, row 2 values) and a hidden `選択肢` sheet that the choice
cells' data-validation lists point at.
"""
from __future__ import annotations

import asyncio
import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.export.columns import HEADERS, SurveyLike, export_org_type, item_value, row_for
from bot.export.text_cells import write_text
from bot.messages import export as msg
from bot.survey.model import (
    KIND_MULTI,
    KIND_SINGLE,
    ORG_MUNICIPALITY,
    ORG_PREFECTURE,
    ORG_UNION,
    RESPONDENT_FIELDS,
    AnswerRecord,
    Item,
)

# 組織区分 choices on the sheet: the Ministry's three (a 構成市町村 is a 市区町村 there).
SHEET_ORG_TYPES = (ORG_PREFECTURE, ORG_MUNICIPALITY, ORG_UNION)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WARNING = Font(bold=True, color="C00000")


def answer_file_name(org_name: str) -> str:
    """`【{組織名}】2307 マイナンバー調査回答.xlsx` (the project's convention)."""
    return msg.FILE_NAME.format(name=org_name)


def _number_key(item_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", item_id))


def sheet_order(items: tuple[Item, ...] | list[Item]) -> list[Item]:
    """Items as the answer sheet lists them: 1-1 … 13, each sub-item after its item.

    The survey's asking order puts 13 first; the sheet keeps the seed's numbering.
    """
    children: dict[str, list[Item]] = {}
    for item in items:
        if item.parent:
            children.setdefault(item.parent, []).append(item)
    ordered: list[Item] = []
    for item in sorted((i for i in items if not i.parent), key=lambda i: _number_key(i.id)):
        ordered.append(item)
        ordered.extend(children.get(item.id, ()))
    return ordered


class _Choices:
    """The hidden 選択肢 sheet: one column per list, referenced by data validations.

    Inline lists are limited to 255 characters and cannot hold commas, and the
    options' wording is longer than that, so every list lives on this sheet.
    """

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(msg.SHEET_CHOICES)
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


def _respondent_block(sheet: Worksheet, record: AnswerRecord, choices: _Choices, row: int) -> int:
    write_text(sheet, row, 1, msg.RESPONDENT_BLOCK).font = _BOLD
    row += 1
    org_type = export_org_type(record.org_type)
    fields: list[tuple[str, str]] = [(msg.SYSTEM_LABEL, msg.SYSTEM_VALUE)]
    for key, label in RESPONDENT_FIELDS:
        value = org_type if key == "org_type" else record.respondent.get(key, "")
        fields.append((label, value))
        if key == "org_type":
            fields.append((msg.ATTRIBUTE_LABEL, msg.ATTRIBUTE_VALUE))
    org_validation = _validation(sheet, choices.range_for(SHEET_ORG_TYPES), msg.VALIDATION_ERROR)
    for label, value in fields:
        write_text(sheet, row, 1, label).font = _BOLD
        write_text(sheet, row, 2, value)
        write_text(sheet, row, 3, msg.FIELD_GUIDANCE.get(label, "")).alignment = _WRAP
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
            status=msg.CONFIRMED, at=record.confirmation.get("confirmed_at", ""),
            by=record.confirmation.get("confirmed_by", ""),
        )
        write_text(sheet, row, 1, line).font = _BOLD
    else:
        line = msg.CONFIRMATION_LINE.format(status=msg.UNCONFIRMED)
        write_text(sheet, row, 1, line).font = _WARNING
    return row + 1


def _answer_table(
    sheet: Worksheet,
    survey: SurveyLike,
    status: Any,
    record: AnswerRecord,
    choices: _Choices,
    row: int,
) -> int:
    row += 1
    write_text(sheet, row, 1, msg.ANSWERS_BLOCK).font = _BOLD
    row += 1
    for column, header in enumerate(msg.TABLE_HEADERS, 1):
        cell = write_text(sheet, row, column, header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    row += 1

    not_applicable = set(status.not_applicable)
    mark_validation = _validation(sheet, f'"{msg.MARK}"', msg.VALIDATION_MARK_ERROR)
    validations: dict[str, DataValidation] = {}
    for item in sheet_order(survey.items):
        skipped = item.id in not_applicable
        value: Any = record.answers.get(item.id)
        write_text(sheet, row, 1, "" if item.parent else item.id)
        write_text(sheet, row, 2, item.sheet_text).alignment = _WRAP
        answer_cell = sheet.cell(row=row, column=3)
        answer_cell.alignment = _WRAP
        if item.kind == KIND_MULTI:
            none_chosen = value == [] and record.notes.get(item.id) == "none"
            write_text(sheet, row, 3, msg.NOT_APPLICABLE if skipped else msg.NONE_CHOSEN if none_chosen else "")
            row += 1
            chosen = value if isinstance(value, list) else []
            for option in item.options:
                write_text(sheet, row, 2, option.label).alignment = _WRAP
                mark = msg.NOT_APPLICABLE if skipped else msg.MARK if option.number in chosen else ""
                write_text(sheet, row, 3, mark)
                mark_validation.add(sheet.cell(row=row, column=3))
                row += 1
            continue
        write_text(sheet, row, 3, msg.NOT_APPLICABLE if skipped else item_value(item, value))
        if item.kind == KIND_SINGLE:
            if item.id not in validations:
                labels = tuple(option.label for option in item.options)
                validations[item.id] = _validation(sheet, choices.range_for(labels), msg.VALIDATION_ERROR)
            validations[item.id].add(answer_cell)
        row += 1
    return row


def _answer_sheet(sheet: Worksheet, survey: SurveyLike, record: AnswerRecord, choices: _Choices) -> None:
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 48
    write_text(sheet, 1, 1, msg.TITLE).font = _TITLE
    status = survey.status(record.org_type, record.answers, record.respondent, record.notes)
    row = _respondent_block(sheet, record, choices, 3)
    row = _status_lines(sheet, status, record, row)
    _answer_table(sheet, survey, status, record, choices, row)


def _list_sheet(sheet: Worksheet, survey: SurveyLike, record: AnswerRecord) -> None:
    for column, (header, value) in enumerate(zip(HEADERS, row_for(survey, record)), 1):
        write_text(sheet, 1, column, header)
        write_text(sheet, 2, column, value)


def build_answer_workbook(survey: SurveyLike, record: AnswerRecord) -> bytes:
    """The respondent's workbook as xlsx bytes; every value is stored as text."""
    workbook = Workbook()
    answer_sheet = workbook.active
    answer_sheet.title = msg.SHEET_ANSWER
    list_sheet = workbook.create_sheet(msg.SHEET_LIST_ROW)
    choices = _Choices(workbook)
    _answer_sheet(answer_sheet, survey, record, choices)
    _list_sheet(list_sheet, survey, record)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def build_answer_workbook_async(survey: SurveyLike, record: AnswerRecord) -> bytes:
    """build_answer_workbook off the event loop (openpyxl is CPU-bound and synchronous)."""
    return await asyncio.to_thread(build_answer_workbook, survey, record)
