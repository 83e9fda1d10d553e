"""The composition root: create_app(config) builds Redis, storage, adapter and bot."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis.asyncio
from aiohttp import web
from redis.exceptions import RedisError

from bot.adapter import create_adapter
from bot.config import Config
from bot.dialogs.conversation import Conversation
from bot.delivery import Delivery, DeliveryEffects, build_delivery
from bot.delivery.files import FILES_ROUTE
from bot.delivery.import_files import ImportFiles
from bot.dialogs.deletion_effects import DeletionEffects
from bot.dialogs.desk_effects import DeskEffects
from bot.dialogs.effects import check_effect_handlers, effect_table
from bot.dialogs.survey_bot import SurveyBot
from bot.dialogs.teamwork_effects import TeamworkEffects
from bot.http import health
from bot.http.invokes import unsupported_invokes
from bot.logs import access_log_middleware
from bot.notify import Notifier
from bot.reminders import Reminders
from bot.retention import Retention, erase_from, start_notice
from bot.state.answer_deletion import AnswerDeletion
from bot.state.codes import Codes
from bot.state.people import People
from bot.state.prefecture_deadlines import PrefectureDeadlines
from bot.state.q13_board import Q13Board
from bot.state.redis_checks import REDIS_REPORT, RedisRefused, check_redis_server, connect_problem, readiness_fields
from bot.state.history import History
from bot.state.staff import StaffGrants
from bot.state.turn_roles import RoleReads
from bot.state.turn_store import TurnStore
from bot.survey import municipalities
from bot.survey.engine import load_survey
from bot.state.redis_client import connect

log = logging.getLogger(__name__)

REDIS = web.AppKey("redis", redis.asyncio.Redis)
BOT = web.AppKey("bot", SurveyBot)
ADAPTER = web.AppKey("adapter", object)
EMBEDDED = web.AppKey("embedded", object)
DELIVERY = web.AppKey("delivery", Delivery)
BACKGROUND = web.AppKey("background", list)

# Who does the work each effect asks for: every effect kind has one handler among these
# (checked by create_app before anything starts).
EFFECT_PROVIDERS: tuple[type, ...] = (DeliveryEffects, TeamworkEffects, DeletionEffects, DeskEffects)


async def _messages(request: web.Request) -> web.StreamResponse:
    adapter = request.app[ADAPTER]
    response = await adapter.process(request, request.app[BOT])
    return response or web.Response(status=201)


async def _files(request: web.Request) -> web.StreamResponse:
    return await request.app[DELIVERY].files.serve(request)


async def _ready(request: web.Request) -> web.Response:
    body = await health.readiness(request.app.get(REDIS))
    return health.readiness_response({**body, **readiness_fields(request.app)})


def create_app(config: Config) -> web.Application:
    """Nothing is started here: Redis is connected (or the embedded one started) when
    the application starts, and closed on cleanup. The survey (SURVEY_DEFINITION) is read
    here, so a definition that cannot work stops the start before anything runs; so does an
    effect kind without a handler, or a handler of a kind that is not declared
    (EffectTableError)."""
    check_effect_handlers(EFFECT_PROVIDERS)
    survey = load_survey(config.survey_definition)
    config = config.for_survey(survey.texts.deadline)
    # The access log stays the outermost middleware: it sees the final status.
    app = web.Application(client_max_size=8 * 1024 * 1024, middlewares=[access_log_middleware])
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", health.liveness)
    app.router.add_get("/readyz", _ready)
    app.router.add_get(FILES_ROUTE, _files)

    async def start(app: web.Application) -> None:
        url = config.redis_url
        if not url:
            from bot.state.embedded_redis import start_embedded_redis

            embedded = start_embedded_redis(config.data_dir / "redis")
            app[EMBEDDED] = embedded
            url = embedded.url
            log.info("embedded Redis at %s", url)
        client = connect(url)
        try:
            await client.ping()
        except (RedisError, OSError) as error:
            await client.aclose()
            raise RedisRefused(connect_problem(error, url)) from None
        app[REDIS] = client
        app[REDIS_REPORT] = await check_redis_server(client, config.redis_namespace)
        # Read off the event loop, before the first turn that checks a 組織名 would stall on it.
        await asyncio.to_thread(municipalities.load)
        store = TurnStore(client, config.redis_namespace)
        history = History(client, config.redis_namespace)
        adapter = create_adapter(
            config.app_id, config.app_password, config.app_tenant_id, config.app_type,
            endpoints=config.auth_endpoints, validate_authority=config.validate_authority,
        )
        app[ADAPTER] = adapter
        grants = StaffGrants(client, config.redis_namespace, config.prefecture_staff)
        deadlines = PrefectureDeadlines(client, config.redis_namespace)
        delivery = build_delivery(config, client, store, survey, staff=grants)
        app[DELIVERY] = delivery
        notifier = Notifier(adapter, store.storage, config.app_id)
        q13 = Q13Board(client, config.redis_namespace)
        people = People(client, config.redis_namespace)
        teamwork = TeamworkEffects(
            notifier, people, store, survey,
            export=delivery.effects["export"], q13=q13,
        )
        deletion = DeletionEffects(AnswerDeletion(client, config.redis_namespace), notifier, config.admins)
        desk = DeskEffects(config, survey, delivery.collector, grants, deadlines, people, notifier)
        app[BOT] = SurveyBot(
            config, store, Conversation(survey, deadline=config.deadline, admins=config.admins), history,
            Codes(client, config.redis_namespace),
            effects=effect_table([delivery.handlers, teamwork, deletion, desk]),
            invokes={**delivery.invokes, **unsupported_invokes()}, unions=q13,
            imports=ImportFiles(survey, delivery.downloader), roles=RoleReads(client, grants, deadlines),
        )
        reminders = Reminders(config, client, survey, notifier, deadlines=deadlines)
        app[BACKGROUND] = [asyncio.create_task(reminders.run_forever())] if config.reminder_interval > 0 else []
        if EMBEDDED in app:
            app[BACKGROUND].append(asyncio.create_task(app[EMBEDDED].supervise()))
        if erase_from(config) is None:
            log.warning(start_notice(config))
        else:
            log.info(start_notice(config))
            app[BACKGROUND].append(asyncio.create_task(Retention(config, client).run_forever()))

    async def stop(app: web.Application) -> None:
        for task in app.get(BACKGROUND, []):
            task.cancel()
        adapter: Any = app.get(ADAPTER)
        if adapter is not None:
            await adapter.close()
        client = app.get(REDIS)
        if client is not None:
            await client.aclose()
        # The embedded Redis is left running on purpose only if stop() is absent;
        # a clean shutdown stops it so that ./var is consistent.
        embedded: Any = app.get(EMBEDDED)
        if embedded is not None:
            embedded.stop()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return app
