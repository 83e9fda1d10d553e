"""Q13 must agree between a 広域連合等 and its own 構成市町村 only: the warning after Q13
is answered names both; a 構成市町村 of another 広域連合 in the same prefecture, or one
that named no 広域連合等, is never compared."""
from __future__ import annotations

from typing import Any

import pytest

from bot.dialogs.effects import CheckAgreement, RegisterUnion
from bot.dialogs.records import UserRecord
from bot.dialogs.session import Session
from bot.dialogs.teamwork_effects import TeamworkEffects
from bot.state.q13_board import Q13Board
from bot.survey.engine import load_survey
from bot.survey.model import AnswerRecord
from tests.survey_2307 import ORG_MEMBER, ORG_MUNICIPALITY, ORG_UNION

NS = "q13test"
ASHIGARA = "14神奈川県足柄上広域連合"
OTHER = "14神奈川県湘南広域連合"
NAKAI = "14神奈川県中井町(広域)"
OI = "14神奈川県大井町(広域)"
# The 2307 wording, as it was before the agreement moved into the definition.
DIFFERS = "注意: 広域連合等「{union}」のQ13（{union_q13}）と、その構成市町村「{member}」のQ13（{member_q13}）が違います。"
AGREE = "Q13は、広域連合等とその構成市町村で調整して同じ回答にしてください。"
WARNING = DIFFERS.split("{")[0]


class Sent:
    """The part of a TurnContext the effect uses."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send_activity(self, activity: Any) -> None:
        self.texts.append(activity.text)


def session(answer_id: str, org_type: str, org_name: str, q13: list[int] | None, union: str = "") -> Session:
    answers = {"13": q13} if q13 is not None else {}
    answer = {"answer_id": answer_id, "respondent": {"org_type": org_type, "org_name": org_name}, "answers": answers}
    if union:
        answer["union"] = union
    return Session(user_key=answer_id, user_name="", conversation_id="c", conversation_type="personal",
                   user=UserRecord(), answer=AnswerRecord.from_json(answer))


def effects(redis_client) -> TeamworkEffects:
    return TeamworkEffects(None, None, None, load_survey(), export=None, q13=Q13Board(redis_client, NS))  # type: ignore[arg-type]


async def check(fx: TeamworkEffects, s: Session) -> list[str]:
    sent = Sent()
    await fx.check_agreement(sent, s, CheckAgreement(s.record.answer_id))  # type: ignore[arg-type]
    return sent.texts


# (org type, 組織名, Q13, its 広域連合等) of those who answered before, then of the one answering now
@pytest.mark.parametrize(
    ("before", "now", "warned_about"),
    [
        # a 構成市町村 and its own 広域連合: compared, both named
        ([(ORG_UNION, ASHIGARA, [2], "")], (ORG_MEMBER, NAKAI, [1], ASHIGARA), [(ASHIGARA, "②", NAKAI, "①")]),
        ([(ORG_MEMBER, NAKAI, [1], ASHIGARA)], (ORG_UNION, ASHIGARA, [3], ""), [(ASHIGARA, "③", NAKAI, "①")]),
        ([(ORG_UNION, ASHIGARA, [1, 3], "")], (ORG_MEMBER, NAKAI, [3, 1], ASHIGARA), []),  # agree
        # the report's case: another 広域連合 of the same prefecture is never compared
        ([(ORG_UNION, OTHER, [2], "")], (ORG_MEMBER, NAKAI, [1], ASHIGARA), []),
        ([(ORG_MEMBER, NAKAI, [1], ASHIGARA)], (ORG_UNION, OTHER, [2], ""), []),
        # a 構成市町村 that named no 広域連合等 is compared with nobody
        ([(ORG_UNION, ASHIGARA, [2], "")], (ORG_MEMBER, NAKAI, [1], ""), []),
        ([(ORG_MEMBER, NAKAI, [1], "")], (ORG_UNION, ASHIGARA, [2], ""), []),
        # a 広域連合 with several 構成市町村: each one that differs is named
        ([(ORG_MEMBER, NAKAI, [1], ASHIGARA), (ORG_MEMBER, OI, [2], ASHIGARA), (ORG_MEMBER, "14神奈川県松田町(広域)", [1], OTHER)],
         (ORG_UNION, ASHIGARA, [2], ""), [(ASHIGARA, "②", NAKAI, "①")]),
        # the same side, a plain 市区町村, another prefecture: nothing to compare with
        ([(ORG_MEMBER, OI, [2], ASHIGARA)], (ORG_MEMBER, NAKAI, [1], ASHIGARA), []),
        ([(ORG_UNION, ASHIGARA, [2], "")], (ORG_MUNICIPALITY, "14神奈川県相模原市", None, ""), []),
        ([(ORG_UNION, "40福岡県介護保険広域連合", [2], "")], (ORG_MEMBER, NAKAI, [1], "40福岡県介護保険広域連合"), []),
    ],
    ids=["member-vs-own", "union-vs-own", "agree", "member-other-union", "union-other-member", "member-unlinked",
         "union-unlinked-member", "union-several", "same-side", "municipality", "other-prefecture"],
)
async def test_q13_compared_only_within_one_union(redis_client, before, now, warned_about) -> None:
    fx = effects(redis_client)
    for n, (org_type, name, q13, union) in enumerate(before):
        await check(fx, session(f"a{n}", org_type, name, q13, union))
    texts = await check(fx, session("now", *now))
    lines = [line for text in texts for line in text.splitlines() if line.startswith(WARNING)]
    expected = [DIFFERS.format(union=u, union_q13=uq, member=m, member_q13=mq) for u, uq, m, mq in warned_about]
    assert lines == expected
    assert (AGREE in "".join(texts)) == bool(warned_about)


async def test_known_unions_follow_their_names(redis_client) -> None:
    board = Q13Board(redis_client, NS)
    await board.rename_union("u1", "", ASHIGARA)
    await board.rename_union("u2", "", OTHER)
    await board.rename_union("u3", "", "40福岡県介護保険広域連合")
    assert await board.unions("14") == sorted([ASHIGARA, OTHER])
    await board.rename_union("u2", OTHER, "14神奈川県湘南地区広域連合")
    assert await board.unions("14") == sorted([ASHIGARA, "14神奈川県湘南地区広域連合"])
    await board.rename_union("u1", ASHIGARA, "")  # no longer a 広域連合等
    assert await board.unions("14") == ["14神奈川県湘南地区広域連合"]
    assert await board.unions("40") == ["40福岡県介護保険広域連合"]
    assert await board.unions("13") == []


async def test_register_union_effect(redis_client) -> None:
    fx = effects(redis_client)
    s = session("u1", ORG_UNION, ASHIGARA, None)
    await fx.register_union(Sent(), s, RegisterUnion("u1", "", ASHIGARA))  # type: ignore[arg-type]
    assert await fx.q13.unions("14") == [ASHIGARA]
