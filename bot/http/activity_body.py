"""What POST /api/messages accepts, checked before anything else sees the activity.

The body must be JSON (UTF-8, at most MAX_BODY_BYTES, nested at most MAX_DEPTH deep,
no unpaired surrogates), one object, and the fields the bot reads must have the types
Teams gives them, ids and names at most 256 characters. Everything else Teams may add
passes through untouched. A refusal names the field, in Japanese, and logs one line.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from bot.http.refusals import Refused
from bot.messages import adapter as msg

# Teams posts a few kilobytes; a message is capped at about 28 KB of text. A quarter of a
# megabyte leaves room for any real activity and keeps one request's parsing cheap.
MAX_BODY_BYTES = 256 * 1024
# Real activities nest about six deep (an invoke's value.action.data.<input>); the
# SDK deep-copies and msrest walks activities recursively.
MAX_DEPTH = 32
ID_CHARS = 256
NAME_CHARS = 256
URL_CHARS = 2048
SHORT_CHARS = 64

_SURROGATE = re.compile("[\ud800-\udfff]")
# Valid UTF-8 has no surrogates: a decoded string can only hold one through a \uD8xx-\uDFxx escape.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


# --- the shape language: a field is Text, Flag, a Fields object, a ListOf, or ANY --------


@dataclass(frozen=True)
class Text:
    limit: int | None = None
    url: bool = False  # must be http(s)


@dataclass(frozen=True)
class Flag:
    pass


@dataclass(frozen=True)
class Fields:
    fields: Mapping[str, "Spec"]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListOf:
    item: "Spec"


ANY = None
Spec = Union[Text, Flag, Fields, ListOf, None]

ACCOUNT = Fields({"id": Text(ID_CHARS), "name": Text(NAME_CHARS), "aadObjectId": Text(ID_CHARS), "role": Text(SHORT_CHARS)})
PARTY = Fields(ACCOUNT.fields, required=("id",))  # from, recipient, a mention's mentioned
CONVERSATION = Fields(
    {
        "id": Text(ID_CHARS),
        "name": Text(NAME_CHARS),
        "conversationType": Text(SHORT_CHARS),
        "tenantId": Text(ID_CHARS),
        "isGroup": Flag(),
        "role": Text(SHORT_CHARS),
    },
    required=("id",),
)
_ID_ONLY = Fields({"id": Text(ID_CHARS), "name": Text(NAME_CHARS)})
ACTIVITY = Fields(
    {
        "type": Text(SHORT_CHARS),
        "id": Text(ID_CHARS),
        "replyToId": Text(ID_CHARS),
        "name": Text(NAME_CHARS),
        "serviceUrl": Text(URL_CHARS, url=True),
        "channelId": Text(SHORT_CHARS),
        "from": PARTY,
        "recipient": PARTY,
        "conversation": CONVERSATION,
        "text": Text(),
        "textFormat": Text(SHORT_CHARS),
        "locale": Text(SHORT_CHARS),
        "timestamp": Text(SHORT_CHARS),
        "localTimestamp": Text(SHORT_CHARS),
        "localTimezone": Text(SHORT_CHARS),
        "deliveryMode": Text(SHORT_CHARS),
        "action": Text(SHORT_CHARS),
        "membersAdded": ListOf(ACCOUNT),
        "membersRemoved": ListOf(ACCOUNT),
        "attachments": ListOf(
            Fields({"contentType": Text(NAME_CHARS), "contentUrl": Text(URL_CHARS), "name": Text(NAME_CHARS), "thumbnailUrl": Text(URL_CHARS)})
        ),
        "entities": ListOf(Fields({"type": Text(SHORT_CHARS), "text": Text(), "mentioned": ACCOUNT})),
        "channelData": Fields(
            {
                "tenant": _ID_ONLY,
                "team": _ID_ONLY,
                "channel": _ID_ONLY,
                "eventType": Text(SHORT_CHARS),
                "source": Fields({"name": Text(SHORT_CHARS)}),
            }
        ),
        "reactionsAdded": ListOf(Fields({"type": Text(SHORT_CHARS)})),
        "reactionsRemoved": ListOf(Fields({"type": Text(SHORT_CHARS)})),
    },
    required=("type", "serviceUrl", "from", "recipient", "conversation"),
)
# The SDK strips the bot's @mention from the text of group chat messages: it needs both.
MENTION = Fields({"mentioned": PARTY, "text": Text()}, required=("mentioned",))


def _check(spec: Spec, value: Any, path: str) -> None:
    if spec is ANY or value is None:
        return
    if isinstance(spec, Text):
        if not isinstance(value, str):
            raise _bad_field(path, f"{path} is a JSON {_kind(value)}, not a string")
        if spec.limit is not None and len(value) > spec.limit:
            raise Refused(400, msg.TOO_LONG.format(field=path, limit=spec.limit), f"{path} has {len(value)} characters")
        if spec.url and not value.lower().startswith(("https://", "http://")):
            raise _bad_field(path, f"{path} is not an http(s) URL")
    elif isinstance(spec, Flag):
        if not isinstance(value, bool):
            raise _bad_field(path, f"{path} is a JSON {_kind(value)}, not a boolean")
    elif isinstance(spec, ListOf):
        if not isinstance(value, list):
            raise _bad_field(path, f"{path} is a JSON {_kind(value)}, not an array")
        for index, item in enumerate(value):
            _check(spec.item, item, f"{path}[{index}]")
    elif isinstance(spec, Fields):
        if not isinstance(value, dict):
            raise _bad_field(path, f"{path} is a JSON {_kind(value)}, not an object")
        for name in spec.required:
            if value.get(name) in (None, ""):
                field_path = f"{path}.{name}" if path else name
                raise Refused(400, msg.MISSING_FIELD.format(field=field_path), f"{field_path} is missing")
        for name, sub in spec.fields.items():
            if name in value:
                _check(sub, value[name], f"{path}.{name}" if path else name)


def _kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null"
    )


def _bad_field(path: str, reason: str) -> Refused:
    return Refused(400, msg.BAD_FIELD.format(field=path), reason)


# --- the body --------------------------------------------------------------------------


def check_content_type(request: web.Request) -> None:
    charset = (request.charset or "utf-8").lower()
    if request.content_type != "application/json" or charset not in ("utf-8", "utf8"):
        raise Refused(
            415, msg.UNSUPPORTED_MEDIA_TYPE, f"Content-Type {request.headers.get('Content-Type', '')!r}"
        )


async def read_limited(request: web.Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed `limit`."""
    too_large = Refused(413, msg.TOO_LARGE.format(limit_kib=limit // 1024), "body over the limit")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := await request.content.readany():
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
    except (ConnectionError, HttpProcessingError) as error:  # the caller went away mid-body
        raise Refused(400, msg.INCOMPLETE, f"body incomplete: {type(error).__name__}") from None
    return b"".join(chunks)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, msg.NOT_UTF8, "body is not UTF-8") from None
    try:
        body = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise Refused(400, msg.TOO_DEEP.format(limit=MAX_DEPTH), "JSON nested too deep") from None
    except ValueError as error:
        raise Refused(400, msg.NOT_JSON, f"body is not JSON ({error})") from None
    if not isinstance(body, dict):
        raise Refused(400, msg.NOT_AN_ACTIVITY, f"body is a JSON {_kind(body)}")
    # The walk is needed only if the bytes allow what it looks for (not for a usual activity).
    if raw.count(b"{") + raw.count(b"[") > MAX_DEPTH or _SURROGATE_ESCAPE.search(raw):
        _check_nesting(body)
    return body


def _check_nesting(body: Any) -> None:
    """Depth and unpaired surrogates (which no UTF-8 encoder, Redis write or log accepts)
    in one walk without recursion."""
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Refused(400, msg.TOO_DEEP.format(limit=MAX_DEPTH), f"JSON nested deeper than {MAX_DEPTH}")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and _SURROGATE.search(key):
                raise Refused(400, msg.NOT_UTF8, "unpaired surrogate in a key")
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
            elif isinstance(item, str) and _SURROGATE.search(item):
                raise Refused(400, msg.NOT_UTF8, "unpaired surrogate in a string")


def check_activity(body: dict[str, Any]) -> None:
    _check(ACTIVITY, body, "")
    for index, entity in enumerate(body.get("entities") or []):
        if entity.get("type") == "mention":
            _check(MENTION, entity, f"entities[{index}]")
            if not isinstance(body.get("text"), str):
                raise Refused(400, msg.MISSING_FIELD.format(field="text"), "a mention without text")


async def read_activity_json(request: web.Request, limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """Content type, size, encoding, JSON, nesting and the activity's shape, in that
    order; raises Refused."""
    check_content_type(request)
    body = parse_json(await read_limited(request, limit))
    check_activity(body)
    return body

