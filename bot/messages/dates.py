"""Dates as the bot writes and reads them: 和暦 with the weekday, the seed's way
(「令和5年7月21日（金）17時」). The one place that knows the eras and counts their years:
the 予定年月 reader (bot/survey/answers.py) turns a typed 和暦 into a year here too."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.jst import JST

# (era, its first day), newest first.
ERAS: tuple[tuple[str, date], ...] = (
    ("令和", date(2019, 5, 1)),
    ("平成", date(1989, 1, 8)),
)
ERA_LETTERS = {"令和": "r", "平成": "h"}  # as typed: R5.9, H31.4 (lower-cased)
WEEKDAYS = "月火水木金土日"


class OutOfEras(ValueError):
    """A day before the first era the bot knows."""


def era_of(day: date) -> tuple[str, int]:
    """`date(2023, 7, 21)` -> `("令和", 5)`; the first year of an era is 1 (written 元)."""
    for name, first in ERAS:
        if day >= first:
            return name, day.year - first.year + 1
    raise OutOfEras(f"{day.isoformat()} is before {ERAS[-1][0]}")


def era_bounds(name: str) -> tuple[date, date | None]:
    """The first day of an era and the first day of the next one (None for the current)."""
    for index, (era, first) in enumerate(ERAS):
        if era == name:
            return first, ERAS[index - 1][1] if index else None
    raise KeyError(name)


def typed_eras() -> dict[str, tuple[str, int, int, tuple[int, int] | None]]:
    """For reading typed 和暦 (`令和5年9月`, `R5.9`, `H31.4`): era or its letter ->
    (era, year of its 元年 minus 1, first month of 元年, last valid (era year, month))."""
    table: dict[str, tuple[str, int, int, tuple[int, int] | None]] = {}
    for name, first in ERAS:
        _, following = era_bounds(name)
        last = None
        if following is not None:
            last_day = following - timedelta(days=1)
            last = (last_day.year - first.year + 1, last_day.month)
        table[name] = table[ERA_LETTERS[name]] = (name, first.year - 1, first.month, last)
    return table


def era_name(era: str) -> str:
    """An era as typed (`令和`, `R`, `h`) -> its name (`令和`); KeyError when unknown."""
    return typed_eras()[era.lower() if len(era) == 1 else era][0]


def western_year(era: str, era_year: int) -> int:
    """The western year of a typed era's year (`令和`, `R`, `平成`, `h`; 元年 is 1):
    令和5 -> 2023. KeyError for an era the bot does not know."""
    return typed_eras()[era.lower() if len(era) == 1 else era][1] + era_year


def within_era(era: str, year: int, month: int, day: int | None = None) -> bool:
    """Whether the month (`day` None: any day of it) or the day lies in the era (typed as
    for western_year). Raises ValueError for a day the month does not have."""
    first, following = era_bounds(era_name(era))
    if day is None:
        start = date(year, month, 1)
        end = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
    else:
        start = end = date(year, month, day)
    return end >= first and (following is None or start < following)


def wareki_date(day: date) -> str:
    """`令和5年7月21日（金）`; `令和元年5月1日（水）`."""
    era, year = era_of(day)
    shown = "元" if year == 1 else str(year)
    return f"{era}{shown}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def wareki_datetime(moment: datetime) -> str:
    """`令和5年7月21日（金）17時`, with minutes only when there are some (`17時30分`).
    An aware moment is written in Japan's time, whatever its timezone."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(JST)
    minutes = f"{moment.minute}分" if moment.minute else ""
    return f"{wareki_date(moment.date())}{moment.hour}時{minutes}"
