"""Issue 8: one 住所比較 must never hold the bot. Against `python -m bot` on Redis, users keep
sending maximal 住所比較 messages while another user answers the survey; by the order in
which turns complete, that user's walk is served among them, not after them.

With the old comparison (difflib on unbounded input), each of the flood's messages held the
event loop for about 30 s, so the walker's first turn already outlived the client's timeout.
Timing figures are in bench/address.py.
"""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

from bot.messages import address as address_msg
from bot.survey.address import MAX_ADDRESS_LENGTH
from tests.e2e.harness import BotProcess
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, play
from tests.fakes.teams import TeamsClient, TeamsUser

# The longest pair the bot compares (each address at the limit), built to be the slowest
# for its reading: alternating numerals and markers, every token a decision.
MAXIMAL = "住所比較 " + "一番" * (MAX_ADDRESS_LENGTH // 2) + " / " + "1-" * (MAX_ADDRESS_LENGTH // 2)
# issue 8's payload: refused by the address limit before anything reads it.
ATTACK = "住所比較 " + "番地" * 1000 + " / " + "番" * 1000
FLOODERS = 3
ROUNDS = 12  # per flooder: 36 comparisons in all
WALK_TURNS = 4


async def test_a_maximal_address_comparison_does_not_hold_another_users_turn(
    bot_factory: Any, teams_client: Any
) -> None:
    bot: BotProcess = await bot_factory(env={"REDIS_NAMESPACE": f"e2e-address-{uuid.uuid4().hex[:8]}"})
    walker: TeamsClient = teams_client(bot, TeamsUser(name="回答 一郎"))
    steps = MUNICIPALITY_LONGEST.steps()
    first_item = next(i for i, s in enumerate(steps) if s.heading == "Q1-1")
    await play(walker, steps[: first_item + 1])  # up to the first question, before the flood
    flooders = [teams_client(bot, TeamsUser(name=f"比較 {n}")) for n in range(FLOODERS)]

    completed: list[str] = []  # "flood" / "walk", in the order the turns completed
    flood_running = asyncio.Event()

    async def flood(chat: TeamsClient) -> None:
        for round_ in range(ROUNDS):
            sent = MAXIMAL if round_ % 2 == 0 else ATTACK
            replies = await chat.say(sent)
            if sent is MAXIMAL:
                assert replies.all_text.startswith("不一致"), replies.all_text
            else:
                assert address_msg.TOO_LONG.format(limit=MAX_ADDRESS_LENGTH, length=2000) in replies.all_text
            completed.append("flood")
            flood_running.set()

    async def walk() -> None:
        await flood_running.wait()  # maximal comparisons are being served from here on
        await play(walker, steps[first_item + 1 : first_item + 1 + WALK_TURNS])
        completed.append("walk")

    await asyncio.gather(*(flood(chat) for chat in flooders), walk())

    walk_done = completed.index("walk")
    flood_after_walk = len(completed) - 1 - walk_done
    # The walk started after the first comparison completed and finished while comparisons
    # were still coming: it was served among them, not queued behind them.
    assert completed[0] == "flood"
    assert flood_after_walk > 0, completed
    assert completed.count("flood") == FLOODERS * ROUNDS
    assert bot.is_running()
