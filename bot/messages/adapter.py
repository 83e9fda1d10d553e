"""Japanese texts the adapter and the HTTP layer send on their own, outside any dialog."""
from __future__ import annotations

# Sent when a turn failed; the user's stored answers are untouched, so they can
# simply try again.
TURN_ERROR = "申し訳ありません。処理中にエラーが発生しました。もう一度お試しください。入力済みの回答は保存されています。"

# --- refused HTTP requests (plain-text bodies; Teams shows none of them to users) ------
UNAUTHORIZED = "認証できませんでした。Bot Framework のトークンを付けて送ってください。"
AUTH_UNAVAILABLE = "認証に使う鍵を取得できませんでした。しばらくしてからもう一度送ってください。"
UNSUPPORTED_MEDIA_TYPE = "Content-Type は application/json（UTF-8）にしてください。"
TOO_LARGE = "リクエストが大きすぎます（上限 {limit_kib} KiB）。"
INCOMPLETE = "本文が途中で切れています。"
NOT_UTF8 = "本文が UTF-8 ではありません。"
NOT_JSON = "本文を JSON として読めません。"
NOT_AN_ACTIVITY = "本文がアクティビティ（JSON オブジェクト）ではありません。"
TOO_DEEP = "JSON の入れ子が深すぎます（上限 {limit} 段）。"
BAD_FIELD = "項目「{field}」の形式が正しくありません。"
MISSING_FIELD = "項目「{field}」がありません。"
TOO_LONG = "項目「{field}」が長すぎます（上限 {limit} 文字）。"

# --- invokes the bot does not offer --------------------------------------------------
CARD_ACTION_UNSUPPORTED = "このボタンには対応していません。メッセージで操作を送ってください（「ヘルプ」で一覧）。"
CARD_ACTION_MALFORMED = "カードの操作内容を読み取れませんでした。"
INVOKE_UNSUPPORTED = "この操作にはボットが対応していません。"
SIGN_IN_UNSUPPORTED = "このボットはサインインを使いません。"

