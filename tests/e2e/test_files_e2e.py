"""出力 and 集計 over HTTP: the real `python -m bot`, the fake connector, a real Redis.

Personal chat: FileConsentCard -> fileConsent/invoke -> PUT to the fake's upload
endpoint -> FileInfoCard (or, declined, a link). Group chat: a signed link to
GET /files/{token}, refused when tampered with or expired.
"""
from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from openpyxl import load_workbook

from bot.delivery.tokens import sign, verify
from bot.export.columns import row_for
from tests.survey_2307 import HEADERS
from bot.messages import cards as cards_msg
from bot.messages import checks as checks_msg
from bot.messages import delivery as msg
from bot.survey.engine import load_survey
from bot.survey.model import AnswerRecord, Confirmation, ConfirmationStatus
from tests.e2e.harness import BotProcess
from tests.export.test_list_reader import BROKEN, EXPECTED as HAND_FILLED_ROW, GOOD as HAND_FILLED
from tests.fakes.connector import FakeConnector
from tests.fakes.file_host import FileHost, TestCA, serving
from tests.fakes.teams import FILE_CONSENT_CARD, FILE_INFO_CARD, TeamsClient, TeamsUser

SECRET = "e2e-file-link-secret-of-32-bytes-or-more"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF = TeamsUser(name="県 担当", aad_object_id="6f1c0000-0000-0000-0000-00000000c014")

RESPONDENT = {
    "org_type": "市区町村",
    "dept": "介護保険課",
    "title": "介護保険課長",
    "responsible_name": "相模 太郎",
    "contact_name": "原 花子",
    "phone": "042-754-1111",
    "email": "kaigo@example.lg.jp",
}
# Typed after 開始: the 回答者情報 in the sheet's order, then Q1-1 and Q2 (both ①).
ITEM_ANSWERS = {"1-1": 1, "2": 1}


@pytest.fixture(scope="module")
def survey():
    return load_survey()


@pytest.fixture
async def bot(bot_factory, redis_client) -> BotProcess:
    # redis_client flushes the test db first: the prefecture index starts empty.
    return await bot_factory(env={"FILE_LINK_SECRET": SECRET, "PREFECTURE_STAFF": f"{STAFF.aad_object_id}:14"})


async def answer_quickly(client: TeamsClient, org_name: str) -> None:
    typed = [
        "開始", RESPONDENT["org_type"], org_name, RESPONDENT["dept"], RESPONDENT["title"],
        RESPONDENT["responsible_name"], RESPONDENT["contact_name"], RESPONDENT["phone"], RESPONDENT["email"],
    ]
    for text in typed:
        await client.say(text)
    assert client.last_replies.heading == "Q1-1", client.last_replies.all_text
    for value in ITEM_ANSWERS.values():
        await client.say(str(value))


def expected_row(survey, org_name: str) -> list[str]:
    record = AnswerRecord(
        answer_id="expected",
        respondent={**RESPONDENT, "org_name": org_name},
        answers=dict(ITEM_ANSWERS),
        confirmation=Confirmation(ConfirmationStatus.DRAFT),
    )
    return row_for(survey, record)


def list_row(data: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(data))["一覧用"]
    rows = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert list(rows[0]) == list(HEADERS)
    return ["" if v is None else v for v in rows[1]]


def prefecture_rows(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data))["一覧"]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, str], bytes]:
    async with http.get(url) as response:
        return response.status, dict(response.headers), await response.read()


def download_url(replies) -> str:
    return replies.action(cards_msg.DOWNLOAD_BUTTON)["url"]


# --- 出力 in a personal chat ---------------------------------------------------------------


async def test_export_accepted_uploads_the_workbook(bot, teams_client, fake_connector: FakeConnector, survey) -> None:
    client = teams_client(bot)
    await answer_quickly(client, "14神奈川県相模原市")
    offered = await client.say("出力")
    [consent] = offered.attachments(FILE_CONSENT_CARD)
    name = "【14神奈川県相模原市】2307 マイナンバー調査回答.xlsx"
    assert consent["name"] == name
    # The conversation first says how much is still open, then the file is offered.
    assert offered.texts[0].startswith("まだ終わっていない項目があります（未回答 ")
    assert msg.UNCONFIRMED_NOTE in offered.texts[1]

    status, body = result = await client.file_consent("accept")
    assert (status, body) == (200, None)
    upload = fake_connector.uploads[name]
    size = consent["content"]["sizeInBytes"]
    assert (upload.complete, upload.size) == (True, size)
    assert [r["Content-Range"] for r in upload.requests] == [f"bytes 0-{size - 1}/{size}"]
    row = list_row(bytes(upload.data))
    assert row == expected_row(survey, "14神奈川県相模原市")
    assert (row[HEADERS.index("回答責任者確認")], row[HEADERS.index("未回答")]) == ("未確認", "未回答あり")

    [info] = result.replies.attachments(FILE_INFO_CARD)
    assert (info["name"], info["contentUrl"]) == (name, fake_connector.download_url(name))
    assert info["content"]["fileType"] == "xlsx" and info["content"]["uniqueId"]
    assert result.replies.texts == [msg.UPLOADED]


