"""The CloudAdapter this bot runs on, with connector clients reused across turns.

The stock CloudAdapter builds a ConnectorClient and a UserTokenClient on every
turn; msrest spends ~5 ms of CPU building each one's retry policy, which caps a
stock bot at ~60 turns/s. Here the SDK keeps doing authentication, but the
clients it builds are cached per (app id, serviceUrl, audience) and per app id.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any, Awaitable, Callable, Hashable, TypeVar

from botbuilder.core import InvokeResponse, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient
from msrest.exceptions import SerializationError
from msrest.serialization import Model

from bot.messages import adapter as messages

logger = logging.getLogger(__name__)

# Enough for every Teams region a tenant can be served from, with room to spare;
# the bound only matters if something feeds the bot arbitrary serviceUrls.
MAX_CACHED_CLIENTS = 64

T = TypeVar("T")


class _BoundedCache:
    """An LRU of clients. Evicted clients are dropped, not closed: a turn still
    running may hold one, and the requests session under it is closed when
    garbage collected."""

    def __init__(self, max_size: int) -> None:
        self._max_size = max_size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put_if_absent(self, key: Hashable, value: Any) -> Any:
        # Two turns may build a client for the same key concurrently (creation
        # awaits); the first one stored wins so that everyone shares it.
        existing = self._items.get(key)
        if existing is not None:
            self._items.move_to_end(key)
            return existing
        self._items[key] = value
        while len(self._items) > self._max_size:
            self._items.popitem(last=False)
        return value

    def values(self) -> list[Any]:
        return list(self._items.values())

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


async def _cached(cache: _BoundedCache, key: Hashable, build: Callable[[], Awaitable[T]]) -> T:
    found = cache.get(key)
    if found is not None:
        return found
    return cache.put_if_absent(key, await build())


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, app_id: str, cache: _BoundedCache) -> None:
        self._inner = inner
        self._app_id = app_id
        self._cache = cache

    async def create(self, service_url: str, audience: str = None) -> ConnectorClient:
        return await _cached(
            self._cache,
            (self._app_id, service_url, audience),
            lambda: self._inner.create(service_url, audience),
        )


def _app_id_of(claims_identity: ClaimsIdentity | None) -> str:
    # The SDK's own rule (aud, else appid) so the cache keys match whom the
    # clients' credentials were built for.
    if claims_identity is None:
        return ""
    claims = claims_identity.claims or {}
    return str(claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(AuthenticationConstants.APP_ID_CLAIM) or "")


class CachingBotFrameworkAuthentication(BotFrameworkAuthentication):
    """Delegates everything to the SDK's authentication; only caches clients."""

    def __init__(self, inner: BotFrameworkAuthentication, max_clients: int = MAX_CACHED_CLIENTS) -> None:
        self._inner = inner
        self._connectors = _BoundedCache(max_clients)
        self._user_token_clients = _BoundedCache(max_clients)

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _CachingConnectorFactory(
                result.connector_factory, _app_id_of(result.claims_identity), self._connectors
            )
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        # Streaming replaces the connector factory with one bound to the socket.
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachingConnectorFactory(
            self._inner.create_connector_factory(claims_identity),
            _app_id_of(claims_identity),
            self._connectors,
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await _cached(
            self._user_token_clients,
            _app_id_of(claims_identity),
            lambda: self._inner.create_user_token_client(claims_identity),
        )

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)

    async def close(self) -> None:
        clients = self._connectors.values() + self._user_token_clients.values()
        self._connectors.clear()
        self._user_token_clients.clear()
        for client in clients:
            await _close_client(client)


async def _close_client(client: Any) -> None:
    # A ConnectorClient closes through its msrest context manager; the user-token
    # client keeps its TokenApiClient in _client.
    target = client if isinstance(client, ConnectorClient) else getattr(client, "_client", None)
    if target is None or not hasattr(target, "__aexit__"):
        return
    try:
        await target.__aexit__(None, None, None)
    except Exception:  # shutting down: a failed close must not stop the others
        logger.warning("closing a cached client failed", exc_info=True)


class _RawJson(Model):
    """Lets a plain dict through the SDK's msrest serializer, which otherwise
    fails with "'dict' object has no attribute 'is_xml_model'"."""

    _attribute_map = {"additional_properties": {"key": "", "type": "{object}"}}

    def __init__(self, data: dict) -> None:
        super().__init__(additional_properties=dict(data))


def _model_to_json(value: Any) -> Any:
    # The schema types some fields "{object}" that Teams fills with a string
    # (AdaptiveCardInvokeResponse.value for a message response), which msrest
    # refuses; mapping the attribute map by hand keeps every field.
    if isinstance(value, Model):
        out = {}
        for name, desc in type(value)._attribute_map.items():
            field = getattr(value, name, None)
            if field is None:
                continue
            if name == "additional_properties" and desc.get("key") == "":
                out.update(field)
            else:
                out[desc["key"]] = _model_to_json(field)
        return out
    if isinstance(value, (list, tuple)):
        return [_model_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _model_to_json(v) for k, v in value.items()}
    return value


def invoke_body_as_json(body: Any) -> Any:
    """The JSON the SDK would send for an invoke body, for any body a handler
    may return: an SDK model, a dict, or None."""
    if body is None or isinstance(body, dict):
        return body
    if isinstance(body, Model):
        try:
            return serializer_helper(body)
        except SerializationError:
            return _model_to_json(body)
    return _model_to_json(body)


class FastCloudAdapter(CloudAdapter):
    bot_framework_authentication: CachingBotFrameworkAuthentication

    def _process_turn_results(self, context: TurnContext) -> InvokeResponse | None:
        # Invoke bodies given as dicts, models msrest cannot serialize, and the
        # ExpectedReplies the SDK itself turns into a dict for deliveryMode
        # expectReplies would all crash the aiohttp integration's serializer.
        response = super()._process_turn_results(context)
        if response is None or response.body is None:
            return response
        body = invoke_body_as_json(response.body)
        if isinstance(body, dict):
            body = _RawJson(body)
        return InvokeResponse(status=response.status or HTTPStatus.OK, body=body)

    def connector_cache_size(self) -> int:
        return len(self.bot_framework_authentication._connectors)

    async def close(self) -> None:
        await self.bot_framework_authentication.close()


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    """Logs the failure and apologises; never raises, so one bad turn cannot
    take the request handler (or the process) down with it."""
    activity = context.activity
    logger.error(
        "turn failed: type=%s conversation=%s",
        getattr(activity, "type", None),
        getattr(getattr(activity, "conversation", None), "id", None),
        exc_info=error,
    )
    try:
        await context.send_activity(messages.TURN_ERROR)
    except Exception:
        logger.exception("could not send the apology after a failed turn")


def create_adapter(
    app_id: str = "",
    app_password: str = "",
    tenant_id: str = "",
    app_type: str = "MultiTenant",
) -> FastCloudAdapter:
    """The SDK's CloudAdapter and authentication (anonymous when no app id is
    configured), with connector and user-token clients reused across turns."""
    configuration = SimpleNamespace(
        APP_ID=app_id or None,
        APP_PASSWORD=app_password or None,
        APP_TYPE=app_type or "MultiTenant",
        APP_TENANTID=tenant_id or None,
    )
    inner = ConfigurationBotFrameworkAuthentication(configuration)
    adapter = FastCloudAdapter(CachingBotFrameworkAuthentication(inner))
    adapter.on_turn_error = on_turn_error
    return adapter
