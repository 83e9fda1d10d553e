"""削除依頼 over HTTP: the real `python -m bot`, a real Redis, the fake connector.

A member deletes an unconfirmed answer after a yes; the other member is told in their
own chat; nothing of the answer is left in Redis (its history, index entries, codes);
both can start afresh. A confirmed answer is refused to a member and deleted for an
administrator (ADMINS). Each deletion is in the audit log.
"""
from __future__ import annotations

import pytest

from bot.messages import conversation as conv_msg
from bot.messages import deletion as msg
from bot.messages import teamwork as teamwork_msg
from tests.e2e.harness import BotProcess
from tests.e2e.test_teamwork_e2e import NS, ORG, RESPONSIBLE, answered, code_in, proactive, requested, shared
from tests.e2e.transcripts import REVIEW, stored_answer
from tests.fakes.teams import TeamsUser

ADMIN = TeamsUser(name="管理 者", aad_object_id="6f1c0000-0000-0000-0000-0000000ad111")


@pytest.fixture
async def bot(bot_factory, redis_client) -> BotProcess:
    return await bot_factory(env={"ADMINS": ADMIN.aad_object_id, "REMINDER_INTERVAL_SECONDS": "0"})


async def keys(redis_client) -> set[str]:
    return {k.decode() async for k in redis_client.scan_iter(match=f"{NS}:*")}


def left_of(answer_id: str, all_keys: set[str]) -> set[str]:
    return {k for k in all_keys if answer_id in k}


async def test_a_member_deletes_and_the_colleague_is_told(bot, teams_client, fake_connector, redis_client) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    colleague = await shared(bot, teams_client, respondent)
    spare_code = code_in(await respondent.say("共有"))  # handed out, never used
    answer_id = (await stored_answer(redis_client, NS, respondent.user.aad_object_id))["answer_id"]
    assert await redis_client.sismember(f"{NS}:pref:14", answer_id)

    asked = await respondent.say("削除依頼")
    assert msg.ASK.format(org=ORG, members=msg.ASK_MEMBERS.format(count=1)) in asked.all_text
    done = await respondent.click(msg.BUTTON_YES, asked)
    assert done.texts == [msg.DELETED.format(org=ORG)]
    await proactive(fake_connector, colleague, msg.DELETED_NOTICE.format(name="山田 太郎", org=ORG))

    assert left_of(answer_id, await keys(redis_client)) == set()
    assert not await redis_client.exists(f"{NS}:code:{spare_code}")
    assert not await redis_client.sismember(f"{NS}:pref:14", answer_id)
    assert (await colleague.say(f"参加 {spare_code}")).texts == [teamwork_msg.CODE_INVALID]
    for member in (respondent, colleague):
        assert (await member.say("状況")).texts == [conv_msg.NO_ANSWER_YET]
    assert (await respondent.say("開始")).last_heading == "組織区分"  # a new answer
    # One audit event, naming the answer.
    [deleted] = bot.log_events("answer_deleted")
    assert deleted["audit"]["answer_id"] == answer_id


async def test_no_keeps_everything(bot, teams_client, redis_client) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    before = await stored_answer(redis_client, NS, respondent.user.aad_object_id)
    await respondent.say("削除依頼")
    replies = await respondent.say("いいえ")
    assert msg.KEPT in replies.all_text and replies.last_heading == REVIEW
    assert await stored_answer(redis_client, NS, respondent.user.aad_object_id) == before


async def confirmed(bot, teams_client, respondent) -> None:
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    code = await requested(respondent)
    await boss.say(f"確認 {code}")
    await boss.say("承認")


async def test_a_confirmed_answer_is_deleted_by_an_administrator_only(bot, teams_client, fake_connector, redis_client) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    admin = teams_client(bot, ADMIN)
    await admin.say(f"参加 {code_in(await respondent.say('共有'))}")
    await confirmed(bot, teams_client, respondent)
    answer_id = (await stored_answer(redis_client, NS, respondent.user.aad_object_id))["answer_id"]

    assert (await respondent.say("削除依頼")).texts == [msg.CONFIRMED_REFUSED]
    asked = await admin.say("削除依頼")
    assert msg.ASK_CONFIRMED in asked.all_text
    assert (await admin.say("はい")).texts == [msg.DELETED.format(org=ORG)]
    await proactive(fake_connector, respondent, msg.DELETED_NOTICE.format(name=ADMIN.name, org=ORG))
    assert left_of(answer_id, await keys(redis_client)) == set()


async def test_a_colleague_confirms_the_answer_before_the_yes(bot, teams_client, redis_client) -> None:
    """The turn that asked saw an unconfirmed answer; the deletion checks again."""
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    code = await requested(respondent)
    asked = await respondent.say("削除依頼")
    await boss.say(f"確認 {code}")
    await boss.say("承認")
    assert (await respondent.click(msg.BUTTON_YES, asked)).texts == [msg.CONFIRMED_REFUSED]
    assert (await stored_answer(redis_client, NS, respondent.user.aad_object_id))["confirmation"]["status"] == "confirmed"
