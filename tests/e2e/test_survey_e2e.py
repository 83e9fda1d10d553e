"""The survey over HTTP: the real `python -m bot` process on a real Redis, spoken to as
Teams does (msteams, personal chat, tenant in channelData), replies caught by the fake
Bot Connector. One bot process for the module; every test is a fresh Teams user."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio

from tests.survey_2307 import ORG_PREFECTURE
from tests.e2e.harness import BotProcess
from tests.e2e.transcripts import (
    ALL_WALKS,
    MUNICIPALITY_LONGEST,
    MUNICIPALITY_SHORT,
    REVIEW,
    Step,
    Walk,
    check_step,
    play,
    stored_answer,
    stored_respondent,
)
from tests.fakes.teams import TeamsClient

NAMESPACE = f"e2e-survey-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
async def survey_bot(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    log = tmp_path_factory.mktemp("survey-bot") / "bot.log"
    bot = BotProcess(env={"REDIS_URL": redis_url, "REDIS_NAMESPACE": NAMESPACE}, log_path=log)
    async with bot:
        yield bot


@pytest.fixture(scope="module")
async def store(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def client(survey_bot: BotProcess, teams_client: Any) -> TeamsClient:
    return teams_client(survey_bot)


async def record_of(store: redis.asyncio.Redis, client: TeamsClient) -> dict[str, Any] | None:
    return await stored_answer(store, NAMESPACE, client.user.aad_object_id)


@pytest.mark.parametrize("walk", ALL_WALKS, ids=str)
async def test_walk_over_http(walk: Walk, client: TeamsClient, store: redis.asyncio.Redis) -> None:
    await play(client, walk.steps())
    record = await record_of(store, client)
    assert record is not None
    assert record["respondent"] == stored_respondent(walk.org_type)
    assert record["answers"] == walk.answers


# After the step whose heading is the key, this bad answer and its reason.
BAD_ANSWERS: dict[str, tuple[str | dict[str, str], str]] = {
    "組織区分": ("9", "組織区分を1〜4の番号で選んでください。"),
    "組織名": ("13神奈川県相模原市", "神奈川県のコードは14です。"),
    "担当部署名": ({"action": "field", "field": "dept", "value": " "}, "担当部署名を入力してください。"),
    "回答責任者役職": ({"action": "field", "field": "title", "value": ""}, "回答責任者の役職を入力してください"),
    "回答責任者氏名": ({"action": "field", "field": "responsible_name", "value": ""}, "回答責任者氏名を入力してください。"),
    "連絡先氏名": ({"action": "field", "field": "contact_name", "value": "　"}, "連絡先氏名を入力してください。"),
    "電話番号": ("12345", "市外局番（0から始まる番号）から入力してください"),
    "メールアドレス": ("kaigo@", "メールアドレスの形が正しくありません"),
    "Q1-1": ("3", "「3」という選択肢はありません。"),  # single
    "Q2 予定年月": ("2023年13月", "月は1〜12で入力してください。"),  # yearmonth
    "Q6": ("1,4", "「4」という選択肢はありません。"),  # multi
    "Q7-4": ("なし", "この問いでは「該当なし」は選べません。"),  # multi without 該当なし
    "Q8-1 概要": ({"action": "answer", "item": "8-1_概要", "value": " "}, "回答が入力されていません。"),  # text
}


async def test_a_bad_answer_to_every_item_type_changes_nothing(client: TeamsClient, store: redis.asyncio.Redis) -> None:
    """The longest walk, with a bad answer wherever a new kind of question is asked."""
    tried = []
    for number, s in enumerate(MUNICIPALITY_LONGEST.steps(), 1):
        check_step(s, await _send(client, s.send), number)
        if s.heading not in BAD_ANSWERS:
            continue
        bad, reason = BAD_ANSWERS[s.heading]
        before = await record_of(store, client)
        check_step(Step(bad, s.heading, (reason,)), await _send(client, bad), number)
        assert await record_of(store, client) == before, f"a bad answer at {s.heading} changed the record"
        tried.append(s.heading)
    assert tried == list(BAD_ANSWERS)
    assert (await record_of(store, client))["answers"] == MUNICIPALITY_LONGEST.answers


async def _send(client: TeamsClient, what: str | dict[str, Any]) -> Any:
    return await (client.say(what) if isinstance(what, str) else client.submit(what))


@pytest.mark.parametrize(
    ("edit", "value", "told", "next_heading", "gone"),
    [
        # 3 ② → ①: 4 and 5 are asked next; 6 … 9 wait on 5 with their answers kept.
        ("修正 Q3", "1", ["次の項目が新たに対象になりました: Q4、Q5"], "Q4", set()),
        ("修正 Q2", "3", ["次の項目が新たに対象になりました: Q2 予定年月"], "Q2 予定年月", set()),
        ("修正 Q7-2", "1", ["次の項目が新たに対象になりました: Q7-3、Q8-1"], "Q7-3", set()),
        ("修正 Q10", "2", ["次の項目が新たに対象になりました: Q10 概要"], "Q10 概要", set()),
    ],
    ids=["3-to-1", "2-to-3", "7_2-to-1", "10-to-2"],
)
async def test_edit_reapplies_the_rules_over_http(
    client: TeamsClient, store: redis.asyncio.Redis, edit: str, value: str, told: list[str], next_heading: str, gone: set[str]
) -> None:
    await play(client, MUNICIPALITY_SHORT.steps())
    before = (await record_of(store, client))["answers"]
    heading = edit.split()[1]
    await play(client, [Step(edit, heading), Step(value, next_heading, tuple(told))])
    after = (await record_of(store, client))["answers"]
    assert gone <= set(before) and not gone & set(after)
    edited = heading[1:]
    assert after[edited] == int(value)
    assert all(after[k] == v for k, v in before.items() if k not in gone and k != edited)


async def test_edit_making_items_not_applicable_over_http(client: TeamsClient, store: redis.asyncio.Redis) -> None:
    await play(client, MUNICIPALITY_LONGEST.steps())
    told = ("次の項目が対象外になりました: Q7-3、Q7-4、Q8-1、Q8-1 概要、Q8-2", "回答からは外しました")
    await play(client, [Step("修正 Q7-2", "Q7-2"), Step("2", REVIEW, told)])
    answers = (await record_of(store, client))["answers"]
    assert answers["7-2"] == 2
    assert not {"7-3", "7-4", "8-1", "8-1_概要", "8-2"} & set(answers)
    assert answers["9"] == MUNICIPALITY_LONGEST.answers["9"]


async def test_clicking_the_rendered_buttons(client: TeamsClient, store: redis.asyncio.Redis) -> None:
    """The buttons as the bot rendered them: their data is all Teams sends back."""
    assert (await client.say("開始")).last_heading == "組織区分"
    assert (await client.click(ORG_PREFECTURE)).last_heading == "組織名"
    for text in ["14神奈川県", "高齢福祉課", "福祉部長", "神奈川 一郎", "神奈川 花子", "045-210-1111", "kaigo@pref.example.lg.jp"]:
        replies = await client.say(text)
    assert replies.last_heading == "Q1-2"
    assert (await client.click("②上記機能を導入していない")).last_heading == "Q2"
    replies = await client.click("説明")
    assert "マイナポータル閲覧対象事務" in replies.all_text
    record = await record_of(store, client)
    assert record["respondent"]["org_type"] == ORG_PREFECTURE
    assert record["answers"] == {"1-2": 2}


async def test_review_lists_not_applicable(client: TeamsClient) -> None:
    replies = await play(client, MUNICIPALITY_SHORT.steps())
    assert replies.last_heading == REVIEW
    assert replies.all_text.count("対象外") >= 8  # 13, 1-2, 2 予定年月, 4, 5, 7-3, 7-4, 8-1 …
