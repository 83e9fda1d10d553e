"""bench/export.py runs end to end on a few answers and prints every figure (no timing
asserts: the figures depend on the machine; their presence and shape do not)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
N = r"\d+(?:\.\d+)?"


def test_bench_export_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.export", "--answers", "20", "--runs", "2"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    for pattern in (
        rf"data: 20 answers, 101 keys, used_memory_dataset {N} MiB",
        rf"snapshot: 101 keys read in one script; Redis busy with it median {N} ms, max {N} ms over 2 runs",
        rf"snapshot as the export sees it \(script \+ reply parsed\): median {N} ms",
        rf"slowest PING of another client during the snapshots: {N} ms \(median {N} ms over \d+ pings\)",
        rf"export to file: {N} ms, {N} MiB \(\d+ B per answer\)",
        r"import into an empty Redis: \d+ ms \(101 keys\)",
    ):
        assert re.search(pattern, result.stdout), f"{pattern!r} not in\n{result.stdout}"
