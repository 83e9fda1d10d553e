"""Cards that ask one 回答者情報 field, under the sheet's field name."""
from __future__ import annotations

from typing import Any

from bot.messages import cards as msg
from bot.survey import model

from .common import (
    INPUT_ID,
    action_set,
    adaptive_card,
    command_row,
    field_data,
    heading_block,
    submit,
    subtle_block,
    text_block,
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


def org_type_card(hint: str, current: str | None, position: tuple[int, int]) -> dict[str, Any]:
    """組織区分: one full-width button per model.ORG_TYPES entry, its value the label itself."""
    label = model.RESPONDENT_LABELS[ORG_TYPE_KEY]
    body = _head(label, hint, current, position)
    body += [action_set([submit(org, field_data(ORG_TYPE_KEY, org))]) for org in model.ORG_TYPES]
    body += command_row(msg.FIELD_COMMANDS)
    return adaptive_card(body, fallback_text=f"{label} {hint}")


def _head(label: str, hint: str, current: str | None, position: tuple[int, int]) -> list[dict[str, Any]]:
    blocks = [heading_block(label)]
    if hint:
        blocks.append(text_block(hint))
    blocks.append(subtle_block(msg.POSITION.format(position=position[0], total=position[1])))
    if current:
        blocks.append(text_block(msg.CURRENT_VALUE.format(value=current), weight="Bolder"))
    return blocks
