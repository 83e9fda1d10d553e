"""Getting a workbook to the user: a FileConsentCard in a personal chat (Teams' only
way to put a file into a 1:1 chat), a signed download link everywhere else, and the
`GET /files/{token}` handler behind those links.
"""
from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import redis.asyncio
from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext

from bot import cards
from bot.audit import audit
from bot.config import JST, Config
from bot.delivery.download import Downloader
from bot.delivery.tokens import KIND_ANSWER, KIND_PREFECTURE_LIST, sign, verify
from bot.dialogs.effects import Export
from bot.dialogs.session import Session
from bot.dialogs.survey_bot import to_activity, user_key_of
from bot.export.answer_workbook import answer_file_name, build_answer_workbook_async
from bot.export.columns import SurveyLike
from bot.logs import user_ref
from bot.messages import delivery as msg
from bot.state.turn_store import TurnStore
from bot.survey.model import AnswerRecord

log = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILES_ROUTE = "/files/{token}"
# Bytes offered on a FileConsentCard wait this long for the user's accept/decline.
CONSENT_TTL_SECONDS = 3600


@dataclass(frozen=True)
class BuiltFile:
    name: str  # the Japanese file name users see
    data: bytes
    ascii_name: str = "answer.xlsx"  # filename= for clients that ignore filename*


@dataclass(frozen=True)
class Texts:
    """What goes with the file: consent text (personal chat), link text, extra lines."""

    consent: str
    link: str
    notes: tuple[str, ...] = ()


# A link kind's builder: subject -> the file as it stands now, or None (unknown, not allowed).
FileBuilder = Callable[[str], Awaitable[BuiltFile | None]]


class LinkSecret:
    """The HMAC key of download links: the configured one, else 32 random bytes kept in
    Redis (SET NX), so that every bot process agrees and links survive restarts."""

    def __init__(self, configured: str, client: redis.asyncio.Redis, key: str) -> None:
        self._configured = configured
        self._client = client
        self._key = key
        self._value: bytes | None = None

    async def get(self) -> bytes:
        if self._value is None:
            if self._configured:
                self._value = self._configured.encode("utf-8")
            else:
                await self._client.set(self._key, secrets.token_bytes(32), nx=True)
                stored = await self._client.get(self._key)
                self._value = stored if isinstance(stored, bytes) else str(stored).encode("utf-8")
        return self._value


