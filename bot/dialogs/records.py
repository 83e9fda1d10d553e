"""The user record (`user:{user key}`) and what it holds, as declared shapes.

The record is explicit JSON in Redis; `UserRecord.from_json` reads it (RecordError names
the record and the field when it is not what it should be) and `to_json` writes it back
with the same keys and value shapes: an optional field is absent when unset, and keys
this version does not declare are kept as read. docs/data-format.md lists the keys.

The answer record's shape is bot/survey/model.AnswerRecord.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Union

from bot.stored_json import Fields, RecordError, without_empty
from bot.survey.model import AnswerValue, answer_values


# --- where the user is: the cursor ------------------------------------------------------------


class CursorKind(StrEnum):
    FIELD = "field"  # a 回答者情報 field (`key`)
    ITEM = "item"  # a survey item (`id`)
    UNION = "union"  # a 構成市町村 naming its 広域連合等
    REVIEW = "review"  # the summary of every answer


@dataclass(frozen=True)
class Cursor:
    """What the user was last asked: `{"kind": "item", "id": "7-2"}`, `{"kind": "field",
    "key": "phone"}`, `{"kind": "union"}`, `{"kind": "review"}`."""

    kind: CursorKind
    key: str = ""  # FIELD only
    id: str = ""  # ITEM only

    @classmethod
    def at_field(cls, key: str) -> "Cursor":
        return cls(CursorKind.FIELD, key=key)

    @classmethod
    def at_item(cls, item_id: str) -> "Cursor":
        return cls(CursorKind.ITEM, id=item_id)

    @classmethod
    def from_json(cls, data: Any, where: str) -> "Cursor":
        f = Fields(data, where)
        kind = CursorKind(f.one_of("kind", [k.value for k in CursorKind], ""))
        if kind is CursorKind.FIELD:
            return cls(kind, key=f.required_text("key"))
        if kind is CursorKind.ITEM:
            return cls(kind, id=f.required_text("id"))
        return cls(kind)

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind.value, **without_empty({"key": self.key, "id": self.id})}


UNION_CURSOR = Cursor(CursorKind.UNION)
REVIEW_CURSOR = Cursor(CursorKind.REVIEW)


# --- a yes/no question waiting for its answer: the pending question ---------------------------


@dataclass(frozen=True)
class FieldConfirmation:
    """A 回答者情報 value that needs a yes before it is stored (a 役職 whose rank depends on
    the organisation, a code added to 組織名); `then`: the values asked after it."""

    TOPIC = "field"
    key: str
    value: str
    text: str  # the question, as asked
    then: tuple["FieldConfirmation", ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"topic": self.TOPIC, "key": self.key, "value": self.value, "text": self.text}
        if self.then:
            data["then"] = [c.to_json() for c in self.then]
        return data

    @classmethod
    def from_json(cls, data: Any, where: str) -> "FieldConfirmation":
        f = Fields(data, where)
        then = tuple(cls.from_json(c, f"{where}: then[{i}]") for i, c in enumerate(f.objects("then")))
        return cls(f.required_text("key"), f.text("value"), f.text("text"), then)


@dataclass(frozen=True)
class NoneConfirmation:
    """An item answered "neither applies" (item 6): stored after a yes."""

    TOPIC = "none"
    item: str

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.TOPIC, "item": self.item}

    @classmethod
    def from_json(cls, data: Any, where: str) -> "NoneConfirmation":
        return cls(Fields(data, where).required_text("item"))


@dataclass(frozen=True)
class DeleteConfirmation:
    """削除依頼: the answer deleted after a yes (bot/dialogs/deletion.py)."""

    TOPIC = "delete"
    answer_id: str

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.TOPIC, "answer_id": self.answer_id}

    @classmethod
    def from_json(cls, data: Any, where: str) -> "DeleteConfirmation":
        return cls(Fields(data, where).required_text("answer_id"))


Pending = Union[FieldConfirmation, NoneConfirmation, DeleteConfirmation]
PENDING_TOPICS: dict[str, type[FieldConfirmation] | type[NoneConfirmation] | type[DeleteConfirmation]] = {
    kind.TOPIC: kind for kind in (FieldConfirmation, NoneConfirmation, DeleteConfirmation)
}


def pending_from_json(data: Any, where: str) -> Pending:
    topic = Fields(data, where).one_of("topic", PENDING_TOPICS, "")
    return PENDING_TOPICS[topic].from_json(data, where)


def confirm_topic(pending: Pending) -> str:
    """The topic a yes/no card for `pending` carries (`field:phone`, `none:6`, `delete:ab12`),
    so that a click on an older card is told apart."""
    if isinstance(pending, FieldConfirmation):
        return f"field:{pending.key}"
    if isinstance(pending, NoneConfirmation):
        return f"none:{pending.item}"
    return f"delete:{pending.answer_id}"


# --- the 回答責任者 reviewing someone's answer ------------------------------------------------


@dataclass(frozen=True)
class Reviewing:
    """確認 CODE opened another answer for 承認 / 差し戻し."""

    answer_id: str
    code: str

    def to_json(self) -> dict[str, str]:
        return {"answer_id": self.answer_id, "code": self.code}

    @classmethod
    def from_json(cls, data: Any, where: str) -> "Reviewing":
        f = Fields(data, where)
        return cls(f.required_text("answer_id"), f.text("code"))


# --- 取込: a dropped 回答シート offered, waiting for the user's choice --------------------------


@dataclass
class ImportOffer:
    """What the file can give, bounded by the survey's own length limits (a few kB), until
    `until`; bot/dialogs/import_flow.py makes and takes it."""

    id: str
    file: str  # the file name as shown
    sheet: str  # where the values were read
    until: str  # ISO 8601: the offer ends then
    respondent: dict[str, str]
    answers: dict[str, AnswerValue]
    notes: dict[str, str]
    field_count: int  # 回答者情報 fields the file gives
    answer_count: int  # answers the file gives
    problems: list[str] = field(default_factory=list)  # lines of what could not be taken (bounded)
    more: int = 0  # such lines not kept
    open: bool = True  # a bare はい / いいえ still answers it
    basis: str = ""  # fingerprint of the chat's values the file would replace, as shown

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "file": self.file, "sheet": self.sheet, "until": self.until,
            "record": {"respondent": dict(self.respondent), "answers": dict(self.answers), "notes": dict(self.notes)},
            "fields": self.field_count, "answers": self.answer_count, "problems": list(self.problems),
            "more": self.more, "open": self.open, "basis": self.basis,
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> "ImportOffer":
        f = Fields(data, where)
        record = f.nested("record")
        if record is None:
            raise f.fail("record", "missing")
        return cls(
            id=f.required_text("id"), file=f.text("file"), sheet=f.text("sheet"), until=f.text("until"),
            respondent=record.text_map("respondent"), answers=answer_values(record), notes=record.text_map("notes"),
            field_count=f.number("fields"), answer_count=f.number("answers"), problems=f.text_list("problems"),
            more=f.number("more"), open=f.flag("open"), basis=f.text("basis"),
        )


# --- the user record -------------------------------------------------------------------------


_USER_KEYS = (
    "answer_id", "cursor", "paused", "pending", "reviewing", "import", "previous_answers", "name",
    "conversation_id", "reference", "dialog_stack",
)


@dataclass
class UserRecord:
    answer_id: str | None = None  # the answer the user works on
    cursor: Cursor | None = None
    paused: bool = False  # 中断: the next message offers to resume
    pending: Pending | None = None  # a yes/no question waiting for its answer
    reviewing: Reviewing | None = None
    import_offer: ImportOffer | None = None  # JSON "import"
    previous_answers: list[str] = field(default_factory=list)  # answers left for another (参加)
    name: str | None = None  # the Teams name last seen (the name index holds it)
    conversation_id: str | None = None  # the chat of the last turn
    reference: dict[str, Any] | None = None  # conversation reference: how proactive messages reach the user
    dialog_stack: list[dict[str, Any]] = field(default_factory=list)  # botbuilder-dialogs' stack, as JSON
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not declare, as read

    @classmethod
    def from_json(cls, data: Any, where: str = "user") -> "UserRecord":
        """Reads a stored user record; RecordError (naming `where` and the field) when it is not one."""
        f = Fields(data, where)
        cursor, pending = f.object("cursor"), f.object("pending")
        reviewing, offer = f.object("reviewing"), f.object("import")
        stack = f.objects("dialog_stack")
        for index, frame in enumerate(stack):
            Fields(frame, f"{where}: dialog_stack[{index}]").required_text("id")
        return cls(
            answer_id=f.optional_text("answer_id"),
            cursor=None if cursor is None else Cursor.from_json(cursor, f"{where}: cursor"),
            paused=f.flag("paused"),
            pending=None if pending is None else pending_from_json(pending, f"{where}: pending"),
            reviewing=None if reviewing is None else Reviewing.from_json(reviewing, f"{where}: reviewing"),
            import_offer=None if offer is None else ImportOffer.from_json(offer, f"{where}: import"),
            previous_answers=f.text_list("previous_answers"),
            name=f.optional_text("name"),
            conversation_id=f.optional_text("conversation_id"),
            reference=f.object("reference"),
            dialog_stack=stack,
            extra=f.rest(_USER_KEYS),
        )

    def to_json(self) -> dict[str, Any]:
        data = without_empty({
            "answer_id": self.answer_id,
            "cursor": self.cursor.to_json() if self.cursor else None,
            "paused": self.paused,
            "pending": self.pending.to_json() if self.pending else None,
            "reviewing": self.reviewing.to_json() if self.reviewing else None,
            "import": self.import_offer.to_json() if self.import_offer else None,
            "previous_answers": list(self.previous_answers),
            "reference": self.reference,
            "dialog_stack": [dict(frame) for frame in self.dialog_stack],
        })
        # Written even when empty: a user whose Teams name is "" has been seen (index_name).
        data.update({k: v for k, v in (("name", self.name), ("conversation_id", self.conversation_id)) if v is not None})
        data.update(self.extra)
        return data


__all__ = [
    "Cursor", "CursorKind", "DeleteConfirmation", "FieldConfirmation", "ImportOffer", "NoneConfirmation",
    "PENDING_TOPICS", "Pending", "REVIEW_CURSOR", "RecordError", "Reviewing", "UNION_CURSOR", "UserRecord",
    "confirm_topic", "pending_from_json",
]
