"""Japanese texts for input over a length limit (the message as a whole, a 差し戻し reason)."""
from __future__ import annotations

MESSAGE_TOO_LONG = (
    "メッセージが長すぎるため、受け付けませんでした（1回に{limit}文字まで、今は{length}文字です）。"
    "何も記録・変更していません。短くして送り直してください。"
)
RETURN_REASON_TOO_LONG = (
    "差し戻しの理由は{limit}文字以内で入力してください（今は{length}文字です）。まだ差し戻していません。"
)
