"""Japanese texts of the prefecture's desk in the chat: 集計's checks, 進捗, 期限, 督促, and
the administrators' 職員追加 / 職員削除 / 職員一覧."""
from __future__ import annotations

# command id -> the words that call it (merged into conversation.COMMAND_WORDS). 進捗 stays
# a word of 状況: with a prefecture after it, the desk shows that prefecture's progress.
COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "deadline": ("期限",),
    "remind": ("督促",),
    "staff_add": ("職員追加",),
    "staff_remove": ("職員削除",),
    "staff_list": ("職員一覧",),
}

# 進捗 typed alone by staff: their prefecture's progress (状況 stays their own answer's).
PROGRESS_WORDS = ("進捗",)

# ヘルプ lines shown to prefecture staff, and to administrators.
HELP_STAFF: tuple[tuple[str, str], ...] = (
    ("進捗", "（都道府県の担当者）管内の市区町村・広域連合等の回答状況を、督促が必要な順に表示"),
    ("期限 令和5年7月14日 17時", "（都道府県の担当者）管内の市区町村・広域連合等の提出期限を設定（「期限 取消」で取り消し）"),
    ("督促", "（都道府県の担当者）回答が終わっていない・確認されていない団体の回答者に、1日1回お知らせを送る"),
)
HELP_MINISTRY: tuple[tuple[str, str], ...] = (
    ("都道府県の一覧ファイルを送る", "（厚生労働省の担当者）このチャットに置くと読み取り、1週間保管します"),
    ("集計 全国", "（厚生労働省の担当者）受け取った都道府県の一覧を、点検結果・進捗・集計・要注意のシートとともに全国の一覧にする"),
)
HELP_ADMIN: tuple[tuple[str, str], ...] = (
    ("職員追加 氏名 14", "（管理者）その人を都道府県の担当者にする（氏名はTeamsの表示名、またはaadObjectId）"),
    ("職員削除 氏名", "（管理者）都道府県の担当者から外す"),
    ("職員一覧", "（管理者）都道府県の担当者の一覧"),
)

# --- who may ---------------------------------------------------------------------------
STAFF_ONLY = "「{command}」は、都道府県の担当者として登録された方が、担当の都道府県についてのみ使えます。"
PROGRESS_COMMAND = "進捗 都道府県名"
PROGRESS_OWN_HINT = "ご自分の回答の状況は「状況」と送ってください。"
ADMIN_ONLY = "「{command}」は、管理者として登録された方だけが使えます。"
UNKNOWN_PREFECTURE = "「{text}」という都道府県はありません。「進捗 神奈川県」のように送ってください。"

# --- 集計: the checks in the reply ----------------------------------------------------------
CHECKS_NONE = "点検: 問題は見つかりませんでした。"
CHECKS_COUNTS = "点検: 要修正 {fix}件・要確認 {check}件（{orgs}団体）。詳しくは一覧ファイルの「点検結果」シートにあります。"
CHECKS_ORGS_TITLE = "問題のあった団体:"
CHECKS_ORG_LINE = "・{org}（{source}）: {summary}"
CHECKS_ORG_SUMMARY = "{kinds}"
CHECKS_KIND_COUNT = "{kind} {count}件"
CHECKS_MORE = "ほか{count}団体"
CHECKS_FILES_LISTED = "ファイルの回答は、問題があっても一覧に含め、該当するセルに色を付けています。"
CHECK_KINDS = {
    "not_applicable": "対象外の問いに回答",
    "unanswered": "未回答",
    "value": "値の誤り",
    "org_name": "組織名の形式",
    "prefecture": "管外・市区町村名",
    "title": "役職",
    "respondent": "回答者情報",
    "flags": "情報未入力・未回答の表示",
    "duplicate": "重複",
}
ACCEPTED_FINDINGS = "（点検: 要修正 {fix}件・要確認 {check}件）"
ACCEPTED_CLEAN = "（点検: 問題なし）"

# --- the risk card ------------------------------------------------------------------------
RISK_TITLE = "要注意の回答（このボットの読み方）"
RISK_INTRO = "デジタル庁が挙げた紐付け誤りの原因に当たる回答の型と、その団体数です（多い順）。"
RISK_COUNT = "{count}団体"
RISK_NONE = "要注意の型に当たる回答はありません。"
RISK_SAFEGUARDS = "対策ありの型: {items}"
RISK_SAFEGUARD_ITEM = "{title} {count}団体"
RISK_SEPARATOR = "、"
RISK_WHERE = "団体名と、型の根拠（調査票の記載）は一覧ファイルの「要注意」シートにあります。型はこのボットの読み方で、調査票が回答を評価するものではありません。"
RISK_SHOWN = 5  # patterns on the card: a phone screen

# --- 進捗 ---------------------------------------------------------------------------------
PROGRESS_TITLE = "{prefecture}の進捗（{count}団体）"
PROGRESS_DEADLINE = "管内の提出期限: {deadline}"
PROGRESS_NO_DEADLINE = "管内の提出期限は未設定です（「期限 令和5年7月14日 17時」のように送ると設定できます）。"
PROGRESS_ROW = "{name}: {label}"
PROGRESS_ROW_UPDATED = "{name}: {label}（{updated}）"
PROGRESS_UNION = "（広域連合等）"
PROGRESS_NOT_IN_LIST = "（コード表にない名前）"
PROGRESS_SECTION = "{status}（{count}）"
PROGRESS_MORE = "ほか{count}団体は一覧ファイルの「進捗」シートにあります。"
PROGRESS_HOW = "状況ごとの一覧は、見出しのボタンで開閉できます。"
PROGRESS_FILES = "ファイル受領は、このチャットに送られたファイル（7日間保存）から数えています。"
BUTTON_LIST = "一覧ファイル"
BUTTON_REMIND = "督促"
# Rows shown per status and on the whole card (Teams refuses a card over 28 KB; a phone user
# scrolls no further): the rest are counted and in the workbook's 進捗 sheet.
PROGRESS_SECTION_ROWS = 30
PROGRESS_CARD_ROWS = 80

