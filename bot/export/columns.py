"""The `一覧用` row of one AnswerRecord, and where a header found in a file stands.

The columns themselves are the survey's (its definition's `workbook.columns`, parsed into
survey.layout: bot/survey/layout.py). Files are matched by header names, never by
position, so the layout's aliases are the one place where a template whose headers are
spelled slightly differently is accepted.
"""
from __future__ import annotations

from typing import Any, Protocol

from bot.messages import export as msg
from bot.survey.layout import (
    SRC_CONFIRMATION,
    SRC_CONFIRMED_AT,
    SRC_FIXED,
    SRC_INFO_MISSING,
    SRC_ITEM,
    SRC_OPTION,
    SRC_ORG_TYPE,
    SRC_RESPONDENT,
    SRC_UNANSWERED,
    Column,
    Layout,
    header_key,
)
from bot.survey.model import KIND_SINGLE, AnswerRecord, Item
from bot.survey.organisations import Organisations
from bot.survey.survey_texts import SurveyTexts

__all__ = [
    "Column", "SurveyLike", "column_index", "header_key", "item_value", "row_for",
    "SRC_CONFIRMATION", "SRC_CONFIRMED_AT", "SRC_FIXED", "SRC_INFO_MISSING", "SRC_ITEM",
    "SRC_OPTION", "SRC_ORG_TYPE", "SRC_RESPONDENT", "SRC_UNANSWERED",
]


class SurveyLike(Protocol):
    """The part of the engine's Survey that the export needs."""

    items: tuple[Item, ...]
    layout: Layout
    orgs: Organisations
    texts: SurveyTexts

    def item(self, item_id: str) -> Item: ...

    def status(
        self,
        org_type: str | None,
        answers: dict[str, Any],
        respondent: dict[str, str],
        notes: dict[str, str],
    ) -> Any: ...  # engine.Status: not_applicable, info_missing, unanswered_flag


def column_index(layout: Layout, header: str) -> int | None:
    """Position (0-based) of the 一覧用 column a header found in a file stands for."""
    return layout.position(header)


def item_value(item: Item, value: Any) -> str:
    """The cell text of an applicable item's answer ('' when unanswered)."""
    if value is None or value == "":
        return ""
    if item.kind == KIND_SINGLE:
        return item.option(int(value)).label
    return str(value)


def row_for(survey: SurveyLike, record: AnswerRecord) -> list[str]:
    """The 一覧用 row 2 values for one stored answer, all as text."""
    org_type = record.org_type
    answers = record.answers
    status = survey.status(org_type, answers, record.respondent, record.notes)
    # Only items that certainly do not apply are 対象外; an item that may still apply
    # (its rule waits for an unanswered item: status.pending) stays empty, like 未回答.
    not_applicable = set(status.not_applicable)

    row: list[str] = []
    for column in survey.layout.columns:
        source = column.source
        if source == SRC_FIXED:
            value = column.fixed
        elif source == SRC_ORG_TYPE:
            value = survey.orgs.sheet_label(org_type)
        elif source == SRC_RESPONDENT:
            value = record.respondent.get(column.key) or ""
        elif source in (SRC_ITEM, SRC_OPTION):
            if column.key in not_applicable:
                value = msg.NOT_APPLICABLE
            elif source == SRC_ITEM:
                value = item_value(survey.item(column.key), answers.get(column.key))
            else:
                chosen = answers.get(column.key)
                value = msg.MARK if isinstance(chosen, list) and column.option in chosen else ""
        elif source == SRC_INFO_MISSING:
            value = msg.INFO_MISSING if status.info_missing else ""
        elif source == SRC_UNANSWERED:
            value = msg.UNANSWERED if status.unanswered_flag else ""
        elif source == SRC_CONFIRMATION:
            value = msg.CONFIRMED if record.confirmed else msg.UNCONFIRMED
        elif source == SRC_CONFIRMED_AT:
            value = (record.confirmation.confirmed_at or "") if record.confirmed else ""
        else:  # pragma: no cover - the loader accepts no other source
            raise ValueError(source)
        row.append(value)
    return row
