"""Fuzzing the real server: `python -m bot` on a real Redis takes 1,600 generated hostile
or careless requests (tests/fuzz/cases.py, seeded) from 40 users while a victim's half
finished answer sits in Redis. No response is a 5xx, the process lives, its memory
stays bounded, and nothing outside the senders' own records changes: the victim's
answers and history least of all. `python bench/fuzz.py` runs a longer version."""
from __future__ import annotations

import aiohttp

from tests.fakes.connector import FakeConnector
from tests.fuzz.runner import fuzz

SEED = 20230721
CASES = 1600
NS = "fuzz"
RSS_GROWTH_LIMIT_KIB = 150 * 1024


async def test_fuzzing_the_server_changes_nothing_it_should_not(
    bot_factory, fake_connector: FakeConnector, redis_client, http_session: aiohttp.ClientSession
) -> None:
    bot = await bot_factory(env={"REMINDER_INTERVAL_SECONDS": "0", "REDIS_NAMESPACE": NS})

    run = await fuzz(bot.url, fake_connector, http_session, redis_client, NS, seed=SEED, count=CASES, pid=bot.pid)

    outcome = run.outcome
    assert outcome.cases == CASES
    assert outcome.server_errors == [] and outcome.unanswered == []
    assert set(outcome.statuses) <= {200, 201, 400, 412, 413, 415}
    served = {kind for kind, statuses in outcome.by_kind.items() if any(s < 300 for s in statuses)}
    assert served >= {"command", "claimed_submit", "odd_text", "unknown_invoke", "other_activity"}  # turns ran
    assert bot.is_running()
    assert "Traceback" not in bot.log_text(10**8)  # every refusal and Connector failure: one line
    async with http_session.get(f"{bot.url}/healthz") as response:
        assert response.status == 200
    assert outcome.rss_peak_kib - outcome.rss_before_kib < RSS_GROWTH_LIMIT_KIB
    assert run.changes == []
    assert len(run.victim_keys) == 3 and run.victim_changed == []  # user, answer, history: every byte
    assert (await run.victim.say("再開")).heading == "Q5"  # and they go on where they were
