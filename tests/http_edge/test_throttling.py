"""Teams' throttling is honoured: 429/412/502/503/504 retried with backoff and jitter,
Retry-After waited for, bounded; bulk sends paced under Teams' limits; every message
arrives exactly once, in order."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from bot.app import ADAPTER, BOT
from bot.http.pacing import CONVERSATION_WINDOWS, TENANT_WINDOWS, Pacer, bulk_sends
from bot.http.retry import RetryPolicy, parse_retry_after
from bot.notify import Notifier
from tests.fakes.connector import FakeConnector
from tests.fakes.teams import TeamsUser

NOW = datetime(2023, 7, 21, 8, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("soon", None),
        ("1", 1.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        (format_datetime(NOW + timedelta(seconds=5), usegmt=True), 5.0),
        (format_datetime(NOW - timedelta(seconds=5), usegmt=True), 0.0),
    ],
)
def test_retry_after_header(header, seconds) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


POLICY = RetryPolicy(attempts=4, base_delay_s=0.5, max_delay_s=8.0, max_retry_after_s=30.0, budget_s=30.0)


@pytest.mark.parametrize(
    ("retry", "retry_after", "draw", "delay"),
    [
        (0, None, 0.0, 0.25),  # half the backoff at least,
        (0, None, 1.0, 0.5),  # the whole of it at most
        (2, None, 0.5, 1.5),  # 2 s backoff
        (9, None, 1.0, 8.0),  # capped
        (0, 1.0, 0.0, 1.0),  # Retry-After waited for,
        (0, 1.0, 1.0, 1.5),  # plus jitter
        (0, 30.0, 0.0, 30.0),
        (0, 31.0, 0.0, None),  # longer than a turn should wait: give up
    ],
)
def test_backoff(retry: int, retry_after, draw: float, delay) -> None:
    assert POLICY.delay(retry, retry_after, lambda: draw) == delay


@pytest.mark.parametrize(
    ("answers", "policy", "final", "attempts"),
    [
        ([201], POLICY, 201, 1),
        ([429, 201], POLICY, 201, 2),
        ([502, 502, 201], POLICY, 201, 3),
        ([412, 504, 503, 201], POLICY, 201, 4),
        ([503, 503, 503, 503, 201], POLICY, 503, 4),  # bounded
        ([500, 201], POLICY, 500, 1),  # not a status Teams asks to retry
        ([400, 201], POLICY, 400, 1),
        ([404, 201], POLICY, 404, 1),
        ([(429, "60"), 201], POLICY, 429, 1),  # Retry-After beyond max_retry_after_s
        ([503, 503, 201], RetryPolicy(base_delay_s=1.0, budget_s=1.5), 503, 2),  # the budget
    ],
)
async def test_retry_loop(answers, policy: RetryPolicy, final: int, attempts: int) -> None:
    pending = list(answers)
    calls = []
    slept: list[float] = []

    async def attempt():
        answer = pending.pop(0)
        status, retry_after = answer if isinstance(answer, tuple) else (answer, None)
        calls.append(status)
        return status, retry_after, "{}"

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    status, _ = await policy.run(attempt, sleep=sleep)
    assert (status, len(calls)) == (final, attempts)
    assert sum(slept) <= policy.budget_s and len(slept) == attempts - 1


# --- the pacer, on a virtual clock ------------------------------------------------------------


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def max_in_window(times: list[float], seconds: float) -> int:
    times = sorted(times)
    return max((sum(1 for u in times if t <= u < t + seconds) for t in times), default=0)


async def _bulk(pacer: Pacer, time: VirtualTime, sends: list[tuple[str, str]]) -> list[tuple[float, str, str]]:
    out = []
    with bulk_sends():
        for conversation, tenant in sends:
            await pacer.before_send(conversation, tenant)
            out.append((time.now, conversation, tenant))
    return out


@pytest.mark.parametrize(
    ("case", "sends"),
    [
        ("one conversation, 70 notices", [("c1", "t1")] * 70),
        ("120 conversations, one tenant", [(f"c{i}", "t1") for i in range(120)]),
        ("two tenants interleaved", [(f"c{i}", f"t{i % 2}") for i in range(150)]),
        ("a chatty chat among others", [("busy" if i % 3 == 0 else f"c{i}", "t1") for i in range(120)]),
    ],
)
async def test_bulk_sends_stay_under_teams_limits(case: str, sends: list[tuple[str, str]]) -> None:
    time = VirtualTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    sent = await _bulk(pacer, time, sends)
    for key_index, windows in ((1, CONVERSATION_WINDOWS), (2, TENANT_WINDOWS)):
        for key in {s[key_index] for s in sent}:
            times = [s[0] for s in sent if s[key_index] == key]
            for seconds, limit in windows:
                assert max_in_window(times, seconds) <= limit, (key, seconds, limit)
    # Paced, not stalled: every send that waited could not have gone 50 ms earlier.
    for i, (at, conversation, tenant) in enumerate(sent):
        if i == 0 or at <= sent[i - 1][0]:
            continue
        earlier = at - 0.05
        blocked = any(
            sum(1 for t, c, n in sent[:i] if (c, n)[key_index - 1] == key and earlier - seconds < t <= earlier) >= limit
            for key_index, key, windows in ((1, conversation, CONVERSATION_WINDOWS), (2, tenant, TENANT_WINDOWS))
            for seconds, limit in windows
        )
        assert blocked, f"send {i} at {at:.2f} s waited for nothing"


async def test_replies_are_counted_but_never_held() -> None:
    time = VirtualTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    for _ in range(100):
        await pacer.before_send("c1", "t1")  # replies: outside bulk_sends()
    assert time.sleeps == []
    # A notice to the same tenant now waits until the replies' second has passed.
    [(at, _, _)] = await _bulk(pacer, time, [("c2", "t1")])
    assert at >= 1.0


async def test_pacer_forgets_quiet_conversations() -> None:
    time = VirtualTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    for i in range(3000):
        time.now = i * 0.1  # 300 s of one reply each 0.1 s, every one in a new chat
        await pacer.before_send(f"c{i}", f"t{i % 7}")
    conversations, tenants = pacer.tracked()
    assert conversations <= 30 / 0.1 + 1024 and tenants <= 7


# --- through the real server and the fake connector ----------------------------------------


SCRIPT = ["開始", "1", "ヘルプ", "状況"]
FAILING_TURN = 1  # the reply to the second message meets the Connector's refusals


def _texts(activities: list[dict]) -> list[str]:
    return [a.get("text") or a["attachments"][0]["contentType"] for a in activities]


@pytest.mark.parametrize(
    ("case", "failures"),
    [
        ("429 with Retry-After, then 201", [(429, 1, "1")]),
        ("502 twice, then 201", [(502, 2, None)]),
        ("412, then 201", [(412, 1, None)]),
        ("504, 503, then 201", [(504, 1, None), (503, 1, None)]),
    ],
)
async def test_replies_arrive_once_and_in_order_after_throttling(
    bot_factory, teams_client, fake_connector: FakeConnector, case: str, failures
) -> None:
    bot = await bot_factory(env={"REMINDER_INTERVAL_SECONDS": "0"})
    control = teams_client(bot)
    for text in SCRIPT:
        await control.say(text)
    expected = _texts(fake_connector.replies(control.conversation_id))

    client = teams_client(bot)
    path = rf"/v3/conversations/{client.conversation_id}/activities"
    for turn, text in enumerate(SCRIPT):
        if turn == FAILING_TURN:
            for status, times, retry_after in failures:
                fake_connector.fail_next("POST", path, status, times, retry_after)
        await client.say(text)

    sent = fake_connector.replies(client.conversation_id)
    assert _texts(sent) == expected and len(expected) == len(SCRIPT)
    assert len({a["id"] for a in sent}) == len(sent)
    own = [r for r in fake_connector.received if r.path.startswith(f"/v3/conversations/{client.conversation_id}/")]
    refused = [status for status, times, _ in failures for _ in range(times)]
    assert [r.status for r in own] == [201] * FAILING_TURN + refused + [201] * (len(SCRIPT) - FAILING_TURN)
    for status, _, retry_after in failures:
        if retry_after is not None:
            first = FAILING_TURN
            assert own[first + 1].at - own[first].at >= float(retry_after)
    assert "Traceback" not in bot.log_text(20000)


async def test_notices_are_retried_paced_and_sent_once(serve, teams_client, fake_connector: FakeConnector) -> None:
    url, app = await serve()
    users = [teams_client(url, TeamsUser(name=f"職員 {i}")) for i in range(60)]
    for user in users:
        await user.say("開始")  # each user's chat is now known (their conversation reference)
    notifier = Notifier(app[ADAPTER], app[BOT].store.storage)
    fake_connector.clear()
    fake_connector.fail_next("POST", r"/activities", 429, 1, retry_after="0")
    fake_connector.fail_next("POST", r"/activities", 502, 2)

    reached = await notifier.send([u.user.aad_object_id for u in users], "締切が近づいています。")

    assert sorted(reached) == sorted(u.user.aad_object_id for u in users)
    assert sorted(s.conversation_id for s in fake_connector.activities) == sorted(u.conversation_id for u in users)
    posts = [r.at for r in fake_connector.received if r.method == "POST"]
    assert len(posts) == 60 + 3
    tenant_limit = dict((s, n) for s, n in TENANT_WINDOWS)[1.0]
    # Times of arrival, not of sending: a loaded machine may bring two sends up to tens of
    # milliseconds closer than they left, so the window is taken 50 ms short (unpaced,
    # all 63 would arrive within it).
    assert max_in_window(posts, 0.95) <= tenant_limit
