"""The downloader fetches only from the allowlisted hosts over verified TLS, and every
failure looks the same to the user.

The fake SharePoint (tests/fakes/file_host.py) listens on loopback with a certificate
from a CA made in the test, trusted through SSL_CERT_FILE; allowlisted names
(contoso-my.sharepoint.com …) resolve to it through the downloader's resolver hook.
Every refused URL below points at that live server, which records each request: a
refusal is shown by the server having seen nothing (and a plain client reaching the
same URL shows that there was something to see).
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config import ConfigError
from bot.delivery.download import (
    DEFAULT_HOSTS,
    MAX_REDIRECTS,
    AllowedHost,
    Downloader,
    DownloadFailed,
    build_downloader,
    parse_hosts,
)
from bot.messages import delivery as msg
from bot.messages.export import size_text
from tests.fakes.file_host import FileHost, LoopbackResolver, TestCA, serving

LISTED = "contoso-my.sharepoint.com"  # a user's OneDrive for Business
ALSO_LISTED = "contoso.sharepoint.com"  # a team's SharePoint site
NOT_IN_CERT = "fabrikam-my.sharepoint.com"  # listed, but the server's certificate does not name it
UNLISTED = "files.example.com"
CERT_NAMES = [LISTED, ALSO_LISTED, UNLISTED, "localhost", "127.0.0.1"]
RESOLVED = CERT_NAMES + [NOT_IN_CERT]
DATA = b"PK\x03\x04 a workbook" * 100


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture
async def host(ca: TestCA) -> AsyncIterator[FileHost]:
    async with serving(ca, CERT_NAMES) as files:
        files.files["good.xlsx"] = DATA
        yield files


MakeDownloader = Callable[..., Downloader]


@pytest.fixture
def downloader(host: FileHost, ca: TestCA, monkeypatch: pytest.MonkeyPatch) -> MakeDownloader:
    """A Downloader trusting the test CA; `*.sharepoint.com` on the fake's two ports
    (so that only the scheme refuses http://), unless `hosts` says otherwise."""

    def make(hosts: str | None = None, trust_test_ca: bool = True, **kwargs: Any) -> Downloader:
        if trust_test_ca:
            monkeypatch.setenv("SSL_CERT_FILE", str(ca.cert_file))
        else:
            monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        text = hosts if hosts is not None else f"*.sharepoint.com:{host.https_port},*.sharepoint.com:{host.http_port}"
        return Downloader(parse_hosts(text), resolver=LoopbackResolver(RESOLVED), **kwargs)

    return make


async def reached_by_a_plain_client(host: FileHost, url: str) -> bool:
    """The control: the URL does lead to the live fake (no allowlist, no verification)."""
    before = len(host.requested)
    connector = aiohttp.TCPConnector(ssl=False, resolver=LoopbackResolver(RESOLVED))
    async with aiohttp.ClientSession(connector=connector) as http:
        async with http.get(url, allow_redirects=False) as response:
            await response.read()
    return len(host.requested) > before


# --- fetched ----------------------------------------------------------------------------


async def test_a_listed_host_over_tls_is_fetched(host: FileHost, downloader: MakeDownloader) -> None:
    assert await downloader().fetch(host.url(LISTED, "files/good.xlsx")) == DATA
    assert host.requested == ["files/good.xlsx"]


async def test_a_redirect_to_another_listed_host_is_followed(host: FileHost, downloader: MakeDownloader) -> None:
    target = host.url(ALSO_LISTED, "files/good.xlsx")
    assert await downloader().fetch(host.url(LISTED, f"redirect/x?to={target}")) == DATA
    assert host.requested == ["redirect/x", "files/good.xlsx"]


@pytest.mark.parametrize("route", ["files", "chunked"])
async def test_a_file_of_exactly_the_limit_is_fetched(host: FileHost, downloader: MakeDownloader, route: str) -> None:
    assert await downloader(max_bytes=len(DATA)).fetch(host.url(LISTED, f"{route}/good.xlsx")) == DATA


async def test_a_host_given_in_download_hosts_is_fetched(host: FileHost, downloader: MakeDownloader) -> None:
    fetch = downloader(hosts=f"{UNLISTED}:{host.https_port}").fetch
    assert await fetch(host.url(UNLISTED, "files/good.xlsx")) == DATA


# --- refused before anything is sent: the target records no request -------------------

# (case, URL on the fake, what the downloader is told to allow: None = the fixture's default)
NOT_FETCHED: list[tuple[str, Callable[[FileHost], str], Callable[[FileHost], str] | None]] = [
    ("loopback IP", lambda h: h.url("127.0.0.1", "files/good.xlsx"), None),
    ("localhost", lambda h: h.url("localhost", "files/good.xlsx"), None),
    ("http://", lambda h: h.url(LISTED, "files/good.xlsx", scheme="http"), None),
    ("host not listed", lambda h: h.url(UNLISTED, "files/good.xlsx"), None),
    ("listed name on another port", lambda h: h.url(LISTED, "files/good.xlsx"), lambda h: LISTED),
    ("port given, not this one", lambda h: h.url(LISTED, "files/good.xlsx"), lambda h: f"{LISTED}:{h.https_port + 1}"),
    ("listed name, other subdomain", lambda h: h.url(LISTED, "files/good.xlsx"), lambda h: f"other.sharepoint.com:{h.https_port}"),
    ("user info", lambda h: f"https://me@{LISTED}:{h.https_port}/files/good.xlsx", None),
    ("listed name as user info", lambda h: f"https://{LISTED}@127.0.0.1:{h.https_port}/files/good.xlsx", None),
]


@pytest.mark.parametrize(("url_of", "hosts_of"), [c[1:] for c in NOT_FETCHED], ids=[c[0] for c in NOT_FETCHED])
async def test_not_fetched(host: FileHost, downloader: MakeDownloader, url_of, hosts_of) -> None:
    fetcher = downloader(hosts=hosts_of(host) if hosts_of else None)
    resolver = fetcher._resolver
    url = url_of(host)
    with pytest.raises(DownloadFailed) as failed:
        await fetcher.fetch(url)
    assert failed.value.message == fetcher.failure_message
    assert (host.requested, resolver.lookups) == ([], [])  # not even looked up
    assert await reached_by_a_plain_client(host, url)


@pytest.mark.parametrize(("url_of", "hosts_of"), [c[1:] for c in NOT_FETCHED], ids=[c[0] for c in NOT_FETCHED])
async def test_not_uploaded_to(host: FileHost, downloader: MakeDownloader, url_of, hosts_of) -> None:
    """A FileConsent uploadUrl is request body too: the same addresses are refused."""
    uploader = downloader(hosts=hosts_of(host) if hosts_of else None)
    assert await uploader.upload(url_of(host), b"personal data") is False
    assert (host.requested, uploader._resolver.lookups, host.files["good.xlsx"]) == ([], [], DATA)


async def test_a_listed_host_over_tls_is_uploaded_to(host: FileHost, downloader: MakeDownloader) -> None:
    assert await downloader().upload(host.url(LISTED, "files/new.xlsx"), DATA) is True
    assert (host.requested, host.files["new.xlsx"]) == (["put/new.xlsx"], DATA)


# (case, path on the listed host, downloader options, requests the fake sees)
NOT_UPLOADED: list[tuple[str, Callable[[FileHost], str], dict[str, Any], list[str]]] = [
    ("redirect, even to a listed host", lambda h: f"redirect/x?to={h.url(ALSO_LISTED, 'files/new.xlsx')}", {}, ["redirect/x"]),
    ("server error", lambda h: "files/fail.xlsx", {}, ["put/fail.xlsx"]),
    ("untrusted certificate", lambda h: "files/new.xlsx", {"trust_test_ca": False}, []),
]


@pytest.mark.parametrize(("path_of", "options", "seen"), [c[1:] for c in NOT_UPLOADED], ids=[c[0] for c in NOT_UPLOADED])
async def test_an_upload_that_fails_is_false(host: FileHost, downloader: MakeDownloader, path_of, options, seen) -> None:
    assert await downloader(**options).upload(host.url(LISTED, path_of(host)), DATA) is False
    assert (host.requested, "new.xlsx" in host.files) == (seen, False)


async def test_file_url_is_not_read(downloader: MakeDownloader, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("redis password")
    fetcher = downloader()
    with pytest.raises(DownloadFailed) as failed:
        await fetcher.fetch(secret.as_uri())
    assert failed.value.message == fetcher.failure_message


# --- refused along the way ---------------------------------------------------------------------

# (case, path on the listed host, requests the fake sees)
REDIRECTS: list[tuple[str, Callable[[FileHost], str], list[str]]] = [
    ("to loopback", lambda h: f"redirect/x?to=https://127.0.0.1:{h.https_port}/files/good.xlsx", ["redirect/x"]),
    ("to localhost", lambda h: f"redirect/x?to=https://localhost:{h.https_port}/files/good.xlsx", ["redirect/x"]),
    ("to http://", lambda h: f"redirect/x?to={h.url(LISTED, 'files/good.xlsx', scheme='http')}", ["redirect/x"]),
    ("to a host not listed", lambda h: f"redirect/x?to={h.url(UNLISTED, 'files/good.xlsx')}", ["redirect/x"]),
    ("to a file URL", lambda h: "redirect/x?to=file:///etc/passwd", ["redirect/x"]),
    ("in a loop", lambda h: "loop/x", ["loop/x"] * (MAX_REDIRECTS + 1)),
]


@pytest.mark.parametrize(("path_of", "seen"), [c[1:] for c in REDIRECTS], ids=[c[0] for c in REDIRECTS])
async def test_a_redirect_off_the_allowlist_is_not_followed(host: FileHost, downloader: MakeDownloader, path_of, seen) -> None:
    fetcher = downloader()
    with pytest.raises(DownloadFailed) as failed:
        await fetcher.fetch(host.url(LISTED, path_of(host)))
    assert failed.value.message == fetcher.failure_message
    assert host.requested == seen


async def test_a_certificate_from_an_untrusted_ca_is_refused(host: FileHost, downloader: MakeDownloader) -> None:
    fetcher = downloader(trust_test_ca=False)  # the default trust store does not know the test CA
    with pytest.raises(DownloadFailed) as failed:
        await fetcher.fetch(host.url(LISTED, "files/good.xlsx"))
    assert (failed.value.message, host.requested) == (fetcher.failure_message, [])


async def test_a_certificate_for_another_name_is_refused(host: FileHost, downloader: MakeDownloader) -> None:
    fetcher = downloader()
    with pytest.raises(DownloadFailed) as failed:
        await fetcher.fetch(host.url(NOT_IN_CERT, "files/good.xlsx"))
    assert (failed.value.message, host.requested) == (fetcher.failure_message, [])


LIMIT = len(DATA) - 1
# (case, path on the listed host, downloader options)
FAILED: list[tuple[str, str, dict[str, Any]]] = [
    ("not found", "files/gone.xlsx", {}),
    ("too large, announced", "files/good.xlsx", {"max_bytes": LIMIT}),
    ("too large, streamed", "chunked/good.xlsx", {"max_bytes": LIMIT}),
    ("compressed transfer", "gzip/good.xlsx", {}),
    ("too slow", "stall/good.xlsx", {"timeout": aiohttp.ClientTimeout(total=0.5)}),
]


@pytest.mark.parametrize(("path", "options"), [c[1:] for c in FAILED], ids=[c[0] for c in FAILED])
async def test_every_failure_says_the_same(host: FileHost, downloader: MakeDownloader, path: str, options) -> None:
    fetcher = downloader(**options)
    with pytest.raises(DownloadFailed) as failed:
        await fetcher.fetch(host.url(LISTED, path))
    limit = size_text(options.get("max_bytes", fetcher.max_bytes))
    assert failed.value.message == msg.DOWNLOAD_FAILED.format(limit=limit)


# --- which URLs may be fetched, with the production allowlist ------------------------------------

CHECKS = [
    ("https://contoso-my.sharepoint.com/personal/a_contoso_com/_layouts/15/download.aspx?UniqueId=1&tempauth=x", True),
    ("https://contoso.sharepoint.com/sites/kaigo/Shared%20Documents/a.xlsx", True),
    ("https://contoso.sharepoint.com:443/a.xlsx", True),
    ("https://CONTOSO.SharePoint.COM/a.xlsx", True),
    ("https://contoso.sharepoint.com./a.xlsx", True),
    ("https://contoso.sharepoint.com:8443/a.xlsx", False),
    ("https://sharepoint.com/a.xlsx", False),
    ("https://evilsharepoint.com/a.xlsx", False),
    ("https://contoso.sharepoint.com.evil.example/a.xlsx", False),
    ("http://contoso.sharepoint.com/a.xlsx", False),
    ("https://user:pw@contoso.sharepoint.com/a.xlsx", False),
    ("https://contoso.sharepoint.com@127.0.0.1/a.xlsx", False),
    ("https://127.0.0.1/a.xlsx", False),
    ("https://[::1]/a.xlsx", False),
    ("https://2130706433/a.xlsx", False),
    ("https://localhost/a.xlsx", False),
    ("https://169.254.169.254/metadata/instance", False),
    ("file:///etc/passwd", False),
    ("ftp://contoso.sharepoint.com/a.xlsx", False),
    ("//contoso.sharepoint.com/a.xlsx", False),
    ("contoso.sharepoint.com/a.xlsx", False),
    ("", False),
    ("https://", False),
    ("https://contoso.sharepoint.com\\@127.0.0.1/a.xlsx", False),
]


@pytest.mark.parametrize(("url", "allowed"), CHECKS, ids=[c[0][:60] or "empty" for c in CHECKS])
def test_default_allowlist(url: str, allowed: bool) -> None:
    fetcher = Downloader()
    try:
        fetcher.checked(url)
        result = True
    except DownloadFailed as failed:
        assert failed.message == fetcher.failure_message
        result = False
    assert result == allowed


HOSTS_SETTINGS = [
    ("", ()),
    ("files.example.jp", (AllowedHost("files.example.jp"),)),
    (" Files.Example.JP:8443 , *.example.lg.jp ", (AllowedHost("files.example.jp", 8443), AllowedHost("example.lg.jp", 443, True))),
    ("sp.example.jp.", (AllowedHost("sp.example.jp"),)),
    ("10.0.0.5:8443", (AllowedHost("10.0.0.5", 8443),)),
]


@pytest.mark.parametrize(("text", "hosts"), HOSTS_SETTINGS)
def test_download_hosts_setting(text: str, hosts: tuple[AllowedHost, ...]) -> None:
    assert parse_hosts(text) == hosts
    assert build_downloader(text).hosts == DEFAULT_HOSTS + hosts  # added to Teams' own


@pytest.mark.parametrize("text", ["files.example.jp:0", "files.example.jp:99999", "files.example.jp:https",
                                  "https://files.example.jp", "files example.jp", "*", "*.", "[::1]:443", "a/b"])
def test_malformed_download_hosts_are_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="DOWNLOAD_HOSTS"):
        parse_hosts(text)
