"""Fetching and reading the 回答シート a user dropped to import, before the turn decides.

The same safety as 集計's files: the one Downloader (https, allowlisted hosts, redirects
re-checked, verified TLS, size limit, one message for every failed fetch), the zip-bomb
check before openpyxl opens anything (check_workbook_package, first thing the reader
does), and the one reader both doors use (bot/export/record_reader.py), run in a worker
thread. Only the attachment bot/dialogs/import_flow.file_to_read names is fetched, once per
message however often the turn is redone.
"""
from __future__ import annotations

import asyncio
from typing import Any

from bot.delivery.download import Downloader, DownloadFailed
from bot.dialogs.import_flow import DroppedFile, file_name, file_to_read
from bot.dialogs.inputs import UserInput
from bot.dialogs.session import Session
from bot.export.list_reader import ListFileError
from bot.export.record_reader import read_answer_workbook
from bot.messages import export as export_msg
from bot.survey.engine import Survey


def is_xlsx(attachment: dict[str, Any]) -> bool:
    name = str(attachment.get("name") or "")
    content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
    return name.lower().endswith(".xlsx") or str(content.get("fileType") or "").lower() == "xlsx"


def read_workbook(survey: Survey, filename: str, data: bytes, max_bytes: int) -> DroppedFile:
    """The workbook read into a record, or the reader's reason (synchronous: openpyxl)."""
    try:
        return DroppedFile(filename, read=read_answer_workbook(survey, data, filename, max_bytes))
    except ListFileError as error:
        return DroppedFile(filename, error=error.reason)


class ImportFiles:
    def __init__(self, survey: Survey, downloader: Downloader) -> None:
        self._survey = survey
        self._downloader = downloader

    async def read(self, attachment: dict[str, Any]) -> DroppedFile:
        filename = file_name(attachment)
        if not is_xlsx(attachment):
            return DroppedFile(filename, error=export_msg.NOT_A_ZIP)
        content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
        url = str(content.get("downloadUrl") or attachment.get("contentUrl") or "")
        try:
            data = await self._downloader.fetch(url)
        except DownloadFailed as failed:
            return DroppedFile(filename, error=failed.message)
        # openpyxl is CPU-bound and synchronous: never on the event loop.
        return await asyncio.to_thread(read_workbook, self._survey, filename, data, self._downloader.max_bytes)

    def for_message(self, inp: UserInput | None) -> "MessageFile":
        return MessageFile(self, inp)


class MessageFile:
    """One message's dropped file: read on the first attempt of the turn that offers it,
    kept for the attempts after a write conflict."""

    def __init__(self, files: ImportFiles, inp: UserInput | None) -> None:
        self._files = files
        self._inp = inp
        self._read: DroppedFile | None = None

    async def read(self, session: Session) -> DroppedFile | None:
        attachment = file_to_read(session, self._inp)
        if attachment is None:
            return None
        if self._read is None:
            self._read = await self._files.read(attachment)
        return self._read


__all__ = ["ImportFiles", "MessageFile", "is_xlsx", "read_workbook"]
