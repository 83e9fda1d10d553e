"""The export file: JSON Lines, described in docs/data-format.md.

    {"format": "mn2307-bot-data", "version": 1, "namespace": …, "taken_at": …}   header
    {"kind": "answer", "id": "…", "value": {…}}                                   one per key
    {"kind": "code", "id": "ABCD-EFGH", "value": {…}, "expires_at": "…"}
    {"end": true, "records": 1234}                                               trailer

Values are readable JSON where the bot stores JSON (answers, history, codes…), plain
lists for sets, base64 for bytes. A stored value that is not what its kind should
hold is kept byte for byte as "raw" (base64) instead of being lost. The trailer
lets import tell a complete file from one cut short.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.admin.snapshot import Entry, RedisValue, Snapshot
from bot.keyspace import (
    BY_NAME,
    CODEC_BYTES,
    CODEC_JSON,
    CODEC_JSON_HASH,
    CODEC_TEXT_HASH,
    CODEC_JSON_LIST,
    CODEC_MEMBERS,
    CODEC_RECORD,
    CODEC_TEXT,
    KeyKind,
)
from bot.messages import admin as msg
from bot.state.redis_storage import ETAG_FIELD, encode_record, new_etag

FORMAT = "mn2307-bot-data"
VERSION = 1


class DataFileError(ValueError):
    """The file cannot be imported; `line` is 1-based (0: the file as a whole)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(msg.LINE.format(line=line, reason=reason) if line else reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class DataFile:
    namespace: str  # the namespace it was exported from (import writes into the configured one)
    taken_at: str
    entries: list[Entry]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def iso_time(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, timezone.utc).isoformat(timespec="milliseconds")


def _epoch_ms(text: str) -> int:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return round(moment.timestamp() * 1000)


# --- values: Redis form <-> JSON -------------------------------------------------------------


def _record(raw: bytes) -> dict[str, Any]:
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    value.pop(ETAG_FIELD, None)
    return value


def export_value(codec: str, value: RedisValue) -> Any:
    """ValueError when the stored value is not what the codec expects."""
    if codec == CODEC_RECORD:
        return _record(value)  # type: ignore[arg-type]
    if codec == CODEC_JSON:
        return json.loads(value)  # type: ignore[arg-type]
    if codec == CODEC_TEXT:
        return value.decode("utf-8")  # type: ignore[union-attr]
    if codec == CODEC_BYTES:
        return _b64(value)  # type: ignore[arg-type]
    if codec == CODEC_JSON_LIST:
        return [json.loads(item) for item in value]  # type: ignore[union-attr]
    if codec == CODEC_MEMBERS:
        return [member.decode("utf-8") for member in value]  # type: ignore[union-attr]
    if codec == CODEC_JSON_HASH:
        return {k.decode("utf-8"): json.loads(v) for k, v in value.items()}  # type: ignore[union-attr]
    if codec == CODEC_TEXT_HASH:
        return {k.decode("utf-8"): v.decode("utf-8") for k, v in value.items()}  # type: ignore[union-attr]
    raise ValueError(f"unknown codec {codec}")


def import_value(codec: str, value: Any) -> RedisValue:
    """The Redis form of an exported value (records get a fresh e_tag). ValueError/TypeError if malformed."""
    if codec == CODEC_RECORD:
        if not isinstance(value, dict):
            raise ValueError("value is not a JSON object")
        return encode_record(value, new_etag()).encode("utf-8")
    if codec == CODEC_JSON:
        return _dumps(value).encode("utf-8")
    if codec == CODEC_TEXT:
        if not isinstance(value, str):
            raise ValueError("value is not a string")
        return value.encode("utf-8")
    if codec == CODEC_BYTES:
        return _unb64(value)
    if codec == CODEC_JSON_LIST:
        if not isinstance(value, list):
            raise ValueError("value is not a list")
        return [_dumps(item).encode("utf-8") for item in value]
    if codec == CODEC_MEMBERS:
        if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
            raise ValueError("value is not a list of strings")
        return sorted(m.encode("utf-8") for m in value)
    if codec == CODEC_JSON_HASH:
        if not isinstance(value, dict):
            raise ValueError("value is not a JSON object")
        return {k.encode("utf-8"): _dumps(v).encode("utf-8") for k, v in value.items()}
    if codec == CODEC_TEXT_HASH:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError("value is not a JSON object of strings")
        return {k.encode("utf-8"): v.encode("utf-8") for k, v in value.items()}
    raise ValueError(f"unknown codec {codec}")


def _raw(value: RedisValue) -> Any:
    if isinstance(value, bytes):
        return _b64(value)
    if isinstance(value, dict):
        return {_b64(k): _b64(v) for k, v in value.items()}
    return [_b64(item) for item in value]


def _unraw(kind: KeyKind, raw: Any) -> RedisValue:
    if kind.redis_type == "string" and isinstance(raw, str):
        return _unb64(raw)
    if kind.redis_type == "hash" and isinstance(raw, dict):
        return {_unb64(k): _unb64(v) for k, v in raw.items()}
    if kind.redis_type in ("list", "set") and isinstance(raw, list):
        return [_unb64(item) for item in raw]
    raise ValueError(f"raw value does not fit a {kind.redis_type}")


# --- lines ---------------------------------------------------------------------------------


def entry_line(entry: Entry) -> dict[str, Any]:
    line: dict[str, Any] = {"kind": entry.kind.name, "id": entry.id}
    try:
        line["value"] = export_value(entry.kind.codec, entry.value)
    except (ValueError, UnicodeDecodeError):
        line["raw"] = _raw(entry.value)
    if entry.expires_at_ms is not None:
        line["expires_at"] = iso_time(entry.expires_at_ms)
    return line


def write_lines(snapshot: Snapshot, namespace: str) -> Iterator[str]:
    """The file's lines (without newlines)."""
    yield _dumps({"format": FORMAT, "version": VERSION, "namespace": namespace, "taken_at": iso_time(snapshot.taken_at_ms)})
    for entry in snapshot.entries:
        yield _dumps(entry_line(entry))
    yield _dumps({"end": True, "records": len(snapshot.entries)})


def _entry(number: int, line: dict[str, Any]) -> Entry:
    kind = BY_NAME.get(str(line.get("kind")))
    if kind is None or not kind.exported:
        raise DataFileError(number, msg.UNKNOWN_KIND.format(kind=line.get("kind")))
    ident = line.get("id")
    if not isinstance(ident, str) or not ident:
        raise DataFileError(number, msg.NO_ID)
    try:
        if "raw" in line:
            value = _unraw(kind, line["raw"])
        elif "value" in line:
            value = import_value(kind.codec, line["value"])
        else:
            raise ValueError("no value")
        expires = _epoch_ms(line["expires_at"]) if line.get("expires_at") is not None else None
    except (ValueError, TypeError, AttributeError) as error:
        raise DataFileError(number, msg.BAD_VALUE.format(kind=kind.name, id=ident, error=error)) from None
    return Entry(kind, ident, value, expires)


def read_lines(lines: Iterable[str]) -> DataFile:
    """Parses and checks the whole file before anything is written."""
    header: dict[str, Any] | None = None
    entries: list[Entry] = []
    ended = False
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        if ended:
            raise DataFileError(number, msg.AFTER_END)
        try:
            line = json.loads(text)
        except ValueError:
            raise DataFileError(number, msg.NOT_JSON) from None
        if not isinstance(line, dict):
            raise DataFileError(number, msg.NOT_OBJECT)
        if header is None:
            if line.get("format") != FORMAT:
                raise DataFileError(number, msg.NOT_OURS.format(format=FORMAT))
            if line.get("version") != VERSION:
                raise DataFileError(number, msg.WRONG_VERSION.format(version=line.get("version"), supported=VERSION))
            header = line
        elif line.get("end") is True:
            if line.get("records") != len(entries):
                raise DataFileError(number, msg.COUNT_MISMATCH.format(expected=line.get("records"), found=len(entries)))
            ended = True
        else:
            entries.append(_entry(number, line))
    if header is None:
        raise DataFileError(0, msg.EMPTY_FILE)
    if not ended:
        raise DataFileError(0, msg.CUT_SHORT)
    return DataFile(str(header.get("namespace", "")), str(header.get("taken_at", "")), entries)
