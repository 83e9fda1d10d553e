"""集計 against a real Redis: the prefecture index, the one-MGET collection, who may
collect, and dropped files (good and broken) served by a fake SharePoint over loopback
TLS (tests/fakes/file_host.py), fetched by the bot's one downloader."""
from __future__ import annotations

import asyncio
import io
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
import redis.asyncio
from openpyxl import load_workbook

from bot.config import Config
from bot.delivery import build_delivery
from bot.delivery import collect as collect_module
from bot.delivery.collect import FILE_DOWNLOAD_INFO, MAX_FILES_PER_MESSAGE, Collector
from bot.delivery.download import Downloader, parse_hosts
from bot.export import answer_workbook
from bot.delivery.tokens import verify
from bot.dialogs.session import Effect, Session
from tests.survey_2307 import HEADERS, ORG_COLUMN
from bot.messages import delivery as msg
from bot.messages import export as export_msg
from bot.state.answer_index import AnswerIndex
from bot.state.turn_store import TurnStore
from bot.survey.engine import load_survey
from tests.export.records import CONFIRMED, record
from tests.export.test_list_reader import BROKEN, EXPECTED, GOOD, HAND_ROW, TEMPLATE_HEADERS, workbook_bytes
from tests.fakes.file_host import FileHost, LoopbackResolver, TestCA, serving
from tests.redis_server import RoundTrips

NS = "t"
STAFF_14 = "aad-staff-14"
STAFF_13 = "aad-staff-13"
CONFIG = Config(redis_namespace=NS, prefecture_staff={STAFF_14: "14", STAFF_13: "13"}, public_url="http://127.0.0.1:1")
ADAPTIVE = "application/vnd.microsoft.card.adaptive"


@pytest.fixture(scope="module")
def survey():
    return load_survey()


SHAREPOINT = "kanagawa-my.sharepoint.com"


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture
async def files_server(ca: TestCA) -> AsyncIterator[FileHost]:
    async with serving(ca, [SHAREPOINT, "127.0.0.1"]) as host:
        yield host


def downloader_for(host: FileHost, ca: TestCA, monkeypatch: pytest.MonkeyPatch, max_bytes: int = 5 * 1024 * 1024) -> Downloader:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.cert_file))
    return Downloader(parse_hosts(f"*.sharepoint.com:{host.https_port}"), max_bytes, resolver=LoopbackResolver([SHAREPOINT]))


@pytest.fixture
def parts(redis_client: redis.asyncio.Redis, survey, files_server, ca, monkeypatch) -> tuple[Collector, AnswerIndex, TurnStore]:
    store = TurnStore(redis_client, NS)
    delivery = build_delivery(CONFIG, redis_client, store, survey, downloader_for(files_server, ca, monkeypatch))
    return delivery.collector, delivery.index, store


async def _store_answer(store: TurnStore, index: AnswerIndex, org_name: str, confirmed: bool = True) -> str:
    rec = record(org_name=org_name, confirmation=CONFIRMED if confirmed else {"status": "draft"})
    await store.save_answer(rec.answer_id, rec.to_json(), None)
    await index.update(rec.answer_id, "", org_name)
    return rec.answer_id


