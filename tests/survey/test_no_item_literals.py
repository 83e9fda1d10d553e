"""No survey item is named in the bot's Python: items live in the definitions
(bot/survey/definitions/*.yaml), the code asks the engine.

The rule, on every string literal of bot/**/*.py except docstrings, with the item ids of
every shipped definition:

- an id with a dash or an underscore (`7-2`, `8-1_概要`) is unambiguous: it may not appear
  anywhere in a literal, unless a digit, letter, `-` or `_` runs on around it (`5-4-3`
  in an address example is no `4-3`);
- `Q` + an id (`Q13`, `Q7-2`) is an item's heading: it may not appear anywhere in a literal;
- an id that is only digits (`13`) is ambiguous (a prefecture code, a port, a flag). It
  counts where a literal stands for an item: compared (`item_id == "13"`, `"13" in ids`),
  looked up (`answers["13"]`), passed to a call (`answers.get("13")`, `format_value("13", …)`)
  or used as a dict key. A table of codes (`("13", "東京都")`) or a constant
  (`TOKYO_CODE = "13"`) is none of these.

Docstrings are documentation: an example there (`Q13`) is not code naming an item.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.survey.engine import DEFINITIONS, load_survey

BOT = Path(__file__).resolve().parents[2] / "bot"


def item_ids() -> set[str]:
    return {item.id for path in sorted(DEFINITIONS.glob("*.yaml")) for item in load_survey(path).items}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def _reference_positions(tree: ast.AST) -> set[int]:
    """ids of the nodes that stand where an item would be named: compared, looked up,
    passed to a call, a dict key (directly: not inside a tuple or list there)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            found.update(id(n) for n in (node.left, *node.comparators))
        elif isinstance(node, ast.Subscript):
            found.add(id(node.slice))
        elif isinstance(node, ast.Call):
            found.update(id(n) for n in (*node.args, *(k.value for k in node.keywords)))
        elif isinstance(node, ast.Dict):
            found.update(id(k) for k in node.keys if k is not None)
    return found


def item_literals(source: str, ids: set[str]) -> list[tuple[int, str]]:
    """(line, literal) for every literal that names an item by the rule above."""
    tree = ast.parse(source)
    docstrings, positions = _docstrings(tree), _reference_positions(tree)
    ordered = sorted(ids, key=len, reverse=True)
    marked = [i for i in ordered if not i.isdigit()]
    heading = re.compile(rf"(?<![A-Za-z])Q(?:{'|'.join(map(re.escape, ordered))})(?![0-9_-])")
    unambiguous = re.compile(rf"(?<![0-9A-Za-z_-])(?:{'|'.join(map(re.escape, marked))})(?![0-9A-Za-z_-])")
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
            continue
        text = node.value
        if heading.search(text) or (marked and unambiguous.search(text)):
            found.append((node.lineno, text))
        elif text.strip() in ids and text.strip().isdigit() and id(node) in positions:
            found.append((node.lineno, text))
    return found


def test_the_rule_sees_items_in_every_definition() -> None:
    ids = item_ids()
    assert {"13", "7-2", "8-1_概要", "3_手順"} <= ids  # 2307's and the example's


# The rule, as a table: a line of Python, and whether it names an item.
CASES = [
    ('if item_id == "13": pass', True),
    ('x = answers.get("13")', True),
    ('x = answers["13"]', True),
    ('ok = "13" in plan.filled', True),
    ('survey.format_value("13", value)', True),
    ('columns = {"13": 1}', True),
    ('hint = "「修正 Q7-2」のように送ってください。"', True),
    ('x = f"Q13の{heading}"', True),
    ('COLUMNS = ("1-1", "2")', True),  # a dashed id anywhere
    ('name = "8-1_概要"', True),
    ('TOKYO_CODE = "13"', False),  # a constant, not an item reference
    ('PREFECTURES = (("13", "東京都"),)', False),  # a table of codes
    ('headers = {"Retry-After": "5"}', False),  # a value, not a key
    ('example = "5丁目-4-3"', False),  # digits run on around 4-3
    ('phone = "03-5253-1111"', False),
    ('word = "FAQ13"', False),  # not a heading
    ('def f():\n    """Q13 and 7-2 in a docstring."""', False),
    ('flag = value in ("1", "true")', False),  # inside a tuple: a flag word
]


@pytest.mark.parametrize(("code", "names_an_item"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_rule(code: str, names_an_item: bool) -> None:
    assert bool(item_literals(code, {"13", "1-1", "2", "4-3", "5", "7-2", "8-1_概要", "1"})) is names_an_item


def test_no_item_id_is_a_literal_in_the_bot() -> None:
    ids = item_ids()
    found = [
        f"{path.relative_to(BOT.parent)}:{line}: {text!r}"
        for path in sorted(BOT.rglob("*.py"))
        for line, text in item_literals(path.read_text(encoding="utf-8"), ids)
    ]
    assert found == [], "item ids named in Python (ask the engine or the definition):\n" + "\n".join(found)
