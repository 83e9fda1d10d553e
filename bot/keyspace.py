"""Every kind of Redis key the bot writes: its layout, its lifetime, whether backups
carry it and what retention does to it. One table, read by the admin tool (export /
import), by retention, by the key-lifetime test and mirrored in docs/data-format.md.

All keys live under `{REDIS_NAMESPACE}:`; `prefix` is relative to that.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.delivery.collect import KEEP_FILES_SECONDS
from bot.delivery.files import CONSENT_TTL_SECONDS
from bot.reminders import LOCK_SECONDS as REMINDER_LOCK_SECONDS
from bot.scheduler import MAX_LOCK_SECONDS
from bot.state.prefecture_deadlines import CHASE_LOCK_SECONDS
from bot.state.codes import CODE_TTL_SECONDS, GUESS_WINDOW_SECONDS

# How a kind's value is written in the export (docs/data-format.md, "Values").
CODEC_RECORD = "record"  # a JSON object with an e_tag: exported without it, new e_tag on import
CODEC_JSON = "json"  # a string holding JSON
CODEC_TEXT = "text"  # a UTF-8 string
CODEC_BYTES = "bytes"  # any bytes, as base64
CODEC_JSON_LIST = "json_list"  # a list of JSON strings, oldest first
CODEC_MEMBERS = "members"  # a set of strings, as a sorted list
CODEC_JSON_HASH = "json_hash"  # a hash whose values are JSON
CODEC_TEXT_HASH = "text_hash"  # a hash whose values are UTF-8 strings

# What retention does (bot/retention.py).
KEEP = "keep"  # nothing personal in it
ERASE = "erase"  # personal fields erased, the rest kept
DELETE = "delete"  # names or identifies a person: deleted


@dataclass(frozen=True)
class KeyKind:
    name: str  # the export's "kind"
    prefix: str  # key = namespace + ":" + prefix + id
    id_text: str  # what the id is, for people: "{answer_id}"
    redis_type: str  # as TYPE reports it
    codec: str
    ttl_seconds: int | None  # None: no TTL; `lifetime` says when it goes
    lifetime: str
    exported: bool  # carried by `python -m bot.admin export`
    at_retention: str  # KEEP / ERASE / DELETE
    written_by: str

    @property
    def pattern(self) -> str:
        return self.prefix + self.id_text

    def matches(self, relative_key: str) -> bool:
        return relative_key.startswith(self.prefix) and len(relative_key) > len(self.prefix)


KEY_KINDS: tuple[KeyKind, ...] = (
    KeyKind("answer", "answer:", "{answer_id}", "string", CODEC_RECORD, None,
            "until deleted (削除依頼, `bot.admin delete`); personal fields erased at retention",
            True, ERASE, "bot/state/turn_store.py"),
    KeyKind("history", "history:", "{answer_id}", "list", CODEC_JSON_LIST, None,
            "as long as its answer, deleted with it; names and ids erased at retention",
            True, ERASE, "bot/state/turn_store.py (the save script)"),
    KeyKind("user", "user:", "{user_key}", "string", CODEC_RECORD, None,
            "until retention (deleted then)", True, DELETE, "bot/state/turn_store.py"),
    KeyKind("name", "name:", "{Teams name without spaces}", "set", CODEC_MEMBERS, None,
            "until retention (deleted then)", True, DELETE, "bot/state/people.py"),
    KeyKind("prefecture_index", "pref:", "{prefecture code}", "set", CODEC_MEMBERS, None,
            "kept (answer ids by prefecture); an answer leaves it when deleted", True, KEEP,
            "bot/state/answer_index.py"),
    KeyKind("q13_board", "q13:", "{prefecture code}", "hash", CODEC_JSON_HASH, None,
            "kept (the agreed item's answer by organisation); an answer's entry leaves it when deleted", True, KEEP,
            "bot/state/q13_board.py"),
    KeyKind("unions", "unions:", "{prefecture code}", "hash", CODEC_TEXT_HASH, None,
            "kept (the prefecture's 広域連合等 the bot knows: 組織名 → answer id); an answer's entry "
            "leaves it when deleted", True, KEEP, "bot/state/q13_board.py"),
    KeyKind("code", "code:", "{CODE}", "string", CODEC_RECORD, CODE_TTL_SECONDS,
            "7 days; deleted with its answer and at retention", True, DELETE, "bot/state/codes.py"),
    KeyKind("guess", "guess:", "{user_key}", "string", CODEC_TEXT, GUESS_WINDOW_SECONDS,
            "1 hour from the first wrong code", False, DELETE, "bot/state/codes.py"),
    KeyKind("consent_file", "file:", "{file id}", "hash", CODEC_BYTES, CONSENT_TTL_SECONDS,
            "1 hour (a workbook offered on a FileConsentCard)", False, DELETE, "bot/delivery/files.py"),
    KeyKind("kept_list_rows", "collect:", "{user_key}", "hash", CODEC_JSON_HASH, KEEP_FILES_SECONDS,
            "7 days from the last file dropped (a list's rows: one field each, `{file}#{n}`)", True, DELETE,
            "bot/delivery/collect.py"),
    KeyKind("reminded", "reminded:", "{answer_id}:{deadline date}:{days before}", "string", CODEC_TEXT, REMINDER_LOCK_SECONDS,
            "8 days (one reminder per answer and day)", True, KEEP, "bot/reminders.py"),
    KeyKind("link_secret", "secret:", "file_links", "string", CODEC_BYTES, None,
            "kept: signs download links (unused when FILE_LINK_SECRET is set)", True, KEEP,
            "bot/delivery/files.py"),
    KeyKind("scheduler_lock", "lock:", "{job}", "string", CODEC_TEXT, MAX_LOCK_SECONDS,
            "one round of a scheduled job (at most a day)", False, KEEP, "bot/scheduler.py"),
    KeyKind("staff_grants", "staff:", "grants", "hash", CODEC_JSON_HASH, None,
            "until revoked (職員削除) or retention (prefecture staff granted in the chat: user key → grant)",
            True, DELETE, "bot/state/staff.py"),
    KeyKind("prefecture_deadlines", "deadlines:", "prefectures", "hash", CODEC_JSON_HASH, None,
            "until removed (期限 取消) or retention (the deadline each prefecture set: code → date, who)",
            True, DELETE, "bot/state/prefecture_deadlines.py"),
    KeyKind("chased", "chased:", "{prefecture code}:{date}", "string", CODEC_JSON, CHASE_LOCK_SECONDS,
            "2 days (who sent the prefecture's 督促 that day: once a day)", False, DELETE,
            "bot/state/prefecture_deadlines.py"),
)

BY_NAME: dict[str, KeyKind] = {kind.name: kind for kind in KEY_KINDS}
EXPORTED: tuple[KeyKind, ...] = tuple(kind for kind in KEY_KINDS if kind.exported)


def kind_of(relative_key: str) -> KeyKind | None:
    """The kind of a key given without its namespace, or None for a key the bot never writes."""
    for kind in KEY_KINDS:
        if kind.matches(relative_key):
            return kind
    return None
