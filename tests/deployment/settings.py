"""The settings the bot reads from the environment, found in its source: Config.from_env's
`get("NAME")` calls and any os.environ / getenv read elsewhere in bot/."""
from __future__ import annotations

import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
_CONFIG_GET = re.compile(r"""\bget\(\s*"([A-Za-z][A-Za-z0-9_]*)\"""")
_ENVIRON = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*"([A-Za-z][A-Za-z0-9_]*)\"""")


def bot_settings() -> set[str]:
    names = set(_CONFIG_GET.findall((BOT / "config.py").read_text(encoding="utf-8")))
    for path in BOT.rglob("*.py"):
        names |= set(_ENVIRON.findall(path.read_text(encoding="utf-8")))
    return names