class FakeTurn:
    """What an effect handler uses of a TurnContext: send_activity."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send_activity(self, activity: Any) -> None:
        self.sent.append(activity)

    @property
    def texts(self) -> list[str]:
        return [a if isinstance(a, str) else (a.text or "") for a in self.sent]


def _session(user_key: str, conversation_type: str = "groupChat") -> Session:
    return Session(user_key, "担当者", "conv-1", conversation_type, user={}, answer=None)


# --- the prefecture index ----------------------------------------------------------------

INDEX_CASES = [
    ("new answer", [("", "14神奈川県相模原市")], {"14": ["a1"], "13": []}),
    ("renamed within the prefecture", [("", "14神奈川県相模原市"), ("14神奈川県相模原市", "14神奈川県中井町")], {"14": ["a1"], "13": []}),
    ("moved to another prefecture", [("", "14神奈川県相模原市"), ("14神奈川県相模原市", "13東京都千代田区")], {"14": [], "13": ["a1"]}),
    ("name cleared", [("", "14神奈川県相模原市"), ("14神奈川県相模原市", "")], {"14": [], "13": []}),
    ("name without a valid code", [("", "99どこか村")], {"14": [], "13": []}),
    ("prefecture itself", [("", "14神奈川県")], {"14": ["a1"], "13": []}),
]


@pytest.mark.parametrize(("updates", "expected"), [c[1:] for c in INDEX_CASES], ids=[c[0] for c in INDEX_CASES])
async def test_index_follows_org_name(redis_client, updates, expected) -> None:
    index = AnswerIndex(redis_client, NS)
    for old, new in updates:
        await index.update("a1", old, new)
    assert {code: await index.answer_ids(code) for code in expected} == expected


async def test_index_effect_updates_the_index(redis_client, parts) -> None:
    collector, index, store = parts
    delivery = build_delivery(CONFIG, redis_client, store, None)
    effect = Effect("index", {"answer_id": "a9", "old": "", "new": "14神奈川県中井町"})
    await delivery.effects["index"](FakeTurn(), _session("u"), effect)
    assert await index.answer_ids("14") == ["a9"]


# --- rows from stored answers: one SMEMBERS, one MGET --------------------------------------


async def test_stored_rows_in_one_mget(redis_client, parts) -> None:
    collector, index, store = parts
    for name in ("14神奈川県相模原市", "14神奈川県中井町", "14神奈川県大井町", "13東京都千代田区"):
        await _store_answer(store, index, name)
    # Renamed to another prefecture after it was indexed (its index effect still to come).
    moved = await _store_answer(store, index, "14神奈川県箱根町")
    data, etag = await store.load_answer(moved)
    data["respondent"]["org_name"] = "13東京都港区"
    await store.save_answer(moved, data, etag)

    trips = RoundTrips(redis_client)
    rows = []

    async def collect() -> None:
        rows.extend(await collector.stored_rows("14"))

    sent, _ = await trips.measure(collect())
    assert sent == ["smembers", "mget"]
    assert sorted(r[ORG_COLUMN] for r in rows) == ["14神奈川県中井町", "14神奈川県大井町", "14神奈川県相模原市"]
    assert all(len(r) == len(HEADERS) for r in rows)


# --- who may collect -------------------------------------------------------------------------

AUTH_CASES = [
    ("staff of 14 asks 神奈川県", STAFF_14, "神奈川県", "14"),
    ("staff of 14 asks 神奈川", STAFF_14, "神奈川", "14"),
    ("staff of 14 asks 14", STAFF_14, "14", "14"),
    ("staff of 14 asks full-width １４", STAFF_14, "１４", "14"),
    ("staff of 14 asks 東京都", STAFF_14, "東京都", None),
    ("staff of 14 asks 13", STAFF_14, "13", None),
    ("staff of 13 asks 神奈川県", STAFF_13, "神奈川県", None),
    ("staff of 14 asks nonsense", STAFF_14, "神奈川市", None),
    ("non-staff asks 神奈川県", "aad-someone", "神奈川県", None),
    ("non-staff asks nothing", "aad-someone", "", None),
]


@pytest.mark.parametrize(("user", "requested", "expected"), [c[1:] for c in AUTH_CASES], ids=[c[0] for c in AUTH_CASES])
def test_authorised_code(parts, user: str, requested: str, expected) -> None:
    collector, _, _ = parts
    assert collector.authorised_code(user, requested) == expected


REFUSED_CASES = [
    ("non-staff, answers exist", "aad-someone", "神奈川県"),
    ("staff of 14 asking 13, answers exist", STAFF_14, "東京都"),
    ("staff of 14 asking 13, no answers", STAFF_14, "13"),
    ("non-staff, no prefecture", "aad-someone", ""),
]


@pytest.mark.parametrize(("user", "requested"), [c[1:] for c in REFUSED_CASES], ids=[c[0] for c in REFUSED_CASES])
async def test_refusal_reveals_nothing(parts, files_server, user: str, requested: str) -> None:
    collector, index, store = parts
    await _store_answer(store, index, "14神奈川県相模原市")
    await _store_answer(store, index, "13東京都千代田区")
    turn = FakeTurn()
    attachments = [_attachment(files_server, "good.xlsx")]
    await collector.collect(turn, _session(user), Effect("collect", {"prefecture": requested, "attachments": attachments}))
    assert turn.texts == [msg.COLLECT_REFUSED]
    assert files_server.requested == []  # nothing downloaded for someone who may not collect


async def test_staff_without_prefecture_gets_usage(parts) -> None:
    collector, _, _ = parts
    turn = FakeTurn()
    await collector.collect(turn, _session(STAFF_14), Effect("collect", {"prefecture": "", "attachments": []}))
    assert turn.texts == [msg.COLLECT_USAGE.format(example="神奈川県")]


# --- dropped files, served by the fake SharePoint -------------------------------------------


def _attachment(server: FileHost, name: str, route: str = "files", host: str = SHAREPOINT) -> dict[str, Any]:
    url = server.url(host, f"{route}/{name}")
    return {
        "contentType": FILE_DOWNLOAD_INFO,
        "contentUrl": url,
        "name": name,
        "content": {"downloadUrl": url, "uniqueId": "X", "fileType": name.rsplit(".", 1)[-1]},
    }


OTHER_PREFECTURE = workbook_bytes(
    TEMPLATE_HEADERS, [HAND_ROW[h] if h != "組織名" else "13東京都千代田区" for h in TEMPLATE_HEADERS]
)
NO_ORG_NAME = workbook_bytes(TEMPLATE_HEADERS, [HAND_ROW[h] if h != "組織名" else None for h in TEMPLATE_HEADERS])
# Above every served test file, below BIG: the limit is the only reason BIG is refused.
LIMIT = max(len(GOOD), len(OTHER_PREFECTURE), len(NO_ORG_NAME), *(len(row[1]) for row in BROKEN)) + 10
BIG = GOOD + b"\0" * (LIMIT - len(GOOD) + 20)

FAILED = msg.DOWNLOAD_FAILED.format(limit=export_msg.size_text(LIMIT))
# (file name, bytes or None for "not served", route, reason or None when accepted)
FILE_CASES = [
    ("good.xlsx", GOOD, "files", None),
    ("good-streamed.xlsx", GOOD, "chunked", None),
    *[(f"{row[0]}.xlsx", row[1], "files", row[3]) for row in BROKEN if not row[2]],
    ("other-prefecture.xlsx", OTHER_PREFECTURE, "files", msg.OTHER_PREFECTURE.format(org_name="13東京都千代田区", prefecture="神奈川県")),
    ("no-org-name.xlsx", NO_ORG_NAME, "files", msg.NO_ORG_NAME.format(sheet="一覧用")),
    ("memo.pdf", b"%PDF-1.4", "files", export_msg.NOT_A_ZIP),
    # Whatever went wrong with the download, one message (no probing the network through it).
    ("gone.xlsx", None, "files", FAILED),
    ("oversize.xlsx", BIG, "files", FAILED),
    ("oversize-streamed.xlsx", BIG, "chunked", FAILED),
]


@pytest.mark.parametrize(("name", "data", "route", "reason"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
async def test_dropped_file_is_checked(redis_client, survey, files_server, ca, monkeypatch, name, data, route, reason) -> None:
    store = TurnStore(redis_client, NS)
    downloader = downloader_for(files_server, ca, monkeypatch, max_bytes=LIMIT)
    collector = build_delivery(CONFIG, redis_client, store, survey, downloader).collector
    if data is not None:
        files_server.files[name] = data
    check = await collector.check_files([_attachment(files_server, name, route)], "14")
    if reason is None:
        assert (check.accepted, check.rejected) == ([(name, EXPECTED)], [])
    else:
        assert (check.accepted, check.rejected) == ([], [(name, reason)])
    assert files_server.requested == ([] if name.endswith(".pdf") else [f"{route}/{name}"])


async def test_files_past_the_limit_of_one_message_are_named_not_fetched(parts, files_server) -> None:
    collector, _, _ = parts
    files_server.files["good.xlsx"] = GOOD
    dropped = [_attachment(files_server, "good.xlsx") for _ in range(MAX_FILES_PER_MESSAGE + 2)]
    check = await collector.check_files(dropped, "14")
    too_many = msg.TOO_MANY_FILES.format(limit=MAX_FILES_PER_MESSAGE)
    assert (len(check.accepted), check.rejected) == (MAX_FILES_PER_MESSAGE, [("good.xlsx", too_many)] * 2)
    assert len(files_server.requested) == MAX_FILES_PER_MESSAGE


async def test_a_file_elsewhere_than_teams_is_not_fetched(parts, files_server) -> None:
    collector, _, _ = parts
    files_server.files["good.xlsx"] = GOOD
    dropped = [_attachment(files_server, "good.xlsx", host="127.0.0.1")]
    turn = FakeTurn()
    await collector.receive_files(turn, _session(STAFF_14), Effect("receive_files", {"attachments": dropped}))
    [reply] = turn.texts
    assert f"good.xlsx：{msg.DOWNLOAD_FAILED.format(limit=export_msg.size_text(5 * 1024 * 1024))}" in reply
    assert files_server.requested == []


class Threads:
    """Wraps functions so that each records the thread it ran in, and fails if an
    event loop runs there."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def wrap(self, name: str, function: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with pytest.raises(RuntimeError):
                asyncio.get_running_loop()  # no event loop runs in this thread
            self.seen[name] = threading.get_ident()
            return function(*args, **kwargs)

        return wrapped


