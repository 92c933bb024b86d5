"""The one place that reads ids and numbers from a request (query string, form data, URL).

Why: `int()` and `str.isdigit()` accept what a database cannot take. `"²".isdigit()`
is true and `int("²")` fails; `int("٣")` is 3; a 25-digit id overflows SQLite's
integer and PostgreSQL's bigint and answers 500. Every view, form and URL pattern
goes through these helpers instead, so hostile input is refused (None, a form
error or a 404), never a crash.
"""

from datetime import timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# The largest id a primary key can hold on every database we run: bigint (BigAutoField).
MAX_ID = 2**63 - 1
# Anything longer is refused before it is converted: a bound on the work of int().
_MAX_DIGITS = len(str(MAX_ID))


def _ascii_digits(value):
    return isinstance(value, str) and 0 < len(value) <= _MAX_DIGITS and value.isascii() and value.isdigit()


def parse_int(value, *, min_value=None, max_value=None, default=None):
    """`value` as an int when it is written in ASCII digits (a leading "-" allowed) within bounds, else `default`."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        if not isinstance(value, str):
            return default
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text
        if not _ascii_digits(digits):
            return default
        number = int(text)
    if min_value is not None and number < min_value:
        return default
    if max_value is not None and number > max_value:
        return default
    return number


def parse_id(value, default=None):
    """A primary key from a request: a positive int that a database can hold, else `default` (None)."""
    return parse_int(value, min_value=1, max_value=MAX_ID, default=default)


def parse_text(value, *, max_length=255, default=None):
    """A short text key from a request (a slug, a token), or `default`: no NUL, which PostgreSQL refuses in any text."""
    if not isinstance(value, str) or not value or len(value) > max_length or "\x00" in value:
        return default
    return value


def parse_ids(values, *, limit=500):
    """The valid ids among `values` (a QueryDict list), in order, without repeats, at most `limit` of them."""
    ids = []
    seen = set()
    for value in values:
        pk = parse_id(value)
        if pk is not None and pk not in seen:
            seen.add(pk)
            ids.append(pk)
            if len(ids) >= limit:
                break
    return ids


class IdField(forms.IntegerField):
    """A form field for a primary key: ASCII digits, 1 to MAX_ID, with a translated message otherwise."""

    default_error_messages = {"invalid": _("Enter a valid identifier.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_id(str(value).strip())
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class BoundedIntegerField(forms.IntegerField):
    """An integer form field that needs bounds: an unbounded number from a request is a way to a 500."""

    def __init__(self, *, min_value, max_value, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_int(str(value).strip())
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _is_key(field, value):
    """Can `value` be a key of the field's queryset? Refuses before the database sees it."""
    if isinstance(value, models.Model):
        return True
    key = field.queryset.model._meta.get_field(field.to_field_name) if field.to_field_name else None
    while key is not None and key.is_relation:  # a page's `page_ptr`: the integer it points to
        key = key.target_field
    if key is None or isinstance(key, models.IntegerField | models.AutoField):
        return parse_id(str(value)) is not None
    return parse_text(str(value)) is not None  # a text key (a slug)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose hostile values ("9"*25, "²", NUL) are an unknown choice, not a database error."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_key(self, value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """As IdChoiceField for several values, at most `max_choices` of them (a bound on the query)."""

    default_error_messages = {
        "too_many": _("Choose at most %(limit)s items at once."),
    }

    def __init__(self, *args, max_choices=1000, **kwargs):
        self.max_choices = max_choices
        super().__init__(*args, **kwargs)

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            if len(value) > self.max_choices:
                raise forms.ValidationError(
                    self.error_messages["too_many"], code="too_many", params={"limit": self.max_choices}
                )
            for pk in value:
                if not _is_key(self, pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


DATE_YEARS = 5


def date_out_of_range(value, *, years=DATE_YEARS):
    """None when `value` (an aware datetime) is within `years` of today, else a ValidationError saying the range.

    Year 1 or 9999 pass a date field but overflow the date arithmetic that follows (calendars, reminders).
    """
    now = timezone.now()
    low, high = now - timedelta(days=365 * years), now + timedelta(days=365 * years)
    if low <= value <= high:
        return None
    return forms.ValidationError(
        _("Enter a date between %(min)s and %(max)s."),
        code="out_of_range",
        params={"min": formats.date_format(low.date()), "max": formats.date_format(high.date())},
    )


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time within `years` of today (see date_out_of_range)."""

    def __init__(self, *, years=DATE_YEARS, **kwargs):
        self.years = years
        super().__init__(**kwargs)

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and (error := date_out_of_range(result, years=self.years)):
            raise error
        return result


def bounded(min_value, max_value):
    """Validators for a model field that a form turns into an unbounded IntegerField otherwise."""
    return [MinValueValidator(min_value), MaxValueValidator(max_value)]


class IdConverter:
    """URL converter `<id:name>`: like `<int:name>` but refuses (404) what no primary key can be."""

    regex = f"[0-9]{{1,{_MAX_DIGITS}}}"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)
