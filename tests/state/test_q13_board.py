"""The agreed item's board (2307: Q13 by organisation) as a declared shape: each entry reads
back as posted, and a value the bot did not write is left out instead of failing the turn."""
from __future__ import annotations

import json

import pytest

from bot.state.q13_board import BoardEntry, Q13Board
from bot.stored_json import RecordError

NS = "boardtest"

READS = [
    # (case, stored, read as (type, answer_id, values, union))
    ("a 広域連合等", {"type": "広域連合等", "answer_id": "a1", "q13": [2, 1]}, ("広域連合等", "a1", (1, 2), "")),
    ("a 構成市町村 naming its union", {"type": "構成市町村", "answer_id": "a2", "q13": [3], "union": "14999 〇〇広域連合"},
     ("構成市町村", "a2", (3,), "14999 〇〇広域連合")),
]

REFUSED = [
    ("not an object", [1, 2], "expected an object"),
    ("no type", {"answer_id": "a1", "q13": [1]}, "type: missing"),
    ("no answer", {"type": "市区町村", "q13": [1]}, "answer_id: missing"),
    ("an option that is not a number", {"type": "市区町村", "answer_id": "a1", "q13": ["1"]}, "q13[0]: expected a number"),
    ("true is no option", {"type": "市区町村", "answer_id": "a1", "q13": [True]}, "q13[0]: expected a number"),
]


@pytest.mark.parametrize(("stored", "read"), [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_an_entry_reads_as_written(stored, read) -> None:
    entry = BoardEntry.from_json(stored, "q13:14[x]")
    assert (entry.org_type, entry.answer_id, entry.values, entry.union) == read
    assert BoardEntry.from_json(json.loads(entry.to_json()), "again") == entry


@pytest.mark.parametrize(("stored", "said"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_malformed_entry_is_named(stored, said) -> None:
    with pytest.raises(RecordError, match=r"q13:14\[x\]") as refused:
        BoardEntry.from_json(stored, "q13:14[x]")
    assert said in str(refused.value)


async def test_posting_returns_the_prefectures_entries_without_foreign_values(redis_client) -> None:
    board = Q13Board(redis_client, NS)
    await redis_client.hset(f"{NS}:q13:14", mapping={"14101 横浜市": b"\xff not json", "14130 川崎市": b'{"q13": 1}'})
    await board.post("14", "u1", "広域連合等", "14999 〇〇広域連合", [2])
    entries = await board.post("14", "m1", "構成市町村", "14150 相模原市", [1, 2], union="14999 〇〇広域連合")
    assert entries == {
        "14999 〇〇広域連合": BoardEntry("広域連合等", "u1", (2,), ""),
        "14150 相模原市": BoardEntry("構成市町村", "m1", (1, 2), "14999 〇〇広域連合"),
    }
