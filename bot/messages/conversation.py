"""What the bot says in the conversation (Japanese UI text)."""
from bot.messages import desk as _desk
from bot.survey.model import ROLE_MEMBER, ROLE_PREFECTURE, ROLE_UNION, ConfirmationStatus

# command id -> the words that call it. The first word is the one shown on buttons.
COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "start": ("開始", "はじめる", "始める", "スタート"),
    "resume": ("再開", "続き", "つづき", "続ける"),
    "question": ("質問に戻る",),  # after 説明 / 迷っている: the question again, nothing was paused
    "help": ("ヘルプ", "help", "使い方", "？", "?"),
    "explain": ("説明",),
    "doubt": ("迷っている", "迷う", "迷ってる"),
    "back": ("戻る", "もどる"),
    "edit": ("修正", "訂正"),
    "status": ("状況", "進捗"),
    "pause": ("中断",),
    "address": ("住所比較",),
    "review": ("一覧", "回答一覧"),
    "form": ("まとめて入力",),
    "export": ("出力",),
    "request": ("確認依頼",),
    "share": ("共有",),
    "join": ("参加",),
    "open_review": ("確認",),
    "approve": ("承認",),
    "return": ("差し戻し", "差戻し"),
    "history": ("履歴",),
    "collect": ("集計",),
    "delete": ("削除依頼",),
    # 取込 (bot/dialogs/import_flow.py): the door, and the offer's buttons as typed words
    "import": ("取込", "取り込み", "取込み", "インポート"),
    "import_accept": ("取り込む", "取込む"),
    "import_take": ("ファイルの回答にする", "ファイルの回答"),
    "import_gaps": ("空欄だけ埋める", "空欄だけ"),
    "import_cancel": ("取り込まない", "取込をやめる"),
    **_desk.COMMAND_WORDS,
}
# 「Q3を修正」「組織名の修正」「Q3 修正」: the edit command with its target first.
EDIT_AFTER_TARGET = ("を修正", "の修正", "を訂正", "を直す", " 修正")



def command_word(command: str) -> str:
    """The word a button of `command` sends: the first of its words (the one users see)."""
    return COMMAND_WORDS[command][0]


NOT_AVAILABLE = "「{command}」はまだこのボットでは使えません。「ヘルプ」で使える操作を確認できます。"
NONE = "なし"

# The welcome: the definition's survey.title, its survey.intro, then these lines.
EXAMPLE_NOTE = "これは調査の定義ファイルの例です。実在の調査ではありません（回答はどこにも提出されません）。"
WELCOME_LINES = [
    "回答者情報を入力したあと、調査項目を1問ずつ質問します。ボタンでも、番号や文字の入力でも答えられます。",
    "途中でやめても回答は保存されます。別のチャットや別の端末からでも「再開」で続きから答えられます。",
    "始めるには「開始」、使い方は「ヘルプ」と送ってください。",
]
STARTED = "回答を始めます。まず回答者情報（8項目）を伺います。"
CONTINUING = "回答の続きから始めます。{progress}"
RESUMED = "再開します。{progress}"
NOTHING_TO_RESUME = "再開できる回答はまだありません。"
NOTHING_TO_PAUSE = "中断する回答はありません。"
PAUSED = "中断しました。ここまでの回答は保存されています。{progress}\n次にメッセージを送ると（別のチャット・別の日でも）続きから再開できます。"
NO_ANSWER_YET = "まだ回答を始めていません。「開始」と送ってください。"
PROGRESS = "回答者情報 {info}/{info_total}、回答済み {answered}問、未回答 {open}問、対象外 {na}問。"
PROGRESS_REVIEW = "回答者情報 {info}/{info_total}、回答済み {answered}問（うち要確認 {review}問）、未回答 {open}問、対象外 {na}問。"

HELP_TITLE = "使い方"