# --- 期限 ---------------------------------------------------------------------------------
DEADLINE_USAGE = (
    "「期限 令和5年7月14日 17時」のように、管内の市区町村・広域連合等の提出期限を送ってください"
    "（R5.7.14 17:00、2023/7/14 17:00 も使えます。時刻を省くと17時にします）。"
)
DEADLINE_CURRENT = "{prefecture}の管内の提出期限は{deadline}です。"
DEADLINE_NONE = "{prefecture}の管内の提出期限はまだ設定されていません。"
DEADLINE_SET = "{prefecture}の管内の市区町村・広域連合等の提出期限を{deadline}にしました。ヘルプ・状況・リマインダーでこの期限を示します。"
DEADLINE_PAST = "注意: この日時はすでに過ぎています。"
DEADLINE_CLEARED = "{prefecture}の管内の提出期限を取り消しました。市区町村・広域連合等には「都道府県の指示に従ってください」と示します。"
DEADLINE_NOTHING_TO_CLEAR = "{prefecture}の管内の提出期限は設定されていません。"
DEADLINE_CLEAR_WORDS = ("取消", "取り消し", "解除", "削除", "なし")
# Why a typed date was refused (short: the usage follows).
DATE_UNREADABLE = "「{text}」は日時として読み取れません。"
DATE_NO_SUCH_DAY = "{month}月{day}日という日はありません。"
DATE_BAD_TIME = "{hour}時{minute}分は時刻として読み取れません。"
DATE_ERA_RANGE = "{era}{year}年{month}月{day}日という日はありません。"
DATE_WRONG_WEEKDAY = "{month}月{day}日は{weekday}曜日です。"
DATE_AFTER_MINISTRY = "厚生労働省への提出期限（{ministry}）より後の日時は設定できません。"

# --- 督促 ---------------------------------------------------------------------------------
REMIND_TEXT = "{prefecture}からのお知らせ（{survey}）: {deadline}{state}\n「再開」で続きから回答できます。"  # {survey}: survey.name
REMIND_ALREADY = "{prefecture}の督促は、今日はすでに{name}さんが{at}に送っています（1日1回まで）。"
REMIND_NOTHING = "督促する回答はありません（ボットで回答中・確認待ちの{prefecture}の団体はありません）。"
REMIND_DONE = "{prefecture}の督促を送りました: {orgs}団体の{people}人に届けました。"
REMIND_UNREACHED = "届けられなかった団体（{count}）: {names}"
REMIND_NEVER_CHATTED = "ボットで回答を始めていないため届けられない団体（{count}）: {names}"
REMIND_OTHER_WAYS = "これらの団体には、メールや電話で連絡してください。"
REMIND_FILES = "ファイルで受け取った団体（{count}）には送っていません。"
NAME_SEPARATOR = "、"
NAMES_SHOWN = 30  # names listed in one reply; the rest are counted
NAMES_MORE = "ほか{count}団体"

# --- 職員追加 / 職員削除 / 職員一覧 ----------------------------------------------------------
STAFF_ADD_USAGE = "「職員追加 山田 太郎 14」のように、Teamsの表示名（またはaadObjectId）と都道府県（コードか名前）を送ってください。"
STAFF_REMOVE_USAGE = "「職員削除 山田 太郎」のように、Teamsの表示名（またはaadObjectId）を送ってください。"
STAFF_NO_SUCH_PREFECTURE = "「{text}」という都道府県はありません。都道府県コード（例: 14）か名前（例: 神奈川県）を付けてください。"
STAFF_NAME_UNKNOWN = (
    "「{name}」という表示名でボットと話した人がいません。本人に一度ボットへ話しかけてもらうか、"
    "aadObjectIdで指定してください。"
)
STAFF_NAME_AMBIGUOUS = "「{name}」という表示名の人が{count}人います。aadObjectIdで指定してください: {keys}"
STAFF_ADDED = "{who}を{prefecture}の担当者にしました。"
STAFF_MOVED = "{who}を{old}の担当者から{prefecture}の担当者に変えました。"
STAFF_ALREADY = "{who}はすでに{prefecture}の担当者です。"
STAFF_IN_SETTINGS = "{who}は設定（PREFECTURE_STAFF）で{prefecture}の担当者になっています。変えるときは設定を変えてください。"
STAFF_REMOVED = "{who}を{prefecture}の担当者から外しました。"
STAFF_NOT_STAFF = "{who}は、チャットで追加された都道府県の担当者ではありません。"
STAFF_WHO = "{name}（{key}）"
STAFF_WHO_ID = "{key}"
STAFF_GRANTED_NOTICE = (
    "{prefecture}の担当者として登録されました（{by}さんによる）。"
    "「集計 {prefecture}」「進捗 {prefecture}」「期限」「督促」が使えます。"
)
STAFF_LIST_TITLE = "都道府県の担当者"
STAFF_LIST_NONE = "都道府県の担当者はまだ登録されていません。"
STAFF_LIST_LINE = "{prefecture}: {people}"
STAFF_LIST_SEPARATOR = "、"
STAFF_LIST_SETTINGS = "（設定）"
STAFF_LIST_GRANTED = "（{at} 追加）"
STAFF_LIST_PREFECTURE = "{code} {prefecture}"
