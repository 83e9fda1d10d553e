"""Japanese texts of file delivery (出力), download links and 集計."""
from __future__ import annotations

from datetime import datetime

from bot.messages.dates import wareki_datetime

# --- 出力 -------------------------------------------------------------------------
CONSENT_TEXT = "回答ファイル「{file_name}」を用意しました。「許可」を押すと、OneDriveに保存してこのチャットに表示します。"
LIST_CONSENT_TEXT = "一覧ファイル「{file_name}」を用意しました。「許可」を押すと、OneDriveに保存してこのチャットに表示します。"
LINK_TEXT = "回答ファイル「{file_name}」は、次のリンクからダウンロードできます。"
LIST_LINK_TEXT = "一覧ファイル「{file_name}」は、次のリンクからダウンロードできます。"
LINK_NOTE = "リンクの有効期限: {expires}（開くたびに最新の内容で作成します）"
UNCONFIRMED_NOTE = "回答責任者の確認前のため、ファイルには「未確認」と記載されます。"
UPLOADED = "ファイルを保存しました。"
DECLINED = "OneDriveへの保存は取りやめました。代わりに、次のリンクからダウンロードできます。"
UPLOAD_FAILED = "OneDriveに保存できませんでした。代わりに、次のリンクからダウンロードしてください。"
FILE_EXPIRED = (
    "このファイルの受け渡しは期限が切れました。もう一度「出力」"
    "（都道府県の一覧は「集計」）と送ってください。"
)
NO_ANSWER = "出力できる回答が見つかりません。「開始」から回答を始めてください。"
UNNAMED = "組織名未入力"

# --- GET /files/{token} (plain-text bodies) ----------------------------------------
LINK_INVALID = "このリンクは無効か、有効期限が切れています。チャットでもう一度「出力」と送ってください。"

# --- 集計 -------------------------------------------------------------------------
COLLECT_REFUSED = "「集計」は、都道府県の担当者として登録された方が、担当の都道府県についてのみ使えます。"
COLLECT_TITLE = "{prefecture}の一覧を作成しました（{total}件）。"
COLLECT_COUNTS = "ボットで回答: 確認済 {confirmed}件、未確認 {unconfirmed}件／ファイルから: {from_files}件"
COLLECT_UNCONFIRMED_HINT = "未確認の回答は、回答責任者の確認が済んでいません。"
REJECTED_TITLE = "一覧に含めなかったファイル（{count}件）:"
REJECTED_LINE = "・{filename}：{reason}"
ACCEPTED_TITLE = "受け付けたファイル（{count}件）:"
ACCEPTED_LINE = "・{filename}（{org_name}）"
# {address}: the definition's help.submit.address (where the ministry takes the lists).
SUBMIT_REMINDER = "{deadline}までに {address} へ、件名「{subject}」でこのファイルを添付して提出してください。"
SUBMIT_REMINDER_NO_ADDRESS = "{deadline}までに、件名「{subject}」でこのファイルを添付して提出してください。"

# --- files dropped into the chat --------------------------------------------------
RECEIVE_NOT_STAFF = (
    "ファイルは、都道府県の担当者が管内の回答を「集計」するときにだけ受け付けています。"
    "回答は、このチャットで「開始」と送って入力できます。"
)
RECEIVED_NEXT = "「集計 {prefecture}」と送ると、受け付けたファイルを一覧に含めます（{days}日間保存します）。"
RECEIVED_NONE = "受け付けたファイルはありません。"

# --- why a dropped file was not used (in addition to bot/messages/export.py) ------
# The one text for every download that did not work (bot/delivery/download.py): which
# of refused, unreachable, too large or timed out is not told, on purpose.
DOWNLOAD_FAILED = (
    "ファイルを受け取れませんでした。このチャットに添付した{limit}までのファイルだけを受け取れます。"
    "もう一度添付して送ってください。"
)
TOO_MANY_FILES = "一度に受け取れるファイルは{limit}件までです。残りは分けて送ってください。"
OTHER_PREFECTURE = "組織名「{org_name}」は{prefecture}の団体ではありません。"
NO_ORG_NAME = "「{sheet}」シートの2行目に組織名がありません。"

def deadline_text(deadline: datetime) -> str:
    """`令和5年7月21日（金）17時` (the seed's way of writing the deadline)."""
    return wareki_datetime(deadline)


def expiry_text(moment: datetime) -> str:
    """`7月21日 17:00` in the deadline's timezone (JST)."""
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"
