"""Fetching a file someone dropped into a Teams chat, putting a workbook into the user's
OneDrive when they accept a FileConsentCard, and nothing else.

A dropped file reaches the bot as an attachment of type
`application/vnd.microsoft.teams.file.download.info` whose `content.downloadUrl` is a
short-lived link into the sender's OneDrive for Business (`{tenant}-my.sharepoint.com`)
or the team's SharePoint site (`{tenant}.sharepoint.com`), e.g.
`https://contoso-my.sharepoint.com/personal/…/_layouts/15/download.aspx?UniqueId=…&tempauth=…`.
That URL is part of the activity's body, so it says whatever the sender of the
request wants; before anything is fetched:

- the URL must be `https`, without user info, to a host on the allowlist
  (`DEFAULT_HOSTS`, plus the `DOWNLOAD_HOSTS` setting) on the port its entry names
  (443 when it names none);
- redirects are followed here, not by the client, at most `MAX_REDIRECTS`, and each
  target is checked the same way;
- certificates are verified against the default trust store, which `SSL_CERT_FILE`
  (or `SSL_CERT_DIR`) replaces as Python's ssl reads them;
- no proxy or cookies from the environment, none of the bot's credentials, no
  compressed transfer (a gzip body could unpack far past the size limit);
- at most `max_bytes` are read;
- every failure is the same `DownloadFailed`, with the same message for the user: a
  refused address, a closed port, a bad certificate, a 404 or a timeout all look
  alike, so the bot cannot be used to probe the network it runs in. The reason is
  logged for operators (host and port only: the URL's query is a credential).

`Downloader.fetch(url) -> bytes` is the one way the bot fetches user files (集計's
dropped workbooks; the import of a dropped answer sheet). `Downloader.upload(url, data)`
is the one way it sends one: a FileConsent invoke's `uploadInfo.uploadUrl`, e.g.
`https://contoso-my.sharepoint.com/personal/…/uploadSession?…`, is also request body,
so it passes the same checks (no redirects followed: the PUT goes where Teams said, or
nowhere).
"""
from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import Iterable
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver
from yarl import URL

from bot.config import ConfigError
from bot.messages import delivery as msg
from bot.messages.export import size_text

log = logging.getLogger(__name__)

HTTPS_PORT = 443
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 3
# Several files may come in one message; a few at a time, across all users, keeps
# memory bounded (each holds at most max_bytes).
MAX_PARALLEL = 4
TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=10, sock_read=15)
UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=60, sock_connect=10)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_HOST_NAME = re.compile(r"^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")


@dataclass(frozen=True)
class AllowedHost:
    """One allowlist entry. `subdomains`: any host below `name` ("*.sharepoint.com"),
    not `name` itself."""

    name: str
    port: int = HTTPS_PORT
    subdomains: bool = False

    def allows(self, host: str, port: int) -> bool:
        if port != self.port:
            return False
        return host.endswith("." + self.name) if self.subdomains else host == self.name

    def __str__(self) -> str:
        return ("*." if self.subdomains else "") + self.name + (f":{self.port}" if self.port != HTTPS_PORT else "")


# Files sent to a bot are stored in OneDrive for Business or SharePoint Online, whose
# hosts are all {tenant}.sharepoint.com / {tenant}-my.sharepoint.com. Teams supports
# files in bots in the commercial cloud and GCC (also sharepoint.com), not in GCC High,
# DoD or 21Vianet, so no other cloud's hosts are needed by default; a tenant's own
# SharePoint domain, if any, goes into DOWNLOAD_HOSTS.
DEFAULT_HOSTS: tuple[AllowedHost, ...] = (AllowedHost("sharepoint.com", HTTPS_PORT, subdomains=True),)


def parse_hosts(text: str) -> tuple[AllowedHost, ...]:
    """`DOWNLOAD_HOSTS`: comma-separated host names, each optionally `:port` (443 if
    none) and optionally `*.` for every host below the name. ConfigError if malformed."""
    hosts = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        name, sep, port_text = entry.lower().rpartition(":") if ":" in entry else (entry.lower(), "", "")
        port = HTTPS_PORT
        if sep:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise ConfigError(f"DOWNLOAD_HOSTS: '{entry}' has no valid port (host or host:port)")
            port = int(port_text)
        name = name.rstrip(".")
        if not _HOST_NAME.match(name):
            raise ConfigError(f"DOWNLOAD_HOSTS: '{entry}' is not a host name (host, host:port or *.domain)")
        wildcard = name.startswith("*.")
        hosts.append(AllowedHost(name[2:] if wildcard else name, port, subdomains=wildcard))
    return tuple(hosts)


def _logged(reason: str, url: URL | None, what: str) -> str:
    """Logs why a transfer was not made (host and port only: the URL's query is a
    credential) and returns the reason with them."""
    where = f"{url.scheme}://{url.raw_host}:{url.port}" if url is not None and url.raw_host else "?"
    log.warning("%s not made (%s): %s", what, where, reason)
    return f"{reason} ({where})"


