"""Deadline reminders with two bot processes on one Redis: each member of each
unfinished or unconfirmed answer is reminded exactly once on a reminder day."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.config import JST
from bot.messages import teamwork as msg
from bot.messages.dates import wareki_datetime
from tests.e2e.test_teamwork_e2e import chat, code_in
from tests.e2e.transcripts import MUNICIPALITY_SHORT, PREFECTURE, play
from tests.fakes.teams import TeamsUser

REMINDER_HEAD = msg.REMINDER.split("{deadline}")[0].format(survey="2307 マイナンバー調査")
FOLLOW_PREFECTURE = "提出期限は都道府県の指示に従ってください。"
# Both processes check every 0.3 s: this many seconds cover several rounds of each.
OBSERVE_SECONDS = 2.0


async def test_one_reminder_per_member_with_two_processes(bot_factory, teams_client, fake_connector, redis_client) -> None:
    setup = await bot_factory(env={"REMINDER_INTERVAL_SECONDS": "0"})
    unfinished = teams_client(setup, TeamsUser(name="山田 太郎"))
    for text in ("開始", "1", "14神奈川県相模原市"):
        await unfinished.say(text)
    respondent = teams_client(setup, TeamsUser(name="原 花子"))
    await play(respondent, MUNICIPALITY_SHORT.steps())
    colleague = teams_client(setup, TeamsUser(name="鈴木 次郎"))
    await colleague.say(f"参加 {code_in(await respondent.say('共有'))}")
    prefecture = teams_client(setup, TeamsUser(name="神奈川 一郎"))
    await play(prefecture, PREFECTURE.steps())
    bystander = teams_client(setup, TeamsUser(name="部外 者"))
    await bystander.say("ヘルプ")  # chatted, but has no answer: never reminded

    moment = (datetime.now(JST) + timedelta(days=1)).replace(second=0, microsecond=0)
    deadline = moment.isoformat(timespec="minutes")
    env = {"DEADLINE": deadline, "REMINDER_DAYS": "1", "REMINDER_INTERVAL_SECONDS": "0.3"}
    await asyncio.gather(bot_factory(env=env), bot_factory(env=env))

    expected = {
        unfinished.conversation_id: msg.REMINDER_UNFINISHED.split("（")[0],
        respondent.conversation_id: msg.REMINDER_UNCONFIRMED,
        colleague.conversation_id: msg.REMINDER_UNCONFIRMED,
        prefecture.conversation_id: msg.REMINDER_UNCONFIRMED,
    }

    def reminders(client) -> list[str]:
        return [t for t in chat(fake_connector, client).texts if t.startswith(REMINDER_HEAD)]

    clients = (unfinished, respondent, colleague, prefecture)
    await fake_connector.wait_for(lambda: all(reminders(c) for c in clients), 5.0)
    await asyncio.sleep(OBSERVE_SECONDS)  # no event marks "no more reminders": watch a while

    for client in clients:
        [text] = reminders(client)
        assert expected[client.conversation_id] in text
        if client is prefecture:  # the ministry's deadline, in 和暦, from the DEADLINE setting
            assert f"（{wareki_datetime(moment)}）まで1日です。" in text
        else:  # a municipality is never told the ministry's date as its own
            assert FOLLOW_PREFECTURE in text and wareki_datetime(moment)[:6] not in text
            assert deadline[:10] not in text
    assert reminders(bystander) == []
