"""deployment/azure/main.bicep, checked offline (Bicep cannot be compiled here): it sets
every setting the bot needs in production, under the names of the README's settings
table and only names the bot reads, secrets only from Key Vault; and the resources are
what the bot needs (Japan region, non-clustered noeviction TLS Redis with persistence,
probes on /healthz and /readyz, a Teams channel, no MultiTenant bot)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import PRODUCTION_SETTINGS
from tests.deployment.settings import bot_settings

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "deployment" / "azure" / "main.bicep"
SECRETS = {"MicrosoftAppPassword", "REDIS_URL", "APPLICATIONINSIGHTS_CONNECTION_STRING"}


def template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def settings_block() -> str:
    text = template()
    start = text.index("var botSettings = concat([")
    return text[start : text.index("] : [])", start) + len("] : [])")]


def provided() -> dict[str, str]:
    """Setting name -> 'value' or 'secretRef', as the container's env gives it."""
    return dict(re.findall(r"\{ name: '([A-Za-z][A-Za-z0-9_]*)', (value|secretRef): ", settings_block()))


def readme_settings() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Settings") :]
    section = section[: section.index("\n## ", 1)]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Za-z][A-Za-z0-9_]*)`", line.split("|")[1]))
    return names


def test_every_production_setting_is_provided() -> None:
    assert set(PRODUCTION_SETTINGS) <= set(provided())


def test_single_tenant_gets_its_secret_and_msi_none() -> None:
    always, _, single_tenant_only = settings_block().partition("], singleTenant ? [")
    assert "{ name: 'MicrosoftAppPassword', secretRef: 'microsoft-app-password' }" in single_tenant_only
    assert "MicrosoftAppPassword" not in always


def test_provided_names_are_read_by_the_bot_and_in_the_readme_table() -> None:
    names = set(provided())
    assert names <= bot_settings()
    assert names <= readme_settings()


def test_readme_table_lists_every_setting_the_bot_reads() -> None:
    assert bot_settings() <= readme_settings()


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_secrets_come_from_key_vault(name: str) -> None:
    assert provided()[name] == "secretRef"
    secret = {"MicrosoftAppPassword": "microsoft-app-password", "REDIS_URL": "redis-url",
              "APPLICATIONINSIGHTS_CONNECTION_STRING": "appinsights-connection-string"}[name]
    assert re.search(rf"\{{ name: '{secret}', keyVaultUrl: \w+\.properties\.secretUri, identity: identity\.id \}}", template())


@pytest.mark.parametrize(
    "fact",
    [
        pytest.param(r"@allowed\(\[\s*'japaneast'\s*'japanwest'\s*\]\)\s*param location string = 'japaneast'", id="japan-region"),
        pytest.param(r"clusteringPolicy: 'NoCluster'", id="redis-non-clustered"),
        pytest.param(r"evictionPolicy: 'NoEviction'", id="redis-noeviction"),
        pytest.param(r"clientProtocol: 'Encrypted'", id="redis-tls-only"),
        pytest.param(r"persistence: \{\s*aofEnabled: true", id="redis-persistence"),
        pytest.param(r"minimumTlsVersion: '1\.2'", id="redis-tls-1.2"),
        pytest.param(r"'rediss://:\$\{uriComponent\(redisDb\.listKeys\(\)\.primaryKey\)\}@\$\{redis\.properties\.hostName\}:10000/0'", id="redis-url-encoded-key"),
        pytest.param(r"type: 'Liveness'\s*httpGet: \{ path: '/healthz', port: 3978 \}", id="liveness-healthz"),
        pytest.param(r"type: 'Readiness'\s*httpGet: \{ path: '/readyz', port: 3978 \}", id="readiness-readyz"),
        pytest.param(r"allowInsecure: false", id="https-only"),
        pytest.param(r"enableRbacAuthorization: true", id="key-vault-rbac"),
        pytest.param(r"name: 'MsTeamsChannel'[\s\S]*?isEnabled: true", id="teams-channel"),
        pytest.param(r"endpoint: 'https://\$\{fqdn\}/api/messages'", id="messaging-endpoint"),
        pytest.param(r"@allowed\(\[\s*'SingleTenant'\s*'UserAssignedMSI'\s*\]\)\s*param botIdentity", id="bot-types"),
        pytest.param(r"msaAppType: botIdentity", id="bot-type-used"),
        pytest.param(r"msaAppMSIResourceId: singleTenant \? null : identity\.id", id="msi-resource"),
        pytest.param(r"destination: 'log-analytics'", id="logs-to-log-analytics"),
        pytest.param(r"WorkspaceResourceId: logs\.id", id="insights-on-the-workspace"),
    ],
)
def test_template_fact(fact: str) -> None:
    assert re.search(fact, template()), fact


def test_no_multi_tenant_bot() -> None:
    assert "MultiTenant" not in template()


def test_grace_period_exceeds_the_bots_shutdown_timeout() -> None:
    grace = int(re.search(r"param terminationGracePeriodSeconds int = (\d+)", template())[1])
    shutdown = int(re.search(r"param shutdownTimeoutSeconds int = (\d+)", template())[1])
    assert shutdown < grace
    assert "terminationGracePeriodSeconds: terminationGracePeriodSeconds" in template()
