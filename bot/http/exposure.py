"""Where the server listens, decided at start: closed unless authentication is on.

Without MicrosoftAppId the SDK accepts any activity, so anyone who reaches the port can
act as any user. Such a bot listens on 127.0.0.1 unless HOST says otherwise, and a
non-loopback HOST needs ALLOW_UNAUTHENTICATED=1 as well.
"""
from __future__ import annotations

import ipaddress
import logging

from bot.config import Config, ConfigError

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
ANY_ADDRESS = "0.0.0.0"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False


def bind_host(config: Config) -> str:
    """The address to listen on; raises ConfigError for an open bot nobody asked for."""
    if config.app_id:
        return config.host or ANY_ADDRESS
    host = config.host or LOOPBACK
    if not is_loopback(host) and not config.allow_unauthenticated:
        raise ConfigError(
            f"HOST={host} without MicrosoftAppId would let anyone who reaches the port act as any user. "
            "Set MicrosoftAppId (and MicrosoftAppPassword), or bind 127.0.0.1, "
            "or set ALLOW_UNAUTHENTICATED=1 if the network in front of the bot is trusted."
        )
    log.warning(
        "running WITHOUT authentication (no MicrosoftAppId): every activity posted to %s:%d is accepted as is",
        host, config.port,
    )
    return host
