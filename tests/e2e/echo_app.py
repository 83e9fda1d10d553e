"""A tiny bot on bot.adapter, used only to prove the e2e harness and the adapter.

Run: `python -m tests.e2e.echo_app` (port from $PORT). Typed commands:
  boom          raises inside the turn (on_turn_error must apologise)
  client        replies with id() of the turn's ConnectorClient and pid
  whoami        looks the sender up via GET …/members/{id}
  file NAME     sends a FileConsentCard for NAME
  proactive     creates a 1:1 conversation with the sender and posts into it
  anything else is echoed as "echo: <text>"
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import aiohttp
from aiohttp import web
from botbuilder.core import BotAdapter, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import (
    AdaptiveCardInvokeResponse,
    Attachment,
    ChannelAccount,
    ConversationParameters,
)
from botbuilder.schema.teams import FileConsentCard, FileConsentCardResponse

from bot.adapter import FastCloudAdapter, create_adapter

FILE_BYTES = "回答ファイル".encode("utf-8") * 100
ADAPTER_KEY = web.AppKey("adapter", FastCloudAdapter)
HTTP_KEY = web.AppKey("http", aiohttp.ClientSession)
BOT_KEY = web.AppKey("bot", TeamsActivityHandler)


class EchoBot(TeamsActivityHandler):
    def __init__(self, adapter: FastCloudAdapter, http: aiohttp.ClientSession) -> None:
        self.adapter = adapter
        self.http = http

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        for attachment in activity.attachments or []:
            if attachment.content_type == "application/vnd.microsoft.teams.file.download.info":
                async with self.http.get(attachment.content["downloadUrl"]) as response:
                    data = await response.read()
                digest = hashlib.sha256(data).hexdigest()[:12]
                await turn_context.send_activity(f"downloaded {attachment.name} {len(data)} {digest}")
                return
        if activity.value is not None and not activity.text:
            await turn_context.send_activity(f"submitted: {json.dumps(activity.value, sort_keys=True)}")
            return
        text = TurnContext.remove_recipient_mention(activity).strip()
        command, _, rest = text.partition(" ")
        if command == "boom":
            raise RuntimeError("boom requested")
        if command == "client":
            client = turn_context.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
            await turn_context.send_activity(f"client {id(client)} pid {os.getpid()}")
        elif command == "whoami":
            member = await TeamsInfo.get_member(turn_context, activity.from_property.id)
            await turn_context.send_activity(f"you are {member.name} {member.email}")
        elif command == "file":
            await turn_context.send_activity(self._consent_card(rest or "回答.xlsx"))
        elif command == "proactive":
            await self._proactive(turn_context)
        else:
            await turn_context.send_activity(f"echo: {text}")

    def _consent_card(self, name: str) -> Any:
        card = FileConsentCard(
            description="回答ファイル",
            size_in_bytes=len(FILE_BYTES),
            accept_context={"name": name},
            decline_context={"name": name},
        )
        return MessageFactory.attachment(
            Attachment(content_type="application/vnd.microsoft.teams.card.file.consent", name=name, content=card)
        )

    async def _proactive(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        params = ConversationParameters(
            is_group=False,
            bot=activity.recipient,
            members=[ChannelAccount(id=activity.from_property.id)],
            tenant_id=activity.conversation.tenant_id,
            channel_data={"tenant": {"id": activity.conversation.tenant_id}},
        )

        async def say_hello(context: TurnContext) -> None:
            await context.send_activity("proactive hello")

        await self.adapter.create_conversation(
            "", say_hello, params, channel_id=activity.channel_id, service_url=activity.service_url
        )
        await turn_context.send_activity("proactive sent")

    async def on_teams_file_consent_accept(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        info = file_consent_card_response.upload_info
        headers = {"Content-Range": f"bytes 0-{len(FILE_BYTES) - 1}/{len(FILE_BYTES)}"}
        async with self.http.put(info.upload_url, data=FILE_BYTES, headers=headers) as response:
            status = response.status
        await turn_context.send_activity(f"uploaded {info.name} {status}")

    async def on_teams_file_consent_decline(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await turn_context.send_activity(f"declined {file_consent_card_response.context['name']}")

    async def on_adaptive_card_invoke(self, turn_context: TurnContext, invoke_value: Any) -> AdaptiveCardInvokeResponse:
        # The SDK path: ActivityHandler serializes this model itself, which only
        # works when value is a dict (a card), not a message string.
        card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": f"done {invoke_value.action['verb']}"}]}
        return AdaptiveCardInvokeResponse(status_code=200, type="application/vnd.microsoft.card.adaptive", value=card)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name == "test/dict":
            return InvokeResponse(status=200, body={"ok": True, "echo": activity.value})
        if activity.name == "adaptiveCard/action" and activity.value["action"].get("verb") == "message":
            # A message response's value is a string, which msrest cannot
            # serialize through AdaptiveCardInvokeResponse: answer with a dict.
            body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "done message"}
            return InvokeResponse(status=200, body=body)
        return await super().on_invoke_activity(turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"welcome {len(members_added)}")


def create_echo_app(adapter: FastCloudAdapter | None = None) -> web.Application:
    adapter = adapter or create_adapter()
    app = web.Application()
    app[ADAPTER_KEY] = adapter

    async def start(app: web.Application) -> None:
        app[HTTP_KEY] = aiohttp.ClientSession()
        app[BOT_KEY] = EchoBot(adapter, app[HTTP_KEY])

    async def stop(app: web.Application) -> None:
        await app[HTTP_KEY].close()
        await adapter.close()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, request.app[BOT_KEY])

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    app.router.add_post("/api/messages", messages)
    return app


def main() -> None:
    web.run_app(create_echo_app(), host="127.0.0.1", port=int(os.environ["PORT"]), print=None)


if __name__ == "__main__":
    main()
