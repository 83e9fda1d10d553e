"""A workbook (or a row of a list) read back into the answer the bot stores, with problems.

One reader for both doors: 集計 (a prefecture's list of files) and the import of a started
回答シート into the chat. Values are found by the sheet's item numbers (項番) and the 一覧用
headers (the survey's layout.position, the one alias table), never by position, and read with the
engine's own parsers (survey.parse_answer, respondent.parse_field). What cannot be taken is
listed as a Problem (header, value found, reason in Japanese); nothing is guessed.

Both sheets map to the same intermediate form, the 一覧用 cells keyed by header, so the
mapping to an AnswerRecord is written once (record_from_cells).
"""
from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from openpyxl import load_workbook

from bot.export.columns import SRC_CONFIRMATION, SRC_CONFIRMED_AT, row_for
from bot.export.list_reader import MAX_BYTES, ListFileError, cell_text, read_list_row
from bot.messages import checks as msg
from bot.messages import export as export_msg
from bot.messages import survey as survey_msg
from bot.survey.checks import (
    INFO_FLAG,
    KIND_ORG_NAME,
    KIND_RESPONDENT,
    KIND_TITLE,
    KIND_VALUE,
    UNANSWERED_FLAG,
    Entry,
    Problem,
    not_applicable_rule,
    not_applicable_values,
)
from bot.survey.engine import Survey
from bot.survey.layout import SRC_FIXED, SRC_ORG_TYPE, SRC_RESPONDENT, Layout, item_columns
from bot.survey.model import (
    CIRCLED,
    KIND_MULTI,
    KIND_SINGLE,
    KIND_YEARMONTH,
    RESPONDENT_FIELDS,
    NOTE_NONE,
    AnswerRecord,
    Confirmation,
    ConfirmationStatus,
    Item,
)
from bot.survey.respondent import KOUIKI, parse_field

# Marks people put in a multi-select cell for "chosen".
MARKS = frozenset({"○", "〇", "◯", "●", "◎", "✓", "✔", "レ", "o", "O", "1", "TRUE"})
# A hand-made answer sheet is a few dozen rows; stop reading a sheet that is not one.
_MAX_SHEET_ROWS = 400
_MAX_SHEET_COLUMNS = 12
_DATE_CELL = re.compile(r"^(\d{4})-(\d{2})-\d{2}(?: 00:00)?$")
_ONLY_MARKS = re.compile(f"^[\\s、,，・/／{CIRCLED}0-9０-９]+$")
# Columns the 回答シート's 回答者情報 block carries (制度等, 組織区分, 属性, 組織名 …).
_RESPONDENT_BLOCK = (SRC_FIXED, SRC_ORG_TYPE, SRC_RESPONDENT)


@dataclass
class ReadRecord:
    record: AnswerRecord  # confirmation always a draft: a file cannot confirm an answer
    cells: dict[str, str]  # 一覧用 header -> text as found
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""  # where the values were read (the 回答シート, the 一覧用 or the list)
    filename: str = ""
    # What the file's 回答責任者確認 / 確認日時 columns say (for the list row only).
    claimed_confirmation: Confirmation = field(default_factory=Confirmation)
    headers: tuple[str, ...] = ()  # the survey's 一覧用 headers, in order

    def list_row(self) -> list[str]:
        """The 一覧用 values as the file shows them."""
        return [self.cells.get(header, "") for header in self.headers]

    @property
    def field_count(self) -> int:
        return sum(1 for key, _ in RESPONDENT_FIELDS if self.record.respondent.get(key))

    @property
    def answer_count(self) -> int:
        return sum(1 for value in self.record.answers.values() if value not in (None, ""))


# --- cells -> record ------------------------------------------------------------------------


def _read_single(survey: Survey, item: Item, text: str) -> tuple[int | None, str]:
    parsed = survey.parse_answer(item.id, text)
    if parsed.ok:
        return parsed.value, ""
    # answer-sheet.md: a choice cell is read by its first character, because the sheet's
    # wording differs from the question list (8-1, 12, 13, the 広域連合 読み替え).
    first, rest = text[:1], text[1:]
    if first in CIRCLED and not _ONLY_MARKS.match(rest or "x"):
        number = CIRCLED.index(first) + 1
        if any(o.number == number for o in item.options):
            return number, ""
        return None, survey.parse_answer(item.id, first).error
    return None, parsed.error


