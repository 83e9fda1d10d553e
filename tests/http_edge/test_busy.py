"""BUSY says what happened: a conflict on the user's own record is their own messages
crossing, and nobody else is blamed either way."""
from __future__ import annotations

import pytest

from bot.app import BOT
from bot.messages import conversation as msg
from bot.state.redis_storage import ETagConflict
from bot.state.turn_store import ANSWER_PREFIX, USER_PREFIX


@pytest.mark.parametrize(
    ("conflict_on", "expected"),
    [
        ("own user record", msg.BUSY_OWN),
        ("shared answer", msg.BUSY),
    ],
)
async def test_busy_names_what_happened(serve, teams_client, conflict_on: str, expected: str) -> None:
    url, app = await serve()
    client = teams_client(url)
    key = USER_PREFIX + client.user.aad_object_id if conflict_on == "own user record" else ANSWER_PREFIX + "a1"

    async def always_conflicting(user_key, step, *args, **kwargs):
        raise ETagConflict(key)

    app[BOT].store.run = always_conflicting
    assert (await client.say("開始")).texts == [expected]
    assert "ほかの方" not in expected and "同僚" not in expected
