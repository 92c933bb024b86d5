"""Small bar charts as plain data for an inline SVG drawn by a template (no JavaScript).

templates/members/admin/_bar_chart.html renders the SVG (role="img", a <title>
and an aria-label) and the same numbers as a visually-hidden table.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

WIDTH = 640
HEIGHT = 180
TOP = 16  # room for the maximum's label
BOTTOM = 22  # room for the date labels
LEFT = 8
GAP = 4


def bar_chart(series, *, title, value_label):
    """series: [(date, number)] oldest first -> the geometry and labels of a bar chart."""
    values = [value for _, value in series]
    maximum = max(values, default=0)
    plot_height = HEIGHT - TOP - BOTTOM
    count = max(len(series), 1)
    bar_width = (WIDTH - LEFT * 2 - GAP * (count - 1)) / count
    bars = []
    for index, (day, value) in enumerate(series):
        height = round(plot_height * value / maximum, 1) if maximum else 0
        x = round(LEFT + index * (bar_width + GAP), 1)
        bars.append(
            {
                "x": x,
                "y": round(TOP + plot_height - height, 1),
                "width": round(bar_width, 1),
                "height": height,
                "value": value,
                "label": date_format(day, "SHORT_DATE_FORMAT"),
                "text_x": round(x + bar_width / 2, 1),
            }
        )
    total = sum(values)
    summary = _("%(title)s: %(total)s in all, at most %(maximum)s in a week.") % {
        "title": title,
        "total": total,
        "maximum": maximum,
    }
    return {
        "title": title,
        "value_label": value_label,
        "summary": summary,
        "bars": bars,
        "total": total,
        "maximum": maximum,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - 6,
        "first": bars[0] if bars else None,
        "last": bars[-1] if bars else None,
    }
