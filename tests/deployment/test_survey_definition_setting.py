"""SURVEY_DEFINITION: which survey the bot runs. Read with the other settings; a definition
that cannot work stops `python -m bot` before anything starts, with one line that names
what to fix (never a traceback)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Config
from bot.survey.engine import DEFAULT_PATH, DEFINITIONS, load_survey

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = DEFINITIONS / "example-shougai.yaml"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, DEFAULT_PATH), ({"SURVEY_DEFINITION": str(EXAMPLE)}, EXAMPLE)],
    ids=["default-2307", "example"],
)
def test_setting_read(env: dict[str, str], expected: Path) -> None:
    assert Config.from_env(env).survey_definition == expected


def test_the_default_is_the_2307_survey() -> None:
    assert DEFAULT_PATH.name == "2307.yaml" and load_survey(DEFAULT_PATH).texts.name == "2307 マイナンバー調査"


def test_deadline_is_the_definitions_unless_set() -> None:
    example = load_survey(EXAMPLE)
    assert Config().for_survey(example.texts.deadline).deadline == example.texts.deadline
    set_ = Config.from_env({"DEADLINE": "2024-01-31T17:00"})
    assert set_.for_survey(example.texts.deadline).deadline == set_.deadline


def _definition(tmp_path: Path, replace: tuple[str, str] = ("", "")) -> Path:
    path = tmp_path / "survey.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    assert replace[0] in text
    path.write_text(text.replace(*replace, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.yaml", "SURVEY_DEFINITION: no file at"),
        (lambda tmp: _definition(tmp, ("relevant: Q1 == 1", "relevant: Q9 == 1")), "item 2: its rule refers to unknown item Q9"),
        (lambda tmp: _definition(tmp, ("    - {item: \"4\"}\n", "")), "workbook.columns: missing 4"),
        (lambda tmp: _definition(tmp, ('  deadline: "2024-03-29T17:00+09:00"\n', "")), "DEADLINE is not set"),
    ],
    ids=["missing-file", "bad-rule", "item-without-column", "no-deadline"],
)
def test_bot_refuses_a_definition_that_cannot_work(make, message: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PORT": "0", "DATA_DIR": str(tmp_path), "REMINDER_INTERVAL_SECONDS": "0",
             "SURVEY_DEFINITION": str(make(tmp_path))},
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 2, result.stdout + result.stderr
    refused = [line for line in lines if line["level"] == "CRITICAL"]
    assert [line["event"] for line in refused] == ["start_refused"]
    assert message in refused[0]["message"]
    assert "Traceback" not in result.stdout + result.stderr
