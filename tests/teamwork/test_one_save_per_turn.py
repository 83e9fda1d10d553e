"""One turn, one atomic save: 承認, 差し戻し, 参加 and 修正 on a real Redis, with a
concurrent write injected at the turn's save.

SurveyBot runs in process (TestAdapter) so that its one compare-and-set can be
watched and interfered with: just before the save, another writer "touches" one of
the records the turn is about to write (same content, new e_tag), as a colleague's
or the user's own parallel turn would. Once, the turn is redone and completes;
always, it gives up with BUSY and leaves nothing behind. Either way: never half
(an answer confirmed without its history entry, or notices without the change),
and the after-save notices go out at most once.
"""
from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis.asyncio
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.cards.common import answer_data
from bot.config import Config
from bot.dialogs import teamwork
from bot.dialogs.conversation import Conversation
from bot.dialogs.inputs import read_input
from bot.dialogs.effects import EFFECT_KINDS, Effect
from bot.dialogs.session import Session
from bot.dialogs.survey_bot import SurveyBot
from bot.messages import conversation as conv_msg
from bot.messages import teamwork as msg
from bot.state.codes import CODE_TTL_SECONDS, Codes
from bot.state.history import History
from bot.state.redis_storage import CasWrite, ListAppend, new_etag
from bot.state.turn_store import SAVE_ATTEMPTS, TurnStore
from tests.dialogs.transcript import Transcript, survey
from tests.e2e.transcripts import MUNICIPALITY_SHORT

NS = "atomic"
CODE = re.compile(r"コード: ([A-Z0-9]{4}-[A-Z0-9]{4})")
NAMES = {"resp": "山田 太郎", "boss": "相模 一郎", "mate": "原 花子"}


@dataclass
class Office:
    """SurveyBot in process on a real Redis; effects are recorded, not run."""

    client: redis.asyncio.Redis
    store: TurnStore
    bot: SurveyBot
    effects: list[Effect] = field(default_factory=list)
    saves: list[list[str]] = field(default_factory=list)  # keys written by each compare-and-set
    touch: str | None = None  # the record another writer changes just before a save
    touches: int = 0  # how many saves see that write (a large number: all of them)

    async def say(self, user: str, what: str | dict[str, Any], chat: str = "") -> list[str]:
        text, value = (what, None) if isinstance(what, str) else ("", what)
        activity = Activity(
            type="message", text=text, value=value, channel_id="msteams", service_url="http://127.0.0.1:9/",
            from_property=ChannelAccount(id=f"29:{user}", name=NAMES[user], aad_object_id=user),
            recipient=ChannelAccount(id="28:bot"),
            conversation=ConversationAccount(id=chat or f"a:{user}", conversation_type="personal"),
        )
        adapter = TestAdapter()
        await self.bot.run_turn(TurnContext(adapter, activity), read_input(text, value))
        return [a.text or "" for a in adapter.activity_buffer]

    async def record(self, key: str) -> dict[str, Any] | None:
        raw = await self.client.get(f"{NS}:{key}")
        if raw is None:
            return None
        data = json.loads(raw)
        data.pop("e_tag", None)
        return data

    async def history(self, answer_id: str) -> list[str]:
        return [json.loads(e)["kind"] for e in await self.client.lrange(f"{NS}:history:{answer_id}", 0, -1)]

    async def answer_id(self, user: str) -> str:
        return (await self.record(f"user:{user}"))["answer_id"]

    async def state(self, *keys: str) -> dict[str, Any]:
        return {key: await self.record(key) for key in keys}


@pytest.fixture
async def office(redis_client: redis.asyncio.Redis) -> Office:
    store = TurnStore(redis_client, NS)
    effects: list[Effect] = []

    async def recorded(turn_context: TurnContext, session: Session, effect: Effect) -> None:
        effects.append(effect)

    bot = SurveyBot(
        Config(redis_namespace=NS), store, Conversation(survey()), History(redis_client, NS), Codes(redis_client, NS),
        effects={kind: recorded for kind in EFFECT_KINDS},
    )
    o = Office(redis_client, store, bot, effects)
    cas = store.storage.compare_and_set

    async def watched(writes: list[CasWrite], appends: list[ListAppend] = ()) -> list[str]:
        keys = [w.key for w in writes]
        o.saves.append(keys)
        if o.touch in keys and o.touches > 0:
            o.touches -= 1
            raw = json.loads(await redis_client.get(f"{NS}:{o.touch}"))
            await redis_client.set(f"{NS}:{o.touch}", json.dumps({**raw, "e_tag": new_etag()}, ensure_ascii=False))
        return await cas(writes, appends)

    store.storage.compare_and_set = watched  # type: ignore[method-assign]

    # The respondent has answered everything (walked on the pure conversation) and is stored.
    walk = Transcript(user_key="resp", user_name=NAMES["resp"])
    walk.play(MUNICIPALITY_SHORT.steps())
    state = await store.load("resp")
    state.user.update(walk.user)
    state.switch_answer(walk.stored["answer_id"], walk.stored, None)
    await store.save(state)
    return o


