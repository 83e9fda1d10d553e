"""取込 over HTTP: the real `python -m bot` on a real Redis, the fake Bot Connector, and the
dropped files on the TLS fake SharePoint (DOWNLOAD_HOSTS, SSL_CERT_FILE) as Teams keeps them.

A half-filled hand-made workbook into a new chat, accepted: the bot asks only what is
missing, and 出力's 一覧用 row is the hand-filled one plus the new answers. A conflicting
file into an answer typed in the chat, with both choices. And 出力's own workbook into a
fresh user's chat: the same answers."""
from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.export.answer_workbook import build_answer_workbook
from bot.export.columns import row_for
from tests.survey_2307 import HEADERS
from bot.messages import import_file as msg
from bot.survey.engine import load_survey
from bot.survey.model import AnswerRecord, Confirmation, ConfirmationStatus
from tests.e2e.harness import BotProcess
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, REVIEW, play, stored_answer
from tests.export.test_list_reader import TEMPLATE_HEADERS
from tests.fakes.connector import FakeConnector
from tests.fakes.file_host import FileHost, TestCA, serving
from tests.fakes.teams import FILE_CONSENT_CARD, TeamsClient

NAMESPACE = "mn2307"  # the bot's default
SECRET = "e2e-import-file-link-secret-of-32-bytes"


@pytest.fixture(scope="module")
def survey():
    return load_survey()


@pytest.fixture
async def sharepoint(ca: TestCA) -> AsyncIterator[FileHost]:
    async with serving(ca, ["localhost"]) as host:
        yield host


@pytest.fixture
async def bot(bot_factory, redis_client, sharepoint: FileHost, ca: TestCA) -> BotProcess:
    return await bot_factory(env={
        "FILE_LINK_SECRET": SECRET,
        "DOWNLOAD_HOSTS": f"localhost:{sharepoint.https_port}", "SSL_CERT_FILE": str(ca.cert_file),
    })


async def drop(client: TeamsClient, sharepoint: FileHost, name: str, data: bytes) -> Any:
    sharepoint.files[name] = data
    return await client.send_attachment(name, sharepoint.url("localhost", f"files/{name}"))


async def record_of(redis_client: Any, client: TeamsClient) -> dict[str, Any] | None:
    return await stored_answer(redis_client, NAMESPACE, client.user.aad_object_id)


async def exported_row(client: TeamsClient, fake_connector: FakeConnector) -> list[str]:
    """出力 in the personal chat, accepted: the uploaded workbook's 一覧用 row 2."""
    offered = await client.say("出力")
    [consent] = offered.attachments(FILE_CONSENT_CARD)
    status, _ = await client.file_consent("accept")
    assert status == 200
    sheet = load_workbook(io.BytesIO(bytes(fake_connector.uploads[consent["name"]].data)))["一覧用"]
    header, row = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert list(header) == list(HEADERS)
    return ["" if v is None else str(v) for v in row]


# --- a half-filled hand-made workbook into a new chat ----------------------------------------------

