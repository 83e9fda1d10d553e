"""Another survey through `python -m bot`: SURVEY_DEFINITION names the example definition
(an invented 障害福祉 survey, bot/survey/definitions/example-shougai.yaml), and the same bot,
on a real Redis and spoken to as Teams does, asks its items (guided answering), re-applies
its skip rule after 修正, writes its workbook (出力, read back with the same definition)
and its prefecture list (集計)."""
from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.export.columns import row_for
from bot.export.record_reader import read_answer_workbook
from bot.survey.engine import Survey, load_survey
from bot.survey.model import AnswerRecord
from tests.e2e.example_transcripts import (
    EDIT,
    EDITED_ANSWERS,
    EXAMPLE,
    FILE_SUFFIX,
    LIST_SHEET,
    MUNICIPALITY,
    MUNICIPALITY_ANSWERS,
    MUNICIPALITY_NAME,
    PREFECTURE,
    PREFECTURE_ANSWERS,
    SHEETS,
    respondent,
)
from tests.e2e.transcripts import play, stored_answer
from tests.fakes.teams import FILE_CONSENT_CARD, TeamsUser

NAMESPACE = f"e2e-example-{uuid.uuid4().hex[:8]}"
STAFF = TeamsUser(name="県 担当", aad_object_id="6f1c0000-0000-0000-0000-00000000e014")


@pytest.fixture(scope="module")
def example() -> Survey:
    return load_survey(EXAMPLE)


@pytest.fixture
async def bot(bot_factory, redis_client) -> Any:
    return await bot_factory(env={
        "SURVEY_DEFINITION": str(EXAMPLE), "REDIS_NAMESPACE": NAMESPACE,
        "FILE_LINK_SECRET": "e2e-example-file-link-secret-of-32-bytes",
        "PREFECTURE_STAFF": f"{STAFF.aad_object_id}:14",
    })


def _record(stored: dict[str, Any]) -> AnswerRecord:
    return AnswerRecord.from_json(stored)


async def test_example_survey_answered_edited_exported_and_collected(
    bot, teams_client, fake_connector, redis_client, example: Survey
) -> None:
    # Guided answering: the welcome is the example's, its items in its order, its notes.
    municipality = teams_client(bot)
    welcome = await municipality.say("こんにちは")
    assert welcome.heading.startswith("【例】") and "実在の調査ではありません" in welcome.all_text
    await play(municipality, MUNICIPALITY)
    stored = await stored_answer(redis_client, NAMESPACE, municipality.user.aad_object_id)
    assert stored is not None
    assert stored["respondent"] == respondent("市区町村", MUNICIPALITY_NAME, "shougai@example.lg.jp")
    assert stored["answers"] == MUNICIPALITY_ANSWERS

    # 修正: Q1 ① → ② takes Q2 out (its answer set aside), the rest is kept.
    await play(municipality, EDIT)
    stored = await stored_answer(redis_client, NAMESPACE, municipality.user.aad_object_id)
    assert stored["answers"] == EDITED_ANSWERS

    # 出力: the workbook carries the example's file name, sheets and columns, and reads back
    # into the same answer with the example's own definition.
    offered = await municipality.say("出力")
    [consent] = offered.attachments(FILE_CONSENT_CARD)
    name = f"【{MUNICIPALITY_NAME}】{FILE_SUFFIX}.xlsx"
    assert consent["name"] == name
    status, _ = await municipality.file_consent("accept")
    assert status == 200
    data = bytes(fake_connector.uploads[name].data)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == SHEETS
    list_rows = [list(r) for r in workbook[SHEETS[1]].iter_rows(values_only=True)]
    assert list_rows[0] == list(example.layout.headers)
    assert ["" if v is None else v for v in list_rows[1]] == row_for(example, _record(stored))
    read = read_answer_workbook(example, data, name)
    assert (read.sheet, read.problems) == (SHEETS[0], [])
    assert (read.record.respondent, read.record.answers) == (stored["respondent"], EDITED_ANSWERS)

    # A prefecture answers too (Q4 is its own), then its staff makes the list: 集計.
    prefecture = teams_client(bot, user=STAFF)
    await play(prefecture, PREFECTURE)
    prefecture_stored = await stored_answer(redis_client, NAMESPACE, STAFF.aad_object_id)
    assert prefecture_stored["answers"] == PREFECTURE_ANSWERS
    collected = await prefecture.say("集計 神奈川県")
    [list_consent] = collected.attachments(FILE_CONSENT_CARD)
    assert list_consent["name"] == f"【神奈川県】{FILE_SUFFIX}.xlsx"
    summary = collected.texts[0]
    assert "survey@example.jp" in summary and f"件名「【神奈川県】{FILE_SUFFIX}」" in summary
    status, _ = await prefecture.file_consent("accept")
    assert status == 200
    listed = load_workbook(io.BytesIO(bytes(fake_connector.uploads[list_consent["name"]].data)))
    assert listed.sheetnames[0] == LIST_SHEET
    rows = [["" if v is None else v for v in row] for row in listed[LIST_SHEET].iter_rows(values_only=True)]
    assert rows[0] == list(example.layout.headers)
    # Ordered by 組織名: 14神奈川県 before 14神奈川県相模原市; 4 is 対象外 for the municipality only.
    assert rows[1:] == [row_for(example, _record(prefecture_stored)), row_for(example, _record(stored))]
    column_4 = example.layout.index("4")
    assert [rows[1][column_4], rows[2][column_4]] == ["①周知している。", "対象外"]