async def code_of(o: Office, user: str, command: str) -> str:
    found = CODE.search("\n".join(await o.say(user, command)))
    assert found, command
    return found[1]


# --- the turns: setup (returns the actor and what they send), the records written,
# --- and what a completed turn leaves ------------------------------------------------


async def reviewing(o: Office) -> None:
    code = await code_of(o, "resp", "確認依頼")
    await o.say("boss", f"確認 {code}")


async def setup_approve(o: Office) -> tuple[str, str]:
    await reviewing(o)
    return "boss", "承認"


async def setup_return(o: Office) -> tuple[str, str]:
    await reviewing(o)
    return "boss", "差し戻し Q12の回答を確認してください"


async def setup_join(o: Office) -> tuple[str, str]:
    await o.say("mate", "ヘルプ")  # the colleague has talked to the bot before
    return "mate", f"参加 {await code_of(o, 'resp', '共有')}"


async def setup_edit(o: Office) -> tuple[str, dict[str, str]]:
    await code_of(o, "resp", "確認依頼")
    await o.say("resp", "修正 Q12")
    return "resp", answer_data("12", "1")


async def approved(o: Office, answer_id: str, replies: list[str]) -> None:
    answer = await o.record(f"answer:{answer_id}")
    assert answer["confirmation"]["status"] == "confirmed"
    assert "reviewing" not in await o.record("user:boss")
    assert (await o.history(answer_id)).count("confirm") == 1
    assert [e.user_keys for e in o.effects if e.kind == "notify"] == [["resp"]]
    assert any(msg.APPROVED.split("{")[0] in r for r in replies)


async def returned(o: Office, answer_id: str, replies: list[str]) -> None:
    answer = await o.record(f"answer:{answer_id}")
    assert (answer["confirmation"]["status"], answer["confirmation"]["return_reason"]) == ("returned", "Q12の回答を確認してください")
    assert "reviewing" not in await o.record("user:boss")
    assert (await o.history(answer_id)).count("return") == 1
    assert [e.user_keys for e in o.effects if e.kind == "notify"] == [["resp"]]


async def joined(o: Office, answer_id: str, replies: list[str]) -> None:
    assert await o.answer_id("mate") == answer_id
    assert (await o.record(f"answer:{answer_id}"))["members"] == ["resp", "mate"]
    assert (await o.history(answer_id)).count("join") == 1
    assert [e.user_keys for e in o.effects if e.kind == "notify"] == [["resp"]]


async def edited(o: Office, answer_id: str, replies: list[str]) -> None:
    answer = await o.record(f"answer:{answer_id}")
    assert (answer["answers"]["12"], answer["confirmation"]["status"]) == (1, "draft")
    kinds = await o.history(answer_id)
    assert (kinds.count("answer"), kinds.count("withdraw")) == (1, 1)
    assert any(msg.WITHDRAWN_BY_EDIT in r for r in replies)


Setup = Callable[[Office], Awaitable[tuple[str, Any]]]
Check = Callable[[Office, str, list[str]], Awaitable[None]]

# (turn, setup, the records its one save writes: "user" is the actor's, "answer" the
# answer under review / joined / edited, completed-turn check)
TURNS: list[tuple[str, Setup, tuple[str, ...], Check]] = [
    ("approve(承認)", setup_approve, ("user", "answer"), approved),
    ("return(差し戻し)", setup_return, ("user", "answer"), returned),
    ("join(参加)", setup_join, ("user", "answer"), joined),
    ("edit(修正)", setup_edit, ("user", "answer"), edited),
]
CASES = [
    pytest.param(setup, record, touches, check, id=f"{name.split('(')[0]}-{record}-conflict-{'once' if touches == 1 else 'always'}")
    for name, setup, records, check in TURNS
    for record in records
    for touches in (1, 10**6)
]


async def prepare(o: Office, setup: Setup) -> tuple[str, Any, str, dict[str, str]]:
    actor, sent = await setup(o)
    answer_id = await o.answer_id("resp")
    o.effects.clear()
    o.saves.clear()
    keys = {"user": f"user:{actor}", "answer": f"answer:{answer_id}"}
    return actor, sent, answer_id, keys


@pytest.mark.parametrize(("setup", "check"), [(t[1], t[3]) for t in TURNS], ids=[t[0].split("(")[0] for t in TURNS])
async def test_the_turn_is_one_save(office: Office, setup: Setup, check: Check) -> None:
    actor, sent, answer_id, keys = await prepare(office, setup)
    replies = await office.say(actor, sent)
    assert office.saves == [[keys["user"], keys["answer"]]]
    await check(office, answer_id, replies)


