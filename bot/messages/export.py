"""Japanese texts of the answer workbook, the prefecture list and the list-file checks."""
from __future__ import annotations

# --- values written into cells (answer-sheet.md, 一覧用 cell values) ---
ATTRIBUTE_VALUE = "なし"  # 属性, unless the definition's workbook.attribute says otherwise
NOT_APPLICABLE = "対象外"
MARK = "○"
INFO_MISSING = "情報未入力あり"
UNANSWERED = "未回答あり"
CONFIRMED = "確認済"
UNCONFIRMED = "未確認"
# Shown on the 回答シート next to 6 when the user confirmed that neither option applies.
NONE_CHOSEN = "該当なし"

# --- 回答シート (laid out like the seed's answer sheet; field guidance verbatim from the seed) ---
# Sheet names of the 総点検 template, unless a definition names its own (workbook.sheets).
SHEET_ANSWER = "回答シート"
SHEET_LIST_ROW = "一覧用"
SHEET_CHOICES = "選択肢"
SHEET_PREFECTURE_LIST = "一覧"
# Headers of the 一覧用 columns the template shares besides the 回答者情報 (bot/survey/layout.py).
INFO_FLAG_HEADER = "情報未入力"
UNANSWERED_FLAG_HEADER = "未回答"
CONFIRMATION_HEADER = "回答責任者確認"
CONFIRMED_AT_HEADER = "確認日時"

RESPONDENT_BLOCK = "回答者情報"
ANSWERS_BLOCK = "調査項目への回答"
TABLE_HEADERS = ("項番", "質問", "回答をリストから選択 (一部自由記載)")
SYSTEM_LABEL = "制度等"
# Column 質問 of a row that carries on a long free-text answer from the row above.
CONTINUED = "（前の行の続き）"
# Footer of the printed 回答シート (Excel header/footer codes: &P page, &N pages).
PAGE_FOOTER = "&P / &N ページ"
ATTRIBUTE_LABEL = "属性"

# Guidance column of the 回答者情報 block, keyed by the field's heading (seed, verbatim).
FIELD_GUIDANCE: dict[str, str] = {
    "制度等": "◆リストから選択(厚労省で入力)",
    "組織区分": "◆リストから選択",
    "属性": "◆マイナポータル閲覧対象事務において、同制度内に、マイナンバーと紐付ける管理情報が複数ある場合等(厚労省で入力)",
    "組織名": "◆入力 ※自治体の場合は都道府県コード・都道府県名・市区町村名を空白を入れず入力。郡名は省略。(例:14神奈川県相模原市)",
    "担当部署名": "◆入力",
    "回答責任者役職": "◆入力 ※課長級以上の役職の方が回答責任者となり、回答内容に担当者ごとのバラつきがないようにお願いいたします。",
    "回答責任者氏名": "◆入力",
    "連絡先氏名": "◆入力 ※不明点がある場合の問い合わせ先の記入をお願いいたします。",
    "電話番号": "◆入力",
    "メールアドレス": "◆入力",
}

# The project's confirmation line: an unconfirmed workbook must say so where it is read.
CONFIRMATION_LINE = "回答責任者確認: {status}"
CONFIRMATION_LINE_AT = "回答責任者確認: {status}（{at} {by}）"

# Excel data-validation prompts on choice cells.
VALIDATION_ERROR_TITLE = "入力できない値です"
VALIDATION_ERROR = "リストから選択してください。"
VALIDATION_MARK_ERROR = "該当する場合は「○」を選択し、該当しない場合は空欄にしてください。"

# --- why a sent-in list file could not be read (ListFileError.reason) ---
TOO_LARGE = "ファイルが大きすぎます（{size}、上限は{limit}）。"
TOO_LARGE_UNPACKED = "ファイルを展開すると大きすぎます（上限は{limit}）。"
TOO_MANY_PARTS = "Excelファイルの中の部品が多すぎます（{count}個、上限は{limit}個）。"
COMPRESSION_TOO_HIGH = (
    "ファイルの中身（{part}）が異常に高い圧縮率（{ratio}倍、上限は{limit}倍）のため、開かずに断りました。"
    "Excelで保存し直して送ってください。"
)
OLD_OR_ENCRYPTED = (
    "Excel 97-2003形式（.xls）か、パスワード付きのファイルのため読み取れません。"
    "パスワードを外し、.xlsx形式で保存し直して送ってください。"
)
NOT_A_ZIP = "Excelファイル（.xlsx）ではありません。"
NOT_A_WORKBOOK = "Excelのブックとして読み取れません（ファイルが壊れているか、別の形式です）。"
NO_LIST_SHEET = "「{sheet}」シートがありません。"
MISSING_HEADERS = "「{sheet}」シートの1行目に次の見出しがありません：{headers}"
DUPLICATE_HEADERS = "「{sheet}」シートの1行目に同じ見出しが複数あります：{headers}"
TOO_MANY_ROWS = "「{sheet}」シートの行が多すぎます（{limit}行まで）。"
EMPTY_LIST = "「{sheet}」シートに回答の行がありません。"
EMPTY_ROW = "「{sheet}」シートの2行目が空です。"
HEADER_SEPARATOR = "、"
ERROR_WITH_NAME = "{filename}：{reason}"


def size_text(size: int) -> str:
    """Bytes as the MB figure people see in their file manager."""
    return f"{size / (1024 * 1024):.1f}MB"
