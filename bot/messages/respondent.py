"""Japanese texts for 回答者情報 validation and the 住所比較 check."""
from __future__ import annotations

# --- 組織区分 -------------------------------------------------------------
ORG_TYPE_CHOOSE = (
    "組織区分を1〜4の番号で選んでください。\n"
    "1 市区町村\n2 市区町村（広域連合等の構成市町村）\n3 広域連合等\n4 都道府県"
)
ORG_TYPE_AMBIGUOUS = "「{given}」は{candidates}のどれか分かりません。番号（1〜4）で選んでください。"

# --- 組織名 ---------------------------------------------------------------
ORG_NAME_EMPTY = "組織名を入力してください（例：14神奈川県相模原市）。"
ORG_NAME_NEED_TYPE = "先に組織区分を選んでください。"
ORG_NAME_NO_PREFECTURE = (
    "都道府県名が読み取れません。都道府県コード・都道府県名・市区町村名を続けて入力してください"
    "（例：14神奈川県相模原市）。"
)
ORG_NAME_MISSING_PREFECTURE = "都道府県名が抜けています。「{suggestion}」のように入力してください。"
ORG_NAME_BAD_CODE = "都道府県コードは2桁の数字です（例：14神奈川県相模原市）。"
ORG_NAME_WRONG_CODE = "{name}のコードは{code}です。「{suggestion}」と入力してください。"
# Reasons a typed 組織名 was changed; joined, then ORG_NAME_CONFIRM asks for a yes.
ORG_NAME_PAD_CODE = "都道府県コードを2桁にします。"
ORG_NAME_ADD_CODE = "都道府県コード（{code}）を補います。"
ORG_NAME_GUN_REMOVED = "郡名（{gun}）は省略する決まりです。"
ORG_NAME_WARD_REMOVED = "指定都市は区ではなく市で回答します（{ward}を省きます）。"
ORG_NAME_CONFIRM = "「{value}」とします。よろしいですか？"
ORG_NAME_NEED_MUNICIPALITY = "都道府県名の後に市区町村名を続けて入力してください（例：{example}）。"
ORG_NAME_NOT_MUNICIPALITY = (
    "「{body}」は市区町村名として読み取れません。市・区・町・村で終わる名前を入力してください"
    "（例：14神奈川県相模原市）。"
)
ORG_NAME_WARD_OUTSIDE_TOKYO = (
    "区が市区町村になるのは東京都の特別区だけです。指定都市の場合は市の名前を入力してください"
    "（例：14神奈川県横浜市）。"
)
ORG_NAME_KOUIKI_NOT_ALLOWED = (
    "「(広域)」を付けるのは広域連合等の構成市町村だけです。構成市町村の場合は、組織区分で"
    "「市区町村（広域連合等の構成市町村）」を選び直してください。"
)
ORG_NAME_UNION_NEEDS_NAME = (
    "都道府県名の後に広域連合等の正式名称を続けて入力してください（例：40福岡県介護保険広域連合）。"
)
ORG_NAME_PREFECTURE_ONLY = (
    "都道府県は、コードと都道府県名だけを入力してください（例：{example}）。"
    "市区町村の場合は、組織区分で「市区町村」を選び直してください。"
)

# --- 回答責任者役職 ---------------------------------------------------------
TITLE_EMPTY = "回答責任者の役職を入力してください（例：介護保険課長）。"
TITLE_REFUSED = (
    "回答責任者は課長級以上の方にお願いしています。「{title}」は課長級に当たらないように見えます。"
    "課長級以上の方の役職を入力し直してください。課長級に当たる場合は「はい」と答えてください。"
)
TITLE_UNKNOWN = (
    "回答責任者は課長級以上の方にお願いしています。「{title}」が課長級以上か判断できません。"
    "課長級以上であれば「はい」と答えてください。違う場合は役職を入力し直してください。"
)

# --- 電話番号 -------------------------------------------------------------
PHONE_EMPTY = "電話番号を入力してください（例：03-5253-1111）。"
PHONE_BAD_CHARS = "電話番号は数字とハイフンで入力してください（例：03-5253-1111、内線は「03-5253-1111 内線2164」）。"
PHONE_BAD_LENGTH = "電話番号は市外局番から10桁か11桁で入力してください（今は{count}桁です。例：03-5253-1111）。"
PHONE_NO_LEADING_ZERO = "電話番号は市外局番（0から始まる番号）から入力してください（例：03-5253-1111）。"
PHONE_EXTENSION = "内線"

# --- メールアドレス ---------------------------------------------------------
EMAIL_EMPTY = "メールアドレスを入力してください（例：kaigo@city.example.lg.jp）。"
EMAIL_INVALID = "メールアドレスの形が正しくありません（例：kaigo@city.example.lg.jp）。"

# --- 担当部署名・氏名 --------------------------------------------------------
TEXT_EMPTY = "{label}を入力してください。"
TEXT_TOO_LONG = "{label}は{limit}文字以内で入力してください（今は{length}文字です）。"
TEXT_DEFAULT_LABEL = "この項目"

# --- 住所比較 -------------------------------------------------------------
ADDRESS_MATCH = "一致（住所表記のゆれの範囲で、完全一致とみなします）"
ADDRESS_MISMATCH = "不一致（完全一致とはみなしません）"
ADDRESS_NORMALIZED = "比べた形：{a} ／ {b}"
ADDRESS_REASON = "・{reason}"
ADDRESS_EMPTY = "比べる住所が空です。「住所比較 住所A / 住所B」の形で入力してください。"
ADDRESS_DIFF_NUMBER = "番地の数字が違います（{a} と {b}）"
ADDRESS_DIFF_BUILDING = "一方にだけ建物名・部屋番号があります（{extra}）"
ADDRESS_DIFF_NUMBER_TAIL = "一方にだけ番地の続き・部屋番号があります（{extra}）"
# Only a trailing 号 is dropped by the rule; a trailing 番 / 番地 / 丁目 still counts.
ADDRESS_DIFF_MARKER = "一方にだけ数字の後の「{extra}」があります（末尾の号以外は表記のゆれとして扱いません）"
ADDRESS_DIFF_OAZA = "大字・字の有無が違います"
ADDRESS_DIFF_KE = "ヶ と ケ の違いは表記のゆれとして扱いません"
ADDRESS_DIFF_PREFECTURE_MISSING = "都道府県名の有無が違います（{name}）"
ADDRESS_DIFF_PREFECTURE = "都道府県名が違います（{a} と {b}）"
ADDRESS_DIFF_GUN = "郡名の有無が違います（{gun}）"
ADDRESS_DIFF_PLACE_NUMERAL = "地名の中の漢数字と数字の違いは表記のゆれとして扱いません（{a} と {b}）"
ADDRESS_DIFF_ONLY_ONE = "一方にだけ「{extra}」があります"
ADDRESS_DIFF_TEXT = "地名・表記が違います（{a} と {b}）"
