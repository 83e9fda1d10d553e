"""A prefecture's list read row by row (the ministry's desk): every filled row in the
layout's order, columns by header, refused whole when it cannot be used."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from bot.export import list_reader
from bot.export.list_reader import ListFileError, read_list_rows
from bot.export.prefecture_list import build_country_list
from bot.export.record_reader import file_entry, record_from_list_row
from bot.messages import export as msg
from bot.messages import list_sheets as sheet_msg
from bot.survey import municipalities
from bot.survey.engine import load_survey
from tests.export.test_list_reader import HAND_ROW, TEMPLATE_HEADERS, workbook_bytes
from tests.survey_2307 import HEADERS, LAYOUT

ORG = HEADERS.index("組織名")


def list_bytes(rows: list[dict], headers: list[str] = TEMPLATE_HEADERS, sheet: str = "一覧") -> bytes:
    """A list workbook: row 1 the headers, one row per dict (HAND_ROW with its changes)."""
    workbook = Workbook()
    target = workbook.active
    target.title = sheet
    target.append(headers)
    for changes in rows:
        row = {**HAND_ROW, **changes}
        target.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NAMES = ["14神奈川県中井町", "14神奈川県大井町", "13東京都府中市"]


def test_every_filled_row_in_the_layouts_order() -> None:
    data = list_bytes([{"組織名": n} for n in NAMES[:2]] + [{h: None for h in TEMPLATE_HEADERS}] + [{"組織名": NAMES[2]}])
    rows = read_list_rows(LAYOUT, data, "list.xlsx")
    assert [row[ORG] for row in rows] == NAMES  # the empty row in between is skipped
    assert all(len(row) == len(HEADERS) for row in rows)


def test_columns_are_found_by_header_not_position() -> None:
    shuffled = list(reversed(TEMPLATE_HEADERS))
    [row] = read_list_rows(LAYOUT, list_bytes([{"組織名": NAMES[0]}], headers=shuffled), "list.xlsx")
    assert row[ORG] == NAMES[0] and row[HEADERS.index("担当部署名")] == HAND_ROW["担当部署名"]


REFUSED = [
    # (case, file, reason, no_sheet)
    ("no list sheet (an answer workbook)", lambda: workbook_bytes(TEMPLATE_HEADERS, list(HAND_ROW.values())),
     msg.NO_LIST_SHEET.format(sheet="一覧"), True),
    ("headers only", lambda: list_bytes([]), msg.EMPTY_LIST.format(sheet="一覧"), False),
    ("a column missing", lambda: list_bytes([{}], headers=[h for h in TEMPLATE_HEADERS if h != "組織名"]), "組織名", False),
    ("not a workbook", lambda: b"not a zip", None, False),
]


@pytest.mark.parametrize(("make", "reason", "no_sheet"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_list_that_cannot_be_used_is_refused_whole(make, reason: str | None, no_sheet: bool) -> None:
    with pytest.raises(ListFileError) as refused:
        read_list_rows(LAYOUT, make(), "list.xlsx")
    assert reason is None or reason in refused.value.reason
    assert refused.value.no_sheet is no_sheet


def test_a_list_past_the_row_limit_is_refused_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(list_reader, "MAX_LIST_ROWS", 3)
    data = list_bytes([{"組織名": f"14神奈川県{n}"} for n in ("中井町", "大井町", "松田町", "山北町")])
    with pytest.raises(ListFileError) as refused:
        read_list_rows(LAYOUT, data, "list.xlsx")
    assert refused.value.reason == msg.TOO_MANY_ROWS.format(sheet="一覧", limit=3)
    assert len(read_list_rows(LAYOUT, list_bytes([{"組織名": "14神奈川県中井町"}] * 3), "list.xlsx")) == 3


# --- the country's list ------------------------------------------------------------------------

def test_the_country_list_checks_every_row_and_tracks_every_prefecture() -> None:
    survey = load_survey()
    kanagawa = list_bytes([{"組織名": "14神奈川県中井町"}, {"組織名": "14神奈川県大井町", "9": "①④"}])
    tokyo = list_bytes([{"組織名": "13東京都府中市"}, {"組織名": "14神奈川県中井町"}])  # 中井町 twice
    entries = [
        file_entry(record_from_list_row(survey, row, filename=name, sheet="一覧"), updated=when)
        for name, data, when in (("神奈川県.xlsx", kanagawa, "2023-07-20 10:00"), ("東京都.xlsx", tokyo, "2023-07-20 11:00"))
        for row in read_list_rows(LAYOUT, data, name)
    ]
    built = build_country_list(survey, "全国", entries)
    findings = {(f.org, f.item, f.kind) for f in built.checked.findings}
    assert ("14神奈川県大井町", "Q9", "value") in findings  # two marks on a single choice
    assert ("14神奈川県中井町", "組織名", "duplicate") in findings  # the newer file's row kept
    assert not any(f.kind == "prefecture" for f in built.checked.findings)  # no prefecture to belong to
    assert sorted(e.org for e in built.checked.kept) == ["13東京都府中市", "14神奈川県中井町", "14神奈川県大井町"]

    workbook = load_workbook(io.BytesIO(built.data))
    assert workbook.sheetnames == ["一覧", "点検結果", "進捗", "集計", "要注意"]
    progress = {r[1]: r[3] for r in workbook["進捗"].iter_rows(min_row=2, values_only=True)}
    assert len(progress) == len(municipalities.all_municipalities())
    assert progress["13東京都府中市"] == progress["14神奈川県大井町"] == sheet_msg.FILE_RECEIVED
    assert progress["01北海道札幌市"] == sheet_msg.NOT_STARTED
