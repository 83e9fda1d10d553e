"""Japanese texts of 住所比較 (the 住所表記のゆれ check)."""
from __future__ import annotations

MATCH = "一致（住所表記のゆれの範囲で、完全一致とみなします）"
MISMATCH = "不一致（完全一致とはみなしません）"
NORMALIZED = "比べた形：{a} ／ {b}"
REASON = "・{reason}"
# Appended to every reason or note that rests on the project's reading, not on the seed.
READING = "（ボットの読み方）"
FOOTNOTE = (
    "調査票が示すゆれの例は「5丁目-4-3、5-4-3、5の4の3」だけです。「（ボットの読み方）」と付いた点は、"
    "調査票が決めていないことについての、このボットの慎重な読み方です。"
)
EMPTY = "比べる住所が空です。「住所比較 住所A / 住所B」の形で入力してください。"
TOO_LONG = "住所は1つ{limit}文字までです（今は{length}文字です）。住所だけを入力してください。"

# --- why two addresses are 一致: what was read as notation ----------------------
NOTE_SEED_ONLY = "調査票の例（5丁目-4-3、5-4-3、5の4の3）と同じ種類の、書き方だけの違いです。"
NOTE_SAME = "書かれたとおり同じ住所です。"
NOTE_WIDTH = "全角と半角の違いをそろえました"
NOTE_SPACE = "空白を詰めました"
NOTE_SPACE_SEPARATOR = "数字と数字の間の空白を区切りとして読みました"
NOTE_KANJI = "番地の漢数字（{examples}）を数字として読みました"
NOTE_MARKERS = "数字の間の「{markers}」を区切りとして読みました"
NOTE_TRAILING = "最後の数字の後の「{markers}」を省きました"
NOTE_DASHES = "ハイフン以外の横線（{marks}）も区切りとして読みました"

# --- why two addresses are 不一致 ---------------------------------------------------
DIFF_NUMBER = "番地の数字が違います（{a} と {b}）"
DIFF_NUMBER_MISSING = "一方では番地の数字が足りません（{a} と {b}）"
DIFF_NUMBER_SPLIT = (
    "数字の区切り方が違います（{a} と {b}）。部屋番号などが号の数字に続けて書かれると、"
    "別の番地と区別できません"
)
DIFF_NUMBER_ONLY_ONE = "一方にだけ番地の数字があります（{numbers}）"
DIFF_TOWN_NUMERAL = (
    "「{town}」は町名の一部です。もう一方ではこれが番地の数字（{number}）として書かれていて、"
    "町名が抜けています（{a} と {b}）"
)
DIFF_TOWN_NUMERAL_UNSURE = (
    "「{town}」が町名の一部か番地か、このボットには判断できません（{a} と {b}）。"
    "判断できないときは一致とはみなしません"
)
DIFF_PLACE_NUMERAL = "町名などの地名の中の数字の書き方が違います（{a} と {b}）。地名の一部の数字は番地ではありません"
DIFF_BUILDING_ONLY_ONE = "一方にだけ建物名・部屋番号などがあります（{extra}）"
DIFF_BUILDING = "建物名・部屋番号などの書き方が違います（{a} と {b}）"
DIFF_OAZA = "「大字」「字」の有無が違います（{a} と {b}）"
DIFF_KE = "「ヶ」と「ケ」の違いがあります（{a} と {b}）。地名の書き方の違いはゆれとはみなしません"
DIFF_PREFECTURE_MISSING = "一方にだけ都道府県名（{name}）があります"
DIFF_PREFECTURE = "都道府県名が違います（{a} と {b}）"
DIFF_GUN = "一方にだけ郡名（{gun}）があります"
DIFF_NAME_ONLY_ONE = "一方にだけ「{extra}」があります"
DIFF_NAME = "地名の書き方が違います（{a} と {b}）"
