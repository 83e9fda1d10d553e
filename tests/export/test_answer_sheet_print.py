"""The 回答シート goes on paper for the 課長's 決裁 (issue 9 (10)): rendered by LibreOffice as a
user's printer would, it is A4 portrait, whole columns on every page, and no text cut off."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.export.answer_workbook import build_answer_workbook
from bot.survey.engine import load_survey
from tests.export.records import CONFIRMED, FULL_BLOCK, record

TOOLS = ("soffice", "pdfinfo", "pdftotext")
A4_PORTRAIT = (595, 842)  # points, rounded


def _render(tmp_path: Path, data: bytes) -> Path:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install libreoffice-calc poppler-utils)")
    workbook = tmp_path / "answer.xlsx"
    workbook.write_bytes(data)
    # A profile of its own: another LibreOffice running on the machine must not block this one.
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    return tmp_path / "answer.pdf"


def _pages(pdf: Path) -> list[tuple[int, int]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True, capture_output=True, text=True).stdout
    return [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


_WORD = re.compile(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>')


def _columns(pdf: Path, page: int) -> tuple[str, str]:
    """(項番 and 質問 columns, 回答 column) of one page, each read top to bottom: the 回答
    column starts where its header word does (the header is on every page)."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout
    words = [(float(x), html.unescape(text)) for x, text in _WORD.findall(out)]
    boundary = next(x for x, text in words if text.startswith("回答をリストから選択"))
    left = "".join(text for x, text in words if x < boundary - 1)
    right = "".join(text for x, text in words if x >= boundary - 1)
    return left, right


def test_the_answer_sheet_prints_on_a4_portrait_one_page_wide(tmp_path: Path) -> None:
    survey = load_survey()
    outline = ("マニュアルあり。複数職員で4情報を確認し、確認した記録を残す。" * 100)[:2000]
    record_ = record(answers={**FULL_BLOCK, "8-1_概要": outline}, confirmation=CONFIRMED)
    pdf = _render(tmp_path, build_answer_workbook(survey, record_))
    pages = _pages(pdf)
    sheet_pages = [n for n, size in enumerate(pages, 1) if size == A4_PORTRAIT]
    # The 回答シート's pages first, all A4 portrait; then 一覧用 on one landscape page.
    assert sheet_pages == list(range(1, len(pages)))
    assert pages[-1] == A4_PORTRAIT[::-1]
    assert len(sheet_pages) <= 5  # issue 9: 12 pages with columns split before

    # Every page has the table's header (repeated) with its three columns side by side.
    columns = [_columns(pdf, page) for page in sheet_pages]
    for left, right in columns:
        assert "項番質問" in left and "回答をリストから選択(一部自由記載)" in right
    questions = "".join(left for left, _ in columns)
    answers = "".join(right for _, right in columns).replace("回答をリストから選択(一部自由記載)", "")
    # Nothing cut off: every question and option row whole, every answer whole.
    for item in survey.items:
        if item.on_sheet:
            assert re.sub(r"\s+", "", item.sheet_text) in questions, item.id
        for option in item.options if item.sheet_options else ():
            assert item.sheet_option_label(option.number).replace(" ", "") in questions, (item.id, option.number)
    for whole in (survey.item("4").option(1).label, survey.item("12").option(2).label, outline):
        assert whole.replace(" ", "") in answers
