"""File delivery: 出力 into the chat, signed download links, 集計 for prefecture staff.

`build_delivery(...)` is the one thing create_app needs: its `effects` and `invokes`
go to SurveyBot, `routes(app)` adds `GET /files/{token}`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable, Callable

import redis.asyncio
from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext

from bot.config import Config
from bot.delivery.collect import Collector
from bot.delivery.download import Downloader, build_downloader
from bot.delivery.files import FILES_ROUTE, FileDelivery
from bot.dialogs.session import Effect, Session
from bot.export.columns import SurveyLike
from bot.state.answer_index import AnswerIndex
from bot.state.staff import StaffGrants
from bot.state.turn_store import TurnStore

EffectHandler = Callable[[TurnContext, Session, Effect], Awaitable[None]]
InvokeHandler = Callable[[TurnContext], Awaitable[InvokeResponse]]


@dataclass
class Delivery:
    files: FileDelivery
    collector: Collector
    index: AnswerIndex
    downloader: Downloader  # the one way user files are fetched (集計, import)
    effects: dict[str, EffectHandler] = field(default_factory=dict)
    invokes: dict[str, InvokeHandler] = field(default_factory=dict)

    def routes(self, app: web.Application) -> None:
        """Adds `GET /files/{token}` (works from on_startup too: aiohttp takes routes then)."""
        app.router.add_get(FILES_ROUTE, self.files.serve)


def build_delivery(
    config: Config,
    redis_client: redis.asyncio.Redis,
    store: TurnStore,
    survey: SurveyLike,
    downloader: Downloader | None = None,
    staff: StaffGrants | None = None,
) -> Delivery:
    """redis_client must return bytes (decode_responses=False): workbooks are kept in it.
    Replies go through the turn's context, so no adapter is needed here. `downloader`
    defaults to Teams' file hosts plus DOWNLOAD_HOSTS; `staff` to PREFECTURE_STAFF and
    the grants kept in Redis."""
    files = FileDelivery(config, redis_client, store, survey)
    index = AnswerIndex(redis_client, config.redis_namespace)
    downloader = downloader or build_downloader(config.download_hosts)
    staff = staff or StaffGrants(redis_client, config.redis_namespace, config.prefecture_staff)
    collector = Collector(config, redis_client, store, survey, index, files, downloader, staff)

    async def on_index(turn_context: TurnContext, session: Session, effect: Effect) -> None:
        params = effect.params
        await index.update(str(params["answer_id"]), str(params.get("old") or ""), str(params.get("new") or ""))

    return Delivery(
        files=files,
        collector=collector,
        index=index,
        downloader=downloader,
        effects={
            "export": files.export,
            "collect": collector.collect,
            "receive_files": collector.receive_files,
            "index": on_index,
        },
        invokes={"fileConsent/invoke": files.on_file_consent},
    )


__all__ = ["Delivery", "build_delivery"]
