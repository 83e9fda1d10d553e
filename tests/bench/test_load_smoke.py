"""bench/load.py --quick runs end to end and prints every figure (no timing asserts:
the figures depend on the machine; their presence and shape do not)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"\d+(?:\.\d+)?"
ROW = rf"\s+\d+\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+0\s+{NUMBER}"  # turns, turns/s, p50/95/99, no errors, cpu


@pytest.fixture(scope="module")
def output() -> str:
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--quick"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


@pytest.mark.parametrize(
    "pattern",
    [
        r"== saturation: 10 users, no pause",
        r"== responsiveness: 20 users, pause 0\.05-0\.15 s",
        r"server\s+turns\s+turns/s\s+p50 ms\s+p95 ms\s+p99 ms\s+errors\s+cpu",
        *[rf"(?s)== {mode}:.*?\n{server}{ROW}\n" for mode in ("saturation", "responsiveness") for server in ("survey", "echo", "floor")],
        rf"ratio survey/echo turns/s: {NUMBER}",
        rf"ratio survey/floor turns/s: {NUMBER}",
        *[rf"{server} RSS after run: {NUMBER} MiB \(peak {NUMBER} MiB\)" for server in ("survey", "echo", "floor")],
        r"Redis memory per completed answer: -?\d+ B \(used_memory_dataset delta -?\d+ B over 5 answers, 5 as scripted\)",
        r"Redis MEMORY USAGE per completed answer: \d+ B \(answer \d+ B, history \d+ B, .*user \d+ B\)",
        r"bar saturation survey/echo >= 5: \S+ (PASS|FAIL)",
        r"bar saturation survey/floor >= 0\.3: \S+ (PASS|FAIL)",
        r"bar responsiveness p99 <= 250 ms: \S+ (PASS|FAIL)",
        r"bar Redis per completed answer \(MEMORY USAGE\) <= 8192 B: \S+ (PASS|FAIL)",
    ],
)
def test_quick_run_prints_the_figure(output: str, pattern: str) -> None:
    assert re.search(pattern, output), f"{pattern!r} not in\n{output}"


def test_ratios_count_turns_of_each_server(output: str) -> None:
    # Every server answered turns in both modes: a zero would make the ratios meaningless.
    rates = re.findall(r"^(survey|echo|floor)\s+(\d+)\s", output, flags=re.M)
    assert len(rates) == 6 and all(int(turns) > 0 for _, turns in rates), output
