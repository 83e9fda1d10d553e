"""集計 都道府県名: the prefecture's list workbook, for that prefecture's staff only.

Rows come from the answers the bot keeps (the prefecture index, read with one MGET)
and from hand-filled `.xlsx` files staff dropped into the chat, kept for a week under
`{ns}:collect:{user_key}` (file name -> what the reader found, as JSON), so that files
sent one message at a time, and the 集計 message's own attachments, all end up in one
list. Every row, from the chat or from a file, goes through the desk's checks
(bot/survey/checks.py): the reply names the organisations with problems, the workbook
lists them (点検結果) and adds 進捗, 集計 and 要注意; a file with problems is listed,
marked, for the prefecture to decide.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Awaitable, Callable, Generic, TypeVar

import redis.asyncio
from botbuilder.core import TurnContext

from bot import cards
from bot.config import JST, Config
from bot.delivery.download import Downloader, DownloadFailed
from bot.delivery.files import BuiltFile, FileDelivery, Texts
from bot.delivery.kept_file import KeptFile
from bot.delivery.tokens import KIND_PREFECTURE_LIST
from bot.dialogs.effects import Collect, ReceiveFiles
from bot.dialogs.session import Session
from bot.dialogs.survey_bot import to_activity
from bot.export.columns import SurveyLike
from bot.export.list_reader import ListFileError
from bot.export.list_sheets.attention import PatternSummary
from bot.export.list_sheets.progress import ProgressRow
from bot.export.prefecture_list import (
    CheckedList,
    ListSummary,
    build_checked_list,
    desk_progress,
    entry_row,
    prefecture_file_name,
    prefecture_subject,
    summarise,
)
from bot.export.record_reader import (
    ReadRecord,
    bot_entry,
    file_entry,
    read_answer_workbook,
    read_record,
    record_from_cells,
    record_from_list_row,
)
from bot.messages import checks as checks_msg
from bot.messages import delivery as msg
from bot.messages import desk as desk_msg
from bot.messages import export as export_msg
from bot.state.answer_index import AnswerIndex
from bot.state.redis_storage import ETAG_FIELD
from bot.state.staff import StaffGrants
from bot.state.turn_store import ANSWER_PREFIX, TurnStore
from bot.stored_json import RecordError
from bot.survey.checks import Checked, Entry, check_entry
from bot.survey.listed_org import named_prefecture
from bot.survey.model import RISK, AnswerRecord, RESPONDENT_LABELS
from bot.survey.prefectures import prefecture_code_of_org, prefecture_name, resolve_prefecture

log = logging.getLogger(__name__)

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
KEEP_FILES_SECONDS = 7 * 24 * 3600
# People drop a handful of files at a time; a message with hundreds would keep the
# downloads (and the sender's turn) busy for long. The rest are named, not fetched.
MAX_FILES_PER_MESSAGE = 20
ORGS_NAMED = 10  # organisations with problems named in the chat; the rest are in 点検結果
ROW_MARK = "#"  # a kept list's row: `{file name}#{row number}`
_ORG = RESPONDENT_LABELS["org_name"]


Read = TypeVar("Read")


@dataclass
class FileCheck(Generic[Read]):
    """Files dropped into the chat, after download and reading."""

    accepted: list[tuple[str, Read]] = field(default_factory=list)  # (file name, what was read)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


async def read_dropped(
    attachments: Sequence[dict[str, Any]], read_one: Callable[[dict[str, Any], str], Awaitable[Read]]
) -> FileCheck[Read]:
    """Every dropped file (up to MAX_FILES_PER_MESSAGE, the rest named), read by `read_one`
    (attachment, file name); each is accepted or named with its ListFileError's reason."""
    check: FileCheck[Read] = FileCheck()

    async def one(attachment: dict[str, Any]) -> tuple[str, Read | ListFileError]:
        filename = str(attachment.get("name") or "")
        try:
            return filename, await read_one(attachment, filename)
        except ListFileError as error:
            return filename, error

    files = [a for a in attachments if a.get("contentType") == FILE_DOWNLOAD_INFO]
    # The downloader bounds how many run at once.
    for filename, result in await asyncio.gather(*(one(a) for a in files[:MAX_FILES_PER_MESSAGE])):
        if isinstance(result, ListFileError):
            check.rejected.append((filename, result.reason))
        else:
            check.accepted.append((filename, result))
    too_many = msg.TOO_MANY_FILES.format(limit=MAX_FILES_PER_MESSAGE)
    check.rejected += [(str(a.get("name") or ""), too_many) for a in files[MAX_FILES_PER_MESSAGE:]]
    return check