def _year_month_text(text: str) -> str:
    # Excel turns a typed 2023/9 into a date; read it back as the month it was.
    match = _DATE_CELL.match(text)
    return msg.DATE_AS_YEARMONTH.format(year=match.group(1), month=int(match.group(2))) if match else text


def _read_multi(
    survey: Survey, item: Item, cells: Mapping[str, str], problems: list[Problem]
) -> tuple[list[int] | None, bool]:
    """(chosen options or None, whether the sheet says explicitly that none applies)."""
    chosen: list[int] = []
    for option, header in zip(item.options, item_columns(item)):
        text = cells.get(header, "").strip()
        if not text or text == export_msg.NOT_APPLICABLE:
            continue
        if text in MARKS:
            chosen.append(option.number)
        else:
            problems.append(Problem(header, text, msg.NOT_A_MARK.format(value=text)))
    whole = cells.get(item.id, "").strip()  # the item's own 回答 cell on a 回答シート
    if chosen or not whole or whole == export_msg.NOT_APPLICABLE:
        return (sorted(chosen) if chosen else None), False
    if whole in (export_msg.NONE_CHOSEN, survey_msg.NONE_VALUE):
        return [], True
    if _ONLY_MARKS.match(whole):
        parsed = survey.parse_answer(item.id, whole)
        if parsed.ok:
            return parsed.value, False
        problems.append(Problem(item.id, whole, parsed.error))
    return None, False  # the template's own option texts in the cell: no answer


def record_from_cells(
    survey: Survey, cells: Mapping[str, str], answer_id: str = ""
) -> tuple[AnswerRecord, list[Problem]]:
    """The 一覧用 cells (header -> text) as an AnswerRecord, and what could not be taken."""
    problems: list[Problem] = []
    respondent: dict[str, str] = {}
    org_label = dict(RESPONDENT_FIELDS)["org_name"]
    org_text = cells.get(org_label, "").strip()
    org_type: str | None = None
    for key, label in RESPONDENT_FIELDS:
        text = cells.get(label, "").strip()
        if not text:
            continue
        if key == "org_name" and org_type is None:
            respondent[key] = text  # checked once the 組織区分 is known
            continue
        result = parse_field(key, text, org_type, survey.orgs)
        if not result.ok:
            kind = {"org_name": KIND_ORG_NAME, "title": KIND_TITLE}.get(key, KIND_RESPONDENT)
            problems.append(Problem(label, text, result.error, kind))
            continue
        value = result.value if not result.confirm else text  # the conversation asks the confirmation
        if key == "org_type":
            # The list knows the sheet's 組織区分: a 構成市町村 is a 市区町村 whose 組織名 says (広域).
            value = survey.orgs.from_sheet(value, org_text, KOUIKI)
            org_type = value
        respondent[key] = value

    answers: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for item in survey.items:
        if item.kind == KIND_MULTI:
            chosen, none = _read_multi(survey, item, cells, problems)
            if chosen is not None:
                answers[item.id] = chosen
            if none:
                notes[item.id] = NOTE_NONE
            continue
        text = cells.get(item.id, "").strip()
        if not text or text == export_msg.NOT_APPLICABLE:
            continue
        if item.kind == KIND_SINGLE:
            number, error = _read_single(survey, item, text)
            if number is None:
                problems.append(Problem(item.id, text, error))
            else:
                answers[item.id] = number
            continue
        parsed = survey.parse_answer(item.id, _year_month_text(text) if item.kind == KIND_YEARMONTH else text)
        if parsed.ok:
            answers[item.id] = parsed.value
        else:
            problems.append(Problem(item.id, text, parsed.error))

    _none_from_empty_marks(survey, cells, org_type, answers, notes)
    record = AnswerRecord(answer_id=answer_id, respondent=respondent, answers=answers, notes=notes)
    return record, problems


