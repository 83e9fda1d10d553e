""".ci/run: what CI runs on a clean clone. Checked with stand-ins for python3, pip and
pytest on PATH, so the test needs no network and no real install."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CI_RUN = REPO / ".ci" / "run"
README_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt && .venv/bin/python -m pytest -q"
)

# A stand-in python3: `python3 -m venv .venv` makes a .venv whose pip and python
# log their arguments and exit with the codes the test asks for.
FAKE_PYTHON3 = """#!/usr/bin/env bash
set -eu
[ "$1 $2" = "-m venv" ] || exit 90
mkdir -p "$3/bin"
cat > "$3/bin/pip" <<'PIP'
#!/usr/bin/env bash
echo "pip $*" >> "$FAKE_LOG"
exit "$FAKE_PIP_RC"
PIP
cat > "$3/bin/python" <<'PY'
#!/usr/bin/env bash
echo "python $*" >> "$FAKE_LOG"
echo "======== $FAKE_SUMMARY ========"
exit "$FAKE_PYTEST_RC"
PY
chmod +x "$3/bin/pip" "$3/bin/python"
"""


def _run_ci(tmp_path: Path, pip_rc: int, pytest_rc: int) -> tuple[subprocess.CompletedProcess, list[str]]:
    clone = tmp_path / "clone"
    (clone / ".ci").mkdir(parents=True)
    shutil.copy(CI_RUN, clone / ".ci" / "run")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "python3").write_text(FAKE_PYTHON3)
    (fake_bin / "python3").chmod(0o755)
    log = tmp_path / "log"
    env = {
        **os.environ,
        "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}",
        "CI": "true",
        "FAKE_LOG": str(log),
        "FAKE_PIP_RC": str(pip_rc),
        "FAKE_PYTEST_RC": str(pytest_rc),
        "FAKE_SUMMARY": "3 passed in 0.01s",
    }
    # Run from elsewhere: the script must find the repo from its own location.
    result = subprocess.run(
        ["bash", str(clone / ".ci" / "run")],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


@pytest.mark.parametrize(
    ("pip_rc", "pytest_rc", "expected_rc", "pytest_ran"),
    [
        (0, 0, 0, True),  # green
        (0, 1, 1, True),  # failing tests fail CI
        (0, 5, 5, True),  # no tests collected fails CI too
        (1, 0, 1, False),  # a broken install stops before pytest
    ],
)
def test_ci_run_exit_status(tmp_path: Path, pip_rc: int, pytest_rc: int, expected_rc: int, pytest_ran: bool) -> None:
    result, calls = _run_ci(tmp_path, pip_rc, pytest_rc)
    assert result.returncode == expected_rc, result.stderr
    assert calls[0].startswith("pip install") and calls[0].endswith("-r requirements-dev.txt")
    assert (calls[1:] == ["python -m pytest -q --require-shared"]) is pytest_ran
    if pytest_ran:
        # Nothing may follow pytest's summary: CI reads the last line.
        assert result.stdout.splitlines()[-1] == "======== 3 passed in 0.01s ========"


def test_ci_run_is_executable_in_git() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    mode = subprocess.run(
        ["git", "ls-files", "-s", ".ci/run"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()[:1]
    assert mode == ["100755"]


def test_ci_run_matches_the_readme_command() -> None:
    text = CI_RUN.read_text()
    assert "set -euo pipefail" in text
    for step in README_COMMAND.split(" && "):
        assert step in text.replace("--quiet ", "").replace("exec ", "")
    readme = REPO / "README.md"
    if not readme.exists():
        pytest.skip("README.md not written yet")
    assert README_COMMAND in readme.read_text(encoding="utf-8")
