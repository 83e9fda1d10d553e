"""A 構成市町村's 広域連合等 as it names it, read into the 広域連合等's 組織名 form."""
from __future__ import annotations

import pytest

from bot.survey.union_link import read_union_name, same_union

MEMBER = "14神奈川県中井町(広域)"
KNOWN = ("14神奈川県足柄上広域連合", "14神奈川県湘南広域連合")


@pytest.mark.parametrize(
    ("typed", "known", "value", "error"),
    [
        ("足柄上広域連合", (), "14神奈川県足柄上広域連合", ""),
        ("神奈川県足柄上広域連合", (), "14神奈川県足柄上広域連合", ""),
        ("14神奈川県足柄上広域連合", (), "14神奈川県足柄上広域連合", ""),
        ("１４ 神奈川県　足柄上広域連合", (), "14神奈川県足柄上広域連合", ""),
        ("1", KNOWN, KNOWN[0], ""),
        ("２", KNOWN, KNOWN[1], ""),
        ("3", KNOWN, "", "1〜2の番号で選ぶか"),
        ("0", KNOWN, "", "1〜2の番号で選ぶか"),
        ("", KNOWN, "", "広域連合等の名称を入力してください。"),
        ("40福岡県介護保険広域連合", (), "", "神奈川県の広域連合等を入力してください"),
        ("福岡県介護保険広域連合", (), "", "神奈川県の広域連合等を入力してください"),
        ("13神奈川県足柄上広域連合", (), "", "神奈川県のコードは14です"),
        ("14足柄上広域連合", (), "", "都道府県名と広域連合等の名称を続けてください"),
        ("中井町(広域)", (), "", "構成市町村の名前ではなく"),
        ("神奈川県", (), "", "広域連合"),  # a prefecture alone is no 広域連合等
        ("県西部広域行政組合", (), "14神奈川県県西部広域行政組合", ""),
        ("中井町", (), "", "「中井町」は市区町村の名前です"),  # its own name, without (広域)
        ("相模原市", (), "", "「相模原市」は市区町村の名前です"),
        ("介護保険課", (), "", "「介護保険課」は広域連合等の名称に見えません"),
        ("わからない", (), "", "「わからない」は広域連合等の名称に見えません"),
    ],
)
def test_read_union_name(typed: str, known: tuple[str, ...], value: str, error: str) -> None:
    result = read_union_name(typed, MEMBER, known)
    assert result.ok is (not error)
    assert result.value == value
    assert error in result.error


def test_without_the_members_name_nothing_is_guessed() -> None:
    result = read_union_name("足柄上広域連合", "", ())
    assert not result.ok and "先に組織名を入力してください" in result.error


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("14神奈川県足柄上広域連合", "14神奈川県 足柄上広域連合", True), ("１４神奈川県足柄上広域連合", "14神奈川県足柄上広域連合", True),
     ("14神奈川県足柄上広域連合", "14神奈川県湘南広域連合", False), ("", "", False)],
)
def test_same_union(a: str, b: str, same: bool) -> None:
    assert same_union(a, b) is same
