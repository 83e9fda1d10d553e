"""Japanese texts of the survey engine: why a typed answer was not accepted."""
from __future__ import annotations

EMPTY_ANSWER = "回答が入力されていません。"
CHOOSE_SINGLE = "{first}〜{last}の番号で答えてください。"
CHOOSE_SINGLE_TWO = "{first}か{last}の番号で答えてください。"
NO_SUCH_OPTION = "「{given}」という選択肢はありません。"
AMBIGUOUS_OPTION = "「{given}」に当てはまる選択肢が複数あります（{candidates}）。番号で答えてください。"
ONE_ONLY = "この問いは1つだけ選んでください。"
CHOOSE_MULTI = "{first}〜{last}から当てはまるものをすべて、番号で答えてください（例：1,3）。"
AT_LEAST = "少なくとも{count}つ選んでください。"
NONE_NOT_ALLOWED = "この問いでは「該当なし」は選べません。"
TEXT_TOO_LONG = "{limit}文字以内で入力してください（今は{length}文字です）。"
YEARMONTH_FORMAT = "年月が読み取れません。「2023年9月」や「令和5年9月」のように入力してください。"
MONTH_RANGE = "月は1〜12で入力してください。"
YEAR_RANGE = "年は{first}年〜{last}年の範囲で入力してください。"
ERA_RANGE = "{era}{year}年{month}月という年月はありません。西暦で入力することもできます（例：2023年9月）。"
ITEM_NOT_ASKED = "この問いは回答の対象ではありません。"

# Shown as the value of 6 when the user confirmed that neither option applies.
NONE_VALUE = "該当なし"
# Words that mean "neither applies" for a multi-select item that allows it.
NONE_WORDS = ("なし", "無し", "該当なし", "該当無し", "ない", "0", "いずれもなし", "どちらもなし")

# How a 説明 / 迷っている text introduces the Digital Agency's quote.
DOUBT_QUOTE = "「{quote}」"
# 説明 of an item that guards against the Digital Agency's known causes of wrong links.
WHY_HEADING = "この問いが大切な理由"
KNOWN_CAUSES_TERM = "紐付け誤りの原因"
