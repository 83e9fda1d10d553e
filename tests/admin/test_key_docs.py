"""docs/data-format.md's key table is bot/keyspace.py written out, row for row, and
docs/architecture.md names every kind of key."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.keyspace import KEY_KINDS, KeyKind

DOCS = Path(__file__).resolve().parents[2] / "docs"


def ttl_text(seconds: int | None) -> str:
    if seconds is None:
        return "none"
    if seconds % 86400 == 0:
        days = seconds // 86400
        return "1 day" if days == 1 else f"{days} days"
    hours = seconds // 3600
    return "1 hour" if hours == 1 else f"{hours} hours"


def table_rows() -> dict[str, list[str]]:
    text = (DOCS / "data-format.md").read_text(encoding="utf-8")
    section = text.split("## Keys and their lifetimes", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return {row[0].strip("` "): [cell.strip() for cell in row[1:]] for row in rows}


def test_one_row_per_kind() -> None:
    assert sorted(table_rows()) == sorted(kind.pattern for kind in KEY_KINDS)


@pytest.mark.parametrize("kind", KEY_KINDS, ids=lambda k: k.name)
def test_row(kind: KeyKind) -> None:
    name, ttl, lifetime, exported, at_retention = table_rows()[kind.pattern]
    assert (name, ttl, lifetime, exported, at_retention) == (
        kind.name, ttl_text(kind.ttl_seconds), kind.lifetime, "yes" if kind.exported else "no", kind.at_retention,
    )


@pytest.mark.parametrize("kind", KEY_KINDS, ids=lambda k: k.name)
def test_architecture_names_the_key(kind: KeyKind) -> None:
    assert f"`{kind.prefix}" in (DOCS / "architecture.md").read_text(encoding="utf-8")
