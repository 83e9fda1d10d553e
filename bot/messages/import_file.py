"""Japanese texts of 取込: a 回答シート dropped into the chat, offered and taken as answers."""
from __future__ import annotations

TITLE = "回答シートの取込"
READ = "「{file}」の「{sheet}」を読み取りました。"
FOUND = "回答者情報 {fields}項目、回答 {answers}問を取り込めます。"
NOT_TAKEN_TITLE = "取り込めないもの（{count}件）"
NOT_TAKEN_LINE = "・{where}「{value}」: {reason}"
MORE = "ほか{count}件"
CHANGES_TITLE = "今の回答と違う項目（{count}件）"
CHANGE_LINE = "・{label}: {old} → {new}"
FILLS = "空欄に入る項目（{count}件）: {items}"
SET_ASIDE = "ファイルの回答にすると、次の回答は対象外になり、履歴に残して回答から外します: {items}"
NOT_FILLED = "空欄だけ埋めると、次のファイルの回答は今の回答では対象外のため取り込みません: {items}"
TO_CONFIRM = "取り込んだあと確認します: {labels}"
WITHDRAWS = "取り込むと、回答が変わるため、回答責任者への確認依頼を取り下げます。"
HOW_CHOOSE = (
    "「ファイルの回答にする」と、違う項目もファイルの回答にします。"
    "「空欄だけ埋める」と、今の回答はそのままで、空欄だけをファイルの回答で埋めます。"
)
HOW_ACCEPT = "「取り込む」と、ファイルの回答を記録し、まだ回答のない項目から続けます。"
NOTHING_YET = "選ぶまで、回答は何も変わりません（この確認は{minutes}分間有効です）。"
SEPARATOR = "、"
UNNAMED_FILE = "（名前のないファイル）"
NONE_SHOWN = "（なし）"

# Buttons; each title is also the command word that can be typed (messages/conversation.py).
BUTTON_ACCEPT = "取り込む"
BUTTON_TAKE = "ファイルの回答にする"
BUTTON_GAPS = "空欄だけ埋める"
BUTTON_CANCEL = "取り込まない"

# --- after the choice -----------------------------------------------------------------------
IMPORTED = "「{file}」から回答者情報 {fields}項目、回答 {answers}問を取り込みました。"
KEPT_CHAT = "今の回答と違った{count}件は、今の回答のままにしました。"
SET_ASIDE_DONE = "対象外になった回答は、履歴に残して回答から外しました: {items}"
NOT_FILLED_DONE = "今の回答では対象外のため、取り込まなかったファイルの回答: {items}"
FIELDS_TO_ASK = "取り込めなかった回答者情報は、このあと伺います。"
CANCELLED = "取り込みませんでした。回答は変わっていません。"

# --- refusals ---------------------------------------------------------------------------------
USAGE = (
    "回答シート（Excelの.xlsxファイル）をこのチャットに添付して送ると、その回答を取り込めます。"
    "都道府県の担当者は、添付するときに「取込」と書き添えてください（書き添えないファイルは「集計」用に受け付けます）。"
)
ONE_FILE = "取り込めるのは1回に1ファイルです。取り込むファイルを1つだけ添付して送ってください。"
PERSONAL_ONLY = "回答シートの取込は、このボットとの個人チャットで行ってください（回答を始めたあとは、どのチャットでもできます）。"
NOT_READ = "「{file}」は取り込めませんでした。{reason}"
NOT_READ_NOW = "ファイルを読み取れませんでした。もう一度添付して送ってください。"
NOTHING_FOUND = "「{file}」には、取り込める回答者情報も回答もありませんでした。"
SAME = "「{file}」の内容は、今の回答と同じです。取り込むものはありません。"
CONFIRMED = (
    "この回答は回答責任者の確認済みのため、ファイルを取り込んで変えることはできません。"
    "変更が必要な場合は、回答責任者に差し戻しを依頼してください。"
)
NO_OFFER = "取り込むファイルがありません。回答シート（.xlsx）を添付して送ってください。"
EXPIRED = "取込の確認の有効期限（{minutes}分）が切れました。もう一度ファイルを送ってください。"
STALE = "このボタンは前に送ったファイルのものです。最後に送ったファイルの取込を選んでください。"
CHANGED_SINCE = "ファイルを読み取ったあとに回答が変わりました。違う項目を確かめ直してから選んでください。"
CHOOSE_FIRST = "今の回答と違う項目があります。「ファイルの回答にする」か「空欄だけ埋める」かを選んでください。"
