"""Japanese texts of the 組織名 check against the municipality list (bot/survey/listed_org.py)."""
from __future__ import annotations

NOT_LISTED = "「{name}」は{prefecture}の市区町村にありません。市区町村名を確かめて入力してください。"
LISTED_ELSEWHERE = "「{name}」は{prefecture}の市区町村にありません。{offers}と入力してください。"
OFFER = "{prefecture}の場合は「{value}」"
OFFER_SEPARATOR = "、"
LIST_SPELLING = "市区町村名は全国地方公共団体コードの表記（{name}）にします。"
