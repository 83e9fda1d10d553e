"""Japanese texts of the Adaptive Cards: button titles and fixed card texts.

Command buttons pair a title with a command id (messages/conversation.COMMAND_WORDS); the
button sends the command's first word, what a user would type.
"""
from __future__ import annotations

POSITION = "{position} / {total}"
CURRENT_ANSWER = "現在の回答: {value}"
CURRENT_VALUE = "現在の値: {value}"

# How to answer, under the question (typing works as well as the buttons).
HOW_SINGLE = "ボタンで選ぶか、番号（例：2）を入力してください。"
HOW_MULTI = "当てはまるものをすべて選んで「回答する」を押すか、番号（例：1,3）を入力してください。"
HOW_TEXT = "入力して「回答する」を押してください。メッセージで送っても回答になります。"

LABEL_MULTI = "当てはまるものをすべて選択"
LABEL_TEXT = "回答（自由記述）"
LABEL_YEARMONTH = "予定年月"
PLACEHOLDER_TEXT = "ここに入力"
PLACEHOLDER_YEARMONTH = "例：2023年9月 / 令和5年9月"

SUBMIT_ANSWER = "回答する"
SUBMIT_FIELD = "登録する"
NONE_BUTTON = "該当なし"
KEEP_BUTTON = "このままにする"

# The row of small command buttons under every question: (title, command id).
QUESTION_COMMANDS: tuple[tuple[str, str], ...] = (
    ("戻る", "back"),
    ("説明", "explain"),
    ("迷っている", "doubt"),
    ("状況", "status"),
    ("中断", "pause"),
)
FIELD_COMMANDS: tuple[tuple[str, str], ...] = (
    ("まとめて入力", "form"),
    ("戻る", "back"),
    ("状況", "status"),
    ("中断", "pause"),
)

YES = "はい"
NO = "いいえ"

REVIEW_TITLE = "回答内容の確認"
SECTION_HOW = "見たい部分のボタンを押すと開きます（もう一度押すと閉じます）。"
SECTION_RESPONDENT = "回答者情報"
SECTION_ITEMS = "{first}〜{last}"
SECTION_PENDING = "（要対応 {n}）"
NOT_APPLICABLE = "対象外"
UNANSWERED = "未回答"
UNDER_REVIEW = "要確認"
EMPTY_FIELD = "（未入力）"

STATUS_TITLE = "回答の状況"

EXPLAIN_RULE_TITLE = "迷ったときは"

RESUME_TITLE = "前回の続きから回答できます"
RESUME_NEXT = "次の問い: {heading}"
RESUME_ACTIONS: tuple[tuple[str, str], ...] = (
    ("再開", "resume"),
    ("ヘルプ", "help"),
)

DOWNLOAD_TITLE = "回答ファイル"
DOWNLOAD_BUTTON = "ダウンロード"
FILE_CONSENT_DESCRIPTION = "回答ファイル「{file_name}」を送ります。「許可」を押すとOneDriveに保存されます。"

FORM_TITLE = "回答者情報（まとめて入力）"
FORM_HOW = "分かる項目を入力して「登録する」を押してください。空欄の項目や確認が必要な項目は、このあと1つずつ伺います。"
SUBMIT_FORM = "登録する"
FORM_PLACEHOLDERS = {
    "org_name": "例: 14神奈川県相模原市",
    "dept": "例: 介護保険課",
    "title": "例: 介護保険課長",
    "responsible_name": "例: 相模 太郎",
    "contact_name": "例: 原 花子",
    "phone": "例: 042-754-1111",
    "email": "例: kaigo@city.example.lg.jp",
}