def _none_from_empty_marks(
    survey: Survey, cells: Mapping[str, str], org_type: str | None, answers: dict[str, Any], notes: dict[str, str]
) -> None:
    # answer-sheet.md: 6 answered "neither applies" is both marks empty and not 未回答. A row
    # alone cannot tell it from "not answered yet" when something else is unanswered too,
    # so only a row whose 未回答 column is empty reads as "neither applies".
    if cells.get(UNANSWERED_FLAG, "").strip():
        return
    flags = survey.applicability(org_type, answers)
    for item in survey.items:
        if item.kind != KIND_MULTI or not item.allow_none or item.id in answers:
            continue
        shown = [cells.get(h) for h in item_columns(item)]
        if flags[item.id] is True and all(v is not None and not v.strip() for v in shown):
            answers[item.id] = []
            notes[item.id] = NOTE_NONE


def record_from_list_row(
    survey: Survey, row: Sequence[str], answer_id: str = "", filename: str = "", sheet: str = ""
) -> ReadRecord:
    """A row of a prefecture's list (the values in the layout's order, as read_list_row gives);
    `sheet` defaults to the list's sheet."""
    layout = survey.layout
    cells = {header: (row[i] if i < len(row) else "") or "" for i, header in enumerate(layout.headers)}
    record, problems = record_from_cells(survey, cells, answer_id)
    return read_record(survey, record, cells, problems, sheet or layout.sheets.list, filename)


def read_record(
    survey: Survey, record: AnswerRecord, cells: Mapping[str, str], problems: list[Problem], sheet: str, filename: str
) -> ReadRecord:
    """A ReadRecord of the survey's layout: its headers, and the confirmation its cells claim."""
    layout = survey.layout
    claimed = Confirmation()
    if cells.get(layout.header_of(SRC_CONFIRMATION), "").strip() == export_msg.CONFIRMED:
        claimed = Confirmation(
            ConfirmationStatus.CONFIRMED, confirmed_at=cells.get(layout.header_of(SRC_CONFIRMED_AT), "").strip())
    return ReadRecord(record=record, cells=dict(cells), problems=problems, sheet=sheet, filename=filename,
                      claimed_confirmation=claimed, headers=layout.headers)


# --- the 回答シート ---------------------------------------------------------------------------


def _texts(row: Iterable[Any]) -> list[str]:
    return [cell_text(v).strip() for v in row]


def answer_sheet_cells(survey: Survey, rows: Iterable[Sequence[Any]]) -> dict[str, str]:
    """The 回答シート's values as 一覧用 cells: 回答者情報 by label, answers by 項番."""
    cells: dict[str, str] = {}
    table: tuple[int, int, int] | None = None  # columns of 項番, 質問, 回答
    current: Item | None = None  # the numbered item the following unnumbered rows belong to
    seen_children: set[str] = set()
    number_header, question_header = export_msg.TABLE_HEADERS[0], export_msg.TABLE_HEADERS[1]
    for raw in rows:
        texts = _texts(raw)
        if number_header in texts:
            number_col = texts.index(number_header)
            question_col = texts.index(question_header) if question_header in texts else number_col + 1
            answer_col = next(
                (i for i, t in enumerate(texts) if i > question_col and t.startswith("回答")), question_col + 1
            )
            table = (number_col, question_col, answer_col)
            continue
        if table is None:
            _respondent_row(survey.layout, texts, cells)
            continue
        number, question, answer = (texts[i] if i < len(texts) else "" for i in table)
        if number:
            item_id = survey.resolve_item_id(number)
            current = survey.item(item_id) if item_id else None
            if current is not None and answer:
                cells[current.id] = answer
            continue
        if current is None or not question:
            continue
        if current.kind == KIND_MULTI and question[:1] in CIRCLED:
            number_of_option = CIRCLED.index(question[0]) + 1
            if number_of_option <= len(current.options):
                cells[item_columns(current)[number_of_option - 1]] = answer
            continue
        child = _child_for(survey, current, question, seen_children)
        if child is not None:
            seen_children.add(child.id)
            cells[child.id] = answer
    return cells


