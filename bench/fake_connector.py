"""The test suite's FakeConnector as a standalone server, for load benchmarks.

Activities are counted, not kept (GET /_fake/stats -> {"posted": n}).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

# Run as `python bench/fake_connector.py`: make the repo root importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.connector import FakeConnector  # noqa: E402


async def serve(host: str, port: int, keep_activities: bool) -> None:
    async with FakeConnector(host, port, keep_activities=keep_activities) as connector:
        print(f"fake connector listening on {connector.url}", flush=True)
        await asyncio.Event().wait()  # until the process is stopped


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
    parser.add_argument("--keep-activities", action="store_true", help="store every activity (memory grows)")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.host, args.port, args.keep_activities))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
