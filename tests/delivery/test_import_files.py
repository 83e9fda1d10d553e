"""The import's door to a dropped file: the one downloader (against a fake SharePoint on
loopback TLS), the zip-bomb check before openpyxl, the one reader off the event loop, and
only the file the conversation will offer fetched, once per message."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.delivery import import_files as import_module
from bot.delivery.download import Downloader, parse_hosts
from bot.delivery.import_files import ImportFiles
from bot.dialogs.import_flow import FILE_DOWNLOAD_INFO
from bot.dialogs.inputs import read_input
from bot.dialogs.session import Session
from bot.export import list_reader
from bot.export.answer_workbook import build_answer_workbook
from bot.messages import checks as checks_msg
from bot.messages import delivery as msg
from bot.messages import export as export_msg
from bot.survey.engine import load_survey
from tests.export.records import record
from tests.export.test_list_reader import ZIP_BOMBS, workbook_bytes
from tests.fakes.file_host import FileHost, LoopbackResolver, TestCA, serving

SHAREPOINT = "contoso-my.sharepoint.com"


@pytest.fixture(scope="module")
def survey():
    return load_survey()


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture
async def host(ca: TestCA) -> AsyncIterator[FileHost]:
    async with serving(ca, [SHAREPOINT, "127.0.0.1"]) as served:
        yield served


@pytest.fixture(scope="module")
def workbook(survey) -> bytes:
    return build_answer_workbook(survey, record(confirmation={}))


LIMIT = 200 * 1024  # above the bot's own workbook, below BIG


def files_for(survey, host: FileHost, ca: TestCA, monkeypatch: pytest.MonkeyPatch) -> ImportFiles:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.cert_file))
    downloader = Downloader(parse_hosts(f"*.sharepoint.com:{host.https_port}"), LIMIT, resolver=LoopbackResolver([SHAREPOINT]))
    return ImportFiles(survey, downloader)


def attachment(url: str, name: str = "回答.xlsx") -> dict[str, Any]:
    return {"contentType": FILE_DOWNLOAD_INFO, "contentUrl": url, "name": name,
            "content": {"downloadUrl": url, "uniqueId": "U", "fileType": name.rsplit(".", 1)[-1]}}


FAILED = msg.DOWNLOAD_FAILED.format(limit=export_msg.size_text(LIMIT))
BIG = b"PK" + b"\0" * (LIMIT + 10)
# (case, name, served bytes (None: not served), url: (host, route), the reason, or None when read)
CASES = [
    ("read", "回答.xlsx", "workbook", (SHAREPOINT, "files"), None),
    ("read-streamed", "回答.xlsx", "workbook", (SHAREPOINT, "chunked"), None),
    ("not-xlsx", "memo.pdf", b"%PDF-1.4", (SHAREPOINT, "files"), export_msg.NOT_A_ZIP),
    ("not-found", "回答.xlsx", None, (SHAREPOINT, "files"), FAILED),
    ("too-large", "回答.xlsx", BIG, (SHAREPOINT, "files"), FAILED),
    ("too-large-streamed", "回答.xlsx", BIG, (SHAREPOINT, "chunked"), FAILED),
    ("host-not-allowed", "回答.xlsx", "workbook", ("127.0.0.1", "files"), FAILED),
    ("not-a-workbook", "回答.xlsx", b"PK\x03\x04 nothing", (SHAREPOINT, "files"), export_msg.NOT_A_ZIP),
]


@pytest.mark.parametrize(("name", "served", "where", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_dropped_file_is_fetched_and_read(survey, host, ca, monkeypatch, workbook, name, served, where, reason) -> None:
    files = files_for(survey, host, ca, monkeypatch)
    if served is not None:
        host.files[name] = workbook if served == "workbook" else served
    target, route = where
    dropped = await files.read(attachment(host.url(target, f"{route}/{name}"), name))
    assert dropped.filename == name
    if reason is None:
        assert dropped.error == "" and dropped.read is not None
        assert dropped.read.record.answers == record().answers
    else:
        assert (dropped.read, dropped.error) == (None, reason)
    fetched = not name.endswith(".pdf") and target == SHAREPOINT
    assert host.requested == ([f"{route}/{name}"] if fetched else [])


@pytest.mark.parametrize(("make", "reason_ok"), [b[1:] for b in ZIP_BOMBS], ids=[b[0] for b in ZIP_BOMBS])
async def test_zip_bombs_are_refused_before_openpyxl(survey, host, ca, monkeypatch, make, reason_ok) -> None:
    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl was given a zip bomb")

    monkeypatch.setattr(list_reader, "load_workbook", never)
    monkeypatch.setattr("bot.export.record_reader.load_workbook", never)
    host.files["bomb.xlsx"] = make()
    files = files_for(survey, host, ca, monkeypatch)
    dropped = await files.read(attachment(host.url(SHAREPOINT, "files/bomb.xlsx"), "bomb.xlsx"))
    assert dropped.read is None and reason_ok(dropped.error), dropped.error


async def test_a_workbook_without_either_sheet_says_so(survey, host, ca, monkeypatch) -> None:
    host.files["other.xlsx"] = workbook_bytes(["a"], ["b"], sheet="Sheet1", extra_sheets=())
    files = files_for(survey, host, ca, monkeypatch)
    dropped = await files.read(attachment(host.url(SHAREPOINT, "files/other.xlsx"), "other.xlsx"))
    assert dropped.error == checks_msg.NO_ANSWER_SHEET.format(answer="回答シート", list="一覧用")


async def test_the_reader_runs_off_the_event_loop(survey, host, ca, monkeypatch, workbook) -> None:
    seen: list[int] = []
    real = import_module.read_answer_workbook

    def in_a_worker(*args: Any, **kwargs: Any) -> Any:
        with pytest.raises(RuntimeError):
            asyncio.get_running_loop()  # no event loop in this thread
        seen.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(import_module, "read_answer_workbook", in_a_worker)
    host.files["a.xlsx"] = workbook
    files = files_for(survey, host, ca, monkeypatch)
    dropped = await files.read(attachment(host.url(SHAREPOINT, "files/a.xlsx"), "a.xlsx"))
    assert dropped.read is not None and seen and seen[0] != threading.get_ident()


def session(staff: str | None = None, conversation_type: str = "personal") -> Session:
    return Session("u1", "山田", "c1", conversation_type, user={}, answer=None, staff_prefecture=staff)


# (case, text typed with the files, how many files, staff, chat: fetched?)
WHICH = [
    ("one-file", "", 1, None, "personal", True),
    ("two-files", "", 2, None, "personal", False),
    ("staff-drop-is-for-the-list", "", 1, "14", "personal", False),
    ("staff-with-the-word", "取込", 1, "14", "personal", True),
    ("with-集計", "集計 神奈川県", 1, "14", "personal", False),
    ("group-chat-without-an-answer", "", 1, None, "groupChat", False),
]


@pytest.mark.parametrize(("text", "count", "staff", "chat", "fetched"), [w[1:] for w in WHICH], ids=[w[0] for w in WHICH])
async def test_only_the_file_to_offer_is_fetched_once_per_message(
    survey, host, ca, monkeypatch, workbook, text, count, staff, chat, fetched
) -> None:
    host.files["a.xlsx"] = workbook
    files = files_for(survey, host, ca, monkeypatch)
    inp = read_input(text, None, [attachment(host.url(SHAREPOINT, "files/a.xlsx"), "a.xlsx")] * count)
    message = files.for_message(inp)
    for _attempt in range(3):  # a turn redone after write conflicts reads the same file
        dropped = await message.read(session(staff, chat))
        assert (dropped is not None) == fetched
    assert host.requested == (["files/a.xlsx"] if fetched else [])
