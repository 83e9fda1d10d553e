"""The list workbook with the desk's sheets, read back with openpyxl: rows, marks, styling,
the charts' series ranges; progress and tallies as tables."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.export.columns import row_for
from bot.export.list_sheets.progress import Progress, progress_of, progress_rows
from bot.export.list_sheets.tally import tally
from bot.export.prefecture_list import build_checked_list, build_prefecture_workbook
from bot.export.record_reader import bot_entry, file_entry, record_from_list_row
from bot.messages import list_sheets as msg
from bot.survey import municipalities
from bot.survey.engine import load_survey
from bot.survey.model import KIND_MULTI, KIND_SINGLE
from tests.survey_2307 import HEADERS, ORG_MEMBER, ORG_UNION, SURVEY
from tests.export.records import FULL_BLOCK, block, record


@pytest.fixture(scope="module")
def survey():
    return load_survey()


def _file(survey, rec, name, **changes):
    cells = dict(zip(HEADERS, row_for(survey, rec)))
    cells.update(changes)
    return file_entry(record_from_list_row(survey, [cells[h] for h in HEADERS], filename=name))


@pytest.fixture(scope="module")
def built(survey):
    entries = [
        bot_entry(survey, record()),  # 相模原市, confirmed
        bot_entry(survey, record(org_name="14神奈川県厚木市", answers=block(**{"7-4": [2, 3], "9": 4}), confirmation={})),
        bot_entry(survey, record(ORG_MEMBER, "14神奈川県愛川町(広域)", answers={**FULL_BLOCK, "13": [1]}, confirmation={})),
        bot_entry(survey, record(ORG_UNION, "14神奈川県介護保険広域連合", answers={"13": [2]}, confirmation={})),
        _file(survey, record(org_name="14神奈川県大井町"), "大井町.xlsx", **{"9": "①④", "4": "⑤"}),
        _file(survey, record(org_name="14神奈川県相模原市", title="係長"), "相模原市.xlsx"),  # older than the bot's? same time: later row kept
    ]
    out = build_checked_list(survey, "14", "神奈川県", entries)
    return out, load_workbook(io.BytesIO(out.data))


def test_sheets_in_order(built):
    _, workbook = built
    assert workbook.sheetnames == ["一覧", "点検結果", "進捗", "集計", "要注意"]


def test_list_rows_and_marks(built):
    out, workbook = built
    sheet = workbook["一覧"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [r[3] for r in rows[1:]] == sorted(e.org for e in out.checked.kept)
    assert len(rows) == 1 + 5  # the duplicate 相模原市 keeps one row
    oi = [r[3] for r in rows].index("14神奈川県大井町") + 1
    marked = {HEADERS[c.column - 1] for c in sheet[oi] if c.fill.fgColor.rgb not in (None, "00000000")}
    assert marked == {"組織名", "4", "9"}
    clean = [r[3] for r in rows].index("14神奈川県厚木市") + 1
    assert all(c.fill.fgColor.rgb in (None, "00000000") for c in sheet[clean])


@pytest.mark.parametrize(
    ("sheet_name", "freeze", "filter_ref", "title_rows"),
    [
        ("一覧", "E2", "A1:AP6", "$1:$1"),
        ("点検結果", "B2", None, "$1:$1"),
        ("進捗", "C2", None, "$1:$1"),
        ("集計", "A2", None, "$1:$1"),
        ("要注意", "D2", None, "$1:$1"),
    ],
)
def test_every_sheet_can_be_worked_in_and_printed(built, sheet_name, freeze, filter_ref, title_rows):
    _, workbook = built
    sheet = workbook[sheet_name]
    assert sheet.freeze_panes == freeze
    if sheet_name != "集計":
        assert sheet.auto_filter.ref == (filter_ref or sheet.auto_filter.ref) and sheet.auto_filter.ref.startswith("A1:")
        header = sheet[1]
        assert all(c.alignment.wrap_text and c.font.bold for c in header if c.value)
        assert sheet.column_dimensions["A"].width > 0 and sheet.column_dimensions["B"].customWidth
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == title_rows


def test_findings_sheet(built):
    out, workbook = built
    rows = list(workbook["点検結果"].iter_rows(values_only=True))
    assert rows[0] == msg.FINDINGS_HEADERS
    expected = [(f.org, f.source, f.severity, f.item, f.value or None, f.problem, f.rule) for f in out.checked.findings]
    assert rows[1:] == expected
    items = {(r[0], r[3]) for r in rows[1:]}
    assert {("14神奈川県大井町", "Q9"), ("14神奈川県大井町", "Q4"), ("14神奈川県相模原市", "組織名")} <= items


def test_progress_sheet(built):
    out, workbook = built
    rows = list(workbook["進捗"].iter_rows(values_only=True))
    assert rows[0] == msg.PROGRESS_HEADERS
    assert len(rows) - 1 == len(municipalities.municipalities("14")) + 1  # + the 広域連合
    statuses = [r[3] for r in rows[1:]]
    assert statuses[: len(statuses) - 5] == [msg.NOT_STARTED] * (len(statuses) - 5)
    by_name = {r[1]: r[3] for r in rows[1:]}
    assert by_name["14神奈川県大井町"] == msg.FILE_RECEIVED
    assert by_name["14神奈川県愛川町(広域)"] == msg.ANSWERED
    assert by_name["14神奈川県介護保険広域連合"].startswith("回答中 (")
    assert by_name["14神奈川県相模原市"] == msg.FILE_RECEIVED  # of the two rows, the later (a file) was kept


def test_tally_sheet_has_a_chart_per_item_with_its_counts(built, survey):
    out, workbook = built
    sheet = workbook["集計"]
    charts = sheet._charts
    items = [t for t in out.tallies]
    assert len(charts) == len(items) == len([i for i in survey.items if i.kind in (KIND_SINGLE, KIND_MULTI)])
    for chart, item_tally in zip(charts, items):
        series = chart.series[0]
        values_ref = series.val.numRef.f
        categories_ref = (series.cat.strRef or series.cat.numRef).f
        sheet_part, cells = values_ref.split("!")
        assert sheet_part.strip("'") == "集計"
        first, last = (int(part.split("$")[-1]) for part in cells.split(":"))
        assert cells.startswith("$C$") and last - first + 1 == len(item_tally.item.options)
        assert [sheet.cell(r, 3).value for r in range(first, last + 1)] == list(item_tally.counts)
        assert [sheet.cell(r, 1).value for r in range(first, last + 1)] == [f"{'①②③④⑤'[n]}" for n in range(len(item_tally.item.options))]
        assert categories_ref.split("!")[1] == f"$A${first}:$A${last}"
        assert sheet.cell(first - 1, 3).value == msg.CHART_SERIES  # the series title is the header 件数
        assert chart.title is not None


def test_attention_sheet(built):
    out, workbook = built
    rows = list(workbook["要注意"].iter_rows(values_only=True))
    assert rows[0] == msg.ATTENTION_HEADERS
    hits = {(r[0], r[2]) for r in rows[1:]}
    assert ("カナ氏名と生年月日だけで照会している", "14神奈川県厚木市") in hits
    assert ("紐付けのとき、別の職員の確認も記録もない", "14神奈川県厚木市") in hits
    counts = {p.pattern.id: p.count for p in out.patterns}
    assert counts["kana_birth_only"] == 1 and counts["no_check_no_record"] == 1


def test_list_without_desk_keeps_one_sheet_and_its_styling(survey):
    data = build_prefecture_workbook(SURVEY, "神奈川県", [row_for(survey, record())])
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["一覧"]
    assert workbook["一覧"].freeze_panes == "E2"
    assert workbook["一覧"].auto_filter.ref == "A1:AP2"


# -- progress -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rec", "status", "label"),
    [
        (record(), msg.CONFIRMED, "確認済"),
        (record(confirmation={}), msg.ANSWERED, "回答済"),
        (record(confirmation={}, email=""), msg.IN_PROGRESS, None),
        (record(answers={"1-1": 2, "2": 1}, confirmation={}), msg.IN_PROGRESS, None),
    ],
    ids=["confirmed", "answered", "info-missing", "half-way"],
)
def test_progress_of(survey, rec, status, label):
    progress = progress_of(survey, rec)
    assert progress.status == status
    if label:
        assert progress.label == label
    else:
        assert progress.label == f"回答中 ({progress.answered}/{progress.total})"


def test_progress_half_way_counts(survey):
    progress = progress_of(survey, record(answers={"1-1": 2, "2": 1}, confirmation={}))
    # total: items that apply or may still apply (as the chat's progress counts them): not 13,
    # 1-2 or 2_予定年月 (2 = ①), but 6 … 12 and the 概要 sub-items, which wait for answers
    assert (progress.answered, progress.total) == (2, 18)


@pytest.mark.parametrize(
    ("seen", "first_rows"),
    [
        ({}, [("141003", "14神奈川県横浜市", "未着手"), ("141305", "14神奈川県川崎市", "未着手")]),
        (
            {"14神奈川県横須賀市": Progress(msg.IN_PROGRESS, 10, 20), "14神奈川県鎌倉市": Progress(msg.IN_PROGRESS, 2, 20)},
            None,
        ),
    ],
)
def test_progress_rows_order(seen, first_rows):
    rows = progress_rows("14", seen, SURVEY.orgs)
    assert len(rows) == 33
    statuses = [r.progress.status for r in rows]
    assert statuses == sorted(statuses, key=[msg.NOT_STARTED, msg.IN_PROGRESS, msg.ANSWERED, msg.FILE_RECEIVED, msg.CONFIRMED].index)
    if first_rows:
        assert [(r.code, r.org_name, r.progress.label) for r in rows[:2]] == first_rows
    else:
        in_progress = [r.org_name for r in rows if r.progress.status == msg.IN_PROGRESS]
        assert in_progress == ["14神奈川県鎌倉市", "14神奈川県横須賀市"]  # least done first


def test_progress_rows_map_members_and_add_others():
    rows = progress_rows("14", {
        "14神奈川県愛川町（広域）": Progress(msg.CONFIRMED, org_type=ORG_MEMBER),
        "14神奈川県介護保険組合": Progress(msg.IN_PROGRESS, 3, 5, org_type=ORG_UNION),
        "14神奈川県どこか市": Progress(msg.ANSWERED),
    }, SURVEY.orgs)
    by_name = {r.org_name: r for r in rows}
    assert len(rows) == 33 + 2
    assert by_name["14神奈川県愛川町（広域）"].code == municipalities.find("14", "愛川町").code
    assert "14神奈川県愛川町" not in by_name
    assert by_name["14神奈川県介護保険組合"].note == ""
    assert by_name["14神奈川県どこか市"].note == msg.NOT_IN_LIST
    assert rows[-1].progress.status == msg.CONFIRMED


@pytest.mark.parametrize(
    "written", ["14神奈川県山北町", "神奈川県山北町", "13神奈川県山北町", "山北町", "足柄上郡山北町", "１４神奈川県 山北町"]
)
def test_a_hand_written_name_still_finds_its_municipality(written):
    rows = progress_rows("14", {written: Progress(msg.FILE_RECEIVED)}, SURVEY.orgs)
    assert len(rows) == 33
    [row] = [r for r in rows if r.progress.status == msg.FILE_RECEIVED]
    assert (row.code, row.org_name) == (municipalities.find("14", "山北町").code, written)


def test_a_union_named_like_a_town_stays_a_union():
    rows = progress_rows("14", {"14神奈川県山北町": Progress(msg.ANSWERED, org_type=ORG_UNION)}, SURVEY.orgs)
    assert len(rows) == 34 and rows[-1].org_type == ORG_UNION


# -- tallies -------------------------------------------------------------------------------


def test_tally_counts_only_what_applies(survey):
    records = [
        record(),
        record(answers=block(**{"5": 1, "6": [2], "9": 4})),  # 6 and 9 are 対象外: not counted
        record(answers=block(**{"6": []}), notes={"6": "none"}),
        record(answers={"1-1": 1}),
    ]
    by_id = {t.item.id: t for t in tally(survey, records)}
    # the last record has answered only 1-1: 9 may still apply, so it counts as 未回答
    assert by_id["9"].counts == (2, 0, 0, 0) and by_id["9"].not_applicable == 1 and by_id["9"].unanswered == 1
    assert by_id["6"].counts == (1, 1) and by_id["6"].unanswered == 1  # "neither" is an answer; the last record waits
    assert by_id["1-1"].counts == (4, 0) and by_id["1-2"].not_applicable == 4
    assert by_id["3"].unanswered == 1
    assert by_id["13"].not_applicable == 4
    assert [t.item.id for t in tally(survey, records)][:3] == ["1-1", "1-2", "2"]
