"""A fake Teams client: activities shaped exactly as Teams posts them to a bot.

A TeamsClient is one user in one conversation. Each call POSTs one activity to
the bot's /api/messages and returns what the bot posted to that conversation
through the FakeConnector while the request was being handled (the CloudAdapter
sends replies before it answers the POST).
"""
from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import aiohttp

from tests.fakes.connector import FakeConnector

DEFAULT_TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
DEFAULT_BOT_APP_ID = "00000000-0000-0000-0000-00000000b07a"
DEFAULT_BOT_NAME = "マイナンバー調査ボット"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"

_JST = timezone(timedelta(hours=9))
_activity_ids = itertools.count(1)


def _teams_id(prefix: str) -> str:
    # Teams ids are opaque base64-ish strings after a type prefix.
    return f"{prefix}{uuid.uuid4().hex}{uuid.uuid4().hex[:20]}"


@dataclass(frozen=True)
class TeamsUser:
    name: str = "山田 太郎"
    id: str = field(default_factory=lambda: _teams_id("29:1"))
    aad_object_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    email: str = ""

    def account(self) -> dict[str, Any]:
        """The `from` of the user's activities."""
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}

    def member(self, tenant_id: str = DEFAULT_TENANT_ID) -> dict[str, Any]:
        """The TeamsChannelAccount Teams returns for GET …/members/{id}."""
        email = self.email or f"{self.aad_object_id[:8]}@example.lg.jp"
        given, _, surname = self.name.partition(" ")
        return {
            "id": self.id,
            "name": self.name,
            "aadObjectId": self.aad_object_id,
            "email": email,
            "userPrincipalName": email,
            "givenName": given,
            "surname": surname,
            "tenantId": tenant_id,
            "userRole": "user",
        }


# --- replies ----------------------------------------------------------------------------


def _walk_card(element: Any) -> Iterator[dict[str, Any]]:
    if isinstance(element, dict):
        yield element
        for value in element.values():
            yield from _walk_card(value)
    elif isinstance(element, list):
        for value in element:
            yield from _walk_card(value)


def card_text_blocks(card: dict[str, Any]) -> list[str]:
    """Every TextBlock / RichTextBlock text of a card, in document order."""
    texts = []
    for element in _walk_card(card.get("body", [])):
        if element.get("type") == "TextBlock" and isinstance(element.get("text"), str):
            texts.append(element["text"])
        elif element.get("type") == "RichTextBlock":
            texts.append("".join(i.get("text", "") if isinstance(i, dict) else str(i) for i in element.get("inlines", [])))
    return texts


def card_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.* of a card (body and actions), in document order."""
    return [e for e in _walk_card(card) if str(e.get("type", "")).startswith("Action.")]


class Replies(list):
    """The activities the bot posted during one turn (a list of activity dicts)."""

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [a for a in self if a.get("type") == "message"]

    @property
    def texts(self) -> list[str]:
        """The `text` of each message that has one."""
        return [a["text"] for a in self.messages if a.get("text")]

    def attachments(self, content_type: str | None = None) -> list[dict[str, Any]]:
        return [
            att
            for a in self.messages
            for att in a.get("attachments") or []
            if content_type is None or att.get("contentType") == content_type
        ]

    @property
    def cards(self) -> list[dict[str, Any]]:
        """Adaptive Card contents, in order."""
        return [att["content"] for att in self.attachments(ADAPTIVE_CARD)]

    @property
    def headings(self) -> list[str]:
        """Per message: its first card's first TextBlock, else its text's first line."""
        out = []
        for a in self.messages:
            cards = [att["content"] for att in a.get("attachments") or [] if att.get("contentType") == ADAPTIVE_CARD]
            blocks = card_text_blocks(cards[0]) if cards else []
            if blocks:
                out.append(blocks[0])
            elif a.get("text"):
                out.append(a["text"].splitlines()[0])
        return out

    @property
    def heading(self) -> str | None:
        """The first heading of the turn (see headings)."""
        return self.headings[0] if self.headings else None

    @property
    def last_heading(self) -> str | None:
        return self.headings[-1] if self.headings else None

    @property
    def all_text(self) -> str:
        """Every text and card TextBlock of the turn, one per line: for `in` checks."""
        parts: list[str] = []
        for a in self.messages:
            if a.get("text"):
                parts.append(a["text"])
            for att in a.get("attachments") or []:
                if att.get("contentType") == ADAPTIVE_CARD:
                    parts.extend(card_text_blocks(att["content"]))
        return "\n".join(parts)

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [action for card in self.cards for action in card_actions(card)]

    def action(self, title: str) -> dict[str, Any]:
        """The card action with this title (KeyError if none)."""
        for action in self.actions:
            if action.get("title") == title:
                return action
        raise KeyError(f"no action titled {title!r}; have {[a.get('title') for a in self.actions]}")


@dataclass
class InvokeResult:
    """An invoke's HTTP answer; unpacks as (status, body)."""

    status: int
    body: Any
    replies: Replies

    def __iter__(self) -> Iterator[Any]:
        return iter((self.status, self.body))


# --- the client -------------------------------------------------------------------------


