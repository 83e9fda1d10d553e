"""Every key the bot writes has a documented lifetime (bot/keyspace.py, the table
docs/data-format.md shows): walk every feature through the real bot, then list the
namespace. Each key must be of a documented kind; a key without a TTL must be of a
kind documented as kept without one; a TTL must not exceed the documented one. Then a
retention round runs, and the listing is checked again.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.config import JST
from bot.keyspace import DELETE, KEY_KINDS, KeyKind, kind_of
from tests.e2e.test_files_e2e import download_url, sharepoint  # noqa: F401 (fixtures)
from tests.e2e.test_reminders_e2e import REMINDER_HEAD
from tests.e2e.test_teamwork_e2e import NS, RESPONSIBLE, chat, code_in, requested, shared
from tests.e2e.transcripts import MEMBER_13_2, MUNICIPALITY_SHORT, UNION_13_2, play
from tests.export.test_list_reader import GOOD as HAND_FILLED
from tests.fakes.teams import TeamsUser

STAFF = TeamsUser(name="県 担当", aad_object_id="6f1c0000-0000-0000-0000-00000000ee14")
ADMIN = TeamsUser(name="管理 者", aad_object_id="6f1c0000-0000-0000-0000-00000000ad14")
WAIT = 10.0


async def listing(redis_client) -> dict[str, tuple[KeyKind | None, int]]:
    """key -> (its documented kind, its TTL in seconds; -1: none)."""
    keys = sorted([k.decode() async for k in redis_client.scan_iter(match=f"{NS}:*")])
    async with redis_client.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.ttl(key)
        ttls = await pipe.execute()
    return {key: (kind_of(key[len(NS) + 1:]), ttl) for key, ttl in zip(keys, ttls)}


def check(found: dict[str, tuple[KeyKind | None, int]]) -> set[str]:
    """The documented-lifetime rule for every key; returns the kinds seen."""
    undocumented = [key for key, (kind, _) in found.items() if kind is None]
    assert undocumented == [], f"keys of no documented kind: {undocumented}"
    without_ttl = {key for key, (kind, ttl) in found.items() if ttl == -1}
    allowed = {key for key in without_ttl if found[key][0].ttl_seconds is None}
    assert without_ttl == allowed, f"no TTL, but documented with one: {sorted(without_ttl - allowed)}"
    for key, (kind, ttl) in found.items():
        if ttl >= 0:
            assert kind.ttl_seconds is not None and ttl <= kind.ttl_seconds, (key, ttl, kind.lifetime)
    return {kind.name for kind, _ in found.values()}


async def test_every_key_has_a_documented_lifetime(
    bot_factory, teams_client, fake_connector, redis_client, sharepoint, ca
) -> None:
    bot = await bot_factory(env={
        "PREFECTURE_STAFF": f"{STAFF.aad_object_id}:14", "REMINDER_INTERVAL_SECONDS": "0",
        "DOWNLOAD_HOSTS": f"localhost:{sharepoint.https_port}", "SSL_CERT_FILE": str(ca.cert_file),
        "ADMINS": ADMIN.aad_object_id,
    })
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    await boss.say("ヘルプ")
    # Answering, sharing, a request, a confirmation, the history.
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await play(respondent, MUNICIPALITY_SHORT.steps())
    colleague = await shared(bot, teams_client, respondent)
    await boss.say(f"確認 {await requested(respondent)}")
    await boss.say("承認")
    await colleague.say("履歴")
    # Q13 on the prefecture's board; a return; a share code never used.
    member = teams_client(bot, TeamsUser(name="構成 花子"))
    await play(member, MEMBER_13_2.steps())
    await play(teams_client(bot, TeamsUser(name="広域 次郎")), UNION_13_2.steps())  # the prefecture's 広域連合等 list
    await boss.say(f"確認 {await requested(member)}")
    await boss.say("差し戻し 理由")
    code_in(await member.say("共有"))
    # Wrong codes; 出力 in a personal chat (consent card) and a group chat (link).
    stranger = teams_client(bot, TeamsUser(name="部外 者"))
    await stranger.say("参加 AAAA-BBBB")
    await member.say("出力")
    group = member.new_conversation("groupChat")  # the member's last chat: where the bot writes to them now
    download_url(await group.say("出力"))
    # 集計 with a hand-filled file dropped in; a 削除依頼.
    staff = teams_client(bot, STAFF)
    sharepoint.files["nakai.xlsx"] = HAND_FILLED
    await staff.send_attachment("【14神奈川県中井町】回答.xlsx", sharepoint.url("localhost", "files/nakai.xlsx"))
    await staff.say("集計 神奈川県")
    quitter = teams_client(bot, TeamsUser(name="取消 三郎"))
    for text in ("開始", "1", "14神奈川県大井町", "削除依頼", "はい"):
        await quitter.say(text)
    # Reminders, from a second process (a reminder landing mid-walk would be taken for a
    # reply): the unconfirmed answers are reminded today, one lock per answer and day.
    deadline = (datetime.now(JST) + timedelta(days=1)).isoformat(timespec="minutes")
    await bot_factory(env={"DEADLINE": deadline, "REMINDER_DAYS": "1", "REMINDER_INTERVAL_SECONDS": "0.3"})
    await fake_connector.wait_for(lambda: REMINDER_HEAD in chat(fake_connector, group).all_text, WAIT)
    # The desk: a grant made in the chat, the prefecture's deadline (after the reminders: its
    # municipalities' days are counted to it from now on), the day's 督促.
    await teams_client(bot, ADMIN).say("職員追加 6f1c0000-0000-0000-0000-00000000ee13 13")
    await staff.say("期限 令和5年7月14日 17時")
    await staff.say("督促")

    seen = check(await listing(redis_client))
    assert seen == {k.name for k in KEY_KINDS} - {"scheduler_lock"}, seen

    # A retention round (deadline long past, 0 days kept): its lock, and no key naming a person.
    retention = await bot_factory(env={"DEADLINE": "2023-07-21T17:00", "RETAIN_DAYS_AFTER_DEADLINE": "0",
                                       "REMINDER_INTERVAL_SECONDS": "0"})
    for _ in range(600):  # up to 30 s: a loaded CI machine
        found = await listing(redis_client)
        if not [key for key, (kind, _) in found.items() if kind.at_retention == DELETE]:
            break
        await asyncio.sleep(0.05)
    after = check(found)
    assert "scheduler_lock" in after and not {k.name for k in KEY_KINDS if k.at_retention == DELETE} & after, after
    assert retention.is_running()
