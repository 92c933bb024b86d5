"""members/report.py and members/charts.py: weekly counts and the chart geometry."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from members.activity import Kind, record
from members.charts import bar_chart
from members.report import week_start, weekly_contributions

pytestmark = pytest.mark.django_db


def test_weekly_contributions_fold_days_into_weeks_and_filter_by_territory(territory, veteran):
    nour = veteran("nour@example.fr", "Nour")
    today = timezone.localdate()
    now = timezone.now()
    record(nour, Kind.PAGE_CREATED, page=territory["genicart"], at=now)
    record(nour, Kind.PAGE_CREATED, page=territory["palmer"], at=now - timedelta(weeks=1))
    record(nour, Kind.PAGE_CREATED, page=territory["palmer"], at=now - timedelta(weeks=1, hours=1))
    record(nour, Kind.PAGE_CREATED, page=territory["palmer"], at=now - timedelta(weeks=30))  # too old
    record(nour, Kind.EDIT, page=territory["palmer"], chars_changed=3, at=now)  # tiny: not a contribution
    weeks = weekly_contributions(weeks=4)
    assert [monday for monday, _n in weeks][-1] == week_start(today)
    assert len(weeks) == 4 and all(monday.weekday() == 0 for monday, _n in weeks)
    assert sum(n for _m, n in weeks) == 3
    assert weeks[-1][1] >= 1
    assert sum(n for _m, n in weekly_contributions(weeks=4, territory=territory["cenon"])) == 2
    assert sum(n for _m, n in weekly_contributions(weeks=4, member=nour)) == 3


def test_bar_chart_scales_to_the_largest_week_and_survives_zeros():
    series = [(date(2026, 1, 5), 0), (date(2026, 1, 12), 4), (date(2026, 1, 19), 2)]
    chart = bar_chart(series, title="Weekly", value_label="Contributions")
    heights = [bar["height"] for bar in chart["bars"]]
    assert heights[0] == 0 and heights[1] == 2 * heights[2] > 0
    assert (chart["total"], chart["maximum"]) == (6, 4)
    assert all(bar["y"] + bar["height"] == chart["baseline"] for bar in chart["bars"])
    empty = bar_chart([(date(2026, 1, 5), 0)], title="Weekly", value_label="Contributions")
    assert empty["bars"][0]["height"] == 0
    assert bar_chart([], title="Weekly", value_label="Contributions")["first"] is None
