"""Japanese texts of the desk: what the reader could not take and what the checks found."""
from __future__ import annotations

# --- severity -------------------------------------------------------------------------
FIX = "要修正"
CHECK = "要確認"

# --- where a row came from --------------------------------------------------------------
FROM_BOT = "ボットの回答"

# --- reading a workbook -------------------------------------------------------------------
NO_ANSWER_SHEET = "「{answer}」も「{list}」シートも読み取れません。"
NOT_A_MARK = "「{value}」は印として読めません。該当する場合は「○」、該当しない場合は空欄にしてください。"
SHEETS_DISAGREE = "「{answer}」では「{sheet}」、「{list_sheet}」では「{list}」です。「{answer}」の値を読みました。"
DATE_AS_YEARMONTH = "{year}年{month}月"

# --- the checks -----------------------------------------------------------------------------
NOT_APPLICABLE_ANSWERED = "対象外の問いに回答があります。"
# {block}: the definition's block.name (Q1〜Q12)
BLOCK_NOT_APPLICABLE_ANSWERED = "{block}は対象外ですが、{count}項目に回答があります。"
UNANSWERED = "回答がありません。"
MARKED_NOT_APPLICABLE = "「対象外」と書かれていますが、回答の対象です。"
NOT_TAKEN = "{reason}この値は取り込みません。"
EMPTY_FIELD = "入力がありません。"
ORG_NAME_FORM = "調査票の形では「{value}」です。{notes}"
OTHER_PREFECTURE = "{prefecture}の団体ではありません。"
NOT_IN_PREFECTURE = "「{name}」は{prefecture}の市区町村にありません。"
NOT_IN_PREFECTURE_ELSEWHERE = "「{name}」は{prefecture}の市区町村にありません（{elsewhere}にあります）。"
PLACE_SEPARATOR = "・"
TITLE_BELOW = "課長級に当たらない役職に見えます（回答責任者は課長級以上）。"
TITLE_UNSURE = "課長級以上か判断できない役職です。"
FLAG_DISAGREES = "「{flag}」の表示が回答と合いません（{actual}）。"
FLAG_SHOULD_BE_SET = "未入力・未回答：{items}"
FLAG_SHOULD_BE_EMPTY = "未入力・未回答はありません"
DUPLICATE = "同じ組織の行が{count}つあります。新しい方（{kept}）を残し、{dropped}は一覧から外しました。"
SOURCE_SEPARATOR = "、"

# How the survey's words are shown: Q3 ②「…」, joined.
QUOTE = "「{text}」"
QUOTE_AT = "{place}「{text}」"
QUOTE_SEPARATOR = "／"
