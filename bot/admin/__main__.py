"""python -m bot.admin export FILE | import FILE [--merge] | delete 組織名 [--answer-id ID | --all]"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

import redis

from bot.admin.commands import delete_organisation, export_data, import_data
from bot.admin.connection import open_redis
from bot.config import Config
from bot.messages import admin as msg
from bot.state.embedded_redis import EmbeddedRedisError


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m bot.admin", description=msg.DESCRIPTION)
    commands = top.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help=msg.HELP_EXPORT)
    export.add_argument("file", type=Path, help=msg.HELP_FILE)
    restore = commands.add_parser("import", help=msg.HELP_IMPORT)
    restore.add_argument("file", type=Path, help=msg.HELP_FILE)
    restore.add_argument("--merge", action="store_true", help=msg.HELP_MERGE)
    delete = commands.add_parser("delete", help=msg.HELP_DELETE)
    delete.add_argument("org_name", help=msg.HELP_ORG)
    which = delete.add_mutually_exclusive_group()
    which.add_argument("--answer-id", help=msg.HELP_ANSWER_ID)
    which.add_argument("--all", action="store_true", help=msg.HELP_ALL)
    return top


async def run(args: argparse.Namespace, config: Config) -> int:
    namespace = config.redis_namespace
    async with open_redis(config) as client:
        if args.command == "export":
            return await export_data(client, namespace, args.file)
        if args.command == "import":
            return await import_data(client, namespace, args.file, merge=args.merge)
        return await delete_organisation(client, namespace, args.org_name, args.answer_id, every=args.all)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Audit events go to stderr with the rest of the log; what was done goes to stdout.
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(run(args, Config.from_env()))
    except ValueError as error:  # ConfigError: a setting the bot would refuse too
        print(msg.BAD_SETTING.format(error=error), file=sys.stderr)
    except (redis.RedisError, EmbeddedRedisError) as error:
        print(msg.NO_REDIS.format(error=error), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
