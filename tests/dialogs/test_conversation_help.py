"""ヘルプ carries the survey's contacts and the Digital Agency's three notes, as the
seed prints them (checked against the seed when ../shared is there)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.messages import conversation as msg
from tests.dialogs.transcript import Transcript
from tests.e2e.transcripts import MUNICIPALITY_SHORT, PREFECTURE, Walk
from tests.survey_2307 import SURVEY

TEXTS = SURVEY.texts  # the definition's help: (bot/survey/definitions/2307.yaml)

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "mhlw-kaigo-mynumber-survey-2307.txt"

CONTACT_LINES = [
    "厚生労働省老健局介護保険計画課",
    "電 話：03-5253-1111（内線：2164）",
    "メール：rouken-keikaku@mhlw.go.jp",
    "デジタル庁マイナンバー情報総点検本部",
    "TEL : 03-4477-6775",
]
NOTES = [
    "より慎重な選択肢を選択するようお願いいたします。",  # 迷ったら慎重な選択肢
    "エクセルの入力規則に従って入力するようお願いいたします。既に組み込んでいる関数などは編集しないようご注意ください。",
    "紐付け実施機関として責任を持った回答をお願いいたします。",
]


@pytest.mark.parametrize("walk", [None, MUNICIPALITY_SHORT, PREFECTURE], ids=["no-answer", "municipality", "prefecture"])
@pytest.mark.parametrize("shown", CONTACT_LINES + NOTES + [msg.CONTACTS_TITLE, TEXTS.notes_title])
def test_help_shows_contacts_and_notes_to_everyone(walk: Walk | None, shown: str) -> None:
    t = Transcript()
    if walk is not None:
        t.play(walk.steps()[:4])
    before = t.snapshot()
    replies = t.say("ヘルプ")
    assert replies.heading == "使い方"
    assert shown in replies.all_text
    assert t.snapshot() == before


def test_each_note_is_its_own_paragraph_after_its_heading() -> None:
    texts = Transcript().say("ヘルプ").all_text.splitlines()
    start = texts.index(TEXTS.notes_title)
    assert [t.strip("「」") for t in texts[start + 1 : start + 4]] == list(TEXTS.notes)


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.skip(f"seed text not found at ../shared/seed/{SEED.name}")
    return SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "printed",
    [*TEXTS.notes, *(line for contact in TEXTS.contacts for line in contact.lines)],
)
def test_quoted_and_printed_texts_are_the_seeds(seed: str, printed: str) -> None:
    assert printed in seed
