"""Building blocks shared by the card builders, and the submit data contract.

The conversation reads `activity.value` of a card click; the helpers `*_data`
below are the only place that shape is written, so the dialogs can import the
same constants to read it back.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from bot.messages.conversation import command_word

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
# Teams renders up to 1.5; Action.Execute is avoided, so no fallback is needed.
CARD_VERSION = "1.5"

ACTION_ANSWER = "answer"
ACTION_FIELD = "field"
ACTION_COMMAND = "command"
ACTION_CONFIRM = "confirm"
ACTION_KEEP = "keep"  # 要確認: keep the stored answer of the item
ACTION_UNION = "union"  # a 構成市町村's 広域連合等: a known one (value) or the typed input
ACTION_FORM = "respondent_form"  # every 回答者情報 field at once; inputs named by field key
INPUT_ID = "value"  # every input of every card: Teams merges it into the action's data
NONE_VALUE = "なし"  # item 6: "neither applies", as the engine reads it typed
CONFIRM_YES = "yes"
CONFIRM_NO = "no"

# A button as passed in by the conversation: (title, command id) or (title, command id, arg);
# it sends the command's word (messages/conversation.COMMAND_WORDS), as if typed.
ActionSpec = Sequence[str]


def answer_data(item_id: str, value: str | None = None) -> dict[str, str]:
    data = {"action": ACTION_ANSWER, "item": item_id}
    if value is not None:
        data["value"] = value
    return data


def keep_data(item_id: str) -> dict[str, str]:
    return {"action": ACTION_KEEP, "item": item_id}


def union_data(value: str | None = None) -> dict[str, str]:
    data = {"action": ACTION_UNION}
    if value is not None:
        data["value"] = value
    return data


def field_data(key: str, value: str | None = None) -> dict[str, str]:
    data = {"action": ACTION_FIELD, "field": key}
    if value is not None:
        data["value"] = value
    return data


def command_data(command: str, arg: str | None = None) -> dict[str, str]:
    data = {"action": ACTION_COMMAND, "command": command}
    if arg is not None:
        data["arg"] = arg
    return data


def confirm_data(topic: str, yes: bool) -> dict[str, str]:
    return {"action": ACTION_CONFIRM, "topic": topic, "answer": CONFIRM_YES if yes else CONFIRM_NO}


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "content": card}


def adaptive_card(body: list[dict[str, Any]], fallback_text: str = "") -> dict[str, Any]:
    """The card wrapped as an attachment; full width so long Japanese lines stay readable."""
    card: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if fallback_text:
        card["fallbackText"] = fallback_text
    return attachment(card)


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def heading_block(text: str) -> dict[str, Any]:
    return text_block(text, weight="Bolder", size="Medium")


def subtle_block(text: str) -> dict[str, Any]:
    return text_block(text, isSubtle=True, size="Small")


def container(items: list[dict[str, Any]], style: str = "emphasis") -> dict[str, Any]:
    return {"type": "Container", "style": style, "items": items}


def submit(title: str, data: dict[str, str], *, with_inputs: bool = True) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": data}
    if not with_inputs:
        # Otherwise Teams merges the card's inputs into data, and an input named
        # "value" would overwrite a button's own value (e.g. 該当なし).
        action["associatedInputs"] = "none"
    return action


def action_set(actions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "ActionSet", "actions": actions, **extra}


def toggle_section(section_id: str, title: str, items: list[dict[str, Any]], open_: bool) -> list[dict[str, Any]]:
    """A button titled `title` that shows and hides `items` (Action.ToggleVisibility): long
    content in sections a phone user opens one at a time."""
    toggle = {"type": "Action.ToggleVisibility", "title": title, "targetElements": [section_id]}
    return [
        action_set([toggle], separator=True, spacing="Small"),
        {"type": "Container", "id": section_id, "isVisible": open_, "items": items},
    ]


def command_button(spec: ActionSpec) -> dict[str, Any]:
    title, command, *rest = spec
    return submit(title, command_data(command_word(command), rest[0] if rest else None), with_inputs=False)


def command_row(specs: Iterable[ActionSpec]) -> list[dict[str, Any]]:
    """A separated ActionSet of command buttons, or nothing when there are none."""
    actions = [command_button(spec) for spec in specs]
    if not actions:
        return []
    return [action_set(actions, separator=True, spacing="Medium")]


def fact_set(rows: Iterable[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in rows]}


_OPENING = "（("
_CLOSING = "）)"


def short_title(label: str, limit: int = 26) -> str:
    """A button title from an option label: parenthesised asides and the final 。 removed,
    then cut to the limit. The full wording stays on the card, so this only has to be
    recognisable; the seed mixes full- and half-width brackets, so both count. Asides
    go even from short labels so that the buttons of one item read alike."""
    kept: list[str] = []
    depth = 0
    for ch in label:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING and depth:
            depth -= 1
        elif not depth:
            kept.append(ch)
    short = "".join(kept).strip().rstrip("。").strip()
    if len(short) < 2:  # the label was all aside; cutting it is better than nothing
        short = label
    if len(short) > limit:
        short = short[: limit - 1] + "…"
    return short
