"""Scripted walks through the survey, shared by the conversation tests (pure, in
memory) and the end-to-end tests (over HTTP): per respondent type and per skip path.

A walk is a list of Steps: what the user sends (typed text, or a card's submit data)
and the heading the bot's last message of that turn must begin with. Checking the
heading of every turn pins the whole path: an item asked that should have been
skipped (or the reverse) fails the step where it happens.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.cards.common import answer_data, field_data, union_data
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_PREFECTURE, ORG_TYPES, ORG_UNION

REVIEW = "回答内容の確認"  # the review card's title
SUBSTITUTED = "構成市町村への照会"  # the 広域連合 読み替え of 「組織内の住基システム」
SUBSTITUTION_NOTICE = "読み替えて表示しています"
JUTOGAI_1_1 = "上記以外の者（住登外者等）"
JUTOGAI_1_2 = "都道府県サーバーとの自動連携でマイナンバーを取得している者以外"

@dataclass(frozen=True)
class Step:
    send: str | dict[str, Any]  # typed text, or a card submit's data (bot.cards.common contract)
    heading: str  # the turn's last message heading starts with this
    contains: tuple[str, ...] = ()  # texts the turn must show
    absent: tuple[str, ...] = ()  # texts the turn must not show


def step(send: str | dict[str, Any], heading: str, *contains: str, absent: tuple[str, ...] = ()) -> Step:
    return Step(send, heading, tuple(contains), absent)


def check_step(s: Step, replies: Any, number: int = 0) -> None:
    where = f"step {number} (sent {s.send!r})"
    heading = replies.last_heading or ""
    assert heading.startswith(s.heading), f"{where}: heading {heading!r}, expected {s.heading!r}\n{replies.all_text}"
    for text in s.contains:
        assert text in replies.all_text, f"{where}: {text!r} not shown\n{replies.all_text}"
    for text in s.absent:
        assert text not in replies.all_text, f"{where}: {text!r} shown\n{replies.all_text}"


# --- 回答者情報 ------------------------------------------------------------------------

ORG_NAMES = {
    ORG_MUNICIPALITY: ("１４神奈川県相模原市", "14神奈川県相模原市"),  # full-width typed
    ORG_MEMBER: ("14神奈川県相模原市", "14神奈川県相模原市(広域)"),  # (広域) added by the bot
    ORG_UNION: ("40福岡県介護保険広域連合", "40福岡県介護保険広域連合"),
    ORG_PREFECTURE: ("14神奈川県", "14神奈川県"),
}
FIRST_ITEM = {ORG_MUNICIPALITY: "Q1-1", ORG_MEMBER: "Q13", ORG_UNION: "Q13", ORG_PREFECTURE: "Q1-2"}
RESPONDENT_VALUES = {  # key: (typed, stored)
    "dept": ("介護保険課", "介護保険課"),
    "title": ("介護保険課長", "介護保険課長"),
    "responsible_name": ("相模 一郎", "相模 一郎"),
    "contact_name": ("鈴木 花子", "鈴木 花子"),
    "phone": ("03-5253-1111", "03-5253-1111"),
    "email": ("kaigo@example.lg.jp", "kaigo@example.lg.jp"),
}
# A 構成市町村 names its 広域連合等 right after its 組織名 (typed without the prefecture).
MEMBER_UNION = ("介護保険広域連合", "14神奈川県介護保険広域連合")
UNION_LABEL = "所属する広域連合等"
_FIELD_ORDER = [  # (key, heading asked next)
    ("dept", "回答責任者役職"),
    ("title", "回答責任者氏名"),
    ("responsible_name", "連絡先氏名"),
    ("contact_name", "電話番号"),
    ("phone", "メールアドレス"),
]


def respondent_steps(org_type: str, *, by_card: bool = False) -> list[Step]:
    """From 開始 to the first survey item, one field at a time."""
    typed_name, stored_name = ORG_NAMES[org_type]

    def send(key: str, value: str) -> str | dict[str, Any]:
        return field_data(key, value) if by_card else value

    org_value = org_type if by_card else str(ORG_TYPES.index(org_type) + 1)
    steps = [
        step("開始", "組織区分"),
        step(send("org_type", org_value), "組織名", f"組織区分: {org_type} を記録しました。"),
    ]
    if org_type == ORG_MEMBER:
        typed_union, stored_union = MEMBER_UNION
        steps += [
            step(send("org_name", typed_name), UNION_LABEL, f"組織名: {stored_name} を記録しました。"),
            step(union_data(typed_union) if by_card else typed_union, "担当部署名",
                 f"{UNION_LABEL}: {stored_union} を記録しました。"),
        ]
    else:
        steps.append(step(send("org_name", typed_name), "担当部署名", f"組織名: {stored_name} を記録しました。"))
    for key, next_heading in _FIELD_ORDER:
        steps.append(step(send(key, RESPONDENT_VALUES[key][0]), next_heading))
    steps.append(step(send("email", RESPONDENT_VALUES["email"][0]), FIRST_ITEM[org_type]))
    return steps


def stored_respondent(org_type: str) -> dict[str, str]:
    return {
        "org_type": org_type,
        "org_name": ORG_NAMES[org_type][1],
        **{key: stored for key, (_, stored) in RESPONDENT_VALUES.items()},
    }


# --- walks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Walk:
    id: str  # a short ascii name for test ids
    name: str
    org_type: str
    items: list[Step]  # after 回答者情報
    answers: dict[str, Any]  # what is stored at the end
    by_card: bool = False
    not_applicable: tuple[str, ...] = field(default=())  # headings the review shows as 対象外

    def steps(self) -> list[Step]:
        return respondent_steps(self.org_type, by_card=self.by_card) + self.items

    def __str__(self) -> str:
        return self.id


def _short_block(first: tuple[str, ...] = ()) -> tuple[list[Step], dict[str, Any]]:
    """1-1 … 12 on the shortest typed path: 3=② → Q6, 7-2=② → Q9, 10=① → Q11."""
    steps = [
        step("2", "Q2", absent=(JUTOGAI_1_1,)),
        step("1", "Q3"),
        step("2", "Q6", *first),
        step("1", "Q7-1"),
        step("2", "Q7-2"),
        step("2", "Q9"),
        step("4", "Q10"),
        step("1", "Q11"),
        step("3", "Q12"),
        step("3", REVIEW, "対象外"),
    ]
    answers = {"1-1": 2, "2": 1, "3": 2, "6": [1], "7-1": 2, "7-2": 2, "9": 4, "10": 1, "11": 3, "12": 3}
    return steps, answers


_SHORT_STEPS, _SHORT_ANSWERS = _short_block()

MUNICIPALITY_LONGEST = Walk(
    "municipality-longest",
    "市区町村: every item that can apply (2=③, 7-2=①, 7-3=①, 8-1=①, 10=②), 1-1=① reminder",
    ORG_MUNICIPALITY,
    [
        step("1", "Q2", JUTOGAI_1_1),
        step("③", "Q2 予定年月", JUTOGAI_1_1),
        step("令和5年9月", "Q3", "2023年9月"),
        step("1", "Q4", JUTOGAI_1_1),
        step("１", "Q5"),
        step("2", "Q6"),
        step("①②", "Q7-1", "完全一致"),
        step("1", "Q7-2"),
        step("1", "Q7-3"),
        step("1", "Q7-4"),
        step("１、３", "Q8-1", "Q7-4: ①漢字氏名　③生年月日 を記録しました。"),
        step("1", "Q8-1 概要", "補足資料"),
        step("マニュアルあり。複数職員で確認する。", "Q8-2"),
        step("1", "Q9", JUTOGAI_1_1),
        step("1", "Q10"),
        step("2", "Q10 概要", "添付"),
        step("原因を特定し、改修済み。", "Q11"),
        step("1", "Q12"),
        step("1", REVIEW, "Q1-2", "対象外", absent=("未回答あり",)),
    ],
    {
        "1-1": 1, "2": 3, "2_予定年月": "2023年9月", "3": 1, "4": 1, "5": 2, "6": [1, 2], "7-1": 1,
        "7-2": 1, "7-3": 1, "7-4": [1, 3], "8-1": 1, "8-1_概要": "マニュアルあり。複数職員で確認する。",
        "8-2": 1, "9": 1, "10": 2, "10_概要": "原因を特定し、改修済み。", "11": 1, "12": 1,
    },
)

MUNICIPALITY_SHORT = Walk(
    "municipality-3no-7_2no",
    "市区町村: 3=② → Q6, 7-2=② → Q9, 10=① → Q11",
    ORG_MUNICIPALITY,
    _SHORT_STEPS,
    _SHORT_ANSWERS,
)

MUNICIPALITY_5_YES = Walk(
    "municipality-5yes",
    "市区町村: 5=① → Q10, 10=③ → Q10 概要",
    ORG_MUNICIPALITY,
    [
        step("2", "Q2"),
        step("4", "Q3"),
        step("1", "Q4"),
        step("3", "Q5"),
        step("1", "Q10"),
        step("3", "Q10 概要"),
        step("改修を予定。", "Q11"),
        step("2", "Q12"),
        step("2", REVIEW),
    ],
    {"1-1": 2, "2": 4, "3": 1, "4": 3, "5": 1, "10": 3, "10_概要": "改修を予定。", "11": 2, "12": 2},
)

MUNICIPALITY_7_3_NO = Walk(
    "municipality-7_3no-8_1no",
    "市区町村: 7-2=① → 7-3=② → Q8-1, 8-1=② → Q9, 10=④ → Q10 概要",
    ORG_MUNICIPALITY,
    [
        step("2", "Q2"),
        step("2", "Q3"),
        step("2", "Q6"),
        step("2", "Q7-1"),
        step("2", "Q7-2"),
        step("1", "Q7-3"),
        step("2", "Q8-1"),
        step("2", "Q9"),
        step("2", "Q10"),
        step("4", "Q10 概要"),
        step("調査中。", "Q11"),
        step("1", "Q12"),
        step("1", REVIEW),
    ],
    {"1-1": 2, "2": 2, "3": 2, "6": [2], "7-1": 2, "7-2": 1, "7-3": 2, "8-1": 2, "9": 2, "10": 4,
     "10_概要": "調査中。", "11": 1, "12": 1},
)

MUNICIPALITY_8_1_NONE = Walk(
    "municipality-8_1none",
    "市区町村: 8-1=③ (typed as its wording) → Q9",
    ORG_MUNICIPALITY,
    [
        step("2", "Q2"),
        step("1", "Q3"),
        step("2", "Q6"),
        step("1 2", "Q7-1"),
        step("1", "Q7-2"),
        step("1", "Q7-3"),
        step("1", "Q7-4"),
        step("1,2,3,4,5", "Q8-1"),
        step("紐付けを行わない", "Q9"),
        step("3", "Q10"),
        step("1", "Q11"),
        step("1", "Q12"),
        step("1", REVIEW),
    ],
    {"1-1": 2, "2": 1, "3": 2, "6": [1, 2], "7-1": 1, "7-2": 1, "7-3": 1, "7-4": [1, 2, 3, 4, 5],
     "8-1": 3, "9": 3, "10": 1, "11": 1, "12": 1},
)

PREFECTURE = Walk(
    "prefecture",
    "都道府県: 1-2 asked (never 1-1), 1-2=① reminder",
    ORG_PREFECTURE,
    [
        step("1", "Q2", JUTOGAI_1_2),
        step("1", "Q3", JUTOGAI_1_2),
        step("2", "Q6"),
        step("1", "Q7-1"),
        step("1", "Q7-2"),
        step("2", "Q9"),
        step("1", "Q10"),
        step("1", "Q11"),
        step("1", "Q12", JUTOGAI_1_2),
        step("1", REVIEW, "Q1-1"),
    ],
    {"1-2": 1, "2": 1, "3": 2, "6": [1], "7-1": 1, "7-2": 2, "9": 1, "10": 1, "11": 1, "12": 1},
)


def _member(q13: str, value: list[int], block: bool) -> Walk:
    if block:
        items = [step(q13, "Q1-1")] + _SHORT_STEPS
        answers = {"13": value, **_SHORT_ANSWERS}
    else:
        items = [step(q13, REVIEW, "対象外", absent=("未回答あり",))]
        answers = {"13": value}
    ident = "member-13_" + "".join(map(str, value))
    return Walk(ident, f"構成市町村: 13={value} → {'Q1-1' if block else 'review, block 対象外'}", ORG_MEMBER, items, answers)


MEMBER_13_1 = _member("1", [1], True)
MEMBER_13_2 = _member("2", [2], False)
MEMBER_13_12 = _member("1,2", [1, 2], True)
MEMBER_13_3 = _member("③", [3], True)

_UNION_SUB = (SUBSTITUTED, SUBSTITUTION_NOTICE)
UNION_13_2 = Walk(
    "union-13_2",
    "広域連合等: 13=② → block, 読み替え at 6, 7-1, 8-1, 9",
    ORG_UNION,
    [
        step("2", "Q1-1"),
        step("2", "Q2"),
        step("1", "Q3"),
        step("2", "Q6", *_UNION_SUB, absent=("②組織内の住基システム",)),
        step("1,2", "Q7-1", *_UNION_SUB, absent=("や組織内の住基システム",)),
        step("1", "Q7-2"),
        step("1", "Q7-3"),
        step("2", "Q8-1", *_UNION_SUB, absent=("や組織内の住基システム",)),
        step("3", "Q9", *_UNION_SUB, absent=("や組織内の住基システム",)),
        step("1", "Q10"),
        step("1", "Q11"),
        step("1", "Q12"),
        step("1", REVIEW),
    ],
    {"13": [2], "1-1": 2, "2": 1, "3": 2, "6": [1, 2], "7-1": 1, "7-2": 1, "7-3": 2, "8-1": 3, "9": 1,
     "10": 1, "11": 1, "12": 1},
)
UNION_13_3 = Walk(
    "union-13_3",
    "広域連合等: 13=③ → block",
    ORG_UNION,
    [step("3", "Q1-1")] + _short_block(_UNION_SUB)[0],
    {"13": [3], **_SHORT_ANSWERS},
)
UNION_13_1 = Walk(
    "union-13_1",
    "広域連合等: 13=① → review, block 対象外",
    ORG_UNION,
    [step("1", REVIEW, "対象外")],
    {"13": [1]},
)

# Card clicks only: every value as the card's Action.Submit sends it.
UNION_BY_CARD = Walk(
    "union-by-card",
    "広域連合等 by card submits: 13=③, 6 multi ['1,2'], 2=③ with 予定年月",
    ORG_UNION,
    [
        step(answer_data("13", "3"), "Q1-1"),
        step(answer_data("1-1", "1"), "Q2", JUTOGAI_1_1),
        step(answer_data("2", "3"), "Q2 予定年月"),
        step(answer_data("2_予定年月", "2024/3"), "Q3"),
        step(answer_data("3", "2"), "Q6"),
        step(answer_data("6", "1,2"), "Q7-1"),
        step(answer_data("7-1", "1"), "Q7-2"),
        step(answer_data("7-2", "2"), "Q9"),
        step(answer_data("9", "2"), "Q10"),
        step(answer_data("10", "1"), "Q11"),
        step(answer_data("11", "1"), "Q12"),
        step(answer_data("12", "2"), REVIEW),
    ],
    {"13": [3], "1-1": 1, "2": 3, "2_予定年月": "2024年3月", "3": 2, "6": [1, 2], "7-1": 1, "7-2": 2,
     "9": 2, "10": 1, "11": 1, "12": 2},
    by_card=True,
)

ALL_WALKS: tuple[Walk, ...] = (
    MUNICIPALITY_LONGEST,
    MUNICIPALITY_SHORT,
    MUNICIPALITY_5_YES,
    MUNICIPALITY_7_3_NO,
    MUNICIPALITY_8_1_NONE,
    PREFECTURE,
    MEMBER_13_1,
    MEMBER_13_2,
    MEMBER_13_12,
    MEMBER_13_3,
    UNION_13_2,
    UNION_13_3,
    UNION_13_1,
    UNION_BY_CARD,
)


# --- the HTTP side ------------------------------------------------------------------------


async def play(client: Any, steps: list[Step]) -> Any:
    """Plays steps through a tests.fakes.teams.TeamsClient; returns the last Replies."""
    replies = None
    for number, s in enumerate(steps, 1):
        replies = await (client.say(s.send) if isinstance(s.send, str) else client.submit(s.send))
        check_step(s, replies, number)
    return replies


async def stored_answer(redis_client: Any, namespace: str, user_key: str) -> dict[str, Any] | None:
    """The answer record the bot saved for this user (AAD object id), e_tag removed."""
    import json

    raw_user = await redis_client.get(f"{namespace}:user:{user_key}")
    if raw_user is None:
        return None
    answer_id = json.loads(raw_user).get("answer_id")
    raw = await redis_client.get(f"{namespace}:answer:{answer_id}") if answer_id else None
    if raw is None:
        return None
    record = json.loads(raw)
    record.pop("e_tag", None)
    return record