def _respondent_row(layout: Layout, texts: list[str], cells: dict[str, str]) -> None:
    for index, text in enumerate(texts):
        if text in (export_msg.INFO_MISSING, export_msg.UNANSWERED):
            cells[INFO_FLAG if text == export_msg.INFO_MISSING else UNANSWERED_FLAG] = text
            return
        position = layout.position(text) if text else None
        if position is not None and layout.columns[position].source in _RESPONDENT_BLOCK:
            value = next((t for t in texts[index + 1:] if t), "")
            # The template's guidance column starts with ◆; an empty value cell leaves it next.
            cells[layout.headers[position]] = "" if value.startswith("◆") else value
            return


def _child_for(survey: Survey, parent: Item, question: str, seen: set[str]) -> Item | None:
    children = [i for i in survey.items if i.parent == parent.id]
    squashed = re.sub(r"\s+", "", question)
    for child in children:
        if re.sub(r"\s+", "", child.sheet_text) == squashed or re.sub(r"\s+", "", child.prompt) == squashed:
            return child
    unseen = [c for c in children if c.id not in seen]
    return unseen[0] if unseen else None


# --- a workbook -------------------------------------------------------------------------------


def _merge(
    layout: Layout, sheet_cells: Mapping[str, str], list_cells: Mapping[str, str], problems: list[Problem]
) -> dict[str, str]:
    """The 回答シート's values (where people type), the 一覧用's for what the sheet lacks."""
    merged = dict(list_cells)
    names = {"answer": layout.sheets.answer, "list_sheet": layout.sheets.list_row}
    for header, value in sheet_cells.items():
        other = list_cells.get(header, "")
        if header in list_cells and _comparable(other) != _comparable(value) and other.strip() and value.strip():
            problems.append(Problem(header, value, msg.SHEETS_DISAGREE.format(sheet=value, list=other, **names)))
        merged[header] = value
    return merged


def _comparable(text: str) -> str:
    return re.sub(r"\s+", "", text or "")[:1] if text[:1] in CIRCLED else re.sub(r"\s+", "", text or "")


def read_answer_workbook(
    survey: Survey, data: bytes, filename: str, max_bytes: int = MAX_BYTES, answer_id: str = ""
) -> ReadRecord:
    """A respondent's workbook: its 回答シート and/or 一覧用 read into one record.

    Raises ListFileError(filename, reason) when neither sheet can be read.
    """
    layout = survey.layout
    list_cells: dict[str, str] = {}
    list_error: ListFileError | None = None
    try:
        list_cells = dict(zip(layout.headers, read_list_row(layout, data, filename, max_bytes)))
    except ListFileError as error:
        if not error.list_sheet:
            raise  # the file as a whole is unusable
        list_error = error
    sheet_cells = _answer_sheet_of(survey, data, filename)
    if not sheet_cells and list_error is not None:
        no_sheet = msg.NO_ANSWER_SHEET.format(answer=layout.sheets.answer, list=layout.sheets.list_row)
        raise ListFileError(filename, no_sheet if list_error.no_sheet else list_error.reason)
    problems: list[Problem] = []
    if sheet_cells:
        cells = _merge(layout, sheet_cells, list_cells, problems)
        sheet = layout.sheets.answer
    else:
        cells, sheet = list_cells, layout.sheets.list_row
    record, read_problems = record_from_cells(survey, cells, answer_id)
    return read_record(survey, record, cells, problems + read_problems, sheet, filename)


def _answer_sheet_of(survey: Survey, data: bytes, filename: str) -> dict[str, str]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged package
        raise ListFileError(filename, export_msg.NOT_A_WORKBOOK) from None
    try:
        name = survey.layout.sheets.answer
        if name not in workbook.sheetnames:
            return {}
        rows = workbook[name].iter_rows(
            min_row=1, max_row=_MAX_SHEET_ROWS, max_col=_MAX_SHEET_COLUMNS, values_only=True
        )
        try:
            cells = answer_sheet_cells(survey, rows)
        except Exception:
            raise ListFileError(filename, export_msg.NOT_A_WORKBOOK) from None
    finally:
        workbook.close()
    filled = {h: v for h, v in cells.items() if v.strip()}
    return cells if filled else {}


