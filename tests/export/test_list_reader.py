"""read_list_row: hand-filled files map by header name; broken files say why."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from bot.export import list_reader
from tests.survey_2307 import HEADERS, LAYOUT
from bot.export.list_reader import (
    MAX_ENTRIES,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    ListFileError,
    cell_text,
    read_list_row,
)
from bot.messages import export as msg

# A municipality's own row, as it would type it into the Ministry's template.
HAND_ROW = {
    "制度等": "福祉・介護(介護保険)",
    "組織区分": "市区町村",
    "属性": "なし",
    "組織名": "14神奈川県中井町",
    "担当部署名": "健康課",
    "回答責任者役職": "課長",
    "回答責任者氏名": "中井 一郎",
    "連絡先氏名": "中井 二郎",
    "電話番号": 465811111,  # typed as a number
    "メールアドレス": "kenko@example.lg.jp",
    "1-1": "②上記機能を導入していない（業務システムを導入していない場合を含む。）。",
    "1-2": "対象外",
    "2": "①定めている。",
    "2_予定年月": "対象外",
    "3": "②求めていない。（Q6へ）",
    "4": "対象外",
    "5": "対象外",
    "6_①": "○",
    "6_②": None,
    "7-1": "①取得している。",
    "7-2": "②紐付けを行わない。（Q9へ）",
    "7-3": "対象外",
    "7-4_①": "対象外",
    "7-4_②": "対象外",
    "7-4_③": "対象外",
    "7-4_④": "対象外",
    "7-4_⑤": "対象外",
    "8-1": "対象外",
    "8-1_概要": "対象外",
    "8-2": "対象外",
    "9": "①複数職員で確認している。",
    "10": "①事例はない。",
    "11": 3.0,  # a number typed where a choice belongs still reads as text without .0
    "12": "③その他",
    "13_①": "対象外",
    "13_②": "対象外",
    "13_③": "対象外",
    "情報未入力": None,
    "未回答": None,
}
TEMPLATE_HEADERS = list(HAND_ROW)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value))
    return str(value)


EXPECTED = [_as_text(HAND_ROW.get(h)) for h in HEADERS]


def workbook_bytes(headers, values, sheet="一覧用", extra_sheets=("回答シート",)) -> bytes:
    workbook = Workbook()
    workbook.active.title = extra_sheets[0] if extra_sheets else sheet
    for name in extra_sheets[1:]:
        workbook.create_sheet(name)
    target = workbook[sheet] if sheet in workbook.sheetnames else workbook.create_sheet(sheet)
    target.append(list(headers))
    if values is not None:
        target.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _respell(spellings: dict[str, str]) -> list[str]:
    return [spellings.get(h, h) for h in TEMPLATE_HEADERS]


# Header spellings a hand-made template may use (column_index's alias table).
SPELLINGS = [
    ("template-as-specified", {}),
    ("circled-without-underscore", {"6_①": "6①", "6_②": "6②", **{f"7-4_{c}": f"7-4{c}" for c in "①②③④⑤"}, "13_①": "13①"}),
    ("full-width", {"1-1": "１－１", "7-4_③": "７－４＿③", "メールアドレス": "メール アドレス", "11": "１１"}),
    ("q-prefixed", {"1-1": "Q1-1", "1-2": "Q1-2", "2": "Q2", "2_予定年月": "Q2 予定年月", "8-1_概要": "Q8-1 概要", "13_③": "Q13_③"}),
    ("status-words", {"情報未入力": "情報未入力あり", "未回答": "未回答あり", "電話番号": "電話"}),
]


@pytest.mark.parametrize("spellings", [s[1] for s in SPELLINGS], ids=[s[0] for s in SPELLINGS])
def test_hand_filled_template_maps_by_header(spellings):
    data = workbook_bytes(_respell(spellings), [HAND_ROW[h] for h in TEMPLATE_HEADERS])
    assert read_list_row(LAYOUT, data, "【14神奈川県中井町】.xlsx") == EXPECTED


def test_columns_map_by_name_not_position():
    order = list(reversed(TEMPLATE_HEADERS)) + ["備考"]
    values = [HAND_ROW[h] for h in reversed(TEMPLATE_HEADERS)] + ["メモ"]
    data = workbook_bytes(order, values)
    assert read_list_row(LAYOUT, data, "reversed.xlsx") == EXPECTED


def test_project_columns_are_read_when_present():
    headers = TEMPLATE_HEADERS + ["10_概要", "回答責任者確認", "確認日時"]
    values = [HAND_ROW[h] for h in TEMPLATE_HEADERS] + ["事例の概要", "確認済", "2023-07-10 14:05"]
    row = read_list_row(LAYOUT, workbook_bytes(headers, values), "ok.xlsx")
    assert row[-3:] == ["事例の概要", "確認済", "2023-07-10 14:05"]


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


GOOD = workbook_bytes(TEMPLATE_HEADERS, [HAND_ROW[h] for h in TEMPLATE_HEADERS])
_WITHOUT = [h for h in TEMPLATE_HEADERS if h not in ("1-1", "6_②")]

BROKEN = [
    ("not-a-zip", b"name,org\n1,2\n", {}, msg.NOT_A_ZIP),
    ("xls-or-encrypted", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, {}, msg.OLD_OR_ENCRYPTED),
    ("zip-not-workbook", _zip({"readme.txt": b"hello"}), {}, msg.NOT_A_WORKBOOK),
    (
        "zip-with-broken-workbook",
        _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"not xml"}),
        {},
        msg.NOT_A_WORKBOOK,
    ),
    ("no-list-sheet", workbook_bytes(TEMPLATE_HEADERS, [1] * 39, sheet="回答", extra_sheets=("回答シート",)), {}, msg.NO_LIST_SHEET.format(sheet="一覧用")),
    (
        "missing-headers",
        workbook_bytes(_WITHOUT, ["x"] * len(_WITHOUT)),
        {},
        msg.MISSING_HEADERS.format(sheet="一覧用", headers="1-1、6_②"),
    ),
    (
        "headers-in-wrong-row",
        workbook_bytes(["一覧"], None),
        {},
        msg.MISSING_HEADERS.format(sheet="一覧用", headers="、".join(TEMPLATE_HEADERS)),
    ),
    (
        "duplicate-headers",
        workbook_bytes(TEMPLATE_HEADERS + ["６①"], [HAND_ROW[h] for h in TEMPLATE_HEADERS] + ["○"]),
        {},
        msg.DUPLICATE_HEADERS.format(sheet="一覧用", headers="６①"),
    ),
    ("no-row-2", workbook_bytes(TEMPLATE_HEADERS, None), {}, msg.EMPTY_ROW.format(sheet="一覧用")),
    (
        "row-2-only-ministry-prefill",
        workbook_bytes(TEMPLATE_HEADERS, ["福祉・介護(介護保険)", None, "なし"] + [None] * 34 + ["情報未入力あり", "未回答あり"]),
        {},
        msg.EMPTY_ROW.format(sheet="一覧用"),
    ),
    ("oversize", GOOD, {"max_bytes": len(GOOD) - 1}, msg.TOO_LARGE.format(size=msg.size_text(len(GOOD)), limit=msg.size_text(len(GOOD) - 1))),
]


@pytest.mark.parametrize(("data", "kwargs", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_files_are_rejected_with_reason(data, kwargs, reason):
    with pytest.raises(ListFileError) as raised:
        read_list_row(LAYOUT, data, "【14神奈川県大井町】回答.xlsx", **kwargs)
    assert raised.value.reason == reason
    assert raised.value.filename == "【14神奈川県大井町】回答.xlsx"
    assert str(raised.value).startswith("【14神奈川県大井町】回答.xlsx：")


_PACKAGE = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def _deflated(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _bomb_parts() -> dict[str, bytes]:
    # Below the ratio check one by one, over the limit together.
    part = b"\0" * (1024 * 1024)
    return {**_PACKAGE, **{f"xl/media/part{i}.bin": part for i in range(MAX_UNPACKED_BYTES // len(part) + 1)}}


ZIP_BOMBS = [
    ("one-part-unpacks-2000-fold", lambda: _deflated({**_PACKAGE, "xl/sharedStrings.xml": b"\0" * (2 * 1024 * 1024)}),
     lambda r: r.startswith(msg.COMPRESSION_TOO_HIGH.split("（")[0] + "（xl/sharedStrings.xml）") and f"上限は{MAX_RATIO}倍" in r),
    ("parts-unpack-past-the-limit", lambda: _deflated(_bomb_parts()),
     lambda r: r == msg.TOO_LARGE_UNPACKED.format(limit=msg.size_text(MAX_UNPACKED_BYTES))),
    ("too-many-parts", lambda: _deflated({**_PACKAGE, **{f"xl/p{i}.xml": b"<p/>" for i in range(MAX_ENTRIES)}}),
     lambda r: r == msg.TOO_MANY_PARTS.format(count=MAX_ENTRIES + 2, limit=MAX_ENTRIES)),
]


@pytest.mark.parametrize(("make", "reason_ok"), [b[1:] for b in ZIP_BOMBS], ids=[b[0] for b in ZIP_BOMBS])
def test_zip_bombs_are_refused_before_openpyxl(monkeypatch, make, reason_ok):
    data = make()
    assert len(data) < list_reader.MAX_BYTES  # small as sent: only unpacking would be large

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was given a zip bomb")

    monkeypatch.setattr(list_reader, "load_workbook", never)
    with pytest.raises(ListFileError) as raised:
        read_list_row(LAYOUT, data, "bomb.xlsx")
    assert reason_ok(raised.value.reason), raised.value.reason


def test_a_well_compressed_real_workbook_is_not_a_bomb():
    # A sheet of many identical rows compresses well, yet is below every limit.
    rows = [[HAND_ROW[h] for h in TEMPLATE_HEADERS]] * 3000
    workbook = Workbook()
    workbook.active.title = "回答シート"
    sheet = workbook.create_sheet("一覧用")
    sheet.append(TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_list_row(LAYOUT, buffer.getvalue(), "many-rows.xlsx") == EXPECTED


def test_good_file_at_exact_size_limit_is_read():
    assert read_list_row(LAYOUT, GOOD, "ok.xlsx", max_bytes=len(GOOD)) == EXPECTED


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), ("", ""), ("=A1", "=A1"), (3, "3"), (3.0, "3"), (2.5, "2.5"), (465811111.0, "465811111"), (True, "TRUE")],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
