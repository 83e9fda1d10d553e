"""The prefecture's list: one sheet `一覧`, row 1 the 一覧用 headers, then one row per
respondent ordered by 組織名 (answer-sheet.md, seed 3.(4)).

Rows come from row_for() (answers kept by the bot) and read_list_row() (files sent in);
this module only orders and writes them, in openpyxl's write-only mode because a
prefecture may hold a couple of thousand rows.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from bot.export.columns import SurveyLike
from bot.export.list_sheets.attention import PatternSummary, write_attention_sheet
from bot.export.list_sheets.findings_sheet import write_findings_sheet
from bot.export.list_sheets.progress import (
    Progress,
    ProgressRow,
    country_progress_rows,
    file_progress,
    progress_of,
    progress_rows,
    write_progress_sheet,
)
from bot.export.list_sheets.style import CHECK_FILL, FIX_FILL, header_cells, setup_table
from bot.export.list_sheets.tally import ItemTally, write_tally_sheet
from bot.export.text_cells import clean_text, text_row
from bot.messages import checks as checks_msg
from bot.messages import export as msg
from bot.survey.checks import Checked, Entry, Finding, check_entries
from bot.survey.engine import Survey
from bot.survey.layout import SRC_CONFIRMATION, Layout
from bot.survey.listed_org import named_prefecture


def prefecture_subject(survey: SurveyLike, prefecture_name: str) -> str:
    """E-mail subject: `【神奈川県】2307 マイナンバー調査回答` (seed 3.(1); workbook.file_name)."""
    return survey.layout.subject(prefecture_name)


def prefecture_file_name(survey: SurveyLike, prefecture_name: str) -> str:
    """`【神奈川県】2307 マイナンバー調査回答.xlsx` (seed 3.(2))."""
    return survey.layout.file(prefecture_name)


def ordered_rows(layout: Layout, rows: Iterable[list[str]]) -> list[list[str]]:
    """Rows sorted by 組織名 (stable: equal names keep their order), padded to the columns."""
    width = len(layout.columns)
    org = layout.org_column
    padded = [list(row[:width]) + [""] * (width - len(row)) for row in rows]
    return sorted(padded, key=lambda row: row[org] or "")


@dataclass
class DeskSheets:
    """What the list workbook adds to 一覧 for the prefecture's desk (issue 11)."""

    survey: Survey
    prefecture: str  # 神奈川県
    checked: Checked
    progress: Sequence[ProgressRow] = ()


def _marks(layout: Layout, findings: Sequence[Finding]) -> dict[str, dict[str, str]]:
    """組織名 -> header -> severity, for the cells of 一覧 to colour."""
    marks: dict[str, dict[str, str]] = {}
    for finding in findings:
        cells = marks.setdefault(finding.org, {})
        for header in (layout.headers[layout.org_column], *finding.headers):
            if cells.get(header) != checks_msg.FIX:
                cells[header] = finding.severity
    return marks


def _marked_row(sheet: Any, layout: Layout, row: list[str], marks: Mapping[str, str]) -> list[Any]:
    values = text_row(sheet, row)
    for index, header in enumerate(layout.headers):
        severity = marks.get(header)
        if severity is None:
            continue
        cell = _styled(sheet, row[index] if index < len(row) else "")
        cell.fill = FIX_FILL if severity == checks_msg.FIX else CHECK_FILL
        values[index] = cell
    return values


def _styled(sheet: Any, value: str) -> WriteOnlyCell:
    text = clean_text(value)
    cell = WriteOnlyCell(sheet, value=text or None)
    if text:
        cell.data_type = "s"
    return cell


def build_prefecture_workbook(
    survey: SurveyLike, prefecture_name: str, rows: list[list[str]], desk: DeskSheets | None = None
) -> bytes:
    """The list workbook as xlsx bytes; every cell of 一覧 is text.

    一覧 carries only the headers and the rows, as the seed asks (cells with a finding are
    coloured, nothing is added). With `desk`, the sheets 点検結果, 進捗, 集計 and 要注意 follow.
    """
    return _build(survey.layout, rows, desk)[0]


