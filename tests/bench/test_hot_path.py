"""The hot path's shortcuts give exactly what the SDK's msrest path gives."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, Attachment, ChannelAccount, ConversationAccount, Mention
from botbuilder.schema.teams import TeamsChannelData, TenantInfo
from msrest import Serializer

from bot.adapter import activity_from_json, activity_to_json, model_as_json
from bot.dialogs.survey_bot import to_activity

BASE = {
    "type": "message", "id": "17000000000001", "timestamp": "2023-07-10T05:06:07.123Z",
    "localTimestamp": "2023-07-10T14:06:07.123+09:00", "localTimezone": "Asia/Tokyo", "serviceUrl": "http://127.0.0.1:1/",
    "channelId": "msteams", "from": {"id": "29:1", "name": "山田 太郎", "aadObjectId": "aad-1"},
    "conversation": {"conversationType": "personal", "tenantId": "t", "id": "a:1"},
    "recipient": {"id": "28:bot", "name": "ボット"}, "locale": "ja-JP",
    "entities": [{"locale": "ja-JP", "country": "JP", "platform": "Web", "timezone": "Asia/Tokyo", "type": "clientInfo"}],
    "channelData": {"tenant": {"id": "t"}},
}
CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Q7-2"}],
        "actions": [{"type": "Action.Submit", "title": "①", "data": {"item": "7-2", "answer": "1"}}]}


def _schema_serializer() -> Serializer:
    import botbuilder.schema as schema

    return Serializer({k: v for k, v in vars(schema).items() if isinstance(v, type)})


def _state(activity: Activity) -> dict[str, Any]:
    return {k: (v.serialize() if hasattr(v, "serialize") else v) for k, v in vars(activity).items()} | {
        "entities": [vars(e) for e in activity.entities or []]
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"text": "Q7-2 ２", "textFormat": "plain"},
        {"value": {"item": "7-2", "answer": "2"}, "replyToId": "1699"},  # a card submit
        {"type": "invoke", "name": "fileConsent/invoke", "value": {"type": "fileUpload", "action": "accept"}},
        {"type": "conversationUpdate", "membersAdded": [{"id": "28:bot"}]},
        {"text": "<at>ボット</at> 開始", "entities": [{"type": "mention", "text": "<at>ボット</at>", "mentioned": {"id": "28:bot", "name": "ボット"}}]},
        {"attachments": [{"contentType": "application/vnd.microsoft.teams.file.download.info", "contentUrl": "http://d/a.xlsx",
                          "name": "a.xlsx", "content": {"downloadUrl": "http://d/a.xlsx", "fileType": "xlsx"}}]},
        {"deliveryMode": "expectReplies", "someTeamsField": {"x": 1}},  # unknown keys kept as msrest keeps them
        {"ServiceURL": "http://elsewhere/"},  # another case: left to msrest
    ],
)
def test_incoming_activity_reads_as_msrest_reads_it(extra: dict[str, Any]) -> None:
    body = {**BASE, **extra}
    fast, slow = activity_from_json(json.loads(json.dumps(body))), Activity().deserialize(json.loads(json.dumps(body)))
    assert _state(fast) == _state(slow)


def test_an_activity_msrest_refuses_is_refused_as_before() -> None:
    from msrest.exceptions import DeserializationError

    with pytest.raises(DeserializationError):
        activity_from_json({**BASE, "timestamp": 12})


def _reply(**fields: Any) -> Activity:
    activity = to_activity("本文", [{"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}])
    incoming = Activity().deserialize(BASE)
    TurnContext.apply_conversation_reference(activity, TurnContext.get_conversation_reference(incoming))
    for name, value in fields.items():
        setattr(activity, name, value)
    return activity


@pytest.mark.parametrize(
    "activity",
    [
        MessageFactory.text("テキストだけ"),
        _reply(),
        _reply(timestamp=datetime(2023, 7, 1, 1, 2, 3, 456000, tzinfo=timezone.utc)),
        _reply(entities=[Mention(mentioned=ChannelAccount(id="29:1", name="山田"), text="<at>山田</at>", type="mention")]),
        _reply(channel_data=TeamsChannelData(tenant=TenantInfo(id="t"))),
        _reply(attachments=[Attachment(content_type="text/plain", content="x"), Attachment(content_type="image/png", content_url="http://i")],
               conversation=ConversationAccount(id="19:x@thread.v2", is_group=True)),
    ],
)
def test_outgoing_activity_json_is_what_msrest_sends(activity: Activity) -> None:
    assert json.loads(activity_to_json(activity)) == _schema_serializer().body(activity, "Activity")


def test_conversation_reference_json_is_its_serialize() -> None:
    reference = TurnContext.get_conversation_reference(Activity().deserialize(BASE))
    assert model_as_json(reference) == reference.serialize()


def test_card_content_is_shared_not_copied_by_the_sdk() -> None:
    import copy

    activity = to_activity("", [{"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}])
    copied = copy.deepcopy(activity)
    assert (copied.attachments[0] is not activity.attachments[0], copied.attachments[0].content is CARD) == (True, True)


@pytest.mark.parametrize("extra", [{"text": "1"}, {"value": {"action": "answer", "item": "3", "value": "2"}}])
def test_what_teams_sends_takes_the_fast_path(extra: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Teams' own shape (tenantId where the schema says tenantID, clientInfo entities) must
    not fall back to msrest's deserializer, the slow part of reading a turn."""
    def refuse(self: Activity, data: Any) -> Activity:
        raise AssertionError("fell back to msrest")

    monkeypatch.setattr(Activity, "deserialize", refuse)
    activity = activity_from_json({**BASE, **extra})
    assert activity.conversation.id == "a:1" and activity.entities[0].type == "clientInfo"
