"""Before/after comparisons: the namespace as the export file shows it, and workbooks
by cell value."""
from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import load_workbook

from bot.admin.data_file import entry_line
from bot.admin.snapshot import take_snapshot
from bot.messages.retention import ERASED

# Redis 6.2 reports what is left of a TTL (PTTL), not when it ends: an expiry computed
# from it moves by a millisecond between two readings of the same key.
EXPIRY_JITTER_MS = 2


async def state_lines(redis_client: Any, namespace: str) -> list[dict[str, Any]]:
    return [entry_line(e) for e in (await take_snapshot(redis_client, namespace)).entries]


def assert_same_state(after: list[dict[str, Any]], before: list[dict[str, Any]]) -> None:
    """Equal line for line, expiries within EXPIRY_JITTER_MS."""
    strip = lambda lines: [{k: v for k, v in line.items() if k != "expires_at"} for line in lines]  # noqa: E731
    assert strip(after) == strip(before)
    for a, b in zip(after, before):
        assert ("expires_at" in a) == ("expires_at" in b), a
        if "expires_at" in a:
            moved = abs(datetime.fromisoformat(a["expires_at"]) - datetime.fromisoformat(b["expires_at"]))
            assert moved.total_seconds() * 1000 <= EXPIRY_JITTER_MS, (a, b)


def workbook_cells(data: bytes) -> dict[tuple[str, str], Any]:
    """Every cell's value, by (sheet, coordinate)."""
    workbook = load_workbook(io.BytesIO(data))
    return {(sheet.title, cell.coordinate): cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row}


def as_erased(cells: dict[tuple[str, str], Any], fields: tuple[str, ...], names: tuple[str, ...]) -> dict[tuple[str, str], Any]:
    """The cells as retention should leave them: a cell holding one of the personal
    `fields` reads ERASED; a name inside a longer text (the confirmation line) is gone."""
    def erased(value: Any) -> Any:
        if value in fields:
            return ERASED
        if isinstance(value, str):
            for name in names:
                value = value.replace(name, "")
        return value

    return {key: erased(value) for key, value in cells.items()}
