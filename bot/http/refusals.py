"""Refused requests: a 4xx with a short Japanese body and one log line, no traceback."""
from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web

log = logging.getLogger("bot.http")

# Log lines quote what the caller sent only this far: a refused request must not
# be able to write megabytes into the log.
REASON_CHARS = 160


class Refused(Exception):
    """Raised anywhere on the way in; turned into the response by `refusal`."""

    def __init__(self, status: int, message: str, reason: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.message = message  # Japanese, for the body
        self.reason = reason  # English, for the log
        self.headers = dict(headers or {})


def refusal(request: web.Request, refused: Refused) -> web.Response:
    log.warning(
        "refused %s %s: %d %s", request.method, request.path[:REASON_CHARS], refused.status,
        refused.reason[:REASON_CHARS].replace("\n", " "),
    )
    return web.Response(
        status=refused.status, text=refused.message, content_type="text/plain", charset="utf-8",
        headers=refused.headers,
    )
