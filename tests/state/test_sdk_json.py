"""botbuilder state objects through RedisStorage as tagged JSON: what round-trips (one
row per kind the SDK stores), the stored shape, and what is refused."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.dialogs import DialogInstance, DialogState
from botbuilder.dialogs.choices import Choice, ListStyle
from botbuilder.dialogs.prompts import PromptOptions
from botbuilder.schema import Activity, CardAction, ChannelAccount, ConversationAccount, HeroCard
from botbuilder.schema.teams import TeamsChannelData, TenantInfo

from bot.state.redis_storage import RedisStorage
from bot.state.sdk_json import to_tagged

NS = "sdk"
JST = timezone(timedelta(hours=9))


def incoming() -> Activity:
    return Activity(
        type="message",
        id="a1",
        text="はい",
        channel_id="msteams",
        service_url="https://smba.example/jp/",
        from_property=ChannelAccount(id="29:u", name="千代田 花子", aad_object_id="aad-1"),
        recipient=ChannelAccount(id="28:bot"),
        conversation=ConversationAccount(id="a:conv", tenant_id="t1"),
        timestamp=datetime(2025, 7, 1, 9, 30, tzinfo=timezone.utc),
    )


def hero_prompt() -> Activity:
    card = HeroCard(title="回答しますか", buttons=[CardAction(type="imBack", title="はい", value="はい")])
    return MessageFactory.attachment(CardFactory.hero_card(card))


# One row per kind of value botbuilder keeps in state, as it keeps it.
ROUND_TRIPS: list[tuple[str, dict[str, Any]]] = [
    (
        "waterfall_then_text_prompt",
        {
            "dialogState": DialogState(
                [
                    DialogInstance("WaterfallDialog", {"options": None, "values": {"組織名": "千代田区"}, "instanceId": "i1", "stepIndex": 1}),
                    DialogInstance(
                        "TextPrompt",
                        {
                            "options": PromptOptions(
                                prompt=MessageFactory.text("組織名を入力してください。", input_hint="expectingInput"),
                                retry_prompt=MessageFactory.text("もう一度入力してください。"),
                                number_of_attempts=2,
                            ),
                            "state": {},
                        },
                    ),
                ]
            )
        },
    ),
    (
        "component_dialog_inner_stack",
        {"dialogState": DialogState([DialogInstance("outer", {"dialogs": DialogState([DialogInstance("inner", {"n": 1})])})])},
    ),
    (
        "choice_prompt_options",
        {
            "options": PromptOptions(
                prompt=hero_prompt(),
                choices=[
                    Choice("はい", action=CardAction(type="imBack", title="はい", value="はい"), synonyms=["y", "1"]),
                    Choice("いいえ"),
                ],
                style=ListStyle.suggested_action,
            )
        },
    ),
    (
        "dialog_manager_and_oauth_datetimes",
        {"last_access": datetime(2025, 7, 1, 18, 0, 5, 123456), "expires": datetime(2025, 7, 1, 18, 15, tzinfo=JST)},
    ),
    ("conversation_reference", {"reference": TurnContext.get_conversation_reference(incoming())}),
    ("incoming_activity", {"activity": incoming()}),
    ("teams_model", {"channel_data": TeamsChannelData(tenant=TenantInfo(id="t1"))}),
    ("objects_in_lists_and_plain_dicts", {"log": [{"at": datetime(2025, 1, 1, tzinfo=JST), "who": ChannelAccount(id="u")}], "n": 3}),
]


@pytest.mark.parametrize("record", [row[1] for row in ROUND_TRIPS], ids=[row[0] for row in ROUND_TRIPS])
async def test_sdk_objects_round_trip(redis_client: Any, record: dict[str, Any]) -> None:
    storage = RedisStorage(redis_client, namespace=NS)
    await storage.write({"k": dict(record)})
    stored = (await storage.read(["k"]))["k"]
    assert stored.pop("e_tag")
    # Tagged again, the value read back is the value written, object for object: a
    # dict left where an object was would be refused (it carries "$type").
    assert to_tagged(stored, "k") == to_tagged(record, "k")


async def test_what_the_sdk_reads_back_works_as_before(redis_client: Any) -> None:
    storage = RedisStorage(redis_client, namespace=NS)
    await storage.write({"k": dict(ROUND_TRIPS[0][1]), "c": dict(ROUND_TRIPS[2][1])})
    stored = await storage.read(["k", "c"])
    waterfall, prompt = stored["k"]["dialogState"].dialog_stack
    assert (waterfall.id, waterfall.state["stepIndex"], prompt.state["options"].number_of_attempts) == ("WaterfallDialog", 1, 2)
    assert prompt.state["options"].prompt.text == "組織名を入力してください。"
    choices = stored["c"]["options"]
    assert choices.style == ListStyle.suggested_action and choices.choices[0].action.value == "はい"


async def test_stored_shape(redis_client: Any) -> None:
    storage = RedisStorage(redis_client, namespace=NS)
    await storage.write(
        {"k": {"dialogState": DialogState([DialogInstance("w", {"stepIndex": 0})]), "at": datetime(2025, 7, 1, 9, 0, tzinfo=JST), "who": ChannelAccount(id="u")}}
    )
    etag = (await storage.read(["k"]))["k"]["e_tag"]
    assert (await redis_client.get(f"{NS}:k")).decode("utf-8") == (
        '{"$typed":true,'
        '"dialogState":{"$type":"botbuilder.dialogs.DialogState","value":{"dialog_stack":['
        '{"$type":"botbuilder.dialogs.DialogInstance","value":{"id":"w","state":{"stepIndex":0}}}]}},'
        '"at":{"$type":"datetime.datetime","value":"2025-07-01T09:00:00+09:00"},'
        '"who":{"$type":"botbuilder.schema.ChannelAccount","value":{"id":"u"}},'
        f'"e_tag":"{etag}"}}'
    )


async def test_dollar_type_from_a_client_stays_data(redis_client: Any) -> None:
    """An activity's REST JSON is opaque, and a record without SDK objects is plain:
    neither turns a crafted "$type" into an object."""
    storage = RedisStorage(redis_client, namespace=NS)
    crafted = {"$type": "botbuilder.dialogs.DialogState", "value": {"dialog_stack": []}}
    activity = incoming()
    activity.value = crafted
    await storage.write({"typed": {"activity": activity}, "plain": {"submitted": crafted}})
    stored = await storage.read(["typed", "plain"])
    assert (stored["typed"]["activity"].value, stored["plain"]["submitted"]) == (crafted, crafted)


# Writes refused whole (TypeError naming where), nothing stored.
REFUSED_WRITES: list[tuple[str, dict[str, Any], str]] = [
    ("reserved_key_beside_sdk_objects", {"s": DialogState(), "meta": {"$type": "x"}}, r"k\.meta: '\$type' is a reserved key"),
    ("reserved_record_marker", {"$typed": True}, r"k: '\$typed' is a reserved key"),
    ("unknown_object_in_dialog_state", {"d": DialogInstance("w", {"when": object()})}, r"k\.d\.state\.when: object is not JSON"),
    ("subclass_of_an_sdk_type", {"d": type("MyState", (DialogState,), {})()}, r"k\.d: MyState is not JSON"),
]


@pytest.mark.parametrize(
    ("record", "message"), [row[1:] for row in REFUSED_WRITES], ids=[row[0] for row in REFUSED_WRITES]
)
async def test_refused_writes(redis_client: Any, record: dict[str, Any], message: str) -> None:
    storage = RedisStorage(redis_client, namespace=NS)
    with pytest.raises(TypeError, match=message):
        await storage.write({"k": record})
    assert await redis_client.get(f"{NS}:k") is None


# Stored records that name what RedisStorage does not revive: refused (ValueError
# naming it) rather than handed back as dicts where objects were.
REFUSED_READS: list[tuple[str, str, str]] = [
    ("unknown_type", '{"$typed":true,"x":{"$type":"os.system","value":"rm"}}', r"record\.x: stored \$type 'os.system'"),
    ("extra_keys", '{"$typed":true,"x":{"$type":"datetime.datetime","value":"2025-01-01","py/object":"x"}}', r"record\.x: stored \$type"),
    (
        "unknown_field",
        '{"$typed":true,"x":{"$type":"botbuilder.dialogs.DialogInstance","value":{"id":"w","state":{},"code":"x"}}}',
        r"record\.x: stored botbuilder\.dialogs\.DialogInstance has fields",
    ),
]


@pytest.mark.parametrize(("raw", "message"), [row[1:] for row in REFUSED_READS], ids=[row[0] for row in REFUSED_READS])
async def test_refused_reads(redis_client: Any, raw: str, message: str) -> None:
    storage = RedisStorage(redis_client, namespace=NS)
    await redis_client.set(f"{NS}:k", raw)
    with pytest.raises(ValueError, match=message):
        await storage.read(["k"])