async def test_export_declined_offers_a_link(bot, teams_client, fake_connector, http_session, survey) -> None:
    client = teams_client(bot)
    await answer_quickly(client, "14神奈川県中井町")
    await client.say("出力")
    status, _ = result = await client.file_consent("decline")
    assert status == 200 and fake_connector.uploads == {}
    assert result.replies.texts == [msg.DECLINED]
    code, headers, data = await get(http_session, download_url(result.replies))
    assert (code, headers["Content-Type"]) == (200, XLSX)
    assert list_row(data) == expected_row(survey, "14神奈川県中井町")


# An uploadUrl is request body: the bot puts the workbook only to https on an allowlisted
# host (OneDrive's *.sharepoint.com, and DOWNLOAD_HOSTS: here the fake's HTTPS listener).
NOT_UPLOADED_TO: list[tuple[str, Callable[[FakeConnector, str], str], str]] = [
    ("http://", lambda c, name: f"{c.url}upload/{name}", "is not https"),
    # The listener's certificate names 127.0.0.1 too: only the allowlist stops this one.
    ("an address not on the allowlist", lambda c, name: f"https://127.0.0.1:{c.tls_port}/upload/{name}",
     "host not on the allowlist"),
    ("user info", lambda c, name: f"https://me@{c.upload_host}/upload/{name}", "user info in the URL"),
    ("another internal service", lambda c, name: "https://localhost:6379/", "host not on the allowlist"),
]


@pytest.mark.parametrize(("url_of", "reason"), [c[1:] for c in NOT_UPLOADED_TO], ids=[c[0] for c in NOT_UPLOADED_TO])
async def test_an_upload_url_off_the_allowlist_gets_the_link(
    bot, teams_client, fake_connector, http_session, url_of, reason: str
) -> None:
    client = teams_client(bot)
    await answer_quickly(client, "14神奈川県中井町")
    [consent] = (await client.say("出力")).attachments(FILE_CONSENT_CARD)
    status, _ = result = await client.file_consent("accept", upload_url=url_of(fake_connector, consent["name"]))
    assert (status, result.replies.texts, fake_connector.uploads) == (200, [msg.UPLOAD_FAILED], {})
    code, _, data = await get(http_session, download_url(result.replies))
    assert code == 200 and list_row(data)[HEADERS.index("組織名")] == "14神奈川県中井町"
    log = bot.log_text(10**7)
    assert "upload not made" in log and reason in log


@pytest.mark.parametrize("action", ["accept", "decline"])
async def test_consent_for_a_forgotten_file(bot, teams_client, fake_connector, action: str) -> None:
    client = teams_client(bot)
    value: dict[str, Any] = {"type": "fileUpload", "action": action, "context": {"file": "no-such-file"}}
    if action == "accept":
        value["uploadInfo"] = {"name": "x.xlsx", "uploadUrl": fake_connector.upload_url("x.xlsx"),
                               "contentUrl": "", "uniqueId": "U", "fileType": "xlsx"}
    status, body = result = await client.invoke("fileConsent/invoke", value)
    assert (status, body, result.replies.texts, fake_connector.uploads) == (200, None, [msg.FILE_EXPIRED], {})


# --- 出力 in a group chat: the signed link ----------------------------------------------------


def _tampered(token: str) -> str:
    payload, mac = token.split(".")
    return payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + mac


async def test_group_chat_gets_a_link(bot, teams_client, http_session, survey) -> None:
    personal = teams_client(bot)
    await answer_quickly(personal, "14神奈川県相模原市")
    group = personal.new_conversation("groupChat")
    replies = await group.say("出力")
    assert replies.attachments(FILE_CONSENT_CARD) == []
    url = download_url(replies)
    assert url.startswith(f"{bot.url}/files/")

    status, headers, data = await get(http_session, url)
    name = "【14神奈川県相模原市】2307 マイナンバー調査回答.xlsx"
    assert (status, headers["Content-Type"]) == (200, XLSX)
    assert headers["Content-Disposition"] == f"attachment; filename=\"answer.xlsx\"; filename*=UTF-8''{quote(name)}"
    assert list_row(data) == expected_row(survey, "14神奈川県相模原市")

    # The link gives the answer as it stands when opened, not as it was when sent.
    await personal.say("修正 Q2")
    await personal.say("2")
    _, _, later = await get(http_session, url)
    assert list_row(later)[HEADERS.index("2")].startswith("②")

    token = url.rsplit("/", 1)[1]
    kind, answer_id = verify(token, SECRET.encode(), time.time())
    expired = sign(kind, answer_id, int(time.time()) - 1, SECRET.encode())
    other_secret = sign(kind, answer_id, int(time.time()) + 3600, b"another secret")
    for bad in (_tampered(token), expired, other_secret, "garbage"):
        status, headers, body = await get(http_session, f"{bot.url}/files/{bad}")
        assert (status, body.decode("utf-8")) == (404, msg.LINK_INVALID), bad


