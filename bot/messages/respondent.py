"""Japanese texts for 回答者情報 validation."""
from __future__ import annotations

# --- 組織区分 -------------------------------------------------------------
# {choices}: the survey's organisation types, one per line, numbered ("1 市区町村").
ORG_TYPE_CHOOSE = "組織区分を1〜{count}の番号で選んでください。\n{choices}"
ORG_TYPE_AMBIGUOUS = "「{given}」は{candidates}のどれか分かりません。番号（1〜{count}）で選んでください。"

# --- 組織名 ---------------------------------------------------------------
ORG_NAME_EMPTY = "組織名を入力してください（例：14神奈川県相模原市）。"
ORG_NAME_NEED_TYPE = "先に組織区分を選んでください。"
ORG_NAME_NO_PREFECTURE = (
    "都道府県名が読み取れません。都道府県コード・都道府県名・市区町村名を続けて入力してください"
    "（例：14神奈川県相模原市）。"
)
ORG_NAME_NO_PREFECTURE_UNION = (
    "都道府県名が読み取れません。都道府県コード・都道府県名・広域連合等の正式名称を続けて入力してください"
    "（例：40福岡県介護保険広域連合）。"
)
ORG_NAME_MISSING_PREFECTURE = "都道府県名が抜けています。「{suggestion}」のように入力してください。"
ORG_NAME_BAD_CODE = "都道府県コードは2桁の数字です（例：14神奈川県相模原市）。"
ORG_NAME_WRONG_CODE = "{name}のコードは{code}です。「{suggestion}」と入力してください。"
# Reasons a typed 組織名 was changed; joined, then ORG_NAME_CONFIRM asks for a yes.
ORG_NAME_PAD_CODE = "都道府県コードを2桁にします。"
ORG_NAME_ADD_CODE = "都道府県コード（{code}）を補います。"
ORG_NAME_GUN_REMOVED = "郡名（{gun}）は省略する決まりです。"
ORG_NAME_WARD_REMOVED = "指定都市は区ではなく市で回答します（{ward}を省きます）。"
ORG_NAME_FROM_LG_CODE = "団体コード（{lg_code}）の上2桁を都道府県コード（{code}）として読みました。"
ORG_NAME_CONFIRM = "「{value}」とします。よろしいですか？"
ORG_NAME_LG_CODE_NO_PREFECTURE = "団体コード（{lg_code}）の上2桁（{code}）は都道府県コードではありません。番号を確かめてください。"
ORG_NAME_LG_CODE_CHECK_DIGIT = "団体コード（{lg_code}）の最後の桁（検査数字）が合いません。番号を確かめてください。"
ORG_NAME_LG_CODE_OTHER_PREFECTURE = (
    "団体コード（{lg_code}）は{name}（{code}）のコードですが、{typed}と入力されています。番号か名前を確かめてください。"
)
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
TITLE_RULE = "調査票は「課長級以上の役職の方が回答責任者となり」と求めています。"
TITLE_REFUSED = (
    "「{title}」は課長級に当たらないため、回答責任者の役職として記録できません。" + TITLE_RULE
    + "課長級以上の方の役職を入力してください（例：介護保険課長、福祉部長）。"
)
TITLE_DEPENDS = (
    "「{title}」は、団体によって課長級に当たる場合と当たらない場合があります。" + TITLE_RULE
    + "あなたの団体で課長級以上であれば「はい」、そうでなければ「いいえ」と答えて、課長級以上の方の役職を入力してください。"
)
TITLE_UNKNOWN = (
    "「{title}」が課長級以上の役職かどうか、このボットには判断できません。" + TITLE_RULE
    + "課長級以上であれば「はい」、そうでなければ「いいえ」と答えて、課長級以上の方の役職を入力してください（例：介護保険課長）。"
)

# --- 電話番号 -------------------------------------------------------------
PHONE_EMPTY = "電話番号を入力してください（例：03-5253-1111）。"
PHONE_BAD_CHARS = (
    "電話番号は数字とハイフンで入力してください。「（代表）」「（直通）」「内線2164」などの書き添えはそのまま使えます"
    "（例：03-5253-1111（内線2164））。"
)
PHONE_BAD_LENGTH = "電話番号は市外局番から10桁か11桁で入力してください（今は{count}桁です。例：03-5253-1111）。"
PHONE_NO_LEADING_ZERO = "電話番号は市外局番（0から始まる番号）から入力してください（例：03-5253-1111）。"

# --- メールアドレス ---------------------------------------------------------
EMAIL_EMPTY = "メールアドレスを入力してください（例：kaigo@city.example.lg.jp）。"
EMAIL_INVALID = "メールアドレスの形が正しくありません（例：kaigo@city.example.lg.jp）。"

# --- 担当部署名・氏名 --------------------------------------------------------
TEXT_EMPTY = "{label}を入力してください。"
TEXT_TOO_LONG = "{label}は{limit}文字以内で入力してください（今は{length}文字です）。"
TEXT_DEFAULT_LABEL = "この項目"
NAME_HAS_DIGITS = "{label}には氏名を入力してください。数字は使えません（電話番号は「電話番号」の項目で伺います）。"
NAME_HAS_AT = "{label}には氏名を入力してください。「@」は使えません（メールアドレスは「メールアドレス」の項目で伺います）。"
DEPT_NOT_A_NAME = "担当部署名には部署の名前を入力してください（例：介護保険課）。数字や記号だけ、メールアドレスは記録できません。"
NAME_ONLY_MARKS = "{label}には氏名を入力してください（例：厚労 花子）。記号だけでは記録できません。"
