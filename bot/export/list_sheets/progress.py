"""進捗: each municipality of the prefecture, and every 広域連合等 the bot has seen, with where
its answer stands, sorted by what needs chasing."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from bot.export.list_sheets.style import header_cells, setup_table, styled_cell
from bot.messages import list_sheets as msg
from bot.survey import municipalities
from bot.survey.engine import Survey
from bot.survey.model import ROLE_MUNICIPALITY, ROLE_UNION, AnswerRecord
from bot.survey.organisations import Organisations
from bot.survey.prefectures import PREFECTURES, prefecture_name
from bot.survey.respondent import KOUIKI

# Most in need of chasing first: nothing yet, half done, done but not confirmed, a file
# (received, but checked by hand), confirmed in the chat.
STATUS_ORDER: tuple[str, ...] = (
    msg.NOT_STARTED, msg.IN_PROGRESS, msg.ANSWERED, msg.FILE_RECEIVED, msg.CONFIRMED,
)


@dataclass(frozen=True)
class Progress:
    status: str  # one of STATUS_ORDER
    answered: int = 0
    total: int = 0
    updated: str = ""  # as the caller keeps it (YYYY-MM-DD HH:MM)
    org_type: str = ""

    @property
    def label(self) -> str:
        if self.status == msg.IN_PROGRESS:
            return msg.IN_PROGRESS_COUNT.format(answered=self.answered, total=self.total)
        return self.status


@dataclass(frozen=True)
class ProgressRow:
    code: str  # 6-digit code ('' for a 広域連合等)
    org_name: str
    org_type: str
    progress: Progress
    note: str = ""


def progress_of(survey: Survey, record: AnswerRecord, updated: str = "") -> Progress:
    """Where one of the bot's answers stands (the engine's status, the confirmation)."""
    org_type = record.org_type or ""
    if record.confirmed:
        return Progress(msg.CONFIRMED, updated=updated, org_type=org_type)
    status = survey.status(record.org_type, record.answers, record.respondent, record.notes)
    total = len(status.answered) + len(status.unanswered) + len(status.pending)
    if not status.unanswered_flag and not status.info_missing:
        return Progress(msg.ANSWERED, len(status.answered), total, updated, org_type)
    return Progress(msg.IN_PROGRESS, len(status.answered), total, updated, org_type)


def file_progress(updated: str = "", org_type: str = "") -> Progress:
    return Progress(msg.FILE_RECEIVED, updated=updated, org_type=org_type)


def _key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or "")).replace("（広域）", KOUIKI)


def _municipality_of(prefecture_code: str, name: str) -> municipalities.Municipality | None:
    """The municipality a seen 組織名 names, however a hand-filled file wrote it
    (`14神奈川県山北町`, `神奈川県山北町`, `山北町(広域)`, `足柄上郡山北町`)."""
    body = re.sub(r"^\d*", "", _key(name))
    prefecture = prefecture_name(prefecture_code) or ""
    body = body[len(prefecture):] if prefecture and body.startswith(prefecture) else body
    body = body[: -len(KOUIKI)] if body.endswith(KOUIKI) else body
    return municipalities.find(prefecture_code, body) if body else None


def progress_rows(prefecture_code: str, seen: Mapping[str, Progress], orgs: Organisations) -> list[ProgressRow]:
    """Every municipality of the prefecture (未着手 unless seen) and every other organisation
    seen (広域連合等, the prefecture itself, a name not in the code list), by need to chase;
    `orgs`: the survey's organisation types (a municipality's row shows its label)."""
    municipal = orgs.label_of(ROLE_MUNICIPALITY) or ""
    rank = _RANK
    rows: dict[str, ProgressRow] = {}
    for municipality in municipalities.municipalities(prefecture_code):
        rows[municipality.org_name] = ProgressRow(
            municipality.code, municipality.org_name, municipal, Progress(msg.NOT_STARTED)
        )
    for name, progress in seen.items():
        key = _key(name)
        union = orgs.is_role(progress.org_type, ROLE_UNION)
        municipality = _municipality_of(prefecture_code, name) if not union else None
        if municipality is not None:
            current = rows[municipality.org_name]
            better = rank[progress.status] > rank[current.progress.status] or current.progress.status == msg.NOT_STARTED
            if better:
                rows[municipality.org_name] = ProgressRow(
                    municipality.code, name, progress.org_type or municipal, progress
                )
            continue
        note = "" if progress.org_type and orgs.role(progress.org_type) != ROLE_MUNICIPALITY else msg.NOT_IN_LIST
        rows["\0" + key] = ProgressRow("", name, progress.org_type, progress, note)  # never a municipality's key

    return sorted(rows.values(), key=_need)


_RANK = {status: index for index, status in enumerate(STATUS_ORDER)}


def _need(row: ProgressRow) -> tuple[Any, ...]:
    """Most to chase first, then by code (a prefecture's order), then by name."""
    share = row.progress.answered / row.progress.total if row.progress.total else 0.0
    return (_RANK[row.progress.status], share, row.code or "999999", row.org_name)


def country_progress_rows(seen: Mapping[str, Mapping[str, Progress]], orgs: Organisations) -> list[ProgressRow]:
    """進捗 of the whole country: every prefecture's rows (progress_rows) from what was seen
    there (`seen`: prefecture code -> 組織名 -> progress; "" for names placed nowhere),
    sorted together by need to chase."""
    rows = [row for code, _name in PREFECTURES for row in progress_rows(code, seen.get(code, {}), orgs)]
    rows += progress_rows("", seen.get("", {}), orgs)
    return sorted(rows, key=_need)


def write_progress_sheet(workbook: Any, rows: Sequence[ProgressRow]) -> None:
    sheet = workbook.create_sheet(msg.SHEET_PROGRESS)
    setup_table(sheet, (10, 30, 16, 16, 10, 17, 28), header_row=1, rows=len(rows), freeze_column=2)
    sheet.append(header_cells(sheet, msg.PROGRESS_HEADERS))
    for row in rows:
        progress = row.progress
        count = f"{progress.answered}/{progress.total}" if progress.total else ""
        sheet.append([
            row.code or None, styled_cell(sheet, row.org_name), row.org_type or None, progress.label,
            count or None, progress.updated or None, row.note or None,
        ])  # plain strings: a few thousand rows, no styles needed