def _build(
    layout: Layout, rows: list[list[str]], desk: DeskSheets | None
) -> tuple[bytes, list[ItemTally], list[PatternSummary]]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(layout.sheets.list)
    ordered = ordered_rows(layout, rows)
    # Names and texts wide, choice columns narrow enough that the list stays one page wide.
    widths = [column.width for column in layout.columns]
    setup_table(sheet, widths, header_row=1, rows=len(ordered), freeze_column=layout.org_column + 1)
    sheet.append(header_cells(sheet, list(layout.headers)))
    marks = _marks(layout, desk.checked.findings) if desk else {}
    for row in ordered:
        row_marks = marks.get(row[layout.org_column])
        sheet.append(_marked_row(sheet, layout, row, row_marks) if row_marks else text_row(sheet, row))
    tallies: list[ItemTally] = []
    patterns: list[PatternSummary] = []
    if desk is not None:
        records = [entry.record for entry in desk.checked.kept]
        write_findings_sheet(workbook, desk.checked.findings)
        write_progress_sheet(workbook, desk.progress)
        tallies = write_tally_sheet(workbook, desk.survey, desk.prefecture, records)
        patterns = write_attention_sheet(workbook, desk.survey, records)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), tallies, patterns


def entry_row(layout: Layout, entry: Entry) -> list[str]:
    """The 一覧 row of a checked entry: the bot's export, or the file's row as it was sent."""
    return [entry.cells.get(header, "") for header in layout.headers]


def seen_progress(survey: Survey, entries: Iterable[Entry]) -> dict[str, Progress]:
    """Where each organisation in the list stands: the bot's answers by the engine's status
    and their confirmation, files as received."""
    seen: dict[str, Progress] = {}
    for entry in entries:
        if entry.source == checks_msg.FROM_BOT:
            seen[entry.org] = progress_of(survey, entry.record, entry.updated)
        else:
            seen[entry.org] = file_progress(entry.updated, entry.record.org_type or "")
    return seen


def desk_progress(
    survey: Survey, prefecture_code: str, entries: Sequence[Entry], progress: Mapping[str, Progress] | None = None
) -> list[ProgressRow]:
    """進捗's rows: of two rows for one organisation the one the list keeps counts."""
    if progress is None:
        progress = seen_progress(survey, check_entries(survey, entries, prefecture_code).kept)
    return progress_rows(prefecture_code, progress, survey.orgs)


@dataclass
class CheckedList:
    """A checked list: the workbook and what the chat reply says about it."""

    data: bytes
    checked: Checked
    progress: list[ProgressRow]
    patterns: list[PatternSummary]
    tallies: list[ItemTally]


def build_checked_list(
    survey: Survey,
    prefecture_code: str,
    prefecture_name: str,
    entries: Sequence[Entry],
    progress: Mapping[str, Progress] | None = None,
) -> CheckedList:
    """Check every entry, keep one row per organisation, and build the list with the desk's
    sheets. `progress` (organisation -> status) defaults to what the entries show."""
    checked = check_entries(survey, entries, prefecture_code)
    seen = progress if progress is not None else seen_progress(survey, checked.kept)
    rows = progress_rows(prefecture_code, seen, survey.orgs)
    desk = DeskSheets(survey=survey, prefecture=prefecture_name, checked=checked, progress=rows)
    data, tallies, patterns = _build(survey.layout, [entry_row(survey.layout, e) for e in checked.kept], desk)
    return CheckedList(data, checked, rows, patterns, tallies)


def build_country_list(survey: Survey, name: str, entries: Sequence[Entry]) -> CheckedList:
    """The whole country's list (the ministry's, from the prefectures' lists): the same
    checks, with no prefecture to belong to, and 進捗 over every prefecture's municipalities."""
    checked = check_entries(survey, entries, None)
    seen: dict[str, dict[str, Progress]] = {}
    for org, progress in seen_progress(survey, checked.kept).items():
        seen.setdefault(named_prefecture(org) or "", {})[org] = progress
    rows = country_progress_rows(seen, survey.orgs)
    desk = DeskSheets(survey=survey, prefecture=name, checked=checked, progress=rows)
    data, tallies, patterns = _build(survey.layout, [entry_row(survey.layout, e) for e in checked.kept], desk)
    return CheckedList(data, checked, rows, patterns, tallies)


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


def summarise(
    layout: Layout,
    stored_rows: Iterable[list[str]],
    file_rows: Iterable[list[str]],
    rejected: Iterable[tuple[str, str]] = (),
) -> ListSummary:
    """Count the rows by origin; stored rows by their 回答責任者確認 column."""
    summary = ListSummary(rejected=list(rejected))
    confirmation = layout.index(layout.header_of(SRC_CONFIRMATION))
    for row in stored_rows:
        if row[confirmation] == msg.CONFIRMED:
            summary.confirmed += 1
        else:
            summary.unconfirmed += 1
    summary.from_files = sum(1 for _ in file_rows)
    return summary
