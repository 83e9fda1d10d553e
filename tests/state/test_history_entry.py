"""History entries as a declared shape: read back as written, malformed ones named, every
kind declared once and shown by the 履歴 command."""
from __future__ import annotations

import json

import pytest

from bot.dialogs.session import Session
from bot.dialogs.records import UserRecord
from bot.history_entry import HistoryEntry, HistoryKind
from bot.messages import teamwork as msg
from bot.state.history import History
from bot.stored_json import RecordError

NS = "histtest"

READS = [
    # (case, stored entry, read as (kind, by, name, details))
    ("an answer", {"at": "2023-07-18T10:00", "by": "u1", "name": "山田", "kind": "answer", "item": "6", "old": None, "new": [1]},
     (HistoryKind.ANSWER, "u1", "山田", {"item": "6", "old": None, "new": [1]})),
    ("erased at retention", {"at": "2023-07-18T10:00", "kind": "confirm", "confirmed_at": "2023-07-19 09:00"},
     (HistoryKind.CONFIRM, "", "", {"confirmed_at": "2023-07-19 09:00"})),
    ("an import's own details", {"at": "2023-07-18T10:00", "by": "u1", "kind": "import", "file": "a.xlsx", "fields": 8},
     (HistoryKind.IMPORT, "u1", "", {"file": "a.xlsx", "fields": 8})),
]


@pytest.mark.parametrize(("stored", "read"), [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_an_entry_reads_as_written(stored, read) -> None:
    entry = HistoryEntry.from_json(stored, "history:a1[0]")
    assert (entry.kind, entry.by, entry.name, entry.details) == read


REFUSED = [
    ("not an object", ["start"], "expected an object"),
    ("no kind", {"at": "2023-07-18T10:00"}, "kind"),
    ("a kind never declared", {"at": "2023-07-18T10:00", "kind": "teleport"}, "kind: 'teleport' is not one of"),
    ("no minute", {"kind": "start"}, "at: missing"),
    ("a name that is not text", {"at": "2023-07-18T10:00", "kind": "start", "name": 3}, "name: expected text"),
]


@pytest.mark.parametrize(("stored", "said"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_malformed_entry_is_named(stored, said) -> None:
    with pytest.raises(RecordError, match="history:a1\\[2\\]") as refused:
        HistoryEntry.from_json(stored, "history:a1[2]")
    assert said in str(refused.value)


def test_every_kind_has_one_line_of_its_own() -> None:
    assert set(msg.HISTORY_KINDS) == {kind.value for kind in HistoryKind}


def test_a_turn_cannot_log_an_undeclared_kind() -> None:
    session = Session(user_key="u1", user_name="山田", conversation_id="c", conversation_type="personal",
                      user=UserRecord(), answer=None)
    session.log("start")
    with pytest.raises(ValueError):
        session.log("teleport")


async def test_the_history_leaves_out_what_is_not_an_entry(redis_client) -> None:
    key = f"{NS}:history:a1"
    good = {"at": "2023-07-18T10:00", "by": "u1", "kind": "start"}
    await redis_client.rpush(key, json.dumps(good), b"{broken", json.dumps({"kind": "teleport", "at": "x"}), json.dumps(good))
    entries = await History(redis_client, NS).read("a1")
    assert [e.kind for e in entries] == [HistoryKind.START, HistoryKind.START]