# --- the import door ------------------------------------------------------------------------


def importable(survey: Survey, read: ReadRecord) -> tuple[AnswerRecord, list[Problem]]:
    """What an import may store: the record without answers to 対象外 items, and every
    problem (the reader's and one per dropped answer, with the survey's words)."""
    record = read.record.copy()
    problems = list(read.problems)
    flags = survey.applicability(record.org_type, record.answers)
    dropped = not_applicable_values(survey, record)
    for item_id in dropped:
        item = survey.item(item_id)
        reason = msg.NOT_APPLICABLE_ANSWERED + not_applicable_rule(survey, item, flags, record.answers)
        value = survey.format_value(item_id, record.answers[item_id])
        problems.append(Problem(item_id, value, msg.NOT_TAKEN.format(reason=reason), KIND_VALUE))
    for item_id in dropped:
        record.answers.pop(item_id)
        record.notes.pop(item_id, None)
    return record, problems



# --- rows for the desk's checks ---------------------------------------------------------------


def bot_entry(survey: Survey, record: AnswerRecord, updated: str = "") -> Entry:
    """A stored answer as a row of the list: the cells are what the bot exports."""
    cells = dict(zip(survey.layout.headers, row_for(survey, record)))
    return Entry(record=record, cells=cells, source=msg.FROM_BOT, updated=updated)


def file_entry(read: ReadRecord, updated: str = "") -> Entry:
    """A file's row: the cells as the file shows them; the claimed confirmation is kept for
    the list row (row_for) only."""
    record = read.record.copy()
    record.confirmation = copy.deepcopy(read.claimed_confirmation)
    return Entry(
        record=record, cells=dict(read.cells), source=read.filename or read.sheet, updated=updated,
        problems=tuple(read.problems),
    )


# --- an import into an existing answer -----------------------------------------------------


class ConfirmedAnswerError(ValueError):
    """A confirmed answer is never overwritten by an import."""


@dataclass(frozen=True)
class Change:
    key: str  # RESPONDENT_FIELDS key or item id
    label: str  # 組織名 / Q7-2
    old: str  # as shown ('' when empty)
    new: str


def _shown(survey: Survey, item_id: str, value: Any, notes: Mapping[str, str]) -> str:
    if value is None or value == "" or (value == [] and notes.get(item_id) != NOTE_NONE):
        return ""
    return survey.format_value(item_id, value)


def import_changes(survey: Survey, current: AnswerRecord, incoming: AnswerRecord) -> list[Change]:
    """What taking the file's values would change, field by field then item by item."""
    changes = []
    for key, label in RESPONDENT_FIELDS:
        old, new = current.respondent.get(key, ""), incoming.respondent.get(key, "")
        if new and new != old:
            changes.append(Change(key, label, old, new))
    for item in survey.items:
        old = _shown(survey, item.id, current.answers.get(item.id), current.notes)
        new = _shown(survey, item.id, incoming.answers.get(item.id), incoming.notes)
        if new and new != old:
            changes.append(Change(item.id, item.heading, old, new))
    return changes


def merge_import(current: AnswerRecord, incoming: AnswerRecord, fill_gaps_only: bool) -> AnswerRecord:
    """The answer after an import: the file's values over the chat's, or only where the chat
    has none. Nothing the file lacks is removed. Raises ConfirmedAnswerError when confirmed."""
    if current.confirmed:
        raise ConfirmedAnswerError(current.answer_id)
    merged = current.copy()
    for key, value in incoming.respondent.items():
        if value and (not fill_gaps_only or not merged.respondent.get(key)):
            merged.respondent[key] = value
    for item_id, value in incoming.answers.items():
        has = merged.answers.get(item_id) not in (None, "") and not (
            merged.answers.get(item_id) == [] and not merged.has_note_none(item_id)
        )
        if fill_gaps_only and has:
            continue
        merged.answers[item_id] = value
        if item_id in incoming.notes:
            merged.notes[item_id] = incoming.notes[item_id]
        else:
            merged.notes.pop(item_id, None)
    return merged
