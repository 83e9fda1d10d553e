"""File delivery: 出力 into the chat, signed download links, 集計 for prefecture staff and
集計 全国 for the ministry's.

`build_delivery(...)` is the one thing create_app needs: its `handlers` (DeliveryEffects)
and `invokes` go to SurveyBot, `routes(app)` adds `GET /files/{token}`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable, Callable

import redis.asyncio
from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext

from bot.config import Config
from bot.delivery.collect import Collector
from bot.delivery.country import CountryDesk
from bot.delivery.download import Downloader, build_downloader
from bot.delivery.files import FILES_ROUTE, FileDelivery
from bot.dialogs.effects import Collect, Export, Handler, IndexAnswer, ReceiveFiles, handlers_of, handles
from bot.dialogs.session import Session
from bot.export.columns import SurveyLike
from bot.state.answer_index import AnswerIndex
from bot.state.staff import StaffGrants
from bot.state.turn_store import TurnStore

InvokeHandler = Callable[[TurnContext], Awaitable[InvokeResponse]]


class DeliveryEffects:
    """The effects of 出力 and 集計 (a prefecture's or the country's), and the prefecture index."""

    def __init__(self, files: FileDelivery, collector: Collector, index: AnswerIndex, country: CountryDesk) -> None:
        self.files = files
        self.collector = collector
        self.index = index
        self.country = country

    @handles(Export)
    async def export(self, turn_context: TurnContext, session: Session, effect: Export) -> None:
        await self.files.export(turn_context, session, effect)

    @handles(Collect)
    async def collect(self, turn_context: TurnContext, session: Session, effect: Collect) -> None:
        if self.country.wants(session, effect):
            await self.country.collect(turn_context, session, effect)
            return
        await self.collector.collect(turn_context, session, effect)

    @handles(ReceiveFiles)
    async def receive_files(self, turn_context: TurnContext, session: Session, effect: ReceiveFiles) -> None:
        if self.country.is_ministry(session.user_key):
            await self.country.receive_files(turn_context, session, effect)
            return
        await self.collector.receive_files(turn_context, session, effect)

    @handles(IndexAnswer)
    async def index_answer(self, turn_context: TurnContext, session: Session, effect: IndexAnswer) -> None:
        await self.index.update(effect.answer_id, effect.old, effect.new)


@dataclass
class Delivery:
    files: FileDelivery
    collector: Collector
    index: AnswerIndex
    downloader: Downloader  # the one way user files are fetched (集計, import)
    handlers: DeliveryEffects
    invokes: dict[str, InvokeHandler] = field(default_factory=dict)

    @property
    def effects(self) -> dict[str, Handler]:
        """{effect kind: handler} of `handlers`."""
        return handlers_of(self.handlers)

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
    downloader = downloader or build_downloader(config.download_hosts)
    files = FileDelivery(config, redis_client, store, survey, downloader)
    index = AnswerIndex(redis_client, config.redis_namespace)
    staff = staff or StaffGrants(redis_client, config.redis_namespace, config.prefecture_staff)
    collector = Collector(config, redis_client, store, survey, index, files, downloader, staff)
    country = CountryDesk(config, survey, files, collector)
    return Delivery(
        files=files,
        collector=collector,
        index=index,
        downloader=downloader,
        handlers=DeliveryEffects(files, collector, index, country),
        invokes={"fileConsent/invoke": files.on_file_consent},
    )


__all__ = ["Delivery", "DeliveryEffects", "build_delivery"]
