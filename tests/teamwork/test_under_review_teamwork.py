"""要確認 where others are involved: the 回答責任者 is never asked to confirm answers
that wait for review, the history shows the marking and each keep, and reminders say
what is left."""
from __future__ import annotations

from bot.cards.common import keep_data
from bot.messages import teamwork as msg
from tests.teamwork.test_teamwork_transcripts import Office, code_in, office  # noqa: F401  (fixture)

LATER = "Q2、Q3、Q6、Q7-1、Q7-2、Q9、Q10、Q11、Q12"


def test_a_change_while_requested_withdraws_and_blocks_the_request(office: Office) -> None:  # noqa: F811
    code = code_in(office.turn("resp", "確認依頼"))
    office.turn("resp", "修正 Q1-1")
    replies = office.turn("resp", "1")
    assert msg.WITHDRAWN_BY_EDIT in replies.all_text
    assert "次の回答を要確認にしました: " + LATER in replies.all_text
    # The 回答責任者's old code no longer opens it, and a new request waits for the review.
    assert msg.REQUEST_WITHDRAWN in office.turn("boss", f"確認 {code}").all_text
    refused = office.turn("resp", "確認依頼")
    assert msg.REQUEST_UNDER_REVIEW.format(items=LATER) in refused.all_text
    assert office.answer_of("resp")["confirmation"]["status"] == "draft"
    assert office.effects("notify_responsible") == []


def test_history_shows_the_marking_and_each_keep(office: Office) -> None:  # noqa: F811
    office.turn("resp", "修正 Q1-1")
    office.turn("resp", "1")
    office.turn("resp", keep_data("2"))
    office.turn("resp", "そのまま")  # Q3
    tails = [line.split(" ", 2)[2] for line in office.turn("resp", "履歴").all_text.splitlines()[1:]]
    assert tails == [
        "山田 太郎: Q1-1: ②上記機能を導入していない（業務システムを導入していない場合を含む。）。 → "
        "①該当の機能を導入している（Q2以降は上記以外の者（住登外者等）に対する調査としてご回答ください。）。",
        f"山田 太郎: Q1-1の変更により要確認: {LATER}",
        "山田 太郎: Q2: 要確認の回答をそのまま確認",
        "山田 太郎: Q3: 要確認の回答をそのまま確認",
    ]
