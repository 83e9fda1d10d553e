"""python -m bot: serve /api/messages on PORT (default 3978)."""
from __future__ import annotations

import logging
import os

from aiohttp import web

from bot.app import create_app
from bot.config import Config


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = Config.from_env()
    web.run_app(create_app(config), host=config.host, port=config.port, access_log=None)


if __name__ == "__main__":
    main()
