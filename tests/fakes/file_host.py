"""SharePoint / OneDrive as seen by a bot fetching a dropped file: an HTTPS server on
loopback with a certificate from a CA made here, that records every request.

`TestCA` makes the CA and server certificates (written to PEM files: the bot under
test trusts the CA through SSL_CERT_FILE, as Python's ssl reads it). `FileHost` serves
`files` over TLS (and, for the "http:// is refused" case, over plain HTTP), takes
uploads (PUT), and has routes that redirect, loop, compress or stall. `LoopbackResolver` makes allowlisted
host names (contoso.sharepoint.com …) resolve to the loopback server in process,
and records each lookup.
"""
from __future__ import annotations

import asyncio
import datetime
import gzip
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LOOPBACK = "127.0.0.1"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


class TestCA:
    """A certificate authority of the test's own, and server certificates it signs."""

    __test__ = False  # not a pytest test class

    def __init__(self, directory: Path, common_name: str = "mn2307 test CA") -> None:
        self.directory = directory
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(_name(common_name))
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                encipher_only=False, decipher_only=False,
            ), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        self.cert_file = directory / "ca.pem"
        self.cert_file.write_bytes(_pem(self._cert))

    def server_context(self, names: Iterable[str], label: str = "server") -> ssl.SSLContext:
        """A server-side SSLContext whose certificate names `names` (host names or IPs)."""
        key = ec.generate_private_key(ec.SECP256R1())
        alternatives: list[x509.GeneralName] = []
        for name in names:
            try:
                alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                alternatives.append(x509.DNSName(name))
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(label))
            .issuer_name(self._cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        cert_file, key_file = self.directory / f"{label}.pem", self.directory / f"{label}.key"
        cert_file.write_bytes(_pem(cert))
        key_file.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_file, key_file)
        return context


class LoopbackResolver(AbstractResolver):
    """Resolves the given names to 127.0.0.1 and nothing else (no DNS in tests)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = {n.lower() for n in names}
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        self.lookups.append(host)
        if host.lower().rstrip(".") not in self.names:
            raise OSError(f"{host}: not a name this test resolves")
        return [ResolveResult(hostname=host, host=LOOPBACK, port=port, family=socket.AF_INET, proto=0,
                              flags=socket.AI_NUMERICHOST)]

    async def close(self) -> None:
        return None


@dataclass
class FileHost:
    """What the fake SharePoint serves and was asked for."""

    files: dict[str, bytes] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)  # "route/name" of each request, in order
    https_port: int = 0
    http_port: int = 0
    stall_seconds: float = 60.0
    # Set when the host shuts down, so that a stalled response ends then.
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, host: str, path: str, scheme: str = "https", port: int | None = None) -> str:
        default = self.https_port if scheme == "https" else self.http_port
        return f"{scheme}://{host}:{port or default}/{path.lstrip('/')}"

    def app(self) -> web.Application:
        async def sized(request: web.Request) -> web.StreamResponse:
            name = self._record(request, "files")
            if name not in self.files:
                return web.Response(status=404)
            return web.Response(body=self.files[name])

        async def chunked(request: web.Request) -> web.StreamResponse:
            # No Content-Length: the size limit must hold while streaming.
            name = self._record(request, "chunked")
            response = web.StreamResponse()
            response.enable_chunked_encoding()
            await response.prepare(request)
            data = self.files[name]
            for start in range(0, len(data), 1000):
                await response.write(data[start : start + 1000])
            await response.write_eof()
            return response

        async def redirect(request: web.Request) -> web.StreamResponse:
            self._record(request, "redirect")
            raise web.HTTPFound(request.query["to"])

        async def loop(request: web.Request) -> web.StreamResponse:
            self._record(request, "loop")
            raise web.HTTPFound(str(request.url))

        async def gzipped(request: web.Request) -> web.StreamResponse:
            name = self._record(request, "gzip")
            return web.Response(body=gzip.compress(self.files[name]), headers={"Content-Encoding": "gzip"})

        async def stalled(request: web.Request) -> web.StreamResponse:
            self._record(request, "stall")
            try:
                await asyncio.wait_for(self.released.wait(), self.stall_seconds)
            except asyncio.TimeoutError:
                pass
            return web.Response(body=b"late")

        async def put(request: web.Request) -> web.StreamResponse:
            # OneDrive's upload session, as far as the bot's one-chunk PUT needs it.
            name = self._record(request, "put")
            if name.startswith("fail"):
                return web.json_response({"error": {"code": "generalException"}}, status=500)
            self.files[name] = await request.read()
            return web.json_response({"name": name, "size": len(self.files[name])}, status=201)

        app = web.Application()
        app.router.add_put("/files/{name}", put)
        app.router.add_put("/redirect/{name}", redirect)
        app.router.add_get("/files/{name}", sized)
        app.router.add_get("/chunked/{name}", chunked)
        app.router.add_get("/redirect/{name}", redirect)
        app.router.add_get("/loop/{name}", loop)
        app.router.add_get("/gzip/{name}", gzipped)
        app.router.add_get("/stall/{name}", stalled)
        return app

    def _record(self, request: web.Request, route: str) -> str:
        name = request.match_info["name"]
        self.requested.append(f"{route}/{name}")
        return name


@asynccontextmanager
async def serving(ca: TestCA, names: Iterable[str]) -> AsyncIterator[FileHost]:
    """A FileHost on loopback: HTTPS with a certificate for `names`, and plain HTTP."""
    host = FileHost()
    runner = web.AppRunner(host.app(), access_log=None)
    await runner.setup()
    secure = web.TCPSite(runner, LOOPBACK, 0, ssl_context=ca.server_context(names))
    plain = web.TCPSite(runner, LOOPBACK, 0)
    await secure.start()
    await plain.start()
    host.https_port = secure._server.sockets[0].getsockname()[1]
    host.http_port = plain._server.sockets[0].getsockname()[1]
    try:
        yield host
    finally:
        host.released.set()
        await runner.cleanup()
