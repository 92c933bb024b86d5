"""French working days: weekends and public holidays from the `holidays` library, and pauses."""

from datetime import date

import pytest

from questions import workdays


@pytest.mark.parametrize(
    ("start", "count", "expected", "why"),
    [
        (date(2026, 4, 29), 1, date(2026, 4, 30), "Wednesday to Thursday"),
        (date(2026, 4, 30), 1, date(2026, 5, 4), "1 May is a Friday holiday, then the weekend"),
        (date(2026, 7, 13), 1, date(2026, 7, 15), "14 July is skipped"),
        (date(2026, 4, 3), 1, date(2026, 4, 7), "Easter Monday (6 April 2026) is skipped"),
        (date(2026, 5, 13), 1, date(2026, 5, 15), "Ascension Thursday (14 May 2026) is skipped"),
        (date(2026, 11, 27), 1, date(2026, 11, 30), "a weekend: Friday to Monday"),
        (date(2026, 11, 28), 1, date(2026, 11, 30), "from a Saturday, the next working day is Monday"),
        (date(2026, 12, 21), 5, date(2026, 12, 29), "Christmas Day is skipped"),
        (date(2026, 11, 30), 0, date(2026, 11, 30), "no day at all"),
        (date(2026, 11, 30), 10, date(2026, 12, 14), "two working weeks"),
    ],
)
def test_add_working_days(start, count, expected, why):
    assert workdays.add_working_days(start, count) == expected, why


@pytest.mark.parametrize(
    ("start", "end", "expected", "why"),
    [
        (date(2026, 11, 27), date(2026, 11, 30), 1, "Friday to Monday across a weekend: one working day"),
        (date(2026, 4, 30), date(2026, 5, 4), 1, "across 1 May and a weekend"),
        (date(2026, 7, 10), date(2026, 7, 15), 2, "Friday to Wednesday across 14 July: Monday and Wednesday"),
        (date(2026, 4, 2), date(2026, 4, 7), 2, "Thursday to Tuesday across Easter Monday: Friday and Tuesday"),
        (date(2026, 11, 30), date(2026, 11, 30), 0, "the same day"),
        (date(2026, 12, 1), date(2026, 11, 30), 0, "an end before the start"),
    ],
)
def test_working_days_between(start, end, expected, why):
    assert workdays.working_days_between(start, end) == expected, why


def test_a_pause_moves_the_deadline_by_its_working_days():
    """Routed on Tuesday 28 April 2026 with 5 days: due 6 May (1 May off). A pause from Thursday 30 April
    to Monday 4 May (across 1 May and a weekend) is one working day: due 7 May."""
    deadline = workdays.add_working_days(date(2026, 4, 28), 5)
    assert deadline == date(2026, 5, 6)
    paused = workdays.working_days_between(date(2026, 4, 30), date(2026, 5, 4))
    assert workdays.add_working_days(deadline, paused) == date(2026, 5, 7)


def test_weekends_and_holidays_are_not_working_days():
    assert not workdays.is_working_day(date(2026, 5, 1))
    assert not workdays.is_working_day(date(2026, 7, 14))
    assert not workdays.is_working_day(date(2026, 11, 28))
    assert workdays.is_working_day(date(2026, 11, 30))
