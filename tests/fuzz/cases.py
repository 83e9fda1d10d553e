"""Generated hostile and careless requests for POST /api/messages: seeded (the same seed
gives the same cases), bounded (no case above a few hundred kilobytes).

Every case is sent by one of the fuzz users (never by the victim, whose records the
suite watches), though its contents may name the victim's answer. Kinds:
broken JSON, non-objects, wrong field types, huge values, deep nesting, control and
bidi characters, unknown invokes, card submits claiming another answer, commands with
odd arguments, other activity types, wrong content types, unreachable serviceUrls.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.messages.conversation import COMMAND_WORDS
from tests.fakes.teams import TeamsClient

JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Case:
    kind: str
    body: bytes
    content_type: str | None = JSON


@dataclass(frozen=True)
class Target:
    """What cases may name without being it: the victim's answer id and user key."""

    answer_id: str
    user_key: str


ODD_CHARACTERS = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f",  # C0 / C1 controls
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero-width, BOM
    "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u061c",  # bidi overrides, isolates, RTL mark
    "\u0301", "\u0e47" * 8, "\ufdfd", "\U0001f469\u200d\U0001f4bb", "\U0001f1ef\U0001f1f5",  # combining, wide, emoji
    "\u3000", "\uff11", "\u2460", "\u00a0", "\r\n", "\t", "\\", '"', "<at>x</at>", "{{x}}", "%s%n", "${jndi:x}",
]
WRONG_VALUES: list[Any] = [None, 0, -1, 1.5, 10**30, True, False, "", "x", [], [1, "a"], {}, {"id": {}}, [[[]]]]
PATHS = [
    ("type",), ("id",), ("text",), ("name",), ("value",), ("serviceUrl",), ("channelId",), ("locale",),
    ("timestamp",), ("localTimestamp",), ("replyToId",), ("textFormat",), ("from",), ("from", "id"),
    ("from", "name"), ("from", "aadObjectId"), ("recipient",), ("recipient", "id"), ("conversation",),
    ("conversation", "id"), ("conversation", "conversationType"), ("conversation", "tenantId"),
    ("conversation", "isGroup"), ("entities",), ("attachments",), ("channelData",), ("channelData", "tenant"),
    ("membersAdded",), ("deliveryMode",), ("relatesTo",), ("suggestedActions",),
]
INVOKE_NAMES = [
    "signin/tokenExchange", "signin/verifyState", "signin/failure", "adaptiveCard/action", "fileConsent/invoke",
    "composeExtension/query", "composeExtension/submitAction", "composeExtension/fetchTask", "task/fetch",
    "task/submit", "config/fetch", "config/submit", "actionableMessage/executeAction", "healthCheck",
    "application/search", "tab/fetch", "message/submitAction", "", "x" * 256, "../../etc/passwd", "承認",
]
ITEMS = ["1-1", "2", "2_予定年月", "7-2", "7-4", "8-1_概要", "13", "99", "", "../1", "1-1 OR 1=1", "Q7-2"]
FIELDS = ["org_type", "org_name", "dept", "title", "responsible_name", "contact_name", "phone", "email", "answer_id", "", "__proto__"]