# --- 集計 ---------------------------------------------------------------------------------


@pytest.fixture
async def sharepoint(ca: TestCA) -> AsyncIterator[FileHost]:
    """Where Teams would keep dropped files: HTTPS on loopback, named `localhost` in a
    certificate from the test's own CA."""
    async with serving(ca, ["localhost"]) as host:
        yield host


@pytest.fixture
async def collecting_bot(bot_factory, redis_client, sharepoint: FileHost, ca: TestCA) -> BotProcess:
    """The bot allowed to fetch from the fake SharePoint (DOWNLOAD_HOSTS), trusting its
    CA the way Python's ssl reads a replaced trust store (SSL_CERT_FILE)."""
    return await bot_factory(env={
        "FILE_LINK_SECRET": SECRET, "PREFECTURE_STAFF": f"{STAFF.aad_object_id}:14",
        "DOWNLOAD_HOSTS": f"localhost:{sharepoint.https_port}", "SSL_CERT_FILE": str(ca.cert_file),
    })


async def test_collect_by_prefecture_staff(collecting_bot, sharepoint, teams_client, fake_connector, http_session, survey) -> None:
    bot = collecting_bot
    for org_name in ("14神奈川県相模原市", "14神奈川県大井町"):
        await answer_quickly(teams_client(bot), org_name)
    await answer_quickly(teams_client(bot), "13東京都千代田区")  # another prefecture: not listed

    staff = teams_client(bot, user=STAFF)
    sharepoint.files["nakai.xlsx"] = HAND_FILLED
    dropped = await staff.send_attachment("【14神奈川県中井町】回答.xlsx", sharepoint.url("localhost", "files/nakai.xlsx"))
    assert "【14神奈川県中井町】回答.xlsx（14神奈川県中井町）" in dropped.texts[0]

    # A "file" on the connector's own loopback port is not Teams': not fetched.
    elsewhere = await staff.send_attachment("内部.xlsx", fake_connector.add_download("inside.xlsx", HAND_FILLED))
    assert f"内部.xlsx：{msg.DOWNLOAD_FAILED.format(limit='5.0MB')}" in elsewhere.all_text
    assert fake_connector.download_requests == []

    _, broken_data, _, _ = next(b for b in BROKEN if b[0] == "no-list-sheet")
    broken_reason = checks_msg.NO_ANSWER_SHEET.format(answer="回答シート", list="一覧用")  # neither sheet can be read
    sharepoint.files["broken.xlsx"] = broken_data
    url = sharepoint.url("localhost", "files/broken.xlsx")
    replies = await staff.send_attachment("壊れた回答.xlsx", url, text="集計 神奈川県")
    [consent] = replies.attachments(FILE_CONSENT_CARD)
    assert consent["name"] == "【神奈川県】2307 マイナンバー調査回答.xlsx"
    text = replies.texts[0]
    assert msg.COLLECT_COUNTS.format(confirmed=0, unconfirmed=2, from_files=1) in text
    assert f"壊れた回答.xlsx：{broken_reason}" in text
    assert "rouken-keikaku@mhlw.go.jp" in text and "件名「【神奈川県】2307 マイナンバー調査回答」" in text

    status, _ = await staff.file_consent("accept")
    assert status == 200
    rows = prefecture_rows(bytes(fake_connector.uploads[consent["name"]].data))
    assert rows == [HAND_FILLED_ROW, expected_row(survey, "14神奈川県大井町"), expected_row(survey, "14神奈川県相模原市")]

    # In a group chat the same list comes as a link.
    group = staff.new_conversation("groupChat")
    status, headers, data = await get(http_session, download_url(await group.say("集計 14")))
    assert (status, headers["Content-Type"]) == (200, XLSX)
    assert prefecture_rows(data) == rows


@pytest.mark.parametrize(
    ("user", "text"),
    [(TeamsUser(), "集計 神奈川県"), (STAFF, "集計 東京都")],
    ids=["not staff", "staff of another prefecture"],
)
async def test_collect_refused(bot, teams_client, fake_connector, user: TeamsUser, text: str) -> None:
    await answer_quickly(teams_client(bot), "14神奈川県相模原市")
    await answer_quickly(teams_client(bot), "13東京都千代田区")
    replies = await teams_client(bot, user=user).say(text)
    assert (replies.texts, replies.attachments()) == ([msg.COLLECT_REFUSED], [])
