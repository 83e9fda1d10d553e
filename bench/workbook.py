"""Time the export: one answer workbook, a prefecture list of 2,000 stored answers, and
the same list checked, with the desk's sheets and charts (点検結果, 進捗, 集計, 要注意).

Aims: one workbook < 50 ms (median); 2,000 × row_for + build_prefecture_workbook < 3 s;
2,000 answers (a tenth of them hand-filled files, read back) checked and listed < 5 s;
the country's list (集計 全国) of the same rows, all from files, with 進捗 over all 1,741
municipalities < 5 s.

    python -m bench.workbook [--runs 30] [--answers 2000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import time

from bot.export.answer_workbook import build_answer_workbook
from bot.export.columns import row_for
from bot.export.prefecture_list import build_checked_list, build_country_list, build_prefecture_workbook
from bot.export.record_reader import bot_entry, file_entry, record_from_list_row
from bot.survey.engine import load_survey
from bot.survey.model import AnswerRecord, Confirmation, ConfirmationStatus
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY
from tests.export.records import RESPONDENT

ANSWERS = {
    "1-1": 1, "2": 3, "2_予定年月": "2023年9月", "3": 1, "4": 1, "5": 2, "6": [1, 2],
    "7-1": 1, "7-2": 1, "7-3": 1, "7-4": [1, 3], "8-1": 1, "8-1_概要": "複数職員で確認",
    "8-2": 1, "9": 1, "10": 2, "10_概要": "2019年に1件", "11": 1, "12": 2,
}  # fmt: skip


def synthetic_record(index: int, rng: random.Random) -> AnswerRecord:
    member = rng.random() < 0.2
    answers = dict(ANSWERS)
    answers["3"] = rng.choice((1, 2))
    answers["7-2"] = rng.choice((1, 2))
    if member:
        answers["13"] = rng.choice(([1], [2], [1, 3]))
    name = f"14神奈川県市{index:04d}" + ("(広域)" if member else "")
    return AnswerRecord(
        answer_id=f"bench-{index}",
        respondent={**RESPONDENT, "org_type": ORG_MEMBER if member else ORG_MUNICIPALITY, "org_name": name},
        answers=answers,
        confirmation=Confirmation(ConfirmationStatus.CONFIRMED, confirmed_at="2023-07-10 14:05")
        if rng.random() < 0.7
        else Confirmation(),
    )


def _median_ms(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args()

    survey = load_survey()
    rng = random.Random(2307)
    one = synthetic_record(0, rng)
    build_answer_workbook(survey, one)  # warm-up: imports, the survey's caches
    workbook_ms = _median_ms(args.runs, lambda: build_answer_workbook(survey, one))
    print(f"answer workbook: median {workbook_ms:.1f} ms over {args.runs} runs (aim < 50 ms)")

    records = [synthetic_record(i, rng) for i in range(args.answers)]
    rng.shuffle(records)

    start = time.perf_counter()
    rows = [row_for(survey, r) for r in records]
    rows_s = time.perf_counter() - start
    data = build_prefecture_workbook(survey, "神奈川県", rows)
    total_s = time.perf_counter() - start
    print(
        f"prefecture list: {args.answers} answers in {total_s:.2f} s "
        f"(row_for {rows_s:.2f} s, workbook {total_s - rows_s:.2f} s, {len(data) / 1024:.0f} KiB; aim < 3 s)"
    )

    # The checked list: every tenth answer arrives as a hand-filled file row, read back.
    start = time.perf_counter()
    entries = []
    for index, (record, row) in enumerate(zip(records, rows)):
        if index % 10 == 0:
            entries.append(file_entry(record_from_list_row(survey, row, filename=f"file-{index}.xlsx")))
        else:
            entries.append(bot_entry(survey, record))
    entries_s = time.perf_counter() - start
    checked = build_checked_list(survey, "14", "神奈川県", entries)
    total_s = time.perf_counter() - start
    print(
        f"checked list: {args.answers} answers in {total_s:.2f} s (entries {entries_s:.2f} s, "
        f"checks + 5 sheets + {len(checked.tallies)} charts {total_s - entries_s:.2f} s, "
        f"{len(checked.checked.findings)} findings, {len(checked.data) / 1024:.0f} KiB; aim < 5 s)"
    )

    # The ministry's: every row from the prefectures' list files.
    start = time.perf_counter()
    entries = [file_entry(record_from_list_row(survey, row, filename="list.xlsx")) for row in rows]
    country = build_country_list(survey, "全国", entries)
    total_s = time.perf_counter() - start
    print(
        f"country list: {args.answers} rows in {total_s:.2f} s ({len(country.progress)} 進捗 rows, "
        f"{len(country.checked.findings)} findings, {len(country.data) / 1024:.0f} KiB; aim < 5 s)"
    )


if __name__ == "__main__":
    main()
