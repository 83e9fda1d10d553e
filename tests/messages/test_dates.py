"""和暦 as the bot writes it: one formatter for every message (deadlines, reminders)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.config import JST
from bot.messages.dates import OutOfEras, era_of, typed_eras, wareki_date, wareki_datetime, western_year, within_era
from bot.messages.delivery import deadline_text


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2023, 7, 21, 17, 0, tzinfo=JST), "令和5年7月21日（金）17時"),  # the seed's deadline
        (datetime(2023, 7, 14, 9, 30, tzinfo=JST), "令和5年7月14日（金）9時30分"),
        (datetime(2019, 5, 1, 0, 0, tzinfo=JST), "令和元年5月1日（水）0時"),  # the first day of 令和
        (datetime(2019, 4, 30, 12, 0, tzinfo=JST), "平成31年4月30日（火）12時"),  # the last day of 平成
        (datetime(2024, 1, 1, 8, 5, tzinfo=JST), "令和6年1月1日（月）8時5分"),
        # An aware moment in another timezone is written in Japan's time.
        (datetime(2023, 7, 21, 8, 0, tzinfo=timezone.utc), "令和5年7月21日（金）17時"),
        (datetime(2023, 7, 20, 16, 0, tzinfo=timezone(timedelta(0))), "令和5年7月21日（金）1時"),
        (datetime(2023, 7, 21, 17, 0), "令和5年7月21日（金）17時"),  # naive: as given
    ],
)
def test_wareki_datetime(moment: datetime, text: str) -> None:
    assert wareki_datetime(moment) == text
    assert deadline_text(moment) == text  # 集計's reminder uses the same formatter


@pytest.mark.parametrize(
    ("day", "era", "text"),
    [
        (date(2023, 7, 21), ("令和", 5), "令和5年7月21日（金）"),
        (date(1989, 1, 8), ("平成", 1), "平成元年1月8日（日）"),
        (date(2000, 2, 29), ("平成", 12), "平成12年2月29日（火）"),
    ],
)
def test_wareki_date(day: date, era: tuple[str, int], text: str) -> None:
    assert era_of(day) == era
    assert wareki_date(day) == text


def test_a_day_before_the_known_eras_is_refused() -> None:
    with pytest.raises(OutOfEras):
        era_of(date(1989, 1, 7))


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        ("令和", ("令和", 2018, 5, None)),
        ("r", ("令和", 2018, 5, None)),
        ("平成", ("平成", 1988, 1, (31, 4))),
        ("h", ("平成", 1988, 1, (31, 4))),
    ],
)
def test_the_year_month_reader_takes_its_eras_from_the_same_list(typed: str, entry: tuple) -> None:
    assert typed_eras()[typed] == entry


@pytest.mark.parametrize(
    ("typed", "era_year", "year"),
    [("令和", 5, 2023), ("R", 1, 2019), ("r", 1, 2019), ("平成", 31, 2019), ("h", 1, 1989), ("令和", 0, 2018)],
)
def test_a_typed_era_year_becomes_a_western_year(typed: str, era_year: int, year: int) -> None:
    assert western_year(typed, era_year) == year


@pytest.mark.parametrize(
    ("typed", "year", "month", "day", "inside"),
    [
        ("令和", 2023, 9, None, True),
        ("R", 2019, 5, 1, True),
        ("令和", 2019, 4, None, False),  # before 令和 began
        ("令和", 2019, 4, 30, False),
        ("平成", 2019, 4, None, True),
        ("h", 2019, 4, 30, True),
        ("平成", 2019, 5, None, False),  # 令和 by then
        ("平成", 2019, 5, 1, False),
        ("平成", 1989, 1, None, True),  # 平成 began on 8 January: the month overlaps it
        ("平成", 1989, 1, 7, False),
        ("平成", 1989, 1, 8, True),
    ],
)
def test_a_month_or_day_lies_in_its_era_or_not(typed: str, year: int, month: int, day: int | None, inside: bool) -> None:
    assert within_era(typed, year, month, day) is inside
