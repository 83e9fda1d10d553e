"""The CloudAdapter this bot runs on, with connector clients reused across turns.

The stock CloudAdapter builds a ConnectorClient and a UserTokenClient on every
turn; msrest spends ~5 ms of CPU building each one's retry policy, which caps a
stock bot at ~60 turns/s. Here the SDK keeps doing authentication, but the
clients it builds are cached per (app id, serviceUrl, audience) and per app id.

Replies (reply_to_activity, send_to_conversation) then go out through one shared
aiohttp session instead of msrest's `requests` on worker threads: under load the
thread hand-offs, the GIL and msrest's deserialize-then-serialize of every card
cost more than the rest of a turn. Every other Connector call keeps the SDK's path.
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections import OrderedDict
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Hashable, Mapping, TypeVar
from urllib.parse import quote

import aiohttp
from aiohttp.web import Request, Response, WebSocketResponse, json_response
from botbuilder.core import Bot, InvokeResponse, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.aio import ConnectorClient
from botframework.connector.aio.operations_async import ConversationsOperations
from botframework.connector.auth import (
    AppCredentials,
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

from bot.http import signing_keys
from bot.http.activity_body import read_activity_json
from bot.http.auth import CredentialFactory, auth_refusal, sdk_configuration
from bot.http.invokes import unsupported_invoke
from bot.http.pacing import Pacer
from bot.http.refusals import Refused, refusal
from bot.http.retry import RetryPolicy
from bot.identity import DEFAULT_APP_TYPE, credentials_factory
from bot.logs import bind_activity
from bot.messages import adapter as messages

logger = logging.getLogger(__name__)

# Enough for every Teams region a tenant can be served from, with room to spare;
# the bound only matters if something feeds the bot arbitrary serviceUrls.
MAX_CACHED_CLIENTS = 64
# Connections kept to the Connector service(s) at once; Teams answers each POST
# in tens of milliseconds, so this is far above what 2 cores can keep busy.
MAX_CONNECTOR_CONNECTIONS = 256
CONNECTOR_TIMEOUT_S = 30.0

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


class ConnectorRequestError(Exception):
    """The Connector service answered a reply with an error status (0: no answer at all)."""

    def __init__(self, method: str, url: str, status: int, body: str) -> None:
        super().__init__(f"{method} {url} -> HTTP {status}: {body[:300]}")
        self.status = status
        self.body = body


def _model_fields(value: Model, convert: Callable[[Any], Any] = lambda field: field) -> dict[str, Any]:
    """A model's set fields under their wire names; additional properties inline."""
    out: dict[str, Any] = {}
    for name, desc in type(value)._attribute_map.items():
        field = getattr(value, name, None)
        if field is None:
            continue
        if name == "additional_properties" and desc.get("key") == "":
            out.update(field)
        else:
            out[desc["key"]] = convert(field)
    return out


