"""Japanese texts of the 組織名 check against the municipality list (bot/survey/listed_org.py)."""
from __future__ import annotations

NOT_LISTED = "「{name}」は{prefecture}の市区町村にありません。市区町村名を確かめて入力してください。"
LISTED_ELSEWHERE = "「{name}」は{prefecture}の市区町村にありません。{offers}と入力してください。"
OFFER = "{prefecture}の場合は「{value}」"
OFFER_SEPARATOR = "、"
LIST_SPELLING = "市区町村名は全国地方公共団体コードの表記（{name}）にします。"
# A 広域連合等's 組織名 (its own, or the one a 構成市町村 names).
UNION_IS_MUNICIPALITY = "「{name}」は市区町村の名前です。広域連合または一部事務組合の正式名称を入力してください（例: 介護保険広域連合）。"
NOT_A_UNION_NAME = "「{name}」は広域連合等の名称に見えません。広域連合または一部事務組合の正式名称（「連合」「組合」を含む名称）を入力してください（例: 介護保険広域連合、〇〇福祉事務組合）。"
# A 市区町村名 typed without its prefecture, found in the list.
PREFECTURE_FROM_LIST = "「{name}」を{prefecture}の市区町村として読みました。"
IN_SEVERAL_PREFECTURES = "「{name}」は複数の都道府県にあります。{offers}と入力してください。"
