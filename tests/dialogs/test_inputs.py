"""Commands as people type them: the word alone or before a space, and the edit command
also glued to its item number or after its target; free text stays text."""
from __future__ import annotations

import pytest

from bot.dialogs.inputs import parse_command

CASES = [
    # (case, typed, command, argument)
    ("word and target", "修正 Q3", "edit", "Q3"),
    ("glued to the item number", "修正Q3", "edit", "Q3"),
    ("full-width, glued", "修正Ｑ７－２", "edit", "Ｑ７－２"),
    ("target first, を修正", "Q3を修正", "edit", "Q3"),
    ("target first, の修正", "Q7-2の修正", "edit", "Q7-2"),
    ("target first, spaced", "Q3 修正", "edit", "Q3"),
    ("を直す", "Q3を直す", "edit", "Q3"),
    ("a sub-item", "Q10 概要を修正", "edit", "Q10 概要"),
    ("a 回答者情報 field", "電話番号を訂正", "edit", "電話番号"),
    ("the word alone", "修正", "edit", ""),
    ("another command", "説明", "explain", ""),
    ("another command with its argument", "住所比較 a / b", "address", "a / b"),
    ("a sentence that ends with 修正", "住所を修正してほしいと言われたので確認中です", None, ""),
    ("a word that starts with 修正", "修正版を送ります", None, ""),
    ("修正 glued to a word", "修正する", None, ""),
    ("free text that starts with 説明", "説明会で聞いた内容", None, ""),
]


@pytest.mark.parametrize(("typed", "command", "arg"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parse_command(typed: str, command: str | None, arg: str) -> None:
    assert parse_command(typed) == (command, arg)
