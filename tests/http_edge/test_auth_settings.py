"""The SDK's endpoint settings reach ConfigurationBotFrameworkAuthentication; unset ones
keep the public cloud's values; VALIDATE_AUTHORITY reaches MSAL."""
from __future__ import annotations

import pytest
from botframework.connector.auth import AuthenticationConstants, MicrosoftAppCredentials

from bot.config import AUTH_ENDPOINT_SETTINGS, Config
from bot.http.auth import PUBLIC_CLOUD, CredentialFactory, PrivateLoginCredentials, sdk_configuration

APP = "00000000-0000-0000-0000-00000000b07a"
# What a bot with an app id needs besides (bot.config.Config.checked): its tenant and a Redis.
PRODUCTION = {"MicrosoftAppTenantId": "00000000-0000-0000-0000-0000000074e7", "REDIS_URL": "redis://127.0.0.1:6379/0"}


def test_every_endpoint_setting_has_a_public_cloud_value() -> None:
    assert set(PUBLIC_CLOUD) == set(AUTH_ENDPOINT_SETTINGS)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {name: None for name in AUTH_ENDPOINT_SETTINGS}),  # the SDK's public-cloud path
        (
            {"TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": "https://idp.test/v1/meta"},
            {**PUBLIC_CLOUD, "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": "https://idp.test/v1/meta"},
        ),
        (
            {name: f"https://{name.lower()}.test" for name in AUTH_ENDPOINT_SETTINGS},
            {name: f"https://{name.lower()}.test" for name in AUTH_ENDPOINT_SETTINGS},
        ),
    ],
)
def test_endpoints_from_the_environment(env: dict[str, str], expected: dict) -> None:
    config = Config.from_env({"MicrosoftAppId": APP, "MicrosoftAppPassword": "pw", **PRODUCTION, **env})
    sdk = sdk_configuration(config.app_id, config.app_password, "", "MultiTenant", config.auth_endpoints)
    assert {name: getattr(sdk, name, None) for name in AUTH_ENDPOINT_SETTINGS} == expected


@pytest.mark.parametrize(
    ("login_url", "validate", "kind"),
    [
        (AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX, True, MicrosoftAppCredentials),
        ("https://login.microsoftonline.us/", True, MicrosoftAppCredentials),
        ("https://127.0.0.1:8443/botframework.test", False, PrivateLoginCredentials),
        ("https://login.example.lg.jp/tenant", True, PrivateLoginCredentials),
    ],
)
async def test_credentials_for_a_login_url(login_url: str, validate: bool, kind: type) -> None:
    factory = CredentialFactory(sdk_configuration(APP, "pw", "", "MultiTenant", {"TO_CHANNEL_FROM_BOT_LOGIN_URL": login_url}))
    credentials = await factory.create_credentials(APP, "https://api.botframework.com", login_url, validate)
    assert isinstance(credentials, kind)
    if isinstance(credentials, PrivateLoginCredentials):
        assert (credentials.oauth_endpoint, credentials._validate_authority) == (login_url, validate)