def _json_default(value: Any) -> Any:
    # Called by the C encoder only for what JSON has no type for: SDK models
    # (anywhere, e.g. a Mention among entities) and datetimes. Plain dicts, such
    # as card contents, are encoded without a Python-level walk.
    if isinstance(value, Model):
        return _model_fields(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def model_as_json(model: Model) -> dict[str, Any]:
    """What `model.serialize()` gives for the SDK's schema models, without building
    an msrest Serializer (and its class table) on every call."""
    return json.loads(json.dumps(model, default=_json_default, ensure_ascii=False))


def activity_to_json(activity: Activity) -> str:
    """The Connector JSON of an activity: the same keys msrest sends, without its
    validate/deserialize/serialize round trip over every card."""
    return json.dumps(activity, default=_json_default, ensure_ascii=False, separators=(",", ":"))


_BASIC_TYPES = {"str": str, "bool": bool, "int": int}


class _NotFast(Exception):
    """Something msrest's deserializer should decide (other case keys, odd types)."""


def _model_from_json(cls: type[Model], data: Any) -> Model:
    if not isinstance(data, dict):
        raise _NotFast
    attributes = cls._attribute_map
    if "additional_properties" in attributes:
        raise _NotFast
    known = _known_keys(cls)
    model = cls()
    extra = {}
    for key, value in data.items():
        # Exact keys only, as msrest's Activity().deserialize does (Teams' tenantId does not
        # fill tenantID: it lands in additional_properties there too).
        target = known.get(key)
        if target is None:
            extra[key] = value
            continue
        name, kind = target
        setattr(model, name, None if value is None else _value_from_json(kind, value))
    if extra:
        model.additional_properties = extra
    return model


@functools.lru_cache(maxsize=None)
def _known_keys(cls: type[Model]) -> dict[str, tuple[str, str]]:
    return {desc["key"]: (name, desc["type"]) for name, desc in cls._attribute_map.items()}


def _value_from_json(kind: str, value: Any) -> Any:
    if kind == "object":
        return value
    basic = _BASIC_TYPES.get(kind)
    if basic is not None:
        if type(value) is not basic:
            raise _NotFast
        return value
    if kind == "iso-8601":
        if not isinstance(value, str):
            raise _NotFast
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if kind.startswith("[") and kind.endswith("]"):
        if not isinstance(value, list):
            raise _NotFast
        inner = kind[1:-1]
        return [None if v is None else _value_from_json(inner, v) for v in value]
    model = _SCHEMA_MODELS().get(kind)
    if model is None:
        raise _NotFast
    return _model_from_json(model, value)


@functools.lru_cache(maxsize=1)
def _SCHEMA_MODELS() -> dict[str, type[Model]]:
    import botbuilder.schema as schema

    return {name: value for name, value in vars(schema).items() if isinstance(value, type) and issubclass(value, Model)}


def activity_from_json(body: Any) -> Activity:
    """`Activity().deserialize(body)` for what Teams sends, without msrest's generic
    machinery; anything unusual is left to msrest itself."""
    try:
        return _model_from_json(Activity, body)
    except (_NotFast, ValueError, TypeError):
        return Activity().deserialize(body)


def _read_activity(body: dict[str, Any]) -> Activity:
    try:
        activity = activity_from_json(body)
    except Exception as error:  # msrest's deserializer sees only the caller's input
        raise Refused(400, messages.NOT_AN_ACTIVITY, f"activity not readable: {type(error).__name__}") from None
    if not activity.type:
        raise Refused(400, messages.MISSING_FIELD.format(field="type"), "type is missing")
    return activity


class _Headers:
    """What AppCredentials.signed_session touches of a requests.Session."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class ConnectorHttp:
    """One aiohttp session for every cached connector client, created on first use,
    inside the running loop (an aiohttp session must not be built before it); with the
    one Pacer and RetryPolicy every message the bot posts goes through."""

    def __init__(
        self,
        max_connections: int = MAX_CONNECTOR_CONNECTIONS,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self.pacer = pacer or Pacer()
        self.retry = retry or RetryPolicy()

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                timeout=aiohttp.ClientTimeout(total=CONNECTOR_TIMEOUT_S),
                json_serialize=lambda value: json.dumps(value, ensure_ascii=False),
            )
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()


class FastConversations(ConversationsOperations):
    """The SDK's conversations operations, with the two a turn uses for its replies
    sent over ConnectorHttp. Credentials other than AppCredentials (which only set
    an Authorization header) keep the SDK's path, as do raw / configured calls."""

    def __init__(self, client: ConnectorClient, http: ConnectorHttp) -> None:
        super().__init__(client._client, client.config, client._serialize, client._deserialize)
        self._http = http
        self._base_url = str(client.config.base_url or "").rstrip("/")
        self._credentials = client.config.credentials
        self._user_agent = client.config.user_agent

    def _fast(self, raw: bool, operation_config: dict[str, Any]) -> bool:
        credentials_ok = self._credentials is None or isinstance(self._credentials, AppCredentials)
        return credentials_ok and not raw and not operation_config and bool(self._base_url)

    async def reply_to_activity(
        self, conversation_id, activity_id, activity, *, custom_headers=None, raw=False, **operation_config
    ):
        if not self._fast(raw, operation_config):
            return await super().reply_to_activity(
                conversation_id, activity_id, activity, custom_headers=custom_headers, raw=raw, **operation_config
            )
        path = f"/v3/conversations/{quote(str(conversation_id), safe='')}/activities/{quote(str(activity_id), safe='')}"
        return await self._post(str(conversation_id), path, activity, custom_headers)

    async def send_to_conversation(
        self, conversation_id, activity, *, custom_headers=None, raw=False, **operation_config
    ):
        if not self._fast(raw, operation_config):
            return await super().send_to_conversation(
                conversation_id, activity, custom_headers=custom_headers, raw=raw, **operation_config
            )
        path = f"/v3/conversations/{quote(str(conversation_id), safe='')}/activities"
        return await self._post(str(conversation_id), path, activity, custom_headers)

    async def _authorization(self) -> dict[str, str]:
        credentials = self._credentials
        if credentials is None or not credentials._should_set_token(None):
            return {}
        # The token comes from MSAL's cache; on a miss it is fetched over the
        # network with a blocking client, so never on the event loop.
        holder = await asyncio.to_thread(credentials.signed_session, _Headers())
        return holder.headers

    async def _post(
        self, conversation_id: str, path: str, activity: Activity, custom_headers: dict[str, str] | None
    ) -> ResourceResponse:
        url = self._base_url + path
        body = activity_to_json(activity).encode("utf-8")
        tenant_id = _tenant_of(activity)

        async def attempt() -> tuple[int, str | None, str]:
            await self._http.pacer.before_send(conversation_id, tenant_id)
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "User-Agent": self._user_agent,
                **(await self._authorization()),
                **(custom_headers or {}),
            }
            async with self._http.session().post(url, data=body, headers=headers) as response:
                return response.status, response.headers.get("Retry-After"), await response.text()

        try:
            status, text = await self._http.retry.run(attempt, what=f"POST {self._base_url}/v3/conversations/…")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise ConnectorRequestError("POST", url, 0, f"{type(error).__name__}: {error}") from None
        if status not in (200, 201, 202):
            raise ConnectorRequestError("POST", url, status, text)
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        return ResourceResponse(id=data.get("id") if isinstance(data, dict) else None)