def _is_xlsx(attachment: dict[str, Any]) -> bool:
    name = str(attachment.get("name") or "")
    content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
    return name.lower().endswith(".xlsx") or str(content.get("fileType") or "").lower() == "xlsx"


def minute_text(moment: str | datetime) -> str:
    """`2023-07-10T14:05:33+09:00` -> `2023-07-10 14:05` (JST): how the desk compares and
    shows when a row was last changed."""
    try:
        value = moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)
    except (TypeError, ValueError):
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(JST)
    return value.strftime("%Y-%m-%d %H:%M")


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
        staff: StaffGrants,
    ) -> None:
        self._config = config
        self._client = client
        self._store = store
        self._survey = survey
        self._index = index
        self._files = files
        self._downloader = downloader
        self._staff = staff
        files.register(KIND_PREFECTURE_LIST, self._list_link_file)

    # --- who may ---------------------------------------------------------------------
    async def staff_code(self, user_key: str) -> str | None:
        """The prefecture `user_key` is staff of (the setting, or an administrator's grant)."""
        return await self._staff.prefecture_of(user_key)

    async def authorised_code(self, user_key: str, requested: str) -> str | None:
        """The prefecture code when `user_key` is that prefecture's staff, else None."""
        return _authorised(await self.staff_code(user_key), requested)

    # --- rows ------------------------------------------------------------------------
    async def stored_answers(self, code: str) -> list[dict[str, Any]]:
        """The answers indexed under `code` (one SMEMBERS, one MGET), without their e_tags."""
        ids = await self._index.answer_ids(code)
        records = await self._store.storage.read([ANSWER_PREFIX + answer_id for answer_id in ids])
        answers = []
        for data in records.values():
            data.pop(ETAG_FIELD, None)
            # The index is updated after the save; an answer renamed since then is not this prefecture's.
            if prefecture_code_of_org((data.get("respondent") or {}).get("org_name", "")) == code:
                answers.append(data)
        return answers

    def _bot_entries(self, answers: list[dict[str, Any]]) -> list[Entry]:
        """Rows of the stored answers; one that is not an answer record is left out (logged,
        naming it) rather than failing the prefecture's whole list."""
        entries = []
        for data in answers:
            try:
                record = AnswerRecord.from_json(data, ANSWER_PREFIX + str(data.get("answer_id", "")))
            except RecordError as error:
                log.warning("stored answer skipped: %s", error)
                continue
            entries.append(bot_entry(self._survey, record, updated=minute_text(data.get("updated_at", ""))))
        return entries

    async def stored_entries(self, code: str) -> list[Entry]:
        return self._bot_entries(await self.stored_answers(code))

    async def check_files(self, attachments: list[dict[str, Any]], code: str) -> FileCheck[ReadRecord]:
        """Download and read every dropped file; each is accepted or named with its reason."""
        return await read_dropped(attachments, lambda attachment, filename: self._read_file(attachment, filename, code))

    async def download(self, attachment: dict[str, Any], filename: str) -> bytes:
        """A dropped workbook's bytes, through the one downloader (ListFileError, with the
        reason for the user, when it is no workbook or cannot be fetched)."""
        if not _is_xlsx(attachment):
            raise ListFileError(filename, export_msg.NOT_A_ZIP)
        content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
        url = str(content.get("downloadUrl") or attachment.get("contentUrl") or "")
        try:
            return await self._downloader.fetch(url)
        except DownloadFailed as failed:
            raise ListFileError(filename, failed.message) from None

    @property
    def max_bytes(self) -> int:
        """The largest file the downloader takes (the readers' package check uses it too)."""
        return self._downloader.max_bytes

    def read_workbook(self, data: bytes, filename: str) -> ReadRecord:
        """One organisation's workbook (回答シート and/or 一覧用); run it in a worker thread."""
        return read_answer_workbook(self._survey, data, filename, self.max_bytes)

    async def _read_file(self, attachment: dict[str, Any], filename: str, code: str) -> ReadRecord:
        data = await self.download(attachment, filename)
        # openpyxl is CPU-bound and synchronous: never on the event loop.
        read = await asyncio.to_thread(self.read_workbook, data, filename)
        org_name = read.cells.get(_ORG, "").strip()
        if not org_name:
            raise ListFileError(filename, msg.NO_ORG_NAME.format(sheet=self._survey.layout.sheets.list_row))
        # Only another prefecture's file is turned away; a 組織名 in a wrong form, or that
        # cannot be placed, is listed and marked by the checks.
        named = named_prefecture(org_name)
        if named is not None and named != code:
            raise ListFileError(
                filename, msg.OTHER_PREFECTURE.format(org_name=org_name, prefecture=prefecture_name(code))
            )
        return read

    def _kept_key(self, user_key: str) -> str:
        return f"{self._config.redis_namespace}:collect:{user_key}"

    async def keep(self, user_key: str, accepted: list[tuple[str, ReadRecord]], received: str) -> None:
        """Keep accepted files for a week; a file sent again under the same name replaces the old one."""
        if not accepted:
            return
        key = self._kept_key(user_key)
        mapping = {
            name: KeptFile(read.cells, tuple(read.problems), read.sheet, received).to_json() for name, read in accepted
        }
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=mapping)
            pipe.expire(key, KEEP_FILES_SECONDS)
            await pipe.execute()

    async def keep_rows(self, user_key: str, filename: str, rows: Sequence[ReadRecord], received: str) -> None:
        """Keep a list's rows for a week, one field each (`{file}#{n}`); the rows of a file
        sent before under the same name are replaced."""
        key = self._kept_key(user_key)
        prefix = f"{filename}{ROW_MARK}"
        old = [name for name in await self._client.hkeys(key) if _text(name).startswith(prefix)]
        mapping = {
            f"{prefix}{n:04d}": KeptFile(read.cells, tuple(read.problems), read.sheet, received).to_json()
            for n, read in enumerate(rows, start=1)
        }
        async with self._client.pipeline(transaction=True) as pipe:
            if old:
                pipe.hdel(key, *old)
            if mapping:
                pipe.hset(key, mapping=mapping)
            pipe.expire(key, KEEP_FILES_SECONDS)
            await pipe.execute()

    def _kept_entry(self, name: str, kept: KeptFile) -> Entry:
        if kept.row is not None:
            return file_entry(record_from_list_row(self._survey, kept.row, filename=name))
        record, _ = record_from_cells(self._survey, kept.cells)
        read = read_record(self._survey, record, kept.cells, list(kept.problems), kept.sheet, name)
        return file_entry(read, updated=kept.received)

    def _kept_entries(self, stored: dict[Any, Any], code: str | None, key: str) -> list[Entry]:
        """The kept files' rows: of prefecture `code` (or placed nowhere), or all (None)."""
        entries = []
        for raw_name in sorted(stored):
            name = _text(raw_name)
            where = f"{key}[{name}]"
            try:
                kept = KeptFile.from_json(json.loads(stored[raw_name]), where)
            except RecordError as error:
                log.warning("kept file skipped: %s", error)
                continue
            except ValueError:
                log.warning("kept file skipped: %s: not JSON", where)
                continue
            entry = self._kept_entry(_file_of(name), kept)
            if code is None or named_prefecture(entry.org) in (code, None):
                entries.append(entry)
        return entries

    async def kept_entries(self, user_key: str, code: str | None) -> list[Entry]:
        """The rows of the files `user_key` dropped: of prefecture `code`, or all (None: the
        ministry's lists, a row named by its file); read off the event loop."""
        key = self._kept_key(user_key)
        stored = await self._client.hgetall(key)
        return await asyncio.to_thread(self._kept_entries, stored, code, key)

    async def entries(self, code: str, user_key: str) -> list[Entry]:
        """Every row of the prefecture's list: the bot's answers, then the kept files. The
        rows are made off the event loop (a prefecture has up to 180 of them)."""
        answers = await self.stored_answers(code)
        key = self._kept_key(user_key)
        kept = await self._client.hgetall(key)

        def rows() -> list[Entry]:
            return self._bot_entries(answers) + self._kept_entries(kept, code, key)

        return await asyncio.to_thread(rows)

    async def build_list(
        self, code: str, user_key: str, rejected: Sequence[tuple[str, str]] = ()
    ) -> tuple[BuiltFile, CheckedList, ListSummary]:
        name = prefecture_name(code) or code
        entries = await self.entries(code, user_key)
        checked = await asyncio.to_thread(build_checked_list, self._survey, code, name, entries)
        built = BuiltFile(name=prefecture_file_name(self._survey, name), data=checked.data, ascii_name="prefecture-list.xlsx")
        kept = checked.checked.kept
        layout = self._survey.layout
        summary = summarise(
            layout,
            [entry_row(layout, e) for e in kept if e.source == checks_msg.FROM_BOT],
            [entry_row(layout, e) for e in kept if e.source != checks_msg.FROM_BOT],
            rejected,
        )
        return built, checked, summary

    async def progress(self, code: str, user_key: str) -> list[ProgressRow]:
        """進捗: every municipality and every organisation seen, by need to chase (the
        workbook's 進捗 sheet, without building the workbook)."""
        entries = await self.entries(code, user_key)
        return await asyncio.to_thread(desk_progress, self._survey, code, entries)

    async def _list_link_file(self, subject: str) -> BuiltFile | None:
        # A link rebuilds the list as it stands: staff are checked again, kept files included.
        code, _, user_key = subject.partition(":")
        if await self.authorised_code(user_key, code) is None:
            return None
        built, _, _ = await self.build_list(code, user_key)
        return built

    # --- effects -------------------------------------------------------------------------
    async def collect(self, turn_context: TurnContext, session: Session, effect: Collect) -> None:
        own = await self.staff_code(session.user_key)
        # Staff collect for one prefecture: 集計 alone means theirs.
        code = _authorised(own, effect.prefecture.strip() or (own or ""))
        if code is None:
            await turn_context.send_activity(msg.COLLECT_REFUSED)
            return
        check = await self.check_files(list(effect.attachments), code)
        await self.keep(session.user_key, check.accepted, minute_text(session.now))
        built, checked, summary = await self.build_list(code, session.user_key, check.rejected)
        texts = Texts(
            consent=msg.LIST_CONSENT_TEXT.format(file_name=built.name),
            link=msg.LIST_LINK_TEXT.format(file_name=built.name),
            notes=tuple(self.summary_lines(code, summary, checked.checked)),
        )
        await self._files.deliver(
            turn_context, session.conversation_type, built, KIND_PREFECTURE_LIST, f"{code}:{session.user_key}", texts
        )
        await turn_context.send_activity(to_activity("", [risk_card(checked.patterns)]))

    def summary_lines(self, code: str, summary: ListSummary, checked: Checked) -> list[str]:
        name = prefecture_name(code) or code
        lines = [
            msg.COLLECT_TITLE.format(prefecture=name, total=summary.total),
            msg.COLLECT_COUNTS.format(
                confirmed=summary.confirmed, unconfirmed=summary.unconfirmed, from_files=summary.from_files
            ),
        ]
        if summary.unconfirmed:
            lines.append(msg.COLLECT_UNCONFIRMED_HINT)
        lines += check_lines(checked)
        if summary.rejected:
            lines.append(rejected_text(summary.rejected))
        address = self._survey.texts.submit_address
        lines.append(
            (msg.SUBMIT_REMINDER if address else msg.SUBMIT_REMINDER_NO_ADDRESS).format(
                deadline=msg.deadline_text(self._config.deadline or self._survey.texts.deadline),
                address=address,
                subject=prefecture_subject(self._survey, name),
            )
        )
        return lines

    async def receive_files(self, turn_context: TurnContext, session: Session, effect: ReceiveFiles) -> None:
        code = await self.staff_code(session.user_key)
        if code is None:
            await turn_context.send_activity(msg.RECEIVE_NOT_STAFF)
            return
        check = await self.check_files(list(effect.attachments), code)
        await self.keep(session.user_key, check.accepted, minute_text(session.now))
        parts = []
        if check.accepted:
            lines = [msg.ACCEPTED_TITLE.format(count=len(check.accepted))]
            for filename, read in check.accepted:
                findings = check_entry(self._survey, file_entry(read), code)
                lines.append(msg.ACCEPTED_LINE.format(filename=filename, org_name=read.cells.get(_ORG, ""))
                             + _findings_note(findings))
            parts.append("\n".join(lines))
        else:
            parts.append(msg.RECEIVED_NONE)
        if check.rejected:
            parts.append(rejected_text(check.rejected))
        if check.accepted:
            parts.append(
                msg.RECEIVED_NEXT.format(prefecture=prefecture_name(code) or code, days=KEEP_FILES_SECONDS // 86400)
            )
        await turn_context.send_activity("\n\n".join(parts))


def _authorised(own: str | None, requested: str) -> str | None:
    """`requested`'s prefecture code when it is the staff member's own (`own`), else None."""
    code = resolve_prefecture(requested)
    return code if own is not None and code == own else None


def _file_of(field_name: str) -> str:
    """The file a kept field came from: `北海道.xlsx#0012` -> `北海道.xlsx`."""
    head, mark, number = field_name.rpartition(ROW_MARK)
    return head if mark and len(number) == 4 and number.isdigit() else field_name


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _findings_note(findings: Sequence[Any]) -> str:
    severities = Counter(f.severity for f in findings)
    if not findings:
        return desk_msg.ACCEPTED_CLEAN
    return desk_msg.ACCEPTED_FINDINGS.format(fix=severities[checks_msg.FIX], check=severities[checks_msg.CHECK])


def check_lines(checked: Checked) -> list[str]:
    """The checks in the chat: the counts, and each organisation with problems (the first
    ORGS_NAMED of them, by 組織名) with what kinds of problem it has."""
    if not checked.findings:
        return [desk_msg.CHECKS_NONE]
    severities = Counter(f.severity for f in checked.findings)
    by_org = checked.by_org()
    lines = [desk_msg.CHECKS_COUNTS.format(
        fix=severities[checks_msg.FIX], check=severities[checks_msg.CHECK], orgs=len(by_org))]
    named = [desk_msg.CHECKS_ORGS_TITLE]
    for org in sorted(by_org)[:ORGS_NAMED]:
        findings = by_org[org]
        kinds = Counter(desk_msg.CHECK_KINDS.get(f.kind, f.kind) for f in findings)
        summary = "、".join(desk_msg.CHECKS_KIND_COUNT.format(kind=k, count=n) for k, n in kinds.items())
        sources = checks_msg.SOURCE_SEPARATOR.join(dict.fromkeys(f.source for f in findings))
        named.append(desk_msg.CHECKS_ORG_LINE.format(org=org or "—", source=sources, summary=summary))
    if len(by_org) > ORGS_NAMED:
        named.append(desk_msg.CHECKS_MORE.format(count=len(by_org) - ORGS_NAMED))
    lines.append("\n".join(named))
    if any(f.source != checks_msg.FROM_BOT for f in checked.findings):
        lines.append(desk_msg.CHECKS_FILES_LISTED)
    return lines


def risk_card(patterns: Sequence[PatternSummary]) -> dict[str, Any]:
    """The risk patterns most often found, as a short card; safeguards in one line."""
    risks = sorted((p for p in patterns if p.pattern.kind == RISK and p.count), key=lambda p: -p.count)
    safeguards = [p for p in patterns if p.pattern.kind != RISK and p.count]
    shown = [(p.pattern.title, desk_msg.RISK_COUNT.format(count=p.count)) for p in risks[: desk_msg.RISK_SHOWN]]
    lines = [] if risks else [desk_msg.RISK_NONE]
    if safeguards:
        items = desk_msg.RISK_SEPARATOR.join(
            desk_msg.RISK_SAFEGUARD_ITEM.format(title=p.pattern.title, count=p.count) for p in safeguards)
        lines.append(desk_msg.RISK_SAFEGUARDS.format(items=items))
    return cards.risk_card(desk_msg.RISK_TITLE, desk_msg.RISK_INTRO, shown, lines, [desk_msg.RISK_WHERE])


def rejected_text(rejected: list[tuple[str, str]]) -> str:
    lines = [msg.REJECTED_TITLE.format(count=len(rejected))]
    lines += [msg.REJECTED_LINE.format(filename=name, reason=reason) for name, reason in rejected]
    return "\n".join(lines)