async def test_files_are_read_and_lists_built_off_the_event_loop(parts, files_server, monkeypatch) -> None:
    """openpyxl work runs in a worker thread: the loop keeps serving other users meanwhile."""
    collector, index, store = parts
    await _store_answer(store, index, "14神奈川県相模原市")
    files_server.files["good.xlsx"] = GOOD
    threads = Threads()
    monkeypatch.setattr(collect_module, "read_list_row", threads.wrap("read", collect_module.read_list_row))
    monkeypatch.setattr(collect_module, "build_prefecture_workbook", threads.wrap("build", collect_module.build_prefecture_workbook))
    turn = FakeTurn()
    effect = Effect("collect", {"prefecture": "神奈川県", "attachments": [_attachment(files_server, "good.xlsx")]})
    await collector.collect(turn, _session(STAFF_14), effect)
    assert set(threads.seen) == {"read", "build"} and threading.get_ident() not in threads.seen.values()
    assert msg.COLLECT_COUNTS.format(confirmed=1, unconfirmed=0, from_files=1) in turn.sent[0].text


async def test_the_answer_workbook_is_built_off_the_event_loop(parts, monkeypatch) -> None:
    collector, index, store = parts
    answer_id = await _store_answer(store, index, "14神奈川県相模原市")
    threads = Threads()
    monkeypatch.setattr(answer_workbook, "build_answer_workbook", threads.wrap("answer", answer_workbook.build_answer_workbook))
    turn = FakeTurn()
    await collector._files.export(turn, _session("someone", "personal"), Effect("export", {"answer_id": answer_id}))
    assert list(threads.seen) == ["answer"] and threading.get_ident() not in threads.seen.values()
    [activity] = turn.sent
    assert activity.attachments[0].content_type == "application/vnd.microsoft.teams.card.file.consent"