class DownloadFailed(Exception):
    """A fetch that did not bring the file, for whatever reason. `message` is what the
    user is told, the same for every failure; `str()` is the reason, for logs only."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(reason)
        self.message = message


class Downloader:
    """`await downloader.fetch(url)` -> the bytes, or DownloadFailed.

    `resolver` replaces aiohttp's DNS lookup (tests point allowlisted names at a
    loopback server with it); production uses the system resolver.
    """

    def __init__(
        self,
        hosts: Iterable[AllowedHost] = DEFAULT_HOSTS,
        max_bytes: int = MAX_BYTES,
        *,
        timeout: aiohttp.ClientTimeout = TIMEOUT,
        max_redirects: int = MAX_REDIRECTS,
        parallel: int = MAX_PARALLEL,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self.hosts = tuple(hosts)
        self.max_bytes = max_bytes
        self._timeout = timeout
        self._max_redirects = max_redirects
        self._slots = asyncio.Semaphore(parallel)
        self._resolver = resolver
        # Read once, here: the default trust store, or SSL_CERT_FILE / SSL_CERT_DIR.
        self._ssl = ssl.create_default_context()

    @property
    def failure_message(self) -> str:
        """The one text a user sees for any failed fetch."""
        return msg.DOWNLOAD_FAILED.format(limit=size_text(self.max_bytes))

    def _fail(self, reason: str, url: URL | None = None, what: str = "download") -> DownloadFailed:
        return DownloadFailed(self.failure_message, _logged(reason, url, what))

    def checked(self, url: str | URL, what: str = "download") -> URL:
        """The URL, if it may be fetched (or uploaded to); DownloadFailed otherwise."""
        try:
            target = url if isinstance(url, URL) else URL(url)
            host = (target.raw_host or "").lower().rstrip(".")
            port = target.port
        except (ValueError, UnicodeError, TypeError):
            raise self._fail("not a URL", what=what) from None
        if target.scheme != "https":
            raise self._fail(f"scheme {target.scheme or 'none'!r} is not https", target, what)
        if target.raw_user is not None or target.raw_password is not None:
            raise self._fail("user info in the URL", target, what)
        if not host or port is None or not any(rule.allows(host, port) for rule in self.hosts):
            raise self._fail("host not on the allowlist", target, what)
        return target

    def _session(self, timeout: aiohttp.ClientTimeout) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(ssl=self._ssl, resolver=self._resolver, force_close=True)
        return aiohttp.ClientSession(
            connector=connector, timeout=timeout, auto_decompress=False, trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def fetch(self, url: str) -> bytes:
        target = self.checked(url)
        async with self._slots, self._session(self._timeout) as http:
            try:
                return await self._follow(http, target)
            except DownloadFailed:
                raise
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError, UnicodeError) as error:
                raise self._fail(type(error).__name__, target) from None

    async def upload(self, url: str, data: bytes) -> bool:
        """PUTs `data` to a OneDrive upload session; True when OneDrive took it (200/201).
        Failures (a refused address among them) are logged and return False: the user is
        offered the download link instead."""
        try:
            target = self.checked(url, "upload")
        except DownloadFailed:
            return False
        # One PUT with the whole range: an upload session takes a single chunk up to
        # 60 MiB, and these workbooks stay far below 4 MB, so no chunking is needed.
        headers = {"Content-Length": str(len(data)), "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
        try:
            # Not one of the download slots: the bytes are in memory already, and an accepted
            # consent card waits on this PUT (many at once on deadline day).
            async with self._session(UPLOAD_TIMEOUT) as http:
                async with http.put(target, data=data, headers=headers, allow_redirects=False) as response:
                    if response.status in (200, 201):
                        return True
                    _logged(f"status {response.status}: {(await response.text())[:200]!r}", target, "upload")
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError, UnicodeError) as error:
            _logged(type(error).__name__, target, "upload")
        return False

    async def _follow(self, http: aiohttp.ClientSession, target: URL) -> bytes:
        for _hop in range(self._max_redirects + 1):
            async with http.get(target, allow_redirects=False, headers={"Accept-Encoding": "identity"}) as response:
                if response.status in _REDIRECTS:
                    location = response.headers.get("Location", "")
                    if not location:
                        raise self._fail("redirect without Location", target)
                    target = self.checked(target.join(URL(location)))
                    continue
                if response.status != 200:
                    raise self._fail(f"status {response.status}", target)
                if response.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity"):
                    raise self._fail("compressed body", target)
                return await self._read(response, target)
        raise self._fail(f"more than {self._max_redirects} redirects", target)

    async def _read(self, response: aiohttp.ClientResponse, target: URL) -> bytes:
        if response.content_length is not None and response.content_length > self.max_bytes:
            raise self._fail(f"{response.content_length} bytes announced, over {self.max_bytes}", target)
        data = bytearray()
        async for chunk in response.content.iter_chunked(_CHUNK):
            data.extend(chunk)
            if len(data) > self.max_bytes:
                raise self._fail(f"over {self.max_bytes} bytes", target)
        return bytes(data)


def build_downloader(extra_hosts: str = "", max_bytes: int = MAX_BYTES) -> Downloader:
    """The downloader of the app: Teams' hosts plus DOWNLOAD_HOSTS."""
    return Downloader(DEFAULT_HOSTS + parse_hosts(extra_hosts), max_bytes)
