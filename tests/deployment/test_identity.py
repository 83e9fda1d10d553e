"""bot/identity.py: which credentials factory each MicrosoftAppType setting yields, and
what the bot refuses or warns about before it starts."""
from __future__ import annotations

import logging

import pytest
from botframework.connector.auth import (
    AuthenticationConstants,
    ManagedIdentityAppCredentials,
    ManagedIdentityServiceClientCredentialsFactory,
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)

from bot.adapter import create_adapter
from bot.identity import IdentityError, check_identity, credentials_factory

APP = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SECRET = "s3cr3t~value"
LOGIN = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX  # https://login.microsoftonline.com/
SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE


@pytest.mark.parametrize(
    ("settings", "factory_type", "tenant"),
    [
        pytest.param({}, PasswordServiceClientCredentialFactory, None, id="no-app-id-auth-off"),
        pytest.param({"app_id": APP, "password": SECRET, "tenant_id": TENANT}, PasswordServiceClientCredentialFactory,
                     TENANT, id="default-is-single-tenant"),
        pytest.param({"app_id": APP, "password": SECRET, "tenant_id": TENANT, "app_type": "SingleTenant"},
                     PasswordServiceClientCredentialFactory, TENANT, id="single-tenant"),
        pytest.param({"app_id": APP, "password": SECRET, "tenant_id": TENANT, "app_type": "singletenant"},
                     PasswordServiceClientCredentialFactory, TENANT, id="case-insensitive"),
        pytest.param({"app_id": APP, "tenant_id": TENANT, "app_type": "UserAssignedMSI"},
                     ManagedIdentityServiceClientCredentialsFactory, None, id="user-assigned-msi"),
        pytest.param({"app_id": APP, "password": SECRET, "app_type": "MultiTenant"},
                     PasswordServiceClientCredentialFactory, None, id="multi-tenant-existing"),
    ],
)
def test_factory_for_setting(settings: dict, factory_type: type, tenant: str | None) -> None:
    factory = credentials_factory(**settings)
    assert type(factory) is factory_type
    assert factory.app_id == (settings.get("app_id") or None)
    if isinstance(factory, PasswordServiceClientCredentialFactory):
        assert factory.tenant_id == tenant
        assert factory.password == (settings.get("password") or None)


@pytest.mark.parametrize(
    ("settings", "credentials_type", "authority"),
    [
        # Tokens of a single-tenant bot come from its own tenant's endpoint.
        pytest.param({"app_id": APP, "password": SECRET, "tenant_id": TENANT}, MicrosoftAppCredentials,
                     LOGIN + TENANT, id="single-tenant"),
        pytest.param({"app_id": APP, "password": SECRET, "app_type": "MultiTenant"}, MicrosoftAppCredentials,
                     LOGIN + "botframework.com", id="multi-tenant"),
        # The managed identity's client id, no secret; MSAL asks the platform's endpoint.
        pytest.param({"app_id": APP, "tenant_id": TENANT, "app_type": "UserAssignedMSI"},
                     ManagedIdentityAppCredentials, None, id="user-assigned-msi"),
    ],
)
async def test_credentials_the_factory_makes(settings: dict, credentials_type: type, authority: str | None) -> None:
    credentials = await credentials_factory(**settings).create_credentials(APP, SCOPE, LOGIN, True)
    assert type(credentials) is credentials_type
    assert credentials.microsoft_app_id == APP
    if authority is not None:
        assert credentials.oauth_endpoint == authority
    else:
        assert credentials._managed_identity == {"ManagedIdentityIdType": "ClientId", "Id": APP}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"app_id": APP, "password": SECRET}, "MicrosoftAppTenantId is required with MicrosoftAppType=SingleTenant"),
        ({"app_id": APP, "app_type": "UserAssignedMSI"}, "MicrosoftAppTenantId is required with MicrosoftAppType=UserAssignedMSI"),
        ({"app_id": APP, "tenant_id": TENANT}, "MicrosoftAppPassword is required with MicrosoftAppType=SingleTenant"),
        ({"app_id": APP, "app_type": "MultiTenant"}, "MicrosoftAppPassword is required with MicrosoftAppType=MultiTenant"),
        ({"app_id": APP, "password": SECRET, "tenant_id": TENANT, "app_type": "Multi"}, "MicrosoftAppType must be one of"),
        ({"password": SECRET}, "MicrosoftAppPassword is set but MicrosoftAppId is empty"),
    ],
)
def test_settings_that_cannot_work_are_refused(settings: dict, message: str) -> None:
    assert any(message in problem for problem in check_identity(**settings).problems)
    with pytest.raises(IdentityError, match=message):
        credentials_factory(**settings)
    with pytest.raises(IdentityError) as refused:
        create_adapter(settings.get("app_id", ""), settings.get("password", ""),
                       settings.get("tenant_id", ""), settings.get("app_type", ""))
    assert SECRET not in str(refused.value)


@pytest.mark.parametrize(
    ("settings", "warning"),
    [
        ({"app_id": APP, "password": SECRET, "app_type": "MultiTenant"}, "creates no new multi-tenant bots"),
        ({"app_id": APP, "password": SECRET, "tenant_id": TENANT, "app_type": "UserAssignedMSI"},
         "MicrosoftAppPassword is ignored"),
    ],
)
def test_workable_but_questionable_settings_are_logged(caplog: pytest.LogCaptureFixture, settings: dict, warning: str) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.identity"):
        credentials_factory(**settings)
    assert [r for r in caplog.records if warning in r.getMessage() and r.event == "identity_warning"]
    assert SECRET not in caplog.text


def test_single_tenant_settings_give_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.identity"):
        credentials_factory(APP, SECRET, TENANT, "SingleTenant")
    assert caplog.records == []


async def test_adapter_uses_the_chosen_factory() -> None:
    adapter = create_adapter(APP, "", TENANT, "UserAssignedMSI")
    try:
        factory = adapter.bot_framework_authentication._inner._inner._credentials_factory
        # bot.http.auth's wrapper (private login URLs) around the identity's own factory
        assert isinstance(factory._inner, ManagedIdentityServiceClientCredentialsFactory)
    finally:
        await adapter.close()
