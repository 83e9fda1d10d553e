"""python -m bot: serve /api/messages on PORT (default 3978)."""
from __future__ import annotations

import logging
import os
import sys

from aiohttp import web

from bot.app import create_app
from bot.config import Config
from bot.http.exposure import bind_host
from bot.logs import configure_logging, log_event, start_telemetry
from bot.state.redis_checks import RedisRefused

log = logging.getLogger("bot")


def main() -> int:
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    try:
        config = Config.from_env()
        host = bind_host(config)
        telemetry = start_telemetry(config.appinsights_connection_string)
        log_event(log, logging.INFO, "starting", **config.summary(), telemetry=telemetry)
        for name in config.production_gaps():
            log_event(log, logging.WARNING, "setting_missing", f"{name} is empty although MicrosoftAppId is set", setting=name)
        web.run_app(
            create_app(config), host=host, port=config.port, access_log=None,
            print=lambda text: log_event(log, logging.INFO, "listening", f"listening on {host}:{config.port}"),
            shutdown_timeout=config.shutdown_timeout,
        )
    except (ValueError, RedisRefused) as refused:
        # Settings that cannot work (ConfigError is a ValueError): one clear line, and a
        # status a platform reports. No traceback for a setting to fix.
        log_event(log, logging.CRITICAL, "start_refused", f"not started: {refused}")
        return 2
    except Exception:  # e.g. the port is taken: the traceback as one JSON line
        log.critical("stopped by an unexpected error", exc_info=True, extra={"event": "crashed"})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
