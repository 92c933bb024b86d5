"""French working days: the one place deadlines are counted.

A working day is a weekday (Monday to Friday) that is not a French public
holiday. The holidays come from the maintained `holidays` library (Easter
Monday, Ascension, Whit Monday move every year; 1 May, 14 July... do not), never
from a hand-written list.

- `add_working_days(start, n)`: the date `n` working days after `start` (the
  deadline of a question routed on `start` with a target of `n` days);
- `working_days_between(start, end)`: how many working days lie after `start`,
  up to and including `end` (the time a service took, a pause's length).

A question's clock pauses while the resident is asked for details: the
working days of the pause are added to its deadline (questions.services).
"""

import functools
from datetime import datetime, timedelta

import holidays


@functools.cache
def _holidays(year):
    return holidays.France(years=year)


def _as_date(value):
    return value.date() if isinstance(value, datetime) else value


def is_holiday(day):
    day = _as_date(day)
    return day in _holidays(day.year)


def is_working_day(day):
    day = _as_date(day)
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start, count):
    """The date `count` working days after `start` (`start` itself never counts; 0: `start`)."""
    day = _as_date(start)
    remaining = max(0, int(count))
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """The working days after `start`, up to and including `end` (0 when `end` is not after `start`)."""
    start, end = _as_date(start), _as_date(end)
    if end <= start:
        return 0
    # Bounded: at most a few years between two events of a question, so a walk day by day is cheap.
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset)))


def today():
    from django.utils import timezone

    return timezone.localdate()


__all__ = ["add_working_days", "is_holiday", "is_working_day", "today", "working_days_between"]
