"""Every card builder's output against the Adaptive Card 1.5 schema (draft-06), and the
Teams file cards against botbuilder's models."""
from __future__ import annotations

import copy
import functools
import json
from typing import Any

import jsonschema
import pytest
from botbuilder.schema import Attachment
from botbuilder.schema.teams import FileConsentCard, FileInfoCard

from bot import cards
from bot.cards.common import ADAPTIVE_CARD_CONTENT_TYPE

from tests.shared_refs import shared_file

from . import adaptive_attachments

CARD_SCHEMA = "schemas/adaptive-card-1.5.schema.json"

# The published schema knows nothing of Teams' host extension `msteams` and forbids
# unknown card properties; it is allowed here with the one value the cards use, so the
# rest of the card is still checked strictly.
MSTEAMS = {
    "type": "object",
    "properties": {"width": {"enum": ["Full"]}},
    "additionalProperties": False,
}


@functools.lru_cache(maxsize=1)
def validator() -> jsonschema.Draft6Validator:
    schema = json.loads(shared_file(CARD_SCHEMA).read_text(encoding="utf-8"))
    schema["definitions"]["AdaptiveCard"]["properties"]["msteams"] = MSTEAMS
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema)


ATTACHMENTS = list(adaptive_attachments())


@pytest.mark.parametrize("attachment", [a for _, a in ATTACHMENTS], ids=[i for i, _ in ATTACHMENTS])
def test_card_is_valid_adaptive_card_1_5(attachment: dict[str, Any]) -> None:
    assert attachment["contentType"] == ADAPTIVE_CARD_CONTENT_TYPE
    card = attachment["content"]
    errors = sorted(validator().iter_errors(card), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors]
    assert card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert card["msteams"] == {"width": "Full"}


def _valid_card() -> dict[str, Any]:
    return cards.confirm_card("よいですか。", "t")["content"]


def _break(path: list[Any], value: Any) -> dict[str, Any]:
    card = copy.deepcopy(_valid_card())
    target = card
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return card


def _drop(path: list[Any]) -> dict[str, Any]:
    card = copy.deepcopy(_valid_card())
    target = card
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return card


# A validator that accepted everything would pass the test above: these must be rejected.
@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(_drop(["body", 0, "text"]), id="textblock-without-text"),
        pytest.param(_break(["body", 0, "wrap"], "yes"), id="wrap-not-boolean"),
        pytest.param(_break(["body", 0, "type"], "Text"), id="unknown-element-type"),
        pytest.param(_break(["body", 0, "colour"], "Attention"), id="unknown-property"),
        pytest.param(_break(["body", 1, "actions", 0, "type"], "Action.Post"), id="unknown-action"),
        pytest.param(_break(["body", 1, "actions"], "はい"), id="actions-not-a-list"),
        pytest.param(_break(["body", 0, "size"], "Huge"), id="bad-enum"),
        pytest.param(_break(["msteams"], {"width": "Wide"}), id="msteams-width"),
        pytest.param(_break(["type"], "HeroCard"), id="not-an-adaptive-card"),
    ],
)
def test_schema_rejects_broken_card(broken: dict[str, Any]) -> None:
    assert list(validator().iter_errors(broken))


def test_unbroken_sample_is_valid() -> None:
    # The broken rows start from this card: their failure must come from the break.
    assert not list(validator().iter_errors(_valid_card()))


def test_file_consent_card_matches_botbuilder_model() -> None:
    context = {"file": "2307.xlsx", "token": "abc"}
    attachment = cards.file_consent_card("2307.xlsx", 12345, context)
    parsed = Attachment().deserialize(attachment)
    assert parsed.content_type == "application/vnd.microsoft.teams.card.file.consent"
    assert parsed.name == "2307.xlsx"
    consent = FileConsentCard().deserialize(attachment["content"])
    assert consent.size_in_bytes == 12345
    assert consent.accept_context == context and consent.decline_context == context
    assert consent.description
    # Nothing in the content that the model does not know (it would be dropped or rejected).
    assert consent.serialize() == attachment["content"]


def test_file_info_card_matches_botbuilder_model() -> None:
    attachment = cards.file_info_card("2307.xlsx", "UID-1", "xlsx", "https://contoso.sharepoint.com/f/2307.xlsx")
    parsed = Attachment().deserialize(attachment)
    assert parsed.content_type == "application/vnd.microsoft.teams.card.file.info"
    assert parsed.name == "2307.xlsx"
    assert parsed.content_url == "https://contoso.sharepoint.com/f/2307.xlsx"
    info = FileInfoCard().deserialize(attachment["content"])
    assert (info.unique_id, info.file_type) == ("UID-1", "xlsx")
    assert info.serialize() == attachment["content"]
    assert Attachment().deserialize(attachment).serialize() == attachment