# {example}: an item heading (Q7-2), {terms}: a few glossary terms, {doubt}: whose rule for doubt
# it is (the definition's help:).
HELP_LINES: list[tuple[str, str]] = [
    ("開始", "回答を始める（回答中なら続きから）"),
    ("再開", "最初の未回答の項目から続ける（どのチャットからでも）"),
    ("説明", "今の質問の用語（{terms} など）を説明。「説明 用語」でその用語"),
    ("迷っている", "迷ったときの選び方（{doubt}）と、この問いの慎重な選択肢"),
    ("戻る", "前の質問に戻る（記録済みの回答を表示）"),
    ("修正 {example}", "その項目の回答を直す（回答者情報は「修正 組織名」など）。回答の分岐は直したあと自動で見直します"),
    ("状況", "回答済み・未回答・対象外の数と確認の状況"),
    ("一覧", "すべての回答を一覧で表示"),
    ("中断", "いったん止める（回答は保存されます）"),
    ("まとめて入力", "回答者情報の8項目を1枚のカードでまとめて入力"),
    ("住所比較 A / B", "2つの住所が「完全一致」とみなせるか（住所表記のゆれ）を判定"),
    ("出力", "回答のエクセルファイル（回答シート・一覧用）を受け取る"),
    ("取込", "回答シート（.xlsx）を添付して送ると、その回答を取り込む（都道府県の担当者は「取込」と書き添えて）"),
    ("確認依頼", "回答責任者（課長級以上）に確認を依頼する"),
    ("共有 / 参加 コード", "同じ組織の同僚と一つの回答を分担する"),
    ("集計", "（都道府県の担当者）管内の回答を一覧にしたファイルを作る"),
    ("削除依頼", "この回答を削除する（確認のうえ。確認済みの回答は管理者だけが削除できます）"),
]
# The notice's own notes and contacts are the definition's (help.notes, help.contacts).
NOTE_QUOTE = "「{text}」"
CONTACTS_TITLE = "問い合わせ先"
WHERE_TITLE = "提出先"
# Where the answer goes when the definition does not say (help.submit).
WHERE_MUNICIPALITY = "完成した回答のエクセルファイルを都道府県に提出してください。"
WHERE_PREFECTURE = "管内の回答を取りまとめた一覧のファイル（「集計」で作成）を、{deadline}までに提出してください。"

EXPORT_UNFINISHED = "まだ終わっていない項目があります（{parts}）。ファイルは今の内容で作成します。残りは「状況」で確かめられます。"
EXPORT_OPEN_INFO = "回答者情報 {n}項目"
EXPORT_OPEN_ITEMS = "未回答 {n}問"

EXPLAIN_TITLE = "用語の説明"
EXPLAIN_ITEM_TITLE = "{heading}の用語"
EXPLAIN_WHICH = "説明できる用語: {terms}\n「説明 用語」と送ってください。"
UNKNOWN_TERM = "「{term}」の説明はありません。説明できる用語: {terms}"
NO_TERMS = "{heading}に用語の説明はありません。説明できる用語: {terms}"

DOUBT_TITLE = "回答に迷ったとき"
DOUBT_ITEM = "{heading}では: {text}"
DOUBT_OPTION = "より慎重な選択肢: {label}"
DOUBT_YOU_DECIDE = "どれを選ぶかは回答者が決めてください。"

AT_START = "最初の項目です。"
# {example}: the definition's help.edit_example, as its heading (Q7-2).
EDIT_USAGE = "「修正 {example}」のように、直したい項番を付けて送ってください（回答者情報は「修正 組織名」など）。"
EDIT_UNKNOWN = "「{target}」という項番はありません。「修正 {example}」のように送ってください。"
EDIT_DECIDED_BY = "{heading}を回答するかどうかは、まだ回答していない{decider}の回答で決まります。先に{decider}に回答してください。"
EDIT_NOT_APPLICABLE = "{heading}は、今の回答では対象外のため修正できません。前の回答を直すと対象になる場合があります。"

