"""Nothing is lost when the bot dies: SIGKILL mid-survey, restart, 再開 from a new chat
of the same user; the same on the embedded Redis (REDIS_URL unset, data under DATA_DIR)."""
from __future__ import annotations

import os
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio

from tests.e2e.harness import BotProcess
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, Step, check_step, play, stored_answer
from tests.fakes.teams import TeamsClient

RESUME_TITLE = "前回の続きから回答できます"


def steps_until(heading: str) -> list[Step]:
    steps = MUNICIPALITY_LONGEST.steps()
    return steps[: [s.heading for s in steps].index(heading) + 1]


@pytest.fixture
async def store(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_sigkill_mid_survey_then_resume_from_a_new_chat(bot_factory: Any, teams_client: Any, store: redis.asyncio.Redis) -> None:
    namespace = f"e2e-resume-{uuid.uuid4().hex[:8]}"
    bot: BotProcess = await bot_factory(env={"REDIS_NAMESPACE": namespace})
    chat: TeamsClient = teams_client(bot)
    await play(chat, steps_until("Q7-3"))  # answered through 7-2; 7-3 is asked
    before = await stored_answer(store, namespace, chat.user.aad_object_id)
    assert before is not None and before["answers"]["7-2"] == 1

    await bot.restart(signal.SIGKILL)
    assert bot.starts == 2

    other_chat = chat.new_conversation()
    replies = await other_chat.say("再開")
    check_step(Step("再開", "Q7-3", ("再開します。",)), replies)
    assert await stored_answer(store, namespace, chat.user.aad_object_id) == before  # nothing lost or changed

    await play(other_chat, [Step("1", "Q7-4"), Step("2,5", "Q8-1")])
    after = await stored_answer(store, namespace, chat.user.aad_object_id)
    assert after["answers"] == {**before["answers"], "7-3": 1, "7-4": [2, 5]}
    assert after["answer_id"] == before["answer_id"]


async def test_new_chat_without_resume_offers_it_with_the_current_question(bot_factory: Any, teams_client: Any, store: redis.asyncio.Redis) -> None:
    namespace = f"e2e-resume-{uuid.uuid4().hex[:8]}"
    bot: BotProcess = await bot_factory(env={"REDIS_NAMESPACE": namespace})
    chat: TeamsClient = teams_client(bot)
    await play(chat, steps_until("Q6"))
    before = await stored_answer(store, namespace, chat.user.aad_object_id)

    other_chat = chat.new_conversation()
    replies = await other_chat.say("1")  # not an answer yet: the offer comes first
    assert replies.headings == [RESUME_TITLE, "Q6"]
    assert "次の問い: Q6" in replies.all_text
    assert [a["title"] for a in replies.actions][:2] == ["再開", "ヘルプ"]
    assert await stored_answer(store, namespace, chat.user.aad_object_id) == before

    assert (await other_chat.click("再開")).last_heading == "Q6"
    assert (await other_chat.say("1")).last_heading == "Q7-1"


async def test_embedded_redis_keeps_the_answer_across_kills(
    bot_factory: Any, teams_client: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("emb")
    bot: BotProcess = await bot_factory(env={"REDIS_URL": "", "DATA_DIR": str(data_dir)}, redis=False)
    chat: TeamsClient = teams_client(bot)
    await play(chat, steps_until("Q5"))

    # The bot dies; the embedded redis-server it started lives on and is found again.
    await bot.restart(signal.SIGKILL)
    check_step(Step("再開", "Q5"), await chat.new_conversation().say("再開"))

    # Both die; the next start reads the append-only file under DATA_DIR.
    redis_pid = _embedded_redis_pid(data_dir)
    await bot.kill()
    os.kill(redis_pid, signal.SIGKILL)
    await bot.start()
    replies = await chat.new_conversation().say("再開")
    check_step(Step("再開", "Q5", ("回答者情報 8/8、回答済み 5問",)), replies)
    assert _embedded_redis_pid(data_dir) != redis_pid


def _embedded_redis_pid(data_dir: Path) -> int:
    return int((data_dir / "redis" / "redis.pid").read_text().strip())
