"""`python -m bot.admin` as the administrator runs it: the bot's settings, the embedded
Redis found or started like the bot does, plain answers and exit statuses for what it
cannot do."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from bot.admin.commands import import_data
from bot.messages import admin as msg
from bot.state.embedded_redis import PIDFILE_NAME, start_embedded_redis
from bot.state.embedded_redis import _alive as alive

REPO_ROOT = Path(__file__).resolve().parents[2]
NS = "mn2307"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATA_DIR", "REDIS_NAMESPACE")}
    return subprocess.run([sys.executable, "-m", "bot.admin", *args], cwd=REPO_ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=60)


def test_embedded_redis_started_for_the_tool_is_stopped_again(tmp_path: Path) -> None:
    """No bot running, no REDIS_URL: the tool starts the embedded Redis of DATA_DIR, as the
    bot would, and leaves nothing running."""
    result = run("export", str(tmp_path / "b.jsonl"), env={"DATA_DIR": str(tmp_path / "var")})
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "b.jsonl").read_text().splitlines()
    assert json.loads(lines[-1]) == {"end": True, "records": 0}
    pid = int((tmp_path / "var" / "redis" / PIDFILE_NAME).read_text()) if (tmp_path / "var" / "redis" / PIDFILE_NAME).exists() else None
    assert pid is None or not alive(pid)


def test_a_running_bots_embedded_redis_is_used_and_left_running(tmp_path: Path) -> None:
    embedded = start_embedded_redis(tmp_path / "var" / "redis")  # as a running bot leaves it
    try:
        client = redis.Redis.from_url(embedded.url)
        client.set(f"{NS}:answer:a1", json.dumps({"answer_id": "a1", "respondent": {"org_name": "14神奈川県相模原市"}}))
        result = run("delete", "14神奈川県相模原市", env={"DATA_DIR": str(tmp_path / "var")})
        assert result.returncode == 0 and result.stdout.startswith("削除しました: 14神奈川県相模原市"), result
        assert client.exists(f"{NS}:answer:a1") == 0 and client.ping()
        client.close()
    finally:
        embedded.stop()


@pytest.mark.parametrize(
    "args,env,status,says",
    [
        (("export", "{tmp}/no-such-folder/b.jsonl"), {}, 1, msg.CANNOT_WRITE.format(path="{tmp}/no-such-folder/b.jsonl", error="")),
        (("import", "{tmp}/missing.jsonl"), {}, 1, msg.NO_FILE.format(path="{tmp}/missing.jsonl", error="")),
        (("delete", "14神奈川県相模原市"), {}, 1, msg.NOT_FOUND.format(org="14神奈川県相模原市")),
        (("export", "{tmp}/b.jsonl"), {"REDIS_URL": "redis://127.0.0.1:1/0"}, 1, msg.NO_REDIS.format(error="")),
        (("export", "{tmp}/b.jsonl"), {"RETAIN_DAYS_AFTER_DEADLINE": "forever"}, 1, msg.BAD_SETTING.format(error="")),
        (("delete",), {}, 2, "org_name"),  # argparse: the usage
    ],
    ids=["unwritable", "missing file", "unknown organisation", "no redis", "bad setting", "no name"],
)
def test_refusals(redis_url: str, redis_client, tmp_path: Path, args: tuple[str, ...], env: dict[str, str], status: int,
                  says: str) -> None:
    result = run(*(a.format(tmp=tmp_path) for a in args), env={"REDIS_URL": redis_url, **env})
    shown = (result.stdout + result.stderr).replace(str(tmp_path), "{tmp}")
    assert (result.returncode, says in shown, "Traceback" in shown) == (status, True, False), shown


@pytest.mark.parametrize(
    "content,reason",
    [(b"\xff\xfe", msg.NOT_JSON), (b"", msg.EMPTY_FILE), (b'{"format":"mn2307-bot-data","version":1}\n', msg.CUT_SHORT)],
    ids=["not utf-8", "empty", "cut short"],
)
async def test_unreadable_files_write_nothing(redis_client, tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "b.jsonl"
    path.write_bytes(content)
    printed: list[str] = []
    assert await import_data(redis_client, NS, path, merge=False, out=printed.append) == 1
    assert printed == [msg.BAD_FILE.format(path=path, reason=reason)]
    assert await redis_client.dbsize() == 0