@pytest.mark.parametrize(("setup", "record", "touches", "check"), CASES)
async def test_a_conflict_leaves_the_turn_complete_or_absent(
    office: Office, setup: Setup, record: str, touches: int, check: Check
) -> None:
    actor, sent, answer_id, keys = await prepare(office, setup)
    before = await office.state(*keys.values())
    history_before = await office.history(answer_id)
    office.touch, office.touches = keys[record], touches

    replies = await office.say(actor, sent)

    if touches == 1:  # redone once on fresh state: complete
        assert len(office.saves) == 2
        await check(office, answer_id, replies)
    else:  # every attempt lost: absent, and said so
        assert len(office.saves) == SAVE_ATTEMPTS
        # A lost race on the user's own record can only be their own messages crossing.
        assert replies == [conv_msg.BUSY_OWN if record == "user" else conv_msg.BUSY]
        assert await office.state(*keys.values()) == before
        assert await office.history(answer_id) == history_before
        assert office.effects == []


async def test_a_redone_turn_counts_a_wrong_code_once(office: Office) -> None:
    await office.say("mate", "ヘルプ")
    office.saves.clear()
    office.touch, office.touches = "user:mate", 2
    replies = await office.say("mate", "参加 ABCD-EFGH", chat="a:mate-on-the-phone")  # a new chat: a save
    assert len(office.saves) == 3  # done three times
    assert replies == [msg.CODE_INVALID]
    assert await office.client.get(f"{NS}:guess:mate") == b"1"  # one guess


# --- 確認依頼 and 共有 hand out a code: stored in the turn's one save, or not at all ---------------

TAKEN = "TAKN-CODE"
# (command, the code's purpose, the history entry the turn adds)
CODE_TURNS = [("確認依頼", "confirm", "request"), ("共有", "share", "share")]


@pytest.mark.parametrize(("command", "purpose", "entry"), CODE_TURNS, ids=["request", "share"])
async def test_a_code_is_stored_in_the_turns_one_save(office: Office, command: str, purpose: str, entry: str) -> None:
    answer_id = await office.answer_id("resp")
    office.saves.clear()
    code = await code_of(office, "resp", command)
    [keys] = office.saves
    assert f"code:{code}" in keys
    stored = await office.record(f"code:{code}")
    assert (stored["purpose"], stored["answer_id"], stored["by"]) == (purpose, answer_id, "resp")
    assert 0 < await office.client.ttl(f"{NS}:code:{code}") <= CODE_TTL_SECONDS
    assert (await office.history(answer_id))[-1] == entry


@pytest.mark.parametrize(("command", "purpose", "entry"), CODE_TURNS, ids=["request", "share"])
async def test_a_code_already_taken_is_drawn_again(
    office: Office, monkeypatch: pytest.MonkeyPatch, command: str, purpose: str, entry: str
) -> None:
    await office.client.set(f"{NS}:code:{TAKEN}", json.dumps({"purpose": purpose, "answer_id": "someone-else"}))
    drawn = iter([TAKEN, "FRSH-CODE"])
    monkeypatch.setattr(teamwork, "new_code", lambda: next(drawn))
    office.saves.clear()
    assert await code_of(office, "resp", command) == "FRSH-CODE"
    assert len(office.saves) == 2  # redone once, on the taken key's conflict
    assert (await office.record(f"code:{TAKEN}"))["answer_id"] == "someone-else"  # untouched
    assert (await office.history(await office.answer_id("resp"))).count(entry) == 1


@pytest.mark.parametrize(("command", "purpose", "entry"), CODE_TURNS, ids=["request", "share"])
async def test_a_turn_that_gives_up_leaves_no_code(
    office: Office, monkeypatch: pytest.MonkeyPatch, command: str, purpose: str, entry: str
) -> None:
    await office.client.set(f"{NS}:code:{TAKEN}", json.dumps({"purpose": purpose, "answer_id": "someone-else"}))
    monkeypatch.setattr(teamwork, "new_code", lambda: TAKEN)
    answer_id = await office.answer_id("resp")
    before = await office.state(f"answer:{answer_id}", "user:resp")
    history_before = await office.history(answer_id)
    office.saves.clear()

    assert await office.say("resp", command) == [conv_msg.BUSY]

    assert len(office.saves) == SAVE_ATTEMPTS
    assert await office.state(f"answer:{answer_id}", "user:resp") == before
    assert await office.history(answer_id) == history_before
    assert [key async for key in office.client.scan_iter(match=f"{NS}:code:*")] == [f"{NS}:code:{TAKEN}".encode()]
    assert office.effects == []