class Generator:
    def __init__(self, seed: int, users: Sequence[TeamsClient], target: Target, dead_service_url: str) -> None:
        self.rng = random.Random(seed)
        self.users = list(users)
        self.target = target
        self.dead_service_url = dead_service_url
        self.kinds: list[tuple[str, int, Callable[[], Case]]] = [
            ("broken_json", 12, self.broken_json),
            ("not_an_object", 3, self.not_an_object),
            ("wrong_type", 14, self.wrong_type),
            ("huge", 6, self.huge),
            ("deep", 4, self.deep),
            ("odd_text", 14, self.odd_text),
            ("unknown_invoke", 10, self.unknown_invoke),
            ("claimed_submit", 12, self.claimed_submit),
            ("command", 16, self.command),
            ("other_activity", 6, self.other_activity),
            ("content_type", 3, self.content_type),
            ("dead_service_url", 1, self.dead_service),
        ]

    def cases(self, count: int) -> list[Case]:
        names = [k for k, _, _ in self.kinds]
        weights = [w for _, w, _ in self.kinds]
        makers = {k: make for k, _, make in self.kinds}
        # Every kind at least once, whatever the count.
        chosen = names + self.rng.choices(names, weights=weights, k=max(0, count - len(names)))
        return [makers[kind]() for kind in chosen[:count]]

    # --- building blocks ------------------------------------------------------------------

    def _user(self) -> TeamsClient:
        return self.rng.choice(self.users)

    def _odd(self, length: int = 20) -> str:
        parts = [self.rng.choice(ODD_CHARACTERS) if self.rng.random() < 0.4 else chr(self.rng.randint(0x20, 0x9fff))
                 for _ in range(self.rng.randint(1, length))]
        return "".join(parts)

    def _message(self, text: str | None = None) -> dict[str, Any]:
        user = self._user()
        activity = user.message_activity(text if text is not None else self.rng.choice(["開始", "1", "状況", "はい"]))
        return activity

    @staticmethod
    def _dump(activity: Any) -> bytes:
        return json.dumps(activity, ensure_ascii=False).encode("utf-8", "surrogatepass")

    def _case(self, kind: str, activity: Any) -> Case:
        return Case(kind, self._dump(activity))

    # --- kinds ---------------------------------------------------------------------------

    def broken_json(self) -> Case:
        raw = self._dump(self._message())
        how = self.rng.randrange(7)
        if how == 0:
            raw = raw[: self.rng.randrange(len(raw))]
        elif how == 1:
            at = self.rng.randrange(len(raw))
            raw = raw[:at] + bytes([self.rng.randrange(256)]) + raw[at + 1 :]
        elif how == 2:
            raw = raw + self.rng.choice([b",", b"}", b"]", b"garbage", b"\x00", b"{}"])
        elif how == 3:
            raw = b"\xef\xbb\xbf" + raw  # a UTF-8 BOM
        elif how == 4:
            raw = raw.replace(b'"', b"'", self.rng.randint(1, 5))
        elif how == 5:
            raw = raw.replace("開始".encode(), b"\xe9\x96", 1) if "開始".encode() in raw else raw + b"\xff"
        else:
            raw = raw.replace(b":", b"", 1)
        return Case("broken_json", raw)

    def not_an_object(self) -> Case:
        return Case("not_an_object", self.rng.choice([b"null", b"[]", b"[{}]", b"0", b"-1e999", b'"message"', b"true", b"{}", b" "]))

    def wrong_type(self) -> Case:
        activity = self._message() if self.rng.random() < 0.7 else self._user().base_activity("invoke")
        for _ in range(self.rng.randint(1, 3)):
            path = self.rng.choice(PATHS)
            target = activity
            for name in path[:-1]:
                if not isinstance(target.get(name), dict):
                    target[name] = {}
                target = target[name]
            target[path[-1]] = self.rng.choice(WRONG_VALUES)
        return self._case("wrong_type", activity)

    def huge(self) -> Case:
        activity = self._message()
        how = self.rng.randrange(6)
        if how == 0:
            activity["text"] = "あ" * self.rng.choice([5_000, 30_000, 80_000, 100_000])  # up to 300 KB: some over the limit
        elif how == 1:
            path = self.rng.choice([("id",), ("conversation", "id"), ("from", "id"), ("from", "name"), ("from", "aadObjectId")])
            target = activity
            for name in path[:-1]:
                target = target[name]
            target[path[-1]] = "x" * self.rng.choice([257, 1000, 100_000])
        elif how == 2:
            activity["entities"] = [{"type": "clientInfo", "locale": "ja-JP"}] * self.rng.choice([100, 3000])
        elif how == 3:
            activity["value"] = {f"k{i}": i for i in range(self.rng.choice([100, 5000]))}
        elif how == 4:
            activity["attachments"] = [{"contentType": "text/plain", "content": "x" * 100}] * self.rng.choice([10, 1000])
        else:
            activity["text"] = "修正 " + "Q7-2 " * self.rng.choice([50, 2000])
        return self._case("huge", activity)

    def deep(self) -> Case:
        depth = self.rng.choice([5, 20, 31, 32, 33, 64, 1000, 20_000])
        activity = self._message()
        inner = '{"a":' * depth + "1" + "}" * depth
        raw = self._dump(activity)
        raw = raw[:-1] + b', "value": ' + inner.encode() + b"}"
        return Case("deep", raw)

    def odd_text(self) -> Case:
        activity = self._message(self._odd(40))
        if self.rng.random() < 0.3:
            activity["from"]["name"] = self._odd(30)
        if self.rng.random() < 0.2:
            activity["conversation"]["name"] = self._odd(30)
        if self.rng.random() < 0.3:
            word = self.rng.choice([w for words in COMMAND_WORDS.values() for w in words])
            activity["text"] = word + self.rng.choice([" ", "\u3000", "", "\t"]) + self._odd(30)
        raw = self._dump(activity)
        if self.rng.random() < 0.1:  # an escaped lone surrogate, which json.loads accepts
            raw = raw.replace(b'"text": "', b'"text": "\\udc80', 1)
        return Case("odd_text", raw)

    def unknown_invoke(self) -> Case:
        activity = self._user().base_activity("invoke")
        activity["name"] = self.rng.choice(INVOKE_NAMES)
        activity["value"] = self.rng.choice(
            [
                None, "junk", [], 5, {},
                {"action": "Action.Execute"},
                {"action": {"type": "Action.Execute", "verb": self._odd(5), "data": {"answer_id": self.target.answer_id}}},
                {"action": {"type": "Action.Submit", "data": {}}},
                {"id": self._odd(8), "connectionName": "x", "token": "eyJhbGciOiJub25lIn0.e30."},
                {"type": "fileUpload", "action": self.rng.choice(["accept", "decline", "x"]),
                 "context": {"file": self.rng.choice(["", "x", self.target.answer_id, self._odd(5)])},
                 "uploadInfo": {"uploadUrl": self.dead_service_url + "upload", "name": "a.xlsx"}},
                {"commandId": "search", "parameters": [{"name": "q", "value": self._odd(10)}]},
            ]
        )
        if self.rng.random() < 0.3:
            activity["replyToId"] = self._odd(10)
        return self._case("unknown_invoke", activity)

    def claimed_submit(self) -> Case:
        activity = self._user().base_activity("message")
        target = self.target
        activity["value"] = self.rng.choice(
            [
                {"action": "answer", "item": self.rng.choice(ITEMS), "value": self.rng.choice(["1", "2", "①③", self._odd(8)]),
                 "answer_id": target.answer_id},
                {"action": "field", "field": self.rng.choice(FIELDS), "value": self._odd(12), "answer_id": target.answer_id},
                {"action": "form", "answer_id": target.answer_id, "user": target.user_key,
                 **{f: self._odd(6) for f in self.rng.sample(FIELDS, 4)}},
                {"action": "confirm", "answer": "yes", "answer_id": target.answer_id},
                {"action": "command", "command": self.rng.choice(["承認", "差し戻し", "参加", "修正", "確認", "履歴", "出力"]),
                 "arg": self.rng.choice([target.answer_id, target.user_key, self._odd(6), ""])},
                {"action": "command", "command": {"x": 1}, "arg": [target.answer_id]},
                {"action": self._odd(6), "answer_id": target.answer_id, "reviewing": {"answer_id": target.answer_id}},
                {"answer_id": target.answer_id, "user_key": target.user_key, "answers": {"1-1": 2}},
            ]
        )
        activity["channelData"]["source"] = {"name": "message"}
        if self.rng.random() < 0.5:
            activity["replyToId"] = self._odd(12)
        return self._case("claimed_submit", activity)

    def command(self) -> Case:
        word = self.rng.choice([w for words in COMMAND_WORDS.values() for w in words])
        arg = self.rng.choice(
            [
                "", self._odd(10), self.target.answer_id, self.target.user_key,
                "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(self.rng.choice([4, 6, 8]))),
                "Q" + str(self.rng.randint(-5, 200)), "Q7-2 Q7-3", "組織名 " + self._odd(8), "-1", "0" * 50,
                "東京都千代田区霞が関1-2-2 / " + self._odd(12),  # 住所比較 with short odd halves
                "北海道", "99", "神奈川県 " * 5, "\n".join(["1"] * 5),
            ]
        )
        return self._case("command", self._message(f"{word} {arg}".strip()))

    def other_activity(self) -> Case:
        user = self._user()
        kind = self.rng.choice(
            ["conversationUpdate", "messageReaction", "event", "typing", "installationUpdate", "endOfConversation",
             "messageUpdate", "messageDelete", "invokeResponse", "trace", "handoff", "x" * 64, "MESSAGE", "message "]
        )
        activity = user.base_activity(kind)
        if kind == "conversationUpdate":
            activity["membersAdded"] = self.rng.choice(
                [[], [{"id": "28:" + self._odd(5)}], [{"id": self.target.user_key, "aadObjectId": self.target.user_key}],
                 [{"id": str(i)} for i in range(200)], [{"id": activity["recipient"]["id"]}]]
            )
        elif kind == "messageReaction":
            activity["reactionsAdded"] = [{"type": self.rng.choice(["like", "heart", self._odd(4)])}]
        elif kind == "event":
            activity["name"] = self.rng.choice(["application/vnd.microsoft.meetingStart", "tokens/response", self._odd(8)])
            activity["value"] = {"x": self._odd(8)}
        return self._case("other_activity", activity)

    def content_type(self) -> Case:
        raw = self._dump(self._message())
        content_type = self.rng.choice(
            [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
             "application/json; charset=latin-1", "application/json; charset=utf-16", "application/jsonp", "*/*"]
        )
        return Case("content_type", raw, content_type)

    def dead_service(self) -> Case:
        activity = self._message()
        activity["serviceUrl"] = self.dead_service_url
        return self._case("dead_service_url", activity)
