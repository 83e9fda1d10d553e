"""Japanese texts the adapter sends on its own, outside any dialog."""
from __future__ import annotations

# Sent when a turn failed; the user's stored answers are untouched, so they can
# simply try again.
TURN_ERROR = "申し訳ありません。処理中にエラーが発生しました。もう一度お試しください。入力済みの回答は保存されています。"
