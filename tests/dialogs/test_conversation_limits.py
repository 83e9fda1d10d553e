"""Issue 8: every free-text input has a length limit that fits its purpose; over it the
conversation refuses with a short message naming the limit, and nothing is stored or lost."""
from __future__ import annotations

import pytest

from bot.cards.common import answer_data
from bot.dialogs.limits import MESSAGE_MAX_LENGTH
from bot.messages import address as address_msg
from bot.messages import limits as msg
from bot.messages import respondent as respondent_msg
from bot.messages import survey as survey_msg
from bot.survey.address import MAX_ADDRESS_LENGTH
from bot.survey.model import RESPONDENT_FIELDS, RESPONDENT_LABELS
from tests.survey_2307 import ORG_MUNICIPALITY
from bot.survey.respondent import FIELD_MAX_LENGTH
from tests.dialogs.test_conversation_bad_answers import steps_until
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, respondent_steps


def at(heading: str) -> Transcript:
    t = Transcript()
    t.play(steps_until(MUNICIPALITY_LONGEST.steps(), heading))
    return t


def at_field(heading: str) -> Transcript:
    t = Transcript()
    t.play(steps_until(respondent_steps(ORG_MUNICIPALITY), heading))
    return t


def too_long(limit: int) -> str:
    return "あ" * (limit + 1)


# (where the user is, what they send, the refusal that names the limit)
ITEM_LIMITS = [
    ("Q2 予定年月", "9" * 21, survey_msg.TEXT_TOO_LONG.format(limit=20, length=21)),
    ("Q8-1 概要", too_long(2000), survey_msg.TEXT_TOO_LONG.format(limit=2000, length=2001)),
    ("Q8-1 概要", answer_data("8-1_概要", too_long(2000)), survey_msg.TEXT_TOO_LONG.format(limit=2000, length=2001)),
    ("Q10 概要", too_long(2000), survey_msg.TEXT_TOO_LONG.format(limit=2000, length=2001)),
    ("Q7-1", "住所比較 " + "あ" * 201 + " / 霞が関5-4-3",
     address_msg.TOO_LONG.format(limit=MAX_ADDRESS_LENGTH, length=MAX_ADDRESS_LENGTH + 1)),
    # issue 8's stall: 「番地」×1000 / 「番」×1000 (within the message limit: the address limit answers)
    ("Q7-1", "住所比較 " + "番地" * 1000 + " / " + "番" * 1000,
     address_msg.TOO_LONG.format(limit=MAX_ADDRESS_LENGTH, length=2000)),
    # the whole message as a backstop: any text, any command, any card value
    ("Q7-1", "あ" * (MESSAGE_MAX_LENGTH + 1),
     msg.MESSAGE_TOO_LONG.format(limit=MESSAGE_MAX_LENGTH, length=MESSAGE_MAX_LENGTH + 1)),
    ("Q7-1", "説明 " + "あ" * MESSAGE_MAX_LENGTH,
     msg.MESSAGE_TOO_LONG.format(limit=MESSAGE_MAX_LENGTH, length=MESSAGE_MAX_LENGTH + 3)),
    ("Q7-1", "住所比較 " + "番地" * 50_000 + " / " + "番" * 50_000,
     msg.MESSAGE_TOO_LONG.format(limit=MESSAGE_MAX_LENGTH, length=150_008)),
    ("Q8-1 概要", answer_data("8-1_概要", "あ" * (MESSAGE_MAX_LENGTH + 1)), None),
]


@pytest.mark.parametrize(("heading", "sent", "refusal"), ITEM_LIMITS)
def test_over_the_limit_is_refused_naming_it_and_changes_nothing(heading, sent, refusal):
    t = at(heading)
    before, user_before = t.snapshot(), dict(t.user)
    replies = t.send(sent)
    if refusal is None:  # a card value over the whole-message limit
        assert replies.texts[0].startswith("メッセージが長すぎるため")
    else:
        assert refusal in replies.all_text
    assert t.snapshot() == before
    assert t.user.get("cursor") == user_before.get("cursor")


@pytest.mark.parametrize(
    ("heading", "sent"),
    [
        ("Q2 予定年月", "令和5年9月"),
        ("Q8-1 概要", "確認" * 1000),  # exactly 2,000 characters
        ("Q10 概要", "事例" * 1000),
    ],
)
def test_at_the_limit_is_stored(heading, sent):
    t = at(heading)
    t.say(sent)
    item = t.conversation.survey.resolve_item_id(heading)
    assert t.answers[item] in (sent, "2023年9月")


@pytest.mark.parametrize("key", [key for key, _ in RESPONDENT_FIELDS])
def test_each_respondent_field_is_limited(key):
    label = RESPONDENT_LABELS[key]
    t = at_field(label)
    before = t.snapshot()
    limit = FIELD_MAX_LENGTH[key]
    replies = t.say(too_long(limit))
    expected = respondent_msg.TEXT_TOO_LONG.format(label=label, limit=limit, length=limit + 1)
    assert expected in replies.all_text
    assert replies.last_heading == label
    assert t.snapshot() == before


def test_a_refused_message_leaves_a_pending_confirmation_as_it_was():
    t = at("Q6")
    t.say("なし")  # asks to confirm that neither applies
    pending = dict(t.user["pending"])
    t.say("あ" * (MESSAGE_MAX_LENGTH + 1))
    assert t.user["pending"] == pending
