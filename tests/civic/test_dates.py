"""civic.dates: "1er" in French dates, and <time datetime> values HTML accepts."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from civic.dates import datetime_attr, french_ordinal_format

FIRST = datetime.datetime(2026, 9, 1, 18, 30, 5, 123456, tzinfo=datetime.UTC)
SECOND = datetime.date(2026, 9, 2)


def render(source, **context):
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "template", "value", "expected"),
    [
        ("fr", '{{ d|date:"DATE_FORMAT" }}', FIRST, "1er septembre 2026"),
        ("fr", "{{ d|date }}", FIRST, "1er septembre 2026"),
        ("fr", '{{ d|date:"l j F Y, H:i" }}', FIRST, "mardi 1er septembre 2026, 20:30"),
        ("fr", '{{ d|date:"DATE_FORMAT" }}', SECOND, "2 septembre 2026"),
        ("fr", '{{ d|date:"d/m/Y" }}', FIRST, "01/09/2026"),
        ("fr", '{{ d|date:"j/m" }}', FIRST, "1/09"),  # no month name after the day: no ordinal
        ("en", '{{ d|date:"DATE_FORMAT" }}', FIRST, "Sept. 1, 2026"),
        ("en", '{{ d|date:"j F Y" }}', FIRST, "1 September 2026"),
    ],
)
def test_the_first_of_the_month_is_1er_in_french(settings, language, template, value, expected):
    settings.TIME_ZONE = "Europe/Paris"
    with translation.override(language):
        assert render(template, d=value) == expected


def test_escaped_characters_stay_escaped():
    assert french_ordinal_format(r"\j j F") == r"\j j\e\r F"


def test_time_datetime_values_stop_at_the_second(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert datetime_attr(FIRST) == "2026-09-01T20:30:05+02:00"
    assert datetime_attr(SECOND) == "2026-09-02"
    assert datetime_attr(None) == ""
    assert datetime_attr(FIRST.replace(tzinfo=None)) == "2026-09-01T18:30:05"
    html = render('<time datetime="{{ d|datetime_attr }}">', d=FIRST.astimezone(ZoneInfo("UTC")))
    assert re.fullmatch(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d">', html)


def test_every_time_element_of_the_templates_uses_datetime_attr():
    root = Path(__file__).resolve().parents[2] / "templates"
    wrong = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.glob("**/*.html")
        for match in re.finditer(r'datetime="[^"]*"', path.read_text(encoding="utf-8"))
        if "|datetime_attr" not in match.group(0)
    ]
    assert not wrong
