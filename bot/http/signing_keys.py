"""The channel's signing keys, fetched off the event loop.

botframework-connector 4.17.1 (`jwt_token_extractor._OpenIdMetadata`) fetches the OpenID
metadata and its keys with `requests.get`, without a timeout, inside an `async def`: on
the first authenticated request, again once a day, and when a token names a key it does
not know (at most hourly). While it waits, the event loop waits: every user's turn and
`/healthz` with it, for as long as login.botframework.com takes to answer.

`install()` makes the SDK's metadata cache (`JwtTokenExtractor.metadataCache`, a class
attribute it reads through `.get`) hand out `OffLoopOpenIdMetadata`: the same requests,
on a worker thread, with timeouts, and one fetch at a time per URL however many turns
are waiting for it. A failed fetch raises what requests raises, which bot.http.auth
answers with 503.
"""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import requests
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdMetadata

# (connect, read) seconds for each of the two requests.
TIMEOUT = (5, 10)


class OffLoopOpenIdMetadata(_OpenIdMetadata):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._inflight: asyncio.Task[None] | None = None

    async def _refresh(self) -> None:
        loop = asyncio.get_running_loop()
        task = self._inflight
        if task is None or task.done() or task.get_loop() is not loop:
            task = self._inflight = loop.create_task(self._fetch_off_loop())
        # Shielded: a caller whose request is cancelled does not cancel the others' fetch.
        await asyncio.shield(task)

    async def _fetch_off_loop(self) -> None:
        self.keys = await asyncio.to_thread(self._fetch)
        self.last_updated = datetime.now()

    def _fetch(self) -> list[dict[str, Any]]:
        response = requests.get(self.url, timeout=TIMEOUT)
        response.raise_for_status()
        keys = requests.get(response.json()["jwks_uri"], timeout=TIMEOUT)
        keys.raise_for_status()
        return keys.json()["keys"]


class _MetadataCache(dict):
    """What the SDK reads as `metadataCache.get(url)`: never None, so it never builds its
    own blocking `_OpenIdMetadata`."""

    def get(self, url: str, default: Any = None) -> Any:
        found = super().get(url)
        if not isinstance(found, OffLoopOpenIdMetadata):
            found = self[url] = OffLoopOpenIdMetadata(url)
        return found


def install() -> None:
    """Idempotent; process-wide, as the SDK's cache is."""
    if not isinstance(JwtTokenExtractor.metadataCache, _MetadataCache):
        JwtTokenExtractor.metadataCache = _MetadataCache()
