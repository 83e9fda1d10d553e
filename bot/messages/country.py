"""Japanese texts of the ministry's desk: the prefectures' lists dropped into one chat and
`集計 全国` (bot/delivery/country.py)."""
from __future__ import annotations

COUNTRY = "全国"  # the list's name: 【全国】… in its file name, the 集計 sheet's title
COUNTRY_WORDS = ("全国", "全国分")  # after 集計

REFUSED = "「集計 全国」は、厚生労働省の担当者として登録された方だけが使えます。"
ACCEPTED_LINE = "・{filename}（{count}団体: {prefectures}）"
NEXT = "「集計 全国」と送ると、受け付けた一覧をまとめます（{days}日間保存します）。"
TITLE = "全国の一覧を作成しました（{total}件、{prefectures}都道府県）。"
FILES = "都道府県の一覧ファイル {files}件から作りました。"
MISSING = "一覧が届いていない都道府県（{count}）: {names}"
ALL_IN = "47都道府県すべての回答が入っています。"
NONE_YET = "まだ一覧を受け取っていません。都道府県から届いた一覧ファイルをこのチャットに添付してください。"
UNPLACED = "都道府県が分からない組織名"
PLACE_SEPARATOR = "・"
