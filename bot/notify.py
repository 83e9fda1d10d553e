"""Proactive messages: to a user's last chat with the bot, through its stored
conversation reference (Teams lets a bot write only where the user has talked to it).

They are bulk sends: each waits for its slot under Teams' rate limits (bot/http/pacing.py)
and is retried on 429/412/5xx like every message the bot posts (bot/http/retry.py)."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Iterable

from botbuilder.core import BotAdapter, MessageFactory, TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.http.pacing import bulk_sends
from bot.logs import user_ref
from bot.state.redis_storage import RedisStorage

log = logging.getLogger(__name__)

AfterSend = Callable[[TurnContext, str, dict[str, Any]], Awaitable[None]]


class Notifier:
    def __init__(self, adapter: BotAdapter, storage: RedisStorage, app_id: str = "") -> None:
        self._adapter = adapter
        self._storage = storage
        self._app_id = app_id

    async def users(self, user_keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        keys = [f"user:{k}" for k in dict.fromkeys(user_keys)]
        records = await self._storage.read(keys) if keys else {}
        return {key[len("user:"):]: value for key, value in records.items()}

    async def send(
        self,
        user_keys: Iterable[str],
        activity: Activity | str,
        after: AfterSend | None = None,
    ) -> list[str]:
        """Sends to every user with a known chat; returns the keys reached. A failure for
        one user is logged and does not stop the others."""
        reached = []
        with bulk_sends():
            for user_key, record in (await self.users(user_keys)).items():
                reference = record.get("reference")
                if not reference:
                    continue
                message = MessageFactory.text(activity) if isinstance(activity, str) else activity

                async def callback(turn_context: TurnContext, key: str = user_key, rec: dict[str, Any] = record) -> None:
                    await turn_context.send_activity(message)
                    if after is not None:
                        await after(turn_context, key, rec)

                try:
                    await self._adapter.continue_conversation(
                        ConversationReference().deserialize(reference), callback, bot_app_id=self._app_id or None
                    )
                    reached.append(user_key)
                except Exception:  # one unreachable user must not block the rest
                    log.exception("proactive message to %s failed", user_ref(user_key))
        return reached
