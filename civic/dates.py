"""Dates as people read them, and as machines read them.

- `date` formats like Django's `date` filter, and in French writes the first day of a
  month as an ordinal: "1er septembre 2026", "mardi 1er décembre" (Django's formats
  have no French ordinal). Civic templates get it as their `date` filter
  (civic.templatetags.quartiers, a template builtin), so no template has to think of it.
- `datetime_attr` is the value of a <time datetime="...">: ISO 8601 to the second, in
  the current time zone for an aware datetime. HTML accepts at most three digits of a
  second's fraction; Django's "c" format writes microseconds (six).
"""

import datetime

from django.template import defaultfilters
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import get_language

from civic import typography

MONTH_CODES = frozenset("FEMNb")  # format characters that write a month's name


def french_ordinal_format(format_string):
    """`format_string` with "er" after a day ("j") that a month's name follows: only used on the 1st."""
    out = []
    chars = list(format_string)
    index = 0
    while index < len(chars):
        char = chars[index]
        if char == "\\":
            out.append("".join(chars[index : index + 2]))
            index += 2
            continue
        out.append(char)
        if char == "j":
            rest = "".join(chars[index + 1 :]).lstrip(" \u00a0")
            if rest[:1] in MONTH_CODES:
                out.append(r"\e\r")
        index += 1
    return "".join(out)


def date(value, format_name=None):
    """Django's `date` filter, with "1er" for the first of a month in French."""
    if getattr(value, "day", None) == 1 and typography.applies(get_language()):
        format_name = french_ordinal_format(get_format(format_name or "DATE_FORMAT"))
    return defaultfilters.date(value, format_name)


def datetime_attr(value):
    """The `datetime` attribute of a <time>: "2026-09-01T18:30:05+02:00", or "2026-09-01" for a date."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
