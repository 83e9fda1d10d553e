"""集計 全国: the ministry's desk (MINISTRY_STAFF). The prefectures' list workbooks, dropped
into one chat, are read row by row and kept for a week beside the prefecture desk's files
(`{ns}:collect:{user_key}`, one field per row: `{file}#{n}`); `集計 全国` checks every row
with the desk's checks and builds the country's list with the same sheets (点検結果, 進捗
over every prefecture's municipalities, 集計, 要注意). A single organisation's workbook sent
straight to the ministry is read as the prefecture desk reads it.
"""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from botbuilder.core import TurnContext

from bot.config import Config
from bot.delivery.collect import (
    KEEP_FILES_SECONDS,
    Collector,
    check_lines,
    minute_text,
    read_dropped,
    rejected_text,
    risk_card,
)
from bot.delivery.files import BuiltFile, FileDelivery, Texts
from bot.delivery.tokens import KIND_COUNTRY_LIST
from bot.dialogs.effects import Collect, ReceiveFiles
from bot.dialogs.session import Session
from bot.dialogs.survey_bot import to_activity
from bot.export.columns import SurveyLike
from bot.export.list_reader import ListFileError, read_list_rows
from bot.export.prefecture_list import CheckedList, build_country_list
from bot.export.record_reader import ReadRecord, record_from_list_row
from bot.messages import country as msg
from bot.messages import delivery as delivery_msg
from bot.survey.listed_org import named_prefecture
from bot.survey.model import RESPONDENT_LABELS
from bot.survey.prefectures import PREFECTURES, prefecture_name

_ORG = RESPONDENT_LABELS["org_name"]


class CountryDesk:
    def __init__(self, config: Config, survey: SurveyLike, files: FileDelivery, collector: Collector) -> None:
        self._config = config
        self._survey = survey
        self._files = files
        self._collector = collector
        files.register(KIND_COUNTRY_LIST, self._link_file)

    def is_ministry(self, user_key: str) -> bool:
        return user_key in self._config.ministry_staff

    def wants(self, session: Session, effect: Collect) -> bool:
        """集計 全国, or 集計 alone from the ministry's staff."""
        requested = effect.prefecture.strip()
        return requested in msg.COUNTRY_WORDS or (not requested and self.is_ministry(session.user_key))

    # --- reading ------------------------------------------------------------------------
    def _read(self, data: bytes, filename: str) -> list[ReadRecord]:
        """A prefecture's list, row by row; else one organisation's workbook. In a worker thread."""
        layout = self._survey.layout
        try:
            rows = read_list_rows(layout, data, filename, self._collector.max_bytes)
        except ListFileError as error:
            if not error.no_sheet:
                raise
            return [self._collector.read_workbook(data, filename)]
        return [record_from_list_row(self._survey, row, filename=filename, sheet=layout.sheets.list) for row in rows]

    async def _read_file(self, attachment: dict[str, Any], filename: str) -> list[ReadRecord]:
        data = await self._collector.download(attachment, filename)
        return await asyncio.to_thread(self._read, data, filename)  # openpyxl: never on the loop

    async def _read_files(
        self, attachments: Sequence[dict[str, Any]]
    ) -> tuple[list[tuple[str, list[ReadRecord]]], list[tuple[str, str]]]:
        check = await read_dropped(attachments, self._read_file)
        return check.accepted, check.rejected

    async def _keep(self, user_key: str, accepted: list[tuple[str, list[ReadRecord]]], received: str) -> None:
        for filename, rows in accepted:
            await self._collector.keep_rows(user_key, filename, rows, received)

    # --- the list -----------------------------------------------------------------------
    async def build(self, user_key: str) -> tuple[BuiltFile, CheckedList]:
        entries = await self._collector.kept_entries(user_key, None)
        checked = await asyncio.to_thread(build_country_list, self._survey, msg.COUNTRY, entries)
        name = self._survey.layout.file(msg.COUNTRY)
        return BuiltFile(name=name, data=checked.data, ascii_name="country-list.xlsx"), checked

    async def _link_file(self, subject: str) -> BuiltFile | None:
        # A link rebuilds the list as it stands, for someone who is still the ministry's staff.
        if not self.is_ministry(subject):
            return None
        built, _ = await self.build(subject)
        return built

    def summary_lines(self, checked: CheckedList, rejected: Sequence[tuple[str, str]]) -> list[str]:
        kept = checked.checked.kept
        places = {named_prefecture(entry.org) for entry in kept}
        present = {code for code in places if code}
        files = {entry.source for entry in kept}
        lines = [msg.TITLE.format(total=len(kept), prefectures=len(present)), msg.FILES.format(files=len(files))]
        missing = [name for code, name in PREFECTURES if code not in present]
        lines.append(msg.MISSING.format(count=len(missing), names=msg.PLACE_SEPARATOR.join(missing)) if missing else msg.ALL_IN)
        lines += check_lines(checked.checked)
        if rejected:
            lines.append(rejected_text(list(rejected)))
        return lines

    # --- effects ------------------------------------------------------------------------
    async def receive_files(self, turn_context: TurnContext, session: Session, effect: ReceiveFiles) -> None:
        accepted, rejected = await self._read_files(list(effect.attachments))
        await self._keep(session.user_key, accepted, minute_text(session.now))
        parts = []
        if accepted:
            lines = [delivery_msg.ACCEPTED_TITLE.format(count=len(accepted))]
            for filename, rows in accepted:
                codes = dict.fromkeys(named_prefecture(read.cells.get(_ORG, "")) for read in rows)
                names = [prefecture_name(code) or code for code in codes if code] + ([msg.UNPLACED] if None in codes else [])
                lines.append(msg.ACCEPTED_LINE.format(filename=filename, count=len(rows), prefectures=msg.PLACE_SEPARATOR.join(names)))
            parts.append("\n".join(lines))
        else:
            parts.append(delivery_msg.RECEIVED_NONE)
        if rejected:
            parts.append(rejected_text(rejected))
        if accepted:
            parts.append(msg.NEXT.format(days=KEEP_FILES_SECONDS // 86400))
        await turn_context.send_activity("\n\n".join(parts))

    async def collect(self, turn_context: TurnContext, session: Session, effect: Collect) -> None:
        if not self.is_ministry(session.user_key):
            await turn_context.send_activity(msg.REFUSED)
            return
        accepted, rejected = await self._read_files(list(effect.attachments))
        await self._keep(session.user_key, accepted, minute_text(session.now))
        built, checked = await self.build(session.user_key)
        if not checked.checked.kept:
            await turn_context.send_activity("\n\n".join([msg.NONE_YET, *([rejected_text(rejected)] if rejected else [])]))
            return
        texts = Texts(
            consent=delivery_msg.LIST_CONSENT_TEXT.format(file_name=built.name),
            link=delivery_msg.LIST_LINK_TEXT.format(file_name=built.name),
            notes=tuple(self.summary_lines(checked, rejected)),
        )
        await self._files.deliver(turn_context, session.conversation_type, built, KIND_COUNTRY_LIST, session.user_key, texts)
        await turn_context.send_activity(to_activity("", [risk_card(checked.patterns)]))


__all__ = ["CountryDesk"]
