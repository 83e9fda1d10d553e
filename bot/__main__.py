"""python -m bot: serve /api/messages on PORT (default 3978)."""
from __future__ import annotations

import logging
import os
import sys

from aiohttp import web

from bot.app import create_app
from bot.config import Config, ConfigError
from bot.http.exposure import bind_host


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = Config.from_env()
        host = bind_host(config)
    except ConfigError as error:
        # A refusal to start, said plainly: no traceback for a setting to fix.
        print(f"bot: not started: {error}", file=sys.stderr)
        sys.exit(2)
    web.run_app(create_app(config), host=host, port=config.port, access_log=None)


if __name__ == "__main__":
    main()
