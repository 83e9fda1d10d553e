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
from bot.delivery.collect import FILE_DOWNLOAD_INFO, MAX_FILES_PER_MESSAGE, ORGS_NAMED, Collector, check_lines
from bot.delivery.download import Downloader, parse_hosts
from bot.export import answer_workbook
from bot.delivery.tokens import verify
from bot.dialogs.effects import Collect, Export, IndexAnswer, ReceiveFiles
from bot.dialogs.records import UserRecord
from bot.dialogs.session import Session
from bot.messages import checks as checks_msg
from bot.messages import delivery as msg
from bot.messages import desk as desk_msg
from bot.messages import export as export_msg
from bot.state.answer_index import AnswerIndex
from bot.state.staff import Grant, StaffGrants
from bot.state.turn_store import TurnStore
from bot.survey.checks import Checked, Finding
from bot.survey.engine import load_survey
from tests.export.records import CONFIRMED, record
from tests.survey_2307 import HEADERS, ORG_COLUMN
from tests.export.test_list_reader import BROKEN, EXPECTED, GOOD, HAND_ROW, TEMPLATE_HEADERS, workbook_bytes
from tests.fakes.file_host import FileHost, LoopbackResolver, TestCA, serving
from tests.redis_server import RoundTrips

NS = "t"
STAFF_14 = "aad-staff-14"
STAFF_13 = "aad-staff-13"
GRANTED_14 = "aad-granted-14"  # staff by an administrator's grant in the chat (Redis)
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
    return Session(user_key, "担当者", "conv-1", conversation_type, user=UserRecord(), answer=None)


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
    effect = IndexAnswer("a9", "", "14神奈川県中井町")
    await delivery.effects["index"](FakeTurn(), _session("u"), effect)
    assert await index.answer_ids("14") == ["a9"]


# --- rows from stored answers: one SMEMBERS, one MGET --------------------------------------


async def test_stored_answers_in_one_mget(redis_client, parts) -> None:
    collector, index, store = parts
    for name in ("14神奈川県相模原市", "14神奈川県中井町", "14神奈川県大井町", "13東京都千代田区"):
        await _store_answer(store, index, name)
    # Renamed to another prefecture after it was indexed (its index effect still to come).
    moved = await _store_answer(store, index, "14神奈川県箱根町")
    data, etag = await store.load_answer(moved)
    data["respondent"]["org_name"] = "13東京都港区"
    await store.save_answer(moved, data, etag)

    trips = RoundTrips(redis_client)
    entries = []

    async def collect() -> None:
        entries.extend(await collector.stored_entries("14"))

    sent, _ = await trips.measure(collect())
    assert sent == ["smembers", "mget"]
    assert sorted(e.org for e in entries) == ["14神奈川県中井町", "14神奈川県大井町", "14神奈川県相模原市"]
    assert all(e.source == checks_msg.FROM_BOT and set(e.cells) == set(HEADERS) for e in entries)


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
    ("granted in the chat, asks 神奈川県", GRANTED_14, "神奈川県", "14"),
    ("granted in the chat, asks 東京都", GRANTED_14, "東京都", None),
    ("the setting wins over a grant", STAFF_13, "東京都", "13"),
]


@pytest.mark.parametrize(("user", "requested", "expected"), [c[1:] for c in AUTH_CASES], ids=[c[0] for c in AUTH_CASES])
async def test_authorised_code(redis_client, parts, user: str, requested: str, expected) -> None:
    collector, _, _ = parts
    grants = StaffGrants(redis_client, NS, CONFIG.prefecture_staff)
    await grants.grant(Grant(GRANTED_14, "14"))
    await grants.grant(Grant(STAFF_13, "14"))  # a stray grant for someone the setting names
    assert await collector.authorised_code(user, requested) == expected


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
    await collector.collect(turn, _session(user), Collect(requested, attachments))
    assert turn.texts == [msg.COLLECT_REFUSED]
    assert files_server.requested == []  # nothing downloaded for someone who may not collect


async def test_collect_alone_is_the_staff_members_own_prefecture(parts) -> None:
    collector, index, store = parts
    await _store_answer(store, index, "14神奈川県相模原市")
    turn = FakeTurn()
    await collector.collect(turn, _session(STAFF_14), Collect("", []))
    assert msg.COLLECT_TITLE.format(prefecture="神奈川県", total=1) in turn.sent[0].text


async def test_collect_alone_by_anyone_else_is_refused(parts) -> None:
    collector, _, _ = parts
    turn = FakeTurn()
    await collector.collect(turn, _session("aad-nobody"), Collect("", []))
    assert turn.texts == [msg.COLLECT_REFUSED]


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

