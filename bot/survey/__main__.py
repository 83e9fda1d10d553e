"""python -m bot.survey PATH: check a survey definition the way the bot reads it at start,
and show what it asks (for those who write one: docs/survey-definition.md)."""
from __future__ import annotations

import sys
from pathlib import Path

from bot.survey.engine import DefinitionError, load_survey


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bot.survey PATH-TO-DEFINITION.yaml", file=sys.stderr)
        return 2
    path = Path(argv[0])
    try:
        survey = load_survey(path)
    except (DefinitionError, OSError) as error:
        print(f"NG {path}: {error}", file=sys.stderr)
        return 1
    print(f"OK {path}: {survey.texts.name}")
    print("organisation types: " + ", ".join(f"{o.label} ({o.role})" for o in survey.orgs.types))
    for item in survey.items:
        rule = f"  [{item.relevant}]" if item.relevant else ""
        print(f"  {item.heading} ({item.kind}){rule}")
    print(f"columns of {survey.layout.sheets.list_row}: " + ", ".join(survey.layout.headers))
    print("file: " + survey.layout.file("{name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
