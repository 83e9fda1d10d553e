"""The export file's lines: every kind's value round-trips, bad files are refused with
the line and the reason, and nothing of them reaches Redis (read_lines is pure)."""
from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from bot.admin.data_file import FORMAT, VERSION, DataFileError, entry_line, read_lines, write_lines
from bot.admin.snapshot import Entry, Snapshot
from bot.keyspace import BY_NAME, EXPORTED, KEY_KINDS
from bot.messages import admin as msg
from bot.state.redis_storage import decode_record

HEADER = json.dumps({"format": FORMAT, "version": VERSION, "namespace": "mn2307", "taken_at": "2023-07-21T08:00:00.000+00:00"})
SECRET = bytes(range(32))

# kind, id, the value as Redis holds it, the value as the file shows it
CASES: list[tuple[str, str, Any, Any]] = [
    ("answer", "a1", '{"answer_id":"a1","answers":{"6":[1,2]},"members":["u1"],"e_tag":"ab12"}'.encode(),
     {"answer_id": "a1", "answers": {"6": [1, 2]}, "members": ["u1"]}),
    ("user", "u1", '{"answer_id":"a1","cursor":{"kind":"item","id":"7-2"},"e_tag":"cd34"}'.encode(),
     {"answer_id": "a1", "cursor": {"kind": "item", "id": "7-2"}}),
    ("history", "a1", ['{"at":"2023-07-18T10:00","kind":"start"}'.encode(), '{"kind":"answer","item":"6","old":null,"new":[1]}'.encode()],
     [{"at": "2023-07-18T10:00", "kind": "start"}, {"kind": "answer", "item": "6", "old": None, "new": [1]}]),
    ("name", "山田太郎", [b"u1", b"u2"], ["u1", "u2"]),
    ("prefecture_index", "14", [b"a1", b"a2"], ["a1", "a2"]),
    ("q13_board", "14", {"14神奈川県相模原市".encode(): b'{"type":"x","answer_id":"a1","q13":[1]}'},
     {"14神奈川県相模原市": {"type": "x", "answer_id": "a1", "q13": [1]}}),
    ("unions", "40", {"40福岡県介護保険広域連合".encode(): b"a7"}, {"40福岡県介護保険広域連合": "a7"}),
    ("code", "ABCD-EFGH", b'{"purpose":"share","answer_id":"a1","e_tag":"ef56"}', {"purpose": "share", "answer_id": "a1"}),
    ("kept_list_rows", "u9", {"中井町.xlsx".encode(): '["14神奈川県中井町","①"]'.encode()}, {"中井町.xlsx": ["14神奈川県中井町", "①"]}),
    ("reminded", "a1:2023-07-21:3", b"1", "1"),
    ("link_secret", "file_links", SECRET, base64.b64encode(SECRET).decode()),
    ("staff_grants", "grants", {b"aad-1": '{"code":"14","name":"県 担当","by":"aad-admin","at":"2023-07-01 09:00"}'.encode()},
     {"aad-1": {"code": "14", "name": "県 担当", "by": "aad-admin", "at": "2023-07-01 09:00"}}),
    ("prefecture_deadlines", "prefectures", {b"14": b'{"at":"2023-07-14T17:00+09:00","by":"aad-1","set_at":"2023-07-01 10:00"}'},
     {"14": {"at": "2023-07-14T17:00+09:00", "by": "aad-1", "set_at": "2023-07-01 10:00"}}),
]


def test_every_exported_kind_has_a_case() -> None:
    assert {kind for kind, *_ in CASES} == {kind.name for kind in EXPORTED}
    assert {k.name for k in KEY_KINDS if not k.exported} == {"guess", "consent_file", "scheduler_lock", "chased"}


def _file(*lines: str) -> list[str]:
    return [HEADER, *lines, json.dumps({"end": True, "records": len(lines)})]