WHOLE_WORKBOOK_REASONS = {"no-list-sheet": checks_msg.NO_ANSWER_SHEET.format(answer="回答シート", list="一覧用")}
FAILED = msg.DOWNLOAD_FAILED.format(limit=export_msg.size_text(LIMIT))
# (file name, bytes or None for "not served", route, reason or None when accepted)
FILE_CASES = [
    ("good.xlsx", GOOD, "files", None),
    ("good-streamed.xlsx", GOOD, "chunked", None),
    # The whole workbook is read: a file without 一覧用 may still have a 回答シート.
    *[(f"{row[0]}.xlsx", row[1], "files", WHOLE_WORKBOOK_REASONS.get(row[0], row[3])) for row in BROKEN if not row[2]],
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
        assert ([(n, read.list_row()) for n, read in check.accepted], check.rejected) == ([(name, EXPECTED)], [])
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
    await collector.receive_files(turn, _session(STAFF_14), ReceiveFiles(dropped))
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
    monkeypatch.setattr(collect_module, "read_answer_workbook", threads.wrap("read", collect_module.read_answer_workbook))
    monkeypatch.setattr(collect_module, "build_checked_list", threads.wrap("build", collect_module.build_checked_list))
    turn = FakeTurn()
    effect = Collect("神奈川県", [_attachment(files_server, "good.xlsx")])
    await collector.collect(turn, _session(STAFF_14), effect)
    assert set(threads.seen) == {"read", "build"} and threading.get_ident() not in threads.seen.values()
    assert msg.COLLECT_COUNTS.format(confirmed=1, unconfirmed=0, from_files=1) in turn.sent[0].text


async def test_progress_is_worked_out_off_the_event_loop(parts, monkeypatch) -> None:
    collector, index, store = parts
    await _store_answer(store, index, "14神奈川県相模原市")
    threads = Threads()
    monkeypatch.setattr(collect_module, "desk_progress", threads.wrap("progress", collect_module.desk_progress))
    monkeypatch.setattr(collect_module, "bot_entry", threads.wrap("rows", collect_module.bot_entry))
    rows = await collector.progress("14", STAFF_14)
    assert set(threads.seen) == {"progress", "rows"} and threading.get_ident() not in threads.seen.values()
    assert len(rows) == 33


async def test_the_answer_workbook_is_built_off_the_event_loop(parts, monkeypatch) -> None:
    collector, index, store = parts
    answer_id = await _store_answer(store, index, "14神奈川県相模原市")
    threads = Threads()
    monkeypatch.setattr(answer_workbook, "build_answer_workbook", threads.wrap("answer", answer_workbook.build_answer_workbook))
    turn = FakeTurn()
    await collector._files.export(turn, _session("someone", "personal"), Export(answer_id))
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
    await collector.receive_files(turn, _session(STAFF_14), ReceiveFiles(dropped))
    [reply] = turn.texts
    # The phone typed as a number lost its leading 0: named at once, the file still kept.
    assert "good.xlsx（14神奈川県中井町）" + desk_msg.ACCEPTED_FINDINGS.format(fix=1, check=0) in reply
    assert f"broken.xlsx：{export_msg.NOT_A_ZIP}" in reply
    [kept] = await collector.kept_entries(STAFF_14, "14")
    assert (kept.source, [kept.cells.get(h, "") for h in HEADERS]) == ("good.xlsx", EXPECTED)

    turn = FakeTurn()
    await collector.collect(turn, _session(STAFF_14), Collect("神奈川", []))
    activity, risks = turn.sent
    assert risks.attachments[0].content["body"][0]["text"] == desk_msg.RISK_TITLE
    assert msg.COLLECT_COUNTS.format(confirmed=1, unconfirmed=1, from_files=1) in activity.text
    assert "rouken-keikaku@mhlw.go.jp" in activity.text and "件名「【神奈川県】2307 マイナンバー調査回答」" in activity.text
    assert "令和5年7月21日（金）17時" in activity.text
    [card] = activity.attachments
    assert card.content_type == ADAPTIVE
    url = next(a["url"] for a in card.content["body"][-1]["actions"])
    token = url.rsplit("/", 1)[1]
    secret = await collector._files.secret.get()
    assert verify(token, secret, time.time()) == ("p", f"14:{STAFF_14}")

    built, _, summary = await collector.build_list("14", STAFF_14)
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
    effect = ReceiveFiles([_attachment(files_server, "good.xlsx")])
    await collector.receive_files(turn, _session("aad-someone"), effect)
    assert (turn.texts, files_server.requested) == ([msg.RECEIVE_NOT_STAFF], [])


async def test_generated_link_secret_is_shared_through_redis(redis_client, survey) -> None:
    config = replace(CONFIG, file_link_secret="")
    first = build_delivery(config, redis_client, TurnStore(redis_client, NS), survey)
    second = build_delivery(config, redis_client, TurnStore(redis_client, NS), survey)
    secret = await first.files.secret.get()
    assert (len(secret), await second.files.secret.get()) == (32, secret)
    assert await redis_client.get(f"{NS}:secret:file_links") == secret


# --- checks: a file with problems is listed, marked; another prefecture's is not ------------


def _hand_filled(**changes: Any) -> bytes:
    row = {**HAND_ROW, **changes}
    return workbook_bytes(TEMPLATE_HEADERS, [row[h] for h in TEMPLATE_HEADERS])


PLACED_FILES = [
    # (file, 組織名 as written, accepted)
    ("no-code.xlsx", "神奈川県中井町", True),
    ("wrong-code.xlsx", "13神奈川県中井町", True),
    ("city-only.xlsx", "相模原市", True),
    ("two-prefectures-city.xlsx", "府中市", True),  # cannot be placed: listed, marked
    ("tokyo.xlsx", "13東京都千代田区", False),
    ("tokyo-without-code.xlsx", "東京都千代田区", False),
]


async def test_a_file_is_turned_away_only_when_it_is_another_prefectures(parts, files_server) -> None:
    collector, _, _ = parts
    for name, org_name, _ in PLACED_FILES:
        files_server.files[name] = _hand_filled(組織名=org_name)
    check = await collector.check_files([_attachment(files_server, n) for n, _, _ in PLACED_FILES], "14")
    assert sorted(n for n, _ in check.accepted) == sorted(n for n, _, ok in PLACED_FILES if ok)
    assert sorted(n for n, _ in check.rejected) == sorted(n for n, _, ok in PLACED_FILES if not ok)

    await collector.keep(STAFF_14, check.accepted, "2023-07-10 10:00")
    built, checked, _ = await collector.build_list("14", STAFF_14)
    listed = [row[ORG_COLUMN] for row in load_workbook(io.BytesIO(built.data))["一覧"].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(org for _, org, ok in PLACED_FILES if ok)
    findings = load_workbook(io.BytesIO(built.data))["点検結果"]
    marked = {(row[0], row[3]) for row in findings.iter_rows(min_row=2, values_only=True)}
    assert {(org, "組織名") for _, org, ok in PLACED_FILES if ok} <= marked


CHECK_LINES = [
    ("nothing found", [], [desk_msg.CHECKS_NONE]),
    ("one organisation, a file", [("14神奈川県中井町", "中井町.xlsx", "title", checks_msg.FIX), ("14神奈川県中井町", "中井町.xlsx", "unanswered", checks_msg.FIX),
                                  ("14神奈川県中井町", "中井町.xlsx", "unanswered", checks_msg.FIX), ("14神奈川県中井町", "中井町.xlsx", "flags", checks_msg.CHECK)],
     [desk_msg.CHECKS_COUNTS.format(fix=3, check=1, orgs=1),
      "\n".join([desk_msg.CHECKS_ORGS_TITLE, "・14神奈川県中井町（中井町.xlsx）: 役職 1件、未回答 2件、情報未入力・未回答の表示 1件"]),
      desk_msg.CHECKS_FILES_LISTED]),
    ("the bot's answers only", [("14神奈川県厚木市", checks_msg.FROM_BOT, "title", checks_msg.CHECK)],
     [desk_msg.CHECKS_COUNTS.format(fix=0, check=1, orgs=1),
      "\n".join([desk_msg.CHECKS_ORGS_TITLE, f"・14神奈川県厚木市（{checks_msg.FROM_BOT}）: 役職 1件"])]),
]


@pytest.mark.parametrize(("findings", "lines"), [c[1:] for c in CHECK_LINES], ids=[c[0] for c in CHECK_LINES])
def test_check_lines(findings, lines) -> None:
    checked = Checked(kept=[], findings=[Finding(org, source, "x", "", "p", "r", kind, severity) for org, source, kind, severity in findings])
    assert check_lines(checked) == lines


def test_check_lines_name_the_first_organisations_and_count_the_rest() -> None:
    findings = [Finding(f"14神奈川県{n:02d}町", "f.xlsx", "x", "", "p", "r", "value", checks_msg.FIX) for n in range(ORGS_NAMED + 3)]
    _, named, _ = check_lines(Checked(kept=[], findings=findings))
    assert named.splitlines()[1].startswith("・14神奈川県00町") and named.splitlines()[-1] == desk_msg.CHECKS_MORE.format(count=3)


async def test_a_value_the_bot_did_not_write_is_left_out_of_the_list(redis_client, parts, files_server) -> None:
    """A kept file or a stored answer that is not of its declared shape is skipped (and
    logged), not the prefecture's whole 集計."""
    collector, index, store = parts
    await _store_answer(store, index, "14神奈川県相模原市")
    broken_id = await _store_answer(store, index, "14神奈川県大井町")
    await redis_client.set(f"{NS}:answer:{broken_id}", '{"answer_id": "x", "respondent": {"org_name": "14神奈川県大井町"}, "answers": 3}')
    files_server.files["good.xlsx"] = GOOD
    await collector.receive_files(FakeTurn(), _session(STAFF_14), ReceiveFiles([_attachment(files_server, "good.xlsx")]))
    await redis_client.hset(f"{NS}:collect:{STAFF_14}", mapping={"junk.xlsx": b"\xff", "odd.xlsx": b'{"cells": {"a": 1}}'})

    entries = await collector.entries("14", STAFF_14)
    assert {(e.source, e.org) for e in entries} == {
        (checks_msg.FROM_BOT, "14神奈川県相模原市"), ("good.xlsx", "14神奈川県中井町"),
    }
