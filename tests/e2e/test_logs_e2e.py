"""What operators see: the log lines of the real `python -m bot` while users answer,
share, request a confirmation, return, confirm and download workbooks. Every line is
one JSON object; each request has one access line with its request id, tenant, hashed
user, latency and outcome; audit events say who did what to which answer; and no line
holds a name, phone number, e-mail address or typed free text."""
from __future__ import annotations

import json
import logging
import re
import sys
from io import StringIO
from typing import Any

import pytest

from bot.logs import JsonFormatter, _context, _MaskedExport, configure_logging, mask, user_ref
from tests.e2e.harness import BotProcess
from tests.e2e.test_files_e2e import download_url, get
from tests.e2e.test_teamwork_e2e import ORG, RESPONSIBLE, answered, requested, shared
from tests.e2e.transcripts import RESPONDENT_VALUES
from tests.fakes.teams import DEFAULT_TENANT_ID, TeamsUser

RESPONDENT = TeamsUser(name="山田 太郎", aad_object_id="0a1b0000-0000-0000-0000-00000000e2e1")
BOSS = TeamsUser(name=RESPONSIBLE, aad_object_id="0a1b0000-0000-0000-0000-00000000e2e2")
REASON = "Q12を見直してください 電話 090-1111-2222"
HEX16 = re.compile(r"^u_[0-9a-f]{16}$")


def personal_data() -> list[str]:
    """Everything typed or shown that must never reach a log line."""
    typed = [typed for typed, _ in RESPONDENT_VALUES.values()]
    return [*typed, RESPONDENT.name, BOSS.name, "原 花子", REASON, "Q12を見直して",
            RESPONDENT.aad_object_id, BOSS.aad_object_id]


def log_lines(bot: BotProcess) -> list[dict[str, Any]]:
    text = bot.log_path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("--- start #")]
    parsed = []
    for line in lines:
        parsed.append(json.loads(line))  # fails the test on any line that is not one JSON object
    return parsed


@pytest.fixture
async def bot(bot_factory, redis_client) -> BotProcess:
    return await bot_factory(env={"REMINDER_INTERVAL_SECONDS": "0", "FILE_LINK_SECRET": "e2e-logs-file-link-secret-of-32-bytes", "LOG_LEVEL": "INFO"})


async def test_a_confirmation_round_in_the_log(bot, teams_client, fake_connector, http_session) -> None:
    respondent = teams_client(bot, RESPONDENT)
    boss = teams_client(bot, BOSS)
    await boss.say("ヘルプ")
    await answered(respondent)
    await shared(bot, teams_client, respondent)
    code = await requested(respondent)
    await boss.say(f"確認 {code}")
    await boss.say(f"差し戻し {REASON}")
    code = await requested(respondent)
    await boss.say(f"確認 {code}")
    await boss.say("承認")
    group = respondent.new_conversation("groupChat")
    status, _, _ = await get(http_session, download_url(await group.say("出力")))
    assert status == 200
    await respondent.say("出力")
    await respondent.file_consent("accept")

    lines = log_lines(bot)
    assert lines, "the bot logged nothing"
    for line in lines:
        assert {"time", "level", "logger", "event", "message"} <= set(line), line

    # One access line per request: the posts to /api/messages carry tenant and hashed user.
    access = [line for line in lines if line["event"] == "http_request"]
    posts = [line for line in access if line["route"] == "/api/messages"]
    assert len(posts) >= 30
    assert len({line["request_id"] for line in access}) == len(access)
    for line in posts:
        assert line["method"] == "POST" and line["status"] in (200, 201) and line["outcome"] == "ok"
        assert line["tenant"] == DEFAULT_TENANT_ID and HEX16.match(line["user"])
        assert isinstance(line["latency_ms"], float) and line["latency_ms"] >= 0
    assert {line["user"] for line in posts} >= {user_ref(RESPONDENT.aad_object_id), user_ref(BOSS.aad_object_id)}
    [download] = [line for line in access if line["route"] == "/files/{token}"]
    assert (download["method"], download["status"], download["outcome"]) == ("GET", 200, "ok")

    # Audit: who did what to which answer, and when.
    audits = [line for line in lines if line["logger"] == "bot.audit"]
    events = [line["event"] for line in audits]
    for event in ("share", "join", "request", "open_review", "return", "confirm", "workbook_issued", "workbook_download"):
        assert event in events, events
    assert events.count("request") == 2
    answer_ids = {line["audit"]["answer_id"] for line in audits if line["event"] in ("request", "confirm", "return")}
    assert len(answer_ids) == 1 and None not in answer_ids
    [confirm] = [line for line in audits if line["event"] == "confirm"]
    assert confirm["audit"]["by"] == user_ref(BOSS.aad_object_id) and confirm["audit"]["at"]
    assert confirm["user"] == user_ref(BOSS.aad_object_id) and confirm["request_id"]
    downloads = {line["audit"]["via"] for line in audits if line["event"] == "workbook_download"}
    assert downloads == {"link", "onedrive"}
    [by_link] = [line for line in audits if line["event"] == "workbook_download" and line["audit"]["via"] == "link"]
    assert by_link["request_id"] == download["request_id"] and by_link["audit"]["answer_id"] in answer_ids

    # Nothing personal, at any level.
    text = json.dumps(lines, ensure_ascii=False)
    for secret in personal_data():
        assert secret not in text, f"{secret!r} is in the log"
    assert ORG not in text  # not personal, but the log has no reason to hold it either


