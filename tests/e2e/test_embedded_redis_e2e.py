"""`python -m bot` on its embedded Redis (REDIS_URL unset): a redis-server that dies
under the running bot is started again by the bot, and the next turn works with
every answer kept."""
from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio

from tests.e2e.test_resume_e2e import steps_until
from tests.e2e.transcripts import Step, check_step, play

RESTART_WAIT_S = 30.0  # the bot checks every second; a restart replays the AOF


def redis_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "redis" / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None


async def wait_for_new_server(data_dir: Path, old_pid: int) -> None:
    """Until the bot has started a redis-server other than `old_pid` that answers."""
    async with asyncio.timeout(RESTART_WAIT_S):
        while True:
            pid = redis_pid(data_dir)
            if pid is not None and pid != old_pid:
                client = redis.asyncio.Redis(unix_socket_path=str(data_dir / "redis" / "redis.sock"))
                try:
                    if await client.ping():
                        return
                except (redis.ConnectionError, redis.BusyLoadingError, FileNotFoundError):
                    pass
                finally:
                    await client.aclose()
            await asyncio.sleep(0.1)


async def test_killed_redis_server_is_restarted_by_the_bot(
    bot_factory: Any, teams_client: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("emb")
    bot = await bot_factory(env={"REDIS_URL": "", "DATA_DIR": str(data_dir)}, redis=False)
    chat = teams_client(bot)
    await play(chat, steps_until("Q5"))

    old_pid = redis_pid(data_dir)
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    await wait_for_new_server(data_dir, old_pid)

    assert bot.is_running()
    replies = await chat.new_conversation().say("再開")
    check_step(Step("再開", "Q5", ("回答者情報 8/8、回答済み 5問",)), replies)
    assert await bot.wait_for_log("started again")