async def test_received_files_are_kept_and_counted_in_the_list(parts, files_server) -> None:
    collector, index, store = parts
    await _store_answer(store, index, "14神奈川県相模原市", confirmed=True)
    await _store_answer(store, index, "14神奈川県大井町", confirmed=False)
    await _store_answer(store, index, "13東京都千代田区")
    files_server.files.update({"good.xlsx": GOOD, "broken.xlsx": b"not a workbook"})

    turn = FakeTurn()
    dropped = [_attachment(files_server, "good.xlsx"), _attachment(files_server, "broken.xlsx")]
    await collector.receive_files(turn, _session(STAFF_14), Effect("receive_files", {"attachments": dropped}))
    [reply] = turn.texts
    assert "good.xlsx（14神奈川県中井町）" in reply
    assert f"broken.xlsx：{export_msg.NOT_A_ZIP}" in reply
    assert await collector.kept_rows(STAFF_14, "14") == [EXPECTED]

    turn = FakeTurn()
    await collector.collect(turn, _session(STAFF_14), Effect("collect", {"prefecture": "神奈川", "attachments": []}))
    [activity] = turn.sent
    assert msg.COLLECT_COUNTS.format(confirmed=1, unconfirmed=1, from_files=1) in activity.text
    assert "rouken-keikaku@mhlw.go.jp" in activity.text and "件名「【神奈川県】2307 マイナンバー調査回答」" in activity.text
    assert "令和5年7月21日（金）17時" in activity.text
    [card] = activity.attachments
    assert card.content_type == ADAPTIVE
    url = next(a["url"] for a in card.content["body"][-1]["actions"])
    token = url.rsplit("/", 1)[1]
    secret = await collector._files.secret.get()
    assert verify(token, secret, time.time()) == ("p", f"14:{STAFF_14}")

    built, summary = await collector.build_list("14", STAFF_14)
    sheet = load_workbook(io.BytesIO(built.data))["一覧"]
    names = [row[ORG_COLUMN] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert (built.name, names) == (
        "【神奈川県】2307 マイナンバー調査回答.xlsx",
        ["14神奈川県中井町", "14神奈川県大井町", "14神奈川県相模原市"],
    )


async def test_non_staff_files_are_not_read(parts, files_server) -> None:
    collector, _, _ = parts
    files_server.files["good.xlsx"] = GOOD
    turn = FakeTurn()
    effect = Effect("receive_files", {"attachments": [_attachment(files_server, "good.xlsx")]})
    await collector.receive_files(turn, _session("aad-someone"), effect)
    assert (turn.texts, files_server.requested) == ([msg.RECEIVE_NOT_STAFF], [])


async def test_generated_link_secret_is_shared_through_redis(redis_client, survey) -> None:
    config = replace(CONFIG, file_link_secret="")
    first = build_delivery(config, redis_client, TurnStore(redis_client, NS), survey)
    second = build_delivery(config, redis_client, TurnStore(redis_client, NS), survey)
    secret = await first.files.secret.get()
    assert (len(secret), await second.files.secret.get()) == (32, secret)
    assert await redis_client.get(f"{NS}:secret:file_links") == secret