# --- the formatter alone ------------------------------------------------------------------


def _format(record: logging.LogRecord) -> dict[str, Any]:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_traceback_is_one_field_of_one_line() -> None:
    try:
        raise KeyError("kaigo@example.lg.jp")
    except KeyError:
        record = logging.LogRecord("bot.x", logging.ERROR, __file__, 1, "turn failed for %s", ("03-5253-1111",), None)
        record.exc_info = sys.exc_info()
    line = _format(record)
    assert line["message"] == "turn failed for [phone]"
    assert line["exception"]["type"] == "KeyError"
    assert "Traceback (most recent call last)" in line["exception"]["traceback"]
    assert "kaigo@example.lg.jp" not in json.dumps(line, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mail kaigo@example.lg.jp now", "mail [email] now"),
        ("call 03-5253-1111", "call [phone]"),
        ("call 090-1234-5678", "call [phone]"),
        ("call ０４２－７５４－１１１１", "call [phone]"),
        ("call 0312345678", "call [phone]"),
        ("answer 2023-07-21 17:00 latency 12.5", "answer 2023-07-21 17:00 latency 12.5"),
        ("answer_id 6ba7b810-9dad-11d1", "answer_id 6ba7b810-9dad-11d1"),
    ],
)
def test_mask(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_user_ref_is_stable_and_hides_the_key() -> None:
    key = "0a1b0000-0000-0000-0000-00000000e2e1"
    assert user_ref(key) == user_ref(key) != user_ref(key + "x")
    assert key not in user_ref(key) and HEX16.match(user_ref(key))
    assert user_ref("") is None


def test_configured_logging_writes_json_lines() -> None:
    stream = StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging("warning", stream)
        logging.getLogger("bot.test").info("not shown")
        logging.getLogger("bot.test").warning("shown", extra={"event": "thing", "count": 2})
    finally:
        root.handlers[:], root.level = saved
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert (line["level"], line["event"], line["count"], line["logger"]) == ("WARNING", "thing", 2, "bot.test")


def test_export_gets_a_masked_flat_copy_with_the_request_context() -> None:
    """What start_telemetry hands the OpenTelemetry handler: the audit dict as dotted
    attributes (OpenTelemetry drops dicts), the request's context, masked text."""
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = _MaskedExport(Keep())
    token = _context.set({"request_id": "r1", "user": "u_0123456789abcdef"})
    try:
        record = logging.LogRecord("bot.audit", logging.INFO, __file__, 1, "audit confirm by %s", ("kaigo@example.lg.jp",), None)
        record.event, record.audit = "confirm", {"answer_id": "a1", "by": "u_0123456789abcdef", "at": None}
        try:
            raise ValueError("call 03-5253-1111")
        except ValueError:
            record.exc_info = sys.exc_info()
        handler.handle(record)
    finally:
        _context.reset(token)
    [copy] = seen
    attributes = vars(copy)
    assert copy.getMessage() == "audit confirm by [email]"
    assert (attributes["audit.answer_id"], attributes["audit.by"], attributes["request_id"]) == ("a1", "u_0123456789abcdef", "r1")
    assert "audit" not in attributes and "audit.at" not in attributes
    assert copy.exc_info is None and attributes["exception.message"] == "call [phone]"
    assert "03-5253-1111" not in attributes["exception.stacktrace"]
    assert record.audit["answer_id"] == "a1" and record.exc_info is not None  # the original is untouched