@pytest.mark.parametrize("kind,ident,stored,shown", CASES, ids=[c[0] for c in CASES])
def test_value_round_trip(kind: str, ident: str, stored: Any, shown: Any) -> None:
    entry = Entry(BY_NAME[kind], ident, stored, 1_690_000_000_000 if kind == "code" else None)
    line = entry_line(entry)
    assert line["value"] == shown and "raw" not in line
    assert ("expires_at" in line) == (kind == "code")
    [back] = read_lines(_file(json.dumps(line, ensure_ascii=False))).entries
    assert (back.kind, back.id, back.expires_at_ms) == (entry.kind, entry.id, entry.expires_at_ms)
    assert entry_line(back) == line  # written back to Redis, it exports the same again
    if entry.kind.codec == "record":
        assert decode_record(back.value)["e_tag"] != json.loads(stored)["e_tag"]  # a fresh e_tag
    elif entry.kind.codec in ("text", "bytes", "members", "text_hash"):
        assert back.value == stored  # byte for byte


@pytest.mark.parametrize(
    "kind,stored",
    [("answer", b"\xff not json"), ("history", [b'{"kind":"start"}', b"{broken"]), ("q13_board", {b"\xff": b"{}"})],
    ids=["answer", "history", "q13_board"],
)
def test_a_value_not_of_its_kind_is_kept_byte_for_byte(kind: str, stored: Any) -> None:
    line = entry_line(Entry(BY_NAME[kind], "x", stored))
    assert "value" not in line and "raw" in line
    [back] = read_lines(_file(json.dumps(line))).entries
    assert back.value == stored


def test_a_whole_snapshot_reads_back() -> None:
    entries = [Entry(BY_NAME[k], i, s) for k, i, s, _ in CASES]
    lines = list(write_lines(Snapshot(1_690_000_000_000, entries, []), "mn2307"))
    assert json.loads(lines[0])["taken_at"] == "2023-07-22T04:26:40.000+00:00"
    data = read_lines(lines)
    assert (data.namespace, [(e.kind.name, e.id) for e in data.entries]) == ("mn2307", [(e.kind.name, e.id) for e in entries])


ANSWER = json.dumps({"kind": "answer", "id": "a1", "value": {"answer_id": "a1"}})
# file lines -> (line number, reason) in the error
BAD_FILES: list[tuple[str, list[str], int, str]] = [
    ("empty", [], 0, msg.EMPTY_FILE),
    ("not ours", [json.dumps({"format": "other"}), ANSWER], 1, msg.NOT_OURS.format(format=FORMAT)),
    ("newer version", [json.dumps({"format": FORMAT, "version": 2})], 1, msg.WRONG_VERSION.format(version=2, supported=VERSION)),
    ("cut short", [HEADER, ANSWER], 0, msg.CUT_SHORT),
    ("count differs", [HEADER, ANSWER, json.dumps({"end": True, "records": 2})], 3,
     msg.COUNT_MISMATCH.format(expected=2, found=1)),
    ("after the end", _file(ANSWER) + [ANSWER], 4, msg.AFTER_END),
    ("not json", _file("{oops"), 2, msg.NOT_JSON),
    ("not an object", _file("[1, 2]"), 2, msg.NOT_OBJECT),
    ("unknown kind", _file(json.dumps({"kind": "password", "id": "x", "value": 1})), 2, msg.UNKNOWN_KIND.format(kind="password")),
    ("not exported kind", _file(json.dumps({"kind": "guess", "id": "u", "value": "3"})), 2, msg.UNKNOWN_KIND.format(kind="guess")),
    ("no id", _file(json.dumps({"kind": "answer", "value": {}})), 2, msg.NO_ID),
    ("answer not an object", _file(json.dumps({"kind": "answer", "id": "a", "value": [1]})), 2, "answer a"),
    ("no value", _file(json.dumps({"kind": "code", "id": "c"})), 2, "code c"),
    ("bad base64", _file(json.dumps({"kind": "link_secret", "id": "file_links", "value": "!!"})), 2, "link_secret file_links"),
    ("bad expiry", _file(json.dumps({"kind": "code", "id": "c", "value": {}, "expires_at": "soon"})), 2, "code c"),
    ("expiry without zone", _file(json.dumps({"kind": "code", "id": "c", "value": {}, "expires_at": "2023-07-21T10:00"})), 2, "code c"),
    ("set of numbers", _file(json.dumps({"kind": "name", "id": "n", "value": [1]})), 2, "name n"),
]


@pytest.mark.parametrize("name,lines,line,reason", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_are_refused(name: str, lines: list[str], line: int, reason: str) -> None:
    with pytest.raises(DataFileError) as refused:
        read_lines(lines)
    assert refused.value.line == line
    assert reason in refused.value.reason
