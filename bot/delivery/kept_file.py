"""A dropped workbook kept for 集計 (`{ns}:collect:{user_key}`, file name -> this), as a
declared shape: the 一覧用 cells the reader found, the values it could not take, the
sheet they came from and when the file arrived. Files kept by the version before files
were read whole hold the bare list row instead (`row`); they expire within a week.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.stored_json import Fields, RecordError
from bot.survey.checks import Problem

_PROBLEM_PARTS = 4  # item, value, reason, kind


@dataclass(frozen=True)
class KeptFile:
    cells: dict[str, str]
    problems: tuple[Problem, ...] = ()
    sheet: str = ""
    received: str = ""  # YYYY-MM-DD HH:MM (JST)
    row: tuple[str, ...] | None = None  # an older file's 一覧用 row (then cells is empty)

    def to_json(self) -> str:
        problems = [[p.item, p.value, p.reason, p.kind] for p in self.problems]
        value = {"cells": self.cells, "problems": problems, "sheet": self.sheet, "received": self.received}
        return json.dumps(value, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: Any, where: str) -> "KeptFile":
        if isinstance(data, list):
            return cls(cells={}, row=tuple(_texts(data, where)))
        fields = Fields(data, where)
        problems = []
        for index, value in enumerate(fields.data.get("problems") or []):
            parts = _texts(value, f"{where}: problems[{index}]") if isinstance(value, list) else []
            if len(parts) != _PROBLEM_PARTS:
                raise fields.fail(f"problems[{index}]", "expected [item, value, reason, kind]")
            problems.append(Problem(*parts))
        return cls(
            cells=fields.text_map("cells"), problems=tuple(problems), sheet=fields.text("sheet"),
            received=fields.text("received"),
        )


def _texts(values: list[Any], where: str) -> list[str]:
    """Texts, with null as empty (an empty cell)."""
    for index, value in enumerate(values):
        if value is not None and type(value) is not str:
            raise RecordError(f"{where}[{index}]: expected text, got {type(value).__name__}")
    return [value or "" for value in values]


__all__ = ["KeptFile"]
