"""A fake Teams Bot Connector: the REST API a bot talks to through serviceUrl.

It answers as Teams does (ids for posted activities, conversations created for
proactive messages, member lookups), stores what the bot sent, and plays the
OneDrive side of a FileConsentCard upload and the file download link Teams puts
in a file.download.info attachment. The load benchmark runs it too, with
`keep_activities=False` so that memory stays flat.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import ssl
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from aiohttp import web

T = TypeVar("T")

_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


@dataclass
class Sent:
    """One activity the bot posted (or updated) through the connector."""

    conversation_id: str
    activity: dict[str, Any]  # as posted, with "id" set to the id the connector gave it
    reply_to_id: str | None = None  # the {activityId} of POST …/activities/{activityId}
    authorization: str | None = None  # the request's Authorization header

    @property
    def id(self) -> str:
        return self.activity["id"]


@dataclass
class Upload:
    """A file the bot put to an upload URL, assembled from its chunks."""

    name: str
    size: int  # the total the Content-Range header announced
    data: bytearray = field(default_factory=bytearray)
    requests: list[dict[str, str]] = field(default_factory=list)  # headers of each chunk PUT

    @property
    def complete(self) -> bool:
        return len(self.data) == self.size


@dataclass
class _Failure:
    method: str
    path: re.Pattern[str]
    status: int
    times: int
    retry_after: str | None = None


@dataclass(frozen=True)
class Received:
    """One request the connector answered, injected failures included."""

    method: str
    path: str
    status: int
    at: float  # time.monotonic() when it arrived


class FakeConnector:
    """Run with `async with FakeConnector() as connector:` or start()/close()."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, keep_activities: bool = True, tls: ssl.SSLContext | None = None
    ) -> None:
        self._host = host
        self._port = port
        # OneDrive's side of a FileConsent upload over HTTPS, as `localhost` (the name in
        # the certificate `tls` carries): the bot puts files only to allowlisted https hosts.
        self._tls = tls
        self.tls_port = 0
        self._keep_activities = keep_activities
        self._runner: web.AppRunner | None = None
        self._ids = itertools.count(1)
        self._changed: asyncio.Condition | None = None
        self.activities: list[Sent] = []  # every posted activity, in order
        self.updates: list[Sent] = []
        self.deletes: list[tuple[str, str]] = []  # (conversation id, activity id)
        self.created_conversations: list[dict[str, Any]] = []  # request bodies, with "id" added
        self.members: dict[str, dict[str, Any]] = {}  # user id or aadObjectId -> TeamsChannelAccount
        self.uploads: dict[str, Upload] = {}
        self.downloads: dict[str, tuple[bytes, str]] = {}  # name -> (bytes, content type)
        self.download_requests: list[str] = []
        self.posted_count = 0  # counted even when activities are not kept
        self._failures: list[_Failure] = []
        self.received: list[Received] = []  # every request and its status, in arrival order

    # --- lifecycle ------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The serviceUrl, with the trailing slash Teams puts on it."""
        return f"http://{self._host}:{self._port}/"

    async def start(self) -> "FakeConnector":
        self._changed = asyncio.Condition()
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._inject_failures])
        app.add_routes(
            [
                web.post("/v3/conversations", self._create_conversation),
                web.post("/v3/conversations/{cid}/activities", self._send_to_conversation),
                web.post("/v3/conversations/{cid}/activities/{aid}", self._reply_to_activity),
                web.put("/v3/conversations/{cid}/activities/{aid}", self._update_activity),
                web.delete("/v3/conversations/{cid}/activities/{aid}", self._delete_activity),
                web.get("/v3/conversations/{cid}/members", self._get_members),
                web.get("/v3/conversations/{cid}/members/{uid}", self._get_member),
                web.put("/upload/{name}", self._upload),
                web.get("/download/{name}", self._download),
                web.get("/_fake/stats", self._stats),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        if self._tls is not None:
            tls_site = web.TCPSite(self._runner, self._host, 0, ssl_context=self._tls)
            await tls_site.start()
            self.tls_port = tls_site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    @property
    def upload_host(self) -> str | None:
        """`localhost:{port}` of the HTTPS listener, as DOWNLOAD_HOSTS names it; None without TLS."""
        return f"localhost:{self.tls_port}" if self.tls_port else None

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeConnector":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def clear(self) -> None:
        """Forget everything recorded (members and downloads included)."""
        self.activities.clear()
        self.updates.clear()
        self.deletes.clear()
        self.created_conversations.clear()
        self.members.clear()
        self.uploads.clear()
        self.downloads.clear()
        self.download_requests.clear()
        self._failures.clear()
        self.received.clear()
        self.posted_count = 0

    # --- what tests read ------------------------------------------------------------

    def replies(self, conversation_id: str) -> list[dict[str, Any]]:
        """Activities the bot posted to this conversation, oldest first."""
        return [s.activity for s in self.activities if s.conversation_id == conversation_id]

    def reply_count(self, conversation_id: str) -> int:
        return sum(1 for s in self.activities if s.conversation_id == conversation_id)

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 20.0) -> T:
        """Waits until predicate() is truthy (checked on every recorded request)
        and returns its value; asyncio.TimeoutError after `timeout` seconds."""
        assert self._changed is not None, "FakeConnector not started"
        async with self._changed:
            return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    def upload_url(self, name: str) -> str:
        """Where a FileConsent upload goes: https when the connector has TLS, as OneDrive's is."""
        if self.upload_host:
            return f"https://{self.upload_host}/upload/{name}"
        return f"{self.url}upload/{name}"

    def download_url(self, name: str) -> str:
        return f"{self.url}download/{name}"

    def add_download(self, name: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Serves `data` at download_url(name), which it returns."""
        self.downloads[name] = (data, content_type)
        return self.download_url(name)

    def add_member(self, account: dict[str, Any]) -> None:
        """Makes GET …/members/{id} know a user, by channel id and by aadObjectId."""
        self.members[account["id"]] = account
        if account.get("aadObjectId"):
            self.members[account["aadObjectId"]] = account

    def fail_next(
        self, method: str, path_pattern: str, status: int = 500, times: int = 1, retry_after: str | None = None
    ) -> None:
        """The next `times` requests whose method and path (regex search) match get `status`
        (with a Retry-After header, as Teams sends on 429, when `retry_after` is given)."""
        self._failures.append(_Failure(method.upper(), re.compile(path_pattern), status, times, retry_after))

    # --- the REST API ---------------------------------------------------------------

    def _new_id(self) -> str:
        # Teams activity ids are millisecond timestamps; a counter keeps them unique.
        return f"1700000000{next(self._ids):06d}"

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    @web.middleware
    async def _inject_failures(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        arrived = time.monotonic()
        response = await self._answer(request, handler)
        if self._keep_activities:
            self.received.append(Received(request.method, request.path, response.status, arrived))
        return response

    async def _answer(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        for failure in self._failures:
            if failure.times > 0 and failure.method == request.method and failure.path.search(request.path):
                failure.times -= 1
                headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else None
                return web.json_response(
                    {"error": {"code": "ServiceError", "message": "injected failure"}}, status=failure.status,
                    headers=headers,
                )
        return await handler(request)

    async def _record(self, request: web.Request, reply_to_id: str | None) -> web.Response:
        activity = await request.json()
        activity_id = self._new_id()
        self.posted_count += 1
        if self._keep_activities:
            activity["id"] = activity_id
            self.activities.append(
                Sent(request.match_info["cid"], activity, reply_to_id, request.headers.get("Authorization"))
            )
            await self._notify()
        # Teams answers a posted activity with 201 Created and its id.
        return web.json_response({"id": activity_id}, status=201)

    async def _send_to_conversation(self, request: web.Request) -> web.Response:
        return await self._record(request, None)

    async def _reply_to_activity(self, request: web.Request) -> web.Response:
        return await self._record(request, request.match_info["aid"])

    async def _update_activity(self, request: web.Request) -> web.Response:
        activity = await request.json()
        activity["id"] = request.match_info["aid"]
        self.updates.append(Sent(request.match_info["cid"], activity))
        await self._notify()
        return web.json_response({"id": activity["id"]})

    async def _delete_activity(self, request: web.Request) -> web.Response:
        self.deletes.append((request.match_info["cid"], request.match_info["aid"]))
        await self._notify()
        return web.Response(status=200)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        params = await request.json()
        # Teams answers a 1:1 create with the user's existing personal chat id;
        # a fresh id per call is enough for a bot that must not assume either.
        conversation_id = f"a:{uuid.uuid4().hex}"
        activity_id = None
        if params.get("activity"):
            activity_id = self._new_id()
            activity = dict(params["activity"], id=activity_id)
            self.activities.append(Sent(conversation_id, activity))
        self.created_conversations.append(dict(params, id=conversation_id))
        await self._notify()
        return web.json_response({"id": conversation_id, "activityId": activity_id, "serviceUrl": self.url})

    async def _get_members(self, request: web.Request) -> web.Response:
        unique = {id(m): m for m in self.members.values()}
        return web.json_response(list(unique.values()))

    async def _get_member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response(
                {"error": {"code": "MemberNotFoundInConversation", "message": "The member is not in the conversation."}},
                status=404,
            )
        return web.json_response(member)

    async def _upload(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        body = await request.read()
        header = request.headers.get("Content-Range", "")
        match = _CONTENT_RANGE.match(header.strip())
        if match is None:
            return _upload_error(400, "invalidRange", f"Content-Range {header!r} is not 'bytes start-end/total'")
        start, end = int(match[1]), int(match[2])
        total = int(match[3]) if match[3] != "*" else None
        if end < start or end - start + 1 != len(body):
            return _upload_error(400, "invalidRange", f"Content-Range {header!r} does not match {len(body)} bytes of body")
        if total is None or end >= total:
            return _upload_error(400, "invalidRange", f"Content-Range {header!r} has no valid total")
        upload = self.uploads.get(name)
        if upload is None or start == 0:
            upload = self.uploads[name] = Upload(name=name, size=total)
        if start != len(upload.data) or total != upload.size:
            return _upload_error(416, "invalidRange", f"expected bytes {len(upload.data)}- of {upload.size}")
        upload.data.extend(body)
        upload.requests.append(dict(request.headers))
        await self._notify()
        if not upload.complete:
            return web.json_response({"nextExpectedRanges": [f"{len(upload.data)}-"]}, status=202)
        return web.json_response(
            {
                "id": f"01{uuid.uuid5(uuid.NAMESPACE_URL, name).hex.upper()[:30]}",
                "name": name,
                "size": upload.size,
                "file": {},
                "webUrl": self.download_url(name),
            },
            status=201,
        )

    async def _download(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.download_requests.append(name)
        if name not in self.downloads:
            return web.Response(status=404)
        data, content_type = self.downloads[name]
        return web.Response(body=data, content_type=content_type)


    async def _stats(self, request: web.Request) -> web.Response:
        # For the load benchmark, which runs the connector in another process.
        return web.json_response({"posted": self.posted_count})


def _upload_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def dumps(activity: dict[str, Any]) -> str:
    """Compact JSON of an activity, for assertion messages."""
    return json.dumps(activity, ensure_ascii=False, sort_keys=True)
