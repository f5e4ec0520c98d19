"""EventBridge Scheduler expressions: `rate(...)`, `cron(...)` (six fields) and `at(...)`.

`next_fire(expression, after, timezone)` returns the first firing strictly after `after`
(aware datetime), or None when the expression will not fire again (a past `at`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {
    n: i
    for i, n in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
# AWS cron day-of-week: 1 = Sunday ... 7 = Saturday.
_DAYS = {n: i for i, n in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}
_SEARCH_DAYS = 366 * 5


class ExpressionError(ValueError):
    """The expression is not one the embedded AWS can schedule."""


def rate_seconds(expression: str) -> int | None:
    match = _RATE.match(expression.strip())
    if not match:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")]


def next_fire(expression: str, after: datetime, timezone: str = "UTC") -> datetime | None:
    text = expression.strip()
    seconds = rate_seconds(text)
    if seconds is not None:
        return after + timedelta(seconds=seconds)
    at = _AT.match(text)
    if at:
        when = datetime.fromisoformat(at.group(1)).replace(tzinfo=ZoneInfo(timezone))
        return when if when > after else None
    cron = _CRON.match(text)
    if cron:
        return _next_cron(cron.group(1).split(), after.astimezone(ZoneInfo(timezone)))
    raise ExpressionError(f"unsupported schedule expression {expression!r}")


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    if text in ("*", "?"):
        return set(range(low, high + 1))
    values: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", ""):
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _value(first, names), _value(last, names)
        else:
            start = _value(part, names)
            end = high if "/" in text else start
        if not (low <= start <= high and low <= end <= high):
            raise ExpressionError(f"cron field {text!r} is out of range {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def _value(text: str, names: dict[str, int] | None) -> int:
    upper = text.upper()
    if names and upper in names:
        return names[upper]
    if not upper.isdigit():
        raise ExpressionError(f"unsupported cron value {text!r} (L, W and # are not supported)")
    return int(upper)


def _next_cron(fields: list[str], after: datetime) -> datetime | None:
    if len(fields) != 6:
        raise ExpressionError("cron expressions have six fields: min hour dom month dow year")
    minutes = sorted(_field(fields[0], 0, 59))
    hours = sorted(_field(fields[1], 0, 23))
    days = _field(fields[2], 1, 31)
    months = _field(fields[3], 1, 12, _MONTHS)
    weekdays = _field(fields[4], 1, 7, _DAYS)
    years = _field(fields[5], 1970, 2199)
    start = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = start.replace(hour=0, minute=0)
    for _ in range(_SEARCH_DAYS):
        aws_weekday = (day.weekday() + 1) % 7 + 1  # Monday=0 -> 2, Sunday=6 -> 1
        if (
            day.year in years
            and day.month in months
            and day.day in days
            and aws_weekday in weekdays
        ):
            for hour in hours:
                for minute in minutes:
                    candidate = day.replace(hour=hour, minute=minute)
                    if candidate >= start:
                        return candidate
        day = day + timedelta(days=1)
    return None
