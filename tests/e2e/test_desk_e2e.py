"""The prefecture's desk over HTTP: the real `python -m bot`, a real Redis, the fake
connector and a fake SharePoint on loopback TLS.

An administrator makes a member of the prefecture's staff in the chat; municipalities
and a 広域連合 of 神奈川県 answer in the chat (one confirmed, one half done), the staff
member drops hand-filled workbooks with each kind of problem, then 集計 (the checks in
the reply, the risk card, the list workbook read back with openpyxl: sheets, rows,
findings, charts and their series ranges), 進捗, 期限 (seen by a municipality in 状況
and ヘルプ) and 督促 (once a day, who was reached and who could not be).
"""
from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.messages import checks as checks_msg
from bot.messages import delivery as delivery_msg
from bot.messages import desk as msg
from bot.messages import list_sheets as sheet_msg
from bot.messages import teamwork as teamwork_msg
from bot.survey import municipalities
from bot.survey.engine import load_survey
from bot.survey.model import KIND_MULTI, KIND_SINGLE
from tests.survey_2307 import ORG_MUNICIPALITY, ORG_UNION
from tests.e2e.harness import BotProcess
from tests.e2e.test_teamwork_e2e import RESPONSIBLE, chat, code_in, proactive
from tests.e2e.transcripts import (
    MUNICIPALITY_LONGEST,
    MUNICIPALITY_SHORT,
    ORG_NAMES,
    UNION_13_1,
    Step,
    play,
    respondent_steps,
    step,
)
from tests.export.test_list_reader import HAND_ROW, TEMPLATE_HEADERS, workbook_bytes
from tests.e2e.test_files_e2e import sharepoint  # noqa: F401 (fixture: the fake SharePoint)
from tests.fakes.file_host import FileHost, TestCA
from tests.fakes.teams import FILE_CONSENT_CARD, TeamsClient, TeamsUser

ADMIN = TeamsUser(name="管理 者", aad_object_id="6f1c0000-0000-0000-0000-0000000ad001")
STAFF = TeamsUser(name="県 担当", aad_object_id="6f1c0000-0000-0000-0000-0000000e2e14")
LIST_NAME = "【神奈川県】2307 マイナンバー調査回答.xlsx"
DEADLINE_SHOWN = "提出期限は令和5年7月14日（金）17時です（都道府県の指定）。"


def walk_as(org_name: str, org_type: str, items: list[Step]) -> list[Step]:
    """A walk of the transcripts with another 組織名 typed."""
    steps = respondent_steps(org_type)
    index = next(i for i, s in enumerate(steps) if s.send == ORG_NAMES[org_type][0])
    steps[index] = step(org_name, steps[index].heading, f"組織名: {org_name} を記録しました。")
    return steps + items


# Hand-filled 一覧用 rows (the ministry's template), each with its kind of problem.
PHONE = {"電話番号": "0465-81-1111"}
FILES: dict[str, dict[str, Any]] = {
    # Q4 answered although Q3 ② makes it 対象外; 情報未入力 marked though nothing is missing.
    "中井町.xlsx": {"組織名": "14神奈川県中井町", "4": "①事業主等から…", "情報未入力": "情報未入力あり"},
    # two marks on a single choice, an applicable item left empty (and 未回答 not marked).
    "大井町.xlsx": {"組織名": "14神奈川県大井町", "9": "①④", "12": None},
    # a 予定年月 that is not a year and month; 7-4 answered without 7-3 ①.
    "松田町.xlsx": {"組織名": "14神奈川県松田町", "2": "③定める予定である", "2_予定年月": "未定", "7-4_⑤": "○"},
    # 組織名 without its code; a 回答責任者役職 below 課長級.
    "山北町.xlsx": {"組織名": "神奈川県山北町", "回答責任者役職": "係長"},
    # a city that is not 神奈川県's.
    "府中市.xlsx": {"組織名": "14神奈川県府中市"},
    # a second row for an organisation the bot also holds (the file is newer: kept).
    "厚木市.xlsx": {"組織名": "14神奈川県厚木市"},
    # another prefecture's file: not listed at all.
    "千代田区.xlsx": {"組織名": "13東京都千代田区"},
}


def hand_filled(changes: dict[str, Any]) -> bytes:
    row = {**HAND_ROW, **PHONE, **changes}
    return workbook_bytes(TEMPLATE_HEADERS, [row[h] for h in TEMPLATE_HEADERS])


