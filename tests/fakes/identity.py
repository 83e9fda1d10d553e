"""A fake of the identity services around a bot, over HTTPS on loopback:

- the Bot Framework channel's OpenID metadata and signing keys, as
  login.botframework.com publishes them (`/v1/.well-known/openidconfiguration`, a JWKS
  whose keys carry the channels that endorse them), and tokens minted the way the
  channel signs the activities it posts to a bot;
- the Azure AD token endpoint a bot gets its own bearer token from (OpenID discovery
  under `/{tenant}/v2.0/.well-known/openid-configuration`, client credentials grant).

Its TLS certificate comes from a CA made here; a client trusts it through `ca_file`
(SSL_CERT_FILE for Python's ssl, REQUESTS_CA_BUNDLE for requests, which MSAL and the
SDK's metadata fetch use). Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CHANNEL_ISSUER = "https://api.botframework.test"
OAUTH_SCOPE = "https://api.botframework.test"
TENANT = "botframework.test"
ENDORSEMENTS = ["msteams", "webchat", "emulator"]


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _tls_files(directory: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for 127.0.0.1 / localhost."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test identity CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_file, cert_file, key_file


@dataclass
class TokenRequest:
    form: dict[str, str]
    issued: str | None  # the access token given, or None when refused


@dataclass
class FakeIdentityProvider:
    """Run with `async with FakeIdentityProvider(app_id, password) as idp:`."""

    app_id: str
    app_password: str
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="idp-")))
    signing_key: rsa.RSAPrivateKey = field(default_factory=_rsa_key)
    kid: str = field(default_factory=lambda: uuid.uuid4().hex)
    token_requests: list[TokenRequest] = field(default_factory=list)
    metadata_requests: int = 0
    # While set and not released, the channel's metadata is not answered: a slow
    # login.botframework.com.
    metadata_gate: asyncio.Event | None = None

    def __post_init__(self) -> None:
        self.ca_file, self._cert_file, self._key_file = _tls_files(self.directory)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._access_key = _rsa_key()  # signs the bot's own tokens (the connector's side)

    # --- addresses ---------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/v1/.well-known/openidconfiguration"

    @property
    def login_url(self) -> str:
        return f"{self.base}/{TENANT}"

    def bot_env(self) -> dict[str, str]:
        """What `python -m bot` needs to trust this provider and use it both ways."""
        return {
            "MicrosoftAppId": self.app_id,
            "MicrosoftAppPassword": self.app_password,
            "MicrosoftAppTenantId": TENANT,  # SingleTenant, the default type
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": self.metadata_url,
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": CHANNEL_ISSUER,
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": self.login_url,
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": OAUTH_SCOPE,
            "OAUTH_URL": f"{self.base}/oauth",
            "VALIDATE_AUTHORITY": "false",
            "SSL_CERT_FILE": str(self.ca_file),
            "REQUESTS_CA_BUNDLE": str(self.ca_file),
        }

    # --- tokens the channel signs ----------------------------------------------------------

    def channel_token(
        self,
        service_url: str,
        *,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        algorithm: str = "RS256",
        **claims: Any,
    ) -> str:
        """A token as the Bot Framework channel signs it for this bot; `claims` override
        (None removes one)."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "serviceurl": service_url,
            "nbf": now - 5,
            "exp": now + 3600,
            "iss": CHANNEL_ISSUER,
            "aud": self.app_id,
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        headers = {"kid": kid or self.kid, "typ": "JWT", "x5t": self.kid}
        if algorithm in ("none", "HS256"):
            # Forged by hand (PyJWT refuses to): no signature, or the classic confusion
            # of the public key used as an HMAC secret.
            segments = [json.dumps({"alg": algorithm, **headers}), json.dumps(payload)]
            signing_input = ".".join(jwt.utils.base64url_encode(s.encode()).decode() for s in segments)
            if algorithm == "none":
                return signing_input + "."
            secret = self.signing_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
            mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{jwt.utils.base64url_encode(mac).decode()}"
        return jwt.encode(payload, key or self.signing_key, algorithm=algorithm, headers=headers)

    @property
    def issued_tokens(self) -> list[str]:
        return [r.issued for r in self.token_requests if r.issued]

    # --- the server ----------------------------------------------------------------------

    async def start(self) -> "FakeIdentityProvider":
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self._cert_file, self._key_file)
        app = web.Application()
        app.add_routes(
            [
                web.get("/v1/.well-known/openidconfiguration", self._channel_metadata),
                web.get("/v1/.well-known/keys", self._channel_keys),
                web.get(f"/{TENANT}/v2.0/.well-known/openid-configuration", self._login_metadata),
                web.post(f"/{TENANT}/oauth2/v2.0/token", self._token),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeIdentityProvider":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _channel_metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        if self.metadata_gate is not None:
            await self.metadata_gate.wait()
        return web.json_response(
            {
                "issuer": CHANNEL_ISSUER,
                "authorization_endpoint": f"{self.base}/v1/.well-known/authorize",
                "jwks_uri": f"{self.base}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _channel_keys(self, request: web.Request) -> web.Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.signing_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "endorsements": ENDORSEMENTS})
        return web.json_response({"keys": [jwk]})

    async def _login_metadata(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": f"{self.base}/{TENANT}/v2.0",
                "authorization_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/authorize",
                "token_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "response_types_supported": ["code", "token"],
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        ok = (
            form.get("grant_type") == "client_credentials"
            and form.get("client_id") == self.app_id
            and form.get("client_secret") == self.app_password
            and form.get("scope") == f"{OAUTH_SCOPE}/.default"
        )
        if not ok:
            self.token_requests.append(TokenRequest(form, None))
            return web.json_response(
                {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."},
                status=401,
            )
        now = int(time.time())
        token = jwt.encode(
            {"aud": OAUTH_SCOPE, "iss": f"{self.base}/{TENANT}/v2.0", "appid": self.app_id, "iat": now,
             "nbf": now, "exp": now + 3600, "jti": secrets.token_hex(8)},
            self._access_key, algorithm="RS256",
        )
        self.token_requests.append(TokenRequest(form, token))
        return web.json_response({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token})
