"""Backup and restore through the real tools: users walk the survey, share, request,
return and confirm through `python -m bot`; `python -m bot.admin export` writes the
file; Redis is wiped; `python -m bot.admin import` restores it; and every answer,
history entry, membership, index and workbook is as before, and the bot goes on as if
nothing had happened (an open request is confirmed, a half-done answer continued,
a download link handed out before the backup still works).
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from bot.admin.data_file import FORMAT
from bot.messages import admin as admin_msg
from bot.messages import teamwork as msg
from tests.admin.compare import assert_same_state, state_lines, workbook_cells
from tests.e2e.harness import REPO_ROOT, BotProcess
from tests.e2e.test_files_e2e import download_url, get
from tests.e2e.test_teamwork_e2e import NS, RESPONSIBLE, requested, shared
from tests.e2e.transcripts import MEMBER_13_2, MUNICIPALITY_SHORT, PREFECTURE, REVIEW, UNION_13_2, play
from tests.fakes.teams import TeamsClient, TeamsUser

UNION_DONE = 6  # steps of the 広域連合's walk played before the backup (回答者情報 included: 9 more)


async def admin(redis_url: str, *args: str) -> tuple[int, str]:
    """Runs `python -m bot.admin ARGS` as the administrator would; (exit status, stdout)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.admin", *args, cwd=REPO_ROOT, env={**os.environ, "REDIS_URL": redis_url},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert b"Traceback" not in err, err.decode()
    return process.returncode, out.decode()


async def state(redis_client) -> list[dict[str, Any]]:
    """Every exported key as the export shows it: answers, histories, users, indexes, codes…"""
    return await state_lines(redis_client, NS)


async def workbook_link(client: TeamsClient) -> str:
    """出力 in a group chat with the bot: the signed link to the workbook."""
    return download_url(await client.new_conversation("groupChat").say("出力"))


async def workbook(http_session, url: str) -> dict[tuple[str, str], Any]:
    status, _, data = await get(http_session, url)
    assert status == 200
    return workbook_cells(data)


async def test_export_wipe_import_and_the_bot_goes_on(bot_factory, teams_client, redis_client, redis_url, http_session,
                                                      tmp_path: Path) -> None:
    bot: BotProcess = await bot_factory(env={"REMINDER_INTERVAL_SECONDS": "0"})  # link key generated into Redis
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    await boss.say("ヘルプ")

    # 相模原市: two colleagues, confirmed by the 回答責任者.
    city = teams_client(bot, TeamsUser(name="山田 太郎"))
    await play(city, MUNICIPALITY_SHORT.steps())
    colleague = await shared(bot, teams_client, city)
    code = await requested(city)
    await boss.say(f"確認 {code}")
    assert msg.APPROVED.split("（")[0].format(org="14神奈川県相模原市") in (await boss.say("承認")).all_text
    # 神奈川県: requested, waiting for the 回答責任者 (the code must still work after the restore).
    prefecture = teams_client(bot, TeamsUser(name="県 太郎"))
    await play(prefecture, PREFECTURE.steps())
    open_code = await requested(prefecture)
    # A 構成市町村: returned with a reason.
    member = teams_client(bot, TeamsUser(name="構成 花子"))
    await play(member, MEMBER_13_2.steps())
    await boss.say(f"確認 {await requested(member)}")
    await boss.say("差し戻し Q13を見直してください")
    # A 広域連合: half done.
    union = teams_client(bot, TeamsUser(name="広域 次郎"))
    union_steps = UNION_13_2.steps()
    await play(union, union_steps[:len(union_steps) - 9])

    links = {c.user.name: await workbook_link(c) for c in (city, prefecture, member, union)}
    workbooks = {name: await workbook(http_session, url) for name, url in links.items()}
    histories = {c.user.name: (await c.say("履歴")).all_text for c in (colleague, prefecture, member)}
    before = await state(redis_client)
    assert {line["kind"] for line in before} >= {"answer", "history", "user", "name", "prefecture_index", "q13_board",
                                                "code", "link_secret"}

    path = tmp_path / "backup.jsonl"
    status, out = await admin(redis_url, "export", str(path))
    assert status == 0 and out.startswith(f"{path} に書き出しました"), out
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"] == FORMAT
    assert_same_state([json.loads(line) for line in lines[1:-1]], before)  # the file is the state, record for record

    await bot.stop()
    await redis_client.flushdb()
    status, out = await admin(redis_url, "import", str(path))
    assert status == 0, out
    assert_same_state(await state(redis_client), before)  # every answer, history, user, index, code, TTL
    status, out = await admin(redis_url, "import", str(path))
    assert status == 1 and out.startswith(admin_msg.NOT_EMPTY.split("（例")[0].format(namespace=NS)), out

    await bot.start()
    # The links handed out before the backup still open, and give the same workbooks.
    for name, url in links.items():
        assert await workbook(http_session, url) == workbooks[name], name
    # So does a fresh 出力.
    for client in (city, prefecture, member, union):
        assert await workbook(http_session, await workbook_link(client)) == workbooks[client.user.name]
    for client in (colleague, prefecture, member):
        assert (await client.say("履歴")).all_text == histories[client.user.name]

    # The 回答責任者 confirms with the code handed out before the backup.
    await boss.say(f"確認 {open_code}")
    assert "14神奈川県の回答を確認済みにしました" in (await boss.say("承認")).all_text
    # The 広域連合 resumes where it stopped and finishes.
    resumed = await union.say("再開")
    assert resumed.last_heading == union_steps[len(union_steps) - 10].heading
    assert (await play(union, union_steps[len(union_steps) - 9:])).last_heading == REVIEW
    # The confirmed answer is still locked for its members.
    assert (await colleague.say("確認依頼")).texts == [msg.ALREADY_CONFIRMED]
