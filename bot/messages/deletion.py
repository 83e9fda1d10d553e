"""Texts of 削除依頼: a member deleting the answer they work on (Japanese UI text)."""

NO_ORG = "（組織名未入力）"
NO_ANSWER = "削除する回答はありません。"
CONFIRMED_REFUSED = (
    "この回答は回答責任者の確認済みのため、削除できるのは管理者だけです。"
    "削除が必要な場合は、ボットの管理者に依頼してください。"
)
ASK = (
    "{org}の回答を削除します。回答・変更履歴・共有や確認依頼のコードがすべて消え、元に戻せません。"
    "{members}削除しますか？"
)
ASK_MEMBERS = "この回答に参加している同僚（{count}人）にも、削除したことを通知します。"
ASK_CONFIRMED = "この回答は回答責任者の確認済みです。管理者として削除します。"
BUTTON_YES = "削除する"
BUTTON_NO = "削除しない"
KEPT = "削除を取りやめました。回答はそのまま残っています。"
EXPIRED = "この削除の確認は古くなっています。削除する場合は、もう一度「削除依頼」と送ってください。"

# After the deletion was tried (sent by the effect, once the turn is saved).
DELETED = "{org}の回答を削除しました。新しく回答するには「開始」と送ってください。"
DELETED_NOTICE = "{name}さんが{org}の回答を削除しました（削除依頼）。回答し直す場合は「開始」と送ってください。"
CONFIRMED_MEANWHILE = "削除を確かめている間に、回答が回答責任者の確認済みになりました。確認済みの回答は管理者だけが削除できます。回答は削除していません。"
ALREADY_GONE = "この回答は、すでに削除されています。"
KEPT_CHANGING = "回答の変更が続いたため、削除できませんでした。少し待って、もう一度「削除依頼」と送ってください。"
