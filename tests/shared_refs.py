"""The references beside the repository (`../shared`: official schemas, the seed text,
the spec) and what a test does where they are missing.

A test that needs one asks `shared_file("schemas/…")`: the path, or a skip whose
reason names the missing reference; the run's summary lists those references even
without `-rs`. Facts the bot itself needs are in the repository, so only checks
*against* the references skip.

`--require-shared` (what .ci/run passes: CI always has ../shared) turns every skip
that names ../shared into a failure, whoever wrote it, while other skips (no docker
compose CLI, an optional package) stay skips.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MISSING = "missing reference ../shared/"
_NAMES_SHARED = "../shared"


def shared_file(relative: str) -> Path:
    """../shared/<relative>, or a skip naming it."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{MISSING}{relative} (no ../shared beside this checkout)")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-shared", action="store_true", default=False,
        help="fail (instead of skip) every test skipped for a missing ../shared reference",
    )


def _reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr or "")


def _fail_if_required(config: pytest.Config, report: Any) -> None:
    if report.skipped and config.getoption("require_shared") and _NAMES_SHARED in _reason(report):
        report.outcome = "failed"
        report.longrepr = f"--require-shared: {_reason(report).removeprefix('Skipped: ')}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    _fail_if_required(item.config, report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    report = yield
    _fail_if_required(collector.config, report)
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    reasons = Counter(
        _reason(report).removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if _NAMES_SHARED in _reason(report)
    )
    if reasons:
        terminalreporter.section("tests skipped for missing references")
        for reason, count in sorted(reasons.items()):
            terminalreporter.line(f"{count:5d} skipped: {reason}")
