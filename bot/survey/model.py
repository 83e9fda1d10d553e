"""Shared data shapes of the survey domain.

Everything here is plain data that round-trips through JSON, so that the Redis
state, the workbook writer and the conversation agree on one shape.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Union

from bot.stored_json import Fields, without_empty


class DefinitionError(ValueError):
    """A survey definition is wrong; the message names the item (or section)."""


def definition_text(raw: Any, key: str, where: str, required: bool = True, default: str = "") -> str:
    """A text of the definition (`default` when the key is left out); DefinitionError naming
    `where` and `key` when it is not a text, or empty although `required`."""
    value = raw.get(key, default) if isinstance(raw, dict) else default
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise DefinitionError(f"{where}: {key} must be a non-empty text")
    return value


# What the shared code knows of an organisation type (bot/survey/organisations.py): the
# skeleton the 総点検 surveys share. Which types a survey has, their labels and what each
# answers are its definition's.
ROLE_MUNICIPALITY = "municipality"  # a 市区町村 answering for itself: 組織名 code + prefecture + name
ROLE_MEMBER = "member"  # a 市区町村 whose insurer is a 広域連合等: 組織名 with (広域), names its union
ROLE_UNION = "union"  # a 広域連合・一部事務組合: 組織名 code + prefecture + its formal name
ROLE_PREFECTURE = "prefecture"  # 組織名 code + prefecture; collects (集計), the ministry's deadline
ROLES: tuple[str, ...] = (ROLE_MUNICIPALITY, ROLE_MEMBER, ROLE_UNION, ROLE_PREFECTURE)

# 回答者情報 fields in the sheet's order: (key in JSON, heading on the sheet).
RESPONDENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("org_type", "組織区分"),
    ("org_name", "組織名"),
    ("dept", "担当部署名"),
    ("title", "回答責任者役職"),
    ("responsible_name", "回答責任者氏名"),
    ("contact_name", "連絡先氏名"),
    ("phone", "電話番号"),
    ("email", "メールアドレス"),
)
RESPONDENT_LABELS: dict[str, str] = dict(RESPONDENT_FIELDS)

KIND_SINGLE = "single"
KIND_MULTI = "multi"
KIND_TEXT = "text"
KIND_YEARMONTH = "yearmonth"

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

# The note on an item answered "neither applies" ([]) that the user confirmed (item 6).
NOTE_NONE = "none"

# An answer value: option number (single), sorted option numbers (multi; [] only
# where the item allows "neither applies"), or text (free text, YYYY年M月).
AnswerValue = Union[int, list[int], str]


def circled(number: int) -> str:
    return CIRCLED[number - 1]


@dataclass(frozen=True)
class Option:
    number: int  # 1-based; shown as ①, ②, …
    text: str  # the question list's wording after the circled number, verbatim

    @property
    def label(self) -> str:
        return f"{circled(self.number)}{self.text}"


@dataclass(frozen=True)
class Item:
    id: str  # "1-1", "7-4", "2_予定年月", "8-1_概要", "10_概要"
    kind: str  # KIND_*
    heading: str  # "Q7-2", "Q2 予定年月"
    prompt: str  # question-list wording, verbatim
    sheet_text: str  # answer-sheet 質問 wording, verbatim ("" when not on the sheet)
    options: tuple[Option, ...] = ()
    notes: tuple[str, ...] = ()  # verbatim notes shown with the question (※…, （注）…)
    parent: str | None = None  # sub-items name their item
    relevant: str = ""  # the declared condition, as written in the definition
    in_block: bool = False  # part of the 1-1 … 12 block
    min_choices: int = 0  # multi-select: at least this many when it applies
    allow_none: bool = False  # multi-select 6: "neither applies" may be confirmed
    cautious: str = ""  # the rule for doubt, for this item (project's words)
    cautious_option: int | None = None
    terms: tuple[str, ...] = ()  # glossary keys that 説明 shows for this item
    # A change of this item's answer between two of these options changes whom every
    # later answer is about (1-1/1-2 ① ↔ ②): later answered items go under review (要確認).
    review_later_between: tuple[int, ...] = ()
    review_later_reason: str = ""  # why, in one sentence (the project's words)
    max_length: int | None = None  # free text / 年月: characters accepted (text kinds only)
    sheet_options: tuple[str, ...] = ()  # the answer sheet's own option wording, if it prints them
    on_sheet: bool = True  # has a row on the 回答シート (10_概要 is asked for as an attachment)
    why: str = ""  # 説明: why the item matters (project's words), shown with the quoted causes

    def sheet_option_label(self, number: int) -> str:
        """An option as the 回答シート prints it: the sheet's wording where the seed gives one."""
        if self.sheet_options:
            return f"{circled(number)}{self.sheet_options[number - 1]}"
        return self.option(number).label

    def option(self, number: int) -> Option:
        for opt in self.options:
            if opt.number == number:
                return opt
        raise KeyError(f"{self.id}: no option {number}")


