"""The report's walk over HTTP (the real `python -m bot`, a real Redis, the fake
connector): a 市区町村 answers everything, changes Q1-1 after Q12, is told which answers
are now 要確認 and why, confirms them one by one with the buttons the bot rendered (one
answered anew), and only then gets 確認依頼 through. A 構成市町村 picks its 広域連合等
from the ones the bot knows (read from Redis) and the Q13 warning names both sides."""
from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio

from tests.e2e.harness import BotProcess
from tests.e2e.transcripts import (
    MUNICIPALITY_SHORT,
    REVIEW,
    UNION_LABEL,
    Step,
    play,
    respondent_steps,
    stored_answer,
)
from tests.fakes.teams import TeamsClient, TeamsUser
from tests.survey_2307 import ORG_MEMBER, ORG_UNION

NAMESPACE = f"e2e-review-{uuid.uuid4().hex[:8]}"
LATER = ["Q2", "Q3", "Q6", "Q7-1", "Q7-2", "Q9", "Q10", "Q11", "Q12"]
KEEP = "このままにする"
ITEM_NOTE = "要確認: Q1-1の回答を変えたため、この回答が今の対象者に合っているか確かめてください。"


@pytest.fixture(scope="module")
async def review_bot(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    log = tmp_path_factory.mktemp("review-bot") / "bot.log"
    env = {"REDIS_URL": redis_url, "REDIS_NAMESPACE": NAMESPACE, "REMINDER_INTERVAL_SECONDS": "0"}
    async with BotProcess(env=env, log_path=log) as bot:
        yield bot


async def record(store: redis.asyncio.Redis, client: TeamsClient) -> dict[str, Any]:
    found = await stored_answer(store, NAMESPACE, client.user.aad_object_id)
    assert found is not None
    return found


async def test_q1_1_changed_after_q12_then_reviewed_one_by_one(
    review_bot: BotProcess, teams_client: Any, redis_client: redis.asyncio.Redis
) -> None:
    store = redis_client
    client = teams_client(review_bot)
    await play(client, MUNICIPALITY_SHORT.steps())
    before = (await record(store, client))["answers"]

    await play(client, [Step("修正 Q1-1", "Q1-1")])
    replies = await client.click("①該当の機能を導入している")
    assert f"Q1-1を②から①に変えたため、次の回答を要確認にしました: {'、'.join(LATER)}" in replies.all_text
    assert "Q1-1が①のときQ2以降は住登外者等（上記以外の者）について" in replies.all_text
    stored = await record(store, client)
    assert stored["under_review"] == {item[1:]: "1-1" for item in LATER}
    assert stored["answers"] == {**before, "1-1": 1}  # nothing erased

    # 確認依頼 is refused while any remains, naming them.
    refused = await client.say("確認依頼")
    assert f"要確認の回答が残っているため、まだ確認依頼はできません: {'、'.join(LATER)}" in refused.all_text
    status = await client.say("状況")
    assert f"要確認: 9問（{'、'.join(LATER)}）" in status.all_text

    # One by one, each showing its stored answer: keep with one tap; Q9 answered anew.
    replies = await client.say("再開")
    for number, heading in enumerate(LATER):
        assert replies.last_heading == heading, replies.all_text
        assert ITEM_NOTE in replies.all_text and "現在の回答: " in replies.all_text
        replies = await (client.say("1") if heading == "Q9" else client.click(KEEP))
        left = (await record(store, client)).get("under_review", {})
        assert set(left) == {item[1:] for item in LATER[number + 1:]}
    assert replies.last_heading == REVIEW
    assert "すべて回答済みです。" in replies.all_text and "要確認あり" not in replies.all_text

    final = await record(store, client)
    assert "under_review" not in final
    assert final["answers"] == {**before, "1-1": 1, "9": 1}

    requested = await client.say("確認依頼")
    assert re.search(r"コード: [A-Z0-9]{4}-[A-Z0-9]{4}", requested.all_text)
    assert (await record(store, client))["confirmation"]["status"] == "requested"


async def test_a_member_picks_its_union_from_redis_and_q13_is_compared_with_it_only(
    review_bot: BotProcess, teams_client: Any
) -> None:
    ashigara = teams_client(review_bot, TeamsUser(name="足柄 一郎"))
    shonan = teams_client(review_bot, TeamsUser(name="湘南 二郎"))
    for client, name in ((ashigara, "足柄上広域連合"), (shonan, "湘南広域連合")):
        for text in ("開始", "3", f"14神奈川県{name}"):
            await client.say(text)
    # Both 広域連合 answer Q13 differently; neither has a 構成市町村 yet: no warning.
    for client, q13 in ((ashigara, "2"), (shonan, "3")):
        await play(client, respondent_steps(ORG_UNION)[3:-1] + [Step(respondent_steps(ORG_UNION)[-1].send, "Q13")])
        replies = await client.say(q13)
        assert "注意:" not in replies.all_text

    member = teams_client(review_bot, TeamsUser(name="中井 三郎"))
    for text in ("開始", "2"):
        await member.say(text)
    replies = await member.say("14神奈川県中井町")
    assert replies.last_heading == UNION_LABEL
    offered = {a["title"].split(". ", 1)[1]: a["title"] for a in replies.actions if ". " in a["title"]}
    assert set(offered) == {"14神奈川県足柄上広域連合", "14神奈川県湘南広域連合"}
    replies = await member.click(offered["14神奈川県足柄上広域連合"])
    assert f"{UNION_LABEL}: 14神奈川県足柄上広域連合 を記録しました。" in replies.all_text
    for s in respondent_steps(ORG_MEMBER)[4:]:
        replies = await (member.say(s.send) if isinstance(s.send, str) else member.submit(s.send))
    assert replies.last_heading == "Q13"
    replies = await member.say("1")  # differs from both; only 足柄上 is its own
    assert ("注意: 広域連合等「14神奈川県足柄上広域連合」のQ13（②）と、その構成市町村「14神奈川県中井町(広域)」"
            "のQ13（①）が違います。") in replies.all_text
    assert "湘南" not in replies.all_text
