"""Q13 must agree between a 広域連合等 and its 構成市町村: the warning after Q13 is answered."""
from __future__ import annotations

from typing import Any

import pytest

from bot.dialogs.session import Effect, Session
from bot.dialogs.teamwork_effects import TeamworkEffects
from bot.messages import teamwork as msg
from bot.state.q13_board import Q13Board
from bot.survey.engine import load_survey
from bot.survey.model import ORG_MEMBER, ORG_MUNICIPALITY, ORG_UNION

NS = "q13test"


class Sent:
    """The part of a TurnContext the effect uses."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send_activity(self, activity: Any) -> None:
        self.texts.append(activity.text)


def session(answer_id: str, org_type: str, org_name: str, q13: list[int] | None) -> Session:
    answers = {"13": q13} if q13 is not None else {}
    answer = {"answer_id": answer_id, "respondent": {"org_type": org_type, "org_name": org_name}, "answers": answers}
    return Session(user_key=answer_id, user_name="", conversation_id="c", conversation_type="personal", user={}, answer=answer)


@pytest.mark.parametrize(
    ("first", "second", "warned"),
    [
        # (org type, 組織名, Q13) of the side that answered first, then of the side answering now
        ((ORG_UNION, "14神奈川県介護保険広域連合", [2]), (ORG_MEMBER, "14神奈川県中井町(広域)", [1]), True),
        ((ORG_UNION, "14神奈川県介護保険広域連合", [1, 3]), (ORG_MEMBER, "14神奈川県中井町(広域)", [3, 1]), False),
        ((ORG_MEMBER, "14神奈川県中井町(広域)", [1]), (ORG_UNION, "14神奈川県介護保険広域連合", [3]), True),
        # the same side, another prefecture, a plain 市区町村: nothing to compare with
        ((ORG_MEMBER, "14神奈川県大井町(広域)", [2]), (ORG_MEMBER, "14神奈川県中井町(広域)", [1]), False),
        ((ORG_UNION, "40福岡県介護保険広域連合", [2]), (ORG_MEMBER, "14神奈川県中井町(広域)", [1]), False),
        ((ORG_UNION, "14神奈川県介護保険広域連合", [2]), (ORG_MUNICIPALITY, "14神奈川県相模原市", None), False),
    ],
)
async def test_q13_differing_between_the_two_sides_is_warned(redis_client, first, second, warned: bool) -> None:
    effects = TeamworkEffects(None, None, None, load_survey(), export=None, q13=Q13Board(redis_client, NS))  # type: ignore[arg-type]
    await effects.check_13(Sent(), session("a1", *first), Effect("check_13", {}))  # type: ignore[arg-type]
    sent = Sent()
    await effects.check_13(sent, session("a2", *second), Effect("check_13", {}))  # type: ignore[arg-type]
    assert any(text.startswith(msg.Q13_DIFFERS.split("{")[0]) for text in sent.texts) == warned
    if warned:
        assert first[1] in sent.texts[0]
