"""Retention in the real bot: unset, the bot says at start that nothing is erased; set,
with the deadline long past, it says from when, erases the first round after start,
and the workbook behind a link handed out before reads back with every answer and
the personal fields erased."""
from __future__ import annotations

import asyncio
import json

from bot.config import Config
from bot.retention import start_notice
from tests.admin.compare import as_erased, workbook_cells
from tests.e2e.test_files_e2e import download_url, get
from tests.e2e.test_teamwork_e2e import NS, RESPONSIBLE, requested
from tests.e2e.transcripts import MUNICIPALITY_SHORT, RESPONDENT_VALUES, play, stored_answer
from tests.fakes.teams import TeamsUser

ENV = {"FILE_LINK_SECRET": "e2e-retention-file-link-secret-32-bytes", "REMINDER_INTERVAL_SECONDS": "0"}
RETAIN = {"DEADLINE": "2023-07-21T17:00", "RETAIN_DAYS_AFTER_DEADLINE": "30", "RETENTION_INTERVAL_SECONDS": "3600"}
FIELDS = tuple(RESPONDENT_VALUES[k][1] for k in ("responsible_name", "contact_name", "phone", "email"))


async def test_personal_fields_erased_answers_kept(bot_factory, teams_client, redis_client, http_session) -> None:
    bot = await bot_factory(env=ENV)
    assert start_notice(Config()) in bot.log_text(10**7)  # unset: said at start
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await play(respondent, MUNICIPALITY_SHORT.steps())
    await boss.say(f"確認 {await requested(respondent)}")
    await boss.say("承認")
    url = download_url(await respondent.new_conversation("groupChat").say("出力"))
    status, _, data = await get(http_session, url)
    before = workbook_cells(data)
    assert status == 200 and set(FIELDS) <= set(before.values())
    await bot.stop()

    retaining = await bot_factory(env={**ENV, **RETAIN})
    assert start_notice(Config.from_env(RETAIN)) in retaining.log_text(10**7)
    assert "2023-08-20T17:00+09:00" in start_notice(Config.from_env(RETAIN))
    for _ in range(600):  # the first round runs at start (up to 30 s on a loaded machine)
        if "erased" in ((await redis_client.get(f"{NS}:answer:{await answer_id(redis_client)}")) or b"").decode():
            break
        await asyncio.sleep(0.05)
    status, _, data = await get(http_session, url.replace(bot.url, retaining.url))  # the same link, served by the new process
    after = workbook_cells(data)
    assert status == 200
    assert after == as_erased(before, FIELDS, (RESPONSIBLE,)) and after != before
    [erased] = retaining.log_events("retention_erased")  # counts, not data
    assert "answer_id" in erased["audit"] and RESPONSIBLE not in json.dumps(erased, ensure_ascii=False)
    assert await stored_answer(redis_client, NS, respondent.user.aad_object_id) is None  # the user record is gone too


async def answer_id(redis_client) -> str:
    [key] = [k.decode() async for k in redis_client.scan_iter(match=f"{NS}:answer:*")]
    return key.rsplit(":", 1)[1]
