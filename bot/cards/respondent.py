"""Cards that ask 回答者情報: one field under the sheet's field name, or all at once."""
from __future__ import annotations

from typing import Any

from bot.messages import cards as msg
from bot.survey import model

from .common import (
    ACTION_FORM,
    INPUT_ID,
    action_set,
    adaptive_card,
    command_row,
    field_data,
    heading_block,
    submit,
    subtle_block,
    text_block,
    union_data,
)

ORG_TYPE_KEY = "org_type"


def field_card(
    key: str, label: str, hint: str, current: str | None, position: tuple[int, int]
) -> dict[str, Any]:
    """A free-text field (組織名, 電話番号, …); `label` is the sheet's name for it."""
    text_input: dict[str, Any] = {
        "type": "Input.Text",
        "id": INPUT_ID,
        "label": label,
        "isMultiline": False,
    }
    if current:
        text_input["value"] = current
    body = _head(label, hint, current, position) + [
        text_input,
        action_set([submit(msg.SUBMIT_FIELD, field_data(key))]),
    ]
    body += command_row(msg.FIELD_COMMANDS)
    return adaptive_card(body, fallback_text=f"{label} {hint}")


def org_type_card(
    hint: str, current: str | None, position: tuple[int, int], org_types: tuple[str, ...]
) -> dict[str, Any]:
    """組織区分: one full-width button per organisation type of the survey, its value the label."""
    label = model.RESPONDENT_LABELS[ORG_TYPE_KEY]
    body = _head(label, hint, current, position)
    body += [action_set([submit(org, field_data(ORG_TYPE_KEY, org))]) for org in org_types]
    body += command_row(msg.FIELD_COMMANDS)
    return adaptive_card(body, fallback_text=f"{label} {hint}")


def respondent_form_card(values: dict[str, str], org_types: tuple[str, ...]) -> dict[str, Any]:
    """All eight fields in one card, for those at a desk; `values` pre-fills what is stored.
    Each input is named by its field key, and the fields are checked as if typed one by one.
    `org_types`: the survey's 組織区分 labels."""
    org_label = model.RESPONDENT_LABELS[ORG_TYPE_KEY]
    org_input: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": ORG_TYPE_KEY,
        "label": org_label,
        "style": "compact",
        "choices": [{"title": org, "value": org} for org in org_types],
    }
    if values.get(ORG_TYPE_KEY):
        org_input["value"] = values[ORG_TYPE_KEY]
    body: list[dict[str, Any]] = [heading_block(msg.FORM_TITLE), text_block(msg.FORM_HOW), org_input]
    for key, label in model.RESPONDENT_FIELDS:
        if key == ORG_TYPE_KEY:
            continue
        text_input: dict[str, Any] = {
            "type": "Input.Text", "id": key, "label": label, "placeholder": msg.FORM_PLACEHOLDERS.get(key, ""),
        }
        if values.get(key):
            text_input["value"] = values[key]
        body.append(text_input)
    body.append(action_set([submit(msg.SUBMIT_FORM, {"action": ACTION_FORM})]))
    return adaptive_card(body, fallback_text=msg.FORM_TITLE)


def _head(label: str, hint: str, current: str | None, position: tuple[int, int]) -> list[dict[str, Any]]:
    blocks = [heading_block(label)]
    if hint:
        blocks.append(text_block(hint))
    blocks.append(subtle_block(msg.POSITION.format(position=position[0], total=position[1])))
    if current:
        blocks.append(text_block(msg.CURRENT_VALUE.format(value=current), weight="Bolder"))
    return blocks


def union_card(
    label: str, lines: list[str], known: list[str], current: str | None, typed_hint: str,
    input_label: str, placeholder: str, submit_title: str,
) -> dict[str, Any]:
    """A 構成市町村's 広域連合等: one full-width button per known one, numbered as typed
    answers read them, and a text input for one the bot does not know yet."""
    body: list[dict[str, Any]] = [heading_block(label)] + [text_block(line) for line in lines]
    if current:
        body.append(text_block(msg.CURRENT_VALUE.format(value=current), weight="Bolder"))
    body += [
        action_set([submit(f"{n}. {name}", union_data(name), with_inputs=False)])
        for n, name in enumerate(known, start=1)
    ]
    text_input: dict[str, Any] = {
        "type": "Input.Text", "id": INPUT_ID, "label": input_label, "placeholder": placeholder, "isMultiline": False,
    }
    body += [subtle_block(typed_hint), text_input, action_set([submit(submit_title, union_data())])]
    body += command_row(msg.FIELD_COMMANDS)
    return adaptive_card(body, fallback_text=label)