class ConfirmationStatus(StrEnum):
    """Where an answer stands with its 回答責任者 (stored as the value: "draft", …)."""

    DRAFT = "draft"  # not asked (or the request withdrawn by an edit)
    REQUESTED = "requested"  # 確認依頼: a code handed to the 回答責任者
    CONFIRMED = "confirmed"  # 承認
    RETURNED = "returned"  # 差し戻し, with a reason


_STATUSES = tuple(status.value for status in ConfirmationStatus)
# What a confirmation holds besides its status, in the order it is written.
_CONFIRMATION_TEXTS = (
    "code", "requested_at", "requested_by", "requested_by_name",
    "confirmed_at", "confirmed_by", "confirmer_key", "returned_at", "returned_by", "return_reason",
)


@dataclass
class Confirmation:
    """The answer's `confirmation` object. A field is absent from the JSON when unset."""

    status: ConfirmationStatus = ConfirmationStatus.DRAFT
    code: str | None = None  # while requested: the code the 回答責任者 opens it with
    requested_at: str | None = None  # ISO 8601, JST
    requested_by: str | None = None  # user key
    requested_by_name: str | None = None
    confirmed_at: str | None = None  # "YYYY-MM-DD HH:MM" (JST)
    confirmed_by: str | None = None  # the confirmer's Teams name
    confirmer_key: str | None = None
    returned_at: str | None = None
    returned_by: str | None = None
    return_reason: str | None = None
    # The confirmer's Teams name when it differs from the sheet's 回答責任者氏名: {"teams", "sheet"}.
    name_differs: dict[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not declare

    @property
    def confirmed(self) -> bool:
        return self.status is ConfirmationStatus.CONFIRMED

    @property
    def requested(self) -> bool:
        return self.status is ConfirmationStatus.REQUESTED

    @classmethod
    def from_json(cls, data: Any, where: str = "confirmation") -> "Confirmation":
        f = Fields(data, where)
        status = f.one_of("status", _STATUSES, ConfirmationStatus.DRAFT.value)
        differs = f.text_map("name_differs") if f.object("name_differs") is not None else None
        texts, extra = {}, {}
        for key, value in f.data.items():  # only the keys it holds: most are unset
            if key in _CONFIRMATION_TEXTS:
                texts[key] = f.optional_text(key)
            elif key not in ("status", "name_differs"):
                extra[key] = value
        return cls(ConfirmationStatus(status), **texts, name_differs=differs, extra=extra)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status.value}
        data.update((key, getattr(self, key)) for key in _CONFIRMATION_TEXTS if getattr(self, key) is not None)
        if self.name_differs:
            data["name_differs"] = dict(self.name_differs)
        data.update(self.extra)
        return data


def answer_values(f: Fields, key: str = "answers") -> dict[str, AnswerValue]:
    """An object of answers (item id -> option number, list of them, or text), copied."""
    values = f.object(key) or {}
    copied: dict[str, AnswerValue] = {}
    for item_id, value in values.items():
        kind = type(value)
        if kind is list and all(type(n) is int for n in value):
            copied[item_id] = list(value)
        elif kind is int or kind is str:
            copied[item_id] = value
        else:
            raise f.fail(f"{key}.{item_id}", f"expected an option number, a list of them or text, got {value!r}")
    return copied


# The answer record's declared keys, in the order they are written.
_ANSWER_KEYS = (
    "answer_id", "respondent", "answers", "notes", "confirmation", "members", "created_by", "created_at",
    "updated_at", "reviewers", "under_review", "union", "erased",
)


