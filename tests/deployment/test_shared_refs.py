"""tests/shared_refs.py: a missing ../shared reference skips with its name (listed in
the summary); --require-shared, as in CI, fails those skips and only those."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
INNER = '''
import pytest
from tests.shared_refs import shared_file

def test_needs_a_reference():
    shared_file("no/such/reference.json")

def test_skips_for_another_reason():
    pytest.skip("no docker compose CLI on this machine")

def test_needs_nothing():
    assert True
'''

MODULE_LEVEL = '''
import pytest
pytest.skip("missing reference ../shared/spec/x.md", allow_module_level=True)

def test_never_collected():
    pass
'''


@pytest.mark.parametrize(
    ("args", "outcomes", "summary"),
    [
        ((), {"passed": 1, "skipped": 2}, "1 skipped: missing reference ../shared/no/such/reference.json"),
        (("--require-shared",), {"passed": 1, "skipped": 1, "failed": 1}, "--require-shared: missing reference ../shared/no/such"),
    ],
)
def test_missing_reference(pytester: pytest.Pytester, args: tuple[str, ...], outcomes: dict, summary: str) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest("-p", "tests.shared_refs", *args)
    result.assert_outcomes(**outcomes)
    assert summary in result.stdout.str()


def test_module_level_skip_fails_when_required(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_module=MODULE_LEVEL)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    # In subprocesses: a module that raised Skipped on import stays half-imported in-process.
    pytester.runpytest_subprocess("-p", "tests.shared_refs").assert_outcomes(skipped=1)
    required = pytester.runpytest_subprocess("-p", "tests.shared_refs", "--require-shared")
    required.assert_outcomes(errors=1)
    assert "missing reference ../shared/spec/x.md" in required.stdout.str()