STATUS_INFO = "回答者情報: {done}/{total} 項目入力済み"
STATUS_ANSWERED = "回答済み: {n}問"
STATUS_UNANSWERED = "未回答: {n}問（{items}）"
STATUS_NA = "対象外: {n}問（{items}）"
STATUS_CONFIRMATION = "回答責任者の確認: {state}"
STATUS_PAUSED = "中断中です。「再開」で続けられます。"
CONFIRMATION_STATES = {
    ConfirmationStatus.DRAFT: "未依頼",
    ConfirmationStatus.REQUESTED: "確認待ち",
    ConfirmationStatus.RETURNED: "差し戻し",
    ConfirmationStatus.CONFIRMED: "確認済",
}

ADDRESS_USAGE = "「住所比較 住所A / 住所B」のように、2つの住所を「/」で区切って送ってください。"

LOCKED = "この回答は回答責任者の確認済みのため変更できません。変更が必要な場合は、回答責任者に差し戻しを依頼してください。"
INFO_FIRST = "先に回答者情報を入力してください。"
ITEM_NOT_APPLICABLE = "{heading}は、今の回答では対象外です。"
BAD_ANSWER = "{heading}の回答として受け付けられませんでした。{error}"
ANSWER_STORED = "{heading}: {value} を記録しました。"
FIELD_STORED = "{label}: {value} を記録しました。"
FORM_STORED = "回答者情報を記録しました。"
FORM_FIELD = "・{label}: {value}"
FORM_NOT_STORED = "{label}: {error}"
FORM_EMPTY = "入力された項目がありませんでした。"
ENTER_AGAIN = "もう一度入力してください。"
FIELD_NOT_STORED = "{label}は記録しませんでした。"
ORG_NAME_AGAIN = "組織区分が「{org_type}」になったため、組織名をもう一度入力してください。"
NOW_NOT_APPLICABLE = "この回答により、次の項目が対象外になりました: {items}"
ANSWERS_SET_ASIDE = "対象外になった項目の回答は、履歴に残し、回答からは外しました: {items}"
NOW_APPLICABLE = "この回答により、次の項目が新たに対象になりました: {items}"
# 要確認: answers kept but to be confirmed after 1-1/1-2 changed between ① and ②.
UNDER_REVIEW = "要確認"
REVIEW_MARKED = "{heading}を{old}から{new}に変えたため、次の回答を要確認にしました: {items}"
REVIEW_WALK = "1問ずつ表示します。今の回答のままでよければ「このままにする」を押すか「そのまま」と送ってください。変える場合は選び直してください。"
REVIEW_ITEM = "要確認: {source}の回答を変えたため、この回答が今の対象者に合っているか確かめてください。"
REVIEW_KEPT = "{heading}: {value} のままにしました。"
REVIEW_NOT_MARKED = "{heading}は要確認の項目ではありません。"
STATUS_UNDER_REVIEW = "要確認: {n}問（{items}）"
REVIEW_FLAG = "要確認あり（{items}）"
EXPORT_UNDER_REVIEW = "要確認 {n}問"
CONFIRM_NONE = "{heading}は「どちらにも該当しない」として記録します（{marks}とも選択なし）。よろしいですか。"
CONFIRM_EXPIRED = "この確認はもう有効ではありません。"
UNKNOWN_SUBMIT = "このボタンは古いか、内容を読み取れませんでした。今の質問をもう一度表示します。"
EMPTY_INPUT = "メッセージが空でした。"
ALL_ANSWERED_HINT = "すべての項目に回答済みです。"
STILL_OPEN_HINT = "まだ終わっていない項目があります。次の項目を表示します。"

REVIEW_HEADING = "回答の確認"
REVIEW_DONE = "すべて回答済みです。「確認依頼」で回答責任者（課長級以上）に確認を依頼し、確認後に「出力」で回答のファイルを受け取ってください。"
REVIEW_INTRO = "回答の一覧です。直すときは「修正 {example}」のように送ってください。"
NOT_APPLICABLE = "対象外"
UNANSWERED = "未回答"
INFO_MISSING = "情報未入力あり"
UNANSWERED_FLAG = "未回答あり"
ALL_DONE = "すべて回答済みです。"

