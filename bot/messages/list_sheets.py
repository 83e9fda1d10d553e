"""Japanese texts of the prefecture list's desk sheets: 点検結果, 進捗, 集計, 要注意."""
from __future__ import annotations

SHEET_FINDINGS = "点検結果"
SHEET_PROGRESS = "進捗"
SHEET_TALLY = "集計"
SHEET_ATTENTION = "要注意"

FINDINGS_HEADERS = ("組織名", "出どころ", "重要度", "項目", "見つかった値", "問題", "調査票の記載")
FINDINGS_NONE = "問題は見つかりませんでした。"

# 進捗: statuses, most in need of chasing first.
NOT_STARTED = "未着手"
IN_PROGRESS = "回答中"
IN_PROGRESS_COUNT = "回答中 ({answered}/{total})"
ANSWERED = "回答済"
FILE_RECEIVED = "ファイル受領"
CONFIRMED = "確認済"
PROGRESS_HEADERS = ("団体コード", "組織名", "組織区分", "状況", "回答数", "最終更新", "備考")
NOT_IN_LIST = "全国地方公共団体コードにない名前です"

TALLY_TITLE = "{prefecture} 回答の集計（{count}団体）"
TALLY_HEADERS = ("番号", "選択肢", "件数", "割合")
TALLY_UNANSWERED = "未回答"
TALLY_NOT_APPLICABLE = "対象外"
TALLY_MULTI_NOTE = "（該当するものすべて：1団体が複数選ぶことがあります）"
CHART_Y_TITLE = "件数"
CHART_SERIES = "件数"

# Patterns are the project's reading of the Digital Agency's letter: the headers say so.
ATTENTION_HEADERS = ("観点（このボットの読み方）", "種類", "組織名", "該当の回答", "調査票の記載", "このボットの読み方")
ATTENTION_NONE = "該当する回答はありません。"
KIND_RISK = "要注意"
KIND_SAFEGUARD = "対策あり"
ANSWER_SEPARATOR = "／"
