"""What prefecture staff and administrators type after the desk's commands, read once:
a deadline (期限 令和5年7月14日 17時) and a person with a prefecture (職員追加 山田 太郎 14).
Pure: the text in, a value or a short Japanese reason out."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from bot.jst import JST
from bot.messages import desk as msg
from bot.messages.dates import WEEKDAYS, era_name, wareki_datetime, western_year, within_era
from bot.survey.prefectures import resolve_prefecture

DEFAULT_HOUR = 17  # a deadline typed without a time: the hour the ministry's own deadline uses

_WEEKDAY = re.compile(rf"[(]([{WEEKDAYS}])(?:曜日?)?[)]")
_ERA = re.compile(r"^(令和|平成|[rRhH])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_WESTERN = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月/]\s*(\d{1,2})\s*日?")
_TIME_KANJI = re.compile(r"^(午前|午後)?\s*(\d{1,2})\s*時\s*(?:(\d{1,2})\s*分|(半))?$")
_TIME_COLON = re.compile(r"^(午前|午後)?\s*(\d{1,2})\s*:\s*(\d{2})$")


@dataclass(frozen=True)
class DeadlineInput:
    at: datetime | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.at is not None


def _fail(error: str) -> DeadlineInput:
    return DeadlineInput(error=error)


def _date_part(text: str, reference_year: int) -> tuple[tuple[int, int, int] | None, str, str]:
    """((year, month, day) | None, the rest of the text, error)."""
    era = _ERA.match(text)
    if era:
        typed = era.group(1)
        era_year = 1 if era.group(2) == "元" else int(era.group(2))
        year, month, day = western_year(typed, era_year), int(era.group(3)), int(era.group(4))
        try:
            in_era = within_era(typed, year, month, day) and era_year >= 1
        except ValueError:
            return None, "", msg.DATE_NO_SUCH_DAY.format(year=year, month=month, day=day)
        if not in_era:
            return None, "", msg.DATE_ERA_RANGE.format(era=era_name(typed), year=era.group(2), month=month, day=day)
        return (year, month, day), text[era.end():], ""
    western = _WESTERN.match(text)
    if western:
        return (int(western.group(1)), int(western.group(2)), int(western.group(3))), text[western.end():], ""
    month_day = _MONTH_DAY.match(text)
    if month_day:
        return (reference_year, int(month_day.group(1)), int(month_day.group(2))), text[month_day.end():], ""
    return None, text, ""


def _time_part(text: str) -> tuple[tuple[int, int] | None, str]:
    """((hour, minute) | None when unreadable, error); no text: the default hour."""
    if not text:
        return (DEFAULT_HOUR, 0), ""
    match = _TIME_KANJI.match(text) or _TIME_COLON.match(text)
    if match is None:
        return None, ""
    half = match.re is _TIME_KANJI and match.group(4)
    hour = int(match.group(2))
    minute = 30 if half else int(match.group(3) or 0)
    if match.group(1) == "午後" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59 or (match.group(1) and int(match.group(2)) > 12):
        return None, msg.DATE_BAD_TIME.format(hour=match.group(2), minute=minute)
    return (hour, minute), ""


def parse_deadline(text: str, ministry_deadline: datetime) -> DeadlineInput:
    """`令和5年7月14日 17時`, `令和5年7月14日（金）17時30分`, `R5.7.14 17:00`, `2023/7/14 17:00`,
    `7月14日 午後5時` (the ministry deadline's year) -> an aware datetime in JST. No time:
    17時. A weekday given must be the date's; the date may not be after the ministry's
    deadline (the municipalities' answers are due at the prefecture before that)."""
    given = unicodedata.normalize("NFKC", text or "").strip()
    if not given:
        return _fail(msg.DEADLINE_USAGE)
    weekday = _WEEKDAY.search(given)
    rest = _WEEKDAY.sub(" ", given).strip()
    ministry = ministry_deadline.astimezone(JST)
    day, rest, error = _date_part(rest, ministry.year)
    if error:
        return _fail(error)
    if day is None:
        return _fail(msg.DATE_UNREADABLE.format(text=text.strip()))
    year, month, day_of_month = day
    try:
        moment = date(year, month, day_of_month)
    except ValueError:
        return _fail(msg.DATE_NO_SUCH_DAY.format(year=year, month=month, day=day_of_month))
    time, error = _time_part(rest.strip())
    if error:
        return _fail(error)
    if time is None:
        return _fail(msg.DATE_UNREADABLE.format(text=text.strip()))
    if weekday and WEEKDAYS.index(weekday.group(1)) != moment.weekday():
        return _fail(msg.DATE_WRONG_WEEKDAY.format(month=month, day=day_of_month, weekday=WEEKDAYS[moment.weekday()]))
    at = datetime(year, month, day_of_month, time[0], time[1], tzinfo=JST)
    if at > ministry:
        return _fail(msg.DATE_AFTER_MINISTRY.format(ministry=wareki_datetime(ministry)))
    return DeadlineInput(at=at)


# --- 職員追加 / 職員削除 ------------------------------------------------------------------

_USER_ID = re.compile(r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|29:\S+)$")


def is_user_id(text: str) -> bool:
    """An aadObjectId (or a Teams user id): what the bot keys users by."""
    return bool(_USER_ID.match(text.strip()))


@dataclass(frozen=True)
class StaffTarget:
    who: str = ""  # a Teams display name or a user id
    code: str = ""  # the prefecture (職員追加 only)
    error: str = ""


def parse_staff_grant(text: str) -> StaffTarget:
    """`山田 太郎 14`, `山田太郎 神奈川県`, `<aadObjectId> 14` -> who and the prefecture."""
    words = unicodedata.normalize("NFKC", text or "").split()
    if len(words) < 2:
        return StaffTarget(error=msg.STAFF_ADD_USAGE)
    code = resolve_prefecture(words[-1])
    if code is None:
        return StaffTarget(error=msg.STAFF_NO_SUCH_PREFECTURE.format(text=words[-1]))
    return StaffTarget(" ".join(words[:-1]), code)


def parse_staff_revoke(text: str) -> StaffTarget:
    who = " ".join(unicodedata.normalize("NFKC", text or "").split())
    return StaffTarget(who) if who else StaffTarget(error=msg.STAFF_REMOVE_USAGE)
