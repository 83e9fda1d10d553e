"""Confirmation, sharing and access over HTTP: the real `python -m bot`, a real Redis,
the fake connector, several Teams users at once (respondent, colleague, 回答責任者,
outsider, prefecture staff).

Proactive messages (a request to the 回答責任者, a return or a confirmation told to the
respondent and colleagues) reach a user's own chat, outside the turn that caused them:
they are read from the fake connector by conversation id.
"""
from __future__ import annotations

import asyncio
import io
import json
import re
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from openpyxl import load_workbook

from bot.cards.common import answer_data
from bot.config import Config
from bot.dialogs.conversation import Conversation
from bot.dialogs.inputs import read_input
from bot.dialogs.survey_bot import SurveyBot
from tests.survey_2307 import HEADERS
from bot.messages import conversation as conv_msg
from bot.messages import export as export_msg
from bot.messages import teamwork as msg
from bot.state.codes import ALPHABET, GUESS_LIMIT, PURPOSE_SHARE, Codes
from bot.state.history import History
from bot.state.turn_store import TurnStore
from bot.survey.engine import load_survey
from tests.e2e.harness import BotProcess
from tests.e2e.transcripts import MUNICIPALITY_SHORT, REVIEW, RESPONDENT_VALUES, play
from tests.teamwork.test_codes import store_code
from tests.fakes.connector import FakeConnector
from tests.fakes.teams import FILE_CONSENT_CARD, FILE_INFO_CARD, Replies, TeamsClient, TeamsUser

ORG = "14神奈川県相模原市"
RESPONSIBLE = RESPONDENT_VALUES["responsible_name"][1]  # 相模 一郎, as on the sheet
WORKBOOK = f"【{ORG}】2307 マイナンバー調査回答.xlsx"
STAFF = TeamsUser(name="県 担当", aad_object_id="6f1c0000-0000-0000-0000-0000000e2e14")
CODE = re.compile(r"コード: ([A-Z0-9]{4}-[A-Z0-9]{4})")
NS = "mn2307"
WAIT = 5.0  # seconds a proactive message may take before the test fails


@pytest.fixture
async def bot(bot_factory, redis_client) -> BotProcess:
    # redis_client flushes the test db first; reminders are tested in test_reminders_e2e.
    return await bot_factory(env={
        "PREFECTURE_STAFF": f"{STAFF.aad_object_id}:14",
        "REMINDER_INTERVAL_SECONDS": "0",
        "FILE_LINK_SECRET": "e2e-teamwork-file-link-secret-32-bytes",
    })


def code_in(replies: Replies) -> str:
    found = CODE.search(replies.all_text)
    assert found, f"no code shown:\n{replies.all_text}"
    assert set(found[1].replace("-", "")) <= set(ALPHABET)
    return found[1]


def chat(connector: FakeConnector, client: TeamsClient) -> Replies:
    """Everything the bot ever posted to the client's chat (proactive messages too)."""
    return Replies(connector.replies(client.conversation_id))


async def proactive(connector: FakeConnector, client: TeamsClient, text: str, count: int = 1) -> Replies:
    """Waits until `text` has been posted `count` times to the client's chat."""

    def seen() -> bool:
        return chat(connector, client).all_text.count(text) >= count

    try:
        await connector.wait_for(seen, WAIT)
    except asyncio.TimeoutError:
        raise AssertionError(f"{text!r} never reached {client.user.name}:\n{chat(connector, client).all_text}")
    return chat(connector, client)


async def answered(client: TeamsClient) -> None:
    """開始 to the review, every item answered (the shortest 市区町村 path)."""
    await play(client, MUNICIPALITY_SHORT.steps())


async def shared(bot: BotProcess, teams_client, respondent: TeamsClient) -> TeamsClient:
    colleague = teams_client(bot, TeamsUser(name="原 花子"))
    joined = await colleague.say(f"参加 {code_in(await respondent.say('共有'))}")
    assert msg.JOINED.format(org=ORG) in joined.all_text
    return colleague


