"""Texts of confirmation, sharing and history (Japanese UI text)."""

NO_ANSWER = "まだ回答を始めていません。「開始」と送ってください。"
NO_ORG_YET = "（組織名未入力）"
ALREADY_CONFIRMED = "この回答は回答責任者の確認済みです。"
REQUEST_UNDER_REVIEW = (
    "要確認の回答が残っているため、まだ確認依頼はできません: {items}\n"
    "「再開」で1問ずつ表示します。今の回答のままでよければ「このままにする」、変える場合は選び直してください。"
)
REQUEST_INCOMPLETE = "確認依頼の前に、次の項目を入力・回答してください: {items}"
REQUESTED = (
    "回答責任者（課長級以上）に確認を依頼します。\n"
    "コード: {code}\n"
    "このコードを回答責任者（{name}）に伝え、回答責任者はこのボットとのチャットで「確認 {code}」と送ってください。"
    "（{org}の回答。コードの有効期限は7日です。）"
)
SHARE_CODE = (
    "同じ組織の同僚と、この回答（{org}）を分担できます。\n"
    "コード: {code}\n"
    "同僚はこのボットとのチャットで「参加 {code}」と送ってください。（有効期限は7日です。）"
)
JOINED = "{org}の回答に参加しました。同僚と同じ回答を編集します。"
LEFT_PREVIOUS = "それまでの回答は保存されたまま残っています。"
JOINED_NOTICE = "{name}さんが{org}の回答に参加しました。"
ALREADY_MEMBER = "すでにこの回答に参加しています。"
CODE_USAGE = "「参加 ABCD-EFGH」「確認 ABCD-EFGH」のように、コードを付けて送ってください。"
CODE_INVALID = "コードが正しくないか、有効期限が切れています。コードを確かめてください。"
TOO_MANY_GUESSES = "誤ったコードが続いたため、1時間はコードを受け付けません。時間をおいてお試しください。"
SELF_CONFIRM = "自分が回答した（または参加している）回答は、確認できません。回答責任者に確認を依頼してください。"
ALREADY_CONFIRMED_OTHER = "この回答はすでに確認済みです（{at}）。"
REQUEST_WITHDRAWN = "この確認依頼は取り下げられています（回答が変更されたか、新しい依頼が出ています）。回答者に新しいコードを確認してください。"
REVIEW_FOR_CONFIRMER = "{org}の回答です（{by}さんからの確認依頼）。内容を確認し、「承認」または「差し戻し 理由」と送ってください。"
NAME_DIFFERS = "注意: あなたのTeamsの名前（{teams}）は、回答シートの回答責任者氏名（{sheet}）と違います。承認すると、この違いも記録されます。"
NAME_DIFFERS_RECORDED = "Teamsの名前（{teams}）と回答責任者氏名（{sheet}）の違いを記録しました。"
APPROVED = "{org}の回答を確認済みにしました（{at}）。回答者に通知します。"
APPROVED_NOTICE = "回答責任者の{name}さんが回答を確認しました（{at}）。回答は確定し、変更できなくなりました。確定した回答のファイルを送ります。"
RETURN_NEEDS_REASON = "「差し戻し 理由」のように、差し戻す理由を付けて送ってください。"
RETURNED = "{org}の回答を差し戻しました。回答者に理由を通知します。"
RETURNED_NOTICE = "回答責任者の{name}さんが回答を差し戻しました。理由: {reason}\n回答を直して、もう一度「確認依頼」を送ってください。"
NOTHING_TO_REVIEW = "確認中の回答はありません。回答者から受け取ったコードで「確認 コード」と送ってください。"
WITHDRAWN_BY_EDIT = "回答を変更したため、回答責任者への確認依頼を取り下げました。回答がそろったら、もう一度「確認依頼」を送ってください。"
RESPONSIBLE_NOTIFIED = "回答責任者の{name}さんにも、Teamsで確認依頼を送りました。"
# {survey}: the definition's survey.name (2307 マイナンバー調査).
REQUEST_TO_RESPONSIBLE = "{by}さんから、{org}の「{survey}」回答の確認依頼が届きました。\n確認するには「確認 {code}」と送ってください。"
BUTTON_OPEN = "確認する"

BUTTON_APPROVE = "承認"
BUTTON_RETURN = "差し戻し"

HISTORY_TITLE = "変更履歴"
NO_HISTORY = "履歴はまだありません。"
EMPTY = "（なし）"
HISTORY_NAME_DIFFERS = "（Teamsの名前 {teams} ≠ 回答責任者氏名 {sheet}）"
HISTORY_KINDS = {
    "start": "回答を開始",
    "field": "{item}: {old} → {new}",
    "answer": "{item}: {old} → {new}",
    "not_applicable": "{item}: {old} → 対象外",
    "request": "確認を依頼",
    "withdraw": "確認依頼を取り下げ（回答を変更）",
    "open_review": "確認依頼を開いた",
    "confirm": "確認済にした（{at}）",
    "return": "差し戻した（理由: {reason}）",
    "share": "共有コードを発行",
    "join": "回答に参加",
    "under_review": "{item}の変更により要確認: {new}",
    "review_kept": "{item}: 要確認の回答をそのまま確認",
    "import": "回答シート「{file}」を取り込み（回答者情報 {fields}項目、回答 {answers}問）",
}

REMINDER = "「{survey}」の回答についてのお知らせです。{deadline}{state}\n「再開」で続きから回答できます。"
REMINDER_UNFINISHED = "未回答の項目が残っています（{open}問）。"
REMINDER_UNDER_REVIEW = "要確認の回答が残っています（{n}問）。"
REMINDER_UNCONFIRMED = "回答責任者の確認がまだです。"
# The definition's agreement (2307: Q13 between a 広域連合等 and its 構成市町村). {item}: the item's
# heading; {union_type} / {member_type}: the organisation types' names.
AGREEMENT_DIFFERS_LINE = (
    "注意: {union_type}「{union}」の{item}（{union_value}）と、その{member_type}「{member}」の{item}（{member_value}）が違います。"
)
AGREEMENT_ASK = "{item}は、{union_type}とその{member_type}で調整して同じ回答にしてください。"
