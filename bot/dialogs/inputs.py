"""What the user sent, read once: a command, a card submit, or plain text."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bot.messages import conversation as msg

# command id -> words that call it (typed or as a button's command)
_COMMAND_IDS = {word: cid for cid, words in msg.COMMAND_WORDS.items() for word in words}
# Longest first, so 差し戻し wins over a shorter prefix.
_WORDS = sorted(_COMMAND_IDS, key=len, reverse=True)
# Only words: a digit or circled digit typed while a yes/no question is pending is an
# answer to the question itself (「1」 at Q6 means ①, never はい).
_YES = {"はい", "yes", "y", "ok", "うん", "お願いします", "確定"}
_NO = {"いいえ", "no", "n", "やめる", "キャンセル", "取消", "取り消し"}
# A file dropped into a Teams chat arrives as an attachment of this type.
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


@dataclass
class UserInput:
    text: str = ""  # the text as typed (mention removed, trimmed)
    command: str | None = None  # command id (see messages.conversation.COMMAND_WORDS)
    arg: str = ""  # what follows the command word
    data: dict[str, Any] = field(default_factory=dict)  # card submit data
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_submit(self) -> bool:
        return bool(self.data)

    def yes_no(self) -> bool | None:
        if self.data.get("action") == "confirm":
            return self.data.get("answer") == "yes"
        word = unicodedata.normalize("NFKC", self.text).strip().lower().rstrip("。.!！")
        if word in _YES:
            return True
        if word in _NO:
            return False
        return None


def dropped_files(inp: UserInput | None) -> list[dict[str, Any]]:
    """The files dropped with the message (Teams' download-info attachments)."""
    if inp is None:
        return []
    return [a for a in inp.attachments if a.get("contentType") == FILE_DOWNLOAD_INFO]


# An item number or a 回答者情報 label: short, one word (「Q7-2」「組織名」).
_EDIT_TARGET = re.compile(r"^[QqＱｑ]?[0-9０-９][0-9０-９\-－ー_]*(?: ?[^\s]{1,6})?$|^[^\s\d]{1,10}$")
_ITEM_NUMBER = re.compile(r"^[QqＱｑ][0-9０-９]")


def parse_command(text: str) -> tuple[str | None, str]:
    """`修正 Q7-2` -> ("edit", "Q7-2"). A command word counts only as the whole message
    or followed by a space, so a free-text answer that merely starts with 説明 stays text.
    The edit command is also read as people type it: `修正Q3`, `Q3を修正`, `組織名の修正`."""
    stripped = text.strip()
    for word in _WORDS:
        if stripped == word:
            return _COMMAND_IDS[word], ""
        if stripped.startswith(word) and stripped[len(word)] in " 　\n\t:：":
            return _COMMAND_IDS[word], stripped[len(word) + 1 :].strip()
    return _edit_as_typed(stripped)


def _edit_as_typed(text: str) -> tuple[str | None, str]:
    compact = re.sub(r"[ 　]+", " ", text)
    for word in msg.COMMAND_WORDS["edit"]:
        rest = compact[len(word):].strip()
        if compact.startswith(word) and _ITEM_NUMBER.match(rest):
            return "edit", rest
    for suffix in msg.EDIT_AFTER_TARGET:
        target = compact[: -len(suffix)].strip()
        if compact.endswith(suffix) and target and _EDIT_TARGET.match(target):
            return "edit", target
    return None, ""


def read_input(text: str | None, value: Any, attachments: list[dict[str, Any]] | None = None) -> UserInput:
    text = re.sub(r"\s+$", "", (text or "").strip())
    data = value if isinstance(value, dict) else {}
    if data.get("action") == "command":
        command = _COMMAND_IDS.get(str(data.get("command", "")), None)
        return UserInput(text=text, command=command, arg=str(data.get("arg", "") or ""), data=data)
    if data:
        return UserInput(text=text, data=data)
    command, arg = parse_command(text)
    return UserInput(text=text, command=command, arg=arg, attachments=list(attachments or []))