async def requested(respondent: TeamsClient) -> str:
    replies = await respondent.say("確認依頼")
    assert msg.REQUESTED.splitlines()[0] in replies.all_text
    return code_in(replies)


def list_row(data: bytes) -> dict[str, Any]:
    sheet = load_workbook(io.BytesIO(data))["一覧用"]
    header, values = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert list(header) == list(HEADERS)
    return dict(zip(header, ("" if v is None else v for v in values)))


# --- the whole round ---------------------------------------------------------------------


async def test_request_return_edit_request_confirm_locked(bot, teams_client, fake_connector, redis_client) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    await boss.say("ヘルプ")  # the 回答責任者 has talked to the bot once: the bot knows their chat
    await answered(respondent)
    colleague = await shared(bot, teams_client, respondent)

    # Request: the code for the 回答責任者, and the request itself in their own chat.
    first = await respondent.say("確認依頼")
    code = code_in(first)
    assert msg.RESPONSIBLE_NOTIFIED.format(name=RESPONSIBLE) in first.all_text
    box = await proactive(fake_connector, boss, f"確認 {code}")
    assert ORG in box.all_text

    # Review: the request's own button opens every item, 対象外 marked.
    review = await boss.click(msg.BUTTON_OPEN, box)
    assert msg.REVIEW_FOR_CONFIRMER.format(org=ORG, by="山田 太郎") in review.all_text
    assert msg.NAME_DIFFERS.split("（")[0] not in review.all_text  # the names agree
    assert review.last_heading == REVIEW
    assert "Q7-3\n対象外" in review.all_text and "Q12\n③その他" in review.all_text

    # Return with a reason: both people working on the answer are told at once.
    returned = await boss.say("差し戻し Q12を見直してください")
    assert msg.RETURNED.format(org=ORG) in returned.all_text
    notice = msg.RETURNED_NOTICE.format(name=RESPONSIBLE, reason="Q12を見直してください")
    for member in (respondent, colleague):
        await proactive(fake_connector, member, notice)
    assert (await boss.say("承認")).texts == [msg.NOTHING_TO_REVIEW]

    # Edit, then request again: a new code; the old one no longer confirms anything.
    edited = await respondent.submit(answer_data("12", "1"))
    assert "Q12: ①" in edited.all_text
    second = await requested(respondent)
    assert second != code
    assert (await boss.say(f"確認 {code}")).texts == [msg.REQUEST_WITHDRAWN]
    assert (await boss.say("承認")).texts == [msg.NOTHING_TO_REVIEW]
    await boss.say(f"確認 {second}")
    approved = await boss.say("承認")
    confirmed_at = re.search(r"（(\d{4}-\d\d-\d\d \d\d:\d\d)）", approved.all_text)[1]
    assert approved.texts == [msg.APPROVED.format(org=ORG, at=confirmed_at)]

    # The respondent and the colleague are told; the confirmed workbook reaches their chats.
    told = msg.APPROVED_NOTICE.format(name=RESPONSIBLE, at=confirmed_at)
    await proactive(fake_connector, colleague, told)
    await proactive(fake_connector, respondent, told)
    await fake_connector.wait_for(lambda: chat(fake_connector, respondent).attachments(FILE_CONSENT_CARD), WAIT)
    [consent] = chat(fake_connector, respondent).attachments(FILE_CONSENT_CARD)
    assert consent["name"] == WORKBOOK
    status, _ = accepted = await respondent.file_consent("accept", replies=chat(fake_connector, respondent))
    assert status == 200 and accepted.replies.attachments(FILE_INFO_CARD)
    row = list_row(bytes(fake_connector.uploads[WORKBOOK].data))
    assert (row["回答責任者確認"], row["確認日時"]) == (export_msg.CONFIRMED, confirmed_at)
    assert row["12"].startswith("①")  # the answer as confirmed, after the edit

    # Locked: an edit is refused with the reason, by either member, and nothing changes.
    for member in (respondent, colleague):
        assert (await member.submit(answer_data("12", "2"))).texts == [conv_msg.LOCKED]
    assert (await respondent.say("確認依頼")).texts == [msg.ALREADY_CONFIRMED]

    # 出力 now says 確認済 with the time, in 一覧用 columns 41 and 42.
    await respondent.say("出力")
    fake_connector.uploads.clear()
    await respondent.file_consent("accept")
    row = list_row(bytes(fake_connector.uploads[WORKBOOK].data))
    assert [row[HEADERS[40]], row[HEADERS[41]]] == [export_msg.CONFIRMED, confirmed_at]
    assert row["12"].startswith("①")

    # 履歴: who changed what (old → new), every request, the return and the confirmation.
    history = (await colleague.say("履歴")).all_text
    lines = [
        "山田 太郎: Q12: （なし） → ③その他",
        "山田 太郎: 確認を依頼",
        f"{RESPONSIBLE}: 差し戻した（理由: Q12を見直してください）",
        "山田 太郎: Q12: ③その他 → ①",
        f"{RESPONSIBLE}: 確認済にした（{confirmed_at}）",
        "原 花子: 回答に参加",
    ]
    for line in lines:
        assert line in history, f"{line!r} not in\n{history}"
    assert history.count("確認を依頼") == 2
    positions = [history.index(line) for line in lines[:5]]
    assert positions == sorted(positions), history

    # Prefecture staff of 14 see the answer, confirmed, in their list.
    staff = teams_client(bot, STAFF)
    await staff.say("集計 神奈川県")
    fake_connector.uploads.clear()
    await staff.file_consent("accept")
    [upload] = fake_connector.uploads.values()
    sheet = load_workbook(io.BytesIO(bytes(upload.data)))["一覧"]
    [listed] = [dict(zip(HEADERS, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert (listed["組織名"], listed["回答責任者確認"], listed["確認日時"]) == (ORG, export_msg.CONFIRMED, confirmed_at)


async def test_the_request_reaches_only_a_known_responsible(bot, teams_client, fake_connector) -> None:
    """A 回答責任者 who never chatted with the bot cannot be written to: the respondent
    is not told that they were, and the code is still there to hand over."""
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    replies = await respondent.say("確認依頼")
    code_in(replies)
    assert msg.RESPONSIBLE_NOTIFIED.format(name=RESPONSIBLE) not in replies.all_text
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    assert "確認依頼が届きました" not in chat(fake_connector, boss).all_text


# --- who may confirm --------------------------------------------------------------------


async def test_self_confirmation_refused(bot, teams_client) -> None:
    respondent = teams_client(bot, TeamsUser(name=RESPONSIBLE))  # even when named as 回答責任者
    await answered(respondent)
    colleague = await shared(bot, teams_client, respondent)
    code = await requested(respondent)
    for member in (respondent, colleague, respondent.new_conversation()):
        assert (await member.say(f"確認 {code}")).texts == [msg.SELF_CONFIRM]
        assert (await member.say("承認")).texts == [msg.NOTHING_TO_REVIEW]
    status = await respondent.say("状況")
    assert conv_msg.CONFIRMATION_STATES["requested"] in status.all_text


async def test_a_differently_named_confirmer_is_warned_and_recorded(bot, teams_client, redis_client) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    code = await requested(respondent)
    deputy = teams_client(bot, TeamsUser(name="代理 次郎"))
    opened = await deputy.say(f"確認 {code}")
    assert msg.NAME_DIFFERS.format(teams="代理 次郎", sheet=RESPONSIBLE) in opened.all_text
    approved = await deputy.say("承認")
    assert msg.NAME_DIFFERS_RECORDED.format(teams="代理 次郎", sheet=RESPONSIBLE) in approved.all_text
    [key] = [k async for k in redis_client.scan_iter(match=f"{NS}:answer:*")]
    confirmation = json.loads(await redis_client.get(key))["confirmation"]
    assert confirmation["name_differs"] == {"teams": "代理 次郎", "sheet": RESPONSIBLE}
    assert confirmation["confirmed_by"] == "代理 次郎"
    history = (await respondent.say("履歴")).all_text
    assert "代理 次郎: 確認済にした" in history
    assert msg.HISTORY_NAME_DIFFERS.format(teams="代理 次郎", sheet=RESPONSIBLE) in history


# --- codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["wrong", "expired", "share-code-to-confirm", "confirm-code-to-join", "not-a-code"])
async def test_a_bad_code_reveals_nothing(bot, teams_client, redis_client, how: str) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    share = code_in(await respondent.say("共有"))
    confirm = await requested(respondent)
    if how == "expired":
        await redis_client.delete(f"{NS}:code:{confirm}")
    command = {
        "wrong": "確認 ABCD-EFGH",
        "expired": f"確認 {confirm}",
        "share-code-to-confirm": f"確認 {share}",
        "confirm-code-to-join": f"参加 {confirm}",
        "not-a-code": "参加 相模原市",
    }[how]
    outsider = teams_client(bot, TeamsUser(name="部外 者"))
    replies = await outsider.say(command)
    assert replies.texts == [msg.CODE_INVALID]
    assert ORG not in replies.all_text and "山田" not in replies.all_text
    # …and the outsider is no closer: the next turn knows no answer of theirs.
    assert (await outsider.say("履歴")).texts == [msg.NO_ANSWER]


async def test_guessing_is_cut_off(bot, teams_client) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    code = await requested(respondent)
    guesser = teams_client(bot, TeamsUser(name="当て 推量"))
    wrong = [f"ABCD-{n:04d}".replace("0", "A").replace("1", "B") for n in range(GUESS_LIMIT)]
    answers = [(await guesser.say(f"確認 {w}")).texts for w in wrong]
    assert answers[: GUESS_LIMIT - 1] == [[msg.CODE_INVALID]] * (GUESS_LIMIT - 1)
    assert answers[-1] == [msg.TOO_MANY_GUESSES]
    # Now even the right code is refused, for joining too; others are not affected.
    assert (await guesser.say(f"確認 {code}")).texts == [msg.TOO_MANY_GUESSES]
    assert (await guesser.say("参加 ABCD-EFGH")).texts == [msg.TOO_MANY_GUESSES]
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    assert msg.REVIEW_FOR_CONFIRMER.format(org=ORG, by="山田 太郎") in (await boss.say(f"確認 {code}")).all_text


# --- access ------------------------------------------------------------------------------------


async def test_another_tenant_is_refused(bot_factory, teams_client, redis_client) -> None:
    bot = await bot_factory(env={"ALLOWED_TENANTS": "tenant-a, tenant-b", "REMINDER_INTERVAL_SECONDS": "0"})
    inside = teams_client(bot, TeamsUser(name="山田 太郎"), tenant_id="tenant-b")
    assert (await inside.say("開始")).heading == "組織区分"
    outside = teams_client(bot, TeamsUser(name="外部 者"), tenant_id="tenant-x")
    for text in ("開始", "ヘルプ", "確認 ABCD-EFGH"):
        assert (await outside.say(text)).texts == [conv_msg.TENANT_REFUSED]
    assert await redis_client.exists(f"{NS}:user:{outside.user.aad_object_id}") == 0


OUTSIDER_COMMANDS = ["履歴", "状況", "一覧", "出力", "承認", "差し戻し 理由", "再開", "確認依頼", "共有", "修正 Q12", "集計 神奈川県"]


async def test_an_outsider_sees_and_changes_nothing(bot, teams_client, fake_connector, redis_client) -> None:
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    code = await requested(respondent)
    key = next(iter([k async for k in redis_client.scan_iter(match=f"{NS}:answer:*")]))
    before = await redis_client.get(key)
    outsider = teams_client(bot, TeamsUser(name="部外 者"))
    wrong = code[:-1] + ("X" if code[-1] != "X" else "Y")  # one letter off, never the code itself
    backwards = code.replace("-", "")[::-1]
    for text in OUTSIDER_COMMANDS + [f"確認 {wrong}", "参加 " + (backwards if backwards != code.replace("-", "") else wrong)]:
        replies = await outsider.say(text)
        shown = replies.all_text + str(replies.attachments())
        assert ORG not in shown and "③その他" not in shown and "山田" not in shown, f"{text}: {shown}"
    assert fake_connector.uploads == {}
    assert await redis_client.get(key) == before
    assert await redis_client.exists(f"{NS}:history:{key.decode().rsplit(':', 1)[1]}") == 1


# --- two colleagues at once ----------------------------------------------------------------------


ROUNDS = 6  # races are timing-dependent: several rounds make a real overlap likely


def circled(value: str) -> str:
    return "①②③"[int(value) - 1]


@pytest.mark.parametrize(
    "first_item,second_item",
    [("12", "12"), ("11", "12")],
    ids=["same-item", "different-items"],
)
async def test_two_colleagues_answering_at_once(bot, bot_factory, teams_client, redis_client, first_item, second_item) -> None:
    """The two colleagues talk to two bot processes on one Redis, so their turns really
    overlap: each round, both submit at the same moment."""
    other_bot = await bot_factory(env={"REMINDER_INTERVAL_SECONDS": "0"})
    respondent = teams_client(bot, TeamsUser(name="山田 太郎"))
    await answered(respondent)
    colleague = await shared(other_bot, teams_client, respondent)
    [key] = [k async for k in redis_client.scan_iter(match=f"{NS}:answer:*")]
    told = conv_msg.CONCURRENT_CHANGE.split("{")[0]
    items = {first_item, second_item}
    for round_ in range(ROUNDS):
        before = json.loads(await redis_client.get(key))["answers"]
        sent = ((first_item, "1" if round_ % 2 else "2"), (second_item, "3" if round_ % 2 else "1"))
        replies = await asyncio.gather(respondent.submit(answer_data(*sent[0])), colleague.submit(answer_data(*sent[1])))
        after = json.loads(await redis_client.get(key))["answers"]

        # Nothing else lost; the item(s) hold one of the values sent.
        assert {k: v for k, v in after.items() if k not in items} == {k: v for k, v in before.items() if k not in items}
        if first_item == second_item:
            assert after[first_item] in (int(sent[0][1]), int(sent[1][1]))
        else:
            assert (after[first_item], after[second_item]) == (int(sent[0][1]), int(sent[1][1]))

        # Each is told what they stored; a turn redone on the colleague's write says what it was.
        for (item, value), reply in zip(sent, replies):
            assert f"Q{item}: {circled(value)}" in reply.all_text, reply.all_text
        redone = [i for i, reply in enumerate(replies) if told in reply.all_text]
        assert len(redone) <= 1, [r.all_text for r in replies]
        for loser in redone:
            theirs = sent[1 - loser]
            assert f"Q{theirs[0]} " in replies[loser].all_text and f"→{circled(theirs[1])}" in replies[loser].all_text
            if first_item == second_item:
                assert after[first_item] == int(sent[loser][1])  # redone last, over the colleague's


# --- the 参加 turn's own save --------------------------------------------------------------------


async def test_the_join_turn_itself_saves_the_new_member(redis_client) -> None:
    """SurveyBot in process, without the after-save effects: what the turn saves."""
    store = TurnStore(redis_client, NS)
    codes = Codes(redis_client, NS)
    await store.save_answer("shared", {"answer_id": "shared", "respondent": {}, "answers": {}, "members": ["resp"]}, None)
    await store_code(redis_client, "ABCD-EFGH", PURPOSE_SHARE, "shared", "resp", NS)
    bot = SurveyBot(Config(redis_namespace=NS), store, Conversation(load_survey()), History(redis_client, NS), codes)
    activity = Activity(
        type="message", text="参加 ABCD-EFGH", channel_id="msteams", service_url="http://127.0.0.1:9/",
        from_property=ChannelAccount(id="29:mate", name="原 花子", aad_object_id="mate"),
        recipient=ChannelAccount(id="28:bot"), conversation=ConversationAccount(id="a:mate", conversation_type="personal"),
    )
    await bot.run_turn(TurnContext(TestAdapter(), activity), read_input(activity.text, None))
    assert (await store.load("mate")).user["answer_id"] == "shared"
    answer, _ = await store.load_answer("shared")
    assert answer["members"] == ["resp", "mate"]