RESPONDENT = {
    "組織区分": "市区町村", "組織名": "14神奈川県中井町", "担当部署名": "健康課", "回答責任者役職": "健康課長",
    "回答責任者氏名": "中井 一郎", "連絡先氏名": "中井 二郎", "電話番号": "0465-81-1111", "メールアドレス": "kenko@example.lg.jp",
}
# Filled in the ministry's Excel up to Q7-1; Q7-2 onward left for later.
BEFORE = {"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 1}
# Typed in the chat after the import: (what the bot asks, what the user types).
REST = [("Q7-2", "2"), ("Q9", "1"), ("Q10", "1"), ("Q11", "3"), ("Q12", "3")]
REST_ANSWERS = {"7-2": 2, "9": 1, "10": 1, "11": 3, "12": 3}


def hand_made(survey: Any) -> tuple[bytes, dict[str, str]]:
    """The ministry's 一覧用 columns (no project columns) as a person fills them: the choices
    as the dropdown gives them, ○ for a mark, 対象外 where the sheet says so, the rest empty."""
    half = AnswerRecord("hand", respondent={}, answers=dict(BEFORE))
    status = survey.status("市区町村", BEFORE, {}, {})
    cells: dict[str, str] = dict(RESPONDENT, 制度等="福祉・介護(介護保険)", 属性="なし", 未回答="未回答あり")
    for item in survey.items:
        if item.kind == "multi":
            for n, option in enumerate(item.options, 1):
                header = f"{item.id}_{'①②③④⑤'[n - 1]}"
                chosen = n in (half.answers.get(item.id) or [])
                cells[header] = "対象外" if item.id in status.not_applicable else "○" if chosen else ""
        elif item.id in half.answers:
            cells[item.id] = survey.format_value(item.id, half.answers[item.id])
        elif item.id in status.not_applicable:
            cells[item.id] = "対象外"
    workbook = Workbook()
    workbook.active.title = "回答シート"  # the template's, left as it came: nothing typed into it
    sheet = workbook.create_sheet("一覧用")
    sheet.append(TEMPLATE_HEADERS)
    sheet.append([cells.get(h, "") for h in TEMPLATE_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), {h: cells.get(h, "") for h in TEMPLATE_HEADERS}


async def test_half_filled_workbook_into_a_new_chat(bot, sharepoint, teams_client, fake_connector, redis_client, survey) -> None:
    client = teams_client(bot)
    data, hand_cells = hand_made(survey)
    offer = await drop(client, sharepoint, "【14神奈川県中井町】回答.xlsx", data)
    assert offer.heading == msg.TITLE
    assert msg.FOUND.format(fields=8, answers=len(BEFORE)) in offer.all_text
    assert await record_of(redis_client, client) is None  # nothing stored before the user accepts
    assert sharepoint.requested == ["files/【14神奈川県中井町】回答.xlsx"]

    accepted = await client.click(msg.BUTTON_ACCEPT)
    assert msg.IMPORTED.format(file="【14神奈川県中井町】回答.xlsx", fields=8, answers=len(BEFORE)) in accepted.all_text
    asked = [accepted.last_heading]
    for heading, typed in REST:
        assert asked[-1] == heading, asked
        asked.append((await client.say(typed)).last_heading)
    assert asked == [h for h, _ in REST] + [REVIEW]  # only the missing items, in the survey's order

    stored = await record_of(redis_client, client)
    assert stored["answers"] == {**BEFORE, **REST_ANSWERS}

    row = dict(zip(HEADERS, await exported_row(client, fake_connector)))
    # Every cell the hand filled is exported as filled …
    filled = {h: v for h, v in hand_cells.items() if v and h != "未回答"}
    assert {h: row[h] for h in filled} == filled
    # … plus the answers given in the chat, and nothing open any more.
    for item_id, value in REST_ANSWERS.items():
        assert row[item_id] == survey.format_value(item_id, value)
    final = AnswerRecord("x", respondent=stored["respondent"], answers=stored["answers"], confirmation=Confirmation(ConfirmationStatus.DRAFT))
    assert list(row.values()) == row_for(survey, final)
    assert (row["未回答"], row["情報未入力"]) == ("", "")


# --- a conflicting file into an answer typed in the chat: both choices -------------------------------


def file_with(survey: Any, answers: dict[str, Any], **respondent: str) -> bytes:
    """A workbook as 出力 writes it (回答シート and 一覧用), with other values."""
    fields = {
        "org_type": "市区町村", "org_name": "14神奈川県相模原市", "dept": "介護保険課", "title": "介護保険課長",
        "responsible_name": "相模 太郎", "contact_name": "原 花子", "phone": "042-754-1111", "email": "kaigo@example.lg.jp",
        **respondent,
    }
    return build_answer_workbook(survey, AnswerRecord("f", respondent=fields, answers=answers))


async def answered_in_chat(client: TeamsClient) -> None:
    typed = ["開始", "1", "14神奈川県相模原市", "介護保険課", "介護保険課長", "相模 太郎", "原 花子", "042-754-1111",
             "kaigo@example.lg.jp", "1", "1"]  # … and Q1-1 ①, Q2 ①
    for text in typed:
        await client.say(text)
    assert client.last_replies.last_heading == "Q3"


async def test_conflicting_file_fill_gaps_then_take(bot, sharepoint, teams_client, redis_client, survey) -> None:
    client = teams_client(bot)
    await answered_in_chat(client)
    other = file_with(survey, {"1-1": 1, "2": 3, "2_予定年月": "2024年4月", "3": 1, "4": 1}, dept="高齢介護課")

    offer = await drop(client, sharepoint, "同僚の回答.xlsx", other)
    assert "・担当部署名: 介護保険課 → 高齢介護課" in offer.all_text
    assert "・Q2: ①定めている。 → ③定める予定である（ 年 月）。" in offer.all_text
    kept = await client.click(msg.BUTTON_GAPS)
    assert msg.KEPT_CHAT.format(count=2) in kept.all_text
    assert kept.last_heading == "Q5"  # Q3 and Q4 came from the file
    stored = await record_of(redis_client, client)
    assert stored["answers"] == {"1-1": 1, "2": 1, "3": 1, "4": 1}
    assert stored["respondent"]["dept"] == "介護保険課"

    offer = await drop(client, sharepoint, "同僚の回答.xlsx", other)
    assert msg.CHANGES_TITLE.format(count=2) in offer.all_text
    taken = await client.click(msg.BUTTON_TAKE)
    assert taken.last_heading == "Q5"
    stored = await record_of(redis_client, client)
    assert stored["answers"] == {"1-1": 1, "2": 3, "2_予定年月": "2024年4月", "3": 1, "4": 1}
    assert stored["respondent"]["dept"] == "高齢介護課"

    history = (await client.say("履歴")).all_text
    assert history.count("回答シート「同僚の回答.xlsx」を取り込み") == 2
    raw = await redis_client.lrange(f"{NAMESPACE}:history:{stored['answer_id']}", 0, -1)
    kinds = [json.loads(entry)["kind"] for entry in raw]
    assert kinds.count("import") == 2 and "field" not in kinds[kinds.index("import"):]


# --- 出力's own workbook round-trips --------------------------------------------------------------


async def test_bot_workbook_round_trips_into_a_fresh_chat(bot, sharepoint, teams_client, fake_connector, redis_client) -> None:
    typed = teams_client(bot)
    await play(typed, MUNICIPALITY_LONGEST.steps())
    offered = await typed.say("出力")
    [consent] = offered.attachments(FILE_CONSENT_CARD)
    await typed.file_consent("accept")
    data = bytes(fake_connector.uploads[consent["name"]].data)

    fresh = teams_client(bot)
    offer = await drop(fresh, sharepoint, consent["name"], data)
    assert msg.NOT_TAKEN_TITLE.split("（")[0] not in offer.all_text
    assert (await fresh.click(msg.BUTTON_ACCEPT)).last_heading == REVIEW
    original, imported = await record_of(redis_client, typed), await record_of(redis_client, fresh)
    assert imported["answer_id"] != original["answer_id"]
    for key in ("respondent", "answers", "notes"):
        assert imported[key] == original[key], key
    assert imported["confirmation"] == {"status": "draft"}