def _tenant_of(activity: Activity) -> str:
    """The tenant Teams' per-tenant limit counts a message against."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return str(conversation.tenant_id)
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    return str(tenant.get("id") or "") if isinstance(tenant, dict) else ""


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(
        self, inner: ConnectorFactory, app_id: str, cache: _BoundedCache, http: "ConnectorHttp | None" = None
    ) -> None:
        self._inner = inner
        self._app_id = app_id
        self._cache = cache
        self._http = http

    async def create(self, service_url: str, audience: str = None) -> ConnectorClient:
        return await _cached(
            self._cache,
            (self._app_id, service_url, audience),
            lambda: self._build(service_url, audience),
        )

    async def _build(self, service_url: str, audience: str | None) -> ConnectorClient:
        client = await self._inner.create(service_url, audience)
        if self._http is not None:
            client.conversations = FastConversations(client, self._http)
        return client


def _app_id_of(claims_identity: ClaimsIdentity | None) -> str:
    # The SDK's own rule (aud, else appid) so the cache keys match whom the
    # clients' credentials were built for.
    if claims_identity is None:
        return ""
    claims = claims_identity.claims or {}
    return str(claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(AuthenticationConstants.APP_ID_CLAIM) or "")


class CachingBotFrameworkAuthentication(BotFrameworkAuthentication):
    """Delegates everything to the SDK's authentication; only caches clients."""

    def __init__(
        self,
        inner: BotFrameworkAuthentication,
        max_clients: int = MAX_CACHED_CLIENTS,
        fast_replies: bool = True,
        http: ConnectorHttp | None = None,
    ) -> None:
        self._inner = inner
        self._connectors = _BoundedCache(max_clients)
        self._user_token_clients = _BoundedCache(max_clients)
        self._http = (http or ConnectorHttp()) if fast_replies else None

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _CachingConnectorFactory(
                result.connector_factory, _app_id_of(result.claims_identity), self._connectors, self._http
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
            self._http,
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
        if self._http is not None:
            await self._http.close()


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
        return _model_fields(value, _model_to_json)
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
    # With an app id, a request is authenticated from its headers before its body is read.
    requires_auth: bool = False

    async def process(self, request: Request, bot: Bot, ws_response: WebSocketResponse = None) -> Response | None:
        # The SDK's POST path, with the activity read by activity_from_json (msrest's
        # generic deserializer was a tenth of a turn) after bot.http's checks, and every
        # client error answered with a 4xx. The turn itself is the SDK's.
        if request is None or bot is None or request.method != "POST" or ws_response is not None:
            return await super().process(request, bot, ws_response)
        header = request.headers.get("Authorization") or None
        try:
            if self.requires_auth:
                await self._authenticate(Activity(), header)
            activity = _read_activity(await read_activity_json(request))
            bind_activity(activity)
            # Again with the activity: its serviceUrl must match the token's claim and
            # its channel the signing key's endorsements.
            authenticated = await self._authenticate(activity, header)
        except Refused as refused:
            return refusal(request, refused)
        invoke_response = await self.process_activity(authenticated, activity, bot.on_turn)
        if invoke_response:
            return json_response(data=serializer_helper(invoke_response.body), status=invoke_response.status)
        return Response(status=201)

    async def _authenticate(self, activity: Activity, header: str | None) -> AuthenticateRequestResult:
        try:
            return await self.bot_framework_authentication.authenticate_request(activity, header)
        except Exception as error:  # the SDK raises many kinds for a bad token (bot.http.auth)
            raise auth_refusal(error) from None

    def _process_turn_results(self, context: TurnContext) -> InvokeResponse | None:
        # Invoke bodies given as dicts, models msrest cannot serialize, and the
        # ExpectedReplies the SDK itself turns into a dict for deliveryMode
        # expectReplies would all crash the aiohttp integration's serializer.
        response = super()._process_turn_results(context)
        if response is not None and response.status == HTTPStatus.NOT_IMPLEMENTED and response.body is None:
            # The SDK's answer when no handler took the invoke: a 4xx instead, so that
            # 5xx keeps meaning a fault of this server.
            return unsupported_invoke()
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
    if isinstance(error, ConnectorRequestError):
        # The Connector refused a reply (after the retries): one line, no traceback.
        logger.error("turn failed: a reply could not be posted: %s", str(error)[:300])
        if error.status == 0:
            return  # unreachable: an apology would go the same way
    else:
        logger.error(
            "turn failed: type=%s conversation=%s",
            getattr(activity, "type", None),
            getattr(getattr(activity, "conversation", None), "id", None),
            exc_info=error,
        )
    try:
        await context.send_activity(messages.TURN_ERROR)
    except ConnectorRequestError as apology_error:
        logger.error("could not send the apology after a failed turn: %s", str(apology_error)[:300])
    except Exception:
        logger.exception("could not send the apology after a failed turn")


def create_adapter(
    app_id: str = "",
    app_password: str = "",
    tenant_id: str = "",
    app_type: str = DEFAULT_APP_TYPE,
    *,
    endpoints: Mapping[str, str] | None = None,
    validate_authority: bool = True,
    http: ConnectorHttp | None = None,
) -> FastCloudAdapter:
    """The SDK's CloudAdapter and authentication (anonymous when no app id is
    configured; `endpoints` are the SDK's settings named in bot.http.auth), with
    connector and user-token clients reused across turns. The credentials come from
    bot.identity (SingleTenant, UserAssignedMSI or MultiTenant)."""
    signing_keys.install()
    configuration = sdk_configuration(app_id, app_password, tenant_id, app_type, endpoints, validate_authority)
    identity = credentials_factory(app_id, app_password, tenant_id, app_type)
    inner = ConfigurationBotFrameworkAuthentication(
        configuration, credentials_factory=CredentialFactory(configuration, inner=identity)
    )
    adapter = FastCloudAdapter(CachingBotFrameworkAuthentication(inner, http=http))
    adapter.requires_auth = bool(app_id)
    adapter.on_turn_error = on_turn_error
    return adapter
