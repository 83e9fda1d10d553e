"""Message text as Teams shows it: Markdown, where one newline does not break a line."""
import pytest

from bot.dialogs.survey_bot import teams_text, to_activity


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("Q3: ①求めている。 を記録しました。", "Q3: ①求めている。 を記録しました。"),
        ("記録しました。\n対象外になりました: Q4", "記録しました。\n\n対象外になりました: Q4"),
        ("段落\n\n次の段落", "段落\n\n次の段落"),
        ("", ""),
    ],
)
def test_single_newlines_become_paragraphs(text: str, sent: str) -> None:
    assert teams_text(text) == sent
    assert (to_activity(text, []).text or "") == sent
