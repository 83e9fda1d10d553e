"""The house's import structure, read from the source (nothing is imported):

- no import cycle among bot/ modules, counting every import (inside functions and under
  TYPE_CHECKING too): a cycle is two modules that cannot be read one without the other;
- the pure conversation (bot/dialogs, but for the modules that talk to Teams and Redis)
  reaches nothing of Redis, aiohttp or the Bot Framework SDK, through any chain of bot/
  imports: a turn can be redone, and its modules read, without I/O.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
# Talk to Teams or Redis: the bot's side of a turn, and the work done after it.
DIALOG_IO = {"bot.dialogs.survey_bot", "bot.dialogs.survey_dialog"}
IO_PACKAGES = ("redis", "aiohttp", "botbuilder", "botframework", "msrest", "requests")


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    return {_name(path): path for path in BOT.rglob("*.py")}


@lru_cache(maxsize=None)
def imports(module: str) -> tuple[frozenset[str], frozenset[str]]:
    """(bot modules, top-level outside packages) that `module` imports."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name in modules():
                inside.add(name)
            elif not name.startswith("bot.") and name != "bot":
                outside.add(name.split(".")[0])
    inside.discard(module)
    return frozenset(inside), frozenset(outside)


def cycles() -> list[list[str]]:
    """Every strongly connected set of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in imports(module)[0]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules()):
        if module not in index:
            visit(module)
    return sorted(found)


def pure_dialogs() -> list[str]:
    return sorted(
        m for m in modules()
        if m.startswith("bot.dialogs.") and m not in DIALOG_IO and not m.endswith("_effects")
    )


def reached(module: str) -> dict[str, str]:
    """Every bot module `module` reaches -> the module that imports it first on the way."""
    seen = {module: ""}
    todo = [module]
    while todo:
        current = todo.pop()
        for other in sorted(imports(current)[0]):
            if other not in seen:
                seen[other] = current
                todo.append(other)
    return seen


def test_no_import_cycle_among_bot_modules() -> None:
    assert cycles() == []


def test_the_pure_conversation_is_listed() -> None:
    """The rule below covers the conversation's modules (a rename must not empty it)."""
    names = set(pure_dialogs())
    assert {"bot.dialogs.conversation", "bot.dialogs.teamwork", "bot.dialogs.session", "bot.dialogs.commands"} <= names


@pytest.mark.parametrize("module", pure_dialogs())
def test_pure_conversation_reaches_no_io_package(module: str) -> None:
    chains = []
    via = reached(module)
    for other in via:
        for package in sorted(imports(other)[1] & set(IO_PACKAGES)):
            chain = [other]
            while via[chain[-1]]:
                chain.append(via[chain[-1]])
            chains.append(" <- ".join(chain) + f" imports {package}")
    assert chains == []