@pytest.fixture
async def bot(bot_factory, redis_client, sharepoint: FileHost, ca: TestCA) -> BotProcess:
    # No PREFECTURE_STAFF: the staff member is made one in the chat.
    return await bot_factory(env={
        "ADMINS": ADMIN.aad_object_id, "REMINDER_INTERVAL_SECONDS": "0", "FILE_LINK_SECRET": "e2e-desk-link-secret-of-32-bytes-or-more",
        "DOWNLOAD_HOSTS": f"localhost:{sharepoint.https_port}", "SSL_CERT_FILE": str(ca.cert_file),
    })


async def confirmed_by_responsible(bot: BotProcess, teams_client, respondent: TeamsClient) -> None:
    code = code_in(await respondent.say("確認依頼"))
    boss = teams_client(bot, TeamsUser(name=RESPONSIBLE))
    await boss.say(f"確認 {code}")
    assert teamwork_msg.APPROVED.split("（")[0].format(org="14神奈川県相模原市") in (await boss.say("承認")).all_text


async def test_the_prefectures_desk(bot, teams_client, fake_connector, sharepoint, redis_client) -> None:
    survey = load_survey()
    staff = teams_client(bot, user=STAFF)
    admin = teams_client(bot, user=ADMIN)

    # --- roles: an administrator makes 県 担当 the prefecture's staff ------------------------
    await staff.say("ヘルプ")  # the bot now knows the name
    assert (await staff.say("集計 神奈川県")).texts == [delivery_msg.COLLECT_REFUSED]
    assert (await staff.say("職員追加 県 担当 14")).texts == [msg.ADMIN_ONLY.format(command="職員追加")]
    granted = await admin.say("職員追加 県 担当 神奈川県")
    assert granted.texts == [msg.STAFF_ADDED.format(who=f"県 担当（{STAFF.aad_object_id}）", prefecture="神奈川県")]
    await proactive(fake_connector, staff, "神奈川県の担当者として登録されました（管理 者さんによる）")
    listed = await admin.say("職員一覧")
    assert f"14 神奈川県: 県 担当（{STAFF.aad_object_id}）" in listed.all_text

    # --- answers in the chat ---------------------------------------------------------------
    sagamihara = teams_client(bot, TeamsUser(name="相模 太郎"))
    await play(sagamihara, walk_as("14神奈川県相模原市", ORG_MUNICIPALITY, MUNICIPALITY_SHORT.items))
    await confirmed_by_responsible(bot, teams_client, sagamihara)
    atsugi = teams_client(bot, TeamsUser(name="厚木 花子"))
    await play(atsugi, walk_as("14神奈川県厚木市", ORG_MUNICIPALITY, MUNICIPALITY_LONGEST.items))
    yamato = teams_client(bot, TeamsUser(name="大和 次郎"))
    # 組織名 in the chat is checked against the municipality list.
    refused = await play(yamato, respondent_steps(ORG_MUNICIPALITY)[:2] + [step("14神奈川県府中市", "組織名")])
    assert "東京都の場合は「13東京都府中市」、広島県の場合は「34広島県府中市」" in refused.all_text
    await play(yamato, [step("14神奈川県大和市", "担当部署名")] + respondent_steps(ORG_MUNICIPALITY)[3:] + MUNICIPALITY_SHORT.items[:2])
    union = teams_client(bot, TeamsUser(name="連合 三郎"))
    await play(union, walk_as("14神奈川県介護保険広域連合", ORG_UNION, UNION_13_1.items))
    tokyo = teams_client(bot, TeamsUser(name="府中 四郎"))
    await play(tokyo, walk_as("13東京都府中市", ORG_MUNICIPALITY, MUNICIPALITY_SHORT.items))

    # --- hand-filled files dropped into the staff member's chat ----------------------------
    for name, changes in FILES.items():
        sharepoint.files[name] = hand_filled(changes)
        replies = await staff.send_attachment(name, sharepoint.url("localhost", f"files/{name}"))
        if name == "千代田区.xlsx":
            assert delivery_msg.OTHER_PREFECTURE.format(org_name="13東京都千代田区", prefecture="神奈川県") in replies.all_text
        elif name == "厚木市.xlsx":  # sound by itself: the duplicate shows in the list
            assert f"{name}（14神奈川県厚木市）{msg.ACCEPTED_CLEAN}" in replies.all_text
        else:
            assert f"{name}（{changes['組織名']}）（点検: 要修正" in replies.all_text, replies.all_text

    # --- 集計 ------------------------------------------------------------------------------
    collected = await staff.say("集計 神奈川県")
    text = collected.texts[0]
    # The bot's 相模原市 (confirmed), 大和市 and the 広域連合; six files (厚木市's file replaced the bot's row).
    assert delivery_msg.COLLECT_COUNTS.format(confirmed=1, unconfirmed=2, from_files=6) in text
    for org in ("14神奈川県中井町", "14神奈川県大井町", "14神奈川県松田町", "神奈川県山北町", "14神奈川県府中市", "14神奈川県厚木市", "14神奈川県大和市"):
        assert f"・{org}（" in text, org
    assert msg.CHECKS_FILES_LISTED in text
    [risk_card] = [c for c in collected.cards if c["body"][0]["text"] == msg.RISK_TITLE]
    risks = {f["title"]: f["value"] for e in risk_card["body"] if e.get("type") == "FactSet" for f in e["facts"]}
    # 相模原市 answered Q9 ④; 大和市 stopped before Q9; 厚木市's row is its file's now.
    assert risks["紐付けのとき、別の職員の確認も記録もない"] == "1団体"

    [consent] = collected.attachments(FILE_CONSENT_CARD)
    assert consent["name"] == LIST_NAME
    status, _ = await staff.file_consent("accept")
    assert status == 200
    workbook = load_workbook(io.BytesIO(bytes(fake_connector.uploads[LIST_NAME].data)))
    assert workbook.sheetnames == ["一覧", "点検結果", "進捗", "集計", "要注意"]

    rows = [r for r in workbook["一覧"].iter_rows(min_row=2, values_only=True)]
    assert sorted(r[3] for r in rows) == sorted([
        "14神奈川県相模原市", "14神奈川県大和市", "14神奈川県介護保険広域連合", "14神奈川県中井町", "14神奈川県大井町",
        "14神奈川県松田町", "神奈川県山北町", "14神奈川県府中市", "14神奈川県厚木市",
    ])
    atsugi_row = next(r for r in rows if r[3] == "14神奈川県厚木市")
    assert atsugi_row[4] == HAND_ROW["担当部署名"]  # the file's row, not the bot's

    found = list(workbook["点検結果"].iter_rows(min_row=2, values_only=True))
    # The reply's counts are the sheet's.
    severities = [r[2] for r in found]
    assert msg.CHECKS_COUNTS.format(fix=severities.count(checks_msg.FIX), check=severities.count(checks_msg.CHECK),
                                    orgs=len({r[0] for r in found})) in text
    findings = {(r[0], r[3], r[5]) for r in found}
    expected = [
        ("14神奈川県中井町", "Q4", checks_msg.NOT_APPLICABLE_ANSWERED),
        ("14神奈川県大井町", "Q12", checks_msg.UNANSWERED),
        ("14神奈川県松田町", "Q7-4", checks_msg.NOT_APPLICABLE_ANSWERED),
    ]
    assert set(expected) <= findings
    by_org_item = {(org, item) for org, item, _ in findings}
    assert {("14神奈川県大井町", "Q9"), ("14神奈川県大井町", "未回答"), ("14神奈川県中井町", "情報未入力"),
            ("14神奈川県松田町", "Q2 予定年月"), ("神奈川県山北町", "組織名"), ("神奈川県山北町", "回答責任者役職"),
            ("14神奈川県府中市", "組織名"), ("14神奈川県厚木市", "組織名"), ("14神奈川県大和市", "Q3")} <= by_org_item
    duplicate = next(p for org, item, p in findings if org == "14神奈川県厚木市" and "同じ組織の行" in p)
    assert checks_msg.FROM_BOT in duplicate and "厚木市.xlsx" in duplicate

    progress = {r[1]: r[3] for r in workbook["進捗"].iter_rows(min_row=2, values_only=True)}
    assert progress["14神奈川県相模原市"] == sheet_msg.CONFIRMED
    assert progress["14神奈川県大和市"].startswith("回答中 (")
    assert progress["14神奈川県介護保険広域連合"] == sheet_msg.ANSWERED
    assert progress["14神奈川県中井町"] == sheet_msg.FILE_RECEIVED and progress["14神奈川県横浜市"] == sheet_msg.NOT_STARTED

    tally = workbook["集計"]
    choice_items = [i for i in survey.items if i.kind in (KIND_SINGLE, KIND_MULTI)]
    assert len(tally._charts) == len(choice_items)
    for chart in tally._charts:
        series = chart.series[0]
        sheet_name, cells = series.val.numRef.f.split("!")
        first, last = (int(part.split("$")[-1]) for part in cells.split(":"))
        assert sheet_name.strip("'") == "集計" and cells.startswith("$C$")
        assert tally.cell(first - 1, 3).value == sheet_msg.CHART_SERIES
        assert (series.cat.strRef or series.cat.numRef).f.split("!")[1] == f"$A${first}:$A${last}"
        assert [tally.cell(r, 1).value for r in range(first, last + 1)] == ["①②③④⑤"[n] for n in range(last - first + 1)]
    attention = {(r[0], r[2]) for r in workbook["要注意"].iter_rows(min_row=2, values_only=True)}
    assert ("紐付けのとき、別の職員の確認も記録もない", "14神奈川県相模原市") in attention
    # Every sheet can be worked in: frozen, filtered, printed A4 landscape one page wide.
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes and sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.title == "集計" or sheet.auto_filter.ref.startswith("A1:")
        assert sheet.print_title_rows == "$1:$1"

    # --- 進捗 ------------------------------------------------------------------------------
    [card] = (await staff.say("進捗 神奈川県")).cards
    counts = {f["title"]: f["value"] for e in card["body"] if e.get("type") == "FactSet" for f in e["facts"]}
    seen = 7  # 相模原市 大和市 厚木市 中井町 大井町 松田町 山北町 (the 広域連合 is beside the list)
    assert counts[sheet_msg.NOT_STARTED] == str(len(municipalities.municipalities("14")) - seen)
    assert counts[sheet_msg.CONFIRMED] == "1" and counts[sheet_msg.IN_PROGRESS] == "1"
    refused = await yamato.say("進捗 神奈川県")
    assert refused.texts == [msg.STAFF_ONLY.format(command=msg.PROGRESS_COMMAND) + msg.PROGRESS_OWN_HINT]

    # --- 期限 ------------------------------------------------------------------------------
    bad = await staff.say("期限 2023/2/30 17時")
    assert bad.texts[0].startswith(msg.DATE_NO_SUCH_DAY.format(month=2, day=30))
    assert (await yamato.say("期限 令和5年7月14日 17時")).texts == [msg.STAFF_ONLY.format(command="期限")]
    set_ = await staff.say("期限 令和5年7月14日 17時")
    assert set_.texts[0].startswith(msg.DEADLINE_SET.format(prefecture="神奈川県", deadline="令和5年7月14日（金）17時"))
    assert DEADLINE_SHOWN in (await yamato.say("状況")).all_text
    help_card = (await atsugi.say("ヘルプ")).cards[0]
    facts = {f["title"]: f["value"] for e in help_card["body"] if e.get("type") == "FactSet" for f in e["facts"]}
    assert facts["提出期限"] == DEADLINE_SHOWN
    assert "都道府県の指示に従ってください" in (await tokyo.say("状況")).all_text  # 東京都 set none

    # --- 督促 ------------------------------------------------------------------------------
    before = {c.conversation_id: len(chat(fake_connector, c)) for c in (sagamihara, atsugi, yamato, union, tokyo)}
    reminded = await staff.say("督促")
    [reply] = reminded.texts
    # 厚木市 (unconfirmed), 大和市 (half done), the 広域連合 (unconfirmed); not 相模原市 (confirmed), not Tokyo.
    assert reply.startswith(msg.REMIND_DONE.format(prefecture="神奈川県", orgs=3, people=3))
    assert "ボットで回答を始めていないため届けられない団体" in reply and "横浜市" in reply
    for client, state in ((atsugi, teamwork_msg.REMINDER_UNCONFIRMED), (yamato, "未回答の項目が残っています"),
                          (union, teamwork_msg.REMINDER_UNCONFIRMED)):
        notice = await proactive(fake_connector, client, "神奈川県からのお知らせ")
        # (The date is past on this machine's clock: no days are counted to it.)
        assert state in notice.all_text and DEADLINE_SHOWN in notice.all_text
    for client in (sagamihara, tokyo):
        assert len(chat(fake_connector, client)) == before[client.conversation_id]
    again = await staff.say("督促")
    assert again.texts[0].startswith(msg.REMIND_ALREADY.split("{name}")[0].format(prefecture="神奈川県"))

    # --- revoked: the desk closes again ------------------------------------------------------
    revoked = await admin.say("職員削除 県 担当")
    assert revoked.texts == [msg.STAFF_REMOVED.format(who=f"県 担当（{STAFF.aad_object_id}）", prefecture="神奈川県")]
    assert (await staff.say("集計 神奈川県")).texts == [delivery_msg.COLLECT_REFUSED]
    assert (await staff.say("督促")).texts == [msg.STAFF_ONLY.format(command="督促")]
