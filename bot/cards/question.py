"""The card of one survey item: wording, notes, reminders and the answer controls."""
from __future__ import annotations

from typing import Any

from bot.messages import cards as msg
from bot.survey import model

from .common import (
    INPUT_ID,
    NONE_VALUE,
    action_set,
    adaptive_card,
    answer_data,
    keep_data,
    command_row,
    container,
    heading_block,
    short_title,
    submit,
    subtle_block,
    text_block,
)


def question_card(
    item: model.Item,
    prompt: str,
    position: tuple[int, int],
    reminders: list[str],
    current: str | None = None,
    *,
    options: tuple[model.Option, ...] | None = None,
    review_note: str | None = None,
) -> dict[str, Any]:
    """`prompt` is the engine's text (with the 広域連合 読み替え applied), not item.prompt;
    likewise `options` (survey.options_for), defaulting to item.options. `review_note`
    (要確認) asks to confirm the current answer: one button keeps it."""
    shown = item.options if options is None else options
    body: list[dict[str, Any]] = [
        heading_block(item.heading),
        text_block(prompt),
    ]
    body += [text_block(note, size="Small") for note in item.notes]
    # Full wording for every kind: buttons and choices carry shortened titles only.
    body += [text_block(option.label) for option in shown]
    if reminders:
        body.append(container([text_block(r, color="Attention") for r in reminders]))
    status = msg.POSITION.format(position=position[0], total=position[1])
    body.append(subtle_block(status))
    if review_note:
        body.append(container([text_block(review_note, color="Attention", weight="Bolder")], style="warning"))
    if current is not None:
        body.append(text_block(msg.CURRENT_ANSWER.format(value=current), weight="Bolder"))
    if review_note and current is not None:
        body.append(action_set([submit(msg.KEEP_BUTTON, keep_data(item.id), with_inputs=False)]))
    body += _answer_controls(item, shown, current)
    body += command_row(msg.QUESTION_COMMANDS)
    return adaptive_card(body, fallback_text=f"{item.heading} {prompt}")


def _answer_controls(
    item: model.Item, options: tuple[model.Option, ...], current: str | None
) -> list[dict[str, Any]]:
    if item.kind == model.KIND_SINGLE:
        # One ActionSet per option stacks the buttons full width, which reads better on a phone.
        return [subtle_block(msg.HOW_SINGLE)] + [
            action_set([submit(short_title(o.label), answer_data(item.id, str(o.number)))])
            for o in options
        ]
    if item.kind == model.KIND_MULTI:
        buttons = [submit(msg.SUBMIT_ANSWER, answer_data(item.id), with_inputs=True)]
        if item.allow_none:
            buttons.append(submit(msg.NONE_BUTTON, answer_data(item.id, NONE_VALUE), with_inputs=False))
        choice_set = {
            "type": "Input.ChoiceSet",
            "id": INPUT_ID,
            "label": msg.LABEL_MULTI,
            "isMultiSelect": True,
            "style": "expanded",
            "wrap": True,
            "choices": [{"title": short_title(o.label), "value": str(o.number)} for o in options],
        }
        return [subtle_block(msg.HOW_MULTI), choice_set, action_set(buttons)]
    if item.kind not in (model.KIND_TEXT, model.KIND_YEARMONTH):
        raise ValueError(f"{item.id}: no card controls for kind {item.kind!r}")
    is_yearmonth = item.kind == model.KIND_YEARMONTH
    text_input: dict[str, Any] = {
        "type": "Input.Text",
        "id": INPUT_ID,
        "label": msg.LABEL_YEARMONTH if is_yearmonth else msg.LABEL_TEXT,
        "placeholder": msg.PLACEHOLDER_YEARMONTH if is_yearmonth else msg.PLACEHOLDER_TEXT,
        "isMultiline": not is_yearmonth,
    }
    if current:
        # Editing a stored text starts from it instead of retyping it.
        text_input["value"] = current
    return [
        subtle_block(msg.HOW_TEXT),
        text_input,
        action_set([submit(msg.SUBMIT_ANSWER, answer_data(item.id))]),
    ]