@dataclass
class AnswerRecord:
    """One organisation's response: the JSON stored under `answer:{answer_id}`, what the
    conversation works on, and what the workbook and the list are built from (a file's
    record has only the first four fields set). docs/data-format.md lists the keys."""

    answer_id: str
    respondent: dict[str, str] = field(default_factory=dict)  # RESPONDENT_FIELDS keys
    answers: dict[str, AnswerValue] = field(default_factory=dict)  # item id -> value
    notes: dict[str, str] = field(default_factory=dict)  # item id -> NOTE_NONE ("neither applies" confirmed)
    confirmation: Confirmation = field(default_factory=Confirmation)
    members: list[str] = field(default_factory=list)  # user keys of everyone working on it
    created_by: str = ""
    created_at: str = ""  # ISO 8601, JST
    updated_at: str = ""
    reviewers: list[str] = field(default_factory=list)  # 回答責任者s who opened it with a code
    # 要確認: item id -> the item whose change put it under review (absent when none).
    under_review: dict[str, str] = field(default_factory=dict)
    union: str = ""  # a 構成市町村's 広域連合等 (its 組織名); not a workbook column
    erased: dict[str, Any] | None = None  # set by retention: {"at", "history"} (bot/retention.py)
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not declare, as read

    @classmethod
    def new(cls, answer_id: str, user_key: str, now_iso: str) -> "AnswerRecord":
        """A user's new answer (開始, or an import into a new chat)."""
        return cls(answer_id, members=[user_key], created_by=user_key, created_at=now_iso, updated_at=now_iso)

    @property
    def org_type(self) -> str | None:
        return self.respondent.get("org_type") or None

    @property
    def confirmed(self) -> bool:
        return self.confirmation.confirmed

    def has_note_none(self, item_id: str) -> bool:
        """Item `item_id` answered "neither applies" ([]), confirmed by the user."""
        return self.notes.get(item_id) == NOTE_NONE

    def to_json(self) -> dict[str, Any]:
        """The stored JSON: the first five keys always, the others when set."""
        data: dict[str, Any] = {
            "answer_id": self.answer_id,
            "respondent": dict(self.respondent),
            "answers": {k: (list(v) if isinstance(v, list) else v) for k, v in self.answers.items()},
            "notes": dict(self.notes),
            "confirmation": self.confirmation.to_json(),
        }
        optional = {
            "members": list(self.members), "created_by": self.created_by, "created_at": self.created_at,
            "updated_at": self.updated_at, "reviewers": list(self.reviewers), "under_review": dict(self.under_review),
            "union": self.union, "erased": dict(self.erased) if self.erased is not None else None,
        }
        data.update(without_empty(optional))
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, data: Any, where: str = "answer") -> "AnswerRecord":
        """Reads a stored answer; RecordError (naming `where` and the field) when it is not one."""
        f = Fields(data, where)
        confirmation = f.object("confirmation")
        return cls(
            answer_id=f.required_text("answer_id"),
            respondent=f.text_map("respondent"),
            answers=answer_values(f),
            notes=f.text_map("notes"),
            confirmation=Confirmation() if confirmation is None else Confirmation.from_json(confirmation, f"{where}: confirmation"),
            members=f.text_list("members"),
            created_by=f.text("created_by"),
            created_at=f.text("created_at"),
            updated_at=f.text("updated_at"),
            reviewers=f.text_list("reviewers"),
            under_review=f.text_map("under_review"),
            union=f.text("union"),
            erased=f.object("erased"),
            extra=f.rest(_ANSWER_KEYS),
        )

    def copy(self) -> "AnswerRecord":
        """An independent copy (nothing shared with this one)."""
        return AnswerRecord.from_json(copy.deepcopy(self.to_json()))


@dataclass(frozen=True)
class Quote:
    """The survey's own words for a rule, verbatim from the seed.

    `item` / `option` say where the words stand (Q3 ②); they also tell when the quote is
    the one in force: when the respondent's answer to `item` is `option`.
    """

    text: str
    item: str | None = None
    option: int | None = None

    @property
    def place(self) -> str:
        """`Q3 ②`, `Q7-3`, or '' when the words stand in the notice itself."""
        if self.item is None:
            return ""
        return f"Q{self.item}" + (f" {circled(self.option)}" if self.option else "")


RISK = "risk"
SAFEGUARD = "safeguard"


@dataclass(frozen=True)
class RiskPattern:
    """An answer pattern that shows a known cause of wrong links, or its absence.

    The project's reading (`reading`) of the seed's words (`seed`); `when` is a rule in the
    engine's language, evaluated on the answers like a skip rule.
    """

    id: str
    kind: str  # RISK or SAFEGUARD
    title: str
    when: str
    seed: str
    reading: str


@dataclass(frozen=True)
class Note:
    """A note the conversation shows (XLSForm's `note` row with `relevant`): with the items it
    names, with every item asked after one, or with the finished answer. `relevant` is a rule
    in the skip-rule language, checked on the answers at the time it would be shown."""

    id: str
    text: str
    items: tuple[str, ...] = ()  # shown with these items
    after: str | None = None  # or with every item asked after this one
    at_finish: bool = False  # or with the finished answer (the review that says where it goes)
    relevant: str = ""


@dataclass(frozen=True)
class Agreement:
    """An item two organisation types answer for the same linking, so their answers must be
    the same (2307's Q13: a 広域連合等 and its own 構成市町村). The pairs are found through the
    union link: a member type's answer and that of the union it named."""

    item: str
    member: str  # the member type's stored 組織区分
    union: str  # the union type's
