"""集計 都道府県名: the prefecture's list workbook, for that prefecture's staff only.

Rows come from the answers the bot keeps (the prefecture index, read with one MGET)
and from hand-filled `.xlsx` files staff dropped into the chat, kept for a week under
`{ns}:collect:{user_key}` (file name -> row JSON), so that files sent one message at a
time, and the 集計 message's own attachments, all end up in one list.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

import redis.asyncio
from botbuilder.core import TurnContext

from bot.config import Config
from bot.delivery.download import Downloader, DownloadFailed
from bot.delivery.files import BuiltFile, FileDelivery, Texts
from bot.delivery.tokens import KIND_PREFECTURE_LIST
from bot.dialogs.session import Effect, Session
from bot.export.columns import SurveyLike, row_for
from bot.export.list_reader import ListFileError, read_list_row
from bot.export.prefecture_list import (
    ListSummary,
    build_prefecture_workbook,
    prefecture_file_name,
    prefecture_subject,
    summarise,
)
from bot.messages import delivery as msg
from bot.messages import export as export_msg
from bot.state.answer_index import AnswerIndex
from bot.state.redis_storage import ETAG_FIELD
from bot.state.turn_store import ANSWER_PREFIX, TurnStore
from bot.survey.model import AnswerRecord
from bot.survey.prefectures import prefecture_code, prefecture_code_of_org, prefecture_name

log = logging.getLogger(__name__)

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
KEEP_FILES_SECONDS = 7 * 24 * 3600
# People drop a handful of files at a time; a message with hundreds would keep the
# downloads (and the sender's turn) busy for long. The rest are named, not fetched.
MAX_FILES_PER_MESSAGE = 20


@dataclass
class FileCheck:
    """Files dropped into the chat, after download and reading."""

    accepted: list[tuple[str, list[str]]] = field(default_factory=list)  # (file name, 一覧用 row)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


def resolve_prefecture(text: str) -> str | None:
    """`神奈川県`, `神奈川` or `14` -> `"14"`."""
    code = prefecture_code(text)
    if code is None:
        name = prefecture_name(text)
        code = prefecture_code(name) if name else None
    return code


def _is_xlsx(attachment: dict[str, Any]) -> bool:
    name = str(attachment.get("name") or "")
    content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
    return name.lower().endswith(".xlsx") or str(content.get("fileType") or "").lower() == "xlsx"


class Collector:
    def __init__(
        self,
        config: Config,
        client: redis.asyncio.Redis,
        store: TurnStore,
        survey: SurveyLike,
        index: AnswerIndex,
        files: FileDelivery,
        downloader: Downloader,
    ) -> None:
        self._config = config
        self._client = client
        self._store = store
        self._survey = survey
        self._index = index
        self._files = files
        self._downloader = downloader
        files.register(KIND_PREFECTURE_LIST, self._list_link_file)

    # --- who may ---------------------------------------------------------------------
    def staff_code(self, user_key: str) -> str | None:
        return self._config.prefecture_staff.get(user_key)

    def authorised_code(self, user_key: str, requested: str) -> str | None:
        """The prefecture code when `user_key` is that prefecture's staff, else None."""
        own = self.staff_code(user_key)
        code = resolve_prefecture(requested)
        return code if own is not None and code == own else None

    # --- rows ------------------------------------------------------------------------
    async def stored_rows(self, code: str) -> list[list[str]]:
        """One 一覧用 row per answer indexed under `code`, loaded with one MGET."""
        ids = await self._index.answer_ids(code)
        records = await self._store.storage.read([ANSWER_PREFIX + answer_id for answer_id in ids])
        rows = []
        for data in records.values():
            data.pop(ETAG_FIELD, None)
            record = AnswerRecord.from_json(data)
            # The index is updated after the save; an answer renamed since then is not this prefecture's.
            if prefecture_code_of_org(record.respondent.get("org_name", "")) == code:
                rows.append(row_for(self._survey, record))
        return rows

    async def check_files(self, attachments: list[dict[str, Any]], code: str) -> FileCheck:
        """Download and read every dropped file; each is accepted or named with its reason."""
        check = FileCheck()

        async def one(attachment: dict[str, Any]) -> tuple[str, list[str] | str]:
            filename = str(attachment.get("name") or "")
            try:
                return filename, await self._read_file(attachment, filename, code)
            except ListFileError as error:
                return filename, error.reason

        files = [a for a in attachments if a.get("contentType") == FILE_DOWNLOAD_INFO]
        # The downloader bounds how many run at once.
        results = await asyncio.gather(*(one(a) for a in files[:MAX_FILES_PER_MESSAGE]))
        for filename, result in results:
            if isinstance(result, str):
                check.rejected.append((filename, result))
            else:
                check.accepted.append((filename, result))
        too_many = msg.TOO_MANY_FILES.format(limit=MAX_FILES_PER_MESSAGE)
        check.rejected += [(str(a.get("name") or ""), too_many) for a in files[MAX_FILES_PER_MESSAGE:]]
        return check

    async def _read_file(self, attachment: dict[str, Any], filename: str, code: str) -> list[str]:
        if not _is_xlsx(attachment):
            raise ListFileError(filename, export_msg.NOT_A_ZIP)
        content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
        url = str(content.get("downloadUrl") or attachment.get("contentUrl") or "")
        try:
            data = await self._downloader.fetch(url)
        except DownloadFailed as failed:
            raise ListFileError(filename, failed.message) from None
        # openpyxl is CPU-bound and synchronous: never on the event loop.
        layout = self._survey.layout
        row = await asyncio.to_thread(read_list_row, layout, data, filename, self._downloader.max_bytes)
        org_name = row[layout.org_column].strip()
        if not org_name:
            raise ListFileError(filename, msg.NO_ORG_NAME.format(sheet=layout.sheets.list_row))
        if prefecture_code_of_org(org_name) != code:
            raise ListFileError(
                filename, msg.OTHER_PREFECTURE.format(org_name=org_name, prefecture=prefecture_name(code))
            )
        return row

    def _kept_key(self, user_key: str) -> str:
        return f"{self._config.redis_namespace}:collect:{user_key}"

    async def keep(self, user_key: str, accepted: list[tuple[str, list[str]]]) -> None:
        """Keep accepted rows for a week; a file sent again under the same name replaces the old one."""
        if not accepted:
            return
        key = self._kept_key(user_key)
        mapping = {name: json.dumps(row, ensure_ascii=False) for name, row in accepted}
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=mapping)
            pipe.expire(key, KEEP_FILES_SECONDS)
            await pipe.execute()

    async def kept_rows(self, user_key: str, code: str) -> list[list[str]]:
        stored = await self._client.hgetall(self._kept_key(user_key))
        rows = []
        for name in sorted(stored):
            row = json.loads(stored[name])
            if prefecture_code_of_org(row[self._survey.layout.org_column]) == code:
                rows.append(row)
        return rows

    async def build_list(
        self, code: str, user_key: str, rejected: Sequence[tuple[str, str]] = ()
    ) -> tuple[BuiltFile, ListSummary]:
        name = prefecture_name(code) or code
        stored = await self.stored_rows(code)
        from_files = await self.kept_rows(user_key, code)
        data = await asyncio.to_thread(build_prefecture_workbook, self._survey, name, stored + from_files)
        built = BuiltFile(name=prefecture_file_name(self._survey, name), data=data, ascii_name="prefecture-list.xlsx")
        return built, summarise(self._survey.layout, stored, from_files, rejected)

    async def _list_link_file(self, subject: str) -> BuiltFile | None:
        # A link rebuilds the list as it stands: staff are checked again, kept files included.
        code, _, user_key = subject.partition(":")
        if self.authorised_code(user_key, code) is None:
            return None
        built, _ = await self.build_list(code, user_key)
        return built

    # --- effects -------------------------------------------------------------------------
    async def collect(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        requested = str(effect.params.get("prefecture") or "").strip()
        own = self.staff_code(session.user_key)
        if own is not None and not requested:
            await turn_context.send_activity(msg.COLLECT_USAGE.format(example=prefecture_name(own) or own))
            return
        code = self.authorised_code(session.user_key, requested)
        if code is None:
            await turn_context.send_activity(msg.COLLECT_REFUSED)
            return
        check = await self.check_files(list(effect.params.get("attachments") or []), code)
        await self.keep(session.user_key, check.accepted)
        built, summary = await self.build_list(code, session.user_key, check.rejected)
        texts = Texts(
            consent=msg.LIST_CONSENT_TEXT.format(file_name=built.name),
            link=msg.LIST_LINK_TEXT.format(file_name=built.name),
            notes=tuple(self.summary_lines(code, summary)),
        )
        await self._files.deliver(
            turn_context, session.conversation_type, built, KIND_PREFECTURE_LIST, f"{code}:{session.user_key}", texts
        )

    def summary_lines(self, code: str, summary: ListSummary) -> list[str]:
        name = prefecture_name(code) or code
        lines = [
            msg.COLLECT_TITLE.format(prefecture=name, total=summary.total),
            msg.COLLECT_COUNTS.format(
                confirmed=summary.confirmed, unconfirmed=summary.unconfirmed, from_files=summary.from_files
            ),
        ]
        if summary.unconfirmed:
            lines.append(msg.COLLECT_UNCONFIRMED_HINT)
        if summary.rejected:
            lines.append(_rejected_text(summary.rejected))
        address = self._survey.texts.submit_address
        lines.append(
            (msg.SUBMIT_REMINDER if address else msg.SUBMIT_REMINDER_NO_ADDRESS).format(
                deadline=msg.deadline_text(self._config.deadline or self._survey.texts.deadline),
                address=address,
                subject=prefecture_subject(self._survey, name),
            )
        )
        return lines

    async def receive_files(self, turn_context: TurnContext, session: Session, effect: Effect) -> None:
        code = self.staff_code(session.user_key)
        if code is None:
            await turn_context.send_activity(msg.RECEIVE_NOT_STAFF)
            return
        check = await self.check_files(list(effect.params.get("attachments") or []), code)
        await self.keep(session.user_key, check.accepted)
        parts = []
        if check.accepted:
            lines = [msg.ACCEPTED_TITLE.format(count=len(check.accepted))]
            org = self._survey.layout.org_column
            lines += [msg.ACCEPTED_LINE.format(filename=n, org_name=row[org]) for n, row in check.accepted]
            parts.append("\n".join(lines))
        else:
            parts.append(msg.RECEIVED_NONE)
        if check.rejected:
            parts.append(_rejected_text(check.rejected))
        if check.accepted:
            parts.append(
                msg.RECEIVED_NEXT.format(prefecture=prefecture_name(code) or code, days=KEEP_FILES_SECONDS // 86400)
            )
        await turn_context.send_activity("\n\n".join(parts))


def _rejected_text(rejected: list[tuple[str, str]]) -> str:
    lines = [msg.REJECTED_TITLE.format(count=len(rejected))]
    lines += [msg.REJECTED_LINE.format(filename=name, reason=reason) for name, reason in rejected]
    return "\n".join(lines)
