"""Filters every template has without {% load %} (TEMPLATES "builtins" in civic.settings).

- `date` is Django's, with French ordinals: the first day of a month reads "1er septembre"
  whatever the format ("DATE_FORMAT", "l j F Y"...): one place for every date of the site
  (civic.dates).
- `datetime_attr` is the machine-readable value of every <time datetime="...">: ISO 8601
  to the second (HTML refuses more than three digits of a fraction; Django's "c" writes six).
- `typography` applies French spacing (civic.typography) to a dynamic value in French;
  `{% colon %}` is the colon after a translated label: "History: …", "Historique : …".
"""

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from civic import dates, typography

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    return dates.date(value, arg)


@register.filter
def datetime_attr(value):
    return dates.datetime_attr(value)


@register.filter(name="typography", is_safe=True)
@stringfilter
def typography_filter(value):
    if not typography.applies(get_language()):
        return value
    if isinstance(value, SafeData):
        return mark_safe(typography.html(value))  # noqa: S308 - tags and attributes are copied unchanged
    return typography.text(value)


@register.simple_tag
def colon():
    """ ":" after a label, with the non-breaking space French puts before it."""
    return typography.NBSP + ":" if typography.applies(get_language()) else ":"