BUTTON_START = "開始"
BUTTON_HELP = "ヘルプ"
BUTTON_RESUME = "再開"
BUTTON_REVIEW = "回答一覧"
BUTTON_REQUEST = "確認依頼"
BUTTON_EXPORT = "ファイル出力"
BUTTON_BACK_TO_QUESTION = "質問に戻る"

# 組織名 as each role writes it (model.ROLE_*); FIELD_HINTS' own for a municipality.
ORG_NAME_HINTS = {
    ROLE_MEMBER: "都道府県コード・都道府県名・市町村名を空白なしで入力してください。郡名は省略します。「(広域)」はボットが付けます。例: 14神奈川県中井町",
    ROLE_UNION: "都道府県コード・都道府県名・広域連合等の正式名称を空白なしで入力してください。例: 40福岡県介護保険広域連合",
    ROLE_PREFECTURE: "都道府県コードと都道府県名を空白なしで入力してください。例: 14神奈川県",
}
# org_type: {choices} are the survey's organisation types (field_hint).
FIELD_HINTS = {
    "org_type": "組織区分を選んでください（{choices}）。",
    "org_name": "都道府県コード・都道府県名・市区町村名を空白なしで入力してください。郡名は省略します。例: 14神奈川県相模原市",
    "dept": "担当部署名を入力してください。例: 介護保険課",
    "title": "回答責任者の役職を入力してください。回答責任者は課長級以上の方です。例: 介護保険課長",
    "responsible_name": "回答責任者の氏名を入力してください。",
    "contact_name": "不明点があった場合の問い合わせ先として、連絡先の方の氏名を入力してください。",
    "phone": "連絡先の電話番号を入力してください。例: 03-5253-1111",
    "email": "連絡先のメールアドレスを入力してください。例: kaigo@example.lg.jp",
}

# A stored record the bot cannot read (hand-edited, or written by another program): nothing
# was changed; the log names the record and the field for the administrator.
RECORD_UNREADABLE = "保存されている記録の形式が正しくないため、このメッセージを処理できませんでした。記録は変更していません。お手数ですが管理者にお知らせください。"
APOLOGY = "申し訳ありません。処理中にエラーが起きました。入力した内容は失われていません。もう一度送ってください。"
BUSY = "同じ回答がほぼ同時に何度も更新されたため、このメッセージは処理できませんでした。もう一度送ってください。"
BUSY_OWN = "続けて送られたメッセージがほぼ同時に届いたため、このメッセージは処理できませんでした。前のメッセージへの返事を確かめてから、もう一度送ってください。"
TENANT_REFUSED = "このボットは、許可された組織のテナントからのみ利用できます。"
CONCURRENT_CHANGE = "同じ回答を同僚が同時に更新しました。最新の内容に重ねて記録します。同僚の変更: {changes}"
CHANGE_LINE = "{heading} {old}→{new}"
CONFIRMED_DETAIL = "（{at} {by}）"


def field_hint(key: str, org_labels: tuple[str, ...] | list[str], role: str | None = None) -> str:
    """The hint shown with a 回答者情報 field; 組織区分's lists the survey's types, 組織名's
    is the one of the 組織区分's role (model.ROLE_*)."""
    if key == "org_type":
        return FIELD_HINTS[key].format(choices="／".join(org_labels))
    if key == "org_name" and role in ORG_NAME_HINTS:
        return ORG_NAME_HINTS[role]
    return FIELD_HINTS[key]


# Whose rule for doubt 迷っている shows, unless the definition names it (help.doubt_source).
DOUBT_SOURCE = "調査票の留意点"


def help_lines(example: str, terms: tuple[str, ...] | list[str], doubt: str = "") -> list[tuple[str, str]]:
    """HELP_LINES with the survey's example item, terms and rule for doubt filled in."""
    values = {"terms": "、".join(terms), "doubt": doubt or DOUBT_SOURCE}
    return [(command.format(example=example), text.format(**values)) for command, text in HELP_LINES]
