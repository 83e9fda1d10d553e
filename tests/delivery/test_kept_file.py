"""A dropped workbook kept for 集計, as a declared shape: read back as kept (and in the
older bare-row form), malformed values named."""
from __future__ import annotations

import json

import pytest

from bot.delivery.kept_file import KeptFile
from bot.stored_json import RecordError
from bot.survey.checks import Problem

READS = [
    # (case, stored, read as)
    ("cells, a problem, sheet and minute",
     {"cells": {"組織名": "14神奈川県中井町"}, "problems": [["電話番号", "4631", "先頭の0がありません", "value"]],
      "sheet": "回答シート", "received": "2023-07-10 14:05"},
     KeptFile({"組織名": "14神奈川県中井町"}, (Problem("電話番号", "4631", "先頭の0がありません", "value"),),
              "回答シート", "2023-07-10 14:05")),
    ("nothing but cells", {"cells": {}}, KeptFile({})),
    ("an older file's bare row", ["14神奈川県中井町", None, "1"], KeptFile({}, row=("14神奈川県中井町", "", "1"))),
]

REFUSED = [
    ("neither object nor row", "14神奈川県中井町", "expected an object"),
    ("a cell that is not text", {"cells": {"組織名": 14}}, "cells.組織名: expected text"),
    ("a short problem", {"cells": {}, "problems": [["電話番号", "4631"]]}, "problems[0]: expected [item, value, reason, kind]"),
    ("a row with a number", ["14神奈川県中井町", 3], "[1]: expected text"),
]


@pytest.mark.parametrize(("stored", "read"), [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_a_kept_file_reads_as_kept(stored, read) -> None:
    kept = KeptFile.from_json(stored, "collect:u[a.xlsx]")
    assert kept == read
    if kept.row is None:
        assert KeptFile.from_json(json.loads(kept.to_json()), "again") == kept


@pytest.mark.parametrize(("stored", "said"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_malformed_kept_file_is_named(stored, said) -> None:
    with pytest.raises(RecordError, match=r"collect:u\[a\.xlsx\]") as refused:
        KeptFile.from_json(stored, "collect:u[a.xlsx]")
    assert said in str(refused.value)
