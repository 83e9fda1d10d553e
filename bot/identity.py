"""The bot's identity towards the Bot Connector: which credentials factory a setting yields.

Azure Bot Service creates no new multi-tenant bots (since 31 July 2025). A new bot is
`SingleTenant` (app id + client secret, tokens from the bot's own tenant) or
`UserAssignedMSI` (a user-assigned managed identity's client id, no secret). A
prefecture whose bot serves municipalities in other Microsoft 365 tenants keeps a
SingleTenant bot and makes its Entra app registration multi-tenant: the bot type says
where tokens come from, not who may talk to it. `MultiTenant` stays accepted for
registrations made before the cut-off.

The SDK's own ConfigurationServiceClientCredentialFactory treats any unknown type as
MultiTenant and reports a missing tenant as a bare `Exception`; here every problem is
named with the setting that fixes it, before anything starts.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from botframework.connector.auth import (
    ManagedIdentityServiceClientCredentialsFactory,
    PasswordServiceClientCredentialFactory,
    ServiceClientCredentialsFactory,
)

log = logging.getLogger(__name__)

SINGLE_TENANT = "SingleTenant"
USER_ASSIGNED_MSI = "UserAssignedMSI"
MULTI_TENANT = "MultiTenant"
APP_TYPES = (SINGLE_TENANT, USER_ASSIGNED_MSI, MULTI_TENANT)
DEFAULT_APP_TYPE = SINGLE_TENANT


class IdentityError(ValueError):
    """The identity settings cannot work; the message names the settings to fix."""


@dataclass(frozen=True)
class Identity:
    app_id: str = ""
    password: str = ""
    tenant_id: str = ""
    app_type: str = DEFAULT_APP_TYPE  # one of APP_TYPES, as spelled there
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def authenticated(self) -> bool:
        return bool(self.app_id)


def _canonical(app_type: str) -> str | None:
    wanted = (app_type or DEFAULT_APP_TYPE).strip().lower()
    return next((name for name in APP_TYPES if name.lower() == wanted), None)


def check_identity(app_id: str = "", password: str = "", tenant_id: str = "", app_type: str = "") -> Identity:
    """The settings as an Identity, with what is wrong (`problems`) and what merely
    deserves a look (`warnings`). Never raises."""
    app_id, password, tenant_id = (app_id or "").strip(), (password or "").strip(), (tenant_id or "").strip()
    canonical = _canonical(app_type)
    problems: list[str] = []
    warnings: list[str] = []
    if canonical is None:
        problems.append(f"MicrosoftAppType must be one of {', '.join(APP_TYPES)} (got {app_type.strip()!r})")
        canonical = DEFAULT_APP_TYPE
    if not app_id:
        if password:
            problems.append("MicrosoftAppPassword is set but MicrosoftAppId is empty: set both, or neither for local use")
        return Identity("", "", tenant_id, canonical, tuple(problems), tuple(warnings))
    if canonical in (SINGLE_TENANT, USER_ASSIGNED_MSI) and not tenant_id:
        problems.append(
            f"MicrosoftAppTenantId is required with MicrosoftAppType={canonical}: "
            "the id of the Entra tenant the bot's app (or managed identity) belongs to"
        )
    if canonical in (SINGLE_TENANT, MULTI_TENANT) and not password:
        problems.append(
            f"MicrosoftAppPassword is required with MicrosoftAppType={canonical}: the client secret of the app "
            f"registration (or use {USER_ASSIGNED_MSI} with a managed identity, which needs no secret)"
        )
    if canonical == USER_ASSIGNED_MSI and password:
        warnings.append(
            "MicrosoftAppPassword is ignored with MicrosoftAppType=UserAssignedMSI (the managed identity needs no "
            "secret): remove it from the settings"
        )
    if canonical == MULTI_TENANT:
        warnings.append(
            "MicrosoftAppType=MultiTenant: Azure Bot Service creates no new multi-tenant bots since 31 July 2025; "
            "this works only for an existing multi-tenant registration. New bots: SingleTenant (with a multi-tenant "
            "Entra app for other tenants) or UserAssignedMSI, see deployment/README.md"
        )
    return Identity(app_id, password, tenant_id, canonical, tuple(problems), tuple(warnings))


def credentials_factory(
    app_id: str = "", password: str = "", tenant_id: str = "", app_type: str = ""
) -> ServiceClientCredentialsFactory:
    """The SDK factory for these settings; raises IdentityError when they cannot work,
    and logs what deserves a warning. No app id: authentication off (local use)."""
    identity = check_identity(app_id, password, tenant_id, app_type)
    if identity.problems:
        raise IdentityError("; ".join(identity.problems))
    for warning in identity.warnings:
        log.warning(warning, extra={"event": "identity_warning"})
    if not identity.authenticated:
        return PasswordServiceClientCredentialFactory()
    if identity.app_type == USER_ASSIGNED_MSI:
        return ManagedIdentityServiceClientCredentialsFactory(identity.app_id)
    if identity.app_type == SINGLE_TENANT:
        return PasswordServiceClientCredentialFactory(identity.app_id, identity.password, identity.tenant_id)
    return PasswordServiceClientCredentialFactory(identity.app_id, identity.password, None)
