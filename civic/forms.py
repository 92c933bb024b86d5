"""The form renderer of the site: Django's, with <select> written in Python.

Django renders each <option> through a template include. Filters that list
a métropole's communes and neighbourhoods (the leaderboard, recent changes,
projects) have hundreds of options, and those includes were most of the time
of rendering such a page. This renderer writes the same markup as Django's
`django/forms/widgets/select.html` directly; every other template is Django's.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from civic.params import IdChoiceField

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs):
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes it bare."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


def render_select(widget):
    """The widget's HTML, or None when an option has a template of its own (Django renders those)."""
    parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(format_html('\n  <option value="{}"', str(option["value"])))
            parts.append(_attrs(option["attrs"]))
            # The option template ends with a line break, as Django renders it.
            parts.append(">" + conditional_escape(option["label"]) + "</option>\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if template_name == SELECT_TEMPLATE and widget is not None and "optgroups" in widget:
            html = render_select(widget)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)


class _TitleChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = self.field.to_field_name or "pk"
        yield from self.queryset.values_list(key, "title")


class PageChoiceField(IdChoiceField):
    """A choice of Wagtail pages listed by title, without building a page object per option.

    A métropole's neighbourhoods are hundreds of options on every filter; only
    the chosen page is loaded, when the form is validated. A value no page id can
    be (huge, "²") is "Select a valid choice", never a database error.
    """

    iterator = _TitleChoiceIterator
