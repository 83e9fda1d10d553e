"""What stands where retention erased a personal field (answer workbooks, 一覧, 履歴).

Not an empty string: an empty 回答者情報 field means 情報未入力, and erasing must not
turn a complete answer into an incomplete one in anybody's figures.
"""

ERASED = "（削除済）"