class TeamsClient:
    """One user in one conversation, talking to a bot over HTTP as Teams does."""

    def __init__(
        self,
        bot_url: str,
        connector: FakeConnector,
        user: TeamsUser | None = None,
        *,
        session: aiohttp.ClientSession,
        conversation_type: str = "personal",
        conversation_id: str | None = None,
        tenant_id: str = DEFAULT_TENANT_ID,
        bot_app_id: str = DEFAULT_BOT_APP_ID,
        bot_name: str = DEFAULT_BOT_NAME,
        service_url: str | None = None,
        auth_header: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        if conversation_type not in ("personal", "groupChat", "channel"):
            raise ValueError(conversation_type)
        self.bot_url = bot_url.rstrip("/")
        self.connector = connector
        self.user = user or TeamsUser()
        self.session = session
        self.conversation_type = conversation_type
        self.conversation_id = conversation_id or self._new_conversation_id()
        self.tenant_id = tenant_id
        self.bot_app_id = bot_app_id
        self.bot_name = bot_name
        self.service_url = service_url or connector.url
        self.auth_header = auth_header
        self.timeout = timeout
        self.last_replies = Replies()
        connector.add_member(self.user.member(tenant_id))

    @property
    def messages_url(self) -> str:
        return f"{self.bot_url}/api/messages"

    @property
    def bot_account(self) -> dict[str, Any]:
        return {"id": f"28:{self.bot_app_id}", "name": self.bot_name}

    def _new_conversation_id(self) -> str:
        if self.conversation_type == "personal":
            return _teams_id("a:1")
        thread = "thread.tacv2" if self.conversation_type == "channel" else "thread.v2"
        return f"19:{uuid.uuid4().hex}@{thread}"

    def new_conversation(self, conversation_type: str | None = None) -> "TeamsClient":
        """The same user in a fresh chat ('another chat', another device)."""
        return self._with(self.user, conversation_type or self.conversation_type, conversation_id=None)

    def as_user(self, user: TeamsUser) -> "TeamsClient":
        """Another user in this same conversation (a group chat colleague)."""
        return self._with(user, self.conversation_type, conversation_id=self.conversation_id)

    def _with(self, user: TeamsUser, conversation_type: str, conversation_id: str | None) -> "TeamsClient":
        return TeamsClient(
            self.bot_url,
            self.connector,
            user,
            session=self.session,
            conversation_type=conversation_type,
            conversation_id=conversation_id,
            tenant_id=self.tenant_id,
            bot_app_id=self.bot_app_id,
            bot_name=self.bot_name,
            service_url=self.service_url,
            auth_header=self.auth_header,
            timeout=self.timeout,
        )

    # --- activity shapes ---------------------------------------------------------------

    def base_activity(self, activity_type: str) -> dict[str, Any]:
        now = datetime.now(timezone.utc)
        conversation: dict[str, Any] = {
            "conversationType": self.conversation_type,
            "tenantId": self.tenant_id,
            "id": self.conversation_id,
        }
        channel_data: dict[str, Any] = {"tenant": {"id": self.tenant_id}}
        if self.conversation_type != "personal":
            conversation["isGroup"] = True
        if self.conversation_type == "channel":
            channel_id = self.conversation_id.split(";")[0]
            channel_data.update(
                {
                    "teamsChannelId": channel_id,
                    "teamsTeamId": channel_id,
                    "channel": {"id": channel_id},
                    "team": {"id": channel_id},
                }
            )
        return {
            "type": activity_type,
            "id": f"{int(now.timestamp() * 1000)}{next(_activity_ids):04d}",
            "timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "localTimestamp": now.astimezone(_JST).isoformat(timespec="milliseconds"),
            "localTimezone": "Asia/Tokyo",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": self.user.account(),
            "conversation": conversation,
            "recipient": dict(self.bot_account),
            "entities": [
                {"locale": "ja-JP", "country": "JP", "platform": "Web", "timezone": "Asia/Tokyo", "type": "clientInfo"}
            ],
            "channelData": channel_data,
            "locale": "ja-JP",
        }

    def message_activity(self, text: str) -> dict[str, Any]:
        activity = self.base_activity("message")
        activity["textFormat"] = "plain"
        if self.conversation_type == "personal":
            activity["text"] = text
        else:
            # In group chats and channels a bot only hears messages that @mention it.
            mention = f"<at>{self.bot_name}</at>"
            activity["text"] = f"{mention} {text}"
            activity["entities"].append({"type": "mention", "text": mention, "mentioned": dict(self.bot_account)})
        return activity

    # --- sending -----------------------------------------------------------------------

    async def send(self, activity: dict[str, Any]) -> InvokeResult:
        """POSTs any activity; returns (status, body) and the turn's replies."""
        before = self.connector.reply_count(self.conversation_id)
        headers = {"Content-Type": "application/json"}
        if self.auth_header:
            headers["Authorization"] = self.auth_header
        async with self.session.post(
            self.messages_url, json=activity, headers=headers, timeout=aiohttp.ClientTimeout(total=self.timeout)
        ) as response:
            raw = await response.read()
            status = response.status
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        replies = Replies(self.connector.replies(self.conversation_id)[before:])
        self.last_replies = replies
        return InvokeResult(status, body, replies)

    async def _send_expecting_success(self, activity: dict[str, Any]) -> Replies:
        result = await self.send(activity)
        if not 200 <= result.status < 300:
            raise AssertionError(f"bot answered {activity['type']} with HTTP {result.status}: {result.body!r}")
        return result.replies

    async def say(self, text: str) -> Replies:
        """The user types `text` (an @mention is added outside personal chats)."""
        return await self._send_expecting_success(self.message_activity(text))

    async def submit(self, data: dict[str, Any], reply_to_id: str | None = None) -> Replies:
        """The user clicks an Action.Submit whose data is `data`."""
        activity = self.base_activity("message")
        activity["value"] = data
        activity["channelData"]["source"] = {"name": "message"}
        card_id = reply_to_id or self._last_card_activity_id()
        if card_id:
            activity["replyToId"] = card_id
            activity["channelData"]["legacy"] = {"replyToId": card_id}
        return await self._send_expecting_success(activity)

    async def click(self, title: str, replies: Replies | None = None) -> Replies:
        """Clicks the card button `title` from `replies` (default: the last turn's)."""
        action = (replies if replies is not None else self.last_replies).action(title)
        if action.get("type") == "Action.Execute":
            result = await self.invoke(
                "adaptiveCard/action",
                {"action": {"type": "Action.Execute", "verb": action.get("verb"), "data": action.get("data", {})}, "trigger": "manual"},
            )
            return result.replies
        if action.get("type") != "Action.Submit":
            raise AssertionError(f"{title!r} is a {action.get('type')}, not a submit button")
        data = action.get("data", {})
        return await self.submit(data if isinstance(data, dict) else {"value": data})

    async def invoke(self, name: str, value: Any, reply_to_id: str | None = None) -> InvokeResult:
        activity = self.base_activity("invoke")
        activity["name"] = name
        activity["value"] = value
        if reply_to_id:
            activity["replyToId"] = reply_to_id
        return await self.send(activity)

    async def file_consent(
        self, action: str = "accept", replies: Replies | None = None, upload_url: str | None = None
    ) -> InvokeResult:
        """Answers the (last) FileConsentCard of `replies` (default: the last turn's,
        else anything the bot sent here); on accept the upload URL is the fake's, unless
        `upload_url` names another."""
        consent = self._find_consent(replies)
        attachment, activity_id = consent
        name = attachment.get("name") or "file"
        value: dict[str, Any] = {"type": "fileUpload", "action": action, "context": attachment["content"].get("acceptContext")}
        if action == "accept":
            file_type = name.rsplit(".", 1)[-1] if "." in name else ""
            value["uploadInfo"] = {
                "name": name,
                "uploadUrl": upload_url or self.connector.upload_url(name),
                "contentUrl": self.connector.download_url(name),
                "uniqueId": str(uuid.uuid4()).upper(),
                "fileType": file_type,
            }
        else:
            value["context"] = attachment["content"].get("declineContext")
        return await self.invoke("fileConsent/invoke", value, reply_to_id=activity_id)

    async def send_attachment(
        self, file_name: str, download_url: str, text: str = "", file_type: str | None = None
    ) -> Replies:
        """The user sends a file (Teams: a file.download.info attachment)."""
        activity = self.message_activity(text) if text else self.base_activity("message")
        activity.setdefault("textFormat", "plain")
        activity["attachments"] = [
            {
                "contentType": FILE_DOWNLOAD_INFO,
                "contentUrl": download_url,
                "name": file_name,
                "content": {
                    "downloadUrl": download_url,
                    "uniqueId": str(uuid.uuid4()).upper(),
                    "fileType": file_type or (file_name.rsplit(".", 1)[-1] if "." in file_name else ""),
                },
            }
        ]
        return await self._send_expecting_success(activity)

    async def conversation_update(self, members_added: list[dict[str, Any]] | None = None) -> Replies:
        """The bot was added (default) or these members joined the conversation."""
        activity = self.base_activity("conversationUpdate")
        activity["membersAdded"] = members_added if members_added is not None else [{"id": self.bot_account["id"]}]
        activity["id"] = f"f:{uuid.uuid4().hex}"
        if self.conversation_type == "channel":
            activity["channelData"]["eventType"] = "teamMemberAdded"
        return await self._send_expecting_success(activity)

    # --- helpers -----------------------------------------------------------------------

    def _last_card_activity_id(self) -> str | None:
        for activity in reversed(self.connector.replies(self.conversation_id)):
            if activity.get("attachments"):
                return activity["id"]
        return None

    def _find_consent(self, replies: Replies | None) -> tuple[dict[str, Any], str]:
        pool = replies if replies is not None else (self.last_replies or self.connector.replies(self.conversation_id))
        for activity in reversed(pool):
            for attachment in activity.get("attachments") or []:
                if attachment.get("contentType") == FILE_CONSENT_CARD:
                    return attachment, activity["id"]
        raise AssertionError("the bot sent no FileConsentCard")
