"""Who may post to /api/messages: the SDK's own authentication, configured from the
environment, asked before the body is read, and its failures answered with 401.

Settings (names as the SDK's ConfigurationBotFrameworkAuthentication reads them):
TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL, TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
TO_CHANNEL_FROM_BOT_LOGIN_URL, TO_CHANNEL_FROM_BOT_OAUTH_SCOPE, OAUTH_URL and
VALIDATE_AUTHORITY. Unset, the SDK's public-cloud settings apply. Setting any of the
first five switches the SDK to its "parameterized" authentication, which takes every
value as given (an unset one would be None: no issuer, no metadata); the unset ones
are therefore filled with the public-cloud values here.

One gap in botframework-connector 4.17.1 is closed here: for a login URL outside
Microsoft's clouds it builds `_PrivateCloudAppCredentials`, which stores
VALIDATE_AUTHORITY but never passes it to MSAL, so MSAL always asks
login.microsoftonline.com to validate the authority. `PrivateLoginCredentials` is the
same credential with the setting passed on, given to the SDK through its public
`credentials_factory` argument.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import requests
from botframework.connector.auth import (
    AppCredentials,
    AuthenticationConstants,
    GovernmentConstants,
    ServiceClientCredentialsFactory,
)
from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory

from bot.http.refusals import Refused
from bot.identity import DEFAULT_APP_TYPE
from bot.messages import adapter as msg

PUBLIC_CLOUD: Mapping[str, str] = {
    "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
    "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
    "TO_CHANNEL_FROM_BOT_LOGIN_URL": AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX,
    "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
    "OAUTH_URL": AuthenticationConstants.OAUTH_URL,
}

_MICROSOFT_LOGIN_PREFIXES = (
    AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX,
    GovernmentConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX,
)


def sdk_configuration(
    app_id: str,
    app_password: str,
    tenant_id: str,
    app_type: str,
    endpoints: Mapping[str, str] | None = None,
    validate_authority: bool = True,
) -> SimpleNamespace:
    """The configuration object ConfigurationBotFrameworkAuthentication reads."""
    settings: dict[str, Any] = dict(
        APP_ID=app_id or None,
        APP_PASSWORD=app_password or None,
        APP_TYPE=app_type or DEFAULT_APP_TYPE,
        APP_TENANTID=tenant_id or None,
        VALIDATE_AUTHORITY=validate_authority,
    )
    given = {name: value for name, value in (endpoints or {}).items() if name in PUBLIC_CLOUD and value}
    if given:
        settings.update({**PUBLIC_CLOUD, **given})
    return SimpleNamespace(**settings)


class PrivateLoginCredentials(AppCredentials):
    """An app id and password whose tokens come from `login_url` (an MSAL authority
    outside Microsoft's clouds), with VALIDATE_AUTHORITY honoured."""

    def __init__(self, app_id: str, password: str, oauth_scope: str, login_url: str, validate_authority: bool) -> None:
        super().__init__(app_id=app_id, oauth_scope=oauth_scope)
        self.oauth_endpoint = login_url
        self._password = password
        self._validate_authority = validate_authority
        self._app: Any = None
        self._lock = threading.Lock()

    def get_access_token(self, force_refresh: bool = False) -> str:
        # Runs on a worker thread (bot.adapter): MSAL's first call fetches the
        # authority's metadata, and a cache miss fetches a token, both blocking.
        with self._lock:
            if self._app is None:
                from msal import ConfidentialClientApplication

                self._app = ConfidentialClientApplication(
                    client_id=self.microsoft_app_id,
                    client_credential=self._password,
                    authority=self.oauth_endpoint,
                    validate_authority=self._validate_authority,
                )
        scope = self.oauth_scope if self.oauth_scope.endswith("/.default") else self.oauth_scope + "/.default"
        result = self._app.acquire_token_for_client(scopes=[scope])
        if "access_token" in result:
            return result["access_token"]
        raise PermissionError(f"no token from {self.oauth_endpoint}: {result.get('error')}: {result.get('error_description')}")


class CredentialFactory(ServiceClientCredentialsFactory):
    """The SDK's ConfigurationServiceClientCredentialFactory, except that an app password
    used against a login URL outside Microsoft's clouds gets PrivateLoginCredentials."""

    def __init__(self, configuration: SimpleNamespace, inner: ServiceClientCredentialsFactory | None = None) -> None:
        self._inner = inner or ConfigurationServiceClientCredentialFactory(configuration)
        self._app_id = configuration.APP_ID
        self._password = configuration.APP_PASSWORD
        self._uses_password = (configuration.APP_TYPE or "").lower() != "userassignedmsi"

    async def is_valid_app_id(self, app_id: str) -> bool:
        return await self._inner.is_valid_app_id(app_id)

    async def is_authentication_disabled(self) -> bool:
        return await self._inner.is_authentication_disabled()

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        private = login_endpoint and not login_endpoint.lower().startswith(_MICROSOFT_LOGIN_PREFIXES)
        if private and self._uses_password and self._app_id and app_id == self._app_id:
            return PrivateLoginCredentials(app_id, self._password or "", oauth_scope, login_endpoint, validate_authority)
        return await self._inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)


# The identity provider's metadata could not be fetched: the bot's side is failing,
# not the caller's credentials. (MissingSchema and other RequestExceptions mean a
# token pointed the SDK at metadata this bot does not use: a bad token.)
_PROVIDER_DOWN = (requests.ConnectionError, requests.Timeout, requests.HTTPError)


def auth_refusal(error: BaseException) -> Refused:
    """What to answer for an exception from the SDK's authenticate_request. The SDK
    signals a bad token with PermissionError, but also with jwt's errors, bare
    Exceptions (a disallowed algorithm), IndexError (an unknown key id) or
    AttributeError (an empty token)."""
    reason = f"{type(error).__name__}: {error}"
    if isinstance(error, _PROVIDER_DOWN):
        return Refused(503, msg.AUTH_UNAVAILABLE, f"OpenID metadata unavailable: {reason}", {"Retry-After": "5"})
    return Refused(401, msg.UNAUTHORIZED, f"token refused: {reason}", {"WWW-Authenticate": "Bearer"})
