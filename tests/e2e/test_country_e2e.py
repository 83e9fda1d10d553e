"""The ministry's desk over HTTP (MINISTRY_STAFF): the real `python -m bot`, a real Redis,
the fake connector and a fake SharePoint on loopback TLS.

神奈川県's staff build their list with 集計 from the bot's answers; 東京都's list is a
hand-made one. The ministry's staff drop both lists (and a broken file, and one
organisation's workbook sent straight to them) into their chat, then 集計 全国: one list for
the country, checked, with 進捗 over every prefecture's municipalities. A list sent again
replaces its rows; nobody else may collect the country.
"""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.messages import country as msg
from bot.messages import delivery as delivery_msg
from bot.messages import list_sheets as sheet_msg
from bot.survey import municipalities
from tests.e2e.harness import BotProcess
from tests.e2e.test_desk_e2e import hand_filled, walk_as
from tests.e2e.test_files_e2e import sharepoint  # noqa: F401 (fixture: the fake SharePoint)
from tests.e2e.transcripts import MUNICIPALITY_LONGEST, MUNICIPALITY_SHORT, play
from tests.export.test_list_rows import list_bytes
from tests.fakes.file_host import FileHost, TestCA
from tests.fakes.teams import FILE_CONSENT_CARD, TeamsUser
from tests.survey_2307 import ORG_MUNICIPALITY

MINISTRY = TeamsUser(name="厚労 担当", aad_object_id="6f1c0000-0000-0000-0000-00000000e2e0")
KANAGAWA = TeamsUser(name="県 担当", aad_object_id="6f1c0000-0000-0000-0000-0000000e2e14")
COUNTRY_LIST = "【全国】2307 マイナンバー調査回答.xlsx"
KANAGAWA_LIST = "【神奈川県】2307 マイナンバー調査回答.xlsx"
TOKYO_LIST = "【東京都】2307 マイナンバー調査回答.xlsx"


@pytest.fixture
async def bot(bot_factory, sharepoint: FileHost, ca: TestCA) -> BotProcess:
    return await bot_factory(env={
        "MINISTRY_STAFF": MINISTRY.aad_object_id, "PREFECTURE_STAFF": f"{KANAGAWA.aad_object_id}:14",
        "REMINDER_INTERVAL_SECONDS": "0", "FILE_LINK_SECRET": "e2e-country-link-secret-of-32-bytes-or-more",
        "DOWNLOAD_HOSTS": f"localhost:{sharepoint.https_port}", "SSL_CERT_FILE": str(ca.cert_file),
    })


def org_names(workbook_bytes: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(workbook_bytes))["一覧"]
    column = [c.value for c in sheet[1]].index("組織名")
    return sorted(row[column] for row in sheet.iter_rows(min_row=2, values_only=True))


async def test_the_ministry_collects_the_country(bot, teams_client, fake_connector, sharepoint) -> None:
    # --- 神奈川県: two municipalities answer in the chat; the staff's 集計 is their list ----------
    for name, org, items in (("相模 太郎", "14神奈川県相模原市", MUNICIPALITY_SHORT.items),
                             ("厚木 花子", "14神奈川県厚木市", MUNICIPALITY_LONGEST.items)):
        await play(teams_client(bot, TeamsUser(name=name)), walk_as(org, ORG_MUNICIPALITY, items))
    kanagawa = teams_client(bot, user=KANAGAWA)
    collected = await kanagawa.say("集計")  # their own prefecture, not named
    assert [c["name"] for c in collected.attachments(FILE_CONSENT_CARD)] == [KANAGAWA_LIST]
    status, _ = await kanagawa.file_consent("accept")
    assert status == 200
    sharepoint.files[KANAGAWA_LIST] = bytes(fake_connector.uploads[KANAGAWA_LIST].data)
    # 東京都's list was made by hand from the ministry's template; one row has two marks on Q9.
    sharepoint.files[TOKYO_LIST] = list_bytes([{"組織名": "13東京都府中市"}, {"組織名": "13東京都千代田区", "9": "①④"}])
    sharepoint.files["broken.xlsx"] = b"not a workbook"
    # 大阪市 sent its own answer workbook to the ministry directly.
    sharepoint.files["大阪市.xlsx"] = hand_filled({"組織名": "27大阪府大阪市"})

    # --- nobody else collects the country ---------------------------------------------------------
    assert (await kanagawa.say("集計 全国")).texts == [msg.REFUSED]

    # --- the ministry's chat ---------------------------------------------------------------------
    ministry = teams_client(bot, user=MINISTRY)
    assert (await ministry.say("集計 全国")).texts == [msg.NONE_YET]
    received = await ministry.send_attachment(KANAGAWA_LIST, sharepoint.url("localhost", f"files/{KANAGAWA_LIST}"))
    assert msg.ACCEPTED_LINE.format(filename=KANAGAWA_LIST, count=2, prefectures="神奈川県") in received.all_text
    assert msg.NEXT.format(days=7) in received.all_text
    for name in (TOKYO_LIST, "broken.xlsx", "大阪市.xlsx"):
        replies = await ministry.send_attachment(name, sharepoint.url("localhost", f"files/{name}"))
        if name == "broken.xlsx":
            assert "broken.xlsx：" in replies.all_text
    help_card = (await ministry.say("ヘルプ")).cards[0]
    assert any(f["title"] == "集計 全国" for e in help_card["body"] if e.get("type") == "FactSet" for f in e["facts"])

    country = await ministry.say("集計 全国")
    text = country.texts[0]

    assert msg.TITLE.format(total=5, prefectures=3) in text and msg.FILES.format(files=3) in text
    assert msg.MISSING.format(count=44, names="").rstrip() in text and "北海道" in text and "神奈川県" not in text.split("届いていない")[1].split("\n")[0]
    assert "・13東京都千代田区（" in text  # the row with a problem is named
    [consent] = country.attachments(FILE_CONSENT_CARD)
    assert consent["name"] == COUNTRY_LIST
    status, _ = await ministry.file_consent("accept")
    assert status == 200
    data = bytes(fake_connector.uploads[COUNTRY_LIST].data)
    assert org_names(data) == ["13東京都千代田区", "13東京都府中市", "14神奈川県厚木市", "14神奈川県相模原市", "27大阪府大阪市"]
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["一覧", "点検結果", "進捗", "集計", "要注意"]
    found = {(r[0], r[3]) for r in workbook["点検結果"].iter_rows(min_row=2, values_only=True)}
    assert ("13東京都千代田区", "Q9") in found
    progress = {r[1]: r[3] for r in workbook["進捗"].iter_rows(min_row=2, values_only=True)}
    assert len(progress) == len(municipalities.all_municipalities())
    assert progress["14神奈川県相模原市"] == progress["27大阪府大阪市"] == sheet_msg.FILE_RECEIVED
    assert progress["01北海道札幌市"] == sheet_msg.NOT_STARTED

    # --- a list sent again replaces its rows -------------------------------------------------------
    sharepoint.files[TOKYO_LIST] = list_bytes([{"組織名": "13東京都府中市"}])
    await ministry.send_attachment(TOKYO_LIST, sharepoint.url("localhost", f"files/{TOKYO_LIST}"))
    again = await ministry.say("集計")  # the ministry's staff need not say 全国
    assert msg.TITLE.format(total=4, prefectures=3) in again.texts[0]
    await ministry.file_consent("accept")
    assert "13東京都千代田区" not in org_names(bytes(fake_connector.uploads[COUNTRY_LIST].data))
    assert delivery_msg.COLLECT_REFUSED not in again.all_text