def content_disposition(name: str, ascii_name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name for clients that understand it."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _what(kind: str, subject: str) -> dict[str, str | None]:
    """A file's subject for the audit log: the answer id, or the prefecture and the
    hashed user a list was made for (a list's subject holds the raw user key)."""
    if kind == KIND_PREFECTURE_LIST:
        code, _, user_key = subject.partition(":")
        return {"file": "prefecture_list", "prefecture": code, "for": user_ref(user_key)}
    return {"file": "answer_workbook", "answer_id": subject}


def _not_found() -> web.Response:
    return web.Response(status=404, text=msg.LINK_INVALID, content_type="text/plain", charset="utf-8")


class FileDelivery:
    """`downloader` puts accepted FileConsent uploads where Teams said, if its allowlist
    lets it (the same hosts files are fetched from)."""

    def __init__(
        self, config: Config, client: redis.asyncio.Redis, store: TurnStore, survey: SurveyLike, downloader: Downloader
    ) -> None:
        self._config = config
        self._downloader = downloader
        self._client = client
        self._store = store
        self._survey = survey
        self._ns = config.redis_namespace
        self.secret = LinkSecret(config.file_link_secret, client, f"{self._ns}:secret:file_links")
        self._builders: dict[str, FileBuilder] = {KIND_ANSWER: self._answer_file}

    def register(self, kind: str, builder: FileBuilder) -> None:
        """How links of `kind` are served (the prefecture list registers "p")."""
        self._builders[kind] = builder

    # --- 出力 ----------------------------------------------------------------------
    async def export(self, turn_context: TurnContext, session: Session, effect: Export) -> None:
        answer_id = effect.answer_id
        record = session.answer if session.answer is not None and session.answer.answer_id == answer_id else None
        if record is None:
            saved, _ = await self._store.load_answer(answer_id)
            record = AnswerRecord.from_json(saved, f"answer:{answer_id}") if saved is not None else None
        if record is None:
            await turn_context.send_activity(msg.NO_ANSWER)
            return
        built = await self._build_answer(record)
        notes = () if record.confirmed else (msg.UNCONFIRMED_NOTE,)
        texts = Texts(
            consent=msg.CONSENT_TEXT.format(file_name=built.name),
            link=msg.LINK_TEXT.format(file_name=built.name),
            notes=notes,
        )
        await self.deliver(turn_context, session.conversation_type, built, KIND_ANSWER, answer_id, texts, by=session.user_key)

    async def _build_answer(self, record: AnswerRecord) -> BuiltFile:
        data = await build_answer_workbook_async(self._survey, record)
        name = answer_file_name(self._survey, record.respondent.get("org_name") or msg.UNNAMED)
        return BuiltFile(name=name, data=data)

    async def _answer_file(self, answer_id: str) -> BuiltFile | None:
        saved, _ = await self._store.load_answer(answer_id)
        if saved is None:
            return None
        return await self._build_answer(AnswerRecord.from_json(saved))

    # --- either way into the chat ----------------------------------------------------
    async def deliver(
        self,
        turn_context: TurnContext,
        conversation_type: str,
        built: BuiltFile,
        kind: str,
        subject: str,
        texts: Texts,
        by: str | None = None,
    ) -> None:
        """A FileConsentCard in a personal chat (FileConsentCard is personal-only), a
        download link card in group chats and channels. `by`: the requester's user key,
        for the audit log (a list's subject names its requester already)."""
        if conversation_type == "personal":
            file_id = secrets.token_urlsafe(16)
            key = self._file_key(file_id)
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.hset(key, mapping={"name": built.name, "data": built.data, "kind": kind, "subject": subject})
                pipe.expire(key, CONSENT_TTL_SECONDS)
                await pipe.execute()
            card = cards.file_consent_card(built.name, len(built.data), context={"file": file_id})
            text = "\n\n".join([texts.consent, *texts.notes])
        else:
            card = await self.link_card(built.name, kind, subject)
            text = "\n\n".join([texts.link, *texts.notes])
        await turn_context.send_activity(to_activity(text, [card]))
        via = "consent" if conversation_type == "personal" else "link"
        audit("workbook_issued", **_what(kind, subject), by=user_ref(by), via=via)

    async def link_url(self, kind: str, subject: str) -> tuple[str, datetime]:
        expires_at = int(time.time() + self._config.file_link_ttl_hours * 3600)
        token = sign(kind, subject, expires_at, await self.secret.get())
        return f"{self._config.base_url}/files/{token}", datetime.fromtimestamp(expires_at, JST)

    async def link_card(self, name: str, kind: str, subject: str) -> dict[str, Any]:
        url, expires = await self.link_url(kind, subject)
        return cards.download_link_card(name, url, msg.LINK_NOTE.format(expires=msg.expiry_text(expires)))

    def _file_key(self, file_id: str) -> str:
        return f"{self._ns}:file:{file_id}"

    # --- fileConsent/invoke ------------------------------------------------------------
    async def on_file_consent(self, turn_context: TurnContext) -> InvokeResponse:
        value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        context = value.get("context") if isinstance(value.get("context"), dict) else {}
        file_id = str(context.get("file") or "")
        stored = await self._client.hgetall(self._file_key(file_id)) if file_id else {}
        if not stored:
            await turn_context.send_activity(msg.FILE_EXPIRED)
            return InvokeResponse(status=200)
        name = stored[b"name"].decode("utf-8")
        kind, subject = stored[b"kind"].decode("utf-8"), stored[b"subject"].decode("utf-8")
        upload_info = value.get("uploadInfo") if isinstance(value.get("uploadInfo"), dict) else {}
        if value.get("action") == "accept" and upload_info.get("uploadUrl"):
            if await self._downloader.upload(str(upload_info["uploadUrl"]), stored[b"data"]):
                await self._client.delete(self._file_key(file_id))
                audit("workbook_download", **_what(kind, subject), by=user_ref(user_key_of(turn_context.activity)), via="onedrive")
                card = cards.file_info_card(
                    str(upload_info.get("name") or name),
                    str(upload_info.get("uniqueId") or ""),
                    str(upload_info.get("fileType") or "xlsx"),
                    str(upload_info.get("contentUrl") or ""),
                )
                await turn_context.send_activity(to_activity(msg.UPLOADED, [card]))
                return InvokeResponse(status=200)
            text = msg.UPLOAD_FAILED
        else:
            await self._client.delete(self._file_key(file_id))
            text = msg.DECLINED
        await turn_context.send_activity(to_activity(text, [await self.link_card(name, kind, subject)]))
        return InvokeResponse(status=200)

    # --- GET /files/{token} --------------------------------------------------------------
    async def serve(self, request: web.Request) -> web.Response:
        verified = verify(request.match_info["token"], await self.secret.get(), time.time())
        if verified is None:
            return _not_found()
        kind, subject = verified
        builder = self._builders.get(kind)
        built = await builder(subject) if builder is not None else None
        if built is None:
            return _not_found()
        # Whoever holds the link: the request id ties this line to the access log.
        audit("workbook_download", **_what(kind, subject), by=None, via="link")
        return web.Response(
            body=built.data,
            content_type=XLSX_CONTENT_TYPE,
            headers={
                "Content-Disposition": content_disposition(built.name, built.ascii_name),
                # Answers are personal data: no shared caches, no second copy on disk.
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )
